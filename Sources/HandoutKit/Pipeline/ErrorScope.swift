/// Which part of the site a run's diagnostics hold back. Errors in content, templates or
/// `site.yaml` stop the build; errors in a plan, or in a protocol, block only the plans that
/// use it. A plan's warnings are kept here to be recorded with it.
struct ErrorScope {
    var stopsEverything = false
    var brokenProtocols: Set<String>
    var plansWithErrors: Set<String> = []
    var warnings: [String: [BuildManifest.PatientRecord.Warning]] = [:]

    init(_ diagnostics: [Diagnostic], plans ids: Set<String>, library: ContentLibrary) {
        brokenProtocols = Set(library.failed.filter { $0.hasPrefix("protocols/") }.map { String($0.dropFirst("protocols/".count)) })
        for diagnostic in diagnostics {
            switch (diagnostic.owner, diagnostic.severity) {
            case (.plan(let id), .error) where ids.contains(id):
                plansWithErrors.insert(id)
            case (.plan(let id), .warning) where ids.contains(id):
                warnings[id, default: []].append(.init(line: diagnostic.location.line, column: diagnostic.location.column,
                                                       message: diagnostic.message))
            case (.protocol(let slug), .error):
                brokenProtocols.insert(slug)
            case (.site, .error):
                stopsEverything = true
            default:
                // A file in the plans folder that is no plan (a bad name) holds back nothing.
                break
            }
        }
    }

    /// A plan built on a protocol with errors is blocked with it, not built without it.
    func usesBrokenProtocol(_ plan: Plan, library: ContentLibrary) -> Bool {
        guard let slug = plan.protocolSlug else { return false }
        return brokenProtocols.contains(slug) || plan.protocols.contains(where: brokenProtocols.contains)
            || plan.protocols.last.flatMap { library.protocols[$0]?.base }.map(brokenProtocols.contains) == true
    }
}
