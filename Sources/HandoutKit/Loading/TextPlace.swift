/// Where the text of a YAML value sits in its file, so a position inside the value (a link
/// in a plan's Markdown notes) is reported at the file's own line and column.
struct TextPlace: Sendable {
    var path: String
    /// Where the value's first line starts.
    var line: Int
    var column: Int
    /// A block value (`notes: |`) keeps its lines and their indentation. A value on the key's
    /// line may be folded over several lines; there only the first line's columns are exact.
    var isBlock: Bool

    /// The file position of line `line`, column `column` of the value (both from 1).
    func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(path: path, line: self.line + line - 1,
                       column: isBlock || line == 1 ? self.column + column - 1 : column)
    }
}

extension YAMLNode {
    /// Where this value's text starts in the file.
    var textPlace: TextPlace {
        let start = location
        guard case .scalar(let scalar) = node else {
            return TextPlace(path: start.path, line: start.line, column: start.column, isBlock: false)
        }
        switch scalar.style {
        case .literal, .folded:
            // The value starts on the line after `|`, indented like its first non-empty line.
            let lines = source.text.split(separator: "\n", omittingEmptySubsequences: false)
            let firstLine = node.mark.map { $0.line } ?? 1
            let indent = lines.dropFirst(firstLine).first { !$0.allSatisfy { $0 == " " } }?.prefix { $0 == " " }.count ?? 0
            return TextPlace(path: start.path, line: start.line + 1, column: indent + 1, isBlock: true)
        case .singleQuoted, .doubleQuoted:
            return TextPlace(path: start.path, line: start.line, column: start.column + 1, isBlock: false)
        default:
            return TextPlace(path: start.path, line: start.line, column: start.column, isBlock: false)
        }
    }
}
