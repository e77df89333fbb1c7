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

/// `walk 1 min`, `jog 0.1 mi`, `hold 30 s`.
public struct Segment: Hashable, Sendable {
    /// Every unit a segment can use, with what it means (for messages).
    static let unitMeanings = [("s", "seconds"), ("min", "minutes"), ("mi", "miles"), ("km", "kilometres"),
                               ("m", "metres"), ("reps", "repetitions")]
    public static let units = unitMeanings.map(\.0)

    public var activity: String
    public var amount: Amount
    public var unit: String

    /// `run 1 min`, as the file writes it, for messages.
    public var text: String { "\(activity) \(amount.text) \(unit)" }

    public enum Problem: Error, Equatable {
        case shape, activity(String), amount(String), unit(String)
    }

    public static func parse(_ text: String) -> Result<Segment, Problem> {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard words.count == 3 else { return .failure(.shape) }
        guard words[0].allSatisfy(\.isLetter) else { return .failure(.activity(words[0])) }
        guard let amount = Amount(text: words[1]), amount.thousandths > 0 else { return .failure(.amount(words[1])) }
        guard units.contains(words[2]) else { return .failure(.unit(words[2])) }
        return .success(Segment(activity: words[0].lowercased(), amount: amount, unit: words[2]))
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
    public var repeatCount: RepeatCount?
    public var note: String?
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
}
