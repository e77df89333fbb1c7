import Foundation
import Testing
@testable import HandoutKit

@Suite struct EscapingTests {
    static let payload = "<script>alert(1)</script>\"'&"

    /// XSS in every plan field prints as text, never as markup.
    @Test func everyPlanFieldIsEscaped() throws {
        let site = try TestSite()
        func q(_ text: String) -> String { "\"" + (Self.payload + text).replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        try site.write("Content/plans/p-0001.yaml", """
        patient: \(q(" Alex"))
        therapist: \(q(" Sam"))
        condition: \(q(" knee"))
        start: 2026-12-07
        weeks: 2
        exercises:
          - exercise: bridge
            note: \(q(" note"))
        cross_training:
          activities: [\(q(" cycling"))]
          note: \(q(" easy"))
        notes: |
          \(Self.payload) <img src=x onerror=alert(2)> [x](javascript:alert(3))

        """)
        let result = site.build()
        #expect(result.report != nil, "\(result.diagnostics)")
        for page in ["Output/patients/p-0001/index.html", "Output/patients/p-0001/calendar.html", "Output/index.html"] {
            let html = try site.read(page)
            #expect(!html.contains("<script>alert"), "\(page)")
            #expect(liveMarkup(in: html) == [], "\(page)")
        }
        let handout = try site.read("Output/patients/p-0001/index.html")
        #expect(handout.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp; Alex"))
        #expect(handout.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp; Sam"))
        #expect(handout.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp; note"))
        #expect(handout.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp; cycling"))
        #expect(handout.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp; easy"))
        // The running head of every printed page names the patient from the page, escaped;
        // the shared print stylesheets hold no name.
        for page in ["index.html", "calendar.html"] {
            #expect(try site.read("Output/patients/p-0001/" + page).contains(
                #"<div class="running-head"><span>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp; Alex"#), "\(page)")
        }
        let stylesheets = try site.outputSnapshot().filter { $0.key.hasPrefix("assets/print-") }
        #expect(stylesheets.count == 6 && !stylesheets.values.contains { String(decoding: $0, as: UTF8.self).contains("Alex") })
    }

    @Test func patientNameStaysOutOfPathsAndTheIndex() throws {
        let site = try TestSite()
        #expect(site.build().report != nil)
        let files = try site.outputSnapshot()
        #expect(!files.keys.contains { $0.contains("Alex") || $0.contains("Example") })
        #expect(!(try site.read("Output/index.html")).contains("Alex Example"))
        for (path, data) in files where !path.hasPrefix("patients/p-0001/") {
            #expect(!String(decoding: data, as: UTF8.self).contains("Alex Example"), "\(path)")
        }
    }

    @Test func indexShowsNamesOnlyWhenAsked() throws {
        let site = try TestSite()
        try site.write("Content/site.yaml", "clinic: Test Clinic\nindex_shows_names: true\ninclude_pages: [safety]\n")
        #expect(site.build().report != nil)
        #expect(try site.read("Output/index.html").contains("<td>Alex Example</td>"))
    }

    @Test func everyPageCarriesPrivacyMetaAndNoExternalResources() throws {
        let site = try TestSite()
        #expect(site.build().report != nil)
        for (path, data) in try site.outputSnapshot() where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            #expect(html.contains(#"<meta name="robots" content="noindex, nofollow">"#), "\(path)")
            #expect(html.contains(#"<meta name="referrer" content="no-referrer">"#), "\(path)")
            #expect(html.contains("default-src 'none'"), "\(path)")
            #expect(!html.contains("src=\"http"), "\(path)")
            #expect(!html.contains("href=\"http") || path.hasPrefix("exercises/"), "\(path)")
            #expect(!html.contains("style=\""), "\(path)")
            #expect(!html.contains("<style"), "\(path)")
        }
    }
}
