import Yams

/// The YAML slips people make when typing plans by hand (a tab, a line indented one space
/// too far, `notes: Call us: 555-0100`, a missing space, a bracket or quote left open), found
/// where the parser gave up, said in plain words with what to write instead, and mended so
/// the rest of the file can still be read and checked in the same run.
struct YAMLMistake {
    /// 1-based, within the YAML text.
    var line: Int
    var column: Int
    var message: String
    /// The whole text with this mistake mended; nil when no safe mend is known.
    var mended: String?
}

struct YAMLMistakes {
    private var lines: [[Unicode.Scalar]]

    init(_ text: String) {
        // A file saved on Windows ends its lines with "\r\n"; the "\r" is no part of a line.
        // Split on scalars: as a Character, "\r\n" is one, and would not split at "\n".
        lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            Array(line.last == "\r" ? line.dropLast() : line)
        }
    }

    /// The mistake that made the parser stop with `error`, or nil when it is none of the
    /// common ones (then `plainWords` says what the parser stopped at).
    static func explain(_ error: YamlError, in text: String) -> YAMLMistake? {
        let problem: String, mark: Mark, context: YamlError.Context?
        switch error {
        case let .scanner(c, p, m, _), let .parser(c, p, m, _), let .composer(c, p, m, _):
            (problem, mark, context) = (p, m, c)
        default:
            return nil
        }
        let mistakes = YAMLMistakes(text)
        if let slip = mistakes.firstSlip(through: mark.line) { return slip }
        // A bad escape (`"\q"`) is also found inside a quoted scalar, but the quote is closed.
        let badEscape = problem.contains("escape") || problem.contains("hexdecimal")
        if let contextMark = context?.mark, !badEscape,
           problem.contains("quoted scalar") || context?.text.contains("quoted scalar") == true {
            return mistakes.unclosedQuote(at: contextMark)
        }
        if let contextMark = context?.mark, let text = context?.text, text.contains("flow sequence") || text.contains("flow mapping") {
            return mistakes.unclosedBracket(line: contextMark.line, column: contextMark.column, closing: text.contains("sequence") ? "]" : "}")
        }
        // `bad: [` as the file's last line: the parser stops at the end, past the bracket.
        if context?.text.contains("flow node") == true, let (line, column, opening) = mistakes.lastUnclosedBracket(through: mark.line) {
            return mistakes.unclosedBracket(line: line, column: column, closing: opening == "[" ? "]" : "}")
        }
        let both = problem + " " + (context?.text ?? "")
        if both.contains("anchor") || both.contains("alias"), let mistake = mistakes.unquotedStar(at: mark, problem: problem, context: context?.text) {
            return mistake
        }
        return mistakes.misindented(line: mark.line)
    }

    /// Text starting with `*` or `&` that is not an alias or anchor name (`notes: *careful*`):
    /// the text from that character to the end of the line (a comment left out), quoted, is
    /// the fix and the mend.
    private func unquotedStar(at mark: Mark, problem: String, context: String?) -> YAMLMistake? {
        guard let line = line(mark.line), !line.isEmpty else { return nil }
        let last = min(max(mark.column - 1, 0), line.count - 1)
        guard let start = (0...last).reversed().first(where: { at in
            (line[at] == "&" || line[at] == "*") && (at == 0 || " [{,:-".unicodeScalars.contains(line[at - 1]))
        }) else { return nil }
        let rest = String(String.UnicodeScalarView(line[start...]))
        let written = rest.trimmingComment
        let quoted = "'" + written.replacingOccurrences(of: "'", with: "''") + "'"
        return YAMLMistake(line: mark.line, column: start + 1,
                           message: Self.plainWords(problem: problem, context: context, found: nil, written: written),
                           mended: replacing(line: mark.line, from: start, with: quoted + rest.dropFirst(written.count)))
    }

    // MARK: Slips visible on one line

    /// The first line up to `last` with a tab in its indentation, a missing space after '-'
    /// or after a key's ':', or an unquoted ': ' in its text.
    private func firstSlip(through last: Int) -> YAMLMistake? {
        var blockScalarIndent: Int?  // inside `notes: |`, lines are text, not YAML
        for number in stride(from: 1, through: min(last, lines.count), by: 1) {
            let line = lines[number - 1]
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            if indent == line.count || line[indent] == "#" { continue }
            if let block = blockScalarIndent {
                if indent > block { continue }
                blockScalarIndent = nil
            }
            if let tab = line.prefix(indent).firstIndex(of: "\t") {
                return YAMLMistake(line: number, column: tab + 1,
                                   message: "line \(number) starts with a tab; indent with spaces",
                                   mended: replacingIndent(of: number, with: expectedIndent(before: number, for: line[indent...])))
            }
            var start = indent
            while start + 1 < line.count, line[start] == "-", line[start + 1] == " " {
                start = line[(start + 1)...].firstIndex { $0 != " " } ?? line.count
            }
            guard start < line.count else { continue }
            let rest = String(String.UnicodeScalarView(line[start...]))
            if line[start] == "-", start + 1 < line.count, line[start + 1].properties.isAlphabetic, !rest.hasPrefix("---") {
                let fixed = "- " + rest.dropFirst()
                return YAMLMistake(line: number, column: start + 1,
                                   message: "put a space after '-' to start a list entry; write '\(fixed.trimmingComment)'",
                                   mended: replacing(line: number, from: start, with: fixed))
            }
            guard let colon = keyColon(in: line, from: start) else { continue }
            let key = String(String.UnicodeScalarView(line[start..<colon]))
            if colon + 1 < line.count, line[colon + 1] != " " {
                let value = String(String.UnicodeScalarView(line[(colon + 1)...]))
                guard !value.hasPrefix("//") else { continue }  // a web address, not a key
                return YAMLMistake(line: number, column: colon + 1,
                                   message: "put a space after ':' in '\(key):\(value.trimmingComment)'; write '\(key): \(value.trimmingComment)'",
                                   mended: replacing(line: number, from: start, with: "\(key): \(value)"))
            }
            let valueStart = line[(colon + 1)...].firstIndex { $0 != " " } ?? line.count
            guard valueStart < line.count else { continue }
            let value = String(String.UnicodeScalarView(line[valueStart...])).trimmingComment
            if let first = value.unicodeScalars.first, "|>".unicodeScalars.contains(first) {
                blockScalarIndent = indent
                continue
            }
            if let first = value.unicodeScalars.first, "\"'[{&*!".unicodeScalars.contains(first) { continue }
            if value.contains(": ") || value.hasSuffix(":") {
                let quoted = PlanSketch.quoted(value)
                return YAMLMistake(line: number, column: valueStart + 1,
                                   message: "this text contains ': '; put the whole text in quotes: \(key): \(quoted)",
                                   mended: replacing(line: number, from: valueStart, with: quoted))
            }
        }
        return nil
    }

    /// The ':' that ends a plain key (`sets:` or `sets:2`) at `start`, if the line starts with
    /// one. Keys start with a letter, so a time (`10:30`) is not taken for one.
    private func keyColon(in line: [Unicode.Scalar], from start: Int) -> Int? {
        guard start < line.count, line[start].properties.isAlphabetic else { return nil }
        var i = start
        while i < line.count, line[i].properties.isAlphabetic || line[i] == "_" || line[i] == "-" || ("0"..."9").contains(line[i]) {
            i += 1
        }
        return i > start && i < line.count && line[i] == ":" ? i : nil
    }

    // MARK: Slips the parser points at

    private func unclosedQuote(at mark: Mark) -> YAMLMistake? {
        guard let line = line(mark.line), mark.column >= 1, mark.column <= line.count else { return nil }
        let quote = Character(line[mark.column - 1])
        guard quote == "\"" || quote == "'" else { return nil }
        return YAMLMistake(line: mark.line, column: mark.column,
                           message: "the quote \(quote) that starts this text is never closed; end the text with \(quote) on the same line",
                           mended: appending(String(quote), toLine: mark.line))
    }

    private func unclosedBracket(line number: Int, column: Int, closing: String) -> YAMLMistake? {
        guard let line = line(number), column >= 1, column <= line.count else { return nil }
        let opening = Character(line[column - 1])
        guard opening == "[" || opening == "{" else { return nil }
        let after = String(String.UnicodeScalarView(line[(column - 1)...]))
        if after.contains(" #") {
            return YAMLMistake(line: number, column: column,
                               message: "this text contains ' #', which starts a comment and hides the rest of the line; put the text with '#' in quotes",
                               mended: nil)
        }
        return YAMLMistake(line: number, column: column,
                           message: "the '\(opening)' here is never closed; end it with '\(closing)' on the same line",
                           mended: appending(closing, toLine: number))
    }

    /// The last '[' or '{' up to line `last` that its line does not close (quoted text and
    /// comments skipped): line, 1-based column and the bracket.
    private func lastUnclosedBracket(through last: Int) -> (Int, Int, Unicode.Scalar)? {
        for number in stride(from: min(last, lines.count), through: 1, by: -1) {
            var open: [(Int, Unicode.Scalar)] = []
            var quote: Unicode.Scalar?
            for (index, scalar) in lines[number - 1].enumerated() {
                if let q = quote {
                    if scalar == q { quote = nil }
                } else if scalar == "\"" || scalar == "'" {
                    quote = scalar
                } else if scalar == "#", index == 0 || lines[number - 1][index - 1] == " " {
                    break
                } else if scalar == "[" || scalar == "{" {
                    open.append((index + 1, scalar))
                } else if scalar == "]" || scalar == "}", !open.isEmpty {
                    open.removeLast()
                }
            }
            if let (column, bracket) = open.last { return (number, column, bracket) }
        }
        return nil
    }

    /// A line indented more or less than the lines it belongs with.
    private func misindented(line number: Int) -> YAMLMistake? {
        guard let line = line(number) else { return nil }
        let indent = line.prefix { $0 == " " }.count
        guard indent < line.count, line[indent] != "#",
              let previous = (1..<number).reversed().first(where: { isContent($0) }) else { return nil }
        let content = line[indent...]
        let expected = expectedIndent(before: number, for: content)
        guard expected != indent else { return nil }
        let word = String(String.UnicodeScalarView(content.prefix { $0 != ":" && $0 != " " }))
        let previousLine = lines[previous - 1]
        let spaces = { (n: Int) in n == 0 ? "at the start of the line" : "\(n) space\(n == 1 ? "" : "s") in" }
        let message: String
        if content.first == "-" {
            message = "this list entry starts \(spaces(indent)), the entries above \(spaces(expected)); line up its '-' with theirs"
        } else {
            let key = keyStart(of: previousLine)
            let name = String(String.UnicodeScalarView(previousLine[key...].prefix { $0 != ":" && $0 != " " }))
            message = "'\(word)' starts \(spaces(indent)) but '\(name)' above it starts \(spaces(key)); "
                + (expected == key ? "line '\(word)' up with '\(name)'" : "indent '\(word)' \(expected) spaces, under '\(name)'")
        }
        return YAMLMistake(line: number, column: indent + 1, message: message,
                           mended: replacingIndent(of: number, with: expected))
    }

    // MARK: Helpers

    /// Where a line should start, judged from the content line above it: a list entry lines
    /// up with the entry above; a key lines up with the key above, or goes 2 deeper under a
    /// key that opens a block (`exercises:`).
    private func expectedIndent(before number: Int, for content: ArraySlice<Unicode.Scalar>) -> Int {
        guard let previous = (1..<number).reversed().first(where: { isContent($0) }) else { return 0 }
        let line = lines[previous - 1]
        let key = keyStart(of: line)
        let opensBlock = line.last { $0 != " " } == ":"
        if content.first == "-" {
            // Entries line up with the entry above, or (after `exercises:`) go 2 deeper.
            if opensBlock { return key + 2 }
            let dashes = (1...previous).reversed().lazy.map { self.lines[$0 - 1] }.first { line in
                let indent = line.prefix { $0 == " " }.count
                return indent < line.count && line[indent] == "-" && indent <= key
            }
            return dashes.map { $0.prefix { $0 == " " }.count } ?? key
        }
        return opensBlock ? key + 2 : key
    }

    /// The column (0-based) where a line's key or value starts, after its indent and any `- `.
    private func keyStart(of line: [Unicode.Scalar]) -> Int {
        var start = line.prefix { $0 == " " }.count
        while start + 1 < line.count, line[start] == "-", line[start + 1] == " " {
            start = line[(start + 1)...].firstIndex { $0 != " " } ?? line.count
        }
        return start
    }

    private func isContent(_ number: Int) -> Bool {
        let line = lines[number - 1]
        let indent = line.prefix { $0 == " " || $0 == "\t" }.count
        return indent < line.count && line[indent] != "#"
    }

    private func line(_ number: Int) -> [Unicode.Scalar]? {
        number >= 1 && number <= lines.count ? lines[number - 1] : nil
    }

    private func text(with lines: [[Unicode.Scalar]]) -> String {
        lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
    }

    private func replacing(line number: Int, from column: Int, with replacement: String) -> String {
        var copy = lines
        copy[number - 1] = Array(copy[number - 1].prefix(column)) + Array(replacement.unicodeScalars)
        return text(with: copy)
    }

    private func replacingIndent(of number: Int, with spaces: Int) -> String {
        var copy = lines
        let line = copy[number - 1]
        copy[number - 1] = Array(repeating: " ", count: spaces) + line.drop { $0 == " " || $0 == "\t" }
        return text(with: copy)
    }

    /// `closing` at the end of the line, before a comment.
    private func appending(_ closing: String, toLine number: Int) -> String {
        let line = String(String.UnicodeScalarView(lines[number - 1]))
        let content = line.trimmingComment
        return replacing(line: number, from: 0, with: content + closing + line.dropFirst(content.count))
    }
}

