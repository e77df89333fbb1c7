import HandoutKit
import Testing
@testable import HandoutServe

@Suite struct SiteStateTests {
    func error(_ path: String, _ message: String) -> Diagnostic {
        Diagnostic(.error, message, at: SourceLocation(path: path, line: 3, column: 7))
    }

    func shown(_ id: String) -> String { "Content/plans/\(id).yaml" }

    @Test func aBlockedPlanShowsItsOwnErrorsAndItsProtocolsOthersShowTheirPages() {
        var state = SiteState()
        let own = error("Content/plans/p-1.yaml", "weeks must be a number")
        let other = error("Content/plans/p-2.yaml", "unknown exercise 'x'")
        let protocolError = error("Content/protocols/knee.yaml", "unknown exercise 'y'")
        var build = HandoutSite.Build(outcome: .built, blocked: ["p-1", "p-2"])
        build.diagnostics = [own, other, protocolError, Diagnostic(.warning, "listed twice", at: own.location)]
        state.record(build, patients: [], plansFolder: "Content/plans", shownPath: shown)
        #expect(state.generation == 1)
        #expect(state.errors(forPlan: "p-1") == [own, protocolError])
        #expect(state.errors(forPlan: "p-2") == [other, protocolError])
        #expect(state.errors(forPlan: "p-3") == [] && state.errors(forPlan: nil) == [])

        // `build --patient p-1`, fixed: p-1 recovers, p-2 keeps its errors.
        state.record(HandoutSite.Build(outcome: .built, rendered: ["p-1"]), patients: ["p-1"], plansFolder: "Content/plans", shownPath: shown)
        #expect(state.errors(forPlan: "p-1") == [] && state.errors(forPlan: "p-2") == [other, protocolError])
        // A full build without errors clears them all.
        state.record(HandoutSite.Build(outcome: .built), patients: [], plansFolder: "Content/plans", shownPath: shown)
        #expect(state.planErrors.isEmpty && state.generation == 3)
    }

    @Test func errorsThatStopTheBuildShowOnEveryPageUntilItBuildsAgain() {
        var state = SiteState()
        let broken = error("Content/site.yaml", "paper must be one of letter, a4")
        state.record(HandoutSite.Build(outcome: .inputsWrong, diagnostics: [broken]), patients: [], plansFolder: "Content/plans", shownPath: shown)
        #expect(state.errors(forPlan: nil) == [broken] && state.errors(forPlan: "p-1") == [broken])
        // A build that could not write (another held the lock) changes nothing, not even the generation.
        state.record(HandoutSite.Build(outcome: .couldNotWrite), patients: [], plansFolder: "Content/plans", shownPath: shown)
        #expect(state.generation == 1 && state.siteErrors == [broken])
        state.record(HandoutSite.Build(outcome: .built), patients: [], plansFolder: "Content/plans", shownPath: shown)
        #expect(state.errors(forPlan: nil) == [] && state.generation == 2)
    }
}
