import Foundation
import Yams

/// The values a file may hold, each read with its own checks and positioned messages.
extension YAMLNode {
    /// Text of at most `limit` characters: longer is an error, since everything a file says
    /// is printed, some of it on every day of a calendar (`PlanLimits`).
    /// With `oneLine`, a name or title: printed in one-line places (a header, a table row, an
    /// .ics summary, a terminal's list).
    func text(atMost limit: Int = PlanLimits.longText, oneLine: Bool = false) -> String? {
        guard case .scalar(let scalar) = node else {
            error("\(label) must be text; found \(found)")
            return nil
        }
        // Counted in bytes first: most text is far below any limit.
        if scalar.string.utf8.count > limit, scalar.string.count > limit {
            error("\(label) is \(scalar.string.count) characters long; it may be at most \(limit)"
                  + (limit == PlanLimits.shortText ? ", as it prints on every page or calendar day" : "; put longer text in an education page"))
            return nil
        }
        if oneLine, scalar.string.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars.contains("\n") {
            error("\(label) must be one line; found \(found)")
            return nil
        }
        // A plain text ending right before ' #3' lost the rest of its line to a comment.
        if scalar.style == .plain, let mark = node.mark, let hash = source.gluedComments[mark.line],
           mark.column + scalar.string.unicodeScalars.count + 1 == hash {
            warning("\(label) is only '\(scalar.string)': YAML reads ' #' and the rest of the line as a comment; if they belong to the text, put the whole text in quotes")
        }
        return scalar.string
    }

