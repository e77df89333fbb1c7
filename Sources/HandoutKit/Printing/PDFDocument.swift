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
