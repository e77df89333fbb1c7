import Foundation

/// `.handout-index-rows` in the output folder: the clinic index's rows as the build that
/// last wrote the index rendered them, each under its key (`IndexRows.key`: the row's
/// record), after a header with the build's global fingerprint (the program, templates,
/// strings, site settings). It is written with the index through the same session, so a
/// killed build never leaves it half-written, and is kept exactly while the index is.
/// A dot-file: never served (docs/HOSTING.md), never in the manifest's list of files.
///
/// Nothing in it is trusted: a row is used only under the exact key of a row to render,
/// with the same global fingerprint, and only if its own checksum holds. So a missing,
/// stale, damaged or foreign file only means rows are rendered again.
///
/// ```
/// handout index rows 1 <global fingerprint>
/// <key bytes> <HTML bytes> <fingerprint of key and HTML>
/// <key><HTML>
/// …
/// ```
struct IndexRowCache {
    static let fileName = ".handout-index-rows"
    static let header = "handout index rows 1 "
    /// About 8 MB at 10,000 plans; a larger file (some 80,000 plans) is not read, and its
    /// rows are rendered again.
    static let limit = SizeLimit(bytes: 64 * SizeLimit.megabyte, what: "the index's row cache")

    var global: Fingerprint
    var rows: [(key: String, html: Data)]

    var file: OutputFile {
        var bytes = Array((Self.header + global.description + "\n").utf8)
        bytes.reserveCapacity(rows.reduce(bytes.count) { $0 + $1.key.utf8.count + $1.html.count + 40 })
        for row in rows {
            var key = row.key
            key.withUTF8 { key in
                row.html.withUnsafeBytes { html in
                    bytes += String(key.count).utf8
                    bytes.append(UInt8(ascii: " "))
                    bytes += String(html.count).utf8
                    bytes.append(UInt8(ascii: " "))
                    bytes += Self.check(UnsafeRawBufferPointer(key), html).description.utf8
                    bytes.append(UInt8(ascii: "\n"))
                    bytes += key
                    bytes += html
                    bytes.append(UInt8(ascii: "\n"))
                }
            }
        }
        return OutputFile(path: Self.fileName, data: Data(bytes))
    }

    static func check(_ key: some Sequence<UInt8>, _ html: some Sequence<UInt8>) -> Fingerprint {
        var fingerprint = Fingerprint(key)
        fingerprint.add(0)
        fingerprint.add(html)
        return fingerprint
    }

    /// The rows of a cache file by key; none when it was written under another global
    /// fingerprint or is not one. An entry whose checksum fails is left out; reading stops
    /// where the entries no longer line up.
    static func rows(in data: Data, global: Fingerprint) -> [String: Data] {
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> [String: Data] in
            let expected = Array((header + global.description + "\n").utf8)
            guard bytes.starts(with: expected) else { return [:] }
            var rows: [String: Data] = [:]
            var at = expected.count
            /// A decimal number up to `end`, which must come next: no sign, no leading zero.
            func number(until end: UInt8) -> Int? {
                var value = 0, digits = 0
                while at < bytes.count, bytes[at] != end {
                    let digit = Int(bytes[at]) - Int(UInt8(ascii: "0"))
                    guard (0...9).contains(digit), digits < 10, digits == 0 || value > 0 else { return nil }
                    value = value * 10 + digit
                    digits += 1
                    at += 1
                }
                guard digits > 0, at < bytes.count else { return nil }
                at += 1
                return value
            }
            while at < bytes.count {
                guard let keyCount = number(until: UInt8(ascii: " ")), let htmlCount = number(until: UInt8(ascii: " ")),
                      at + 17 <= bytes.count, bytes[at + 16] == UInt8(ascii: "\n"),
                      let check = Fingerprint(hex: bytes[at..<(at + 16)]) else { break }
                at += 17
                guard bytes.count - at > keyCount + htmlCount, bytes[at + keyCount + htmlCount] == UInt8(ascii: "\n") else { break }
                let key = UnsafeRawBufferPointer(rebasing: bytes[at..<(at + keyCount)])
                let html = UnsafeRawBufferPointer(rebasing: bytes[(at + keyCount)..<(at + keyCount + htmlCount)])
                if Self.check(key, html) == check {
                    // The HTML stays bytes: it goes into the page as it is, never decoded.
                    let start = data.startIndex + at + keyCount
                    rows[String(decoding: key, as: UTF8.self)] = data[start..<(start + htmlCount)]
                }
                at += keyCount + htmlCount + 1
            }
            return rows
        }
    }
}

extension OutputFolder {
    /// The rows the last build kept for the index, by key, if it kept them under `global`.
    func indexRows(global: Fingerprint) -> [String: Data] {
        guard let data = try? FileSystem.read(url.path + "/" + IndexRowCache.fileName, limit: IndexRowCache.limit) else { return [:] }
        return IndexRowCache.rows(in: data, global: global)
    }
}
