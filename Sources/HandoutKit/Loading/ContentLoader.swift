import Foundation

/// Loads `Content/` (all but plans) into a `ContentLibrary`, reporting every problem.
public struct ContentLoader: Sendable {
    var layout: SiteLayout
    var diagnostics: Diagnostics
    /// Links between content files (`pages/safety.md`), checked once everything is loaded.
    private let links = LinkedContent()
    var files: ContentFiles { ContentFiles(layout: layout, diagnostics: diagnostics) }
    private var pictures: PictureResolver { PictureResolver(content: layout.content) }

    public init(layout: SiteLayout, diagnostics: Diagnostics) {
        self.layout = layout
        self.diagnostics = diagnostics
    }

    public func load() -> ContentLibrary {
        var usedPictures = Set<String>()
        var includedPages: [(slug: String, location: SourceLocation)] = []
        var siteHash = Fingerprint.absent
        var siteLanguageLocation: SourceLocation?
        var painRuleLocation: SourceLocation?
        let site = loadSite(pictures: &usedPictures, includedPages: &includedPages, hash: &siteHash,
                            languageLocation: &siteLanguageLocation, painRuleLocation: &painRuleLocation)
        let allowHTML = site?.allowHTML ?? false
        let videoCodes = site?.videoQR ?? true
        var failed = Set<String>()
        var hashes: [String: Fingerprint] = [:]
        /// Loads every file of one kind, in parallel; a file that fails is remembered in `failed`.
        /// Each file is read once: the bytes hashed are the bytes parsed.
        var translationEntries: [String: [ContentFiles.Entry]] = [:]
        func loadAll<T>(_ kind: String, _ ext: String, _ load: @Sendable (String, URL, String, inout Set<String>) -> T?) -> [String: T] {
            // A protocol's problems hold back only the plans built on it.
            let owner: @Sendable (String) -> Diagnostic.Owner = { kind == "protocols" ? .protocol($0) : .site }
            guard let all = files.entries(in: folder(kind), extension: ext, required: false, translations: ext == "md", owner: owner)?.filter({ entry in
                guard entry.language == nil, let page = SiteLayout.generatedPages["\(kind)/\(entry.slug).html"] else { return true }
                diagnostics.error("this file's page would be \(kind)/\(entry.slug).html, which is \(page); rename the file",
                                  at: SourceLocation(path: layout.display(entry.url), line: 1, column: 1))
                failed.insert("\(kind)/\(entry.slug)")
                return false
            }) else {
                // Reported; whatever the folder holds counts as failed, not as unknown.
                failed.insert("\(kind)/*")
                return [:]
            }
            translationEntries[kind] = all.filter { $0.language != nil }
            let entries = all.filter { $0.language == nil }
            let slots = ResultSlots<(hash: Fingerprint, item: T?, pictures: Set<String>)>(count: entries.count)
            DispatchQueue.concurrentPerform(iterations: entries.count) { i in
                var pictures = Set<String>()
                guard let file = files.load(entries[i].url, limit: .content, owner: owner(entries[i].slug)) else {
                    slots[i] = (Fingerprint.absent, nil, [])
                    return
                }
                slots[i] = (Fingerprint(file.data), load(entries[i].slug, entries[i].url, file.text, &pictures), pictures)
            }
            var items: [String: T] = [:]
            for (entry, result) in zip(entries, slots.values) {
                guard let result else { continue }
                hashes["\(kind)/\(entry.slug)"] = result.hash
                usedPictures.formUnion(result.pictures)
                if let item = result.item { items[entry.slug] = item } else { failed.insert("\(kind)/\(entry.slug)") }
            }
            return items
        }
        // The originals are written in the site's language.
        let language = site?.language ?? "en"
        let exercises = loadAll("exercises", "md") {
            loadExercise(slug: $0, url: $1, text: $2, allowHTML: allowHTML, language: language, videoCodes: videoCodes, pictures: &$3)
        }
        let pages = loadAll("pages", "md") { loadPage(slug: $0, url: $1, text: $2, allowHTML: allowHTML, language: language, pictures: &$3) }
        let progressions = loadAll("progressions", "md") {
            loadProgression(slug: $0, url: $1, text: $2, allowHTML: allowHTML, language: language, pictures: &$3)
        }
        let protocols = loadAll("protocols", "yaml") { slug, url, text, _ -> TreatmentProtocol? in
            let source = YAMLSource(path: layout.display(url), lineOffset: 0, diagnostics: diagnostics, owner: .protocol(slug))
            return PlanReader.readProtocol(slug: slug, path: source.path, text: text, source: source)
        }
        var library = ContentLibrary(
            site: site ?? Site(clinic: "Clinic"), exercises: exercises, pages: pages,
            progressions: progressions, protocols: protocols, pictures: usedPictures)
        library.failed = failed
        // Translations first: their pictures are read with the others below.
        loadTranslations(translationEntries, into: &library, hashes: &hashes)
        usedPictures = library.pictures
        // Pictures are read here, once: the bytes hashed are the bytes copied to assets/.
        for path in usedPictures.sorted() {
            let url = layout.content.appendingPathComponent(path)
            do {
                let data = try FileSystem.read(url.path, limit: .picture)
                if let problem = PictureCheck.problem(data, path: path) {
                    diagnostics.error(problem.message, at: SourceLocation(path: layout.display(url), line: problem.line, column: problem.line == 0 ? 0 : 1))
                    continue
                }
                library.pictureData[path] = data
                hashes[path] = Fingerprint(data)
            } catch {
                diagnostics.error("cannot read this picture: \(error.reason); pages show it, so it must be readable",
                                  at: SourceLocation(path: layout.display(url), line: 0, column: 0))
            }
        }
        library.hashes = hashes
        library.siteHash = siteHash
        library.languages = TemplateLoader(layout: layout, diagnostics: diagnostics).languages()
        // The site's language is every plan's default, so it needs its words even when not written.
        if let site, let problem = library.missingLanguage(site.language) {
            diagnostics.error(problem, at: siteLanguageLocation
                ?? SourceLocation(path: layout.display(layout.content.appendingPathComponent("site.yaml")), line: 1, column: 1))
        }
        checkPicturesBesideAssets(usedPictures)
        checkIncludedPages(includedPages, library: library)
        if let slug = site?.painRule, let location = painRuleLocation, let problem = library.pages[slug]?.painRuleProblem {
            diagnostics.error(problem, at: location)
        }
        for (kind, slug, location) in links.all {
            if let missing = library.missingLinkTarget(kind, slug) { diagnostics.error(missing, at: location) }
        }
        for item in protocols.values.sorted(by: { $0.slug < $1.slug }) {
            PlanChecker(library: library, diagnostics: diagnostics).check(protocol: item)
        }
        return library
    }

