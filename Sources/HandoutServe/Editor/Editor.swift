import FlyingFox
import Foundation
import HandoutKit

/// `serve`'s own paths under `/_handout/`: the reload script and the question it asks, the
/// plan editor's pages, its JSON API and the drafts' previews.
struct Editor: Sendable {
    let worker: SiteWorker
    let pages: SitePages
    let sessions: PreviewSessions
    let guarding: RequestGuard
    let today: @Sendable () -> Day
    var site: HandoutSite { worker.site }
    var files: PlanFiles { PlanFiles(plans: site.layout.plans) }
    var output: ServedFiles { ServedFiles(root: site.layout.output) }

    /// A request body holds one plan; nothing a form makes comes near this.
    static let largestBody = 256 * 1024
    /// How long a page's question "did I change?" is held open before it is answered "no".
    static let question: TimeInterval = 20

    func handle(_ request: HTTPRequest, path: String) async -> HTTPResponse {
        switch (request.method, path) {
        case (.GET, "reload.js"), (.GET, "editor.js"): return asset(path, "text/javascript; charset=utf-8")
        case (.GET, "serve.css"), (.GET, "editor.css"): return asset(path, "text/css; charset=utf-8")
        case (.GET, "changes"): return await changes(request)
        case (.GET, "editor"):
            var response = Headers.text(.movedPermanently, "Moved to editor/")
            response.headers[.location] = "editor/"
            return response
        case (.GET, "editor/"):
            return editorPages.home(catalog: catalog(), state: worker.state, files: files, query: request.query)
        case (.GET, "editor/plan"):
            return editorPages.plan(query: request.query, catalog: catalog())
        case (.GET, "api/catalog"), (.GET, "api/open"), (.GET, "api/protocol"):
            guard let token = request.headers[HTTPHeader("X-Handout-Token")], RequestGuard.same(token, guarding.token) else {
                return Headers.json(.forbidden, Message(error: pages.words["refused_token"]))
            }
            switch path {
            case "api/catalog": return Headers.json(.ok, catalog())
            case "api/open": return await open(request.query)
            default: return protocolChoices(request.query["slug"] ?? "")
            }
        case (.POST, "api/preview"), (.POST, "api/save"), (.POST, "api/draft"):
            return await write(request, path: path)
        case (.GET, _) where path.hasPrefix("preview/"):
            let rest = path.dropFirst("preview/".count)
            guard let slash = rest.firstIndex(of: "/"), let scratch = sessions.scratch(String(rest[..<slash])) else {
                return Headers.text(.notFound, "This preview has ended; reload the editor.")
            }
            return pages.serve(String(rest[slash...]), from: ServedFiles(root: scratch.appendingPathComponent("Output")), reloading: false)
        default:
            return Headers.text(.notFound, "Not found.")
        }
    }

    private var editorPages: EditorPages {
        EditorPages(words: pages.words, token: guarding.token, plansShown: site.display(site.layout.plans),
                    draftsShown: site.display(site.draftsFolder))
    }

    private func asset(_ name: String, _ type: String) -> HTTPResponse {
        let bytes: [UInt8] = switch name {
        case "reload.js": PackageResources.reload_js
        case "editor.js": PackageResources.editor_js
        case "serve.css": PackageResources.serve_css
        default: PackageResources.editor_css
        }
        return Headers.response(.ok, type: type, body: Data(bytes))
    }

    // MARK: Reload

