import Foundation

/// `Content/site.yaml`: the clinic's settings.
extension ContentLoader {
    /// What reading `site.yaml` finds besides the settings, for checks once everything is loaded.
    struct SiteSettingsFound {
        /// The logo.
        var pictures = Set<String>()
        /// The pain rule and the included pages, where they are named.
        var includedPages: [(slug: String, location: SourceLocation)] = []
        var hash = Fingerprint.absent
        /// The site's language as written, kept when the settings fail (no clinic), so it is
        /// still checked in the same run.
        var language: String?
        var languageLocation: SourceLocation?
        var painRuleLocation: SourceLocation?
    }

    func loadSite(_ found: inout SiteSettingsFound) -> Site? {
        let url = layout.content.appendingPathComponent("site.yaml")
        let display = layout.display(url)
        guard FileManager.default.fileExists(atPath: url.path) else {
            diagnostics.error("missing clinic settings; create it with at least 'clinic: Your Clinic Name'",
                              at: SourceLocation(path: display, line: 1, column: 1))
            return nil
        }
        guard let (data, text) = files.load(url, limit: .settings) else { return nil }
        found.hash = Fingerprint(data)
        let source = YAMLSource(path: display, lineOffset: 0, diagnostics: diagnostics)
        guard let root = source.parse(text, whenEmpty: "site.yaml is empty; write at least 'clinic: Your Clinic Name'") else {
            return nil
        }
        let keys = ["clinic", "address", "phone", "logo", "paper", "week_starts", "language", "large_print",
                    "index_shows_names", "include_pages", "footer", "allow_html", "translation_fallback", "video_qr",
                    "pain_rule", "tick_each_side", "reminders", "content_language"]
        guard let map = root.mapping(keys: keys) else { return nil }
        // Without a clinic the settings are still read to the end, so every mistake in the
        // file is reported in the same run.
        let clinic = map.required("clinic")?.nonEmptyText(atMost: PlanLimits.shortText, oneLine: true, hint: "write the clinic's name, like 'clinic: Riverside Physical Therapy'")
        var site = Site(clinic: clinic ?? "")
        site.address = map["address"]?.text()
        site.phone = map["phone"]?.text()
        let footerInSiteLanguage = readFooters(map["footer"], into: &site)
        readLogo(map["logo"], clinic: site.clinic, into: &site, found: &found)
        if let paper = map["paper"]?.choice(Paper.allCases.map(\.rawValue)) { site.paper = Paper(rawValue: paper)! }
        if let start = map["week_starts"]?.choice(["monday", "sunday"]) {
            site.weekStarts = start == "sunday" ? .sunday : .monday
        }
        if let node = map["language"], let code = node.languageTag() {
            site.language = code
            found.language = code
            found.languageLocation = node.location
        }
        if let footerInSiteLanguage { site.footers[site.language] = footerInSiteLanguage }
        if let node = map["content_language"], let code = node.languageTag() { site.contentLanguage = code }
        if let value = map["large_print"]?.bool() { site.largePrint = value }
        // `none` (the default) makes a missing translation an error.
        if let node = map["translation_fallback"], node.node.scalar?.string != "none" { site.translationFallback = node.languageTag() }
        if let value = map["index_shows_names"]?.bool() { site.indexShowsNames = value }
        if let value = map["allow_html"]?.bool() { site.allowHTML = value }
        if let value = map["video_qr"]?.bool() { site.videoQR = value }
        if let value = map["tick_each_side"]?.bool() { site.tickEachSide = value }
        site.reminder = map["reminders"]?.reminderSetting()?.time
        readIncludedPages(map, into: &site, found: &found)
        return clinic == nil ? nil : site
    }

    /// Footers by language; returns one given as plain text, which is in the site's language.
    private func readFooters(_ node: YAMLNode?, into site: inout Site) -> String? {
        guard let node else { return nil }
        if case .mapping = node.node, let entries = node.entries() {
            for (language, text) in entries {
                guard let tag = text.languageTagOfKey(language), let line = text.text() else { continue }
                site.footers[tag] = line
            }
            return nil
        }
        return node.text()
    }

    private func readLogo(_ logo: YAMLNode?, clinic: String, into site: inout Site, found: inout SiteSettingsFound) {
        guard let logo, let path = logo.text() else { return }
        switch pictures.resolve(path) {
        case .success(let path):
            site.logo = Picture(path: path, alt: clinic)
            found.pictures.insert(path)
        case .failure(let problem): logo.error(problem.message)
        }
    }

    /// The pain rule and the pages every safety box includes.
    private func readIncludedPages(_ map: YAMLMapping, into site: inout Site, found: inout SiteSettingsFound) {
        if let node = map["pain_rule"], let slug = node.slug() {
            site.painRule = slug
            found.includedPages.append((slug, node.location))
            found.painRuleLocation = node.location
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
                    found.includedPages.append((slug, item.location))
                }
            }
        }
    }
}
