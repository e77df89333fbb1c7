import Foundation
import Testing
@testable import HandoutKit

// The plan of `planWith` starts on Monday 2026-12-07 and runs 3 weeks, to Sunday 2026-12-27;
// what a case adds starts on line 9.

let pauseInputs: [BadInput] = [
    BadInput(name: "a pause that ends before it starts", file: plan,
             content: planWith([:], adding: "pauses:\n  - { from: 2026-12-15, to: 2026-12-14 }\n"), expected: [
        "Content/plans/p-0001.yaml:10:29: error: the pause ends on 2026-12-14, before it starts on 2026-12-15; 'from' is the first day off and 'to' the last",
    ]),
    BadInput(name: "a pause before the plan's start", file: plan,
             content: planWith([:], adding: "pauses:\n  - { from: 2026-12-01, to: 2026-12-08 }\n"), expected: [
        "Content/plans/p-0001.yaml:10:5: error: the pause starts on 2026-12-01, before the plan's start 2026-12-07",
    ]),
    BadInput(name: "a pause past the calendar", file: plan,
             content: planWith([:], adding: "pauses:\n  - from: 2026-12-21\n    to: 2026-12-28\n"), expected: [
        "Content/plans/p-0001.yaml:10:5: error: the pause ends on 2026-12-28, after the plan's last day 2026-12-27; a pause does not make the calendar longer: end it by then, or add weeks",
    ]),
    BadInput(name: "pauses that overlap", file: plan,
             content: planWith([:], adding: "pauses:\n  - { from: 2026-12-14, to: 2026-12-18 }\n  - { from: 2026-12-18, to: 2026-12-20, note: Away }\n"), expected: [
        "Content/plans/p-0001.yaml:11:5: error: this pause (2026-12-18 to 2026-12-20) overlaps the pause on line 10 (2026-12-14 to 2026-12-18); make them one pause",
    ]),
    BadInput(name: "a pause after the plan ended", file: plan,
             content: planWith([:], adding: "ended: 2026-12-16\npauses:\n  - { from: 2026-12-17, to: 2026-12-18 }\n"), expected: [
        "Content/plans/p-0001.yaml:11:5: error: the pause starts on 2026-12-17, after the plan ended on 2026-12-16 (line 9); remove it",
    ]),
    BadInput(name: "a pause without its first day", file: plan,
             content: planWith([:], adding: "pauses:\n  - { to: 2026-12-14, note: Flu }\n"), expected: [
        "Content/plans/p-0001.yaml:10:5: error: missing required field 'from' in pause, the first day of the pause, like 'from: 2026-12-21'",
    ]),
    BadInput(name: "a pause with an unknown key and a bad date", file: plan,
             content: planWith([:], adding: "pauses:\n  - { from: 2026-12-14, until: 2026-12-15, to: 2026-12-32 }\n"), expected: [
        "Content/plans/p-0001.yaml:10:25: error: unknown key 'until' in pause; expected one of: from, note, to",
        "Content/plans/p-0001.yaml:10:48: error: 2026-12-32 is not a real date: December 2026 has 31 days",
    ]),
    BadInput(name: "pauses not a list", file: plan, content: planWith([:], adding: "pauses: { from: 2026-12-14, to: 2026-12-15 }\n"), expected: [
        "Content/plans/p-0001.yaml:9:9: error: pauses must be a list, like [a, b]; found a mapping",
    ]),
    BadInput(name: "a protocol cannot pause", file: "Content/protocols/knee-basic.yaml",
             content: "weeks: 2\npauses:\n  - { from: 2026-12-14, to: 2026-12-15 }\n", expected: [
        "Content/protocols/knee-basic.yaml:2:1: error: unknown key 'pauses'; a protocol is shared by every plan that names it, so 'pauses' goes in each plan, not here",
    ]),
    BadInput(name: "ended before the start", file: plan, content: planWith([:], adding: "ended: 2026-12-06\n"), expected: [
        "Content/plans/p-0001.yaml:9:8: error: ended 2026-12-06 is before the plan's start 2026-12-07",
    ]),
    BadInput(name: "ended after the last day", file: plan, content: planWith([:], adding: "ended: 2026-12-28\n"), expected: [
        "Content/plans/p-0001.yaml:9:8: error: ended 2026-12-28 is after the plan's last day 2026-12-27 (week 3); 'ended' is for a plan stopped early: give a day in the plan's weeks, or remove it",
    ]),
    BadInput(name: "ended not a date", file: plan, content: planWith([:], adding: "ended: yesterday\n"), expected: [
        "Content/plans/p-0001.yaml:9:8: error: ended must be a date written YYYY-MM-DD, like 2026-12-07; found 'yesterday'",
    ]),
    BadInput(name: "a reminder at no time of day", file: plan, content: planWith([:], adding: "reminders: { time: \"25:00\" }\n"), expected: [
        "Content/plans/p-0001.yaml:9:20: error: 25:00 is not a time of day: hours run from 00 to 23 and minutes from 00 to 59",
    ]),
    BadInput(name: "a reminder written as words", file: plan, content: planWith([:], adding: "reminders: { time: 8am }\n"), expected: [
        "Content/plans/p-0001.yaml:9:20: error: time must be a time of day written HH:MM on the 24-hour clock, like \"08:00\" or \"18:30\"; found '8am'",
    ]),
    BadInput(name: "reminders switched off with another word", file: plan, content: planWith([:], adding: "reminders: off\n"), expected: [
        "Content/plans/p-0001.yaml:9:12: error: reminders must be { time: \"08:00\" } (the time of day a phone reminds the patient) or none; found 'off'",
    ]),
    BadInput(name: "reminders without a time", file: plan, content: planWith([:], adding: "reminders: { at: \"08:00\" }\n"), expected: [
        "Content/plans/p-0001.yaml:9:12: error: missing required field 'time' in reminders, the time of day written HH:MM, like 'time: \"08:00\"'",
        "Content/plans/p-0001.yaml:9:14: error: unknown key 'at' in reminders; expected one of: time",
    ]),
    BadInput(name: "site.yaml's reminder at no time of day", file: "Content/site.yaml",
             content: "clinic: Test Clinic\nreminders: { time: \"08:60\" }\n", expected: [
        "Content/site.yaml:2:20: error: 08:60 is not a time of day: hours run from 00 to 23 and minutes from 00 to 59",
    ]),
]

