import FlyingFox
import Foundation

/// The site's files as `serve` sends them: pages with the reload script, or, while the build
/// holds them back, the errors in their place; and the answer to a page's question whether
/// it changed.
final class SitePages: @unchecked Sendable {
    let worker: SiteWorker
    init(worker: SiteWorker) {
        self.worker = worker
    }

    /// `serve`'s words in the site's language, read again after each build (`site.yaml` may
    /// have changed it).
    var words: EditorWords { EditorWords(language: worker.library.library.site.language) }

    /// A request for `path` in `folder`. `reloading`: the site's own output (the reload script
    /// added, errors shown); otherwise a draft's preview, shown as built, inside the editor.
    func serve(_ path: String, from folder: ServedFiles, reloading: Bool) -> HTTPResponse {
        let policy = Headers.policy(framedByEditor: !reloading)
        switch folder.answer(path) {
        case .redirect(let location):
            var response = Headers.text(.movedPermanently, "Moved to \(location)")
            response.headers[.location] = location
            return response
        case .file(let url, let relative):
            if reloading, relative.hasSuffix(".html") { return page(relative, in: folder) }
            guard let data = FileManager.default.contents(atPath: url.path) else { return Headers.text(.notFound, "Not found.") }
            return Headers.response(.ok, type: ServedFiles.contentType(of: relative), body: data, policy: policy)
        case .notFound:
            guard reloading, let segments = ServedFiles.segments(path) else { return Headers.text(.notFound, "Not found.") }
            let relative = segments.isEmpty ? "index.html" : segments.joined(separator: "/") + (path.hasSuffix("/") ? "/index.html" : "")
            guard relative.hasSuffix(".html") || !relative.contains(".") else { return Headers.text(.notFound, "Not found.") }
            return page(relative, in: folder)
        }
    }

    /// The page with the reload script, from what it shows now.
    private func page(_ relative: String, in folder: ServedFiles) -> HTTPResponse {
        let (status, body) = shown(relative, in: folder)
        let version = ServedPage.version(of: body, path: relative, in: folder.root)
        let html = ServedPage.withReload(String(decoding: body, as: UTF8.self), path: relative, version: version, words: words)
        return Headers.html(status, html)
    }

    /// What a page shows now, before the reload script is added: the built file, or the
    /// errors that hold it back, or a page saying there is none yet.
    func shown(_ relative: String, in folder: ServedFiles) -> (HTTPStatusCode, Data) {
        let state = worker.state
        let errors = state.errors(forPlan: ServedPage.plan(of: relative))
        if !errors.isEmpty {
            return (.ok, Data(ServedPage.errors(errors, path: relative, siteWide: !state.siteErrors.isEmpty, words: words).utf8))
        }
        if case .file(let url, _) = folder.answer(relative), let data = FileManager.default.contents(atPath: url.path) {
            return (.ok, data)
        }
        return (.notFound, Data(ServedPage.notFound(path: relative, words: words).utf8))
    }

    /// The version of the page at `relative`, as `page` would send it now.
    func version(of relative: String, in folder: ServedFiles) -> String {
        ServedPage.version(of: shown(relative, in: folder).1, path: relative, in: folder.root)
    }
}
