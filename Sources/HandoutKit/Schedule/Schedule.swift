/// What the patient does on one day.
public struct ScheduledDay: Sendable, Equatable {
    public var date: Day
    /// False for days of the first week before the plan starts, paused days and days after
    /// `ended`: shown, but nothing is due.
    public var inPlan: Bool
    /// The plan's pause that holds this day (its index in `Plan.pauses`).
    public var pause: Int? = nil
    /// After the day the plan `ended`.
    public var afterEnd = false
    public var exercises: [ScheduledExercise] = []
    public var sessions: [ScheduledSession] = []
    public var crossTraining: Bool = false

    public var isRest: Bool { inPlan && exercises.isEmpty && sessions.isEmpty && !crossTraining }
    public var hasItems: Bool { !exercises.isEmpty || !sessions.isEmpty || crossTraining }
}

public struct ScheduledExercise: Sendable, Equatable {
    public var slug: String
    /// The week's dose: DAILY and WEEKLY set, WEEKLY the number of the week's days.
    public var dosage: Dosage
    public var sides: Sides = .none
}

/// One progression session with the stage planned for it.
public struct ScheduledSession: Sendable, Equatable {
    public var progression: String
    /// 0-based index into the progression's stages.
    public var stageIndex: Int
}

public struct ScheduledWeek: Sendable, Equatable {
    /// 1-based; week 1 holds the plan's start.
    public var number: Int
    public var days: [ScheduledDay]
}

public struct PlanSchedule: Sendable, Equatable {
    public var weeks: [ScheduledWeek]

    public var days: [ScheduledDay] { weeks.flatMap(\.days) }

    public func day(_ date: Day) -> ScheduledDay? { days.first { $0.date == date } }

    /// The last stage (0-based) each progression reaches on the calendar.
    func highestStages() -> [String: Int] {
        var result: [String: Int] = [:]
        for day in days {
            for session in day.sessions { result[session.progression] = max(result[session.progression] ?? 0, session.stageIndex) }
        }
        return result
    }
}

/// What the schedule needs to know about content, so it stays pure and testable.
public struct ScheduleInputs: Sendable {
    public var exerciseDosage: [String: Dosage]
    /// Exercises done per side (`sides` in their front matter); absent means `none`.
    public var exerciseSides: [String: Sides]
    public var progressions: [String: (sessionDays: SessionDays, advance: AdvanceRule, stageCount: Int)]

    public init(exerciseDosage: [String: Dosage], exerciseSides: [String: Sides] = [:],
                progressions: [String: (sessionDays: SessionDays, advance: AdvanceRule, stageCount: Int)]) {
        self.exerciseDosage = exerciseDosage
        self.exerciseSides = exerciseSides
        self.progressions = progressions
    }

    public init(library: ContentLibrary) {
        exerciseDosage = library.exercises.mapValues(\.dosage)
        exerciseSides = library.exercises.mapValues(\.sides)
        progressions = library.progressions.mapValues { ($0.sessionDays, $0.advance, $0.stages.count) }
    }
}

/// Expands a plan into dated days. Pure: dates in, days out.
public enum Scheduler {
    public static func schedule(_ plan: Plan, inputs: ScheduleInputs, weekStarts: Weekday) -> PlanSchedule {
        let first = firstDayOfWeek(containing: plan.start, weekStarts: weekStarts)
        let end = first.adding(days: 7 * plan.weeks)
        var days = (0..<(7 * plan.weeks)).map { offset -> ScheduledDay in
            let date = first.adding(days: offset)
            // After the plan ended a day is only that, even inside a pause that ran on.
            let afterEnd = plan.ended.map { date > $0 } ?? false
            let pause = afterEnd ? nil : plan.pause(on: date)
            return ScheduledDay(date: date, inPlan: date >= plan.start && pause == nil && !afterEnd, pause: pause, afterEnd: afterEnd)
        }
        func index(of date: Day) -> Int { date - first }

        for planned in plan.progressions {
            guard let progression = inputs.progressions[planned.slug] else { continue }
            let start = max(planned.start ?? plan.start, plan.start)
            let pattern = planned.days.map(SessionDays.weekdays) ?? progression.sessionDays
            let dates = sessionDates(from: start, before: end, on: pattern).filter { days[index(of: $0)].inPlan }
            // Paused days do not count as time at a stage: the program takes up again at the
            // stage it had reached, and every later stage moves by the pause.
            let counted = dates.map { $0.adding(days: -Pause.pausedDays(plan.pauses, before: $0)) }
            let stages = stageIndices(at: counted, advance: progression.advance, stageCount: progression.stageCount)
            for (date, stage) in zip(dates, stages) {
                days[index(of: date)].sessions.append(ScheduledSession(progression: planned.slug, stageIndex: stage))
            }
        }

        for planned in plan.exercises {
            guard let base = inputs.exerciseDosage[planned.slug] else { continue }
            let sides = inputs.exerciseSides[planned.slug] ?? .none
            var week = 0, dose: WeekDose?
            for i in days.indices where days[i].inPlan {
                if i / 7 + 1 != week {
                    week = i / 7 + 1
                    dose = self.dose(of: planned, base: base, sides: sides, inWeek: week)
                }
                if let dose, dose.days.contains(days[i].date.weekday) {
                    days[i].exercises.append(ScheduledExercise(slug: planned.slug, dosage: dose.dosage, sides: dose.sides))
                }
            }
        }

        if let cross = plan.crossTraining {
            for i in days.indices where days[i].inPlan {
                let due = cross.days.map { $0.contains(days[i].date.weekday) } ?? days[i].sessions.isEmpty
                days[i].crossTraining = due
            }
        }

        let weeks = (0..<plan.weeks).map { w in
            ScheduledWeek(number: w + 1, days: Array(days[(w * 7)..<(w * 7 + 7)]))
        }
        return PlanSchedule(weeks: weeks)
    }

