import Foundation
import Mustache
import Synchronization

/// The clinic's Mustache templates, compiled once per build and checked before anything renders.
public struct TemplateSet: Sendable {
    /// The templates compiled once per language, each with its strings already in place.
    let libraries: CompiledTemplates
    /// Template texts by name, for the build fingerprint.
    let sources: [String: String]
    /// Files under `Templates/assets/`, copied to `Output/assets/`.
    public let assets: [String: Data]
    /// Each language's words, from `Templates/strings/`.
    let words: [String: Words]
    /// Whether the index places its rows so each can be rendered alone and kept (`IndexRows`).
    let indexRowsApart: Bool

    init(sources: [String: String], strings: [String: Strings], assets: [String: Data]) {
        libraries = CompiledTemplates(sources: sources, strings: strings)
        indexRowsApart = IndexRows.renderedApart(in: sources)
        // Strings files count as templates for the build fingerprint: their text as read,
        // wherever the templates folder is.
        var texts = sources
        for (language, strings) in strings {
            texts["strings/" + language] = strings.source
        }
        self.sources = texts
        self.assets = assets
        words = strings.mapValues(Words.init)
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
            out += PageText.escape(strings.table[name] ?? "").replacingOccurrences(of: "{", with: "&#123;")
            last = match.range.location + match.range.length
        }
        return out + source.substring(from: last)
    }

    /// The activities of the progressions (`walk`, `hold`) that each language other than the
    /// originals' has no word for.
    public func activitiesWithoutWord(in library: ContentLibrary) -> [String: Set<String>] {
        let activities = Set(library.progressions.values.flatMap { $0.stages.flatMap(\.segments).map(\.activity) })
        var missing: [String: Set<String>] = [:]
        for words in self.words.values where words.language != library.site.originalsLanguage {
            let lacking = activities.filter { words.strings.phrases[Strings.activityKey($0)] == nil }
            if !lacking.isEmpty { missing[words.language] = lacking }
        }
        return missing
    }

    /// Files the pages link whatever the templates say: the index's filter script, and the
    /// stylesheet when the layout links it.
    static func linkedAssets(layout: String?) -> [String] {
        ["filter.js"] + (layout?.contains("assets/site.css") == true ? ["site.css"] : [])
    }

    /// Renders `template` with `context`, in `words`' language.
    func render<Context: TemplateContext>(_ context: Context, with template: String, in words: Words) -> String {
        // Every template and language exists and was checked at load time.
        libraries.library(for: words.language)?.render(ContextEncoder.encode(context), withTemplate: template) ?? ""
    }

    /// Renders `template` with an encoded context, in `words`' language, with the partial
    /// `partial` replaced by the template `replacement`; `{{> name/as-written}}` in it places
    /// the partial as the clinic wrote it. Nil when there is no such partial.
    func render(_ context: [String: Any], with template: String, in words: Words,
                replacing partial: String, by replacement: String) -> String? {
        guard var library = libraries.library(for: words.language), let written = library.getTemplate(named: partial),
              let replaced = try? MustacheTemplate(string: replacement) else { return nil }
        // No template file has a name with a slash in it.
        library.register(written, named: partial + "/as-written")
        library.register(replaced, named: partial)
        return library.render(context, withTemplate: template)
    }

    /// A piece placed inside another template: rendered without the final line end of its
    /// file, so pieces joined with line ends do not leave blank lines.
    func fragment<Context: TemplateContext>(_ context: Context, with template: String, in words: Words) -> String {
        var html = render(context, with: template, in: words)
        // In place: `String(html.dropLast())` counted every character of the piece twice.
        if html.hasSuffix("\n") { html.removeLast() }
        return html
    }
}

/// The templates compiled per language. `{{t.name}}` is the same on every page of a language,
/// so it is put in place when the language is compiled and costs nothing per page. A language
/// is compiled the first time a page in it is rendered: a build that renders nothing, or only
/// some languages, compiles nothing more (it was a quarter of a small site's unchanged build).
final class CompiledTemplates: Sendable {
    private let sources: [String: String]
    private let strings: [String: Strings]
    private let compiled = Mutex<[String: MustacheLibrary]>([:])

    init(sources: [String: String], strings: [String: Strings]) {
        self.sources = sources
        self.strings = strings
    }

    func library(for language: String) -> MustacheLibrary? {
        compiled.withLock { compiled in
            if let library = compiled[language] { return library }
            guard let strings = strings[language] else { return nil }
            var library = MustacheLibrary()
            for (name, source) in sources {
                // Checked when loaded; placed strings are escaped and cannot open a tag.
                guard let template = try? MustacheTemplate(string: PageText.pragma + TemplateSet.placing(strings, in: source)) else { continue }
                library.register(template, named: name)
            }
            compiled[language] = library
            return library
        }
    }
}
