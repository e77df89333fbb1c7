/// Reads a template's `Shape` off its context type, once when templates are checked: the
/// type is decoded from nothing, and each name it asks for is noted with what it asks for
/// (`String` is text, `HTML` is markup, `Bool` a flag, an array a list, an optional may be
/// absent). So the names a template may read are exactly the context's properties.
enum ShapeReader {
    static func shape<Context: Decodable>(of type: Context.Type) -> Shape {
        let decoder = Reading()
        _ = try? Context(from: decoder)
        return decoder.found.shape
    }

    /// What a value asked for while it was decoded.
    final class Found {
        var fields: [String: Shape] = [:]
        var element: Shape?
        var single: Shape?

        var shape: Shape {
            if let single { return single }
            if let element { return .list(element) }
            return .object(fields)
        }
    }

    /// The shape of one property or element of type `T`, and a value of it to go on with.
    static func read<T: Decodable>(_ type: T.Type) -> (Shape, T?) {
        switch type {
        case is String.Type: return (.text, "" as? T)
        case is Bool.Type: return (.flag, false as? T)
        case is HTML.Type: return (.html, HTML("") as? T)
        default:
            let decoder = Reading()
            let value = try? T(from: decoder)
            return (decoder.found.shape, value)
        }
    }

    struct Failed: Error {}

    final class Reading: Decoder {
        let found = Found()
        var codingPath: [CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] = [:]

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(Named(found: found))
        }

        func unkeyedContainer() -> UnkeyedDecodingContainer { Listed(found: found) }

        func singleValueContainer() -> SingleValueDecodingContainer { Single(found: found) }
    }

    struct Named<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let found: Found
        var codingPath: [CodingKey] = []
        var allKeys: [Key] { [] }

        func contains(_ key: Key) -> Bool { true }
        func decodeNil(forKey key: Key) -> Bool { false }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let (shape, value) = ShapeReader.read(type)
            found.fields[templateName(key)] = shape
            guard let value else { throw Failed() }
            return value
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { optional(type, key) }
        // An optional text or flag is asked for through these, not the generic one above.
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { optional(type, key) }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { optional(type, key) }

        private func optional<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
            let (shape, value) = ShapeReader.read(type)
            found.fields[templateName(key)] = .optional(shape)
            return value
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw Failed()
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { throw Failed() }
        func superDecoder() throws -> Decoder { throw Failed() }
        func superDecoder(forKey key: Key) throws -> Decoder { throw Failed() }
    }

    /// A list of one element, whose shape is the list's.
    struct Listed: UnkeyedDecodingContainer {
        let found: Found
        var codingPath: [CodingKey] = []
        var count: Int? { 1 }
        var currentIndex = 0
        var isAtEnd: Bool { currentIndex > 0 }

        mutating func decodeNil() -> Bool { false }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            currentIndex += 1
            let (shape, value) = ShapeReader.read(type)
            found.element = shape
            guard let value else { throw Failed() }
            return value
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            throw Failed()
        }

        mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { throw Failed() }
        mutating func superDecoder() throws -> Decoder { throw Failed() }
    }

    struct Single: SingleValueDecodingContainer {
        let found: Found
        var codingPath: [CodingKey] = []

        func decodeNil() -> Bool { false }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let (shape, value) = ShapeReader.read(type)
            found.single = shape
            guard let value else { throw Failed() }
            return value
        }
    }
}
