import Foundation
@testable import HandoutKit

/// A throwaway copy of a fixture site (plus the repository's templates) in a temporary folder.
struct TestSite {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/HandoutKitTests/Fixtures")

    let root: URL

    init(fixture: String = "minimal") throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("handout-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(fixture).appendingPathComponent("Content"),
                                         to: root.appendingPathComponent("Content"))
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("Templates"),
                                         to: root.appendingPathComponent("Templates"))
    }

    /// A site already laid out at `root` (the golden test builds its own).
    init(existing root: URL) { self.root = root }

    var layout: SiteLayout { SiteLayout(root: root) }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    func write(_ path: String, _ text: String) throws {
        let target = url(path)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: target)
    }

    func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: url(path))
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: url(path), encoding: .utf8)
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: url(path).path) }

    /// The print rules the published page `page` (`patients/p-0001/index.html`) links: the
    /// stylesheet after site.css, found from the page's own `<link>`.
    func printStylesheet(of page: String) throws -> String {
        let html = try read("Output/" + page)
        let links = html.matches(of: /<link rel="stylesheet" href="([^"]*)">/).map { String($0.1) }.filter { !$0.hasSuffix("/site.css") }
        let folder = page.split(separator: "/").dropLast().joined(separator: "/") + "/"
        guard links.count == 1, let path = PrintedPages.resolved(links[0], from: folder) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "\(page) links \(links)"])
        }
        return try read("Output/" + path)
    }

    /// Every diagnostic of `handout check`, as the user sees it.
    func check() -> [String] {
        let diagnostics = Diagnostics()
        _ = BuildPipeline(layout: layout, diagnostics: diagnostics).check()
        return diagnostics.all.map(\.description)
    }

    func errors() -> [String] { check().filter { $0.contains(": error: ") } }

    @discardableResult
    /// With `settled`, the build begins as if every file had been left alone for a while, so
    /// it trusts every stat record (`StatIndex`).
    func build(patients: [String] = [], prune: Bool = false, parallel: Bool = true, settled: Bool = false)
        -> (report: BuildPipeline.Report?, diagnostics: [String]) {
        let diagnostics = Diagnostics()
        var pipeline = BuildPipeline(layout: layout, diagnostics: diagnostics)
        pipeline.parallel = parallel
        if settled { pipeline.clock = { Date().addingTimeInterval(60) } }
        let report = pipeline.build(patients: patients, prune: prune)
        return (report, diagnostics.all.map(\.description))
    }

    /// The output of a full build of the site's current inputs into a fresh folder,
    /// manifest and stat index aside: what an incremental build must equal.
    func fullBuild() throws -> [String: Data] {
        let fresh = url("full-\(UUID().uuidString)")
        var layout = self.layout
        layout.output = fresh
        _ = BuildPipeline(layout: layout, diagnostics: Diagnostics()).build(prune: true)
        var files: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: fresh.path)! where !FileSystem.isFolder(fresh.path + "/" + path) {
            files[path] = FileManager.default.contents(atPath: fresh.path + "/" + path)
        }
        try FileManager.default.removeItem(at: fresh)
        return Self.withoutRecords(files)
    }

    /// Every file under `Output/` but the manifest and the stat index, which hold the stat
    /// records of this copy of the files (inodes, times), for comparing builds of the same inputs.
    func publishedSnapshot() throws -> [String: Data] {
        Self.withoutRecords(try outputSnapshot())
    }

    /// A snapshot without the manifest and the stat index.
    static func withoutRecords(_ snapshot: [String: Data]) -> [String: Data] {
        snapshot.filter { $0.key != BuildManifest.fileName && $0.key != StatIndex.fileName }
    }

    /// Every file under `Output/` with its bytes, for comparing builds.
    func outputSnapshot() throws -> [String: Data] {
        try snapshot(of: url("Output"))
    }

    /// Every file under `output` with its bytes.
    func snapshot(of output: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: output.path) else { return files }
        for case let path as String in enumerator {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: output.appendingPathComponent(path).path, isDirectory: &isDirectory),
               !isDirectory.boolValue {
                files[path] = FileManager.default.contents(atPath: output.appendingPathComponent(path).path)
            }
        }
        return files
    }
}
