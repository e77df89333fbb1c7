import ArgumentParser
import Foundation
import HandoutKit

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the JSON Schemas for plans and protocols to OUTPUT/schema/, for editors (every build writes them too).")
    @OptionGroup var site: SiteOptions

    func run() throws {
        let diagnostics = Diagnostics()
        let written = SchemaExport(layout: site.layout, diagnostics: diagnostics).write()
        try finish(diagnostics, success: written.map { "Wrote " + $0.map { site.layout.display($0) }.joined(separator: " and ") })
    }
}
