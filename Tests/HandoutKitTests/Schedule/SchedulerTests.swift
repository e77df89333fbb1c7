import Testing
@testable import HandoutKit

// Expected values in this file are written out by hand from PRODUCT.md ("Progression" →
// "Calendar rule", "Plan", "The calendar"); none is computed with the engine's own logic.

// MARK: - Helpers

/// Builds plans and inputs in code, so the tests exercise the pure engine only.
private enum Fixture {
    static let location = HandoutKit.SourceLocation(path: "t", line: 1, column: 1)

    static func plan(start: String,
                     weeks: Int,
                     exercises: [PlannedExercise] = [],
                     progressions: [PlannedProgression] = [],
                     crossTraining: CrossTraining? = nil) -> Plan {
        Plan(id: "p-test", path: "t", patient: "Test Patient", therapist: nil, condition: nil,
             start: Day(iso: start)!, weeks: weeks, protocolSlug: nil,
             exercises: exercises, progressions: progressions, crossTraining: crossTraining,
             education: [], notes: nil, notesHTML: nil,
             language: "en", languageLocation: location, largePrint: false, includePages: [])
    }

    static func exercise(_ slug: String,
                         _ dosage: Dosage = Dosage(),
                         days: [Weekday]? = nil,
                         changes: [(week: Int, dosage: Dosage)] = []) -> PlannedExercise {
        PlannedExercise(slug: slug, dosage: dosage, days: days, note: nil,
                        changes: changes.map { DosageChange(week: $0.week, dosage: $0.dosage, location: location) },
                        location: location)
    }

    static func progression(_ slug: String, start: String? = nil, days: [Weekday]? = nil) -> PlannedProgression {
        PlannedProgression(slug: slug, start: start.map { Day(iso: $0)! }, startLocation: nil,
                           days: days, location: location)
    }

    static func inputs(exercises: [String: Dosage] = [:],
                       progressions: [String: (SessionDays, AdvanceRule, Int)] = [:]) -> ScheduleInputs {
        ScheduleInputs(exerciseDosage: exercises,
                       progressions: progressions.mapValues { (sessionDays: $0.0, advance: $0.1, stageCount: $0.2) })
    }

    static func rule(_ every: AdvanceInterval, atMost: Int? = nil) -> AdvanceRule {
        AdvanceRule(every: every, atMostPerWeek: atMost, condition: nil, otherwise: nil)
    }

    static let monWedFri: [Weekday] = [.monday, .wednesday, .friday]

    /// The seed walk/run program as content would describe it: a ladder "walk 1 min, run N min"
    /// for N = 1...10, then "run 10 min", then "jog 1 min, run 10 min" — 12 stages.
    static var seedStages: [Stage] {
        func segment(_ activity: String, _ minutes: Int) -> Segment {
            Segment(activity: activity, amount: Amount(thousandths: minutes * 1000), unit: "min")
        }
        let range = RepeatCount(low: 3, high: 5)
        let ladder = (1...10).map { n in
            Stage(segments: [segment("walk", 1), segment("run", n)], repeatCount: range, note: nil)
        }
        return ladder
            + [Stage(segments: [segment("run", 10)], repeatCount: nil, note: "10 minutes of continuous running.")]
            + [Stage(segments: [segment("jog", 1), segment("run", 10)], repeatCount: range, note: nil)]
    }
}

/// "2026-12-14=0" for every session of `slug`, in date order.
private func sessionTable(_ schedule: PlanSchedule, _ slug: String) -> [String] {
    schedule.days.flatMap { day in
        day.sessions.filter { $0.progression == slug }.map { "\(day.date.iso)=\($0.stageIndex)" }
    }
}

/// ISO dates of the in-plan days on which `slug` is due.
private func exerciseDates(_ schedule: PlanSchedule, _ slug: String) -> [String] {
    schedule.days.filter { $0.exercises.contains { $0.slug == slug } }.map(\.date.iso)
}

private func dosage(_ schedule: PlanSchedule, _ slug: String, on iso: String) throws -> Dosage? {
    let day = try #require(schedule.day(Day(iso: iso)!))
    return day.exercises.first { $0.slug == slug }?.dosage
}

/// Dates on which the planned stage went up (the first session is not an advance).
private func advanceDates(_ schedule: PlanSchedule, _ slug: String) -> [Day] {
    var previous: Int?
    var result: [Day] = []
    for day in schedule.days {
        for session in day.sessions where session.progression == slug {
            if let previous, session.stageIndex > previous { result.append(day.date) }
            previous = session.stageIndex
        }
    }
    return result
}

/// The largest number of `dates` that fall in any 7 consecutive calendar days.
private func maxInAnySevenDays(_ dates: [Day]) -> Int {
    dates.map { start in dates.filter { $0 >= start && $0 - start <= 6 }.count }.max() ?? 0
}

// MARK: - Seed program

@Suite("SchedulerTests")
struct SchedulerTests {

    @Suite("Seed walk/run program")
    struct SeedProgram {
        /// Plan start Mon 2026-12-07, 8 weeks (to Sun 2027-01-31), week_starts monday;
        /// walk-run from Mon 2026-12-14, Mon/Wed/Fri, `every: 2-3 days`.
        static func schedule(explicitDays: Bool) -> PlanSchedule {
            let plan = Fixture.plan(start: "2026-12-07", weeks: 8, progressions: [
                Fixture.progression("walk-run", start: "2026-12-14", days: explicitDays ? Fixture.monWedFri : nil),
            ])
            let inputs = Fixture.inputs(progressions: [
                "walk-run": (.weekdays(Fixture.monWedFri), Fixture.rule(.days(2, upTo: 3)), Fixture.seedStages.count),
            ])
            return Scheduler.schedule(plan, inputs: inputs, weekStarts: .monday)
        }

        /// Worked out by hand: Mon→Wed and Wed→Fri are 2 days, Fri→Mon 3 days, all ≥ 2, so every
        /// session advances until the last stage (index 11), which then repeats.
        static let expected = [
            "2026-12-14=0",  // walk 1 / run 1 (PRODUCT.md example)
            "2026-12-16=1",  // run 2
            "2026-12-18=2",  // run 3
            "2026-12-21=3",  // run 4
            "2026-12-23=4",
            "2026-12-25=5",
            "2026-12-28=6",
            "2026-12-30=7",
            "2027-01-01=8",
            "2027-01-04=9",  // walk 1 / run 10: last ladder stage
            "2027-01-06=10", // run 10 min continuous
            "2027-01-08=11", // jog 1 / run 10: last stage
            "2027-01-11=11",
            "2027-01-13=11",
            "2027-01-15=11",
            "2027-01-18=11",
            "2027-01-20=11",
            "2027-01-22=11",
            "2027-01-25=11",
            "2027-01-27=11",
            "2027-01-29=11",
        ]

        @Test func seedProgramHasTwelveStages() {
            let stages = Fixture.seedStages
            #expect(stages.count == 12)
            #expect(stages[0].written == "walk 1 min / run 1 min × 3–5")
            #expect(stages[3].written == "walk 1 min / run 4 min × 3–5")
            #expect(stages[9].written == "walk 1 min / run 10 min × 3–5")
            #expect(stages[10].written == "run 10 min")
            #expect(stages[11].written == "jog 1 min / run 10 min × 3–5")
        }

        @Test func everySessionPinnedWithPlanDays() {
            #expect(sessionTable(Self.schedule(explicitDays: true), "walk-run") == Self.expected)
        }

