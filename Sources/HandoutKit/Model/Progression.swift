import Foundation

/// A number as written (`1`, `0.5`), kept exact in thousandths so ladders add up.
public struct Amount: Hashable, Comparable, Sendable {
    public var thousandths: Int

    public init(thousandths: Int) { self.thousandths = thousandths }

    public init?(text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              !parts[0].isEmpty, parts[0].count <= 6 else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= 3, parts.count == 1 || !fraction.isEmpty else { return nil }
        let padded = fraction + String(repeating: "0", count: 3 - fraction.count)
        thousandths = Int(parts[0])! * 1000 + Int(padded)!
    }

    public var text: String {
        let whole = thousandths / 1000, rest = thousandths % 1000
        guard rest != 0 else { return "\(whole)" }
        var fraction = String(rest)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction)"
    }

    public static func < (a: Amount, b: Amount) -> Bool { a.thousandths < b.thousandths }
}

/// `walk 1 min`, `jog 0.1 mi`, `hold 30 s`, `step-up 6 in`, `lift 5 lb`, `climb 2 floors`, `cycle 4 level`.
public struct Segment: Hashable, Sendable {
    /// Every unit a segment can use, with what it means (for messages).
    static let unitMeanings = [("s", "seconds"), ("min", "minutes"), ("mi", "miles"), ("km", "kilometres"),
                               ("m", "metres"), ("reps", "repetitions"),
                               ("in", "inches"), ("cm", "centimetres"), ("kg", "kilograms"), ("lb", "pounds"),
                               ("steps", "stair steps"), ("floors", "floors of stairs"),
                               ("level", "a machine's or program's level")]
    public static let units = unitMeanings.map(\.0)
    /// Activities that make a program a running program, for the words "days without a running session".
    static let running: Set<String> = ["run", "jog"]

    public var activity: String
    public var amount: Amount
    public var unit: String

    /// `run 1 min`, as the file writes it, for messages.
    public var text: String { "\(activity) \(amount.text) \(unit)" }

    /// A level is read before its number, as a setting's is: "Cycle at level 4", not "Cycle 4 level".
    var isLevel: Bool { unit == "level" }

    public enum Problem: Error, Equatable {
        case shape, activity(String), amount(String), unit(String)
    }

    public static func parse(_ text: String) -> Result<Segment, Problem> {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard words.count == 3 else { return .failure(.shape) }
        guard isActivity(words[0]) else { return .failure(.activity(words[0])) }
        guard let amount = Amount(text: words[1]), amount.thousandths > 0 else { return .failure(.amount(words[1])) }
        guard units.contains(words[2]) else { return .failure(.unit(words[2])) }
        return .success(Segment(activity: words[0].lowercased(), amount: amount, unit: words[2]))
    }

    /// Letters, with hyphens inside: `walk`, `step-up`.
    static func isActivity(_ word: String) -> Bool {
        word.split(separator: "-", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isLetter) }
    }

    /// What changes when the amount does, for "one variable at a time".
    public var measure: String {
        switch unit {
        case "s", "min": "time"
        case "mi", "km", "m": "distance"
        case "in", "cm": "height"
        case "kg", "lb": "weight"
        default: unit
        }
    }

    /// `Run 1 min`, in English, for messages; pages word it with `Words.stage`.
    public var display: String {
        let activity = activity.prefix(1).uppercased() + activity.dropFirst()
        return isLevel ? "\(activity) at level \(amount.text)" : "\(activity) \(amount.text) \(unit)"
    }
}

/// A named setting of a stage that is not an amount: `band red`, `incline 2%`, `level 4`,
/// `surface grass`, `support one hand`, `stance feet together`.
public struct Setting: Hashable, Sendable {
    /// Settings whose value is a number: the number, then what follows it (`%` for incline).
    static let numeric: [String: String] = ["level": "", "incline": "%"]
    /// Settings whose value is words (a band's colour is one word).
    static let worded: [String: Int] = ["band": 1, "surface": 4, "support": 4, "stance": 4]
    public static var names: [String] { (Array(numeric.keys) + Array(worded.keys)).sorted() }

    public var name: String
    public var value: String

    public enum Problem: Error, Equatable {
        case notASetting, value(String)
    }

