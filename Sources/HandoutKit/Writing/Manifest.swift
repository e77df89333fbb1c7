import Foundation

/// What the previous build wrote and from which inputs, kept in `Output/.handout-manifest`
/// so a rebuild can skip every patient whose plan and content did not change. Deleting or
/// corrupting it only makes the next build a full one; an incremental build removes it
/// before touching the output, so a build killed half-way also makes the next one full.
public struct BuildManifest: Equatable, Sendable {
    static let fileName = ".handout-manifest"
    static let header = "handout-manifest 5"

    /// Tool, templates, assets and site settings: when this changes, everything is rebuilt.
    public var global: Fingerprint
    /// Every content file and picture together: when it is the same, library pages and
    /// assets are kept.
    public var library = Fingerprint()
    /// The clinic index's rows (never names): when the same, the index is kept.
    public var index = Fingerprint()
    /// Every file outside `patients/` the build wrote (index, library pages, assets), with
    /// its stat record as the build left it (`OutputFolder.stamp(ofFile:)`).
    public var shared: [String: Fingerprint] = [:]
    public var patients: [String: PatientRecord]

    public struct PatientRecord: Equatable, Sendable {
        /// The plan file's bytes.
        public var plan: Fingerprint
        /// The stat record of the patient's folder as the build left it
        /// (`OutputFolder.stamp(ofFolder:)`): when it differs, the pages were changed or
        /// deleted since, and are written again.
        public var output = Fingerprint.absent
        /// What the clinic index shows; never the patient's name.
        public var summary: PlanSummary
        /// The content the plan's pages were made from, as the renderer read it, with its
        /// hash at build time, as the manifest writes it (`exercises/bridge=…,pages/safety=…`).
        var dependencyList: String
        /// The plan's own warnings, so a build that reuses the pages still reports them.
        public var warnings: [Warning] = []

        public struct Warning: Equatable, Sendable {
            public var line: Int
            public var column: Int
            public var message: String
        }

        public init(plan: Fingerprint, dependencies: [String: Fingerprint], summary: PlanSummary, warnings: [Warning] = []) {
            self.plan = plan
            self.summary = summary
            self.warnings = warnings
            dependencyList = dependencies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }

        init(plan: Fingerprint, output: Fingerprint, summary: PlanSummary, dependencyList: String) {
            self.plan = plan
            self.output = output
            self.summary = summary
            self.dependencyList = dependencyList
        }

        /// The content the plan uses (`exercises/bridge`) with its hash; nil when damaged.
        public var dependencies: [String: Fingerprint]? {
            var result: [String: Fingerprint] = [:]
            for item in dependencyList.utf8.split(separator: UInt8(ascii: ",")) {
                guard let equals = item.firstIndex(of: UInt8(ascii: "=")),
                      let hash = Fingerprint(hex: item[item.index(after: equals)...]) else { return nil }
                result[String(Substring(item[..<equals]))] = hash
            }
            return result
        }
    }

    public init(global: Fingerprint, patients: [String: PatientRecord] = [:]) {
        self.global = global
        self.patients = patients
    }

