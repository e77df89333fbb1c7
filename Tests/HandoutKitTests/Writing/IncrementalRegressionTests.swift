import Foundation
import Testing
@testable import HandoutKit

/// The twelve ways incremental builds published wrong output (issue 11), one test each.
/// Every test ends by comparing with a full build of the same inputs into an empty folder.
@Suite struct IncrementalRegressionTests {
    func siteWithTwoPatients() throws -> TestSite {
        let site = try TestSite()
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0001.yaml")
            .replacingOccurrences(of: "exercise: bridge", with: "exercise: clamshell")
            .replacingOccurrences(of: "Alex Example", with: "Robin Sample"))
        #expect(site.build().report?.patients == 2)
        return site
    }

    /// The output of a full build of the site's current inputs, manifest aside.
    func fullBuild(_ site: TestSite) throws -> [String: Data] {
        let fresh = site.url("full-\(UUID().uuidString)")
        let diagnostics = Diagnostics()
        var layout = site.layout
        layout.output = fresh
        _ = BuildPipeline(layout: layout, diagnostics: diagnostics).build(prune: true)
        var files: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: fresh.path)! where !FileSystem.isFolder(fresh.path + "/" + path) {
            files[path] = FileManager.default.contents(atPath: fresh.path + "/" + path)
        }
        try FileManager.default.removeItem(at: fresh)
        return files.filter { $0.key != ".handout-manifest" }
    }

    func published(_ site: TestSite) throws -> [String: Data] {
        try site.outputSnapshot().filter { $0.key != ".handout-manifest" }
    }

    // 1
    @Test func editingContentKeepsTheIndex() throws {
        let site = try siteWithTwoPatients()
        try site.write("Content/pages/safety.md", try site.read("Content/pages/safety.md") + "\nOne more sentence.\n")
        #expect(site.build().report != nil)
        #expect(site.exists("Output/index.html"))
        #expect(try published(site) == fullBuild(site))
    }

    // 2
    @Test func aMissingOrEmptyPlansFolderRemovesNobody() throws {
        let site = try siteWithTwoPatients()
        let before = try site.outputSnapshot()
        var missing = site.layout
        missing.plans = site.url("no/such/dir")
        let diagnostics = Diagnostics()
        #expect(BuildPipeline(layout: missing, diagnostics: diagnostics).build() == nil)
        #expect(diagnostics.all.map(\.description) == [
            "no/such/dir: error: this folder does not exist; nothing was built or removed (check that the plans folder or its share is there, or pass --plans DIR)",
        ])
        #expect(try site.outputSnapshot() == before)

        try FileManager.default.createDirectory(at: site.url("empty"), withIntermediateDirectories: true)
        var empty = site.layout
        empty.plans = site.url("empty")
        let refused = Diagnostics()
        #expect(BuildPipeline(layout: empty, diagnostics: refused).build() == nil)
        #expect(refused.all.map(\.description) == [
            "empty: error: this build would remove 2 of 2 published patients (every published patient) because their plan files are gone; if that is intended, build again with --prune, otherwise check that the plans folder is complete",
        ])
        #expect(try site.outputSnapshot() == before)
        #expect(BuildPipeline(layout: empty, diagnostics: Diagnostics()).build(prune: true) != nil)
        #expect(!site.exists("Output/patients/p-0001"))
    }

    @Test func removingMoreThanHalfNeedsPrune() throws {
        let site = try siteWithTwoPatients()
        try site.write("Content/plans/p-0003.yaml", try site.read("Content/plans/p-0001.yaml"))
        #expect(site.build().report != nil)
        try site.remove("Content/plans/p-0001.yaml")
        #expect(site.build().report != nil, "one of three is not more than half")
        try site.write("Content/plans/p-0004.yaml", try site.read("Content/plans/p-0002.yaml"))
        #expect(site.build().report != nil)
        try site.remove("Content/plans/p-0002.yaml")
        try site.remove("Content/plans/p-0003.yaml")
        let result = site.build()
        #expect(result.report == nil)
        #expect(result.diagnostics.first?.contains("would remove 2 of 3 published patients (more than half") == true)
        #expect(site.build(prune: true).report != nil)
        #expect(try published(site) == fullBuild(site))
    }

    // 4
    @Test func siteSettingsAreReadOnceForSettingsAndFingerprint() throws {
        let site = try siteWithTwoPatients()
        let diagnostics = Diagnostics()
        let library = ContentLoader(layout: site.layout, diagnostics: diagnostics).load()
        let pipeline = BuildPipeline(layout: site.layout, diagnostics: diagnostics)
        let before = pipeline.globalFingerprint(library: library, templates: nil)
        // Saved while the build runs: the build goes on with the bytes it read.
        try site.write("Content/site.yaml", try site.read("Content/site.yaml").replacingOccurrences(of: "Test Clinic", with: "Other Clinic"))
        #expect(pipeline.globalFingerprint(library: library, templates: nil) == before)
        #expect(library.site.clinic == "Test Clinic")
        #expect(site.build().report?.patients == 2, "the next build sees the saved settings")
        #expect(try published(site) == fullBuild(site))
    }

    // 5
    @Test func orphanPatientFoldersAreRemoved() throws {
        let site = try siteWithTwoPatients()
        // As a build killed while adding p-0009 (since deleted) would leave it.
        try site.write("Output/patients/p-0009/index.html", "<h1>Jordan Rivera</h1>")
        try site.write("Output/exercises/retired.html", "old")
        #expect(site.build().report?.patients == 0)
        #expect(!site.exists("Output/patients/p-0009"))
        #expect(!site.exists("Output/exercises/retired.html"))
        #expect(try published(site) == fullBuild(site))
    }

    // 6
    @Test func selectedBuildKeepsEveryNameInTheIndex() throws {
        let site = try siteWithTwoPatients()
        try site.write("Content/site.yaml", try site.read("Content/site.yaml") + "index_shows_names: true\n")
        #expect(site.build().report != nil)
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml") + "# edited\n")
        #expect(site.build(patients: ["p-0001"]).report?.rendered == ["p-0001"])
        let index = try site.read("Output/index.html")
        #expect(index.contains("Alex Example") && index.contains("Robin Sample"))
        #expect(try published(site) == fullBuild(site))
    }

    // 8
    @Test func linkedOutputIsFilledThroughTheLink() throws {
        let site = try TestSite()
        let target = site.url("srv/www/handouts")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: site.url("Output").path, withDestinationPath: target.path)
        #expect(site.build().report != nil)
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml") + "# edited\n")
        #expect(site.build().report?.patients == 1)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: site.url("Output").path) == target.path)
        #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent("patients/p-0001/index.html").path))
        try FileManager.default.removeItem(at: site.url("Output"))
        try FileManager.default.createDirectory(at: site.url("Output"), withIntermediateDirectories: false)
        try FileManager.default.removeItem(at: site.url("Output"))
        try FileManager.default.createSymbolicLink(atPath: site.url("Output").path, withDestinationPath: site.url("srv/gone").path)
        let dangling = site.build()
        #expect(dangling.report == nil)
        #expect(dangling.diagnostics == [
            "Output: error: Output is a link to \(site.url("srv/gone").path), which does not exist; create that folder (or mount its disk) or remove the link",
        ])
    }

    // 11
    @Test func reusedPlansStillReportTheirWarnings() throws {
        let site = try siteWithTwoPatients()
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml")
            .replacingOccurrences(of: "sets: 2", with: "sets: 2\n    changes:\n      - { week: 2, sets: 3, reps: 12 }"))
        let warning = "Content/plans/p-0001.yaml:9:9: warning: week 2 changes reps and sets of 'bridge' at once; change one variable at a time"
        #expect(site.check() == [warning])
        #expect(site.build().diagnostics == [warning])
        let reused = site.build()
        #expect(reused.report?.patients == 0)
        #expect(reused.diagnostics == [warning])
        #expect(site.build(patients: ["p-0002"]).diagnostics == [warning])
    }

    // 12
    @Test func selectedBuildAfterAContentEditLeavesNoPatientStale() throws {
        let site = try siteWithTwoPatients()
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0002.yaml")
            .replacingOccurrences(of: "exercise: clamshell", with: "exercise: bridge"))
        #expect(site.build().report?.patients == 1)
        try site.write("Content/exercises/bridge.md", try site.read("Content/exercises/bridge.md") + "\nBreathe out as you lift.\n")
        #expect(site.build(patients: ["p-0001"]).report?.rendered == ["p-0001"])
        #expect(site.build().report?.rendered == ["p-0002"])
        #expect(try published(site) == fullBuild(site))
    }

    @Test func aPlanWithErrorsKeepsItsPagesAndOthersAreBuilt() throws {
        let site = try siteWithTwoPatients()
        let before = try published(site)
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml").replacingOccurrences(of: "sets: 2", with: "sets: two"))
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0002.yaml").replacingOccurrences(of: "Go slowly.", with: "Breathe."))
        let result = site.build()
        #expect(result.report?.blocked == ["p-0001"])
        #expect(result.report?.rendered == ["p-0002"])
        let after = try published(site)
        #expect(after.filter { $0.key.hasPrefix("patients/p-0001/") } == before.filter { $0.key.hasPrefix("patients/p-0001/") })
        #expect(after["patients/p-0002/index.html"] != before["patients/p-0002/index.html"])
        // Still blocked on the next build, and rebuilt once fixed.
        #expect(site.build().report?.blocked == ["p-0001"])
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml").replacingOccurrences(of: "sets: two", with: "sets: 2"))
        #expect(site.build().report?.rendered == ["p-0001"])
        #expect(try published(site) == fullBuild(site))
    }

    @Test func aProtocolWithErrorsBlocksOnlyThePlansThatUseIt() throws {
        let site = try siteWithTwoPatients()
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0002.yaml") + "protocol: knee-basic\n")
        #expect(site.build().report?.rendered == ["p-0002"])
        let protocolFile = try site.read("Content/protocols/knee-basic.yaml")
        try site.write("Content/protocols/knee-basic.yaml", protocolFile.replacingOccurrences(of: "exercise: clamshell", with: "exercise: no-such-thing"))
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml") + "# edited\n")
        let result = site.build()
        #expect(result.report?.blocked == ["p-0002"])
        #expect(result.report?.rendered == ["p-0001"])
    }

    @Test func plainFileSystemMessages() {
        #expect(FileFault("write", "Output/index.html", code: ENOSPC).description == "cannot write Output/index.html: no space left on the disk")
        #expect(FileFault("create the lock file", "/srv/.Output.handout-lock", code: EROFS).description
            == "cannot create the lock file /srv/.Output.handout-lock: the disk is mounted read-only")
        let cocoa = NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileWriteNoPermission.rawValue,
                            userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES))])
        #expect(FileFault("remove", "Output", error: cocoa).description == "cannot remove Output: permission denied")
        #expect(FileFault("remove", "Output", error: NSError(domain: NSCocoaErrorDomain, code: 516)).reason == "something else is already there")
    }
}
