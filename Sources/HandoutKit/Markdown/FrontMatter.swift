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
        var lineStart = bytes.startIndex
        var lineNumber = 0
        var yamlStart: String.Index?
        while lineStart < bytes.endIndex {
            let lineEnd = bytes[lineStart...].firstIndex(of: 10) ?? bytes.endIndex
            let line = Substring(bytes[lineStart..<lineEnd]).trimmingTrailingSpaces()
            let next = lineEnd < bytes.endIndex ? bytes.index(after: lineEnd) : lineEnd
            lineNumber += 1
            if lineNumber == 1 {
                guard line == "---" else { return .failure(.missingOpening) }
                yamlStart = next
            } else if line == "---" || line == "..." {
                return .success(FrontMatterDocument(
                    yaml: String(text[yamlStart!..<max(yamlStart!, text.index(before: lineStart))]),
                    yamlLineOffset: 1,
                    body: String(text[next...]),
                    bodyLineOffset: lineNumber))
            }
            lineStart = next
        }
        return .failure(lineNumber == 0 ? .missingOpening : .missingClosing(openingLine: 1))
    }
}

extension Substring {
    fileprivate func trimmingTrailingSpaces() -> Substring {
        var s = self
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return s
    }
}
