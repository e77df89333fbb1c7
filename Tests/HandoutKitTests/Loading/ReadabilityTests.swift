import Testing
@testable import HandoutKit

@Suite struct ReadabilityTests {
    @Test func countsSyllables() {
        #expect(Readability.count(syllablesIn: "stretch") == 1)
        #expect(Readability.count(syllablesIn: "table") == 2)
        #expect(Readability.count(syllablesIn: "exercise") == 3)
        #expect(Readability.count(syllablesIn: "abdominals") == 4)
    }

    /// Plain ASCII words take a byte-level path; it must count exactly as the general one.
    @Test func asciiPathCountsLikeTheGeneralPath() {
        let tokens = ["stretch", "table", "Exercise,", "abdominals.", "(knee)", "le", "e", "3x10", "don't", "rhythm",
                      "Bridge!", "x", "EYE", "queue", "1", "--", "hold-30", "cable", "done?", "ee", "[a]", "`@z{"]
        for token in tokens {
            let general = Readability.count(syllablesIn: token.lowercased().filter(\.isLetter))
            #expect(Readability.syllables(in: Substring(token).utf8) == general, "\(token)")
        }
    }

    @Test func plainTextScoresLowAndDenseTextHigh() throws {
        let plain = String(repeating: "Lie on your back. Bend your knees. Lift your hips. Hold for a count of five. ", count: 3)
        let dense = String(repeating: "Maintaining appropriate neuromuscular activation throughout the intervention facilitates considerable functional improvement regarding lumbopelvic stabilization. ", count: 3)
        #expect(try #require(Readability.grade(plain)) < 3)
        #expect(try #require(Readability.grade(dense)) > 16)
        #expect(Readability.grade("Too short to judge.") == nil)
    }

    @Test func warnsAboutHardPages() throws {
        let site = try TestSite()
        try site.write("Content/pages/pacing.md", "---\ntitle: Pacing\n---\n" + String(repeating: "Maintaining appropriate neuromuscular activation throughout the intervention facilitates considerable functional improvement. ", count: 3))
        let warnings = site.check().filter { $0.contains("warning") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("Content/pages/pacing.md:4:1: warning: reading level is about US grade ") == true)
    }
}
