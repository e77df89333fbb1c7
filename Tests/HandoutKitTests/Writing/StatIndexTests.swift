import Foundation
import Testing
@testable import HandoutKit

/// A build where nothing changed is decided by stat records alone, and any change to an
/// input or to the published site is seen.
@Suite struct StatIndexTests {
    /// A built site whose files were all "left alone for a while" when it was built.
    func settledSite() throws -> TestSite {
        let site = try TestSite()
        // A warning, to be reported again by the builds that read nothing.
        try site.write("Content/exercises/march.md", "---\ntitle: Marching\ndosage: {sets: 2, reps: 10}\n---\n## Setup\nStand tall.\n\n## Movement\nLift one knee, then the other.\n")
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0001.yaml").replacingOccurrences(of: "exercise: bridge", with: "exercise: march"))
        #expect(site.build(settled: true).report?.patients == 2)
        return site
    }

    func unchanged(_ site: TestSite) -> [String]? {
        StatIndex.compare(site.layout)?.warnings?.map(\.description)
    }

    @Test func nothingChangedReportsTheSameWarningsWithoutReadingAnything() throws {
        let site = try settledSite()
        let first = site.build(settled: true)
        #expect(first.report?.files == 0)
        #expect(first.diagnostics.contains { $0.contains("march.md") && $0.contains("warning: exercise 'march' has no picture") })
        #expect(unchanged(site) == first.diagnostics)
        // The stat records alone decide it: the same report and warnings, nothing rewritten.
        let before = try site.outputSnapshot()
        let second = site.build(settled: true)
        #expect(second.report?.files == 0)
        #expect(second.diagnostics == first.diagnostics)
        #expect(try site.outputSnapshot() == before)
    }

    @Test func anEditedPlanIsSeen() throws {
        let site = try settledSite()
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0002.yaml") + "# edited\n")
        #expect(unchanged(site) == nil)
        #expect(site.build(settled: true).report?.rendered == ["p-0002"])
        #expect(unchanged(site) != nil)
    }

    @Test func aNewContentFileIsSeen() throws {
        let site = try settledSite()
        try site.write("Content/pages/new.md", "---\ntitle: New\n---\nRest on the days between.\n")
        #expect(unchanged(site) == nil)
        #expect(site.build(settled: true).report != nil)
        #expect(site.exists("Output/pages/new.html"))
    }

    @Test func anEditedTemplateOrStringsFileIsSeen() throws {
        for path in ["Templates/index.mustache", "Templates/strings/en.yaml"] {
            let site = try settledSite()
            try site.write(path, try site.read(path) + "\n")
            #expect(unchanged(site) == nil, "\(path)")
        }
    }

    @Test func aPageOverwrittenWithItsTimesPutBackIsSeen() throws {
        let site = try settledSite()
        let page = site.url("Output/patients/p-0001/calendar.html")
        let attributes = try FileManager.default.attributesOfItem(atPath: page.path)
        try Data("<p>not built</p>".utf8).write(to: page)
        try FileManager.default.setAttributes([.modificationDate: attributes[.modificationDate]!], ofItemAtPath: page.path)
        #expect(unchanged(site) == nil)
        #expect(site.build(settled: true).report?.rendered == ["p-0001"])
        #expect(try site.read("Output/patients/p-0001/calendar.html") != "<p>not built</p>")
    }

    @Test func aStrayFileInTheSiteIsSeen() throws {
        for stray in ["Output/stray.html", "Output/patients/p-0001/stray.html", "Output/exercises/stray.html"] {
            let site = try settledSite()
            try site.write(stray, "<p>not built</p>")
            #expect(unchanged(site) == nil, "\(stray)")
            #expect(site.build(settled: true).report != nil)
            #expect(!site.exists(stray), "\(stray)")
        }
    }

