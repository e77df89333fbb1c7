import Foundation

/// Where a site's folders are. Everything is passed in, so tests run on temporary folders.
public struct SiteLayout: Sendable {
    public var root: URL
    public var content: URL
    public var templates: URL
    public var plans: URL
    public var output: URL

    /// Each folder as given, made absolute by the caller. `.` and doubled slashes are
    /// dropped, but `..` is kept: after a symbolic link it leads to the link's target's
    /// parent, which only the file system knows (`resolvedPath`), never to the link's own.
    public init(root: URL, content: URL? = nil, templates: URL? = nil, plans: URL? = nil, output: URL? = nil) {
        self.root = Self.cleaned(root)
        self.content = Self.cleaned(content ?? root.appendingPathComponent("Content"))
        self.templates = Self.cleaned(templates ?? root.appendingPathComponent("Templates"))
        self.plans = Self.cleaned(plans ?? self.content.appendingPathComponent("plans"))
        self.output = Self.cleaned(output ?? root.appendingPathComponent("Output"))
    }

    private static func cleaned(_ url: URL) -> URL {
        let parts = url.path.split(separator: "/").filter { $0 != "." }
        return URL(fileURLWithPath: "/" + parts.joined(separator: "/"), isDirectory: true)
    }

    /// An option's path as the user typed it, made absolute against `directory` (the
    /// working directory) without touching `..` (see `init`).
    public static func absolute(_ path: String, in directory: String) -> URL {
        URL(fileURLWithPath: path.hasPrefix("/") ? path : directory + "/" + path, isDirectory: true)
    }

    /// The error when an input folder and the output folder overlap, naming both, or nil.
    /// A build replaces everything in the output folder, so plans kept inside it would be
    /// deleted with the old pages; and an output inside an input would be read back as
    /// content. Both are compared as the file system resolves them, links followed.
    public func overlap() -> String? {
        let output = FileSystem.resolvedPath(self.output.path)
        let inputs = [("plans folder", plans), ("content folder", content), ("templates folder", templates)]
        func inside(_ path: String, _ folder: String) -> Bool { path == folder || path.hasPrefix(folder == "/" ? "/" : folder + "/") }
        for (name, url) in inputs {
            let input = FileSystem.resolvedPath(url.path)
            let option = name.split(separator: " ")[0]
            if inside(input, output) {
                return "the \(name) \(display(url)) is inside the output folder \(display(self.output))"
                    + (input == url.path ? "" : " (through links, at \(input))")
                    + "; a build replaces everything in the output folder, so it would delete the \(option); "
                    + "keep them apart (choose another --output or --\(option))"
            }
            if inside(output, input) {
                return "the output folder \(display(self.output)) is inside the \(name) \(display(url))"
                    + (output == self.output.path ? "" : " (through links, at \(output))") + "; "
                    + "the built pages would be read back as \(option); keep them apart (choose another --output or --\(option))"
            }
        }
        return nil
    }

    /// The folders a link from an input file in `folder` may point into: that folder and the
    /// site folder it belongs to (content, templates or plans), each with its links followed.
    func linkableFolders(for folder: URL) -> [(real: String, shown: String)] {
        var folders = [(FileSystem.resolvedPath(folder.path), display(folder))]
        for top in [content, templates, plans] where folder.path == top.path || folder.path.hasPrefix(top.path + "/") {
            folders.append((FileSystem.resolvedPath(top.path), display(top)))
        }
        return folders
    }

    /// The clinic index, by its path in `Output/`.
    public static let indexPage = "index.html"

    /// Pages Handout writes that are not made from one content file, by their path in
    /// `Output/`. Content pages go to `<folder>/<slug>.html` and patients to
    /// `patients/<id>/`, so a content file whose page would be one of these is refused,
    /// naming both; a plan id cannot collide, as `patients/` holds nothing but plan folders.
    /// Pictures go to `assets/<path>`, beside the template assets (`Templates/assets/`).
    public static let generatedPages: [String: String] = [
        indexPage: "the clinic index",
        "exercises/index.html": "the exercise library page",
    ]

    /// How diagnostics name a file: relative to the site root when inside it.
    public func display(_ url: URL) -> String {
        let path = url.path
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }
}

/// Reading content files, with problems reported rather than thrown.
struct ContentFiles {
    var layout: SiteLayout
    var diagnostics: Diagnostics

    /// The file's bytes and text, read once (up to `limit`, a link only inside its folder);
    /// problems are reported at the file.
    func load(_ url: URL, limit: SizeLimit, owner: Diagnostic.Owner = .site) -> (data: Data, text: String)? {
        let location = SourceLocation(path: layout.display(url), line: 1, column: 1, owner: owner)
        let data: Data
        do {
            data = try FileSystem.readInput(url.path, limit: limit, inside: layout.linkableFolders(for: url.deletingLastPathComponent()))
        } catch {
            diagnostics.error("cannot read this file: \(error.reason)", at: location)
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.error("file is not UTF-8 text; save it as UTF-8", at: location)
            return nil
        }
        return (data, text)
    }

    func read(_ url: URL, limit: SizeLimit) -> String? { load(url, limit: limit)?.text }

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
    /// `<slug>.<language>.ext` is a translation of `<slug>.ext`. A file's problems belong to
    /// `owner` of its name without the extension.
    func entries(in folder: URL, extension ext: String, required: Bool = false, translations: Bool = false,
                 owner: (String) -> Diagnostic.Owner = { _ in .site }) -> [Entry]? {
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
            var location: SourceLocation {
                SourceLocation(path: layout.display(url), line: 1, column: 1, owner: name.hasSuffix("." + ext) ? owner(String(name.dropLast(ext.count + 1))) : .site)
            }
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
                guard LanguageTag.isValid(tag, lowercaseOnly: true) else {
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
