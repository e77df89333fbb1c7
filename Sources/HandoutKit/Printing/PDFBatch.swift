import Foundation

/// `handout pdf --changed-since`: the day's batch, after a cover page saying which plans
/// it prints and why, and the record of batches beside it.
extension PDFExport {
    /// `--changed-since`: the day's batch.
    public enum Since: Equatable, Sendable {
        /// Since the last batch recorded beside the batch file.
        case lastBatch
        /// Since the last batch recorded on or before this day.
        case day(Day)
    }

    /// What a day's batch printed, and why.
    public struct Batch: Sendable {
        public var printed: Printed
        public var chosen: [BatchSelection.Chosen]
        /// The recorded batch it compared with; nil when none was recorded.
        public var since: BatchRecord.Batch?
    }

    /// The day's batch: builds every plan not over by `today`, then prints into one file,
    /// after a cover page saying which and why, those that are new or whose printed pages
    /// changed since the batch `since` names (in the record beside `file`), and those that
    /// start `today`; each document padded to an even page count as in `writeDay`. The
    /// batch is then added to the record, written at `now`. With nothing to print, no file
    /// is written and nothing recorded. Nil on errors.
    public func writeBatch(since: Since, today: Day, now: Date, to file: URL, chromium: URL, progress: (String) -> Void) -> Batch? {
        let folder = file.deletingLastPathComponent()
        let recordPath = layout.display(folder.appendingPathComponent(BatchRecord.fileName))
        let record: BatchRecord
        do throws(FileFault) {
            switch try BatchRecord.read(in: folder) {
            case .success(let read): record = read
            case .failure(let damage):
                error("the batch record \(recordPath) is damaged at line \(damage.line) (\(damage.reason)); move it aside to start a new "
                      + "record, and the next batch counts every current plan as new")
                return nil
            }
        } catch {
            self.error("\(error)")
            return nil
        }
        let asOf: Day? = if case .day(let day) = since { day } else { nil }
        let (plans, weekStarts, problems) = loadPlans()
        defer { problems.forEach(diagnostics.append) }
        let current = plans.filter { $0.lastDay(weekStarts: weekStarts) >= today }
        let nothing = Printed(patients: [], pages: 0, files: [])
        guard !current.isEmpty else { return Batch(printed: nothing, chosen: [], since: record.lastBatch(onOrBefore: asOf)) }
        guard let (printable, report) = build(current.map(\.id).sorted()) else { return nil }
        var candidates: [BatchSelection.Candidate] = []
        for plan in current where printable.contains(plan.id) {
            do {
                candidates.append(.init(id: plan.id, start: plan.start, pages: try PrintedPages.fingerprint(of: plan.id, in: layout.output)))
            } catch {
                self.error("\(error)")
                return nil
            }
        }
        let chosen = BatchSelection.select(candidates, printed: record.printed(asOf: asOf), today: today)
        let baseline = record.lastBatch(onOrBefore: asOf)
        guard !chosen.isEmpty else { return Batch(printed: nothing, chosen: [], since: baseline) }
        let byID = Dictionary(plans.map { ($0.id, $0) }) { first, _ in first }
        let lines = chosen.map { SiteRenderer.CoverLine(id: $0.id, patient: byID[$0.id]!.patient, start: byID[$0.id]!.start, reasons: $0.reasons) }
        return withChromium(chromium) { browser in
            var batch = MergedPDF()
            guard let cover = printCover(day: today, since: baseline?.day, lines: lines, in: browser) else { return nil }
            batch.append(cover, padToEvenPages: true)
            guard printEach(chosen.map(\.id), into: &batch, in: browser, progress: progress),
                  var printed = write(batch, to: file, patients: chosen.map(\.id), othersWithErrors: report.othersWithErrors) else { return nil }
            var updated = record
            updated.batches.append(.init(day: today, written: BatchRecord.timestamp(now),
                                         printed: chosen.map { .init(id: $0.id, reasons: $0.reasons, pages: $0.pages) }))
            do throws(FileFault) {
                try Self.replace(folder.appendingPathComponent(BatchRecord.fileName), with: Data(updated.text.utf8))
            } catch {
                self.error("\(error); the batch \(layout.display(file)) was written but not recorded, so the next batch prints its plans again")
                return nil
            }
            printed.files.append(folder.appendingPathComponent(BatchRecord.fileName))
            return Batch(printed: printed, chosen: chosen, since: baseline)
        }
    }

    /// The batch's cover page, rendered in the site's language into a folder of its own
    /// (removed after) and printed like the patients' pages, with the published site's
    /// stylesheet and logo.
    private func printCover(day: Day, since: Day?, lines: [SiteRenderer.CoverLine], in browser: Chromium) -> PDFDocument? {
        // Loaded for the build that came before, which needed the templates.
        guard let site = try? loaded.site?.get(), let templates = site.templates else { return nil }
        let renderer = SiteRenderer(library: site.library, templates: templates)
        let root = URL(fileURLWithPath: FileSystem.resolvedPath(layout.output.path), isDirectory: true).absoluteString
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("handout-batch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("cover.html")
        do throws(FileFault) {
            // Only we may read it: with `index_shows_names`, the cover names patients.
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            } catch {
                throw FileFault("create the folder", folder.path, error: error)
            }
            try FileSystem.write(Data(renderer.batchCoverStylesheet.utf8), to: folder.appendingPathComponent("print.css").path)
            try FileSystem.write(Data(renderer.renderBatchCover(day: day, since: since, plans: lines, root: root).utf8), to: page.path)
        } catch {
            self.error("\(error)")
            return nil
        }
        do {
            return try PDFDocument(data: try browser.printPDF(page).pdf)
        } catch {
            self.error("cannot print the batch's cover page: \(error); nothing was written")
            return nil
        }
    }
}
