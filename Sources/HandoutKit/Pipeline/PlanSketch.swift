import Foundation
import Yams

/// A plan as a form holds it: every value as the therapist typed it, and nil where the plan
/// does not write the field (its protocol's, or the site's, applies). `handout new` and the plan
/// editor of `handout serve` both write plan files through `text`, so a plan reads the same
/// whoever wrote it. What a value means is judged by the plan reader and checker, never here:
/// a value that is not what its field takes is written so the checker can say what is wrong.
public struct PlanSketch: Codable, Sendable, Equatable {
    public var patient: String?
    public var therapist: String?
    public var start: String?
    public var weeks: String?
    public var condition: String?
    public var protocolSlug: String?
    public var language: String?
    public var largePrint: Bool?
    public var includePages: [String]?
    public var painRule: String?
    public var exercises: [Exercise]?
    public var progressions: [Program]?
    public var crossTraining: CrossTraining?
    public var education: [String]?
    public var notes: String?
    public var pauses: [PauseEntry]?
    public var ended: String?
    /// The time of day (`08:00`), or `none`.
    public var reminders: String?

    enum CodingKeys: String, CodingKey {
        case patient, therapist, start, weeks, condition, protocolSlug = "protocol", language, largePrint = "large_print",
             includePages = "include_pages", painRule = "pain_rule", exercises, progressions,
             crossTraining = "cross_training", education, notes, pauses, ended, reminders
    }

    public init() {}

    public struct Exercise: Codable, Sendable, Equatable {
        public var exercise: String
        public var reps: String?
        public var sets: String?
        public var hold: String?
        public var daily: String?
        public var weekly: String?
        public var days: [String]?
        public var sides: String?
        public var note: String?
        public var changes: [Change]?

        public init(exercise: String) { self.exercise = exercise }
    }

    /// `{ week: 3, sets: 3 }`: a dose or days from that week on.
    public struct Change: Codable, Sendable, Equatable {
        public var week: String
        public var reps: String?
        public var sets: String?
        public var hold: String?
        public var daily: String?
        public var weekly: String?
        public var days: [String]?

        public init(week: String) { self.week = week }
    }

    public struct Program: Codable, Sendable, Equatable {
        public var progression: String
        public var start: String?
        public var days: [String]?

        public init(progression: String) { self.progression = progression }
    }

    public struct CrossTraining: Codable, Sendable, Equatable {
        public var activities: [String]
        public var days: [String]?
        public var note: String?

        public init(activities: [String]) { self.activities = activities }
    }

    /// `{ from: 2026-12-21, to: 2026-12-27, note: Flu }`.
    public struct PauseEntry: Codable, Sendable, Equatable {
        public var from: String?
        public var to: String?
        public var note: String?

        public init(from: String?, to: String?, note: String? = nil) {
            self.from = from
            self.to = to
            self.note = note
        }
    }
}

extension PlanSketch {
    /// What a plan's fields hold, as `handout new` writes them (its protocol's choices, or a
    /// copied plan's, filled in).
    init(fields: PlanFields, protocolSlug: String?, start: Day) {
        func codes(_ days: [Weekday]?) -> [String]? { days.map { $0.map(\.code) } }
        self.init()
        patient = ""
        therapist = fields.therapist
        self.start = start.iso
        weeks = String(fields.weeks ?? 6)
        condition = fields.condition
        self.protocolSlug = protocolSlug
        language = fields.language?.code
        largePrint = fields.largePrint
        includePages = fields.includePages?.map(\.slug)
        painRule = fields.painRule?.slug
        exercises = fields.exercises.map { entries in
            entries.map { planned in
                var entry = Exercise(exercise: planned.slug)
                entry.take(planned.dosage)
                entry.days = codes(planned.days)
                entry.sides = planned.sides?.rawValue
                entry.note = planned.note
                entry.changes = planned.changes.isEmpty ? nil : planned.changes.map { change in
                    var written = Change(week: String(change.week))
                    written.take(change.dosage)
                    written.days = codes(change.days)
                    return written
                }
                return entry
            }
        }
        progressions = fields.progressions.map { programs in
            programs.map { planned in
                var program = Program(progression: planned.slug)
                program.start = planned.start?.iso
                program.days = codes(planned.days)
                return program
            }
        }
        crossTraining = fields.crossTraining.map { cross in
            var written = CrossTraining(activities: cross.activities)
            written.days = codes(cross.days)
            written.note = cross.note
            return written
        }
        education = fields.education?.map(\.slug)
        notes = fields.notes.map(\.text)
    }

}

/// The dose fields an exercise entry and a change both write, as typed.
protocol SketchedDose {
    var reps: String? { get set }
    var sets: String? { get set }
    var hold: String? { get set }
    var daily: String? { get set }
    var weekly: String? { get set }
}

extension PlanSketch.Exercise: SketchedDose {}
extension PlanSketch.Change: SketchedDose {}

extension SketchedDose {
    mutating func take(_ dosage: Dosage) {
        (reps, sets, hold) = (dosage.reps.map(String.init), dosage.sets.map(String.init), dosage.hold?.text)
        (daily, weekly) = (dosage.daily.map(String.init), dosage.weekly.map(String.init))
    }

    mutating func take(_ map: Node.Mapping) {
        func value(_ key: String) -> String? { map[Node(stringLiteral: key)].flatMap(PlanSketch.scalar) }
        (reps, sets, hold, daily, weekly) = (value("reps"), value("sets"), value("hold"), value("daily"), value("weekly"))
    }

    /// The fields that are set, in the order plans write them, as the file writes them.
    var doseText: [(String, String)] {
        [("reps", reps.map { PlanSketch.scalar($0, .number) }), ("sets", sets.map { PlanSketch.scalar($0, .number) }),
         ("hold", hold.map(PlanSketch.quoted)), ("daily", daily.map { PlanSketch.scalar($0, .number) }),
         ("weekly", weekly.map { PlanSketch.scalar($0, .number) })].compactMap { key, value in value.map { (key, $0) } }
    }
}