        @Test func everySessionPinnedWithProgressionDefaultDays() {
            #expect(sessionTable(Self.schedule(explicitDays: false), "walk-run") == Self.expected)
        }

        @Test func productExampleDates() throws {
            let schedule = Self.schedule(explicitDays: true)
            let pins: [(String, Int)] = [("2026-12-14", 0), ("2026-12-16", 1), ("2026-12-18", 2), ("2026-12-21", 3)]
            for (iso, stage) in pins {
                let day = try #require(schedule.day(Day(iso: iso)!))
                #expect(day.sessions.map(\.stageIndex) == [stage], "\(iso)")
            }
        }

        @Test func continuousRunningReachedOnJanuarySixth() throws {
            let schedule = Self.schedule(explicitDays: true)
            let day = try #require(schedule.day(Day(iso: "2027-01-06")!))
            #expect(day.sessions == [ScheduledSession(progression: "walk-run", stageIndex: 10)])
            #expect(Fixture.seedStages[10].written == "run 10 min")
        }

        @Test func noSessionsBeforeProgressionStartOrOnOffDays() throws {
            let schedule = Self.schedule(explicitDays: true)
            for iso in ["2026-12-07", "2026-12-09", "2026-12-11", "2026-12-13",
                        "2026-12-15", "2026-12-17", "2026-12-19", "2026-12-20",
                        "2027-01-02", "2027-01-03", "2027-01-31"] {
                let day = try #require(schedule.day(Day(iso: iso)!))
                #expect(day.sessions.isEmpty, "\(iso)")
            }
        }

        @Test func stageIndicesDirectly() {
            let dates = ["2026-12-14", "2026-12-16", "2026-12-18", "2026-12-21", "2026-12-23",
                         "2026-12-25", "2026-12-28", "2026-12-30", "2027-01-01", "2027-01-04",
                         "2027-01-06", "2027-01-08", "2027-01-11", "2027-01-13"].map { Day(iso: $0)! }
            let stages = Scheduler.stageIndices(at: dates, advance: Fixture.rule(.days(2, upTo: 3)), stageCount: 12)
            #expect(stages == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 11, 11])
        }

