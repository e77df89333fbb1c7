import Foundation

/// Reads PDF syntax from bytes: values, `N 0 obj … endobj` and streams.
struct PDFParser {
    struct Damage: Error { var reason: String }

    let bytes: [UInt8]
    var position = 0

    private static func isSpace(_ byte: UInt8) -> Bool { [0, 9, 10, 12, 13, 32].contains(byte) }
    private static func isDelimiter(_ byte: UInt8) -> Bool { Array("()<>[]{}/%".utf8).contains(byte) }

    mutating func skipSpace() {
        while position < bytes.count {
            if Self.isSpace(bytes[position]) {
                position += 1
            } else if bytes[position] == UInt8(ascii: "%") {
                while position < bytes.count, bytes[position] != 10, bytes[position] != 13 { position += 1 }
            } else {
                return
            }
        }
    }

    /// A run of regular characters (a number or a keyword), or nil at a delimiter.
    mutating func word() -> String? {
        skipSpace()
        let start = position
        while position < bytes.count, !Self.isSpace(bytes[position]), !Self.isDelimiter(bytes[position]) { position += 1 }
        return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
    }

    mutating func integer() -> Int? { word().flatMap { Int($0) } }

    mutating func value() throws(Damage) -> PDFValue {
        skipSpace()
        guard position < bytes.count else { throw Damage(reason: "it ends in the middle of a value") }
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "/"):
            let start = position
            position += 1
            while position < bytes.count, !Self.isSpace(bytes[position]), !Self.isDelimiter(bytes[position]) { position += 1 }
            return .name(String(decoding: bytes[start..<position], as: UTF8.self))
        case UInt8(ascii: "("):
            return .string(try literalString())
        case UInt8(ascii: "<"):
            if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "<") {
                position += 2
                var pairs: [(key: String, value: PDFValue)] = []
                while true {
                    skipSpace()
                    if bytes[position...].starts(with: Array(">>".utf8)) { position += 2; return .dictionary(pairs) }
                    guard case .name(let key) = try value() else { throw Damage(reason: "a dictionary key that is not a name") }
                    pairs.append((key, try value()))
                }
            }
            let start = position
            guard let end = bytes[position...].firstIndex(of: UInt8(ascii: ">")) else { throw Damage(reason: "an unclosed <string>") }
            position = end + 1
            return .string(Array(bytes[start..<position]))
        case UInt8(ascii: "["):
            position += 1
            var values: [PDFValue] = []
            while true {
                skipSpace()
                guard position < bytes.count else { throw Damage(reason: "an unclosed [array]") }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(values) }
                values.append(try value())
            }
        default:
            guard let token = word() else { throw Damage(reason: "an unexpected '\(Character(Unicode.Scalar(byte)))'") }
            switch token {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            case "null": return .null
            default:
                guard token.allSatisfy({ "0123456789+-.".contains($0) }) else { throw Damage(reason: "an unexpected '\(token)'") }
                // `N G R` is a reference; anything else leaves the two words to be read again.
                if let number = Int(token) {
                    let mark = position
                    if integer() != nil, word() == "R" { return .reference(number) }
                    position = mark
                }
                return .number(token)
            }
        }
    }

    /// `( … )` with nested parentheses and backslash escapes, returned as written.
    private mutating func literalString() throws(Damage) -> [UInt8] {
        let start = position
        var depth = 0
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\\"): position += 1
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { position += 1; return Array(bytes[start..<position]) }
            default: break
            }
            position += 1
        }
        throw Damage(reason: "an unclosed (string)")
    }

    /// `N 0 obj value [stream … endstream] endobj` at the current position. A stream's length
    /// is its `/Length`, which `length` resolves when it is a reference.
    mutating func object(expecting number: Int, length: (Int) -> Int?) throws(Damage) -> PDFDocument.Object {
        guard integer() == number, integer() != nil, word() == "obj" else { throw Damage(reason: "no 'obj' where the table points") }
        let value = try value()
        let mark = position
        guard word() == "stream" else {
            position = mark
            return .init(value: value, stream: nil)
        }
        // The data starts after the end of the `stream` line (CR LF or LF).
        if position < bytes.count, bytes[position] == 13 { position += 1 }
        if position < bytes.count, bytes[position] == 10 { position += 1 }
        guard case .dictionary(let pairs) = value else { throw Damage(reason: "a stream without a dictionary") }
        let count: Int?
        switch pairs.value("Length") {
        case .number(let text)?: count = Int(text)
        case .reference(let reference)?: count = length(reference)
        default: count = nil
        }
        guard let count, count >= 0, position + count <= bytes.count else { throw Damage(reason: "a stream without a usable /Length") }
        let data = Data(bytes[position..<(position + count)])
        position += count
        guard word() == "endstream" else { throw Damage(reason: "a stream longer than its /Length") }
        return .init(value: value, stream: data)
    }
}
