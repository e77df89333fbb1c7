/// A calendar date with no time or time zone: plans are about days, and this keeps
/// the schedule the same on every machine.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let ordinal: Int

    public init(ordinal: Int) { self.ordinal = ordinal }

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Day.daysIn(month: month, year: year)).contains(day) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        ordinal = era * 146097 + doe - 719468
    }

    /// Years a plan's dates may be in: a plan date is a clinic date, and this keeps every
    /// date, to the end of the longest plan, four digits long (as `.ics` files need).
    public static let clinicYears = 2000...2199

    /// The message for a date outside `clinicYears`.
    public static func outOfRange(_ label: String, found: String) -> String {
        "\(label) must be in a year from \(clinicYears.lowerBound) to \(clinicYears.upperBound); found \(found)"
    }

    /// Strict `YYYY-MM-DD`.
    public init?(iso text: String) {
        guard let (y, m, d) = Self.numbers(iso: text) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Why text written as `YYYY-MM-DD` names no day ("February 2026 has 28 days"); nil when
    /// it is a real date or not written that way at all.
    public static func impossibility(iso text: String) -> String? {
        guard let (y, m, d) = numbers(iso: text), Day(year: y, month: m, day: d) == nil else { return nil }
        guard (1...9999).contains(y) else { return "years run from 0001 to 9999" }
        guard (1...12).contains(m) else { return "months run from 01 to 12" }
        guard d > 0 else { return "days start at 01" }
        return "\(monthNames[m - 1]) \(y) has \(daysIn(month: m, year: y)) days"
    }

    private static func numbers(iso text: String) -> (Int, Int, Int)? {
        // On the string's own bytes: the manifest reads one or two dates per patient.
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for byte in bytes[range] {
                    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                    value = value * 10 + Int(byte - UInt8(ascii: "0"))
                }
                return value
            }
            guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
            return (y, m, d)
        }
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = ordinal + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        Weekday(rawValue: ((ordinal % 7) + 7 + 3) % 7)!
    }

    public func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }

    public static func - (a: Day, b: Day) -> Int { a.ordinal - b.ordinal }

    public static func < (a: Day, b: Day) -> Bool { a.ordinal < b.ordinal }

    /// `2026-12-07`
    public var iso: String {
        var bytes: [UInt8] = []
        appendISO(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `iso`'s bytes, appended without making a string: the manifest writes one or two per patient.
    func appendISO(to bytes: inout [UInt8]) {
        let (y, m, d) = components
        bytes.append(contentsOf: String(y).utf8)
        // Made on the stack and appended at once, as `Fingerprint.appendHex` is.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 6) { text in
            text[0] = UInt8(ascii: "-")
            text[1] = UInt8(ascii: "0") + UInt8(m / 10)
            text[2] = UInt8(ascii: "0") + UInt8(m % 10)
            text[3] = UInt8(ascii: "-")
            text[4] = UInt8(ascii: "0") + UInt8(d / 10)
            text[5] = UInt8(ascii: "0") + UInt8(d % 10)
            bytes.append(contentsOf: text)
        }
    }

    public var description: String { iso }

    /// English month names, for messages to the therapist; pages format dates with `Words`.
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December"]

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

public enum Weekday: Int, CaseIterable, Comparable, Sendable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    public init?(code: String) {
        guard let day = Weekday.allCases.first(where: { $0.code == code.lowercased() }) else { return nil }
        self = day
    }

    /// `mon`, as plans write it.
    public var code: String { String(name.prefix(3)).lowercased() }
    /// The English name, for messages and suggestions; pages use `Words.weekdayName`.
    public var name: String {
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][rawValue]
    }

    public static func < (a: Weekday, b: Weekday) -> Bool { a.rawValue < b.rawValue }

    /// The clinic's fixed weekdays for "N times a week": 1 Mon; 2 Mon Thu; 3 Mon Wed Fri;
    /// 4 Mon Tue Thu Fri; 5 Mon–Fri; 6 Mon–Sat; 7 every day.
    public static func forTimesPerWeek(_ n: Int) -> [Weekday] {
        switch n {
        case ...1: [.monday]
        case 2: [.monday, .thursday]
        case 3: [.monday, .wednesday, .friday]
        case 4: [.monday, .tuesday, .thursday, .friday]
        case 5: [.monday, .tuesday, .wednesday, .thursday, .friday]
        case 6: [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday]
        default: Weekday.allCases
        }
    }
}

public enum Slug {
    /// The valid name closest to `text`, as a file name would be fixed by hand
    /// (`Straight_Leg Raise` → `straight-leg-raise`); nil when that is still not valid.
    public static func suggestion(for text: String) -> String? {
        let fixed = text.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: " ", with: "-")
        return fixed != text && isValid(fixed) ? fixed : nil
    }

    /// `[a-z0-9]` then `[a-z0-9-]`, at most 64 characters.
    public static func isValid(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, bytes.count <= 64, isAlnum(first) else { return false }
        return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b)
    }
}

/// A BCP 47 language tag as Handout names files with it: two or three letters, then parts of
/// two to eight letters or digits after '-' (`es`, `zh-hans`, `es-419`). Checked byte by byte,
/// not with a regular expression, whose `$` also matches before a final line end: "en\n"
/// would pass and name a strings file `en\n.yaml`.
public enum LanguageTag {
    public static func isValid(_ text: String, lowercaseOnly: Bool = false) -> Bool {
        let parts = text.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        func letter(_ b: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (!lowercaseOnly && (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b))
        }
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy(letter) else { return false }
        return parts.dropFirst().allSatisfy { part in
            (2...8).contains(part.count) && part.allSatisfy { letter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        }
    }
}

import Foundation
