import Foundation
import Testing
@testable import HandoutKit

/// The clinic index rendered with its rows apart (`IndexRows`): byte for byte the page
/// rendered whole, whichever rows come from the cache; rows taken from the cache exactly
/// under their key; and templates that do not allow it rendered whole, with nothing kept.
@Suite struct IndexRowsTests {
    static let shipped = TestSite.repository.appendingPathComponent("Templates")

    /// `index` with `row` written inside it where it places `{{> index-row}}`: the same
    /// page, rendered whole.
    static func inline(_ row: String, in index: String) -> String {
        let indented = row.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n") + "\n"
        return index.replacingOccurrences(of: "    {{> index-row}}\n", with: indented)
    }

    static func shippedTemplate(_ name: String) throws -> String {
        try String(contentsOf: shipped.appendingPathComponent(name + ".mustache"), encoding: .utf8)
    }

    static func renderer(_ site: TestSite) throws -> SiteRenderer {
        let diagnostics = Diagnostics()
        let checked = try #require(BuildPipeline(layout: site.layout, diagnostics: diagnostics).check(), "\(diagnostics.all)")
        return SiteRenderer(library: checked.library, templates: checked.templates)
    }

    static func day(_ iso: String) -> Day { Day(iso: iso)! }

    static func text(_ file: OutputFile) -> String { String(decoding: file.data, as: UTF8.self) }

    /// Each row's key and its bytes, where the index says they are.
    static func rows(_ index: (page: OutputFile, rows: [(key: String, range: Range<Int>)]?)) -> [(key: String, html: Data)]? {
        index.rows?.map { ($0.key, index.page.data[$0.range]) }
    }

    /// Rows with every kind of value: none, markup and quotes, ampersands, other scripts,
    /// a line end and a tab, ended plans, equal start dates (ordered by id).
    static let plans: [PlanSummary] = [
        PlanSummary(id: "p-0001", patient: "Alex", therapist: "Sam Lee, PT", condition: "Low back pain", start: day("2026-12-07"), weeks: 6),
        PlanSummary(id: "p-0002", patient: "Bo", therapist: nil, condition: nil, start: day("2026-12-07"), weeks: 3),
        PlanSummary(id: "p-0003", patient: "Cy", therapist: "<script>alert(1)</script> & \"Q\" 'R'", condition: "Knee & hip <b>",
                    start: day("2026-11-30"), weeks: 8, ended: day("2026-12-10")),
        PlanSummary(id: "p-0004", patient: "Di", therapist: "Zoë Müller, PT", condition: "膝の痛み\nline\tTab", start: day("2027-01-04"), weeks: 1),
        PlanSummary(id: "p-0005", patient: "Ed", therapist: "Sam Lee, PT", condition: "Ankle", start: day("2026-12-14"), weeks: 12,
                    ended: day("2026-12-14")),
    ]

    static var order: [String] { plans.sorted { ($0.start, $0.id) > ($1.start, $1.id) }.map(IndexRows.key) }

    /// Renders the same plans with the shipped templates and with `index` and `row` in
    /// their place; their pages must be the same.
    static func site(index: String? = nil, row: String? = nil) throws -> TestSite {
        let site = try TestSite()
        if let index { try site.write("Templates/index.mustache", index) }
        if let row { try site.write("Templates/index-row.mustache", row) }
        // Placed by one of the cases below.
        try site.write("Templates/index-rows.mustache", "{{> index-row}}\n")
        return site
    }

    @Test func theShippedTemplatesRenderRowsApart() throws {
        let renderer = try Self.renderer(TestSite())
        #expect(renderer.templates.indexRowsApart)
        #expect(renderer.renderIndex(Self.plans).rows?.map(\.key) == Self.order)
    }

