import Foundation

/// `handout pdf`: builds the chosen patients exactly as `handout build --patient` does, then
/// prints each one's handout and calendar with one headless Chromium. Each page prints with
/// its own paper size, print size and language, as the built pages say. PDFs carry
/// patients' names, so they are written only outside the output folder, which the intranet
/// serves.
public struct PDFExport {
    public var layout: SiteLayout
    public var diagnostics: Diagnostics
    /// The site as loaded for choosing the patients, kept for building them.
    let loaded = Loaded()

    public init(layout: SiteLayout, diagnostics: Diagnostics) {
        self.layout = layout
        self.diagnostics = diagnostics
    }

    /// The site loaded once, with the problems found loading it (kept apart from
    /// `diagnostics` until the build: see `loadPlans`).
    final class Loaded {
        var selected: Set<String> = []
        var site: Result<LoadedSite, BuildPipeline.Failure>?
        var problems: [Diagnostic] = []
    }

    /// The site, loaded for `patients` (every plan read when empty); loaded again only if
    /// asked for patients it did not read.
    private func site(for patients: Set<String>) -> (site: LoadedSite?, problems: [Diagnostic]) {
        if loaded.site == nil || !(loaded.selected.isEmpty || !patients.isEmpty && patients.isSubset(of: loaded.selected)) {
            let found = Diagnostics()
            loaded.site = SiteLoader.load(layout, selected: patients, diagnostics: found)
            loaded.selected = patients
            loaded.problems = found.all
        }
        return (try? loaded.site?.get(), loaded.problems)
    }

    /// The two printed documents of a patient, in the order they are printed and bound.
    public static let documents = [(page: "index.html", name: "handout"), (page: "calendar.html", name: "calendar")]

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

    /// Every plan that loads, the site's first weekday, and the problems of plans that could
    /// not be read, each such plan named as left out of a batch: its dates cannot be
    /// trusted, so it is named whether or not it would be in it. The problems are kept apart
    /// from `diagnostics` until the build is done, as the build counts every error it has
    /// seen when it decides what an error blocks.
    func loadPlans(_ patients: Set<String> = []) -> (plans: [Plan], weekStarts: Weekday, problems: [Diagnostic]) {
        let (site, problems) = site(for: patients)
        guard let site else { return ([], .monday, problems) }
        let found = Diagnostics()
        let loader = PlanLoader(layout: layout, library: site.library, diagnostics: found)
        let files = site.planFiles.indices.filter { patients.isEmpty || patients.contains(site.planFiles[$0].slug) }
        let slots = ResultSlots<Plan>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { n in
            let entry = site.planFiles[files[n]]
            slots[n] = site.planBytes[files[n]].flatMap { loader.bytes($0, of: entry) }.flatMap { loader.parse(entry, data: $0).plan }
        }
        let plans = slots.values.compactMap { $0 }
        let loaded = Set(plans.map(\.id))
        for index in files where !loaded.contains(site.planFiles[index].slug) {
            found.error("\(site.planFiles[index].slug) was left out of the batch because its plan has errors (above); fix them and print it again", at: Self.here)
        }
        return (plans, site.library.site.weekStarts, problems + found.all)
    }

    /// Plans running on `day` (from their start to their last day), by plan id, and the
    /// problems of plans that could not be read.
    func activePlans(on day: Day) -> (running: [String], problems: [Diagnostic]) {
        let (plans, weekStarts, problems) = loadPlans()
        let running = plans
            .filter { $0.start <= day && day <= $0.lastDay(weekStarts: weekStarts) }
            .map(\.id).sorted()
        return (running, problems)
    }