    /// Patient folders found as they were are taken into the next index without a walk;
    /// one whose pages changed is walked again, and the index after the build holds.
    @Test func unchangedPatientFoldersAreKeptForTheNextIndex() throws {
        let site = try settledSite()
        try site.write("Output/patients/p-0001/calendar.ics", "BEGIN:VCALENDAR\n")
        let comparison = StatIndex.compare(site.layout)
        #expect(comparison?.warnings == nil)
        #expect(comparison?.patients.keys.sorted() == ["p-0002"])
        // Its lines as the index had them, `stamp path`: a 16-digit stamp, a space, the path.
        let lines = comparison?.patients["p-0002"].map { String(decoding: $0, as: UTF8.self) }
        #expect(lines?.hasSuffix("\n") == true)
        #expect(lines?.split(separator: "\n").map { $0.dropFirst(17) } == ["p-0002", "p-0002/calendar.html", "p-0002/calendar.ics", "p-0002/index.html"])
        #expect(site.build(settled: true).report?.rendered == ["p-0001"])
        #expect(unchanged(site) != nil)
    }

    /// An input folder whose names are as they were is taken from the last index, with the
    /// files that changed stat again; one where a file was added is walked. Either way the
    /// next index is the one a walk of every folder records.
    @Test func inputFoldersFoundAsTheyWereGiveTheIndexAWalkGives() throws {
        // The third: the edited file's line damaged in the index, which then says nothing of its folder.
        for (change, kept, damaged) in [("Content/plans/p-0002.yaml", true, false), ("Content/plans/p-0003.yaml", false, false),
                                        ("Content/plans/p-0002.yaml", false, true)] {
            let site = try settledSite()
            if damaged {
                let index = try site.read("Output/" + StatIndex.fileName)
                try site.write("Output/" + StatIndex.fileName, index.replacingOccurrences(
                    of: #"(?m)^[0-9a-f]{16} plans/p-0002\.yaml$"#, with: "not a stamp line plans/p-0002.yaml", options: .regularExpression))
                #expect(try site.read("Output/" + StatIndex.fileName) != index)
            }
            try site.write(change, try site.read("Content/plans/p-0002.yaml") + "# edited\n")
            // Changed just before the next build begins (the settled build began a minute from now).
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(120)], ofItemAtPath: site.url(change).path)
            let comparison = try #require(StatIndex.compare(site.layout))
            #expect((comparison.inputFolders[FileSystem.resolvedPath(site.layout.content.path)] != nil) == kept, "\(change)")
            #expect(comparison.inputFolders.count == (kept ? 2 : 1), "\(change): the templates are found as they were")
            // The changed file racily clean (recorded as unknown), then left alone long enough to be trusted.
            for began in [Date().addingTimeInterval(121), Date().addingTimeInterval(240)] {
                let index = StatIndex.record(site.layout, warnings: [], began: began, inputs: comparison.inputFolders)?.encoded()
                let walked = StatIndex.record(site.layout, warnings: [], began: began)?.encoded()
                #expect(index.map { String(decoding: $0, as: UTF8.self) } == walked.map { String(decoding: $0, as: UTF8.self) }, "\(change)")
                #expect(index != nil)
            }
        }
    }

    /// After a change, what the index found unchanged is taken from the manifest: a plan's
    /// hash (the plan is not read unless it must be parsed) and a patient folder's record.
    @Test func aBuildAfterAChangeReadsOnlyThePlansThatChanged() throws {
        let site = try settledSite()
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0002.yaml") + "# edited\n")
        let comparison = StatIndex.compare(site.layout)
        #expect(comparison?.inputs.contains(site.url("Content/plans/p-0001.yaml").path) == true)
        #expect(comparison?.inputs.contains(site.url("Content/plans/p-0002.yaml").path) == false)
        guard case .success(let loaded) = SiteLoader.load(site.layout, unchanged: comparison, diagnostics: Diagnostics()) else {
            Issue.record("the site did not load")
            return
        }
        #expect(loaded.knownPlans.keys.sorted() == ["p-0001"])
        #expect(loaded.planFiles.indices.filter { loaded.planBytes[$0] != nil }.map { loaded.planFiles[$0].slug } == ["p-0002"])
        #expect(site.build(settled: true).report?.rendered == ["p-0002"])
        // An exercise change makes p-0001 render again: its plan, not read above, is read then.
        try site.write("Content/exercises/bridge.md", try site.read("Content/exercises/bridge.md") + "\nKeep your back flat.\n")
        #expect(site.build(settled: true).report?.rendered == ["p-0001"])
        #expect(try site.publishedSnapshot() == fullBuild(site))
    }