    /// Every mix of rows from the cache and rows rendered now gives the page rendered whole.
    @Test func apartEqualsWhole() throws {
        let whole = try Self.renderer(Self.site(index: Self.inline(try Self.shippedTemplate("index-row"), in: try Self.shippedTemplate("index"))))
        #expect(!whole.templates.indexRowsApart)
        let expected = whole.renderIndex(Self.plans)
        #expect(expected.rows == nil)

        let renderer = try Self.renderer(TestSite())
        let cold = renderer.renderIndex(Self.plans)
        #expect(Self.text(cold.page) == Self.text(expected.page))
        let all = try #require(Self.rows(cold))
        #expect(all.allSatisfy { String(decoding: $0.html, as: UTF8.self).hasPrefix("<tr data-search=") })
        for kept in [all, Array(all.prefix(1)), Array(all.suffix(2)), [all[2]]] {
            let cache = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.html) })
            let warm = renderer.renderIndex(Self.plans) { cache }
            #expect(warm.page == expected.page)
            #expect(warm.rows?.map(\.range) == cold.rows?.map(\.range))
            #expect(Self.rows(warm)?.map(\.key) == all.map(\.key) && Self.rows(warm)?.map(\.html) == all.map(\.html))
        }
        // One plan alone, and none: the page says how to start, and nothing is kept.
        #expect(renderer.renderIndex([Self.plans[3]]).page == whole.renderIndex([Self.plans[3]]).page)
        let empty = renderer.renderIndex([])
        #expect(empty.page == whole.renderIndex([]).page && empty.rows == nil)
        #expect(Self.text(empty.page).contains("handout new ID"))
    }

    /// New rows are rendered a few hundred at a time (so a cold build of 10,000 plans does
    /// not hold all their contexts at once): across those batches, with kept rows between,
    /// the page is still the page rendered whole, and every row is kept.
    @Test func manyRowsRenderInBatchesAsWhole() throws {
        let many = (0..<1_203).map { n in
            PlanSummary(id: String(format: "p-%05d", n), patient: "P\(n)", therapist: n % 7 == 0 ? nil : "Therapist \(n % 13)",
                        condition: "Condition <\(n)> & more", start: Self.day("2026-12-07").adding(days: n % 90), weeks: 1 + n % 12)
        }
        let whole = try Self.renderer(Self.site(index: Self.inline(try Self.shippedTemplate("index-row"), in: try Self.shippedTemplate("index"))))
        let expected = whole.renderIndex(many).page
        let renderer = try Self.renderer(TestSite())
        let cold = renderer.renderIndex(many)
        #expect(cold.page == expected)
        let all = try #require(Self.rows(cold))
        #expect(all.count == many.count)
        // Every third row kept: the rows to render fall in batches between kept ones.
        let cache = Dictionary(uniqueKeysWithValues: all.enumerated().filter { $0.offset % 3 == 0 }.map { ($0.element.key, $0.element.html) })
        let warm = renderer.renderIndex(many) { cache }
        #expect(warm.page == expected)
        #expect(warm.rows?.map(\.range) == cold.rows?.map(\.range))
    }

    /// A row found under its key is placed as it is (here marked, to see it was), every
    /// other row is rendered: one changed row renders one row.
    @Test func cachedRowsAreUsedUnderTheirKeyOnly() throws {
        let renderer = try Self.renderer(TestSite())
        let rows = try #require(Self.rows(renderer.renderIndex(Self.plans)))
        var cache = Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0.html + Data("<!-- kept -->".utf8)) })
        var changed = Self.plans
        changed[0].therapist = "Ria Patel, PT"
        cache["stale"] = Data("<!-- never placed -->".utf8)
        let index = renderer.renderIndex(changed) { cache }
        let page = Self.text(index.page)
        #expect(page.components(separatedBy: "<!-- kept -->").count - 1 == Self.plans.count - 1)
        #expect(!page.contains("never placed"))
        let fresh = try #require(Self.rows(index)?.first { $0.key == IndexRows.key(changed[0]) })
        let html = String(decoding: fresh.html, as: UTF8.self)
        #expect(html.contains("Ria Patel, PT") && !html.contains("kept"))
    }

    /// Every value of the record is in the key, with its length: records that differ in any
    /// one value, or only in where one value ends and the next begins, have different keys.
    @Test func keyHoldsTheWholeRecord() {
        let base = PlanSummary(id: "p-1", patient: "A", therapist: "T", condition: "C", start: Self.day("2026-12-07"), weeks: 6)
        var variants = [base]
        func vary(_ change: (inout PlanSummary) -> Void) {
            var other = base
            change(&other)
            variants.append(other)
        }
        vary { $0.id = "p-2" }
        vary { $0.therapist = nil }
        vary { $0.therapist = "" }
        vary { $0.condition = nil }
        vary { $0.start = Self.day("2026-12-08") }
        vary { $0.weeks = 7 }
        vary { $0.weeks = 16 }
        vary { $0.ended = Self.day("2026-12-09") }
        vary { $0.ended = Self.day("1969-12-31") }
        vary { $0.therapist = "T 1:C"; $0.condition = nil }
        vary { $0.therapist = "T"; $0.condition = "1:C" }
        vary { $0.therapist = "Zoë" }
        vary { $0.therapist = "Zoe\u{308}" }
        #expect(Set(variants.map(IndexRows.key)).count == variants.count)
        #expect(IndexRows.key(base) == "\(base.start.ordinal) 6 - 3:p-1 1:T 1:C")
        // The name is not in it: rows are kept only when the index shows no names.
        var renamed = base
        renamed.patient = "B"
        #expect(IndexRows.key(renamed) == IndexRows.key(base))
    }

    @Test func namesShownRenderWholeAndKeepNothing() throws {
        let site = try TestSite()
        try site.write("Content/site.yaml", try site.read("Content/site.yaml") + "index_shows_names: true\n")
        let renderer = try Self.renderer(site)
        var asked = false
        let index = renderer.renderIndex(Self.plans) { asked = true; return [:] }
        #expect(index.rows == nil && !asked)
        #expect(Self.text(index.page).contains("<td>Alex</td>"))
    }

    /// Indexes whose rows cannot be told apart, or depend on more than their record and the
    /// site, are rendered whole and keep nothing: each is a valid template (the checker
    /// accepts it), and each page is what the same templates give with the row inlined.
    @Test(arguments: [
        "the row written inside the index", "the row reads the therapists", "the row reads the plans",
        "placed twice", "a value beside it", "a second list", "inside another section", "placed by another partial",
    ])
    func rowsThatCannotBeApartRenderWhole(_ change: String) throws {
        let index = try Self.shippedTemplate("index"), row = try Self.shippedTemplate("index-row")
        let place = "    {{> index-row}}\n"
        func reads(_ name: String) -> String {
            row.replacingOccurrences(of: "<td>{{weeks}}</td>", with: "<td>{{weeks}}{{#\(name)}}.{{/\(name)}}</td>")
        }
        let (newIndex, newRow): (String, String) = switch change {
        case "the row written inside the index": (Self.inline(row, in: index), row)
        case "the row reads the therapists": (index, reads("therapists"))
        case "the row reads the plans": (index, reads("plans"))
        case "placed twice": (index.replacingOccurrences(of: place, with: place + place), row)
        case "a value beside it": (index.replacingOccurrences(of: place, with: "    <!-- {{id}} -->\n" + place), row)
        case "a second list": (index + "{{#plans}}<!-- one more -->{{/plans}}\n", row)
        case "inside another section":
            (index.replacingOccurrences(of: "    {{#plans}}\n" + place + "    {{/plans}}\n",
                                        with: "    {{#clinic}}{{#plans}}\n" + place + "    {{/plans}}{{/clinic}}\n"), row)
        default: (index.replacingOccurrences(of: place, with: "    {{> index-rows}}\n"), row)
        }
        #expect(newIndex != index || newRow != row)
        let site = try Self.site(index: newIndex, row: newRow)
        #expect(site.errors() == [], "\(change)")
        let renderer = try Self.renderer(site)
        #expect(!renderer.templates.indexRowsApart, "\(change)")
        var asked = false
        let rendered = renderer.renderIndex(Self.plans) { asked = true; return [:] }
        #expect(rendered.rows == nil && !asked, "\(change)")
        let page = Self.text(rendered.page)
        #expect(page.contains("Zoë Müller, PT") && page.contains("&lt;script&gt;"), "\(change)")
    }

    /// A clinic's own row that reads only its own values and the site's renders apart, and
    /// gives what the same row written inside the index gives.
    @Test func customisedRowRendersApart() throws {
        let custom = "<tr><th>{{id}}</th>{{#show_names}}<td>{{patient}}</td>{{/show_names}}<td>{{clinic.name}}: {{t.therapist}} {{therapist}}"
            + "{{^therapist}}—{{/therapist}}</td>\n  <td>{{end}}{{#ended}}!{{/ended}}</td>\n</tr>\n"
        let renderer = try Self.renderer(Self.site(row: custom))
        #expect(renderer.templates.indexRowsApart)
        let whole = try Self.renderer(Self.site(index: Self.inline(custom, in: try Self.shippedTemplate("index")), row: custom))
        #expect(!whole.templates.indexRowsApart)
        let apart = renderer.renderIndex(Self.plans)
        #expect(apart.rows?.count == Self.plans.count)
        #expect(Self.text(apart.page) == Self.text(whole.renderIndex(Self.plans).page))
        #expect(Self.text(apart.page).contains("<td>Test Clinic: Therapist —</td>"))
    }

    /// The checker still reads the partial where the index places it: a misspelt value is
    /// an error at its line and column, and a missing partial an error at its place.
    @Test func thePartialIsChecked() throws {
        let site = try TestSite()
        try site.write("Templates/index-row.mustache", "<tr>\n  <th>{{idd}}</th>\n</tr>\n")
        #expect(site.errors() == ["Templates/index-row.mustache:2:7: error: unknown value 'idd'; did you mean 'id'?"])
        try site.remove("Templates/index-row.mustache")
        #expect(site.errors() == ["Templates/index.mustache:35:5: error: unknown partial 'index-row'"])
    }

    /// The rows are found between the markers only when the page lines up with what goes
    /// around them; anything else is nil, and the page is rendered whole.
    @Test func rowsLineUpWithWhatGoesAround() throws {
        let m = IndexRows.marker
        let around = try #require(IndexRows.around("<t>\(m)\n\(m)\n</t>"))
        #expect(try #require(IndexRows.rows(in: "<t>\(m)A\n\(m)B\n\(m)C\n</t>", around: around)).map { String(decoding: $0, as: UTF8.self) }
                == ["A", "B", "C"])
        #expect(IndexRows.rows(in: "<u>\(m)A\n</t>", around: around) == nil)
        #expect(IndexRows.rows(in: "<t>\(m)A\n\(m)B</t>", around: around) == nil)
        #expect(IndexRows.rows(in: "<t>A\n</t>", around: around) == nil)
        #expect(IndexRows.around("<t>\(m)\n</t>") == nil)
        let rows = [Data("A".utf8), Data("BC".utf8)]
        let placed = try #require(IndexRows.page(rows, around: around, in: "<p>\(m)</p>"))
        #expect(placed.page == Data("<p><t>A\nBC\n</t></p>".utf8) && placed.rows == [6..<7, 8..<10])
        #expect(IndexRows.page(rows, around: around, in: "<p>\(m)\(m)</p>") == nil)
        #expect(IndexRows.page(rows, around: around, in: "<p></p>") == nil)
        // A NUL that does not start a marker is text.
        #expect(IndexRows.page([Data("A".utf8)], around: around, in: "\u{0}<p>\(m)</p>")?.page == Data("\u{0}<p><t>A\n</t></p>".utf8))
    }
}
