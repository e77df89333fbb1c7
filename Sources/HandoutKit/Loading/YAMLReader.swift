import Yams

/// One YAML document with what is needed to point diagnostics at its file.
struct YAMLSource {
    var path: String
    /// Lines before the YAML inside its file (front matter of a Markdown file).
    var lineOffset: Int
    var diagnostics: Diagnostics
    /// The YAML text, set by `parse`, for positions inside block values (`TextPlace`).
    var text = ""
    /// Line → column (1-based, in the YAML text) of a ' #' that starts a comment glued to
    /// what comes before it, like `note: Use band #3`: likely meant as text.
    var gluedComments: [Int: Int] = [:]
    /// Whose file this is, for every problem reported in it.
    var owner: Diagnostic.Owner = .site

    /// Without a mark (an empty document), the start of the file.
    func location(_ mark: Mark?) -> SourceLocation {
        guard let mark else { return SourceLocation(path: path, line: 1, column: 1, owner: owner) }
        return SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column, owner: owner)
    }

    /// Parses `text`; a document with nothing in it is reported with `whenEmpty`. A common
    /// syntax slip is reported in plain words and mended, and parsing goes on, so the file's
    /// other mistakes come in the same run; anything else is reported in the parser's words.
    func parse(_ text: String, whenEmpty: String) -> YAMLNode? {
        let findings = TextRules.findings(inFile: text)
        for finding in findings {
            diagnostics.error(TextRules.problem(finding.scalar, in: "text"),
                              at: SourceLocation(path: path, line: finding.line + lineOffset, column: finding.column, owner: owner))
        }
        if !findings.isEmpty { return nil }
        if let finding = YAMLScan.problem(in: text) {
            let (line, column) = switch finding {
            case let .aliases(line, column, _), let .tooDeep(line, column): (line, column)
            }
            diagnostics.error(YAMLScan.message(finding), at: SourceLocation(path: path, line: line + lineOffset, column: column, owner: owner))
            return nil
        }
        var text = text
        var explained = Set<Int>()
        // Each mend fixes one line; the limit only guards against a mend that fixes nothing.
        for _ in 0..<50 {
            do {
                // Scalars are read from their text by this reader, so Yams need not resolve tags;
                // the encoding is given because Yams' default reads the whole environment each time.
                guard let node = try Yams.compose(yaml: text, .basic, .default, .utf8) else {
                    diagnostics.error(whenEmpty, at: location(nil))
                    return nil
                }
                if TextRules.mayEscape(text) { checkCharacters(node, name: "value") }
                var source = self
                source.text = text
                source.gluedComments = Self.gluedComments(in: text)
                return YAMLNode(node: node, source: source, name: nil)
            } catch let error as YamlError {
                guard let mistake = YAMLMistakes.explain(error, in: text) else {
                    // After a mend that did not take, the line is already reported in plain words.
                    if !explained.contains(error.line) { report(error, in: text) }
                    return nil
                }
                explained.insert(mistake.line)
                diagnostics.error(mistake.message, at: SourceLocation(path: path, line: mistake.line + lineOffset, column: mistake.column, owner: owner))
                guard let mended = mistake.mended, mended != text else { return nil }
                text = mended
            } catch {
                diagnostics.error("cannot read YAML: \(error)", at: location(nil))
                return nil
            }
        }
        return nil
    }

    /// Escapes ("\0", "\e") put characters into values that the file itself cannot hold:
    /// every key and value is checked, each reported at its own position.
    private func checkCharacters(_ node: Node, name: String) {
        switch node {
        case .scalar(let scalar):
            if let forbidden = TextRules.firstForbidden(inValue: scalar.string) {
                diagnostics.error(TextRules.problem(forbidden, in: name), at: location(scalar.mark))
            }
        case .mapping(let mapping):
            for (key, value) in mapping {
                checkCharacters(key, name: "a key")
                checkCharacters(value, name: key.scalar?.string ?? name)
            }
        case .sequence(let sequence):
            for item in sequence { checkCharacters(item, name: name) }
        case .alias:
            break
        }
    }

    private func report(_ error: YamlError, in text: String) {
        switch error {
        case let .parser(_, problem, mark, _) where problem.contains("nest"):
            // libyaml's limit, deeper than `YAMLScan` allows: said in the same words.
            diagnostics.error(YAMLScan.message(.tooDeep(line: mark.line, column: mark.column)), at: location(mark))
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "invalid YAML: \(problem)"
            if let context {
                let where_ = context.mark.line == mark.line ? "" : " (line \(context.mark.line + lineOffset))"
                message += " \(context.text)\(where_)"
            }
            diagnostics.error(message, at: location(mark))
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            let second = duplicates.first.flatMap { Self.repetition(of: $0, after: context.mark, in: text) }
            diagnostics.error("duplicate key \(keys); write each key once",
                              at: second.map { SourceLocation(path: path, line: $0.line + lineOffset, column: $0.column, owner: owner) }
                                  ?? location(context.mark))
        case let .reader(problem, offset, _, _):
            let (line, column) = SourceLocation.position(ofScalar: offset ?? 0, in: text)
            diagnostics.error("cannot read YAML: \(problem)",
                              at: SourceLocation(path: path, line: line + lineOffset, column: column, owner: owner))
        default:
            diagnostics.error("invalid YAML: \(error)", at: location(nil))
        }
    }
}

