import Foundation
import Testing
@testable import HandoutKit

@Suite struct OutputFolderTests {
    @Test func refusesAFolderHandoutDidNotWrite() throws {
        let site = try TestSite()
        try site.write("Output/thesis.docx", "precious")
        let result = site.build()
        #expect(result.report == nil)
        #expect(result.diagnostics == [
            "Output: error: refusing to write to Output: it holds files Handout did not write (such as 'thesis.docx'); use an empty folder or a folder Handout built",
        ])
        #expect(try site.read("Output/thesis.docx") == "precious")
        #expect(!site.exists("Output/index.html"))
    }

    /// Issue 22, case 15: `Output -> /etc` was refused only after `/.etc.handout-lock` was made.
    @Test func aLinkToAFolderThatIsNotHandoutsLeavesNothingBesideIt() throws {
        let site = try TestSite()
        try site.write("system/config/passwd", "root:x:0:0")
        try FileManager.default.createSymbolicLink(atPath: site.url("Output").path, withDestinationPath: site.url("system/config").path)
        let result = site.build()
        #expect(result.diagnostics == [
            "Output: error: refusing to write to Output: it holds files Handout did not write (such as 'passwd'); use an empty folder or a folder Handout built",
        ])
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.url("system").path) == ["config"], "no lock file, no staging folder")
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.url("system/config").path) == ["passwd"])
    }

    @Test func writesIntoAnEmptyOrMarkedFolder() throws {
        let site = try TestSite()
        try FileManager.default.createDirectory(at: site.url("Output"), withIntermediateDirectories: true)
        #expect(site.build().report != nil)
        #expect(site.exists("Output/.handout-output"))
        #expect(site.build().report != nil)
    }

    @Test func failedBuildLeavesThePreviousOutputAsItWas() throws {
        let site = try TestSite()
        #expect(site.build().report != nil)
        let before = try site.outputSnapshot()
        let bridge = try site.read("Content/exercises/bridge.md")
        try site.write("Content/exercises/bridge.md", "---\ntitle: [broken\n---\n")
        #expect(site.build().report == nil)
        #expect(try site.outputSnapshot() == before)
        // A broken plan keeps its published pages; only the manifest notes it must be tried again.
        try site.write("Content/exercises/bridge.md", bridge)
        try site.write("Content/plans/p-0001.yaml", "patient: [broken\n")
        #expect(site.build().report?.blocked == ["p-0001"])
        #expect(try site.publishedSnapshot() == TestSite.withoutRecords(before))
        #expect(!site.exists(".Output.handout-staging"))
    }

    @Test func sameInputsGiveByteIdenticalOutput() throws {
        let site = try TestSite()
        #expect(site.build().report != nil)
        let first = try site.outputSnapshot()
        #expect(site.build().report != nil)
        #expect(try site.publishedSnapshot() == TestSite.withoutRecords(first))
        #expect(first.keys.sorted() == [
            ".handout-index-rows", ".handout-manifest", ".handout-output", ".handout-stat-index", "assets/filter.js", "assets/images/bridge.svg", "assets/images/clamshell.svg",
            "assets/print-en.css", "assets/print-en.large.css", "assets/print-es.css", "assets/print-es.large.css",
            "assets/print-zh-hans.css", "assets/print-zh-hans.large.css", "assets/site.css",
            "exercises/bridge.html", "exercises/clamshell.html", "exercises/index.html", "index.html",
            "pages/pacing.html", "pages/safety.html",
            "patients/p-0001/calendar.html", "patients/p-0001/calendar.ics", "patients/p-0001/index.html",
            "progressions/walk-run.html", "schema/plan.schema.json", "schema/protocol.schema.json",
        ])
    }

    /// Patients rendered on every core, sharing rendered cards and calendar items, give the
    /// same bytes as patients rendered one by one.
    @Test func parallelBuildEqualsSerialBuild() throws {
        let site = try TestSite()
        let plan = try site.read("Content/plans/p-0001.yaml")
        for n in 2...24 {
            var variant = plan.replacingOccurrences(of: "weeks: 3", with: "weeks: \(2 + n % 4)")
            if n % 3 == 0 { variant = variant.replacingOccurrences(of: "exercise: bridge", with: "exercise: clamshell") }
            if n % 2 == 0 { variant = variant.replacingOccurrences(of: "    note: Go slowly.\n", with: "") }
            try site.write("Content/plans/p-\(1000 + n).yaml", variant)
        }
        #expect(site.build(parallel: false).report?.patients == 24)
        let serial = try site.publishedSnapshot()
        try site.remove("Output")
        #expect(site.build(parallel: true).report?.patients == 24)
        #expect(try site.publishedSnapshot() == serial)
    }

    @Test func removedPlanDisappearsFromOutput() throws {
        let site = try TestSite()
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0001.yaml"))
        #expect(site.build().report != nil)
        #expect(site.exists("Output/patients/p-0002/index.html"))
        try site.remove("Content/plans/p-0002.yaml")
        #expect(site.build().report != nil)
        #expect(!site.exists("Output/patients/p-0002"))
    }

    @Test func buildingOnePatientKeepsTheOthersUntouched() throws {
        let site = try TestSite()
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0001.yaml"))
        #expect(site.build().report != nil)
        let before = try site.publishedSnapshot()
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml").replacingOccurrences(of: "Alex Example", with: "Alex Changed"))
        let result = site.build(patients: ["p-0001"])
        #expect(result.report?.patients == 1)
        let after = try site.publishedSnapshot()
        #expect(after["patients/p-0002/index.html"] == before["patients/p-0002/index.html"])
        #expect(after["exercises/bridge.html"] == before["exercises/bridge.html"])
        #expect(String(decoding: after["patients/p-0001/index.html"]!, as: UTF8.self).contains("Alex Changed"))
        // The untouched files share storage with the previous build instead of being copied.
        #expect(after.keys.sorted() == before.keys.sorted())
    }

    @Test func unknownPatientIsAnError() throws {
        let site = try TestSite()
        #expect(site.build(patients: ["p-001"]).diagnostics == [
            "Content/plans: error: no plan 'p-001'; did you mean 'p-0001'?",
        ])
    }

    @Test func secondConcurrentBuildStopsWithAClearMessage() throws {
        let site = try TestSite()
        let output = OutputFolder(url: site.url("Output"))
        try output.withLock {
            _ = #expect(throws: OutputFolder.Problem.self) { try output.withLock {} }
        }
    }

    @Test func interruptedSwapIsRecovered() throws {
        let site = try TestSite()
        #expect(site.build().report != nil)
        let before = try site.outputSnapshot()
        // A build killed between its two renames leaves the old output beside the folder.
        try FileManager.default.moveItem(at: site.url("Output"), to: site.url(".Output.handout-previous"))
        OutputFolder(url: site.url("Output")).recoverInterruptedSwap()
        #expect(try site.outputSnapshot() == before)
    }
}
