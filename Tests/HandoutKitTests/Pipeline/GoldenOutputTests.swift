import Foundation
import Testing
@testable import HandoutKit

/// Output byte for byte: the sample site (as the browser tests build it: Letter, A4 with
/// names, large print, with the Chinese patient) and every fixture site, each built whole,
/// every output file's size and hash against `Golden/output-hashes.txt`. A refactoring
/// must leave this file as it is; a change meant to alter pages regenerates it with
/// `HANDOUT_GOLDEN_UPDATE=1 swift test --filter GoldenOutputTests` and shows the diff for
/// review. The manifest holds stat records and the binary's fingerprint, and so does the
/// index's row cache (`IndexRowCache`): both are left out.
@Suite struct GoldenOutputTests {
    static let golden = TestSite.repository.appendingPathComponent("Tests/HandoutKitTests/Golden/output-hashes.txt")
    static let browserFixtures = TestSite.repository.appendingPathComponent("Tests/Browser/fixtures")

    /// name → (folders whose `Content/` is laid over one another, settings written into site.yaml)
    static let sites: [(name: String, contents: [URL], settings: [(String, String)])] = [
        ("sample-letter", [TestSite.repository], []),
        ("sample-a4", [TestSite.repository], [("paper", "a4"), ("index_shows_names", "true")]),
        ("sample-large-print", [TestSite.repository], [("large_print", "true")]),
        ("sample-zh-hans", [TestSite.repository, browserFixtures.appendingPathComponent("zh-hans")], []),
        ("hostile", [browserFixtures.appendingPathComponent("hostile")], []),
        ("minimal", [TestSite.fixtures.appendingPathComponent("minimal")], []),
    ]

    @Test func everySiteBuildsToTheGoldenBytes() throws {
        var lines: [String] = []
        for site in Self.sites {
            lines += try Self.hashes(of: site.name, contents: site.contents, settings: site.settings)
        }
        let actual = lines.joined(separator: "\n") + "\n"
        if ProcessInfo.processInfo.environment["HANDOUT_GOLDEN_UPDATE"] == "1" {
            try Data(actual.utf8).write(to: Self.golden)
            return
        }
        let expected = try String(contentsOf: Self.golden, encoding: .utf8)
        let expectedLines = Set(expected.split(separator: "\n").map(String.init))
        let actualLines = Set(lines)
        // Each differing line names the site and file, so a failure says which page moved.
        #expect(actualLines.subtracting(expectedLines).sorted() == [], "built now, not in the golden file")
        #expect(expectedLines.subtracting(actualLines).sorted() == [], "in the golden file, not built now")
    }

    /// "site path size fingerprint" for every file the build wrote, sorted by path.
    static func hashes(of name: String, contents: [URL], settings: [(String, String)]) throws -> [String] {
        let files = FileManager.default
        let root = files.temporaryDirectory.appendingPathComponent("handout-golden-\(UUID().uuidString)")
        defer { try? files.removeItem(at: root) }
        try files.createDirectory(at: root, withIntermediateDirectories: true)
        try files.copyItem(at: TestSite.repository.appendingPathComponent("Templates"), to: root.appendingPathComponent("Templates"))
        for source in contents {
            try lay(source.appendingPathComponent("Content"), over: root.appendingPathComponent("Content"))
        }
        let siteFile = root.appendingPathComponent("Content/site.yaml")
        var text = try String(contentsOf: siteFile, encoding: .utf8)
        for (key, value) in settings {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if let at = lines.firstIndex(where: { $0.hasPrefix(key + ":") }) { lines[at] = "\(key): \(value)" } else {
                lines.insert("\(key): \(value)", at: 0)
            }
            text = lines.joined(separator: "\n")
        }
        try Data(text.utf8).write(to: siteFile)
        let diagnostics = Diagnostics()
        let report = BuildPipeline(layout: SiteLayout(root: root), diagnostics: diagnostics).build()
        #expect(report != nil, "\(name): \(diagnostics.all.map(\.description))")
        let output = TestSite(existing: root).url("Output")
        return try TestSite(existing: root).outputSnapshot()
            .filter { $0.key != BuildManifest.fileName && $0.key != StatIndex.fileName && $0.key != IndexRowCache.fileName }
            .sorted { $0.key < $1.key }
            .map { "\(name) \($0.key) \($0.value.count) \(Fingerprint($0.value))" }
            + (files.fileExists(atPath: output.path) ? [] : ["\(name) (no output)"])
    }

    /// Copies `source` into `target`, file by file, replacing what is there (the Chinese
    /// fixture adds a plan and a translation to the sample content).
    static func lay(_ source: URL, over target: URL) throws {
        let files = FileManager.default
        guard let walk = files.enumerator(atPath: source.path) else { return }
        try files.createDirectory(at: target, withIntermediateDirectories: true)
        for case let path as String in walk {
            let from = source.appendingPathComponent(path), to = target.appendingPathComponent(path)
            var isFolder: ObjCBool = false
            _ = files.fileExists(atPath: from.path, isDirectory: &isFolder)
            if isFolder.boolValue {
                try files.createDirectory(at: to, withIntermediateDirectories: true)
            } else {
                try? files.removeItem(at: to)
                try files.copyItem(at: from, to: to)
            }
        }
    }
}
