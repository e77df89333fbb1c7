import Foundation

/// Checks references (exercise, page, progression, protocol slugs) and rules that need the
/// whole plan: weeks, change weeks, progression start dates.
struct PlanChecker {
    var library: ContentLibrary
    var diagnostics: Diagnostics

    func check(protocol item: TreatmentProtocol) {
        checkReferences(item.fields)
        checkPainRule(item.fields.painRule)
        if let language = item.fields.language, let problem = library.missingLanguage(language.code) {
            diagnostics.error(problem, at: language.location)
        }
        let resolved = library.resolvedFields(ofProtocol: item.slug)
        checkRepeats(item.fields, included: resolved?.includePages, painRule: resolved?.painRule)
        if let notes = item.fields.notes { _ = notesHTML(notes) }
        if let base = item.base, let location = item.baseLocation, base != item.slug {
            if library.protocols[base] == nil, !library.failedToLoad("protocols", base) {
                diagnostics.error("unknown protocol '\(base)'" + Suggestion.hint(for: base, in: library.protocols.keys), at: location)
            } else if let cycle = cycle(from: item.slug) {
                diagnostics.error("protocols loop: " + cycle.joined(separator: " → "), at: location)
            }
        }
    }

    /// The protocol chain from `slug` if it comes back to itself.
    private func cycle(from slug: String) -> [String]? {
        var chain = [slug]
        var current = library.protocols[slug]?.base
        while let next = current {
            chain.append(next)
            if next == slug { return chain }
            if chain.dropLast().contains(next) { return nil }
            current = library.protocols[next]?.base
        }
        return nil
    }

    func plan(from draft: PlanReader.Draft) -> Plan? {
        let (fields, protocols) = mergedFields(of: draft)
        checkReferences(draft.fields)
        checkPainRule(draft.fields.painRule)
        checkRepeats(draft.fields, included: fields.includePages, painRule: fields.painRule)
        // Checked before anything that needs the dates, so a bad date does not hide them.
        let notes = fields.notes.map(notesHTML)
        let site = library.site
        let language = fields.language?.code ?? site.language
        let languageLocation = fields.language?.location ?? draft.location
        let includePages = fields.includePages.map { $0.map(\.slug) } ?? site.includePages
        let painRule = fields.painRule?.slug ?? site.painRule
        // The safety box prints the pain rule first, then the included pages, each once.
        let safetyBox = (painRule.map { [$0] } ?? []) + includePages.filter { $0 != painRule }
        reportMissingTranslations(fields, pages: safetyBox, language: language, at: languageLocation)
        guard let weeks = fields.weeks else {
            // Reported where it is wrong: the plan's own line, or a protocol it uses that has errors.
            if draft.invalid.contains("weeks") { return nil }
            let used = Set(protocols + (draft.protocolReference.map { [$0.slug] } ?? []))
            if !used.isEmpty, diagnostics.all.contains(where: { diagnostic in
                guard diagnostic.severity == .error, case .protocol(let slug) = diagnostic.owner else { return false }
                return used.contains(slug)
            }) { return nil }
            diagnostics.error("missing required field 'weeks', like 'weeks: 6' (or use a protocol that sets it)", at: draft.location)
            return nil
        }
        if let language = draft.fields.language, let problem = library.missingLanguage(language.code) {
            diagnostics.error(problem, at: language.location)
        }
        checkCalendar(fields, weeks: weeks, draft: draft)
        guard let patient = draft.patient, let start = draft.start else { return nil }
        let lastDay = checkedLastDay(fields, draft: draft, start: start, weeks: weeks)
        let pauses = checkedPauses(draft.pauses, start: start, lastDay: lastDay, ended: draft.ended)
        var plan = Plan(id: draft.id, path: draft.path, patient: patient, therapist: fields.therapist,
                        condition: fields.condition, start: start, weeks: weeks, protocolSlug: draft.protocolReference?.slug,
                        exercises: fields.exercises ?? [], progressions: fields.progressions ?? [],
                        crossTraining: fields.crossTraining, education: printedPages(fields.education ?? [], besides: safetyBox),
                        notes: fields.notes?.text, notesHTML: notes?.html,
                        language: language, languageLocation: languageLocation, largePrint: fields.largePrint ?? site.largePrint,
                        includePages: safetyBox.filter { $0 != painRule }, painRule: painRule)
        plan.protocols = protocols
        plan.linkedContent = notes?.links ?? []
        plan.pauses = pauses
        plan.ended = draft.ended?.day
        plan.reminder = draft.reminders.map(\.time) ?? site.reminder
        warnAboutStagesPausedAway(plan)
        if plan.exercises.isEmpty && plan.progressions.isEmpty && plan.crossTraining == nil {
            diagnostics.warning("this plan gives nothing to do: its calendar shows only rest days; add 'exercises:', 'progressions:' "
                                + "or 'cross_training:', or a protocol that has them", at: draft.location)
        }
        return plan
    }

