import ArgumentParser
import Foundation
import HandoutKit
import HandoutServe

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview the site with reload on save, and write plans in the plan editor.",
        discussion: """
        Builds the site, serves OUTPUT at http://127.0.0.1:8080/ with a script that reloads every open page \
        whose files a save changed, and rebuilds on every save in Content, Templates and the plans folder. \
        The plan editor is at /_handout/editor/. A plan with errors shows them in place of its pages.

        It answers only on this machine unless --host says otherwise; behind a clinic's sign-in, \
        give the address people use with --origin (docs/HOSTING.md).
        """)
    @OptionGroup var site: SiteOptions
    @Option(help: "The port to listen on (0: any free port).")
    var port: UInt16 = 8080
    @Option(help: "The IP address to listen on: 127.0.0.1 (this machine only) unless a proxy with the clinic's sign-in is in front.")
    var host: String = "127.0.0.1"
    @Option(name: .customLong("origin"), help: ArgumentHelp("The address a proxy serves this under, like https://intranet.example.org (repeatable).", valueName: "URL"))
    var origins: [String] = []

    func validate() throws {
        if let problem = ServeOptions.problem(host: host) { throw ValidationError(problem) }
        for origin in origins where URL(string: origin)?.host == nil || !["http", "https"].contains(URL(string: origin)?.scheme ?? "") {
            throw ValidationError("--origin \(origin) is not a web address; write it as the browser shows it, like https://intranet.example.org")
        }
    }

    func run() throws {
        let options = ServeOptions(layout: site.layout, host: host, port: port, origins: origins)
        do {
            try PreviewServer.run(options, today: { Day.today() }, say: say,
                                  complain: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        } catch let failure as ServeFailure {
            FileHandle.standardError.write(Data(("error: \(failure.description)\n").utf8))
            throw ExitCode.failure
        }
    }
}
