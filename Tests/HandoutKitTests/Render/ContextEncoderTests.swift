import Foundation
import Testing
@testable import HandoutKit

/// Contexts are typed: the encoder turns them into what swift-mustache reads, and the shape
/// templates are checked against is read off the same types.
@Suite struct ContextEncoderTests {
    @Test func shapeIsReadOffTheType() {
        #expect(ShapeReader.shape(of: CalendarDay.self) == .object([
            "date": .text, "weekday": .text, "class": .text, "in_plan": .flag, "rest": .flag, "items": .optional(.html),
            "paused": .flag, "pause_note": .optional(.text), "ended": .flag,
        ]))
        let tick: Shape = .object(["aria": .text, "mark": .optional(.text)])
        #expect(ShapeReader.shape(of: CalendarItem.self) == .object([
            "label": .text, "detail": .optional(.text), "kind": .text, "note": .optional(.text),
            "label_lang": .optional(.text), "note_lang": .optional(.text), "ticks": .list(tick), "several": .flag,
        ]))
    }

    @Test func joinedAndGroupedShapes() {
        guard case .object(let fields) = ShapeReader.shape(of: LibraryProgressionPage.self) else {
            Issue.record("a progression page is a group of values")
            return
        }
        #expect(fields["if"] == .optional(.text))
        #expect(fields["html"] == .html)
        #expect(fields["stages"] == .list(.object(["number": .text, "text": .text, "note": .optional(.text)])))
        #expect(fields["protocols"] == .optional(.object(["items": .list(.object(["title": .text, "href": .optional(.text)]))])))
        #expect(fields["clinic"] != nil)
    }

    @Test func everyPageTemplateHasAContext() {
        let shapes = PageTemplates.shapes()
        #expect(shapes.count == 15)
        for (template, shape) in shapes {
            guard case .object(let fields) = shape else {
                Issue.record("\(template): not a group of values")
                continue
            }
            #expect(!fields.isEmpty, "\(template)")
        }
    }

    @Test func encodesTemplateNamesAndLeavesOutWhatIsNotGiven() throws {
        let item = CalendarItem(label: "<b>Bridge</b>", kind: "exercise", labelLang: "es",
                                ticks: [Tick(aria: "Bridge", mark: "L"), Tick(aria: "Bridge")], several: true)
        let encoded = ContextEncoder.encode(item)
        #expect(Set(encoded.keys) == ["label", "kind", "label_lang", "ticks", "several"])
        #expect(encoded["label"] as? String == "<b>Bridge</b>")
        #expect(encoded["several"] as? Bool == true)
        let ticks = try #require(encoded["ticks"] as? [[String: Any]])
        #expect(ticks.map { $0["mark"] as? String } == ["L", nil])
        #expect(ticks.map { $0.count } == [2, 1])
    }

    @Test func htmlIsItsMarkupAndGroupsAreNilWhenEmpty() {
        let day = CalendarDay(date: "Dec 7", weekday: "Monday", class: "day", inPlan: true, rest: false, items: HTML("<div></div>"),
                              paused: false, ended: false)
        #expect(ContextEncoder.encode(day)["items"] as? String == "<div></div>")
        #expect(Group<String>.of([]) == nil)
        let page = Joined(HandoutProgressionDates(start: "Monday", daysText: "Mon"), LibraryPageExtras(
            clinic: ClinicDetails(name: "Clinic"), protocols: .of([Link(title: "ACL")])))
        let encoded = ContextEncoder.encode(page)
        #expect(Set(encoded.keys) == ["start", "days_text", "clinic", "protocols"])
        #expect(((encoded["protocols"] as? [String: Any])?["items"] as? [[String: Any]])?.first?["title"] as? String == "ACL")
    }

    /// Text is escaped where the template places it with `{{name}}`; HTML is placed as it is.
    @Test func textIsEscapedAndHTMLIsNot() throws {
        let site = try TestSite()
        let checked = try #require(BuildPipeline(layout: site.layout, diagnostics: Diagnostics()).check())
        let renderer = SiteRenderer(library: checked.library, templates: checked.templates)
        let day = CalendarDay(date: "<i>7</i>", weekday: "Monday", class: "day", inPlan: true, rest: false, items: HTML("<div>x</div>"),
                              paused: false, ended: false)
        let html = renderer.templates.render(day, with: "calendar-day", in: renderer.words("en"))
        #expect(html.contains("&lt;i&gt;7&lt;/i&gt;"))
        #expect(html.contains("<div>x</div>"))
    }
}
