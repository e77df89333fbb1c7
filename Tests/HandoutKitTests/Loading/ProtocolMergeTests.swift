import Foundation
import Testing
@testable import HandoutKit

/// The merge rule, pinned: protocol → plan → per-exercise override; lists in the plan
/// replace the protocol's; changes apply from their week.
@Suite struct ProtocolMergeTests {
    func plan(in site: TestSite) throws -> Plan {
        let diagnostics = Diagnostics()
        let checked = BuildPipeline(layout: site.layout, diagnostics: diagnostics).check()
        #expect(diagnostics.all.map(\.description) == [])
        return try #require(checked?.plans.first)
    }

    @Test func planFieldsReplaceProtocolFieldsAndListsAreReplacedWhole() throws {
        let site = try TestSite()
        // Without include_pages, so 'safety' prints under the plan's own pages.
        try site.write("Content/site.yaml", "clinic: Test Clinic\n")
        try site.write("Content/protocols/knee-basic.yaml", """
        title: Basic knee program
        condition: Knee pain
        therapist: Protocol Therapist
        weeks: 4
        exercises:
          - exercise: bridge
            reps: 15
          - exercise: clamshell
        education: [pacing, safety]
        notes: From the protocol.

        """)
        try site.write("Content/plans/p-0001.yaml", """
        patient: Alex Example
        start: 2026-12-07
        protocol: knee-basic
        weeks: 2
        education: [safety]

        """)
        let merged = try plan(in: site)
        #expect(merged.weeks == 2)                          // plan wins
        #expect(merged.therapist == "Protocol Therapist")    // protocol fills what the plan leaves out
        #expect(merged.condition == "Knee pain")
        #expect(merged.education == ["safety"])               // list replaced, not concatenated
        #expect(merged.exercises.map(\.slug) == ["bridge", "clamshell"])
        #expect(merged.notes == "From the protocol.")
    }

    @Test func perExerciseOverrideWinsOverTheExerciseDefault() throws {
        let site = try TestSite()
        try site.write("Content/protocols/knee-basic.yaml", "weeks: 4\nexercises:\n  - exercise: bridge\n    reps: 15\n")
        try site.write("Content/plans/p-0001.yaml", """
        patient: Alex Example
        start: 2026-12-07
        protocol: knee-basic

        """)
        let fromProtocol = try plan(in: site)
        let bridge = Dosage(reps: 10, sets: 3, daily: 1, weekly: 3)  // Content/exercises/bridge.md
        #expect(Scheduler.dosage(of: fromProtocol.exercises[0], base: bridge, inWeek: 1) == Dosage(reps: 15, sets: 3, daily: 1, weekly: 3))

        // A plan that lists exercises replaces the protocol's entries, overrides included.
        try site.write("Content/plans/p-0001.yaml", """
        patient: Alex Example
        start: 2026-12-07
        protocol: knee-basic
        exercises:
          - exercise: bridge
            sets: 2
            changes:
              - { week: 3, sets: 4 }

        """)
        let fromPlan = try plan(in: site)
        #expect(Scheduler.dosage(of: fromPlan.exercises[0], base: bridge, inWeek: 2) == Dosage(reps: 10, sets: 2, daily: 1, weekly: 3))
        #expect(Scheduler.dosage(of: fromPlan.exercises[0], base: bridge, inWeek: 3) == Dosage(reps: 10, sets: 4, daily: 1, weekly: 3))
        #expect(fromPlan.weeks == 4)
    }

    @Test func protocolsCanBuildOnEachOther() throws {
        let site = try TestSite()
        try site.write("Content/protocols/base.yaml", "weeks: 5\ncondition: Knee pain\neducation: [pacing]\n")
        try site.write("Content/protocols/knee-basic.yaml", "protocol: base\nexercises:\n  - exercise: clamshell\n")
        try site.write("Content/plans/p-0001.yaml", "patient: A\nstart: 2026-12-07\nprotocol: knee-basic\n")
        let merged = try plan(in: site)
        #expect(merged.weeks == 5)
        #expect(merged.education == ["pacing"])
        #expect(merged.exercises.map(\.slug) == ["clamshell"])
    }

    @Test func printSettingsComeFromThePlanThenTheProtocolThenTheSite() throws {
        let site = try TestSite()
        try site.write("Content/site.yaml", "clinic: Test Clinic\nlanguage: en\nlarge_print: false\ninclude_pages: [pacing]\n")
        try site.writeSpanishContent()
        try site.write("Content/protocols/knee-basic.yaml", "weeks: 4\nlanguage: ES\ninclude_pages: [safety]\nexercises: [{ exercise: bridge }]\n")
        try site.write("Content/plans/p-0001.yaml", "patient: A\nstart: 2026-12-07\nprotocol: knee-basic\nlarge_print: true\n")
        let fromProtocol = try plan(in: site)
        #expect(fromProtocol.language == "es")               // lowercased, from the protocol
        #expect(fromProtocol.languageLocation == SourceLocation(path: "Content/protocols/knee-basic.yaml", line: 2, column: 11))
        #expect(fromProtocol.largePrint)                     // the plan's own
        #expect(fromProtocol.includePages == ["safety"])     // replaces the site's list

        try site.write("Content/plans/p-0001.yaml", "patient: A\nstart: 2026-12-07\nweeks: 2\ninclude_pages: []\nexercises: [{ exercise: bridge }]\n")
        let plain = try plan(in: site)
        #expect(plain.language == "en")
        #expect(plain.languageLocation == SourceLocation(path: "Content/plans/p-0001.yaml", line: 1, column: 1))
        #expect(!plain.largePrint)
        #expect(plain.includePages == [])                    // opting out of the site's pages
    }

