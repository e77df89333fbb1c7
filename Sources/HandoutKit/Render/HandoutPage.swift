import Foundation

/// The handout: its context, the exercise cards, programs and education pages.
extension SiteRenderer {
    func handoutContext(_ plan: Plan, schedule: PlanSchedule, words: Words) -> HandoutPage {
        let root = "../../"
        let end = Scheduler.firstDayOfWeek(containing: plan.start, weekStarts: site.weekStarts).adding(days: 7 * plan.weeks - 1)
        let cards = plan.exercises.compactMap { planned in
            exercise(planned.slug, in: words).map { Rendered(html: HTML(card(for: planned, exercise: $0, words: words))) }
        }
        let progressions = plan.progressions.compactMap { planned -> Rendered? in
            guard let progression = self.progression(planned.slug, in: words) else { return nil }
            // The same for every patient on this progression but for the start and the days.
            let pattern = planned.days.map(SessionDays.weekdays) ?? progression.item.sessionDays
            // The first session, not the start: a program starting on a Monday with sessions on
            // Tue, Thu, Sat begins on the Tuesday.
            let first = schedule.days.first { $0.sessions.contains { $0.progression == planned.slug } }?.date
            let values: KeyValuePairs = ["start": words.date(first ?? planned.start ?? plan.start, .long), "days_text": words.sessionDays(pattern)]
            return Rendered(html: HTML(framed(.progression(slug: progression.item.slug, language: words.language), values) {
                templates.fragment(handoutProgressionContext(progression, start: Frame.text("start"), daysText: Frame.text("days_text"), words: words),
                                   with: "handout-progression", in: words)
            }))
        }
        let education = plan.education.compactMap { educationPage($0, in: words) }
            .map { educationItem($0, root: root, words: words) }
        // The pain rule heads the safety box, in place of the general line; then the pages for this condition.
        let important = ((plan.painRule.map { [$0] } ?? []) + plan.includePages).compactMap { educationPage($0, in: words) }
            .map { educationItem($0, root: root, words: words) }
        return HandoutPage(
            clinic: clinic(root: root), patient: plan.patient, therapist: nonEmpty(plan.therapist),
            condition: nonEmpty(plan.condition), start: words.date(plan.start, .long), end: words.date(end, .long), weeks: words.phrase("weeks_count", ["n": "\(plan.weeks)"], count: plan.weeks),
            calendarHref: "calendar.html", icsHref: "calendar.ics",
            ended: plan.ended.map { words.phrase("plan_ended_on", ["date": words.date($0, .long)]) },
            pauses: .of(plan.pauses.map { pauseLine($0, style: .long, words: words) }),
            exercises: cards.first.map { .init(first: $0, rest: Array(cards.dropFirst())) }, progressions: progressions.isEmpty ? nil : progressions,
            crossTraining: plan.crossTraining.map { cross in
                CrossTrainingBox(activities: words.choices(cross.activities),
                                 daysText: cross.days.map(words.days) ?? daysWithoutSession(plan, words: words),
                                 note: nonEmpty(cross.note))
            },
            education: education.isEmpty ? nil : .init(pages: education), important: important.isEmpty ? nil : .init(pages: important),
            notesHtml: nonEmpty(plan.notesHTML).map(HTML.init))
    }

    /// The handout, rendered once per shape as a frame and filled in per patient: every value
    /// in it is a stand-in, and its key is what the template can branch on (which parts the
    /// page has, and how many cards, programs, pauses and pages). Rendering it through the
    /// template engine for each patient was an eighth of a cold build.
    func handout(_ plan: Plan, schedule: PlanSchedule, words: Words) -> String {
        let page = handoutContext(plan, schedule: schedule, words: words)
        var values: [(key: String, value: String)] = []
        _ = page.mapValues(text: { values.append(($0, $1)); return $1 }, html: { values.append(($0, $1.markup)); return $1 })
        // The stand-ins are made only for the first handout of a shape.
        guard let frame = handouts.value(for: HandoutKey(page, language: words.language), upTo: handoutShapes, render: {
            Frame(templates.render(page.mapValues(text: { name, _ in Frame.text(name) }, html: { name, _ in HTML(Frame.html(name)) }),
                                   with: "handout", in: words))
        }) else { return templates.render(page, with: "handout", in: words) }
        return frame.filled(values)
    }

