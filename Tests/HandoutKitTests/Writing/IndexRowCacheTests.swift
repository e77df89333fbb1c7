import Foundation
import Testing
@testable import HandoutKit

/// `.handout-index-rows`: the index's rows kept between builds. Rows are reused exactly
/// under their key and the build's global fingerprint; a missing, stale, damaged, foreign
/// or oversized file only means rows are rendered again; the file goes with the index
/// (kept while it is, written with it, gone when names are shown).
@Suite struct IndexRowCacheTests {
    static let global = Fingerprint(Array("a build".utf8))

    static let rows: [(key: String, html: Data)] = [
        ("20430 6 - 6:p-0001 11:Sam Lee, PT -", Data("<tr>\n      <th scope=\"row\">p-0001</th>\n</tr>\n".utf8)),
        ("20431 3 20440 6:p-0002 - 9:膝の痛み", Data("<tr><td>膝の痛み</td></tr>\n".utf8)),
        ("20432 1 - 6:p-0003 4:a\nb\t -", Data("<tr><td>a\nb\t</td></tr>".utf8)),
        ("20433 1 - 6:p-0004 - -", Data()),
    ]

    static var expected: [String: Data] { Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0.html) }) }

    static var file: Data { IndexRowCache(global: global, rows: rows).file.data }

    @Test func rowsReadBackAsWritten() {
        #expect(IndexRowCache(global: Self.global, rows: Self.rows).file.path == ".handout-index-rows")
        #expect(IndexRowCache.rows(in: Self.file, global: Self.global) == Self.expected)
        #expect(String(decoding: Self.file.prefix(38), as: UTF8.self) == "handout index rows 1 \(Self.global)\n")
        // Read from a slice of a larger buffer (as `Data` may be), the same.
        let padded = Data("xx".utf8) + Self.file
        #expect(IndexRowCache.rows(in: padded[2...], global: Self.global) == Self.expected)
    }

    /// Another build's rows (another program, templates, strings or site settings), or a
    /// file that is not Handout's: nothing.
    @Test func otherBuildsAndOtherFilesGiveNothing() {
        #expect(IndexRowCache.rows(in: Self.file, global: Fingerprint(Array("another build".utf8))) == [:])
        #expect(IndexRowCache.rows(in: Data(), global: Self.global) == [:])
        #expect(IndexRowCache.rows(in: Data("<html>not rows</html>".utf8), global: Self.global) == [:])
        let otherVersion = Data(String(decoding: Self.file, as: UTF8.self).replacingOccurrences(of: "rows 1 ", with: "rows 2 ").utf8)
        #expect(IndexRowCache.rows(in: otherVersion, global: Self.global) == [:])
    }

    /// Every byte of the file flipped, and the file cut at every length: what is read is
    /// always some of the rows exactly as written, never anything else.
    @Test func damageOnlyLosesRows() {
        let file = Self.file
        func check(_ damaged: Data, _ what: String) {
            let read = IndexRowCache.rows(in: damaged, global: Self.global)
            for (key, html) in read {
                #expect(Self.expected[key] == html, "\(what): \(key)")
            }
        }
        for at in file.indices {
            var damaged = file
            damaged[at] ^= 0x20
            check(damaged, "byte \(at) flipped")
            check(file.prefix(at), "cut at \(at)")
        }
        // One row's HTML damaged: that row alone is left out.
        var damaged = file
        let html = file.range(of: Data("膝の痛み</td>".utf8))!
        damaged[html.lowerBound] ^= 0x01
        #expect(IndexRowCache.rows(in: damaged, global: Self.global) == Self.expected.filter { !$0.key.contains("p-0002") })
    }

    // MARK: In the output folder

    static func site(patients: Int = 3) throws -> TestSite {
        let site = try TestSite()
        let plan = try site.read("Content/plans/p-0001.yaml")
        for n in 2...patients {
            try site.write(String(format: "Content/plans/p-%04d.yaml", n), plan)
        }
        #expect(site.build().report?.patients == patients)
        return site
    }

    static let cachePath = "Output/.handout-index-rows"

    /// The cache as the site holds it, read with the global fingerprint in its header.
    static func cached(_ site: TestSite) throws -> (global: Fingerprint, rows: [String: Data]) {
        let data = try Data(contentsOf: site.url(cachePath))
        let header = Array(data.prefix(IndexRowCache.header.utf8.count + 16).suffix(16))
        let global = try #require(Fingerprint(hex: header))
        return (global, IndexRowCache.rows(in: data, global: global))
    }

    /// Every kept row marked, so a page that places it shows it was reused.
    static func markKeptRows(_ site: TestSite) throws {
        let (global, rows) = try cached(site)
        #expect(!rows.isEmpty)
        let marked = rows.map { (key: $0.key, html: $0.value + Data("<!-- kept -->".utf8)) }
        try IndexRowCache(global: global, rows: marked).file.data.write(to: site.url(cachePath))
    }

    static func keptRows(_ site: TestSite) throws -> Int {
        try site.read("Output/index.html").components(separatedBy: "<!-- kept -->").count - 1
    }

    /// The site as published, manifest aside, against a full build of the same inputs.
    static func equalsFullBuild(_ site: TestSite) throws -> Bool {
        try site.publishedSnapshot() == site.fullBuild()
    }

    @Test func oneChangedRowIsTheOnlyRowRendered() throws {
        let site = try Self.site()
        #expect(try Self.cached(site).rows.count == 3)
        try Self.markKeptRows(site)
        try site.write("Content/plans/p-0003.yaml", try site.read("Content/plans/p-0003.yaml").replacingOccurrences(of: "Sam Lee, PT", with: "Ria Patel, PT"))
        let report = site.build().report
        // The patient's four files and the index; the cache is not counted.
        #expect(report?.patients == 1 && report?.files == 5)
        #expect(try Self.keptRows(site) == 2)
        let index = try site.read("Output/index.html")
        #expect(index.contains("<td>Ria Patel, PT</td>"))
        // What the cache now holds: the two rows kept as they were and the new one.
        let rows = try Self.cached(site).rows
        #expect(rows.count == 3 && rows.values.filter { String(decoding: $0, as: UTF8.self).hasSuffix("<!-- kept -->") }.count == 2)
    }

    /// Rows are made from templates, strings and site settings too: when any of them
    /// changes, no row of the last build is used.
    @Test(arguments: [
        ("Templates/strings/en.yaml", "handout: \"Handout\"", "handout: \"Printable handout\""),
        ("Templates/index-row.mustache", "<td>{{weeks}}</td>", "<td>{{weeks}} wk</td>"),
        ("Templates/index.mustache", "<tbody>", "<tbody class=\"rows\">"),
        ("Templates/layout.mustache", "</body>", "<!-- edited --></body>"),
        ("Content/site.yaml", "clinic: Test Clinic", "clinic: Test Clinic\nweek_starts: sunday"),
    ])
    func rowsOfAnotherBuildAreNotUsed(_ path: String, _ old: String, _ new: String) throws {
        let site = try Self.site()
        try Self.markKeptRows(site)
        let text = try site.read(path)
        #expect(text.contains(old), "\(path)")
        try site.write(path, text.replacingOccurrences(of: old, with: new))
        #expect(site.build().report != nil)
        #expect(try Self.keptRows(site) == 0, "\(path)")
        #expect(try Self.equalsFullBuild(site), "\(path)")
    }

    /// A cache deleted, damaged, replaced by another file, cut short, made too large to
    /// read: the next build whose index changes renders the rows again, and its output is
    /// a full build's.
    @Test(arguments: ["deleted", "byte flipped", "another file", "cut short", "too large"])
    func aBrokenCacheOnlyCostsRendering(_ damage: String) throws {
        let site = try Self.site()
        let path = site.url(Self.cachePath).path
        var data = try Data(contentsOf: site.url(Self.cachePath))
        switch damage {
        case "deleted": try site.remove(Self.cachePath)
        case "byte flipped":
            data[data.count / 2] ^= 0x20
            try data.write(to: site.url(Self.cachePath))
        case "another file": try site.write(Self.cachePath, "<html>index rows</html>\n")
        case "cut short": try data.prefix(data.count / 2).write(to: site.url(Self.cachePath))
        default: #expect(truncate(path, off_t(IndexRowCache.limit.bytes + 1)) == 0)
        }
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0002.yaml").replacingOccurrences(of: "weeks: 3", with: "weeks: 4"))
        #expect(site.build().report?.patients == 1)
        #expect(try Self.equalsFullBuild(site))
        #expect(try Self.cached(site).rows.count == 3)
    }

    /// The cache stays while the index does, and goes with it when the index shows names
    /// (names are never recorded); it comes back when they are hidden again.
    @Test func theCacheGoesWithTheIndex() throws {
        let site = try Self.site()
        let before = try Data(contentsOf: site.url(Self.cachePath))
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0002.yaml") + "# a comment\n")
        #expect(site.build().report?.patients == 1)
        #expect(try Data(contentsOf: site.url(Self.cachePath)) == before)
        let settings = try site.read("Content/site.yaml")
        try site.write("Content/site.yaml", settings + "index_shows_names: true\n")
        #expect(site.build().report != nil)
        #expect(!site.exists(Self.cachePath))
        #expect(try site.read("Output/index.html").contains("<td>Alex Example</td>"))
        // A plan changed while names are shown: still no cache.
        try site.write("Content/plans/p-0002.yaml", try site.read("Content/plans/p-0002.yaml").replacingOccurrences(of: "weeks: 3", with: "weeks: 5"))
        #expect(site.build().report?.patients == 1)
        #expect(!site.exists(Self.cachePath))
        try site.write("Content/site.yaml", settings)
        #expect(site.build().report != nil)
        #expect(try Self.cached(site).rows.count == 3)
        #expect(!(try site.read("Output/index.html")).contains("Alex Example"))
    }

    /// An index that writes its row inside itself builds as before: no cache, the same
    /// page as the shipped templates give, and incremental builds equal to full ones.
    @Test func anIndexWithoutThePartialKeepsNoRows() throws {
        let shipped = try Self.site()
        let site = try Self.site()
        try site.write("Templates/index.mustache", IndexRowsTests.inline(try site.read("Templates/index-row.mustache"),
                                                                          in: try site.read("Templates/index.mustache")))
        #expect(site.build().report != nil)
        #expect(!site.exists(Self.cachePath))
        #expect(try site.read("Output/index.html") == (try shipped.read("Output/index.html")))
        try site.write("Content/plans/p-0003.yaml", try site.read("Content/plans/p-0003.yaml").replacingOccurrences(of: "Sam Lee, PT", with: "Ria Patel, PT"))
        #expect(site.build().report?.patients == 1)
        #expect(!site.exists(Self.cachePath))
        #expect(try Self.equalsFullBuild(site))
    }

    /// `build --verify` renders every row, whatever the cache holds.
    @Test func verifyRendersEveryRow() throws {
        let site = try Self.site()
        try Self.markKeptRows(site)
        #expect(BuildPipeline(layout: site.layout, diagnostics: Diagnostics()).build(verify: true) != nil)
        #expect(try Self.keptRows(site) == 0)
        #expect(try Self.cached(site).rows.values.allSatisfy { !String(decoding: $0, as: UTF8.self).contains("kept") })
    }
}
