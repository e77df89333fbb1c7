/// Reading level, computed by the tool so patient text can be kept at US grade 8 or below,
/// as patient-education guides ask: Flesch–Kincaid for English, Fernández-Huerta for Spanish.
/// Other languages have no formula here and get no reading-level warning.
enum Readability {
    static let targetGrade = 8.0
    /// Fernández-Huerta's "normal" band starts at 60, about US grades 8 and 9; easier text scores higher.
    static let targetSpanishScore = 60.0
    /// Fewer words than this give a meaningless grade.
    static let minimumWords = 20

    /// The warning for text above the target level in `language`, or nil.
    static func warning(for text: String, language: String) -> String? {
        let base = language.split(separator: "-").first.map(String.init) ?? language
        switch base {
        case "en":
            guard let grade = grade(text), grade > targetGrade else { return nil }
            return "reading level is about US grade \((grade * 10).rounded() / 10); aim for grade \(Int(targetGrade)) or below with shorter sentences and shorter words"
        case "es":
            guard let score = spanishScore(text), score < targetSpanishScore else { return nil }
            return "reading level (Fernández-Huerta) is about \(Int(score.rounded())), harder than US grade 8; aim for \(Int(targetSpanishScore)) or above with shorter sentences and shorter words"
        default:
            return nil
        }
    }

    /// Flesch–Kincaid grade; nil when the text is too short to judge.
    static func grade(_ text: String) -> Double? {
        guard let (words, syllables, sentences) = counts(text, syllables: syllables(in:)) else { return nil }
        return 0.39 * Double(words) / Double(sentences) + 11.8 * Double(syllables) / Double(words) - 15.59
    }

    /// Fernández-Huerta's ease score (0–100, higher is easier), with Spanish syllables;
    /// nil when the text is too short to judge.
    static func spanishScore(_ text: String) -> Double? {
        guard let (words, syllables, sentences) = counts(text, syllables: spanishSyllables(in:)) else { return nil }
        // As corrected by Gwillim Law: the published form subtracts sentences per 100 words,
        // which would call longer sentences easier; it is words per sentence.
        return 206.84 - 60 * Double(syllables) / Double(words) - 1.02 * Double(words) / Double(sentences)
    }

    private static func counts(_ text: String, syllables: (Substring.UTF8View) -> Int?) -> (words: Int, syllables: Int, sentences: Int)? {
        var words = 0, syllableCount = 0, sentences = 0
        var sentenceHasWords = false
        // One pass over the bytes (every separator is ASCII), words taken as slices of the
        // text: this runs over every content file on every build.
        let utf8 = text.utf8
        var wordStart: String.Index?
        func endWord(at end: String.Index) {
            guard let start = wordStart else { return }
            wordStart = nil
            let token = utf8[start..<end]
            if let count = syllables(token) {
                words += 1
                syllableCount += count
                sentenceHasWords = true
            }
            if sentenceHasWords, let last = token.last,
               last == UInt8(ascii: ".") || last == UInt8(ascii: "!") || last == UInt8(ascii: "?") {
                sentences += 1
                sentenceHasWords = false
            }
        }
        var i = utf8.startIndex
        while i != utf8.endIndex {
            switch utf8[i] {
            case UInt8(ascii: "\n"):
                endWord(at: i)
                // A heading or list item without a full stop is still a sentence.
                if sentenceHasWords { sentences += 1 }
                sentenceHasWords = false
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                endWord(at: i)
            default:
                if wordStart == nil { wordStart = i }
            }
            i = utf8.index(after: i)
        }
        endWord(at: utf8.endIndex)
        if sentenceHasWords { sentences += 1 }
        guard words >= minimumWords, sentences > 0 else { return nil }
        return (words, syllableCount, sentences)
    }

