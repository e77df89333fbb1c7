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
    // Calendar items, and frames for the layout, cards, progressions and the calendar,
    // repeat across days and patients: each distinct one is rendered once per build. Keys
    // are small values, not text, so lookups stay cheap.
    let items = FragmentCache<ItemKey, RenderedItem>()
    let itemIDs = Counter()
    let frames = FragmentCache<FrameKey, Frame>()
    /// Set on the copy that renders one patient: every content file that patient's pages
    /// are made from is noted here, as it is read. The build compares exactly these next time.
    var reads: ContentReads?

    enum FrameKey: Hashable {
        case layout(LayoutKey)
        case card(CardKey, withNote: Bool)
        case progression(slug: String)
        case calendar(firstWeekday: Weekday, hasKey: Bool, largePrint: Bool)
        case week
        case day(Day, inPlan: Bool, hasItems: Bool)
    }

    /// The frame for `key`, rendered by `render` the first time, filled in with `values`.
    func framed(_ key: FrameKey, _ values: KeyValuePairs<String, String>, render: () -> String) -> String {
        frames.value(for: key) { Frame(render()) }.filled(values)
    }

    public init(library: ContentLibrary, templates: TemplateSet) {
        self.library = library
        self.templates = templates
    }

    var site: Site { library.site }

    // MARK: Layout

    /// A page's content inside `layout.mustache`. The layout differs between pages only
    /// by title and content, so it is rendered once per kind of page, as a frame.
    func page(title: String, root: String, bodyClass: String, content: String,
              pageStylesheet: String? = nil, script: String? = nil) -> String {
        let key = LayoutKey(root: root, bodyClass: bodyClass, pageStylesheet: pageStylesheet, script: script)
        return framed(.layout(key), ["title": title, "content": content]) {
            templates.render(layoutContext(title: Frame.text("title"), key: key, content: Frame.html("content")), with: "layout")
        }
    }

    func layoutContext(title: String, key: LayoutKey, content: String) -> [String: Any] {
        compact([
            "lang": site.language, "title": title, "root": key.root, "body_class": key.bodyClass,
            "clinic": clinic(root: key.root), "paper": site.paper.rawValue, "large_print": site.largePrint,
            "page_stylesheet": key.pageStylesheet, "script": key.script, "content": content,
        ])
    }

    struct LayoutKey: Hashable {
        var root: String
        var bodyClass: String
        var pageStylesheet: String?
        var script: String?
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

    // MARK: Content, as patient pages read it

    func exercise(_ slug: String) -> Exercise? {
        reads?.exercise(slug)
        return library.exercises[slug]
    }

    func progression(_ slug: String) -> Progression? {
        reads?.progression(slug)
        return library.progressions[slug]
    }

    func educationPage(_ slug: String) -> EducationPage? {
        reads?.page(slug)
        return library.pages[slug]
    }

    /// One patient's pages, with the content keys (`exercises/bridge`) they were made from.
    public func renderPatientRecordingReads(_ plan: Plan, schedule: PlanSchedule) -> (files: [OutputFile], reads: Set<String>) {
        var recording = self
        let reads = ContentReads()
        recording.reads = reads
        for slug in plan.protocols { reads.protocolFile(slug) }
        let files = recording.renderPatient(plan, schedule: schedule)
        return (files, reads.keys)
    }

    // MARK: Patient pages

    /// The handout, calendar, .ics and print stylesheet of one plan.
    public func renderPatient(_ plan: Plan, schedule: PlanSchedule) -> [OutputFile] {
        let folder = "patients/\(plan.id)/"
        let agenda = agenda(plan, schedule: schedule)
        let stylesheet = PrintStylesheet.css(patient: plan.patient, clinic: site.clinic, paper: site.paper, largePrint: site.largePrint)
        return [
            OutputFile(path: folder + "index.html", text: page(
                title: "Exercise plan for \(plan.patient)", root: "../../", bodyClass: "handout",
                content: templates.render(handoutContext(plan, schedule: schedule), with: "handout"), pageStylesheet: "print.css")),
            OutputFile(path: folder + "calendar.html", text: page(
                title: "Calendar for \(plan.patient)", root: "../../", bodyClass: "calendar",
                content: calendarContent(plan, agenda: agenda), pageStylesheet: "print.css")),
            OutputFile(path: folder + "calendar.ics", data: Data(calendarFile(plan, agenda: agenda))),
            OutputFile(path: folder + "print.css", text: stylesheet),
        ]
    }

    func handoutContext(_ plan: Plan, schedule: PlanSchedule) -> [String: Any] {
        let root = "../../"
        let end = Scheduler.firstDayOfWeek(containing: plan.start, weekStarts: site.weekStarts).adding(days: 7 * plan.weeks - 1)
        let cards: [[String: Any]] = plan.exercises.compactMap { planned in
            exercise(planned.slug).map { ["html": card(for: planned, exercise: $0)] }
        }
        let progressions: [[String: Any]] = plan.progressions.compactMap { planned in
            guard let progression = self.progression(planned.slug) else { return nil }
            // The same for every patient on this progression but for the start and the days.
            let pattern = planned.days.map(SessionDays.weekdays) ?? progression.sessionDays
            // The first session, not the start: a program starting on a Monday with sessions on
            // Tue, Thu, Sat begins on the Tuesday.
            let first = schedule.days.first { $0.sessions.contains { $0.progression == planned.slug } }?.date
            let values: KeyValuePairs = ["start": (first ?? planned.start ?? plan.start).long, "days_text": Words.sessionDays(pattern)]
            return ["html": framed(.progression(slug: progression.slug), values) {
                templates.fragment(handoutProgressionContext(progression, start: Frame.text("start"), daysText: Frame.text("days_text")),
                                   with: "handout-progression")
            }]
        }
        let education: [[String: Any]] = plan.education.compactMap { educationPage($0) }.map { educationItem($0, root: root) }
        let important = site.includePages.compactMap { educationPage($0) }.map { educationItem($0, root: root) }
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

    /// The exercise card, rendered with `exercise-card.mustache`. Cards are the same for
    /// every patient with that dosage but for a personal note, so each is rendered once per build.
    func card(for planned: PlannedExercise, exercise: Exercise) -> String {
        let key = CardKey(slug: exercise.slug, days: planned.days,
                          dosages: ([1] + planned.changes.map(\.week)).map { week in
                              (week, Scheduler.dosage(of: planned, base: exercise.dosage, inWeek: week))
                          }.map { CardKey.WeekDosage(week: $0.0, dosage: $0.1) })
        // A therapist's note is the only personal part of a card.
        let note = nonEmpty(planned.note)
        return framed(.card(key, withNote: note != nil), ["note": note ?? ""]) {
            templates.fragment(cardContext(for: planned, exercise: exercise, note: note.map { _ in Frame.text("note") }), with: "exercise-card")
        }
    }

    struct CardKey: Hashable {
        struct WeekDosage: Hashable {
            var week: Int
            var dosage: Dosage
        }
        var slug: String
        var days: [Weekday]?
        var dosages: [WeekDosage]
    }

    func cardContext(for planned: PlannedExercise, exercise: Exercise, note: String?) -> [String: Any] {
        let root = "../../"
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
            "note": note, "changes": changes.isEmpty ? nil : changes, "video": exercise.video,
            "video_code": exercise.video.flatMap { address in
                exercise.videoCode.map { code in
                    ["svg": code.svg(label: "QR code: the video for \(exercise.title)"), "address": Self.shortAddress(address), "href": address]
                }
            },
        ])
    }

    /// The address as a patient would type it: no `https://`, no final `/`.
    static func shortAddress(_ address: String) -> String {
        var short = Substring(address)
        if short.lowercased().hasPrefix("https://") { short = short.dropFirst(8) }
        if short.hasSuffix("/") { short = short.dropLast() }
        return String(short)
    }

    func handoutProgressionContext(_ progression: Progression, start: String, daysText: String) -> [String: Any] {
        var context = progressionContext(progression, placement: .handout)
        context["start"] = start
        context["days_text"] = daysText
        return context
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

    /// One thing to do on a day, in the words the paper and the .ics share.
    struct Item {
        var label: String
        var detail: String?
        var kind: String
        /// A stage's note, shortened for the calendar cell.
        var note: String? = nil
    }

    /// An item with its tick-box markup from `calendar-item.mustache`.
    struct RenderedItem {
        var item: Item
        var html: String
        /// Unique to each rendering in a build: the same id means the same item.
        var id: Int
    }

    enum ItemKey: Hashable {
        case stage(progression: String, index: Int)
        case exercise(slug: String, dosage: Dosage)
    }

    /// The schedule with each day's items, worked out once for the calendar and the .ics.
    struct Agenda {
        var schedule: PlanSchedule
        var items: [Day: [RenderedItem]]
    }

    func agenda(_ plan: Plan, schedule: PlanSchedule) -> Agenda {
        // The day an item belongs to is named by its cell's legend, so an item reads the
        // same on every day and its markup can be shared.
        let cross = plan.crossTraining.map {
            rendered(Item(label: "Cross-training: " + Words.choices($0.activities), detail: nonEmpty($0.note), kind: "cross-training"))
        }
        // Looked up here first, so the shared cache is asked once per item, not once per day.
        var seen: [ItemKey: RenderedItem] = [:]
        func item(_ key: ItemKey, _ make: () -> Item) -> RenderedItem {
            if let item = seen[key] { return item }
            let item = items.value(for: key) { rendered(make()) }
            seen[key] = item
            return item
        }
        var byDay: [Day: [RenderedItem]] = [:]
        for day in schedule.days {
            var items: [RenderedItem] = []
            for session in day.sessions {
                guard let progression = self.progression(session.progression) else { continue }
                items.append(item(.stage(progression: progression.slug, index: session.stageIndex)) {
                    let stage = progression.stages[session.stageIndex]
                    return Item(label: stage.text,
                                detail: "\(progression.title): stage \(session.stageIndex + 1) of \(progression.stages.count)",
                                kind: "session", note: stage.calendarNote)
                })
            }
            for scheduled in day.exercises {
                guard let exercise = self.exercise(scheduled.slug) else { continue }
                items.append(item(.exercise(slug: exercise.slug, dosage: scheduled.dosage)) {
                    Item(label: exercise.title, detail: nonEmpty(scheduled.dosage.short), kind: "exercise")
                })
            }
            if day.crossTraining, let cross { items.append(cross) }
            byDay[day.date] = items
        }
        return Agenda(schedule: schedule, items: byDay)
    }

    func rendered(_ item: Item) -> RenderedItem {
        RenderedItem(item: item, html: templates.fragment(itemContext(item), with: "calendar-item"), id: itemIDs.next())
    }

    func itemContext(_ item: Item) -> [String: Any] {
        compact(["label": item.label, "detail": item.detail, "kind": item.kind, "note": item.note])
    }

    /// The calendar page's content. The page differs between patients only in the name,
    /// the dates and the weeks, and a week row only in its number, dates and days, so both
    /// are rendered once per build as frames and filled in for each patient.
    func calendarContent(_ plan: Plan, agenda: Agenda) -> String {
        let schedule = agenda.schedule
        let first = schedule.weeks.first?.days.first?.date ?? plan.start
        let last = schedule.weeks.last?.days.last?.date ?? plan.start
        let largePrint = site.largePrint
        let weeks = largePrint ? schedule.weeks.map { weekLog($0, agenda: agenda) } : schedule.weeks.map { week in
            framed(.week, [
                "number": String(week.number), "range": Words.range(week.days.first!.date, week.days.last!.date),
                "days": week.days.map { calendarDay($0, items: agenda.items[$0.date, default: []]) }.joined(separator: "\n"),
            ]) {
                templates.fragment(weekContext(number: Frame.text("number"), range: Frame.text("range"), days: Frame.html("days")),
                                   with: "calendar-week")
            }
        }
        // Cross-training's note is printed once, in the key above the weeks, not in every cell.
        let key = plan.crossTraining.map { cross in
            Words.choices(cross.activities) + "." + (nonEmpty(cross.note).map { " " + $0 } ?? "")
        }
        let values: KeyValuePairs = ["patient": plan.patient, "start": plan.start.long, "end": last.long,
                                     "cross_training": key ?? "", "weeks": weeks.joined(separator: "\n")]
        return framed(.calendar(firstWeekday: first.weekday, hasKey: key != nil, largePrint: largePrint), values) {
            templates.render(calendarContext(patient: Frame.text("patient"), start: Frame.text("start"), end: Frame.text("end"),
                                             crossTraining: key.map { _ in Frame.text("cross_training") }, largePrint: largePrint,
                                             firstWeekday: first.weekday, weeks: Frame.html("weeks")), with: "calendar")
        }
    }

    /// A large-print week: each thing to do once, as a row with a tick box under each day it
    /// falls on, and a row of pain blanks. At 18 pt a day's list would not fit a seventh of
    /// the page, and listing each day in full would not fit a week on one page.
    func weekLog(_ week: ScheduledWeek, agenda: Agenda) -> String {
        templates.fragment(weekLogContext(week, items: week.days.map { agenda.items[$0.date, default: []] }), with: "calendar-week-log")
    }

    func weekLogContext(_ week: ScheduledWeek, items: [[RenderedItem]]) -> [String: Any] {
        // Rows in the order things first appear in the week; the same id is the same item.
        var rows: [(item: Item, days: Set<Int>)] = []
        var rowOf: [Int: Int] = [:]
        for (index, dayItems) in items.enumerated() {
            for rendered in dayItems {
                if rowOf[rendered.id] == nil {
                    rowOf[rendered.id] = rows.count
                    rows.append((rendered.item, []))
                }
                rows[rowOf[rendered.id]!].days.insert(index)
            }
        }
        func dayClass(_ day: ScheduledDay) -> String { day.inPlan ? "day" : "day before-start" }
        func spoken(_ day: ScheduledDay) -> String { "\(day.date.weekday.name), \(day.date.monthDay)" }
        return [
            "number": String(week.number), "range": Words.range(week.days.first!.date, week.days.last!.date),
            "days": week.days.map { day -> [String: Any] in
                ["class": dayClass(day), "weekday": day.date.weekday.name, "short": day.date.weekday.shortName,
                 "day": String(day.date.components.day)]
            },
            "rows": rows.map { row -> [String: Any] in
                compact([
                    "kind": row.item.kind, "label": row.item.label, "note": row.item.note,
                    // A session's detail is its stage number, in the handout; cross-training's note is in the key.
                    "dose": row.item.kind == "exercise" ? row.item.detail : nil,
                    "cells": week.days.enumerated().map { index, day -> [String: Any] in
                        ["class": dayClass(day), "tick": row.days.contains(index), "aria": "\(row.item.label), \(spoken(day))"]
                    },
                ])
            },
            "pain": week.days.map { day -> [String: Any] in
                ["class": dayClass(day), "in_plan": day.inPlan, "aria": "Pain from 0 to 10 on \(spoken(day))"]
            },
        ]
    }

    func calendarContext(patient: String, start: String, end: String, crossTraining: String?, largePrint: Bool,
                         firstWeekday: Weekday, weeks: String) -> [String: Any] {
        let dayNames: [[String: Any]] = (0..<7).map { offset in
            let weekday = Weekday(rawValue: (firstWeekday.rawValue + offset) % 7)!
            return ["name": weekday.name, "short": weekday.shortName]
        }
        return compact([
            "clinic": clinic(root: "../../"), "patient": patient, "start": start, "end": end, "cross_training": crossTraining,
            "large_print": largePrint,
            "handout_href": "index.html", "ics_href": "calendar.ics", "day_names": dayNames, "weeks": weeks,
        ])
    }

    func weekContext(number: String, range: String, days: String) -> [String: Any] {
        ["number": number, "range": range, "days": days]
    }

    /// One day's cell, rendered with `calendar-day.mustache`. Everything in it but the items
    /// depends only on the date and the kind of day, so that frame is rendered once per build
    /// with a stand-in where the items go, and each patient's items are put in its place.
    func calendarDay(_ day: ScheduledDay, items: [RenderedItem]) -> String {
        framed(.day(day.date, inPlan: day.inPlan, hasItems: !items.isEmpty), ["items": items.map(\.html).joined(separator: "\n")]) {
            templates.fragment(dayContext(day, items: items.isEmpty ? nil : Frame.html("items")), with: "calendar-day")
        }
    }

    func dayContext(_ day: ScheduledDay, items: String?) -> [String: Any] {
        compact([
            "date": day.date.monthDay, "weekday": day.date.weekday.name,
            "class": "day" + (day.inPlan ? "" : " before-start") + (day.isRest ? " rest" : ""),
            "in_plan": day.inPlan, "rest": day.isRest, "items": items,
        ])
    }

    func calendarFile(_ plan: Plan, agenda: Agenda) -> [UInt8] {
        // Most days repeat another day's list; each distinct one is worded once.
        var wording: [[Int]: (summary: String, description: String)] = [:]
        let events = agenda.schedule.days.filter(\.hasItems).map { day -> ICalendar.Event in
            let items = agenda.items[day.date, default: []]
            let keys = items.map(\.id)
            let text = wording[keys] ?? {
                let items = items.map(\.item)
                let text = (summary: items.map { $0.kind == "session" ? ($0.detail ?? $0.label) : $0.label }.joined(separator: ", "),
                            description: items.map { "☐ " + $0.label + ($0.detail.map { " — " + $0 } ?? "") }.joined(separator: "\n"))
                wording[keys] = text
                return text
            }()
            return ICalendar.Event(date: day.date, summary: text.summary, description: text.description)
        }
        return ICalendar.document(planID: plan.id, calendarName: "\(site.clinic): home program", stamp: plan.start, events: events)
    }

    // MARK: Clinic pages

    public static let indexPath = "index.html"

    public func renderIndex(_ plans: [PlanSummary]) -> OutputFile {
        OutputFile(path: Self.indexPath, text: page(
            title: "\(site.clinic): patient handouts", root: "", bodyClass: "index",
            content: templates.render(indexContext(plans), with: "index"), script: "assets/filter.js"))
    }

    func indexContext(_ plans: [PlanSummary]) -> [String: Any] {
        let sorted = plans.sorted { ($0.start, $0.id) > ($1.start, $1.id) }
        let rows: [[String: Any]] = sorted.map { plan in
            let folder = "patients/\(plan.id)/"
            let searchable = [plan.id, plan.therapist, plan.condition, site.indexShowsNames ? plan.patient : nil]
            return compact([
                "id": plan.id, "patient": site.indexShowsNames ? plan.patient : nil, "therapist": nonEmpty(plan.therapist),
                "condition": nonEmpty(plan.condition), "start": plan.start.iso, "weeks": "\(plan.weeks)",
                "end": Scheduler.lastDay(start: plan.start, weeks: plan.weeks, weekStarts: site.weekStarts).iso,
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
        let protocols = resolvedProtocols()
        var files: [OutputFile] = []
        for exercise in library.exercises.values.sorted(by: { $0.slug < $1.slug }) {
            files.append(OutputFile(path: "exercises/\(exercise.slug).html", text: page(
                title: exercise.title, root: root, bodyClass: "library",
                content: templates.render(exercisePageContext(exercise, protocols: protocols), with: "exercise"))))
        }
        for item in library.pages.values.sorted(by: { $0.slug < $1.slug }) {
            files.append(OutputFile(path: "pages/\(item.slug).html", text: page(
                title: item.title, root: root, bodyClass: "library", content: templates.render(educationPageContext(item), with: "page"))))
        }
        for progression in library.progressions.values.sorted(by: { $0.slug < $1.slug }) {
            files.append(OutputFile(path: "progressions/\(progression.slug).html", text: page(
                title: progression.title, root: root, bodyClass: "library",
                content: templates.render(progressionPageContext(progression, protocols: protocols), with: "progression"))))
        }
        files.append(OutputFile(path: "exercises/index.html", text: page(
            title: "Exercise library", root: root, bodyClass: "library", content: templates.render(libraryContext(root: root), with: "library"))))
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

    func exercisePageContext(_ exercise: Exercise, protocols: [(item: TreatmentProtocol, fields: PlanFields)]) -> [String: Any] {
        let body = exercise.body[.libraryPage]
        return compact([
            "clinic": clinic(root: "../"), "title": exercise.title,
            "picture": exercise.picture.map { picture($0, root: "../") }, "dosage_line": exercise.dosage.line,
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

    func progressionPageContext(_ progression: Progression, protocols: [(item: TreatmentProtocol, fields: PlanFields)]) -> [String: Any] {
        var context = progressionContext(progression, placement: .libraryPage)
        context["clinic"] = clinic(root: "../")
        context["protocols"] = self.protocols(protocols) { ($0.progressions ?? []).contains { $0.slug == progression.slug } }
        return compact(context)
    }

    func libraryContext(root: String) -> [String: Any] {
        var byTag: [String: [Exercise]] = [:]
        for exercise in library.exercises.values {
            for tag in exercise.tags.isEmpty ? ["other"] : exercise.tags { byTag[tag, default: []].append(exercise) }
        }
        let tags: [[String: Any]] = byTag.keys.sorted().map { tag in
            ["tag": tag, "exercises": byTag[tag]!.sorted { ($0.title, $0.slug) < ($1.title, $1.slug) }.map { exercise in
                ["title": exercise.title, "href": "\(exercise.slug).html", "dosage_line": exercise.dosage.line] as [String: Any]
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

/// Content keys one patient's rendering read. Each patient is rendered on one thread.
/// Slugs are kept per kind: the calendar looks content up once per day, so noting must be cheap.
final class ContentReads: @unchecked Sendable {
    private var exercises = Set<String>(), progressions = Set<String>(), pages = Set<String>(), protocols = Set<String>()

    func exercise(_ slug: String) { exercises.insert(slug) }
    func progression(_ slug: String) { progressions.insert(slug) }
    func page(_ slug: String) { pages.insert(slug) }
    func protocolFile(_ slug: String) { protocols.insert(slug) }

    /// As content keys: `exercises/bridge`.
    var keys: Set<String> {
        Set(exercises.map { "exercises/" + $0 } + progressions.map { "progressions/" + $0 }
            + pages.map { "pages/" + $0 } + protocols.map { "protocols/" + $0 })
    }
}
