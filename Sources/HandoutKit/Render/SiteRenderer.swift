import Foundation

/// Builds each page's context and renders it with the clinic's templates.
public struct SiteRenderer: Sendable {
    public var library: ContentLibrary
    public var templates: TemplateSet
    // Calendar items, and frames for the layout, cards, progressions and the calendar,
    // repeat across days and patients: each distinct one is rendered once per build. Keys
    // are small values, not text, so lookups stay cheap.
    let items = FragmentCache<ItemKey, RenderedItem>()
    let itemIDs = Counter()
    let frames = FragmentCache<FrameKey, Frame>()
    /// Handouts by shape. A shape is not bounded by the content as the other frames are, so
    /// past `handoutShapes` of them a handout is rendered directly: a clinic whose every
    /// patient's handout has a shape of its own keeps its memory.
    let handouts = FragmentCache<HandoutKey, Frame>()
    var handoutShapes = 512
    /// Every content file one patient's pages are made from is noted here as it is read
    /// (`renderPatientRecordingReads` gives each patient its own); the library's lookups
    /// cannot be made without it.
    var reads = ContentReads()

    /// Everything but the layout is keyed by language too: the same card reads differently in Spanish.
    enum FrameKey: Hashable {
        case layout(LayoutKey)
        case card(CardKey, withNote: Bool)
        case progression(slug: String, language: String)
        case calendar(firstWeekday: Weekday, hasKey: Bool, sidesKey: Bool, painRule: PainRuleKey?, largePrint: Bool, ended: Bool, language: String)
        case week(language: String)
        case day(Day, inPlan: Bool, hasItems: Bool, off: DayOff?, language: String)
    }

    /// A day nothing is due on after the plan started: paused (with a note or not) or after it ended.
    enum DayOff: Hashable {
        case paused(withNote: Bool)
        case ended
    }

    /// Whether a calendar prints a pain rule, and the language of its text when it is not the page's.
    struct PainRuleKey: Hashable {
        var language: String?
    }

    /// The frame for `key`, rendered by `render` the first time, filled in with `values`.
    func framed(_ key: FrameKey, _ values: KeyValuePairs<String, String>, render: () -> String) -> String {
        frames.value(for: key) { Frame(render()) }.filled(values)
    }

    /// The frame for `key`, rendered by `render` the first time, filled in with `fills` and
    /// appended to `out`.
    func write(_ key: FrameKey, _ fills: KeyValuePairs<String, Frame.Fill>, into out: inout String, render: () -> String) {
        frames.value(for: key) { Frame(render()) }.write(fills, into: &out)
    }

    public init(library: ContentLibrary, templates: TemplateSet) {
        self.library = library
        self.templates = templates
    }

    var site: Site { library.site }

    /// The words of `language`; every language a plan or the site names has a strings file
    /// (checked when loading), so the fallback is never used for a page that builds.
    func words(_ language: String) -> Words {
        templates.words[language] ?? templates.words["en"] ?? templates.words.values.first!
    }

    var siteWords: Words { words(site.language) }

    // MARK: Layout

    /// A page's content inside `layout.mustache`. The layout differs between pages only
    /// by title and content, so it is rendered once per kind of page, as a frame.
    /// Clinic pages use the site's language and print size; a patient's pages pass the plan's.
    func page(title: String, root: String, bodyClass: String, content: String,
              pageStylesheet: String? = nil, script: String? = nil, for plan: Plan? = nil, version: String? = nil) -> String {
        page(title: title, root: root, bodyClass: bodyClass, content: .value(content), pageStylesheet: pageStylesheet, script: script,
             for: plan, version: version)
    }

    /// A page whose content is written into it (`Frame.Fill.markup`).
    func page(title: String, root: String, bodyClass: String, content: Frame.Fill,
              pageStylesheet: String? = nil, script: String? = nil, for plan: Plan? = nil, version: String? = nil) -> String {
        let key = LayoutKey(root: root, bodyClass: bodyClass, pageStylesheet: pageStylesheet, script: script,
                            language: plan?.language ?? site.language, largePrint: plan?.largePrint ?? site.largePrint,
                            versioned: version != nil)
        var out = ""
        write(.layout(key), ["title": .value(title), "content": content, "version": .value(version ?? "")], into: &out) {
            templates.render(layoutContext(title: Frame.text("title"), key: key, content: Frame.html("content"),
                                           version: key.versioned ? Frame.text("version") : nil), with: "layout",
                             in: words(key.language))
        }
        return out
    }

    func layoutContext(title: String, key: LayoutKey, content: String, version: String? = nil) -> Layout {
        Layout(lang: key.language, title: title, root: key.root, bodyClass: key.bodyClass,
               clinic: clinic(root: key.root, language: key.language), paper: site.paper.rawValue, largePrint: key.largePrint,
               pageStylesheet: key.pageStylesheet, script: key.script, content: HTML(content), version: version)
    }

    struct LayoutKey: Hashable {
        var root: String
        var bodyClass: String
        var pageStylesheet: String?
        var script: String?
        var language: String
        var largePrint: Bool
        /// A patient's page, which prints its version in the footer.
        var versioned = false
    }

