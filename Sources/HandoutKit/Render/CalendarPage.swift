import Foundation

/// The calendar page: items, tick boxes, week rows and days, worked out once for the paper and the .ics.
extension SiteRenderer {
    /// One thing to do on a day, in the words the paper and the .ics share.
    struct Item {
        var label: String
        var detail: String?
        var kind: String
        /// A stage's note, shortened for the calendar cell.
        var note: String? = nil
        /// The note whole, for the `.ics`, which has room for it.
        var wholeNote: String? = nil
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
        // A plan has a handful of items, asked for on every day: comparing keys is cheaper
        // than hashing them.
        var seen: [(key: ItemKey, item: RenderedItem?)] = []
        func item<Text>(_ key: ItemKey, lookup: () -> Text?, make: (Text) -> Item) -> RenderedItem? {
            if let known = seen.first(where: { $0.key == key }) { return known.item }
            let found = lookup().map { text in items.value(for: key) { rendered(make(text), words: words) } }
            seen.append((key, found))
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
                                kind: "session", note: stage.calendarNote, wholeNote: nonEmpty(stage.note)?.trimmingCharacters(in: .whitespacesAndNewlines),
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

    func itemContext(_ item: Item, words: Words) -> CalendarItem {
        // Each box is named for a screen reader by the words beside it, its side and its session.
        let name = [item.label, item.note, item.detail].compactMap { $0 }.joined(separator: " ")
        let ticks = self.ticks(item) { side, time in tickName(name, side: side?.words, time: time, of: item.times, words: words) }
        return CalendarItem(label: item.label, detail: item.detail, kind: item.kind, note: item.note,
                            labelLang: item.labelLanguage, noteLang: item.contentLanguage, ticks: ticks, several: ticks.count > 1)
    }

    /// An item's tick boxes on a day it is due: one for each session (DAILY), each side apart
    /// when its sides are ticked apart, marked with the side; `name` says what each box is for.
    func ticks(_ item: Item, named name: (Side?, Int) -> String) -> [Tick] {
        (1...item.times).flatMap { time in
            (item.sides.isEmpty ? [nil] : item.sides.map(Optional.some)).map { side in
                Tick(aria: name(side, time), mark: side?.mark)
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

    /// The pain rule's page, whose short text the calendar prints beside the pain log.
    func painRule(_ plan: Plan, words: Words) -> InLanguage<EducationPage>? {
        plan.painRule.flatMap { educationPage($0, in: words) }
    }

    /// The calendar page's content, appended to `out`. The page differs between patients
    /// only in the name, the version, the dates and the weeks, and a week row only in its
    /// number, dates and days, so both are rendered once per build as frames and filled in
    /// for each patient, each week and day written straight into the page.
    /// It reads no content: `rule` is the plan's `painRule(_:words:)`, looked up before the
    /// version is worked out.
    func calendarContent(_ plan: Plan, agenda: Agenda, rule: InLanguage<EducationPage>?, version: String, words: Words, into out: inout String) {
        let schedule = agenda.schedule
        let first = schedule.weeks.first?.days.first?.date ?? plan.start
        let last = schedule.weeks.last?.days.last?.date ?? plan.start
        let largePrint = plan.largePrint
        // The pain rule's short text, beside the pain log on every page: the large-print week
        // pages each carry it, the landscape table repeats it at the foot of every page.
        let ruleText = rule.flatMap { nonEmpty($0.item.summary) }
        let ruleKey = rule.map { PainRuleKey(language: otherLanguage($0.language, words)) }
        let ruleContext = ruleText.map { PainRule(text: $0, lang: ruleKey?.language) }
        func weeks(_ out: inout String) {
            for (index, week) in schedule.weeks.enumerated() {
                if index > 0 { out += "\n" }
                if largePrint {
                    out += weekLog(week, agenda: agenda, painRule: ruleContext, pauses: plan.pauses, words: words)
                    continue
                }
                write(.week(language: words.language), [
                    "number": .value(String(week.number)), "label": .value(words.phrase("week_number", ["n": String(week.number)])),
                    "range": .value(words.range(week.days.first!.date, week.days.last!.date)),
                    "days": .markup { out in
                        for (index, day) in week.days.enumerated() {
                            if index > 0 { out += "\n" }
                            calendarDay(day, items: agenda.items[day.date, default: []], pauseNote: day.pause.flatMap { plan.pauses[$0].note },
                                        words: words, into: &out)
                        }
                    },
                ], into: &out) {
                    templates.fragment(weekContext(number: Frame.text("number"), label: Frame.text("label"), range: Frame.text("range"),
                                                   days: Frame.html("days")),
                                       with: "calendar-week", in: words)
                }
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
        let fills: KeyValuePairs<String, Frame.Fill> = [
            "patient": .value(plan.patient), "version": .value(version), "start": .value(words.date(plan.start, .long)),
            "end": .value(words.date(last, .long)), "cross_training": .value(key ?? ""), "pain_rule": .value(ruleText ?? ""),
            "weeks": .markup(weeks), "ended": .value(ended ?? ""),
        ]
        write(.calendar(firstWeekday: first.weekday, hasKey: key != nil, sidesKey: sidesKey, painRule: painRuleKey,
                        largePrint: largePrint, ended: ended != nil, language: words.language), fills, into: &out) {
            templates.render(calendarContext(patient: Frame.text("patient"), version: Frame.text("version"), start: Frame.text("start"), end: Frame.text("end"),
                                             ended: ended.map { _ in Frame.text("ended") },
                                             crossTraining: key.map { _ in Frame.text("cross_training") }, sidesKey: sidesKey,
                                             painRule: painRuleKey.map { PainRule(text: Frame.text("pain_rule"), lang: $0.language) },
                                             largePrint: largePrint, firstWeekday: first.weekday, weeks: Frame.html("weeks"), words: words),
                             with: "calendar", in: words)
        }
    }

    /// A large-print week: each thing to do once, as a row with a tick box under each day it
    /// falls on, and a row of pain blanks. At 18 pt a day's list would not fit a seventh of
    /// the page, and listing each day in full would not fit a week on one page.
    func weekLog(_ week: ScheduledWeek, agenda: Agenda, painRule: PainRule?, pauses: [Pause], words: Words) -> String {
        templates.fragment(weekLogContext(week, items: week.days.map { agenda.items[$0.date, default: []] }, painRule: painRule, pauses: pauses,
                                          words: words),
                           with: "calendar-week-log", in: words)
    }

    func weekLogContext(_ week: ScheduledWeek, items: [[RenderedItem]], painRule: PainRule? = nil, pauses: [Pause] = [],
                        words: Words) -> CalendarWeekLog {
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
        return CalendarWeekLog(
            number: String(week.number), label: words.phrase("week_number", ["n": String(week.number)]),
            range: words.range(week.days.first!.date, week.days.last!.date),
            notes: words.phrase("week_notes", ["n": String(week.number)]),
            days: week.days.map { day in
                CalendarWeekLog.DayColumn(class: dayClass(day), weekday: words.weekdayName(day.date.weekday),
                                          short: words.weekdayShortName(day.date.weekday), day: words.date(day.date, .day),
                                          paused: day.pause != nil, ended: day.afterEnd)
            },
            pauses: .of(pauses.filter { $0.to >= week.days.first!.date && $0.from <= week.days.last!.date }
                .map { pauseLine($0, style: .monthDay, words: words) }),
            rows: rows.map { row in
                CalendarWeekLog.Row(
                    kind: row.item.kind, label: row.item.label,
                    // A session's detail is its stage number, in the handout; cross-training's note is in the key.
                    dose: row.item.kind == "exercise" ? row.item.detail : nil, note: row.item.note,
                    labelLang: row.item.labelLanguage, noteLang: row.item.contentLanguage,
                    cells: week.days.enumerated().map { index, day in
                        let ticks = row.days.contains(index) ? self.ticks(row.item) { side, time in
                            words.phrase("log_tick", ["item": tickName(row.item.label, side: side?.words, time: time, of: row.item.times, words: words),
                                                      "day": spoken(day)])
                        } : []
                        return CalendarWeekLog.Cell(class: dayClass(day), ticks: ticks)
                    })
            },
            pain: week.days.map { day in
                CalendarWeekLog.PainCell(class: dayClass(day), inPlan: day.inPlan, aria: words.phrase("log_pain", ["day": spoken(day)]))
            },
            painRule: painRule)
    }

    func calendarContext(patient: String, version: String, start: String, end: String, ended: String? = nil, crossTraining: String?, sidesKey: Bool = false,
                         painRule: PainRule? = nil, largePrint: Bool, firstWeekday: Weekday, weeks: String, words: Words) -> CalendarPage {
        let dayNames = (0..<7).map { offset in
            let weekday = Weekday(rawValue: (firstWeekday.rawValue + offset) % 7)!
            return CalendarPage.DayName(name: words.weekdayName(weekday), short: words.weekdayShortName(weekday))
        }
        return CalendarPage(clinic: clinic(root: "../../"), patient: patient, version: version, start: start, end: end, ended: ended, crossTraining: crossTraining,
                            sidesKey: sidesKey, painRule: painRule, largePrint: largePrint, dayNames: dayNames, weeks: HTML(weeks))
    }

    func weekContext(number: String, label: String, range: String, days: String) -> CalendarWeek {
        CalendarWeek(number: number, label: label, range: range, days: HTML(days))
    }

    /// One day's cell, rendered with `calendar-day.mustache`. Everything in it but the items
    /// depends only on the date and the kind of day, so that frame is rendered once per build
    /// with a stand-in where the items go, and each patient's items are put in its place.
    func calendarDay(_ day: ScheduledDay, items: [RenderedItem], pauseNote: String?, words: Words, into out: inout String) {
        let off: DayOff? = day.pause != nil ? .paused(withNote: pauseNote != nil) : day.afterEnd ? .ended : nil
        let fills: KeyValuePairs<String, Frame.Fill> = [
            "items": .markup { out in
                for (index, item) in items.enumerated() {
                    if index > 0 { out += "\n" }
                    out += item.html
                }
            },
            "pause_note": .value(pauseNote ?? ""),
        ]
        write(.day(day.date, inPlan: day.inPlan, hasItems: !items.isEmpty, off: off, language: words.language), fills, into: &out) {
            templates.fragment(dayContext(day, items: items.isEmpty ? nil : Frame.html("items"),
                                          pauseNote: pauseNote.map { _ in Frame.text("pause_note") }, words: words),
                               with: "calendar-day", in: words)
        }
    }

    func dayContext(_ day: ScheduledDay, items: String?, pauseNote: String? = nil, words: Words) -> CalendarDay {
        CalendarDay(date: words.date(day.date, .monthDay), weekday: words.weekdayName(day.date.weekday),
                    class: dayClass(day) + (day.isRest ? " rest" : ""), inPlan: day.inPlan, rest: day.isRest, items: items.map(HTML.init),
                    paused: day.pause != nil, pauseNote: pauseNote, ended: day.afterEnd)
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
}
