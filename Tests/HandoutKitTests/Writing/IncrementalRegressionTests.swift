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

    func fullBuild(_ site: TestSite) throws -> [String: Data] {
        try site.fullBuild()
    }

    func published(_ site: TestSite) throws -> [String: Data] {
        try site.publishedSnapshot()
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
        let before = SiteLoader.globalFingerprint(library: library, templates: nil)
        // Saved while the build runs: the build goes on with the bytes it read.
        try site.write("Content/site.yaml", try site.read("Content/site.yaml").replacingOccurrences(of: "Test Clinic", with: "Other Clinic"))
        #expect(SiteLoader.globalFingerprint(library: library, templates: nil) == before)
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
        // Issue 22, case 15: what network shares answer, in words, never "system error 22".
        #expect(FileFault("replace", "Output/patients/p-0001", code: EINVAL).description
            == "cannot replace Output/patients/p-0001: the file system does not support this operation (invalid argument)")
        #expect(FileFault("read", "x", code: ESTALE).reason == "the network share lost track of the file (reconnect the share and try again)")
        #expect(FileFault("read", "x", code: EDOM).reason == "numerical argument out of domain (error number \(EDOM))")
        for code in Int32(1)...Int32(133) { #expect(!FileFault("read", "x", code: code).reason.hasPrefix("system error")) }
    }

    // Issue 22, case 15
    @Test func aBlockedPlansRowKeepsItsNameInAnIndexWithNames() throws {
        let site = try siteWithTwoPatients()
        try site.write("Content/site.yaml", try site.read("Content/site.yaml") + "index_shows_names: true\n")
        #expect(site.build().report != nil)
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml").replacingOccurrences(of: "sets: 2", with: "sets: two"))
        #expect(site.build().report?.blocked == ["p-0001"])
        let index = try site.read("Output/index.html")
        #expect(index.contains("Alex Example") && index.contains("Robin Sample"))
    }

    // MARK: Issue 22: incremental ≠ full where the random test did not look

    /// The diagnostics of a full build of the site's current inputs into an empty folder.
    func fullBuildDiagnostics(_ site: TestSite, layout: SiteLayout? = nil) -> [String] {
        var fresh = layout ?? site.layout
        fresh.output = site.url("full-\(UUID().uuidString)")
        let diagnostics = Diagnostics()
        _ = BuildPipeline(layout: fresh, diagnostics: diagnostics).build(prune: true)
        try? FileManager.default.removeItem(at: fresh.output)
        return diagnostics.all.map(\.description)
    }

    // Issue 22, case 7
    @Test func aNoteLinkingAPageThatIsDeletedBlocksThePlanAsAFullBuildDoes() throws {
        let site = try siteWithTwoPatients()
        try site.write("Content/pages/extra.md", "---\ntitle: Extra\n---\nMore to read.\n")
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml") + "  See [the extra page](pages/extra.md).\n")
        #expect(site.build().report?.rendered == ["p-0001"])
        #expect(try site.read("Output/patients/p-0001/index.html").contains("href=\"../../pages/extra.html\""))
        try site.remove("Content/pages/extra.md")
        let incremental = site.build()
        let expected = "Content/plans/p-0001.yaml:17:7: error: link to 'pages/extra.md', which does not exist; expected one of: pacing, safety"
        #expect(incremental.report?.blocked == ["p-0001"])
        #expect(incremental.diagnostics == [expected])
        #expect(fullBuildDiagnostics(site) == [expected])
    }

    // Issue 22, case 8
    @Test func editingTheFallbackLanguagesTranslationRebuildsItsPatients() throws {
        let site = try siteWithTwoPatients()
        try site.write("Content/site.yaml", try site.read("Content/site.yaml") + "translation_fallback: es\n")
        try site.write("Content/exercises/bridge.es.md", "---\ntitle: Puente\nimage_alt: Persona haciendo el puente\n---\n## Setup\nAcuéstese boca arriba.\n## Movement\nLevante la cadera.\n")
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml") + "language: zh-hans\n")
        #expect(site.build().report != nil)
        #expect(try site.read("Output/patients/p-0001/index.html").contains("Puente"))
        try site.write("Content/exercises/bridge.es.md", try site.read("Content/exercises/bridge.es.md")
            .replacingOccurrences(of: "title: Puente", with: "title: Puente de glúteos"))
        #expect(site.build().report?.rendered.contains("p-0001") == true, "the Spanish text it prints changed")
        #expect(try site.read("Output/patients/p-0001/index.html").contains("Puente de glúteos"))
        #expect(try published(site) == fullBuild(site))
        // Deleting the fallback translation prints the original instead: rebuilt too.
        try site.remove("Content/exercises/bridge.es.md")
        #expect(site.build().report?.rendered.contains("p-0001") == true)
        #expect(try published(site) == fullBuild(site))
    }

    /// A translation into the originals' language is printed in their place; the first one
    /// to appear (or the last to go) changes every page's fingerprint, since until then no
    /// patient records such files among its reads.
    @Test func aTranslationIntoTheOriginalsLanguageRebuildsItsPatients() throws {
        let site = try siteWithTwoPatients()
        try site.write("Content/exercises/bridge.en.md", "---\ntitle: Glute Bridge\nimage_alt: Lying on the back, hips lifted\n---\n## Setup\nLie down.\n## Movement\nLift.\n")
        #expect(site.build().report?.rendered.sorted() == ["p-0001", "p-0002"])
        #expect(try site.read("Output/patients/p-0001/index.html").contains("Glute Bridge"))
        #expect(try published(site) == fullBuild(site))
        try site.write("Content/exercises/bridge.en.md", try site.read("Content/exercises/bridge.en.md")
            .replacingOccurrences(of: "Glute Bridge", with: "Hip Bridge"))
        #expect(site.build().report?.rendered == ["p-0001"], "only the patient doing the bridge")
        #expect(try published(site) == fullBuild(site))
        try site.remove("Content/exercises/bridge.en.md")
        #expect(site.build().report?.rendered.sorted() == ["p-0001", "p-0002"])
        #expect(try site.read("Output/patients/p-0001/index.html").contains("<h3>Bridge</h3>"))
        #expect(try published(site) == fullBuild(site))
    }

    // Issue 22, case 9
    @Test func stringsOutsideTheRootAreFingerprintedAsRead() throws {
        let site = try siteWithTwoPatients()
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("handout-templates-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        try FileManager.default.moveItem(at: site.url("Templates"), to: elsewhere)
        var layout = site.layout
        layout.templates = elsewhere
        func build() -> BuildPipeline.Report? { BuildPipeline(layout: layout, diagnostics: Diagnostics()).build() }
        #expect(build()?.patients == 0, "the same templates, elsewhere")
        let strings = elsewhere.appendingPathComponent("strings/en.yaml")
        try Data(try String(contentsOf: strings, encoding: .utf8)
            .replacingOccurrences(of: "exercises_heading: \"Your exercises\"", with: "exercises_heading: \"Your exercises at home\"").utf8)
            .write(to: strings)
        #expect(build()?.patients == 2, "every page's words changed")
        #expect(try site.read("Output/patients/p-0001/index.html").contains("Your exercises at home"))
    }

    // Issue 22, case 10
    @Test func indexRowsFromTheManifestEqualFreshOnes() throws {
        let site = try siteWithTwoPatients()
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml")
            .replacingOccurrences(of: "therapist: Sam Lee, PT", with: "therapist: \"Sam\\tLee, PT\"\ncondition: |\n  Low back pain\n  after lifting\n"))
        #expect(site.build().report?.rendered == ["p-0001"])
        // p-0002 changes, so the index is made again with p-0001's row from the manifest.
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0002.yaml") + "# edited\n")
        #expect(site.build().report?.rendered == ["p-0002"])
        #expect(try site.read("Output/index.html").contains("Low back pain\nafter lifting"))
        #expect(try published(site) == fullBuild(site))
    }
}