    /// The clinic's details; the footer only in `language`, which only the layout prints.
    func clinic(root: String, language: String? = nil) -> ClinicDetails {
        ClinicDetails(name: site.clinic, address: site.address, phone: site.phone, footer: language.flatMap { site.footers[$0] },
                      logo: site.logo.map { picture($0, root: root) })
    }

    func picture(_ picture: Picture, root: String) -> PlacedPicture {
        PlacedPicture(src: root + "assets/" + picture.path, alt: picture.alt)
    }

    // MARK: Content, as patient pages read it

    // In `words`' language: the translation, the fallback or the original, each file looked
    // at recorded (`ContentLibrary.text`), so adding or changing a translation rebuilds
    // exactly its patients.

    func exercise(_ slug: String, in words: Words) -> InLanguage<Exercise>? {
        library.exercise(slug, in: words.language, reads: reads)
    }

    func progression(_ slug: String, in words: Words) -> InLanguage<Progression>? {
        library.progression(slug, in: words.language, reads: reads)
    }

    func educationPage(_ slug: String, in words: Words) -> InLanguage<EducationPage>? {
        library.page(slug, in: words.language, reads: reads)
    }

    /// One patient's pages, with the content keys (`exercises/bridge`) they were made from:
    /// what the renderer read, what the plan's check read (its protocols, the pages its notes
    /// link to) and what its schedule was worked out from.
    public func renderPatientRecordingReads(_ plan: Plan, schedule: PlanSchedule) -> (files: [OutputFile], reads: Set<String>) {
        var recording = self
        let reads = ContentReads()
        recording.reads = reads
        for slug in plan.protocols { reads.note("protocols/" + slug) }
        for key in plan.linkedContent { reads.note(key) }
        for planned in plan.exercises { reads.note("exercises/" + planned.slug) }
        for planned in plan.progressions { reads.note("progressions/" + planned.slug) }
        let files = recording.renderPages(plan, schedule: schedule)
        return (files, reads.keys)
    }

    // MARK: Patient pages

    /// The handout, calendar and .ics of one plan.
    public func renderPatient(_ plan: Plan, schedule: PlanSchedule) -> [OutputFile] {
        renderPatientRecordingReads(plan, schedule: schedule).files
    }

    /// "Page N of M" as the print stylesheet counts it, in the page's language.
    func pageNumber(in words: Words) -> String {
        words.phrase("page_of", ["page": PrintStylesheet.pageCounter, "pages": PrintStylesheet.pagesCounter])
    }

    /// The print rules of every language with a strings file, in each print size, for the
    /// site's paper: what a patient's pages link, whatever language and size its plan asks
    /// for. Made from the strings files and `site.yaml`, never from the plans: a change to
    /// either makes every page again, so an incremental build has the ones a full build has.
    func renderPrintStylesheets() -> [OutputFile] {
        templates.words.keys.sorted().flatMap { language in
            [false, true].map { largePrint in
                OutputFile(path: PrintStylesheet.path(language: language, largePrint: largePrint),
                           text: PrintStylesheet.css(paper: site.paper, largePrint: largePrint, pageNumber: pageNumber(in: words(language))))
            }
        }
    }

    private func renderPages(_ plan: Plan, schedule: PlanSchedule) -> [OutputFile] {
        let folder = "patients/\(plan.id)/"
        let words = words(plan.language)
        let agenda = agenda(plan, schedule: schedule, words: words)
        let handout = handout(plan, schedule: schedule, words: words)
        let rule = painRule(plan, words: words)
        // Every content file is read by now: the calendar's page and the layout read none.
        let version = words.phrase("version", ["version": version(of: plan)])
        let stylesheet = "../../" + PrintStylesheet.path(language: words.language, largePrint: plan.largePrint)
        return [
            OutputFile(path: folder + "index.html", text: page(
                title: words.phrase("title_handout", ["patient": plan.patient, "clinic": site.clinic]), root: "../../", bodyClass: "handout",
                content: handout, pageStylesheet: stylesheet, for: plan, version: version)),
            OutputFile(path: folder + "calendar.html", text: page(
                title: words.phrase("title_calendar", ["patient": plan.patient, "clinic": site.clinic]), root: "../../", bodyClass: "calendar",
                content: .markup { calendarContent(plan, agenda: agenda, rule: rule, version: version, words: words, into: &$0) },
                pageStylesheet: stylesheet, for: plan, version: version)),
            OutputFile(path: folder + "calendar.ics", data: Data(calendarFile(plan, agenda: agenda, words: words))),
        ]
    }

    /// A short hash of the plan file and of every content file its pages were read from, as
    /// far as they are read now: the dependencies the build records for the patient, so the
    /// version changes exactly when the pages are made again, and an incremental build
    /// prints the one a full build prints.
    func version(of plan: Plan) -> String {
        var fingerprint = Fingerprint()
        fingerprint.add(plan.fileHash)
        for key in reads.keys.sorted() {
            fingerprint.add(key)
            fingerprint.add(library.hashes[key] ?? .absent)
        }
        return String(fingerprint.description.prefix(8))
    }
}

func nonEmpty(_ text: String?) -> String? {
    guard let text, text.contains(where: { !$0.isWhitespace }) else { return nil }
    return text
}

