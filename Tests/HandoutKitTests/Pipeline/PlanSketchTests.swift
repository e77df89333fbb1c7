import Foundation
import Testing
@testable import HandoutKit

@Suite struct PlanSketchTests {
    static var full: PlanSketch {
        var sketch = PlanSketch()
        (sketch.patient, sketch.therapist, sketch.start, sketch.weeks) = ("Ana García", "Sam Lee, PT", "2026-12-07", "3")
        (sketch.condition, sketch.protocolSlug, sketch.language, sketch.largePrint) = ("Rodilla", "knee-basic", "es", true)
        (sketch.includePages, sketch.painRule, sketch.education) = (["safety"], "pain-ok", ["pacing"])
        var bridge = PlanSketch.Exercise(exercise: "bridge")
        (bridge.reps, bridge.sets, bridge.hold, bridge.daily) = ("8", "2", "5 s", "2")
        (bridge.days, bridge.sides, bridge.note) = (["mon", "thu"], "each", "Despacio.")
        var change = PlanSketch.Change(week: "2")
        change.sets = "3"
        var days = PlanSketch.Change(week: "3")
        days.days = ["tue", "sat"]
        bridge.changes = [change, days]
        var program = PlanSketch.Program(progression: "walk-run")
        (program.start, program.days) = ("2026-12-09", ["mon", "wed", "fri"])
        var cross = PlanSketch.CrossTraining(activities: ["bicicleta", "natación"])
        (cross.days, cross.note) = (["tue"], "20 minutos.")
        (sketch.exercises, sketch.progressions, sketch.crossTraining) = ([bridge, PlanSketch.Exercise(exercise: "clamshell")], [program], cross)
        sketch.notes = "  Indented first line.\nSecond line.\n"
        return sketch
    }

    @Test func whatItWritesItReadsBackAndEachLineNamesItsField() {
        let text = Self.full.text(comments: ["# A plan."], schema: "../../Output/schema/plan.schema.json", titles: ["bridge": "Bridge"])
        #expect(PlanSketch.read(text.text) == Self.full)
        let lines = text.text.split(separator: "\n", omittingEmptySubsequences: false)
        func field(_ prefix: String) -> String? {
            lines.firstIndex { $0.hasPrefix(prefix) }.flatMap { text.field(atLine: $0 + 1) }
        }
        #expect(field("weeks:") == "weeks")
        #expect(field("  - exercise: bridge   # Bridge") == "exercises.0")
        #expect(field("    hold: \"5 s\"") == "exercises.0.hold")
        #expect(field("      - { week: 3, days: [tue, sat] }") == "exercises.0.changes.1")
        #expect(field("  - exercise: clamshell") == "exercises.1")
        #expect(field("    start: 2026-12-09") == "progressions.0.start")
        #expect(field("  note: \"20 minutos.\"") == "cross_training.note")
        #expect(field("  Second line.") == "notes")
        #expect(text.field(atLine: 1) == nil && text.field(atLine: 999) == nil)
        #expect(text.text.contains("notes: |2 "))
    }

    /// Pauses, the day a plan ended and its reminder are kept through the editor, written as
    /// the reader takes them, each line naming its field.
    @Test func pausesEndedAndRemindersRoundTrip() throws {
        var sketch = PlanSketch()
        (sketch.patient, sketch.start, sketch.weeks) = ("Bo", "2026-12-07", "3")
        (sketch.exercises, sketch.education) = ([PlanSketch.Exercise(exercise: "bridge")], [])
        sketch.pauses = [PlanSketch.PauseEntry(from: "2026-12-10", to: "2026-12-11", note: "Flu: \"rest\""),
                         PlanSketch.PauseEntry(from: "2026-12-21", to: "2026-12-22")]
        (sketch.ended, sketch.reminders) = ("2026-12-23", "07:30")
        let text = sketch.text(comments: [], schema: nil, titles: [:])
        #expect(PlanSketch.read(text.text) == sketch)
        let lines = text.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains("  - { from: 2026-12-10, to: 2026-12-11, note: \"Flu: \\\"rest\\\"\" }"))
        #expect(lines.firstIndex { $0.hasPrefix("  - { from: 2026-12-21") }.flatMap { text.field(atLine: $0 + 1) } == "pauses.1")
        #expect(lines.firstIndex { $0.hasPrefix("reminders: { time: \"07:30\" }") }.flatMap { text.field(atLine: $0 + 1) } == "reminders")
        let site = try TestSite()
        try site.write(plan, text.text)
        #expect(site.check() == [])

