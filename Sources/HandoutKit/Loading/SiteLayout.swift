import Foundation

/// Where a site's folders are. Everything is passed in, so tests run on temporary folders.
public struct SiteLayout: Sendable {
    public var root: URL
    public var content: URL
    public var templates: URL
    public var plans: URL
    public var output: URL

    public init(root: URL, content: URL? = nil, templates: URL? = nil, plans: URL? = nil, output: URL? = nil) {
        self.root = root.standardizedFileURL
        self.content = (content ?? root.appendingPathComponent("Content")).standardizedFileURL
        self.templates = (templates ?? root.appendingPathComponent("Templates")).standardizedFileURL
        self.plans = (plans ?? self.content.appendingPathComponent("plans")).standardizedFileURL
        self.output = (output ?? root.appendingPathComponent("Output")).standardizedFileURL
    }

    /// Pages Handout writes that are not made from one content file, by their path in
    /// `Output/`. Content pages go to `<folder>/<slug>.html` and patients to
    /// `patients/<id>/`, so a content file whose page would be one of these is refused,
    /// naming both; a plan id cannot collide, as `patients/` holds nothing but plan folders.
    /// Pictures go to `assets/<path>`, beside the template assets (`Templates/assets/`).
    public static let generatedPages: [String: String] = [
        "index.html": "the clinic index",
        "exercises/index.html": "the exercise library page",
    ]

    /// How diagnostics name a file: relative to the site root when inside it.
    public func display(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }
}

/// Reading content files, with problems reported rather than thrown.
struct ContentFiles {
    var layout: SiteLayout
    var diagnostics: Diagnostics

    /// The file's bytes and text, read once; problems are reported at the file.
    func load(_ url: URL) -> (data: Data, text: String)? {
        let location = SourceLocation(path: layout.display(url), line: 1, column: 1)
        let data: Data
        do {
            data = try FileSystem.read(url.path)
        } catch {
            diagnostics.error("cannot read this file: \(error.reason)", at: SourceLocation(path: location.path, line: 0, column: 0))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.error("file is not UTF-8 text; save it as UTF-8", at: location)
            return nil
        }
        return (data, text)
    }

    func read(_ url: URL) -> String? { load(url)?.text }

    /// One file of a content folder.
    struct Entry {
        var slug: String
        var path: String
        /// Set for a translation, `bridge.es.md`: the language after the last dot.
        var language: String? = nil
        // Made only when needed: with ten thousand plans, `--patient` reads one of them.
        var url: URL { URL(fileURLWithPath: path, isDirectory: false) }
    }

    /// Every `*.ext` file in `folder`, sorted; bad names are reported. A folder that exists
    /// but cannot be read is an error (its files would otherwise look deleted), and so is a
    /// missing one when `required`; the result is then nil. With `translations`,
    /// `<slug>.<language>.ext` is a translation of `<slug>.ext`.
    func entries(in folder: URL, extension ext: String, required: Bool = false, translations: Bool = false) -> [Entry]? {
        let names: [String]
        do {
            names = try FileSystem.list(folder.path)
        } catch {
            if error.code == ENOENT, !required { return [] }
            let what = error.code == ENOENT ? "this folder does not exist" : "cannot read this folder: \(error.reason)"
            let hint = required ? "; nothing was built or removed (check that the plans folder or its share is there, or pass --plans DIR)" : ""
            diagnostics.error(what + hint, at: SourceLocation(path: layout.display(folder), line: 0, column: 0))
            return nil
        }
        var result: [Entry] = []
        let base = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
        for name in names.sorted() where !name.hasPrefix(".") {
            var url: URL { URL(fileURLWithPath: base + name, isDirectory: false) }
            var location: SourceLocation { SourceLocation(path: layout.display(url), line: 1, column: 1) }
            guard name.hasSuffix("." + ext) else {
                if name.lowercased().hasPrefix("readme") { continue }
                if !FileSystem.isFolder(base + name) {
                    diagnostics.warning("ignored: only .\(ext) files are read here", at: location)
                }
                continue
            }
            var slug = String(name.dropLast(ext.count + 1))
            var language: String?
            if translations, let dot = slug.lastIndex(of: ".") {
                let tag = String(slug[slug.index(after: dot)...])
                guard tag.range(of: "^[a-z]{2,3}(-[a-z0-9]{2,8})*$", options: .regularExpression) != nil else {
                    diagnostics.error("'\(tag)' is not a language code: a translation is named <name>.<language>.\(ext) with a lowercase code, like bridge.es.\(ext)", at: location)
                    continue
                }
                language = tag
                slug = String(slug[..<dot])
            }
            guard Slug.isValid(slug) else {
                let rename = Slug.suggestion(for: slug).map { "; rename it to '\($0).\(ext)'" } ?? ""
                diagnostics.error("file name '\(slug)' is not a valid name: use lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters" + rename, at: location)
                continue
            }
            result.append(Entry(slug: slug, path: base + name, language: language))
        }
        return result
    }
}
