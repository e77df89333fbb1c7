import FlyingFox
import Foundation
import HandoutKit
import Testing
@testable import HandoutServe

/// The editor's requests as the server handles them, on a real site: what is written, what
/// is refused, and that a refusal writes nothing.
@Suite struct EditorTests {
    let site: TestSite
    let editor: Editor
    static let origin = "http://127.0.0.1:8080"

    init() throws {
        site = try TestSite()
        let worker = SiteWorker(site: HandoutSite(layout: site.layout)) { _, _ in }
        worker.rebuild()
        editor = Editor(worker: worker, pages: SitePages(worker: worker), sessions: try PreviewSessions(in: site.root),
                        guarding: RequestGuard(host: "127.0.0.1", port: 8080, publicOrigins: [], token: "token"),
                        today: { Day(iso: "2026-11-28")! })
    }

    func get(_ path: String, token: String? = "token") async throws -> (Int, [String: Any]) {
        let parts = path.split(separator: "?", maxSplits: 1).map(String.init)
        let query = (parts.count > 1 ? parts[1] : "").split(separator: "&").map { item in
            let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
            return HTTPRequest.QueryItem(name: pair[0], value: pair.count > 1 ? pair[1] : "")
        }
        var headers: [HTTPHeader: String] = [:]
        if let token { headers[HTTPHeader("X-Handout-Token")] = token }
        let request = HTTPRequest(method: .GET, version: .http11, path: "/_handout/" + parts[0], query: query, headers: headers, body: Data())
        return try await answer(await editor.handle(request, path: parts[0]))
    }

    func post(_ path: String, _ body: [String: Any], origin: String? = origin, token: String? = "token",
              raw: Data? = nil) async throws -> (Int, [String: Any]) {
        var headers: [HTTPHeader: String] = [.contentType: "application/json"]
        if let origin { headers[HTTPHeader("Origin")] = origin }
        if let token { headers[HTTPHeader("X-Handout-Token")] = token }
        let data = try raw ?? JSONSerialization.data(withJSONObject: body)
        let request = HTTPRequest(method: .POST, version: .http11, path: "/_handout/" + path, query: [], headers: headers, body: data)
        return try await answer(await editor.handle(request, path: path))
    }

