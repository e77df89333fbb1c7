import Foundation

/// A file to write, relative to the output folder.
public struct OutputFile: Sendable, Equatable {
    public var path: String
    public var data: Data

    public init(path: String, text: String) {
        self.path = path
        data = Data(text.utf8)
    }

    public init(path: String, data: Data) {
        self.path = path
        self.data = data
    }
}

/// One line of the clinic index.
public struct PlanSummary: Sendable, Equatable {
    public var id: String
    public var patient: String
    public var therapist: String?
    public var condition: String?
    public var start: Day
    public var weeks: Int

    public init(id: String, patient: String, therapist: String?, condition: String?, start: Day, weeks: Int) {
        self.id = id
        self.patient = patient
        self.therapist = therapist
        self.condition = condition
        self.start = start
        self.weeks = weeks
    }

    public init(plan: Plan) {
        id = plan.id
        patient = plan.patient
        therapist = plan.therapist
        condition = plan.condition
        start = plan.start
        weeks = plan.weeks
    }
}

/// Builds each page's context and renders it with the clinic's templates.
public struct SiteRenderer: Sendable {
    public var library: ContentLibrary
    public var templates: TemplateSet

    public init(library: ContentLibrary, templates: TemplateSet) {
        self.library = library
        self.templates = templates
    }

    var site: Site { library.site }

    // MARK: Layout

    func page(title: String, root: String, bodyClass: String, template: String, context: [String: Any],
              pageStylesheet: String? = nil, script: String? = nil) -> String {
        let content = templates.render(context, with: template)
        return templates.render(compact([
            "lang": site.language, "title": title, "root": root, "body_class": bodyClass,
            "clinic": clinic(root: root), "paper": site.paper.rawValue, "large_print": site.largePrint,
            "page_stylesheet": pageStylesheet, "script": script, "content": content,
        ]), with: "layout")
    }

    func clinic(root: String) -> [String: Any] {
        compact([
            "name": site.clinic, "address": site.address, "phone": site.phone, "footer": site.footer,
            "logo": site.logo.map { picture($0, root: root) },
        ])
    }

    func picture(_ picture: Picture, root: String) -> [String: Any] {
        ["src": root + "assets/" + picture.path, "alt": picture.alt]
    }

    // MARK: Patient pages

    /// The handout, calendar, .ics and print stylesheet of one plan.
    public func renderPatient(_ plan: Plan, schedule: PlanSchedule) -> [OutputFile] {
        let folder = "patients/\(plan.id)/"
        let stylesheet = PrintStylesheet.css(patient: plan.patient, clinic: site.clinic, paper: site.paper, largePrint: site.largePrint)
        return [
            OutputFile(path: folder + "index.html", text: page(
                title: "Exercise plan for \(plan.patient)", root: "../../", bodyClass: "handout",
                template: "handout", context: handoutContext(plan), pageStylesheet: "print.css")),
            OutputFile(path: folder + "calendar.html", text: page(
                title: "Calendar for \(plan.patient)", root: "../../", bodyClass: "calendar",
                template: "calendar", context: calendarContext(plan, schedule: schedule), pageStylesheet: "print.css")),
            OutputFile(path: folder + "calendar.ics", text: calendarFile(plan, schedule: schedule)),
            OutputFile(path: folder + "print.css", text: stylesheet),
        ]
    }