    /// The weeks `choice` names in each patient's calendar, or the refusal of the first
    /// patient whose calendar does not hold them. A patient whose plan cannot be read is
    /// left to the build, which reports its errors.
    public func weeks(_ choice: WeekChoice, of patients: [String]) -> Result<[String: ClosedRange<Int>], WeekChoice.Refusal> {
        let (plans, weekStarts, _) = loadPlans(Set(patients))
        var weeks: [String: ClosedRange<Int>] = [:]
        for plan in plans where patients.contains(plan.id) {
            switch choice.weeks(of: plan.id, start: plan.start, weeks: plan.weeks, weekStarts: weekStarts) {
            case .success(let range): weeks[plan.id] = range
            case .failure(let refusal): return .failure(refusal)
            }
        }
        return .success(weeks)
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
    /// `folder`: only the one named `only`, when given. With `weeks`, only the calendar's
    /// pages that hold those weeks of each patient's calendar, as
    /// `<id>-calendar-weeks-3-4.pdf` (the weeks those pages hold). Nil when nothing could be
    /// printed; patients blocked by errors in their plans are reported and left out (their
    /// published pages are not current).
    public func writeEach(_ patients: [String], into folder: URL, only: String? = nil, weeks: [String: ClosedRange<Int>] = [:],
                          chromium: URL, progress: (String) -> Void) -> Printed? {
        let documents = Self.documents.filter { document in
            weeks.isEmpty ? only.map { $0 == document.name } ?? true : document.name == "calendar"
        }
        guard let (printable, report) = build(patients) else { return nil }
        return withChromium(chromium) { browser in
            var written: [(url: URL, file: MergedPDF)] = []
            for (n, id) in printable.enumerated() {
                if printable.count > 1 { progress("Printing \(n + 1) of \(printable.count): \(id)") }
                for document in documents {
                    var file = MergedPDF()
                    var name = "\(id)-\(document.name).pdf"
                    if document.name == "calendar", let asked = weeks[id] {
                        guard let (printed, weekPages) = printWeeks(of: id, in: browser) else { return nil }
                        let pages = WeekChoice.pages(holding: asked, weekPages: weekPages, pageCount: printed.pageCount)
                        let held = WeekChoice.weeks(on: pages, weekPages: weekPages)
                        name = "\(id)-calendar-" + (held.count == 1 ? "week-\(held.lowerBound)" : "weeks-\(held.lowerBound)-\(held.upperBound)") + ".pdf"
                        file.append(printed, pages: pages)
                    } else {
                        guard let printed = print(document, of: id, in: browser)?.document else { return nil }
                        file.append(printed)
                    }
                    written.append((folder.appendingPathComponent(name), file))
                }
            }
            do throws(FileFault) {
                try FileSystem.makeFolders(folder.path)
                for (url, file) in written { try Self.replace(url, with: file.data) }
            } catch {
                self.error("\(error)")
                return nil
            }
            return Printed(patients: printable, pages: written.map(\.file.pageCount).reduce(0, +), files: written.map(\.url),
                           othersWithErrors: report.othersWithErrors)
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
        guard let (printable, report) = build(running) else { return nil }
        return withChromium(chromium) { browser in
            var batch = MergedPDF()
            guard printEach(printable, into: &batch, in: browser, progress: progress) else { return nil }
            return write(batch, to: file, patients: printable, othersWithErrors: report.othersWithErrors)
        }
    }

    /// Builds `patients`: those whose plans have no errors, and the build's report. Nil when
    /// the build failed or left none to print.
    func build(_ patients: [String]) -> (printable: [String], report: BuildPipeline.Report)? {
        let (site, problems) = site(for: Set(patients))
        // The build decides what an error blocks from every error it has seen.
        problems.forEach(diagnostics.append)
        guard let site, case .success(let report) = BuildPipeline(layout: layout, diagnostics: diagnostics).build(site, patients: patients) else {
            return nil
        }
        let blocked = Set(report.blocked)
        for id in patients where blocked.contains(id) {
            error("\(id) was not printed because its plan has errors (above); fix them and print it again")
        }
        let printable = patients.filter { !blocked.contains($0) }
        return printable.isEmpty ? nil : (printable, report)
    }

    /// `body` with one browser, quit afterwards.
    func withChromium<T>(_ program: URL, _ body: (Chromium) -> T?) -> T? {
        let browser: Chromium
        do {
            browser = try Chromium(program: program)
        } catch {
            self.error("cannot start Chromium: \(error)")
            return nil
        }
        defer { browser.quit() }
        return body(browser)
    }

    /// Each patient's handout and calendar, in order, each padded to an even page count.
    func printEach(_ patients: [String], into batch: inout MergedPDF, in browser: Chromium, progress: (String) -> Void) -> Bool {
        for (n, id) in patients.enumerated() {
            if patients.count > 1 { progress("Printing \(n + 1) of \(patients.count): \(id)") }
            for document in Self.documents {
                guard let printed = print(document, of: id, in: browser)?.document else { return false }
                batch.append(printed, padToEvenPages: true)
            }
        }
        return true
    }

    func write(_ batch: MergedPDF, to file: URL, patients: [String], othersWithErrors: Int) -> Printed? {
        do throws(FileFault) {
            try FileSystem.makeFolders(file.deletingLastPathComponent().path)
            try Self.replace(file, with: batch.data)
        } catch {
            self.error("\(error)")
            return nil
        }
        return Printed(patients: patients, pages: batch.pageCount, files: [file], othersWithErrors: othersWithErrors)
    }

    /// One published page of a patient, printed; nil (reported) when it could not be.
    private func print(_ document: (page: String, name: String), of id: String, in browser: Chromium, script: String? = nil)
        -> (document: PDFDocument, scriptValue: Any?)? {
        let page = layout.output.appendingPathComponent("patients").appendingPathComponent(id).appendingPathComponent(document.page)
        do {
            let printed = try browser.printPDF(page, script: script)
            return (try PDFDocument(data: printed.pdf), printed.scriptValue)
        } catch let failure as DevToolsConnection.Failure {
            error("cannot print the \(document.name) of \(id): \(failure); nothing was written")
        } catch {
            self.error("cannot read the printed \(document.name) of \(id): \(error); nothing was written")
        }
        return nil
    }

    /// Marks each week of a printed calendar as a link target, so Chromium writes where it
    /// begins as a named destination: `handout-week-1` on. The weeks are the landscape
    /// calendar's rows (`tr.week`) or large print's week sheets (`.week-log-sheet`); the
    /// links are hidden and the page prints as it would without them.
    static let weekMarks = """
        (() => {
          const weeks = document.querySelectorAll('table.calendar tr.week, .week-log-sheet');
          weeks.forEach((week, i) => {
            week.id = 'handout-week-' + (i + 1);
            const link = document.createElement('a');
            link.href = '#' + week.id;
            link.hidden = true;
            document.body.append(link);
          });
          return weeks.length;
        })()
        """

    /// A patient's calendar printed whole, with the page each week begins on (counted from 0).
    private func printWeeks(of id: String, in browser: Chromium) -> (document: PDFDocument, weekPages: [Int])? {
        guard let (printed, value) = print(Self.documents[1], of: id, in: browser, script: Self.weekMarks) else { return nil }
        let count = value as? Int ?? 0
        let weekPages = (1...max(1, count)).compactMap { printed.destinations["handout-week-\($0)"] }
        guard count > 0, weekPages.count == count else {
            error("cannot find the weeks on the printed calendar of \(id) (rows of class 'week', or large print's 'week-log-sheet'); "
                  + "has calendar-week.mustache lost its class? Print the whole calendar with --only calendar instead")
            return nil
        }
        return (printed, weekPages)
    }

    /// Writes beside the file and renames, so a failure never leaves half a PDF behind.
    static func replace(_ url: URL, with data: Data) throws(FileFault) {
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