    /// What a handout template can tell apart: the parts present and how many of each.
    struct HandoutKey: Hashable {
        /// An education page in a list: whether it has a summary, and whether it is marked as another language.
        struct PageShape: Hashable {
            var summary: Bool
            var lang: Bool
        }
        var language: String
        var therapist: Bool, condition: Bool, ended: Bool, notes: Bool
        var pauses: Int, cards: Int, progressions: Int
        /// Nil without cross-training; otherwise whether it has a note.
        var crossTrainingNote: Bool?
        var education: [PageShape]?, important: [PageShape]?

        init(_ page: HandoutPage, language: String) {
            func shapes(_ pages: HandoutPage.Pages?) -> [PageShape]? {
                pages?.pages.map { PageShape(summary: $0.summary != nil, lang: $0.lang != nil) }
            }
            self.language = language
            therapist = page.therapist != nil
            condition = page.condition != nil
            ended = page.ended != nil
            notes = page.notesHtml != nil
            pauses = page.pauses?.items.count ?? 0
            cards = page.exercises.map { $0.rest.count + 1 } ?? 0
            progressions = page.progressions?.count ?? 0
            crossTrainingNote = page.crossTraining.map { $0.note != nil }
            education = shapes(page.education)
            important = shapes(page.important)
        }
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

    func cardContext(for planned: PlannedExercise, exercise text: InLanguage<Exercise>, note: String?, words: Words) -> ExerciseCard {
        let root = "../../"
        let exercise = text.item
        // The dose each week as the calendar ticks it: WEEKLY is the number of its days.
        func dose(_ week: Int) -> WeekDose { Scheduler.dose(of: planned, base: exercise.dosage, sides: exercise.sides, inWeek: week) }
        let first = dose(1)
        let body = exercise.body[.handout]
        // "From week 3: SETS: 3": each change prints what it changes, as the week's dose has it
        // (a change of days prints the new WEEKLY and the days).
        let changes = planned.changes.map { change in
            let after = dose(change.week).dosage, before = dose(change.week - 1).dosage
            let changed = Dosage(reps: after.reps == before.reps ? nil : after.reps, sets: after.sets == before.sets ? nil : after.sets,
                                 hold: after.hold == before.hold ? nil : after.hold, daily: after.daily == before.daily ? nil : after.daily,
                                 weekly: after.weekly == before.weekly && change.days == nil ? nil : after.weekly)
            return ExerciseCard.DoseChange(week: "\(change.week)", label: words.phrase("from_week", ["n": "\(change.week)"]),
                                           dosageLine: words.dosageLine(changed.isEmpty ? after : changed), newDays: change.days.map(words.days))
        }
        return ExerciseCard(
            title: exercise.title, href: root + "exercises/\(exercise.slug).html",
            picture: exercise.picture.map { picture($0, root: root) },
            dosageLine: words.dosageLine(first.dosage, sides: first.sides), daysText: planned.days.map(words.days),
            intro: nonEmpty(body?.intro).map(HTML.init), sections: sections(body),
            note: note, changes: changes.isEmpty ? nil : changes,
            video: exercise.video.map { address in
                ExerciseCard.Video(address: Self.shortAddress(address), href: address,
                                   code: exercise.videoCode.map { HTML($0.svg(label: words.phrase("video_code_label", ["title": exercise.title]))) })
            },
            lang: otherLanguage(text.language, words))
    }

    /// The address as a patient would type it: no `https://`, no final `/`.
    static func shortAddress(_ address: String) -> String {
        var short = Substring(address)
        if short.lowercased().hasPrefix("https://") { short = short.dropFirst(8) }
        if short.hasSuffix("/") { short = short.dropLast() }
        return String(short)
    }