    private func folder(_ name: String) -> URL { layout.content.appendingPathComponent(name) }

    // MARK: site.yaml

    private func loadSite(pictures used: inout Set<String>,
                          includedPages: inout [(slug: String, location: SourceLocation)], hash: inout Fingerprint,
                          languageLocation: inout SourceLocation?, painRuleLocation: inout SourceLocation?) -> Site? {
        let url = layout.content.appendingPathComponent("site.yaml")
        let display = layout.display(url)
        guard FileManager.default.fileExists(atPath: url.path) else {
            diagnostics.error("missing clinic settings; create it with at least 'clinic: Your Clinic Name'",
                              at: SourceLocation(path: display, line: 1, column: 1))
            return nil
        }
        guard let (data, text) = files.load(url, limit: .settings) else { return nil }
        hash = Fingerprint(data)
        let source = YAMLSource(path: display, lineOffset: 0, diagnostics: diagnostics)
        guard let root = source.parse(text, whenEmpty: "site.yaml is empty; write at least 'clinic: Your Clinic Name'") else {
            return nil
        }
        let keys = ["clinic", "address", "phone", "logo", "paper", "week_starts", "language", "large_print",
                    "index_shows_names", "include_pages", "footer", "allow_html", "translation_fallback", "video_qr",
                    "pain_rule", "tick_each_side", "reminders"]
        guard let map = root.mapping(keys: keys), let clinic = map.required("clinic")?.nonEmptyText(atMost: PlanLimits.shortText) else { return nil }
        var site = Site(clinic: clinic)
        var footerInSiteLanguage: String?
        site.address = map["address"]?.text()
        site.phone = map["phone"]?.text()
        if let node = map["footer"] {
            if case .mapping = node.node, let entries = node.entries() {
                for (language, text) in entries {
                    guard let tag = text.languageTagOfKey(language), let line = text.text() else { continue }
                    site.footers[tag] = line
                }
            } else if let line = node.text() {
                footerInSiteLanguage = line
            }
        }
        if let logo = map["logo"], let path = logo.text() {
            switch pictures.resolve(path) {
            case .success(let path):
                site.logo = Picture(path: path, alt: clinic)
                used.insert(path)
            case .failure(let problem): logo.error(problem.message)
            }
        }
        if let paper = map["paper"]?.choice(Paper.allCases.map(\.rawValue)) { site.paper = Paper(rawValue: paper)! }
        if let start = map["week_starts"]?.choice(["monday", "sunday"]) {
            site.weekStarts = start == "sunday" ? .sunday : .monday
        }
        if let node = map["language"], let code = node.languageTag() {
            site.language = code
            languageLocation = node.location
        }
        if let footerInSiteLanguage { site.footers[site.language] = footerInSiteLanguage }
        if let value = map["large_print"]?.bool() { site.largePrint = value }
        site.translationFallback = map["translation_fallback"]?.languageTag()
        if let value = map["index_shows_names"]?.bool() { site.indexShowsNames = value }
        if let value = map["allow_html"]?.bool() { site.allowHTML = value }
        if let value = map["video_qr"]?.bool() { site.videoQR = value }
        if let value = map["tick_each_side"]?.bool() { site.tickEachSide = value }
        site.reminder = map["reminders"]?.reminderSetting()?.time
        if let node = map["pain_rule"], let slug = node.slug() {
            site.painRule = slug
            includedPages.append((slug, node.location))
            painRuleLocation = node.location
        }
        if let list = map["include_pages"]?.list() {
            for item in list.prefix(limit: PlanLimits.pages, of: "included pages", in: "site.yaml",
                                                       advice: "a safety box that long is not read") {
                if let slug = item.slug() {
                    if site.includePages.contains(slug) {
                        item.warning("page '\(slug)' is listed twice; it prints once")
                        continue
                    }
                    site.includePages.append(slug)
                    includedPages.append((slug, item.location))
                }
            }
        }
        return site
    }