    func handoutContext(_ plan: Plan) -> [String: Any] {
        let root = "../../"
        let end = Scheduler.firstDayOfWeek(containing: plan.start, weekStarts: site.weekStarts).adding(days: 7 * plan.weeks - 1)
        let cards: [[String: Any]] = plan.exercises.compactMap { planned in
            guard let exercise = library.exercises[planned.slug] else { return nil }
            let dosage = Scheduler.dosage(of: planned, base: exercise.dosage, inWeek: 1)
            let body = exercise.body[.handout]
            let changes: [[String: Any]] = planned.changes.map { change in
                ["week": "\(change.week)",
                 "dosage_line": Scheduler.dosage(of: planned, base: exercise.dosage, inWeek: change.week).line]
            }
            return compact([
                "title": exercise.title, "href": root + "exercises/\(exercise.slug).html",
                "picture": exercise.picture.map { picture($0, root: root) },
                "dosage_line": dosage.line, "days_text": planned.days.map(Words.days),
                "intro": nonEmpty(body?.intro), "sections": sections(body),
                "note": nonEmpty(planned.note), "changes": changes.isEmpty ? nil : changes, "video": exercise.video,
            ])
        }
        let progressions: [[String: Any]] = plan.progressions.compactMap { planned in
            guard let progression = library.progressions[planned.slug] else { return nil }
            let pattern = planned.days.map(SessionDays.weekdays) ?? progression.sessionDays
            var context = progressionContext(progression, placement: .handout)
            context["start"] = (planned.start ?? plan.start).long
            context["days_text"] = Words.sessionDays(pattern)
            return context
        }
        let education: [[String: Any]] = plan.education.compactMap { library.pages[$0] }.map { educationItem($0, root: root) }
        let important = site.includePages.compactMap { library.pages[$0] }.map { educationItem($0, root: root) }
        return compact([
            "clinic": clinic(root: root), "patient": plan.patient, "therapist": nonEmpty(plan.therapist),
            "condition": nonEmpty(plan.condition), "start": plan.start.long, "end": end.long, "weeks": "\(plan.weeks)",
            "calendar_href": "calendar.html", "ics_href": "calendar.ics",
            "exercises": cards.isEmpty ? nil : ["cards": cards], "progressions": progressions.isEmpty ? nil : progressions,
            "cross_training": plan.crossTraining.map { cross in
                compact([
                    "activities": Words.choices(cross.activities),
                    "days_text": cross.days.map(Words.days) ?? "Days without a running session",
                    "note": nonEmpty(cross.note),
                ])
            },
            "education": education.isEmpty ? nil : ["pages": education], "important": important.isEmpty ? nil : important,
            "notes_html": nonEmpty(plan.notesHTML),
        ])
    }

    func educationItem(_ page: EducationPage, root: String) -> [String: Any] {
        compact(["title": page.title, "summary": nonEmpty(page.summary), "html": page.body[.handout]?.html ?? "",
                 "href": root + "pages/\(page.slug).html"])
    }

    func progressionContext(_ progression: Progression, placement: MarkdownPlacement) -> [String: Any] {
        compact([
            "title": progression.title, "href": placement.root + "progressions/\(progression.slug).html",
            "schedule_text": progression.scheduleText,
            "advance_text": Words.advance(progression.advance),
            "if": nonEmpty(progression.advance.condition), "otherwise": nonEmpty(progression.advance.otherwise),
            "then": nonEmpty(progression.then),
            "stages": progression.stages.enumerated().map { index, stage in
                compact(["number": "\(index + 1)", "text": stage.text, "note": nonEmpty(stage.note)])
            },
            "html": progression.body[placement]?.html ?? "",
        ])
    }

    func sections(_ body: RenderedMarkdown?) -> [[String: Any]] {
        (body?.sections ?? []).map { ["heading": $0.heading, "html": $0.html] }
    }

    // MARK: Calendar

    /// What one day asks of the patient, in the words the paper and the .ics share.
    func items(on day: ScheduledDay, plan: Plan) -> [(label: String, detail: String?, kind: String)] {
        var items: [(String, String?, String)] = []
        for session in day.sessions {
            guard let progression = library.progressions[session.progression] else { continue }
            let stage = progression.stages[session.stageIndex]
            items.append((stage.text, "\(progression.title): stage \(session.stageIndex + 1) of \(progression.stages.count)", "session"))
        }
        for scheduled in day.exercises {
            guard let exercise = library.exercises[scheduled.slug] else { continue }
            items.append((exercise.title, nonEmpty(scheduled.dosage.short), "exercise"))
        }
        if day.crossTraining, let cross = plan.crossTraining {
            items.append(("Cross-training: " + Words.choices(cross.activities), nonEmpty(cross.note), "cross-training"))
        }
        return items
    }