    /// The plan's fields over its protocol's (and that protocol's bases'), with the chain of protocols.
    private func mergedFields(of draft: PlanReader.Draft) -> (PlanFields, [String]) {
        var fields = draft.fields
        var protocols: [String] = []
        if let reference = draft.protocolReference {
            if let base = library.resolvedFields(ofProtocol: reference.slug, chain: &protocols) {
                fields = fields.merged(over: base)
            } else if !library.failedToLoad("protocols", reference.slug) {
                diagnostics.error("unknown protocol '\(reference.slug)'" + Suggestion.hint(for: reference.slug, in: library.protocols.keys),
                                  at: reference.location)
            }
        }
        return (fields, protocols)
    }

    /// The calendar's size and each exercise's changes, checked even when the patient or
    /// start is missing, so all errors come in one run.
    private func checkCalendar(_ fields: PlanFields, weeks: Int, draft: PlanReader.Draft) {
        // The calendar holds every week's things to do: bounded, as a plan's lists are (`PlanLimits`).
        let things = (fields.exercises?.count ?? 0) + (fields.progressions?.count ?? 0) + (fields.crossTraining == nil ? 0 : 1)
        if weeks * things > PlanLimits.calendarEntries {
            diagnostics.error("\(weeks) weeks of \(things) things to do make a calendar of \(weeks * things) week rows; it may hold at most "
                              + "\(PlanLimits.calendarEntries): fewer weeks or fewer exercises (a new plan can follow this one)",
                              at: draft.weeksLocation ?? draft.location)
        }
        for exercise in fields.exercises ?? [] {
            for change in exercise.changes where change.week > weeks {
                diagnostics.error("change for week \(change.week) is beyond the plan's \(weeks) weeks; give a week from 2 to \(weeks), or more weeks",
                                  at: change.location)
            }
            warnAboutSeveralChanges(exercise)
        }
    }

    /// The plan's last day; progression starts and `ended` checked against its days.
    private func checkedLastDay(_ fields: PlanFields, draft: PlanReader.Draft, start: Day, weeks: Int) -> Day {
        // The calendar ends with the last day of week `weeks`, counted from the week of `start`.
        let end = Scheduler.firstDayOfWeek(containing: start, weekStarts: library.site.weekStarts).adding(days: 7 * weeks)
        let lastDay = end.adding(days: -1)
        for progression in fields.progressions ?? [] {
            if let day = progression.start, let location = progression.startLocation ?? Optional(progression.location) {
                if day < start {
                    diagnostics.error("progression start \(day.iso) is before the plan's start \(start.iso); give a day from \(start.iso) on", at: location)
                } else if day >= end {
                    diagnostics.error("progression start \(day.iso) is after the plan's last week, which ends \(lastDay.iso); "
                                      + "give an earlier day, or more weeks", at: location)
                } else if let ended = draft.ended?.day, day > ended {
                    diagnostics.error("progression start \(day.iso) is after the plan ended on \(ended.iso), so the program would never be done; "
                                      + "give a day up to \(ended.iso), or remove the program", at: location)
                }
            }
        }
        if let ended = draft.ended {
            if ended.day < start {
                diagnostics.error("ended \(ended.day.iso) is before the plan's start \(start.iso)", at: ended.location)
            } else if ended.day > lastDay {
                diagnostics.error("ended \(ended.day.iso) is after the plan's last day \(lastDay.iso) (week \(weeks)); 'ended' is for a plan "
                                  + "stopped early: give a day in the plan's weeks, or remove it", at: ended.location)
            }
        }
        return lastDay
    }

