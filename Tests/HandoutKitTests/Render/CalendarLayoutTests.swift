import Foundation
import Testing
@testable import HandoutKit

/// The calendar's two layouts. Dates are worked out by hand: the fixture plan starts on
/// Monday 2026-12-07 for 3 weeks; the bridge is done 3 times a week (Mon, Wed, Fri); walk/run
/// starts Wednesday 2026-12-09 on Mon, Wed, Fri; cross-training fills the other days.
@Suite struct CalendarLayoutTests {
    func calendar(largePrint: Bool) throws -> String {
        let site = try TestSite()
        try site.write("Content/site.yaml", "clinic: Test Clinic\ninclude_pages: [safety]\nlarge_print: \(largePrint)\n")
        #expect(site.build().report != nil)
        return try site.read("Output/patients/p-0001/calendar.html")
    }

    func count(_ text: String, in html: some StringProtocol) -> Int { html.components(separatedBy: text).count - 1 }

    @Test func largePrintListsEachThingOnceAWeekWithATickBoxPerDay() throws {
        let html = try calendar(largePrint: true)
        #expect(count("<table class=\"week-log\">", in: html) == 3)
        #expect(!html.contains("<table class=\"calendar\">"))
        let week1 = try #require(html.components(separatedBy: "<div class=\"week-log-sheet\">").dropFirst().first)
        // One row for the bridge, ticked Mon, Wed and Fri.
        let bridge = try #require(week1.components(separatedBy: "<tr class=\"exercise\">").dropFirst().first?
            .components(separatedBy: "</tr>").first)
        #expect(bridge.contains("<span class=\"label\">Bridge</span> <span class=\"dose\">2×10</span>"))
        #expect(count("<input type=\"checkbox\"", in: bridge) == 3)
        #expect(bridge.contains("aria-label=\"Bridge, Wednesday, Dec 9\""))
        // Walk/run's first two stages, Wed and Fri: two rows of one tick each.
        let sessions = week1.components(separatedBy: "<tr class=\"session\">").dropFirst()
        #expect(sessions.count == 2)
        #expect(sessions.allSatisfy { count("<input type=\"checkbox\"", in: $0.components(separatedBy: "</tr>")[0]) == 1 })
        // Cross-training's note is in the key, once.
        #expect(count("class=\"key\"", in: html) == 1)
        #expect(count("Pain from 0 to 10 on", in: week1) == 7)
    }

    @Test func normalPrintKeepsTheWeekRowsAndAddsTheKey() throws {
        let html = try calendar(largePrint: false)
        #expect(count("<tr class=\"week\">", in: html) == 3)
        #expect(!html.contains("week-log"))
        #expect(count("<p class=\"key\"><strong>Cross-training:</strong> cycling or swimming.</p>", in: html) == 1)
    }
}
