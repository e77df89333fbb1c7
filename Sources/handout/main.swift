import ArgumentParser
import Foundation
import HandoutKit
import HandoutServe

/// The command line: parses options, calls HandoutKit, prints diagnostics to stderr.
@main
struct Handout: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build printable patient handouts, calendars and a clinic site from Markdown and YAML.",
        subcommands: [Build.self, Check.self, New.self, List.self, Schema.self, PDF.self, Serve.self])
}

struct SiteOptions: ParsableArguments {
    @Option(help: "The site folder (holds Content/, Templates/, Output/).")
    var root: String = "."
    @Option(help: "Content folder (default: ROOT/Content).")
    var content: String?
    @Option(help: "Templates folder (default: ROOT/Templates).")
    var templates: String?
    @Option(help: "Plans folder, e.g. outside the repository (default: CONTENT/plans).")
    var plans: String?
    @Option(help: "Output folder (default: ROOT/Output).")
    var output: String?

    var layout: SiteLayout {
        // Joined as text: URL's own joining would drop `..` before links are followed.
        func url(_ path: String?) -> URL? { path.map { SiteLayout.absolute($0, in: FileManager.default.currentDirectoryPath) } }
        return SiteLayout(root: url(root)!, content: url(content), templates: url(templates), plans: url(plans), output: url(output))
    }
}

/// Prints every diagnostic and the summary; exits 1 when any is an error.
func finish(_ diagnostics: Diagnostics, blocked: String? = nil, success: String?) throws {
    for diagnostic in diagnostics.all {
        FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
    }
    if let blocked { FileHandle.standardError.write(Data((blocked + "\n").utf8)) }
    if diagnostics.hasErrors {
        FileHandle.standardError.write(Data((diagnostics.summary + "\n").utf8))
        throw ExitCode.failure
    }
    if let success { say(success) }
}

/// Standard output, unbuffered, so a watching build's reports reach a log or pipe at once.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the whole site, or just some patients.")
    @OptionGroup var site: SiteOptions
    @Option(name: .customLong("patient"), help: "Build only this plan id (repeatable).")
    var patients: [String] = []
    @Flag(help: "Keep running and rebuild what changed whenever a file is saved.")
    var watch = false
    @Flag(help: "Allow a build that removes every published patient, or more than half of them.")
    var prune = false
    @Flag(help: "Render every page again and compare it with what is published, writing back any that differ.")
    var verify = false

    func run() throws {
        guard watch else {
            if buildOnce() != .built { throw ExitCode.failure }
            return
        }
        let watcher = Watcher(layout: site.layout)
        var last = watcher.snapshot()
        var outcome = buildOnce()
        say("Watching \(site.layout.display(site.layout.content)), \(site.layout.display(site.layout.templates)) and \(site.layout.display(site.layout.plans)); press Ctrl-C to stop.")
        var reported: [String] = []
        var retryIn: TimeInterval = 1
        while true {
            let unwatchable = watcher.unwatchable()
            if unwatchable != reported {
                for line in unwatchable { warn("cannot watch \(line); changes there are noticed once it can be read again") }
                reported = unwatchable
            }
            // A build that could not write (another build held the lock, the disk was full)
            // is tried again, more slowly each time; a build with errors waits for a change.
            if outcome == .couldNotWrite {
                if let changed = watcher.waitForChange(since: last, timeout: retryIn) { last = changed }
                retryIn = min(retryIn * 2, 30)
            } else {
                last = watcher.waitForChange(since: last)!
                retryIn = 1
            }
            outcome = buildOnce()
        }
    }

    enum Outcome { case built, hadErrors, couldNotWrite }

    /// One build, reported; the outcome says whether trying again without a change may help.
    private func buildOnce() -> Outcome {
        let diagnostics = Diagnostics()
        let started = Date()
        let result = BuildPipeline(layout: site.layout, diagnostics: diagnostics).buildReportingFailure(patients: patients, prune: prune, verify: verify)
        let report = try? result.get()
        try? finish(diagnostics, blocked: report?.blockedSummary, success: report.map { report in
            let milliseconds = Int(Date().timeIntervalSince(started) * 1000)
            if verify {
                return "Verified in \(milliseconds) ms: every page rendered again and compared with \(site.layout.display(site.layout.output)); "
                    + "\(report.files) file\(report.files == 1 ? "" : "s") differed and \(report.files == 1 ? "was" : "were") written again"
                    + (diagnostics.warningCount > 0 ? " (\(diagnostics.summary))" : "")
            }
            let rebuilt = report.rendered.isEmpty ? "no patient changed"
                : report.rendered.count <= 5 ? "rebuilt " + report.rendered.sorted().joined(separator: ", ")
                : "rebuilt \(report.rendered.count) patients"
            return "Built in \(milliseconds) ms: \(rebuilt); \(report.files) file\(report.files == 1 ? "" : "s") written to \(site.layout.display(site.layout.output))"
                + (diagnostics.warningCount > 0 ? " (\(diagnostics.summary))" : "")
        })
        if case .failure(.output) = result { return .couldNotWrite }
        return diagnostics.hasErrors ? .hadErrors : .built
    }
}

