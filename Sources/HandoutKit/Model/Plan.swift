/// One exercise as a plan (or protocol) prescribes it.
public struct PlannedExercise: Sendable {
    public var slug: String
    /// Only the fields the plan sets; merged over the exercise's default.
    public var dosage: Dosage
    public var days: [Weekday]?
    public var note: String?
    public var changes: [DosageChange]
    public var location: SourceLocation
    /// Overrides the exercise's `sides`.
    public var sides: Sides? = nil
}

/// "From week 3, 3 sets", or "from week 3, on Mon, Wed and Fri".
public struct DosageChange: Sendable {
    public var week: Int
    public var dosage: Dosage
    public var location: SourceLocation
    /// New days from this week on; WEEKLY becomes their number.
    public var days: [Weekday]? = nil
}

public struct PlannedProgression: Sendable {
    public var slug: String
    /// Default: the plan's start.
    public var start: Day?
    public var startLocation: SourceLocation?
    /// Default: the progression's `schedule`.
    public var days: [Weekday]?
    public var location: SourceLocation
}

/// Days a patient stops the plan (ill, away), `from` to `to` inclusive: nothing is due on
/// them, and each program takes up again at the stage it had reached.
public struct Pause: Sendable, Equatable {
    public var from: Day
    public var to: Day
    /// Printed on each paused day ("Flu"); plain text.
    public var note: String?
    public var location: SourceLocation

    public init(from: Day, to: Day, note: String? = nil, location: SourceLocation) {
        self.from = from
        self.to = to
        self.note = note
        self.location = location
    }

    public func contains(_ day: Day) -> Bool { from <= day && day <= to }

    /// Days paused before `day` (not counting it).
    static func pausedDays(_ pauses: [Pause], before day: Day) -> Int {
        pauses.reduce(0) { sum, pause in
            sum + (pause.from < day ? min(pause.to, day.adding(days: -1)) - pause.from + 1 : 0)
        }
    }
}

/// The local time of day a phone reminds the patient of a day's exercises (`reminders:`),
/// as minutes after midnight: the `.ics` alarm fires then on each event's day, wherever
/// the phone is.
public struct ReminderTime: Sendable, Hashable {
    public var minutes: Int

    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        minutes = hour * 60 + minute
    }

    /// `08:30`, as written.
    public var text: String {
        let (h, m) = (minutes / 60, minutes % 60)
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}

/// `reminders:` in `site.yaml` or a plan: a time, or `none` to switch the site's off.
public enum ReminderSetting: Sendable, Hashable {
    case none
    case at(ReminderTime)

    public var time: ReminderTime? {
        if case .at(let time) = self { return time }
        return nil
    }
}

public struct PageReference: Sendable {
    public var slug: String
    public var location: SourceLocation
}

/// `language: es`, with where it was written, so a missing translation can point at it.
public struct LanguageChoice: Sendable {
    public var code: String
    public var location: SourceLocation
}

public struct CrossTraining: Sendable {
    public var activities: [String]
    /// Default: days with no progression session.
    public var days: [Weekday]?
    public var note: String?
}

/// The fields a protocol and a plan share. Merge rule: a field the plan sets replaces the
/// protocol's whole field (lists included); inside an exercise entry, the dosage fields it
/// sets override the exercise's default.
public struct PlanFields: Sendable {
    public var therapist: String?
    public var condition: String?
    public var weeks: Int?
    public var exercises: [PlannedExercise]?
    public var progressions: [PlannedProgression]?
    public var crossTraining: CrossTraining?
    public var education: [PageReference]?
    public var notes: PlanNotes?
    /// The patient's print settings; the site's values are the defaults.
    public var language: LanguageChoice?
    public var largePrint: Bool?
    /// Replaces the site's `include_pages` (the safety pages for this condition).
    public var includePages: [PageReference]?
    /// The page whose summary prints beside the pain log; replaces the site's.
    public var painRule: PageReference?

    public init() {}

    /// Every page named: education, included pages and the pain rule.
    var pageLocations: [(String, SourceLocation)] {
        ((education ?? []) + (includePages ?? []) + (painRule.map { [$0] } ?? [])).map { ($0.slug, $0.location) }
    }

    /// `self` (the plan) over `base` (the protocol).
    public func merged(over base: PlanFields) -> PlanFields {
        var result = self
        result.therapist = therapist ?? base.therapist
        result.condition = condition ?? base.condition
        result.weeks = weeks ?? base.weeks
        result.exercises = exercises ?? base.exercises
        result.progressions = progressions ?? base.progressions
        result.crossTraining = crossTraining ?? base.crossTraining
        result.education = education ?? base.education
        result.notes = notes ?? base.notes
        result.language = language ?? base.language
        result.largePrint = largePrint ?? base.largePrint
        result.includePages = includePages ?? base.includePages
        result.painRule = painRule ?? base.painRule
        return result
    }
}

/// The therapist's notes for the patient (Markdown), with where they are written so a
/// problem in them is reported at its line.
public struct PlanNotes: Sendable {
    public var text: String
    var place: TextPlace
}

/// `Content/protocols/<slug>.yaml`: a plan without a patient.
public struct TreatmentProtocol: Sendable {
    public var slug: String
    public var path: String
    public var title: String?
    public var base: String?
    public var baseLocation: SourceLocation?
    public var fields: PlanFields
}

/// A patient's plan, merged with its protocol.
public struct Plan: Sendable {
    public var id: String
    public var path: String
    public var patient: String
    public var therapist: String?
    public var condition: String?
    public var start: Day
    public var weeks: Int
    public var protocolSlug: String?
    /// Every protocol merged into the plan, its own first, then their bases.
    public var protocols: [String] = []
    public var exercises: [PlannedExercise]
    public var progressions: [PlannedProgression]
    public var crossTraining: CrossTraining?
    public var education: [String]
    public var notes: String?
    /// Rendered in safe mode, always.
    public var notesHTML: String?
    /// Content files the notes link to (`pages/pacing`): the link is checked against them.
    public var linkedContent: [String] = []
    /// Lowercase BCP 47 tag: the strings file and the translations the pages use.
    public var language: String
    /// Where the language was chosen (the plan's or protocol's `language:` line), or the
    /// plan file when it comes from `site.yaml`.
    public var languageLocation: SourceLocation
    public var largePrint: Bool
    /// Pages printed in the important box: the plan's or protocol's list, else the site's.
    public var includePages: [String]
    /// The education page whose summary prints beside the pain log on every calendar page and
    /// whose text heads the handout's safety box: the plan's, its protocol's, else the site's.
    public var painRule: String? = nil
    /// Days off, in date order, none overlapping, all inside the calendar.
    public var pauses: [Pause] = []
    /// Discharged early: nothing is due after this day.
    public var ended: Day? = nil
    /// When the `.ics` reminds the patient: the plan's `reminders`, else the site's.
    public var reminder: ReminderTime? = nil
    /// The plan file's bytes, as the build hashed them: with the content the pages were made
    /// from, it makes the version printed in their footer.
    public var fileHash = Fingerprint.absent

    /// The last day the plan runs: `ended`, else the last day of its calendar.
    public func lastDay(weekStarts: Weekday) -> Day {
        Scheduler.lastDay(start: start, weeks: weeks, ended: ended, weekStarts: weekStarts)
    }

    /// The pause that holds `day`, by its index in `pauses`.
    public func pause(on day: Day) -> Int? {
        pauses.firstIndex { $0.contains(day) }
    }
}
