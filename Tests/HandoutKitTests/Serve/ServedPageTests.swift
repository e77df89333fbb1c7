import Foundation
import HandoutKit
import Testing
@testable import HandoutServe

@Suite struct ServedPageTests {
    let words = EditorWords(language: "en")

    @Test func theReloadScriptGoesAtTheEndOfTheHeadWithTheWayToTheRoot() {
        let page = "<!DOCTYPE html>\n<html><head><title>T</title></head><body>x</body></html>"
        let served = ServedPage.withReload(page, path: "patients/p-0143/index.html", version: "abc", words: words)
        #expect(served == """
            <!DOCTYPE html>
            <html><head><title>T</title><link rel="stylesheet" href="../../_handout/serve.css">
            <script src="../../_handout/reload.js" data-page="patients/p-0143/index.html" data-version="abc" \
            data-editor="../../_handout/editor/" data-editor-label="Plan editor" data-toolbar-label="Preview server" \
            data-plan="p-0143" data-edit-label="Edit this plan" defer></script>
            </head><body>x</body></html>
            """)
        let home = ServedPage.withReload("<head></head>", path: "index.html", version: "v", words: words)
        #expect(home.contains("src=\"_handout/reload.js\"") && !home.contains("data-plan"))
    }

    @Test func aPagesVersionFollowsWhatItLoadsNotWhereItLinks() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("version-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("assets"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("patients/p-1"), withIntermediateDirectories: true)
        try Data("body {}".utf8).write(to: folder.appendingPathComponent("assets/site.css"))
        try Data("other page".utf8).write(to: folder.appendingPathComponent("index.html"))
        // A patient's page links the print rules of its language and size, shared with others.
        let page = Data(#"<link rel="stylesheet" href="../../assets/site.css"><link rel="stylesheet" href="../../assets/print-en.css"><a href="../../index.html">home</a>"#.utf8)
        let first = ServedPage.version(of: page, path: "patients/p-1/index.html", in: folder)
        try Data("other page, changed".utf8).write(to: folder.appendingPathComponent("index.html"))
        try Data("@page { size: A4 }".utf8).write(to: folder.appendingPathComponent("assets/print-es.css"))
        #expect(ServedPage.version(of: page, path: "patients/p-1/index.html", in: folder) == first)
        try Data("body { color: red }".utf8).write(to: folder.appendingPathComponent("assets/site.css"))
        let second = ServedPage.version(of: page, path: "patients/p-1/index.html", in: folder)
        #expect(second != first)
        try Data("@page { size: A4 }".utf8).write(to: folder.appendingPathComponent("assets/print-en.css"))
        let third = ServedPage.version(of: page, path: "patients/p-1/index.html", in: folder)
        #expect(third != second)
        #expect(ServedPage.version(of: page + Data(" ".utf8), path: "patients/p-1/index.html", in: folder) != third)
    }

    @Test func referencesResolveInsideTheFolderOnly() {
        #expect(ServedPage.resolve("../../assets/site.css?v=1#x", from: "patients/p-1/index.html") == "assets/site.css")
        #expect(ServedPage.resolve("../../assets/print-es.large.css", from: "patients/p-1/index.html") == "assets/print-es.large.css")
        #expect(ServedPage.resolve("notes.css", from: "patients/p-1/index.html") == "patients/p-1/notes.css")
        #expect(ServedPage.resolve("../../../etc/passwd", from: "patients/p-1/index.html") == nil)
        #expect(ServedPage.localReferences(in: #"<img src="a.svg"><script src="https://x/y.js"></script><link href="/abs.css"><a href="b.html">"#) == ["a.svg"])
        #expect(ServedPage.plan(of: "patients/p-0143/calendar.html") == "p-0143")
        #expect(ServedPage.plan(of: "patients/Jane Doe/index.html") == nil)
        #expect(ServedPage.plan(of: "exercises/bridge.html") == nil)
    }

    @Test func anErrorPageShowsTheCommandLinesWordsEscaped() {
        let error = Diagnostic(.error, "unknown exercise '<script>'", at: SourceLocation(path: "Content/plans/p-1.yaml", line: 9, column: 15))
        let page = ServedPage.errors([error], path: "patients/p-1/index.html", siteWide: false, words: words)
        #expect(page.contains("<pre class=\"serve-diagnostics\" tabindex=\"0\">Content/plans/p-1.yaml:9:15: error: unknown exercise &#39;&lt;script&gt;&#39;</pre>"))
        #expect(page.contains("<h1>This plan has errors</h1>"))
        #expect(page.contains("href=\"../../_handout/editor/plan?id=p-1\""))
        #expect(page.contains("content=\"\(Headers.pagePolicy)\""))
        #expect(!page.contains("<script"))
        let spanish = ServedPage.errors([error], path: "index.html", siteWide: true, words: EditorWords(language: "es"))
        #expect(spanish.contains("<html lang=\"es\">") && !spanish.contains("The site could not be built"))
    }
}
