/// `index.mustache`: the clinic's list of plans.
struct ClinicIndex: TemplateContext {
    var clinic: ClinicDetails
    var showNames: Bool
    var plans: [IndexRow]?
    var therapists: [String]?
    var libraryHref = "exercises/index.html"
}

struct IndexRow: Codable {
    var id: String
    var patient: String?
    var therapist: String?
    var condition: String?
    var start: String
    var end: String
    var weeks: String
    var ended: Bool
    var handoutHref: String
    var calendarHref: String
    var icsHref: String
    var search: String
}

/// `exercise.mustache`: an exercise's library page.
struct LibraryExercisePage: TemplateContext {
    var clinic: ClinicDetails
    var title: String
    var picture: PlacedPicture?
    var dosageLine: String
    var intro: HTML?
    var sections: [SectionText]
    var video: String?
    var tags: Group<String>?
    var protocols: Group<Link>?
}

/// `page.mustache`: an education page in the library.
struct LibraryEducationPage: TemplateContext {
    var clinic: ClinicDetails
    var title: String
    var summary: String?
    var html: HTML
}

/// `progression.mustache`: a progression's library page.
typealias LibraryProgressionPage = Joined<ProgressionText, LibraryPageExtras>

struct LibraryPageExtras: Codable {
    var clinic: ClinicDetails
    var protocols: Group<Link>?
}

/// `library.mustache`: the exercise library, with the education and progression pages.
struct LibraryIndex: TemplateContext {
    var clinic: ClinicDetails
    var tags: [TagGroup]?
    /// The filter's choices: body regions and conditions of the tag vocabulary.
    var regions: [String]?
    var conditions: [String]?
    var progressions: Group<Link>?
    var pages: Group<Link>?
    var protocols: Group<ProtocolEntry>?

    struct TagGroup: Codable {
        var tag: String
        var exercises: [Entry]
    }

    /// `tags`: the exercise's tags, space-separated, which the filter reads.
    struct Entry: Codable {
        var title: String
        var href: String
        var tags: String
        var dosageLine: String
    }

    struct ProtocolEntry: Codable {
        var title: String
        var condition: String?
        var exercises: Group<Link>?
    }
}

/// `batch-cover.mustache`: the cover page of a day's batch (`handout pdf --changed-since`):
/// the plans it holds, in order, and why each; patients' names only when the index shows them.
struct BatchCoverPage: TemplateContext {
    var day: String
    var since: String
    var count: String
    var showNames: Bool
    var plans: [Row]

    struct Row: Codable {
        var id: String
        var patient: String?
        var reasons: String
        var start: String
    }
}
