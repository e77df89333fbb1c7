import Foundation
import Testing
@testable import HandoutKit

/// The paper's words come from `Templates/strings/<language>.yaml` and Foundation's locale
/// data; a template or strings file that does not agree is a positioned error.
@Suite struct StringsTests {
    func words(_ language: String) throws -> Words {
        let site = try TestSite()
        let templates = try #require(TemplateLoader(layout: site.layout, diagnostics: Diagnostics()).load())
        return try #require(templates.words[language])
    }

    let monday = Day(iso: "2026-12-07")!

    @Test func spanishDatesAndWeekdays() throws {
        let es = try words("es")
        #expect(es.date(monday, .long) == "lunes, 7 de diciembre de 2026")
        #expect(es.date(monday, .monthDay) == "7 dic")
        #expect(es.range(Day(iso: "2026-12-14")!, Day(iso: "2026-12-20")!) == "14–20 dic")
        #expect(es.range(Day(iso: "2026-12-28")!, Day(iso: "2027-01-03")!) == "28 dic – 3 ene")
        #expect(es.weekdayName(.wednesday) == "miércoles")
        #expect(es.days([.monday, .wednesday, .friday]) == "lun, mié, vie")
        #expect(es.days(Weekday.allCases) == "Todos los días")
    }

    @Test func simplifiedChineseDatesFromTheLowercaseTag() throws {
        let zh = try words("zh-hans")
        #expect(zh.date(monday, .long) == "2026年12月7日 星期一")
        #expect(zh.range(Day(iso: "2026-12-14")!, Day(iso: "2026-12-20")!) == "12月14日–20日")
        #expect(zh.days([.monday, .friday]) == "周一、周五")
        #expect(zh.dosageShort(Dosage(sets: 1)) == "1 组")
    }

