import Foundation

/// The named steps of a build: load → validate → schedule → render → write.
/// Each step reports into one `Diagnostics`, so a run shows every problem at once.
public struct BuildPipeline {
    public var layout: SiteLayout
    public var diagnostics: Diagnostics

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
        let templates = TemplateSet.load(from: layout.templates, layout: layout, diagnostics: diagnostics)
        let plans = PlanLoader(layout: layout, library: library, diagnostics: diagnostics).loadAll()
        if reportUnused { warnAboutUnused(library, plans: plans) }
        guard let templates, !diagnostics.hasErrors else { return nil }
        return Checked(library: library, templates: templates, plans: plans)
    }

    private func warnAboutUnused(_ library: ContentLibrary, plans: [Plan]) {
        var exercises = Set<String>(), progressions = Set<String>(), pages = Set(library.site.includePages)
        var protocols = Set<String>()
        for plan in plans {
            exercises.formUnion(plan.exercises.map(\.slug))
            progressions.formUnion(plan.progressions.map(\.slug))
            pages.formUnion(plan.education)
            if let slug = plan.protocolSlug { protocols.insert(slug) }
        }
        for item in library.protocols.values {
            exercises.formUnion((item.fields.exercises ?? []).map(\.slug))
            progressions.formUnion((item.fields.progressions ?? []).map(\.slug))
            pages.formUnion((item.fields.education ?? []).map(\.slug))
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
        public var patients: Int
        public var files: Int
    }

    /// Steps schedule, render and write. With `patients`, only their pages (and the index) are
    /// rendered; the rest of the previous output is kept.
    public func build(patients selected: [String] = []) -> Report? {
        guard let checked = check() else { return nil }
        let known = Set(checked.plans.map(\.id))
        for id in selected where !known.contains(id) {
            diagnostics.error("no plan '\(id)'" + Suggestion.hint(for: id, in: known),
                              at: SourceLocation(path: layout.display(layout.plans), line: 0, column: 0))
        }
        if diagnostics.hasErrors { return nil }
        let renderer = SiteRenderer(library: checked.library, templates: checked.templates)
        let chosen = selected.isEmpty ? checked.plans : checked.plans.filter { selected.contains($0.id) }
        let inputs = ScheduleInputs(library: checked.library)
        let weekStarts = checked.library.site.weekStarts
        let output = OutputFolder(url: layout.output)
        var written = 0
        do {
            try output.withLock {
                let staged = try output.stage(keepingOthers: !selected.isEmpty)
                do {
                    // Patients are rendered and written in parallel and never held all at once.
                    written += try forEachInParallel(chosen) { plan in
                        let schedule = Scheduler.schedule(plan, inputs: inputs, weekStarts: weekStarts)
                        let files = renderer.renderPatient(plan, schedule: schedule)
                        for file in files { try staged.write(file) }
                        return files.count
                    }
                    var shared = [renderer.renderIndex(checked.plans.map(PlanSummary.init))]
                    if selected.isEmpty {
                        shared += renderer.renderLibrary()
                        shared += assets(checked)
                    }
                    for file in shared { try staged.write(file) }
                    written += shared.count
                    try staged.commit()
                } catch {
                    staged.discard()
                    throw error
                }
            }
        } catch {
            diagnostics.error("write: \(error)", at: SourceLocation(path: layout.display(layout.output), line: 0, column: 0))
            return nil
        }
        return Report(patients: chosen.count, files: written)
    }

    /// Runs `body` for every plan across all cores; returns the sum of its results.
    private func forEachInParallel(_ plans: [Plan], _ body: @Sendable (Plan) throws -> Int) throws -> Int {
        let results = ResultSlots<Result<Int, Error>>(count: plans.count)
        DispatchQueue.concurrentPerform(iterations: plans.count) { i in
            results[i] = Result { try body(plans[i]) }
        }
        return try results.values.reduce(0) { $0 + (try $1?.get() ?? 0) }
    }

    /// Stylesheets and scripts from `Templates/assets`, and the pictures content shows.
    private func assets(_ checked: Checked) -> [OutputFile] {
        var files = checked.templates.assets.sorted { $0.key < $1.key }
            .map { OutputFile(path: "assets/" + $0.key, data: $0.value) }
        for path in checked.library.pictures.sorted() {
            if let data = FileManager.default.contents(atPath: layout.content.appendingPathComponent(path).path) {
                files.append(OutputFile(path: "assets/" + path, data: data))
            }
        }
        return files
    }
}

/// Fixed slots written from parallel iterations, each by exactly one iteration.
final class ResultSlots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    subscript(index: Int) -> T? {
        get { lock.withLock { storage[index] } }
        set { lock.withLock { storage[index] = newValue } }
    }

    var values: [T?] { lock.withLock { storage } }
}
