import Foundation
import Testing
@testable import HandoutKit

/// Rebuilds rewrite only what changed, and end byte-identical to a full build.
@Suite struct IncrementalBuildTests {
    /// Inode of every output file: a rewritten file gets a new one. (Not the stat index: every
    /// build of all plans that reads anything writes it again.)
    func inodes(_ site: TestSite) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for path in try site.outputSnapshot().keys where path != StatIndex.fileName {
            let attributes = try FileManager.default.attributesOfItem(atPath: site.url("Output/" + path).path)
            result[path] = (attributes[.systemFileNumber] as? Int) ?? -1
        }
        return result
    }

    func rewritten(_ before: [String: Int], _ after: [String: Int]) -> [String] {
        after.keys.filter { before[$0] != after[$0] }.sorted()
    }

    func siteWithThreePatients() throws -> TestSite {
        let site = try TestSite()
        let plan = try site.read("Content/plans/p-0001.yaml")
        try site.write("Content/plans/p-0002.yaml", plan.replacingOccurrences(of: "exercise: bridge", with: "exercise: clamshell"))
        try site.write("Content/plans/p-0003.yaml", plan)
        #expect(site.build().report?.patients == 3)
        return site
    }

    @Test func nothingChangedRewritesNothing() throws {
        let site = try siteWithThreePatients()
        let before = try inodes(site)
        let report = site.build().report
        #expect(report?.patients == 0)
        #expect(report?.files == 0)
        #expect(rewritten(before, try inodes(site)) == [])
    }

    @Test func onePlanChangedRewritesThatPatientOnly() throws {
        let site = try siteWithThreePatients()
        let before = try inodes(site)
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0002.yaml") + "# edited\n")
        #expect(site.build().report?.patients == 1)
        #expect(rewritten(before, try inodes(site)) == [
            ".handout-manifest", "patients/p-0002/calendar.html", "patients/p-0002/calendar.ics",
            "patients/p-0002/index.html",
        ])
    }

    @Test func changedSummaryRewritesTheIndexToo() throws {
        let site = try siteWithThreePatients()
        let before = try inodes(site)
        try site.write("Content/plans/p-0003.yaml", try site.read("Content/plans/p-0003.yaml").replacingOccurrences(of: "Sam Lee, PT", with: "Ria Patel, PT"))
        #expect(site.build().report?.patients == 1)
        #expect(rewritten(before, try inodes(site)).filter { !$0.hasPrefix("patients/p-0003/") }
                == [".handout-index-rows", ".handout-manifest", "index.html"])
    }

    @Test func oneExerciseChangedRewritesThePagesThatUseIt() throws {
        let site = try siteWithThreePatients()
        let before = try inodes(site)
        try site.write("Content/exercises/clamshell.md", try site.read("Content/exercises/clamshell.md").replacingOccurrences(of: "Open your top knee", with: "Slowly open your top knee"))
        #expect(site.build().report?.patients == 1)
        #expect(rewritten(before, try inodes(site)) == [
            ".handout-manifest", "exercises/clamshell.html", "patients/p-0002/calendar.html", "patients/p-0002/calendar.ics",
            "patients/p-0002/index.html",
        ])
    }

    /// Plan files are listed by name, and "p-0001-b.yaml" sorts before "p-0001.yaml" ("-" is
    /// before "."): the index's rows are still kept by id, so a row changed gives what a full
    /// build gives, and the next build finds the index current.
    @Test func rowsKeptWhereFileNamesSortOtherwiseThanIds() throws {
        let site = try TestSite()
        let plan = try site.read("Content/plans/p-0001.yaml")
        try site.write("Content/plans/p-0001-b.yaml", plan)
        try site.write("Content/plans/p-00011.yaml", plan)
        #expect(site.build().report?.patients == 3)
        let rows = { try site.read("Output/index.html").matches(of: /<th scope="row">([^<]*)<\/th>/).map { String($0.1) } }
        // Newest first; on the same start, by id from the last.
        #expect(try rows() == ["p-00011", "p-0001-b", "p-0001"])
        try site.write("Content/plans/p-0001-b.yaml", plan.replacingOccurrences(of: "Sam Lee, PT", with: "Ria Patel, PT"))
        #expect(site.build().report?.patients == 1)
        #expect(try rows() == ["p-00011", "p-0001-b", "p-0001"])
        #expect(try site.publishedSnapshot() == site.fullBuild())
        try site.write("Content/plans/p-0001.yaml", plan + "# edited\n")
        #expect(site.build().report?.files == 3)
    }

    @Test func incrementalEqualsFullBuild() throws {
        let site = try siteWithThreePatients()
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0002.yaml").replacingOccurrences(of: "weeks: 3", with: "weeks: 4"))
        try site.remove("Content/plans/p-0003.yaml")
        try site.write("Content/plans/p-0004.yaml", try site.read("Content/plans/p-0001.yaml"))
        try site.write("Content/pages/safety.md", "---\ntitle: Safety\n---\nStop if it hurts.\n")
        #expect(site.build().report != nil)
        let incremental = try site.publishedSnapshot()
        try site.remove("Output")
        #expect(site.build().report?.patients == 3)
        #expect(try site.publishedSnapshot() == incremental)
    }

    /// An output of the program before the print stylesheets were shared: a `print.css` in
    /// every patient folder, none in `assets/`, and a manifest whose fingerprint holds that
    /// program (its size and time, `SiteLoader.programStamp`), as does its stat index's key.
    /// One build makes the whole site again, as a full build does, and the old files go.
    @Test func anOutputOfTheProgramBeforeIsBuiltWholeOnce() throws {
        let site = try siteWithThreePatients()
        for id in ["p-0001", "p-0002", "p-0003"] {
            try site.write("Output/patients/\(id)/print.css", "@page { size: letter portrait; }\n")
        }
        for path in try site.outputSnapshot().keys where path.hasPrefix("assets/print-") { try site.remove("Output/" + path) }
        var manifest = try #require(BuildManifest.parse(try site.read("Output/.handout-manifest")))
        manifest.global = Fingerprint(Array("the program before".utf8))
        try site.write("Output/.handout-manifest", manifest.text)
        // Its key holds the program that wrote it: another program's index is never used.
        try site.remove("Output/.handout-stat-index")
        #expect(site.build().report?.patients == 3)
        #expect(!(try site.outputSnapshot()).keys.contains { $0.hasSuffix("/print.css") })
        #expect(try site.publishedSnapshot() == site.fullBuild())
        #expect(site.build().report?.files == 0)
    }

    @Test func deletedOrCorruptManifestMeansAFullCorrectBuild() throws {
        let site = try siteWithThreePatients()
        let expected = try site.publishedSnapshot()
        try site.remove("Output/.handout-manifest")
        #expect(site.build().report?.patients == 3)
        #expect(try site.publishedSnapshot() == expected)
        try site.write("Output/.handout-manifest", "handout-manifest 1\nglobal\tnot-a-hash\n")
        #expect(site.build().report?.patients == 3)
        #expect(try site.publishedSnapshot() == expected)
        // A manifest that lies about a plan's hash only causes that plan to be rebuilt.
        let manifest = try site.read("Output/.handout-manifest")
        try site.write("Output/.handout-manifest", manifest.replacingOccurrences(of: "plan\tp-0001\t", with: "plan\tp-0001\t0000000000000000\t"))
        #expect(BuildManifest.parse(try site.read("Output/.handout-manifest")) == nil)
        #expect(site.build().report?.patients == 3)
    }

    /// A patient's content list is compared on every build; a damaged one rebuilds that
    /// patient rather than being trusted.
    @Test func damagedDependencyListRebuildsThatPatient() throws {
        let site = try siteWithThreePatients()
        let expected = try site.publishedSnapshot()
        let manifest = try site.read("Output/.handout-manifest")
        let damaged = manifest.replacingOccurrences(of: "pages/pacing=", with: "pages/pacing~")
        #expect(damaged != manifest)
        try site.write("Output/.handout-manifest", damaged)
        #expect(site.build().report?.patients == 3)
        #expect(try site.publishedSnapshot() == expected)
    }

    @Test func removedContentLeavesTheLibrary() throws {
        let site = try siteWithThreePatients()
        try site.write("Content/exercises/plank.md", "---\ntitle: Plank\n---\n## Setup\nA\n## Movement\nB\n")
        #expect(site.build().report?.patients == 0)
        #expect(site.exists("Output/exercises/plank.html"))
        try site.remove("Content/exercises/plank.md")
        #expect(site.build().report?.patients == 0)
        #expect(!site.exists("Output/exercises/plank.html"))
        #expect(try site.outputSnapshot().keys.contains("exercises/bridge.html"))
    }

    @Test func changedTemplateRebuildsEverything() throws {
        let site = try siteWithThreePatients()
        try site.write("Templates/page.mustache", try site.read("Templates/page.mustache") + "\n")
        #expect(site.build().report?.patients == 3)
    }

    /// Issue 22, case 10: text reads back exactly, tabs, line ends and backslashes included,
    /// so an index row rebuilt from the manifest equals one made from the plan.
    @Test func manifestRoundTripsAndRejectsDamage() throws {
        var manifest = BuildManifest(global: Fingerprint(Array("x".utf8)))
        manifest.patients["p-1"] = .init(plan: Fingerprint(Array("plan".utf8)), dependencies: ["exercises/bridge": Fingerprint()],
                                        summary: PlanSummary(id: "p-1", patient: "", therapist: "Sam\tLee", condition: "Low back pain\nafter lifting \\ 2x\n",
                                                             start: Day(iso: "2026-12-07")!, weeks: 3),
                                        warnings: [.init(line: 3, column: 4, message: "a\tb\nc")])
        // Discharged early, a control character in the therapist's name, no condition.
        manifest.patients["p-2"] = .init(plan: Fingerprint(Array("plan 2".utf8)), dependencies: [:],
                                        summary: PlanSummary(id: "p-2", patient: "", therapist: "Kim\u{1}", condition: nil,
                                                             start: Day(iso: "2026-12-28")!, weeks: 12, ended: Day(iso: "2027-02-01")))
        manifest.shared = ["index.html": Fingerprint(Array("i".utf8)), "assets/odd\tname.css": Fingerprint()]
        let parsed = try #require(BuildManifest.parse(manifest.text))
        #expect(parsed.patients["p-2"]?.summary.ended == Day(iso: "2027-02-01"))
        #expect(parsed.patients["p-2"]?.summary.therapist == "Kim\u{1}")
        #expect(parsed.patients["p-1"]?.summary.therapist == "Sam\tLee")
        #expect(parsed.patients["p-1"]?.summary.condition == "Low back pain\nafter lifting \\ 2x\n")
        #expect(parsed.patients["p-1"]?.warnings.first?.message == "a\tb\nc")
        #expect(parsed == manifest)
        #expect(BuildManifest.parse(manifest.text.replacingOccurrences(of: "\\t", with: "\\q")) == nil, "a damaged escape")
        #expect(parsed.text == manifest.text)
        #expect(BuildManifest.parse(String(manifest.text.dropLast(5))) == nil)
        #expect(BuildManifest.parse("") == nil)
        #expect(!manifest.text.contains("Alex"))
    }
}
