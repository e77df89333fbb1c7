import Foundation
import Mustache

/// The clinic's Mustache templates, compiled once per build and checked before anything renders.
public struct TemplateSet: Sendable {
    let library: MustacheLibrary
    /// Template texts by name, for the build fingerprint.
    let sources: [String: String]
    /// Files under `Templates/assets/`, copied to `Output/assets/`.
    public let assets: [String: Data]

    /// Loads and checks every template; nil when any problem was reported.
    public static func load(from folder: URL, layout: SiteLayout, diagnostics: Diagnostics) -> TemplateSet? {
        let before = diagnostics.errorCount
        let names: [String]
        do {
            names = try FileSystem.list(folder.path)
        } catch {
            diagnostics.error("cannot read the templates folder: \(error.reason)", at: SourceLocation(path: layout.display(folder), line: 0, column: 0))
            return nil
        }
        var sources: [String: (text: String, path: String)] = [:]
        var library = MustacheLibrary()
        var syntaxErrors: [Diagnostic] = []
        // Reported once as unreadable, not again as missing.
        var unreadable = Set<String>()
        for name in names.sorted() where name.hasSuffix(".mustache") {
            let url = folder.appendingPathComponent(name)
            let path = layout.display(url)
            let templateName = String(name.dropLast(".mustache".count))
            let data: Data
            do { data = try FileSystem.read(url.path) } catch {
                diagnostics.error("cannot read this template: \(error.reason)", at: SourceLocation(path: path, line: 0, column: 0))
                unreadable.insert(templateName)
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                diagnostics.error("template is not UTF-8 text; save it as UTF-8", at: SourceLocation(path: path, line: 1, column: 1))
                unreadable.insert(templateName)
                continue
            }
            // The renderer marks places in rendered frames with NUL (`Frame`).
            if let nul = text.unicodeScalars.firstIndex(of: "\u{0}") {
                let (line, column) = SourceLocation.position(ofScalar: text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: nul), in: text)
                diagnostics.error("template contains a NUL character; delete it (templates are plain text)",
                                  at: SourceLocation(path: path, line: line, column: column))
                unreadable.insert(templateName)
                continue
            }
            sources[templateName] = (text, path)
            do {
                library.register(try MustacheTemplate(string: text), named: templateName)
            } catch let error as MustacheTemplate.ParserError {
                syntaxErrors.append(Diagnostic(.error, "template syntax: \(describe(error.error))",
                    at: SourceLocation(path: path, line: error.context.lineNumber, column: max(1, error.context.columnNumber))))
            } catch {
                syntaxErrors.append(Diagnostic(.error, "template syntax: \(error)", at: SourceLocation(path: path, line: 1, column: 1)))
            }
        }
        let checker = TemplateChecker(sources: sources, diagnostics: diagnostics)
        for (name, shape) in PageShapes.pages {
            guard sources[name] != nil else {
                if unreadable.contains(name) { continue }
                diagnostics.error("missing template '\(name).mustache'; every site needs it",
                                  at: SourceLocation(path: layout.display(folder.appendingPathComponent(name + ".mustache")), line: 1, column: 1))
                continue
            }
            checker.check(name, shape: shape)
        }
        // The checker explains most syntax problems better; the parser's word is kept for the rest.
        let explained = Set(diagnostics.all.map(\.location.path))
        for error in syntaxErrors where !explained.contains(error.location.path) {
            diagnostics.append(error)
        }
        let assets = loadAssets(from: folder.appendingPathComponent("assets"), layout: layout, diagnostics: diagnostics)
        guard diagnostics.errorCount == before else { return nil }
        return TemplateSet(library: library, sources: sources.mapValues(\.text), assets: assets)
    }

    private static func loadAssets(from folder: URL, layout: SiteLayout, diagnostics: Diagnostics) -> [String: Data] {
        var assets: [String: Data] = [:]
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return assets }
        for name in names.sorted() where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            guard Slug.isValid(String(name.prefix { $0 != "." }).lowercased()) else {
                diagnostics.warning("ignored asset: use a simple file name like site.css", at: SourceLocation(path: layout.display(url), line: 1, column: 1))
                continue
            }
            do {
                assets[name] = try FileSystem.read(url.path)
            } catch {
                diagnostics.error("cannot read this asset: \(error.reason); every page uses it", at: SourceLocation(path: layout.display(url), line: 0, column: 0))
            }
        }
        return assets
    }

    private static func describe(_ error: Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: "a section is closed with the wrong name"
        case .unfinishedName?: "a tag is not finished; close it with }}"
        case .expectedSectionEnd?: "a section is never closed"
        case .invalidSetDelimiter?: "invalid set-delimiter tag"
        default: "\(error)"
        }
    }

    func render(_ context: [String: Any], with template: String) -> String {
        // Every template exists and was checked at load time.
        library.render(context, withTemplate: template) ?? ""
    }

    /// A piece placed inside another template: rendered without the final line end of its
    /// file, so pieces joined with line ends do not leave blank lines.
    func fragment(_ context: [String: Any], with template: String) -> String {
        let html = render(context, with: template)
        return html.hasSuffix("\n") ? String(html.dropLast()) : html
    }
}
