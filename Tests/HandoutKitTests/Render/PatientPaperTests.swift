import Foundation
import Testing
@testable import HandoutKit

/// What the patient reads is consistent (issue 21): the dose line's WEEKLY is the number of
/// the days, a day gets a tick box for each session and side, the .ics says the same, the
/// pain rule prints beside the pain log, and the words name the patient's own program.
/// Expected values are written out by hand from the fixture: the plan starts Monday
/// 2026-12-07; the bridge is `reps: 10, sets: 3, daily: 1, weekly: 3`, the clamshell
/// `reps: 12, sets: 2, hold: 5 s, weekly: 7`.
@Suite struct PatientPaperTests {
    static let plan = """
    patient: Alex Example
    start: 2026-12-07
    weeks: 2
    exercises:
      - exercise: bridge
        daily: 2
        changes:
          - { week: 2, sets: 2 }
      - exercise: clamshell
        days: [mon, wed, fri, sun]
        sides: each
        changes:
          - { week: 2, days: [tue, thu] }

    """

    func site(plan: String = Self.plan, settings: String = "") throws -> TestSite {
        let site = try TestSite()
        try site.write("Content/site.yaml", "clinic: Test Clinic\n" + settings)
        try site.write("Content/plans/p-0001.yaml", plan)
        #expect(site.build().diagnostics == [])
        return site
    }

    func count(_ text: String, in html: some StringProtocol) -> Int { html.components(separatedBy: text).count - 1 }

    /// Each day cell of the landscape calendar by its date ("Dec 7"), as HTML.
    func days(_ html: String) -> [String: String] {
        var cells: [String: String] = [:]
        for cell in html.components(separatedBy: "<td class=\"day").dropFirst() {
            let body = cell.components(separatedBy: "</td>")[0]
            guard let date = body.firstMatch(of: /<\/span>([^<]+)<\/legend>/)?.1 else { continue }
            cells[String(date)] = body
        }
        return cells
    }

    /// The item of `title` in a day's cell, or nil when it is not due.
    func item(_ title: String, in cell: String?) -> String? {
        cell?.components(separatedBy: "<div class=\"item").first { $0.contains("<span class=\"label\">\(title)</span>") }
    }

    /// The .ics with folded lines joined again.
    func ics(_ site: TestSite) throws -> String {
        try site.read("Output/patients/p-0001/calendar.ics").replacingOccurrences(of: "\r\n ", with: "")
    }

