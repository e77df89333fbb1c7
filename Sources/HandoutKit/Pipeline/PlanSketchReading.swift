import Foundation
import Yams

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
    static func scalar(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node else { return nil }
        if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return nil }
        return scalar.string
    }

    private static func strings(_ node: Node) -> [String]? {
        node.sequence.map { $0.compactMap(scalar) }
    }
}
