import Foundation

/// `.handout-index-rows` in the output folder: where each row of the published clinic index
/// (`index.html`) is, under its key (`IndexRows.key`: the row's record), after a header
/// with the global fingerprint of the build that wrote them (the program, templates,
/// strings, site settings). The rows themselves stay in the index, so they are kept once,
/// on disk and in memory. The file is written with the index through the same session, so
/// a killed build never leaves it half-written, and is kept exactly while the index is.
/// A dot-file: never served (docs/HOSTING.md), never in the manifest's list of files.
///
/// Nothing in it is trusted: a row is taken from the index only under the exact key of a
/// row to render, with the same global fingerprint, and only if the checksum of its key and
/// the bytes found where it says holds. So a missing, stale, damaged or foreign file, or an
/// index changed since, only means rows are rendered again.
///
/// ```
/// handout index rows 1 <global fingerprint>
/// <offset> <length> <fingerprint of key and row> <key bytes>
/// <key>
/// …
/// ```
struct IndexRowCache {
    static let fileName = ".handout-index-rows"
    static let header = "handout index rows 1 "
    /// An index of 10,000 plans is about 7 MB and this file 1 MB; larger ones (some 90,000
    /// plans) are not read, and their rows are rendered again.
    static let limit = SizeLimit(bytes: 64 * SizeLimit.megabyte, what: "the clinic index")

    var global: Fingerprint
    /// The index as written, and where each row is in it.
    var index: Data
    var rows: [(key: String, range: Range<Int>)]

    var file: OutputFile {
        // Made as bytes: a line per row, ten thousand rows.
        var bytes = Array((Self.header + global.description + "\n").utf8)
        bytes.reserveCapacity(rows.reduce(bytes.count) { $0 + $1.key.utf8.count + 48 })
        index.withUnsafeBytes { index in
            for row in rows {
                var key = row.key
                key.withUTF8 { key in
                    let check = Self.check(UnsafeRawBufferPointer(key), UnsafeRawBufferPointer(rebasing: index[row.range]))
                    for (n, part) in [String(row.range.lowerBound), String(row.range.count), check.description, String(key.count)].enumerated() {
                        bytes += part.utf8
                        bytes.append(n == 3 ? UInt8(ascii: "\n") : UInt8(ascii: " "))
                    }
                    bytes += key
                    bytes.append(UInt8(ascii: "\n"))
                }
            }
        }
        return OutputFile(path: Self.fileName, data: Data(bytes))
    }

    static func check(_ key: UnsafeRawBufferPointer, _ row: UnsafeRawBufferPointer) -> Fingerprint {
        var fingerprint = Fingerprint(key)
        fingerprint.add(0)
        fingerprint.add(row)
        return fingerprint
    }

    /// The rows of `index` that `record` (a cache file) finds in it, by key, each a slice of
    /// `index`; none when the record was written under another global fingerprint or is not
    /// one. A row whose checksum fails is left out; reading stops where the record no longer
    /// lines up.
    static func rows(in index: Data, record: Data, global: Fingerprint) -> [String: Data] {
        record.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> [String: Data] in
            let expected = Array((header + global.description + "\n").utf8)
            guard bytes.starts(with: expected) else { return [:] }
            var rows: [String: Data] = [:]
            var at = expected.count
            /// A decimal number up to `end`, which must come next: no sign, no leading zero.
            func number(until end: UInt8) -> Int? {
                var value = 0, digits = 0
                while at < bytes.count, bytes[at] != end {
                    let digit = Int(bytes[at]) - Int(UInt8(ascii: "0"))
                    guard (0...9).contains(digit), digits < 12, digits == 0 || value > 0 else { return nil }
                    value = value * 10 + digit
                    digits += 1
                    at += 1
                }
                guard digits > 0, at < bytes.count else { return nil }
                at += 1
                return value
            }
            index.withUnsafeBytes { page in
                while at < bytes.count {
                    guard let offset = number(until: UInt8(ascii: " ")), let length = number(until: UInt8(ascii: " ")),
                          bytes.count - at > 17, bytes[at + 16] == UInt8(ascii: " "),
                          let check = Fingerprint(hex: bytes[at..<(at + 16)]) else { break }
                    at += 17
                    guard let keyCount = number(until: UInt8(ascii: "\n")), bytes.count - at > keyCount,
                          bytes[at + keyCount] == UInt8(ascii: "\n") else { break }
                    let key = UnsafeRawBufferPointer(rebasing: bytes[at..<(at + keyCount)])
                    at += keyCount + 1
                    guard offset <= page.count, length <= page.count - offset else { continue }
                    if Self.check(key, UnsafeRawBufferPointer(rebasing: page[offset..<(offset + length)])) == check {
                        // A slice of the index: the row is placed as it is, never copied nor decoded.
                        let start = index.startIndex + offset
                        rows[String(decoding: key, as: UTF8.self)] = index[start..<(start + length)]
                    }
                }
            }
            return rows
        }
    }
}

extension OutputFolder {
    /// The rows of the published index the last build kept, by key, if it kept them under
    /// `global`. Both files are read through the size cap.
    func indexRows(global: Fingerprint) -> [String: Data] {
        guard let record = try? FileSystem.read(url.path + "/" + IndexRowCache.fileName, limit: IndexRowCache.limit),
              let index = try? FileSystem.read(url.path + "/" + SiteLayout.indexPage, limit: IndexRowCache.limit) else { return [:] }
        return IndexRowCache.rows(in: index, record: record, global: global)
    }
}
