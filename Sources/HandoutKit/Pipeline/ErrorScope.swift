/// Which part of the site a run's diagnostics hold back. Errors in content, templates or
/// `site.yaml` stop the build; errors in a plan, or in a protocol, block only the plans that
/// use it. A plan's warnings are kept here to be recorded with it.
struct ErrorScope {
    var stopsEverything = false
    var brokenProtocols: Set<String>
    var plansWithErrors: Set<String> = []
    var warnings: [String: [BuildManifest.PatientRecord.Warning]] = [:]

    init(_ diagnostics: [Diagnostic], layout: SiteLayout, plans ids: Set<String>, library: ContentLibrary) {
        let plansFolder = layout.display(layout.plans) + "/"
        let protocolsFolder = layout.display(layout.content.appendingPathComponent("protocols")) + "/"
        brokenProtocols = Set(library.failed.filter { $0.hasPrefix("protocols/") }.map { String($0.dropFirst("protocols/".count)) })
        /// The file's name without folder and `.yaml`, when it sits in `folder`.
        func name(_ path: String, in folder: String) -> String? {
            guard path.hasPrefix(folder), path.hasSuffix(".yaml") else { return nil }
            return String(path.dropFirst(folder.count).dropLast(".yaml".count))
        }
        for diagnostic in diagnostics {
            let path = diagnostic.location.path
            if let id = name(path, in: plansFolder), ids.contains(id) {
                if diagnostic.severity == .error {
                    plansWithErrors.insert(id)
                } else {
                    warnings[id, default: []].append(.init(line: diagnostic.location.line, column: diagnostic.location.column,
                                                           message: diagnostic.message))
                }
            } else if diagnostic.severity == .error {
                if let slug = name(path, in: protocolsFolder) {
                    brokenProtocols.insert(slug)
                } else if !path.hasPrefix(plansFolder) {
                    stopsEverything = true
                }
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
