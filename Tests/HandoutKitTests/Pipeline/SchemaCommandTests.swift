import Foundation
import Testing
@testable import HandoutKit

/// `handout schema` and `list plans --active` through the real binary; what the schemas hold
/// is checked with Python's jsonschema in Tests/Schema.
@Suite struct SchemaCommandTests {
    @Test func writesBothSchemasIntoANewOutputFolderThatABuildThenKeeps() throws {
        let site = try TestSite()
        let run = try Run.handout(["schema", "--root", site.root.path])
        #expect(run.status == 0)
        #expect(run.stdout == "Wrote Output/schema/plan.schema.json and Output/schema/protocol.schema.json\n")
        #expect(try site.read("Output/schema/plan.schema.json").contains(#""$schema" : "https://json-schema.org/draft/2020-12/schema""#))
        let written = try site.read("Output/schema/plan.schema.json")
        #expect(site.build().report != nil)
        #expect(try site.read("Output/schema/plan.schema.json") == written)
    }

    @Test func followsTheLibrary() throws {
        let site = try TestSite()
        #expect(site.build().report != nil)
        #expect(try !site.read("Output/schema/plan.schema.json").contains("\"side-lying-leg-lift\""))
        try site.write("Content/exercises/side-lying-leg-lift.md", "---\ntitle: Side-lying leg lift\n---\n## Setup\nLie on your side.\n## Movement\nLift your top leg.\n")
        #expect(site.build().report != nil)
        #expect(try site.read("Output/schema/plan.schema.json").contains("\"side-lying-leg-lift\""))
    }

    @Test func refusesAFolderHandoutDidNotWrite() throws {
        let site = try TestSite()
        try site.write("Output/notes.txt", "mine")
        let run = try Run.handout(["schema", "--root", site.root.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("error: refusing to write to"))
        #expect(!site.exists("Output/schema"))
    }

    @Test func listActivePlansOnADay() throws {
        let site = try TestSite()
        let during = try Run.handout(["list", "plans", "--active", "2026-12-27", "--root", site.root.path])
        #expect(during.stdout == "ID      THERAPIST    START       END         WEEKS\np-0001  Sam Lee, PT  2026-12-07  2026-12-27  3\n")
        let after = try Run.handout(["list", "plans", "--active", "2026-12-28", "--root", site.root.path])
        #expect(after.stdout == "ID  THERAPIST  START  END  WEEKS\n")
        let impossible = try Run.handout(["list", "plans", "--active", "2026-02-30", "--root", site.root.path])
        #expect(impossible.status == 64)
        #expect(impossible.stderr.hasPrefix("Error: 2026-02-30 is not a real date: February 2026 has 28 days\n"))
        #expect(try Run.handout(["list", "exercises", "2026-12-07", "--root", site.root.path]).status == 64)
    }

    /// A protocol based on another lists what a plan gets from it: the base's weeks and exercises.
    @Test func listProtocolsMergedOverTheirBase() throws {
        let site = try TestSite()
        try site.write("Content/protocols/knee-es.yaml", "protocol: knee-basic\ntitle: Rodilla\nlanguage: es\n")
        let run = try Run.handout(["list", "protocols", "--root", site.root.path])
        let rows = run.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(rows == ["SLUG TITLE WEEKS EXERCISES", "knee-basic Basic knee program 4 2", "knee-es Rodilla 4 2"])
    }

    /// A plan with errors (a colleague's unfinished file) is reported; the others are listed.
    @Test func listPlansBesideOneWithErrors() throws {
        let site = try TestSite()
        try site.write("Content/plans/p-0002.yaml", "patient: \"\"\nstart: 2026-12-07\nweeks: 2\n")
        let run = try Run.handout(["list", "plans", "--root", site.root.path])
        #expect(run.status == 1)
        #expect(run.stdout == "ID      THERAPIST    START       END         WEEKS\np-0001  Sam Lee, PT  2026-12-07  2026-12-27  3\n")
        #expect(run.stderr == "Content/plans/p-0002.yaml:1:10: error: patient must not be empty; write the patient's name, like 'patient: Jordan Rivera'\n1 error, 0 warnings\n")
    }

    @Test func newFromAnotherPlan() throws {
        let site = try TestSite()
        let run = try Run.handout(["new", "p-0200", "--from", "p-0001", "--start", "2027-01-04", "--root", site.root.path])
        #expect(run.status == 0)
        let text = try site.read("Content/plans/p-0200.yaml")
        #expect(text.hasPrefix("# yaml-language-server: $schema=../../Output/schema/plan.schema.json\n"))
        #expect(!text.contains("Alex"))
        #expect(try Run.handout(["new", "p-0201", "--from", "p-0001", "--protocol", "knee-basic", "--root", site.root.path]).status == 64)
    }
}
