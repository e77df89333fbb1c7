import Foundation

/// The clinic index and the library: exercise, education and progression pages.
extension SiteRenderer {
    public func renderIndex(_ plans: [PlanSummary]) -> OutputFile {
        OutputFile(path: SiteLayout.indexPage, text: page(
            title: siteWords.phrase("title_index", ["clinic": site.clinic]), root: "", bodyClass: "index",
            content: templates.render(indexContext(plans), with: "index", in: siteWords), script: "assets/filter.js"))
    }

    func indexContext(_ plans: [PlanSummary]) -> [String: Any] {
        let sorted = plans.sorted { ($0.start, $0.id) > ($1.start, $1.id) }
        let rows: [[String: Any]] = sorted.map { plan in
            let folder = "patients/\(plan.id)/"
            let searchable = [plan.id, plan.therapist, plan.condition, site.indexShowsNames ? plan.patient : nil]
            return compact([
                "id": plan.id, "patient": site.indexShowsNames ? plan.patient : nil, "therapist": nonEmpty(plan.therapist),
                "condition": nonEmpty(plan.condition), "start": plan.start.iso, "weeks": "\(plan.weeks)",
                // Its last day: the day it ended, if it did, so "running today" leaves it out after.
                "end": Scheduler.lastDay(start: plan.start, weeks: plan.weeks, ended: plan.ended, weekStarts: site.weekStarts).iso,
                "ended": plan.ended != nil,
                "handout_href": folder + "index.html", "calendar_href": folder + "calendar.html",
                "ics_href": folder + "calendar.ics",
                "search": searchable.compactMap { $0 }.joined(separator: " ").lowercased(),
            ])
        }
        let therapists = Set(plans.compactMap { nonEmpty($0.therapist) }).sorted()
        return compact([
            "clinic": clinic(root: ""), "show_names": site.indexShowsNames, "plans": rows.isEmpty ? nil : rows,
            "therapists": therapists.isEmpty ? nil : therapists, "library_href": "exercises/index.html",
        ])
    }

    /// The exercise library, education pages and progression pages, and the plan schemas.
    public func renderLibrary() -> [OutputFile] {
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
        // The plan schemas name the library's exercises, pages, programs and protocols.
        return files + PlanSchema.files(for: library)
    }

    /// Each protocol with its fields resolved, once per build rather than once per library page.
    func resolvedProtocols() -> [(item: TreatmentProtocol, fields: PlanFields)] {
        library.protocols.values.sorted { $0.slug < $1.slug }.map { ($0, library.resolvedFields(ofProtocol: $0.slug) ?? $0.fields) }
    }

    /// "Used in these protocols", for a library page.
    private func protocols(_ protocols: [(item: TreatmentProtocol, fields: PlanFields)],
                           using matches: (PlanFields) -> Bool) -> [String: Any]? {
        group(protocols.filter { matches($0.fields) }.map { ["title": $0.item.title ?? $0.item.slug] as [String: Any] })
    }

    func exercisePageContext(_ exercise: Exercise, protocols: [(item: TreatmentProtocol, fields: PlanFields)], words: Words) -> [String: Any] {
        let body = exercise.body[.libraryPage]
        return compact([
            "clinic": clinic(root: "../"), "title": exercise.title,
            "picture": exercise.picture.map { picture($0, root: "../") }, "dosage_line": words.dosageLine(exercise.dosage, sides: exercise.sides),
            "intro": nonEmpty(body?.intro), "sections": sections(body), "video": exercise.video,
            "tags": exercise.tags.isEmpty ? nil : ["items": exercise.tags],
            "protocols": self.protocols(protocols) { ($0.exercises ?? []).contains { $0.slug == exercise.slug } },
        ])
    }

    func educationPageContext(_ page: EducationPage) -> [String: Any] {
        compact([
            "clinic": clinic(root: "../"), "title": page.title, "summary": nonEmpty(page.summary),
            "html": page.body[.libraryPage]?.html ?? "",
        ])
    }

    func progressionPageContext(_ progression: Progression, protocols: [(item: TreatmentProtocol, fields: PlanFields)],
                                words: Words) -> [String: Any] {
        var context = progressionContext(progression, placement: .libraryPage, words: words)
        context["clinic"] = clinic(root: "../")
        context["protocols"] = self.protocols(protocols) { ($0.progressions ?? []).contains { $0.slug == progression.slug } }
        return compact(context)
    }

    func libraryContext(root: String, words: Words) -> [String: Any] {
        var byTag: [String: [Exercise]] = [:]
        for exercise in library.exercises.values {
            for tag in exercise.tags.isEmpty ? ["other"] : exercise.tags { byTag[tag, default: []].append(exercise) }
        }
        let tags: [[String: Any]] = byTag.keys.sorted().map { tag in
            ["tag": tag, "exercises": byTag[tag]!.sorted { ($0.title, $0.slug) < ($1.title, $1.slug) }.map { exercise in
                ["title": exercise.title, "href": "\(exercise.slug).html", "tags": exercise.tags.joined(separator: " "),
                 "dosage_line": words.dosageLine(exercise.dosage, sides: exercise.sides)] as [String: Any]
            }]
        }
        let progressions = library.progressions.values.sorted { ($0.title, $0.slug) < ($1.title, $1.slug) }
            .map { ["title": $0.title, "href": root + "progressions/\($0.slug).html"] as [String: Any] }
        let pages = library.pages.values.sorted { ($0.title, $0.slug) < ($1.title, $1.slug) }
            .map { ["title": $0.title, "href": root + "pages/\($0.slug).html"] as [String: Any] }
        let protocols: [[String: Any]] = library.protocols.values.sorted { $0.slug < $1.slug }.map { item in
            let fields = library.resolvedFields(ofProtocol: item.slug) ?? item.fields
            let exercises = (fields.exercises ?? []).compactMap { library.exercises[$0.slug] }
                .map { ["title": $0.title, "href": "\($0.slug).html"] as [String: Any] }
            return compact(["title": item.title ?? item.slug, "condition": nonEmpty(fields.condition),
                            "exercises": group(exercises)])
        }
        // The filter offers the regions and conditions some exercise has.
        let used = Set(library.exercises.values.flatMap(\.tags))
        let regions = TagVocabulary.regions.filter(used.contains)
        let conditions = used.filter(TagVocabulary.isCondition).sorted()
        return compact([
            "clinic": clinic(root: root), "tags": tags.isEmpty ? nil : tags,
            "regions": regions.isEmpty ? nil : regions, "conditions": conditions.isEmpty ? nil : conditions,
            "progressions": group(progressions), "pages": group(pages), "protocols": group(protocols),
        ])
    }
}