    func handoutProgressionContext(_ text: InLanguage<Progression>, start: String, daysText: String, words: Words) -> HandoutProgression {
        Joined(progressionText(text.item, placement: .handout, words: words),
               HandoutProgressionDates(start: start, daysText: daysText, lang: otherLanguage(text.language, words)))
    }

    func educationItem(_ text: InLanguage<EducationPage>, root: String, words: Words) -> EducationItem {
        let page = text.item
        return EducationItem(title: page.title, summary: nonEmpty(page.summary), html: HTML(page.body[.handout]?.html ?? ""),
                             href: root + "pages/\(page.slug).html", lang: otherLanguage(text.language, words))
    }

    /// Text printed in another language than the page's (an untranslated original) is
    /// marked with its own, so screen readers and hyphenation follow it.
    func otherLanguage(_ language: String, _ words: Words) -> String? {
        language == words.language ? nil : language
    }

    func progressionText(_ progression: Progression, placement: MarkdownPlacement, words: Words) -> ProgressionText {
        ProgressionText(
            title: progression.title, href: placement.root + "progressions/\(progression.slug).html",
            scheduleText: words.usualDays(progression.usualDays),
            advanceText: words.advance(progression.advance),
            if: nonEmpty(progression.advance.condition), otherwise: nonEmpty(progression.advance.otherwise),
            then: nonEmpty(progression.then),
            stages: progression.stages.enumerated().map { index, stage in
                StageLine(number: "\(index + 1)", text: words.stage(stage), note: nonEmpty(stage.note))
            },
            html: HTML(progression.body[placement]?.html ?? ""))
    }

    func sections(_ body: RenderedMarkdown?) -> [SectionText] {
        (body?.sections ?? []).map { SectionText(heading: $0.heading, html: HTML($0.html)) }
    }
}

extension HandoutPage {
    /// This page with each value that differs between patients replaced by `text` or `html`
    /// of its name and value: the one list of a handout's values, which stand-ins and the
    /// values filled in for them are both made from, so their names always agree.
    func mapValues(text: (String, String) -> String, html: (String, HTML) -> HTML) -> HandoutPage {
        func pages(_ name: String, _ pages: Pages?) -> Pages? {
            pages.map { pages in
                .init(pages: pages.pages.enumerated().map { index, page in
                    let prefix = "\(name)\(index)."
                    return EducationItem(title: text(prefix + "title", page.title), summary: page.summary.map { text(prefix + "summary", $0) },
                                         html: html(prefix + "html", page.html), href: text(prefix + "href", page.href),
                                         lang: page.lang.map { text(prefix + "lang", $0) })
                })
            }
        }
        var mapped = self
        mapped.patient = text("patient", patient)
        mapped.therapist = therapist.map { text("therapist", $0) }
        mapped.condition = condition.map { text("condition", $0) }
        mapped.start = text("start", start)
        mapped.end = text("end", end)
        mapped.weeks = text("weeks", weeks)
        mapped.ended = ended.map { text("ended", $0) }
        mapped.pauses = pauses.map { .init(items: $0.items.enumerated().map { text("pause\($0)", $1) }) }
        mapped.exercises = exercises.map { cards in
            .init(first: Rendered(html: html("card0", cards.first.html)),
                  rest: cards.rest.enumerated().map { Rendered(html: html("card\($0 + 1)", $1.html)) })
        }
        mapped.progressions = progressions.map { $0.enumerated().map { Rendered(html: html("progression\($0)", $1.html)) } }
        mapped.crossTraining = crossTraining.map { cross in
            CrossTrainingBox(activities: text("cross.activities", cross.activities), daysText: text("cross.days", cross.daysText),
                             note: cross.note.map { text("cross.note", $0) })
        }
        mapped.education = pages("education", education)
        mapped.important = pages("important", important)
        mapped.notesHtml = notesHtml.map { html("notes", $0) }
        return mapped
    }
}