        sketch.reminders = "none"
        let off = sketch.text(comments: [], schema: nil, titles: [:]).text
        #expect(off.contains("\nreminders: none "))
        #expect(PlanSketch.read(off) == sketch)
    }

    @Test func aPlanLeftToItsProtocolWritesOnlyWhatItSets() {
        var sketch = PlanSketch()
        (sketch.patient, sketch.start, sketch.protocolSlug) = ("Bo", "2026-12-07", "knee-basic")
        let text = sketch.text(comments: [], schema: nil, titles: [:]).text
        #expect(text == """
            patient: "Bo"                 # the patient's name: printed on the handout, never in a file name or link
            # therapist: Your Name, PT    # printed on the handout
            start: 2026-12-07            # first day of the plan (YYYY-MM-DD); the calendar begins in this week
            protocol: knee-basic   # fields below replace the protocol's; delete one to use the protocol's
            # exercises: the protocol's; write exercises: to choose this patient's own
            # progressions: the protocol's; write progressions: to choose this patient's own
            # education: the protocol's pages; write education: [...] to choose this patient's own
            # notes: |                    # your notes for the patient (Markdown)

            """)
        sketch.exercises = []
        #expect(sketch.text(comments: [], schema: nil, titles: [:]).text.contains("\nexercises: []"))
    }

    /// Whatever is typed stays the value of its own field: no value can end its line, open a
    /// mapping or become null, and the checker reports it at its place in plain words.
    @Test func typedTextNeverChangesTheYAMLAroundIt() throws {
        var sketch = PlanSketch()
        (sketch.patient, sketch.start, sketch.weeks) = ("Eve\nweeks: 52", "2026-12-07\"", "6\nexercises: []")
        (sketch.therapist, sketch.education) = ("A # not a comment", [])
        var entry = PlanSketch.Exercise(exercise: "null")
        (entry.reps, entry.days, entry.note) = ("-3", ["mon]", "funday"], "\u{1B}[31mred")
        sketch.exercises = [entry, PlanSketch.Exercise(exercise: "bridge\n- exercise: clamshell")]
        let text = sketch.text(comments: ["two\nlines"], schema: nil, titles: [:])
        #expect(text.text.hasPrefix("# two\n# lines\n"))
        #expect(PlanSketch.read(text.text) == sketch)
        let site = try TestSite()
        try site.write("Content/plans/p-0002.yaml", text.text)
        #expect(site.errors() == [
            "Content/plans/p-0002.yaml:3:10: error: patient must be one line; found 'Eve\\nweeks: 52'",
            "Content/plans/p-0002.yaml:5:8: error: start must be a date written YYYY-MM-DD, like 2026-12-07; found '2026-12-07\"'",
            "Content/plans/p-0002.yaml:6:8: error: weeks must be a number of weeks from 1 to 52; found '6\\nexercises: []'",
            "Content/plans/p-0002.yaml:9:15: error: unknown exercise 'null'; expected one of: bridge, clamshell",
            "Content/plans/p-0002.yaml:10:11: error: reps must be from 1 to 1000; found -3",
            "Content/plans/p-0002.yaml:11:12: error: 'mon]' is not a weekday; did you mean 'mon'?",
            "Content/plans/p-0002.yaml:11:20: error: 'funday' is not a weekday; did you mean 'sun'?",
            "Content/plans/p-0002.yaml:12:11: error: note contains the control character ESC (U+001B); remove it",
            "Content/plans/p-0002.yaml:13:15: error: exercise 'bridge\\n- exercise: clamshell' is not a valid name: use lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters",
        ])
    }
}
