import ArgumentParser
import Foundation
import HandoutKit

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check content, templates and plans without writing anything.")
    @OptionGroup var site: SiteOptions
    @Option(name: .customLong("patient"), help: "Check only this plan id (repeatable), with the content, templates and site settings.")
    var patients: [String] = []
    @Flag(help: "Also warn about exercises, programs, pages and protocols that nothing uses.")
    var unused = false

    func validate() throws {
        if unused && !patients.isEmpty {
            throw ValidationError("--unused looks at every plan; leave out --patient")
        }
    }

    func run() throws {
        let diagnostics = Diagnostics()
        _ = BuildPipeline(layout: site.layout, diagnostics: diagnostics).check(reportUnused: unused, patients: patients)
        try finish(diagnostics, success: nil)
        say(diagnostics.summary)
    }
}
