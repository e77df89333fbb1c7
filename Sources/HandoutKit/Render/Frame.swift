import Foundation
import Mustache

/// A template rendered once with stand-ins for the values that differ between uses, then
/// filled in for each use: how a page, card or calendar day that differs between patients
/// only in a few values is rendered once per build.
///
/// A stand-in is NUL, a token drawn at random when the program starts, the kind and the
/// name, then NUL. No input can spell one: content and plans may not hold NUL (`TextRules`),
/// templates neither (`TemplateSet`), and nothing outside this process knows the token. So
/// a title that looks like a stand-in stays text. A text stand-in is filled in escaped
/// exactly as `{{name}}` escapes, so a filled frame is byte for byte what rendering the
/// template with the values gives.
struct Frame: Sendable, Equatable {
    private enum Hole: Sendable, Equatable {
        case text(String)
        case html(String)
    }

    private struct Piece: Sendable, Equatable {
        var text: String
        var hole: Hole?
    }

    /// Rendered text, each piece followed by the stand-in after it (none after the last).
    private var pieces: [Piece] = []

    static let marker = "\u{0}" + (0..<2).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined(separator: "-")

    /// For a value the template places with `{{name}}`.
    static func text(_ name: String) -> String { "\(marker)t\(name)\u{0}" }

    /// For a value the template places with `{{{name}}}`.
    static func html(_ name: String) -> String { "\(marker)h\(name)\u{0}" }

    init(_ rendered: String) {
        // Split on the UTF-8 bytes: the marker is ASCII, so every piece is whole UTF-8, and a
        // byte search is hundreds of times cheaper than Foundation's `components(separatedBy:)`.
        var rendered = rendered
        let marker = Array(Self.marker.utf8)
        pieces = rendered.withUTF8 { bytes in
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
            // The marker starts with NUL, which rendered text holds only in stand-ins.
            func find(from start: Int) -> Int? {
                var from = start
                while bytes.count - from >= marker.count, let hit = memchr(bytes.baseAddress! + from, 0, bytes.count - from) {
                    let at = bytes.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if bytes.count - at >= marker.count, memcmp(hit, marker, marker.count) == 0 { return at }
                    from = at + 1
                }
                return nil
            }
            var pieces: [Piece] = []
            var start = 0
            var next = find(from: 0)
            while let at = next {
                // After the marker: the kind, the name, NUL, then the text up to the next stand-in.
                let body = at + marker.count
                next = find(from: body)
                let end = next ?? bytes.count
                let nameStart = min(body + 1, end)
                let nul = (nameStart..<end).first { bytes[$0] == 0 } ?? end
                let name = text(nameStart..<nul)
                pieces.append(Piece(text: text(start..<at), hole: body < end && bytes[body] == UInt8(ascii: "t") ? .text(name) : .html(name)))
                start = min(nul + 1, end)
            }
            pieces.append(Piece(text: text(start..<bytes.count), hole: nil))
            return pieces
        }
    }

    /// What a hole is filled with: a value (escaped in a text hole, as `{{name}}` would), or
    /// markup written straight into the page. The calendar is frames in frames (days in weeks
    /// in the page in the layout): written into one buffer, its bytes are copied once, where
    /// filling and joining at each level copied them about seven times.
    enum Fill {
        case value(String)
        /// For a hole the template places with `{{{name}}}`.
        case markup((inout String) -> Void)
    }

    /// The frame appended to `out`, each hole filled from `fills` (empty when not there).
    func write(_ fills: KeyValuePairs<String, Fill>, into out: inout String) {
        write(into: &out) { name in fills.first { $0.key == name }?.value }
    }

    func filled<Values: Collection<(key: String, value: String)>>(_ values: Values) -> String {
        var out = ""
        out.reserveCapacity(pieces.reduce(0) { $0 + $1.text.utf8.count } + values.reduce(0) { $0 + $1.value.utf8.count })
        write(into: &out) { name in values.first { $0.key == name }.map { .value($0.value) } }
        return out
    }