    /// Text that must not be empty; `hint` says what to write (", like …").
    func nonEmptyText(atMost limit: Int = PlanLimits.longText, oneLine: Bool = false, hint: String = "") -> String? {
        guard let text = text(atMost: limit, oneLine: oneLine) else { return nil }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            error("\(label) must not be empty" + (hint.isEmpty ? "" : "; " + hint))
            return nil
        }
        return text
    }

    /// A page's title: one line, not empty.
    func title() -> String? {
        nonEmptyText(atMost: PlanLimits.shortText, oneLine: true, hint: "write the title the page prints")
    }

    func integer(in range: ClosedRange<Int>, meaning: String = "a whole number") -> Int? {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string.trimmingCharacters(in: .whitespaces)) else {
            error("\(label) must be \(meaning) from \(range.lowerBound) to \(range.upperBound); found \(found)")
            return nil
        }
        guard range.contains(value) else {
            error("\(label) must be from \(range.lowerBound) to \(range.upperBound); found \(value)")
            return nil
        }
        return value
    }

    func bool() -> Bool? {
        if case .scalar(let scalar) = node {
            switch scalar.string.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: break
            }
        }
        error("\(label) must be true or false; found \(found)")
        return nil
    }

    func date() -> Day? {
        guard case .scalar(let scalar) = node, let day = Day(iso: scalar.string) else {
            if case .scalar(let scalar) = node, let reason = Day.impossibility(iso: scalar.string) {
                error("\(scalar.string) is not a real date: \(reason)")
            } else {
                error("\(label) must be a date written YYYY-MM-DD, like 2026-12-07; found \(found)")
            }
            return nil
        }
        guard Day.clinicYears.contains(day.components.year) else {
            error(Day.outOfRange(label, found: found))
            return nil
        }
        return day
    }

    /// A list; a single value where a list is expected is reported, not guessed at.
    func list() -> [YAMLNode]? {
        // `-exercise: bridge` reads as a mapping with the key '-exercise'.
        if case .mapping(let mapping) = node, let key = mapping.keys.first?.string, key.count > 1, key.hasPrefix("-") {
            let value = mapping.values.first?.string.map { " " + $0 } ?? ""
            YAMLNode(node: mapping.keys[0], source: source, name: nil)
                .error("put a space after '-' to start a list entry; write '- \(key.dropFirst()):\(value)'")
            return nil
        }
        guard case .sequence(let sequence) = node else {
            error("\(label) must be a list, like [a, b]; found \(found)")
            return nil
        }
        return sequence.map { YAMLNode(node: $0, source: source, name: name.map(Self.singular)) }
    }

    /// One of a fixed set of words.
    func choice(_ choices: [String]) -> String? {
        guard let value = text() else { return nil }
        guard choices.contains(value) else {
            error("\(label) must be one of \(choices.joined(separator: ", ")); found \(quoted(value))"
                  + (Suggestion.closest(to: value, in: choices).map { "; did you mean '\($0)'?" } ?? ""))
            return nil
        }
        return value
    }

    /// `each`, `left`, `right` or `none`.
    func sides() -> Sides? {
        choice(Sides.allCases.map(\.rawValue)).flatMap(Sides.init(rawValue:))
    }

    /// `reminders: { time: "08:00" }`, or `reminders: none` to have no reminder.
    func reminderSetting() -> ReminderSetting? {
        if case .scalar(let scalar) = node {
            guard scalar.string == "none" else {
                error("reminders must be { time: \"08:00\" } (the time of day a phone reminds the patient) or none; found \(found)")
                return nil
            }
            return ReminderSetting.none
        }
        guard let map = mapping(keys: ["time"]),
              let time = map.required("time", hint: ", the time of day written HH:MM, like 'time: \"08:00\"'")?.timeOfDay() else { return nil }
        return .at(time)
    }

    /// A time of day written `HH:MM` (24 hours), like `08:00` or `18:30`.
    func timeOfDay() -> ReminderTime? {
        let parts = node.scalar?.string.split(separator: ":", omittingEmptySubsequences: false) ?? []
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), let value = node.scalar?.string else {
            error("\(label) must be a time of day written HH:MM on the 24-hour clock, like \"08:00\" or \"18:30\"; found \(found)")
            return nil
        }
        guard let time = ReminderTime(hour: hour, minute: minute) else {
            error("\(value) is not a time of day: hours run from 00 to 23 and minutes from 00 to 59")
            return nil
        }
        return time
    }

    /// A BCP 47 language tag such as `es`, `es-US` or `zh-Hans`, lowercased: strings files
    /// and translations are named with lowercase tags.
    func languageTag() -> String? {
        guard let value = text() else { return nil }
        guard LanguageTag.isValid(value) else {
            error("\(label) must be a language code like en, es or zh-hans; found \(quoted(value))")
            return nil
        }
        return value.lowercased()
    }

    /// `key` (this node's key in a mapping by language, like `footer: { es: … }`) as a language tag.
    func languageTagOfKey(_ key: String) -> String? {
        guard LanguageTag.isValid(key) else {
            error("\(quoted(key)) is not a language code; write one text per language, like 'es: ¿Preguntas? Llámenos.'")
            return nil
        }
        return key.lowercased()
    }

    /// A slug or id: `[a-z0-9]` then `[a-z0-9-]`, at most 64 characters.
    func slug() -> String? {
        guard let value = text() else { return nil }
        guard Slug.isValid(value) else {
            error("\(label) \(quoted(value)) is not a valid name: use lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters")
            return nil
        }
        return value
    }

    func weekdays() -> [Weekday]? {
        guard let items = list() else { return nil }
        if items.count > 7 {
            error("\(label) lists \(items.count) days; a week has 7, so name each day once, like [mon, wed, fri]")
            return nil
        }
        var days: [Weekday] = []
        var failed = false
        for item in items {
            guard let text = item.text() else { failed = true; continue }
            guard let day = Weekday(code: text) else {
                // Compare with full names too, so 'wendesday' suggests 'wed'.
                let names = Weekday.allCases.map { $0.name.lowercased() }
                let suggestion = Suggestion.closest(to: text, in: names)
                    .flatMap { name in Weekday.allCases.first { $0.name.lowercased() == name }?.code }
                    ?? Suggestion.closest(to: text, in: Weekday.allCases.map(\.code))
                item.error("\(quoted(text)) is not a weekday" + (suggestion.map { "; did you mean '\($0)'?" }
                    ?? "; write mon, tue, wed, thu, fri, sat or sun"))
                failed = true
                continue
            }
            if days.contains(day) {
                item.error("\(quoted(text)) is listed twice")
                failed = true
            }
            days.append(day)
        }
        if items.isEmpty {
            error("\(label) must name at least one day, like [mon, wed, fri]")
            return nil
        }
        return failed ? nil : days.sorted()
    }

    private static func singular(_ word: String) -> String {
        switch word {
        case "exercises": "exercise entry"
        case "progressions": "progression entry"
        case "changes": "change"
        case "pauses": "pause"
        case "stages": "stage"
        case "days": "day"
        default: word
        }
    }
}
