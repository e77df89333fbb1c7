import ArgumentParser
import Foundation
import HandoutKit

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List exercises, progressions, pages, protocols or plans.")
    @OptionGroup var site: SiteOptions
    @Argument(help: "exercises | progressions | pages | protocols | plans")
    var kind: ContentKind
    @Flag(help: "With plans: only plans running on DATE (default: today), from their start to their last day.")
    var active = false
    @Argument(help: ArgumentHelp("With --active: the day, YYYY-MM-DD.", valueName: "DATE"))
    var date: String?
    @Option(help: ArgumentHelp("With plans: only plans whose last day (or the day they ended) is from today to N days on.", valueName: "N"))
    var endingWithin: Int?
    @Option(help: ArgumentHelp("The day to count from instead of today, YYYY-MM-DD (for --active without a date and --ending-within).",
                               valueName: "DATE"))
    var today: String?

    func validate() throws {
        if date != nil, !active || kind != .plans {
            throw ValidationError("a date goes only with 'list plans --active', like 'handout list plans --active 2026-12-07'")
        }
        if active, kind != .plans {
            throw ValidationError("--active goes only with 'list plans'")
        }
        if endingWithin != nil, kind != .plans {
            throw ValidationError("--ending-within goes only with 'list plans', like 'handout list plans --ending-within 7'")
        }
        if let endingWithin, !(0...366).contains(endingWithin) {
            throw ValidationError("--ending-within takes a number of days from 0 to 366, like --ending-within 7; found \(endingWithin)")
        }
        if today != nil, endingWithin == nil, !active {
            throw ValidationError("--today goes only with 'list plans --ending-within N' or '--active'")
        }
        for text in [date, today].compactMap({ $0 }) where Day(iso: text) == nil {
            throw ValidationError(Day.impossibility(iso: text).map { "\(text) is not a real date: \($0)" }
                                  ?? "the date must be written YYYY-MM-DD, like 2026-12-07; found '\(text)'")
        }
    }

    func run() throws {
        let diagnostics = Diagnostics()
        // The clock is read here, once, and passed in.
        let today = today.flatMap(Day.init(iso:)) ?? Day.today()
        let activeOn = active ? date.flatMap(Day.init(iso:)) ?? today : nil
        let table = ContentListing(layout: site.layout, diagnostics: diagnostics)
            .table(kind, activeOn: activeOn, endingWithin: endingWithin.map { .init(days: $0, today: today) })
        // What did load is listed; a file with errors is reported after it (exit 1).
        print(table, terminator: "")
        try finish(diagnostics, success: nil)
    }
}
