import Foundation
import Testing
@testable import HandoutKit

/// Pages, cards and calendar days are rendered once as frames and filled in per patient;
/// filled in, they must give exactly the bytes the template gives when rendered with the values.
@Suite struct FrameTests {
    static let hostile = #"<b>Ana & "Bo" 'Cé'</b> {{x}} ✓"#

    func renderer() throws -> SiteRenderer {
        let site = try TestSite()
        let checked = try #require(BuildPipeline(layout: site.layout, diagnostics: Diagnostics()).check())
        return SiteRenderer(library: checked.library, templates: checked.templates)
    }

    @Test func textIsEscapedAsTheTemplateEscapesIt() throws {
        let renderer = try renderer()
        let templates = renderer.templates, en = renderer.words("en")
        for text in [Self.hostile, "Monday, December 7, 2026", "", "a\u{0301}<\u{0301}"] {
            let direct = templates.render(["label": text, "kind": "k"], with: "calendar-item", in: en)
            let framed = Frame(templates.render(["label": Frame.text("label"), "kind": "k"], with: "calendar-item", in: en))
            #expect(framed.filled(["label": text]) == direct)
        }
    }

    @Test func layout() throws {
        let renderer = try renderer()
        let key = SiteRenderer.LayoutKey(root: "../../", bodyClass: "handout", pageStylesheet: "print.css", script: nil,
                                        language: "en", largePrint: false)
        let direct = renderer.templates.render(renderer.layoutContext(title: Self.hostile, key: key, content: "<p>x</p>"), with: "layout",
                                                 in: renderer.words("en"))
        #expect(renderer.page(title: Self.hostile, root: "../../", bodyClass: "handout", content: "<p>x</p>",
                              pageStylesheet: "print.css") == direct)
        #expect(direct.contains("<title>&lt;b&gt;Ana &amp; &quot;Bo&quot; &#39;Cé&#39;&lt;/b&gt; {{x}} ✓</title>"))
    }

    @Test(arguments: ["en", "es"])
    func calendarPageWeekAndDay(language: String) throws {
        let renderer = try renderer()
        let templates = renderer.templates, words = renderer.words(language)
        let direct = templates.render(renderer.calendarContext(patient: Self.hostile, start: "Monday, December 7, 2026",
                                                               end: Self.hostile, firstWeekday: .sunday, weeks: "<tr></tr>", words: words),
                                      with: "calendar", in: words)
        let page = Frame(templates.render(renderer.calendarContext(patient: Frame.text("patient"), start: Frame.text("start"),
                                                                   end: Frame.text("end"), firstWeekday: .sunday,
                                                                   weeks: Frame.html("weeks"), words: words), with: "calendar", in: words))
        #expect(page.filled(["patient": Self.hostile, "start": "Monday, December 7, 2026", "end": Self.hostile, "weeks": "<tr></tr>"]) == direct)

        let week = Frame(templates.render(renderer.weekContext(number: Frame.text("number"), label: Frame.text("label"), range: Frame.text("range"),
                                                               days: Frame.html("days")), with: "calendar-week", in: words))
        #expect(week.filled(["number": "3", "label": Self.hostile, "range": Self.hostile, "days": "<td></td>"])
                == templates.render(renderer.weekContext(number: "3", label: Self.hostile, range: Self.hostile, days: "<td></td>"), with: "calendar-week", in: words))

        let day = ScheduledDay(date: Day(iso: "2026-12-07")!, inPlan: true, exercises: [
            ScheduledExercise(slug: "bridge", dosage: Dosage(reps: 10, sets: 2)),
        ])
        let rendered = renderer.rendered(SiteRenderer.Item(label: Self.hostile, detail: "2×10", kind: "exercise"), words: words)
        #expect(renderer.calendarDay(day, items: [rendered], words: words)
                == templates.fragment(renderer.dayContext(day, items: rendered.html, words: words), with: "calendar-day", in: words))
    }

    @Test(arguments: ["en", "es"])
    func exerciseCardWithNote(language: String) throws {
        let renderer = try renderer()
        let words = renderer.words(language)
        let exercise = InLanguage(item: try #require(renderer.library.exercises["bridge"]), language: "en")
        let planned = PlannedExercise(slug: "bridge", dosage: Dosage(sets: 2), days: nil, note: Self.hostile, changes: [],
                                      location: SourceLocation(path: "p", line: 1, column: 1))
        #expect(renderer.card(for: planned, exercise: exercise, words: words)
                == renderer.templates.fragment(renderer.cardContext(for: planned, exercise: exercise, note: Self.hostile, words: words),
                                               with: "exercise-card", in: words))
    }

    @Test(arguments: ["en", "es"])
    func handoutProgression(language: String) throws {
        let renderer = try renderer()
        let words = renderer.words(language)
        let progression = InLanguage(item: try #require(renderer.library.progressions["walk-run"]), language: "en")
        let frame = Frame(renderer.templates.render(renderer.handoutProgressionContext(
            progression, start: Frame.text("start"), daysText: Frame.text("days_text"), words: words), with: "handout-progression", in: words))
        #expect(frame.filled(["start": Self.hostile, "days_text": "Mon, Wed, Fri"])
                == renderer.templates.render(renderer.handoutProgressionContext(progression, start: Self.hostile, daysText: "Mon, Wed, Fri",
                                                                                words: words), with: "handout-progression", in: words))
    }
}
