import Foundation
import Testing
@testable import HandoutKit

/// `.handout-index-rows`: the index's rows kept between builds. Rows are reused exactly
/// under their key and the build's global fingerprint; a missing, stale, damaged, foreign
/// or oversized file only means rows are rendered again; the file goes with the index
/// (kept while it is, written with it, gone when names are shown).
@Suite struct IndexRowCacheTests {
    static let global = Fingerprint(Array("a build".utf8))

    /// An index with four rows in it (one empty), and what goes around them.
    static let parts: [(key: String?, text: String)] = [
        (nil, "<html><table>\n    "),
        ("20430 6 - 6:p-0001 11:Sam Lee, PT -", "<tr>\n      <th scope=\"row\">p-0001</th>\n</tr>\n"),
        (nil, "    "),
        ("20431 3 20440 6:p-0002 - 12:膝の痛み", "<tr><td>膝の痛み</td></tr>\n"),
        ("20432 1 - 6:p-0003 4:a\nb\t -", "<tr><td>a\nb\t</td></tr>"),
        ("20433 1 - 6:p-0004 - -", ""),
        (nil, "</table></html>\n"),
    ]

    static let index = Data(parts.map(\.text).joined().utf8)

    static var rows: [(key: String, range: Range<Int>)] {
        var at = 0, rows: [(key: String, range: Range<Int>)] = []
        for part in parts {
            let count = part.text.utf8.count
            if let key = part.key { rows.append((key, at..<(at + count))) }
            at += count
        }
        return rows
    }

    static var expected: [String: Data] { Dictionary(uniqueKeysWithValues: rows.map { ($0.key, index[$0.range]) }) }

    static var record: Data { IndexRowCache(global: global, index: index, rows: rows).file.data }

    @Test func rowsReadBackAsWritten() {
        #expect(IndexRowCache(global: Self.global, index: Self.index, rows: Self.rows).file.path == ".handout-index-rows")
        #expect(IndexRowCache.rows(in: Self.index, record: Self.record, global: Self.global) == Self.expected)
        #expect(String(decoding: Self.record.prefix(38), as: UTF8.self) == "handout index rows 1 \(Self.global)\n")
        #expect(Self.expected["20431 3 20440 6:p-0002 - 12:膝の痛み"] == Data("<tr><td>膝の痛み</td></tr>\n".utf8))
        // The index read into a slice of a larger buffer (as `Data` may be): the same rows.
        let padded = Data("xx".utf8) + Self.index
        #expect(IndexRowCache.rows(in: padded[2...], record: Self.record, global: Self.global) == Self.expected)
    }

    /// Another build's record (another program, templates, strings or site settings), or a
    /// file that is not one: nothing.
    @Test func otherBuildsAndOtherFilesGiveNothing() {
        #expect(IndexRowCache.rows(in: Self.index, record: Self.record, global: Fingerprint(Array("another build".utf8))) == [:])
        #expect(IndexRowCache.rows(in: Self.index, record: Data(), global: Self.global) == [:])
        #expect(IndexRowCache.rows(in: Self.index, record: Data("<html>not rows</html>".utf8), global: Self.global) == [:])
        let otherVersion = Data(String(decoding: Self.record, as: UTF8.self).replacingOccurrences(of: "rows 1 ", with: "rows 2 ").utf8)
        #expect(IndexRowCache.rows(in: Self.index, record: otherVersion, global: Self.global) == [:])
        #expect(IndexRowCache.rows(in: Data("<html>another index</html>".utf8), record: Self.record, global: Self.global) == [:])
    }

    /// Every byte of the record and of the index flipped, and each cut at every length: what
    /// is read is always some of the rows exactly as written, never anything else.
    @Test func damageOnlyLosesRows() {
        func check(_ index: Data, _ record: Data, _ what: String) {
            for (key, html) in IndexRowCache.rows(in: index, record: record, global: Self.global) {
                #expect(Self.expected[key] == html, "\(what): \(key)")
            }
        }
        for at in Self.record.indices {
            var damaged = Self.record
            damaged[at] ^= 0x20
            check(Self.index, damaged, "record byte \(at) flipped")
            check(Self.index, Self.record.prefix(at), "record cut at \(at)")
        }
        for at in Self.index.indices {
            var damaged = Self.index
            damaged[at] ^= 0x20
            check(damaged, Self.record, "index byte \(at) flipped")
            check(Self.index.prefix(at), Self.record, "index cut at \(at)")
        }
        // One row changed in the index: that row alone is left out.
        var damaged = Self.index
        let row = Self.index.range(of: Data("膝の痛み</td>".utf8))!
        damaged[row.lowerBound] ^= 0x01
        #expect(IndexRowCache.rows(in: damaged, record: Self.record, global: Self.global) == Self.expected.filter { !$0.key.contains("p-0002") })
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

    /// The rows the site keeps, read as a build reads them, with the global fingerprint in
    /// the record's header.
    static func cached(_ site: TestSite) throws -> (global: Fingerprint, rows: [String: Data]) {
        let record = try Data(contentsOf: site.url(cachePath))
        let header = Array(record.prefix(IndexRowCache.header.utf8.count + 16).suffix(16))
        let global = try #require(Fingerprint(hex: header))
        return (global, IndexRowCache.rows(in: try Data(contentsOf: site.url("Output/index.html")), record: record, global: global))
    }

    /// Every kept row marked, so a page that places it shows it was reused: the published
    /// index becomes the marked rows, and the record points at them.
    static func markKeptRows(_ site: TestSite) throws {
        let (global, rows) = try cached(site)
        #expect(!rows.isEmpty)
        var index = Data(), marked: [(key: String, range: Range<Int>)] = []
        for (key, html) in rows.sorted(by: { $0.key < $1.key }) {
            let row = html + Data("<!-- kept -->".utf8)
            marked.append((key, index.count..<(index.count + row.count)))
            index += row
        }
        try index.write(to: site.url("Output/index.html"))
        try IndexRowCache(global: global, index: index, rows: marked).file.data.write(to: site.url(cachePath))
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
        // The patient's three files and the index; the cache is not counted.
        #expect(report?.patients == 1 && report?.files == 4)
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

    /// A record deleted, damaged, replaced by another file, cut short, made too large to
    /// read, or the index changed under it: the next build whose index changes renders the
    /// rows again, and its output is a full build's.
    @Test(arguments: ["deleted", "byte flipped", "another file", "cut short", "too large", "index changed", "index too large"])
    func aBrokenCacheOnlyCostsRendering(_ damage: String) throws {
        let site = try Self.site()
        let path = site.url(Self.cachePath).path
        var data = try Data(contentsOf: site.url(Self.cachePath))
        var index = try Data(contentsOf: site.url("Output/index.html"))
        switch damage {
        case "deleted": try site.remove(Self.cachePath)
        case "byte flipped":
            data[data.count / 2] ^= 0x20
            try data.write(to: site.url(Self.cachePath))
        case "another file": try site.write(Self.cachePath, "<html>index rows</html>\n")
        case "cut short": try data.prefix(data.count / 2).write(to: site.url(Self.cachePath))
        case "too large": #expect(truncate(path, off_t(IndexRowCache.limit.bytes + 1)) == 0)
        case "index changed":
            let row = try #require(index.range(of: Data("<th scope=\"row\">p-0002</th>".utf8)))
            index[row.lowerBound + 1] ^= 0x20
            try index.write(to: site.url("Output/index.html"))
        default: #expect(truncate(site.url("Output/index.html").path, off_t(IndexRowCache.limit.bytes + 1)) == 0)
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
