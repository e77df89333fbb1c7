import Foundation
import Mustache

/// Reads `Templates/`: the page templates, the strings files, the assets, and which
/// languages there are words for. Every template is checked against the page it fills
/// before anything renders; `TemplateSet` compiles what was read.
struct TemplateLoader {
    var layout: SiteLayout
    var diagnostics: Diagnostics

    var folder: URL { layout.templates }

    /// Loads and checks every template; nil when any problem was reported.
    func load() -> TemplateSet? {
        // Its own problems, counted apart: content loads beside it, reporting its own.
        var own = self
        own.diagnostics = Diagnostics()
        defer { own.diagnostics.all.forEach(diagnostics.append) }
        return own.loadChecked()
    }

    private func loadChecked() -> TemplateSet? {
        guard let read = readTemplates() else { return nil }
        let strings = loadStrings()
        let checker = TemplateChecker(sources: read.sources, diagnostics: diagnostics)
        for (name, shape) in PageTemplates.shapes() {
            guard read.sources[name] != nil else {
                if read.unreadable.contains(name) { continue }
                diagnostics.error("missing template '\(name).mustache'; every site needs it",
                                  at: SourceLocation(path: layout.display(folder.appendingPathComponent(name + ".mustache")), line: 1, column: 1))
                continue
            }
            guard case .object(var fields) = shape else { continue }
            fields["t"] = .strings
            checker.check(name, shape: .object(fields))
        }
        checkStrings(strings, used: checker.usedStrings.first)
        // The checker explains most syntax problems better, at their tags; the parser's report is
        // kept for a file the checker found nothing in.
        let explained = Set(diagnostics.all.map(\.location.path))
        for error in read.syntaxErrors where !explained.contains(error.location.path) {
            diagnostics.append(error)
        }
        let assets = loadAssets(linked: TemplateSet.linkedAssets(layout: read.sources["layout"]?.text))
        checkAssetsBesidePrintRules(assets.keys, languages: strings.keys)
        guard !diagnostics.hasErrors else { return nil }
        return TemplateSet(sources: read.sources.mapValues(\.text), strings: strings, assets: assets)
    }

    /// The languages with a strings file, by their file names (`es.yaml` → `es`).
    func languages() -> Set<String> {
        Set(((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("strings").path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(".yaml".count)) })
    }