    /// Tab-separated lines, sorted, so the manifest is as deterministic as the rest of the
    /// output; a patient's dependencies share its line. Text is escaped (`\\t`, `\\n`, `\\\\`)
    /// so it reads back exactly: an index row rebuilt from it must equal one from the plan.
    /// Written and read as bytes: with ten thousand plans this runs on every build, even `--patient`.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The manifest as written: made in one buffer of about the size it needs (3 to 4 MB at
    /// 10,000 patients, made at the end of a build, when it holds the most).
    var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(patients.values.reduce(100 + shared.count * 60) { $0 + 200 + $1.dependencyList.utf8.count + $1.warnings.count * 120 })
        func put(_ text: String) { out.append(contentsOf: text.utf8) }
        func tab() { out.append(UInt8(ascii: "\t")) }
        func put(_ hash: Fingerprint) { hash.appendHex(to: &out) }
        func put(escaped text: String) {
            // Nearly always nothing to escape: then the text goes in whole.
            let plain = text.utf8.withContiguousStorageIfAvailable { bytes in
                guard !bytes.contains(where: { $0 < 32 || $0 == UInt8(ascii: "\\") }) else { return false }
                out.append(contentsOf: bytes)
                return true
            }
            if plain == true { return }
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): put("\\\\")
                case UInt8(ascii: "\t"): put("\\t")
                case UInt8(ascii: "\n"): put("\\n")
                case UInt8(ascii: "\r"): put("\\r")
                case ..<32: put("\\x" + String(byte, radix: 16).leftPadded(to: 2))
                default: out.append(byte)
                }
            }
        }
        put(Self.header)
        put("\nglobal\t")
        put(global)
        put("\nlibrary\t")
        put(library)
        put("\nindex\t")
        put(index)
        for (path, stamp) in shared.sorted(by: { $0.key < $1.key }) {
            put("\nshared\t")
            put(escaped: path)
            tab()
            put(stamp)
        }
        // The ids sorted, not the records: ten thousand records are large to move about.
        for id in patients.keys.sorted() {
            let record = patients[id]!
            let s = record.summary
            put("\nplan\t")
            put(id)
            tab()
            put(record.plan)
            tab()
            put(record.output)
            tab()
            s.start.appendISO(to: &out)
            tab()
            put(String(s.weeks))
            tab()
            s.ended?.appendISO(to: &out)
            tab()
            put(escaped: s.therapist ?? "")
            tab()
            put(escaped: s.condition ?? "")
            tab()
            put(record.dependencyList)
            for warning in record.warnings {
                put("\nwarning\t\(warning.line)\t\(warning.column)\t")
                put(escaped: warning.message)
            }
        }
        out.append(UInt8(ascii: "\n"))
        return out
    }

    /// Nil for a missing, foreign or damaged manifest.
    public static func parse(_ text: String) -> BuildManifest? {
        var text = text
        return text.withUTF8 { bytes in
            var reader = Reader(bytes: bytes)
            return reader.manifest()
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        static let tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")

        /// The bytes up to (not including) `end`, which is consumed.
        mutating func field(until end: UInt8) -> UnsafeBufferPointer<UInt8>? {
            let start = position
            guard start < bytes.count, let base = bytes.baseAddress,
                  let found = memchr(base + start, Int32(end), bytes.count - start) else {
                position = bytes.count
                return nil
            }
            position = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
            return UnsafeBufferPointer(rebasing: bytes[start..<(position - 1)])
        }

        mutating func text(until end: UInt8) -> String? {
            field(until: end).map { String(decoding: $0, as: UTF8.self) }
        }

        /// A field written with `put(escaped:)`; nil when an escape is damaged.
        mutating func escaped(until end: UInt8) -> String? {
            guard let field = field(until: end) else { return nil }
            guard field.contains(UInt8(ascii: "\\")) else { return String(decoding: field, as: UTF8.self) }
            var bytes: [UInt8] = []
            var i = 0
            while i < field.count {
                let byte = field[i]
                i += 1
                guard byte == UInt8(ascii: "\\") else { bytes.append(byte); continue }
                guard i < field.count else { return nil }
                let code = field[i]
                i += 1
                switch code {
                case UInt8(ascii: "\\"): bytes.append(code)
                case UInt8(ascii: "t"): bytes.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "n"): bytes.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "r"): bytes.append(UInt8(ascii: "\r"))
                case UInt8(ascii: "x"):
                    guard i + 2 <= field.count, let value = UInt8(String(decoding: field[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
                    bytes.append(value)
                    i += 2
                default: return nil
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        mutating func hash(until end: UInt8) -> Fingerprint? {
            field(until: end).flatMap { Fingerprint(hex: $0) }
        }

        mutating func manifest() -> BuildManifest? {
            guard bytes.last == Self.newline, text(until: Self.newline) == BuildManifest.header,
                  text(until: Self.tab) == "global", let global = hash(until: Self.newline),
                  text(until: Self.tab) == "library", let library = hash(until: Self.newline),
                  text(until: Self.tab) == "index", let index = hash(until: Self.newline) else { return nil }
            var manifest = BuildManifest(global: global)
            manifest.library = library
            manifest.index = index
            var last: String?
            while position < bytes.count {
                switch text(until: Self.tab) {
                case "shared":
                    guard manifest.patients.isEmpty, let path = escaped(until: Self.tab), let stamp = hash(until: Self.newline) else { return nil }
                    manifest.shared[path] = stamp
                case "plan":
                    guard let id = text(until: Self.tab), Slug.isValid(id), let plan = hash(until: Self.tab), let output = hash(until: Self.tab),
                          let start = text(until: Self.tab).flatMap(Day.init(iso:)), let weeks = text(until: Self.tab).flatMap({ Int($0) }),
                          let ended = text(until: Self.tab), case let endedDay = ended.isEmpty ? nil : Day(iso: ended), ended.isEmpty || endedDay != nil,
                          let therapist = escaped(until: Self.tab), let condition = escaped(until: Self.tab),
                          let dependencyList = text(until: Self.newline) else { return nil }
                    let summary = PlanSummary(id: id, patient: "", therapist: therapist.isEmpty ? nil : therapist,
                                              condition: condition.isEmpty ? nil : condition, start: start, weeks: weeks, ended: endedDay)
                    manifest.patients[id] = PatientRecord(plan: plan, output: output, summary: summary, dependencyList: dependencyList)
                    last = id
                case "warning":
                    guard let id = last, let line = text(until: Self.tab).flatMap({ Int($0) }),
                          let column = text(until: Self.tab).flatMap({ Int($0) }), let message = escaped(until: Self.newline) else { return nil }
                    manifest.patients[id]?.warnings.append(.init(line: line, column: column, message: message))
                default:
                    return nil
                }
            }
            return manifest
        }
    }
}

private extension String {
    /// "a" → "0a": hex digits for an escape.
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
