/// Flesch–Kincaid grade level, computed by the tool so patient text can be kept at
/// US grade 8 or below, as patient-education guides ask.
enum Readability {
    static let targetGrade = 8.0
    /// Fewer words than this give a meaningless grade.
    static let minimumWords = 20

    /// Nil when the text is too short to judge.
    static func grade(_ text: String) -> Double? {
        var words = 0, syllableCount = 0, sentences = 0
        // Lines and words are split on bytes (every separator is ASCII): this runs over
        // every content file on every build.
        for block in text.utf8.split(separator: UInt8(ascii: "\n")) {
            var sentenceHasWords = false
            for token in block.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
                if let count = syllables(in: token) {
                    words += 1
                    syllableCount += count
                    sentenceHasWords = true
                }
                if let last = token.last, ".!?".utf8.contains(last), sentenceHasWords {
                    sentences += 1
                    sentenceHasWords = false
                }
            }
            // A heading or list item without a full stop is still a sentence.
            if sentenceHasWords { sentences += 1 }
        }
        guard words >= minimumWords, sentences > 0 else { return nil }
        return 0.39 * Double(words) / Double(sentences) + 11.8 * Double(syllableCount) / Double(words) - 15.59
    }

    /// Syllables of one word, nil when it has no letters. Plain ASCII words, most of them,
    /// are counted on bytes: this runs over every content file on every build.
    static func syllables(in token: Substring.UTF8View) -> Int? {
        guard token.allSatisfy({ $0 < 0x80 }) else { return count(syllablesIn: Substring(token).lowercased().filter(\.isLetter)) }
        return count(token.lazy.map { $0 | 0x20 }.filter { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") },
                     isVowel: asciiVowels.contains, e: UInt8(ascii: "e"), l: UInt8(ascii: "l"))
    }

    private static let asciiVowels = Array("aeiouy".utf8)

    /// Vowel groups, less a silent final "e"; at least one; nil without letters.
    static func count(syllablesIn letters: some Sequence<Character>) -> Int? {
        count(letters, isVowel: "aeiouy".contains, e: "e", l: "l")
    }

    /// The one count, for lowercase letters as bytes or as characters.
    private static func count<Letters: Sequence>(_ letters: Letters, isVowel: (Letters.Element) -> Bool,
                                                 e: Letters.Element, l: Letters.Element) -> Int? where Letters.Element: Equatable {
        var count = 0, letterCount = 0
        var previousWasVowel = false
        var last: Letters.Element?, beforeLast: Letters.Element?
        for letter in letters {
            letterCount += 1
            let vowel = isVowel(letter)
            if vowel && !previousWasVowel { count += 1 }
            previousWasVowel = vowel
            (beforeLast, last) = (last, letter)
        }
        guard letterCount > 0 else { return nil }
        if last == e, beforeLast != l, count > 1 { count -= 1 }
        return max(1, count)
    }
}
