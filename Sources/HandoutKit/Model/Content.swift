import Foundation

/// Where rendered Markdown goes: library pages sit one folder deep with their own `h1`;
/// the handout sits two folders deep and nests content under its own headings.
extension MarkdownPlacement {
    public static let libraryPage = MarkdownPlacement(root: "../", headingShift: 0)
    public static let handout = MarkdownPlacement(root: "../../", headingShift: 2)
}

/// A picture inside `Content/`, copied to `Output/assets/<path>`.
public struct Picture: Hashable, Sendable {
    /// Relative to `Content/`, e.g. `images/side-plank.svg`.
    public var path: String
    public var alt: String
}

/// The library's tags by kind (docs/FORMATS.md, "Tags"): the library page filters by body
/// region and by condition. A tag neither a region nor a kind of exercise is a condition, so
/// a clinic's new condition (`hand-oa`) is offered without a change here.
public enum TagVocabulary {
    public static let regions = ["knee", "hip", "low-back", "core", "neck", "shoulder", "ankle-foot", "balance"]
    public static let kinds = ["strength", "stretch", "mobility", "stability"]

    public static func isCondition(_ tag: String) -> Bool { !regions.contains(tag) && !kinds.contains(tag) }
}

public struct Exercise: Sendable {
    public var slug: String
    public var path: String
    public var title: String
    public var dosage: Dosage
    /// `sides: each`: done on the left and on the right; a plan entry may say otherwise.
    public var sides: Sides = .none
    public var tags: [String]
    public var picture: Picture?
    public var video: String?
    /// The video's address as a QR code for the printed card; nil when `video_qr` is off.
    public var videoCode: QRCode?
    public var body: [MarkdownPlacement: RenderedMarkdown]
}

/// An education page ("Listen to your body").
public struct EducationPage: Sendable {
    public var slug: String
    public var path: String
    public var title: String
    public var summary: String?
    public var body: [MarkdownPlacement: RenderedMarkdown]
}

extension EducationPage {
    /// Why this page cannot be a pain rule, or nil: a pain rule prints its summary beside the
    /// pain log on every calendar page.
    var painRuleProblem: String? {
        guard nonEmpty(summary) == nil else { return nil }
        return "page '\(slug)' has no summary; a pain rule prints its summary beside the pain log on every calendar page, "
            + "so add a short 'summary: …' to \(path)"
    }
}

public enum Paper: String, Sendable, CaseIterable {
    case letter, a4
}

/// `Content/site.yaml`.
public struct Site: Sendable {
    public var clinic: String
    public var address: String?
    public var phone: String?
    public var logo: Picture?
    public var paper: Paper = .letter
    public var weekStarts: Weekday = .monday
    public var language: String = "en"
    public var largePrint = false
    public var indexShowsNames = false
    public var includePages: [String] = []
    /// The education page whose summary prints beside the pain log, for plans and protocols
    /// that name none.
    public var painRule: String?
    /// A tick box for each side of a `sides: each` exercise; false: one tick box per session.
    public var tickEachSide = true
    /// A QR code of each exercise's video on its printed card.
    public var videoQR = true
    /// With a language here, a missing translation prints that language's text (the
    /// original when it is the originals' language) with a warning, instead of stopping the build.
    public var translationFallback: String?
    /// `content_language`: the language the originals are written in, when it is not the
    /// site's (a clinic whose patients mostly read a language its content is translated into).
    public var contentLanguage: String?
    /// The language of the originals (`exercises/bridge.md`): a page in another language
    /// needs a translation.
    public var originalsLanguage: String { contentLanguage ?? language }
    /// The line at the bottom of every page, by language: a page in a language without
    /// one prints none, so no clinic text in another language slips onto it.
    public var footers: [String: String] = [:]
    /// Raw HTML in clinic-authored Markdown; never for plan notes.
    public var allowHTML = false
    /// When each `.ics` event reminds the patient; a plan may set its own or `none`.
    public var reminder: ReminderTime?

    public init(clinic: String) { self.clinic = clinic }
}