    @Test func theDoseLineSaysWhatTheCalendarTicks() throws {
        let site = try site()
        let handout = try site.read("Output/patients/p-0001/index.html")
        // DAILY from the plan; WEEKLY from the days, not the exercise's 7.
        #expect(handout.contains("<p class=\"dosage\">REPS: 10 | SETS: 3 | DAILY: 2 | WEEKLY: 3</p>"))
        #expect(handout.contains("<p class=\"dosage\">REPS: 12 | SETS: 2 | HOLD: 5 s | DAILY: 1 | WEEKLY: 4 | EACH SIDE</p>"))
        #expect(handout.contains("<p class=\"days\"><strong>Days:</strong> Mon, Wed, Fri, Sun</p>"))
        // A change prints what it changes: the new days and their number; a change without days none.
        #expect(handout.contains("<p class=\"change\"><strong>From week 2:</strong> WEEKLY: 2 <strong>Days:</strong> Tue, Thu</p>"))
        #expect(handout.contains("<p class=\"change\"><strong>From week 2:</strong> SETS: 2</p>"))

        let calendar = days(try site.read("Output/patients/p-0001/calendar.html"))
        // Twice a day: two boxes, each named for a screen reader.
        let bridge = try #require(item("Bridge", in: calendar["Dec 7"]))
        #expect(count("type=\"checkbox\"", in: bridge) == 2)
        #expect(bridge.contains("aria-label=\"Bridge 3×10, 2× a day, 1 of 2\"") && bridge.contains("aria-label=\"Bridge 3×10, 2× a day, 2 of 2\""))
        #expect(item("Bridge", in: calendar["Dec 8"]) == nil)
        // Each side: a box marked L and one marked R, on the plan's days, then the change's.
        let clamshell = try #require(item("Clamshell", in: calendar["Dec 13"]))
        #expect(count("type=\"checkbox\"", in: clamshell) == 2)
        #expect(clamshell.contains("<input type=\"checkbox\" aria-label=\"Clamshell 2×12, hold 5 s, left side\">"
                                   + "<span class=\"mark\" aria-hidden=\"true\">L</span>"))
        // The marked boxes say "each side"; the short dose need not.
        #expect(clamshell.contains("<span class=\"detail\">2×12, hold 5 s</span>"))
        #expect(clamshell.contains("<span class=\"mark\" aria-hidden=\"true\">R</span>"))
        #expect(item("Clamshell", in: calendar["Dec 8"]) == nil)
        #expect(item("Clamshell", in: calendar["Dec 15"]) != nil && item("Clamshell", in: calendar["Dec 14"]) == nil)
        #expect(try site.read("Output/patients/p-0001/calendar.html").contains("(worst pain). L: left side, R: right side.</p>"))

        // The .ics has the same boxes, and says 2× where the phone lists the day.
        let ics = try ics(site)
        #expect(ics.contains("SUMMARY:Bridge (2×)\\, Clamshell\r\n"))
        #expect(ics.contains("DESCRIPTION:☐ ☐ Bridge — 3×10\\, 2× a day\\n☐ L ☐ R Clamshell — 2×12\\, hold 5 s\r\n"))
    }

    /// "Stage notes reach the calendar": the paper prints a stage's note beside its label, and
    /// the .ics has it under the stage's line, on the same days.
    @Test func aStagesNoteIsInTheICSOnTheDaysThePaperPrintsIt() throws {
        let site = try TestSite()
        try site.write("Content/site.yaml", "clinic: Test Clinic\n")
        try site.write("Content/progressions/steady.md", """
            ---
            title: Steady Running
            schedule: { per_week: 3 }
            advance: { every: 1 week }
            stages:
              - intervals: [walk 5 min, run 10 min]
                note: Easy pace; you can talk the whole time without gasping.
              - intervals: [run 20 min]
            ---
            Run.

            """)
        try site.write("Content/plans/p-0001.yaml", "patient: Alex Example\nstart: 2026-12-07\nweeks: 2\nprogressions:\n  - progression: steady\n")
        #expect(site.build().diagnostics == [])
        let calendar = days(try site.read("Output/patients/p-0001/calendar.html"))
        // Cut to fit a calendar cell on paper; whole in the .ics.
        let noted = calendar.filter { $0.value.contains("<span class=\"stage-note\">Easy pace; you can talk the whole time…</span>") }.keys.sorted()
        #expect(noted == ["Dec 11", "Dec 7", "Dec 9"])
        let ics = try ics(site)
        let events = ics.components(separatedBy: "BEGIN:VEVENT").dropFirst()
        let withNote = events.filter { $0.contains("DESCRIPTION:☐ Walk 5 min / Run 10 min (Easy pace\\; you can talk the whole time without gasping.) — Steady Running: stage 1 of 2\r\n") }
        #expect(withNote.map { $0.firstMatch(of: /DTSTART;VALUE=DATE:(\d+)/)?.1 ?? "" } == ["20261207", "20261209", "20261211"])
        #expect(events.count == 6)
    }

    @Test func aPlanWithNothingToDoIsWarnedAbout() throws {
        let site = try TestSite()
        try site.write("Content/plans/p-0001.yaml", "patient: Alex Example\nstart: 2026-12-07\nweeks: 1\neducation: [pacing]\n")
        #expect(site.build().diagnostics == [
            "Content/plans/p-0001.yaml:1:1: warning: this plan gives nothing to do: its calendar shows only rest days; "
                + "add 'exercises:', 'progressions:' or 'cross_training:', or a protocol that has them",
        ])
    }

    @Test func largePrintGivesEachSessionAndSideABox() throws {
        let site = try site(settings: "large_print: true\n")
        let html = try site.read("Output/patients/p-0001/calendar.html")
        let week1 = try #require(html.components(separatedBy: "<div class=\"week-log-sheet\">").dropFirst().first)
        let rows = week1.components(separatedBy: "<tr class=\"exercise\">").dropFirst().map { $0.components(separatedBy: "</tr>")[0] }
        #expect(rows.count == 2)
        // The bridge Mon, Wed, Fri: two boxes each.
        #expect(rows[0].contains("<span class=\"label\">Bridge</span> <span class=\"dose\">3×10, 2× a day</span>"))
        #expect(count("type=\"checkbox\"", in: rows[0]) == 6)
        #expect(rows[0].contains("aria-label=\"Bridge, 2 of 2, Wednesday, Dec 9\""))
        // The clamshell Mon, Wed, Fri, Sun: a box for each side, marked.
        #expect(rows[1].contains("<span class=\"label\">Clamshell</span> <span class=\"dose\">2×12, hold 5 s</span>"))
        #expect(count("type=\"checkbox\"", in: rows[1]) == 8 && count("aria-hidden=\"true\">R</span>", in: rows[1]) == 4)
        #expect(rows[1].contains("aria-label=\"Clamshell, right side, Sunday, Dec 13\""))
        #expect(html.contains("(worst pain). L: left side, R: right side.</p>"))
    }

    @Test func aClinicMayTickOnceForBothSides() throws {
        let site = try site(settings: "tick_each_side: false\n")
        let clamshell = try #require(item("Clamshell", in: days(try site.read("Output/patients/p-0001/calendar.html"))["Dec 7"]))
        #expect(count("type=\"checkbox\"", in: clamshell) == 1 && !clamshell.contains("class=\"mark\""))
        // The dose still says each side.
        #expect(clamshell.contains("<span class=\"detail\">2×12, hold 5 s, each side</span>"))
        #expect(try !site.read("Output/patients/p-0001/calendar.html").contains("L: left side"))
        #expect(try ics(site).contains("\\n☐ Clamshell — 2×12\\, hold 5 s\\, each side\r\n"))
    }

    @Test func aPlanEntryChoosesTheSide() throws {
        let site = try site(plan: Self.plan.replacingOccurrences(of: "sides: each", with: "sides: left"))
        #expect(try site.read("Output/patients/p-0001/index.html").contains("| DAILY: 1 | WEEKLY: 4 | LEFT SIDE ONLY</p>"))
        let clamshell = try #require(item("Clamshell", in: days(try site.read("Output/patients/p-0001/calendar.html"))["Dec 7"]))
        #expect(count("type=\"checkbox\"", in: clamshell) == 1 && clamshell.contains("aria-hidden=\"true\">L</span>"))
        // And `none` undoes an exercise's sides.
        try site.write("Content/exercises/clamshell.md", try site.read("Content/exercises/clamshell.md")
            .replacingOccurrences(of: "tags: [hip]", with: "tags: [hip]\nsides: each"))
        try site.write("Content/plans/p-0001.yaml", Self.plan.replacingOccurrences(of: "sides: each", with: "sides: none"))
        #expect(site.build().diagnostics == [])
        #expect(try site.read("Output/patients/p-0001/index.html").contains("| DAILY: 1 | WEEKLY: 4</p>"))
        #expect(try site.read("Output/exercises/clamshell.html").contains("REPS: 12 | SETS: 2 | HOLD: 5 s | WEEKLY: 7 | EACH SIDE"))
    }

    @Test func theDoseLineInSpanish() throws {
        let site = try TestSite()
        try site.writeSpanishContent()
        try site.write("Content/exercises/clamshell.es.md", "---\ntitle: Almeja\nimage_alt: Una almeja\n---\n## Posición\nDe lado.\n")
        try site.write("Content/plans/p-0001.yaml", Self.plan + "language: es\n")
        #expect(site.build().diagnostics == [])
        let handout = try site.read("Output/patients/p-0001/index.html")
        #expect(handout.contains("REPETICIONES: 12 | SERIES: 2 | MANTENER: 5 s | AL DÍA: 1 | A LA SEMANA: 4 | CADA LADO</p>"))
        let calendar = try site.read("Output/patients/p-0001/calendar.html")
        #expect(calendar.contains("aria-hidden=\"true\">I</span>") && calendar.contains("(el peor dolor). I: izquierdo, D: derecho.</p>"))
    }

    // MARK: The pain rule

    static let painOK = "---\ntitle: How much pain is OK\nsummary: Pain up to 5 out of 10 is OK if it settles by the next morning.\n---\nSome pain is OK.\n"

    @Test func thePainRulePrintsBesideThePainLogAndHeadsTheSafetyBox() throws {
        for largePrint in [false, true] {
            let site = try TestSite()
            try site.write("Content/pages/pain-ok.md", Self.painOK)
            try site.write("Content/site.yaml", "clinic: Test Clinic\ninclude_pages: [safety]\npain_rule: pain-ok\nlarge_print: \(largePrint)\n")
            #expect(site.build().diagnostics == [])
            let calendar = try site.read("Output/patients/p-0001/calendar.html")
            let rule = "<tr class=\"pain-rule\"><td colspan=\"8\"><strong>About pain:</strong> "
                + "<span>Pain up to 5 out of 10 is OK if it settles by the next morning.</span></td></tr>"
            // Landscape: once, in the table's foot, which each printed page repeats; large print: in each week's table.
            #expect(count(rule, in: calendar) == (largePrint ? 3 : 1), "large print: \(largePrint)")
            #expect(count("<tfoot>", in: calendar) == (largePrint ? 3 : 1))
            let handout = try site.read("Output/patients/p-0001/index.html")
            // One safety box: the pain rule first, then the condition's pages.
            #expect(count("<div class=\"important\">", in: handout) == 1)
            let parts = handout.components(separatedBy: "<section class=\"safety-page\">").dropFirst().map { $0.components(separatedBy: "</section>")[0] }
            #expect(parts.count == 2)
            #expect(parts.first?.contains("<h2>How much pain is OK</h2>") == true && parts.last?.contains("<h2>Safety first</h2>") == true)
            #expect(!handout.contains("during these exercises. If you do, stop and call"))
        }
    }

    @Test func withoutAPainRuleTheNeutralLinePrints() throws {
        let site = try site()
        let handout = try site.read("Output/patients/p-0001/index.html")
        #expect(handout.contains("<h2>Safety first</h2>\n    <p>You should NOT feel your pain during these exercises. If you do, stop and call your physical therapist.</p>"))
        #expect(try !site.read("Output/patients/p-0001/calendar.html").contains("pain-rule"))
    }

    @Test func thePainRuleMergesLikeIncludePages() throws {
        let site = try TestSite()
        try site.write("Content/pages/pain-ok.md", Self.painOK)
        try site.write("Content/site.yaml", "clinic: Test Clinic\npain_rule: safety\n")
        try site.write("Content/protocols/knee-basic.yaml", "weeks: 2\npain_rule: pain-ok\nexercises: [{ exercise: bridge }]\n")
        try site.write("Content/plans/p-0002.yaml", "patient: B\nstart: 2026-12-07\nprotocol: knee-basic\n")
        try site.write("Content/plans/p-0003.yaml", "patient: C\nstart: 2026-12-07\nprotocol: knee-basic\npain_rule: safety\n")
        let diagnostics = Diagnostics()
        let checked = try #require(BuildPipeline(layout: site.layout, diagnostics: diagnostics).check())
        #expect(diagnostics.all.isEmpty)
        let rules = Dictionary(uniqueKeysWithValues: checked.plans.map { ($0.id, $0.painRule) })
        #expect(rules == ["p-0001": "safety", "p-0002": "pain-ok", "p-0003": "safety"])
    }

    @Test func aSpanishPlanNeedsItsPainRuleInSpanish() throws {
        let site = try TestSite()
        try site.writeSpanishContent()
        try site.write("Content/pages/pain-ok.md", Self.painOK)
        try site.write("Content/plans/p-0002.yaml", "patient: Ana\nstart: 2026-12-07\nweeks: 2\nlanguage: es\npain_rule: pain-ok\nexercises: [{ exercise: bridge }]\n")
        #expect(site.errors() == [
            "Content/plans/p-0002.yaml:4:11: error: no 'es' translation of Content/pages/pain-ok.md; write Content/pages/pain-ok.es.md, or set 'translation_fallback: en' in site.yaml to print the original",
        ])
        try site.write("Content/pages/pain-ok.es.md", "---\ntitle: Cuánto dolor es aceptable\nsummary: Hasta 5 de 10 está bien.\n---\nAlgo de dolor está bien.\n")
        #expect(site.build().diagnostics == [])
        #expect(try site.read("Output/patients/p-0002/calendar.html").contains("<strong>Sobre el dolor:</strong> <span>Hasta 5 de 10 está bien.</span>"))
        #expect(try site.read("Output/patients/p-0002/index.html").contains("<h2>Cuánto dolor es aceptable</h2>"))
    }

    // MARK: Words from the patient's own program

    static func crossTraining(_ progression: String?, language: String = "en") -> String {
        "patient: Alex Example\nstart: 2026-12-07\nweeks: 1\nlanguage: \(language)\ncross_training:\n  activities: [swimming]\n"
            + (progression.map { "progressions:\n  - progression: \($0)\n" } ?? "")
    }

    @Test func crossTrainingDaysNameTheProgramsActivity() throws {
        let site = try TestSite()
        try site.write("Content/progressions/bike.md", "---\ntitle: Bike\nadvance: { every: 1 week }\nstages:\n  - intervals: [cycle 10 min]\n---\nRide.\n")
        try site.write("Content/site.yaml", "clinic: Test Clinic\ntranslation_fallback: en\n")
        let cases: [(String?, String, String)] = [
            ("walk-run", "en", "Days without a running session"), ("bike", "en", "Days without a program session"), (nil, "en", "Every day"),
            ("walk-run", "es", "Los días sin sesión de carrera"), ("bike", "es", "Los días sin sesión del programa"),
            ("bike", "zh-hans", "没有计划训练的日子"),
        ]
        for (progression, language, words) in cases {
            try site.write("Content/plans/p-0001.yaml", Self.crossTraining(progression, language: language))
            #expect(site.build().report != nil)
            let handout = try site.read("Output/patients/p-0001/index.html")
            #expect(handout.contains("</strong> \(words).</p>"), "\(progression ?? "no program") in \(language)")
        }
    }
}
