import Foundation

/// A content file's front matter and Markdown body, with its pictures and links resolved.
extension ContentLoader {
    /// Front matter and body, with problems in either reported against the .md file's own lines.
    func readMarkdownFile(_ url: URL, text: String, keys: [String]) -> (YAMLMapping, FrontMatterDocument)? {
        let display = layout.display(url)
        let document: FrontMatterDocument
        switch FrontMatterDocument.split(text) {
        case .success(let split): document = split
        case .failure(.missingOpening):
            diagnostics.error("missing front matter: start the file with a line '---', then 'title: ...', then '---'",
                              at: SourceLocation(path: display, line: 1, column: 1))
            return nil
        case .failure(.missingClosing(let line)):
            diagnostics.error("front matter is not closed: add a line '---' after it",
                              at: SourceLocation(path: display, line: line, column: 1))
            return nil
        }
        let source = YAMLSource(path: display, lineOffset: document.yamlLineOffset, diagnostics: diagnostics)
        guard let root = source.parse(document.yaml, whenEmpty: "front matter is empty; it needs at least 'title: ...'") else {
            return nil
        }
        guard let map = root.mapping(keys: keys) else { return nil }
        return (map, document)
    }

    /// The body in both placements; `language` picks the reading-level formula.
    func renderBody(_ document: FrontMatterDocument, url: URL, allowHTML: Bool, language: String,
                    pictures used: inout Set<String>) -> [MarkdownPlacement: RenderedMarkdown] {
        let display = layout.display(url)
        for finding in TextRules.findings(inFile: document.body) {
            diagnostics.error(TextRules.problem(finding.scalar, in: "text"),
                              at: SourceLocation(path: display, line: finding.line + document.bodyLineOffset, column: finding.column))
        }
        var found: [String] = []
        let conversion = Markdown.convert(
            document.body, lineOffset: document.bodyLineOffset, allowHTML: allowHTML,
            placements: [.libraryPage, .handout]
        ) { link in
            let location = SourceLocation(path: display, line: link.line, column: link.column)
            return resolveLink(link, at: location, pictures: &found)
        }
        used.formUnion(found)
        for (line, column) in conversion.rawHTML {
            diagnostics.warning("HTML prints as text here, since site.yaml does not set 'allow_html: true'; write the words without the tag",
                                at: SourceLocation(path: display, line: line, column: column))
        }
        if let warning = Readability.warning(for: conversion.plainText, language: language) {
            diagnostics.warning(warning, at: SourceLocation(path: display, line: document.bodyLineOffset + 1, column: 1))
        }
        return conversion.renderings
    }

    /// Pictures resolve inside `Content/`; links follow `LinkRules`, and links to other
    /// content (`pages/x.md`) become site links, checked once every file is loaded.
    private func resolveLink(_ link: MarkdownLink, at location: SourceLocation, pictures found: inout [String]) -> String? {
        if link.isImage {
            // Only pictures inside Content/ (or inline data): a page never loads anything from outside.
            guard Markdown.isRelative(link.url) else {
                if !link.url.hasPrefix("data:image/") {
                    diagnostics.error("picture '\(link.url)' must be a file inside Content/, like images/side-plank.svg; pages load nothing from other sites",
                                      at: location)
                }
                return nil
            }
            switch pictures.resolve(link.url.hasPrefix("../") ? String(link.url.dropFirst(3)) : link.url) {
            case .success(let path):
                found.append(path)
                return "assets/" + path
            case .failure(let problem):
                diagnostics.error(problem.message, at: location)
                return nil
            }
        }
        switch LinkRules.target(of: link.url) {
        case .success(.outside):
            return nil
        case let .success(.content(kind, slug, sitePath)):
            links.append((kind, slug, location))
            return sitePath
        case .failure(let problem):
            diagnostics.error(problem.message, at: location)
            return nil
        }
    }
}
