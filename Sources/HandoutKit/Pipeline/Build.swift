import Foundation

/// The named steps of a build: load → validate → schedule → render → write.
/// Each step reports into one `Diagnostics`, so a run shows every problem at once.
public struct BuildPipeline: Sendable {
    public var layout: SiteLayout
    public var diagnostics: Diagnostics
    /// Patients are rendered on every core; one at a time when false, which tests use to
    /// show the output does not depend on the order.
    public var parallel = true

    public init(layout: SiteLayout, diagnostics: Diagnostics) {
        self.layout = layout
        self.diagnostics = diagnostics
    }

    /// Content, templates and every plan, loaded and checked. Nil when anything is wrong.
    public struct Checked: Sendable {
        public var library: ContentLibrary
        public var templates: TemplateSet
        public var plans: [Plan]
    }

    /// Steps load and validate: everything `handout check` needs. With `reportUnused`,
    /// content that no plan or protocol uses is a warning.
    public func check(reportUnused: Bool = false) -> Checked? {
        let library = ContentLoader(layout: layout, diagnostics: diagnostics).load()
        let templates = TemplateLoader(layout: layout, diagnostics: diagnostics).load()
        templates?.checkActivities(in: library, diagnostics: diagnostics)
        let plans = PlanLoader(layout: layout, library: library, diagnostics: diagnostics).loadAll()
        if reportUnused { warnAboutUnused(library, plans: plans) }
        guard let templates, !diagnostics.hasErrors else { return nil }
        return Checked(library: library, templates: templates, plans: plans)
    }

    private func warnAboutUnused(_ library: ContentLibrary, plans: [Plan]) {
        var exercises = Set<String>(), progressions = Set<String>()
        var pages = Set(library.site.includePages + (library.site.painRule.map { [$0] } ?? []))
        var protocols = Set<String>()
        for plan in plans {
            exercises.formUnion(plan.exercises.map(\.slug))
            progressions.formUnion(plan.progressions.map(\.slug))
            pages.formUnion(plan.education + plan.includePages + (plan.painRule.map { [$0] } ?? []))
            if let slug = plan.protocolSlug { protocols.insert(slug) }
        }
        for item in library.protocols.values {
            exercises.formUnion((item.fields.exercises ?? []).map(\.slug))
            progressions.formUnion((item.fields.progressions ?? []).map(\.slug))
            pages.formUnion(item.fields.pageLocations.map(\.0))
            if let base = item.base { protocols.insert(base) }
        }
        func report(_ paths: [String], _ what: String) {
            for path in paths.sorted() {
                diagnostics.warning("no plan or protocol uses this \(what)", at: SourceLocation(path: path, line: 0, column: 0))
            }
        }
        report(library.exercises.values.filter { !exercises.contains($0.slug) }.map(\.path), "exercise")
        report(library.progressions.values.filter { !progressions.contains($0.slug) }.map(\.path), "progression")
        report(library.pages.values.filter { !pages.contains($0.slug) }.map(\.path), "education page")
        report(library.protocols.values.filter { !protocols.contains($0.slug) }.map(\.path), "protocol")
    }

    public struct Report: Sendable {
        /// Plan ids whose pages were rendered (not those reused from the previous build).
        public var rendered: [String]
        public var files: Int
        /// Plans with errors: their published pages were left as they were. With `--patient`,
        /// only the selected ones.
        public var blocked: [String] = []
        /// With `--patient`: other plans this build read and found errors in. Their errors are
        /// not this build's to report (`handout check` lists them), nor do they fail it.
        public var othersWithErrors = 0

        /// "2 plans not updated because of errors: p-0143, p-0150 (…)", or nil; with
        /// `--patient`, a line for the other plans' errors.
        public var blockedSummary: String? {
            var lines: [String] = []
            if !blocked.isEmpty {
                let count = blocked.count
                lines.append("\(count) plan\(count == 1 ? "" : "s") not updated because of errors: \(blocked.joined(separator: ", ")) "
                             + "(published pages left as they were; every other patient was built)")
            }
            if let others = Self.othersLine(othersWithErrors) { lines.append(others) }
            return lines.isEmpty ? nil : lines.joined(separator: "\n")
        }

        /// "2 other plans have errors; run `handout check`", or nil for none.
        public static func othersLine(_ count: Int) -> String? {
            count == 0 ? nil : "\(count) other plan\(count == 1 ? " has" : "s have") errors; run `handout check`"
        }
        public var patients: Int { rendered.count }
    }

    /// Why a build wrote nothing: its inputs are wrong (fix them), or the output could not
    /// be written (another build holds the lock, the disk is full: trying again may work).
    public enum Failure: Error, Sendable {
        case inputs
        case output
    }