/// Everything in `Content/` except plans, loaded and checked once per build.
public struct ContentLibrary: Sendable {
    public var site: Site
    public var exercises: [String: Exercise]
    public var pages: [String: EducationPage]
    public var progressions: [String: Progression]
    public var protocols: [String: TreatmentProtocol]
    /// Pictures (paths relative to `Content/`) that pages show, copied to `Output/assets/`.
    public var pictures: Set<String>
    /// Files that exist but did not load (`exercises/bridge`): their own errors are reported,
    /// so references to them are not reported again as unknown.
    public var failed: Set<String> = []
    /// Content hash of every file (`exercises/bridge`), so rebuilds can tell what changed.
    public var hashes: [String: Fingerprint] = [:]
    /// `site.yaml`'s bytes, as read for the settings above.
    public var siteHash = Fingerprint.absent
    /// The bytes of every picture in `pictures`, copied as they are to `Output/assets/`.
    public var pictureData: [String: Data] = [:]
    /// Languages with a strings file in `Templates/strings/`: the ones a plan may choose.
    public var languages: Set<String> = []
    /// By language other than the site's, the activities (`hold`) its strings file has no
    /// word for: a plan in that language whose programs use one needs it, as it needs a
    /// translation. In the site's language the activity prints as written.
    public var activitiesWithoutWord: [String: Set<String>] = [:]
    /// `<slug>.<language>.md` files: by language, then slug. The originals are in `site.originalsLanguage`.
    public var translations: [String: Translated] = [:]
}

/// One language's translated content, each item the original with its text replaced.
public struct Translated: Sendable {
    public var exercises: [String: Exercise] = [:]
    public var pages: [String: EducationPage] = [:]
    public var progressions: [String: Progression] = [:]
}

/// Content in the language it is printed in, and that language (for `lang` when it is not the page's).
public struct InLanguage<Item: Sendable>: Sendable {
    public var item: Item
    public var language: String
}

extension ContentLibrary {
    /// The item in `language`: its translation, else the original in the originals' language,
    /// else the same for the fallback language, else the original. A translation into the
    /// originals' language is used too: a site whose `language` is one its content is
    /// translated into prints the translations. Each file this choice looked at is noted in
    /// `reads`, found or not: the original and every translation tried, fallback included,
    /// since adding, changing or deleting any of them changes what is printed.
    private func text<Item>(_ kind: String, _ slug: String, in language: String, reads: ContentReads, original: [String: Item],
                            translated: (Translated) -> [String: Item]) -> InLanguage<Item>? {
        reads.note(kind + "/" + slug)
        guard let item = original[slug] else { return nil }
        for candidate in [language, site.translationFallback].compactMap({ $0 }) {
            let originals = candidate == site.originalsLanguage
            // Whether anything is translated into the originals' language is in every page's
            // fingerprint (`LoadedSite.globalFingerprint`): only then is such a file looked for,
            // and ten thousand patients do not each record files that are not there.
            if !originals || originalsTranslated {
                reads.note(kind + "/" + slug + "." + candidate)
                if let translation = translations[candidate].flatMap({ translated($0)[slug] }) {
                    return InLanguage(item: translation, language: candidate)
                }
            }
            if originals { return InLanguage(item: item, language: candidate) }
        }
        // A missing translation without a fallback stops the build before anything renders.
        return InLanguage(item: item, language: site.originalsLanguage)
    }

    /// Whether any content is translated into the originals' language.
    var originalsTranslated: Bool { translations[site.originalsLanguage] != nil }

    /// The library with each item as a page in `language` prints it. The library pages are
    /// made from all content (`BuildSnapshot.library`), so the files looked at need no record.
    func inLanguage(_ language: String) -> ContentLibrary {
        let reads = ContentReads()
        var shown = self
        shown.exercises = exercises.mapValues { exercise($0.slug, in: language, reads: reads)?.item ?? $0 }
        shown.pages = pages.mapValues { page($0.slug, in: language, reads: reads)?.item ?? $0 }
        shown.progressions = progressions.mapValues { progression($0.slug, in: language, reads: reads)?.item ?? $0 }
        return shown
    }