    func calendarContext(_ plan: Plan, schedule: PlanSchedule) -> [String: Any] {
        let first = schedule.weeks.first?.days.first?.date ?? plan.start
        let last = schedule.weeks.last?.days.last?.date ?? plan.start
        let dayNames: [[String: Any]] = (0..<7).map { offset in
            let weekday = first.adding(days: offset).weekday
            return ["name": weekday.name, "short": weekday.shortName]
        }
        let weeks: [[String: Any]] = schedule.weeks.map { week in
            let days: [[String: Any]] = week.days.map { day in
                // Precomputed here so each of the calendar's many cells reads few names.
                let when = "\(day.date.weekday.name), \(day.date.monthDay)"
                let items = self.items(on: day, plan: plan).map {
                    compact(["label": $0.label, "detail": $0.detail, "kind": $0.kind, "when": when])
                }
                return compact([
                    "date": day.date.monthDay, "weekday": day.date.weekday.name, "when": when,
                    "class": "day" + (day.inPlan ? "" : " before-start") + (day.isRest ? " rest" : ""),
                    "in_plan": day.inPlan, "rest": day.isRest, "items": items.isEmpty ? nil : items,
                ])
            }
            return ["number": "\(week.number)",
                    "range": Words.range(week.days.first!.date, week.days.last!.date), "days": days]
        }
        return [
            "clinic": clinic(root: "../../"), "patient": plan.patient, "start": plan.start.long, "end": last.long,
            "handout_href": "index.html", "ics_href": "calendar.ics", "day_names": dayNames, "weeks": weeks,
        ]
    }

    func calendarFile(_ plan: Plan, schedule: PlanSchedule) -> String {
        let events = schedule.days.filter(\.hasItems).map { day -> ICalendar.Event in
            let items = self.items(on: day, plan: plan)
            let summary = items.map { $0.kind == "session" ? ($0.detail ?? $0.label) : $0.label }.joined(separator: ", ")
            let description = items.map { "☐ " + $0.label + ($0.detail.map { " — " + $0 } ?? "") }.joined(separator: "\n")
            return ICalendar.Event(date: day.date, summary: summary, description: description)
        }
        return ICalendar.document(planID: plan.id, calendarName: "\(site.clinic): home program", stamp: plan.start, events: events)
    }

    // MARK: Clinic pages

    public func renderIndex(_ plans: [PlanSummary]) -> OutputFile {
        let sorted = plans.sorted { ($0.start, $0.id) > ($1.start, $1.id) }
        let rows: [[String: Any]] = sorted.map { plan in
            let folder = "patients/\(plan.id)/"
            let searchable = [plan.id, plan.therapist, plan.condition, site.indexShowsNames ? plan.patient : nil]
            return compact([
                "id": plan.id, "patient": site.indexShowsNames ? plan.patient : nil, "therapist": nonEmpty(plan.therapist),
                "condition": nonEmpty(plan.condition), "start": plan.start.iso, "weeks": "\(plan.weeks)",
                "handout_href": folder + "index.html", "calendar_href": folder + "calendar.html",
                "ics_href": folder + "calendar.ics",
                "search": searchable.compactMap { $0 }.joined(separator: " ").lowercased(),
            ])
        }
        let therapists = Set(plans.compactMap { nonEmpty($0.therapist) }).sorted()
        let context = compact([
            "clinic": clinic(root: ""), "show_names": site.indexShowsNames, "plans": rows.isEmpty ? nil : rows,
            "therapists": therapists.isEmpty ? nil : therapists, "library_href": "exercises/index.html",
        ])
        return OutputFile(path: "index.html", text: page(
            title: "\(site.clinic): patient handouts", root: "", bodyClass: "index", template: "index",
            context: context, script: "assets/filter.js"))
    }

