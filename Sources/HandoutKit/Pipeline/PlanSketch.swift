import Foundation
import Yams

/// A plan as a form holds it: every value as the therapist typed it, and nil where the plan
/// does not write the field (its protocol's, or the site's, applies). `handout new` and the plan
/// editor of `handout serve` both write plan files through `text`, so a plan reads the same
/// whoever wrote it. What a value means is judged by the plan reader and checker, never here:
/// a value that is not what its field takes is written so the checker can say what is wrong.
public struct PlanSketch: Codable, Sendable, Equatable {
    public var patient: String?
    public var therapist: String?
    public var start: String?
    public var weeks: String?
    public var condition: String?
    public var protocolSlug: String?
    public var language: String?
    public var largePrint: Bool?
    public var includePages: [String]?
    public var painRule: String?
    public var exercises: [Exercise]?
    public var progressions: [Program]?
    public var crossTraining: CrossTraining?
    public var education: [String]?
    public var notes: String?
    public var pauses: [PauseEntry]?
    public var ended: String?
    /// The time of day (`08:00`), or `none`.
    public var reminders: String?

    enum CodingKeys: String, CodingKey {
        case patient, therapist, start, weeks, condition, protocolSlug = "protocol", language, largePrint = "large_print",
             includePages = "include_pages", painRule = "pain_rule", exercises, progressions,
             crossTraining = "cross_training", education, notes, pauses, ended, reminders
    }

    public init() {}

    public struct Exercise: Codable, Sendable, Equatable {
        public var exercise: String
        public var reps: String?
        public var sets: String?
        public var hold: String?
        public var daily: String?
        public var weekly: String?
        public var days: [String]?
        public var sides: String?
        public var note: String?
        public var changes: [Change]?

        public init(exercise: String) { self.exercise = exercise }
    }

    /// `{ week: 3, sets: 3 }`: a dose or days from that week on.
    public struct Change: Codable, Sendable, Equatable {
        public var week: String
        public var reps: String?
        public var sets: String?
        public var hold: String?
        public var daily: String?
        public var weekly: String?
        public var days: [String]?

        public init(week: String) { self.week = week }
    }

    public struct Program: Codable, Sendable, Equatable {
        public var progression: String
        public var start: String?
        public var days: [String]?

        public init(progression: String) { self.progression = progression }
    }

    public struct CrossTraining: Codable, Sendable, Equatable {
        public var activities: [String]
        public var days: [String]?
        public var note: String?

        public init(activities: [String]) { self.activities = activities }
    }

    /// `{ from: 2026-12-21, to: 2026-12-27, note: Flu }`.
    public struct PauseEntry: Codable, Sendable, Equatable {
        public var from: String?
        public var to: String?
        public var note: String?

        public init(from: String?, to: String?, note: String? = nil) {
            self.from = from
            self.to = to
            self.note = note
        }
    }
}

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
    /// What a plan's fields hold, as `handout new` writes them (its protocol's choices, or a
    /// copied plan's, filled in).
    init(fields: PlanFields, protocolSlug: String?, start: Day) {
        func codes(_ days: [Weekday]?) -> [String]? { days.map { $0.map(\.code) } }
        self.init()
        patient = ""
        therapist = fields.therapist
        self.start = start.iso
        weeks = String(fields.weeks ?? 6)
        condition = fields.condition
        self.protocolSlug = protocolSlug
        language = fields.language?.code
        largePrint = fields.largePrint
        includePages = fields.includePages?.map(\.slug)
        painRule = fields.painRule?.slug
        exercises = fields.exercises.map { entries in
            entries.map { planned in
                var entry = Exercise(exercise: planned.slug)
                entry.take(planned.dosage)
                entry.days = codes(planned.days)
                entry.sides = planned.sides?.rawValue
                entry.note = planned.note
                entry.changes = planned.changes.isEmpty ? nil : planned.changes.map { change in
                    var written = Change(week: String(change.week))
                    written.take(change.dosage)
                    written.days = codes(change.days)
                    return written
                }
                return entry
            }
        }
        progressions = fields.progressions.map { programs in
            programs.map { planned in
                var program = Program(progression: planned.slug)
                program.start = planned.start?.iso
                program.days = codes(planned.days)
                return program
            }
        }
        crossTraining = fields.crossTraining.map { cross in
            var written = CrossTraining(activities: cross.activities)
            written.days = codes(cross.days)
            written.note = cross.note
            return written
        }
        education = fields.education?.map(\.slug)
        notes = fields.notes.map(\.text)
    }

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

