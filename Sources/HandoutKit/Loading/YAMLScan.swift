// libyaml's scanner, through the C module Yams builds on: Yams has no way to see aliases
// before it expands them.
import CYaml

/// A look at a YAML file's tokens before Yams builds its tree. Yams expands every alias
/// (`*name`) into the value its anchor names, and compares keys that are aliases in full,
/// so ten lines of aliases of aliases stand for billions of values and one such file would
/// stall every build: aliases are refused here, before the tree exists. Plans and content
/// never need them (a protocol shares what plans have in common). Values nested deeper than
/// any Handout file needs are refused too, with one message at the first line too deep,
/// rather than left to the parser, which gives up at a thousand levels in its own words.
enum YAMLScan {
    /// Deeper than any plan, protocol or front matter needs (a plan nests five levels).
    static let maximumDepth = 32

    enum Finding: Equatable {
        /// The first alias, at its 1-based line and column, and where each alias is written
        /// (Unicode scalar offsets, as libyaml counts them).
        case aliases(line: Int, column: Int, spans: [Range<Int>])
        case tooDeep(line: Int, column: Int)
    }

    /// What the scanner finds, or nil. Text without `*` or deep nesting is not scanned: most
    /// files are plans read on every build.
    static func problem(in text: String) -> Finding? {
        guard mayHoldAliasOrDepth(text) else { return nil }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> Finding? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var depth = 0
            var first: (line: Int, column: Int)?
            var spans: [Range<Int>] = []
            var token = yaml_token_t()
            // A syntax error stops the scan; the parser reports it in its turn.
            while yaml_parser_scan(&parser, &token) == 1 {
                defer { yaml_token_delete(&token) }
                let line = Int(token.start_mark.line) + 1, column = Int(token.start_mark.column) + 1
                switch token.type {
                case YAML_STREAM_END_TOKEN:
                    return first.map { .aliases(line: $0.line, column: $0.column, spans: spans) }
                case YAML_ALIAS_TOKEN:
                    spans.append(Int(token.start_mark.index)..<Int(token.end_mark.index))
                    if first == nil { first = (line, column) }
                case YAML_BLOCK_SEQUENCE_START_TOKEN, YAML_BLOCK_MAPPING_START_TOKEN, YAML_FLOW_SEQUENCE_START_TOKEN,
                     YAML_FLOW_MAPPING_START_TOKEN:
                    depth += 1
                    if depth > maximumDepth { return .tooDeep(line: line, column: column) }
                case YAML_BLOCK_END_TOKEN, YAML_FLOW_SEQUENCE_END_TOKEN, YAML_FLOW_MAPPING_END_TOKEN:
                    depth -= 1
                default:
                    break
                }
            }
            return first.map { .aliases(line: $0.line, column: $0.column, spans: spans) }
        }
    }

    /// A `*` anywhere, a line indented past what `maximumDepth` levels allow, or more
    /// brackets and braces than that: only then can the scan find anything.
    static func mayHoldAliasOrDepth(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var indent = 0, atLineStart = true, brackets = 0
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "*"): return true
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    brackets += 1
                    if brackets > maximumDepth { return true }
                case UInt8(ascii: "\n"):
                    atLineStart = true
                    indent = 0
                    continue
                case UInt8(ascii: " ") where atLineStart:
                    indent += 1
                    if indent > maximumDepth { return true }
                    continue
                default: break
                }
                atLineStart = false
            }
            return false
        }
    }

    /// The message for a finding; `text`, when the first alias is text that starts with `*`
    /// (`notes: *Do not* bend`), is shown in quotes as the fix.
    static func message(_ finding: Finding, text: String? = nil) -> String {
        switch finding {
        case let .aliases(_, _, spans) where text != nil:
            YAMLMistakes.starMessage(text) + (spans.count > 1 ? " (this file has \(spans.count) aliases or texts like it)" : "")
        case let .aliases(_, _, spans):
            "a YAML alias (*name) repeats a value written elsewhere in the file; Handout does not expand aliases: "
                + "write the value out here (a protocol can hold what several plans share), and put text that starts with * in quotes"
                + (spans.count > 1 ? " (this file has \(spans.count) aliases)" : "")
        case .tooDeep:
            "values are nested more than \(maximumDepth) levels deep here; Handout files need only a few levels, "
                + "so check the indentation (each level is two spaces further in) and the brackets"
        }
    }
}

extension YAMLScan {
    /// `text` with each alias written as quoted text (`*name` → `'*name'`), so the rest of
    /// the file is still read and checked in the same run, and nothing is expanded. An alias
    /// followed by more words on its line was text starting with `*` (`notes: *Do not* bend`):
    /// the text up to the line's end (or a comment) is quoted whole, and returned when it is
    /// the file's first alias, to show the fix.
    static func quotingAliases(_ spans: [Range<Int>], in text: String) -> (text: String, firstText: String?) {
        var scalars = Array(text.unicodeScalars)
        var firstText: String?
        for span in spans.reversed() where span.upperBound <= scalars.count {
            var end = span.upperBound
            let lineEnd = scalars[end...].firstIndex { $0 == "\n" || $0 == "\r" } ?? scalars.count
            let after = scalars[end..<lineEnd].drop { $0 == " " }
            // A comma, bracket, brace or colon: the alias is a value in a list or a key; a comment: it ends there.
            if let next = after.first, !",]}:#".unicodeScalars.contains(next) {
                end = lineEnd
                if let comment = (span.upperBound..<lineEnd).first(where: { scalars[$0] == "#" && scalars[$0 - 1] == " " }) { end = comment }
                while end > span.upperBound, scalars[end - 1] == " " { end -= 1 }
                if span == spans.first { firstText = String(String.UnicodeScalarView(scalars[span.lowerBound..<end])) }
            }
            let quoted = "'" + String(String.UnicodeScalarView(scalars[span.lowerBound..<end])).replacingOccurrences(of: "'", with: "''") + "'"
            scalars.replaceSubrange(span.lowerBound..<end, with: Array(quoted.unicodeScalars))
        }
        return (String(String.UnicodeScalarView(scalars)), firstText)
    }
}
