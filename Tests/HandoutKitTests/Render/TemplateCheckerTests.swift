import Foundation
import Testing
@testable import HandoutKit

@Suite struct TemplateCheckerTests {
    /// Replaces one template of a valid site and returns the errors of `check`.
    func errors(in template: String, _ text: String) throws -> [String] {
        let site = try TestSite()
        try site.write("Templates/\(template).mustache", text)
        return site.errors()
    }

    @Test func repositoryTemplatesAreClean() throws {
        #expect(try TestSite().check() == [])
    }

    @Test func unknownVariableNamesFileLineAndColumn() throws {
        #expect(try errors(in: "page", "<h1>{{title}}</h1>\n<p>{{sumary}}</p>\n") == [
            "Templates/page.mustache:2:4: error: unknown value 'sumary'; did you mean 'summary'?",
        ])
    }

    @Test func unknownDottedName() throws {
        #expect(try errors(in: "page", "{{clinic.phon}}{{{html}}}") == [
            "Templates/page.mustache:1:1: error: unknown value 'phon' in 'clinic.phon'; did you mean 'phone'?",
        ])
    }

    @Test func unknownPartial() throws {
        #expect(try errors(in: "page", "{{> exercise-crd}}{{{html}}}") == [
            "Templates/page.mustache:1:1: error: unknown partial 'exercise-crd'; did you mean 'exercise-card'?",
        ])
    }

    @Test func partialsAreCheckedWhereTheyAreUsed() throws {
        let site = try TestSite()
        try site.write("Templates/exercise-card.mustache", "<h3>{{titel}}</h3>")
        #expect(site.errors() == [
            "Templates/exercise-card.mustache:1:5: error: unknown value 'titel'; did you mean 'title'?",
        ])
    }

    @Test func htmlMustBeUnescapedAndTextEscaped() throws {
        #expect(try errors(in: "page", "{{html}} {{{title}}} {{&summary}}") == [
            "Templates/page.mustache:1:1: error: 'html' is HTML; write {{{html}}} to place it",
            "Templates/page.mustache:1:10: error: 'title' is text and must be escaped; write {{title}}",
            "Templates/page.mustache:1:22: error: 'summary' is text and must be escaped; write {{summary}}",
        ])
    }

    @Test func sectionsPushTheirElement() throws {
        #expect(try errors(in: "library", "{{#tags}}{{tag}}{{#exercises}}{{href}}{{dosage_line}}{{/exercises}}{{/tags}}{{href}}") == [
            "Templates/library.mustache:1:77: error: unknown value 'href'; expected one of: clinic, conditions, pages, progressions, protocols, regions, t, tags",
        ])
    }

    @Test func mismatchedAndUnclosedSections() throws {
        #expect(try errors(in: "page", "{{#summary}}{{/title}}{{{html}}}") == [
            "Templates/page.mustache:1:13: error: '{{/title}}' closes '{{#summary}}'; close it with {{/summary}}",
        ])
        #expect(try errors(in: "page", "{{#summary}}x") == [
            "Templates/page.mustache:1:1: error: '{{#summary}}' is never closed",
        ])
    }

    @Test func missingTemplateIsAnError() throws {
        let site = try TestSite()
        try site.remove("Templates/calendar.mustache")
        #expect(site.errors() == ["Templates/calendar.mustache:1:1: error: missing template 'calendar.mustache'; every site needs it"])
    }

    @Test func nulCharacterIsAnError() throws {
        let site = try TestSite()
        try site.write("Templates/calendar-day.mustache", "<td>\n  é\u{0}</td>\n")
        #expect(site.errors() == [
            "Templates/calendar-day.mustache:2:4: error: template contains a NUL character; delete it (templates are plain text)",
        ])
    }

    @Test func syntaxErrorFromTheParser() throws {
        #expect(try errors(in: "page", "{{#title}}\n{{/summary}}").first?.hasPrefix("Templates/page.mustache:2:") == true)
    }

    @Test func scansTagsWithPositions() {
        let tags = TemplateChecker.tags(in: "a {{x}}\n  {{{y}}} {{# z }}{{/z}}{{! note }}{{>p}}")
        #expect(tags.map(\.name) == ["x", "y", "z", "z", "note", "p"])
        #expect(tags.map(\.line) == [1, 2, 2, 2, 2, 2])
        #expect(tags.map(\.column) == [3, 3, 11, 19, 25, 36])
    }
}