extension PlanSketch {
    /// The values a plan file writes, as written; nil when the text is not a YAML mapping.
    /// Values of the wrong shape (a list where text belongs) are left out: the checker
    /// reports them at their lines in the file.
    public static func read(_ text: String) -> PlanSketch? {
        let source = YAMLSource(path: "", lineOffset: 0, diagnostics: Diagnostics())
        guard let root = source.parse(text, whenEmpty: ""), case .mapping(let mapping) = root.node else { return nil }
        var sketch = PlanSketch()
        for (key, value) in mapping {
            switch key.scalar?.string {
            case "patient": sketch.patient = scalar(value)
            case "therapist": sketch.therapist = scalar(value)
            case "start": sketch.start = scalar(value)
            case "weeks": sketch.weeks = scalar(value)
            case "condition": sketch.condition = scalar(value)
            case "protocol": sketch.protocolSlug = scalar(value)
            case "language": sketch.language = scalar(value)
            case "large_print": sketch.largePrint = scalar(value).flatMap { ["true": true, "false": false][$0.lowercased()] }
            case "include_pages": sketch.includePages = strings(value)
            case "pain_rule": sketch.painRule = scalar(value)
            case "exercises": sketch.exercises = value.sequence.map { $0.compactMap(exercise) }
            case "progressions": sketch.progressions = value.sequence.map { $0.compactMap(program) }
            case "cross_training":
                if let map = value.mapping, let activities = map["activities"].flatMap(strings) {
                    var cross = CrossTraining(activities: activities)
                    cross.days = map["days"].flatMap(strings)
                    cross.note = map["note"].flatMap(scalar)
                    sketch.crossTraining = cross
                }
            case "education": sketch.education = strings(value)
            case "notes": sketch.notes = scalar(value)
            case "pauses":
                sketch.pauses = value.sequence.map { items in
                    items.compactMap { item in
                        item.mapping.map { PauseEntry(from: $0["from"].flatMap(scalar), to: $0["to"].flatMap(scalar), note: $0["note"].flatMap(scalar)) }
                    }
                }
            case "ended": sketch.ended = scalar(value)
            case "reminders": sketch.reminders = value.mapping.map { $0["time"].flatMap(scalar) ?? "" } ?? scalar(value)
            default: break
            }
        }
        return sketch
    }

    private static func exercise(_ node: Node) -> Exercise? {
        guard let map = node.mapping, let slug = map["exercise"].flatMap(scalar) else { return nil }
        var entry = Exercise(exercise: slug)
        entry.take(map)
        entry.days = map["days"].flatMap(strings)
        entry.sides = map["sides"].flatMap(scalar)
        entry.note = map["note"].flatMap(scalar)
        entry.changes = map["changes"]?.sequence.map { items in
            items.compactMap { item -> Change? in
                guard let change = item.mapping, let week = change["week"].flatMap(scalar) else { return nil }
                var written = Change(week: week)
                written.take(change)
                written.days = change["days"].flatMap(strings)
                return written
            }
        }
        return entry
    }

    private static func program(_ node: Node) -> Program? {
        guard let map = node.mapping, let slug = map["progression"].flatMap(scalar) else { return nil }
        var program = Program(progression: slug)
        program.start = map["start"].flatMap(scalar)
        program.days = map["days"].flatMap(strings)
        return program
    }

    /// A scalar's text; nil for a list, a mapping or an empty value.
    fileprivate static func scalar(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node else { return nil }
        if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return nil }
        return scalar.string
    }

    private static func strings(_ node: Node) -> [String]? {
        node.sequence.map { $0.compactMap(scalar) }
    }
}

/// The dose fields an exercise entry and a change both write, as typed.
protocol SketchedDose {
    var reps: String? { get set }
    var sets: String? { get set }
    var hold: String? { get set }
    var daily: String? { get set }
    var weekly: String? { get set }
}

extension PlanSketch.Exercise: SketchedDose {}
extension PlanSketch.Change: SketchedDose {}

extension SketchedDose {
    mutating func take(_ dosage: Dosage) {
        (reps, sets, hold) = (dosage.reps.map(String.init), dosage.sets.map(String.init), dosage.hold?.text)
        (daily, weekly) = (dosage.daily.map(String.init), dosage.weekly.map(String.init))
    }

    mutating func take(_ map: Node.Mapping) {
        func value(_ key: String) -> String? { map[Node(stringLiteral: key)].flatMap(PlanSketch.scalar) }
        (reps, sets, hold, daily, weekly) = (value("reps"), value("sets"), value("hold"), value("daily"), value("weekly"))
    }

    /// The fields that are set, in the order plans write them, as the file writes them.
    var doseText: [(String, String)] {
        [("reps", reps.map { PlanSketch.scalar($0, .number) }), ("sets", sets.map { PlanSketch.scalar($0, .number) }),
         ("hold", hold.map(PlanSketch.quoted)), ("daily", daily.map { PlanSketch.scalar($0, .number) }),
         ("weekly", weekly.map { PlanSketch.scalar($0, .number) })].compactMap { key, value in value.map { (key, $0) } }
    }
}