    private func write(into out: inout String, fill: (String) -> Fill?) {
        for piece in pieces {
            out += piece.text
            let name: String, escaped: Bool
            switch piece.hole {
            case .text(let hole)?: (name, escaped) = (hole, true)
            case .html(let hole)?: (name, escaped) = (hole, false)
            case nil: continue
            }
            switch fill(name) {
            case .value(let value)?: out += escaped ? PageText.escape(value) : value
            case .markup(let write)?: write(&out)
            case nil: break
            }
        }
    }
}

/// How `{{name}}` escapes text in every template Handout renders: exactly as swift-mustache's
/// HTML content type does (`< > & " '` as entities, each only where it is a character of its
/// own), on UTF-8 bytes instead of a dictionary lookup per character, which was a fifteenth of
/// a cold build's instructions. Compiled templates start with its pragma (`CompiledTemplates`).
struct PageText: MustacheContentType {
    static let pragma: String = {
        MustacheContentTypes.register(PageText(), named: "HANDOUT_HTML")
        // On a line of its own, so the template's first line is read as it was written.
        return "{{% CONTENT_TYPE: HANDOUT_HTML}}\n"
    }()

    func escapeText(_ text: String) -> String { Self.escape(text) }

    /// Text escaped exactly as `{{name}}` escapes it. Most text (dates, names) has nothing
    /// to escape and is returned as it is.
    static func escape(_ text: String) -> String {
        func entity(_ byte: UInt8) -> String? {
            switch byte {
            case UInt8(ascii: "<"): "&lt;"
            case UInt8(ascii: ">"): "&gt;"
            case UInt8(ascii: "&"): "&amp;"
            case UInt8(ascii: "\""): "&quot;"
            case UInt8(ascii: "'"): "&#39;"
            default: nil
            }
        }
        return text.withUTF8(ifEach: { entity($0) != nil }) { bytes in
            guard bytes.contains(where: { entity($0) != nil }) else { return text }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 32)
            for byte in bytes {
                if let entity = entity(byte) { out.append(contentsOf: entity.utf8) } else { out.append(byte) }
            }
            return String(decoding: out, as: UTF8.self)
        } ?? byCharacters.render(text)
    }

    /// swift-mustache's own escaping, for text where a special byte is part of a larger character.
    static let byCharacters = try! MustacheTemplate(string: "{{.}}")
}

/// Rendered fragments by key, shared by the threads of one build. Each key is rendered
/// exactly once: a thread that asks for a key another thread is rendering waits for it,
/// so every use of a key gets the same value (calendar items carry a unique id).
final class FragmentCache<Key: Hashable, Value>: @unchecked Sendable {
    /// One key's value, guarded by its own lock so other keys render in parallel.
    private final class Slot: @unchecked Sendable {
        let lock = NSLock()
        var value: Value?
    }

    private var slots: [Key: Slot] = [:]
    private let lock = NSLock()

    /// Everything rendered so far: tests compare what two builds rendered under one key.
    var rendered: [Key: Value] {
        lock.withLock { slots }.compactMapValues { slot in slot.lock.withLock { slot.value } }
    }

    func value(for key: Key, render: () -> Value) -> Value {
        value(for: key, upTo: .max, render: render)!
    }

    /// As `value(for:render:)` while fewer than `limit` keys are held; past that, nil for a
    /// key not held, and the caller renders without the cache.
    func value(for key: Key, upTo limit: Int, render: () -> Value) -> Value? {
        let found: Slot? = lock.withLock {
            if let slot = slots[key] { return slot }
            guard slots.count < limit else { return nil }
            let slot = Slot()
            slots[key] = slot
            return slot
        }
        guard let slot = found else { return nil }
        return slot.lock.withLock {
            if let value = slot.value { return value }
            let value = render()
            slot.value = value
            return value
        }
    }
}

/// Numbers handed out once each, across threads.
final class Counter: @unchecked Sendable {
    private var last = 0
    private let lock = NSLock()

    func next() -> Int { lock.withLock { last += 1; return last } }
}
