import Foundation

/// The steps of a build: load (`SiteLoader`) → plan (`BuildPlanner`) → schedule and render
/// each patient → write (`OutputSession`); `check` runs only the loaders and checks. Each step
/// reports into one `Diagnostics`, so a run shows every problem at once.
public struct BuildPipeline: Sendable {
    public var layout: SiteLayout
    public var diagnostics: Diagnostics
    /// Patients are rendered on every core; one at a time when false, which tests use to
    /// show the output does not depend on the order.
    public var parallel = true
    /// When a build begins: files changed since (or less than `StatIndex.racyMargin` before)
    /// are not trusted by their stat records.
    public var clock: @Sendable () -> Date = { Date() }

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
    public func check(reportUnused: Bool = false, patients: [String] = []) -> Checked? {
        let (library, templates) = SiteLoader.contentAndTemplates(layout, diagnostics: diagnostics)
        let plans = PlanLoader(layout: layout, library: library, diagnostics: diagnostics).loadAll(only: patients)
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
                diagnostics.warning("no plan or protocol uses this \(what)", at: SourceLocation(path: path, line: 1, column: 1))
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

    /// Steps load → plan → render → write. The previous build's manifest and this build's
    /// inputs go to `BuildPlanner`, which decides every patient to render, reuse or remove;
    /// only files whose bytes changed are written. With `patients`, other plans are not even
    /// read. A plan with errors blocks only itself: every other patient is built, the report
    /// names it in `blocked`, and its errors are in `diagnostics`. Published pages that were
    /// changed or deleted since the last build are written again; with `verify`, every page
    /// is rendered and compared with what is published.
    /// Before all that, the stat records of the last clean full build (`StatIndex`): when no
    /// file changed since, its warnings are reported again and nothing else is done.
    public func buildReportingFailure(patients selected: [String] = [], prune: Bool = false, verify: Bool = false) -> Result<Report, Failure> {
        let began = clock()
        let comparison = selected.isEmpty && !verify ? StatIndex.compare(layout) : nil
        if let warnings = comparison?.warnings {
            warnings.forEach(diagnostics.append)
            return .success(Report(rendered: [], files: 0))
        }
        switch SiteLoader.load(layout, selected: Set(selected), unchanged: comparison, diagnostics: diagnostics) {
        case .failure(let failure): return .failure(failure)
        // Handed over, so the build can let the plan files' bytes go once they are planned.
        case .success(let site): return build(site, patients: selected, prune: prune, verify: verify, began: began, unchanged: comparison)
        }
    }

    /// Steps plan → render → write, on a site already loaded: with no selection (every plan
    /// read), or with one that holds `patients`.
    public func build(_ site: LoadedSite, patients selected: [String] = [], prune: Bool = false, verify: Bool = false) -> Result<Report, Failure> {
        build(site, patients: selected, prune: prune, verify: verify, began: nil, unchanged: nil)
    }

    /// With `began`, when the build began reading, a build of every plan without errors
    /// records the stat of every file for the next (`StatIndex`); `unchanged` is what the last
    /// index found as it left it (patient folders, input folders), taken into the next as it is.
    func build(_ site: consuming LoadedSite, patients selected: [String], prune: Bool, verify: Bool, began: Date?,
               unchanged: StatIndex.Comparison?) -> Result<Report, Failure> {
        guard let plan = BuildPlanner.plan(site, selected: selected, prune: prune, verify: verify, diagnostics: diagnostics),
              let templates = site.templates else { return .failure(.inputs) }
        // Planned: the plan files' bytes (5 MB at 10,000 plans) are not read again. (The
        // parallel steps below read the site through a constant.)
        site.planBytes = []
        let site = copy site
        let renderer = SiteRenderer(library: site.library, templates: templates)
        let inputs = ScheduleInputs(library: site.library)
        let output = site.output
        do {
            let written = try output.withLock {
                let session = try output.session(incremental: plan.actions.incremental, compare: verify)
                do {
                    // Patients are rendered and written in parallel and never held all at
                    // once; the shared pages are one more job among them.
                    let shared = ResultSlots<[OutputFile]>(count: 1)
                    try inParallel(count: plan.render.count + 1) { i in
                        if i == 0 {
                            shared[0] = sharedFiles(plan, site: site, renderer: renderer, templates: templates, verify: verify)
                        } else {
                            try session.add(render(plan.render[i - 1], plan: plan, site: site, renderer: renderer, inputs: inputs))
                        }
                    }
                    // Handed over: the session lets the pages go once they are written.
                    let written = try session.commit(shared: shared.take(0) ?? [], keep: plan.kept, manifest: plan.manifest)
                    if let began, selected.isEmpty, !diagnostics.hasErrors {
                        // Only speed depends on it: a site whose index cannot be written is read in full next time.
                        try? StatIndex.record(layout, warnings: diagnostics.all, began: began, keeping: unchanged?.patients ?? [:],
                                              except: Set(plan.render.map(\.id)), inputs: unchanged?.inputFolders ?? [:])?.write(to: output.url.path)
                    }
                    return written
                } catch {
                    session.discard()
                    throw error
                }
            }
            return .success(Report(rendered: plan.render.map(\.id), files: written, blocked: plan.blocked, othersWithErrors: plan.othersWithErrors))
        } catch let problem as OutputFolder.Problem {
            diagnostics.error(problem.description, at: SourceLocation(path: output.shown, line: 0, column: 0))
            return .failure(.output)
        } catch {
            diagnostics.error("\(FileFault("write", output.shown, error: error)); the published site was left as it was",
                              at: SourceLocation(path: output.shown, line: 0, column: 0))
            return .failure(.output)
        }
    }

    /// One patient's pages, scheduled and rendered, with the content they read and its hashes.
    private func render(_ patient: Plan, plan: BuildPlan, site: LoadedSite, renderer: SiteRenderer, inputs: ScheduleInputs) -> RenderedPatient {
        let schedule = Scheduler.schedule(patient, inputs: inputs, weekStarts: site.library.site.weekStarts)
        let (files, reads) = renderer.renderPatientRecordingReads(patient, schedule: schedule)
        var dependencies: [String: Fingerprint] = [:]
        for key in reads { dependencies[key] = site.library.hashes[key] ?? .absent }
        let record = BuildManifest.PatientRecord(plan: plan.snapshot.plans[patient.id]!!, dependencies: dependencies, summary: PlanSummary(plan: patient))
        return RenderedPatient(id: patient.id, files: files, record: record)
    }

    /// The clinic index unless it is current, with the rows it keeps for the next build (the
    /// last build's reused, unless `verify` asks for everything to be rendered), and the
    /// library pages, the print stylesheets and assets when they changed. The stylesheets
    /// depend only on the templates, strings and `site.yaml`, which a build that keeps them
    /// (`renderLibrary` false) has as the last build had them.
    private func sharedFiles(_ plan: BuildPlan, site: LoadedSite, renderer: SiteRenderer, templates: TemplateSet, verify: Bool) -> [OutputFile] {
        var shared: [OutputFile] = []
        if !plan.indexCurrent {
            let index = renderer.renderIndex(plan.rows) { verify ? [:] : site.output.indexRows(global: site.global) }
            shared.append(index.page)
            if let rows = index.rows { shared.append(IndexRowCache(global: site.global, index: index.page.data, rows: rows).file) }
        }
        if plan.actions.renderLibrary { shared += renderer.renderLibrary() + renderer.renderPrintStylesheets() + assets(site.library, templates) }
        return shared
    }

    /// Runs `body` for 0..<count across all cores (unless `parallel` is off); throws the
    /// first error.
    func inParallel(count: Int, _ body: @Sendable (Int) throws -> Void) throws {
        guard parallel else { return try (0..<count).forEach(body) }
        let results = ResultSlots<Error>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { i in
            do { try body(i) } catch { results[i] = error }
        }
        if let error = results.values.lazy.compactMap({ $0 }).first { throw error }
    }

    /// Stylesheets and scripts from `Templates/assets`, and the pictures content shows.
    private func assets(_ library: ContentLibrary, _ templates: TemplateSet) -> [OutputFile] {
        templates.assets.sorted { $0.key < $1.key }.map { OutputFile(path: "assets/" + $0.key, data: $0.value) }
            + library.pictureData.sorted { $0.key < $1.key }.map { OutputFile(path: "assets/" + $0.key, data: $0.value) }
    }
}
