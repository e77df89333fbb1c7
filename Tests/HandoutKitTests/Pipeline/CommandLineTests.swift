import Foundation
import Testing
@testable import HandoutKit

/// Runs the real `handout` binary, as a therapist or CI would.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String

    static let binary: URL = {
        let products = TestSite.repository.appendingPathComponent(".build/debug/handout")
        return products
    }()

    static func handout(_ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil) throws -> Run {
        try command(binary.path, arguments, in: directory, environment: environment)
    }

    /// Any program, run to its end, with what it printed; `environment` replaces ours.
    static func command(_ path: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }
}

@Suite struct CommandLineTests {
    /// No command is a command-line mistake (64), with the help on standard error; asking for
    /// help is not. Weeks a calendar does not have are one too, said with `pdf`'s own usage.
    @Test func noCommandAndWeeksOutOfTheCalendarAreCommandLineMistakes() throws {
        let none = try Run.handout([])
        #expect(none.status == 64 && none.stdout == "" && none.stderr.contains("USAGE: handout <subcommand>"))
        let help = try Run.handout(["--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: handout <subcommand>"))
        let site = try TestSite()
        let weeks = try Run.handout(["pdf", "--patient", "p-0001", "--weeks", "9-10", "--out", site.root.appendingPathComponent("pdf").path], in: site.root)
        #expect(weeks.status == 64)
        #expect(weeks.stderr.hasPrefix("Error: --weeks: weeks 9-10 are not in p-0001's calendar, which has 3 weeks (1-3)\nUsage: handout pdf "))
    }

    @Test func buildSucceeds() throws {
        let site = try TestSite()
        let run = try Run.handout(["build", "--root", site.root.path])
        #expect(run.status == 0)
        #expect(run.stdout.wholeMatch(of: /Built in \d+ ms: rebuilt p-0001; 22 files written to Output\n/) != nil, "\(run.stdout)")
        #expect(run.stderr == "")
    }

