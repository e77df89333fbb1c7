import Foundation

/// Why a plan is in the day's batch.
public enum BatchReason: String, CaseIterable, Sendable {
    /// No earlier batch printed it.
    case new
    /// Its printed pages differ from those of the batch that last printed it.
    case changed
    /// It starts on the batch's day.
    case starting
}

/// The record of `handout pdf --changed-since` batches, `.handout-batches` in the folder the
/// batches are written to: for each batch, its day and when it was written, and for each
/// plan it printed, why and the hash of its printed pages. Written whole beside itself and
/// renamed, so it is never half written. A line-based text file (docs/FORMATS.md):
///
///     handout-batches 1
///     batch 2027-01-05 written 2027-01-05T08:10:42Z
///     demo-0001 new 2f9c0d1e4a7b6c35
///     demo-0005 changed,starting 91a0c2d3e4f50617
public struct BatchRecord: Equatable, Sendable {
    public static let fileName = ".handout-batches"
    static let header = "handout-batches 1"

    public struct Batch: Equatable, Sendable {
        /// The batch's day (`--today`, else the clock's): what `--changed-since DATE` compares.
        public var day: Day
        /// When it was written, UTC, for people reading the record; nothing is chosen by it.
        public var written: String
        public var printed: [Entry]
    }

    public struct Entry: Equatable, Sendable {
        public var id: String
        public var reasons: [BatchReason]
        public var pages: Fingerprint
    }

    public var batches: [Batch] = []

    public init(batches: [Batch] = []) { self.batches = batches }

    /// Each plan's printed pages as of the last batch on or before `day` (every batch when
    /// nil, for `last`): the hash from the latest of those batches that printed it.
    public func printed(asOf day: Day?) -> [String: Fingerprint] {
        var pages: [String: Fingerprint] = [:]
        for batch in batches where day.map({ batch.day <= $0 }) ?? true {
            for entry in batch.printed { pages[entry.id] = entry.pages }
        }
        return pages
    }

    /// The last batch on or before `day` (the last of all when nil).
    public func lastBatch(onOrBefore day: Day?) -> Batch? {
        batches.last { batch in day.map { batch.day <= $0 } ?? true }
    }

    public var text: String {
        var lines = [Self.header]
        for batch in batches {
            lines.append("batch \(batch.day.iso) written \(batch.written)")
            for entry in batch.printed {
                lines.append("\(entry.id) \(entry.reasons.map(\.rawValue).joined(separator: ",")) \(entry.pages)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads the record's text; a damaged line is named by its number.
    public init(text: String) throws(Damaged) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard lines.first == Substring(Self.header) else { throw Damaged(line: 1, reason: "it does not start with '\(Self.header)'") }
        for (index, line) in lines.enumerated().dropFirst() {
            let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            if words.first == "batch" {
                guard words.count == 4, words[2] == "written", let day = Day(iso: words[1]) else {
                    throw Damaged(line: index + 1, reason: "a batch line is 'batch DAY written TIME'")
                }
                batches.append(Batch(day: day, written: words[3], printed: []))
                continue
            }
            let reasons = words.count == 3 ? words[1].split(separator: ",").compactMap { BatchReason(rawValue: String($0)) } : []
            guard !batches.isEmpty, words.count == 3, Slug.isValid(words[0]),
                  !reasons.isEmpty, reasons.count == words[1].split(separator: ",", omittingEmptySubsequences: false).count,
                  let pages = Fingerprint(hex: words[2].utf8) else {
                throw Damaged(line: index + 1, reason: "a plan's line is 'ID REASONS HASH', after a batch line")
            }
            batches[batches.count - 1].printed.append(Entry(id: words[0], reasons: reasons, pages: pages))
        }
    }

    public struct Damaged: Error, Equatable {
        public var line: Int
        public var reason: String
    }

    /// The record in `folder`; an empty record when there is none yet.
    static func read(in folder: URL) throws(FileFault) -> Result<BatchRecord, Damaged> {
        let path = folder.appendingPathComponent(fileName).path
        guard FileSystem.exists(path) else { return .success(BatchRecord()) }
        let data = try FileSystem.read(path)
        guard let text = String(data: data, encoding: .utf8) else { return .failure(Damaged(line: 1, reason: "it is not text")) }
        do { return .success(try BatchRecord(text: text)) } catch { return .failure(error) }
    }

    /// The written time of a batch: UTC to the second.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

/// Which plans a day's batch prints, and why: a pure function of the plans not yet over,
/// the hash of each one's printed pages now, and those the record says were printed.
public enum BatchSelection {
    public struct Candidate: Equatable, Sendable {
        public var id: String
        public var start: Day
        public var pages: Fingerprint

        public init(id: String, start: Day, pages: Fingerprint) {
            self.id = id
            self.start = start
            self.pages = pages
        }
    }

    public struct Chosen: Equatable, Sendable {
        public var id: String
        public var reasons: [BatchReason]
        public var pages: Fingerprint
    }

    /// New (never printed in a batch), changed (pages not those last printed), or starting
    /// on `today`; by plan id.
    public static func select(_ candidates: [Candidate], printed: [String: Fingerprint], today: Day) -> [Chosen] {
        candidates.sorted { $0.id < $1.id }.compactMap { candidate in
            var reasons: [BatchReason] = []
            switch printed[candidate.id] {
            case nil: reasons.append(.new)
            case let pages? where pages != candidate.pages: reasons.append(.changed)
            default: break
            }
            if candidate.start == today { reasons.append(.starting) }
            return reasons.isEmpty ? nil : Chosen(id: candidate.id, reasons: reasons, pages: candidate.pages)
        }
    }
}