    /// Merge rule: exercise default, then the plan entry, then each change up to `week` in order.
    public static func dosage(of planned: PlannedExercise, base: Dosage, inWeek week: Int) -> Dosage {
        var dosage = base.overridden(by: planned.dosage)
        for change in planned.changes.sorted(by: { $0.week < $1.week }) where change.week <= week {
            dosage = dosage.overridden(by: change.dosage)
        }
        return dosage
    }

    /// The week's dose as the patient's paper prints it: the merged fields, the days (the
    /// entry's or the latest change's, else the clinic's usual days for WEEKLY, every day
    /// without it), WEEKLY as the number of those days and DAILY 1 unless set. The handout's
    /// dose line, the calendar and the .ics all print this, so they agree.
    public static func dose(of planned: PlannedExercise, base: Dosage, sides: Sides, inWeek week: Int) -> WeekDose {
        var dosage = self.dosage(of: planned, base: base, inWeek: week)
        var written = planned.days
        for change in planned.changes.sorted(by: { $0.week < $1.week }) where change.week <= week {
            if let days = change.days { written = days }
        }
        let days = written ?? Weekday.forTimesPerWeek(dosage.weekly ?? 7)
        dosage.weekly = days.count
        dosage.daily = dosage.daily ?? 1
        return WeekDose(dosage: dosage, days: days, daysWritten: written != nil, sides: planned.sides ?? sides)
    }

    public static func firstDayOfWeek(containing date: Day, weekStarts: Weekday) -> Day {
        let back = (date.weekday.rawValue - weekStarts.rawValue + 7) % 7
        return date.adding(days: -back)
    }

    /// A plan's last day: the end of week `weeks`, counted from the week of `start`, as its
    /// calendar shows it.
    public static func lastDay(start: Day, weeks: Int, weekStarts: Weekday) -> Day {
        firstDayOfWeek(containing: start, weekStarts: weekStarts).adding(days: 7 * weeks - 1)
    }

    /// The last day a plan runs: the day it `ended`, else its calendar's last day. The index,
    /// `list plans`, `--active` and the day's batch all end a plan here.
    public static func lastDay(start: Day, weeks: Int, ended: Day?, weekStarts: Weekday) -> Day {
        ended ?? lastDay(start: start, weeks: weeks, weekStarts: weekStarts)
    }

    public static func sessionDates(from start: Day, before end: Day, on pattern: SessionDays) -> [Day] {
        guard start < end else { return [] }
        switch pattern {
        case .weekdays(let weekdays):
            return (0..<(end - start)).map { start.adding(days: $0) }.filter { weekdays.contains($0.weekday) }
        case .everyOtherDay:
            return stride(from: 0, to: end - start, by: 2).map { start.adding(days: $0) }
        }
    }

    /// The planned stage at each session, as PRODUCT.md states the rule: a stage begun at
    /// session date B advances at a later session D when enough days, weeks or sessions have
    /// passed and, with `at_most K per week`, fewer than K advances fell in the 6 days before D.
    /// Otherwise the stage repeats; after the last stage the last stage repeats.
    public static func stageIndices(at dates: [Day], advance: AdvanceRule, stageCount: Int) -> [Int] {
        var result: [Int] = []
        var stage = 0
        var began = dates.first
        var sessionsAtStage = 0
        var advances: [Day] = []
        for date in dates {
            if let b = began, !result.isEmpty, stage < stageCount - 1 {
                let ready: Bool
                switch advance.every {
                case .days(let n, _): ready = date - b >= n
                case .weeks(let n): ready = date - b >= 7 * n
                case .sessions(let n): ready = sessionsAtStage >= n
                }
                let recent = advances.filter { date - $0 <= 6 && date - $0 > 0 }.count
                if ready, recent < (advance.atMostPerWeek ?? Int.max) {
                    stage += 1
                    began = date
                    sessionsAtStage = 0
                    advances.append(date)
                }
            }
            result.append(stage)
            sessionsAtStage += 1
        }
        return result
    }
}