/// `pauseInputs` run with the other bad inputs (`BadInputTests`).
@Suite struct PauseInputTests {
    @Test func pausesEndedAndRemindersThatFitAreAccepted() throws {
        let site = try TestSite()
        try site.write(plan, planWith([:], adding: """
            pauses:
              - { from: 2026-12-07, to: 2026-12-08 }
              - { from: 2026-12-20, to: 2026-12-27, note: "Away: family visit" }
            ended: 2026-12-27
            reminders: { time: "07:30" }

            """))
        #expect(site.check() == [])
    }

    /// A pause moves the program's later stages; those moved past the calendar are named.
    @Test func stagesAPausePushesOffTheCalendarAreNamed() throws {
        let site = try TestSite()
        // walk-run (4 stages, every 2-3 days, Mon Wed Fri) from Wed 2026-12-09 reaches its
        // last stage on Wed 12-16; paused from 12-11 to 12-23, it reaches stage 2 on 12-25 only.
        try site.write(plan, try site.read(plan) + "pauses:\n  - { from: 2026-12-11, to: 2026-12-23 }\n")
        #expect(site.check() == [
            "Content/plans/p-0001.yaml:18:5: warning: with the pause, stages 3 to 4 of 'walk-run' no longer fit in the plan's 3 weeks and are not on the calendar; add weeks to show them",
        ])
    }

    /// One stage lost before the day the plan ended: said in the singular, and more weeks
    /// would not help.
    @Test func aStageAPausePushesPastTheEndIsNamedWithTheEnd() throws {
        let site = try TestSite()
        // Sessions Wed 12-09, Fri 12-11, Mon 12-14 reach stage 3 by the end on 12-14; with
        // Friday paused, the Monday session is the second: stage 2.
        try site.write(plan, try site.read(plan) + "pauses:\n  - { from: 2026-12-11, to: 2026-12-11 }\nended: 2026-12-14\n")
        #expect(site.check() == [
            "Content/plans/p-0001.yaml:18:5: warning: with the pause, stage 3 of 'walk-run' no longer fits before the plan ended on 2026-12-14 and is not on the calendar; shorten the pause to show them",
        ])
    }
}
