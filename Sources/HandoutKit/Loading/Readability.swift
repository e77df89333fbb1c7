/// Flesch–Kincaid grade level, computed by the tool so patient text can be kept at
/// US grade 8 or below, as patient-education guides ask.
enum Readability {
    static let targetGrade = 8.0
    /// Fewer words than this give a meaningless grade.
    static let minimumWords = 20

    /// Nil when the text is too short to judge.
    static func grade(_ text: String) -> Double? {
        var words = 0, syllables = 0, sentences = 0
        for block in text.split(whereSeparator: { $0 == "\n" }) {
            var sentenceHasWords = false
            for token in block.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                let letters = token.lowercased().filter(\.isLetter)
                if !letters.isEmpty {
                    words += 1
                    syllables += count(syllablesIn: letters)
                    sentenceHasWords = true
                }
                if let last = token.last, ".!?".contains(last), sentenceHasWords {
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
