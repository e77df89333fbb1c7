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
}
