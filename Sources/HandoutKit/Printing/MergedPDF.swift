import Foundation

/// Several PDFs as one file, each optionally followed by a blank page so that it fills whole
/// sheets when printed on both sides. Each document's page tree is copied with every object
/// it uses, renumbered, under one new page tree; what only its catalog used (document
/// outline, structure tree, metadata) is left out.
public struct MergedPDF {
    private var objects: [(value: PDFValue, stream: Data?)] = []
    /// Object numbers of the children of the new page tree, in order.
    private var kids: [Int] = []
    private var pages = 0
    private var version = "1.4"

    /// Object 1 is the catalog and object 2 the page tree; both are written last.
    private static let catalog = 1, pageTree = 2

    public init() {}

    public var pageCount: Int { pages }

    /// Adds every page of `document`; with `padToEvenPages`, a blank page of the size of its
    /// last page when its page count is odd.
    public mutating func append(_ document: PDFDocument, padToEvenPages: Bool = false) {
        let used = document.reachable(from: document.pageTree).sorted()
        var numbers: [Int: Int] = [:]
        for (i, old) in used.enumerated() { numbers[old] = 3 + objects.count + i }
        for old in used {
            let object = document.objects[old]!
            // A reference to an object the file lacks means null; object 0 is never in use.
            var value = object.value.renumbered { numbers[$0] ?? 0 }
            if old == document.pageTree, case .dictionary(let pairs) = value {
                value = .dictionary(pairs.setting("Parent", .reference(Self.pageTree)))
            }
            objects.append((value, object.stream))
        }
        kids.append(numbers[document.pageTree]!)
        pages += document.pageCount
        if document.version > version { version = document.version }
        if padToEvenPages { pad(document.pageCount, sized: document.pages.last?.mediaBox) }
    }

    /// Adds the pages `range` of `document` (counted from 0), each as a child of the new
    /// page tree with what it inherited from its own written on it; the other pages, and
    /// what only they use, are left out.
    public mutating func append(_ document: PDFDocument, pages range: ClosedRange<Int>, padToEvenPages: Bool = false) {
        let chosen = Array(document.pages[range])
        let avoiding = document.treeNodes.union(document.pages.map(\.number)).subtracting(chosen.map(\.number))
        var used = Set<Int>()
        for page in chosen {
            used.formUnion(document.reachable(from: page.number, avoiding: avoiding))
            page.resources?.forEachReference { used.formUnion(document.reachable(from: $0, avoiding: avoiding)) }
        }
        var numbers: [Int: Int] = [:]
        for (i, old) in used.sorted().enumerated() { numbers[old] = 3 + objects.count + i }
        for old in used.sorted() {
            let object = document.objects[old]!
            var value = object.value.renumbered { numbers[$0] ?? 0 }
            if let page = chosen.first(where: { $0.number == old }), case .dictionary(var pairs) = value {
                pairs = pairs.setting("Parent", .reference(Self.pageTree)).setting("MediaBox", .array(page.mediaBox))
                if let resources = page.resources { pairs = pairs.setting("Resources", resources.renumbered { numbers[$0] ?? 0 }) }
                value = .dictionary(pairs)
            }
            objects.append((value, object.stream))
        }
        kids += chosen.map { numbers[$0.number]! }
        pages += chosen.count
        if document.version > version { version = document.version }
        if padToEvenPages { pad(chosen.count, sized: chosen.last?.mediaBox) }
    }

    /// A blank page of the size of the last one after a document of odd `count`, so the
    /// next starts on a new sheet.
    private mutating func pad(_ count: Int, sized mediaBox: [PDFValue]?) {
        guard count % 2 == 1, let mediaBox else { return }
        objects.append((.dictionary([
            ("/Type", .name("/Page")), ("/Parent", .reference(Self.pageTree)),
            ("/MediaBox", .array(mediaBox)), ("/Resources", .dictionary([])),
        ]), nil))
        kids.append(2 + objects.count)
        pages += 1
    }

    /// The file: header, objects, cross-reference table, trailer.
    public var data: Data {
        var out = Array("%PDF-\(version)\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 10]
        var offsets: [Int] = []
        func write(_ number: Int, _ value: PDFValue, _ stream: Data?) {
            offsets.append(out.count)
            out += Array("\(number) 0 obj\n".utf8)
            value.write(to: &out)
            if let stream {
                out += Array("\nstream\n".utf8)
                out += stream
                out += Array("\nendstream".utf8)
            }
            out += Array("\nendobj\n".utf8)
        }
        write(Self.catalog, .dictionary([("/Type", .name("/Catalog")), ("/Pages", .reference(Self.pageTree))]), nil)
        write(Self.pageTree, .dictionary([
            ("/Type", .name("/Pages")), ("/Kids", .array(kids.map { .reference($0) })), ("/Count", .number("\(pages)")),
        ]), nil)
        for (i, object) in objects.enumerated() { write(3 + i, object.value, object.stream) }
        let table = out.count
        out += Array("xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n".utf8)
        for offset in offsets {
            out += Array((String(repeating: "0", count: max(0, 10 - String(offset).count)) + "\(offset) 00000 n \n").utf8)
        }
        out += Array("trailer\n<</Size \(offsets.count + 1) /Root \(Self.catalog) 0 R>>\nstartxref\n\(table)\n%%EOF\n".utf8)
        return Data(out)
    }
}