    public func build(patients selected: [String] = [], prune: Bool = false, verify: Bool = false) -> Report? {
        try? buildReportingFailure(patients: selected, prune: prune, verify: verify).get()
    }

    /// Steps load → plan → check → render → write. The previous build's manifest and this
    /// build's inputs go to `BuildPlanner`, which decides every patient to render, reuse or
    /// remove; only files whose bytes changed are written. With `patients`, other plans are
    /// not even read. A plan with errors blocks only itself: every other patient is built,
    /// the report names it in `blocked`, and its errors are in `diagnostics`. Published
    /// pages that were changed or deleted since the last build are written again; with
    /// `verify`, every page is rendered and compared with what is published.
    public func buildReportingFailure(patients selected: [String] = [], prune: Bool = false, verify: Bool = false) -> Result<Report, Failure> {
        let output = OutputFolder(url: layout.output, shown: layout.display(layout.output))
        if let overlap = layout.overlap() {
            diagnostics.error(overlap + "; nothing was built or removed", at: SourceLocation(path: output.shown, line: 0, column: 0))
            return .failure(.inputs)
        }
        // Load: every input read once.
        let library = ContentLoader(layout: layout, diagnostics: diagnostics).load()
        let templates = TemplateLoader(layout: layout, diagnostics: diagnostics).load()
        templates?.checkActivities(in: library, diagnostics: diagnostics)
        let global = globalFingerprint(library: library, templates: templates)
        let loader = PlanLoader(layout: layout, library: library, diagnostics: diagnostics)
        // With --patient, the other plans' errors are kept apart: they neither fail this build
        // nor crowd its report, yet still block those plans' own pages.
        let others = Diagnostics()
        let otherLoader = PlanLoader(layout: layout, library: library, diagnostics: others)
        guard let planFiles = loader.files() else { return .failure(.inputs) }
        let previous = output.manifest()
        let onDisk: [String]
        do { onDisk = try output.publishedPatients() } catch {
            diagnostics.error("\(error)", at: SourceLocation(path: output.shown, line: 0, column: 0))
            return .failure(.output)
        }
        let chosen = Set(selected)
        let ids = Set(planFiles.map(\.slug))
        for id in selected where !ids.contains(id) {
            diagnostics.error("no plan '\(id)'" + Suggestion.hint(for: id, in: ids),
                              at: SourceLocation(path: layout.display(layout.plans), line: 0, column: 0))
        }
        let names = library.site.indexShowsNames
        // Unselected plans the previous build published are not read, unless the index needs names.
        let skipped: @Sendable (String) -> Bool = { [previous] id in
            !chosen.isEmpty && !chosen.contains(id) && !names && previous?.global == global && previous?.patients[id] != nil
        }
        let isOther: @Sendable (String) -> Bool = { id in !chosen.isEmpty && !chosen.contains(id) }
        let data = ResultSlots<Data>(count: planFiles.count)
        DispatchQueue.concurrentPerform(iterations: planFiles.count) { i in
            if !skipped(planFiles[i].slug) { data[i] = (isOther(planFiles[i].slug) ? otherLoader : loader).read(planFiles[i]) }
        }
        let bytes = data.values
        var plans: [String: Fingerprint?] = [:]
        for (i, entry) in planFiles.enumerated() {
            // A plan that could not be read counts as changed; its error blocks it below.
            plans[entry.slug] = skipped(entry.slug) ? Optional<Fingerprint>.none : (bytes[i].map(Fingerprint.init) ?? .absent)
        }
        // What is published, checked against what the last build left: one stat per file.
        let checked = onDisk.filter { ids.contains($0) && !skipped($0) }
        var published = output.stamps(ofPatients: checked)
        for id in onDisk where published[id] == nil { published[id] = .absent }
        let sharedOnDisk = output.stamps(ofShared: previous.map { Array($0.shared.keys) } ?? [])

        // Plan: what to render, reuse and remove.
        let snapshot = BuildSnapshot(global: global, content: library.hashes, plans: plans, published: published, shared: sharedOnDisk)
        let actions = BuildPlanner.plan(previous: previous, snapshot: snapshot, selected: chosen, prune: prune, verify: verify)

        let toRender = Set(actions.render)
        // Check: parse what is rendered (and, for the index's names, what is reused).
        let toParse = planFiles.indices.filter { i in
            let id = planFiles[i].slug
            return bytes[i] != nil && (toRender.contains(id) || (names && actions.reuse[id] != nil))
        }
        let parsed = ResultSlots<PlanLoader.Parsed>(count: planFiles.count)
        DispatchQueue.concurrentPerform(iterations: toParse.count) { n in
            let i = toParse[n]
            parsed[i] = (isOther(planFiles[i].slug) ? otherLoader : loader).parse(planFiles[i], data: bytes[i]!)
        }
        if let refusal = actions.refusal {
            diagnostics.error(refusal, at: SourceLocation(path: layout.display(layout.plans), line: 0, column: 0))
        }
        let scope = ErrorScope(diagnostics.all + others.all, plans: ids, library: library)
        // Their warnings are reported as every plan's are; their errors only counted.
        for warning in others.all where warning.severity == .warning { diagnostics.append(warning) }
        guard let templates, !scope.stopsEverything, actions.refusal == nil, !selected.contains(where: { !ids.contains($0) }) else {
            return .failure(.inputs)
        }
        let parsedPlans = parsed.values
        var rendering: [Plan] = []
        var blocked: [String] = []
        var othersWithErrors = 0
        var reuse = actions.reuse
        var summaries: [String: PlanSummary] = [:]
        // Patients whose pages stay as published though no record says what they hold.
        var keptWithoutRecord: [String] = []
        for (i, entry) in planFiles.enumerated() {
            let id = entry.slug
            if toRender.contains(id) {
                if let plan = parsedPlans[i]?.plan, !scope.plansWithErrors.contains(id), !scope.usesBrokenProtocol(plan, library: library) {
                    rendering.append(plan)
                    summaries[id] = PlanSummary(plan: plan)
                } else {
                    if isOther(id) { othersWithErrors += 1 } else { blocked.append(id) }
                    // Its published pages stay (those on disk, manifest or not); the record is
                    // marked stale so they are never mistaken for current, and the next build
                    // tries the plan again. Its index line is the plan as written now, as far
                    // as it can be read.
                    guard published[id] != nil else { continue }
                    if let summary = parsedPlans[i]?.summary ?? previous?.patients[id]?.summary {
                        var record = previous?.patients[id] ?? BuildManifest.PatientRecord(plan: .absent, dependencies: [:], summary: summary)
                        record.plan = .absent
                        reuse[id] = record
                        summaries[id] = summary
                    } else {
                        keptWithoutRecord.append(id)
                    }
                }
            } else if let record = reuse[id] {
                summaries[id] = parsedPlans[i]?.plan.map(PlanSummary.init) ?? record.summary
                for warning in record.warnings {
                    diagnostics.warning(warning.message, at: SourceLocation(path: layout.display(entry.url), line: warning.line, column: warning.column))
                }
            }
        }
        // Schedule and render.
        let render = rendering
        let renderer = SiteRenderer(library: library, templates: templates)
        let inputs = ScheduleInputs(library: library)
        let hashes = library.hashes
        let records = ResultSlots<BuildManifest.PatientRecord>(count: render.count)
        let index = Dictionary(uniqueKeysWithValues: render.enumerated().map { ($1.id, $0) })
        let renderPatient: @Sendable (Plan) -> [OutputFile] = { plan in
            let (files, reads) = renderer.renderPatientRecordingReads(plan, schedule: Scheduler.schedule(plan, inputs: inputs, weekStarts: library.site.weekStarts))
            var dependencies: [String: Fingerprint] = [:]
            for key in reads { dependencies[key] = hashes[key] ?? .absent }
            records[index[plan.id]!] = .init(plan: snapshot.plans[plan.id]!!, dependencies: dependencies, summary: PlanSummary(plan: plan))
            return files
        }
        let rows = summaries.values.sorted { $0.id < $1.id }
        let indexPrint = BuildPlanner.indexFingerprint(rows)
        let indexCurrent = BuildPlanner.indexIsCurrent(previous: previous, snapshot: snapshot, actions: actions, index: indexPrint,
                                                       showsNames: names, verify: verify)
        let renderShared: @Sendable () -> [OutputFile] = {
            var shared = indexCurrent ? [] : [renderer.renderIndex(rows)]
            if actions.renderLibrary { shared += renderer.renderLibrary() + assets(library, templates) }
            return shared
        }
        let keptShared = (actions.renderLibrary ? [] : actions.keptShared) + (indexCurrent ? [SiteLayout.indexPage] : [])
        func manifest(stamps: OutputFolder.Stamps) -> OutputFile {
            var manifest = BuildManifest(global: global)
            manifest.library = snapshot.library
            manifest.index = indexPrint
            manifest.shared = stamps.shared
            manifest.patients = reuse
            // Unselected patients of a `--patient` build (not checked) keep the record they had.
            for id in reuse.keys {
                if let stamp = stamps.patients[id] ?? published[id], stamp != .absent { manifest.patients[id]?.output = stamp }
            }
            for case var record? in records.values {
                record.warnings = scope.warnings[record.summary.id] ?? []
                record.output = stamps.patients[record.summary.id] ?? .absent
                manifest.patients[record.summary.id] = record
            }
            return OutputFile(path: BuildManifest.fileName, text: manifest.text)
        }

        // Write.
        do {
            let written = try output.withLock {
                if actions.incremental, FileSystem.exists(output.url.path) {
                    let shared = renderShared()
                    return try output.update(patients: render, render: renderPatient, shared: shared, keep: Set(keptShared),
                                             keepPatients: Set(summaries.keys).union(keptWithoutRecord), compare: verify,
                                             manifest: manifest(stamps:))
                }
                try output.checkOwnership()
                let staged = try output.stage()
                do {
                    // Patients are rendered and written in parallel and never held all at once;
                    // the shared pages are one more job among them. Patients not rendered
                    // (blocked by errors) keep the pages they had.
                    let sharedFiles = ResultSlots<[OutputFile]>(count: 1)
                    let kept = (reuse.keys + keptWithoutRecord).sorted()
                    let written = try inParallel(count: render.count + 1 + kept.count) { i in
                        let files: [OutputFile]
                        if i == 0 {
                            files = renderShared()
                            sharedFiles[0] = files
                        } else if i <= render.count {
                            files = renderPatient(render[i - 1])
                        } else {
                            files = try output.publishedFiles(ofPatient: kept[i - render.count - 1])
                            for file in files { try staged.write(file) }
                            return 0
                        }
                        for file in files { try staged.write(file) }
                        return files.count
                    }
                    // The stat records of the files as written here; swapping the folder in keeps them.
                    let stamps = OutputFolder.Stamps(
                        patients: output.stamps(ofPatients: render.map(\.id) + kept, in: staged.root),
                        shared: output.stamps(ofShared: (sharedFiles[0] ?? []).map(\.path), in: staged.root))
                    try staged.write(manifest(stamps: stamps))
                    try staged.commit()
                    return written
                } catch {
                    staged.discard()
                    throw error
                }
            }
            return .success(Report(rendered: render.map(\.id), files: written, blocked: blocked, othersWithErrors: othersWithErrors))
        } catch let problem as OutputFolder.Problem {
            diagnostics.error(problem.description, at: SourceLocation(path: output.shown, line: 0, column: 0))
            return .failure(.output)
        } catch {
            diagnostics.error("\(FileFault("write", output.shown, error: error)); the published site was left as it was",
                              at: SourceLocation(path: output.shown, line: 0, column: 0))
            return .failure(.output)
        }
    }