extension YAMLSource {
    /// Every ' #' followed by a letter or digit (`#3`, `#ext`): YAML starts a comment there,
    /// while a person writing "band #3" meant text. Comments written as `# note` are left be.
    static func gluedComments(in text: String) -> [Int: Int] {
        // On bytes, as every plan is read on every full build; a column counts characters'
        // first bytes, as Yams counts scalars.
        var found: [Int: Int] = [:]
        var line = 1, column = 1
        var previous: UInt8 = 0, hashColumn: Int?
        for byte in text.utf8 {
            if let hash = hashColumn, found[line] == nil,
               (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                found[line] = hash
            }
            hashColumn = byte == UInt8(ascii: "#") && previous == UInt8(ascii: " ") ? column : nil
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
            previous = byte
        }
        return found
    }

    /// Where `key`, first written at `first`, is written again in the same mapping (line and
    /// column, 1-based): the second time is the mistake. Block style: a later line at the
    /// same indentation before the mapping ends; flow style: later on the same line.
    static func repetition(of key: String, after first: Mark, in text: String) -> (line: Int, column: Int)? {
        // Split on scalars: as a Character, "\r\n" would not split at "\n".
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { Array($0.last == "\r" ? $0.dropLast() : $0) }
        let word = Array(key.unicodeScalars)
        guard !word.isEmpty, (1...lines.count).contains(first.line) else { return nil }
        /// `key` then optional spaces then ':' at `offset` (0-based) in `line`.
        func isKey(_ line: [Unicode.Scalar], at offset: Int) -> Bool {
            guard offset + word.count <= line.count, Array(line[offset..<offset + word.count]) == word else { return false }
            return line[(offset + word.count)...].first { $0 != " " } == ":"
        }
        let firstLine = lines[first.line - 1]
        var offset = first.column - 1 + word.count
        while offset < firstLine.count {
            let before = firstLine[..<offset].last { $0 != " " }
            if before == "," || before == "{", isKey(firstLine, at: offset) { return (first.line, offset + 1) }
            offset += 1
        }
        let indent = first.column - 1
        for number in first.line..<lines.count {
            let line = lines[number]
            let spaces = line.prefix { $0 == " " }.count
            if spaces == line.count || line[spaces] == "#" { continue }
            if spaces < indent { return nil }  // the mapping has ended
            if spaces == indent, isKey(line, at: indent) { return (number + 1, first.column) }
        }
        return nil
    }
}

private extension YamlError {
    /// The line the parser stopped at, 1-based.
    var line: Int {
        switch self {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): mark.line
        default: 0
        }
    }
}

/// A YAML node that knows its file position and its key, so every type error is positioned.
struct YAMLNode {
    var node: Node
    var source: YAMLSource
    /// The key this value sits under, for messages ("sets must be ...").
    var name: String?

    var location: SourceLocation { source.location(node.mark) }

    func error(_ message: String) {
        source.diagnostics.error(message, at: location)
    }

    func warning(_ message: String) {
        source.diagnostics.warning(message, at: location)
    }

    private var label: String { name ?? "value" }

