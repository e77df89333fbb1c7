import Foundation

/// A plan file's text and the field each of its lines writes, so a diagnostic's line can be
/// shown beside the form field it is about.
public struct PlanText: Sendable, Equatable {
    public var text: String
    /// By line, from line 1: `weeks`, `exercises.2.sets`, `exercises.0.changes.1`, `notes`;
    /// empty for a comment.
    public var fields: [String]

    /// The field written on `line` (1-based), or nil for a comment or a line out of range.
    public func field(atLine line: Int) -> String? {
        guard line >= 1, line <= fields.count, !fields[line - 1].isEmpty else { return nil }
        return fields[line - 1]
    }
}

extension PlanSketch {
    /// The plan file: `comments` first (after the schema modeline, when given), then a line
    /// per field with a comment saying what it does. `titles` names each exercise beside it.
    public func text(comments: [String], schema: String?, titles: [String: String]) -> PlanText {
        var writer = Writer()
        if let schema { writer.add("# yaml-language-server: $schema=\(schema)") }
        for comment in comments {
            for line in comment.split(separator: "\n", omittingEmptySubsequences: false) {
                writer.add(line.hasPrefix("#") ? String(line) : "# " + line)
            }
        }
        let inherits = protocolSlug != nil
        writer.add("patient: \(Self.quoted(patient ?? ""))                 # the patient's name: printed on the handout, never in a file name or link", "patient")
        writer.add(therapist.map { "therapist: \(Self.quoted($0))   # printed on the handout" }
                   ?? "# therapist: Your Name, PT    # printed on the handout", therapist == nil ? "" : "therapist")
        if let start {
            writer.add("start: \(Self.scalar(start, .date))            # first day of the plan (YYYY-MM-DD); the calendar begins in this week", "start")
        }
        if let weeks {
            writer.add("weeks: \(Self.scalar(weeks, .number))                     # how many weeks the calendar covers", "weeks")
        }
        if let condition {
            writer.add("condition: \(Self.quoted(condition))   # shown in the clinic index", "condition")
        }
        if let protocolSlug {
            writer.add("protocol: \(Self.scalar(protocolSlug, .name))   # fields below replace the protocol's; delete one to use the protocol's", "protocol")
        }
        // The patient's paper: its language, print size, safety pages and pain rule.
        if let language {
            writer.add("language: \(Self.scalar(language, .name))                  # the language of the handout, calendar and .ics", "language")
        }
        if let largePrint {
            writer.add("large_print: \(largePrint)             # 18-point text, a calendar page a week", "large_print")
        }
        if let includePages {
            writer.add("include_pages: \(Self.list(includePages, .name))   # pages for the handout's safety box", "include_pages")
        }
        if let painRule {
            writer.add("pain_rule: \(Self.scalar(painRule, .name))   # the page whose summary prints beside the pain log", "pain_rule")
        }
        writeWeeksOff(into: &writer)
        writeExercises(into: &writer, inherits: inherits, titles: titles)
        writePrograms(into: &writer, inherits: inherits)
        if let cross = crossTraining {
            writer.add("cross_training:               # default days: days with no progression session", "cross_training")
            writer.add("  activities: [\(cross.activities.map(Self.quoted).joined(separator: ", "))]", "cross_training.activities")
            if let days = cross.days { writer.add("  days: \(Self.list(days, .name))", "cross_training.days") }
            if let note = cross.note { writer.add("  note: \(Self.quoted(note))", "cross_training.note") }
        }
        if education == nil, inherits {
            writer.add("# education: the protocol's pages; write education: [...] to choose this patient's own")
        } else {
            writer.add("education: \(Self.list(education ?? [], .name))   # education pages, by file name", "education")
        }
        writeNotes(into: &writer)
        return PlanText(text: writer.lines.joined(separator: "\n") + "\n", fields: writer.fields)
    }

