/// Where the text of a YAML value sits in its file, so a position inside the value (a link
/// in a plan's Markdown notes) is reported at the file's own line and column.
struct TextPlace: Sendable {
    var path: String
    var owner: Diagnostic.Owner = .site
    /// Where the value's first line starts (a block value: the line after `|`).
    var line: Int
    var column: Int
    /// A block value (`notes: |`) keeps its lines and their indentation: the YAML text and
    /// the line of `|` in it, to find the indentation only when a position is asked for.
    /// A value on the key's line may be folded over several lines; there only the first
    /// line's columns are exact.
    var block: (text: String, indicatorLine: Int)?

    /// The file position of line `line`, column `column` of the value (both from 1).
    func location(line: Int, column: Int) -> SourceLocation {
        let fileLine = self.line + line - 1
        guard let block else {
            return SourceLocation(path: path, line: fileLine, column: line == 1 ? self.column + column - 1 : column, owner: owner)
        }
        let lines = block.text.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = lines.dropFirst(block.indicatorLine).first { !$0.allSatisfy { $0 == " " } }?.prefix { $0 == " " }.count ?? 0
        return SourceLocation(path: path, line: fileLine, column: indent + column, owner: owner)
    }
}

extension YAMLNode {
    /// Where this value's text starts in the file.
    var textPlace: TextPlace {
        let start = location
        guard case .scalar(let scalar) = node else {
            return TextPlace(path: start.path, owner: start.owner, line: start.line, column: start.column)
        }
        switch scalar.style {
        case .literal, .folded:
            return TextPlace(path: start.path, owner: start.owner, line: start.line + 1, column: 1,
                             block: (source.text, scalar.mark.map { $0.line } ?? 1))
        case .singleQuoted, .doubleQuoted:
            return TextPlace(path: start.path, owner: start.owner, line: start.line, column: start.column + 1)
        default:
            return TextPlace(path: start.path, owner: start.owner, line: start.line, column: start.column)
        }
    }
}