    func fullBuild(_ site: TestSite) throws -> [String: Data] {
        var layout = site.layout
        layout.output = site.url("full")
        _ = BuildPipeline(layout: layout, diagnostics: Diagnostics()).build()
        defer { try? FileManager.default.removeItem(at: layout.output) }
        return TestSite.withoutRecords(try site.snapshot(of: layout.output))
    }

    @Test func aDeletedPageIsSeen() throws {
        let site = try settledSite()
        try site.remove("Output/patients/p-0002/calendar.ics")
        #expect(unchanged(site) == nil)
        #expect(site.build(settled: true).report?.rendered == ["p-0002"])
    }

    /// Git's racily clean files: one changed just before the build began could be saved again
    /// within the same clock tick, keeping its stat record; it is not trusted until it has
    /// been left alone for `StatIndex.racyMargin`.
    @Test func filesChangedJustBeforeTheBuildAreNotTrusted() throws {
        let site = try TestSite()
        #expect(site.build().report?.patients == 1)
        let index = try site.read("Output/" + StatIndex.fileName)
        #expect(index.contains("\n" + site.url("Content").path + "\n"))
        #expect(index.contains("\n0000000000000000 plans/p-0001.yaml\n"))
        #expect(unchanged(site) == nil)
    }

    @Test func aBuildWithErrorsOrOfSomePatientsLeavesNoIndex() throws {
        let site = try settledSite()
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0002.yaml").replacingOccurrences(of: "exercise: march", with: "exercise: marhc"))
        #expect(site.build(settled: true).report?.blocked == ["p-0002"])
        #expect(!site.exists("Output/" + StatIndex.fileName))

        let other = try settledSite()
        try other.write("Content/plans/p-0001.yaml", try other.read("Content/plans/p-0001.yaml") + "# edited\n")
        #expect(other.build(patients: ["p-0001"], settled: true).report?.rendered == ["p-0001"])
        #expect(!other.exists("Output/" + StatIndex.fileName))
    }

    @Test func aDamagedOrForeignIndexOnlyMeansABuildThatReads() throws {
        for damage in ["", "handout-stat-index 1\n", "handout-stat-index 2\n0000000000000001\n[]\n[]\n"] {
            let site = try settledSite()
            try site.write("Output/" + StatIndex.fileName, damage)
            #expect(unchanged(site) == nil)
        }
        let site = try settledSite()
        let index = try site.read("Output/" + StatIndex.fileName)
        let lines = index.split(separator: "\n", omittingEmptySubsequences: false)
        // One entry's record flipped: that file counts as changed.
        var damaged = lines
        damaged[6] = "0123456789abcdef" + damaged[6].dropFirst(16)
        try site.write("Output/" + StatIndex.fileName, damaged.joined(separator: "\n"))
        #expect(unchanged(site) == nil)
    }

    /// Where a link leads is not recorded, so a site with one is always read.
    @Test func aSiteWithALinkHasNoIndex() throws {
        let site = try TestSite()
        try FileManager.default.createSymbolicLink(atPath: site.url("Content/pages/pacing-link.md").path,
                                                   withDestinationPath: site.url("Content/pages/pacing.md").path)
        #expect(site.build(settled: true).report != nil)
        #expect(!site.exists("Output/" + StatIndex.fileName))
    }
}
