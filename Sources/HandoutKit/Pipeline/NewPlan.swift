import Foundation

/// `handout new`: a plan file with the protocol's (or another plan's) choices filled in and a
/// comment on each field.
public struct NewPlan {
    var layout: SiteLayout
    var diagnostics: Diagnostics

    public init(layout: SiteLayout, diagnostics: Diagnostics) {
        self.layout = layout
        self.diagnostics = diagnostics
    }

    /// Writes `PLANS/<id>.yaml`; never overwrites. `today` is passed in so output is testable.
    /// With `copying`, the choices come from that plan, without its patient's name.
    public func write(id: String, protocolSlug: String?, copying original: String? = nil, start: Day?, today: Day) -> URL? {
        let url = layout.plans.appendingPathComponent(id + ".yaml")
        let here = SourceLocation(path: layout.display(url), line: 0, column: 0)
        guard Slug.isValid(id) else {
            diagnostics.error("'\(id)' is not a valid plan id: use lowercase letters, digits and '-', at most 64 characters", at: here)
            return nil
        }
        guard !FileManager.default.fileExists(atPath: url.path) else {
            diagnostics.error("plan '\(id)' already exists; choose another id or edit that file", at: here)
            return nil
        }
        guard case let (sketch, library)? = draft(protocolSlug: protocolSlug, copying: original, start: start, today: today) else { return nil }
        let comment = "# Plan \(id)\(original.map { ", copied from plan \($0) (without the patient's name)" } ?? "")."
            + " Fill in the patient's name, check the choices, then run: handout build --patient \(id)"
        let text = sketch.text(comments: [comment], schema: SchemaExport.reference(fromPlansIn: layout.plans, output: layout.output),
                               titles: library.exercises.mapValues(\.title)).text
        do {
            try FileManager.default.createDirectory(at: layout.plans, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .withoutOverwriting)
        } catch {
            diagnostics.error("cannot write the plan: \(FileFault("write", url.path, error: error).reason)", at: here)
            return nil
        }
        return url
    }

    /// What `write` fills in, before it is written: the protocol's choices (or a copy of
    /// another plan's), the start (default: the next Monday), the placeholder note in the
    /// plan's language; and the library it was made from. Nil, with the reasons reported, when
    /// the content, the protocol or the plan to copy has errors or does not exist.
    public func draft(protocolSlug: String?, copying original: String? = nil, start: Day?, today: Day) -> (PlanSketch, ContentLibrary)? {
        let library = ContentLoader(layout: layout, diagnostics: diagnostics).load()
        if diagnostics.hasErrors { return nil }
        var fields = PlanFields()
        var protocolSlug = protocolSlug
        // Default start: the next Monday, when most programs begin.
        let startDay = start ?? today.adding(days: (7 - today.weekday.rawValue) % 7)
        if let original {
            guard let copied = copy(of: original, library: library, startingOn: startDay) else { return nil }
            (fields, protocolSlug) = copied
        } else if let protocolSlug {
            guard let resolved = library.resolvedFields(ofProtocol: protocolSlug) else {
                diagnostics.error("unknown protocol '\(protocolSlug)'" + Suggestion.hint(for: protocolSlug, in: library.protocols.keys),
                                  at: SourceLocation(path: layout.display(layout.content.appendingPathComponent("protocols")), line: 0, column: 0))
                return nil
            }
            fields = resolved
        }
        var sketch = PlanSketch(fields: fields, protocolSlug: protocolSlug, start: startDay)
        if sketch.notes?.isEmpty ?? true {
            // The placeholder note is in the plan's language, from its strings file.
            let language = fields.language?.code ?? library.site.language
            sketch.notes = Strings.load(from: layout.templates.appendingPathComponent("strings"), layout: layout, diagnostics: Diagnostics())[language]
                .map { nonEmpty($0.phrase("new_plan_note")) } ?? nil
        }
        return (sketch, library)
    }

    /// Another plan's choices (its protocol's merged in), with progression start dates moved
    /// by as many days as the new plan starts later, so each begins at the same point of the
    /// plan. Nothing of the patient is copied. Nil, with the reasons reported, when that plan
    /// is missing or has errors.
    private func copy(of original: String, library: ContentLibrary, startingOn start: Day) -> (PlanFields, String?)? {
        let url = layout.plans.appendingPathComponent(original + ".yaml")
        guard Slug.isValid(original), FileSystem.exists(url.path) else {
            let existing = ContentFiles(layout: layout, diagnostics: Diagnostics()).entries(in: layout.plans, extension: "yaml")?.map(\.slug) ?? []
            diagnostics.error("there is no plan '\(original)' to copy" + Suggestion.hint(for: original, in: existing),
                              at: SourceLocation(path: layout.display(url), line: 0, column: 0))
            return nil
        }
        // A fault reading it (or text that is not UTF-8) is reported in plain words.
        guard let text = ContentFiles(layout: layout, diagnostics: diagnostics).load(url, limit: .plan)?.text else { return nil }
        let source = YAMLSource(path: layout.display(url), lineOffset: 0, diagnostics: diagnostics)
        guard let draft = PlanReader.readPlan(id: original, text: text, source: source),
              let plan = PlanChecker(library: library, diagnostics: diagnostics).plan(from: draft), !diagnostics.hasErrors else {
            diagnostics.error("plan '\(original)' has errors; fix them before copying it", at: SourceLocation(path: layout.display(url), line: 0, column: 0))
            return nil
        }
        var fields = draft.fields
        if let slug = plan.protocolSlug, let base = library.resolvedFields(ofProtocol: slug) {
            fields = fields.merged(over: base)
        }
        let shift = start - plan.start
        fields.progressions = fields.progressions?.map { progression in
            var moved = progression
            moved.start = progression.start?.adding(days: shift)
            return moved
        }
        return (fields, plan.protocolSlug)
    }
}

/// What `handout list` can list.
public enum ContentKind: String, CaseIterable, Sendable {
    case exercises, progressions, pages, protocols, plans, translations
}

/// `handout list`: a plain table for the terminal.
public struct ContentListing {
    var layout: SiteLayout
    var diagnostics: Diagnostics

