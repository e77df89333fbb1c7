import Foundation

/// A PDF file read far enough to copy its pages into another: its objects by number and its
/// page tree. It reads what Chromium (Skia) writes: one cross-reference table, no
/// cross-reference or object streams, no incremental updates; anything else is refused with
/// a reason rather than misread.
public struct PDFDocument: Sendable {
    /// An object's value, and its stream bytes when it is a stream (copied as they are).
    struct Object: Sendable {
        var value: PDFValue
        var stream: Data?
    }

    var objects: [Int: Object]
    /// The object number of the page tree's root (`/Pages`).
    var pageTree: Int
    /// Each page's object number, in reading order, with its paper size in points and the
    /// resources it inherits from the page tree, if any.
    private(set) var pages: [(number: Int, mediaBox: [PDFValue], resources: PDFValue?)]
    /// The page tree's inner nodes (`/Pages`), the root included.
    private(set) var treeNodes: Set<Int> = []
    /// "1.4", from the `%PDF-1.4` header.
    var version: String
    /// Named destinations, each with the page (counted from 0) it points into.
    private(set) var destinations: [String: Int] = [:]

    public struct Unreadable: Error, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { "not a PDF Handout can read: \(reason)" }
    }

    public init(data: Data) throws(Unreadable) {
        let bytes = [UInt8](data)
        guard bytes.starts(with: Array("%PDF-".utf8)) else { throw Unreadable(reason: "it does not start with %PDF-") }
        version = String(decoding: bytes[5..<min(bytes.count, 8)], as: UTF8.self)
        var parser = PDFParser(bytes: bytes)
        guard let startxref = Self.lastOffset(of: "startxref", in: bytes) else { throw Unreadable(reason: "no startxref at its end") }
        parser.position = startxref + "startxref".utf8.count
        guard case .number(let text)? = try? parser.value(), let tableAt = Int(text), tableAt < bytes.count else {
            throw Unreadable(reason: "startxref does not give a position in the file")
        }
        parser.position = tableAt
        guard parser.word() == "xref" else {
            throw Unreadable(reason: "its cross-reference is a stream, a newer form than the table Chromium writes")
        }
        var offsets: [Int: Int] = [:]
        while true {
            let mark = parser.position
            if parser.word() == "trailer" { break }
            parser.position = mark
            guard let first = parser.integer(), let count = parser.integer() else { throw Unreadable(reason: "a damaged cross-reference table") }
            for number in first..<(first + count) {
                guard let offset = parser.integer(), parser.integer() != nil, let kind = parser.word() else {
                    throw Unreadable(reason: "a damaged cross-reference table")
                }
                if kind == "n", number > 0 { offsets[number] = offset }
            }
        }
        guard case .dictionary(let trailer)? = try? parser.value() else { throw Unreadable(reason: "a damaged trailer") }
        if trailer.value("Prev") != nil { throw Unreadable(reason: "it was saved with incremental updates") }
        guard case .reference(let catalogNumber)? = trailer.value("Root") else { throw Unreadable(reason: "the trailer names no catalog") }

        objects = [:]
        for (number, offset) in offsets {
            parser.position = offset
            do {
                objects[number] = try parser.object(expecting: number, length: { reference in
                    // An indirect /Length is read where the table says it is.
                    guard let at = offsets[reference] else { return nil }
                    var lengthParser = PDFParser(bytes: bytes)
                    lengthParser.position = at
                    guard case .number(let text)? = try? lengthParser.object(expecting: reference, length: { _ in nil }).value else { return nil }
                    return Int(text)
                })
            } catch {
                throw Unreadable(reason: "object \(number) is damaged (\(error.reason))")
            }
        }
        guard case .dictionary(let catalog)? = objects[catalogNumber]?.value,
              case .reference(let root)? = catalog.value("Pages") else { throw Unreadable(reason: "the catalog names no page tree") }
        pageTree = root
        pages = []
        try collectPages(root, inherited: (nil, nil), visited: [])
        destinations = namedDestinations(catalog)
    }

    /// The catalog's `/Dests` dictionary, as Chromium writes it for the targets of a page's
    /// `#id` links: each name's `[page /XYZ left top zoom]` (or `<</D [...]>>`) as a page index.
    private func namedDestinations(_ catalog: [(key: String, value: PDFValue)]) -> [String: Int] {
        func resolved(_ value: PDFValue?) -> PDFValue? {
            if case .reference(let number)? = value { return objects[number]?.value }
            return value
        }
        let pageIndex = Dictionary(pages.enumerated().map { ($0.element.number, $0.offset) }) { first, _ in first }
        guard case .dictionary(let named)? = resolved(catalog.value("Dests")) else { return [:] }
        var result: [String: Int] = [:]
        for (name, value) in named {
            var target = resolved(value)
            if case .dictionary(let pairs)? = target { target = resolved(pairs.value("D")) }
            if case .array(let parts)? = target, case .reference(let page)? = parts.first, let index = pageIndex[page] {
                result[String(name.dropFirst())] = index
            }
        }
        return result
    }

    /// Leaves of the page tree in order; `MediaBox` and `Resources` may be inherited from a parent node.
    private mutating func collectPages(_ number: Int, inherited: (box: [PDFValue]?, resources: PDFValue?),
                                       visited: Set<Int>) throws(Unreadable) {
        guard !visited.contains(number), case .dictionary(let node)? = objects[number]?.value else {
            throw Unreadable(reason: "the page tree is damaged at object \(number)")
        }
        var box = inherited.box
        if case .array(let values)? = node.value("MediaBox") { box = values }
        let resources = node.value("Resources") ?? inherited.resources
        if case .array(let kids)? = node.value("Kids") {
            treeNodes.insert(number)
            for case .reference(let kid) in kids { try collectPages(kid, inherited: (box, resources), visited: visited.union([number])) }
        } else {
            guard let box else { throw Unreadable(reason: "page object \(number) has no paper size (MediaBox)") }
            pages.append((number, box, node.value("Resources") == nil ? inherited.resources : nil))
        }
    }

    public var pageCount: Int { pages.count }

    /// Width and height of each page in points, as `pdfinfo` prints them.
    public var pageSizes: [(width: Double, height: Double)] {
        pages.map { page in
            let numbers = page.mediaBox.compactMap { value -> Double? in
                if case .number(let text) = value { return Double(text) }
                return nil
            }
            guard numbers.count == 4 else { return (0, 0) }
            return (abs(numbers[2] - numbers[0]), abs(numbers[3] - numbers[1]))
        }
    }

    /// Every object reachable from `number` (following references), itself included, but
    /// none of `avoiding` nor what only they lead to.
    func reachable(from number: Int, avoiding: Set<Int> = []) -> Set<Int> {
        var seen: Set<Int> = avoiding
        var pending = [number]
        while let next = pending.popLast() {
            guard objects[next] != nil, seen.insert(next).inserted else { continue }
            objects[next]!.value.forEachReference { pending.append($0) }
        }
        return seen.subtracting(avoiding)
    }

    private static func lastOffset(of word: String, in bytes: [UInt8]) -> Int? {
        let pattern = Array(word.utf8)
        var i = bytes.count - pattern.count
        // The keyword is in the last kilobyte of a well-formed file.
        let stop = max(0, bytes.count - 1024)
        while i >= stop {
            if bytes[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
            i -= 1
        }
        return nil
    }
}

