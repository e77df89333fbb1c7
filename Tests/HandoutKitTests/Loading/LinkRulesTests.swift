import Foundation
import Testing
@testable import HandoutKit

/// One rule for links in content and in plan notes.
@Suite struct LinkRulesTests {
    @Test(arguments: [
        ("https://clinic.example/a?b=1#c", LinkRules.Target.outside),
        ("HTTP://clinic.example", .outside),
        ("mailto:desk@clinic.example", .outside),
        ("tel:555-0100", .outside),
        ("pages/safety.md", .content(kind: "pages", slug: "safety", sitePath: "pages/safety.html")),
        ("../exercises/bridge.md#setup", .content(kind: "exercises", slug: "bridge", sitePath: "exercises/bridge.html#setup")),
        ("progressions/walk-run.md", .content(kind: "progressions", slug: "walk-run", sitePath: "progressions/walk-run.html")),
    ])
    func allowed(_ url: String, _ target: LinkRules.Target) throws {
        #expect(try LinkRules.target(of: url).get() == target)
    }

    @Test(arguments: ["javascript:alert(1)", "JavaScript:x", "data:text/html,x", "vbscript:x", "file:///etc/passwd", "ftp://x",
                      "//host/x", "/abs", "#top", "?q", "", "https:x", "https:///x", "other.html", "pages/Safety.md",
                      "pages/a/b.md", "images/logo.svg", "pages/.md"])
    func refused(_ url: String) {
        #expect(throws: LinkRules.Problem.self) { try LinkRules.target(of: url).get() }
    }

    @Test func webAddressesForVideos() {
        #expect(LinkRules.isWebAddress("https://video.example/watch?v=1&list=2"))
        for bad in ["https://v.example/a b", "https://v.example/\"x", "https://v.example/<x>", "mailto:a@b.c", "javascript:x",
                    "https://v.example/\u{1B}"] {
            #expect(!LinkRules.isWebAddress(bad), "\(bad)")
        }
    }

    /// Content links in notes point at the page from the patient's folder.
    @Test func notesLinksAreRewrittenForThePatientsPage() throws {
        let site = try TestSite()
        try site.write(plan, planWith([:], adding: """
            notes: |
              Read [safety](pages/safety.md#stop), do [the bridge](exercises/bridge.md),
              follow [walk/run](progressions/walk-run.md) and [call us](tel:555-0100).

            """))
        #expect(site.build().report != nil)
        let handout = try site.read("Output/patients/p-0001/index.html")
        #expect(handout.contains(#"Read <a href="../../pages/safety.html#stop">safety</a>, do <a href="../../exercises/bridge.html">the bridge</a>,"#))
        #expect(handout.contains(#"follow <a href="../../progressions/walk-run.html">walk/run</a> and <a href="tel:555-0100">call us</a>."#))
        #expect(site.exists("Output/pages/safety.html") && site.exists("Output/exercises/bridge.html"))
    }
}
