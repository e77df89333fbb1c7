import ArgumentParser
import Foundation
import HandoutKit

/// The command line: parses options, calls HandoutKit, prints diagnostics to stderr.
@main
struct Handout: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build printable patient handouts, calendars and a clinic site from Markdown and YAML.",
        subcommands: [Build.self, Check.self, New.self, List.self])
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
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        func url(_ path: String?) -> URL? { path.map { URL(fileURLWithPath: $0, relativeTo: cwd).absoluteURL } }
        return SiteLayout(root: url(root)!, content: url(content), templates: url(templates), plans: url(plans), output: url(output))
    }
}

/// Prints every diagnostic and the summary; exits 1 when any is an error.
func finish(_ diagnostics: Diagnostics, success: String?) throws {
    for diagnostic in diagnostics.all {
        FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
    }
    if diagnostics.hasErrors {
        FileHandle.standardError.write(Data((diagnostics.summary + "\n").utf8))
        throw ExitCode.failure
    }
    if let success { print(success) }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the whole site, or just some patients.")
    @OptionGroup var site: SiteOptions
    @Option(name: .customLong("patient"), help: "Build only this plan id (repeatable).")
    var patients: [String] = []

    func run() throws {
        let diagnostics = Diagnostics()
        let report = BuildPipeline(layout: site.layout, diagnostics: diagnostics).build(patients: patients)
        try finish(diagnostics, success: report.map {
            "Built \($0.patients) patient\($0.patients == 1 ? "" : "s"), \($0.files) files in \(site.layout.display(site.layout.output))"
                + (diagnostics.warningCount > 0 ? " (\(diagnostics.summary))" : "")
        })
    }
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
        print(diagnostics.summary)
    }
}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a new plan file to fill in.")
    @OptionGroup var site: SiteOptions
    @Argument(help: "The plan id, e.g. p-0143 (never the patient's name).")
    var id: String
    @Option(name: .customLong("protocol"), help: "Start from this protocol.")
    var protocolSlug: String?
    @Option(help: "First day of the plan, YYYY-MM-DD (default: next Monday).")
    var start: String?

    func validate() throws {
        guard Slug.isValid(id) else {
            throw ValidationError("'\(id)' is not a valid plan id: use lowercase letters, digits and '-', at most 64 characters")
        }
        if let start, Day(iso: start) == nil {
            throw ValidationError("--start must be a date written YYYY-MM-DD, like 2026-12-07; found '\(start)'")
        }
    }

    func run() throws {
        let diagnostics = Diagnostics()
        let written = NewPlan(layout: site.layout, diagnostics: diagnostics)
            .write(id: id, protocolSlug: protocolSlug, start: start.flatMap(Day.init(iso:)), today: Day.today())
        try finish(diagnostics, success: written.map { "Wrote \(site.layout.display($0)); fill in the patient's name, then run 'handout build'." })
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List exercises, progressions, pages, protocols or plans.")
    @OptionGroup var site: SiteOptions
    @Argument(help: "exercises | progressions | pages | protocols | plans")
    var kind: ContentKind

    func run() throws {
        let diagnostics = Diagnostics()
        let table = ContentListing(layout: site.layout, diagnostics: diagnostics).table(kind)
        try finish(diagnostics, success: nil)
        print(table, terminator: "")
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
