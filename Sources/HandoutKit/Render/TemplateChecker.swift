/// Reads Mustache tags with their positions and checks every name and partial against a
/// `Shape`, so a typo in a clinic's template is an error naming the file, line and column.
struct TemplateChecker {
    struct Tag {
        enum Kind { case variable, unescaped, section, inverted, close, partial, comment, unsupported(String), unfinished }
        var kind: Kind
        var name: String
        var line: Int
        var column: Int
    }

    /// Template sources by name (file name without `.mustache`), and their display paths.
    var sources: [String: (text: String, path: String)]
    var diagnostics: Diagnostics
    /// Every `{{t.name}}` the templates place, with where it first appears.
    let usedStrings = UsedStrings()

    final class UsedStrings: @unchecked Sendable {
        private(set) var first: [String: SourceLocation] = [:]

        func note(_ name: String, at location: SourceLocation) {
            if first[name].map({ location < $0 }) ?? true { first[name] = location }
        }
    }

    /// Checks `name` as a page template whose context has `shape`.
    func check(_ name: String, shape: Shape) {
        check(name, in: [shape])
    }

    /// Checks `name` as placed inside sections whose values have the shapes of `stack`,
    /// the innermost last.
    func check(_ name: String, in stack: [Shape]) {
        guard let source = sources[name] else { return }
        walk(Self.tags(in: source.text), path: source.path, stack: stack, partialDepth: 0)
    }