    /// `.notASetting` when the first word is not a setting's name, so the text may be a segment.
    public static func parse(_ text: String) -> Result<Setting, Problem> {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let name = words.first?.lowercased(), names.contains(name) else { return .failure(.notASetting) }
        let value = words.dropFirst()
        if let suffix = numeric[name] {
            let number = value.first.map { $0.hasSuffix(suffix) ? String($0.dropLast(suffix.count)) : "" } ?? ""
            guard value.count == 1, let amount = Amount(text: number) else { return .failure(.value(name)) }
            return .success(Setting(name: name, value: amount.text + suffix))
        }
        guard (1...worded[name]!).contains(value.count), value.allSatisfy(Segment.isActivity) else { return .failure(.value(name)) }
        return .success(Setting(name: name, value: value.joined(separator: " ").lowercased()))
    }

    /// `band red`
    public var text: String { "\(name) \(value)" }

    /// In English, for messages (pages use `Words.setting`): `red band`, `incline 2%`, `level 4`, `surface: grass`.
    public var display: String {
        if name == "band" { return "\(value) band" }
        return Self.numeric[name] != nil ? "\(name) \(value)" : "\(name): \(value)"
    }
}

/// `repeat: 3` or `repeat: 3-5`.
public struct RepeatCount: Hashable, Sendable {
    public var low: Int
    public var high: Int

    public var text: String { low == high ? "\(low)" : "\(low)–\(high)" }
}

public struct Stage: Hashable, Sendable {
    public var segments: [Segment]
    public var settings: [Setting] = []
    public var repeatCount: RepeatCount?
    public var note: String?

    /// `Walk 1 min / Run 3 min × 3–5`, `Cycle 30 min, level 4`
    public var text: String {
        ([segments.map(\.display).joined(separator: " / ") + (repeatCount.map { " × \($0.text)" } ?? "")]
            + settings.map(\.display)).filter { !$0.isEmpty }.joined(separator: ", ")
    }

    /// The longest note a calendar cell prints; longer notes are cut at a word.
    public static let calendarNoteLength = 40

    /// The note as a calendar cell prints it.
    public var calendarNote: String? {
        guard let note, note.contains(where: { !$0.isWhitespace }) else { return nil }
        let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count > Self.calendarNoteLength else { return trimmed }
        var cut = trimmed.prefix(Self.calendarNoteLength)
        if let space = cut.lastIndex(of: " ") { cut = cut[..<space] }
        while let last = cut.last, last.isPunctuation || last.isWhitespace { cut.removeLast() }
        return cut + "…"
    }

    /// Everything a calendar cell prints for this stage, so stages can be told apart on paper.
    public var calendarText: String { text + (calendarNote.map { " – " + $0 } ?? "") }
}

/// How long a stage lasts before the patient may move on.
public enum AdvanceInterval: Hashable, Sendable {
    /// `N days` or `N-M days`; only N is scheduled, M is printed.
    case days(Int, upTo: Int?)
    case sessions(Int)
    case weeks(Int)

    /// "every 2–3 days", as `handout list progressions` shows it; pages use `Words.advance`.
    public var text: String {
        switch self {
        case let .days(n, m?): "every \(n)–\(m) days"
        case let .days(n, nil): n == 1 ? "every day" : "every \(n) days"
        case let .sessions(n): n == 1 ? "every session" : "every \(n) sessions"
        case let .weeks(n): n == 1 ? "every week" : "every \(n) weeks"
        }
    }
}

public struct AdvanceRule: Hashable, Sendable {
    public var every: AdvanceInterval
    /// No more than this many advances in any 7 days.
    public var atMostPerWeek: Int?
    public var condition: String?
    public var otherwise: String?
}

/// On which days sessions fall when a plan does not say.
public enum SessionDays: Hashable, Sendable {
    case weekdays([Weekday])
    /// Every other day from the progression's start (`back_to_back: false` with 4 a week).
    case everyOtherDay
}

/// How a progression's usual days are described on paper.
public enum UsualDays: Hashable, Sendable {
    case days([Weekday])
    case perWeek(Int, neverBackToBack: Bool)
    case everyOtherDay
}

public struct Progression: Sendable {
    public var slug: String
    public var path: String
    public var title: String
    public var sessionDays: SessionDays
    /// "3 times a week", for the paper.
    public var usualDays: UsualDays
    public var advance: AdvanceRule
    /// Ladders already expanded.
    public var stages: [Stage]
    public var then: String?
    public var body: [MarkdownPlacement: RenderedMarkdown]
    /// In a translation: the original's worded setting values (`one hand`) it does not
    /// translate, which would print in the original's language.
    public var untranslatedSettings: [String] = []
}