    /// A picture at the top of `Content/` is copied to `assets/<name>`, where the template
    /// assets go too: the same name would overwrite one with the other.
    private func checkPicturesBesideAssets(_ pictures: Set<String>) {
        let assets = layout.templates.appendingPathComponent("assets")
        let templates = TemplateLoader(layout: layout, diagnostics: diagnostics)
        for path in pictures.sorted() where !path.contains("/") && templates.hasAsset(path) {
            diagnostics.error("this picture would be copied to assets/\(path), where \(layout.display(assets.appendingPathComponent(path))) goes; move it into a folder like Content/images/",
                              at: SourceLocation(path: layout.display(layout.content.appendingPathComponent(path)), line: 0, column: 0))
        }
    }

    /// Pages named in site.yaml must exist; checked once every page is loaded.
    private func checkIncludedPages(_ references: [(slug: String, location: SourceLocation)], library: ContentLibrary) {
        for (slug, location) in references where library.pages[slug] == nil && !library.failedToLoad("pages", slug) {
            diagnostics.error("unknown education page '\(slug)'" + Suggestion.hint(for: slug, in: library.pages.keys),
                              at: location)
        }
    }

    // MARK: Markdown files

    /// Front matter and body, with problems in either reported against the .md file's own lines.
    func readMarkdownFile(_ url: URL, text: String, keys: [String]) -> (YAMLMapping, FrontMatterDocument)? {
        let display = layout.display(url)
        let document: FrontMatterDocument
        switch FrontMatterDocument.split(text) {
        case .success(let split): document = split
        case .failure(.missingOpening):
            diagnostics.error("missing front matter: start the file with a line '---', then 'title: ...', then '---'",
                              at: SourceLocation(path: display, line: 1, column: 1))
            return nil
        case .failure(.missingClosing(let line)):
            diagnostics.error("front matter is not closed: add a line '---' after it",
                              at: SourceLocation(path: display, line: line, column: 1))
            return nil
        }
        let source = YAMLSource(path: display, lineOffset: document.yamlLineOffset, diagnostics: diagnostics)
        guard let root = source.parse(document.yaml, whenEmpty: "front matter is empty; it needs at least 'title: ...'") else {
            return nil
        }
        guard let map = root.mapping(keys: keys) else { return nil }
        return (map, document)
    }