    public init(layout: SiteLayout, diagnostics: Diagnostics) {
        self.layout = layout
        self.diagnostics = diagnostics
    }

    /// Plans ending soon: those whose last day (the day they `ended`, else their calendar's
    /// last day) is from `today` to `days` days after it, for the discharges of the days ahead.
    public struct EndingWithin: Sendable {
        public var days: Int
        public var today: Day

        public init(days: Int, today: Day) {
            self.days = days
            self.today = today
        }

        func contains(_ end: Day) -> Bool { today <= end && end - today <= days }
    }

    /// With `activeOn`, plans only those running that day (from their start to their last
    /// day); with `endingWithin`, only those ending in those days.
    public func table(_ kind: ContentKind, activeOn: Day? = nil, endingWithin: EndingWithin? = nil) -> String {
        let library = ContentLoader(layout: layout, diagnostics: diagnostics).load()
        var rows: [[String]]
        switch kind {
        case .exercises:
            rows = [["SLUG", "TITLE", "DOSAGE"]] + library.exercises.values.sorted { $0.slug < $1.slug }
                .map { [$0.slug, $0.title, $0.dosage.line] }
        case .progressions:
            rows = [["SLUG", "TITLE", "STAGES", "ADVANCE"]] + library.progressions.values.sorted { $0.slug < $1.slug }
                .map { [$0.slug, $0.title, "\($0.stages.count)", $0.advance.every.text] }
        case .pages:
            rows = [["SLUG", "TITLE"]] + library.pages.values.sorted { $0.slug < $1.slug }.map { [$0.slug, $0.title] }
        case .protocols:
            rows = [["SLUG", "TITLE", "WEEKS", "EXERCISES"]] + library.protocols.values.sorted { $0.slug < $1.slug }.map {
                [$0.slug, $0.title ?? "", $0.fields.weeks.map(String.init) ?? "", "\($0.fields.exercises?.count ?? 0)"]
            }
        case .translations:
            // Originals are in the site's language; a column for every other language.
            let languages = library.languages.union(library.translations.keys).subtracting([library.site.language]).sorted()
            func row<Item>(_ kind: String, _ originals: [String: Item], _ translated: (Translated) -> [String: Item]) -> [[String]] {
                originals.keys.sorted().map { slug in
                    ["\(kind)/\(slug)"] + languages.map { library.translations[$0].flatMap { translated($0)[slug] } == nil ? "missing" : "yes" }
                }
            }
            rows = [["CONTENT"] + languages] + row("exercises", library.exercises) { $0.exercises }
                + row("progressions", library.progressions) { $0.progressions } + row("pages", library.pages) { $0.pages }
        case .plans:
            let weekStarts = library.site.weekStarts
            let plans = PlanLoader(layout: layout, library: library, diagnostics: diagnostics).loadAll()
                .map { ($0, $0.lastDay(weekStarts: weekStarts)) }
                .filter { plan, end in activeOn.map { plan.start <= $0 && $0 <= end } ?? true }
                .filter { _, end in endingWithin?.contains(end) ?? true }
                .sorted { endingWithin == nil ? $0.0.id < $1.0.id : ($0.1, $0.0.id) < ($1.1, $1.0.id) }
            let names = library.site.indexShowsNames
            rows = [["ID"] + (names ? ["PATIENT"] : []) + ["THERAPIST", "START", "END", "WEEKS"]] + plans.map { plan, end in
                [plan.id] + (names ? [plan.patient] : []) + [plan.therapist ?? "", plan.start.iso, end.iso + (plan.ended == nil ? "" : " (ended)"),
                                                             "\(plan.weeks)"]
            }
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        // Names and titles are printed to a terminal: no control character reaches it as it is.
        rows = rows.map { $0.map(TextRules.visible) }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