    /// What every page depends on: this program, the templates and assets, and site settings.
    func globalFingerprint(library: ContentLibrary, templates: TemplateSet?) -> Fingerprint {
        var fingerprint = Fingerprint()
        // The running binary, by size and time: a new Handout renders everything again.
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        if let attributes = try? FileManager.default.attributesOfItem(atPath: executable) {
            fingerprint.add("\(attributes[.size] ?? 0) \((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)")
        }
        fingerprint.add(library.siteHash)
        for (name, text) in (templates?.sources ?? [:]).sorted(by: { $0.key < $1.key }) {
            fingerprint.add(name)
            fingerprint.add(text)
        }
        for (name, data) in (templates?.assets ?? [:]).sorted(by: { $0.key < $1.key }) {
            fingerprint.add(name)
            fingerprint.add(Fingerprint(data))
        }
        return fingerprint
    }

    /// Runs `body` for 0..<count across all cores (unless `parallel` is off); returns the
    /// sum of its results.
    func inParallel(count: Int, _ body: @Sendable (Int) throws -> Int) throws -> Int {
        guard parallel else { return try (0..<count).reduce(0) { $0 + (try body($1)) } }
        let results = ResultSlots<Result<Int, Error>>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { i in
            results[i] = Result { try body(i) }
        }
        return try results.values.reduce(0) { $0 + (try $1?.get() ?? 0) }
    }

    /// Stylesheets and scripts from `Templates/assets`, and the pictures content shows.
    private func assets(_ library: ContentLibrary, _ templates: TemplateSet) -> [OutputFile] {
        templates.assets.sorted { $0.key < $1.key }.map { OutputFile(path: "assets/" + $0.key, data: $0.value) }
            + library.pictureData.sorted { $0.key < $1.key }.map { OutputFile(path: "assets/" + $0.key, data: $0.value) }
    }
}
