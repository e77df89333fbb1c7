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
        #expect(site.errors() == ["Content/plans/p-0143.yaml:3:10: error: patient must not be empty; write the patient's name, like 'patient: Jordan Rivera'"])
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

    @Test func copiesAnotherPlanWithoutThePatientsName() throws {
        let site = try TestSite()
        let diagnostics = Diagnostics()
        let url = try #require(NewPlan(layout: site.layout, diagnostics: diagnostics)
            .write(id: "p-0200", protocolSlug: nil, copying: "p-0001", start: Day(iso: "2027-01-04"), today: today))
        #expect(diagnostics.all.isEmpty)
        // The fixture plan starts 2026-12-07 and its walk/run on 2026-12-09: four weeks later, both move.
        #expect(try String(contentsOf: url, encoding: .utf8) == """
        # yaml-language-server: $schema=../../Output/schema/plan.schema.json
        # Plan p-0200, copied from plan p-0001 (without the patient's name). Fill in the patient's name, check the choices, then run: handout build --patient p-0200
        patient: ""                 # the patient's name: printed on the handout, never in a file name or link
        therapist: "Sam Lee, PT"   # printed on the handout
        start: 2027-01-04            # first day of the plan (YYYY-MM-DD); the calendar begins in this week
        weeks: 3                     # how many weeks the calendar covers
        exercises:                    # any of reps, sets, hold, daily, weekly overrides the exercise's default;
                                      # also days: [mon, wed, fri], sides: each, note: ..., changes: [{ week: 3, sets: 3 }]
          - exercise: bridge   # Bridge
            sets: 2
            note: "Go slowly."
        progressions:                 # add start: YYYY-MM-DD (e.g. when cleared to run) and days: [mon, wed, fri]
          - progression: walk-run
            start: 2027-01-06
        cross_training:               # default days: days with no progression session
          activities: ["cycling", "swimming"]
        education: [pacing]   # education pages, by file name
        notes: |                      # your notes for the patient (Markdown)
          Call us if pain spreads.

        """)
        #expect(try !String(contentsOf: url, encoding: .utf8).contains("Alex"))
        try site.write("Content/plans/p-0200.yaml", try site.read("Content/plans/p-0200.yaml")
            .replacingOccurrences(of: "patient: \"\"", with: "patient: Pat Doe"))
        #expect(site.check() == [])
    }

    @Test func copyKeepsTheProtocolAndItsChoices() throws {
        let site = try TestSite()
        try site.write("Content/plans/p-0002.yaml", "patient: Bo\nstart: 2026-12-07\nprotocol: knee-basic\nweeks: 2\n")
        let diagnostics = Diagnostics()
        let url = try #require(NewPlan(layout: site.layout, diagnostics: diagnostics)
            .write(id: "p-0201", protocolSlug: nil, copying: "p-0002", start: nil, today: today))
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("protocol: knee-basic"))
        #expect(text.contains("weeks: 2 "))
        #expect(text.contains("  - exercise: clamshell"))
        // Without --start, the copy keeps its plan's start, as every other setting.
        #expect(text.contains("start: 2026-12-07"))
        #expect(!text.contains("Bo"))
    }

    /// A plan that writes every key a plan has, in Spanish, large print, with its own safety
    /// pages and pain rule, sides, a change of days: its copy makes the same paper.
    static let everyKey = """
    patient: Ana García
    therapist: "Sam Lee, PT"
    condition: Rodilla
    start: 2026-12-07
    weeks: 3
    protocol: knee-basic
    language: es
    large_print: true
    include_pages: [safety]
    pain_rule: pain-ok
    exercises:
      - exercise: bridge
        reps: 8
        sets: 2
        hold: 5 s
        daily: 2
        weekly: 2
        sides: each
        note: "Despacio."
        changes:
          - { week: 2, sets: 3 }
          - { week: 3, days: [tue, thu, sat] }
      - exercise: clamshell
        days: [mon, fri]
        sides: left
    progressions:
      - progression: walk-run
        start: 2026-12-09
        days: [mon, wed, fri]
    cross_training:
      activities: [bicicleta, natación]
      days: [tue, sat]
      note: "20 minutos."
    education: [pacing]
    reminders: { time: "07:30" }
    notes: |
      Llámenos si el dolor baja por la pierna.

    """

    @Test func aCopyKeepsEverySettingButThePatient() throws {
        let site = try TestSite()
        try site.writeSpanishContent()
        try site.write("Content/exercises/clamshell.es.md", "---\ntitle: Almeja\nimage_alt: Una almeja\n---\n## Posición\nDe lado.\n")
        try site.write("Content/pages/pain-ok.md", "---\ntitle: Pain\nsummary: Up to 5 is OK.\n---\nSome pain is OK.\n")
        try site.write("Content/pages/pain-ok.es.md", "---\ntitle: Dolor\nsummary: Hasta 5 está bien.\n---\nAlgo de dolor está bien.\n")
        try site.write("Content/plans/p-0001.yaml", Self.everyKey)
        let diagnostics = Diagnostics()
        let url = try #require(NewPlan(layout: site.layout, diagnostics: diagnostics)
            .write(id: "p-0002", protocolSlug: nil, copying: "p-0001", start: Day(iso: "2026-12-07"), today: today))
        #expect(diagnostics.all.isEmpty)
        let copy = try String(contentsOf: url, encoding: .utf8)
        #expect(!copy.contains("Ana"))
        // Every key the original writes, the copy writes.
        func keys(_ text: String) -> Set<String> {
            Set(text.split(separator: "\n").compactMap { $0.firstMatch(of: /^ *-? *([a-z_]+):/)?.1 }.map(String.init))
        }
        #expect(keys(Self.everyKey).subtracting(keys(copy)) == [])
        // With the name filled in, it prints the same paper: only the plan id in the .ics
        // differs, and the version in the footer, which hashes the plan file's own bytes.
        try site.write("Content/plans/p-0002.yaml", copy.replacingOccurrences(of: "patient: \"\"", with: "patient: Ana García"))
        #expect(site.build().diagnostics == [])
        // "Versión 3f9a2c1e" in the pages' footers and the calendar's running head.
        func unversioned(_ text: String) -> String { text.replacing(/Versión [0-9a-f]{8}/) { _ in "Versión" } }
        for file in ["index.html", "calendar.html", "calendar.ics"] {
            let original = unversioned(try site.read("Output/patients/p-0001/\(file)"))
            #expect(unversioned(try site.read("Output/patients/p-0002/\(file)")) == original.replacingOccurrences(of: "p-0001", with: "p-0002"), "\(file)")
        }
        #expect(try site.read("Output/patients/p-0002/index.html").contains("<html lang=\"es\">"))
    }

    @Test func thePlaceholderNoteIsInThePlansLanguage() throws {
        let site = try TestSite()
        try site.write("Content/protocols/knee-es.yaml", "protocol: knee-basic\nlanguage: es\n")
        let diagnostics = Diagnostics()
        let new = NewPlan(layout: site.layout, diagnostics: diagnostics)
        let spanish = try String(contentsOf: try #require(new.write(id: "p-0144", protocolSlug: "knee-es", start: nil, today: today)), encoding: .utf8)
        #expect(spanish.contains("language: es "))
        #expect(spanish.hasSuffix("notes: |                      # your notes for the patient (Markdown)\n  Llámenos si el dolor empeora.\n"))
        let english = try String(contentsOf: try #require(new.write(id: "p-0145", protocolSlug: "knee-basic", start: nil, today: today)), encoding: .utf8)
        #expect(english.hasSuffix("\n  Call us if your pain gets worse.\n") && !english.contains("language:"))
        #expect(diagnostics.all.isEmpty)
    }

    @Test func copyOfAMissingOrBrokenPlan() throws {
        let site = try TestSite()
        try site.write("Content/plans/p-0002.yaml", "patient: Bo\nweeks: 2\n")
        let missing = Diagnostics(), broken = Diagnostics()
        #expect(NewPlan(layout: site.layout, diagnostics: missing)
            .write(id: "p-0300", protocolSlug: nil, copying: "p-0009", start: nil, today: today) == nil)
        #expect(NewPlan(layout: site.layout, diagnostics: broken)
            .write(id: "p-0301", protocolSlug: nil, copying: "p-0002", start: nil, today: today) == nil)
        #expect(missing.all.map(\.description) == [
            "Content/plans/p-0009.yaml: error: there is no plan 'p-0009' to copy; did you mean 'p-0001'?",
        ])
        #expect(broken.all.map(\.description) == [
            "Content/plans/p-0002.yaml:1:1: error: missing required field 'start', like 'start: 2026-12-07'",
            "Content/plans/p-0002.yaml:1:1: error: plan 'p-0002' has errors; fix them before copying it",
        ])
        #expect(!site.exists("Content/plans/p-0300.yaml"))
        #expect(!site.exists("Content/plans/p-0301.yaml"))
    }

    @Test func schemaPathFromThePlansFolder() {
        let root = URL(fileURLWithPath: "/srv/clinic")
        #expect(SchemaExport.reference(fromPlansIn: root.appendingPathComponent("Content/plans"), output: root.appendingPathComponent("Output"))
                == "../../Output/schema/plan.schema.json")
        #expect(SchemaExport.reference(fromPlansIn: URL(fileURLWithPath: "/srv/plans"), output: URL(fileURLWithPath: "/srv/site/Output"))
                == "../site/Output/schema/plan.schema.json")
        #expect(SchemaExport.reference(fromPlansIn: URL(fileURLWithPath: "/plans"), output: URL(fileURLWithPath: "/srv/Output"))
                == "/srv/Output/schema/plan.schema.json")
    }

    @Test func quotesYAMLSafely() {
        #expect(PlanSketch.quoted("a \"b\" \\ c\nd") == #""a \"b\" \\ c\nd""#)
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
        #expect(listing.table(.plans) == "ID      THERAPIST    START       END         WEEKS\np-0001  Sam Lee, PT  2026-12-07  2026-12-27  3\n")
        #expect(listing.table(.protocols) == "SLUG        TITLE               WEEKS  EXERCISES\nknee-basic  Basic knee program  4      2\n")
        #expect(listing.table(.progressions).contains("walk-run  Walk/Run Intervals  4       every 2–3 days"))
        #expect(listing.table(.pages).contains("safety  Safety first"))
    }
}

@Suite struct ActivePlanListingTests {
    /// The fixture plan runs from Monday 2026-12-07 to the end of its third week, Sunday 2026-12-27.
    @Test(arguments: [("2026-12-06", false), ("2026-12-07", true), ("2026-12-27", true), ("2026-12-28", false)])
    func listsPlansRunningThatDay(_ day: String, _ running: Bool) throws {
        let site = try TestSite()
        let table = ContentListing(layout: site.layout, diagnostics: Diagnostics()).table(.plans, activeOn: Day(iso: day))
        #expect(table.contains("p-0001") == running)
        #expect(table.hasPrefix("ID      THERAPIST    START       END         WEEKS") == running)
    }

    @Test func theIndexShowsTheEndAndNoNames() throws {
        let site = try TestSite()
        #expect(site.build().report != nil)
        let index = try site.read("Output/index.html")
        #expect(index.contains("data-start=\"2026-12-07\" data-end=\"2026-12-27\""))
        #expect(index.contains("<td>2026-12-27</td>"))
        #expect(!index.contains("Alex"))
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