    private func writeExercises(into writer: inout Writer, inherits: Bool, titles: [String: String]) {
        if exercises == nil, inherits {
            writer.add("# exercises: the protocol's; write exercises: to choose this patient's own")
            return
        }
        let entries = exercises ?? []
        if entries.isEmpty, inherits {
            writer.add("exercises: []                 # none for this patient (the protocol's are not used)", "exercises")
            return
        }
        writer.add("exercises:                    # any of reps, sets, hold, daily, weekly overrides the exercise's default;", "exercises")
        writer.add("                              # also days: [mon, wed, fri], sides: each, note: ..., changes: [{ week: 3, sets: 3 }]", "exercises")
        if entries.isEmpty {
            writer.add("  # - exercise: " + (titles.keys.sorted().first ?? "exercise-file-name"))
        }
        for (n, entry) in entries.enumerated() {
            let field = "exercises.\(n)"
            writer.add("  - exercise: \(Self.scalar(entry.exercise, .name))" + (titles[entry.exercise].map { "   # " + Self.oneLine($0) } ?? ""), field)
            for (key, value) in entry.doseText {
                writer.add("    \(key): \(value)", "\(field).\(key)")
            }
            if let days = entry.days { writer.add("    days: \(Self.list(days, .name))", "\(field).days") }
            if let sides = entry.sides { writer.add("    sides: \(Self.scalar(sides, .name))", "\(field).sides") }
            if let note = entry.note { writer.add("    note: \(Self.quoted(note))", "\(field).note") }
            guard let changes = entry.changes, !changes.isEmpty else { continue }
            writer.add("    changes:", "\(field).changes")
            for (m, change) in changes.enumerated() {
                let parts = [("week", Self.scalar(change.week, .number))] + change.doseText
                    + (change.days.map { [("days", Self.list($0, .name))] } ?? [])
                writer.add("      - { \(parts.map { "\($0): \($1)" }.joined(separator: ", ")) }", "\(field).changes.\(m)")
            }
        }
    }

    private func writePrograms(into writer: inout Writer, inherits: Bool) {
        if progressions == nil, inherits {
            writer.add("# progressions: the protocol's; write progressions: to choose this patient's own")
            return
        }
        let programs = progressions ?? []
        if programs.isEmpty, inherits {
            writer.add("progressions: []              # none for this patient (the protocol's are not used)", "progressions")
            return
        }
        let header = "progressions:                 # add start: YYYY-MM-DD (e.g. when cleared to run) and days: [mon, wed, fri]"
        writer.add(programs.isEmpty ? "# " + header : header, programs.isEmpty ? "" : "progressions")
        for (n, program) in programs.enumerated() {
            writer.add("  - progression: \(Self.scalar(program.progression, .name))", "progressions.\(n)")
            if let start = program.start { writer.add("    start: \(Self.scalar(start, .date))", "progressions.\(n).start") }
            if let days = program.days { writer.add("    days: \(Self.list(days, .name))", "progressions.\(n).days") }
        }
    }

    /// Pauses, the day the plan ended and the phone's reminder: this patient's only.
    private func writeWeeksOff(into writer: inout Writer) {
        if let pauses, !pauses.isEmpty {
            writer.add("pauses:                       # days off (ill, away): nothing due; programs take up where they were", "pauses")
            for (n, pause) in pauses.enumerated() {
                let parts = [("from", pause.from.map { Self.scalar($0, .date) }), ("to", pause.to.map { Self.scalar($0, .date) }),
                             ("note", pause.note.map(Self.quoted))].compactMap { key, value in value.map { "\(key): \($0)" } }
                writer.add("  - { \(parts.joined(separator: ", ")) }", "pauses.\(n)")
            }
        }
        if let ended {
            writer.add("ended: \(Self.scalar(ended, .date))            # discharged early: nothing is due after this day", "ended")
        }
        if let reminders {
            writer.add(reminders == "none" ? "reminders: none               # no reminder on the patient's phone"
                       : "reminders: { time: \(Self.quoted(reminders)) }   # the phone reminds the patient at this time on each day", "reminders")
        }
    }

    private func writeNotes(into writer: inout Writer) {
        let text = (notes ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        guard !text.isEmpty else {
            writer.add("# notes: |                    # your notes for the patient (Markdown)")
            return
        }
        // A block scalar's text ends with a line end; it is not another line. A first line
        // that starts with a space needs the indentation said, or YAML takes it as the margin.
        let body = text.hasSuffix("\n") ? text.dropLast() : Substring(text)
        let indicator = body.hasPrefix(" ") ? "|2" : "| "
        writer.add("notes: \(indicator)                     # your notes for the patient (Markdown)", "notes")
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            writer.add(line.isEmpty ? "" : "  " + line, "notes")
        }
    }

    private struct Writer {
        var lines: [String] = []
        var fields: [String] = []

        mutating func add(_ line: String, _ field: String = "") {
            lines.append(line)
            fields.append(field)
        }
    }

    enum Kind { case number, date, name }

    /// A value written plain when it is plainly what its field takes, else as quoted text
    /// (which the checker then reports in its own words): no value can change the YAML around it.
    static func scalar(_ value: String, _ kind: Kind) -> String {
        let plain: Bool
        switch kind {
        case .number: plain = value.wholeMatch(of: /-?[0-9]{1,18}/) != nil
        case .date: plain = value.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}/) != nil
        case .name: plain = value.wholeMatch(of: /[a-z0-9][a-z0-9-]*/) != nil && value != "null"
        }
        return plain ? value : quoted(value)
    }

    static func list(_ values: [String], _ kind: Kind) -> String {
        "[" + values.map { scalar($0, kind) }.joined(separator: ", ") + "]"
    }

    /// A comment holds one line.
    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
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