        @Test func upperBoundOfDayRangeIsNotScheduled() {
            // `2-3 days` schedules on 2; `2 days` must give the very same calendar.
            let dates = ["2026-12-14", "2026-12-16", "2026-12-18", "2026-12-21"].map { Day(iso: $0)! }
            #expect(Scheduler.stageIndices(at: dates, advance: Fixture.rule(.days(2, upTo: nil)), stageCount: 12)
                    == [0, 1, 2, 3])
            #expect(Scheduler.stageIndices(at: dates, advance: Fixture.rule(.days(2, upTo: 3)), stageCount: 12)
                    == [0, 1, 2, 3])
        }
    }

    // MARK: - Other advance rules

    @Suite("Advance rules")
    struct AdvanceRules {
        static func schedule(start: String = "2026-12-07", weeks: Int, sessions: SessionDays,
                             rule: AdvanceRule, stageCount: Int) -> PlanSchedule {
            let plan = Fixture.plan(start: start, weeks: weeks, progressions: [Fixture.progression("prog")])
            let inputs = Fixture.inputs(progressions: ["prog": (sessions, rule, stageCount)])
            return Scheduler.schedule(plan, inputs: inputs, weekStarts: .monday)
        }

        @Test func everyThreeDaysOnMonWedFri() {
            // Mon→Wed is 2 days (< 3: repeat), Mon→Fri 4, Fri→Mon 3.
            let schedule = Self.schedule(start: "2026-12-14", weeks: 3, sessions: .weekdays(Fixture.monWedFri),
                                         rule: Fixture.rule(.days(3, upTo: nil)), stageCount: 20)
            #expect(sessionTable(schedule, "prog") == [
                "2026-12-14=0", "2026-12-16=0", "2026-12-18=1",
                "2026-12-21=2", "2026-12-23=2", "2026-12-25=3",
                "2026-12-28=4", "2026-12-30=4", "2027-01-01=5",
            ])
        }

        @Test func everyWeekOnEveryOtherDay() {
            // Sessions Dec 7, 9, 11, ...; a stage begun at B advances at the first session with
            // D − B ≥ 7, which on an every-other-day pattern is 8 days later.
            let schedule = Self.schedule(weeks: 6, sessions: .everyOtherDay,
                                         rule: Fixture.rule(.weeks(1)), stageCount: 6)
            #expect(sessionTable(schedule, "prog") == [
                "2026-12-07=0", "2026-12-09=0", "2026-12-11=0", "2026-12-13=0",
                "2026-12-15=1", "2026-12-17=1", "2026-12-19=1", "2026-12-21=1",
                "2026-12-23=2", "2026-12-25=2", "2026-12-27=2", "2026-12-29=2",
                "2026-12-31=3", "2027-01-02=3", "2027-01-04=3", "2027-01-06=3",
                "2027-01-08=4", "2027-01-10=4", "2027-01-12=4", "2027-01-14=4",
                "2027-01-16=5",
            ])
            #expect(advanceDates(schedule, "prog") == ["2026-12-15", "2026-12-23", "2026-12-31", "2027-01-08", "2027-01-16"]
                .map { Day(iso: $0)! })
        }

        @Test func everyWeekOnMonWedFriAdvancesEachMonday() {
            let schedule = Self.schedule(weeks: 3, sessions: .weekdays(Fixture.monWedFri),
                                         rule: Fixture.rule(.weeks(1)), stageCount: 6)
            #expect(sessionTable(schedule, "prog") == [
                "2026-12-07=0", "2026-12-09=0", "2026-12-11=0",
                "2026-12-14=1", "2026-12-16=1", "2026-12-18=1",
                "2026-12-21=2", "2026-12-23=2", "2026-12-25=2",
            ])
        }

        @Test func everyTwoWeeks() {
            let schedule = Self.schedule(weeks: 5, sessions: .weekdays([.monday, .thursday]),
                                         rule: Fixture.rule(.weeks(2)), stageCount: 6)
            #expect(sessionTable(schedule, "prog") == [
                "2026-12-07=0", "2026-12-10=0", "2026-12-14=0", "2026-12-17=0",
                "2026-12-21=1", "2026-12-24=1", "2026-12-28=1", "2026-12-31=1",
                "2027-01-04=2", "2027-01-07=2",
            ])
        }

        @Test func everyTwoSessions() {
            // Advance when the stage has been done at 2 sessions before D.
            let schedule = Self.schedule(weeks: 2, sessions: .everyOtherDay,
                                         rule: Fixture.rule(.sessions(2)), stageCount: 10)
            #expect(sessionTable(schedule, "prog") == [
                "2026-12-07=0", "2026-12-09=0",
                "2026-12-11=1", "2026-12-13=1",
                "2026-12-15=2", "2026-12-17=2",
                "2026-12-19=3",
            ])
        }

        @Test func everyTwoSessionsOnMonWedFri() {
            let schedule = Self.schedule(weeks: 2, sessions: .weekdays(Fixture.monWedFri),
                                         rule: Fixture.rule(.sessions(2)), stageCount: 10)
            #expect(sessionTable(schedule, "prog") == [
                "2026-12-07=0", "2026-12-09=0", "2026-12-11=1",
                "2026-12-14=1", "2026-12-16=2", "2026-12-18=2",
            ])
        }

        @Test func atMostTwoPerWeekEverySessionOnEveryOtherDay() {
            // Hand-worked: an advance at D needs fewer than 2 advances in D-6...D-1.
            // Dec 9 (none before) ✓, Dec 11 ({9}) ✓, Dec 13 ({9,11}) ✗, Dec 15 ({9,11}) ✗,
            // Dec 17 ({11}) ✓, Dec 19 ({17}) ✓, Dec 21 ✗, Dec 23 ✗, Dec 25 ✓, Dec 27 ✓, ...
            let schedule = Self.schedule(weeks: 4, sessions: .everyOtherDay,
                                         rule: Fixture.rule(.sessions(1), atMost: 2), stageCount: 20)
            #expect(sessionTable(schedule, "prog") == [
                "2026-12-07=0", "2026-12-09=1", "2026-12-11=2", "2026-12-13=2",
                "2026-12-15=2", "2026-12-17=3", "2026-12-19=4", "2026-12-21=4",
                "2026-12-23=4", "2026-12-25=5", "2026-12-27=6", "2026-12-29=6",
                "2026-12-31=6", "2027-01-02=7",
            ])
            let advances = advanceDates(schedule, "prog")
            #expect(advances == ["2026-12-09", "2026-12-11", "2026-12-17", "2026-12-19",
                                 "2026-12-25", "2026-12-27", "2027-01-02"].map { Day(iso: $0)! })
            #expect(maxInAnySevenDays(advances) == 2)
        }

        @Test func atMostTwoPerWeekWithDailySessions() {
            // Sessions every day from Mon Dec 7; advances Dec 8, 9, then blocked until Dec 15
            // (window Dec 9...14 holds only Dec 9), Dec 16, then Dec 22, 23, Dec 29, 30.
            let schedule = Self.schedule(weeks: 4, sessions: .weekdays(Weekday.allCases),
                                         rule: Fixture.rule(.sessions(1), atMost: 2), stageCount: 20)
            #expect(sessionTable(schedule, "prog") == [
                "2026-12-07=0", "2026-12-08=1", "2026-12-09=2", "2026-12-10=2",
                "2026-12-11=2", "2026-12-12=2", "2026-12-13=2", "2026-12-14=2",
                "2026-12-15=3", "2026-12-16=4", "2026-12-17=4", "2026-12-18=4",
                "2026-12-19=4", "2026-12-20=4", "2026-12-21=4", "2026-12-22=5",
                "2026-12-23=6", "2026-12-24=6", "2026-12-25=6", "2026-12-26=6",
                "2026-12-27=6", "2026-12-28=6", "2026-12-29=7", "2026-12-30=8",
                "2026-12-31=8", "2027-01-01=8", "2027-01-02=8", "2027-01-03=8",
            ])
            let advances = advanceDates(schedule, "prog")
            #expect(advances == ["2026-12-08", "2026-12-09", "2026-12-15", "2026-12-16",
                                 "2026-12-22", "2026-12-23", "2026-12-29", "2026-12-30"].map { Day(iso: $0)! })
            #expect(maxInAnySevenDays(advances) == 2)
        }

        @Test func atMostOnePerWeekWithDailyDays() {
            // `every: 1 day`, `at_most: 1 per week`, daily sessions: one advance each Tuesday.
            let schedule = Self.schedule(weeks: 3, sessions: .weekdays(Weekday.allCases),
                                         rule: Fixture.rule(.days(1, upTo: nil), atMost: 1), stageCount: 20)
            #expect(advanceDates(schedule, "prog") == ["2026-12-08", "2026-12-15", "2026-12-22"].map { Day(iso: $0)! })
            let table = sessionTable(schedule, "prog")
            #expect(table.first == "2026-12-07=0")
            #expect(table.contains("2026-12-14=1"))
            #expect(table.contains("2026-12-15=2"))
            #expect(table.contains("2026-12-21=2"))
            #expect(table.last == "2026-12-27=3")
        }

        @Test func atMostTwoPerWeekWithEveryTwoToThreeDays() {
            // The seed rule plus "no more than 2 levels in 7 days", Mon/Wed/Fri from Dec 14.
            let schedule = Self.schedule(start: "2026-12-14", weeks: 4, sessions: .weekdays(Fixture.monWedFri),
                                         rule: Fixture.rule(.days(2, upTo: 3), atMost: 2), stageCount: 12)
            #expect(sessionTable(schedule, "prog") == [
                "2026-12-14=0", "2026-12-16=1", "2026-12-18=2",
                "2026-12-21=2", "2026-12-23=3", "2026-12-25=4",
                "2026-12-28=4", "2026-12-30=5", "2027-01-01=6",
                "2027-01-04=6", "2027-01-06=7", "2027-01-08=8",
            ])
            #expect(maxInAnySevenDays(advanceDates(schedule, "prog")) == 2)
        }

        @Test func lastStageRepeats() {
            let schedule = Self.schedule(weeks: 2, sessions: .weekdays(Fixture.monWedFri),
                                         rule: Fixture.rule(.sessions(1)), stageCount: 3)
            #expect(sessionTable(schedule, "prog") == [
                "2026-12-07=0", "2026-12-09=1", "2026-12-11=2",
                "2026-12-14=2", "2026-12-16=2", "2026-12-18=2",
            ])
        }

        @Test func singleStageNeverAdvances() {
            let schedule = Self.schedule(weeks: 1, sessions: .weekdays(Fixture.monWedFri),
                                         rule: Fixture.rule(.sessions(1)), stageCount: 1)
            #expect(sessionTable(schedule, "prog") == ["2026-12-07=0", "2026-12-09=0", "2026-12-11=0"])
        }

        @Test func everyOtherDayCrossesMonthAndYear() {
            let schedule = Self.schedule(start: "2026-12-28", weeks: 1, sessions: .everyOtherDay,
                                         rule: Fixture.rule(.sessions(1)), stageCount: 10)
            #expect(sessionTable(schedule, "prog") == [
                "2026-12-28=0", "2026-12-30=1", "2027-01-01=2", "2027-01-03=3",
            ])
        }

        @Test func planDaysOverrideProgressionSchedule() {
            let plan = Fixture.plan(start: "2026-12-07", weeks: 1, progressions: [
                Fixture.progression("prog", days: [.tuesday, .thursday, .saturday]),
            ])
            let inputs = Fixture.inputs(progressions: [
                "prog": (.weekdays(Fixture.monWedFri), Fixture.rule(.days(2, upTo: nil)), 10),
            ])
            let schedule = Scheduler.schedule(plan, inputs: inputs, weekStarts: .monday)
            #expect(sessionTable(schedule, "prog") == ["2026-12-08=0", "2026-12-10=1", "2026-12-12=2"])
        }

        @Test func planDaysOverrideEveryOtherDay() {
            let plan = Fixture.plan(start: "2026-12-07", weeks: 1, progressions: [
                Fixture.progression("prog", days: [.monday, .friday]),
            ])
            let inputs = Fixture.inputs(progressions: ["prog": (.everyOtherDay, Fixture.rule(.sessions(1)), 10)])
            let schedule = Scheduler.schedule(plan, inputs: inputs, weekStarts: .monday)
            #expect(sessionTable(schedule, "prog") == ["2026-12-07=0", "2026-12-11=1"])
        }
    }

    // MARK: - Weekly frequency

    @Suite("Weekly frequency mapping")
    struct WeeklyFrequency {
        static func dates(base: Dosage, planned: Dosage = Dosage(), days: [Weekday]? = nil, weeks: Int = 1) -> [String] {
            let plan = Fixture.plan(start: "2026-12-07", weeks: weeks,
                                    exercises: [Fixture.exercise("ex", planned, days: days)])
            let schedule = Scheduler.schedule(plan, inputs: Fixture.inputs(exercises: ["ex": base]), weekStarts: .monday)
            return exerciseDates(schedule, "ex")
        }

        // Week of Mon 2026-12-07 ... Sun 2026-12-13.
        static let cases: [(Int, [String])] = [
            (1, ["2026-12-07"]),
            (2, ["2026-12-07", "2026-12-10"]),
            (3, ["2026-12-07", "2026-12-09", "2026-12-11"]),
            (4, ["2026-12-07", "2026-12-08", "2026-12-10", "2026-12-11"]),
            (5, ["2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11"]),
            (6, ["2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11", "2026-12-12"]),
            (7, ["2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11", "2026-12-12", "2026-12-13"]),
        ]

        @Test(arguments: cases)
        func weeklyMapsToFixedWeekdays(weekly: Int, expected: [String]) {
            #expect(Self.dates(base: Dosage(reps: 10, sets: 3, weekly: weekly)) == expected)
        }

        @Test func weeklyThreeIsMonWedFriEveryWeek() {
            #expect(Self.dates(base: Dosage(reps: 10, sets: 3, daily: 1, weekly: 3), weeks: 2) == [
                "2026-12-07", "2026-12-09", "2026-12-11", "2026-12-14", "2026-12-16", "2026-12-18",
            ])
        }

        @Test func weeklySevenIsEveryDay() {
            let dates = Self.dates(base: Dosage(weekly: 7), weeks: 2)
            #expect(dates.count == 14)
            #expect(dates.first == "2026-12-07")
            #expect(dates.last == "2026-12-20")
        }

        @Test func forTimesPerWeekTable() {
            #expect(Weekday.forTimesPerWeek(1) == [.monday])
            #expect(Weekday.forTimesPerWeek(2) == [.monday, .thursday])
            #expect(Weekday.forTimesPerWeek(3) == [.monday, .wednesday, .friday])
            #expect(Weekday.forTimesPerWeek(4) == [.monday, .tuesday, .thursday, .friday])
            #expect(Weekday.forTimesPerWeek(5) == [.monday, .tuesday, .wednesday, .thursday, .friday])
            #expect(Weekday.forTimesPerWeek(6) == [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday])
            #expect(Weekday.forTimesPerWeek(7) == Weekday.allCases)
        }

        @Test func planWeeklyOverridesExerciseWeekly() {
            #expect(Self.dates(base: Dosage(weekly: 3), planned: Dosage(weekly: 2)) == ["2026-12-07", "2026-12-10"])
        }

        @Test func explicitDaysOverrideWeekly() {
            #expect(Self.dates(base: Dosage(weekly: 3), days: [.tuesday, .thursday, .saturday])
                    == ["2026-12-08", "2026-12-10", "2026-12-12"])
            // The plan sample: `days: [mon, wed, fri, sun]` over a weekly-3 exercise.
            #expect(Self.dates(base: Dosage(weekly: 3), days: [.monday, .wednesday, .friday, .sunday])
                    == ["2026-12-07", "2026-12-09", "2026-12-11", "2026-12-13"])
            // Days override a plan-level weekly too.
            #expect(Self.dates(base: Dosage(weekly: 7), planned: Dosage(weekly: 1), days: [.saturday])
                    == ["2026-12-12"])
        }

        @Test func dueDaysCarryTheMergedDosage() throws {
            let plan = Fixture.plan(start: "2026-12-07", weeks: 1,
                                    exercises: [Fixture.exercise("ex", Dosage(sets: 2))])
            let inputs = Fixture.inputs(exercises: ["ex": Dosage(reps: 10, sets: 3, daily: 1, weekly: 3)])
            let schedule = Scheduler.schedule(plan, inputs: inputs, weekStarts: .monday)
            #expect(try dosage(schedule, "ex", on: "2026-12-09") == Dosage(reps: 10, sets: 2, daily: 1, weekly: 3))
            #expect(try dosage(schedule, "ex", on: "2026-12-10") == nil)
        }

        @Test func unknownExerciseIsSkipped() {
            let plan = Fixture.plan(start: "2026-12-07", weeks: 1, exercises: [Fixture.exercise("missing")])
            let schedule = Scheduler.schedule(plan, inputs: Fixture.inputs(), weekStarts: .monday)
            #expect(schedule.days.allSatisfy { $0.exercises.isEmpty })
            #expect(schedule.days.count == 7)
        }
    }

    // MARK: - Dosage changes

    @Suite("Dosage changes")
    struct Changes {
        static let base = Dosage(reps: 10, sets: 2, daily: 1, weekly: 7)

        static func schedule(_ changes: [(week: Int, dosage: Dosage)], planned: Dosage = Dosage(),
                             start: String = "2026-12-07", weekStarts: Weekday = .monday) -> PlanSchedule {
            let plan = Fixture.plan(start: start, weeks: 4,
                                    exercises: [Fixture.exercise("ex", planned, changes: changes)])
            return Scheduler.schedule(plan, inputs: Fixture.inputs(exercises: ["ex": base]), weekStarts: weekStarts)
        }

        @Test func changeAppliesFromItsWeekOnly() throws {
            // Weeks: 1 = Dec 7–13, 2 = Dec 14–20, 3 = Dec 21–27, 4 = Dec 28–Jan 3.
            let schedule = Self.schedule([(week: 3, dosage: Dosage(sets: 3))])
            #expect(try dosage(schedule, "ex", on: "2026-12-07")?.sets == 2)
            #expect(try dosage(schedule, "ex", on: "2026-12-16")?.sets == 2)
            #expect(try dosage(schedule, "ex", on: "2026-12-20")?.sets == 2)
            #expect(try dosage(schedule, "ex", on: "2026-12-21")?.sets == 3)
            #expect(try dosage(schedule, "ex", on: "2026-12-23")?.sets == 3)
            #expect(try dosage(schedule, "ex", on: "2027-01-03")?.sets == 3)
            // Only `sets` changes.
            #expect(try dosage(schedule, "ex", on: "2026-12-21") == Dosage(reps: 10, sets: 3, daily: 1, weekly: 7))
        }

        @Test func changesAccumulateInWeekOrder() throws {
            let schedule = Self.schedule([
                (week: 2, dosage: Dosage(reps: 12)),
                (week: 3, dosage: Dosage(sets: 3)),
                (week: 4, dosage: Dosage(reps: 15)),
            ])
            #expect(try dosage(schedule, "ex", on: "2026-12-13") == Dosage(reps: 10, sets: 2, daily: 1, weekly: 7))
            #expect(try dosage(schedule, "ex", on: "2026-12-14") == Dosage(reps: 12, sets: 2, daily: 1, weekly: 7))
            #expect(try dosage(schedule, "ex", on: "2026-12-21") == Dosage(reps: 12, sets: 3, daily: 1, weekly: 7))
            #expect(try dosage(schedule, "ex", on: "2026-12-28") == Dosage(reps: 15, sets: 3, daily: 1, weekly: 7))
        }

        @Test func laterChangeOfSameFieldWins() throws {
            let schedule = Self.schedule([
                (week: 2, dosage: Dosage(sets: 3)),
                (week: 4, dosage: Dosage(sets: 4)),
            ])
            #expect(try dosage(schedule, "ex", on: "2026-12-10")?.sets == 2)
            #expect(try dosage(schedule, "ex", on: "2026-12-17")?.sets == 3)
            #expect(try dosage(schedule, "ex", on: "2026-12-24")?.sets == 3)
            #expect(try dosage(schedule, "ex", on: "2026-12-31")?.sets == 4)
        }

        @Test
        func changesApplyInWeekOrderEvenIfListedOutOfOrder() throws {
            let schedule = Self.schedule([
                (week: 4, dosage: Dosage(sets: 4)),
                (week: 2, dosage: Dosage(sets: 3)),
            ])
            #expect(try dosage(schedule, "ex", on: "2026-12-10")?.sets == 2)
            #expect(try dosage(schedule, "ex", on: "2026-12-17")?.sets == 3)
            #expect(try dosage(schedule, "ex", on: "2026-12-31")?.sets == 4)
        }

        @Test func changesOverridePlanWhichOverridesExercise() throws {
            let schedule = Self.schedule([(week: 3, dosage: Dosage(reps: 8))], planned: Dosage(reps: 12, sets: 1))
            #expect(try dosage(schedule, "ex", on: "2026-12-14") == Dosage(reps: 12, sets: 1, daily: 1, weekly: 7))
            #expect(try dosage(schedule, "ex", on: "2026-12-21") == Dosage(reps: 8, sets: 1, daily: 1, weekly: 7))
        }

        @Test func weeklyChangeMovesTheDays() {
            let plan = Fixture.plan(start: "2026-12-07", weeks: 2, exercises: [
                Fixture.exercise("ex", changes: [(week: 2, dosage: Dosage(weekly: 3))]),
            ])
            let schedule = Scheduler.schedule(plan, inputs: Fixture.inputs(exercises: ["ex": Dosage(reps: 5, weekly: 2)]),
                                              weekStarts: .monday)
            #expect(exerciseDates(schedule, "ex") == [
                "2026-12-07", "2026-12-10",                  // week 1: weekly 2 → Mon, Thu
                "2026-12-14", "2026-12-16", "2026-12-18",    // week 2: weekly 3 → Mon, Wed, Fri
            ])
        }

        @Test func dosageFunctionDirectly() {
            let planned = Fixture.exercise("ex", Dosage(sets: 3), changes: [
                (week: 2, dosage: Dosage(hold: HoldTime(seconds: 30))),
                (week: 3, dosage: Dosage(sets: 4)),
            ])
            let base = Dosage(reps: 10, sets: 2, daily: 1, weekly: 3)
            #expect(Scheduler.dosage(of: planned, base: base, inWeek: 1) == Dosage(reps: 10, sets: 3, daily: 1, weekly: 3))
            #expect(Scheduler.dosage(of: planned, base: base, inWeek: 2)
                    == Dosage(reps: 10, sets: 3, hold: HoldTime(seconds: 30), daily: 1, weekly: 3))
            #expect(Scheduler.dosage(of: planned, base: base, inWeek: 3)
                    == Dosage(reps: 10, sets: 4, hold: HoldTime(seconds: 30), daily: 1, weekly: 3))
            #expect(Scheduler.dosage(of: planned, base: base, inWeek: 9)
                    == Dosage(reps: 10, sets: 4, hold: HoldTime(seconds: 30), daily: 1, weekly: 3))
        }
    }

    // MARK: - Plans not starting on the first day of the week

    @Suite("Mid-week starts")
    struct MidWeekStarts {
        /// Daily exercise with `{ week: 2, sets: 3 }`, walk-run Mon/Wed/Fri, default cross-training.
        static func schedule(start: String, weekStarts: Weekday, weeks: Int = 3) -> PlanSchedule {
            let plan = Fixture.plan(
                start: start, weeks: weeks,
                exercises: [Fixture.exercise("ex", changes: [(week: 2, dosage: Dosage(sets: 3))])],
                progressions: [Fixture.progression("walk-run")],
                crossTraining: CrossTraining(activities: ["cycling"], days: nil, note: nil))
            let inputs = Fixture.inputs(
                exercises: ["ex": Dosage(reps: 10, sets: 2, weekly: 7)],
                progressions: ["walk-run": (.weekdays(Fixture.monWedFri), Fixture.rule(.sessions(1)), 12)])
            return Scheduler.schedule(plan, inputs: inputs, weekStarts: weekStarts)
        }

        struct Case: Sendable, CustomTestStringConvertible {
            var start: String
            var weekStarts: Weekday
            var firstDay: String
            var lastDay: String
            var beforeStart: [String]
            /// [first, last] day of each of the 3 weeks.
            var weekBounds: [[String]]
            var lastDayOfWeek1: String
            var firstDayOfWeek2: String
            var firstSession: String
            var testDescription: String { "\(start) week_starts \(weekStarts.name)" }
        }

        static let cases: [Case] = [
            // Thursday start, weeks from Monday.
            Case(start: "2026-12-10", weekStarts: .monday, firstDay: "2026-12-07", lastDay: "2026-12-27",
                 beforeStart: ["2026-12-07", "2026-12-08", "2026-12-09"],
                 weekBounds: [["2026-12-07", "2026-12-13"], ["2026-12-14", "2026-12-20"], ["2026-12-21", "2026-12-27"]],
                 lastDayOfWeek1: "2026-12-13", firstDayOfWeek2: "2026-12-14", firstSession: "2026-12-11"),
            // Thursday start, weeks from Sunday.
            Case(start: "2026-12-10", weekStarts: .sunday, firstDay: "2026-12-06", lastDay: "2026-12-26",
                 beforeStart: ["2026-12-06", "2026-12-07", "2026-12-08", "2026-12-09"],
                 weekBounds: [["2026-12-06", "2026-12-12"], ["2026-12-13", "2026-12-19"], ["2026-12-20", "2026-12-26"]],
                 lastDayOfWeek1: "2026-12-12", firstDayOfWeek2: "2026-12-13", firstSession: "2026-12-11"),
            // Sunday start, weeks from Monday: week 1 holds only the start day.
            Case(start: "2026-12-13", weekStarts: .monday, firstDay: "2026-12-07", lastDay: "2026-12-27",
                 beforeStart: ["2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11", "2026-12-12"],
                 weekBounds: [["2026-12-07", "2026-12-13"], ["2026-12-14", "2026-12-20"], ["2026-12-21", "2026-12-27"]],
                 lastDayOfWeek1: "2026-12-13", firstDayOfWeek2: "2026-12-14", firstSession: "2026-12-14"),
            // Sunday start, weeks from Sunday: no days before the start.
            Case(start: "2026-12-13", weekStarts: .sunday, firstDay: "2026-12-13", lastDay: "2027-01-02",
                 beforeStart: [],
                 weekBounds: [["2026-12-13", "2026-12-19"], ["2026-12-20", "2026-12-26"], ["2026-12-27", "2027-01-02"]],
                 lastDayOfWeek1: "2026-12-19", firstDayOfWeek2: "2026-12-20", firstSession: "2026-12-14"),
        ]

        @Test(arguments: cases)
        func calendarShape(c: Case) throws {
            let schedule = Self.schedule(start: c.start, weekStarts: c.weekStarts)
            #expect(schedule.weeks.count == 3)
            #expect(schedule.weeks.map(\.number) == [1, 2, 3])
            #expect(schedule.weeks.allSatisfy { $0.days.count == 7 })
            #expect(schedule.days.count == 21)
            #expect(schedule.days.first?.date == Day(iso: c.firstDay)!)
            #expect(schedule.days.last?.date == Day(iso: c.lastDay)!)
            #expect(schedule.weeks.map { [$0.days.first!.date.iso, $0.days.last!.date.iso] } == c.weekBounds)
            #expect(schedule.days.first?.date.weekday == c.weekStarts)
            // Consecutive dates, no gaps.
            for (a, b) in zip(schedule.days, schedule.days.dropFirst()) {
                #expect(b.date - a.date == 1)
            }
        }

        @Test(arguments: cases)
        func daysBeforeStartAreEmpty(c: Case) throws {
            let schedule = Self.schedule(start: c.start, weekStarts: c.weekStarts)
            let outside = schedule.days.filter { !$0.inPlan }.map(\.date.iso)
            #expect(outside == c.beforeStart)
            for iso in c.beforeStart {
                let day = try #require(schedule.day(Day(iso: iso)!))
                #expect(!day.inPlan)
                #expect(!day.hasItems, "\(iso)")
                #expect(day.exercises.isEmpty && day.sessions.isEmpty && !day.crossTraining)
                #expect(!day.isRest, "a day before the plan is not a rest day")
            }
            let start = try #require(schedule.day(Day(iso: c.start)!))
            #expect(start.inPlan)
            #expect(start.exercises.count == 1)
        }

        @Test(arguments: cases)
        func weekNumberingForChanges(c: Case) throws {
            let schedule = Self.schedule(start: c.start, weekStarts: c.weekStarts)
            #expect(try dosage(schedule, "ex", on: c.start)?.sets == 2)
            #expect(try dosage(schedule, "ex", on: c.lastDayOfWeek1)?.sets == 2)
            #expect(try dosage(schedule, "ex", on: c.firstDayOfWeek2)?.sets == 3)
            let week2 = schedule.weeks[1]
            #expect(week2.number == 2)
            #expect(week2.days.first?.date == Day(iso: c.firstDayOfWeek2)!)
            #expect(week2.days.allSatisfy { $0.exercises.first?.dosage.sets == 3 })
        }

        @Test(arguments: cases)
        func firstSessionIsOnOrAfterStartAtStageOne(c: Case) throws {
            let schedule = Self.schedule(start: c.start, weekStarts: c.weekStarts)
            let first = try #require(sessionTable(schedule, "walk-run").first)
            #expect(first == "\(c.firstSession)=0")
        }

        @Test func thursdayStartMondayWeeksSessions() {
            let schedule = Self.schedule(start: "2026-12-10", weekStarts: .monday)
            #expect(sessionTable(schedule, "walk-run") == [
                "2026-12-11=0",
                "2026-12-14=1", "2026-12-16=2", "2026-12-18=3",
                "2026-12-21=4", "2026-12-23=5", "2026-12-25=6",
            ])
        }

        @Test func sundayStartSundayWeeksEndsOnSaturday() {
            let schedule = Self.schedule(start: "2026-12-13", weekStarts: .sunday, weeks: 2)
            #expect(schedule.days.count == 14)
            #expect(schedule.days.last?.date == Day(iso: "2026-12-26")!)
            #expect(schedule.days.allSatisfy { $0.inPlan })
        }

        @Test func firstDayOfWeekHelper() {
            #expect(Scheduler.firstDayOfWeek(containing: Day(iso: "2026-12-10")!, weekStarts: .monday) == Day(iso: "2026-12-07")!)
            #expect(Scheduler.firstDayOfWeek(containing: Day(iso: "2026-12-10")!, weekStarts: .sunday) == Day(iso: "2026-12-06")!)
            #expect(Scheduler.firstDayOfWeek(containing: Day(iso: "2026-12-13")!, weekStarts: .monday) == Day(iso: "2026-12-07")!)
            #expect(Scheduler.firstDayOfWeek(containing: Day(iso: "2026-12-13")!, weekStarts: .sunday) == Day(iso: "2026-12-13")!)
            #expect(Scheduler.firstDayOfWeek(containing: Day(iso: "2026-12-07")!, weekStarts: .monday) == Day(iso: "2026-12-07")!)
            #expect(Scheduler.firstDayOfWeek(containing: Day(iso: "2027-01-01")!, weekStarts: .monday) == Day(iso: "2026-12-28")!)
            #expect(Scheduler.firstDayOfWeek(containing: Day(iso: "2027-01-01")!, weekStarts: .sunday) == Day(iso: "2026-12-27")!)
        }
    }

    // MARK: - Cross-training

    @Suite("Cross-training")
    struct CrossTrainingDays {
        static func schedule(crossDays: [Weekday]?, progressionStart: String? = "2026-12-14",
                             withProgression: Bool = true, start: String = "2026-12-07") -> PlanSchedule {
            let plan = Fixture.plan(
                start: start, weeks: 2,
                progressions: withProgression ? [Fixture.progression("walk-run", start: progressionStart)] : [],
                crossTraining: CrossTraining(activities: ["cycling", "swimming"], days: crossDays, note: "20-30 minutes"))
            let inputs = Fixture.inputs(progressions: [
                "walk-run": (.weekdays(Fixture.monWedFri), Fixture.rule(.days(2, upTo: 3)), 12),
            ])
            return Scheduler.schedule(plan, inputs: inputs, weekStarts: .monday)
        }

        static func crossDates(_ s: PlanSchedule) -> [String] { s.days.filter(\.crossTraining).map(\.date.iso) }

        @Test func explicitDays() {
            #expect(Self.crossDates(Self.schedule(crossDays: [.tuesday, .saturday])) == [
                "2026-12-08", "2026-12-12", "2026-12-15", "2026-12-19",
            ])
        }

        @Test func explicitDaysMayShareASessionDay() throws {
            let schedule = Self.schedule(crossDays: [.monday])
            #expect(Self.crossDates(schedule) == ["2026-12-07", "2026-12-14"])
            let monday = try #require(schedule.day(Day(iso: "2026-12-14")!))
            #expect(monday.crossTraining)
            #expect(monday.sessions.count == 1)
        }

        @Test func defaultIsInPlanDaysWithoutSession() {
            // Progression from Mon Dec 14 on Mon/Wed/Fri: the first week has no sessions at all.
            #expect(Self.crossDates(Self.schedule(crossDays: nil)) == [
                "2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11", "2026-12-12", "2026-12-13",
                "2026-12-15", "2026-12-17", "2026-12-19", "2026-12-20",
            ])
        }

        @Test func defaultWithProgressionFromPlanStart() {
            #expect(Self.crossDates(Self.schedule(crossDays: nil, progressionStart: nil)) == [
                "2026-12-08", "2026-12-10", "2026-12-12", "2026-12-13",
                "2026-12-15", "2026-12-17", "2026-12-19", "2026-12-20",
            ])
        }

        @Test func defaultWithoutProgressionIsEveryInPlanDay() {
            let schedule = Self.schedule(crossDays: nil, withProgression: false, start: "2026-12-10")
            #expect(Self.crossDates(schedule) == [
                "2026-12-10", "2026-12-11", "2026-12-12", "2026-12-13",
                "2026-12-14", "2026-12-15", "2026-12-16", "2026-12-17", "2026-12-18", "2026-12-19", "2026-12-20",
            ])
        }

        @Test func neverBeforePlanStart() {
            let schedule = Self.schedule(crossDays: [.monday, .tuesday, .wednesday], progressionStart: nil, start: "2026-12-09")
            #expect(Self.crossDates(schedule) == ["2026-12-09", "2026-12-14", "2026-12-15", "2026-12-16"])
        }

        @Test func noCrossTrainingWithoutEntry() {
            let plan = Fixture.plan(start: "2026-12-07", weeks: 1)
            let schedule = Scheduler.schedule(plan, inputs: Fixture.inputs(), weekStarts: .monday)
            #expect(schedule.days.allSatisfy { !$0.crossTraining })
            #expect(schedule.days.allSatisfy { $0.isRest })
        }

        @Test func restDays() throws {
            // Progression Mon/Wed/Fri, cross-training Tue/Sat: Thu and Sun are rest days.
            let schedule = Self.schedule(crossDays: [.tuesday, .saturday], progressionStart: nil)
            let rest = schedule.days.filter(\.isRest).map(\.date.iso)
            #expect(rest == ["2026-12-10", "2026-12-13", "2026-12-17", "2026-12-20"])
        }
    }

    // MARK: - Progression start

    @Suite("Progression start")
    struct ProgressionStart {
        static func schedule(planStart: String, progressionStart: String?, weeks: Int = 3) -> PlanSchedule {
            let plan = Fixture.plan(start: planStart, weeks: weeks,
                                    progressions: [Fixture.progression("walk-run", start: progressionStart)])
            let inputs = Fixture.inputs(progressions: [
                "walk-run": (.weekdays(Fixture.monWedFri), Fixture.rule(.days(2, upTo: 3)), 12),
            ])
            return Scheduler.schedule(plan, inputs: inputs, weekStarts: .monday)
        }

        @Test func laterStartHasNoSessionsBeforeIt() {
            let schedule = Self.schedule(planStart: "2026-12-07", progressionStart: "2026-12-16")
            #expect(sessionTable(schedule, "walk-run") == [
                "2026-12-16=0", "2026-12-18=1", "2026-12-21=2", "2026-12-23=3", "2026-12-25=4",
            ])
            let before = schedule.days.filter { $0.date < Day(iso: "2026-12-16")! }
            #expect(before.count == 9)
            #expect(before.allSatisfy { $0.sessions.isEmpty })
        }

        @Test func startOnNonSessionDayBeginsAtNextSessionDay() {
            let schedule = Self.schedule(planStart: "2026-12-07", progressionStart: "2026-12-15")
            #expect(sessionTable(schedule, "walk-run").first == "2026-12-16=0")
        }

        @Test func everyOtherDayCountsFromProgressionStart() {
            let plan = Fixture.plan(start: "2026-12-07", weeks: 2,
                                    progressions: [Fixture.progression("prog", start: "2026-12-10")])
            let inputs = Fixture.inputs(progressions: ["prog": (.everyOtherDay, Fixture.rule(.sessions(1)), 12)])
            let schedule = Scheduler.schedule(plan, inputs: inputs, weekStarts: .monday)
            #expect(sessionTable(schedule, "prog") == [
                "2026-12-10=0", "2026-12-12=1", "2026-12-14=2", "2026-12-16=3", "2026-12-18=4", "2026-12-20=5",
            ])
        }

        @Test func defaultStartIsPlanStart() {
            let schedule = Self.schedule(planStart: "2026-12-09", progressionStart: nil, weeks: 1)
            #expect(sessionTable(schedule, "walk-run") == ["2026-12-09=0", "2026-12-11=1"])
        }

        @Test func earlierStartThanPlanHasNoSessionsOutsideThePlan() {
            let schedule = Self.schedule(planStart: "2026-12-09", progressionStart: "2026-12-01", weeks: 1)
            let table = sessionTable(schedule, "walk-run")
            #expect(!table.contains { $0.hasPrefix("2026-12-07") })
            #expect(schedule.days.filter { !$0.inPlan }.allSatisfy { $0.sessions.isEmpty })
        }

        @Test func startAfterLastWeekGivesNoSessions() {
            let schedule = Self.schedule(planStart: "2026-12-07", progressionStart: "2027-02-01")
            #expect(sessionTable(schedule, "walk-run").isEmpty)
        }

        @Test func unknownProgressionIsSkipped() {
            let plan = Fixture.plan(start: "2026-12-07", weeks: 1, progressions: [Fixture.progression("nope")])
            let schedule = Scheduler.schedule(plan, inputs: Fixture.inputs(), weekStarts: .monday)
            #expect(schedule.days.allSatisfy { $0.sessions.isEmpty })
        }

        @Test func sessionDatesHelper() {
            let start = Day(iso: "2026-12-30")!, end = Day(iso: "2027-01-06")!
            #expect(Scheduler.sessionDates(from: start, before: end, on: .weekdays(Fixture.monWedFri)).map(\.iso)
                    == ["2026-12-30", "2027-01-01", "2027-01-04"])
            #expect(Scheduler.sessionDates(from: start, before: end, on: .everyOtherDay).map(\.iso)
                    == ["2026-12-30", "2027-01-01", "2027-01-03", "2027-01-05"])
            #expect(Scheduler.sessionDates(from: end, before: start, on: .everyOtherDay).isEmpty)
            #expect(Scheduler.sessionDates(from: start, before: start, on: .everyOtherDay).isEmpty)
        }
    }

    // MARK: - Whole schedule

    @Test func eightWeekPlanHasFiftySixDays() {
        let plan = Fixture.plan(start: "2026-12-07", weeks: 8)
        let schedule = Scheduler.schedule(plan, inputs: Fixture.inputs(), weekStarts: .monday)
        #expect(schedule.weeks.count == 8)
        #expect(schedule.days.count == 56)
        #expect(schedule.days.first?.date == Day(iso: "2026-12-07")!)
        #expect(schedule.days.last?.date == Day(iso: "2027-01-31")!)
        #expect(schedule.weeks[7].number == 8)
        #expect(schedule.weeks[7].days.first?.date == Day(iso: "2027-01-25")!)
    }

    @Test func scheduleIsDeterministic() {
        let plan = Fixture.plan(start: "2026-12-10", weeks: 4,
                                exercises: [Fixture.exercise("ex")],
                                progressions: [Fixture.progression("walk-run")],
                                crossTraining: CrossTraining(activities: ["cycling"], days: nil, note: nil))
        let inputs = Fixture.inputs(exercises: ["ex": Dosage(reps: 10, weekly: 3)],
                                    progressions: ["walk-run": (.everyOtherDay, Fixture.rule(.weeks(1), atMost: 1), 6)])
        #expect(Scheduler.schedule(plan, inputs: inputs, weekStarts: .sunday)
                == Scheduler.schedule(plan, inputs: inputs, weekStarts: .sunday))
    }

    @Test func itemsKeepPlanOrder() throws {
        let plan = Fixture.plan(start: "2026-12-07", weeks: 1,
                                exercises: [Fixture.exercise("b"), Fixture.exercise("a")],
                                progressions: [Fixture.progression("p2"), Fixture.progression("p1")])
        let inputs = Fixture.inputs(exercises: ["a": Dosage(weekly: 7), "b": Dosage(weekly: 7)],
                                    progressions: ["p1": (.weekdays([.monday]), Fixture.rule(.sessions(1)), 3),
                                                   "p2": (.weekdays([.monday]), Fixture.rule(.sessions(1)), 3)])
        let schedule = Scheduler.schedule(plan, inputs: inputs, weekStarts: .monday)
        let monday = try #require(schedule.day(Day(iso: "2026-12-07")!))
        #expect(monday.exercises.map(\.slug) == ["b", "a"])
        #expect(monday.sessions.map(\.progression) == ["p2", "p1"])
    }
}

