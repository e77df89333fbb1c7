import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Checks that a picture is what its extension says, by its first bytes, and that an SVG
/// only draws. Pictures are copied to `Output/assets/` byte for byte and served beside the
/// patients' pages; an SVG is a document that can carry scripts, event handlers and
/// addresses of outside files, which run or load when the file is opened on its own. So an
/// SVG passes only when it holds drawing elements and attributes, links only inside
/// itself, and no DOCTYPE (whose entities can expand without end).
enum PictureCheck {
    /// The problem with `data` as a picture named `path`, with its line for an SVG (0 when
    /// the whole file is wrong); nil when it is fine.
    static func problem(_ data: Data, path: String) -> (message: String, line: Int)? {
        let ext = (path as NSString).pathExtension.lowercased()
        let found = kind(of: data)
        if ext == "svg" {
            if let found, found != "svg" {
                return ("this picture is a \(names[found]!) file, not SVG; rename it to .\(found == "jpeg" ? "jpg" : found)", 0)
            }
            return svgProblem(data)
        }
        let expected = ext == "jpg" ? "jpeg" : ext
        guard found == expected else {
            let what = found.map { "it is a \(names[$0]!) file; rename it to .\($0 == "jpeg" ? "jpg" : $0)" }
                ?? "its content is not a picture of any kind Handout knows (damaged, or another kind of file renamed?)"
            return ("this picture is not a \(names[expected]!) file: \(what)", 0)
        }
        return nil
    }

    private static let names = ["png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WebP", "svg": "SVG"]

    /// The kind of picture the first bytes announce, or nil.
    static func kind(of data: Data) -> String? {
        let head = [UInt8](data.prefix(512))
        func starts(_ bytes: [UInt8]) -> Bool { head.starts(with: bytes) }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "jpeg" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "gif" }
        if starts(Array("RIFF".utf8)), head.count >= 12, Array(head[8..<12]) == Array("WEBP".utf8) { return "webp" }
        // Text that opens with an XML declaration, a comment or the svg element itself.
        let text = String(decoding: head, as: UTF8.self).drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        if text.hasPrefix("<?xml") || text.hasPrefix("<!--") || text.hasPrefix("<svg") || text.hasPrefix("<!DOCTYPE svg") { return "svg" }
        return nil
    }

    static let svgNamespace = "http://www.w3.org/2000/svg"

    /// SVG elements that only draw (and their descriptions). Everything else, `script`,
    /// `foreignObject`, `image`, `iframe` and the animation elements among it, is refused.
    static let drawingElements: Set<String> = [
        "svg", "g", "a", "defs", "symbol", "use", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "textPath", "title", "desc", "metadata", "linearGradient", "radialGradient", "stop",
        "pattern", "clipPath", "mask", "marker", "style", "switch", "filter",
        "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix", "feDiffuseLighting",
        "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
        "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight",
        "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
    ]

    private static let howToFix = "save it as a plain drawing (in Inkscape: File > Save As > Optimized SVG or Plain SVG, "
        + "without scripts, links or embedded pictures), or export it as PNG"

    static func svgProblem(_ data: Data) -> (message: String, line: Int)? {
        let text = String(decoding: data, as: UTF8.self)
        if let range = text.range(of: "<!DOCTYPE", options: .caseInsensitive) ?? text.range(of: "<!ENTITY", options: .caseInsensitive) {
            let line = text[..<range.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            return ("this SVG picture has a DOCTYPE, whose entities can make the file expand without end; delete it, or " + howToFix, line)
        }
        let checker = SVGChecker()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = checker
        let wellFormed = parser.parse()
        if let problem = checker.problem { return (problem + "; " + howToFix, checker.line) }
        guard wellFormed else {
            return ("this SVG picture is not well-formed XML (near line \(parser.lineNumber)); open it in a drawing program and save it again", parser.lineNumber)
        }
        guard checker.sawRoot else { return ("this SVG picture has no <svg> element in the SVG namespace; save it again as SVG", 0) }
        return nil
    }

    /// A CSS or attribute value that loads something: `url(...)` to anything but `#id`,
    /// `@import`, or a script address.
    static func loadsSomething(_ value: String) -> Bool {
        let compact = value.lowercased().filter { !$0.isWhitespace }
        if compact.contains("javascript:") || compact.contains("@import") || compact.contains("expression(") { return true }
        var rest = Substring(compact)
        while let open = rest.range(of: "url(") {
            rest = rest[open.upperBound...]
            let target = rest.drop { $0 == "\"" || $0 == "'" }
            if !target.hasPrefix("#") { return true }
        }
        return false
    }

    private final class SVGChecker: NSObject, XMLParserDelegate {
        var problem: String?
        var line = 0
        var sawRoot = false
        /// Inside a `style` element: its text is checked when it ends.
        var styleText: String?
        private var depth = 0

        func refuse(_ message: String, _ parser: XMLParser) {
            guard problem == nil else { return }
            problem = message
            line = parser.lineNumber
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            defer { depth += 1 }
            let shown = qualifiedName ?? name
            if depth == 0 {
                guard name == "svg", namespaceURI == PictureCheck.svgNamespace else {
                    refuse("this picture's first element is <\(shown)>, not <svg> in the SVG namespace", parser)
                    return
                }
                sawRoot = true
            }
            // Elements of other vocabularies (Inkscape's, RDF metadata) are not drawn; HTML would be.
            if namespaceURI == "http://www.w3.org/1999/xhtml" || (namespaceURI == PictureCheck.svgNamespace && !PictureCheck.drawingElements.contains(name)) {
                refuse("this SVG picture holds <\(shown)>, which is not a drawing element (only shapes, text, gradients and filters are copied to the site)", parser)
                return
            }
            if name == "style" { styleText = "" }
            for (attribute, value) in attributes.sorted(by: { $0.key < $1.key }) {
                let local = attribute.split(separator: ":").last.map(String.init)?.lowercased() ?? attribute
                if local.hasPrefix("on") {
                    refuse("this SVG picture has the event handler \(attribute) on <\(shown)>, which runs a script", parser)
                    return
                }
                if local == "href" || local == "src", !value.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
                    refuse("this SVG picture links to '\(Self.short(value))' from <\(shown)>; a picture may only link inside itself (#id)", parser)
                    return
                }
                if PictureCheck.loadsSomething(value) {
                    refuse("this SVG picture's \(attribute) on <\(shown)> loads '\(Self.short(value))'; a picture may only refer inside itself (url(#id))", parser)
                    return
                }
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            styleText? += string
        }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            styleText? += String(decoding: block, as: UTF8.self)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
            if name == "style", let text = styleText {
                styleText = nil
                if PictureCheck.loadsSomething(text) {
                    refuse("this SVG picture's <style> loads something from outside it (url(), @import)", parser)
                }
            }
        }

        func parser(_ parser: XMLParser, foundProcessingInstructionWithTarget target: String, data: String?) {
            if target.lowercased() == "xml-stylesheet" {
                refuse("this SVG picture links a stylesheet (<?xml-stylesheet?>)", parser)
            }
        }

        /// At most 60 characters of what the file says, so a message never quotes a whole file.
        static func short(_ text: String) -> String {
            TextRules.visible(text.count > 60 ? String(text.prefix(60)) + "…" : text)
        }
    }
}