    /// The plan's line in the clinic index, from a draft whose plan did not check out: as far
    /// as the file gives it (the name may be missing), with its protocol's fields; nil without
    /// a start and a number of weeks.
    func summary(of draft: PlanReader.Draft) -> PlanSummary? {
        var fields = draft.fields
        if let reference = draft.protocolReference, let base = library.resolvedFields(ofProtocol: reference.slug) {
            fields = fields.merged(over: base)
        }
        guard let start = draft.start, let weeks = fields.weeks else { return nil }
        return PlanSummary(id: draft.id, patient: draft.patient ?? "", therapist: nonEmpty(fields.therapist),
                           condition: nonEmpty(fields.condition), start: start, weeks: weeks, ended: draft.ended?.day)
    }

    /// On a site whose content is translated into its own `language`, the originals are
    /// likely in another one, which only `content_language` can say.
    private func originalsHint(_ language: String) -> String {
        guard library.originalsLanguageUnsure else { return "" }
        return language == library.site.language
            ? ", or, if the originals are written in '\(language)', say so with 'content_language: \(language)' in site.yaml"
            : "; if the originals are written in '\(language)', say so with 'content_language: \(language)' in site.yaml"
    }

    /// The activities of these progressions that `language` has no word for, with the
    /// progression that uses each (the first, by slug).
    private func missingActivityWords(_ progressions: [String], language: String) -> [(String, String)] {
        guard let lacking = library.activitiesWithoutWord[language] else { return [] }
        var found: [String: String] = [:]
        for slug in progressions.sorted() {
            guard let progression = library.progressions[slug] else { continue }
            for segment in progression.stages.flatMap(\.segments) where lacking.contains(segment.activity) && found[segment.activity] == nil {
                found[segment.activity] = progression.path
            }
        }
        return found.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Everything the plan prints must be translated into its language, its activities'
    /// words too: one error per file or word, at the line that chose the language, or a
    /// warning when the site names a fallback.
    private func reportMissingTranslations(_ fields: PlanFields, pages: [String], language: String, at location: SourceLocation) {
        guard library.languages.contains(language) else { return }  // already reported: no strings file
        let progressions = (fields.progressions ?? []).map(\.slug)
        let missing = library.missingTranslations(
            exercises: (fields.exercises ?? []).map(\.slug), progressions: progressions,
            pages: (fields.education ?? []).map(\.slug) + pages, language: language)
        let fallback = library.site.translationFallback
        for (activity, path) in missingActivityWords(progressions, language: language) {
            let line = "activity_\(activity): …"
            if fallback != nil {
                diagnostics.warning("Templates/strings/\(language).yaml has no word for the activity '\(activity)' of \(path); "
                                    + "'\(activity)' is printed instead", at: location)
            } else {
                diagnostics.error("Templates/strings/\(language).yaml has no word for the activity '\(activity)' of \(path); "
                                  + "add '\(line)' to it, or set 'translation_fallback: \(library.site.originalsLanguage)' in site.yaml", at: location)
            }
        }
        guard language != library.site.originalsLanguage else {
            // Pages in the originals' language print the originals, unless the originals' language is only assumed.
            guard library.originalsLanguageUnsure else { return }
            for path in missing {
                diagnostics.warning("no '\(language)' translation of \(path), though other content has '\(language)' translations: "
                                    + "it prints as written, taken to be '\(language)'; write \(path.dropLast(3)).\(language).md"
                                    + originalsHint(language), at: location)
            }
            return
        }
        for path in missing {
            if let fallback {
                diagnostics.warning("no '\(language)' translation of \(path); its '\(fallback)' text is printed instead", at: location)
            } else {
                diagnostics.error("no '\(language)' translation of \(path); write \(path.dropLast(3)).\(language).md, "
                                  + "or set 'translation_fallback: \(library.site.originalsLanguage)' in site.yaml to print the original"
                                  + originalsHint(language), at: location)
            }
        }
        // A translated program must translate its setting values too ("one hand"), or the
        // stage table, calendar and .ics would print them in the original's language.
        var seen = Set<String>()
        for slug in progressions where seen.insert(slug).inserted {
            guard let translation = library.translations[language]?.progressions[slug] else { continue }
            for value in translation.untranslatedSettings {
                if let fallback {
                    diagnostics.warning("setting value '\(value)' has no '\(language)' translation in \(translation.path); "
                                        + "it is printed as the original writes it, for the '\(fallback)' fallback", at: location)
                } else {
                    diagnostics.error("setting value '\(value)' has no '\(language)' translation in \(translation.path); "
                                      + "add it under 'settings:', like 'settings: { \(value): … }'", at: location)
                }
            }
        }
    }

    /// Notes rendered for the handout, and the content files their links point to
    /// (`pages/pacing`), which the patient's pages then depend on. Notes are the therapist's
    /// words: links follow `LinkRules` (content links become the page's address from the
    /// patient's folder) and pictures belong in content, not in notes.
    func notesHTML(_ notes: PlanNotes) -> (html: String, links: [String]) {
        var links: [String] = []
        let conversion = Markdown.convert(notes.text, placements: [.handout]) { link in
            let location = notes.place.location(line: link.line, column: link.column)
            if link.isImage {
                diagnostics.error("notes cannot show pictures ('\(link.url)'): put the picture in an exercise or education page and link to that",
                                  at: location)
                return nil
            }
            switch LinkRules.target(of: link.url) {
            case .success(.outside):
                return nil
            case let .success(.content(kind, slug, sitePath)):
                links.append(kind + "/" + slug)
                if let missing = library.missingLinkTarget(kind, slug) { diagnostics.error(missing, at: location) }
                return sitePath
            case .failure(let problem):
                diagnostics.error(problem.message, at: location)
                return nil
            }
        }
        for (line, column) in conversion.rawHTML {
            diagnostics.warning("notes are Markdown without HTML, so this tag prints as text; write the words without it",
                                at: notes.place.location(line: line, column: column))
        }
        return (conversion.renderings[.handout]?.html ?? "", links)
    }

    /// An exercise listed twice prints two cards: an error when they would be the same card,
    /// a warning when days, dosage or note differ (two ways to do one exercise can be meant).
    /// A page listed twice, or also in the include_pages that apply (`included`: the file's
    /// own or its protocol's, else site.yaml's), prints once, with a warning. Each file's own
    /// lists are checked, so the message points at the file that repeats.
    private func checkRepeats(_ fields: PlanFields, included: [PageReference]?, painRule: PageReference?) {
        let exercises = fields.exercises ?? []
        var seen = Set<String>()
        for exercise in exercises where !seen.insert(exercise.slug).inserted {
            guard let first = exercises.first(where: { $0.slug == exercise.slug }) else { continue }
            if first.dosage == exercise.dosage, first.days == exercise.days, first.note == exercise.note,
               first.changes.map(\.week) == exercise.changes.map(\.week), first.changes.map(\.dosage) == exercise.changes.map(\.dosage) {
                diagnostics.error("exercise '\(exercise.slug)' is listed twice with the same dosage and days (first on line \(first.location.line)); remove one",
                                  at: exercise.location)
            } else {
                diagnostics.warning("exercise '\(exercise.slug)' is listed twice (first on line \(first.location.line)); the handout shows both cards",
                                    at: exercise.location)
            }
        }
        let rule = painRule?.slug ?? library.site.painRule
        for page in fields.includePages ?? [] where page.slug == rule {
            diagnostics.warning("page '\(page.slug)' is the pain rule, which the handout's safety box prints first already; it prints once",
                                at: page.location)
        }
        var firstPage: [String: SourceLocation] = [:]
        for page in fields.education ?? [] {
            if page.slug == rule {
                diagnostics.warning("page '\(page.slug)' is the pain rule, which the handout's safety box prints already; it prints once",
                                    at: page.location)
            } else if let source = includedBy(page.slug, included) {
                diagnostics.warning("page '\(page.slug)' is in the handout's safety box already (include_pages in \(source)); it prints once",
                                    at: page.location)
            } else if let first = firstPage[page.slug] {
                diagnostics.warning("page '\(page.slug)' is listed twice (first on line \(first.line)); it prints once", at: page.location)
            } else {
                firstPage[page.slug] = page.location
            }
        }
    }

    /// Where the include_pages that print `slug` are written, or nil when they do not.
    private func includedBy(_ slug: String, _ included: [PageReference]?) -> String? {
        guard let included else { return library.site.includePages.contains(slug) ? "site.yaml" : nil }
        guard let reference = included.first(where: { $0.slug == slug }) else { return nil }
        return "\(reference.location.path), line \(reference.location.line)"
    }

    /// The education pages a handout prints under the plan's own heading: each once, and not
    /// those its safety box prints (`included`, the plan's include_pages).
    private func printedPages(_ pages: [PageReference], besides included: [String]) -> [String] {
        var seen = Set(included)
        return pages.map(\.slug).filter { seen.insert($0).inserted }
    }

    /// "One variable at a time": a week that changes two dosage fields of one exercise at once.
    private func warnAboutSeveralChanges(_ planned: PlannedExercise) {
        guard let exercise = library.exercises[planned.slug] else { return }
        for change in planned.changes {
            let before = Scheduler.dose(of: planned, base: exercise.dosage, sides: exercise.sides, inWeek: change.week - 1).dosage
            let after = Scheduler.dose(of: planned, base: exercise.dosage, sides: exercise.sides, inWeek: change.week).dosage
            let changed = after.changedFields(from: before)
            if changed.count > 1 {
                diagnostics.warning("week \(change.week) changes \(plainList(changed)) of '\(planned.slug)' at once; change one variable at a time",
                                    at: change.location)
            }
        }
    }

    /// A pain rule prints its page's summary beside the pain log: the page must have one.
    /// An unknown page is reported with the other references.
    private func checkPainRule(_ reference: PageReference?) {
        guard let reference, let page = library.pages[reference.slug] else { return }
        if let problem = page.painRuleProblem { diagnostics.error(problem, at: reference.location) }
    }

    /// Slugs a plan or protocol names must exist. Only fields written in that file are checked
    /// there, so each error points at the file that holds the typo.
    private func checkReferences(_ fields: PlanFields) {
        for exercise in fields.exercises ?? [] where library.exercises[exercise.slug] == nil && !library.failedToLoad("exercises", exercise.slug) {
            diagnostics.error("unknown exercise '\(exercise.slug)'" + Suggestion.hint(for: exercise.slug, in: library.exercises.keys),
                              at: exercise.location)
        }
        for progression in fields.progressions ?? []
            where library.progressions[progression.slug] == nil && !library.failedToLoad("progressions", progression.slug) {
            diagnostics.error("unknown progression '\(progression.slug)'" + Suggestion.hint(for: progression.slug, in: library.progressions.keys),
                              at: progression.location)
        }
        for (slug, location) in fields.pageLocations where library.pages[slug] == nil && !library.failedToLoad("pages", slug) {
            diagnostics.error("unknown education page '\(slug)'" + Suggestion.hint(for: slug, in: library.pages.keys), at: location)
        }
    }
}
