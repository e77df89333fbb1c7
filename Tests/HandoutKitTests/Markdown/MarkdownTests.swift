import CCmark
import Foundation
import Testing
@testable import HandoutKit

/// A cmark allocator that counts live blocks. Only `freesEveryAllocation` uses it.
enum CountingAllocator {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var liveCount = 0
    nonisolated(unsafe) private static var total = 0

    static var live: Int { lock.withLock { liveCount } }
    static var allocations: Int { lock.withLock { total } }
    static func reset() { lock.withLock { liveCount = 0; total = 0 } }
    fileprivate static func counted(_ delta: Int) { lock.withLock { liveCount += delta; if delta > 0 { total += 1 } } }

    static let memory = cmark_mem(
        calloc: { count, size in CountingAllocator.counted(1); return calloc(count, size) },
        realloc: { pointer, size in
            if pointer == nil { CountingAllocator.counted(1) }
            return realloc(pointer, size)
        },
        free: { pointer in
            if pointer != nil { CountingAllocator.counted(-1) }
            free(pointer)
        })
}

@Suite struct MarkdownTests {
    let page = MarkdownPlacement.libraryPage

    @Test func splitsSectionsFromTheNodeTree() {
        let text = """
        Intro line.

        ## Setup
        Lie down.

        ## Movement
        Lift.

        ### Detail
        More.

        ## Tip
        Breathe. A line with ## in it.
        """
        let rendered = Markdown.convert(text, placements: [page]).renderings[page]!
        #expect(rendered.intro == "<p>Intro line.</p>\n")
        #expect(rendered.sections.map(\.heading) == ["Setup", "Movement", "Tip"])
        #expect(rendered.sections[0].html == "<p>Lie down.</p>\n")
        #expect(rendered.sections[1].html == "<p>Lift.</p>\n<h3>Detail</h3>\n<p>More.</p>\n")
        #expect(rendered.sections[2].html == "<p>Breathe. A line with ## in it.</p>\n")
    }

    @Test func headingTextIsPlainEvenWithMarkup() {
        let rendered = Markdown.convert("## The *slow* `way`\nText", placements: [page]).renderings[page]!
        #expect(rendered.sections.map(\.heading) == ["The slow way"])
    }

    @Test func shiftsHeadingsForTheHandout() {
        let rendered = Markdown.convert("## Setup\n### Detail\ntext", placements: [.handout]).renderings[.handout]!
        #expect(rendered.sections.map(\.heading) == ["Setup"])
        #expect(rendered.html == "<h4>Setup</h4>\n<h5>Detail</h5>\n<p>text</p>\n")
    }