    /// The body in both placements; `language` picks the reading-level formula.
    func renderBody(_ document: FrontMatterDocument, url: URL, allowHTML: Bool, language: String,
                    pictures used: inout Set<String>) -> [MarkdownPlacement: RenderedMarkdown] {
        let display = layout.display(url)
        for finding in TextRules.findings(inFile: document.body) {
            diagnostics.error(TextRules.problem(finding.scalar, in: "text"),
                              at: SourceLocation(path: display, line: finding.line + document.bodyLineOffset, column: finding.column))
        }
        var found: [String] = []
        let conversion = Markdown.convert(
            document.body, lineOffset: document.bodyLineOffset, allowHTML: allowHTML,
            placements: [.libraryPage, .handout]
        ) { link in
            let location = SourceLocation(path: display, line: link.line, column: link.column)
            return resolveLink(link, at: location, pictures: &found)
        }
        used.formUnion(found)
        if let warning = Readability.warning(for: conversion.plainText, language: language) {
            diagnostics.warning(warning, at: SourceLocation(path: display, line: document.bodyLineOffset + 1, column: 1))
        }
        return conversion.renderings
    }

    /// Pictures resolve inside `Content/`; links follow `LinkRules`, and links to other
    /// content (`pages/x.md`) become site links, checked once every file is loaded.
    private func resolveLink(_ link: MarkdownLink, at location: SourceLocation, pictures found: inout [String]) -> String? {
        if link.isImage {
            // Only pictures inside Content/ (or inline data): a page never loads anything from outside.
            guard Markdown.isRelative(link.url) else {
                if !link.url.hasPrefix("data:image/") {
                    diagnostics.error("picture '\(link.url)' must be a file inside Content/, like images/side-plank.svg; pages load nothing from other sites",
                                      at: location)
                }
                return nil
            }
            switch pictures.resolve(link.url.hasPrefix("../") ? String(link.url.dropFirst(3)) : link.url) {
            case .success(let path):
                found.append(path)
                return "assets/" + path
            case .failure(let problem):
                diagnostics.error(problem.message, at: location)
                return nil
            }
        }
        switch LinkRules.target(of: link.url) {
        case .success(.outside):
            return nil
        case let .success(.content(kind, slug, sitePath)):
            links.append((kind, slug, location))
            return sitePath
        case .failure(let problem):
            diagnostics.error(problem.message, at: location)
            return nil
        }
    }

    // MARK: Exercises

    func loadExercise(slug: String, url: URL, text: String, allowHTML: Bool, language: String, videoCodes: Bool = true,
                      pictures used: inout Set<String>) -> Exercise? {
        let keys = ["title", "dosage", "sides", "tags", "image", "image_alt", "video"]
        guard let (map, document) = readMarkdownFile(url, text: text, keys: keys) else { return nil }
        let title = map.required("title")?.nonEmptyText(atMost: PlanLimits.shortText)
        let sides = map["sides"]?.sides()
        var dosage = Dosage()
        if let node = map["dosage"] {
            dosage = DosageReader.read(node, keys: Dosage.fieldNames) ?? Dosage()
        }
        var tags: [String] = []
        if let list = map["tags"]?.list() {
            tags = list.compactMap { $0.slug() }
        }
        var picture: Picture?
        if let image = map["image"], let path = image.text() {
            // Both problems at once: a missing file does not hide a missing description.
            let alt = map["image_alt"]?.nonEmptyText()
            if alt == nil, !map.has("image_alt") {
                image.error("a picture needs 'image_alt': a short description of what it shows")
            }
            switch pictures.resolve(path) {
            case .success(let path):
                if let alt {
                    picture = Picture(path: path, alt: alt)
                    used.insert(path)
                }
            case .failure(let problem): image.error(problem.message)
            }
        } else if let alt = map["image_alt"] {
            alt.warning("image_alt is set but there is no image")
        } else {
            map.node.warning("exercise '\(slug)' has no picture; add 'image:' and 'image_alt:' so the patient can see how it is done")
        }
        var video: String?
        var videoCode: QRCode?
        if let node = map["video"], let text = node.text() {
            if LinkRules.isWebAddress(text) {
                video = text
                if text.lowercased().hasPrefix("http:") {
                    node.warning("video address is not https://; phones warn about or refuse plain http:// pages, so use the https:// address")
                }
                if videoCodes { videoCode = self.videoCode(text, at: node) }
            } else if TextRules.firstForbidden(inValue: text) == nil {
                // (A forbidden character is reported as such already.)
                node.error("video must be an http:// or https:// address; found \(node.found)")
            }
        }
        let body = renderBody(document, url: url, allowHTML: allowHTML, language: language, pictures: &used)
        let display = layout.display(url)
        if let rendered = body[.libraryPage] {
            let headings = rendered.sections.map { $0.heading.lowercased() }
            for needed in ["Setup", "Movement"] where !headings.contains(needed.lowercased()) {
                diagnostics.warning("no '## \(needed)' section; patients expect Setup and Movement",
                                    at: SourceLocation(path: display, line: document.bodyLineOffset + 1, column: 1))
            }
        }
        guard let title else { return nil }
        return Exercise(slug: slug, path: display, title: title, dosage: dosage, sides: sides ?? .none, tags: tags,
                        picture: picture, video: video, videoCode: videoCode, body: body)
    }

