/// Markup that is placed as it is, with `{{{name}}}`: rendered Markdown, a QR code's SVG, a
/// piece rendered by another template. Everything else in a context is text, which
/// `{{name}}` escapes; the template checker holds each template to the type of each value,
/// so a value that is markup cannot be placed as text, nor text as markup.
struct HTML: Codable, Sendable {
    let markup: String

    init(_ markup: String) { self.markup = markup }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(markup)
    }

    init(from decoder: Decoder) throws {
        markup = try decoder.singleValueContainer().decode(String.self)
    }
}

/// What one template receives: a struct whose stored properties are the names the template
/// may read. Encoded for swift-mustache by `ContextEncoder`; decoded only by `ShapeReader`,
/// which reads the template's `Shape` off the type.
protocol TemplateContext: Codable {}

/// A list that may be empty, wrapped so a template can put a heading around it once
/// (`{{#pauses}}<h2>…</h2>{{#items}}…{{/items}}{{/pauses}}`): nil when there is nothing.
struct Group<Element: Codable>: Codable {
    var items: [Element]

    static func of(_ items: [Element]) -> Group? { items.isEmpty ? nil : Group(items: items) }
}

/// One context's names and then another's, as one: a template whose context is another's with
/// a few names more (a progression on its own page and in the handout).
struct Joined<First: Codable, Second: Codable>: TemplateContext {
    var first: First
    var second: Second

    func encode(to encoder: Encoder) throws {
        try first.encode(to: encoder)
        try second.encode(to: encoder)
    }

    init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    init(from decoder: Decoder) throws {
        first = try First(from: decoder)
        second = try Second(from: decoder)
    }
}

/// A Swift name (`bodyClass`) as templates spell it (`body_class`).
func templateName(_ key: CodingKey) -> String {
    let name = key.stringValue
    func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
    guard name.utf8.contains(where: isUpper) else { return name }
    // Swift names are ASCII: each capital becomes `_` and its small letter.
    var out: [UInt8] = []
    out.reserveCapacity(name.utf8.count + 4)
    for byte in name.utf8 {
        if isUpper(byte) { out += [UInt8(ascii: "_"), byte + 32] } else { out.append(byte) }
    }
    return String(decoding: out, as: UTF8.self)
}

/// Turns a context into what swift-mustache reads fastest: dictionaries (found by name with
/// one hash lookup, where a struct would be read through `Mirror`), arrays, strings and flags.
/// A nil is left out, which is how a template sees "not given"; HTML becomes its markup.
enum ContextEncoder {
    static func encode<Context: TemplateContext>(_ context: Context) -> [String: Any] {
        value(of: context) as? [String: Any] ?? [:]
    }

    static func value<Value: Encodable>(of value: Value) -> Any {
        switch value {
        case let text as String: return text
        case let flag as Bool: return flag
        case let html as HTML: return html.markup
        default:
            let node = Node()
            // Our contexts are strings, flags, lists and structs of them: nothing throws.
            try? value.encode(to: Encoding(node: node))
            return node.resolved
        }
    }

    /// What one value encodes to so far: named values, a list or a single value. A container
    /// asked for inside another is filled after it is handed out, so it is kept as a node and
    /// read when the whole value is done.
    final class Node {
        var named: [String: Any] = [:]
        var list: [Any] = []
        var single: Any?
        var isList = false
        var hasNodes = false

        var resolved: Any {
            if let single { return single }
            if isList { return hasNodes ? list.map(Self.resolve) : list }
            return hasNodes ? named.mapValues(Self.resolve) : named
        }

        static func resolve(_ value: Any) -> Any { (value as? Node)?.resolved ?? value }
    }

    struct Encoding: Encoder {
        let node: Node
        var codingPath: [CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            KeyedEncodingContainer(Named(node: node))
        }

        func unkeyedContainer() -> UnkeyedEncodingContainer {
            node.isList = true
            return Listed(node: node)
        }

        func singleValueContainer() -> SingleValueEncodingContainer { Single(node: node) }
    }

    struct Named<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        var codingPath: [CodingKey] = []

        mutating func encodeNil(forKey key: Key) {}
        mutating func encode(_ value: String, forKey key: Key) { node.named[templateName(key)] = value }
        mutating func encode(_ value: Bool, forKey key: Key) { node.named[templateName(key)] = value }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) {
            node.named[templateName(key)] = ContextEncoder.value(of: value)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Named<NestedKey>(node: nested(key)))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
            let child = nested(key)
            child.isList = true
            return Listed(node: child)
        }

        mutating func superEncoder() -> Encoder { Encoding(node: node) }
        mutating func superEncoder(forKey key: Key) -> Encoder { Encoding(node: nested(key)) }

        private func nested(_ key: Key) -> Node {
            let child = Node()
            node.named[templateName(key)] = child
            node.hasNodes = true
            return child
        }
    }

    struct Listed: UnkeyedEncodingContainer {
        let node: Node
        var codingPath: [CodingKey] = []
        var count: Int { node.list.count }

        mutating func encodeNil() {}
        mutating func encode<T: Encodable>(_ value: T) { node.list.append(ContextEncoder.value(of: value)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Named<NestedKey>(node: nested()))
        }

        mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
            let child = nested()
            child.isList = true
            return Listed(node: child)
        }

        mutating func superEncoder() -> Encoder { Encoding(node: nested()) }

        private func nested() -> Node {
            let child = Node()
            node.list.append(child)
            node.hasNodes = true
            return child
        }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        var codingPath: [CodingKey] = []

        mutating func encodeNil() {}
        mutating func encode<T: Encodable>(_ value: T) { node.single = ContextEncoder.value(of: value) }
    }
}