    static func tags(in text: String) -> [Tag] {
        var tags: [Tag] = []
        // On UTF-8 bytes: the braces are ASCII, which no other character's bytes contain, and
        // a column counts characters (Unicode scalars), so continuation bytes are not counted.
        // Every template is scanned on every build.
        let bytes = Array(text.utf8)
        var i = 0, line = 1, column = 1
        func advance(to end: Int) {
            while i < min(end, bytes.count) {
                if bytes[i] == UInt8(ascii: "\n") { line += 1; column = 1 } else if bytes[i] & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
        }
        func starts(_ brace: UInt8, _ count: Int, at index: Int) -> Bool {
            index + count <= bytes.count && (index..<(index + count)).allSatisfy { bytes[$0] == brace }
        }
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        while i < bytes.count {
            guard starts(open, 2, at: i) else { advance(to: i + 1); continue }
            let (tagLine, tagColumn) = (line, column)
            let triple = starts(open, 3, at: i)
            let width = triple ? 3 : 2
            var j = i + width
            while j < bytes.count, !starts(close, width, at: j) { j += 1 }
            // No closing braces before the end: the tag swallows the rest of the file.
            guard j < bytes.count else {
                tags.append(Tag(kind: .unfinished, name: triple ? "{{{" : "{{", line: tagLine, column: tagColumn))
                break
            }
            let inner = String(decoding: bytes[(i + width)..<min(j, bytes.count)], as: UTF8.self)
            advance(to: j + width)
            var body = inner.trimmingCharacters(in: .whitespacesAndNewlines)
            var kind: Tag.Kind = triple ? .unescaped : .variable
            if !triple, let sigil = body.first {
                switch sigil {
                case "#": kind = .section
                case "^": kind = .inverted
                case "/": kind = .close
                case ">": kind = .partial
                case "!": kind = .comment
                case "&": kind = .unescaped
                case "=", "<", "$": kind = .unsupported(String(sigil))
                default: break
                }
                if case .variable = kind {} else { body = String(body.dropFirst()).trimmingCharacters(in: .whitespaces) }
            }
            tags.append(Tag(kind: kind, name: body, line: tagLine, column: tagColumn))
        }
        return tags
    }

    private func walk(_ tags: [Tag], path: String, stack: [Shape], partialDepth: Int) {
        var stack = stack
        var open: [(tag: Tag, pushed: Bool)] = []
        for tag in tags {
            let location = SourceLocation(path: path, line: tag.line, column: tag.column)
            func error(_ message: String) { diagnostics.error(message, at: location) }
            switch tag.kind {
            case .comment:
                continue
            case .unfinished:
                error("this '\(tag.name)' is never closed; end the tag with '\(tag.name == "{{{" ? "}}}" : "}}")'")
            case .unsupported(let sigil):
                error("'{{\(sigil)' tags are not supported in Handout templates; use sections and partials")
            case .partial:
                guard let partial = sources[tag.name] else {
                    error("unknown partial '\(tag.name)'" + Suggestion.hint(for: tag.name, in: sources.keys))
                    continue
                }
                guard partialDepth < 8 else {
                    error("partial '\(tag.name)' includes itself")
                    continue
                }
                walk(Self.tags(in: partial.text), path: partial.path, stack: stack, partialDepth: partialDepth + 1)
            case .variable, .unescaped:
                checkPlaced(tag, in: stack, at: location, error: error)
            case .section, .inverted:
                guard let shape = resolve(tag.name, in: stack, at: location, error: error) else {
                    open.append((tag, false))
                    continue
                }
                var pushed = false
                if case .section = tag.kind {
                    switch shape.unwrapped {
                    case .list(let element): stack.append(element); pushed = true
                    case .object: stack.append(shape.unwrapped); pushed = true
                    default: break
                    }
                }
                open.append((tag, pushed))
            case .close:
                guard let last = open.popLast() else {
                    error("'{{/\(tag.name)}}' closes nothing")
                    continue
                }
                if last.tag.name != tag.name {
                    error("'{{/\(tag.name)}}' closes '\(Self.opening(last.tag))'; close it with {{/\(last.tag.name)}}")
                }
                if last.pushed { stack.removeLast() }
            }
        }
        if let unclosed = open.last?.tag {
            diagnostics.error("'\(Self.opening(unclosed))' is never closed; end it with {{/\(unclosed.name)}}",
                              at: SourceLocation(path: path, line: unclosed.line, column: unclosed.column))
        }
    }

    /// `{{#name}}` or `{{^name}}`, as the section was opened.
    private static func opening(_ tag: Tag) -> String {
        if case .inverted = tag.kind { return "{{^\(tag.name)}}" }
        return "{{#\(tag.name)}}"
    }

    /// A value placed with `{{name}}` must be text, with `{{{name}}}` HTML.
    private func checkPlaced(_ tag: Tag, in stack: [Shape], at location: SourceLocation, error: (String) -> Void) {
        guard let shape = resolve(tag.name, in: stack, at: location, error: error) else { return }
        if case .strings = shape {
            error("'\(tag.name)' holds the page's strings; place one of them, like {{t.rest}}")
            return
        }
        let unescaped: Bool
        if case .unescaped = tag.kind { unescaped = true } else { unescaped = false }
        switch (shape.unwrapped, unescaped) {
        case (.text, false), (.html, true):
            break
        case (.html, false):
            error("'\(tag.name)' is HTML; write {{{\(tag.name)}}} to place it")
        case (.text, true):
            error("'\(tag.name)' is text and must be escaped; write {{\(tag.name)}}")
        default:
            error("'\(tag.name)' is \(shape.describe), not text; use {{#\(tag.name)}}…{{/\(tag.name)}}")
        }
    }

    /// Mustache's lookup: the first part of a dotted name is searched from the innermost
    /// section outwards, the rest descends into it.
    private func resolve(_ name: String, in stack: [Shape], at location: SourceLocation, error: (String) -> Void) -> Shape? {
        if name == "." {
            return stack.last
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains(where: \.isEmpty) else {
            error("'\(name)' is not a valid name")
            return nil
        }
        var found: Shape?
        for shape in stack.reversed() {
            if case .object(let fields) = shape.unwrapped, let value = fields[parts[0]] {
                found = value
                break
            }
        }
        guard var shape = found else {
            error("unknown value '\(parts[0])'" + Suggestion.hint(for: parts[0], in: available(in: stack), listUpTo: 12))
            return nil
        }
        for (index, part) in parts.enumerated().dropFirst() {
            if case .strings = shape.unwrapped {
                guard index == parts.count - 1 else {
                    error("'\(name)': a string is text, with nothing inside it")
                    return nil
                }
                usedStrings.note(part, at: location)
                return .text
            }
            guard case .object(let fields) = shape.unwrapped, let value = fields[part] else {
                var names: [String] = []
                if case .object(let fields) = shape.unwrapped { names = Array(fields.keys) }
                error("unknown value '\(part)' in '\(name)'" + Suggestion.hint(for: part, in: names, listUpTo: 12))
                return nil
            }
            shape = value
        }
        return shape
    }

    private func available(in stack: [Shape]) -> Set<String> {
        var names = Set<String>()
        for shape in stack {
            if case .object(let fields) = shape.unwrapped { names.formUnion(fields.keys) }
        }
        return names
    }
}

import Foundation
