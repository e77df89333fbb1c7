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

    private func invalidID(_ id: String) -> HTTPResponse {
        Headers.json(.badRequest, Message(error: "'\(id)' is not a valid plan id: use lowercase letters, digits and '-', at most 64 characters"))
    }

    // MARK: Writing

    struct Draft: Decodable {
        var session: String?
        var id: String
        var plan: PlanSketch
        /// The version of the plan file when it was opened: a save over a later change is refused.
        var base: String?
        /// The version of the text whose changes the therapist saw and accepted.
        var confirm: String?
    }

    /// A request that writes (or builds a draft): from this server's own page, with its token,
    /// as JSON of at most `largestBody` bytes. Anything else is refused before a byte is read.
    private func write(_ request: HTTPRequest, path: String) async -> HTTPResponse {
        if let refusal = guarding.refusal(origin: request.headers[HTTPHeader("Origin")], referer: request.headers[HTTPHeader("Referer")],
                                          token: request.headers[HTTPHeader("X-Handout-Token")]) {
            return closing(Headers.json(.forbidden, Message(error: refusal)))
        }
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            return closing(Headers.json(.unsupportedMediaType, Message(error: "send the plan as JSON")))
        }
        guard let body = await Self.body(of: request, upTo: Self.largestBody) else {
            return closing(Headers.json(.payloadTooLarge, Message(error: "a plan sent here may be at most \(Self.largestBody / 1024) KB")))
        }
        guard let draft = try? JSONDecoder().decode(Draft.self, from: body) else {
            return Headers.json(.badRequest, Message(error: "the plan sent is not one this editor writes; reload the page"))
        }
        guard Slug.isValid(draft.id) else { return invalidID(draft.id) }
        switch path {
        case "api/draft": return await saveDraft(draft)
        case "api/preview": return await preview(draft)
        default: return await save(draft)
        }
    }

    private func closing(_ response: HTTPResponse) -> HTTPResponse {
        var closed = response
        closed.headers[.connection] = "close"
        return closed
    }

    /// The body, or nil when it is longer than `limit` (its length said up front is believed
    /// first, so nothing of a body too long is read).
    static func body(of request: HTTPRequest, upTo limit: Int) async -> Data? {
        if let count = request.bodySequence.count, count > limit { return nil }
        var data = Data()
        do {
            for try await chunk in request.bodySequence {
                data.append(chunk)
                if data.count > limit { return nil }
            }
        } catch {
            return nil
        }
        return data
    }

    /// One problem of a draft, beside its field (`exercises.1.sets`) when it is in the plan.
    struct Problem: Encodable, Equatable {
        var field: String?
        var severity: String
        var message: String
        /// As the command line prints it.
        var text: String
    }

    struct Previewed: Encodable {
        var ok: Bool
        var text: String
        var problems: [Problem]
        var handout: String?
        var calendar: String?
    }

    /// The draft's file and its problems; its pages built into the session's scratch folder.
    private func preview(_ draft: Draft) async -> HTTPResponse {
        guard let session = draft.session, let scratch = sessions.scratch(session) else {
            return Headers.json(.notFound, Message(error: pages.words["session_ended"]))
        }
        let (text, build) = await check(draft, in: scratch)
        let built = build.outcome == .built && !build.blocked.contains(draft.id)
        let pagesFolder = "../preview/\(session)/patients/\(draft.id)/"
        let exists = FileManager.default.fileExists(atPath: scratch.appendingPathComponent("Output/patients/\(draft.id)/index.html").path)
        return Headers.json(.ok, Previewed(ok: built, text: text.text, problems: problems(build, text: text, id: draft.id),
                                           handout: exists ? pagesFolder + "index.html" : nil,
                                           calendar: exists ? pagesFolder + "calendar.html" : nil))
    }

    /// The draft as the plan writer writes it, built on its own by the same checker.
    private func check(_ draft: Draft, in scratch: URL) async -> (PlanText, HandoutSite.Build) {
        let text = site.text(of: draft.plan, comments: comments(for: draft.id), library: worker.library.library)
        let build = await worker.preview { [site] in site.preview(id: draft.id, text: text.text, scratch: scratch) }
        return (text, build)
    }

    /// Problems of a draft's build: every error, and the warnings about the draft itself.
    private func problems(_ build: HandoutSite.Build, text: PlanText, id: String) -> [Problem] {
        let shown = site.shownPath(ofPlan: id)
        return build.diagnostics.filter { $0.severity == .error || $0.location.path == shown }.map { diagnostic in
            let inPlan = diagnostic.location.path == shown
            let field = inPlan ? (text.field(atLine: diagnostic.location.line) ?? Self.missingField(diagnostic.message)) : nil
            return Problem(field: field, severity: diagnostic.severity.rawValue, message: diagnostic.message, text: diagnostic.description)
        }
    }

    /// "missing required field 'start', like …" belongs beside that field.
    static func missingField(_ message: String) -> String? {
        message.firstMatch(of: /^missing required field '([a-z_]+)'/).map { String($0.1) }
    }

    /// The comments at the head of the saved file: the plan's own (its first lines), or a new
    /// plan's line saying where it came from.
    private func comments(for id: String) -> [String] {
        if let file = files.file(id), let data = files.read(file) {
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            return lines.prefix { $0.hasPrefix("#") }.filter { !$0.hasPrefix("# yaml-language-server:") }.map(String.init)
        }
        return ["# Plan \(id), written in the plan editor of handout serve; handout check says what is wrong, if anything."]
    }

    struct Saved: Encodable {
        var status: String
        var path: String
        var base: String?
        var confirm: String?
        var diff: [LineDiff.Line]?
        var problems: [Problem]?
        var summary: String?
        var disk: Disk?
    }

    /// What the plans folder holds now, for a save refused because it changed.
    struct Disk: Encodable {
        var base: String
        var plan: PlanSketch?
        var text: String?
    }

    /// Saves a plan without errors: refused when its file changed since it was opened (or
    /// appeared, for a new one); over an existing file, only once the therapist has seen the
    /// lines it changes. Then builds that patient. One save at a time, with the builds.
    private func save(_ draft: Draft) async -> HTTPResponse {
        guard let session = draft.session, let scratch = sessions.scratch(session) else {
            return Headers.json(.notFound, Message(error: pages.words["session_ended"]))
        }
        let (text, build) = await check(draft, in: scratch)
        let path = site.display(site.planFile(draft.id))
        let problems = problems(build, text: text, id: draft.id)
        guard build.outcome == .built, !build.blocked.contains(draft.id), !problems.contains(where: { $0.severity == "error" }) else {
            return Headers.json(.unprocessableContent, Saved(status: "invalid", path: path, problems: problems))
        }
        let files = files, worker = worker, id = draft.id
        return await worker.perform {
            guard let file = files.file(id) else { return Headers.json(.badRequest, Message(error: "invalid id")) }
            let current = files.read(file)
            let version = PlanFiles.version(current)
            let wanted = PlanFiles.version(Data(text.text.utf8))
            if version != draft.base {
                let disk = current.map { String(decoding: $0, as: UTF8.self) }
                return Headers.json(.conflict, Saved(status: "stale", path: path, diff: LineDiff.lines(from: disk ?? "", to: text.text),
                                                     disk: Disk(base: version, plan: disk.flatMap(PlanSketch.read), text: disk)))
            }
            if let current {
                if current == Data(text.text.utf8) {
                    return Headers.json(.ok, Saved(status: "unchanged", path: path, base: version))
                }
                if draft.confirm != wanted {
                    return Headers.json(.ok, Saved(status: "confirm", path: path, confirm: wanted,
                                                   diff: LineDiff.lines(from: String(decoding: current, as: UTF8.self), to: text.text)))
                }
            }
            do throws(FileFault) {
                try files.write(text.text, to: file, replacing: current != nil)
            } catch {
                return Headers.json(.internalServerError, Message(error: error.description))
            }
            if let draftFile = files.draft(id) { files.remove(draftFile) }
            let built = worker.rebuild(patients: [id])
            let shown = worker.site.shownPath(ofPlan: id)
            let own = built.diagnostics.filter { $0.location.path == shown || $0.severity == .error }
            return Headers.json(.ok, Saved(status: "saved", path: path, base: wanted,
                                           problems: own.map { Problem(field: nil, severity: $0.severity.rawValue, message: $0.message, text: $0.description) },
                                           summary: built.outcome == .built ? nil : built.summary))
        }
    }

    /// A draft, errors and all, to `drafts/<id>.yaml` in the plans folder: the build never reads it.
    private func saveDraft(_ draft: Draft) async -> HTTPResponse {
        let text = site.text(of: draft.plan, comments: comments(for: draft.id)
                             + ["# A draft: the build does not read the drafts folder. Open it in the plan editor to finish it."],
                             library: worker.library.library)
        let files = files, id = draft.id
        return await worker.perform {
            guard let file = files.draft(id) else { return Headers.json(.badRequest, Message(error: "invalid id")) }
            do throws(FileFault) {
                try files.write(text.text, to: file, replacing: true)
            } catch {
                return Headers.json(.internalServerError, Message(error: error.description))
            }
            return Headers.json(.ok, Saved(status: "draft", path: worker.site.display(file)))
        }
    }
}
