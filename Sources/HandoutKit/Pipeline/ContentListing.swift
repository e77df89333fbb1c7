import Foundation

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
            // As a plan gets them: merged over the protocol a protocol is based on.
            rows = [["SLUG", "TITLE", "WEEKS", "EXERCISES"]] + library.protocols.values.sorted { $0.slug < $1.slug }.map { item in
                let fields = library.resolvedFields(ofProtocol: item.slug) ?? item.fields
                return [item.slug, item.title ?? "", fields.weeks.map(String.init) ?? "", "\(fields.exercises?.count ?? 0)"]
            }
        case .translations:
            // A column for every language but the originals' (unless content is translated into it too).
            let originals = library.site.originalsLanguage
            let languages = library.languages.union(library.translations.keys)
                .subtracting(library.translations[originals] == nil ? [originals] : []).sorted()
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
