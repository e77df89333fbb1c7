import Foundation

/// What a build will do, every decision taken before anything is rendered or written: the
/// planner's actions, the plans to render (read and checked), the plans their errors hold
/// back, the patients whose published pages stay, and whether the index is current.
struct BuildPlan: Sendable {
    var actions: BuildActions
    var snapshot: BuildSnapshot
    var render: [Plan] = []
    /// Selected plans whose errors (their own, or their protocol's) keep them from being rendered.
    var blocked: [String] = []
    /// With `--patient`: other plans this build read and found errors in.
    var othersWithErrors = 0
    /// Patients whose published pages stay, with the record the manifest keeps for them.
    var reuse: [String: BuildManifest.PatientRecord]
    /// Patients whose pages stay as published though no record says what they hold.
    var keptWithoutRecord: [String] = []
    /// Each plan's own warnings, recorded with it.
    var warnings: [String: [BuildManifest.PatientRecord.Warning]]
    /// The clinic index's rows, in the plan files' order (the index and its fingerprint put
    /// them in theirs), and their fingerprint.
    var rows: [PlanSummary] = []
    var index = Fingerprint()
    var indexCurrent = false

    /// What the build leaves in the site as published; the index's kept rows stay with it.
    var kept: KeptOutput {
        let shared = (actions.renderLibrary ? [] : actions.keptShared) + (indexCurrent ? [SiteLayout.indexPage, IndexRowCache.fileName] : [])
        return KeptOutput(shared: Set(shared), patients: (reuse.keys + keptWithoutRecord).sorted())
    }

    /// The manifest of the site as written: the patients rendered, with their warnings and
    /// the stat records of their folders, and those reused.
    func manifest(_ written: WrittenOutput) -> BuildManifest {
        var manifest = BuildManifest(global: snapshot.global)
        manifest.library = snapshot.library
        manifest.index = index
        manifest.shared = written.shared
        manifest.patients = reuse
        // Unselected patients of a `--patient` build (not checked) keep the record they had.
        // Compared before it is set: the records share `reuse`'s storage until one changes.
        for (id, record) in reuse {
            if let stamp = written.patients[id] ?? snapshot.published[id], stamp != .absent, stamp != record.output {
                manifest.patients[id]?.output = stamp
            }
        }
        for var record in written.records {
            record.warnings = warnings[record.summary.id] ?? []
            record.output = written.patients[record.summary.id] ?? .absent
            manifest.patients[record.summary.id] = record
        }
        return manifest
    }
}

extension BuildPlanner {
    /// Step two of a build: the snapshot of what was loaded goes to `plan(previous:snapshot:…)`;
    /// the plans it renders (and, for the index's names, those it reuses) are checked; a plan
    /// with errors blocks only itself. Nil when the build must stop: errors in content,
    /// templates or `site.yaml`, an unknown `--patient`, or a refusal.
    static func plan(_ site: LoadedSite, selected: [String], prune: Bool, verify: Bool, diagnostics: Diagnostics) -> BuildPlan? {
        let ids = Set(site.planFiles.map(\.slug))
        PlanLoader.reportUnknown(selected, among: site.planFiles, layout: site.layout, diagnostics: diagnostics)
        let checking = PlanChecking(site: site, selected: Set(selected), diagnostics: diagnostics)
        let snapshot = checking.snapshot()
        let actions = plan(previous: site.previous, snapshot: snapshot, selected: Set(selected), prune: prune, verify: verify)
        let parsed = checking.parse(render: Set(actions.render), reuse: actions.reuse)
        if let refusal = actions.refusal {
            diagnostics.error(refusal, at: SourceLocation(path: site.layout.display(site.layout.plans), line: 0, column: 0))
        }
        let scope = ErrorScope(diagnostics.all + checking.others.all, plans: ids)
        // Their warnings are reported as every plan's are; their errors only counted.
        for warning in checking.others.all where warning.severity == .warning { diagnostics.append(warning) }
        guard site.templates != nil, !scope.stopsEverything, actions.refusal == nil, !selected.contains(where: { !ids.contains($0) }) else {
            return nil
        }
        var plan = BuildPlan(actions: actions, snapshot: snapshot, reuse: actions.reuse, warnings: scope.warnings)
        plan.rows = checking.settle(&plan, parsed: parsed, scope: scope)
        plan.index = indexFingerprint(plan.rows)
        plan.indexCurrent = indexIsCurrent(previous: site.previous, snapshot: snapshot, actions: actions, index: plan.index,
                                           showsNames: site.library.site.indexShowsNames, verify: verify)
        return plan
    }
}

/// The plans of one build read and checked. With `--patient`, the other plans' errors are
/// kept apart: they neither fail this build nor crowd its report, yet still block those
/// plans' own pages.
private struct PlanChecking {
    let site: LoadedSite
    let selected: Set<String>
    let diagnostics: Diagnostics
    let others = Diagnostics()

    func isOther(_ id: String) -> Bool { !selected.isEmpty && !selected.contains(id) }