    @Test func englishReadsAsBefore() throws {
        let en = try words("en")
        #expect(en.date(monday, .long) == "Monday, December 7, 2026")
        #expect(en.range(Day(iso: "2026-12-14")!, Day(iso: "2026-12-20")!) == "Dec 14–20")
        #expect(en.range(Day(iso: "2026-12-28")!, Day(iso: "2027-01-03")!) == "Dec 28 – Jan 3")
        #expect(en.dosageLine(Dosage(reps: 10, sets: 3, hold: HoldTime(seconds: 90), daily: 1, weekly: 3))
                == "REPS: 10 | SETS: 3 | HOLD: 1 min 30 s | DAILY: 1 | WEEKLY: 3")
        #expect(en.dosageShort(Dosage(sets: 1)) == "1 set")
        #expect(en.dosageShort(Dosage(sets: 3, hold: HoldTime(seconds: 30), daily: 2)) == "3 sets, hold 30 s, 2× a day")
        #expect(en.advance(AdvanceRule(every: .days(2, upTo: 3), atMostPerWeek: 1))
                == "Move up one stage every 2 to 3 days, but no more than 1 time in any 7 days, only when you feel ready.")
        #expect(en.usualDays(.perWeek(4, neverBackToBack: true)) == "4 times a week, never two days in a row")
        #expect(en.choices(["cycling", "swimming", "elliptical"]) == "cycling, swimming or elliptical")
    }

    @Test func spanishDosageStagesAndRules() throws {
        let es = try words("es")
        #expect(es.dosageLine(Dosage(reps: 10, sets: 3, hold: HoldTime(seconds: 30)))
                == "REPETICIONES: 10 | SERIES: 3 | MANTENER: 30 s")
        #expect(es.dosageShort(Dosage(reps: 1)) == "1 repetición")
        #expect(es.dosageShort(Dosage(reps: 12)) == "12 repeticiones")
        let stage = Stage(segments: [Segment(activity: "walk", amount: Amount(thousandths: 500), unit: "mi"),
                                     Segment(activity: "jog", amount: Amount(thousandths: 3000), unit: "min")],
                          repeatCount: RepeatCount(low: 3, high: 5))
        #expect(es.stage(stage) == "Caminar 0,5 millas / Trotar 3 min × 3–5")
        let level = Stage(segments: [Segment(activity: "cycle", amount: Amount(thousandths: 4000), unit: "level")],
                          settings: [try Setting.parse("incline 2%").get()])
        #expect(es.stage(level) == "Bicicleta en el nivel 4, inclinación 2%")
        #expect(try words("en").stage(level) == "Cycle at level 4, incline 2%")
        // A unit after 1 is singular where the language has forms for it.
        func climb(_ floors: Int, _ squats: Int) -> Stage {
            Stage(segments: [Segment(activity: "climb", amount: Amount(thousandths: floors * 1000), unit: "floors"),
                             Segment(activity: "squat", amount: Amount(thousandths: squats * 1000), unit: "reps")])
        }
        #expect(try words("en").stage(climb(1, 1)) == "Climb 1 floor / Squat 1 rep")
        #expect(try words("en").stage(climb(2, 10)) == "Climb 2 floors / Squat 10 reps")
        #expect(es.stage(climb(1, 1)).contains(" 1 piso / ") && es.stage(climb(1, 1)).hasSuffix(" 1 repetición"))
        #expect(es.stage(climb(3, 8)).contains(" 3 pisos / ") && es.stage(climb(3, 8)).hasSuffix(" 8 repeticiones"))
        #expect(try words("en").phrase("weeks_count", ["n": "1"], count: 1) == "1 week")
        #expect(es.phrase("weeks_count", ["n": "3"], count: 3) == "3 semanas")
        #expect(es.advance(AdvanceRule(every: .weeks(1))) == "Pase a la siguiente etapa cada semana, solo cuando se sienta preparado.")
        #expect(es.advance(AdvanceRule(every: .sessions(2), atMostPerWeek: 2))
                == "Pase a la siguiente etapa después de 2 sesiones en la misma etapa, pero no más de 2 veces en 7 días, solo cuando se sienta preparado.")
        #expect(es.usualDays(.perWeek(1, neverBackToBack: false)) == "una vez a la semana")
        #expect(es.choices(["bicicleta", "natación"]) == "bicicleta o natación")
    }

    @Test func pageNumbersInCSS() {
        let css = PrintStylesheet.counters("Página \(PrintStylesheet.pageCounter) de \(PrintStylesheet.pagesCounter)")
        #expect(css == #""P\e1 gina " counter(page) " de " counter(pages)"#)
    }

    @Test func aSpanishPlanPrintsSpanishBesideAnEnglishOne() throws {
        let site = try TestSite()
        try site.writeSpanishContent()
        try site.write("Content/plans/p-0002.yaml", "patient: Ana\nstart: 2026-12-07\nweeks: 2\nlanguage: es\n"
                       + "exercises:\n  - exercise: bridge\nprogressions:\n  - progression: walk-run\n")
        try site.write("Content/site.yaml", "clinic: Test Clinic\ninclude_pages: [safety]\nfooter: { en: Call us., es: Llámenos. }\n")
        #expect(site.build().diagnostics == [])
        let handout = try site.read("Output/patients/p-0002/index.html")
        #expect(handout.contains("<html lang=\"es\">"))
        #expect(handout.contains("<p>Llámenos.</p>") && !handout.contains("Call us."))
        #expect(try site.read("Output/index.html").contains("<p>Call us.</p>"))
        // Firefox prints the title in its own page header: whose paper, what, and from where.
        #expect(handout.contains("<title>Ana — Plan de ejercicios — Test Clinic</title>"))
        #expect(try site.read("Output/patients/p-0002/calendar.html").contains("<title>Ana — Calendario — Test Clinic</title>"))
        #expect(handout.contains("<dd>lunes, 7 de diciembre de 2026 al domingo, 20 de diciembre de 2026 (2 semanas)</dd>"))
        #expect(handout.contains("REPETICIONES: 10 | SERIES: 3"))
        let calendar = try site.read("Output/patients/p-0002/calendar.html")
        #expect(calendar.contains("<p class=\"rest-day\">Descanso</p>") || calendar.contains("Dolor 0–10"))
        #expect(calendar.contains("<abbr title=\"lunes\">lun</abbr>"))
        #expect(try site.printStylesheet(of: "patients/p-0002/calendar.html").contains(#"content: "P\e1 gina " counter(page) " de " counter(pages);"#))
        let ics = try site.read("Output/patients/p-0002/calendar.ics")
        #expect(ics.contains("X-WR-CALNAME:Test Clinic: programa en casa"))
        #expect(ics.contains("etapa 1 de"))
        // The English patient in the same build is unchanged.
        let english = try site.read("Output/patients/p-0001/index.html")
        #expect(english.contains("<html lang=\"en\">") && english.contains("REPS: 10 | SETS: 2"))
        #expect(try site.printStylesheet(of: "patients/p-0001/index.html").contains(#"content: "Page " counter(page) " of " counter(pages);"#))
    }

    @Test func placedStringsAreEscapedAndCannotOpenATag() throws {
        let site = try TestSite()
        let english = try site.read("Templates/strings/en.yaml")
        try site.write("Templates/strings/en.yaml", english.replacingOccurrences(of: "rest: \"Rest\"", with: "rest: \"<b>{ & 'Rest'</b>\""))
        try site.write("Content/plans/p-0001.yaml", "patient: Alex\nstart: 2026-12-07\nweeks: 1\nexercises:\n  - exercise: clamshell\n    days: [mon]\n")
        #expect(site.build().diagnostics == [])
        let calendar = try site.read("Output/patients/p-0001/calendar.html")
        #expect(calendar.contains("<p class=\"rest-day\">&lt;b&gt;&#123; &amp; &#39;Rest&#39;&lt;/b&gt;</p>"))
    }

    // MARK: Errors

    @Test func templateNamingAnUnknownString() throws {
        let site = try TestSite()
        try site.write("Templates/calendar-day.mustache", "<td>{{t.rset}} {{t.rest}}</td>\n")
        #expect(site.errors() == [
            "Templates/calendar-day.mustache:1:5: error: unknown string 'rset'; did you mean 'rest'?; a new string must be added to every file in Templates/strings/",
        ])
    }

    @Test func stringsFileLackingAStringATemplateUses() throws {
        let site = try TestSite()
        let spanish = try site.read("Templates/strings/es.yaml")
        try site.write("Templates/strings/es.yaml", spanish.replacingOccurrences(of: "rest: \"Descanso\"\n", with: "")
            .replacingOccurrences(of: "unit_km: \"km\"\n", with: ""))
        #expect(site.errors() == [
            "Templates/strings/es.yaml:1:1: error: missing string 'rest', which Templates/calendar-day.mustache:6:23 uses; add 'rest: …' in this language",
            "Templates/strings/es.yaml:1:1: error: missing string 'unit_km', which Handout prints; add 'unit_km: …' in this language (see en.yaml)",
        ])
    }

    @Test func badValuesAndFormsInAStringsFile() throws {
        let site = try TestSite()
        let english = try site.read("Templates/strings/en.yaml")
        try site.write("Templates/strings/en.yaml", english
            .replacingOccurrences(of: "dosage_reps: \"REPS: {n}\"", with: "dosage_reps: \"REPS: {count}\"")
            .replacingOccurrences(of: "rest: \"Rest\"", with: "rest: { one: Rest, other: Rests }")
            + "restt: \"Rest\"\n")
        #expect(site.check().filter { $0.contains("Templates/strings") } == [
            "Templates/strings/en.yaml:1:1: error: missing string 'rest', which Templates/calendar-day.mustache:6:23 uses; add 'rest: …' in this language",
            "Templates/strings/en.yaml:7:14: error: '{count}' is not a value of dosage_reps; use {n}",
            "Templates/strings/en.yaml:148:7: error: rest must be text; found a mapping",
            "Templates/strings/en.yaml:204:8: warning: string 'restt' is not used by any template",
        ])
    }

    @Test func planInALanguageWithoutStrings() throws {
        let site = try TestSite()
        try site.write("Content/plans/p-0001.yaml", "patient: A\nstart: 2026-12-07\nweeks: 1\nlanguage: fr\n")
        #expect(site.errors() == [
            "Content/plans/p-0001.yaml:4:11: error: no strings file for language 'fr'; add Templates/strings/fr.yaml (copy en.yaml and translate it) or use one of en, es, zh-hans",
        ])
    }

    /// An activity is any word: in the site's language it prints as written when the
    /// strings have no word for it; a plan in another language needs the word, as it needs a
    /// translation (an error at its language line, a warning with a fallback).
    @Test func activityWithoutAWord() throws {
        let site = try TestSite()
        let progression = try site.read("Content/progressions/walk-run.md")
        try site.write("Content/progressions/walk-run.md", progression.replacingOccurrences(of: "walk 1 min", with: "hop 1 min"))
        try site.write("Content/plans/p-0001.yaml", "patient: A\nstart: 2026-12-07\nweeks: 2\nprogressions:\n  - progression: walk-run\n")
        #expect(site.errors() == [])
        let build = site.build()
        #expect(build.report?.blocked == [])
        #expect(try site.read("Output/patients/p-0001/calendar.html").contains("Hop 1 min"))

        try site.write("Content/plans/p-0002.yaml", "patient: B\nstart: 2026-12-07\nweeks: 2\nlanguage: es\nprogressions:\n  - progression: walk-run\n")
        let word = "Templates/strings/es.yaml has no word for the activity 'hop' of Content/progressions/walk-run.md"
        #expect(site.errors().filter { $0.contains("activity") } == [
            "Content/plans/p-0002.yaml:4:11: error: \(word); add 'activity_hop: …' to it, or set 'translation_fallback: en' in site.yaml",
        ])
        try site.write("Content/site.yaml", try site.read("Content/site.yaml") + "translation_fallback: en\n")
        #expect(site.check().filter { $0.contains("activity") } == [
            "Content/plans/p-0002.yaml:4:11: warning: \(word); 'hop' is printed instead",
        ])
    }

    /// Filling a phrase searches bytes for speed: it gives what the search by characters
    /// gives, for braces unmatched, nested, empty, next to accents and combining marks.
    @Test func phrasesFillAsTheCharactersRead() {
        let values: KeyValuePairs<String, String> = ["n": "3", "item": "Bridge {n}", "é": "e-acute", "": "empty"]
        let fixed = ["REPS: {n}", "{n}×{n}", "×{n}×", "{item} × {n}", "{n", "n}", "{}", "{{n}}", "{a{n}", "{é}", "{n}\u{301}", "{\u{301}n}",
                     "\u{0600}{n}", "día {n} — {item}", "{missing}", "", "no braces at all", "{n}{n}{n}"]
        for pattern in fixed {
            #expect(Strings.fill(pattern, values) == Strings.filledByCharacters(pattern, values), "\(pattern.debugDescription)")
        }
        var generator = SystemRandomNumberGenerator()
        let pieces = ["{", "}", "n", "item", "é", "\u{301}", "\u{0600}", " ", "×", "a", "\r", "\n"]
        for _ in 0..<2_000 {
            let pattern = (0..<Int.random(in: 0...10, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(Strings.fill(pattern, values) == Strings.filledByCharacters(pattern, values), "\(pattern.debugDescription)")
        }
        #expect(Strings.fill("{n}\u{301} {n}", values) == "", "a brace a combining mark joins is not a brace: the name runs to the last one")
    }
}
