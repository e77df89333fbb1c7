import Foundation

/// Loads `Content/` (all but plans) into a `ContentLibrary`, reporting every problem.
public struct ContentLoader: Sendable {
    var layout: SiteLayout
    var diagnostics: Diagnostics
    /// Links between content files (`pages/safety.md`), checked once everything is loaded.
    let links = LinkedContent()
    var files: ContentFiles { ContentFiles(layout: layout, diagnostics: diagnostics) }
    var pictures: PictureResolver { PictureResolver(content: layout.content) }

    public init(layout: SiteLayout, diagnostics: Diagnostics) {
        self.layout = layout
        self.diagnostics = diagnostics
    }

    public func load() -> ContentLibrary {
        var settings = SiteSettingsFound()
        let site = loadSite(&settings)
        var found = Collected(pictures: settings.pictures)
        let allowHTML = site?.allowHTML ?? false
        let videoCodes = site?.videoQR ?? true
        let language = site?.originalsLanguage ?? "en"
        let exercises = loadAll("exercises", "md", into: &found) {
            loadExercise(slug: $0, url: $1, text: $2, allowHTML: allowHTML, language: language, videoCodes: videoCodes, pictures: &$3)
        }
        let pages = loadAll("pages", "md", into: &found) {
            loadPage(slug: $0, url: $1, text: $2, allowHTML: allowHTML, language: language, pictures: &$3)
        }
        let progressions = loadAll("progressions", "md", into: &found) {
            loadProgression(slug: $0, url: $1, text: $2, allowHTML: allowHTML, language: language, pictures: &$3)
        }
        let protocols = loadAll("protocols", "yaml", into: &found) { slug, url, text, _ -> TreatmentProtocol? in
            let source = YAMLSource(path: layout.display(url), lineOffset: 0, diagnostics: diagnostics, owner: .protocol(slug))
            return PlanReader.readProtocol(slug: slug, path: source.path, text: text, source: source)
        }
        var library = ContentLibrary(
            site: site ?? Site(clinic: "Clinic"), exercises: exercises, pages: pages,
            progressions: progressions, protocols: protocols, pictures: found.pictures)
        library.failed = found.failed
        // Translations first: their pictures are read with the others below.
        loadTranslations(found.translations, into: &library, hashes: &found.hashes)
        readPictures(into: &library, hashes: &found.hashes)
        library.hashes = found.hashes
        library.siteHash = settings.hash
        library.languages = TemplateLoader(layout: layout, diagnostics: diagnostics).languages()
        checkAcrossFiles(library, site: site, settings: settings)
        return library
    }

    /// What loading every kind of file collects besides the items.
    private struct Collected {
        var pictures: Set<String>
        /// Files that failed to load, as `kind/slug` (`kind/*` for a folder that could not be listed).
        var failed = Set<String>()
        var hashes: [String: Fingerprint] = [:]
        var translations: [String: [ContentFiles.Entry]] = [:]
    }