/// The PDF values Handout reads and writes again. Numbers, names and strings keep the bytes
/// they were written with, so copying an object never changes them.
indirect enum PDFValue: Sendable {
    case null
    case boolean(Bool)
    /// As written: `612`, `-0.5`.
    case number(String)
    /// As written, with its `/`: `/MediaBox`.
    case name(String)
    /// The whole literal `(…)` or hex `<…>` string, as written.
    case string([UInt8])
    case array([PDFValue])
    case dictionary([(key: String, value: PDFValue)])
    /// An indirect reference `N 0 R` (generation numbers are always 0 in what Handout reads).
    case reference(Int)

    /// Calls `body` with every object number this value refers to.
    func forEachReference(_ body: (Int) -> Void) {
        switch self {
        case .reference(let number): body(number)
        case .array(let values): values.forEach { $0.forEachReference(body) }
        case .dictionary(let pairs): pairs.forEach { $0.value.forEachReference(body) }
        default: break
        }
    }

    /// The same value with every reference renumbered.
    func renumbered(_ map: (Int) -> Int) -> PDFValue {
        switch self {
        case .reference(let number): .reference(map(number))
        case .array(let values): .array(values.map { $0.renumbered(map) })
        case .dictionary(let pairs): .dictionary(pairs.map { ($0.key, $0.value.renumbered(map)) })
        default: self
        }
    }

    /// Appends the value in PDF syntax.
    func write(to out: inout [UInt8]) {
        switch self {
        case .null: out += Array("null".utf8)
        case .boolean(let value): out += Array((value ? "true" : "false").utf8)
        case .number(let text), .name(let text): out += Array(text.utf8)
        case .string(let raw): out += raw
        case .reference(let number): out += Array("\(number) 0 R".utf8)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (i, value) in values.enumerated() {
                if i > 0 { out.append(UInt8(ascii: " ")) }
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let pairs):
            out += Array("<<".utf8)
            for (key, value) in pairs {
                out += Array(key.utf8)
                out.append(UInt8(ascii: " "))
                value.write(to: &out)
                out.append(UInt8(ascii: "\n"))
            }
            out += Array(">>".utf8)
        }
    }
}

extension [(key: String, value: PDFValue)] {
    /// The value under `/key`, if present.
    func value(_ key: String) -> PDFValue? {
        first { $0.key == "/" + key }?.value
    }

    /// The same dictionary with `/key` set to `value` (replaced in place, or added at the end).
    func setting(_ key: String, _ value: PDFValue) -> Self {
        var copy = self
        if let i = copy.firstIndex(where: { $0.key == "/" + key }) { copy[i].value = value } else { copy.append(("/" + key, value)) }
        return copy
    }
}

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
