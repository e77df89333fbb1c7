import Foundation

/// Finds, reads and checks plan files. What to read is the build planner's decision; this
/// only does the reading, each file once, so the bytes hashed are the bytes parsed.
struct PlanLoader {
    var layout: SiteLayout
    var library: ContentLibrary
    var diagnostics: Diagnostics
    /// The plans folder with its links followed: a plan may be a link only to a file in it.
    let realFolder: String

    init(layout: SiteLayout, library: ContentLibrary, diagnostics: Diagnostics) {
        self.layout = layout
        self.library = library
        self.diagnostics = diagnostics
        realFolder = FileSystem.resolvedPath(layout.plans.path)
    }

    /// Every plan file; nil when the plans folder is missing or unreadable, which is an
    /// error: an unmounted share must never look like a clinic without patients.
    static func files(_ layout: SiteLayout, diagnostics: Diagnostics) -> [ContentFiles.Entry]? {
        // A file with a bad name is its own problem: it blocks no other plan.
        ContentFiles(layout: layout, diagnostics: diagnostics).entries(in: layout.plans, extension: "yaml", required: true) { .plan($0) }
    }

    /// The plan file's bytes, or why they could not be read: whose error that is depends on
    /// the build (`--patient` keeps other plans' errors apart), so it is reported by `report`.
    func read(_ entry: ContentFiles.Entry) -> Result<Data, FileFault> {
        Result { () throws(FileFault) in
            try FileSystem.readInput(entry.path, limit: .plan, inside: [(real: realFolder, shown: layout.display(layout.plans))])
        }
    }

    /// A plan file that could not be read, reported at the file.
    func report(_ fault: FileFault, reading entry: ContentFiles.Entry) {
        diagnostics.error("cannot read this plan: \(fault.reason)",
                          at: SourceLocation(path: layout.display(entry.url), line: 1, column: 1, owner: .plan(entry.slug)))
    }

    /// The bytes read, the failure reported.
    func bytes(_ read: Result<Data, FileFault>, of entry: ContentFiles.Entry) -> Data? {
        switch read {
        case .success(let data): return data
        case .failure(let fault):
            report(fault, reading: entry)
            return nil
        }
    }

    /// A plan file read and checked: the plan (nil with its errors reported), and its line in
    /// the clinic index as far as the file can be read, which a plan with errors keeps.
    struct Parsed: Sendable {
        var plan: Plan?
        var summary: PlanSummary?
    }

    func parse(_ entry: ContentFiles.Entry, data: Data) -> Parsed {
        let url = entry.url
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.error("file is not UTF-8 text; save it as UTF-8",
                              at: SourceLocation(path: layout.display(url), line: 1, column: 1, owner: .plan(entry.slug)))
            return Parsed()
        }
        let source = YAMLSource(path: layout.display(url), lineOffset: 0, diagnostics: diagnostics, owner: .plan(entry.slug))
        guard let draft = PlanReader.readPlan(id: entry.slug, text: text, source: source) else { return Parsed() }
        let checker = PlanChecker(library: library, diagnostics: diagnostics)
        var plan = checker.plan(from: draft)
        plan?.fileHash = Fingerprint(data)
        return Parsed(plan: plan, summary: plan.map(PlanSummary.init) ?? checker.summary(of: draft))
    }

    /// Each of `selected` (`--patient`) with no plan file, reported at the plans folder.
    static func reportUnknown(_ selected: [String], among files: [ContentFiles.Entry], layout: SiteLayout, diagnostics: Diagnostics) {
        guard !selected.isEmpty else { return }  // a whole build: nothing to look up
        let ids = Set(files.map(\.slug))
        for id in selected where !ids.contains(id) {
            diagnostics.error("no plan '\(id)'" + Suggestion.hint(for: id, in: ids),
                              at: SourceLocation(path: layout.display(layout.plans), line: 0, column: 0))
        }
    }

    /// Every plan, or those of `only` (`check --patient`: an id with no plan is an error,
    /// as for a build), for `check` and the listings.
    func loadAll(only: [String] = []) -> [Plan] {
        let files = Self.files(layout, diagnostics: diagnostics) ?? []
        Self.reportUnknown(only, among: files, layout: layout, diagnostics: diagnostics)
        let entries = only.isEmpty ? files : files.filter { only.contains($0.slug) }
        let slots = ResultSlots<Plan>(count: entries.count)
        DispatchQueue.concurrentPerform(iterations: entries.count) { i in
            slots[i] = bytes(read(entries[i]), of: entries[i]).flatMap { parse(entries[i], data: $0).plan }
        }
        return slots.values.compactMap { $0 }
    }
}
