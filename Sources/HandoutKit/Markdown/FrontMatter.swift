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
        // Lines are found on UTF-8 bytes: every content file goes through here on every build.
        var text = text.utf8.contains(13) ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let bytes = text.utf8
        /// The line that starts at `start`, without trailing spaces, and where the next one starts.
        func line(at start: String.Index) -> (text: Substring, next: String.Index) {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            return (Substring(bytes[start..<end]).trimmingTrailingSpaces(), end < bytes.endIndex ? bytes.index(after: end) : end)
        }
        let opening = line(at: bytes.startIndex)
        guard opening.text == "---" else { return .failure(.missingOpening) }
        let yamlStart = opening.next
        var lineStart = yamlStart
        var lineNumber = 1
        while lineStart < bytes.endIndex {
            let (content, next) = line(at: lineStart)
            lineNumber += 1
            if content == "---" || content == "..." {
                // The YAML ends before the line end that precedes the closing line.
                let yaml = lineStart == yamlStart ? "" : String(text[yamlStart..<text.index(before: lineStart)])
                return .success(FrontMatterDocument(yaml: yaml, yamlLineOffset: 1, body: String(text[next...]), bodyLineOffset: lineNumber))
            }
            lineStart = next
        }
        return .failure(.missingClosing(openingLine: 1))
    }
}

extension Substring {
    fileprivate func trimmingTrailingSpaces() -> Substring {
        var s = self
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return s
    }
}
