import Foundation

/// Loads every plan file, merges its protocol and checks it against the content library.
/// Given the previous build's manifest, plans whose file and content did not change are
/// not parsed again.
struct PlanLoader {
    var layout: SiteLayout
    var library: ContentLibrary
    var diagnostics: Diagnostics

    /// A plan to render, or one the previous build already rendered from the same inputs.
    enum Entry: Sendable {
        case fresh(Plan, hash: Fingerprint)
        case reused(BuildManifest.PatientRecord)

        var summary: PlanSummary {
            switch self {
            case let .fresh(plan, _): PlanSummary(plan: plan)
            case let .reused(record): record.summary
            }
        }
    }

    func loadAll() -> [Plan] {
        load(previous: nil, only: []).compactMap {
            if case let .fresh(plan, _) = $0 { plan } else { nil }
        }
    }

    /// With `only`, other plans the manifest knows are not even read. `contentChanged` says
    /// whether any content file differs from the previous build; only then are a plan's
    /// dependencies compared one by one.
    func load(previous: BuildManifest?, contentChanged: Bool = true, only selected: [String]) -> [Entry] {
        let files = ContentFiles(layout: layout, diagnostics: diagnostics)
        let entries = files.entries(in: layout.plans, extension: "yaml")
        let slots = ResultSlots<Entry>(count: entries.count)
        let checker = PlanChecker(library: library, diagnostics: diagnostics)
        var pending: [Int] = []
        for (i, entry) in entries.enumerated() {
            if let record = previous?.patients[entry.slug], !selected.isEmpty, !selected.contains(entry.slug) {
                slots[i] = .reused(record)
            } else {
                pending.append(i)
            }
        }
        let toRead = pending
        DispatchQueue.concurrentPerform(iterations: toRead.count) { n in
            let i = toRead[n]
            let id = entries[i].slug
            let record = previous?.patients[id]
            let url = entries[i].url
            guard let data = FileManager.default.contents(atPath: entries[i].path) else {
                _ = files.read(url)  // reports why
                return
            }
            let hash = Fingerprint(data)
            let unchanged = record.map { record in
                record.plan == hash && (!contentChanged || record.dependencies?.allSatisfy { library.hashes[$0.key] == $0.value } == true)
            } ?? false
            if let record, unchanged, !library.site.indexShowsNames {
                slots[i] = .reused(record)
                return
            }
            guard let text = String(data: data, encoding: .utf8) else {
                diagnostics.error("file is not UTF-8 text; save it as UTF-8", at: SourceLocation(path: layout.display(url), line: 1, column: 1))
                return
            }
            let source = YAMLSource(path: layout.display(url), lineOffset: 0, diagnostics: diagnostics)
            guard let draft = PlanReader.readPlan(id: id, text: text, source: source),
                  let plan = checker.plan(from: draft) else { return }
            if let record, unchanged {
                // Parsed only for the patient's name in the index; the pages are still current.
                var named = record
                named.summary = PlanSummary(plan: plan)
                slots[i] = .reused(named)
            } else {
                slots[i] = .fresh(plan, hash: hash)
            }
        }
        return slots.values.compactMap { $0 }
    }

    /// Everything a plan's pages are made from, with its current hash.
    func dependencies(of plan: Plan) -> [String: Fingerprint] {
        var keys = plan.exercises.map { "exercises/\($0.slug)" } + plan.progressions.map { "progressions/\($0.slug)" }
            + (plan.education + plan.includePages).map { "pages/\($0)" }
        // A plan in another language also depends on its translations (`exercises/bridge.es`).
        if plan.language != library.site.language {
            keys += keys.map { "\($0).\(plan.language)" }.filter { library.hashes[$0] != nil }
        }
        var protocolSlug = plan.protocolSlug
        var seen = Set<String>()
        while let slug = protocolSlug, seen.insert(slug).inserted {
            keys.append("protocols/\(slug)")
            protocolSlug = library.protocols[slug]?.base
        }
        var result: [String: Fingerprint] = [:]
        for key in keys { result[key] = library.hashes[key] ?? Fingerprint() }
        return result
    }
}
