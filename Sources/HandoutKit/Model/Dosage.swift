/// How long a hold lasts: `30 s`, `1 min`.
public struct HoldTime: Hashable, Sendable {
    public var seconds: Int

    public init(seconds: Int) { self.seconds = seconds }

    /// Accepts `30 s`, `30 sec`, `30 seconds`, `1 min`, `2 minutes`, `1.5 min`, `1 min 30 s`
    /// (as the handout prints it), or a bare number of seconds: a whole number of seconds in all.
    public init?(text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces).lowercased())
        var parts: [(value: Double, unit: Substring)] = []
        while !rest.isEmpty {
            let number = rest.prefix { ($0.isASCII && $0.isNumber) || $0 == "." }
            guard number.first?.isNumber == true, number.last?.isNumber == true, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count).drop { $0 == " " }
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count).drop { $0 == " " }
            parts.append((value, unit))
        }
        let total: Double
        switch parts.count {
        case 1 where parts[0].unit.isEmpty || Self.secondWords.contains(String(parts[0].unit)):
            guard parts[0].value == parts[0].value.rounded() else { return nil }
            total = parts[0].value
        case 1 where Self.minuteWords.contains(String(parts[0].unit)):
            total = parts[0].value * 60
        case 2 where Self.minuteWords.contains(String(parts[0].unit)) && Self.secondWords.contains(String(parts[1].unit)):
            guard parts.allSatisfy({ $0.value == $0.value.rounded() }), parts[1].value < 60 else { return nil }
            total = parts[0].value * 60 + parts[1].value
        default:
            return nil
        }
        guard total == total.rounded(), total >= 1, total <= 3600 else { return nil }
        seconds = Int(total)
    }

    static let secondWords = ["s", "sec", "secs", "second", "seconds"]
    static let minuteWords = ["min", "mins", "minute", "minutes"]
    static var unitWords: [String] { secondWords + minuteWords }

    /// "30 s", "1 min", "1 min 30 s", as plans write it.
    public var text: String {
        if seconds < 60 { return "\(seconds) s" }
        let rest = seconds % 60
        return "\(seconds / 60) min" + (rest > 0 ? " \(rest) s" : "")
    }
}

/// An exercise's dose. Every field is optional so a plan can override just one of them.
public struct Dosage: Hashable, Sendable {
    public var reps: Int?
    public var sets: Int?
    public var hold: HoldTime?
    /// Times per day.
    public var daily: Int?
    /// Days per week (1–7).
    public var weekly: Int?

    public init(reps: Int? = nil, sets: Int? = nil, hold: HoldTime? = nil, daily: Int? = nil, weekly: Int? = nil) {
        self.reps = reps
        self.sets = sets
        self.hold = hold
        self.daily = daily
        self.weekly = weekly
    }

    public static let fieldNames = ["reps", "sets", "hold", "daily", "weekly"]

    /// The numbers each counted field may take; the reader and the plan schema both use them.
    static let repsRange = 1...1000, setsRange = 1...100, dailyRange = 1...24, weeklyRange = 1...7

    /// Fields set in `other` win.
    public func overridden(by other: Dosage) -> Dosage {
        Dosage(reps: other.reps ?? reps, sets: other.sets ?? sets, hold: other.hold ?? hold,
               daily: other.daily ?? daily, weekly: other.weekly ?? weekly)
    }

    /// Names of the fields that differ between two doses ("one variable at a time").
    public func changedFields(from other: Dosage) -> [String] {
        var changed: [String] = []
        if reps != other.reps { changed.append("reps") }
        if sets != other.sets { changed.append("sets") }
        if hold != other.hold { changed.append("hold") }
        if daily != other.daily { changed.append("daily") }
        if weekly != other.weekly { changed.append("weekly") }
        return changed
    }

    public var isEmpty: Bool { self == Dosage() }

    /// `REPS: 10 | SETS: 3 | HOLD: 30 s | DAILY: 1 | WEEKLY: 3`, as `handout list exercises`
    /// shows it; pages use `Words.dosageLine` in the patient's language.
    public var line: String {
        var parts: [String] = []
        if let reps { parts.append("REPS: \(reps)") }
        if let sets { parts.append("SETS: \(sets)") }
        if let hold { parts.append("HOLD: \(hold.text)") }
        if let daily { parts.append("DAILY: \(daily)") }
        if let weekly { parts.append("WEEKLY: \(weekly)") }
        return parts.joined(separator: " | ")
    }
}

/// The side an exercise is done on: `each` is the left and then the right (a tick box for
/// each, unless the clinic ticks once); `left` or `right` only that side; `none` not per side.
public enum Sides: String, Hashable, Sendable, CaseIterable {
    case each, left, right, none
}

/// One week's dose of a planned exercise, as the handout's dose line, the calendar's tick
/// boxes and the .ics all print it: DAILY and WEEKLY are always set, and WEEKLY is the number
/// of `days`, so the three can never disagree.
public struct WeekDose: Hashable, Sendable {
    public var dosage: Dosage
    /// The days it is due, in week order.
    public var days: [Weekday]
    /// Whether the plan names the days (printed as "Days: …"), rather than the clinic's usual
    /// days for WEEKLY.
    public var daysWritten: Bool
    public var sides: Sides

    public init(dosage: Dosage, days: [Weekday], daysWritten: Bool, sides: Sides) {
        self.dosage = dosage
        self.days = days
        self.daysWritten = daysWritten
        self.sides = sides
    }

}

import Foundation
