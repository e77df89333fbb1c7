import Foundation
import HandoutKit

/// A page as `serve` sends it: the built file, or the errors that hold it back, with the
/// reload script added. The script and its stylesheet are served from `_handout/` only by
/// `serve`, and added only to what it sends: the files in the output folder never hold them.
enum ServedPage {
    /// The plan whose pages `path` is (`patients/<id>/...`), if any.
    static func plan(of path: String) -> String? {
        let parts = path.split(separator: "/")
        guard parts.count >= 2, parts[0] == "patients", Slug.isValid(String(parts[1])) else { return nil }
        return String(parts[1])
    }

    /// `../` as many times as `path` is deep: the way back to the site's root.
    static func root(of path: String) -> String {
        String(repeating: "../", count: max(0, path.split(separator: "/", omittingEmptySubsequences: false).count - 1))
    }

    /// A page's version: its bytes and those of the stylesheets, scripts and pictures it
    /// loads from the site, so a page reloads when any of them changed, and only then.
    static func version(of body: Data, path: String, in folder: URL) -> String {
        var print = Fingerprint(body)
        let html = String(decoding: body, as: UTF8.self)
        for reference in localReferences(in: html) {
            guard let target = resolve(reference, from: path) else { continue }
            print.add(target)
            if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(target).path) {
                print.add(Fingerprint(data))
            }
        }
        return String(print.value, radix: 16)
    }

    /// `src` and `href` of `<link>`, `<script>` and `<img>`: what a page loads, not where it links.
    static func localReferences(in html: String) -> [String] {
        html.matches(of: /<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]*)"/).map { String($0.1) }
            .filter { !$0.contains(":") && !$0.hasPrefix("/") && !$0.hasPrefix("#") }
    }

    /// `reference` seen from the page at `path`, as a path inside the folder; nil when it leaves it.
    static func resolve(_ reference: String, from path: String) -> String? {
        let bare = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first
            .map { $0.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "" } ?? ""
        var parts = path.split(separator: "/").dropLast().map(String.init)
        for part in bare.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(String(part.removingPercentEncoding ?? String(part)))
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// `html` with the reload stylesheet and script added at the end of its head.
    static func withReload(_ html: String, path: String, version: String, words: EditorWords) -> String {
        let root = root(of: path)
        var attributes = "src=\"\(root)_handout/reload.js\" data-page=\"\(escape(path))\" data-version=\"\(version)\""
            + " data-editor=\"\(root)_handout/editor/\" data-editor-label=\"\(escape(words["serve_editor"]))\""
            + " data-toolbar-label=\"\(escape(words["serve_toolbar"]))\""
        if let plan = plan(of: path) {
            attributes += " data-plan=\"\(plan)\" data-edit-label=\"\(escape(words["serve_edit_plan"]))\""
        }
        let tags = "<link rel=\"stylesheet\" href=\"\(root)_handout/serve.css\">\n<script \(attributes) defer></script>\n"
        guard let head = html.range(of: "</head>", options: .caseInsensitive) else { return html + tags }
        return html.replacingCharacters(in: head.lowerBound..<head.lowerBound, with: tags)
    }

    /// The page shown in place of a page held back by `errors`: the diagnostics as the command
    /// line prints them, and what to do.
    static func errors(_ errors: [Diagnostic], path: String, siteWide: Bool, words: EditorWords) -> String {
        let root = root(of: path)
        let lines = errors.map { escape($0.description) }.joined(separator: "\n")
        let editor = plan(of: path).map { "<p><a href=\"\(root)_handout/editor/plan?id=\($0)\">\(escape(words["errors_open_editor"]))</a></p>\n" } ?? ""
        return document(title: words[siteWide ? "errors_site_heading" : "errors_plan_heading"], root: root, words: words, body: """
            <h1>\(escape(words[siteWide ? "errors_site_heading" : "errors_plan_heading"]))</h1>
            <p>\(escape(words[siteWide ? "errors_site_text" : "errors_plan_text"]))</p>
            <pre class="serve-diagnostics" tabindex="0">\(lines)</pre>
            \(editor)
            """)
    }

    /// A page for a path with no file: it reloads when one is built there.
    static func notFound(path: String, words: EditorWords) -> String {
        document(title: words["not_found_title"], root: root(of: path), words: words, body: """
            <h1>\(escape(words["not_found_title"]))</h1>
            <p>\(escape(words["not_found_text"]))</p>
            <p><a href="\(root(of: path))index.html">\(escape(words["nav_patients"]))</a></p>
            """)
    }

    private static func document(title: String, root: String, words: EditorWords, body: String) -> String {
        head(language: words.language, referrer: "no-referrer", policy: Headers.pagePolicy, title: title,
             links: "<link rel=\"stylesheet\" href=\"\(root)assets/site.css\">") + """
        <body class="serve-page">
        <main id="main">
        \(body)
        </main>
        </body>
        </html>

        """
    }

    /// The head every page `serve` makes begins with, as the site's layout writes it.
    static func head(language: String, referrer: String, policy: String, title: String, links: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(escape(language))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex, nofollow">
        <meta name="referrer" content="\(referrer)">
        <meta http-equiv="Content-Security-Policy" content="\(policy)">
        <title>\(escape(title))</title>
        \(links)
        </head>

        """
    }

    /// Text placed in HTML, as `{{name}}` places it.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