/// A line on standard error.
func warn(_ line: String) {
    FileHandle.standardError.write(Data(("warning: " + line + "\n").utf8))
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check content, templates and plans without writing anything.")
    @OptionGroup var site: SiteOptions
    @Flag(help: "Also warn about exercises, programs, pages and protocols that nothing uses.")
    var unused = false

    func run() throws {
        let diagnostics = Diagnostics()
        _ = BuildPipeline(layout: site.layout, diagnostics: diagnostics).check(reportUnused: unused)
        try finish(diagnostics, success: nil)
        say(diagnostics.summary)
    }
}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a new plan file to fill in.")
    @OptionGroup var site: SiteOptions
    @Argument(help: "The plan id, e.g. p-0143 (never the patient's name).")
    var id: String
    @Option(name: .customLong("protocol"), help: "Start from this protocol.")
    var protocolSlug: String?
    @Option(name: .customLong("from"), help: ArgumentHelp("Start from a copy of this plan (never its patient's name).", valueName: "PLAN-ID"))
    var original: String?
    @Option(help: "First day of the plan, YYYY-MM-DD (default: next Monday).")
    var start: String?

    func validate() throws {
        guard Slug.isValid(id) else {
            throw ValidationError("'\(id)' is not a valid plan id: use lowercase letters, digits and '-', at most 64 characters")
        }
        if protocolSlug != nil, original != nil {
            throw ValidationError("use --protocol or --from, not both: a copied plan keeps its own protocol")
        }
        if let start {
            guard let day = Day(iso: start) else {
                throw ValidationError(Day.impossibility(iso: start).map { "--start \(start) is not a real date: \($0)" }
                                      ?? "--start must be a date written YYYY-MM-DD, like 2026-12-07; found '\(start)'")
            }
            if !Day.clinicYears.contains(day.components.year) {
                throw ValidationError(Day.outOfRange("--start", found: "'\(start)'"))
            }
        }
    }

    func run() throws {
        let diagnostics = Diagnostics()
        let written = NewPlan(layout: site.layout, diagnostics: diagnostics)
            .write(id: id, protocolSlug: protocolSlug, copying: original, start: start.flatMap(Day.init(iso:)), today: Day.today())
        try finish(diagnostics, success: written.map { "Wrote \(site.layout.display($0)); fill in the patient's name, then run 'handout build'." })
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List exercises, progressions, pages, protocols or plans.")
    @OptionGroup var site: SiteOptions
    @Argument(help: "exercises | progressions | pages | protocols | plans")
    var kind: ContentKind
    @Flag(help: "With plans: only plans running on DATE (default: today), from their start to their last day.")
    var active = false
    @Argument(help: ArgumentHelp("With --active: the day, YYYY-MM-DD.", valueName: "DATE"))
    var date: String?
    @Option(help: ArgumentHelp("With plans: only plans whose last day (or the day they ended) is from today to N days on.", valueName: "N"))
    var endingWithin: Int?
    @Option(help: ArgumentHelp("The day to count from instead of today, YYYY-MM-DD (for --active without a date and --ending-within).",
                               valueName: "DATE"))
    var today: String?

    func validate() throws {
        if date != nil, !active || kind != .plans {
            throw ValidationError("a date goes only with 'list plans --active', like 'handout list plans --active 2026-12-07'")
        }
        if active, kind != .plans {
            throw ValidationError("--active goes only with 'list plans'")
        }
        if endingWithin != nil, kind != .plans {
            throw ValidationError("--ending-within goes only with 'list plans', like 'handout list plans --ending-within 7'")
        }
        if let endingWithin, !(0...366).contains(endingWithin) {
            throw ValidationError("--ending-within takes a number of days from 0 to 366, like --ending-within 7; found \(endingWithin)")
        }
        if today != nil, endingWithin == nil, !active {
            throw ValidationError("--today goes only with 'list plans --ending-within N' or '--active'")
        }
        for text in [date, today].compactMap({ $0 }) where Day(iso: text) == nil {
            throw ValidationError(Day.impossibility(iso: text).map { "\(text) is not a real date: \($0)" }
                                  ?? "the date must be written YYYY-MM-DD, like 2026-12-07; found '\(text)'")
        }
    }

    func run() throws {
        let diagnostics = Diagnostics()
        // The clock is read here, once, and passed in.
        let today = today.flatMap(Day.init(iso:)) ?? Day.today()
        let activeOn = active ? date.flatMap(Day.init(iso:)) ?? today : nil
        let table = ContentListing(layout: site.layout, diagnostics: diagnostics)
            .table(kind, activeOn: activeOn, endingWithin: endingWithin.map { .init(days: $0, today: today) })
        try finish(diagnostics, success: nil)
        print(table, terminator: "")
    }
}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the JSON Schemas for plans and protocols to OUTPUT/schema/, for editors (every build writes them too).")
    @OptionGroup var site: SiteOptions

    func run() throws {
        let diagnostics = Diagnostics()
        let written = SchemaExport(layout: site.layout, diagnostics: diagnostics).write()
        try finish(diagnostics, success: written.map { "Wrote " + $0.map { site.layout.display($0) }.joined(separator: " and ") })
    }
}

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
        let weekRanges = try weekChoice.map { try export.weeks($0, of: ids).mapError { ValidationError($0.description) }.get() } ?? [:]
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

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview the site with reload on save, and write plans in the plan editor.",
        discussion: """
        Builds the site, serves OUTPUT at http://127.0.0.1:8080/ with a script that reloads every open page \
        whose files a save changed, and rebuilds on every save in Content, Templates and the plans folder. \
        The plan editor is at /_handout/editor/. A plan with errors shows them in place of its pages.

        It answers only on this machine unless --host says otherwise; behind a clinic's sign-in, \
        give the address people use with --origin (docs/HOSTING.md).
        """)
    @OptionGroup var site: SiteOptions
    @Option(help: "The port to listen on (0: any free port).")
    var port: UInt16 = 8080
    @Option(help: "The IP address to listen on: 127.0.0.1 (this machine only) unless a proxy with the clinic's sign-in is in front.")
    var host: String = "127.0.0.1"
    @Option(name: .customLong("origin"), help: ArgumentHelp("The address a proxy serves this under, like https://intranet.example.org (repeatable).", valueName: "URL"))
    var origins: [String] = []

    func validate() throws {
        if let problem = ServeOptions.problem(host: host) { throw ValidationError(problem) }
        for origin in origins where URL(string: origin)?.host == nil || !["http", "https"].contains(URL(string: origin)?.scheme ?? "") {
            throw ValidationError("--origin \(origin) is not a web address; write it as the browser shows it, like https://intranet.example.org")
        }
    }

    func run() throws {
        let options = ServeOptions(layout: site.layout, host: host, port: port, origins: origins)
        do {
            try PreviewServer.run(options, today: { Day.today() }, say: say,
                                  complain: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        } catch let failure as ServeFailure {
            FileHandle.standardError.write(Data(("error: \(failure.description)\n").utf8))
            throw ExitCode.failure
        }
    }
}

extension ContentKind: ExpressibleByArgument {}

extension Day {
    /// The one place the clock is read; the library takes dates as arguments.
    static func today() -> Day {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return Day(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}
