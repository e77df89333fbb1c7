import Foundation

/// The clinic index and the library: exercise, education and progression pages.
extension SiteRenderer {
    /// The clinic index, and where each of its rows is in it (a range of its bytes) under its
    /// key, for the next build to reuse; `cached` gives the rows the last build kept, by key,
    /// and is asked only when rows can be kept: not when the index shows names (never
    /// recorded anywhere), nor when the templates do not render rows apart
    /// (`IndexRows.renderedApart`), nor without plans. Either way the page is byte for byte
    /// what rendering it whole gives.
    public func renderIndex(_ plans: [PlanSummary], reusing cached: () -> [String: Data] = { [:] })
        -> (page: OutputFile, rows: [(key: String, range: Range<Int>)]?) {
        let words = siteWords
        let sorted = plans.sorted { ($0.start, $0.id) > ($1.start, $1.id) }
        let therapists = therapists(of: plans)
        let title = words.phrase("title_index", ["clinic": site.clinic])
        if !site.indexShowsNames, templates.indexRowsApart, !sorted.isEmpty,
           let around = indexAround(therapists: therapists), let rows = indexRows(sorted, reusing: cached()),
           let placed = IndexRows.page(rows.map(\.html), around: around,
                                       in: page(title: title, root: "", bodyClass: "index", content: IndexRows.marker, script: "assets/filter.js")) {
            return (OutputFile(path: SiteLayout.indexPage, data: placed.page), zip(rows, placed.rows).map { ($0.key, $1) })
        }
        let html = templates.render(
            ClinicIndex(clinic: clinic(root: ""), showNames: site.indexShowsNames, plans: sorted.isEmpty ? nil : sorted.map(indexRow),
                        therapists: therapists), with: "index", in: words)
        return (OutputFile(path: SiteLayout.indexPage, text: page(title: title, root: "", bodyClass: "index", content: html, script: "assets/filter.js")), nil)
    }

    /// What goes around the index's rows (`IndexRows.Around`), with these therapists in its filter.
    private func indexAround(therapists: [String]?) -> IndexRows.Around? {
        var context = ContextEncoder.encode(ClinicIndex(clinic: clinic(root: ""), showNames: false, plans: nil, therapists: therapists))
        context[IndexRows.list] = [[String: Any](), [String: Any]()]
        return templates.render(context, with: "index", in: siteWords, replacing: IndexRows.partial, by: IndexRows.marker)
            .flatMap(IndexRows.around)
    }

    /// Each plan's row, in the index's order: the HTML `cached` holds under its key, or
    /// rendered now (all such rows in one go); nil when they cannot be told apart.
    private func indexRows(_ sorted: [PlanSummary], reusing cached: [String: Data]) -> [(key: String, html: Data)]? {
        let keys = sorted.map(IndexRows.key)
        var html = keys.map { cached[$0] }
        let missing = html.indices.filter { html[$0] == nil }
        guard !missing.isEmpty else { return zip(keys, html).map { ($0, $1!) } }
        // The therapists' list is left out: rows do not read it, and what goes around them matches.
        guard let around = indexAround(therapists: nil) else { return nil }
        for chunk in stride(from: 0, to: missing.count, by: IndexRows.batch).map({ missing[$0..<min($0 + IndexRows.batch, missing.count)] }) {
            let context = ContextEncoder.encode(ClinicIndex(clinic: clinic(root: ""), showNames: false,
                                                            plans: chunk.map { indexRow(sorted[$0]) }, therapists: nil))
            guard let rendered = templates.render(context, with: "index", in: siteWords, replacing: IndexRows.partial, by: IndexRows.markedRow),
                  let fresh = IndexRows.rows(in: rendered, around: around), fresh.count == chunk.count else { return nil }
            for (i, row) in zip(chunk, fresh) { html[i] = row }
        }
        return zip(keys, html).map { ($0, $1!) }
    }

    /// The therapists the index's filter offers.
    private func therapists(of plans: [PlanSummary]) -> [String]? {
        let therapists = Set(plans.compactMap { nonEmpty($0.therapist) }).sorted()
        return therapists.isEmpty ? nil : therapists
    }

    func indexRow(_ plan: PlanSummary) -> IndexRow {
        let folder = "patients/\(plan.id)/"
        let searchable = [plan.id, plan.therapist, plan.condition, site.indexShowsNames ? plan.patient : nil]
        return IndexRow(
            id: plan.id, patient: site.indexShowsNames ? plan.patient : nil, therapist: nonEmpty(plan.therapist),
            condition: nonEmpty(plan.condition), start: plan.start.iso,
            // Its last day: the day it ended, if it did, so "running today" leaves it out after.
            end: Scheduler.lastDay(start: plan.start, weeks: plan.weeks, ended: plan.ended, weekStarts: site.weekStarts).iso,
            weeks: "\(plan.weeks)", ended: plan.ended != nil,
            handoutHref: folder + "index.html", calendarHref: folder + "calendar.html", icsHref: folder + "calendar.ics",
            search: searchable.compactMap { $0 }.joined(separator: " ").lowercased())
    }

    /// The exercise library, education pages and progression pages, and the plan schemas.
    public func renderLibrary() -> [OutputFile] {
        // The library reads in the site's language: a translation into it where there is one.
        var shown = self
        shown.library = library.inLanguage(site.language)
        // The plan schemas name the library's exercises, pages, programs and protocols.
        return shown.libraryPages() + PlanSchema.files(for: library)
    }