    @Test func eachHandoutPrintsItsOwnPagesAndPrintSizeInOneBuild() throws {
        let site = try TestSite()
        try site.write("Content/site.yaml", "clinic: Test Clinic\ninclude_pages: [safety]\n")
        try site.write("Content/plans/p-0001.yaml", "patient: A\nstart: 2026-12-07\nweeks: 1\nlarge_print: true\ninclude_pages: [pacing]\nexercises: [{ exercise: bridge }]\n")
        try site.write("Content/plans/p-0002.yaml", "patient: B\nstart: 2026-12-07\nweeks: 1\nexercises: [{ exercise: bridge }]\n")
        #expect(site.build().diagnostics == [])
        let large = try site.read("Output/patients/p-0001/index.html")
        let normal = try site.read("Output/patients/p-0002/index.html")
        #expect(large.contains("<body class=\"handout paper-letter large-print\">"))
        #expect(normal.contains("<body class=\"handout paper-letter\">"))
        #expect(try site.read("Output/patients/p-0001/calendar.html").contains("large-print"))
        #expect(try site.printStylesheet(of: "patients/p-0001/index.html").contains("18pt/1.2"))
        #expect(try site.printStylesheet(of: "patients/p-0002/calendar.html").contains("12pt/1.2"))
        #expect(large.contains("<h2>Pacing</h2>") && !large.contains("<h2>Safety first</h2>"))
        #expect(normal.contains("<h2>Safety first</h2>") && !normal.contains("<h2>Pacing</h2>"))
        #expect(!(try site.read("Output/index.html")).contains("large-print"))
    }

    @Test func protocolLoopIsAnError() throws {
        let site = try TestSite()
        try site.write("Content/protocols/a.yaml", "protocol: b\nweeks: 2\n")
        try site.write("Content/protocols/b.yaml", "protocol: a\n")
        #expect(site.errors() == [
            "Content/protocols/a.yaml:1:11: error: protocols loop: a → b → a",
            "Content/protocols/b.yaml:1:11: error: protocols loop: b → a → b",
        ])
    }
}

@Suite struct HostileContentTests {
    @Test func exerciseMarkdownPayloadsStayText() throws {
        let site = try TestSite()
        try site.write("Content/exercises/clamshell.md", """
        ---
        title: "<img src=x onerror=alert(1)>Clamshell"
        dosage: { reps: 12 }
        tags: [hip]
        ---
        ## Setup
        <script>alert(1)</script> <iframe src="https://evil.example"></iframe>
        ## Movement
        <a href="javascript:alert(2)">click</a> <div onmouseover="alert(3)">hover</div>

        """)
        #expect(site.build().report != nil)
        for page in ["Output/exercises/clamshell.html", "Output/exercises/index.html"] {
            let html = try site.read(page)
            #expect(!html.contains("<script>alert"), "\(page)")
            #expect(!html.contains("<iframe"), "\(page)")
            #expect(liveMarkup(in: html) == [], "\(page)")
            #expect(!html.contains("vbscript:"), "\(page)")
            #expect(!html.contains("data:text/html"), "\(page)")
            #expect(!html.contains("<img src=x"), "\(page)")
        }
        #expect(try site.read("Output/exercises/clamshell.html").contains("&lt;img src=x onerror=alert(1)&gt;Clamshell"))
    }

    /// A protocol's bad `weeks` is its own error; the plan that uses it is not told that weeks are missing.
    @Test func aProtocolsBadWeeksIsReportedOnceAtTheProtocol() throws {
        let site = try TestSite()
        try site.write("Content/protocols/knee-basic.yaml", "weeks: 0\nexercises: [{ exercise: bridge }]\n")
        try site.write("Content/plans/p-0002.yaml", "patient: B\nstart: 2026-12-07\nprotocol: knee-basic\n")
        #expect(site.errors() == ["Content/protocols/knee-basic.yaml:1:8: error: weeks must be from 1 to 52; found 0"])
    }

    @Test func allowHTMLIsForClinicContentButNeverForPlanNotes() throws {
        let site = try TestSite()
        try site.write("Content/site.yaml", "clinic: Test Clinic\nallow_html: true\n")
        try site.write("Content/pages/pacing.md", "---\ntitle: Pacing\n---\n<mark>Clinic markup</mark>\n")
        try site.write("Content/plans/p-0001.yaml", "patient: A\nstart: 2026-12-07\nweeks: 1\neducation: [pacing]\nnotes: <mark>plan markup</mark>\n")
        #expect(site.build().report != nil)
        #expect(try site.read("Output/pages/pacing.html").contains("<mark>Clinic markup</mark>"))
        let handout = try site.read("Output/patients/p-0001/index.html")
        #expect(!handout.contains("<mark>plan markup</mark>"))
        #expect(handout.contains("&lt;mark&gt;plan markup&lt;/mark&gt;"))
    }

    @Test func symbolicLinkOutOfContentIsRefused() throws {
        let site = try TestSite()
        let outside = site.root.appendingPathComponent("secret.svg")
        try Data("<svg/>".utf8).write(to: outside)
        try FileManager.default.createSymbolicLink(at: site.url("Content/images/link.svg"), withDestinationURL: outside)
        try site.write("Content/exercises/clamshell.md", "---\ntitle: Clamshell\nimage: images/link.svg\nimage_alt: x\n---\n## Setup\nA\n## Movement\nB\n")
        #expect(site.errors() == [
            "Content/exercises/clamshell.md:3:8: error: picture 'images/link.svg' must be a path inside Content/, like images/side-plank.svg",
        ])
    }
}
