import Foundation
import Testing
@testable import HandoutKit

@Suite struct NewPlanTests {
    let today = Day(iso: "2026-11-28")!  // a Saturday

    @Test func writesAPlanFromAProtocolThatBuildsOnceNamed() throws {
        let site = try TestSite()
        let diagnostics = Diagnostics()
        let url = try #require(NewPlan(layout: site.layout, diagnostics: diagnostics)
            .write(id: "p-0143", protocolSlug: "knee-basic", start: nil, today: today))
        #expect(diagnostics.all.isEmpty)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("start: 2026-11-30"))  // the next Monday
        #expect(text.contains("protocol: knee-basic"))
        #expect(text.contains("  - exercise: bridge   # Bridge"))
        #expect(text.contains("weeks: 4"))
        // Unfilled, it is a clear error; with a name, it builds.
        #expect(site.errors() == ["Content/plans/p-0143.yaml:2:10: error: patient must not be empty"])
        try site.write("Content/plans/p-0143.yaml", text.replacingOccurrences(of: "patient: \"\"", with: "patient: Pat Doe"))
        #expect(site.check() == [])
        #expect(site.build().report?.patients == 2)
        try site.write("Content/plans/p-0143.yaml", text.replacingOccurrences(of: "patient: \"\"", with: "patient: Pat Doe Jr"))
        let result = site.build(patients: ["p-0143"])
        #expect(result.report?.patients == 1)
        let handout = try site.read("Output/patients/p-0143/index.html")
        #expect(handout.contains("Pat Doe"))
        #expect(handout.contains("<h3>Clamshell</h3>"))
    }

    @Test func refusesToOverwrite() throws {
        let site = try TestSite()
        let diagnostics = Diagnostics()
        #expect(NewPlan(layout: site.layout, diagnostics: diagnostics).write(id: "p-0001", protocolSlug: nil, start: nil, today: today) == nil)
        #expect(diagnostics.all.map(\.description) == [
            "Content/plans/p-0001.yaml: error: plan 'p-0001' already exists; choose another id or edit that file",
        ])
        #expect(try site.read("Content/plans/p-0001.yaml").contains("Alex Example"))
    }

    @Test func unknownProtocolAndBadId() throws {
        let site = try TestSite()
        let diagnostics = Diagnostics()
        let new = NewPlan(layout: site.layout, diagnostics: diagnostics)
        #expect(new.write(id: "p-2", protocolSlug: "knee-basik", start: nil, today: today) == nil)
        #expect(new.write(id: "Jane Doe", protocolSlug: nil, start: nil, today: today) == nil)
        #expect(diagnostics.all.map(\.description) == [
            "Content/plans/Jane Doe.yaml: error: 'Jane Doe' is not a valid plan id: use lowercase letters, digits and '-', at most 64 characters",
            "Content/protocols: error: unknown protocol 'knee-basik'; did you mean 'knee-basic'?",
        ])
        #expect(!site.exists("Content/plans/p-2.yaml"))
    }

    @Test func startDateAndNoProtocol() throws {
        let site = try TestSite()
        let diagnostics = Diagnostics()
        let url = try #require(NewPlan(layout: site.layout, diagnostics: diagnostics)
            .write(id: "p-9", protocolSlug: nil, start: Day(iso: "2027-01-06"), today: today))
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("start: 2027-01-06"))
        #expect(text.contains("weeks: 6"))
        #expect(!text.contains("protocol:"))
    }

    @Test func quotesYAMLSafely() {
        #expect(NewPlan.quoted("a \"b\" \\ c\nd") == #""a \"b\" \\ c\nd""#)
    }
}

@Suite struct ListingTests {
    @Test func listsEachKind() throws {
        let site = try TestSite()
        let listing = ContentListing(layout: site.layout, diagnostics: Diagnostics())
        #expect(listing.table(.exercises) == """
        SLUG       TITLE      DOSAGE
        bridge     Bridge     REPS: 10 | SETS: 3 | DAILY: 1 | WEEKLY: 3
        clamshell  Clamshell  REPS: 12 | SETS: 2 | HOLD: 5 s | WEEKLY: 7

        """)
        #expect(listing.table(.plans) == "ID      THERAPIST    START       WEEKS\np-0001  Sam Lee, PT  2026-12-07  3\n")
        #expect(listing.table(.protocols) == "SLUG        TITLE               WEEKS  EXERCISES\nknee-basic  Basic knee program  4      2\n")
        #expect(listing.table(.progressions).contains("walk-run  Walk/Run Intervals  4       every 2–3 days"))
        #expect(listing.table(.pages).contains("safety  Safety first"))
    }
}

@Suite struct LinkTests {
    /// Every href and src in the built site points to a file that exists.
    @Test func everyLinkResolves() throws {
        let site = try TestSite()
        #expect(site.build().report != nil)
        let files = try site.outputSnapshot()
        let pattern = try Regex(#"(?:href|src)="([^"]*)""#)
        var checked = 0
        for (path, data) in files where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            for match in html.matches(of: pattern) {
                let link = String(match.output[1].substring ?? "")
                if link.hasPrefix("https://") || link.hasPrefix("http://") || link.hasPrefix("#") || link.isEmpty { continue }
                let base = URL(fileURLWithPath: "/site/" + path).deletingLastPathComponent()
                let target = URL(fileURLWithPath: link, relativeTo: base).standardizedFileURL.path
                #expect(target.hasPrefix("/site/"), "\(path): \(link) leaves the site")
                #expect(files[String(target.dropFirst("/site/".count))] != nil, "\(path): \(link) is broken")
                checked += 1
            }
        }
        #expect(checked > 40)
    }
}
