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
