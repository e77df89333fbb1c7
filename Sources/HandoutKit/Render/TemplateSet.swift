import Foundation
import Mustache

/// The clinic's Mustache templates, compiled once per build and checked before anything renders.
public struct TemplateSet: Sendable {
    /// The templates compiled once per language, each with its strings already in place.
    let libraries: [String: MustacheLibrary]
    /// Template texts by name, for the build fingerprint.
    let sources: [String: String]
    /// Files under `Templates/assets/`, copied to `Output/assets/`.
    public let assets: [String: Data]
    /// Each language's words, from `Templates/strings/`.
    let words: [String: Words]

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
        var syntaxErrors: [Diagnostic] = []
        // Reported once as unreadable, not again as missing.
        var unreadable = Set<String>()
        for name in names.sorted() where name.hasSuffix(".mustache") {
            let url = folder.appendingPathComponent(name)
            let path = layout.display(url)
            let templateName = String(name.dropLast(".mustache".count))
            let data: Data
            do { data = try FileSystem.readInput(url.path, limit: .template, inside: layout.linkableFolders(for: folder)) } catch {
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
                // Parsed here for its syntax errors; compiled per language below.
                _ = try MustacheTemplate(string: text)
            } catch let error as MustacheTemplate.ParserError {
                syntaxErrors.append(Diagnostic(.error, "template syntax: \(describe(error.error))",
                    at: SourceLocation(path: path, line: error.context.lineNumber, column: max(1, error.context.columnNumber))))
            } catch {
                syntaxErrors.append(Diagnostic(.error, "template syntax: \(error)", at: SourceLocation(path: path, line: 1, column: 1)))
            }
        }
        let strings = Strings.load(from: folder.appendingPathComponent("strings"), layout: layout, diagnostics: diagnostics)
        let checker = TemplateChecker(sources: sources, diagnostics: diagnostics)
        for (name, shape) in PageShapes.pages {
            guard sources[name] != nil else {
                if unreadable.contains(name) { continue }
                diagnostics.error("missing template '\(name).mustache'; every site needs it",
                                  at: SourceLocation(path: layout.display(folder.appendingPathComponent(name + ".mustache")), line: 1, column: 1))
                continue
            }
            guard case .object(var fields) = shape else { continue }
            fields["t"] = .strings
            checker.check(name, shape: .object(fields))
        }
        checkStrings(strings, used: checker.usedStrings.first, folder: folder, layout: layout, diagnostics: diagnostics)
        // The checker explains most syntax problems better; the parser's word is kept for the rest.
        let explained = Set(diagnostics.all.map(\.location.path))
        for error in syntaxErrors where !explained.contains(error.location.path) {
            diagnostics.append(error)
        }
        let assets = loadAssets(from: folder.appendingPathComponent("assets"), layout: layout, diagnostics: diagnostics,
                                linked: linkedAssets(layout: sources["layout"]?.text))
        guard diagnostics.errorCount == before else { return nil }
        // Strings files count as templates for the build fingerprint: their text as read,
        // wherever the templates folder is.
        var texts = sources.mapValues(\.text)
        for (language, strings) in strings {
            texts["strings/" + language] = strings.source
        }
        // `{{t.name}}` is the same on every page of a language, so it is put in place once here
        // and costs nothing per page.
        var libraries: [String: MustacheLibrary] = [:]
        for (language, strings) in strings {
            var compiled = MustacheLibrary()
            for (name, source) in sources {
                // Parsed above; placed strings are escaped and cannot open a tag.
                guard let template = try? MustacheTemplate(string: placing(strings, in: source.text)) else { continue }
                compiled.register(template, named: name)
            }
            libraries[language] = compiled
        }
        return TemplateSet(libraries: libraries, sources: texts, assets: assets, words: strings.mapValues(Words.init))
    }

    private static let stringTag = try! NSRegularExpression(pattern: #"(?<!\{)\{\{\s*t\.([A-Za-z0-9_-]+)\s*\}\}(?!\})"#)

    /// The template with each `{{t.name}}` replaced by the string, escaped exactly as the tag
    /// escapes it; a brace in a string is written as `&#123;` so it cannot open a tag.
    static func placing(_ strings: Strings, in text: String) -> String {
        let source = text as NSString
        var out = ""
        var last = 0
        for match in stringTag.matches(in: text, range: NSRange(location: 0, length: source.length)) {
            out += source.substring(with: NSRange(location: last, length: match.range.location - last))
            let name = source.substring(with: match.range(at: 1))
            out += Frame.escaped(strings.table[name] ?? "").replacingOccurrences(of: "{", with: "&#123;")
            last = match.range.location + match.range.length
        }
        return out + source.substring(from: last)
    }

    /// Every string the templates place and Handout composes must be in every strings file.
    private static func checkStrings(_ strings: [String: Strings], used: [String: SourceLocation], folder: URL,
                                     layout: SiteLayout, diagnostics: Diagnostics) {
        guard !strings.isEmpty else {
            diagnostics.error("no strings files; every site needs at least Templates/strings/en.yaml, the words of its pages",
                              at: SourceLocation(path: layout.display(folder.appendingPathComponent("strings")), line: 0, column: 0))
            return
        }
        let defined = Set(strings.values.flatMap(\.phrases.keys))
        for (name, location) in used.sorted(by: { $0.value < $1.value }) where !defined.contains(name) {
            diagnostics.error("unknown string '\(name)'" + Suggestion.hint(for: name, in: defined.filter { !$0.hasPrefix("activity_") })
                              + "; a new string must be added to every file in Templates/strings/", at: location)
        }
        for item in strings.values.sorted(by: { $0.language < $1.language }) {
            let fileStart = SourceLocation(path: item.path, line: 1, column: 1)
            for (name, location) in used.sorted(by: { $0.value < $1.value }) where defined.contains(name) {
                switch item.phrases[name] {
                case nil:
                    diagnostics.error("missing string '\(name)', which \(location.path):\(location.line):\(location.column) uses; add '\(name): …' in this language",
                                      at: fileStart)
                case .plural?:
                    diagnostics.error("'\(name)' is placed by a template, so it must be one text, not one/other forms",
                                      at: item.locations[name] ?? fileStart)
                case .text?: break
                }
            }
            for name in Strings.composed.keys.sorted() where item.phrases[name] == nil {
                diagnostics.error("missing string '\(name)', which Handout prints; add '\(name): …' in this language (see en.yaml)",
                                  at: fileStart)
            }
            for (name, location) in item.locations.sorted(by: { $0.value < $1.value })
                where used[name] == nil && Strings.composed[name] == nil && !name.hasPrefix("activity_") {
                diagnostics.warning("string '\(name)' is not used by any template", at: location)
            }
        }
    }

    /// Each stage's activity (`walk`, `run`) must have its word in every strings file.
    public func checkActivities(in library: ContentLibrary, diagnostics: Diagnostics) {
        var activities: [String: String] = [:]
        for progression in library.progressions.values.sorted(by: { $0.slug < $1.slug }) {
            for segment in progression.stages.flatMap(\.segments) where activities[segment.activity] == nil {
                activities[segment.activity] = progression.path
            }
        }
        for words in self.words.values.sorted(by: { $0.language < $1.language }) {
            for (activity, path) in activities.sorted(by: { $0.key < $1.key })
                where words.strings.phrases[Strings.activityKey(activity)] == nil {
                diagnostics.error("missing string '\(Strings.activityKey(activity))', the word for '\(activity)' in \(path); add it in this language",
                                  at: SourceLocation(path: words.strings.path, line: 1, column: 1))
            }
        }
    }

    /// Files the pages link whatever the templates say: the index's filter script, and the
    /// stylesheet when the layout links it.
    static func linkedAssets(layout: String?) -> [String] {
        ["filter.js"] + (layout?.contains("assets/site.css") == true ? ["site.css"] : [])
    }

    /// Every file of `Templates/assets`. The folder must be there and readable, and hold
    /// what the pages link: otherwise the build would publish pages without their
    /// stylesheet, and remove the one the last build published.
    private static func loadAssets(from folder: URL, layout: SiteLayout, diagnostics: Diagnostics, linked: [String]) -> [String: Data] {
        var assets: [String: Data] = [:]
        let names: [String]
        do {
            names = try FileSystem.list(folder.path)
        } catch {
            let what = error.code == ENOENT ? "the assets folder is missing" : "cannot read the assets folder: \(error.reason)"
            diagnostics.error(what + "; every page links its stylesheet and the index its script (" + linked.joined(separator: ", ")
                              + "), so nothing was built", at: SourceLocation(path: layout.display(folder), line: 0, column: 0))
            return assets
        }
        for name in names.sorted() where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            guard Slug.isValid(String(name.prefix { $0 != "." }).lowercased()) else {
                diagnostics.warning("ignored asset: use a simple file name like site.css", at: SourceLocation(path: layout.display(url), line: 1, column: 1))
                continue
            }
            do {
                assets[name] = try FileSystem.readInput(url.path, limit: .asset, inside: layout.linkableFolders(for: folder))
            } catch {
                diagnostics.error("cannot read this asset: \(error.reason); every page uses it", at: SourceLocation(path: layout.display(url), line: 0, column: 0))
            }
        }
        for name in linked where !names.contains(name) {
            diagnostics.error("missing \(name): the pages link assets/\(name), so it must be here (copy it from Handout's own Templates/assets)",
                              at: SourceLocation(path: layout.display(folder.appendingPathComponent(name)), line: 0, column: 0))
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

    /// Renders `template` with `context`, in `words`' language.
    func render(_ context: [String: Any], with template: String, in words: Words) -> String {
        // Every template and language exists and was checked at load time.
        libraries[words.language]?.render(context, withTemplate: template) ?? ""
    }

    /// A piece placed inside another template: rendered without the final line end of its
    /// file, so pieces joined with line ends do not leave blank lines.
    func fragment(_ context: [String: Any], with template: String, in words: Words) -> String {
        let html = render(context, with: template, in: words)
        return html.hasSuffix("\n") ? String(html.dropLast()) : html
    }
}
