import Foundation
import Testing
@testable import HandoutKit

@Suite struct StageTests {
    func segment(_ text: String) throws -> Segment { try Segment.parse(text).get() }
    func setting(_ text: String) throws -> Setting { try Setting.parse(text).get() }

    @Test func newUnitsParse() throws {
        for text in ["step-up 6 in", "step 15 cm", "lift 2.5 kg", "curl 5 lb", "climb 40 steps", "climb 2 floors"] {
            #expect(try segment(text).text == text)
        }
        #expect(try segment("step-up 6 in").display == "Step-up 6 in")
        #expect(try segment("lift 5 lb").measure == "weight")
        #expect(try segment("step-up 6 in").measure == "height")
        #expect(Segment.parse("-up 6 in") == .failure(.activity("-up")))
    }

    /// The contract lists `level` among the units: `cycle 4 level` is a segment, read "at level 4",
    /// and a level program's stages differ by their level, one variable at a time.
    @Test func levelIsAUnitReadBeforeItsNumber() throws {
        let level = try segment("cycle 4 level")
        #expect(level.text == "cycle 4 level")
        #expect(level.display == "Cycle at level 4")
        #expect(level.measure == "level")
        let stage = Stage(segments: [level, try segment("cycle 20 min")], repeatCount: nil, note: nil)
        #expect(stage.text == "Cycle at level 4 / Cycle 20 min")
        var next = stage
        next.segments[0] = try segment("cycle 5 level")
        #expect(ProgressionReader.changedAmounts(from: stage, to: next) == ["cycle level"])
        #expect(Segment.parse("cycle 4 levels") == .failure(.unit("levels")))
    }

    /// The stages, as printed, of a progression loaded as content with these stages.
    func loadedStages(_ stages: String) throws -> [String] {
        let site = try TestSite()
        defer { try? FileManager.default.removeItem(at: site.root) }
        try site.write("Content/progressions/program.md", """
            ---
            title: Program
            schedule: { per_week: 3 }
            advance: { every: 1 week }
            stages:
            \(stages)
            ---
            Do the program.
            """)
        let diagnostics = Diagnostics()
        let library = ContentLoader(layout: site.layout, diagnostics: diagnostics).load()
        #expect(diagnostics.all.filter { $0.description.contains(": error: ") }.map(\.description) == [])
        return try #require(library.progressions["program"]).stages.map(\.text)
    }

    /// A level program as content: a ladder that steps the level, then a longer ride.
    @Test func aLadderStepsALevel() throws {
        #expect(try loadedStages("""
              - ladder: { start: [cycle 20 min, cycle 1 level], step: cycle +1 level, until: cycle 3 level }
              - intervals: [cycle 25 min, cycle 3 level]
            """) == ["Cycle 20 min / Cycle at level 1", "Cycle 20 min / Cycle at level 2",
                     "Cycle 20 min / Cycle at level 3", "Cycle 25 min / Cycle at level 3"])
    }

    /// Shorter walking breaks: a ladder may count down to `until`.
    @Test func aLadderCountsDown() throws {
        #expect(try loadedStages("  - ladder: { start: [run 5 min, walk 4 min], step: walk -1.5 min, until: walk 1 min }")
                == ["Run 5 min / Walk 4 min", "Run 5 min / Walk 2.5 min", "Run 5 min / Walk 1 min"])
    }

    @Test func settingsParseAndPrintInPlainWords() throws {
        #expect(try setting("band Red").display == "red band")
        #expect(try setting("incline 2%").display == "incline 2%")
        #expect(try setting("incline 2.50%").value == "2.5%")
        #expect(try setting("level 4").display == "level 4")
        #expect(try setting("surface grass").display == "surface: grass")
        #expect(try setting("stance feet together").display == "stance: feet together")
        #expect(Setting.parse("walk 1 min") == .failure(.notASetting))
        #expect(Setting.parse("incline 2") == .failure(.value("incline")))
        #expect(Setting.parse("level") == .failure(.value("level")))
        #expect(Setting.parse("band") == .failure(.value("band")))
        #expect(Setting.parse("support a b c d e") == .failure(.value("support")))
    }

    @Test func stageTextPutsRepeatsAfterAmountsAndSettingsLast() throws {
        let stage = Stage(segments: [try segment("step-up 6 in")], settings: [try setting("support one hand")],
                          repeatCount: RepeatCount(low: 10, high: 10), note: nil)
        #expect(stage.text == "Step-up 6 in × 10, support: one hand")
        #expect(stage.calendarText == stage.text)
    }

    @Test func calendarNoteIsCutAtAWordWhenLong() throws {
        var stage = Stage(segments: [try segment("cycle 30 min")], repeatCount: nil, note: "Add light resistance.")
        #expect(stage.calendarNote == "Add light resistance.")
        #expect(stage.calendarText == "Cycle 30 min – Add light resistance.")
        stage.note = "Light jogging takes the place of the walking breaks."
        #expect(stage.calendarNote == "Light jogging takes the place of the…")
        #expect(stage.calendarNote!.count <= Stage.calendarNoteLength + 1)
        stage.note = "  "
        #expect(stage.calendarNote == nil)
    }

    @Test func aChangedSettingCountsAsOneVariable() throws {
        let before = Stage(segments: [try segment("cycle 30 min")], settings: [try setting("level 2")], repeatCount: nil, note: nil)
        var after = before
        after.settings = [try setting("level 3")]
        #expect(ProgressionReader.changedAmounts(from: before, to: after) == ["level"])
        after.segments = [try segment("cycle 35 min")]
        #expect(ProgressionReader.changedAmounts(from: before, to: after) == ["cycle time", "level"])
        after.settings = [try setting("level 2"), try setting("band red")]
        #expect(ProgressionReader.changedAmounts(from: before, to: after) == ["cycle time", "band"])
    }
}

/// Every progression the project ships (the sample site and each test fixture) prints each
/// stage differently on the calendar, so a patient can always tell which stage a day asks for.
@Suite struct ShippedProgressionTests {
    /// The sample site, and each fixture by name (copied with the repository's templates and strings).
    static var sites: [String] {
        let fixtures = (try? FileManager.default.contentsOfDirectory(atPath: TestSite.fixtures.path)) ?? []
        return ["sample"] + fixtures.sorted()
    }

    @Test(arguments: sites)
    func stagesPrintDifferentlyOnTheCalendar(_ site: String) throws {
        let copy = site == "sample" ? nil : try TestSite(fixture: site)
        defer { if let copy { try? FileManager.default.removeItem(at: copy.root) } }
        let root = copy?.root ?? TestSite.repository
        let diagnostics = Diagnostics()
        let library = ContentLoader(layout: SiteLayout(root: root), diagnostics: diagnostics).load()
        #expect(diagnostics.all.filter { $0.description.contains(": error: ") }.map(\.description) == [])
        let files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Content/progressions").path)
            .filter { $0.hasSuffix(".md") && !$0.dropLast(3).contains(".") }
        #expect(library.progressions.count == files.count)
        for progression in library.progressions.values {
            let printed = progression.stages.map(\.calendarText)
            #expect(Set(printed).count == printed.count, "\(progression.slug): \(printed)")
        }
    }
}