    /// Safe mode would drop a line holding a tag and, for a block, every line after it up to a
    /// blank line: therapists' instructions lost. The tags print as text instead, positioned.
    @Test func rawHTMLPrintsAsTextAndNothingAfterItIsLost() {
        let text = "Call us if pain spreads.\n\n<br>\nIce 10 minutes after exercise.\nStop if numbness.\n\nRest <b>well</b>.\n"
        let conversion = Markdown.convert(text, lineOffset: 4, placements: [page])
        #expect(conversion.renderings[page]!.html == "<p>Call us if pain spreads.</p>\n"
                + "<p>&lt;br&gt;\nIce 10 minutes after exercise.\nStop if numbness.</p>\n<p>Rest &lt;b&gt;well&lt;/b&gt;.</p>\n")
        #expect(conversion.rawHTML.map { [$0.line, $0.column] } == [[7, 1], [11, 6], [11, 13]])
        #expect(Markdown.convert(text, allowHTML: true, placements: [page]).rawHTML.isEmpty)
    }

    /// The check the escaping tests use finds live markup and only that.
    @Test func liveMarkupIsFoundAndEscapedTextIsNot() {
        #expect(liveMarkup(in: "<p><img src=x onerror=alert(1)></p>") == ["<img src=x onerror=alert(1)>"])
        #expect(liveMarkup(in: "<a href=\"JavaScript:x()\">a</a> <iframe src='data:text/html,x'>") == ["<a href=\"JavaScript:x()\">", "<iframe src='data:text/html,x'>"])
        #expect(liveMarkup(in: "<p>&lt;img onerror=x&gt; <a href=\"https://x.example/?on=1\">javascript: is text here</a></p>") == [])
    }

    @Test func safeModeDropsRawHTMLAndDangerousLinks() {
        let text = """
        Hi <script>alert(1)</script> there.

        <div onclick="x()">block</div>

        [click](javascript:alert(1)) [data](data:text/html,<b>x</b>) [ok](https://example.org/a)
        ![pic](javascript:alert(2))
        """
        let html = Markdown.convert(text, placements: [page]).renderings[page]!.html
        #expect(!html.contains("<script"))
        #expect(liveMarkup(in: html) == [])
        #expect(!html.contains("data:text/html"))
        #expect(!html.contains("<!-- raw HTML omitted -->"))
        #expect(html.contains("<p>&lt;div onclick=&quot;x()&quot;&gt;block&lt;/div&gt;</p>"))
        #expect(html.contains("<a href=\"https://example.org/a\">ok</a>"))
        #expect(html.contains("<a href=\"\">click</a>"))
    }

    @Test func allowHTMLPassesClinicHTMLThrough() {
        let html = Markdown.convert("<mark>hi</mark>", allowHTML: true, placements: [page]).renderings[page]!.html
        #expect(html == "<p><mark>hi</mark></p>\n")
    }

    @Test func reportsLinksWithFilePositionsAndRewritesRelativeOnes() {
        let text = "Line one.\n\nSee ![a picture](images/x.svg) and [safety](pages/safety.md).\n"
        var seen: [MarkdownLink] = []
        let conversion = Markdown.convert(text, lineOffset: 4, placements: [page, .handout]) { link in
            seen.append(link)
            return link.isImage ? "assets/" + link.url : "pages/safety.html"
        }
        #expect(seen.map(\.url) == ["images/x.svg", "pages/safety.md"])
        #expect(seen.map(\.line) == [7, 7])
        #expect(seen.map(\.column) == [5, 36])
        #expect(conversion.renderings[page]!.html.contains("src=\"../assets/images/x.svg\""))
        #expect(conversion.renderings[.handout]!.html.contains("src=\"../../assets/images/x.svg\""))
        #expect(conversion.renderings[.handout]!.html.contains("href=\"../../pages/safety.html\""))
    }

    /// Every link is shown to the resolver (which reports the ones `LinkRules` refuses);
    /// nil leaves a link as written.
    @Test func resolverSeesEveryLinkAndNilLeavesItAlone() {
        var seen: [String] = []
        let html = Markdown.convert("[a](https://x.org) [b](#top) [c](mailto:a@b.c) [d](/abs)", placements: [page]) { link in
            seen.append(link.url)
            return nil
        }.renderings[page]!.html
        #expect(seen == ["https://x.org", "#top", "mailto:a@b.c", "/abs"])
        #expect(html.contains(##"<a href="https://x.org">a</a> <a href="#top">b</a> <a href="mailto:a@b.c">c</a> <a href="/abs">d</a>"##))
        #expect(Markdown.isRelative("images/a.svg"))
        #expect(!Markdown.isRelative("https://a"))
        #expect(!Markdown.isRelative("/a"))
        #expect(!Markdown.isRelative("#a"))
    }

    @Test func plainTextForReadingLevel() {
        let conversion = Markdown.convert("# Title\nSome *words* here.\n\n- one\n- two", placements: [])
        #expect(conversion.plainText.contains("Some words here."))
        #expect(conversion.plainText.contains("one"))
    }

    @Test func handlesEmptyAndOddInput() {
        #expect(Markdown.convert("", placements: [page]).renderings[page]!.html == "")
        let odd = Markdown.convert("a\u{0}b \u{202E}c", placements: [page]).renderings[page]!.html
        #expect(odd.hasPrefix("<p>a\u{FFFD}b"))
    }

    /// Every cmark allocation is freed, on every path: normal documents, links rewritten
    /// for several placements, raw HTML, empty and invalid input.
    @Test func freesEveryAllocation() {
        let inputs = [
            String(repeating: "## Setup\nSome *text* with [a link](pages/x.md) and ![p](images/p.svg).\n\n", count: 20),
            "", "<script>x</script>", "a\u{0}b", "# h\n\n- a\n- b\n\n```\ncode\n```\n", "[unclosed](",
        ]
        for input in inputs {
            CountingAllocator.reset()
            var memory = CountingAllocator.memory
            _ = Markdown.convert(input, placements: [page, .handout], resolve: { _ in "x" }, memory: &memory)
            #expect(CountingAllocator.allocations > 0)
            #expect(CountingAllocator.live == 0, "\(input.prefix(20))")
        }
    }
}

@Suite struct FrontMatterTests {
    @Test func splitsAndKeepsLineOffsets() throws {
        let doc = try FrontMatterDocument.split("---\ntitle: A\ntags: [x]\n---\n## Setup\nText\n").get()
        #expect(doc.yaml == "title: A\ntags: [x]")
        #expect(doc.yamlLineOffset == 1)
        #expect(doc.body == "## Setup\nText\n")
        #expect(doc.bodyLineOffset == 4)
    }

    @Test func acceptsCRLFAndByteOrderMark() throws {
        let doc = try FrontMatterDocument.split("\u{FEFF}---\r\ntitle: A\r\n---\r\nBody").get()
        #expect(doc.yaml == "title: A")
        #expect(doc.body == "Body")
    }

    @Test func reportsMissingDelimiters() {
        #expect(FrontMatterDocument.split("title: A\n") == .failure(.missingOpening))
        #expect(FrontMatterDocument.split("---\ntitle: A\n") == .failure(.missingClosing(openingLine: 1)))
    }
}
