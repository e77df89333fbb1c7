import ArgumentParser
import Foundation
import HandoutKit

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
