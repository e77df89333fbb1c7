import Foundation

/// Loads every plan file, merges its protocol and checks it against the content library.
struct PlanLoader {
    var layout: SiteLayout
    var library: ContentLibrary
    var diagnostics: Diagnostics

    func loadAll() -> [Plan] {
        let files = ContentFiles(layout: layout, diagnostics: diagnostics)
        let entries = files.entries(in: layout.plans, extension: "yaml")
        let slots = ResultSlots<Plan>(count: entries.count)
        let checker = PlanChecker(library: library, diagnostics: diagnostics)
        DispatchQueue.concurrentPerform(iterations: entries.count) { i in
            let (id, url) = entries[i]
            guard let text = files.read(url) else { return }
            let source = YAMLSource(path: layout.display(url), lineOffset: 0, diagnostics: diagnostics)
            guard let draft = PlanReader.readPlan(id: id, text: text, source: source) else { return }
            slots[i] = checker.plan(from: draft)
        }
        return slots.values.compactMap { $0 }
    }
}