    /// Loads every file of one kind, in parallel; a file that fails is remembered in `failed`.
    /// Each file is read once: the bytes hashed are the bytes parsed.
    private func loadAll<T>(_ kind: String, _ ext: String, into found: inout Collected,
                            _ load: @Sendable (String, URL, String, inout Set<String>) -> T?) -> [String: T] {
        // A protocol's problems hold back only the plans built on it.
        let owner: @Sendable (String) -> Diagnostic.Owner = { kind == "protocols" ? .protocol($0) : .site }
        var failed = found.failed
        guard let all = files.entries(in: folder(kind), extension: ext, required: false, translations: ext == "md", owner: owner)?.filter({ entry in
            guard entry.language == nil, let page = SiteLayout.generatedPages["\(kind)/\(entry.slug).html"] else { return true }
            diagnostics.error("this file's page would be \(kind)/\(entry.slug).html, which is \(page); rename the file",
                              at: SourceLocation(path: layout.display(entry.url), line: 1, column: 1))
            failed.insert("\(kind)/\(entry.slug)")
            return false
        }) else {
            // Reported; whatever the folder holds counts as failed, not as unknown.
            found.failed.insert("\(kind)/*")
            return [:]
        }
        found.failed = failed
        found.translations[kind] = all.filter { $0.language != nil }
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
            found.hashes["\(kind)/\(entry.slug)"] = result.hash
            found.pictures.formUnion(result.pictures)
            if let item = result.item { items[entry.slug] = item } else { found.failed.insert("\(kind)/\(entry.slug)") }
        }
        return items
    }

    /// Pictures are read here, once: the bytes hashed are the bytes copied to assets/.
    private func readPictures(into library: inout ContentLibrary, hashes: inout [String: Fingerprint]) {
        for path in library.pictures.sorted() {
            let url = layout.content.appendingPathComponent(path)
            do {
                let data = try FileSystem.read(url.path, limit: .picture)
                if let problem = PictureCheck.problem(data, path: path) {
                    // A problem of the whole file is reported at its start.
                    diagnostics.error(problem.message, at: SourceLocation(path: layout.display(url), line: max(1, problem.line), column: 1))
                    continue
                }
                library.pictureData[path] = data
                hashes[path] = Fingerprint(data)
            } catch {
                diagnostics.error("cannot read this picture: \(error.reason); pages show it, so it must be readable",
                                  at: SourceLocation(path: layout.display(url), line: 1, column: 1))
            }
        }
    }

    /// Rules that need every file loaded: the site's language, pictures beside assets,
    /// included pages, the pain rule, links between files, and protocols.
    private func checkAcrossFiles(_ library: ContentLibrary, site: Site?, settings: SiteSettingsFound) {
        // The site's language is every plan's default, so it needs its words even when not written.
        if let language = site?.language ?? settings.language, let problem = library.missingLanguage(language) {
            diagnostics.error(problem, at: settings.languageLocation
                ?? SourceLocation(path: layout.display(layout.content.appendingPathComponent("site.yaml")), line: 1, column: 1))
        }
        checkPicturesBesideAssets(library.pictures)
        checkIncludedPages(settings.includedPages, library: library)
        if let slug = site?.painRule, let location = settings.painRuleLocation, let problem = library.pages[slug]?.painRuleProblem {
            diagnostics.error(problem, at: location)
        }
        for (kind, slug, location) in links.all {
            if let missing = library.missingLinkTarget(kind, slug) { diagnostics.error(missing, at: location) }
        }
        for item in library.protocols.values.sorted(by: { $0.slug < $1.slug }) {
            PlanChecker(library: library, diagnostics: diagnostics).check(protocol: item)
        }
    }

    func folder(_ name: String) -> URL { layout.content.appendingPathComponent(name) }

    /// A picture at the top of `Content/` is copied to `assets/<name>`, where the template
    /// assets go too: the same name would overwrite one with the other.
    private func checkPicturesBesideAssets(_ pictures: Set<String>) {
        let assets = layout.templates.appendingPathComponent("assets")
        let templates = TemplateLoader(layout: layout, diagnostics: diagnostics)
        for path in pictures.sorted() where !path.contains("/") && templates.hasAsset(path) {
            diagnostics.error("this picture would be copied to assets/\(path), where \(layout.display(assets.appendingPathComponent(path))) goes; move it into a folder like Content/images/",
                              at: SourceLocation(path: layout.display(layout.content.appendingPathComponent(path)), line: 1, column: 1))
        }
    }

    /// Pages named in site.yaml must exist; checked once every page is loaded.
    private func checkIncludedPages(_ references: [(slug: String, location: SourceLocation)], library: ContentLibrary) {
        for (slug, location) in references where library.pages[slug] == nil && !library.failedToLoad("pages", slug) {
            diagnostics.error("unknown education page '\(slug)'" + Suggestion.hint(for: slug, in: library.pages.keys),
                              at: location)
        }
    }
}

/// Links found while loading, appended from loader methods that cannot mutate the loader.
final class LinkedContent: @unchecked Sendable {
    private var items: [(kind: String, slug: String, location: SourceLocation)] = []
    private let lock = NSLock()

    func append(_ item: (kind: String, slug: String, location: SourceLocation)) { lock.withLock { items.append(item) } }
    var all: [(kind: String, slug: String, location: SourceLocation)] { lock.withLock { items } }
}
