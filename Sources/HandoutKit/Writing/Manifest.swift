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

    public mutating func add(_ text: String) {
        add(text.utf8)
        add([0])
    }

    public mutating func add(_ other: Fingerprint) {
        withUnsafeBytes(of: other.value.littleEndian) { add($0) }
    }

    public var description: String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    init(value: UInt64) { self.value = value }
}

/// What the previous build wrote and from which inputs, kept in `Output/.handout-manifest`
/// so a rebuild can skip every patient whose plan and content did not change. Deleting or
/// corrupting it only makes the next build a full one.
public struct BuildManifest: Equatable, Sendable {
    static let fileName = ".handout-manifest"
    static let header = "handout-manifest 1"

    /// Tool, templates, assets and site settings: when this changes, everything is rebuilt.
    public var global: Fingerprint
    /// Every content file and picture: when none changed, library pages and assets are kept.
    public var content: [String: Fingerprint] = [:]
    public var patients: [String: PatientRecord]

    public struct PatientRecord: Equatable, Sendable {
        /// The plan file's bytes.
        public var plan: Fingerprint
        /// The content the plan uses (`exercises/bridge`), with its hash at build time.
        public var dependencies: [String: Fingerprint]
        /// What the clinic index shows; never the patient's name.
        public var summary: PlanSummary
    }

    public init(global: Fingerprint, patients: [String: PatientRecord] = [:]) {
        self.global = global
        self.patients = patients
    }

    /// Tab-separated lines, sorted, so the manifest is as deterministic as the rest of the output.
    public var text: String {
        var lines = [Self.header, "global\t\(global)"]
        for (key, hash) in content.sorted(by: { $0.key < $1.key }) {
            lines.append("content\t\(key)\t\(hash)")
        }
        for id in patients.keys.sorted() {
            let record = patients[id]!
            let s = record.summary
            lines.append(["plan", id, record.plan.description, s.start.iso, "\(s.weeks)",
                          Self.clean(s.therapist ?? ""), Self.clean(s.condition ?? "")].joined(separator: "\t"))
            for (key, hash) in record.dependencies.sorted(by: { $0.key < $1.key }) {
                lines.append("uses\t\(key)\t\(hash)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Nil for a missing, foreign or damaged manifest. Works on bytes: with ten thousand
    /// plans this runs on every build, even `--patient`.
    public static func parse(_ text: String) -> BuildManifest? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> BuildManifest? {
        let tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")
        guard bytes.last == newline else { return nil }
        var lines = bytes.split(separator: newline, omittingEmptySubsequences: false)
        lines.removeLast()
        guard lines.count >= 2, String(decoding: lines[0], as: UTF8.self) == header else { return nil }
        func text(_ slice: Slice<UnsafeBufferPointer<UInt8>>) -> String { String(decoding: slice, as: UTF8.self) }
        func hash(_ slice: Slice<UnsafeBufferPointer<UInt8>>) -> Fingerprint? {
            guard slice.count == 16 else { return nil }
            var value: UInt64 = 0
            for byte in slice {
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                default: return nil
                }
                value = value << 4 | UInt64(digit)
            }
            return Fingerprint(value: value)
        }
        let first = lines[1].split(separator: tab, omittingEmptySubsequences: false)
        guard first.count == 2, text(first[0]) == "global", let global = hash(first[1]) else { return nil }
        var manifest = BuildManifest(global: global)
        var current: String?
        for line in lines.dropFirst(2) {
            let fields = line.split(separator: tab, omittingEmptySubsequences: false)
            guard let kind = fields.first else { return nil }
            switch text(kind) {
            case "uses":
                guard fields.count == 3, let id = current, let value = hash(fields[2]) else { return nil }
                manifest.patients[id]!.dependencies[text(fields[1])] = value
            case "plan":
                let id = fields.count > 1 ? text(fields[1]) : ""
                guard fields.count == 7, Slug.isValid(id), let value = hash(fields[2]),
                      let start = Day(iso: text(fields[3])), let weeks = Int(text(fields[4])) else { return nil }
                let therapist = text(fields[5]), condition = text(fields[6])
                let summary = PlanSummary(id: id, patient: "", therapist: therapist.isEmpty ? nil : therapist,
                                          condition: condition.isEmpty ? nil : condition, start: start, weeks: weeks)
                manifest.patients[id] = PatientRecord(plan: value, dependencies: [:], summary: summary)
                current = id
            case "content":
                guard fields.count == 3, current == nil, let value = hash(fields[2]) else { return nil }
                manifest.content[text(fields[1])] = value
            default:
                return nil
            }
        }
        return manifest
    }

    private static func clean(_ text: String) -> String {
        String(text.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