    /// A page asks, with an image, whether it changed since `v`; the answer waits until it
    /// has (a picture 2 pixels wide) or the time is up (1 pixel). An image, because the
    /// pages' policy lets them load images from this server and nothing else.
    private func changes(_ request: HTTPRequest) async -> HTTPResponse {
        guard let page = request.query["page"], let seen = request.query["v"],
              let segments = ServedFiles.segments("/" + page), !segments.isEmpty else {
            return Headers.text(.badRequest, "Say which page: changes?page=index.html&v=VERSION")
        }
        let relative = segments.joined(separator: "/")
        let deadline = Date().addingTimeInterval(Self.question)
        var looked = -1
        while Date() < deadline {
            let generation = worker.state.generation
            if generation != looked {
                looked = generation
                if pages.version(of: relative, in: output) != seen { return Self.answer(changed: true) }
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return Self.answer(changed: false)
    }

    static func answer(changed: Bool) -> HTTPResponse {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(changed ? 2 : 1)\" height=\"1\"/>"
        return Headers.response(.ok, type: "image/svg+xml", body: Data(svg.utf8))
    }

    // MARK: Reading

    struct Message: Encodable {
        var error: String
        var problems: [String]? = nil
    }

    private func catalog() -> Catalog {
        let (library, errors) = worker.library
        return Catalog(library: library, problems: errors, plans: files.ids(), words: pages.words)
    }

    /// A plan opened in the editor: its values as written, the version of its file (to refuse
    /// a save over a later change), and a session for its preview.
    struct Opened: Encodable {
        var id: String
        var mode: String
        var exists: Bool
        var base: String
        var plan: PlanSketch
        var session: String
        var text: String?
        var hasDraft: Bool
        var fileProblems: [String]
    }

    /// `?id=` a plan, `?draft=` a draft, or `?new=ID` with `protocol=`, `from=` and `start=`.
    private func open(_ query: [HTTPRequest.QueryItem]) async -> HTTPResponse {
        let words = pages.words
        let id = query["id"] ?? query["draft"] ?? query["new"] ?? ""
        guard let file = files.file(id), let draft = files.draft(id) else { return invalidID(id) }
        let data = files.read(file)
        let hasDraft = files.read(draft) != nil
        let state = worker.state
        let fileProblems = state.errors(forPlan: id).map(\.description)
        if query["new"] != nil {
            guard data == nil else {
                return Headers.json(.conflict, Message(error: "plan '\(id)' already exists; choose another id or edit that file"))
            }
            let protocolSlug = query["protocol"].flatMap { $0.isEmpty ? nil : $0 }
            let original = query["from"].flatMap { $0.isEmpty ? nil : $0 }
            if protocolSlug != nil, original != nil {
                return Headers.json(.badRequest, Message(error: "use a protocol or a copy, not both: a copied plan keeps its own protocol"))
            }
            let startText = query["start"] ?? ""
            let start = Day(iso: startText)
            if !startText.isEmpty, start == nil {
                return Headers.json(.badRequest, Message(error: "the first day must be a date written YYYY-MM-DD, like 2026-12-07; found '\(startText)'"))
            }
            switch site.newPlan(protocolSlug: protocolSlug, copying: original, start: start, today: today()) {
            case .success(let sketch):
                return Headers.json(.ok, Opened(id: id, mode: "new", exists: false, base: PlanFiles.version(nil), plan: sketch,
                                                session: sessions.open(), text: nil, hasDraft: hasDraft, fileProblems: []))
            case .failure(let failure):
                return Headers.json(.unprocessableContent, Message(error: words["cannot_start"], problems: failure.diagnostics.map(\.description)))
            }
        }
        let source = query["draft"] != nil ? files.read(draft) : data
        guard let source else {
            let known = query["draft"] != nil ? files.drafts() : files.ids()
            return Headers.json(.notFound, Message(error: "there is no \(query["draft"] != nil ? "draft" : "plan") '\(id)'"
                                                   + (known.isEmpty ? "" : "; the plans are: " + known.prefix(20).joined(separator: ", "))))
        }
        guard let plan = PlanSketch.read(String(decoding: source, as: UTF8.self)) else {
            return Headers.json(.unprocessableContent, Message(error: words["cannot_read_plan"], problems: fileProblems))
        }
        return Headers.json(.ok, Opened(id: id, mode: query["draft"] != nil ? "draft" : "edit", exists: data != nil,
                                        base: PlanFiles.version(data), plan: plan, session: sessions.open(),
                                        text: data.map { String(decoding: $0, as: UTF8.self) }, hasDraft: hasDraft,
                                        fileProblems: fileProblems))
    }

    /// A protocol's choices, as `handout new --protocol` fills them in: what "choose for this
    /// patient" starts from when a plan takes over a field from its protocol.
    private func protocolChoices(_ slug: String) -> HTTPResponse {
        switch site.newPlan(protocolSlug: slug, copying: nil, start: nil, today: today()) {
        case .success(let sketch): return Headers.json(.ok, sketch)
        case .failure(let failure):
            return Headers.json(.unprocessableContent, Message(error: pages.words["cannot_start"], problems: failure.diagnostics.map(\.description)))
        }
    }

    func invalidID(_ id: String) -> HTTPResponse {
        Headers.json(.badRequest, Message(error: "'\(id)' is not a valid plan id: use lowercase letters, digits and '-', at most 64 characters"))
    }
}
