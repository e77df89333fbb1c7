/// The lines a save changes in a plan file, shown to the therapist before it overwrites one.
enum LineDiff {
    struct Line: Codable, Equatable, Sendable {
        enum Kind: String, Codable, Sendable { case same, added, removed, gap }
        var kind: Kind
        var text: String
        /// The line's number in the file now (removed, same) or after the save (added).
        var number: Int
    }

    /// Every changed line with `context` unchanged lines around it; a `gap` stands for the
    /// unchanged lines left out. Longest common subsequence of lines; files too long for that
    /// (they never are, plans being short) show as all removed, then all added.
    static func lines(from old: String, to new: String, context: Int = 2) -> [Line] {
        let a = split(old), b = split(new)
        var full: [Line] = []
        if a.count * b.count > 4_000_000 {
            full = a.enumerated().map { Line(kind: .removed, text: $1, number: $0 + 1) }
                + b.enumerated().map { Line(kind: .added, text: $1, number: $0 + 1) }
        } else {
            // common[i][j]: the longest common subsequence of a[i...] and b[j...].
            var common = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in stride(from: a.count - 1, through: 0, by: -1) {
                for j in stride(from: b.count - 1, through: 0, by: -1) {
                    common[i][j] = a[i] == b[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
                }
            }
            var i = 0, j = 0
            while i < a.count || j < b.count {
                if i < a.count, j < b.count, a[i] == b[j] {
                    full.append(Line(kind: .same, text: a[i], number: i + 1))
                    i += 1; j += 1
                } else if i < a.count, j == b.count || common[i + 1][j] >= common[i][j + 1] {
                    // What goes comes before what replaces it.
                    full.append(Line(kind: .removed, text: a[i], number: i + 1))
                    i += 1
                } else {
                    full.append(Line(kind: .added, text: b[j], number: j + 1))
                    j += 1
                }
            }
        }
        let changed = full.indices.filter { full[$0].kind != .same }
        var shown: [Line] = []
        var last = -1
        for index in full.indices {
            let near = changed.contains { abs($0 - index) <= context }
            guard near else { continue }
            if index > last + 1 { shown.append(Line(kind: .gap, text: "", number: 0)) }
            shown.append(full[index])
            last = index
        }
        if last >= 0, last < full.count - 1 { shown.append(Line(kind: .gap, text: "", number: 0)) }
        return shown
    }

    private static func split(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