    func loader(for id: String) -> PlanLoader {
        PlanLoader(layout: site.layout, library: site.library, diagnostics: isOther(id) ? others : diagnostics)
    }

    /// Everything loaded, as hashes; a plan that could not be read counts as changed, and its
    /// error blocks it.
    func snapshot() -> BuildSnapshot {
        var plans: [String: Fingerprint?] = [:]
        plans.reserveCapacity(site.planFiles.count)
        for (i, entry) in site.planFiles.enumerated() {
            let id = entry.slug
            if site.skips(id, selected: selected) {
                plans[id] = Optional<Fingerprint>.none
                continue
            }
            switch site.planBytes[i] {
            case .success(let data)?: plans[id] = Fingerprint(data)
            case .failure(let fault)?:
                loader(for: id).report(fault, reading: entry)
                plans[id] = Fingerprint.absent
            case nil: plans[id] = site.knownPlans[id] ?? Fingerprint.absent
            }
        }
        var published: [String: Fingerprint] = [:]
        published.reserveCapacity(site.onDisk.count)
        for id in site.onDisk { published[id] = site.skips(id, selected: selected) ? .absent : site.stamps[id] ?? .absent }
        return BuildSnapshot(global: site.global, content: site.library.hashes, plans: plans, published: published, shared: site.sharedStamps)
    }

    /// The plans rendered, and for the index's names those reused, read and checked in parallel.
    func parse(render: Set<String>, reuse: [String: BuildManifest.PatientRecord]) -> [PlanLoader.Parsed?] {
        let files = site.planFiles, names = site.library.site.indexShowsNames
        // A plan known by its stat record was not read: it is read now (nil data), if needed.
        let toParse: [(index: Int, data: Data?)] = files.indices.compactMap { i in
            guard render.contains(files[i].slug) || (names && reuse[files[i].slug] != nil) else { return nil }
            if case .success(let data)? = site.planBytes[i] { return (i, data) }
            return site.knownPlans[files[i].slug] != nil ? (i, nil) : nil
        }
        let parsed = ResultSlots<PlanLoader.Parsed>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: toParse.count) { n in
            let (i, known) = toParse[n]
            let loader = loader(for: files[i].slug)
            if let data = known ?? loader.bytes(loader.read(files[i]), of: files[i]) { parsed[i] = loader.parse(files[i], data: data) }
        }
        return parsed.values
    }

    /// Each plan rendered, blocked or reused; returns the index's rows in the plan files' order.
    func settle(_ plan: inout BuildPlan, parsed: [PlanLoader.Parsed?], scope: ErrorScope) -> [PlanSummary] {
        let toRender = Set(plan.actions.render)
        var summaries: [PlanSummary] = []
        summaries.reserveCapacity(site.planFiles.count)
        for (i, entry) in site.planFiles.enumerated() {
            let id = entry.slug
            if toRender.contains(id) {
                if let checked = parsed[i]?.plan, !scope.plansWithErrors.contains(id), !scope.usesBrokenProtocol(checked, library: site.library) {
                    plan.render.append(checked)
                    summaries.append(PlanSummary(plan: checked))
                    continue
                }
                if isOther(id) { plan.othersWithErrors += 1 } else { plan.blocked.append(id) }
                // Its published pages stay (those on disk, manifest or not); the record is
                // marked stale so they are never mistaken for current, and the next build
                // tries the plan again. Its index line is the plan as written now, as far
                // as it can be read.
                guard plan.snapshot.published[id] != nil else { continue }
                if let summary = parsed[i]?.summary ?? site.previous?.patients[id]?.summary {
                    var record = site.previous?.patients[id] ?? BuildManifest.PatientRecord(plan: .absent, dependencies: [:], summary: summary)
                    record.plan = .absent
                    plan.reuse[id] = record
                    summaries.append(summary)
                } else {
                    plan.keptWithoutRecord.append(id)
                }
            } else if let record = plan.reuse[id] {
                summaries.append(parsed[i]?.plan.map(PlanSummary.init) ?? record.summary)
                for warning in record.warnings {
                    diagnostics.warning(warning.message, at: SourceLocation(path: site.layout.display(entry.url), line: warning.line, column: warning.column))
                }
            }
        }
        return summaries
    }
}

/// Which part of the site a run's diagnostics hold back. Errors in content, templates or
/// `site.yaml` stop the build; errors in a plan, or in a protocol, block only the plans that
/// use it. A plan's warnings are kept here to be recorded with it.
struct ErrorScope {
    var stopsEverything = false
    var brokenProtocols: Set<String> = []
    var plansWithErrors: Set<String> = []
    var warnings: [String: [BuildManifest.PatientRecord.Warning]] = [:]

    init(_ diagnostics: [Diagnostic], plans ids: Set<String>) {
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
        // A protocol that did not load is broken too, though its errors name only its file.
        let broken = { (slug: String) in brokenProtocols.contains(slug) || library.failedToLoad("protocols", slug) }
        return broken(slug) || plan.protocols.contains(where: broken)
            || plan.protocols.last.flatMap { library.protocols[$0]?.base }.map(broken) == true
    }
}
