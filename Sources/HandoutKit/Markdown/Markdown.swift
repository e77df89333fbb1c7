import CCmark

/// A link or picture found in Markdown, with its position in the source file.
public struct MarkdownLink: Sendable, Equatable {
    public var url: String
    public var isImage: Bool
    public var line: Int
    public var column: Int
}

/// A `##` section: its heading as plain text and its body as HTML.
public struct MarkdownSection: Sendable, Equatable {
    public var heading: String
    public var html: String
}

/// Markdown rendered for one kind of page.
public struct RenderedMarkdown: Sendable, Equatable {
    /// Everything before the first `##` heading.
    public var intro: String
    public var sections: [MarkdownSection]
    /// The whole document.
    public var html: String
}

/// How one page places rendered Markdown: where the site root is (for pictures and links)
/// and how far headings are pushed down so each page keeps one `h1` and ordered headings.
public struct MarkdownPlacement: Hashable, Sendable {
    public var root: String
    public var headingShift: Int

    public init(root: String, headingShift: Int) {
        self.root = root
        self.headingShift = headingShift
    }
}

public struct MarkdownConversion: Sendable {
    public var links: [MarkdownLink]
    public var renderings: [MarkdownPlacement: RenderedMarkdown]
    /// Words of the document without markup, for reading-level checks.
    public var plainText: String
    /// Where raw HTML was written without `allowHTML` (line in the file, column): printed as
    /// the text it is, since safe mode would drop it and, for a block, every line after it
    /// up to the next blank line.
    public var rawHTML: [(line: Int, column: Int)] = []
}

