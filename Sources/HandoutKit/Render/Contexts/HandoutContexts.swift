/// `handout.mustache`: the patient's handout.
struct HandoutPage: TemplateContext {
    var clinic: ClinicDetails
    var patient: String
    var therapist: String?
    var condition: String?
    var start: String
    var end: String
    var weeks: String
    var calendarHref: String
    var icsHref: String
    /// "Plan ended early on …".
    var ended: String?
    /// "Paused … to …: note", each a line.
    var pauses: Group<String>?
    var exercises: Cards?
    /// Each rendered with `handout-progression`.
    var progressions: [Rendered]?
    var crossTraining: CrossTrainingBox?
    var education: Pages?
    /// The safety box: the pain rule's page, then the pages for this condition, in one box.
    var important: Pages?
    var notesHtml: HTML?

    /// Each card rendered with `exercise-card`. The first apart: on paper the section's
    /// heading keeps with it, in one block that does not break (Firefox does not keep a
    /// heading with what follows it otherwise).
    struct Cards: Codable {
        var first: Rendered
        var rest: [Rendered]
    }

    struct Pages: Codable {
        var pages: [EducationItem]
    }
}

/// What cross-training asks for, and on which days.
struct CrossTrainingBox: Codable {
    var activities: String
    var daysText: String
    var note: String?
}

/// An education page printed in the handout.
struct EducationItem: Codable {
    var title: String
    var summary: String?
    var html: HTML
    var href: String
    var lang: String?
}

/// `exercise-card.mustache`: one exercise in the handout.
struct ExerciseCard: TemplateContext {
    var title: String
    var href: String
    var picture: PlacedPicture?
    var dosageLine: String
    var daysText: String?
    var intro: HTML?
    var sections: [SectionText]
    var note: String?
    var changes: [DoseChange]?
    var video: Video?
    /// Set when the exercise's text is in another language than the page.
    var lang: String?

    /// "From week 3: SETS: 3". A change's own days are `new_days`: a missing value is looked
    /// up in the card around it, so a change without days would otherwise print the card's.
    struct DoseChange: Codable {
        var week: String
        var label: String
        var dosageLine: String
        var newDays: String?
    }

    /// The video's short address, and its QR code as inline SVG unless `site.yaml` turns
    /// the codes off (the address prints either way).
    struct Video: Codable {
        var address: String
        var href: String
        var code: HTML?
    }
}

/// A progression's text as its page and the handout print it.
struct ProgressionText: Codable {
    var title: String
    var href: String
    var scheduleText: String
    var advanceText: String
    var `if`: String?
    var otherwise: String?
    var then: String?
    var stages: [StageLine]
    var html: HTML
}

struct StageLine: Codable {
    var number: String
    var text: String
    var note: String?
}

/// `handout-progression.mustache`: a progression in the handout, with its start and days.
typealias HandoutProgression = Joined<ProgressionText, HandoutProgressionDates>

struct HandoutProgressionDates: Codable {
    var start: String
    var daysText: String
    /// Set when the progression's text is in another language than the page.
    var lang: String?
}
