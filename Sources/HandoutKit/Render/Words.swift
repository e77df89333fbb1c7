import Foundation

/// The paper's words in one language, shared by the handout, calendar and .ics: phrases
/// from the language's strings file, dates and weekday names from Foundation's locale data
/// (ICU), so "lunes, 7 de diciembre de 2026" needs no string of its own.
final class Words: @unchecked Sendable {
    let strings: Strings
    private let formatters: [DateStyle: DateFormatter]
    private let weekdayNames: [String]
    private let weekdayShortNames: [String]
    private let decimalSeparator: String
    /// Formatted dates; a build prints a few hundred distinct days, each many times.
    private var dates: [DateKey: String] = [:]
    private let lock = NSLock()

    enum DateStyle: CaseIterable {
        /// "Monday, December 7, 2026"
        case long
        /// "Dec 7"
        case monthDay
        /// "7"
        case day

        var template: String {
            switch self {
            case .long: "EEEEMMMMdy"
            case .monthDay: "MMMd"
            case .day: "d"
            }
        }
    }

    private struct DateKey: Hashable {
        var day: Day
        var style: DateStyle
    }

    init(strings: Strings) {
        self.strings = strings
        let locale = Locale(identifier: strings.language)
        var formatters: [DateStyle: DateFormatter] = [:]
        for style in DateStyle.allCases {
            let formatter = DateFormatter()
            formatter.locale = locale
            // Days are calendar dates: formatted at midnight UTC, they read the same everywhere.
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.calendar = Calendar(identifier: .gregorian)
            formatter.setLocalizedDateFormatFromTemplate(style.template)
            formatters[style] = formatter
        }
        self.formatters = formatters
        // Foundation counts weekdays from Sunday; `Weekday` from Monday.
        let names = formatters[.long]!.standaloneWeekdaySymbols
        let shortNames = formatters[.long]!.shortStandaloneWeekdaySymbols
        weekdayNames = Weekday.allCases.map { names[($0.rawValue + 1) % 7] }
        weekdayShortNames = Weekday.allCases.map { shortNames[($0.rawValue + 1) % 7] }
        decimalSeparator = locale.decimalSeparator ?? "."
    }

    var language: String { strings.language }

    func phrase(_ key: String, _ values: KeyValuePairs<String, String> = [:], count: Int? = nil) -> String {
        strings.phrase(key, values, count: count)
    }

    // MARK: Dates

    func date(_ day: Day, _ style: DateStyle) -> String {
        let key = DateKey(day: day, style: style)
        return lock.withLock {
            if let text = dates[key] { return text }
            let text = formatters[style]!.string(from: Date(timeIntervalSince1970: TimeInterval(day.ordinal) * 86_400))
            dates[key] = text
            return text
        }
    }

    func weekdayName(_ day: Weekday) -> String { weekdayNames[day.rawValue] }
    func weekdayShortName(_ day: Weekday) -> String { weekdayShortNames[day.rawValue] }

    /// "Dec 14–20", or "Dec 28 – Jan 3" across months; each language orders it its own way.
    func range(_ first: Day, _ last: Day) -> String {
        let values: KeyValuePairs = ["first": date(first, .monthDay), "last": date(last, .monthDay),
                                     "first_day": date(first, .day), "last_day": date(last, .day)]
        return phrase(first.components.month == last.components.month ? "week_range_same_month" : "week_range", values)
    }

    // MARK: Days and lists

    /// "Mon, Wed, Fri" or "Every day".
    func days(_ weekdays: [Weekday]) -> String {
        weekdays.count == 7 ? phrase("every_day")
            : weekdays.sorted().map(weekdayShortName).joined(separator: phrase("list_separator"))
    }

    func sessionDays(_ pattern: SessionDays) -> String {
        switch pattern {
        case .weekdays(let weekdays): days(weekdays)
        case .everyOtherDay: phrase("every_other_day")
        }
    }

    /// A progression's usual days: "3 times a week", "Mon, Wed, Fri".
    func usualDays(_ usual: UsualDays) -> String {
        switch usual {
        case .days(let weekdays): days(weekdays)
        case .everyOtherDay: phrase("every_other_day")
        case let .perWeek(n, neverBackToBack):
            (n == 7 ? phrase("every_day") : phrase("per_week", ["n": "\(n)"], count: n))
                + (neverBackToBack ? phrase("never_back_to_back") : "")
        }
    }

    /// "cycling, swimming or elliptical"
    func choices(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return phrase("or_last", ["list": items.dropLast().joined(separator: phrase("list_separator")), "last": items.last!])
    }

    // MARK: Dosage

