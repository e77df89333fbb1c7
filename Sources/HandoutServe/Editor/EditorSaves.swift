import FlyingFox
import Foundation
import HandoutKit

/// The editor's requests that write, or build a draft: previews, saves and drafts.
extension Editor {
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
    func write(_ request: HTTPRequest, path: String) async -> HTTPResponse {
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