extension Stage {
    /// The stage as the progression file writes it, for pinning ladders.
    var written: String {
        segments.map(\.text).joined(separator: " / ") + (repeatCount.map { " × \($0.text)" } ?? "")
    }
}

// MARK: - Pauses and a plan ended early

/// Worked out by hand from FORMATS.md ("Pauses"): nothing is due on a paused day or after
/// `ended`; time at a stage counts unpaused days only, so each program takes up where it
/// was and every later stage moves by the pause.
@Suite struct PausedScheduleTests {
    static func pause(_ from: String, _ to: String, note: String? = nil) -> Pause {
        Pause(from: Day(iso: from)!, to: Day(iso: to)!, note: note, location: Fixture.location)
    }

    /// The seed program from Mon 2026-12-14 (Mon/Wed/Fri, every 2-3 days), 4 weeks.
    static func seed(pauses: [Pause] = [], ended: String? = nil) -> PlanSchedule {
        var plan = Fixture.plan(start: "2026-12-14", weeks: 4, progressions: [Fixture.progression("walk-run", days: Fixture.monWedFri)])
        plan.pauses = pauses
        plan.ended = ended.map { Day(iso: $0)! }
        let inputs = Fixture.inputs(progressions: [
            "walk-run": (.weekdays(Fixture.monWedFri), Fixture.rule(.days(2, upTo: 3)), Fixture.seedStages.count),
        ])
        return Scheduler.schedule(plan, inputs: inputs, weekStarts: .monday)
    }