    /// `build --patient` answers for the plans asked for: a colleague's unfinished plan is
    /// one line, not a failure; the plan asked for fails on its own errors.
    @Test func aSelectedBuildFailsOnlyOnItsOwnPlansErrors() throws {
        let site = try TestSite()
        try site.write("Content/plans/p-0002.yaml", planWith(["sets: 2": "sets: three"]))
        try site.write("Content/plans/p-0003.yaml", planWith(["weeks: 3": "weeks: many"]))
        let run = try Run.handout(["build", "--patient", "p-0001"], in: site.root)
        #expect(run.status == 0)
        #expect(run.stderr == "2 other plans have errors; run `handout check`\n")
        #expect(run.stdout.hasPrefix("Built in "))
        #expect(site.exists("Output/patients/p-0001/index.html") && !site.exists("Output/patients/p-0002"))
        let own = try Run.handout(["build", "--patient", "p-0002"], in: site.root)
        #expect(own.status == 1)
        #expect(own.stderr == """
        Content/plans/p-0002.yaml:7:11: error: sets must be a whole number from 1 to 100; found 'three'
        1 plan not updated because of errors: p-0002 (published pages left as they were; every other patient was built)
        1 other plan has errors; run `handout check`
        1 error, 0 warnings

        """)
        // A whole build answers for every plan.
        let all = try Run.handout(["build"], in: site.root)
        #expect(all.status == 1 && all.stderr.contains("p-0002.yaml:7:11: error") && all.stderr.contains("p-0003.yaml:4:8: error"))
    }

    @Test func errorsGoToStderrWithSummaryAndExitOne() throws {
        let site = try TestSite()
        try site.write(plan, planWith(["sets: 2": "sets: three", "[pacing]": "[pacng]"]))
        let run = try Run.handout(["build"], in: site.root)
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr == """
        Content/plans/p-0001.yaml:7:11: error: sets must be a whole number from 1 to 100; found 'three'
        Content/plans/p-0001.yaml:8:13: error: unknown education page 'pacng'; did you mean 'pacing'?
        1 plan not updated because of errors: p-0001 (published pages left as they were; every other patient was built)
        2 errors, 0 warnings

        """)
        #expect(!site.exists("Output/patients/p-0001"))
    }

    @Test func checkPrintsSummaryAndWritesNothing() throws {
        let site = try TestSite()
        let run = try Run.handout(["check", "--root", site.root.path])
        #expect(run.status == 0)
        #expect(run.stdout == "0 errors, 0 warnings\n")
        #expect(!site.exists("Output"))
    }

    /// `check` takes build's options: with `--patient`, the content, templates and settings
    /// and only those plans; an id with no plan is an error, as for a build.
    @Test func checkOnlySomePatients() throws {
        let site = try TestSite()
        try site.write("Content/plans/p-0002.yaml", planWith(["sets: 2": "sets: many"]))
        #expect(try Run.handout(["check", "--root", site.root.path, "--patient", "p-0001"]).status == 0)
        let run = try Run.handout(["check", "--root", site.root.path, "--patient", "p-0002", "--patient", "p-0003"])
        #expect(run.status == 1)
        #expect(run.stderr.components(separatedBy: "\n").filter { !$0.isEmpty } == [
            "Content/plans: error: no plan 'p-0003'; did you mean 'p-0001'?",
            "Content/plans/p-0002.yaml:7:11: error: sets must be a whole number from 1 to 100; found 'many'",
            "2 errors, 0 warnings",
        ])
        #expect(try Run.handout(["check", "--root", site.root.path, "--patient", "p-0001", "--unused"]).status == 64)
    }

    @Test func plansFromAnotherFolder() throws {
        let site = try TestSite()
        let plans = site.root.appendingPathComponent("elsewhere")
        try FileManager.default.moveItem(at: site.url("Content/plans"), to: plans)
        try site.write("elsewhere/p-0002.yaml", planWith(["sets: 2": "sets: many"]))
        let run = try Run.handout(["check", "--root", site.root.path, "--plans", plans.path])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("elsewhere/p-0002.yaml:7:11: error: sets must be"))
    }

    @Test func badCommandLineUseExits64() throws {
        #expect(try Run.handout(["frobnicate"]).status == 64)
        #expect(try Run.handout(["build", "--no-such-flag"]).status == 64)
        #expect(try Run.handout(["new", "Jane Doe"]).status == 64)
        #expect(try Run.handout(["new", "p-1", "--start", "2026-13-01"]).status == 64)
        #expect(try Run.handout(["list", "patients"]).status == 64)
    }

    @Test func listAndNew() throws {
        let site = try TestSite()
        let list = try Run.handout(["list", "pages", "--root", site.root.path])
        #expect(list.status == 0)
        #expect(list.stdout == "SLUG    TITLE\npacing  Pacing\nsafety  Safety first\n")
        let new = try Run.handout(["new", "p-0200", "--protocol", "knee-basic", "--start", "2027-01-04", "--root", site.root.path])
        #expect(new.status == 0)
        #expect(new.stdout == "Wrote Content/plans/p-0200.yaml; fill in the patient's name, then run 'handout build'.\n")
        let again = try Run.handout(["new", "p-0200", "--root", site.root.path])
        #expect(again.status == 1)
    }

    /// Plans ending soon, counted from the day given: a plan ends on its calendar's last
    /// day, or on the day it ended.
    @Test func listPlansEndingWithin() throws {
        let site = try TestSite()
        // p-0001: 2026-12-07, 3 weeks, to 2026-12-27. p-0002: the same, ended 2026-12-16.
        try site.write("Content/plans/p-0002.yaml", try site.read(plan) + "ended: 2026-12-16\n")
        let header = "ID      THERAPIST    START       END                 WEEKS\n"
        func list(_ arguments: [String]) throws -> String {
            let run = try Run.handout(["list", "plans", "--root", site.root.path] + arguments)
            #expect(run.status == 0, "\(run.stderr)")
            return run.stdout
        }
        #expect(try list(["--ending-within", "7", "--today", "2026-12-10"]) == header
                + "p-0002  Sam Lee, PT  2026-12-07  2026-12-16 (ended)  3\n")
        #expect(try list(["--ending-within", "14", "--today", "2026-12-14"]) == header
                + "p-0002  Sam Lee, PT  2026-12-07  2026-12-16 (ended)  3\n"
                + "p-0001  Sam Lee, PT  2026-12-07  2026-12-27          3\n")
        #expect(try list(["--ending-within", "7", "--today", "2026-12-20"]).hasSuffix("p-0001  Sam Lee, PT  2026-12-07  2026-12-27  3\n"))
        #expect(try list(["--ending-within", "30", "--today", "2026-12-28"]) == "ID  THERAPIST  START  END  WEEKS\n")
        // Running on a day: an ended plan is not running after it ended.
        #expect(try list(["--active", "2026-12-17"]).contains("p-0001") && !(try list(["--active", "2026-12-17"])).contains("p-0002"))
        #expect(try Run.handout(["list", "exercises", "--ending-within", "7", "--root", site.root.path]).status == 64)
        #expect(try Run.handout(["list", "plans", "--ending-within", "-1", "--root", site.root.path]).status == 64)
        #expect(try Run.handout(["list", "plans", "--ending-within", "7", "--today", "2026-02-30", "--root", site.root.path]).status == 64)
        #expect(try Run.handout(["list", "plans", "--today", "2026-12-01", "--root", site.root.path]).status == 64)
    }

    /// A build killed at any moment leaves either the old output or the new one, never a mix,
    /// and the next build succeeds.
    @Test func killedBuildLeavesPreviousOutputIntact() throws {
        let site = try TestSite()
        let template = try site.read(plan)
        for i in 2...400 {
            try site.write("Content/plans/p-\(i).yaml", template)
        }
        #expect(try Run.handout(["build", "--root", site.root.path]).status == 0)
        let old = try site.outputSnapshot()
        // A change to site settings rebuilds every page, so the whole folder is swapped.
        try site.write("Content/site.yaml", try site.read("Content/site.yaml").replacingOccurrences(of: "555-0100", with: "555-0199"))
        try site.write("Content/plans/p-2.yaml", template.replacingOccurrences(of: "Alex Example", with: "Changed Name"))
        var sawOld = false
        for delay in [0.05, 0.1, 0.2, 0.3, 0.4, 0.6] {
            let process = Process()
            process.executableURL = Run.binary
            process.arguments = ["build", "--root", site.root.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let now = try site.outputSnapshot()
            if now == old {
                sawOld = true
            } else {
                // The swap finished: the output is the complete new site.
                #expect(now.keys.sorted() == old.keys.sorted())
                #expect(String(decoding: now["patients/p-2/index.html"] ?? Data(), as: UTF8.self).contains("Changed Name"))
                #expect(now.allSatisfy { path, data in
                    !path.hasSuffix(".html") || String(decoding: data, as: UTF8.self).contains("555-0199")
                })
                break
            }
        }
        #expect(sawOld)
        #expect(try Run.handout(["build", "--root", site.root.path]).status == 0)
        #expect(try site.read("Output/patients/p-2/index.html").contains("Changed Name"))
    }
}

@Suite struct UnusedContentTests {
    @Test func reportsUnusedContentOnlyWhenAsked() throws {
        let site = try TestSite()
        // A page used only as the pain rule is used.
        try site.write("Content/pages/pain-ok.md", "---\ntitle: Pain\nsummary: Up to 5 is OK.\n---\nSome pain is OK.\n")
        try site.write("Content/plans/p-0001.yaml", "patient: A\nstart: 2026-12-07\nweeks: 1\npain_rule: pain-ok\nexercises:\n  - exercise: bridge\n")
        #expect(try Run.handout(["check", "--root", site.root.path]).stderr == "")
        let run = try Run.handout(["check", "--unused", "--root", site.root.path])
        #expect(run.status == 0)
        #expect(run.stderr == """
        Content/progressions/walk-run.md:1:1: warning: no plan or protocol uses this progression
        Content/protocols/knee-basic.yaml:1:1: warning: no plan or protocol uses this protocol

        """)
        #expect(run.stdout == "0 errors, 2 warnings\n")
    }
}

@Suite struct WatchTests {
    @Test(.timeLimit(.minutes(2))) func rebuildsOnSaveAndSurvivesABrokenFile() throws {
        let site = try TestSite()
        let (process, out, err) = try startWatching(site)
        defer { stopWatching(process) }
        func log(_ file: URL) -> String { String(decoding: FileManager.default.contents(atPath: file.path) ?? Data(), as: UTF8.self) }
        #expect(wait(for: "Watching", in: out, seconds: 20), "\(log(out))")
        let plan = try site.read("Content/plans/p-0001.yaml")

        let saved = Date()
        try site.write("Content/plans/p-0001.yaml", plan.replacingOccurrences(of: "Alex Example", with: "Alex Saved"))
        #expect(wait(for: "rebuilt p-0001; 3 files", in: out, seconds: 5), "\(log(out))")
        #expect(Date().timeIntervalSince(saved) < 2)
        #expect(try site.read("Output/patients/p-0001/index.html").contains("Alex Saved"))
        let good = try site.outputSnapshot()

        try site.write("Content/plans/p-0001.yaml", "patient: [half-saved")
        #expect(wait(for: "Content/plans/p-0001.yaml:1:10: error: the '[' here is never closed", in: err, seconds: 5), "\(log(err))")
        #expect(wait(for: "1 plan not updated because of errors: p-0001", in: err, seconds: 5), "\(log(err))")
        // The patient's pages stay as they were; only the manifest notes the plan must be tried again.
        #expect(try site.publishedSnapshot() == TestSite.withoutRecords(good))

        try site.write("Content/plans/p-0001.yaml", plan)
        #expect(wait(for: "Alex Example", in: site.url("Output/patients/p-0001/index.html"), seconds: 5))
        #expect(process.isRunning)
    }
}
