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

    /// Words and sentences are found in one pass over the bytes; they must be those of
    /// splitting the text into lines and the lines at spaces and tabs, as the rule reads.
    @Test func onePassCountsAsSplittingDoes() {
        func bySplitting(_ text: String) -> Double? {
            var words = 0, syllables = 0, sentences = 0
            for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
                var sentenceHasWords = false
                for token in line.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
                    if let count = Readability.syllables(in: token) {
                        words += 1
                        syllables += count
                        sentenceHasWords = true
                    }
                    if let last = token.last, ".!?".utf8.contains(last), sentenceHasWords {
                        sentences += 1
                        sentenceHasWords = false
                    }
                }
                if sentenceHasWords { sentences += 1 }
            }
            guard words >= Readability.minimumWords, sentences > 0 else { return nil }
            return 0.39 * Double(words) / Double(sentences) + 11.8 * Double(syllables) / Double(words) - 15.59
        }
        let sentence = "Lie on your back.  Bend\tyour knees!\n\n# Lift your hips\r\n- Hold for a count of five ... then rest?\n"
        let texts = [sentence, String(repeating: sentence, count: 3), String(repeating: sentence, count: 3).dropLast() + " end",
                     "\n\n" + String(repeating: "Keep going. ", count: 12) + "\t\t", String(repeating: "Día uno: camine 10 minutos. ¿Dolor? ", count: 5),
                     String(repeating: "word ", count: 25), String(repeating: ". ! ? ", count: 30) + String(repeating: "x ", count: 25), ""]
        for text in texts {
            #expect(Readability.grade(text) == bySplitting(text), "\(text)")
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

    @Test func countsSpanishSyllables() {
        #expect(Readability.spanishSyllables(in: "fisioterapeuta") == 6)   // fi-sio-te-ra-peu-ta
        #expect(Readability.spanishSyllables(in: "leer") == 2)             // le-er: two strong vowels
        #expect(Readability.spanishSyllables(in: "día") == 2)              // dí-a: stressed í
        #expect(Readability.spanishSyllables(in: "país") == 2)
        #expect(Readability.spanishSyllables(in: "muy") == 1)
        #expect(Readability.spanishSyllables(in: "cuidado") == 3)          // cui-da-do
        #expect(Readability.spanishSyllables(in: "123") == nil)
    }

    /// Words of ASCII and Spanish letters are classed scalar by scalar; they must count
    /// exactly as the letter-by-letter path does, which every other word takes.
    @Test func spanishScalarPathCountsLikeTheLetterPath() {
        let tokens = ["fisioterapeuta", "LEER", "Día,", "país.", "¿Muy?", "cuidado", "123", "pingüino", "ÚLTIMO", "reír",
                      "e\u{301}l", "rodi\u{301}a", "Ñandú", "(rodilla)", "façade", "naïve", "—", "a", "y", "oído", "héroe", "3×10"]
        for token in tokens {
            #expect(Readability.spanishSyllables(in: Substring(token).utf8) == Readability.spanishSyllables(in: token), "\(token)")
        }
        #expect(Readability.spanishSyllables(in: Substring("rodi\u{301}a").utf8) == 3)   // ro-dí-a, the accent combining
        #expect(Readability.spanishSyllables(in: Substring("ÚLTIMO").utf8) == 3)
    }

    @Test func spanishPlainTextScoresHighAndDenseTextLow() throws {
        let plain = String(repeating: "Acuéstese boca arriba. Doble las rodillas. Suba la cadera. Cuente hasta cinco. ", count: 3)
        let dense = String(repeating: "La activación neuromuscular adecuada durante la intervención terapéutica facilita considerablemente la estabilización lumbopélvica funcional. ", count: 3)
        #expect(try #require(Readability.spanishScore(plain)) > 65)
        #expect(try #require(Readability.spanishScore(dense)) < 40)
    }

    @Test func eachLanguageHasItsFormulaOrNone() throws {
        let dense = String(repeating: "La activación neuromuscular adecuada durante la intervención terapéutica facilita considerablemente la estabilización lumbopélvica funcional. ", count: 3)
        #expect(Readability.warning(for: dense, language: "es")?.hasPrefix("reading level (Fernández-Huerta) is about ") == true)
        #expect(Readability.warning(for: dense, language: "es-us") != nil)
        // Chinese, Tagalog and other languages have no formula here: no warning, documented.
        #expect(Readability.warning(for: dense, language: "zh-hans") == nil)
        #expect(Readability.warning(for: dense, language: "tl") == nil)
    }
}
