import Yams

/// One YAML document with what is needed to point diagnostics at its file.
struct YAMLSource {
    var path: String
    /// Lines before the YAML inside its file (front matter of a Markdown file).
    var lineOffset: Int
    var diagnostics: Diagnostics
    /// The YAML text, set by `parse`, for positions inside block values (`TextPlace`).
    var text = ""
    /// Line → column (1-based, in the YAML text) of a ' #' that starts a comment glued to
    /// what comes before it, like `note: Use band #3`: likely meant as text.
    var gluedComments: [Int: Int] = [:]
    /// Whose file this is, for every problem reported in it.
    var owner: Diagnostic.Owner = .site

    /// Without a mark (an empty document), the start of the file.
    func location(_ mark: Mark?) -> SourceLocation {
        guard let mark else { return SourceLocation(path: path, line: 1, column: 1, owner: owner) }
        return SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column, owner: owner)
    }

    /// Parses `text`; a document with nothing in it is reported with `whenEmpty`. A common
    /// syntax slip is reported in plain words and mended, and parsing goes on, so the file's
    /// other mistakes come in the same run; anything else in plain words too (`YAMLMistakes.plainWords`).
    func parse(_ text: String, whenEmpty: String) -> YAMLNode? {
        let findings = TextRules.findings(inFile: text)
        for finding in findings {
            diagnostics.error(TextRules.problem(finding.scalar, in: "text"),
                              at: SourceLocation(path: path, line: finding.line + lineOffset, column: finding.column, owner: owner))
        }
        // Reported; the file is read on with each written as '?', so its other mistakes come too.
        var text = findings.isEmpty ? text : TextRules.replacingForbidden(in: text)
        if let finding = YAMLScan.problem(in: text) {
            let (line, column) = switch finding {
            case let .aliases(line, column, _), let .tooDeep(line, column): (line, column)
            }
            var written: String?
            if case let .aliases(_, _, spans) = finding { (text, written) = YAMLScan.quotingAliases(spans, in: text) }
            diagnostics.error(YAMLScan.message(finding, text: written), at: SourceLocation(path: path, line: line + lineOffset, column: column, owner: owner))
            guard case .aliases = finding else { return nil }
        }
        var explained = Set<Int>()
        // Each mend fixes one line; the limit only guards against a mend that fixes nothing.
        for _ in 0..<50 {
            do {
                // Scalars are read from their text by this reader, so Yams need not resolve tags;
                // the encoding is given because Yams' default reads the whole environment each time.
                guard let node = try Yams.compose(yaml: text, .basic, .default, .utf8) else {
                    diagnostics.error(whenEmpty, at: location(nil))
                    return nil
                }
                if TextRules.mayEscape(text) { checkCharacters(node, name: "value") }
                var source = self
                source.text = text
                source.gluedComments = Self.gluedComments(in: text)
                return YAMLNode(node: node, source: source, name: nil)
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                // Reported, then read without the second entry (block style), so the file's
                // other mistakes come in the same run.
                let places = duplicates.map { Self.repetition(of: $0, after: context.mark, in: text) }
                let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
                diagnostics.error("duplicate key \(keys); write each key once",
                                  at: places.first.flatMap { $0 }.map { SourceLocation(path: path, line: $0.line + lineOffset, column: $0.column, owner: owner) }
                                      ?? location(context.mark))
                var mended = text
                for place in places {
                    guard let place, let next = Self.removingEntry(at: place, in: mended) else { return nil }
                    mended = next
                }
                text = mended
            } catch let error as YamlError {
                guard let mistake = YAMLMistakes.explain(error, in: text) else {
                    // After a mend that did not take, the line is already reported in plain words.
                    if !explained.contains(error.line) { report(error, in: text) }
                    return nil
                }
                explained.insert(mistake.line)
                diagnostics.error(mistake.message, at: SourceLocation(path: path, line: mistake.line + lineOffset, column: mistake.column, owner: owner))
                guard let mended = mistake.mended, mended != text else { return nil }
                text = mended
            } catch {
                diagnostics.error(YAMLMistakes.plainWords(problem: "", context: nil, found: nil), at: location(nil))
                return nil
            }
        }
        return nil
    }

    /// Escapes ("\0", "\e") put characters into values that the file itself cannot hold:
    /// every key and value is checked, each reported at its own position.
    private func checkCharacters(_ node: Node, name: String) {
        switch node {
        case .scalar(let scalar):
            if let forbidden = TextRules.firstForbidden(inValue: scalar.string) {
                diagnostics.error(TextRules.problem(forbidden, in: name), at: location(scalar.mark))
            }
        case .mapping(let mapping):
            for (key, value) in mapping {
                checkCharacters(key, name: "a key")
                checkCharacters(value, name: key.scalar?.string ?? name)
            }
        case .sequence(let sequence):
            for item in sequence { checkCharacters(item, name: name) }
        case .alias:
            break
        }
    }

    private func report(_ error: YamlError, in text: String) {
        switch error {
        case let .parser(_, problem, mark, _) where problem.contains("nest"):
            // libyaml's limit, deeper than `YAMLScan` allows: said in the same words.
            diagnostics.error(YAMLScan.message(.tooDeep(line: mark.line, column: mark.column)), at: location(mark))
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let message = YAMLMistakes.plainWords(problem: problem, context: context?.text,
                                                  found: YAMLMistakes.character(at: mark, in: text))
            var place = location(mark)
            // libyaml stops after a bad escape; the backslash that starts it is what to fix.
            if let column = YAMLMistakes.escapeStart(before: mark, in: text), problem.contains("escape") || problem.contains("hexdecimal") {
                place.column = column
            }
            diagnostics.error(message, at: place)
        case let .reader(problem, offset, _, _):
            let (line, column) = SourceLocation.position(ofScalar: offset ?? 0, in: text)
            diagnostics.error(YAMLMistakes.plainWords(problem: problem, context: nil, found: nil),
                              at: SourceLocation(path: path, line: line + lineOffset, column: column, owner: owner))
        default:
            diagnostics.error(YAMLMistakes.plainWords(problem: "", context: nil, found: nil), at: location(nil))
        }
    }
}