    /// Spanish syllables: vowel groups, split again where two strong vowels (a, e, o) meet
    /// or an accented í or ú stands beside another vowel (hiatus: "le-er", "dí-a"). A final
    /// y after a vowel ("muy", "hoy") joins that vowel. Nil without letters. Words of ASCII
    /// and Spanish letters, nearly all of them, are classed scalar by scalar: this runs over
    /// every Spanish file on every build.
    static func spanishSyllables(in token: Substring.UTF8View) -> Int? {
        var sounds: [SpanishLetter] = []
        for scalar in Substring(token).unicodeScalars {
            switch SpanishLetter(scalar) {
            case nil: return spanishSyllables(in: Substring(token).lowercased())
            case .notALetter?: continue
            case let letter?: sounds.append(letter)
            }
        }
        return count(spanishSounds: sounds)
    }

    /// The same count for any word, letter by letter.
    static func spanishSyllables(in word: String) -> Int? {
        count(spanishSounds: word.lowercased().filter(\.isLetter).map { letter in
            letter.unicodeScalars.count == 1 ? SpanishLetter(letter.unicodeScalars.first!) ?? .consonant
                : SpanishLetter.accented[letter] ?? .consonant
        })
    }

    private static func count(spanishSounds sounds: [SpanishLetter]) -> Int? {
        guard !sounds.isEmpty else { return nil }
        var count = 0
        var previous: SpanishLetter?
        for sound in sounds {
            if sound.isVowel {
                if let before = previous, before.isVowel {
                    let hiatus = (before == .strong && sound == .strong) || before == .stressedWeak || sound == .stressedWeak
                    if hiatus { count += 1 }
                } else {
                    count += 1
                }
            }
            previous = sound
        }
        return max(1, count)
    }

    /// How a letter sounds for the syllable count.
    enum SpanishLetter: Equatable {
        case strong, weak, stressedWeak, consonant, notALetter

        var isVowel: Bool { self == .strong || self == .weak || self == .stressedWeak }

        /// Nil for a scalar outside ASCII and Spanish's accented letters: that word is counted
        /// letter by letter instead.
        init?(_ scalar: Unicode.Scalar) {
            switch scalar {
            case "a", "e", "o", "A", "E", "O", "á", "é", "ó", "Á", "É", "Ó": self = .strong
            case "i", "u", "I", "U", "ü", "Ü": self = .weak
            case "í", "ú", "Í", "Ú": self = .stressedWeak
            case "ñ", "Ñ", "b"..."z", "B"..."Z": self = .consonant
            default:
                guard scalar.isASCII else { return nil }
                self = .notALetter
            }
        }

        /// Vowels written with a combining accent (e + U+0301) sound as the composed ones.
        static let accented: [Character: SpanishLetter] = [
            "á": .strong, "é": .strong, "ó": .strong, "í": .stressedWeak, "ú": .stressedWeak, "ü": .weak,
        ]
    }

    /// Syllables of one word, nil when it has no letters. Plain ASCII words, most of them,
    /// are counted on bytes: this runs over every content file on every build.
    static func syllables(in token: Substring.UTF8View) -> Int? {
        guard token.allSatisfy({ $0 < 0x80 }) else { return count(syllablesIn: Substring(token).lowercased().filter(\.isLetter)) }
        return count(token.lazy.map { $0 | 0x20 }.filter { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") },
                     isVowel: isASCIIVowel, e: UInt8(ascii: "e"), l: UInt8(ascii: "l"))
    }

    private static func isASCIIVowel(_ letter: UInt8) -> Bool {
        switch letter {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"), UInt8(ascii: "y"): true
        default: false
        }
    }

    /// Vowel groups, less a silent final "e"; at least one; nil without letters.
    static func count(syllablesIn letters: some Sequence<Character>) -> Int? {
        count(letters, isVowel: "aeiouy".contains, e: "e", l: "l")
    }

    /// The one count, for lowercase letters as bytes or as characters. Inlined, so the bytes'
    /// count is compiled for bytes: it runs over every word of every content file on every build.
    @inline(__always)
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
