import Foundation

/// `handout pdf`: builds the chosen patients exactly as `handout build --patient` does, then
/// prints each one's handout and calendar with one headless Chromium. Each page prints with
/// its own paper size, print size and language, as the built pages say. PDFs carry
/// patients' names, so they are written only outside the output folder, which the intranet
/// serves.
public struct PDFExport {
    public var layout: SiteLayout
    public var diagnostics: Diagnostics

    public init(layout: SiteLayout, diagnostics: Diagnostics) {
        self.layout = layout
        self.diagnostics = diagnostics
    }

    /// The two printed documents of a patient, in the order they are printed and bound.
    static let documents = [(page: "index.html", name: "handout"), (page: "calendar.html", name: "calendar")]

    /// Problems that belong to no file are reported as `handout pdf: error: …`.
    public func error(_ message: String) {
        diagnostics.error(message, at: Self.here)
    }

    private static let here = SourceLocation(path: "handout pdf", line: 0, column: 0)

    /// A plain-words refusal when `out` is the output folder or inside it, else nil. Both
    /// are compared as the file system resolves them (`/tmp/link/../x`, with `link` pointing
    /// into the output folder, is inside it), so a link into the output folder is refused too.
    public func refusal(out: URL) -> String? {
        let output = FileSystem.resolvedPath(layout.output.path), target = FileSystem.resolvedPath(out.path)
        guard target == output || target.hasPrefix(output + "/") else { return nil }
        return "--out \(out.path) is inside the output folder \(layout.display(layout.output)), which is published on the intranet; "
            + "PDFs carry patients' names, so write them somewhere else, like --out ~/handouts"
    }

    /// `url` with every link followed, as the file system will find it when writing: the
    /// path checked is the path written.
    public static func resolved(_ url: URL) -> URL {
        URL(fileURLWithPath: FileSystem.resolvedPath(url.path))
    }

    /// Plans running on `day` (from their start to their last day), by plan id, and the
    /// problems of plans that could not be read, each such plan named as left out: its dates
    /// cannot be trusted, so it is named whether or not it runs that day. The problems are
    /// kept apart from `diagnostics` until the build is done, as the build counts every
    /// error it has seen when it decides what an error blocks.
    func activePlans(on day: Day) -> (running: [String], problems: [Diagnostic]) {
        let found = Diagnostics()
        let library = ContentLoader(layout: layout, diagnostics: found).load()
        let weekStarts = library.site.weekStarts
        let loader = PlanLoader(layout: layout, library: library, diagnostics: found)
        let plans = loader.loadAll()
        let loaded = Set(plans.map(\.id))
        for entry in loader.files() ?? [] where !loaded.contains(entry.slug) {
            found.error("\(entry.slug) was left out of the batch because its plan has errors (above); fix them and print it again", at: Self.here)
        }
        let running = plans
            .filter { $0.start <= day && day <= $0.lastDay(weekStarts: weekStarts) }
            .map(\.id).sorted()
        return (running, found.all)
    }

    /// What was printed: the patients, and the pages written in all.
    public struct Printed: Sendable {
        public var patients: [String]
        public var pages: Int
        public var files: [URL]
        /// Plans not asked for whose errors the build found (they do not fail the command).
        public var othersWithErrors = 0
    }

    /// Builds `patients`, then writes `<id>-handout.pdf` and `<id>-calendar.pdf` for each into
    /// `folder`. Nil when nothing could be printed; patients blocked by errors in their
    /// plans are reported and left out (their published pages are not current).
    public func writeEach(_ patients: [String], into folder: URL, chromium: URL, progress: (String) -> Void) -> Printed? {
        buildAndPrint(patients, chromium: chromium, progress: progress) { (printed) throws(FileFault) in
            try FileSystem.makeFolders(folder.path)
            var files: [URL] = []
            var pages = 0
            for (id, documents) in printed {
                for (name, document) in zip(Self.documents.map(\.name), documents) {
                    var file = MergedPDF()
                    file.append(document)
                    let url = folder.appendingPathComponent("\(id)-\(name).pdf")
                    try Self.replace(url, with: file.data)
                    files.append(url)
                    pages += file.pageCount
                }
            }
            return Printed(patients: printed.map(\.id), pages: pages, files: files)
        }
    }

    /// Builds every plan running on `day`, then writes them all into one PDF, by plan id,
    /// every document padded with a blank page to an even page count: printed on both sides,
    /// each handout and each calendar starts on a new sheet, so no sheet holds two patients.
    public func writeDay(_ day: Day, to file: URL, chromium: URL, progress: (String) -> Void) -> Printed? {
        let (running, problems) = activePlans(on: day)
        defer { problems.forEach(diagnostics.append) }
        guard !running.isEmpty else {
            if problems.isEmpty { error("no plan is running on \(day.iso); nothing was printed") }
            return nil
        }
        return buildAndPrint(running, chromium: chromium, progress: progress) { (printed) throws(FileFault) in
            var batch = MergedPDF()
            for (_, documents) in printed {
                for document in documents { batch.append(document, padToEvenPages: true) }
            }
            try FileSystem.makeFolders(file.deletingLastPathComponent().path)
            try Self.replace(file, with: batch.data)
            return Printed(patients: printed.map(\.id), pages: batch.pageCount, files: [file])
        }
    }

    /// Build, then print every patient that built; `write` gets each patient's documents.
    private func buildAndPrint(_ patients: [String], chromium program: URL, progress: (String) -> Void,
                       write: ([(id: String, documents: [PDFDocument])]) throws(FileFault) -> Printed) -> Printed? {
        guard case .success(let report) = BuildPipeline(layout: layout, diagnostics: diagnostics).buildReportingFailure(patients: patients) else {
            return nil
        }
        let blocked = Set(report.blocked)
        let printable = patients.filter { !blocked.contains($0) }
        for id in patients where blocked.contains(id) {
            error("\(id) was not printed because its plan has errors (above); fix them and print it again")
        }
        guard !printable.isEmpty else { return nil }
        let browser: Chromium
        do {
            browser = try Chromium(program: program)
        } catch {
            self.error("cannot start Chromium: \(error)")
            return nil
        }
        defer { browser.quit() }
        var printed: [(id: String, documents: [PDFDocument])] = []
        let patientsFolder = layout.output.appendingPathComponent("patients")
        for (n, id) in printable.enumerated() {
            if printable.count > 1 { progress("Printing \(n + 1) of \(printable.count): \(id)") }
            var documents: [PDFDocument] = []
            for document in Self.documents {
                let page = patientsFolder.appendingPathComponent(id).appendingPathComponent(document.page)
                do {
                    documents.append(try PDFDocument(data: try browser.printPDF(page)))
                } catch let failure as DevToolsConnection.Failure {
                    error("cannot print the \(document.name) of \(id): \(failure); nothing was written")
                    return nil
                } catch {
                    self.error("cannot read the printed \(document.name) of \(id): \(error); nothing was written")
                    return nil
                }
            }
            printed.append((id, documents))
        }
        do {
            var result = try write(printed)
            result.othersWithErrors = report.othersWithErrors
            return result
        } catch {
            self.error("\(error)")
            return nil
        }
    }

    /// Writes beside the file and renames, so a failure never leaves half a PDF behind.
    private static func replace(_ url: URL, with data: Data) throws(FileFault) {
        let partial = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial").path
        do {
            try FileSystem.write(data, to: partial)
            try FileSystem.move(partial, to: url.path)
        } catch {
            try? FileSystem.remove(partial)
            throw error
        }
    }
}