private extension StringProtocol {
    /// Without a trailing ` # comment` and the spaces before it.
    var trimmingComment: String {
        var text = String(self)
        if let hash = text.range(of: " #") { text = String(text[..<hash.lowerBound]) }
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}

// MARK: Everything else the parser stops at

extension YAMLMistakes {
    /// What libyaml's `problem` (and the `context` it was in) means for a person editing a
    /// plan, and what to write instead: the parser's own words never reach a user. `found`
    /// is the character at the error's position, when there is one.
    static func plainWords(problem: String, context: String?, found: Character?, written: String? = nil) -> String {
        let context = context ?? ""
        let both = problem + " " + context
        let quoteIt = "put the text in quotes"
        switch true {
        case both.contains("another document"), problem.contains("document indicator"):
            return "a line '---' or '...' ends the YAML document here, and a file holds one; remove that line, or \(quoteIt)"
        case both.contains("directive"), problem.contains("version number"), problem.contains("incompatible YAML"),
             problem.contains("<document start>"):
            return "a line starting with '%' is a YAML directive, which Handout does not read; remove it, or \(quoteIt)"
        case both.contains("tag"), problem.contains("'!'"), problem.contains("URI"):
            return "text starting with '!' reads as a YAML type tag, which Handout does not use; \(quoteIt): \"!...\""
        case both.contains("anchor"), both.contains("alias"):
            return starMessage(written)
        case problem.contains("tab character"):
            return "this line is indented with a tab; indent with spaces"
        case problem.contains("indentation indicator"), both.contains("block scalar"):
            return "after '|' or '>' write nothing else on the line, and the text on the lines below it, indented"
        case problem.contains("escape"), problem.contains("hexdecimal"):
            return "a backslash in double quotes starts an escape such as \\n; write the text in single quotes, or '\\\\' for a backslash"
        case problem.contains("control characters"):
            return "the file holds a control character, which is not text; delete it"
        case problem.contains("UTF-8"), problem.contains("Unicode character"):
            return "the file is not plain UTF-8 text; save it as UTF-8 (\"Unicode\") text"
        case problem.contains("end of stream"):
            return "the file ends inside a quoted text; close the quote on the line where it starts"
        case problem.contains("cannot start any token"):
            if found == "\t" { return "a tab cannot start text in YAML; use spaces before the text, or \(quoteIt)" }
            let what = found.map { "'\($0)'" } ?? "this character"
            return "\(what) cannot start text in YAML; \(quoteIt), starting with \"\(found.map(String.init) ?? "")"
        case problem.contains("',' or ']'"):
            return "a list in [ ] needs a ',' between its entries and ']' at its end, on the same line"
        case problem.contains("',' or '}'"):
            return "a group in { } needs a ',' between its 'key: value' pairs and '}' at its end, on the same line"
        case problem.contains("mapping values are not allowed"), problem.contains("unexpected ':'"):
            return "a ':' here reads as the start of another key; \(quoteIt) if the ':' is part of it"
        case problem.contains("mapping keys are not allowed"):
            return "'?' cannot start a value here; \(quoteIt)"
        case problem.contains("block sequence entries are not allowed"):
            return "a list entry ('- ') cannot follow a value on the same line or key; start the list on its own lines, under its key"
        case problem.contains("expected ':'"):
            return "this line has no ':' after its key; write 'key: value', or put text that runs over lines in quotes"
        case problem.contains("expected '-' indicator"):
            return "a list entry here must start with '- ', lined up with the entries above it"
        case problem.contains("expected key"):
            return "a new 'key: value' line was expected here; text after a closing quote, or a line not lined up with the keys beside it, cannot be read"
        case problem.contains("expected node content"):
            return "a value is missing here; write it after the ':' or '- ', or put [ or { as text in quotes"
        default:
            return "this line cannot be read as YAML; check its indentation, and put text holding ':', '#', quotes or brackets in quotes"
        }
    }

    /// The column of the last backslash before a parser mark on its line.
    static func escapeStart(before mark: Mark, in text: String) -> Int? {
        guard let line = YAMLMistakes(text).line(mark.line) else { return nil }
        return line.prefix(max(0, mark.column - 1)).lastIndex(of: "\\").map { $0 + 1 }
    }

    /// Text starting with `&` or `*`, as written when the line shows it: quoting it is the fix.
    static func starMessage(_ written: String?) -> String {
        "text starting with '&' or '*' reads as a YAML anchor or alias; put the text in quotes: \""
            + (written.map { TextRules.visible(String($0.prefix(40))) + ($0.count > 40 ? "…" : "") } ?? "&...") + "\""
    }

    /// The character at a parser mark (1-based line and column, in scalars).
    static func character(at mark: Mark, in text: String) -> Character? {
        guard let line = YAMLMistakes(text).line(mark.line), mark.column >= 1, mark.column <= line.count else { return nil }
        return Character(line[mark.column - 1])
    }
}