    private func libraryPages() -> [OutputFile] {
        let root = "../"
        let words = siteWords
        let protocols = resolvedProtocols()
        var files: [OutputFile] = []
        for exercise in library.exercises.values.sorted(by: { $0.slug < $1.slug }) {
            files.append(OutputFile(path: "exercises/\(exercise.slug).html", text: page(
                title: exercise.title, root: root, bodyClass: "library",
                content: templates.render(exercisePageContext(exercise, protocols: protocols, words: words), with: "exercise", in: words))))
        }
        for item in library.pages.values.sorted(by: { $0.slug < $1.slug }) {
            files.append(OutputFile(path: "pages/\(item.slug).html", text: page(
                title: item.title, root: root, bodyClass: "library", content: templates.render(educationPageContext(item), with: "page", in: words))))
        }
        for progression in library.progressions.values.sorted(by: { $0.slug < $1.slug }) {
            files.append(OutputFile(path: "progressions/\(progression.slug).html", text: page(
                title: progression.title, root: root, bodyClass: "library",
                content: templates.render(progressionPageContext(progression, protocols: protocols, words: words), with: "progression", in: words))))
        }
        files.append(OutputFile(path: "exercises/index.html", text: page(
            title: words.phrase("title_library"), root: root, bodyClass: "library",
            content: templates.render(libraryContext(root: root, words: words), with: "library", in: words), script: "assets/filter.js")))
        return files
    }

    /// Each protocol with its fields resolved, once per build rather than once per library page.
    func resolvedProtocols() -> [(item: TreatmentProtocol, fields: PlanFields)] {
        library.protocols.values.sorted { $0.slug < $1.slug }.map { ($0, library.resolvedFields(ofProtocol: $0.slug) ?? $0.fields) }
    }

    /// "Used in these protocols", for a library page.
    private func protocols(_ protocols: [(item: TreatmentProtocol, fields: PlanFields)],
                           using matches: (PlanFields) -> Bool) -> Group<Link>? {
        .of(protocols.filter { matches($0.fields) }.map { Link(title: $0.item.title ?? $0.item.slug) })
    }

    func exercisePageContext(_ exercise: Exercise, protocols: [(item: TreatmentProtocol, fields: PlanFields)], words: Words) -> LibraryExercisePage {
        let body = exercise.body[.libraryPage]
        return LibraryExercisePage(
            clinic: clinic(root: "../"), title: exercise.title,
            picture: exercise.picture.map { picture($0, root: "../") }, dosageLine: words.dosageLine(exercise.dosage, sides: exercise.sides),
            intro: nonEmpty(body?.intro).map(HTML.init), sections: sections(body), video: exercise.video,
            tags: .of(exercise.tags),
            protocols: self.protocols(protocols) { ($0.exercises ?? []).contains { $0.slug == exercise.slug } })
    }

    func educationPageContext(_ page: EducationPage) -> LibraryEducationPage {
        LibraryEducationPage(clinic: clinic(root: "../"), title: page.title, summary: nonEmpty(page.summary),
                             html: HTML(page.body[.libraryPage]?.html ?? ""))
    }

    func progressionPageContext(_ progression: Progression, protocols: [(item: TreatmentProtocol, fields: PlanFields)],
                                words: Words) -> LibraryProgressionPage {
        Joined(progressionText(progression, placement: .libraryPage, words: words),
               LibraryPageExtras(clinic: clinic(root: "../"),
                                 protocols: self.protocols(protocols) { ($0.progressions ?? []).contains { $0.slug == progression.slug } }))
    }

    func libraryContext(root: String, words: Words) -> LibraryIndex {
        var byTag: [String: [Exercise]] = [:]
        for exercise in library.exercises.values {
            for tag in exercise.tags.isEmpty ? ["other"] : exercise.tags { byTag[tag, default: []].append(exercise) }
        }
        let tags = byTag.keys.sorted().map { tag in
            LibraryIndex.TagGroup(tag: tag, exercises: byTag[tag]!.sorted { ($0.title, $0.slug) < ($1.title, $1.slug) }.map { exercise in
                LibraryIndex.Entry(title: exercise.title, href: "\(exercise.slug).html", tags: exercise.tags.joined(separator: " "),
                                   dosageLine: words.dosageLine(exercise.dosage, sides: exercise.sides))
            })
        }
        let progressions = library.progressions.values.sorted { ($0.title, $0.slug) < ($1.title, $1.slug) }
            .map { Link(title: $0.title, href: root + "progressions/\($0.slug).html") }
        let pages = library.pages.values.sorted { ($0.title, $0.slug) < ($1.title, $1.slug) }
            .map { Link(title: $0.title, href: root + "pages/\($0.slug).html") }
        let protocols = library.protocols.values.sorted { $0.slug < $1.slug }.map { item in
            let fields = library.resolvedFields(ofProtocol: item.slug) ?? item.fields
            let exercises = (fields.exercises ?? []).compactMap { library.exercises[$0.slug] }
                .map { Link(title: $0.title, href: "\($0.slug).html") }
            return LibraryIndex.ProtocolEntry(title: item.title ?? item.slug, condition: nonEmpty(fields.condition), exercises: .of(exercises))
        }
        // The filter offers the regions and conditions some exercise has.
        let used = Set(library.exercises.values.flatMap(\.tags))
        let regions = TagVocabulary.regions.filter(used.contains)
        let conditions = used.filter(TagVocabulary.isCondition).sorted()
        return LibraryIndex(clinic: clinic(root: root), tags: tags.isEmpty ? nil : tags,
                            regions: regions.isEmpty ? nil : regions, conditions: conditions.isEmpty ? nil : conditions,
                            progressions: .of(progressions), pages: .of(pages), protocols: .of(protocols))
    }
}
