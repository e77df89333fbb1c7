import ArgumentParser
import Foundation
import HandoutKit

struct PDF: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pdf",
        abstract: "Build patients, then print their handouts and calendars to PDF with headless Chromium.",
        discussion: """
        --patient ID ... --out DIR writes DIR/ID-handout.pdf and DIR/ID-calendar.pdf for each patient; \
        --only handout or --only calendar writes one of them. --weeks 3-4 (or one week, --weeks 3), or \
        --from DATE --to DATE, writes only the calendar pages holding those weeks, as they print in the whole \
        calendar (same "Page N of M"), to DIR/ID-calendar-weeks-3-4.pdf, named by the weeks those pages hold.

        --active [DATE] --out FILE writes one file with every plan running on DATE (default: today), \
        by plan id, each handout and calendar padded to an even page count for double-sided printing.

        --changed-since last|DATE --out FILE writes the day's batch: a cover page, then the plans that are new \
        or whose printed pages changed since the last batch (or the last one on or before DATE), and those \
        starting today (--today DATE, default: the clock's). Batches are recorded in FILE's folder, in \
        .handout-batches.

        PDFs carry patients' names: --out must be outside the output folder.
        """)
    @OptionGroup var site: SiteOptions
    @Option(name: .customLong("patient"), help: "Print this plan id's handout and calendar (repeatable).")
    var patients: [String] = []
    @Flag(help: "Print every plan running on DATE (default: today) into one file.")
    var active = false
    @Argument(help: ArgumentHelp("With --active: the day, YYYY-MM-DD.", valueName: "DATE"))
    var date: String?
    @Option(name: .customLong("changed-since"), help: ArgumentHelp(
        "Print the day's batch: plans new or changed since the last batch, or the last one on or before DATE, and plans starting today.",
        valueName: "last|DATE"))
    var changedSince: String?
    @Option(help: ArgumentHelp("With --changed-since: the batch's day (default: today).", valueName: "DATE"))
    var today: String?
    @Option(help: ArgumentHelp("With --patient: only the calendar pages holding these weeks, like 3 or 3-4.", valueName: "N|N-M"))
    var weeks: String?
    @Option(help: ArgumentHelp("With --patient and --to: only the calendar pages holding the weeks from this day.", valueName: "DATE"))
    var from: String?
    @Option(help: ArgumentHelp("With --patient and --from: only the calendar pages holding the weeks to this day.", valueName: "DATE"))
    var to: String?
    @Option(help: ArgumentHelp("With --patient: print only the handout or only the calendar.", valueName: "handout|calendar"))
    var only: String?
    @Option(help: ArgumentHelp("With --patient: the folder for the PDFs; with --active or --changed-since: the PDF file.", valueName: "DIR|FILE"))
    var out: String

    /// Where the PDFs go, with links followed: checked and written as the same path.
    var outURL: URL { PDFExport.resolved(SiteLayout.absolute(out, in: FileManager.default.currentDirectoryPath)) }

    /// One file for a day (--active, --changed-since); else a folder of PDFs per patient.
    var oneFile: Bool { active || changedSince != nil }

    /// A date option's day, or its refusal in words.
    static func day(_ text: String, option: String) throws -> Day {
        guard let day = Day(iso: text) else {
            throw ValidationError(Day.impossibility(iso: text).map { "\(option)\(text) is not a real date: \($0)" }
                                  ?? "\(option.isEmpty ? "the date" : option.trimmingCharacters(in: .whitespaces)) must be written YYYY-MM-DD, like 2026-12-07; found '\(text)'")
        }
        return day
    }

    /// The weeks asked for, checked as far as the command line can: --weeks, or --from and --to.
    var weekChoice: WeekChoice? {
        get throws {
            if let weeks { return try WeekChoice.parse(weeks: weeks).mapError { ValidationError($0.description) }.get() }
            guard let from, let to else { return nil }
            return try WeekChoice.dates(from: Self.day(from, option: "--from "), to: Self.day(to, option: "--to "))
                .mapError { ValidationError($0.description) }.get()
        }
    }

    func validate() throws {
        let ways = [!patients.isEmpty, active, changedSince != nil].filter { $0 }.count
        if ways == 0 {
            throw ValidationError("say whom to print: --patient ID (repeatable), --active [DATE] for every plan running that day, "
                                  + "or --changed-since last for the day's batch")
        }
        if ways > 1 {
            throw ValidationError("use one of --patient, --active or --changed-since: --patient writes each patient's own PDFs, "
                                  + "--active one file for a day, --changed-since the day's batch of new and changed plans")
        }
        if date != nil, !active {
            throw ValidationError("a date goes only with --active, like 'handout pdf --active 2026-12-07 --out day.pdf'")
        }
        if let date { _ = try Self.day(date, option: "") }
        if let changedSince, changedSince != "last" {
            guard Day(iso: changedSince) != nil else {
                throw ValidationError("--changed-since takes 'last' (since the last batch) or a date written YYYY-MM-DD, like 2026-12-07; found '\(changedSince)'")
            }
        }
        if today != nil, changedSince == nil {
            throw ValidationError("--today goes only with --changed-since: it sets the day of the batch")
        }
        let batchDay = try today.map { try Self.day($0, option: "--today ") }
        if let day = batchDay, let since = changedSince.flatMap(Day.init(iso:)) {
            if since > day { throw ValidationError("--changed-since \(since.iso) is after the batch's day, \(day.iso); give an earlier date or 'last'") }
        }
        for (option, value) in [("--weeks", weeks), ("--from", from), ("--to", to), ("--only", only)] where value != nil && patients.isEmpty {
            throw ValidationError("\(option) goes only with --patient: it chooses what to print of each patient")
        }
        if let only, !PDFExport.documents.map(\.name).contains(only) {
            throw ValidationError("--only takes handout or calendar; found '\(only)'")
        }
        if weeks != nil, from != nil || to != nil {
            throw ValidationError("use --weeks or --from and --to, not both: each chooses the calendar weeks to print")
        }
        if (from == nil) != (to == nil) {
            throw ValidationError("--from and --to go together, like --from 2026-12-21 --to 2027-01-03")
        }
        if try weekChoice != nil, only == "handout" {
            throw ValidationError(weeks != nil ? "--weeks chooses pages of the calendar; it cannot go with --only handout"
                                                : "--from and --to choose pages of the calendar; they cannot go with --only handout")
        }
        if let refusal = PDFExport(layout: site.layout, diagnostics: Diagnostics()).refusal(out: outURL) {
            throw ValidationError(refusal)
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: outURL.path, isDirectory: &isFolder) {
            if oneFile, isFolder.boolValue {
                throw ValidationError("--out \(out) is a folder; \(active ? "--active" : "--changed-since") writes one file: give its name, like --out \(out)/day.pdf")
            }
            if !oneFile, !isFolder.boolValue {
                throw ValidationError("--out \(out) is a file; --patient writes two PDFs for each patient into a folder: give a folder")
            }
        }
    }

    func run() throws {
        let diagnostics = Diagnostics()
        let export = PDFExport(layout: site.layout, diagnostics: diagnostics)
        var seen = Set<String>()
        let ids = patients.filter { seen.insert($0).inserted }
        // Weeks outside a patient's calendar are a command-line mistake, found before anything is built.
        // Said with this command's usage, as the parser says its own mistakes (exit status 64).
        var weekRanges: [String: ClosedRange<Int>] = [:]
        if let choice = try weekChoice {
            switch export.weeks(choice, of: ids) {
            case .success(let ranges): weekRanges = ranges
            case .failure(let refusal):
                FileHandle.standardError.write(Data(("Error: \(refusal.description)\nUsage: \(Handout.usageString(for: PDF.self))\n"
                                                     + "  See 'handout pdf --help' for more information.\n").utf8))
                throw ExitCode(64)
            }
        }
        let chromium: URL
        do {
            chromium = try Chromium.find()
        } catch {
            export.error(error.description)
            try finish(diagnostics, success: nil)
            return
        }
        let progress = { (line: String) in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        let started = Date()
        func seconds() -> String { String(format: "%.1f s", Date().timeIntervalSince(started)) }
        if let changedSince {
            let day = today.flatMap(Day.init(iso:)) ?? Day.today()
            let since: PDFExport.Since = Day(iso: changedSince).map { .day($0) } ?? .lastBatch
            let batch = export.writeBatch(since: since, today: day, now: Date(), to: outURL, chromium: chromium, progress: progress)
            try finish(diagnostics, blocked: batch.flatMap { BuildPipeline.Report.othersLine($0.printed.othersWithErrors) }, success: batch.map { batch in
                let compared = batch.since.map { "since the batch of \($0.day.iso)" } ?? "with no earlier batch recorded"
                guard !batch.chosen.isEmpty else {
                    return "Nothing to print on \(day.iso): no plan is new, changed or starting (compared \(compared)); no file was written"
                }
                let count = batch.chosen.count
                let why = BatchReason.allCases.compactMap { reason -> String? in
                    let n = batch.chosen.filter { $0.reasons.contains(reason) }.count
                    return n == 0 ? nil : "\(n) \(reason.rawValue)"
                }.joined(separator: ", ")
                return "Wrote \(out): \(count) patient\(count == 1 ? "" : "s") (\(why); compared \(compared)), "
                    + "\(batch.printed.pages) pages with the cover, in \(seconds())"
            })
        } else if active {
            let day = date.flatMap(Day.init(iso:)) ?? Day.today()
            let printed = export.writeDay(day, to: outURL, chromium: chromium, progress: progress)
            try finish(diagnostics, success: printed.map { printed in
                "Wrote \(out): \(printed.patients.count) patient\(printed.patients.count == 1 ? "" : "s") running on \(day.iso), "
                    + "\(printed.pages) pages, in \(seconds())"
            })
        } else {
            let printed = export.writeEach(ids, into: outURL, only: only, weeks: weekRanges, chromium: chromium, progress: progress)
            try finish(diagnostics, blocked: printed.flatMap { BuildPipeline.Report.othersLine($0.othersWithErrors) }, success: printed.map { printed in
                "Wrote \(printed.files.count) PDF\(printed.files.count == 1 ? "" : "s") (\(printed.pages) pages) for \(printed.patients.joined(separator: ", ")) "
                    + "to \(out) in \(seconds())"
            })
        }
    }
}
