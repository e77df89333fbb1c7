import Foundation

/// `handout new`: a plan file with the protocol's choices filled in and a comment on each field.
public struct NewPlan {
    var layout: SiteLayout
    var diagnostics: Diagnostics

    public init(layout: SiteLayout, diagnostics: Diagnostics) {
        self.layout = layout
        self.diagnostics = diagnostics
    }

    /// Writes `PLANS/<id>.yaml`; never overwrites. `today` is passed in so output is testable.
    public func write(id: String, protocolSlug: String?, start: Day?, today: Day) -> URL? {
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
        let library = ContentLoader(layout: layout, diagnostics: diagnostics).load()
        if diagnostics.hasErrors { return nil }
        var fields = PlanFields()
        if let protocolSlug {
            guard let resolved = library.resolvedFields(ofProtocol: protocolSlug) else {
                diagnostics.error("unknown protocol '\(protocolSlug)'" + Suggestion.hint(for: protocolSlug, in: library.protocols.keys),
                                  at: SourceLocation(path: layout.display(layout.content.appendingPathComponent("protocols")), line: 0, column: 0))
                return nil
            }
            fields = resolved
        }
        // Default start: the next Monday, when most programs begin.
        let startDay = start ?? today.adding(days: (7 - today.weekday.rawValue) % 7)
        let text = Self.text(id: id, protocolSlug: protocolSlug, start: startDay, fields: fields, library: library)
        do {
            try FileManager.default.createDirectory(at: layout.plans, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .withoutOverwriting)
        } catch {
            diagnostics.error("cannot write the plan: \(FileFault("write", url.path, error: error).reason)", at: here)
            return nil
        }
        return url
    }

    static func text(id: String, protocolSlug: String?, start: Day, fields: PlanFields, library: ContentLibrary) -> String {
        var lines = [
            "# Plan \(id). Fill in the patient's name, check the choices, then run: handout build --patient \(id)",
            "patient: \"\"                 # the patient's name: printed on the handout, never in a file name or link",
            fields.therapist.map { "therapist: \(quoted($0))   # printed on the handout" }
                ?? "# therapist: Your Name, PT    # printed on the handout",
            "start: \(start.iso)            # first day of the plan (YYYY-MM-DD); the calendar begins in this week",
            "weeks: \(fields.weeks ?? 6)                     # how many weeks the calendar covers",
        ]
        if let condition = fields.condition {
            lines.append("condition: \(quoted(condition))   # shown in the clinic index")
        }
        if let protocolSlug {
            lines.append("protocol: \(protocolSlug)   # fields below replace the protocol's; delete one to use the protocol's")
        }
        lines.append("exercises:                    # any of reps, sets, hold, daily, weekly overrides the exercise's default;")
        lines.append("                              # also days: [mon, wed, fri], note: ..., changes: [{ week: 3, sets: 3 }]")
        let exercises = fields.exercises ?? []
        if exercises.isEmpty {
            lines.append("  # - exercise: " + (library.exercises.keys.sorted().first ?? "exercise-file-name"))
        }
        for exercise in exercises {
            lines.append("  - exercise: \(exercise.slug)" + (library.exercises[exercise.slug].map { "   # \($0.title)" } ?? ""))
            let d = exercise.dosage
            for (key, value) in [("reps", d.reps.map(String.init)), ("sets", d.sets.map(String.init)),
                                 ("hold", d.hold.map { quoted($0.text) }), ("daily", d.daily.map(String.init)),
                                 ("weekly", d.weekly.map(String.init))] {
                if let value { lines.append("    \(key): \(value)") }
            }
            if let days = exercise.days { lines.append("    days: [\(days.map(\.code).joined(separator: ", "))]") }
            if let note = exercise.note { lines.append("    note: \(quoted(note))") }
            if !exercise.changes.isEmpty {
                lines.append("    changes:")
                for change in exercise.changes {
                    let d = change.dosage
                    let parts = [("reps", d.reps.map(String.init)), ("sets", d.sets.map(String.init)),
                                 ("hold", d.hold.map { quoted($0.text) }), ("daily", d.daily.map(String.init)),
                                 ("weekly", d.weekly.map(String.init))].compactMap { k, v in v.map { "\(k): \($0)" } }
                    lines.append("      - { week: \(change.week), \(parts.joined(separator: ", ")) }")
                }
            }
        }
        let progressions = fields.progressions ?? []
        lines.append("progressions:                 # add start: YYYY-MM-DD (e.g. when cleared to run) and days: [mon, wed, fri]")
        if progressions.isEmpty { lines[lines.count - 1] = "# " + lines[lines.count - 1] }
        for progression in progressions {
            lines.append("  - progression: \(progression.slug)")
            if let start = progression.start { lines.append("    start: \(start.iso)") }
            if let days = progression.days { lines.append("    days: [\(days.map(\.code).joined(separator: ", "))]") }
        }
        if let cross = fields.crossTraining {
            lines.append("cross_training:               # default days: days with no progression session")
            lines.append("  activities: [\(cross.activities.map(quoted).joined(separator: ", "))]")
            if let days = cross.days { lines.append("  days: [\(days.map(\.code).joined(separator: ", "))]") }
            if let note = cross.note { lines.append("  note: \(quoted(note))") }
        }
        let education = fields.education ?? []
        lines.append("education: [\(education.map(\.slug).joined(separator: ", "))]   # education pages, by file name")
        lines.append("notes: |                      # your notes for the patient (Markdown)")
        if let notes = fields.notes?.text, !notes.isEmpty {
            lines += notes.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        } else {
            lines.append("  Call us if your pain gets worse.")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\x%02X", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

/// What `handout list` can list.
public enum ContentKind: String, CaseIterable, Sendable {
    case exercises, progressions, pages, protocols, plans
}

/// `handout list`: a plain table for the terminal.
public struct ContentListing {
    var layout: SiteLayout
    var diagnostics: Diagnostics

    public init(layout: SiteLayout, diagnostics: Diagnostics) {
        self.layout = layout
        self.diagnostics = diagnostics
    }

    public func table(_ kind: ContentKind) -> String {
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
        case .plans:
            let plans = PlanLoader(layout: layout, library: library, diagnostics: diagnostics).loadAll().sorted { $0.id < $1.id }
            let names = library.site.indexShowsNames
            rows = [["ID"] + (names ? ["PATIENT"] : []) + ["THERAPIST", "START", "WEEKS"]] + plans.map {
                [$0.id] + (names ? [$0.patient] : []) + [$0.therapist ?? "", $0.start.iso, "\($0.weeks)"]
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