extension YAMLSource {
    /// Every ' #' followed by a letter or digit (`#3`, `#ext`): YAML starts a comment there,
    /// while a person writing "band #3" meant text. Comments written as `# note` are left be.
    static func gluedComments(in text: String) -> [Int: Int] {
        // On bytes, as every plan is read on every full build; a column counts characters'
        // first bytes, as Yams counts scalars.
        var found: [Int: Int] = [:]
        var line = 1, column = 1
        var previous: UInt8 = 0, hashColumn: Int?
        for byte in text.utf8 {
            if let hash = hashColumn, found[line] == nil,
               (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                found[line] = hash
            }
            hashColumn = byte == UInt8(ascii: "#") && previous == UInt8(ascii: " ") ? column : nil
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
            previous = byte
        }
        return found
    }

    /// `text` with the block-style entry whose key starts at `place` (line and column, 1-based)
    /// blanked: its line, the lines under it indented more, and a list written at the key's
    /// own indentation after it. Lines are kept, so later positions still hold. Nil when the
    /// key is not the first thing on its line (flow style).
    static func removingEntry(at place: (line: Int, column: Int), in text: String) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let indent = place.column - 1
        guard (1...lines.count).contains(place.line) else { return nil }
        func spaces(_ line: String) -> Int { line.prefix { $0 == " " }.count }
        func blank(_ line: String) -> Bool { line.allSatisfy { $0 == " " || $0 == "\r" } }
        guard spaces(lines[place.line - 1]) == indent else { return nil }
        lines[place.line - 1] = ""
        var number = place.line
        while number < lines.count {
            let line = lines[number]
            if !blank(line) {
                let at = spaces(line)
                guard at > indent || (at == indent && line.dropFirst(at).hasPrefix("-")) else { break }
            }
            lines[number] = ""
            number += 1
        }
        return lines.joined(separator: "\n")
    }

    /// Where `key`, first written at `first`, is written again in the same mapping (line and
    /// column, 1-based): the second time is the mistake. Block style: a later line at the
    /// same indentation before the mapping ends; flow style: later on the same line.
    static func repetition(of key: String, after first: Mark, in text: String) -> (line: Int, column: Int)? {
        // Split on scalars: as a Character, "\r\n" would not split at "\n".
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { Array($0.last == "\r" ? $0.dropLast() : $0) }
        let word = Array(key.unicodeScalars)
        guard !word.isEmpty, (1...lines.count).contains(first.line) else { return nil }
        /// `key` then optional spaces then ':' at `offset` (0-based) in `line`.
        func isKey(_ line: [Unicode.Scalar], at offset: Int) -> Bool {
            guard offset + word.count <= line.count, Array(line[offset..<offset + word.count]) == word else { return false }
            return line[(offset + word.count)...].first { $0 != " " } == ":"
        }
        let firstLine = lines[first.line - 1]
        var offset = first.column - 1 + word.count
        while offset < firstLine.count {
            let before = firstLine[..<offset].last { $0 != " " }
            if before == "," || before == "{", isKey(firstLine, at: offset) { return (first.line, offset + 1) }
            offset += 1
        }
        let indent = first.column - 1
        for number in first.line..<lines.count {
            let line = lines[number]
            let spaces = line.prefix { $0 == " " }.count
            if spaces == line.count || line[spaces] == "#" { continue }
            if spaces < indent { return nil }  // the mapping has ended
            if spaces == indent, isKey(line, at: indent) { return (number + 1, first.column) }
        }
        return nil
    }
}

private extension YamlError {
    /// The line the parser stopped at, 1-based.
    var line: Int {
        switch self {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): mark.line
        default: 0
        }
    }
}
