/// "did you mean" for misspelled slugs, keys and weekdays.
enum Suggestion {
    /// The closest candidate, if it is close enough to be a plausible typo (or the typed text
    /// is a prefix of it, as in `side-plank` for `side-plank-on-knees`, or it is the typed
    /// text's first word, as in `weeks` for `weeks_count`).
    static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let lowered = word.lowercased()
        var best: (String, Int)?
        let sorted = candidates.sorted()
        for candidate in sorted {
            if candidate.hasPrefix(lowered) && lowered.count >= 3 { return candidate }
            let distance = editDistance(lowered, candidate)
            let limit = max(1, min(lowered.count, candidate.count) / 3)
            if distance <= limit, best == nil || distance < best!.1 {
                best = (candidate, distance)
            }
        }
        if let best { return best.0 }
        // The longest candidate the word begins with, then `_` or a space: a key with a word
        // added. Not a hyphen: `index-row` is another template than `index`, as
        // `bridge-single-leg` is another exercise than `bridge`.
        return sorted.filter { candidate in
            candidate.count >= 3 && ["_", " "].contains { lowered.hasPrefix(candidate + $0) }
        }.max { $0.count < $1.count }
    }

    /// "; did you mean 'x'?" or, with no close match, the valid choices when there are few.
    static func hint(for word: String, in candidates: some Sequence<String>, listUpTo limit: Int = 8) -> String {
        let all = Array(candidates).sorted()
        if let match = closest(to: word, in: all) { return "; did you mean '\(match)'?" }
        if all.isEmpty { return "" }
        if all.count <= limit { return "; expected one of: " + all.joined(separator: ", ") }
        return ""
    }

    /// Optimal string alignment distance: an adjacent swap ("wekely") counts as one edit.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}

/// "sets and reps", "sets, reps and hold": lists in messages to the therapist, which are in
/// English; printed pages use `Words`.
func plainList(_ items: [String]) -> String {
    guard items.count > 1 else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " and " + items.last!
}