    /// Whether `Templates/assets` holds a file of this name.
    func hasAsset(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("assets").appendingPathComponent(name).path)
    }

    private struct ReadTemplates {
        var sources: [String: (text: String, path: String)] = [:]
        var syntaxErrors: [Diagnostic] = []
        /// Reported once as unreadable, not again as missing.
        var unreadable = Set<String>()
    }

    /// Every `.mustache` file, read and parsed for its syntax errors; nil when the folder cannot be listed.
    private func readTemplates() -> ReadTemplates? {
        let names: [String]
        do {
            names = try FileSystem.list(folder.path)
        } catch {
            diagnostics.error("cannot read the templates folder: \(error.reason)", at: SourceLocation(path: layout.display(folder), line: 0, column: 0))
            return nil
        }
        var read = ReadTemplates()
        for name in names.sorted() where name.hasSuffix(".mustache") {
            let templateName = String(name.dropLast(".mustache".count))
            let url = folder.appendingPathComponent(name)
            guard let text = readTemplate(url) else {
                read.unreadable.insert(templateName)
                continue
            }
            let path = layout.display(url)
            read.sources[templateName] = (text, path)
            do {
                // Parsed here for its syntax errors; compiled per language by `TemplateSet`.
                _ = try MustacheTemplate(string: text)
            } catch let error as MustacheTemplate.ParserError {
                read.syntaxErrors.append(Diagnostic(.error, "template syntax: \(Self.describe(error.error))",
                    at: SourceLocation(path: path, line: error.context.lineNumber, column: max(1, error.context.columnNumber))))
            } catch {
                read.syntaxErrors.append(Diagnostic(.error, "template syntax: \(Self.describe(error))", at: SourceLocation(path: path, line: 1, column: 1)))
            }
        }
        return read
    }

    /// One template's text; nil (reported) when unreadable, not UTF-8 or holding a NUL.
    private func readTemplate(_ url: URL) -> String? {
        let path = layout.display(url)
        let data: Data
        do { data = try FileSystem.readInput(url.path, limit: .template, inside: layout.linkableFolders(for: folder)) } catch {
            diagnostics.error("cannot read this template: \(error.reason)", at: SourceLocation(path: path, line: 1, column: 1))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.error("template is not UTF-8 text; save it as UTF-8", at: SourceLocation(path: path, line: 1, column: 1))
            return nil
        }
        // The renderer marks places in rendered frames with NUL (`Frame`).
        if let nul = text.unicodeScalars.firstIndex(of: "\u{0}") {
            let (line, column) = SourceLocation.position(ofScalar: text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: nul), in: text)
            diagnostics.error("template contains a NUL character; delete it (templates are plain text)",
                              at: SourceLocation(path: path, line: line, column: column))
            return nil
        }
        return text
    }

    /// Reads every `<language>.yaml` in `Templates/strings`. Each string's values are checked here;
    /// whether a file has every string the templates and Handout use is checked by `checkStrings`.
    func loadStrings() -> [String: Strings] {
        let folder = self.folder.appendingPathComponent("strings")
        var result: [String: Strings] = [:]
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return result }
        for name in names.sorted() where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            let path = layout.display(url)
            let language = String(name.dropLast(".yaml".count))
            guard name.hasSuffix(".yaml"), LanguageTag.isValid(language, lowercaseOnly: true) else {
                diagnostics.error("a strings file is named by its language in lowercase, like es.yaml or zh-hans.yaml",
                                  at: SourceLocation(path: path, line: 1, column: 1))
                continue
            }
            guard let text = ContentFiles(layout: layout, diagnostics: diagnostics).read(url, limit: .strings) else { continue }
            let source = YAMLSource(path: path, lineOffset: 0, diagnostics: diagnostics)
            guard let root = source.parse(text, whenEmpty: "strings file is empty; copy en.yaml and translate it"),
                  let entries = root.entries() else { continue }
            var strings = Strings(language: language, path: path, source: text, phrases: [:], locations: [:], table: [:])
            for (key, value) in entries {
                strings.locations[key] = value.location
                if case .mapping = value.node, Strings.countable.contains(key) {
                    guard let forms = value.mapping(keys: ["one", "other"]),
                          let one = forms.required("one")?.text(), let other = forms.required("other")?.text() else { continue }
                    strings.phrases[key] = .plural(one: one, other: other)
                    Strings.check([one, other], of: key, at: value)
                } else if let text = value.text() {
                    strings.phrases[key] = .text(text)
                    strings.table[key] = text
                    Strings.check([text], of: key, at: value)
                }
            }
            result[language] = strings
        }
        return result
    }

    /// Every string the templates place and Handout composes must be in every strings file.
    private func checkStrings(_ strings: [String: Strings], used: [String: SourceLocation]) {
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

    /// Every file of `Templates/assets`. The folder must be there and readable, and hold
    /// what the pages link: otherwise the build would publish pages without their
    /// stylesheet, and remove the one the last build published.
    private func loadAssets(linked: [String]) -> [String: Data] {
        let folder = self.folder.appendingPathComponent("assets")
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
                diagnostics.error("cannot read this asset: \(error.reason); every page uses it", at: SourceLocation(path: layout.display(url), line: 1, column: 1))
            }
        }
        for name in linked where !names.contains(name) {
            diagnostics.error("missing \(name): the pages link assets/\(name), so it must be here (copy it from Handout's own Templates/assets)",
                              at: SourceLocation(path: layout.display(folder.appendingPathComponent(name)), line: 0, column: 0))
        }
        return assets
    }

    /// Each language's print rules are written to `assets/` (`PrintStylesheet.path`), where
    /// the template assets go too: the same name would overwrite one with the other.
    private func checkAssetsBesidePrintRules(_ assets: Dictionary<String, Data>.Keys, languages: Dictionary<String, Strings>.Keys) {
        var written: [String: String] = [:]
        for language in languages {
            written[PrintStylesheet.path(language: language, largePrint: false)] = "pages in '\(language)'"
            written[PrintStylesheet.path(language: language, largePrint: true)] = "large-print pages in '\(language)'"
        }
        for name in assets.sorted() {
            guard let pages = written["assets/" + name.lowercased()] else { continue }
            diagnostics.error("Handout writes assets/\(name.lowercased()) itself, with the print rules of \(pages); rename this file",
                              at: SourceLocation(path: layout.display(folder.appendingPathComponent("assets").appendingPathComponent(name)), line: 1, column: 1))
        }
    }

    private static func describe(_ error: Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: "a section is closed with the wrong name"
        case .unfinishedName?: "a tag is not finished; close it with }}"
        case .expectedSectionEnd?: "a section is never closed"
        case .invalidSetDelimiter?: "invalid set-delimiter tag"
        // The parser's other words never reach a user.
        default: "this template cannot be read; check that every '{{' has its '}}' and every section is closed"
        }
    }
}
