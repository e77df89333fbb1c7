/// A content file split into its YAML front matter and its Markdown body.
public struct FrontMatterDocument: Sendable, Equatable {
    public var yaml: String
    /// Lines before the YAML (the opening `---`), so YAML positions map back to the file.
    public var yamlLineOffset: Int
    public var body: String
    /// Lines before the body, so Markdown positions map back to the file.
    public var bodyLineOffset: Int

    public enum Problem: Error, Equatable {
        case missingOpening
        case missingClosing(openingLine: Int)
    }

    /// Front matter starts on the first line with `---` and ends at the next `---` or `...` line.
    public static func split(_ text: String) -> Result<FrontMatterDocument, Problem> {
        // "\r\n" is one Character in Swift, so normalize line ends before splitting.
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        if lines.first.map({ $0.hasPrefix("\u{FEFF}") }) == true {
            lines[0] = lines[0].dropFirst()
        }
        guard lines.first.map({ $0.trimmingTrailingSpaces() == "---" }) == true else {
            return .failure(.missingOpening)
        }
        guard let closing = lines.indices.dropFirst().first(where: {
            let line = lines[$0].trimmingTrailingSpaces()
            return line == "---" || line == "..."
        }) else {
            return .failure(.missingClosing(openingLine: 1))
        }
        return .success(FrontMatterDocument(
            yaml: lines[1..<closing].joined(separator: "\n"),
            yamlLineOffset: 1,
            body: lines[(closing + 1)...].joined(separator: "\n"),
            bodyLineOffset: closing + 1))
    }
}

extension Substring {
    fileprivate func trimmingTrailingSpaces() -> Substring {
        var s = self
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return s
    }
}