    @Test func aWeekOffMovesEveryLaterStageByAWeek() {
        #expect(sessionTable(Self.seed(), "walk-run") == [
            "2026-12-14=0", "2026-12-16=1", "2026-12-18=2", "2026-12-21=3", "2026-12-23=4", "2026-12-25=5",
            "2026-12-28=6", "2026-12-30=7", "2027-01-01=8", "2027-01-04=9", "2027-01-06=10", "2027-01-08=11",
        ])
        // Paused Tue Dec 22 to Mon Dec 28: stage 4 (index 3) began Mon Dec 21 with one day
        // before the pause; Wed Dec 30 is its second unpaused day, so stage 5 (index 4) falls
        // there, a week after Dec 23, where it was without the pause.
        #expect(sessionTable(Self.seed(pauses: [Self.pause("2026-12-22", "2026-12-28")]), "walk-run") == [
            "2026-12-14=0", "2026-12-16=1", "2026-12-18=2", "2026-12-21=3",
            "2026-12-30=4", "2027-01-01=5", "2027-01-04=6", "2027-01-06=7", "2027-01-08=8",
        ])
    }

    @Test func twoShortPauses() {
        // Off Wed Dec 16 (1 day) and Fri Dec 25 to Sun Dec 27 (3 days). Dec 18: 4 days since
        // Dec 14 less 1 paused = 3 → index 1. Dec 21, 23: index 2, 3. Dec 28: 5 days since
        // Dec 23 less 3 paused = 2 → index 4; then every session moves up.
        let schedule = Self.seed(pauses: [Self.pause("2026-12-16", "2026-12-16"), Self.pause("2026-12-25", "2026-12-27")])
        #expect(sessionTable(schedule, "walk-run") == [
            "2026-12-14=0", "2026-12-18=1", "2026-12-21=2", "2026-12-23=3", "2026-12-28=4", "2026-12-30=5",
            "2027-01-01=6", "2027-01-04=7", "2027-01-06=8", "2027-01-08=9",
        ])
    }

    @Test func aWeeklyStageWaitsForItsUnpausedWeek() {
        // Every week, Mon/Wed/Fri from Mon Dec 7; off Tue Dec 8 to Thu Dec 10. Fri Dec 11 has
        // 4 - 3 = 1 unpaused day at stage 1, Mon Dec 14 4, Wed Dec 16 6, Fri Dec 18 8: it moves up there.
        var plan = Fixture.plan(start: "2026-12-07", weeks: 3, progressions: [Fixture.progression("p")])
        plan.pauses = [Self.pause("2026-12-08", "2026-12-10")]
        let inputs = Fixture.inputs(progressions: ["p": (.weekdays(Fixture.monWedFri), Fixture.rule(.weeks(1)), 4)])
        #expect(sessionTable(Scheduler.schedule(plan, inputs: inputs, weekStarts: .monday), "p") == [
            "2026-12-07=0", "2026-12-11=0", "2026-12-14=0", "2026-12-16=0", "2026-12-18=1", "2026-12-21=1", "2026-12-23=1", "2026-12-25=2",
        ])
    }

    @Test func aSessionRuleCountsOnlySessionsDone() {
        // Every 2 sessions, daily from Mon Dec 7, off Wed Dec 9 to Thu Dec 10.
        var plan = Fixture.plan(start: "2026-12-07", weeks: 1, progressions: [Fixture.progression("p")])
        plan.pauses = [Self.pause("2026-12-09", "2026-12-10")]
        let inputs = Fixture.inputs(progressions: ["p": (.weekdays(Weekday.allCases), Fixture.rule(.sessions(2)), 5)])
        #expect(sessionTable(Scheduler.schedule(plan, inputs: inputs, weekStarts: .monday), "p") == [
            "2026-12-07=0", "2026-12-08=0", "2026-12-11=1", "2026-12-12=1", "2026-12-13=2",
        ])
    }

    @Test func exercisesAndCrossTrainingSkipPausedDays() throws {
        var plan = Fixture.plan(start: "2026-12-07", weeks: 2, exercises: [Fixture.exercise("bridge")],
                                crossTraining: CrossTraining(activities: ["cycling"], days: [.tuesday, .thursday]))
        plan.pauses = [Self.pause("2026-12-09", "2026-12-15", note: "Flu")]
        let schedule = Scheduler.schedule(plan, inputs: Fixture.inputs(exercises: ["bridge": Dosage(weekly: 3)]), weekStarts: .monday)
        #expect(exerciseDates(schedule, "bridge") == ["2026-12-07", "2026-12-16", "2026-12-18"])
        #expect(schedule.days.filter(\.crossTraining).map(\.date.iso) == ["2026-12-08", "2026-12-17"])
        for iso in ["2026-12-09", "2026-12-12", "2026-12-15"] {
            let day = try #require(schedule.day(Day(iso: iso)!))
            #expect(day.pause == 0 && !day.inPlan && !day.hasItems && !day.isRest, "\(iso)")
        }
        #expect(try #require(schedule.day(Day(iso: "2026-12-16")!)).pause == nil)
    }

    @Test func nothingIsDueAfterThePlanEnded() throws {
        let schedule = Self.seed(ended: "2026-12-23")
        #expect(sessionTable(schedule, "walk-run") == ["2026-12-14=0", "2026-12-16=1", "2026-12-18=2", "2026-12-21=3", "2026-12-23=4"])
        let after = schedule.days.filter { $0.date > Day(iso: "2026-12-23")! }
        #expect(after.count == 18 && after.allSatisfy { $0.afterEnd && !$0.inPlan && !$0.hasItems })
        #expect(try #require(schedule.day(Day(iso: "2026-12-23")!)).inPlan)
        // A pause that runs on after the plan ended: its days after are days after the end.
        let paused = Self.seed(pauses: [Self.pause("2026-12-22", "2026-12-27")], ended: "2026-12-23")
        #expect(paused.days.filter { $0.pause != nil }.map(\.date.iso) == ["2026-12-22", "2026-12-23"])
        #expect(paused.days.filter(\.afterEnd).count == 18)
    }

    @Test func pausedDaysBefore() {
        let pauses = [Self.pause("2026-12-10", "2026-12-12"), Self.pause("2026-12-20", "2026-12-20")]
        let counts = ["2026-12-10", "2026-12-11", "2026-12-13", "2026-12-20", "2026-12-21"].map { Pause.pausedDays(pauses, before: Day(iso: $0)!) }
        #expect(counts == [0, 1, 3, 3, 4])
    }
}
