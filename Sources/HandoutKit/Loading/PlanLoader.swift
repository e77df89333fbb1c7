import Foundation

/// Finds, reads and checks plan files. What to read is the build planner's decision; this
/// only does the reading, each file once, so the bytes hashed are the bytes parsed.
struct PlanLoader {
    var layout: SiteLayout
    var library: ContentLibrary
    var diagnostics: Diagnostics

    /// Every plan file; nil when the plans folder is missing or unreadable, which is an
    /// error: an unmounted share must never look like a clinic without patients.
    func files() -> [ContentFiles.Entry]? {
        ContentFiles(layout: layout, diagnostics: diagnostics).entries(in: layout.plans, extension: "yaml", required: true)
    }

    /// The plan file's bytes; a failure is reported at the file.
    func read(_ entry: ContentFiles.Entry) -> Data? {
        do {
            return try FileSystem.read(entry.path)
        } catch {
            diagnostics.error("cannot read this plan: \(error.reason)", at: SourceLocation(path: layout.display(entry.url), line: 0, column: 0))
            return nil
        }
    }

    /// The checked plan, or nil with its errors reported.
    func parse(_ entry: ContentFiles.Entry, data: Data) -> Plan? {
        let url = entry.url
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.error("file is not UTF-8 text; save it as UTF-8", at: SourceLocation(path: layout.display(url), line: 1, column: 1))
            return nil
        }
        let source = YAMLSource(path: layout.display(url), lineOffset: 0, diagnostics: diagnostics)
        guard let draft = PlanReader.readPlan(id: entry.slug, text: text, source: source) else { return nil }
        return PlanChecker(library: library, diagnostics: diagnostics).plan(from: draft)
    }

    /// Every plan, for `check` and the listings.
    func loadAll() -> [Plan] {
        let entries = files() ?? []
        let slots = ResultSlots<Plan>(count: entries.count)
        DispatchQueue.concurrentPerform(iterations: entries.count) { i in
            slots[i] = read(entries[i]).flatMap { parse(entries[i], data: $0) }
        }
        return slots.values.compactMap { $0 }
    }
}