@Suite struct PageShapeTests {
    /// The contexts the renderer builds match the shapes templates are checked against,
    /// for every page template: each context comes from the function the renderer uses.
    @Test func builtContextsMatchTheirShapes() throws {
        let site = try TestSite()
        let diagnostics = Diagnostics()
        let checked = try #require(BuildPipeline(layout: site.layout, diagnostics: diagnostics).check())
        let renderer = SiteRenderer(library: checked.library, templates: checked.templates)
        let library = checked.library
        let plan = try #require(checked.plans.first)
        let schedule = Scheduler.schedule(plan, inputs: ScheduleInputs(library: library), weekStarts: .monday)
        let words = renderer.words(plan.language)
        let agenda = renderer.agenda(plan, schedule: schedule, words: words)
        let planned = try #require(plan.exercises.first)
        let exercise = try #require(library.exercise(planned.slug, in: plan.language, reads: ContentReads()))
        let progression = try #require(library.progression("walk-run", in: plan.language, reads: ContentReads()))
        let day = try #require(schedule.days.first { $0.hasItems })
        let items = agenda.items[day.date, default: []]
        let protocols = renderer.resolvedProtocols()
        // The plan paused (with and without a note) and ended early.
        var paused = plan
        paused.pauses = [Pause(from: Day(iso: "2026-12-08")!, to: Day(iso: "2026-12-09")!, note: "Flu", location: plan.languageLocation),
                         Pause(from: Day(iso: "2026-12-14")!, to: Day(iso: "2026-12-14")!, location: plan.languageLocation)]
        paused.ended = Day(iso: "2026-12-18")
        let pausedSchedule = Scheduler.schedule(paused, inputs: ScheduleInputs(library: library), weekStarts: .monday)
        let pausedAgenda = renderer.agenda(paused, schedule: pausedSchedule, words: words)
        // The same items done twice a day on each side.
        func sided(_ rendered: SiteRenderer.RenderedItem) -> SiteRenderer.RenderedItem {
            var copy = rendered
            copy.item.times = 2
            copy.item.sides = renderer.sides(.each, words: words)
            return copy
        }
        let contexts: [String: [[String: Any]]] = [
            "layout": [renderer.layoutContext(title: plan.patient, key: .init(root: "../../", bodyClass: "handout",
                                                                              pageStylesheet: "print.css", script: nil,
                                                                              language: "en", largePrint: true, versioned: true),
                                              content: "<p></p>", version: "Version 1a2b3c4d"),
                       renderer.layoutContext(title: "Index", key: .init(root: "", bodyClass: "index", pageStylesheet: nil,
                                                                         script: "assets/filter.js", language: "en", largePrint: false),
                                              content: "<p></p>")],
            "handout": [renderer.handoutContext(plan, schedule: schedule, words: words),
                        renderer.handoutContext(paused, schedule: pausedSchedule, words: words)],
            "calendar": [renderer.calendarContext(patient: plan.patient, start: "Monday, December 7, 2026", end: "Sunday, December 27, 2026",
                                                  crossTraining: "cycling. Easy.", largePrint: false, firstWeekday: .monday,
                                                  weeks: "<tr></tr>", words: words),
                         renderer.calendarContext(patient: plan.patient, start: "Monday, December 7, 2026", end: "Sunday, December 27, 2026",
                                                  ended: "Plan ended early on Friday, December 18, 2026.",
                                                  crossTraining: nil, largePrint: true, firstWeekday: .monday, weeks: "", words: words),
                         renderer.calendarContext(patient: plan.patient, start: "Monday, December 7, 2026", end: "Sunday, December 27, 2026",
                                                  crossTraining: nil, sidesKey: true, painRule: ["text": "Some pain is OK.", "lang": "en"],
                                                  largePrint: false, firstWeekday: .monday, weeks: "", words: words)],
            "exercise-card": [renderer.cardContext(for: planned, exercise: exercise, note: planned.note, words: words),
                              renderer.cardContext(for: planned, exercise: InLanguage(item: exercise.item, language: "es"), note: nil,
                                                   words: words)],
            "handout-progression": [renderer.handoutProgressionContext(progression, start: "Monday, December 7, 2026", daysText: "Mon, Fri",
                                                                       words: words)],
            "calendar-week": [renderer.weekContext(number: "1", label: "Week 1", range: "Dec 7–13", days: "<td></td>")],
            "calendar-week-log": schedule.weeks.map { week in
                renderer.weekLogContext(week, items: week.days.map { agenda.items[$0.date, default: []] }, words: words)
            } + pausedSchedule.weeks.map { week in
                renderer.weekLogContext(week, items: week.days.map { pausedAgenda.items[$0.date, default: []] }, pauses: paused.pauses, words: words)
            } + [renderer.weekLogContext(schedule.weeks[0], items: schedule.weeks[0].days.map { agenda.items[$0.date, default: []].map(sided) },
                                         painRule: ["text": "Some pain is OK."], words: words)],
            "calendar-day": [renderer.dayContext(day, items: items.map(\.html).joined(), words: words), renderer.dayContext(day, items: nil, words: words)]
                + pausedSchedule.days.filter { !$0.inPlan }.map { renderer.dayContext($0, items: nil, pauseNote: $0.pause.map { _ in "Flu" }, words: words) },
            "calendar-item": (items + items.map(sided)).map { renderer.itemContext($0.item, words: words) },
            "index": [renderer.indexContext([PlanSummary(plan: plan), PlanSummary(plan: paused)]), renderer.indexContext([])],
            "exercise": library.exercises.values.map { renderer.exercisePageContext($0, protocols: protocols, words: words) },
            "library": [renderer.libraryContext(root: "../", words: words)],
            "page": library.pages.values.map { renderer.educationPageContext($0) },
            "progression": library.progressions.values.map { renderer.progressionPageContext($0, protocols: protocols, words: words) },
            "batch-cover": [renderer.batchCoverContext(day: plan.start, since: nil, plans: []),
                            renderer.batchCoverContext(day: plan.start, since: plan.start, plans: [
                                .init(id: plan.id, patient: plan.patient, start: plan.start, reasons: [.changed, .starting])])],
        ]
        #expect(Set(contexts.keys) == Set(PageShapes.pages.map(\.template)), "a context for every page template")
        for (template, shape) in PageShapes.pages {
            let built = contexts[template] ?? []
            #expect(!built.isEmpty, "\(template)")
            for context in built {
                #expect(shape.mismatches(in: context) == [], "\(template)")
            }
        }
        #expect(PageShapes.clinic.mismatches(in: renderer.clinic(root: "")) == [])
    }
}
