import Foundation
import Testing
@testable import HandoutKit

/// Control characters never reach a page: refused in every YAML value (where escapes like
/// "\0" and "\e" put them) and in every file, each at its own position.
@Suite struct TextRulesTests {
    /// Every character refused, with the words a message names it by.
    static let refused: [(scalar: Unicode.Scalar, name: String)] = [
        ("\u{0}", "the control character NUL (U+0000)"),
        ("\u{1}", "the control character SOH (U+0001)"),
        ("\u{2}", "the control character STX (U+0002)"),
        ("\u{3}", "the control character ETX (U+0003)"),
        ("\u{4}", "the control character EOT (U+0004)"),
        ("\u{5}", "the control character ENQ (U+0005)"),
        ("\u{6}", "the control character ACK (U+0006)"),
        ("\u{7}", "the control character BEL (U+0007)"),
        ("\u{8}", "the control character BS (U+0008)"),
        ("\u{B}", "the control character VT (U+000B)"),
        ("\u{C}", "the control character FF (U+000C)"),
        ("\u{D}", "the control character CR (U+000D)"),
        ("\u{E}", "the control character SO (U+000E)"),
        ("\u{F}", "the control character SI (U+000F)"),
        ("\u{10}", "the control character DLE (U+0010)"),
        ("\u{11}", "the control character DC1 (U+0011)"),
        ("\u{12}", "the control character DC2 (U+0012)"),
        ("\u{13}", "the control character DC3 (U+0013)"),
        ("\u{14}", "the control character DC4 (U+0014)"),
        ("\u{15}", "the control character NAK (U+0015)"),
        ("\u{16}", "the control character SYN (U+0016)"),
        ("\u{17}", "the control character ETB (U+0017)"),
        ("\u{18}", "the control character CAN (U+0018)"),
        ("\u{19}", "the control character EM (U+0019)"),
        ("\u{1A}", "the control character SUB (U+001A)"),
        ("\u{1B}", "the control character ESC (U+001B)"),
        ("\u{1C}", "the control character FS (U+001C)"),
        ("\u{1D}", "the control character GS (U+001D)"),
        ("\u{1E}", "the control character RS (U+001E)"),
        ("\u{1F}", "the control character US (U+001F)"),
        ("\u{7F}", "the control character DEL (U+007F)"),
        ("\u{85}", "the control character U+0085"),
        ("\u{9B}", "the control character U+009B"),
        ("\u{FFFE}", "the noncharacter U+FFFE"),
    ]