/// The only place that touches libcmark: every C pointer is created and freed here.
public enum Markdown {
    /// Parses `text` once and renders it for each placement.
    /// - Parameters:
    ///   - lineOffset: lines before `text` in its file (front matter), so positions match the file.
    ///   - allowHTML: pass raw HTML through (clinic-authored content only when `allow_html` is set).
    ///   - resolve: checks a link or picture and maps it to a path from the site root, or nil
    ///     to leave it unchanged. Called once per link.
    ///   - memory: cmark's allocator; tests pass a counting one to prove nothing leaks.
    public static func convert(
        _ text: String,
        lineOffset: Int = 0,
        allowHTML: Bool = false,
        placements: [MarkdownPlacement],
        resolve: (MarkdownLink) -> String? = { _ in nil },
        memory: UnsafeMutablePointer<cmark_mem>? = nil
    ) -> MarkdownConversion {
        let options = CMARK_OPT_VALIDATE_UTF8 | (allowHTML ? CMARK_OPT_UNSAFE : 0)
        let memory = memory ?? cmark_get_default_mem_allocator()!
        guard let parser = cmark_parser_new_with_mem(options, memory) else {
            return MarkdownConversion(links: [], renderings: [:], plainText: "")
        }
        defer { cmark_parser_free(parser) }
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress { cmark_parser_feed(parser, base, chars.count) }
            }
        }
        guard let document = cmark_parser_finish(parser) else {
            return MarkdownConversion(links: [], renderings: [:], plainText: "")
        }
        defer { cmark_node_free(document) }

        var links: [MarkdownLink] = []
        var rewrites: [(node: OpaquePointer, sitePath: String)] = []
        var headings: [(node: OpaquePointer, level: Int32)] = []
        var rawHTML: [OpaquePointer] = []
        var words: [String] = []
        walk(document) { node, entering in
            let type = cmark_node_get_type(node)
            guard entering else {
                if type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING || type == CMARK_NODE_ITEM {
                    words.append("\n")
                }
                return
            }
            switch type {
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                let link = MarkdownLink(
                    url: string(cmark_node_get_url(node)),
                    isImage: type == CMARK_NODE_IMAGE,
                    line: Int(cmark_node_get_start_line(node)) + lineOffset,
                    column: Int(cmark_node_get_start_column(node)))
                links.append(link)
                if let sitePath = resolve(link) {
                    rewrites.append((node, sitePath))
                }
            case CMARK_NODE_HEADING:
                headings.append((node, cmark_node_get_heading_level(node)))
            case CMARK_NODE_HTML_BLOCK where !allowHTML, CMARK_NODE_HTML_INLINE where !allowHTML:
                rawHTML.append(node)
                words.append(string(cmark_node_get_literal(node)))
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                words.append(string(cmark_node_get_literal(node)))
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                words.append(" ")
            default:
                break
            }
        }

        let positions = rawHTML.map { (line: Int(cmark_node_get_start_line($0)) + lineOffset, column: Int(cmark_node_get_start_column($0))) }
        for node in rawHTML { replaceWithText(node, memory: memory) }

        var renderings: [MarkdownPlacement: RenderedMarkdown] = [:]
        for placement in Set(placements) {
            for (node, sitePath) in rewrites {
                cmark_node_set_url(node, placement.root + sitePath)
            }
            for (node, level) in headings {
                cmark_node_set_heading_level(node, min(6, level + Int32(placement.headingShift)))
            }
            renderings[placement] = render(document, options: options, memory: memory,
                                           sectionLevel: Int32(2 + placement.headingShift))
        }
        return MarkdownConversion(links: links, renderings: renderings, plainText: words.joined(), rawHTML: positions)
    }

    /// Raw HTML as the text it is (escaped when rendered): a block becomes a paragraph of it.
    private static func replaceWithText(_ node: OpaquePointer, memory: UnsafeMutablePointer<cmark_mem>) {
        var literal = string(cmark_node_get_literal(node))
        let block = cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK
        if block { while literal.last?.isNewline == true { literal.removeLast() } }
        guard let text = cmark_node_new_with_mem(CMARK_NODE_TEXT, memory) else { return }
        cmark_node_set_literal(text, literal)
        var replacement = text
        if block {
            guard let paragraph = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, memory) else { return cmark_node_free(text) }
            cmark_node_append_child(paragraph, text)
            replacement = paragraph
        }
        // Unlinked by the replacement; the new node is freed with the document.
        if cmark_node_replace(node, replacement) == 1 { cmark_node_free(node) } else { cmark_node_free(replacement) }
    }

    /// Splits the top-level blocks at each heading of `sectionLevel` (a `##` in the source).
    private static func render(_ document: OpaquePointer, options: Int32, memory: UnsafeMutablePointer<cmark_mem>,
                               sectionLevel: Int32) -> RenderedMarkdown {
        var intro = ""
        var whole = ""
        var sections: [MarkdownSection] = []
        var child = cmark_node_first_child(document)
        while let node = child {
            let html = renderHTML(node, options: options, memory: memory)
            whole += html
            if cmark_node_get_type(node) == CMARK_NODE_HEADING, cmark_node_get_heading_level(node) == sectionLevel {
                sections.append(MarkdownSection(heading: plainText(of: node), html: ""))
            } else if sections.isEmpty {
                intro += html
            } else {
                sections[sections.count - 1].html += html
            }
            child = cmark_node_next(node)
        }
        return RenderedMarkdown(intro: intro, sections: sections, html: whole)
    }

    /// cmark allocates the result with the document's allocator, so it is freed with it too.
    private static func renderHTML(_ node: OpaquePointer, options: Int32, memory: UnsafeMutablePointer<cmark_mem>) -> String {
        guard let cString = cmark_render_html(node, options) else { return "" }
        defer { memory.pointee.free(cString) }
        return String(cString: cString)
    }

    private static func plainText(of node: OpaquePointer) -> String {
        var text = ""
        walk(node) { inner, entering in
            guard entering else { return }
            switch cmark_node_get_type(inner) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE: text += string(cmark_node_get_literal(inner))
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: text += " "
            default: break
            }
        }
        return text
    }

    private static func walk(_ root: OpaquePointer, _ visit: (OpaquePointer, Bool) -> Void) {
        guard let iterator = cmark_iter_new(root) else { return }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            visit(node, event == CMARK_EVENT_ENTER)
        }
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    /// A path inside the site, as opposed to `https:`, `mailto:`, `#anchor` or `/absolute`.
    static func isRelative(_ url: String) -> Bool {
        guard let first = url.first, first != "/", first != "#", first != "?" else { return false }
        let scheme = url.prefix { $0 != ":" && $0 != "/" && $0 != "?" && $0 != "#" }
        return scheme.count == url.count || url[url.index(url.startIndex, offsetBy: scheme.count)] != ":"
    }
}
