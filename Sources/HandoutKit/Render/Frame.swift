import Foundation
import Mustache

/// A template rendered once with stand-ins for the values that differ between uses, then
/// filled in for each use: how a page, card or calendar day that differs between patients
/// only in a few values is rendered once per build.
///
/// A stand-in is a name between NUL characters, which templates may not contain
/// (`TemplateSet` reports it) and rendered content does not hold (YAML forbids it, cmark
/// replaces it). A text stand-in is filled in escaped exactly as `{{name}}` escapes, so a
/// filled frame is byte for byte what rendering the template with the values gives.
struct Frame: Sendable {
    private enum Hole: Sendable {
        case text(String)
        case html(String)
    }

    /// Rendered text, each piece followed by the stand-in after it (none after the last).
    private var pieces: [(text: String, hole: Hole?)] = []

    /// For a value the template places with `{{name}}`.
    static func text(_ name: String) -> String { "\u{0}t\(name)\u{0}" }

    /// For a value the template places with `{{{name}}}`.
    static func html(_ name: String) -> String { "\u{0}h\(name)\u{0}" }

    init(_ rendered: String) {
        let parts = rendered.split(separator: "\u{0}", omittingEmptySubsequences: false)
        for index in stride(from: 0, to: parts.count, by: 2) {
            let hole = index + 1 < parts.count ? parts[index + 1] : nil
            pieces.append((String(parts[index]), hole.map { $0.first == "t" ? .text(String($0.dropFirst())) : .html(String($0.dropFirst())) }))
        }
    }

    func filled(_ values: KeyValuePairs<String, String>) -> String {
        let fills = pieces.map { piece -> String in
            switch piece.hole {
            case .text(let name)?: Self.escaped(values.first { $0.key == name }?.value ?? "")
            case .html(let name)?: values.first { $0.key == name }?.value ?? ""
            case nil: ""
            }
        }
        var out = ""
        out.reserveCapacity(pieces.reduce(0) { $0 + $1.text.utf8.count } + fills.reduce(0) { $0 + $1.utf8.count })
        for (piece, fill) in zip(pieces, fills) {
            out += piece.text
            out += fill
        }
        return out
    }

    /// Text escaped exactly as `{{name}}` escapes it. Most text (dates, names) has nothing
    /// to escape and is returned as it is.
    static func escaped(_ text: String) -> String {
        let special = text.utf8.contains { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "&")
            || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }
        return special ? escaper.render(text) : text
    }

    private static let escaper = try! MustacheTemplate(string: "{{.}}")
}

/// Rendered fragments by key, shared by the threads of one build.
final class FragmentCache<Key: Hashable, Value>: @unchecked Sendable {
    private var values: [Key: Value] = [:]
    private let lock = NSLock()

    func value(for key: Key, render: () -> Value) -> Value {
        if let value = lock.withLock({ values[key] }) { return value }
        let value = render()
        lock.withLock { values[key] = value }
        return value
    }
}

/// Numbers handed out once each, across threads.
final class Counter: @unchecked Sendable {
    private var last = 0
    private let lock = NSLock()

    func next() -> Int { lock.withLock { last += 1; return last } }
}
