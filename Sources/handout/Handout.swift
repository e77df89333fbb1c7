import ArgumentParser
import Foundation
import HandoutKit

/// The command line: parses options, calls HandoutKit, prints diagnostics to stderr. Each
/// command is in `Commands/`.
@main
struct Handout: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build printable patient handouts, calendars and a clinic site from Markdown and YAML.",
        subcommands: [Build.self, Check.self, New.self, List.self, Schema.self, PDF.self, Serve.self])

    /// No command given: the help, on standard error, and the status of a command-line mistake.
    func run() throws {
        FileHandle.standardError.write(Data((Self.helpMessage() + "\n").utf8))
        throw ExitCode(64)
    }
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

/// A line on standard error.
func warn(_ line: String) {
    FileHandle.standardError.write(Data(("warning: " + line + "\n").utf8))
}

extension ContentKind: ExpressibleByArgument {}

extension Day {
    /// The one place the clock is read; the library takes dates as arguments.
    static func today() -> Day {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return Day(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}
