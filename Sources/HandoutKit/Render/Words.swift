/// Plain-language phrases the paper uses, shared by the handout, calendar and .ics.
enum Words {
    /// "Mon, Wed, Fri" or "Every day".
    static func days(_ weekdays: [Weekday]) -> String {
        weekdays.count == 7 ? "Every day" : weekdays.sorted().map(\.shortName).joined(separator: ", ")
    }

    static func sessionDays(_ pattern: SessionDays) -> String {
        switch pattern {
        case .weekdays(let weekdays): Words.days(weekdays)
        case .everyOtherDay: "Every other day"
        }
    }

    /// "cycling, swimming or elliptical"
    static func choices(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " or " + items.last!
    }

    /// "Dec 14–20", or "Dec 28 – Jan 3" across months.
    static func range(_ first: Day, _ last: Day) -> String {
        first.components.month == last.components.month
            ? "\(first.monthDay)–\(last.components.day)" : "\(first.monthDay) – \(last.monthDay)"
    }

    /// "sets and reps", "sets, reps and hold"
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    /// The advance rule in plain words.
    static func advance(_ rule: AdvanceRule) -> String {
        var text: String
        switch rule.every {
        case let .days(n, m):
            let span = m.map { "\(n) to \($0) days" } ?? (n == 1 ? "day" : "\(n) days")
            text = "Move up one stage every \(span)"
        case let .sessions(n):
            text = n == 1 ? "Move up one stage after each session" : "Move up one stage after every \(n) sessions at a stage"
        case let .weeks(n):
            text = n == 1 ? "Move up one stage each week" : "Move up one stage every \(n) weeks"
        }
        if let k = rule.atMostPerWeek {
            text += ", but no more than \(k) time\(k == 1 ? "" : "s") in any 7 days"
        }
        return text + ", only when you feel ready."
    }
}
