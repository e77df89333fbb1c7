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
    /// Discharged early on this day (`ended`).
    public var ended: Day?

    public init(id: String, patient: String, therapist: String?, condition: String?, start: Day, weeks: Int, ended: Day? = nil) {
        self.id = id
        self.patient = patient
        self.therapist = therapist
        self.condition = condition
        self.start = start
        self.weeks = weeks
        self.ended = ended
    }

    /// Blank text is no text, as the index shows it and as the manifest keeps it.
    public init(plan: Plan) {
        id = plan.id
        patient = plan.patient
        therapist = nonEmpty(plan.therapist)
        condition = nonEmpty(plan.condition)
        start = plan.start
        weeks = plan.weeks
        ended = plan.ended
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
        let key = LayoutKey(root: root, bodyClass: bodyClass, pageStylesheet: pageStylesheet, script: script,
                            language: plan?.language ?? site.language, largePrint: plan?.largePrint ?? site.largePrint,
                            versioned: version != nil)
        return framed(.layout(key), ["title": title, "content": content, "version": version ?? ""]) {
            templates.render(layoutContext(title: Frame.text("title"), key: key, content: Frame.html("content"),
                                           version: key.versioned ? Frame.text("version") : nil), with: "layout",
                             in: words(key.language))
        }
    }

    func layoutContext(title: String, key: LayoutKey, content: String, version: String? = nil) -> [String: Any] {
        compact([
            "lang": key.language, "title": title, "root": key.root, "body_class": key.bodyClass,
            "clinic": clinic(root: key.root, language: key.language), "paper": site.paper.rawValue, "large_print": key.largePrint,
            "page_stylesheet": key.pageStylesheet, "script": key.script, "content": content, "version": version,
        ])
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
    func clinic(root: String, language: String? = nil) -> [String: Any] {
        compact([
            "name": site.clinic, "address": site.address, "phone": site.phone, "footer": language.flatMap { site.footers[$0] },
            "logo": site.logo.map { picture($0, root: root) },
        ])
    }

    func picture(_ picture: Picture, root: String) -> [String: Any] {
        ["src": root + "assets/" + picture.path, "alt": picture.alt]
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

    /// The handout, calendar, .ics and print stylesheet of one plan.
    public func renderPatient(_ plan: Plan, schedule: PlanSchedule) -> [OutputFile] {
        renderPatientRecordingReads(plan, schedule: schedule).files
    }

    private func renderPages(_ plan: Plan, schedule: PlanSchedule) -> [OutputFile] {
        let folder = "patients/\(plan.id)/"
        let words = words(plan.language)
        let agenda = agenda(plan, schedule: schedule, words: words)
        let handout = templates.render(handoutContext(plan, schedule: schedule, words: words), with: "handout", in: words)
        let calendar = calendarContent(plan, agenda: agenda, words: words)
        // Every content file is read by now: the layout and the stylesheet read none.
        let version = words.phrase("version", ["version": version(of: plan)])
        let stylesheet = PrintStylesheet.css(paper: site.paper, largePrint: plan.largePrint,
                                             pageNumber: words.phrase("page_of", ["page": PrintStylesheet.pageCounter, "pages": PrintStylesheet.pagesCounter]),
                                             version: version)
        return [
            OutputFile(path: folder + "index.html", text: page(
                title: words.phrase("title_handout", ["patient": plan.patient, "clinic": site.clinic]), root: "../../", bodyClass: "handout",
                content: handout, pageStylesheet: "print.css", for: plan, version: version)),
            OutputFile(path: folder + "calendar.html", text: page(
                title: words.phrase("title_calendar", ["patient": plan.patient, "clinic": site.clinic]), root: "../../", bodyClass: "calendar",
                content: calendar, pageStylesheet: "print.css", for: plan, version: version)),
            OutputFile(path: folder + "calendar.ics", data: Data(calendarFile(plan, agenda: agenda, words: words))),
            OutputFile(path: folder + "print.css", text: stylesheet),
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

    func handoutContext(_ plan: Plan, schedule: PlanSchedule, words: Words) -> [String: Any] {
        let root = "../../"
        let end = Scheduler.firstDayOfWeek(containing: plan.start, weekStarts: site.weekStarts).adding(days: 7 * plan.weeks - 1)
        let cards: [[String: Any]] = plan.exercises.compactMap { planned in
            exercise(planned.slug, in: words).map { ["html": card(for: planned, exercise: $0, words: words)] }
        }
        let progressions: [[String: Any]] = plan.progressions.compactMap { planned in
            guard let progression = self.progression(planned.slug, in: words) else { return nil }
            // The same for every patient on this progression but for the start and the days.
            let pattern = planned.days.map(SessionDays.weekdays) ?? progression.item.sessionDays
            // The first session, not the start: a program starting on a Monday with sessions on
            // Tue, Thu, Sat begins on the Tuesday.
            let first = schedule.days.first { $0.sessions.contains { $0.progression == planned.slug } }?.date
            let values: KeyValuePairs = ["start": words.date(first ?? planned.start ?? plan.start, .long), "days_text": words.sessionDays(pattern)]
            return ["html": framed(.progression(slug: progression.item.slug, language: words.language), values) {
                templates.fragment(handoutProgressionContext(progression, start: Frame.text("start"), daysText: Frame.text("days_text"), words: words),
                                   with: "handout-progression", in: words)
            }]
        }
        let education: [[String: Any]] = plan.education.compactMap { educationPage($0, in: words) }
            .map { educationItem($0, root: root, words: words) }
        // The pain rule heads the safety box, in place of the general line; then the pages for this condition.
        let important = ((plan.painRule.map { [$0] } ?? []) + plan.includePages).compactMap { educationPage($0, in: words) }
            .map { educationItem($0, root: root, words: words) }
        return compact([
            "clinic": clinic(root: root), "patient": plan.patient, "therapist": nonEmpty(plan.therapist),
            "condition": nonEmpty(plan.condition), "start": words.date(plan.start, .long), "end": words.date(end, .long), "weeks": "\(plan.weeks)",
            "calendar_href": "calendar.html", "ics_href": "calendar.ics",
            "ended": plan.ended.map { words.phrase("plan_ended_on", ["date": words.date($0, .long)]) },
            "pauses": group(plan.pauses.map { pauseLine($0, style: .long, words: words) }),
            "exercises": cards.isEmpty ? nil : ["cards": cards], "progressions": progressions.isEmpty ? nil : progressions,
            "cross_training": plan.crossTraining.map { cross in
                compact([
                    "activities": words.choices(cross.activities),
                    "days_text": cross.days.map(words.days) ?? daysWithoutSession(plan, words: words),
                    "note": nonEmpty(cross.note),
                ])
            },
            "education": education.isEmpty ? nil : ["pages": education], "important": important.isEmpty ? nil : ["pages": important],
            "notes_html": nonEmpty(plan.notesHTML),
        ])
    }

    /// When cross-training falls without set days: the days without a program session, said
    /// as running only when a program in the plan runs or jogs; every day without a program.
    func daysWithoutSession(_ plan: Plan, words: Words) -> String {
        let programs = plan.progressions.compactMap { progression($0.slug, in: words)?.item }
        guard !programs.isEmpty else { return words.days(Weekday.allCases) }
        let running = programs.contains { $0.stages.contains { $0.segments.contains { Segment.running.contains($0.activity) } } }
        return words.phrase(running ? "days_without_running" : "days_without_session")
    }

    /// The exercise card, rendered with `exercise-card.mustache`. Cards are the same for
    /// every patient with that dosage but for a personal note, so each is rendered once per build.
    func card(for planned: PlannedExercise, exercise text: InLanguage<Exercise>, words: Words) -> String {
        let exercise = text.item
        let key = CardKey(slug: exercise.slug, language: words.language,
                          doses: ([(week: 1, days: nil)] + planned.changes.map { (week: $0.week, days: $0.days) }).map { change in
                              CardKey.WeekDosage(week: change.week, newDays: change.days,
                                                 dose: Scheduler.dose(of: planned, base: exercise.dosage, sides: exercise.sides, inWeek: change.week))
                          })
        // A therapist's note is the only personal part of a card.
        let note = nonEmpty(planned.note)
        return framed(.card(key, withNote: note != nil), ["note": note ?? ""]) {
            templates.fragment(cardContext(for: planned, exercise: text, note: note.map { _ in Frame.text("note") }, words: words),
                               with: "exercise-card", in: words)
        }
    }

    struct CardKey: Hashable {
        struct WeekDosage: Hashable {
            var week: Int
            /// The days a change names, which its line prints even when they are the days before.
            var newDays: [Weekday]?
            var dose: WeekDose
        }
        var slug: String
        var language: String
        var doses: [WeekDosage]
    }

    func cardContext(for planned: PlannedExercise, exercise text: InLanguage<Exercise>, note: String?, words: Words) -> [String: Any] {
        let root = "../../"
        let exercise = text.item
        // The dose each week as the calendar ticks it: WEEKLY is the number of its days.
        func dose(_ week: Int) -> WeekDose { Scheduler.dose(of: planned, base: exercise.dosage, sides: exercise.sides, inWeek: week) }
        let first = dose(1)
        let body = exercise.body[.handout]
        // "From week 3: SETS: 3": each change prints what it changes, as the week's dose has it
        // (a change of days prints the new WEEKLY and the days).
        let changes: [[String: Any]] = planned.changes.map { change in
            let after = dose(change.week).dosage, before = dose(change.week - 1).dosage
            let changed = Dosage(reps: after.reps == before.reps ? nil : after.reps, sets: after.sets == before.sets ? nil : after.sets,
                                 hold: after.hold == before.hold ? nil : after.hold, daily: after.daily == before.daily ? nil : after.daily,
                                 weekly: after.weekly == before.weekly && change.days == nil ? nil : after.weekly)
            return compact(["week": "\(change.week)", "label": words.phrase("from_week", ["n": "\(change.week)"]),
                            "dosage_line": words.dosageLine(changed.isEmpty ? after : changed), "new_days": change.days.map(words.days)])
        }
        return compact([
            "title": exercise.title, "href": root + "exercises/\(exercise.slug).html",
            "picture": exercise.picture.map { picture($0, root: root) },
            "dosage_line": words.dosageLine(first.dosage, sides: first.sides), "days_text": planned.days.map(words.days),
            "intro": nonEmpty(body?.intro), "sections": sections(body),
            "note": note, "changes": changes.isEmpty ? nil : changes, "video": exercise.video,
            "video_code": exercise.video.flatMap { address in
                exercise.videoCode.map { code in
                    ["svg": code.svg(label: words.phrase("video_code_label", ["title": exercise.title])),
                     "address": Self.shortAddress(address), "href": address]
                }
            },
            "lang": otherLanguage(text.language, words),
        ])
    }

    /// The address as a patient would type it: no `https://`, no final `/`.
    static func shortAddress(_ address: String) -> String {
        var short = Substring(address)
        if short.lowercased().hasPrefix("https://") { short = short.dropFirst(8) }
        if short.hasSuffix("/") { short = short.dropLast() }
        return String(short)
    }

    func handoutProgressionContext(_ text: InLanguage<Progression>, start: String, daysText: String, words: Words) -> [String: Any] {
        var context = progressionContext(text.item, placement: .handout, words: words)
        context["lang"] = otherLanguage(text.language, words)
        context["start"] = start
        context["days_text"] = daysText
        return context
    }

    func educationItem(_ text: InLanguage<EducationPage>, root: String, words: Words) -> [String: Any] {
        let page = text.item
        return compact(["title": page.title, "summary": nonEmpty(page.summary), "html": page.body[.handout]?.html ?? "",
                        "href": root + "pages/\(page.slug).html", "lang": otherLanguage(text.language, words)])
    }

    /// Text printed in another language than the page's (an untranslated original) is
    /// marked with its own, so screen readers and hyphenation follow it.
    func otherLanguage(_ language: String, _ words: Words) -> String? {
        language == words.language ? nil : language
    }

    func progressionContext(_ progression: Progression, placement: MarkdownPlacement, words: Words) -> [String: Any] {
        compact([
            "title": progression.title, "href": placement.root + "progressions/\(progression.slug).html",
            "schedule_text": words.usualDays(progression.usualDays),
            "advance_text": words.advance(progression.advance),
            "if": nonEmpty(progression.advance.condition), "otherwise": nonEmpty(progression.advance.otherwise),
            "then": nonEmpty(progression.then),
            "stages": progression.stages.enumerated().map { index, stage in
                compact(["number": "\(index + 1)", "text": words.stage(stage), "note": nonEmpty(stage.note)])
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
        /// The language of the content's own words (title, note) when it is not the page's:
        /// a fallback's text is marked, so screen readers and hyphenation follow it.
        var contentLanguage: String? = nil

        /// Sessions a due day asks for (DAILY): a tick box each.
        var times = 1
        /// The sides ticked apart, a tick box each per session ("L", "R"); none when one box
        /// is ticked per session.
        var sides: [Side] = []

        /// A stage's label is in the page's words; only an exercise's title is the content's.
        var labelLanguage: String? { kind == "exercise" ? contentLanguage : nil }

    }

    /// A side ticked on its own: its mark beside the box ("L") and its words ("left side").
    struct Side {
        var mark: String
        var words: String
    }

    /// An item with its tick-box markup from `calendar-item.mustache`.
    struct RenderedItem {
        var item: Item
        var html: String
        /// Unique to each rendering in a build: the same id means the same item.
        var id: Int
    }

    enum ItemKey: Hashable {
        case stage(progression: String, index: Int, language: String)
        case exercise(slug: String, dosage: Dosage, sides: Sides, language: String)
        case crossTraining(activities: [String], note: String?, language: String)
    }

    /// The schedule with each day's items, worked out once for the calendar and the .ics.
    struct Agenda {
        var schedule: PlanSchedule
        var items: [Day: [RenderedItem]]
    }

    func agenda(_ plan: Plan, schedule: PlanSchedule, words: Words) -> Agenda {
        // The day an item belongs to is named by its cell's legend, so an item reads the
        // same on every day and its markup can be shared.
        let cross = plan.crossTraining.map { cross in
            items.value(for: .crossTraining(activities: cross.activities, note: cross.note, language: words.language)) {
                rendered(Item(label: words.phrase("cross_training_item", ["activities": words.choices(cross.activities)]),
                              detail: nonEmpty(cross.note), kind: "cross-training"), words: words)
            }
        }
        // Asked once per item and patient, not once per day: the first time, `lookup` finds
        // the content (which records the read); the shared cache words and renders it once
        // per build.
        var seen: [ItemKey: RenderedItem?] = [:]
        func item<Text>(_ key: ItemKey, lookup: () -> Text?, make: (Text) -> Item) -> RenderedItem? {
            if let known = seen[key] { return known }
            let found = lookup().map { text in items.value(for: key) { rendered(make(text), words: words) } }
            seen[key] = found
            return found
        }
        var byDay: [Day: [RenderedItem]] = [:]
        for day in schedule.days {
            var items: [RenderedItem] = []
            for session in day.sessions {
                let key = ItemKey.stage(progression: session.progression, index: session.stageIndex, language: words.language)
                let stageItem = item(key, lookup: { self.progression(session.progression, in: words) }) { text in
                    let progression = text.item
                    let stage = progression.stages[session.stageIndex]
                    return Item(label: words.stage(stage),
                                detail: words.phrase("stage_of", ["title": progression.title, "n": "\(session.stageIndex + 1)",
                                                                  "count": "\(progression.stages.count)"]),
                                kind: "session", note: stage.calendarNote,
                                contentLanguage: otherLanguage(text.language, words))
                }
                if let stageItem { items.append(stageItem) }
            }
            for scheduled in day.exercises {
                let key = ItemKey.exercise(slug: scheduled.slug, dosage: scheduled.dosage, sides: scheduled.sides, language: words.language)
                let exerciseItem = item(key, lookup: { self.exercise(scheduled.slug, in: words) }) { text in
                    // Boxes marked L and R say "each side" themselves; the dose says it when they do not.
                    let sides = self.sides(scheduled.sides, words: words)
                    return Item(label: text.item.title, detail: nonEmpty(words.dosageShort(scheduled.dosage, sides: sides.count > 1 ? .none : scheduled.sides)),
                                kind: "exercise", contentLanguage: otherLanguage(text.language, words), times: scheduled.dosage.daily ?? 1, sides: sides)
                }
                if let exerciseItem { items.append(exerciseItem) }
            }
            if day.crossTraining, let cross { items.append(cross) }
            byDay[day.date] = items
        }
        return Agenda(schedule: schedule, items: byDay)
    }

    /// The sides a `sides` value ticks apart: both with `each` (unless the clinic ticks once
    /// a session), the one side with `left` or `right`.
    func sides(_ sides: Sides, words: Words) -> [Side] {
        let left = Side(mark: words.phrase("tick_left"), words: words.phrase("side_left"))
        let right = Side(mark: words.phrase("tick_right"), words: words.phrase("side_right"))
        switch sides {
        case .each: return site.tickEachSide ? [left, right] : []
        case .left: return [left]
        case .right: return [right]
        case .none: return []
        }
    }

    func rendered(_ item: Item, words: Words) -> RenderedItem {
        RenderedItem(item: item, html: templates.fragment(itemContext(item, words: words), with: "calendar-item", in: words), id: itemIDs.next())
    }

    func itemContext(_ item: Item, words: Words) -> [String: Any] {
        // Each box is named for a screen reader by the words beside it, its side and its session.
        let name = [item.label, item.note, item.detail].compactMap { $0 }.joined(separator: " ")
        let ticks = self.ticks(item) { side, time in tickName(name, side: side?.words, time: time, of: item.times, words: words) }
        return compact(["label": item.label, "detail": item.detail, "kind": item.kind, "note": item.note,
                        "label_lang": item.labelLanguage, "note_lang": item.contentLanguage,
                        "ticks": ticks, "several": ticks.count > 1])
    }

    /// An item's tick boxes on a day it is due: one for each session (DAILY), each side apart
    /// when its sides are ticked apart, marked with the side; `name` says what each box is for.
    func ticks(_ item: Item, named name: (Side?, Int) -> String) -> [[String: Any]] {
        (1...item.times).flatMap { time in
            (item.sides.isEmpty ? [nil] : item.sides.map(Optional.some)).map { side in
                compact(["aria": name(side, time), "mark": side?.mark])
            }
        }
    }

    /// "Forearm Plank 3×10, left side, 2 of 2": what one tick box is for.
    func tickName(_ name: String, side: String?, time: Int, of times: Int, words: Words) -> String {
        var text = name
        if let side { text = words.phrase("tick_side", ["item": text, "side": side]) }
        if times > 1 { text = words.phrase("tick_time", ["item": text, "n": "\(time)", "count": "\(times)"]) }
        return text
    }

    /// The calendar page's content. The page differs between patients only in the name,
    /// the dates and the weeks, and a week row only in its number, dates and days, so both
    /// are rendered once per build as frames and filled in for each patient.
    func calendarContent(_ plan: Plan, agenda: Agenda, words: Words) -> String {
        let schedule = agenda.schedule
        let first = schedule.weeks.first?.days.first?.date ?? plan.start
        let last = schedule.weeks.last?.days.last?.date ?? plan.start
        let largePrint = plan.largePrint
        // The pain rule's short text, beside the pain log on every page: the large-print week
        // pages each carry it, the landscape table repeats it at the foot of every page.
        let rule = plan.painRule.flatMap { educationPage($0, in: words) }
        let ruleText = rule.flatMap { nonEmpty($0.item.summary) }
        let ruleKey = rule.map { PainRuleKey(language: otherLanguage($0.language, words)) }
        let ruleContext = ruleText.map { compact(["text": $0, "lang": ruleKey?.language]) }
        let weeks = largePrint ? schedule.weeks.map { weekLog($0, agenda: agenda, painRule: ruleContext, pauses: plan.pauses, words: words) } : schedule.weeks.map { week in
            framed(.week(language: words.language), [
                "number": String(week.number), "label": words.phrase("week_number", ["n": String(week.number)]),
                "range": words.range(week.days.first!.date, week.days.last!.date),
                "days": week.days.map { day in
                    calendarDay(day, items: agenda.items[day.date, default: []], pauseNote: day.pause.flatMap { plan.pauses[$0].note }, words: words)
                }.joined(separator: "\n"),
            ]) {
                templates.fragment(weekContext(number: Frame.text("number"), label: Frame.text("label"), range: Frame.text("range"),
                                               days: Frame.html("days")),
                                   with: "calendar-week", in: words)
            }
        }
        // Cross-training's note is printed once, in the key above the weeks, not in every cell.
        let key = plan.crossTraining.map { cross in
            words.phrase("cross_training_what", ["activities": words.choices(cross.activities)]) + (nonEmpty(cross.note).map { " " + $0 } ?? "")
        }
        // "L: left side. R: right side." when a tick box is marked with its side.
        let sidesKey = agenda.items.values.contains { $0.contains { !$0.item.sides.isEmpty } }
        let painRuleKey = ruleText == nil ? nil : ruleKey
        let ended = plan.ended.map { words.phrase("plan_ended_on", ["date": words.date($0, .long)]) }
        let values: KeyValuePairs = ["patient": plan.patient, "start": words.date(plan.start, .long), "end": words.date(last, .long),
                                     "cross_training": key ?? "", "pain_rule": ruleText ?? "", "weeks": weeks.joined(separator: "\n"),
                                     "ended": ended ?? ""]
        return framed(.calendar(firstWeekday: first.weekday, hasKey: key != nil, sidesKey: sidesKey, painRule: painRuleKey,
                                largePrint: largePrint, ended: ended != nil, language: words.language), values) {
            templates.render(calendarContext(patient: Frame.text("patient"), start: Frame.text("start"), end: Frame.text("end"),
                                             ended: ended.map { _ in Frame.text("ended") },
                                             crossTraining: key.map { _ in Frame.text("cross_training") }, sidesKey: sidesKey,
                                             painRule: painRuleKey.map { compact(["text": Frame.text("pain_rule"), "lang": $0.language]) },
                                             largePrint: largePrint, firstWeekday: first.weekday, weeks: Frame.html("weeks"), words: words),
                             with: "calendar", in: words)
        }
    }

    /// A large-print week: each thing to do once, as a row with a tick box under each day it
    /// falls on, and a row of pain blanks. At 18 pt a day's list would not fit a seventh of
    /// the page, and listing each day in full would not fit a week on one page.
    func weekLog(_ week: ScheduledWeek, agenda: Agenda, painRule: [String: Any]?, pauses: [Pause], words: Words) -> String {
        templates.fragment(weekLogContext(week, items: week.days.map { agenda.items[$0.date, default: []] }, painRule: painRule, pauses: pauses,
                                          words: words),
                           with: "calendar-week-log", in: words)
    }

    func weekLogContext(_ week: ScheduledWeek, items: [[RenderedItem]], painRule: [String: Any]? = nil, pauses: [Pause] = [],
                        words: Words) -> [String: Any] {
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
        func spoken(_ day: ScheduledDay) -> String {
            words.phrase("log_day", ["weekday": words.weekdayName(day.date.weekday), "date": words.date(day.date, .monthDay)])
        }
        return compact([
            "number": String(week.number), "label": words.phrase("week_number", ["n": String(week.number)]),
            "range": words.range(week.days.first!.date, week.days.last!.date),
            "notes": words.phrase("week_notes", ["n": String(week.number)]),
            "days": week.days.map { day -> [String: Any] in
                compact(["class": dayClass(day), "weekday": words.weekdayName(day.date.weekday), "short": words.weekdayShortName(day.date.weekday),
                         "day": words.date(day.date, .day),
                         "paused": day.pause != nil, "ended": day.afterEnd])
            },
            "pauses": group(pauses.filter { $0.to >= week.days.first!.date && $0.from <= week.days.last!.date }
                .map { pauseLine($0, style: .monthDay, words: words) }),
            "rows": rows.map { row -> [String: Any] in
                compact([
                    "kind": row.item.kind, "label": row.item.label, "note": row.item.note,
                    "label_lang": row.item.labelLanguage, "note_lang": row.item.contentLanguage,
                    // A session's detail is its stage number, in the handout; cross-training's note is in the key.
                    "dose": row.item.kind == "exercise" ? row.item.detail : nil,
                    "cells": week.days.enumerated().map { index, day -> [String: Any] in
                        let ticks = row.days.contains(index) ? self.ticks(row.item) { side, time in
                            words.phrase("log_tick", ["item": tickName(row.item.label, side: side?.words, time: time, of: row.item.times, words: words),
                                                      "day": spoken(day)])
                        } : []
                        return ["class": dayClass(day), "ticks": ticks]
                    },
                ])
            },
            "pain": week.days.map { day -> [String: Any] in
                ["class": dayClass(day), "in_plan": day.inPlan, "aria": words.phrase("log_pain", ["day": spoken(day)])]
            },
            "pain_rule": painRule,
        ])
    }

    func calendarContext(patient: String, start: String, end: String, ended: String? = nil, crossTraining: String?, sidesKey: Bool = false,
                         painRule: [String: Any]? = nil, largePrint: Bool, firstWeekday: Weekday, weeks: String, words: Words) -> [String: Any] {
        let dayNames: [[String: Any]] = (0..<7).map { offset in
            let weekday = Weekday(rawValue: (firstWeekday.rawValue + offset) % 7)!
            return ["name": words.weekdayName(weekday), "short": words.weekdayShortName(weekday)]
        }
        return compact([
            "clinic": clinic(root: "../../"), "patient": patient, "start": start, "end": end, "ended": ended, "cross_training": crossTraining,
            "sides_key": sidesKey, "pain_rule": painRule, "large_print": largePrint,
            "handout_href": "index.html", "ics_href": "calendar.ics", "day_names": dayNames, "weeks": weeks,
        ])
    }

    func weekContext(number: String, label: String, range: String, days: String) -> [String: Any] {
        ["number": number, "label": label, "range": range, "days": days]
    }

    /// One day's cell, rendered with `calendar-day.mustache`. Everything in it but the items
    /// depends only on the date and the kind of day, so that frame is rendered once per build
    /// with a stand-in where the items go, and each patient's items are put in its place.
    func calendarDay(_ day: ScheduledDay, items: [RenderedItem], pauseNote: String?, words: Words) -> String {
        let off: DayOff? = day.pause != nil ? .paused(withNote: pauseNote != nil) : day.afterEnd ? .ended : nil
        return framed(.day(day.date, inPlan: day.inPlan, hasItems: !items.isEmpty, off: off, language: words.language),
                      ["items": items.map(\.html).joined(separator: "\n"), "pause_note": pauseNote ?? ""]) {
            templates.fragment(dayContext(day, items: items.isEmpty ? nil : Frame.html("items"),
                                          pauseNote: pauseNote.map { _ in Frame.text("pause_note") }, words: words),
                               with: "calendar-day", in: words)
        }
    }

    func dayContext(_ day: ScheduledDay, items: String?, pauseNote: String? = nil, words: Words) -> [String: Any] {
        compact([
            "date": words.date(day.date, .monthDay), "weekday": words.weekdayName(day.date.weekday),
            "class": dayClass(day) + (day.isRest ? " rest" : ""),
            "in_plan": day.inPlan, "rest": day.isRest, "items": items,
            "paused": day.pause != nil, "pause_note": pauseNote, "ended": day.afterEnd,
        ])
    }

    /// A calendar cell's kind: a plan day, or one with nothing due (before the start, paused, after the plan ended).
    func dayClass(_ day: ScheduledDay) -> String {
        day.inPlan ? "day" : day.pause != nil ? "day paused" : day.afterEnd ? "day ended" : "day before-start"
    }

    /// "Paused Dec 21 to Dec 27: flu", for the handout (long dates) and the large-print weeks.
    func pauseLine(_ pause: Pause, style: Words.DateStyle, words: Words) -> String {
        let first = words.date(pause.from, style), last = words.date(pause.to, style)
        guard let note = pause.note else { return words.phrase("pause_line", ["first": first, "last": last]) }
        return words.phrase("pause_line_note", ["first": first, "last": last, "note": note])
    }

    func calendarFile(_ plan: Plan, agenda: Agenda, words: Words) -> [UInt8] {
        // Most days repeat another day's list; each distinct one is worded once.
        var wording: [[Int]: (summary: String, description: String)] = [:]
        let events = agenda.schedule.days.filter(\.hasItems).map { day -> ICalendar.Event in
            let items = agenda.items[day.date, default: []]
            let keys = items.map(\.id)
            let text = wording[keys] ?? {
                let items = items.map(\.item)
                // The same tick boxes as the paper: one per session (DAILY), each side apart.
                func summary(_ item: Item) -> String {
                    if item.kind == "session" { return item.detail ?? item.label }
                    return item.times > 1 ? words.phrase("ics_times", ["item": item.label, "n": "\(item.times)"]) : item.label
                }
                func boxes(_ item: Item) -> String {
                    let one = item.sides.isEmpty ? ["☐"] : item.sides.map { "☐ " + $0.mark }
                    return Array(repeating: one, count: item.times).joined().joined(separator: " ")
                }
                let text = (summary: items.map(summary).joined(separator: ", "),
                            description: items.map { boxes($0) + " " + $0.label + ($0.detail.map { " — " + $0 } ?? "") }.joined(separator: "\n"))
                wording[keys] = text
                return text
            }()
            return ICalendar.Event(date: day.date, summary: text.summary, description: text.description,
                                   alarm: plan.reminder.map { _ in words.phrase("ics_reminder", ["items": text.summary]) })
        }
        return ICalendar.document(planID: plan.id, calendarName: words.phrase("ics_calendar_name", ["clinic": site.clinic]),
                                  stamp: plan.start, events: events, reminder: plan.reminder)
    }

    // MARK: Clinic pages

    public static let indexPath = "index.html"

    public func renderIndex(_ plans: [PlanSummary]) -> OutputFile {
        OutputFile(path: Self.indexPath, text: page(
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
                "end": (plan.ended ?? Scheduler.lastDay(start: plan.start, weeks: plan.weeks, weekStarts: site.weekStarts)).iso,
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