    /// The handout's line: `REPS: 10 | SETS: 3 | HOLD: 30 s | DAILY: 1 | WEEKLY: 3 | EACH SIDE`.
    func dosageLine(_ dosage: Dosage, sides: Sides = .none) -> String {
        var parts: [String] = []
        if let reps = dosage.reps { parts.append(phrase("dosage_reps", ["n": "\(reps)"])) }
        if let sets = dosage.sets { parts.append(phrase("dosage_sets", ["n": "\(sets)"])) }
        if let hold = dosage.hold { parts.append(phrase("dosage_hold", ["time": time(hold)])) }
        if let daily = dosage.daily { parts.append(phrase("dosage_daily", ["n": "\(daily)"])) }
        if let weekly = dosage.weekly { parts.append(phrase("dosage_weekly", ["n": "\(weekly)"])) }
        if sides != .none { parts.append(phrase("dosage_sides_" + sides.rawValue)) }
        return parts.joined(separator: phrase("dosage_separator"))
    }

    /// The calendar's short form: `3×10`, `3×10, hold 30 s`, `2×10, each side`, `2× a day`.
    func dosageShort(_ dosage: Dosage, sides: Sides = .none) -> String {
        var parts: [String] = []
        switch (dosage.sets, dosage.reps) {
        case let (s?, r?): parts.append(phrase("short_sets_reps", ["sets": "\(s)", "reps": "\(r)"]))
        case let (s?, nil): parts.append(phrase("short_sets", ["n": "\(s)"], count: s))
        case let (nil, r?): parts.append(phrase("short_reps", ["n": "\(r)"], count: r))
        default: break
        }
        if let hold = dosage.hold { parts.append(phrase("short_hold", ["time": time(hold)])) }
        if sides != .none { parts.append(phrase("short_sides_" + sides.rawValue)) }
        if let daily = dosage.daily, daily > 1 { parts.append(phrase("short_daily", ["n": "\(daily)"])) }
        return parts.joined(separator: phrase("short_separator"))
    }

    /// "30 s", "1 min", "1 min 30 s"
    func time(_ hold: HoldTime) -> String {
        let seconds = hold.seconds
        if seconds < 60 { return phrase("seconds", ["n": "\(seconds)"]) }
        let rest = seconds % 60
        return rest > 0 ? phrase("minutes_seconds", ["min": "\(seconds / 60)", "s": "\(rest)"]) : phrase("minutes", ["n": "\(seconds / 60)"])
    }

    // MARK: Progressions

    /// `Walk 1 min / Run 3 min × 3–5`, `Cycle 30 min, level 4`
    func stage(_ stage: Stage) -> String {
        let segments = stage.segments.map { segment in
            segment.isLevel
                ? phrase("segment_level", ["activity": activity(segment.activity), "amount": amount(segment.amount)])
                : phrase("segment", ["activity": activity(segment.activity),
                                     "amount": amount(segment.amount),
                                     "unit": phrase("unit_" + segment.unit, count: segment.amount.thousandths == 1000 ? 1 : 2)])
        }.joined(separator: phrase("segment_separator"))
        let repeated = stage.repeatCount.map { phrase("repeat", ["stage": segments, "count": $0.text]) } ?? segments
        return ([repeated] + stage.settings.map(setting)).filter { !$0.isEmpty }.joined(separator: phrase("setting_separator"))
    }

    /// The language's word for an activity (`activity_walk`); without one, the activity as
    /// the progression writes it, capitalized (`hold` → "Hold"). Plans are checked so that
    /// this happens only in the language the content is written in, or with a fallback.
    func activity(_ name: String) -> String {
        let key = Strings.activityKey(name)
        return strings.phrases[key] == nil ? name.prefix(1).uppercased() + name.dropFirst() : phrase(key)
    }

    /// `red band`, `incline 2%`, `level 4`, `surface: grass`; the value as the clinic wrote it.
    func setting(_ setting: Setting) -> String {
        // A number (`2.5%`) is written with the language's decimal mark.
        let value = Setting.numeric[setting.name] == nil || decimalSeparator == "." ? setting.value
            : setting.value.replacingOccurrences(of: ".", with: decimalSeparator)
        return phrase("setting_" + setting.name, ["value": value])
    }

    /// `0.5` or `0,5`, as the language writes decimals.
    func amount(_ amount: Amount) -> String {
        decimalSeparator == "." ? amount.text : amount.text.replacingOccurrences(of: ".", with: decimalSeparator)
    }

    /// The advance rule in plain words.
    func advance(_ rule: AdvanceRule) -> String {
        var text: String
        switch rule.every {
        case let .days(n, m?): text = phrase("advance_days_range", ["n": "\(n)", "m": "\(m)"])
        case let .days(n, nil): text = phrase("advance_days", ["n": "\(n)"], count: n)
        case let .sessions(n): text = phrase("advance_sessions", ["n": "\(n)"], count: n)
        case let .weeks(n): text = phrase("advance_weeks", ["n": "\(n)"], count: n)
        }
        if let k = rule.atMostPerWeek {
            text = phrase("advance_at_most", ["n": "\(k)", "rule": text], count: k)
        }
        return phrase("advance_when_ready", ["rule": text])
    }
}
