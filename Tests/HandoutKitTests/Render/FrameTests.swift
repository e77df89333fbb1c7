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
        let templates = try renderer().templates
        for text in [Self.hostile, "Monday, December 7, 2026", "", "a\u{0301}<\u{0301}"] {
            let direct = templates.render(["label": text, "kind": "k"], with: "calendar-item")
            let framed = Frame(templates.render(["label": Frame.text("label"), "kind": "k"], with: "calendar-item"))
            #expect(framed.filled(["label": text]) == direct)
        }
    }

    @Test func layout() throws {
        let renderer = try renderer()
        let key = SiteRenderer.LayoutKey(root: "../../", bodyClass: "handout", pageStylesheet: "print.css", script: nil)
        let direct = renderer.templates.render(renderer.layoutContext(title: Self.hostile, key: key, content: "<p>x</p>"), with: "layout")
        #expect(renderer.page(title: Self.hostile, root: "../../", bodyClass: "handout", content: "<p>x</p>",
                              pageStylesheet: "print.css") == direct)
        #expect(direct.contains("<title>&lt;b&gt;Ana &amp; &quot;Bo&quot; &#39;Cé&#39;&lt;/b&gt; {{x}} ✓</title>"))
    }

    @Test func calendarPageWeekAndDay() throws {
        let renderer = try renderer()
        let templates = renderer.templates
        let direct = templates.render(renderer.calendarContext(patient: Self.hostile, start: "Monday, December 7, 2026",
                                                               end: Self.hostile, crossTraining: Self.hostile, largePrint: false, firstWeekday: .sunday,
                                                               weeks: "<tr></tr>"), with: "calendar")
        let page = Frame(templates.render(renderer.calendarContext(patient: Frame.text("patient"), start: Frame.text("start"),
                                                                   end: Frame.text("end"), crossTraining: Frame.text("cross_training"),
                                                                   largePrint: false, firstWeekday: .sunday, weeks: Frame.html("weeks")), with: "calendar"))
        #expect(page.filled(["patient": Self.hostile, "start": "Monday, December 7, 2026", "end": Self.hostile,
                             "cross_training": Self.hostile, "weeks": "<tr></tr>"]) == direct)

        let week = Frame(templates.render(renderer.weekContext(number: Frame.text("number"), range: Frame.text("range"),
                                                               days: Frame.html("days")), with: "calendar-week"))
        #expect(week.filled(["number": "3", "range": Self.hostile, "days": "<td></td>"])
                == templates.render(renderer.weekContext(number: "3", range: Self.hostile, days: "<td></td>"), with: "calendar-week"))

        let day = ScheduledDay(date: Day(iso: "2026-12-07")!, inPlan: true, exercises: [
            ScheduledExercise(slug: "bridge", dosage: Dosage(reps: 10, sets: 2)),
        ])
        let rendered = renderer.rendered(SiteRenderer.Item(label: Self.hostile, detail: "2×10", kind: "exercise"))
        #expect(renderer.calendarDay(day, items: [rendered])
                == templates.fragment(renderer.dayContext(day, items: rendered.html), with: "calendar-day"))
    }

    @Test func exerciseCardWithNote() throws {
        let renderer = try renderer()
        let exercise = try #require(renderer.library.exercises["bridge"])
        let planned = PlannedExercise(slug: "bridge", dosage: Dosage(sets: 2), days: nil, note: Self.hostile, changes: [],
                                      location: SourceLocation(path: "p", line: 1, column: 1))
        #expect(renderer.card(for: planned, exercise: exercise)
                == renderer.templates.fragment(renderer.cardContext(for: planned, exercise: exercise, note: Self.hostile), with: "exercise-card"))
    }

    @Test func handoutProgression() throws {
        let renderer = try renderer()
        let progression = try #require(renderer.library.progressions["walk-run"])
        let frame = Frame(renderer.templates.render(renderer.handoutProgressionContext(
            progression, start: Frame.text("start"), daysText: Frame.text("days_text")), with: "handout-progression"))
        #expect(frame.filled(["start": Self.hostile, "days_text": "Mon, Wed, Fri"])
                == renderer.templates.render(renderer.handoutProgressionContext(progression, start: Self.hostile, daysText: "Mon, Wed, Fri"),
                                             with: "handout-progression"))
    }
}
