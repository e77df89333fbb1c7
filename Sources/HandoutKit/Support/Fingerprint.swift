import Foundation

/// FNV-1a, 64 bits: a stable content hash (Swift's `Hasher` is seeded per process).
public struct Fingerprint: Hashable, Sendable, CustomStringConvertible {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public init(_ bytes: some Sequence<UInt8>) { add(bytes) }

    public mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
    }

    public mutating func add(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x100_0000_01b3
    }

    /// Through the bytes' storage: `Data`'s own iterator goes a byte at a time through a closure.
    public init(_ data: Data) {
        data.withUnsafeBytes { add($0) }
    }

    /// The text's bytes and a 0, through its storage where it has one: ten thousand index
    /// rows are fingerprinted on every build.
    public mutating func add(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ add($0) }) == nil { add(text.utf8) }
        add(UInt8(0))
    }

    public mutating func add(number: Int) {
        withUnsafeBytes(of: Int64(number).littleEndian) { add($0) }
    }

    public mutating func add(_ other: Fingerprint) {
        withUnsafeBytes(of: other.value.littleEndian) { add($0) }
    }

    public var description: String {
        var hex: [UInt8] = []
        appendHex(to: &hex)
        return String(decoding: hex, as: UTF8.self)
    }

    /// The 16 lowercase hex digits of `description`, appended without making a string: the
    /// manifest and the stat index write one per file of the site.
    func appendHex(to bytes: inout [UInt8]) {
        // Made on the stack and appended at once: a byte at a time costs ten times as much.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { digits in
            for i in 0..<16 {
                let digit = UInt8(value >> UInt64(60 - 4 * i) & 0xF)
                digits[i] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
            }
            bytes.append(contentsOf: digits)
        }
    }

    init(value: UInt64) { self.value = value }

    /// Recorded for content the renderer looked for and did not find, so adding it later
    /// counts as a change.
    static let absent = Fingerprint(value: 0)

    /// From the 16 lowercase hex digits `description` writes; nil for anything else.
    init?(hex digits: some Collection<UInt8>) {
        guard digits.count == 16 else { return nil }
        value = 0
        for byte in digits {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
    }
}
