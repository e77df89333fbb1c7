import Foundation
import Testing
@testable import HandoutKit

/// Pages, cards and calendar days are rendered once as frames and filled in per patient;
/// filled in, they must give exactly the bytes the template gives when rendered with the values.
@Suite struct FrameTests {
    static let hostile = #"<b>Ana & "Bo" 'Cé'</b> {{x}} ✓"#

    func renderer() throws -> SiteRenderer {
        let site = try TestSite()
        let checked = try #require(BuildPipeline(layout: site.layout, diagnostics: Diagnostics()).check())
        return SiteRenderer(library: checked.library, templates: checked.templates)
    }

    @Test func textIsEscapedAsTheTemplateEscapesIt() throws {
        let renderer = try renderer()
        let templates = renderer.templates, en = renderer.words("en")
        for text in [Self.hostile, "Monday, December 7, 2026", "", "a\u{0301}<\u{0301}"] {
            let direct = templates.render(CalendarItem(label: text, kind: "k", ticks: [], several: false), with: "calendar-item", in: en)
            let framed = Frame(templates.render(CalendarItem(label: Frame.text("label"), kind: "k", ticks: [], several: false),
                                                with: "calendar-item", in: en))
            #expect(framed.filled(["label": text]) == direct)
        }
    }

    @Test func layout() throws {
        let renderer = try renderer()
        let key = SiteRenderer.LayoutKey(root: "../../", bodyClass: "handout", pageStylesheet: "../../assets/print-en.css", script: nil,
                                        language: "en", largePrint: false)
        let direct = renderer.templates.render(renderer.layoutContext(title: Self.hostile, key: key, content: "<p>x</p>"), with: "layout",
                                                 in: renderer.words("en"))
        #expect(renderer.page(title: Self.hostile, root: "../../", bodyClass: "handout", content: "<p>x</p>",
                              pageStylesheet: "../../assets/print-en.css") == direct)
        #expect(direct.contains("<title>&lt;b&gt;Ana &amp; &quot;Bo&quot; &#39;Cé&#39;&lt;/b&gt; {{x}} ✓</title>"))

        var versioned = key
        versioned.versioned = true
        #expect(renderer.page(title: Self.hostile, root: "../../", bodyClass: "handout", content: "<p>x</p>", pageStylesheet: "../../assets/print-en.css",
                              version: Self.hostile)
                == renderer.templates.render(renderer.layoutContext(title: Self.hostile, key: versioned, content: "<p>x</p>", version: Self.hostile),
                                             with: "layout", in: renderer.words("en")))
    }

    @Test(arguments: ["en", "es"])
    func calendarPageWeekAndDay(language: String) throws {
        let renderer = try renderer()
        let templates = renderer.templates, words = renderer.words(language)
        let direct = templates.render(renderer.calendarContext(patient: Self.hostile, version: Self.hostile, start: "Monday, December 7, 2026",
                                                               end: Self.hostile, crossTraining: Self.hostile, largePrint: false, firstWeekday: .sunday,
                                                               weeks: "<tr></tr>", words: words),
                                      with: "calendar", in: words)
        let page = Frame(templates.render(renderer.calendarContext(patient: Frame.text("patient"), version: Frame.text("version"), start: Frame.text("start"),
                                                                   end: Frame.text("end"), crossTraining: Frame.text("cross_training"),
                                                                   largePrint: false, firstWeekday: .sunday,
                                                                   weeks: Frame.html("weeks"), words: words), with: "calendar", in: words))
        #expect(page.filled(["patient": Self.hostile, "version": Self.hostile, "start": "Monday, December 7, 2026", "end": Self.hostile,
                             "cross_training": Self.hostile, "weeks": "<tr></tr>"]) == direct)

        let week = Frame(templates.render(renderer.weekContext(number: Frame.text("number"), label: Frame.text("label"), range: Frame.text("range"),
                                                               days: Frame.html("days")), with: "calendar-week", in: words))
        #expect(week.filled(["number": "3", "label": Self.hostile, "range": Self.hostile, "days": "<td></td>"])
                == templates.render(renderer.weekContext(number: "3", label: Self.hostile, range: Self.hostile, days: "<td></td>"), with: "calendar-week", in: words))
        // Written into a page: a value is escaped as filling escapes it, markup goes in as it is.
        var written = "before"
        week.write(["number": .value("3"), "label": .value(Self.hostile), "range": .value(Self.hostile),
                    "days": .markup { $0 += "<td>&</td>" }], into: &written)
        #expect(written == "before" + templates.render(renderer.weekContext(number: "3", label: Self.hostile, range: Self.hostile, days: "<td>&</td>"),
                                                       with: "calendar-week", in: words))

        let day = ScheduledDay(date: Day(iso: "2026-12-07")!, inPlan: true, exercises: [
            ScheduledExercise(slug: "bridge", dosage: Dosage(reps: 10, sets: 2)),
        ])
        let rendered = renderer.rendered(SiteRenderer.Item(label: Self.hostile, detail: "2×10", kind: "exercise"), words: words)
        func calendarDay(_ day: ScheduledDay, items: [SiteRenderer.RenderedItem], pauseNote: String?) -> String {
            var out = ""
            renderer.calendarDay(day, items: items, pauseNote: pauseNote, words: words, into: &out)
            return out
        }
        #expect(calendarDay(day, items: [rendered], pauseNote: nil)
                == templates.fragment(renderer.dayContext(day, items: rendered.html, words: words), with: "calendar-day", in: words))
        let second = renderer.rendered(SiteRenderer.Item(label: "Side plank", detail: "3×30 s", kind: "exercise"), words: words)
        #expect(calendarDay(day, items: [rendered, second], pauseNote: nil)
                == templates.fragment(renderer.dayContext(day, items: rendered.html + "\n" + second.html, words: words), with: "calendar-day", in: words))

        // A paused day with the therapist's note, one without, and a day after the plan ended.
        let paused = ScheduledDay(date: Day(iso: "2026-12-08")!, inPlan: false, pause: 0)
        #expect(calendarDay(paused, items: [], pauseNote: Self.hostile)
                == templates.fragment(renderer.dayContext(paused, items: nil, pauseNote: Self.hostile, words: words), with: "calendar-day", in: words))
        #expect(calendarDay(paused, items: [], pauseNote: nil)
                == templates.fragment(renderer.dayContext(paused, items: nil, words: words), with: "calendar-day", in: words))
        let ended = ScheduledDay(date: Day(iso: "2026-12-09")!, inPlan: false, afterEnd: true)
        #expect(calendarDay(ended, items: [], pauseNote: nil)
                == templates.fragment(renderer.dayContext(ended, items: nil, words: words), with: "calendar-day", in: words))
    }

    @Test(arguments: ["en", "es"])
    func exerciseCardWithNote(language: String) throws {
        let renderer = try renderer()
        let words = renderer.words(language)
        let exercise = InLanguage(item: try #require(renderer.library.exercises["bridge"]), language: "en")
        let planned = PlannedExercise(slug: "bridge", dosage: Dosage(sets: 2), days: nil, note: Self.hostile, changes: [],
                                      location: SourceLocation(path: "p", line: 1, column: 1))
        #expect(renderer.card(for: planned, exercise: exercise, words: words)
                == renderer.templates.fragment(renderer.cardContext(for: planned, exercise: exercise, note: Self.hostile, words: words),
                                               with: "exercise-card", in: words))
    }

    @Test(arguments: ["en", "es"])
    func handoutProgression(language: String) throws {
        let renderer = try renderer()
        let words = renderer.words(language)
        let progression = InLanguage(item: try #require(renderer.library.progressions["walk-run"]), language: "en")
        let frame = Frame(renderer.templates.render(renderer.handoutProgressionContext(
            progression, start: Frame.text("start"), daysText: Frame.text("days_text"), words: words), with: "handout-progression", in: words))
        #expect(frame.filled(["start": Self.hostile, "days_text": "Mon, Wed, Fri"])
                == renderer.templates.render(renderer.handoutProgressionContext(progression, start: Self.hostile, daysText: "Mon, Wed, Fri",
                                                                                words: words), with: "handout-progression", in: words))
    }

    /// The handout's frame, filled in, is the template rendered with the plan's values, with
    /// hostile text in every field a plan writes and every optional part present.
    @Test(arguments: ["en", "es"])
    func handoutPage(language: String) throws {
        let site = try TestSite()
        try site.writeSpanishContent()
        // The clamshell has no Spanish text: its card and calendar items are marked as English.
        try site.write("Content/site.yaml", try site.read("Content/site.yaml") + "\ntranslation_fallback: en\n")
        let hostile = Self.hostile.replacingOccurrences(of: "\"", with: "")
        try site.write(plan, """
            patient: "\(hostile)"
            therapist: "\(hostile)"
            condition: "\(hostile)"
            language: \(language)
            start: 2026-12-07
            weeks: 3
            ended: 2026-12-20
            pauses:
              - { from: 2026-12-14, to: 2026-12-15, note: "\(hostile)" }
            pain_rule: safety
            exercises:
              - exercise: bridge
                note: "\(hostile)"
              - exercise: clamshell
            progressions:
              - progression: walk-run
            cross_training:
              activities: [cycling]
              note: "\(hostile)"
            education: [pacing]
            notes: "\(hostile) *x*"
            """)
        let loading = Diagnostics()
        let checked = try #require(BuildPipeline(layout: site.layout, diagnostics: loading).check())
        let diagnostics = Diagnostics()
        let draft = PlanReader.readPlan(id: "p-0001", text: try site.read(plan), source: YAMLSource(path: plan, lineOffset: 0, diagnostics: diagnostics))
        let patient = try #require(draft.flatMap { PlanChecker(library: checked.library, diagnostics: diagnostics).plan(from: $0) })
        #expect(diagnostics.all.filter { $0.description.contains(": error: ") }.map(\.description) == [])
        let renderer = SiteRenderer(library: checked.library, templates: checked.templates)
        let schedule = Scheduler.schedule(patient, inputs: ScheduleInputs(library: checked.library), weekStarts: checked.library.site.weekStarts)
        let words = renderer.words(language)
        let direct = renderer.templates.render(renderer.handoutContext(patient, schedule: schedule, words: words), with: "handout", in: words)
        #expect(renderer.handout(patient, schedule: schedule, words: words) == direct)
        // Past its number of shapes, a handout is rendered directly, to the same bytes.
        var unframed = SiteRenderer(library: checked.library, templates: checked.templates)
        unframed.handoutShapes = 0
        #expect(unframed.handout(patient, schedule: schedule, words: words) == direct)
        #expect(unframed.handouts.rendered.isEmpty)
        #expect(direct.contains("&lt;b&gt;Ana &amp;"))
        #expect(!direct.contains("<b>Ana"))
    }

    /// Handout's templates escape `{{name}}` on bytes: exactly as swift-mustache's HTML
    /// content type does, for quotes and brackets next to accents, combining marks and signs.
    @Test func textIsEscapedAsMustacheEscapesIt() {
        let fixed = ["", "plain", "<b>&\"'</b>", "<\u{338}", "é<é", "\u{0600}<x", "&\u{301}amp;", "日本<語>", "a\r\n<"]
        var generator = SystemRandomNumberGenerator()
        let pieces = ["<", ">", "&", "\"", "'", "a", "é", "\u{301}", "\u{338}", "\u{0600}", "×", " ", "\r", "\n"]
        let random = (0..<2_000).map { _ in (0..<Int.random(in: 0...10, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined() }
        for text in fixed + random {
            #expect(PageText.escape(text) == PageText.byCharacters.render(text), "\(text.debugDescription)")
        }
    }

    /// A frame is cut on the bytes of its stand-ins: text around them in any script, stand-ins
    /// side by side, at either end, or with a NUL of their own just after them.
    @Test func standInsAreFoundAnywhere() {
        let frame = Frame(Frame.text("a") + "día ✓ 日本" + Frame.html("b") + Frame.text("a") + "\u{301}end" + Frame.html("c"))
        #expect(frame.filled(["a": "<1>", "b": "<2>", "c": "3"]) == "&lt;1&gt;día ✓ 日本<2>&lt;1&gt;\u{301}end3")
        #expect(Frame("").filled([:]) == "")
        #expect(Frame("plain \u{0} text").filled([:]) == "plain \u{0} text")
        #expect(Frame(Frame.marker).filled([:]) == "", "a stand-in cut short fills as empty")
    }

    /// A title that spells a stand-in, as YAML's "\0" escape once could, stays text: only the
    /// renderer's own stand-ins (with this run's random token) open a slot.
    @Test func standInSpelledByInputIsInert() throws {
        let renderer = try renderer()
        var exercise = try #require(renderer.library.exercises["bridge"])
        let guessedToken = "\u{0}0123456789abcdef-fedcba9876543210hnote\u{0}"
        exercise.title = "Forearm Plank \u{0}hnote\u{0} \u{0}tnote\u{0} \(guessedToken)"
        let attack = "<img src=x onerror=alert(1)>"
        let planned = PlannedExercise(slug: "bridge", dosage: Dosage(sets: 2), days: nil, note: attack, changes: [],
                                      location: SourceLocation(path: "p", line: 1, column: 1))
        let words = renderer.words("en")
        let card = renderer.card(for: planned, exercise: InLanguage(item: exercise, language: "en"), words: words)
        #expect(!card.contains("<img src=x"))
        #expect(card.components(separatedBy: "&lt;img src=x onerror=alert(1)&gt;").count == 2, "the note is placed once, where the template puts it")
        #expect(card == renderer.templates.fragment(renderer.cardContext(for: planned, exercise: InLanguage(item: exercise, language: "en"),
                                                                         note: attack, words: words), with: "exercise-card", in: words))
    }

    /// Threads asking for one key at once get one rendering, so an item's id is the same everywhere.
    @Test func eachKeyIsRenderedOnce() {
        let cache = FragmentCache<Int, Int>()
        let renders = Counter()
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            _ = cache.value(for: i % 4) {
                Thread.sleep(forTimeInterval: 0.001)
                return renders.next()
            }
        }
        #expect(renders.next() == 5)
    }

    /// A frame is rendered once per key and shared by every patient, so everything its
    /// template reads, but its stand-ins, must be part of its key; otherwise one patient's
    /// value prints on another's handout. Plans that each change one value are rendered by
    /// fresh renderers, and wherever two of them rendered a frame (or a calendar item) under
    /// the same key, it must be the same.
    @Test func framesNeverMixPatients() throws {
        let site = try TestSite()
        try site.writeSpanishContent()
        let checked = try #require(BuildPipeline(layout: site.layout, diagnostics: Diagnostics()).check())
        let base = try site.read(plan)
        let changes: [String: [String: String]] = [
            "base": [:],
            "patient": ["Alex Example": "Bo <Other> & Co"],
            "therapist": ["Sam Lee, PT": "Kim Park, DPT"],
            "no therapist": ["therapist: Sam Lee, PT\n": ""],
            "ended": ["weeks: 3": "weeks: 3\nended: 2026-12-15"],
            "a pause": ["weeks: 3": "weeks: 3\npauses:\n  - { from: 2026-12-14, to: 2026-12-15, note: Away }"],
            "two pauses": ["weeks: 3": "weeks: 3\npauses:\n  - { from: 2026-12-14, to: 2026-12-15 }\n  - { from: 2026-12-18, to: 2026-12-18 }"],
            "two exercises": ["    note: Go slowly.\n": "    note: Go slowly.\n  - exercise: clamshell\n"],
            "no exercises": ["exercises:\n  - exercise: bridge\n    sets: 2\n    note: Go slowly.\n": ""],
            "no progression": ["progressions:\n  - progression: walk-run\n    start: 2026-12-09\n": ""],
            "no cross-training": ["cross_training:\n  activities: [cycling, swimming]\n": ""],
            "no notes": ["notes: |\n  Call us if pain spreads.\n": ""],
            "condition": ["weeks: 3": "weeks: 3\ncondition: Knee pain"],
            "start, same weekday": ["start: 2026-12-07": "start: 2026-11-30"],
            "start, other weekday": ["start: 2026-12-07": "start: 2026-12-08"],
            "start on a Sunday": ["start: 2026-12-07": "start: 2026-12-06"],
            "weeks": ["weeks: 3": "weeks: 5"],
            "sets": ["sets: 2": "sets: 3"],
            "reps": ["sets: 2": "sets: 2\n    reps: 12"],
            "hold": ["sets: 2": "sets: 2\n    hold: 20 s"],
            "daily": ["sets: 2": "sets: 2\n    daily: 2"],
            "weekly": ["sets: 2": "sets: 2\n    weekly: 5"],
            "days": ["sets: 2": "sets: 2\n    days: [mon, thu]"],
            "note": ["Go slowly.": "Breathe out <slowly>."],
            "no note": ["    note: Go slowly.\n": ""],
            "changes": ["sets: 2": "sets: 2\n    changes:\n      - { week: 2, sets: 3 }"],
            "other changes": ["sets: 2": "sets: 2\n    changes:\n      - { week: 3, reps: 15 }"],
            "other exercise": ["exercise: bridge": "exercise: clamshell"],
            "progression start": ["start: 2026-12-09": "start: 2026-12-10"],
            "progression days": ["start: 2026-12-09": "start: 2026-12-09\n    days: [tue, sat]"],
            "activities": ["[cycling, swimming]": "[rowing]"],
            "cross-training days": ["[cycling, swimming]": "[cycling, swimming]\n  days: [sun]"],
            "cross-training note": ["[cycling, swimming]": "[cycling, swimming]\n  note: Easy pace."],
            "education": ["education: [pacing]": "education: []"],
            "notes": ["Call us if pain spreads.": "Call **us** any time."],
            "language": ["weeks: 3": "weeks: 3\nlanguage: es"],
            "large print": ["weeks: 3": "weeks: 3\nlarge_print: true"],
            "safety pages": ["weeks: 3": "weeks: 3\ninclude_pages: []"],
            "pain rule": ["weeks: 3": "weeks: 3\npain_rule: safety"],
            "sides": ["sets: 2": "sets: 2\n    sides: each"],
            "one side": ["sets: 2": "sets: 2\n    sides: left"],
            // The same doses week by week, one change naming the days again: its line says so.
            "days kept": ["sets: 2": "sets: 2\n    days: [mon, thu]\n    changes:\n      - { week: 2, sets: 3 }"],
            "days said again": ["sets: 2": "sets: 2\n    days: [mon, thu]\n    changes:\n      - { week: 2, sets: 3, days: [mon, thu] }"],
        ]
        var frames: [AnyHashable: (variant: String, frame: Frame)] = [:]
        var items: [SiteRenderer.ItemKey: (variant: String, html: String, words: [String?])] = [:]
        var uses = 0
        for (variant, replacements) in changes.sorted(by: { $0.key < $1.key }) {
            var text = base
            for (old, new) in replacements {
                #expect(text.contains(old), "\(variant)")
                text = text.replacingOccurrences(of: old, with: new)
            }
            let diagnostics = Diagnostics()
            let draft = PlanReader.readPlan(id: "p-0001", text: text, source: YAMLSource(path: plan, lineOffset: 0, diagnostics: diagnostics))
            let patient = try #require(draft.flatMap { PlanChecker(library: checked.library, diagnostics: diagnostics).plan(from: $0) })
            #expect(diagnostics.all.map(\.description) == [], "\(variant)")
            let renderer = SiteRenderer(library: checked.library, templates: checked.templates)
            let schedule = Scheduler.schedule(patient, inputs: ScheduleInputs(library: checked.library), weekStarts: checked.library.site.weekStarts)
            _ = renderer.renderPatient(patient, schedule: schedule)
            _ = renderer.renderIndex([PlanSummary(plan: patient)])
            _ = renderer.renderLibrary()
            let rendered = renderer.frames.rendered.map { (key: AnyHashable($0.key), value: $0.value) }
                + renderer.handouts.rendered.map { (key: AnyHashable($0.key), value: $0.value) }
            for (key, frame) in rendered {
                uses += 1
                if let earlier = frames[key] {
                    #expect(earlier.frame == frame, "frame \(key) differs between '\(earlier.variant)' and '\(variant)'")
                } else {
                    frames[key] = (variant, frame)
                }
            }
            for (key, item) in renderer.items.rendered {
                let words = [item.item.label, item.item.detail, item.item.kind]
                if let earlier = items[key] {
                    #expect(earlier.html == item.html && earlier.words == words, "item \(key) differs between '\(earlier.variant)' and '\(variant)'")
                } else {
                    items[key] = (variant, item.html, words)
                }
            }
        }
        // Shared frames are what is compared: most uses must find one rendered before.
        #expect(frames.count * 2 < uses)
    }
}
