/// `handout pdf --weeks 3-4` or `--from DATE --to DATE`: the calendar weeks to print again,
/// and the printed pages that hold them. The pages are the calendar's own, cut from its
/// whole print, so each keeps its "Page N of M" and fits the rest of the patient's calendar.
public enum WeekChoice: Equatable, Sendable {
    case weeks(ClosedRange<Int>)
    case dates(from: Day, to: Day)

    /// A command-line mistake, in words (exit status 64).
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// "3" or "3-4".
    public static func parse(weeks text: String) -> Result<WeekChoice, Refusal> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { part in part.allSatisfy { $0.isASCII && $0.isNumber } ? Int(part) : nil }
        guard (1...2).contains(parts.count), numbers.count == parts.count else {
            return .failure(Refusal("--weeks takes a week or a range of weeks, like --weeks 3 or --weeks 3-4; found '\(text)'"))
        }
        guard numbers.allSatisfy({ $0 >= 1 }) else {
            return .failure(Refusal("--weeks \(text): weeks are counted from 1, the week the plan starts in"))
        }
        let first = numbers[0], last = numbers.last!
        guard first <= last else {
            return .failure(Refusal("--weeks \(text) runs backwards; write the first week first, like --weeks \(last)-\(first)"))
        }
        return .success(.weeks(first...last))
    }

    /// `--from` and `--to`, checked together.
    public static func dates(from: Day, to: Day) -> Result<WeekChoice, Refusal> {
        guard from <= to else {
            return .failure(Refusal("--from \(from.iso) is after --to \(to.iso); give the earlier day to --from"))
        }
        return .success(.dates(from: from, to: to))
    }

    /// The weeks chosen, counted as the plan's calendar counts them (week 1 holds its
    /// start); a refusal names the plan when they are not all in its calendar.
    public func weeks(of plan: String, start: Day, weeks count: Int, weekStarts: Weekday) -> Result<ClosedRange<Int>, Refusal> {
        let first = Scheduler.firstDayOfWeek(containing: start, weekStarts: weekStarts)
        let last = Scheduler.lastDay(start: start, weeks: count, weekStarts: weekStarts)
        let span = count == 1 ? "1 week (week 1)" : "\(count) weeks (1-\(count))"
        switch self {
        case .weeks(let weeks):
            guard weeks.upperBound <= count else {
                let asked = weeks.count == 1 ? "week \(weeks.lowerBound) is" : "weeks \(weeks.lowerBound)-\(weeks.upperBound) are"
                return .failure(Refusal("--weeks: \(asked) not in \(plan)'s calendar, which has \(span)"))
            }
            return .success(weeks)
        case let .dates(from, to):
            for (option, day) in [("--from", from), ("--to", to)] where day < first || day > last {
                return .failure(Refusal("\(option) \(day.iso) is not in \(plan)'s calendar, which runs from \(first.iso) to \(last.iso)"))
            }
            return .success(((from - first) / 7 + 1)...((to - first) / 7 + 1))
        }
    }

    /// The printed pages (counted from 0) holding `weeks`, given the page each week begins on
    /// (`weekPages[0]` for week 1) and the calendar's page count. A week never splits across
    /// pages (the calendar's print rule), so a week is on the page it begins on; should one be
    /// taller than a page, the pages up to the next week's are its too, and the last week's
    /// run to the end.
    static func pages(holding weeks: ClosedRange<Int>, weekPages: [Int], pageCount: Int) -> ClosedRange<Int> {
        let first = weekPages[weeks.lowerBound - 1]
        let last = weeks.upperBound == weekPages.count ? pageCount - 1 : max(weekPages[weeks.upperBound - 1], weekPages[weeks.upperBound] - 1)
        return first...max(first, last)
    }

    /// The weeks that begin on `pages`: what the reprint holds, which may be more than was
    /// asked for when a page holds two weeks.
    static func weeks(on pages: ClosedRange<Int>, weekPages: [Int]) -> ClosedRange<Int> {
        let held = weekPages.indices.filter { pages.contains(weekPages[$0]) }.map { $0 + 1 }
        return held.first!...held.last!
    }
}
