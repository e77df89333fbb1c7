import Foundation
import Testing
@testable import HandoutKit

/// Issue 22, cases 1–6: inputs lost or the site stuck, as a clinic's IT and a careless user
/// found them. Each ends with the site as a full build of the same inputs would leave it.
@Suite struct LostInputTests {
    func siteWithTwoPatients() throws -> TestSite {
        let site = try TestSite()
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0001.yaml")
            .replacingOccurrences(of: "exercise: bridge", with: "exercise: clamshell"))
        #expect(site.build().report?.patients == 2)
        return site
    }

    func build(_ layout: SiteLayout, prune: Bool = false) -> (report: BuildPipeline.Report?, diagnostics: [String]) {
        let diagnostics = Diagnostics()
        let report = BuildPipeline(layout: layout, diagnostics: diagnostics).build(prune: prune)
        return (report, diagnostics.all.map(\.description))
    }

    /// Every file under `folder`, with its bytes.
    func files(_ folder: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: folder.path) ?? FileManager.DirectoryEnumerator()
        where !FileSystem.isFolder(folder.path + "/" + path) {
            files[path] = FileManager.default.contents(atPath: folder.path + "/" + path)
        }
        return files
    }

    // 1
    @Test func anInputFolderInsideTheOutputIsRefusedBeforeAnythingIsTouched() throws {
        let site = try siteWithTwoPatients()
        try FileManager.default.copyItem(at: site.url("Content/plans"), to: site.url("Output/plans"))
        let before = try site.outputSnapshot()
        var plansInside = site.layout
        plansInside.plans = site.url("Output/plans")
        let refused = build(plansInside)
        #expect(refused.report == nil)
        #expect(refused.diagnostics == [
            "Output: error: the plans folder Output/plans is inside the output folder Output; a build replaces everything in the output folder, "
                + "so it would delete the plans; keep them apart (choose another --output or --plans); nothing was built or removed",
        ])
        #expect(try site.outputSnapshot() == before, "the plans are still there, and every page")

        var contentInside = site.layout
        contentInside.content = site.url("Output")
        #expect(build(contentInside).diagnostics.first?.hasPrefix("Output: error: the content folder Output is inside the output folder Output;") == true)
        var outputInside = site.layout
        outputInside.output = site.url("Content/built")
        #expect(build(outputInside).diagnostics == [
            "Content/built: error: the output folder Content/built is inside the content folder Content; the built pages would be read back as content; "
                + "keep them apart (choose another --output or --content); nothing was built or removed",
        ])
        #expect(!site.exists("Content/built"))
        // Through a link, as the file system finds it: `share/../plans` with `share` a link into Output.
        try FileManager.default.createSymbolicLink(atPath: site.url("share").path, withDestinationPath: site.url("Output/plans/sub").path)
        try FileManager.default.createDirectory(at: site.url("Output/plans/sub"), withIntermediateDirectories: true)
        var linked = site.layout
        linked.plans = SiteLayout.absolute("share/..", in: site.root.path)
        #expect(build(linked).diagnostics.first?.contains("is inside the output folder Output (through links, at \(site.url("Output/plans").path))") == true)
        try FileManager.default.removeItem(at: site.url("Output/plans/sub"))
        #expect(try site.outputSnapshot() == before)
    }

    // 2
    @Test func withoutItsManifestTheRemovalGuardCountsThePatientFoldersOnDisk() throws {
        let site = try siteWithTwoPatients()
        try site.remove("Output/.handout-manifest")
        let before = try site.outputSnapshot()
        try FileManager.default.createDirectory(at: site.url("empty-share"), withIntermediateDirectories: true)
        var empty = site.layout
        empty.plans = site.url("empty-share")
        let refused = build(empty)
        #expect(refused.report == nil)
        #expect(refused.diagnostics == [
            "empty-share: error: this build would remove 2 of 2 published patients (every published patient) because their plan files are gone; "
                + "if that is intended, build again with --prune, otherwise check that the plans folder is complete",
        ])
        #expect(try site.outputSnapshot() == before)
        // A plan with errors keeps its published pages, manifest or not.
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0002.yaml").replacingOccurrences(of: "sets: 2", with: "sets: two"))
        let blocked = site.build()
        #expect(blocked.report?.blocked == ["p-0002"])
        #expect(try site.publishedSnapshot().filter { $0.key.hasPrefix("patients/p-0002/") }
                == before.filter { $0.key.hasPrefix("patients/p-0002/") })
        #expect(try site.read("Output/index.html").contains("patients/p-0002/index.html"), "its row stays in the index")
    }

    // 3
    @Test func aSiteBuiltWithNoPlansBuildsAgain() throws {
        let site = try TestSite()
        try site.remove("Content/plans/p-0001.yaml")
        #expect(site.build().report?.patients == 0)
        #expect(!site.exists("Output/patients"))
        let again = site.build()
        #expect(again.report?.patients == 0)
        #expect(again.diagnostics == [])
        try site.write("Content/plans/p-0001.yaml", try String(contentsOf: TestSite.fixtures.appendingPathComponent("minimal/Content/plans/p-0001.yaml"), encoding: .utf8))
        #expect(site.build().report?.rendered == ["p-0001"])
        #expect(site.exists("Output/patients/p-0001/index.html"))
    }

    // 4
    @Test(.timeLimit(.minutes(2))) func incrementalBuildsWorkWhereFoldersCannotBeExchangedNorFilesLinked() throws {
        let site = try siteWithTwoPatients()
        // Built by the binary itself: a build by another program (this test) is not reused.
        #expect(try Run.handout(["build", "--root", site.root.path]).status == 0)
        let shim = try Self.refuseExchangeShim(in: site.url("shim"))
        let log = site.url("shim/refused.log")
        var environment = ProcessInfo.processInfo.environment
        environment["LD_PRELOAD"] = shim.path
        environment["HANDOUT_SHIM_LOG"] = log.path
        func handout(_ arguments: [String]) throws -> Run {
            try Run.handout(["build", "--root", site.root.path] + arguments, environment: environment)
        }
        // A changed patient (its folder exchanged) and a changed library page (a file replaced).
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml").replacingOccurrences(of: "Go slowly.", with: "Go slower."))
        try site.write("Content/exercises/clamshell.md", try site.read("Content/exercises/clamshell.md") + "\nBreathe out.\n")
        let run = try handout([])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("rebuilt p-0001, p-0002"))
        #expect(!run.stderr.contains("system error"))
        let refused = try String(contentsOf: log, encoding: .utf8)
        #expect(refused.contains("renameat2") && refused.contains("link"), "the shim refused both: \(refused)")
        #expect(try site.read("Output/patients/p-0001/index.html").contains("Go slower."))
        // A full build through the same file system, and one on a normal one, write the same pages.
        let full = try Run.handout(["build", "--root", site.root.path, "--output", site.url("full").path], environment: environment)
        #expect(full.status == 0)
        #expect(TestSite.withoutRecords(files(site.url("full"))) == (try site.publishedSnapshot()))
        #expect(!site.exists(".Output.handout-staging"), "nothing left beside the site")
    }

    /// The LD_PRELOAD library of `Tests/Incremental/refuse_exchange.c`, compiled into `folder`.
    static func refuseExchangeShim(in folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let library = folder.appendingPathComponent("refuse_exchange.so")
        let source = TestSite.repository.appendingPathComponent("Tests/Incremental/refuse_exchange.c")
        let compiled = try Run.command("/usr/bin/cc", ["-shared", "-fPIC", "-o", library.path, source.path])
        #expect(compiled.status == 0, "\(compiled.stderr)")
        return library
    }

    @Test func aFolderSetAsideByAKilledUpdateIsPutBack() throws {
        let site = try siteWithTwoPatients()
        let published = try site.publishedSnapshot()
        // As a build killed between moving p-0001's folder aside and moving the new one in leaves it.
        try FileManager.default.createDirectory(at: site.url(".Output.handout-staging"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: site.url("Output/patients/p-0001"), to: site.url(".Output.handout-staging/previous-patient-p-0001"))
        try site.remove("Output/.handout-manifest")
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml").replacingOccurrences(of: "sets: 2", with: "sets: two"))
        #expect(site.build().report?.blocked == ["p-0001"])
        #expect(try site.publishedSnapshot().filter { $0.key.hasPrefix("patients/p-0001/") }
                == published.filter { $0.key.hasPrefix("patients/p-0001/") }, "its pages are published again")
    }

    // 5
    @Test func missingOrUnreadableAssetsStopTheBuildAndKeepThePublishedOnes() throws {
        let site = try siteWithTwoPatients()
        let before = try site.outputSnapshot()
        try FileManager.default.moveItem(at: site.url("Templates/assets"), to: site.url("assets-elsewhere"))
        let missing = site.build()
        #expect(missing.report == nil)
        #expect(missing.diagnostics == [
            "Templates/assets: error: the assets folder is missing; every page links its stylesheet and the index its script (filter.js, site.css), so nothing was built",
        ])
        #expect(try site.outputSnapshot() == before)
        try FileManager.default.moveItem(at: site.url("assets-elsewhere"), to: site.url("Templates/assets"))
        try site.remove("Templates/assets/filter.js")
        #expect(site.build().diagnostics == [
            "Templates/assets/filter.js: error: missing filter.js: the pages link assets/filter.js, so it must be here (copy it from Handout's own Templates/assets)",
        ])
        #expect(site.exists("Output/assets/site.css") && site.exists("Output/assets/filter.js"))
        #expect(try site.outputSnapshot() == before)
    }

    // 6
    @Test func aDamagedOutputIsRepaired() throws {
        let site = try siteWithTwoPatients()
        let published = try site.publishedSnapshot()
        try site.remove("Output/patients/p-0001/calendar.html")
        try site.write("Output/patients/p-0002/index.html", "<p>overwritten</p>")
        try site.write("Output/patients/p-0002/extra.html", "<p>added by hand</p>")
        try site.write("Output/exercises/bridge.html", "<p>overwritten</p>")
        try site.remove("Output/assets/site.css")
        try site.remove("Output/index.html")
        let repaired = site.build()
        #expect(repaired.report?.rendered == ["p-0001", "p-0002"])
        #expect(try site.publishedSnapshot() == published)
        #expect(site.build().report?.files == 0, "and then nothing is left to do")

        // --verify renders everything and writes only what differs, even a file whose size,
        // times and inode are as recorded (as when a backup tool restores them).
        let page = site.url("Output/exercises/clamshell.html")
        let record = try FileManager.default.attributesOfItem(atPath: page.path)
        let bytes = try Data(contentsOf: page)
        var damaged = bytes
        damaged[damaged.count - 2] = UInt8(ascii: "!")
        let handle = try FileHandle(forWritingTo: page)
        try handle.write(contentsOf: damaged)
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: record[.modificationDate]!], ofItemAtPath: page.path)
        let diagnostics = Diagnostics()
        let verified = BuildPipeline(layout: site.layout, diagnostics: diagnostics).build(verify: true)
        #expect(verified?.rendered == ["p-0001", "p-0002"])
        #expect(verified?.files == 1)
        #expect(try site.publishedSnapshot() == published)
    }
}