    public func exercise(_ slug: String, in language: String, reads: ContentReads) -> InLanguage<Exercise>? {
        text("exercises", slug, in: language, reads: reads, original: exercises) { $0.exercises }
    }

    public func page(_ slug: String, in language: String, reads: ContentReads) -> InLanguage<EducationPage>? {
        text("pages", slug, in: language, reads: reads, original: pages) { $0.pages }
    }

    public func progression(_ slug: String, in language: String, reads: ContentReads) -> InLanguage<Progression>? {
        text("progressions", slug, in: language, reads: reads, original: progressions) { $0.progressions }
    }

    /// Whether the originals' language is only assumed: `content_language` is not written and
    /// content is translated into the site's own language, so the originals are likely in
    /// another one.
    var originalsLanguageUnsure: Bool { site.contentLanguage == nil && originalsTranslated }

    /// The files of content a plan in `language` uses that have no translation into it
    /// (`Content/exercises/bridge.md`), in the order the plan names them.
    func missingTranslations(exercises: [String], progressions: [String], pages: [String], language: String) -> [String] {
        let translated = translations[language] ?? Translated()
        var seen = Set<String>()
        return (exercises.filter { translated.exercises[$0] == nil }.compactMap { self.exercises[$0]?.path }
            + progressions.filter { translated.progressions[$0] == nil }.compactMap { self.progressions[$0]?.path }
            + pages.filter { translated.pages[$0] == nil }.compactMap { self.pages[$0]?.path })
            .filter { seen.insert($0).inserted }
    }
}

extension ContentLibrary {
    /// The error for a language without a strings file, or nil when it has one.
    func missingLanguage(_ code: String) -> String? {
        languages.contains(code) ? nil
            : "no strings file for language '\(code)'; add Templates/strings/\(code).yaml (copy en.yaml and translate it)"
            + (languages.isEmpty ? "" : " or use one of " + languages.sorted().joined(separator: ", "))
    }
}

extension ContentLibrary {
    /// The error for a link to `kind/slug.md` (`pages/safety.md`) when no such file loaded,
    /// or nil: a file that exists but failed has its own errors, so the link is not reported.
    func missingLinkTarget(_ kind: String, _ slug: String) -> String? {
        let known: [String] = switch kind {
        case "exercises": Array(exercises.keys)
        case "pages": Array(pages.keys)
        default: Array(progressions.keys)
        }
        guard !known.contains(slug), !failedToLoad(kind, slug) else { return nil }
        return "link to '\(kind)/\(slug).md', which does not exist" + Suggestion.hint(for: slug, in: known)
    }

    /// Whether `kind/slug` exists but did not load (or its whole folder could not be read):
    /// its own errors are reported, so a reference to it is not reported again.
    func failedToLoad(_ kind: String, _ slug: String) -> Bool {
        failed.contains("\(kind)/\(slug)") || failed.contains("\(kind)/*")
    }

    /// A protocol's fields with its own base protocols merged under it (loops stop at the
    /// first repeat; they are reported when protocols are checked).
    public func resolvedFields(ofProtocol slug: String) -> PlanFields? {
        var chain: [String] = []
        return resolvedFields(ofProtocol: slug, chain: &chain)
    }

    /// The same, noting every protocol merged, in order.
    func resolvedFields(ofProtocol slug: String, chain visited: inout [String]) -> PlanFields? {
        var fields: PlanFields?
        var current: String? = slug
        while let name = current, !visited.contains(name), let item = protocols[name] {
            visited.append(name)
            fields = fields.map { $0.merged(over: item.fields) } ?? item.fields
            current = item.base
        }
        return fields
    }
}

/// The content files one patient's pages were made from (`exercises/bridge`,
/// `pages/safety.es`), noted as they are read: the build compares exactly these next time.
/// Each patient is rendered on one thread.
public final class ContentReads: @unchecked Sendable {
    private(set) var keys = Set<String>()

    public init() {}

    func note(_ key: String) { keys.insert(key) }
}
