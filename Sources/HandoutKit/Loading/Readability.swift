/// Flesch–Kincaid grade level, computed by the tool so patient text can be kept at
/// US grade 8 or below, as patient-education guides ask.
enum Readability {
    static let targetGrade = 8.0
    /// Fewer words than this give a meaningless grade.
    static let minimumWords = 20

    /// Nil when the text is too short to judge.
    static func grade(_ text: String) -> Double? {
        var words = 0, syllables = 0, sentences = 0
        // Lines and words are split on bytes (every separator is ASCII): this runs over
        // every content file on every build.
        for block in text.utf8.split(separator: UInt8(ascii: "\n")) {
            var sentenceHasWords = false
            for token in block.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
                let ascii = token.allSatisfy { $0 < 0x80 }
                let count = ascii ? count(asciiToken: token) : count(Substring(token))
                if count.letters {
                    words += 1
                    syllables += count.syllables
                    sentenceHasWords = true
                }
                let endsSentence = ascii ? token.last.map { ".!?".utf8.contains($0) } == true
                                         : Substring(token).last.map { ".!?".contains($0) } == true
                if endsSentence, sentenceHasWords {
                    sentences += 1
                    sentenceHasWords = false
                }
            }
            // A heading or list item without a full stop is still a sentence.
            if sentenceHasWords { sentences += 1 }
        }
        guard words >= minimumWords, sentences > 0 else { return nil }
        return 0.39 * Double(words) / Double(sentences) + 11.8 * Double(syllables) / Double(words) - 15.59
    }

    static func count(_ token: Substring) -> (letters: Bool, syllables: Int) {
        let letters = token.lowercased().filter(\.isLetter)
        return (!letters.isEmpty, letters.isEmpty ? 0 : count(syllablesIn: letters))
    }

    /// The same count as for any token, on bytes: most words are plain ASCII and this runs
    /// over every exercise on every build.
    static func count(asciiToken bytes: Substring.UTF8View.SubSequence) -> (letters: Bool, syllables: Int) {
        var count = 0, letters = 0
        var previousWasVowel = false
        var last: UInt8 = 0, beforeLast: UInt8 = 0
        for byte in bytes {
            let lower = byte | 0x20
            guard lower >= UInt8(ascii: "a"), lower <= UInt8(ascii: "z") else { continue }
            letters += 1
            let isVowel = "aeiouy".utf8.contains(lower)
            if isVowel && !previousWasVowel { count += 1 }
            previousWasVowel = isVowel
            (beforeLast, last) = (last, lower)
        }
        guard letters > 0 else { return (false, 0) }
        if last == UInt8(ascii: "e"), beforeLast != UInt8(ascii: "l"), count > 1 { count -= 1 }
        return (true, max(1, count))
    }

    /// Vowel groups, less a silent final "e"; at least one.
    static func count(syllablesIn word: String) -> Int {
        let vowels: Set<Character> = ["a", "e", "i", "o", "u", "y"]
        var count = 0
        var previousWasVowel = false
        for character in word {
            let isVowel = vowels.contains(character)
            if isVowel && !previousWasVowel { count += 1 }
            previousWasVowel = isVowel
        }
        if word.hasSuffix("e"), !word.hasSuffix("le"), count > 1 { count -= 1 }
        return max(1, count)
    }
}