    /// The code printed on the card. An address too long for a code that scans at card size is
    /// an error, because the paper would carry a code no phone can read.
    private func videoCode(_ address: String, at node: YAMLNode) -> QRCode? {
        guard let code = QRCode.encode(address), code.fitsCard else {
            node.error("video address is too long to print as a QR code a phone can read (\(address.count) characters); "
                       + "use a shorter address of at most \(QRCode.longestAddress) characters, such as a short page on the clinic's site, or set 'video_qr: false' in site.yaml")
            return nil
        }
        return code
    }

    // MARK: Education pages

    func loadPage(slug: String, url: URL, text: String, allowHTML: Bool, language: String, pictures used: inout Set<String>) -> EducationPage? {
        guard let (map, document) = readMarkdownFile(url, text: text, keys: ["title", "summary"]) else { return nil }
        let title = map.required("title")?.nonEmptyText(atMost: PlanLimits.shortText)
        let summary = map["summary"]?.text()
        let body = renderBody(document, url: url, allowHTML: allowHTML, language: language, pictures: &used)
        guard let title else { return nil }
        return EducationPage(slug: slug, path: layout.display(url), title: title, summary: summary, body: body)
    }

    // MARK: Progressions

    func loadProgression(slug: String, url: URL, text: String, allowHTML: Bool, language: String, pictures used: inout Set<String>) -> Progression? {
        let keys = ["title", "schedule", "advance", "stages", "then"]
        guard let (map, document) = readMarkdownFile(url, text: text, keys: keys) else { return nil }
        let body = renderBody(document, url: url, allowHTML: allowHTML, language: language, pictures: &used)
        let reader = ProgressionReader()
        let title = map.required("title")?.nonEmptyText(atMost: PlanLimits.shortText)
        let schedule = map["schedule"].map(reader.schedule) ?? (.weekdays(Weekday.forTimesPerWeek(3)), .perWeek(3, neverBackToBack: false))
        let advance = map.required("advance", hint: ", like 'advance: { every: 2-3 days }'").flatMap(reader.advance)
        let stages = map.required("stages", hint: ": a list of stages").flatMap(reader.stages)
        let then = map["then"]?.text()
        guard let title, let schedule, let advance, let stages else { return nil }
        return Progression(slug: slug, path: layout.display(url), title: title, sessionDays: schedule.0,
                           usualDays: schedule.1, advance: advance, stages: stages, then: then, body: body)
    }
}

/// Dosage fields, shared by exercises, plan entries and dosage changes.
enum DosageReader {
    static func read(_ node: YAMLNode, keys: [String]) -> Dosage? {
        guard let map = node.mapping(keys: keys) else { return nil }
        return fields(of: map)
    }

    static func fields(of map: YAMLMapping) -> Dosage {
        var dosage = Dosage()
        dosage.reps = map["reps"]?.integer(in: Dosage.repsRange)
        dosage.sets = map["sets"]?.integer(in: Dosage.setsRange)
        dosage.daily = map["daily"]?.integer(in: Dosage.dailyRange, meaning: "a number of times per day")
        dosage.weekly = map["weekly"]?.integer(in: Dosage.weeklyRange, meaning: "a number of days per week")
        if let node = map["hold"] {
            if case .scalar(let scalar) = node.node, let hold = HoldTime(text: scalar.string) {
                dosage.hold = hold
            } else {
                node.error("hold must be a time like '30 s' or '1 min' (at most 60 min); found \(node.found)")
            }
        }
        return dosage
    }
}

/// Links found while loading, appended from loader methods that cannot mutate the loader.
private final class LinkedContent: @unchecked Sendable {
    private var items: [(kind: String, slug: String, location: SourceLocation)] = []
    private let lock = NSLock()

    func append(_ item: (kind: String, slug: String, location: SourceLocation)) { lock.withLock { items.append(item) } }
    var all: [(kind: String, slug: String, location: SourceLocation)] { lock.withLock { items } }
}