    func answer(_ response: HTTPResponse) async throws -> (Int, [String: Any]) {
        let data = try await response.bodyData
        return (response.statusCode.code, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }

    func plansFolder() throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: site.url("Content/plans").path).sorted()
    }

    @Test func aNewPlanFromAProtocolIsSavedAsHandoutNewWritesItAndBuilt() async throws {
        let (status, opened) = try await get("api/open?new=p-0200&protocol=knee-basic&start=2027-01-04")
        #expect(status == 200)
        var plan = try #require(opened["plan"] as? [String: Any])
        #expect(plan["protocol"] as? String == "knee-basic" && plan["weeks"] as? String == "4")
        plan["patient"] = "Pat Doe"
        let (saved, answer) = try await post("api/save", ["session": opened["session"]!, "id": "p-0200", "plan": plan, "base": opened["base"]!])
        #expect(saved == 200 && answer["status"] as? String == "saved", "\(answer)")
        let text = try site.read("Content/plans/p-0200.yaml")
        #expect(text.hasPrefix("# yaml-language-server: $schema=../../Output/schema/plan.schema.json\n# Plan p-0200, written in the plan editor"))
        #expect(text.contains("patient: \"Pat Doe\"                 # the patient's name: printed on the handout, never in a file name or link\n"))
        #expect(text.contains("  - exercise: clamshell   # Clamshell\n"))
        #expect(site.check() == [])
        #expect(try site.read("Output/patients/p-0200/index.html").contains("Pat Doe"))
    }

    @Test func aPlanWithErrorsIsNotSavedButItsDraftIs() async throws {
        let (_, opened) = try await get("api/open?new=p-0201")
        var plan = try #require(opened["plan"] as? [String: Any])
        plan["patient"] = "Pat Doe"
        plan["exercises"] = [["exercise": "bridg", "sets": "many"]]
        let before = try plansFolder()
        let (status, refused) = try await post("api/save", ["session": opened["session"]!, "id": "p-0201", "plan": plan, "base": "absent"])
        #expect(status == 422 && refused["status"] as? String == "invalid")
        let problems = try #require(refused["problems"] as? [[String: Any]])
        #expect(problems.map { $0["text"] as! String } == [
            "Content/plans/p-0201.yaml:9:15: error: unknown exercise 'bridg'; did you mean 'bridge'?",
            "Content/plans/p-0201.yaml:10:11: error: sets must be a whole number from 1 to 100; found 'many'",
        ])
        #expect(problems.map { $0["field"] as! String } == ["exercises.0", "exercises.0.sets"])
        #expect(try plansFolder() == before)
        let (drafted, draft) = try await post("api/draft", ["id": "p-0201", "plan": plan])
        #expect(drafted == 200 && draft["path"] as? String == "Content/plans/drafts/p-0201.yaml")
        #expect(try site.read("Content/plans/drafts/p-0201.yaml").contains("    sets: \"many\"\n"))
        // The build does not read the drafts folder, and says nothing about it.
        #expect(site.check() == [])
        let (_, reopened) = try await get("api/open?draft=p-0201")
        #expect((reopened["plan"] as? [String: Any])?["patient"] as? String == "Pat Doe")
    }

    @Test func anExistingPlanIsOverwrittenOnlyAfterItsChangesWereShown() async throws {
        let (_, opened) = try await get("api/open?id=p-0001")
        var plan = try #require(opened["plan"] as? [String: Any])
        plan["weeks"] = "4"
        let body: [String: Any] = ["session": opened["session"]!, "id": "p-0001", "plan": plan, "base": opened["base"]!]
        let (_, shown) = try await post("api/save", body)
        #expect(shown["status"] as? String == "confirm")
        let diff = try #require(shown["diff"] as? [[String: Any]])
        #expect(diff.contains { $0["kind"] as? String == "removed" && ($0["text"] as? String ?? "").hasPrefix("weeks: 3") })
        #expect(diff.contains { $0["kind"] as? String == "added" && ($0["text"] as? String ?? "").hasPrefix("weeks: 4") })
        #expect(try site.read("Content/plans/p-0001.yaml").contains("weeks: 3"))
        var confirmed = body
        confirmed["confirm"] = shown["confirm"]
        let (_, saved) = try await post("api/save", confirmed)
        #expect(saved["status"] as? String == "saved")
        #expect(try site.read("Content/plans/p-0001.yaml").contains("weeks: 4 "))
        // The changes seen were of another text: shown again, not written.
        plan["weeks"] = "5"
        var other = confirmed
        (other["plan"], other["base"]) = (plan, saved["base"]!)
        let (_, again) = try await post("api/save", other)
        #expect(again["status"] as? String == "confirm")
    }

    /// A plan's pauses, end and reminder come to the editor and go back into the file when
    /// another field is changed and saved.
    @Test func pausesEndedAndRemindersSurviveAnEditorSave() async throws {
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml")
                       + "pauses:\n  - { from: 2026-12-10, to: 2026-12-11, note: Flu }\nended: 2026-12-24\nreminders: { time: \"07:30\" }\n")
        let (_, opened) = try await get("api/open?id=p-0001")
        var plan = try #require(opened["plan"] as? [String: Any])
        #expect(plan["ended"] as? String == "2026-12-24" && plan["reminders"] as? String == "07:30")
        plan["weeks"] = "4"
        let body: [String: Any] = ["session": opened["session"]!, "id": "p-0001", "plan": plan, "base": opened["base"]!]
        var confirmed = body
        confirmed["confirm"] = try await post("api/save", body).1["confirm"]
        #expect(try await post("api/save", confirmed).1["status"] as? String == "saved")
        let saved = try site.read("Content/plans/p-0001.yaml")
        #expect(saved.contains("weeks: 4 ") && saved.contains("  - { from: 2026-12-10, to: 2026-12-11, note: \"Flu\" }"))
        #expect(saved.contains("\nended: 2026-12-24 ") && saved.contains("\nreminders: { time: \"07:30\" } "))
    }

    @Test func aSaveOverAFileChangedSinceItWasOpenedIsRefused() async throws {
        let (_, opened) = try await get("api/open?id=p-0001")
        let theirs = try site.read("Content/plans/p-0001.yaml").replacingOccurrences(of: "Go slowly.", with: "Go very slowly.")
        try site.write("Content/plans/p-0001.yaml", theirs)
        var plan = try #require(opened["plan"] as? [String: Any])
        plan["weeks"] = "4"
        let (status, refused) = try await post("api/save", ["session": opened["session"]!, "id": "p-0001", "plan": plan,
                                                            "base": opened["base"]!, "confirm": "x"])
        #expect(status == 409 && refused["status"] as? String == "stale")
        #expect((refused["disk"] as? [String: Any])?["text"] as? String == theirs)
        #expect(try site.read("Content/plans/p-0001.yaml") == theirs)
        // A new plan whose file appeared meanwhile is refused the same way.
        let (_, new) = try await get("api/open?new=p-0300")
        try site.write("Content/plans/p-0300.yaml", "patient: Someone Else\nstart: 2026-12-07\nweeks: 2\n")
        let (appeared, _) = try await post("api/save", ["session": new["session"]!, "id": "p-0300", "plan": ["patient": "Me", "start": "2026-12-07", "weeks": "2"], "base": "absent"])
        #expect(appeared == 409)
        #expect(try site.read("Content/plans/p-0300.yaml").contains("Someone Else"))
    }

    @Test func refusedRequestsWriteNothing() async throws {
        let (_, opened) = try await get("api/open?new=p-0400")
        let body: [String: Any] = ["session": opened["session"]!, "id": "p-0400", "plan": ["patient": "X", "start": "2026-12-07", "weeks": "3"],
                                   "base": "absent"]
        let before = try plansFolder()
        #expect(try await post("api/save", body, origin: "http://evil.example").0 == 403)
        #expect(try await post("api/draft", body, origin: nil).0 == 403)
        #expect(try await post("api/save", body, token: "guess").0 == 403)
        #expect(try await post("api/save", body, token: nil).0 == 403)
        for id in ["../p-0400", "..", "p-0400/../../x", "P-0400", "Jane Doe", String(repeating: "a", count: 65), ""] {
            var escaping = body
            escaping["id"] = id
            #expect(try await post("api/draft", escaping).0 == 400, "\(id)")
            #expect(try await post("api/save", escaping).0 == 400, "\(id)")
        }
        let big = Data(repeating: UInt8(ascii: " "), count: Editor.largestBody + 1)
        #expect(try await post("api/draft", [:], raw: big).0 == 413)
        #expect(try await post("api/draft", [:], raw: Data("not json".utf8)).0 == 400)
        #expect(try await get("api/open?id=../../etc/passwd").0 == 400)
        #expect(try await get("api/open?id=p-0001", token: "guess").0 == 403)
        #expect(try await get("api/catalog", token: nil).0 == 403)
        #expect(try plansFolder() == before)
    }

    @Test func aPagesQuestionIsAnsweredAtOnceWhenItChanged() async throws {
        let request = HTTPRequest(method: .GET, version: .http11, path: "/_handout/changes",
                                  query: [.init(name: "page", value: "index.html"), .init(name: "v", value: "old")], headers: [:], body: Data())
        let response = await editor.handle(request, path: "changes")
        #expect(String(decoding: try await response.bodyData, as: UTF8.self).contains("width=\"2\""))
        let escape = HTTPRequest(method: .GET, version: .http11, path: "/_handout/changes",
                                 query: [.init(name: "page", value: "../Content/site.yaml"), .init(name: "v", value: "x")], headers: [:], body: Data())
        #expect(await editor.handle(escape, path: "changes").statusCode == .badRequest)
    }

    @Test func aBodyLongerThanItsLimitIsNotRead() async throws {
        let request = HTTPRequest(method: .POST, version: .http11, path: "/", query: [], headers: [:], body: Data(count: 100))
        #expect(await Editor.body(of: request, upTo: 99) == nil)
        #expect(await Editor.body(of: request, upTo: 100)?.count == 100)
    }
}
