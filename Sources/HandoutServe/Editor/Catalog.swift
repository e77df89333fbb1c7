import HandoutKit

/// What the editor's form offers, from the library: exercises with their pictures and doses,
/// programs, pages, protocols, languages and the site's defaults, and its own words.
struct Catalog: Encodable, Sendable {
    struct Defaults: Encodable, Sendable {
        var clinic: String
        /// Inside the output folder, with its text, as the site's header shows it.
        var logo: String?
        var logoAlt: String?
        var language: String
        var largePrint: Bool
        var includePages: [String]
        var painRule: String?
        var indexShowsNames: Bool
    }

    struct Dose: Encodable, Sendable {
        var reps, sets, hold, daily, weekly: String?
    }

    struct ExerciseItem: Encodable, Sendable {
        var slug: String
        var title: String
        var tags: [String]
        /// Inside the output folder, as the built pages load it.
        var picture: String?
        var alt: String?
        var dose: Dose
        var sides: String
    }

    struct Item: Encodable, Sendable {
        var slug: String
        var title: String
        /// For pages: whether it has the summary a pain rule prints.
        var summary: Bool?
    }

    var words: [String: String]
    var language: String
    var site: Defaults
    var languages: [String]
    var exercises: [ExerciseItem]
    var progressions: [Item]
    var pages: [Item]
    var protocols: [Item]
    var plans: [String]
    /// Errors in the library itself: the editor cannot offer what did not load.
    var problems: [String]

    init(library: ContentLibrary, problems: [Diagnostic], plans: [String], words: EditorWords) {
        self.words = words.table
        language = words.language
        let site = library.site
        self.site = Defaults(clinic: site.clinic, logo: site.logo.map { "assets/" + $0.path }, logoAlt: site.logo?.alt, language: site.language, largePrint: site.largePrint, includePages: site.includePages,
                             painRule: site.painRule, indexShowsNames: site.indexShowsNames)
        languages = library.languages.sorted()
        exercises = library.exercises.values.map { exercise in
            let d = exercise.dosage
            return ExerciseItem(slug: exercise.slug, title: exercise.title, tags: exercise.tags,
                                picture: exercise.picture.map { "assets/" + $0.path }, alt: exercise.picture?.alt,
                                dose: Dose(reps: d.reps.map(String.init), sets: d.sets.map(String.init), hold: d.hold?.text,
                                           daily: d.daily.map(String.init), weekly: d.weekly.map(String.init)),
                                sides: exercise.sides.rawValue)
        }.sorted { ($0.title, $0.slug) < ($1.title, $1.slug) }
        progressions = library.progressions.values.map { Item(slug: $0.slug, title: $0.title) }.sorted { $0.title < $1.title }
        pages = library.pages.values.map { Item(slug: $0.slug, title: $0.title, summary: $0.summary != nil) }.sorted { $0.title < $1.title }
        protocols = library.protocols.values.map { Item(slug: $0.slug, title: $0.title ?? $0.slug) }.sorted { $0.title < $1.title }
        self.plans = plans
        self.problems = problems.map(\.description)
    }
}