    /// How the user wrote it, for "found ..." in messages.
    var found: String {
        switch node {
        case .scalar(let scalar):
            return quoted(scalar.string)
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    var isNull: Bool {
        if case .scalar(let scalar) = node {
            return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
        }
        return false
    }

    static let unknownKeysShown = 20

    /// A mapping whose keys must come from `keys`; unknown keys are reported with a suggestion.
    func mapping(keys: [String]) -> YAMLMapping? {
        guard case .mapping(let mapping) = node else {
            error("\(label) must be a mapping of \(keys.joined(separator: ", ")); found \(found)")
            return nil
        }
        var values: [String: YAMLNode] = [:]
        // A file that is not a plan at all (a copied log, a password file) would give one error
        // a line: a few say what is wrong, and the count says the rest.
        var unknown = 0
        for (keyNode, valueNode) in mapping {
            let key = YAMLNode(node: keyNode, source: source, name: "key")
            guard case .scalar(let scalar) = keyNode else {
                key.error("a key must be a plain word; found \(key.found)")
                continue
            }
            guard keys.contains(scalar.string) else {
                unknown += 1
                if unknown <= Self.unknownKeysShown {
                    let context = name.map { " in \($0)" } ?? ""
                    key.error("unknown key \(quoted(scalar.string))\(context)" + Suggestion.hint(for: scalar.string, in: keys, listUpTo: 12))
                } else if unknown == Self.unknownKeysShown + 1 {
                    let total = mapping.keys.filter { $0.scalar.map { !keys.contains($0.string) } ?? false }.count
                    key.error("\(total - Self.unknownKeysShown) more unknown keys from here on; is this the right file?")
                }
                continue
            }
            values[scalar.string] = YAMLNode(node: valueNode, source: source, name: scalar.string)
        }
        return YAMLMapping(node: self, values: values)
    }

    /// A mapping whose keys are open (a strings file), in file order.
    func entries() -> [(key: String, value: YAMLNode)]? {
        guard case .mapping(let mapping) = node else {
            error("\(label) must be a mapping of names to text, like 'rest: Rest'; found \(found)")
            return nil
        }
        var result: [(key: String, value: YAMLNode)] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                YAMLNode(node: keyNode, source: source, name: "key").error("a key must be a plain word; found a \(keyNode.mapping != nil ? "mapping" : "list")")
                continue
            }
            result.append((scalar.string, YAMLNode(node: valueNode, source: source, name: scalar.string)))
        }
        return result
    }

    /// Text of at most `limit` characters: longer is an error, since everything a file says
    /// is printed, some of it on every day of a calendar (`PlanLimits`).
    func text(atMost limit: Int = PlanLimits.longText) -> String? {
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
        // A plain text ending right before ' #3' lost the rest of its line to a comment.
        if scalar.style == .plain, let mark = node.mark, let hash = source.gluedComments[mark.line],
           mark.column + scalar.string.unicodeScalars.count + 1 == hash {
            warning("\(label) is only '\(scalar.string)': YAML reads ' #' and the rest of the line as a comment; if they belong to the text, put the whole text in quotes")
        }
        return scalar.string
    }

    /// Text that must not be empty.
    func nonEmptyText(atMost limit: Int = PlanLimits.longText) -> String? {
        guard let text = text(atMost: limit) else { return nil }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            error("\(label) must not be empty")
            return nil
        }
        return text
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
        guard let value = text() else { return nil }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hour = Int(parts[0]), let minute = Int(parts[1]) else {
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

/// Text from a file as a message quotes it: in quotes, at most 40 characters, line ends and
/// tabs written `\n` and `\t`, control characters shown as `<U+001B>`. A message names the
/// offending word on one line, never a whole line or file (a file linked or copied from
/// elsewhere could hold anything).
func quoted(_ text: String) -> String {
    let short = text.count > 40 ? String(text.prefix(40)) + "…" : text
    return "'" + TextRules.visible(short).replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "'"
}

struct YAMLMapping {
    var node: YAMLNode
    var values: [String: YAMLNode]

    /// The value, or nil when the key is absent or written with no value.
    subscript(key: String) -> YAMLNode? {
        guard let value = values[key], !value.isNull else { return nil }
        return value
    }

    func has(_ key: String) -> Bool { self[key] != nil }

    /// Reports a missing field at the mapping's own position.
    func required(_ key: String, hint: String = "") -> YAMLNode? {
        if let value = self[key] { return value }
        if let present = values[key] {
            present.error("\(key) needs a value\(hint)")
        } else {
            let owner = node.name.map { " in \($0)" } ?? ""
            node.error("missing required field '\(key)'\(owner)\(hint)")
        }
        return nil
    }
}

import Foundation
