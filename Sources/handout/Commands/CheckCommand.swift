import ArgumentParser
import Foundation
import HandoutKit

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check content, templates and plans without writing anything.")
    @OptionGroup var site: SiteOptions
    @Flag(help: "Also warn about exercises, programs, pages and protocols that nothing uses.")
    var unused = false

    func run() throws {
        let diagnostics = Diagnostics()
        _ = BuildPipeline(layout: site.layout, diagnostics: diagnostics).check(reportUnused: unused)
        try finish(diagnostics, success: nil)
        say(diagnostics.summary)
    }
}