    /// The exercise library, education pages and progression pages.
    public func renderLibrary() -> [OutputFile] {
        let root = "../"
        var files: [OutputFile] = []
        // Each protocol resolved once, not once per exercise page.
        let protocols = library.protocols.values.sorted { $0.slug < $1.slug }
            .map { ($0, library.resolvedFields(ofProtocol: $0.slug) ?? $0.fields) }
        func protocolsUsing(_ matches: (PlanFields) -> Bool) -> [String: Any]? {
            let items = protocols.filter { matches($0.1) }
                .map { ["title": $0.0.title ?? $0.0.slug] as [String: Any] }
            return group(items)
        }
        for exercise in library.exercises.values.sorted(by: { $0.slug < $1.slug }) {
            let body = exercise.body[.libraryPage]
            let context = compact([
                "clinic": clinic(root: root), "title": exercise.title,
                "picture": exercise.picture.map { picture($0, root: root) }, "dosage_line": exercise.dosage.line,
                "intro": nonEmpty(body?.intro), "sections": sections(body), "video": exercise.video,
                "tags": exercise.tags.isEmpty ? nil : ["items": exercise.tags],
                "protocols": protocolsUsing { ($0.exercises ?? []).contains { $0.slug == exercise.slug } },
            ])
            files.append(OutputFile(path: "exercises/\(exercise.slug).html", text: page(
                title: exercise.title, root: root, bodyClass: "library", template: "exercise", context: context)))
        }
        for item in library.pages.values.sorted(by: { $0.slug < $1.slug }) {
            let context = compact([
                "clinic": clinic(root: root), "title": item.title, "summary": nonEmpty(item.summary),
                "html": item.body[.libraryPage]?.html ?? "",
            ])
            files.append(OutputFile(path: "pages/\(item.slug).html", text: page(
                title: item.title, root: root, bodyClass: "library", template: "page", context: context)))
        }
        for progression in library.progressions.values.sorted(by: { $0.slug < $1.slug }) {
            var context = progressionContext(progression, placement: .libraryPage)
            context["clinic"] = clinic(root: root)
            context["protocols"] = protocolsUsing { ($0.progressions ?? []).contains { $0.slug == progression.slug } }
            files.append(OutputFile(path: "progressions/\(progression.slug).html", text: page(
                title: progression.title, root: root, bodyClass: "library", template: "progression", context: compact(context))))
        }
        files.append(OutputFile(path: "exercises/index.html", text: page(
            title: "Exercise library", root: root, bodyClass: "library", template: "library", context: libraryContext(root: root))))
        return files
    }

    func libraryContext(root: String) -> [String: Any] {
        var byTag: [String: [Exercise]] = [:]
        for exercise in library.exercises.values {
            for tag in exercise.tags.isEmpty ? ["other"] : exercise.tags { byTag[tag, default: []].append(exercise) }
        }
        let tags: [[String: Any]] = byTag.keys.sorted().map { tag in
            ["tag": tag, "exercises": byTag[tag]!.sorted { $0.title < $1.title }.map { exercise in
                ["title": exercise.title, "href": "\(exercise.slug).html", "dosage_line": exercise.dosage.line] as [String: Any]
            }]
        }
        let progressions = library.progressions.values.sorted { $0.title < $1.title }
            .map { ["title": $0.title, "href": root + "progressions/\($0.slug).html"] as [String: Any] }
        let pages = library.pages.values.sorted { $0.title < $1.title }
            .map { ["title": $0.title, "href": root + "pages/\($0.slug).html"] as [String: Any] }
        let protocols: [[String: Any]] = library.protocols.values.sorted { $0.slug < $1.slug }.map { item in
            let fields = library.resolvedFields(ofProtocol: item.slug) ?? item.fields
            let exercises = (fields.exercises ?? []).compactMap { library.exercises[$0.slug] }
                .map { ["title": $0.title, "href": "\($0.slug).html"] as [String: Any] }
            return compact(["title": item.title ?? item.slug, "condition": nonEmpty(fields.condition),
                            "exercises": group(exercises)])
        }
        return compact([
            "clinic": clinic(root: root), "tags": tags.isEmpty ? nil : tags,
            "progressions": group(progressions), "pages": group(pages), "protocols": group(protocols),
        ])
    }
}

/// Drops absent values: a missing key is how templates see "not given".
func compact(_ values: [String: Any?]) -> [String: Any] {
    values.compactMapValues { $0 }
}

/// `{items: [...]}`, or nil for an empty list, so a template can wrap a heading around it.
func group(_ items: [Any]) -> [String: Any]? {
    items.isEmpty ? nil : ["items": items]
}

func nonEmpty(_ text: String?) -> String? {
    guard let text, text.contains(where: { !$0.isWhitespace }) else { return nil }
    return text
}
