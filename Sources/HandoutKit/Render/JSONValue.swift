import Foundation

/// A JSON document built in code (the plan schemas), written with sorted keys so the same
/// input gives the same bytes.
indirect enum JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(Dictionary(elements) { $1 }) }

    static func strings(_ values: some Sequence<String>) -> JSONValue { .array(values.map(JSONValue.string)) }

    /// The same value with `more`'s keys added (an object's only).
    func merging(_ more: [String: JSONValue]) -> JSONValue {
        guard case .object(var fields) = self else { return self }
        fields.merge(more) { $1 }
        return .object(fields)
    }

    /// Pretty-printed, keys sorted, slashes as they are, and a final line end.
    var text: String {
        let data = (try? JSONSerialization.data(withJSONObject: foundation, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// What `JSONSerialization` writes: the one place this document is untyped.
    private var foundation: Any {
        switch self {
        case .string(let value): value
        case .int(let value): value
        case .bool(let value): value
        case .array(let values): values.map(\.foundation)
        case .object(let fields): fields.mapValues(\.foundation)
        }
    }
}
