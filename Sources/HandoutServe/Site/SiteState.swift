import Foundation
import HandoutKit

/// What the builds so far found: the errors a served page shows in place of itself, and a
/// generation that grows with every build, so a waiting page knows when to look again.
struct SiteState: Sendable, Equatable {
    var generation = 0
    /// Errors in content, templates or `site.yaml`: nothing was built, every page shows them.
    var siteErrors: [Diagnostic] = []
    /// Plans held back by errors (their own, or their protocol's), with those errors.
    var planErrors: [String: [Diagnostic]] = [:]

    /// The errors the pages of plan `id` (nil: a page of no plan) show instead of themselves.
    func errors(forPlan id: String?) -> [Diagnostic] {
        if !siteErrors.isEmpty { return siteErrors }
        return id.flatMap { planErrors[$0] } ?? []
    }

    /// Takes in one build: of the whole site, or of `patients` only (their errors are replaced,
    /// the other plans' kept). A build that could not write changes nothing.
    mutating func record(_ build: HandoutSite.Build, patients: [String], plansFolder: String,
                         shownPath: (String) -> String) {
        let errors = build.diagnostics.filter { $0.severity == .error }
        switch build.outcome {
        case .couldNotWrite:
            return
        case .inputsWrong:
            siteErrors = errors
        case .built:
            siteErrors = []
            // A blocked plan shows its own errors and those of the protocols it is built on;
            // other plans' errors are theirs to show.
            let shared = errors.filter { !$0.location.path.hasPrefix(plansFolder + "/") }
            var found: [String: [Diagnostic]] = [:]
            for id in build.blocked {
                found[id] = errors.filter { $0.location.path == shownPath(id) } + shared
            }
            if patients.isEmpty {
                planErrors = found
            } else {
                for id in patients { planErrors[id] = found[id] }
            }
        }
        generation += 1
    }
}
