import Foundation
import Testing
@testable import HandoutKit

/// What a paused plan, a plan ended early and reminders print: the calendar, the handout,
/// the .ics and the clinic index of a built fixture site; and the version in the footer.
@Suite struct PausedPaperTests {
    /// The fixture plan (Mon 2026-12-07, 3 weeks; bridge every day, walk-run Mon/Wed/Fri
    /// from Wed 12-09, cross-training on days without a session), paused and ended.
    static func site(adding extra: String) throws -> TestSite {
        let site = try TestSite()
        try site.write(plan, try site.read(plan) + extra)
        #expect(site.build().report != nil)
        return site
    }

    @Test func pausedDaysPrintThePauseAndNothingToTick() throws {
        let site = try Self.site(adding: "pauses:\n  - { from: 2026-12-10, to: 2026-12-11, note: \"Flu <b>rest</b>\" }\n")
        let calendar = try site.read("Output/patients/p-0001/calendar.html")
        let cells = calendar.components(separatedBy: "<td class=").dropFirst()
        let paused = cells.filter { $0.hasPrefix("\"day paused\"") }
        #expect(paused.count == 2)
        for cell in paused {
            #expect(!cell.contains("<input"))
            #expect(cell.contains("<p class=\"paused-day\">Paused: <span class=\"pause-note\">Flu &lt;b&gt;rest&lt;/b&gt;</span></p>"))
        }
        let handout = try site.read("Output/patients/p-0001/index.html")
        #expect(handout.contains("<ul class=\"pauses\"><li>Paused Thursday, December 10, 2026 to Friday, December 11, 2026: Flu &lt;b&gt;rest&lt;/b&gt;</li></ul>"))
        let ics = try site.read("Output/patients/p-0001/calendar.ics")
        #expect(!ics.contains("DTSTART;VALUE=DATE:20261210") && !ics.contains("DTSTART;VALUE=DATE:20261211"))
        #expect(ics.contains("DTSTART;VALUE=DATE:20261209") && ics.contains("DTSTART;VALUE=DATE:20261212"))
    }

    /// A pause that runs past the day the plan ended prints as running to that day.
    @Test func aPauseStopsWhereThePlanEnded() throws {
        let site = try Self.site(adding: "pauses:\n  - { from: 2026-12-14, to: 2026-12-20 }\nended: 2026-12-16\n")
        let handout = try site.read("Output/patients/p-0001/index.html")
        #expect(handout.contains("<li>Paused Monday, December 14, 2026 to Wednesday, December 16, 2026</li>"))
        #expect(handout.contains("Plan ended early on Wednesday, December 16, 2026."))
    }

    @Test func anEndedPlanShowsItsEndAndNothingAfter() throws {
        let site = try Self.site(adding: "ended: 2026-12-16\n")
        let calendar = try site.read("Output/patients/p-0001/calendar.html")
        #expect(calendar.contains("<strong class=\"ended\">Plan ended early on Wednesday, December 16, 2026.</strong>"))
        let ended = calendar.components(separatedBy: "<td class=").dropFirst().filter { $0.hasPrefix("\"day ended\"") }
        #expect(ended.count == 11)
        #expect(ended.allSatisfy { $0.contains("<p class=\"ended-day\">Plan ended</p>") && !$0.contains("<input") })
        let ics = try site.read("Output/patients/p-0001/calendar.ics")
        #expect(ics.contains("DTSTART;VALUE=DATE:20261216") && !ics.contains("DTSTART;VALUE=DATE:20261217"))
        // The index says it ended, and its last day is the day it ended, so "running today" leaves it out after.
        let index = try site.read("Output/index.html")
        #expect(index.contains("data-start=\"2026-12-07\" data-end=\"2026-12-16\""))
        #expect(index.contains("<td>2026-12-16 <span class=\"ended\">(ended early)</span></td>"))
    }

    @Test func remindersFromTheSiteAndThePlan() throws {
        let site = try TestSite()
        try site.write("Content/site.yaml", try site.read("Content/site.yaml") + "reminders: { time: \"08:00\" }\n")
        try site.write("Content/plans/p-0002.yaml", try site.read(plan) + "reminders: { time: \"18:30\" }\n")
        try site.write("Content/plans/p-0003.yaml", try site.read(plan) + "reminders: none\n")
        #expect(site.build().report != nil)
        func triggers(_ id: String) throws -> Set<String> {
            let ics = try site.read("Output/patients/\(id)/calendar.ics")
            #expect(ics.components(separatedBy: "BEGIN:VALARM").count == (ics.contains("VALARM") ? ics.components(separatedBy: "BEGIN:VEVENT").count : 1))
            return Set(ics.components(separatedBy: "\r\n").filter { $0.hasPrefix("TRIGGER") })
        }
        #expect(try triggers("p-0001") == ["TRIGGER;RELATED=START:PT8H"])
        #expect(try triggers("p-0002") == ["TRIGGER;RELATED=START:PT18H30M"])
        #expect(try triggers("p-0003") == [])
    }

    @Test func theAlarmIsInThePlansLanguage() throws {
        let site = try TestSite()
        try site.write("Content/site.yaml", "clinic: Test Clinic\nreminders: { time: \"08:00\" }\ntranslation_fallback: en\n")
        try site.write(plan, try site.read(plan) + "language: es\n")
        #expect(site.build().report != nil)
        let ics = try site.read("Output/patients/p-0001/calendar.ics")
        #expect(ics.contains("DESCRIPTION:Es hora de sus ejercicios: "))
    }

    /// The version is a hash of the plan file and the content read for the pages: the same
    /// inputs give the same version; a change to the plan or to content it uses changes it;
    /// content it does not use leaves it.
    @Test func theVersionFollowsThePlanAndItsContent() throws {
        let site = try TestSite()
        func version() throws -> String {
            #expect(site.build().report != nil)
            let handout = try site.read("Output/patients/p-0001/index.html")
            let calendar = try site.read("Output/patients/p-0001/calendar.html")
            let line = try #require(handout.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.hasPrefix("<p class=\"version\">") })
            #expect(calendar.contains(line))
            // Printed calendars carry it in the running head of every page.
            let words = line.dropFirst("<p class=\"version\">".count).dropLast("</p>".count)
            #expect(calendar.contains("<div class=\"running-head\"><span>Alex Example</span> <span class=\"version\">\(words)</span> <span>Test Clinic</span></div>"))
            #expect(line.wholeMatch(of: /<p class="version">Version [0-9a-f]{8}<\/p>/) != nil)
            return line
        }
        let first = try version()
        #expect(try version() == first)
        try site.write("Content/exercises/clamshell.md", try site.read("Content/exercises/clamshell.md") + "\nMore.\n")
        #expect(try version() == first)
        try site.write("Content/exercises/bridge.md", try site.read("Content/exercises/bridge.md") + "\nMore.\n")
        let second = try version()
        #expect(second != first)
        try site.write(plan, try site.read(plan) + "# a comment\n")
        #expect(try version() != second)
        #expect(!(try site.read("Output/index.html")).contains("class=\"version\""))
    }
}