    /// A YAML escape for the character, as an attacker would type it.
    static func escape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    @Test func everyTextFieldOfAPlanRefusesEveryControlCharacter() throws {
        let site = try TestSite()
        let checked = try #require(BuildPipeline(layout: site.layout, diagnostics: Diagnostics()).check())
        for (scalar, name) in Self.refused {
            let x = Self.escape(scalar)
            let text = """
            patient: "Ana\(x)"
            therapist: "Sam\(x)"
            condition: "Knee\(x)"
            start: 2026-12-07
            weeks: 3
            exercises:
              - exercise: bridge
                note: "Slowly\(x)"
            cross_training:
              activities: ["cycling\(x)"]
              note: "Easy\(x)"
            education: [pacing]
            notes: "Call us\(x)"

            """
            let diagnostics = Diagnostics()
            let source = YAMLSource(path: "plan.yaml", lineOffset: 0, diagnostics: diagnostics)
            if let draft = PlanReader.readPlan(id: "p-1", text: text, source: source) {
                _ = PlanChecker(library: checked.library, diagnostics: diagnostics).plan(from: draft)
            }
            #expect(diagnostics.all.map(\.description) == [
                "plan.yaml:1:10: error: patient contains \(name); remove it",
                "plan.yaml:2:12: error: therapist contains \(name); remove it",
                "plan.yaml:3:12: error: condition contains \(name); remove it",
                "plan.yaml:8:11: error: note contains \(name); remove it",
                "plan.yaml:10:16: error: activities contains \(name); remove it",
                "plan.yaml:11:9: error: note contains \(name); remove it",
                "plan.yaml:13:8: error: notes contains \(name); remove it",
            ], "\(name)")
        }
    }

    @Test func everyTextFieldOfAnExerciseRefusesEveryControlCharacter() throws {
        let site = try TestSite()
        let url = site.url(exercise)
        for (scalar, name) in Self.refused {
            let x = Self.escape(scalar)
            let text = """
            ---
            title: "Bridge\(x)"
            image: images/bridge.svg
            image_alt: "Lying on the back\(x)"
            ---
            ## Setup
            Lie down\(Character(scalar)) on your back.
            ## Movement
            Lift your hips.

            """
            let diagnostics = Diagnostics()
            var pictures = Set<String>()
            _ = ContentLoader(layout: site.layout, diagnostics: diagnostics)
                .loadExercise(slug: "bridge", url: url, text: text, allowHTML: false, language: "en", pictures: &pictures)
            #expect(diagnostics.all.map(\.description) == [
                "Content/exercises/bridge.md:2:8: error: title contains \(name); remove it",
                "Content/exercises/bridge.md:4:12: error: image_alt contains \(name); remove it",
                "Content/exercises/bridge.md:7:9: error: text contains \(name); remove it",
            ], "\(name)")
        }
    }

    /// Typed into the file itself rather than escaped, the character is reported where it is.
    @Test func aControlCharacterInTheFileIsReportedAtItsPosition() throws {
        let site = try TestSite()
        try site.write(plan, planWith(["Alex Example": "Alex\u{1B}[2J Example", "Sam Lee": "Sam\u{0}Lee"]))
        #expect(site.check() == [
            "Content/plans/p-0001.yaml:1:14: error: text contains the control character ESC (U+001B); remove it",
            "Content/plans/p-0001.yaml:2:15: error: text contains the control character NUL (U+0000); remove it",
        ])
    }

    @Test func keysAreCheckedToo() throws {
        let site = try TestSite()
        try site.write(plan, planWith([:], adding: "\"weeks\\e\": 3\n"))
        #expect(site.errors() == [
            "Content/plans/p-0001.yaml:9:1: error: a key contains the control character ESC (U+001B); remove it",
            "Content/plans/p-0001.yaml:9:1: error: unknown key 'weeks<U+001B>'; did you mean 'weeks'?",
        ])
    }

    /// Windows line ends are line ends; a CR anywhere else is refused.
    @Test func crIsALineEndOnlyBeforeLF() throws {
        let site = try TestSite()
        try site.write(plan, planWith([:]).replacingOccurrences(of: "\n", with: "\r\n"))
        try site.write(exercise, try site.read(exercise).replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(site.errors() == [])
        try site.write("Content/pages/pacing.md", "---\ntitle: Pacing\n---\nSlow\rdown.\n")
        #expect(site.errors() == ["Content/pages/pacing.md:4:5: error: text contains the control character CR (U+000D); remove it"])
    }

    @Test func listNeverPrintsAControlCharacter() throws {
        let site = try TestSite()
        try site.write("Content/site.yaml", "clinic: Test Clinic\nindex_shows_names: true\n")
        try site.write(plan, planWith(["Alex Example": "\"Alex\\e]0;owned\\a\\e[2J\""]))
        let run = try Run.handout(["list", "plans", "--root", site.root.path])
        #expect(run.status == 1)
        #expect(!(run.stdout + run.stderr).unicodeScalars.contains { TextRules.isForbidden($0) })
        #expect(run.stderr.contains("Content/plans/p-0001.yaml:1:10: error: patient contains the control character ESC (U+001B); remove it"))
    }

    @Test func aFileNameWithAControlCharacterIsShownVisibly() throws {
        let site = try TestSite()
        try site.write("Content/plans/x\u{1B}[2J.yaml", planWith([:]))
        let run = try Run.handout(["check", "--root", site.root.path])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("Content/plans/x<U+001B>[2J.yaml:1:1: error: file name 'x<U+001B>[2J' is not a valid name"), "\(run.stderr)")
        #expect(!run.stderr.unicodeScalars.contains { TextRules.isForbidden($0) })
    }

    @Test func visibleShowsWhatWasHidden() {
        #expect(TextRules.visible("a\u{1B}[31mb\u{0}") == "a<U+001B>[31mb<U+0000>")
        #expect(TextRules.visible("Zoë ✓\tx") == "Zoë ✓\tx")
    }
}
