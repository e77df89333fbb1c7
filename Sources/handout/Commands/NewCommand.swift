import ArgumentParser
import Foundation
import HandoutKit

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a new plan file to fill in.")
    @OptionGroup var site: SiteOptions
    @Argument(help: "The plan id, e.g. p-0143 (never the patient's name).")
    var id: String
    @Option(name: .customLong("protocol"), help: "Start from this protocol.")
    var protocolSlug: String?
    @Option(name: .customLong("from"), help: ArgumentHelp("Start from a copy of this plan (never its patient's name).", valueName: "PLAN-ID"))
    var original: String?
    @Option(help: "First day of the plan, YYYY-MM-DD (default: next Monday).")
    var start: String?

    func validate() throws {
        guard Slug.isValid(id) else {
            throw ValidationError("'\(id)' is not a valid plan id: use lowercase letters, digits and '-', at most 64 characters")
        }
        if protocolSlug != nil, original != nil {
            throw ValidationError("use --protocol or --from, not both: a copied plan keeps its own protocol")
        }
        if let start {
            guard let day = Day(iso: start) else {
                throw ValidationError(Day.impossibility(iso: start).map { "--start \(start) is not a real date: \($0)" }
                                      ?? "--start must be a date written YYYY-MM-DD, like 2026-12-07; found '\(start)'")
            }
            if !Day.clinicYears.contains(day.components.year) {
                throw ValidationError(Day.outOfRange("--start", found: "'\(start)'"))
            }
        }
    }

    func run() throws {
        let diagnostics = Diagnostics()
        let written = NewPlan(layout: site.layout, diagnostics: diagnostics)
            .write(id: id, protocolSlug: protocolSlug, copying: original, start: start.flatMap(Day.init(iso:)), today: Day.today())
        try finish(diagnostics, success: written.map { "Wrote \(site.layout.display($0)); fill in the patient's name, then run 'handout build'." })
    }
}
