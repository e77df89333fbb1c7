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
        let templates = TemplateSet.load(from: layout.templates, layout: layout, diagnostics: diagnostics)
        templates?.checkActivities(in: library, diagnostics: diagnostics)
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
            pages.formUnion(plan.education + plan.includePages)
            if let slug = plan.protocolSlug { protocols.insert(slug) }
        }
        for item in library.protocols.values {
            exercises.formUnion((item.fields.exercises ?? []).map(\.slug))
            progressions.formUnion((item.fields.progressions ?? []).map(\.slug))
            pages.formUnion(((item.fields.education ?? []) + (item.fields.includePages ?? [])).map(\.slug))
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
        public var patients: Int { rendered.count }
    }

    /// Steps schedule, render and write. With the previous build's manifest, only patients
    /// whose plan or content changed are rendered and only files whose bytes changed are
    /// written; with `patients`, only those plans are even read.
    public func build(patients selected: [String] = []) -> Report? {
        let library = ContentLoader(layout: layout, diagnostics: diagnostics).load()
        let templates = TemplateSet.load(from: layout.templates, layout: layout, diagnostics: diagnostics)
        templates?.checkActivities(in: library, diagnostics: diagnostics)
        let output = OutputFolder(url: layout.output)
        let global = globalFingerprint(library: library, templates: templates)
        let previous = output.manifest().flatMap { $0.global == global ? $0 : nil }
        var manifest = BuildManifest(global: global)
        manifest.content = library.hashes
        for path in library.pictures {
            manifest.content[path] = Fingerprint(FileManager.default.contents(atPath: layout.content.appendingPathComponent(path).path) ?? Data())
        }
        let libraryCurrent = previous?.content == manifest.content
        let loader = PlanLoader(layout: layout, library: library, diagnostics: diagnostics)
        let entries = loader.load(previous: previous, contentChanged: !libraryCurrent, only: selected)
        guard let templates, !diagnostics.hasErrors else { return nil }
        let known = Set(entries.map(\.summary.id))
        for id in selected where !known.contains(id) {
            diagnostics.error("no plan '\(id)'" + Suggestion.hint(for: id, in: known),
                              at: SourceLocation(path: layout.display(layout.plans), line: 0, column: 0))
        }
        if diagnostics.hasErrors { return nil }

        let renderer = SiteRenderer(library: library, templates: templates)
        let inputs = ScheduleInputs(library: library)
        var fresh: [(plan: Plan, hash: Fingerprint)] = []
        for entry in entries {
            switch entry {
            case let .fresh(plan, hash):
                fresh.append((plan, hash))
                manifest.patients[plan.id] = .init(plan: hash, dependencies: loader.dependencies(of: plan), summary: PlanSummary(plan: plan))
            case let .reused(record):
                manifest.patients[record.summary.id] = record
            }
        }
        let renderPatient: @Sendable (Plan) -> [OutputFile] = { plan in
            renderer.renderPatient(plan, schedule: Scheduler.schedule(plan, inputs: inputs, weekStarts: library.site.weekStarts))
        }
        // What the last build already wrote from the same inputs is not even rendered again.
        let summaries = entries.map(\.summary)
        let indexCurrent = previous.map { previous in
            // The manifest never holds names, so compare without them.
            previous.patients.count == summaries.count && summaries.allSatisfy {
                var unnamed = $0
                unnamed.patient = ""
                return previous.patients[$0.id]?.summary == unnamed
            }
        } ?? false
        let renderShared: @Sendable () -> [OutputFile] = { [manifest] in
            var shared = indexCurrent && !library.site.indexShowsNames ? [] : [renderer.renderIndex(summaries)]
            if !libraryCurrent { shared += renderer.renderLibrary() + assets(library, templates) }
            return shared + [OutputFile(path: BuildManifest.fileName, text: manifest.text)]
        }
        do {
            return try output.withLock {
                if let previous {
                    let removed = Set(previous.patients.keys).subtracting(known).sorted()
                    let written = try output.update(patients: fresh.map(\.plan), render: renderPatient, shared: renderShared(),
                                                    sweep: !libraryCurrent, removing: removed)
                    return Report(rendered: fresh.map(\.plan.id), files: written)
                }
                let staged = try output.stage()
                do {
                    // Patients are rendered and written in parallel and never held all at once;
                    // the index, library and manifest are one more job among them.
                    let plans = fresh.map(\.plan)
                    let written = try inParallel(count: plans.count + 1) { i in
                        let files = i == 0 ? renderShared() : renderPatient(plans[i - 1])
                        for file in files { try staged.write(file) }
                        return files.count
                    }
                    try staged.commit()
                    // The manifest is not counted.
                    return Report(rendered: plans.map(\.id), files: written - 1)
                } catch {
                    staged.discard()
                    throw error
                }
            }
        } catch {
            diagnostics.error("write: \(error)", at: SourceLocation(path: layout.display(layout.output), line: 0, column: 0))
            return nil
        }
    }

    /// What every page depends on: this program, the templates and assets, and site settings.
    private func globalFingerprint(library: ContentLibrary, templates: TemplateSet?) -> Fingerprint {
        var fingerprint = Fingerprint()
        // The running binary, by size and time: a new Handout renders everything again.
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        if let attributes = try? FileManager.default.attributesOfItem(atPath: executable) {
            fingerprint.add("\(attributes[.size] ?? 0) \((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)")
        }
        fingerprint.add(Fingerprint(FileManager.default.contents(atPath: layout.content.appendingPathComponent("site.yaml").path) ?? Data()))
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
        var files = templates.assets.sorted { $0.key < $1.key }
            .map { OutputFile(path: "assets/" + $0.key, data: $0.value) }
        for path in library.pictures.sorted() {
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
