import Foundation

/// Everything a build reads, read once: content, templates and strings, the plan files'
/// bytes, and what the last build left in the output folder (its manifest, the patient
/// folders there and their stat records). `handout pdf` loads it once for choosing and
/// building the patients it prints.
public struct LoadedSite: Sendable {
    public let layout: SiteLayout
    public let library: ContentLibrary
    /// Nil when the templates have errors (reported).
    public let templates: TemplateSet?
    /// What every page depends on: this program, the templates and assets, site settings.
    let global: Fingerprint
    let output: OutputFolder
    let planFiles: [ContentFiles.Entry]
    /// Each plan file's bytes, or why they could not be read; nil where not read.
    var planBytes: [Result<Data, FileFault>?] = []
    /// Plans not read because the stat index found them as the build that wrote the manifest
    /// read them, with the manifest's hash of their bytes.
    var knownPlans: [String: Fingerprint] = [:]
    let previous: BuildManifest?
    /// The patient folders in the published site, whatever the manifest says.
    let onDisk: [String]
    /// The stat records of the patient folders checked (those whose plans were read).
    var stamps: [String: Fingerprint] = [:]
    /// The stat record of each shared file the previous manifest lists that is still there.
    let sharedStamps: [String: Fingerprint]

    /// Unselected plans the previous build published are not read, unless the index needs
    /// their names: with ten thousand plans, `--patient` reads one of them.
    func skips(_ id: String, selected: Set<String>) -> Bool {
        !selected.isEmpty && !selected.contains(id) && !library.site.indexShowsNames
            && previous?.global == global && previous?.patients[id] != nil
    }
}

/// Step one of a build: read everything, each file once. Problems go to `diagnostics`.
public enum SiteLoader {
    /// With `selected` (`--patient`), plans `LoadedSite.skips` are not read; without, every plan is.
    /// What the stat index found `unchanged` since the build that wrote the manifest is taken
    /// from the manifest: a plan's hash (the plan is read only if it must be parsed), a
    /// patient folder's stat record.
    static func load(_ layout: SiteLayout, selected: Set<String> = [], unchanged: StatIndex.Comparison? = nil, diagnostics: Diagnostics)
        -> Result<LoadedSite, BuildPipeline.Failure> {
        let output = OutputFolder(url: layout.output, shown: layout.display(layout.output))
        if let overlap = layout.overlap() {
            diagnostics.error(overlap + "; nothing was built or removed", at: SourceLocation(path: output.shown, line: 0, column: 0))
            return .failure(.inputs)
        }
        // Content, templates, the plan files' names and what the last build left do not depend
        // on each other: all but the content are read beside it, which fills the cores.
        let manifestRead = ResultSlots<BuildManifest?>(count: 1)
        let listedRead = ResultSlots<[ContentFiles.Entry]?>(count: 1), publishedRead = ResultSlots<Result<[String], Error>>(count: 1)
        let alongside = DispatchGroup()
        DispatchQueue.global().async(group: alongside) { manifestRead[0] = output.manifest() }
        DispatchQueue.global().async(group: alongside) {
            listedRead[0] = PlanLoader.files(layout, diagnostics: diagnostics)
            publishedRead[0] = Result { try output.publishedPatients() }
        }
        let (library, templates) = contentAndTemplates(layout, diagnostics: diagnostics, alongside: alongside)
        let previous = manifestRead.take(0)!, loader = PlanLoader(layout: layout, library: library, diagnostics: diagnostics)
        guard let planFiles = listedRead.take(0)! else { return .failure(.inputs) }
        let onDisk: [String]
        do { onDisk = try publishedRead.take(0)!.get() } catch {
            diagnostics.error("\(error)", at: SourceLocation(path: output.shown, line: 0, column: 0))
            return .failure(.output)
        }
        var site = LoadedSite(layout: layout, library: library, templates: templates, global: globalFingerprint(library: library, templates: templates),
                              output: output, planFiles: planFiles, previous: previous, onDisk: onDisk,
                              sharedStamps: output.stamps(ofShared: previous.map { Array($0.shared.keys) } ?? []))
        for entry in planFiles where unchanged?.inputs.contains(entry.path) == true {
            if let record = previous?.patients[entry.slug], record.plan != .absent { site.knownPlans[entry.slug] = record.plan }
        }
        let bytes = ResultSlots<Result<Data, FileFault>>(count: planFiles.count)
        let reading = site
        DispatchQueue.concurrentPerform(iterations: planFiles.count) { i in
            let id = planFiles[i].slug
            if !reading.skips(id, selected: selected), reading.knownPlans[id] == nil { bytes[i] = loader.read(planFiles[i]) }
        }
        site.planBytes = bytes.values
        // What is published, checked against what the last build left: one stat per file.
        let ids = Set(planFiles.map(\.slug))
        var toStat: [String] = []
        for id in onDisk where ids.contains(id) && !reading.skips(id, selected: selected) {
            if unchanged?.patients[id] != nil, let record = previous?.patients[id] { site.stamps[id] = record.output } else { toStat.append(id) }
        }
        site.stamps.merge(output.stamps(ofPatients: toStat)) { _, new in new }
        return .success(site)
    }

    /// The content, read here, and the templates, read beside it, with the activity words
    /// each language lacks noted in the library; returns when both, and every job already in
    /// `alongside`, are done.
    /// A build and `handout check` read them so.
    static func contentAndTemplates(_ layout: SiteLayout, diagnostics: Diagnostics, alongside: DispatchGroup = DispatchGroup())
        -> (library: ContentLibrary, templates: TemplateSet?) {
        let templatesRead = ResultSlots<TemplateSet?>(count: 1)
        DispatchQueue.global().async(group: alongside) { templatesRead[0] = TemplateLoader(layout: layout, diagnostics: diagnostics).load() }
        var library = ContentLoader(layout: layout, diagnostics: diagnostics).load()
        alongside.wait()
        let templates = templatesRead.take(0)!
        library.activitiesWithoutWord = templates?.activitiesWithoutWord(in: library) ?? [:]
        return (library, templates)
    }

    /// The running binary, by size and time: a new Handout renders everything again.
    static let programStamp: String = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: executable) else { return "" }
        return "\(attributes[.size] ?? 0) \((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
    }()

    /// What every page depends on: this program, the templates and assets, site settings,
    /// and whether any content is translated into the originals' language (`ContentLibrary.text`).
    static func globalFingerprint(library: ContentLibrary, templates: TemplateSet?) -> Fingerprint {
        var fingerprint = Fingerprint()
        fingerprint.add(programStamp)
        fingerprint.add(library.siteHash)
        fingerprint.add(library.originalsTranslated ? "originals translated" : "")
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
}
