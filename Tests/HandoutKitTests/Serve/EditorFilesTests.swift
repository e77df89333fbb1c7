import Foundation
import HandoutKit
import Testing
@testable import HandoutServe

/// The diff shown before a save, the plan files the editor writes, and its words.
@Suite struct EditorFilesTests {
    @Test func theDiffShowsChangedLinesWithTheirNeighbours() {
        let old = (1...10).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOccurrences(of: "line 5\n", with: "line five\n") + "line 11\n"
        let diff = LineDiff.lines(from: old, to: new, context: 1)
        #expect(diff.map { "\($0.kind.rawValue) \($0.number) \($0.text)" } == [
            "gap 0 ", "same 4 line 4", "removed 5 line 5", "added 5 line five", "same 6 line 6", "gap 0 ",
            "same 10 line 10", "added 11 line 11",
        ])
        #expect(LineDiff.lines(from: old, to: old) == [])
        #expect(LineDiff.lines(from: "", to: "a\n").map(\.kind) == [.added])
    }

    func plans() throws -> PlanFiles {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plans-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return PlanFiles(plans: folder)
    }

    @Test func onlyPlanIDsNameFilesAndThoseStayInThePlansFolder() throws {
        let files = try plans()
        #expect(files.file("p-0143")?.path == files.plans.appendingPathComponent("p-0143.yaml").path)
        #expect(files.draft("p-0143")?.path == files.plans.appendingPathComponent("drafts/p-0143.yaml").path)
        for id in ["../p-1", "p-1/../../x", "..", ".hidden", "Jane Doe", "P-1", "", String(repeating: "a", count: 65), "p-1\0"] {
            #expect(files.file(id) == nil && files.draft(id) == nil, "\(id)")
        }
    }

    @Test func writesWholeNeverOverANewcomerAndKeepsPermissions() throws {
        let files = try plans()
        let url = try #require(files.file("p-1"))
        try files.write("first\n", to: url, replacing: false)
        #expect(throws: FileFault.self) { try files.write("second\n", to: url, replacing: false) }
        #expect(try String(contentsOf: url, encoding: .utf8) == "first\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: url.path)
        try files.write("third\n", to: url, replacing: true)
        #expect(try String(contentsOf: url, encoding: .utf8) == "third\n")
        #expect((try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) == 0o640)
        try files.write("draft\n", to: try #require(files.draft("p-1")), replacing: true)
        // Nothing is left beside them.
        #expect(try FileManager.default.subpathsOfDirectory(atPath: files.plans.path).sorted() == ["drafts", "drafts/p-1.yaml", "p-1.yaml"])
        #expect(files.ids() == ["p-1"] && files.drafts() == ["p-1"])
        #expect(PlanFiles.version(nil) == "absent" && PlanFiles.version(Data("a".utf8)) != PlanFiles.version(Data("b".utf8)))
    }

    @Test func readsPlainFilesOnlyAndNeverWaits() throws {
        let files = try plans()
        let pipe = files.plans.appendingPathComponent("pipe.yaml")
        #expect(mkfifo(pipe.path, 0o600) == 0)
        #expect(files.read(pipe) == nil)
        let big = files.plans.appendingPathComponent("big.yaml")
        try Data(count: PlanFiles.largest + 1).write(to: big)
        #expect(files.read(big) == nil)
        #expect(files.read(files.plans.appendingPathComponent("none.yaml")) == nil)
    }

    @Test func everyLanguageHasEveryWordWithTheSameValues() throws {
        let english = try #require(EditorWords.tables["en"])
        #expect(Set(EditorWords.tables.keys) == ["en", "es", "zh-hans"])
        func values(_ text: String) -> [String] { text.matches(of: /\{[a-z]+\}/).map { String($0.0) }.sorted() }
        for (language, table) in EditorWords.tables {
            #expect(Set(table.keys) == Set(english.keys), "\(language)")
            for (key, text) in english {
                #expect(values(table[key] ?? "") == values(text), "\(language): \(key)")
            }
        }
        #expect(EditorWords(language: "es")["editor_title"] != english["editor_title"])
        // A site in a language without words of its own gets English.
        #expect(EditorWords(language: "tl").language == "en")
        #expect(EditorWords(language: "en")["saved", ["path": "Content/plans/p-1.yaml"]] == "Saved Content/plans/p-1.yaml and built the handout.")
    }

    @Test func aMissingFieldErrorBelongsBesideItsField() {
        #expect(Editor.missingField("missing required field 'start', like 'start: 2026-12-07'") == "start")
        #expect(Editor.missingField("unknown exercise 'x'") == nil)
    }
}
