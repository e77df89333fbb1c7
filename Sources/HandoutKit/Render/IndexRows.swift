import Foundation

/// The clinic index's rows as rendered fragments, each under the key of everything it is
/// made from, so a build where one plan's row changed renders that row and places the rest
/// as the last build rendered them (they stay in the published index; `Writing/IndexRowCache`
/// records where each is).
///
/// A row is rendered by the clinic's own `index-row` partial where `index.mustache` places
/// it, so it comes out byte for byte as rendering the page whole gives it. The index is
/// rendered with only the rows to render and `marker` before each (swift-mustache indents a
/// partial's lines where it is placed, so a row is only right in its place), and again with
/// two rows whose partial is only the marker: its three pieces are what goes around the
/// rows (`Around`: before the first, between two, after the last), so what the first
/// render has between two markers is a row followed by what goes between rows. The page is
/// then put together from bytes: what goes around the rows, every row, and the layout
/// around all that. No row goes through the template engine again (a few microseconds a
/// row: it counts the characters of a partial's output to indent it), nor is decoded as
/// text.
///
/// This holds only for an index whose rows depend on nothing but their own values and
/// values the same for every row of a build, and whose page repeats nothing but the row per
/// plan; `renderedApart` says whether the templates are such. Other indexes are rendered
/// whole, as before, and nothing is kept.
enum IndexRows {
    static let partial = "index-row"
    /// The index's rows, as `index.mustache` names them (`ClinicIndex.plans`).
    static let list = "plans"
    /// Values of the page a row may read besides its own: the same for every row and made
    /// only from site settings, strings and templates, which the key leaves to the build's
    /// global fingerprint (`IndexRowCache` holds it).
    static let pageValues: Set<String> = ["clinic", "show_names", "library_href", "t"]
    /// Rows rendered in one go: a cold build's 10,000 at once held 26 MB of contexts and
    /// text, the peak of its memory.
    static let batch = 500

    /// Where a row begins, and where the index goes in the layout: NUL, the random token
    /// of `Frame`'s stand-ins, NUL. No input can spell it, and it is no stand-in.
    static let marker = "\u{0}index-row-" + Frame.marker.dropFirst() + "\u{0}"
    /// The partial as rendered with the rows to render: the marker, then the clinic's partial.
    static let markedRow = marker + "{{> \(partial)/as-written}}"

    /// The key of a plan's row: every value of its record the row shows or is worked out
    /// from (its end from start, weeks, the day it ended and the week start in site
    /// settings): the three numbers, then each text with its length, so no two records share
    /// a key. Names are left out: rows are kept only when the index does not show them.
    static func key(_ plan: PlanSummary) -> String {
        // Made as bytes: ten thousand keys a build, and a string grows slowly.
        var key: [UInt8] = []
        key.reserveCapacity(48 + plan.id.utf8.count + (plan.therapist?.utf8.count ?? 0) + (plan.condition?.utf8.count ?? 0))
        func number(_ value: Int) { key += String(value).utf8 }
        number(plan.start.ordinal)
        key.append(UInt8(ascii: " "))
        number(plan.weeks)
        key.append(UInt8(ascii: " "))
        if let ended = plan.ended { number(ended.ordinal) } else { key.append(UInt8(ascii: "-")) }
        for text in [plan.id, plan.therapist, plan.condition] {
            key.append(UInt8(ascii: " "))
            guard let text else { key.append(UInt8(ascii: "-")); continue }
            number(text.utf8.count)
            key.append(UInt8(ascii: ":"))
            key += text.utf8
        }
        return String(decoding: key, as: UTF8.self)
    }

    /// Whether `index.mustache` places its rows so that each can be rendered alone:
    /// - it has one `{{#plans}}` section (the partials it places none), in no other section,
    ///   holding nothing but text, comments and `{{> index-row}}` once: the page repeats
    ///   only the row, and the row is placed where no other partial's indentation reaches;
    /// - `index-row` is placed nowhere else;
    /// - the partial reads only its row's values and `pageValues`: not the list of
    ///   therapists, nor the list of plans, which change with other plans.
    static func renderedApart(in sources: [String: String]) -> Bool {
        guard let index = sources["index"], sources[partial] != nil else { return false }
        var sections = 0, placed = 0
        func walk(_ text: String, open: [String], depth: Int) -> Bool {
            var open = open
            for tag in TemplateChecker.tags(in: text) {
                let inList = open.last == "#" + list
                switch tag.kind {
                case .comment:
                    continue
                case .partial where tag.name == partial:
                    guard inList else { return false }
                    placed += 1
                case .partial:
                    // Deeper than the checker allows, or unknown: the templates do not load.
                    guard !inList, depth < 8, let text = sources[tag.name], walk(text, open: open, depth: depth + 1) else { return false }
                case .section where tag.name == list:
                    guard depth == 0, open.isEmpty else { return false }
                    sections += 1
                    open.append("#" + list)
                case .section, .inverted:
                    guard !inList else { return false }
                    open.append(tag.name)
                case .close:
                    guard open.popLast() != nil else { return false }
                case .variable, .unescaped, .unsupported:
                    guard !inList else { return false }
                case .unfinished:
                    return false
                }
            }
            return true
        }
        guard walk(index, open: [], depth: 0), sections == 1, placed == 1,
              case .object(let fields) = ShapeReader.shape(of: ClinicIndex.self) else { return false }
        var page = fields.filter { pageValues.contains($0.key) }
        page["t"] = .strings
        let diagnostics = Diagnostics()
        TemplateChecker(sources: Dictionary(uniqueKeysWithValues: sources.map { ($0.key, ($0.value, $0.key)) }), diagnostics: diagnostics)
            .check(partial, in: [.object(page), ShapeReader.shape(of: IndexRow.self)])
        return !diagnostics.hasErrors
    }

    /// The index around its rows: what comes before the first row, between two rows and
    /// after the last.
    struct Around {
        var before: [UInt8]
        var between: [UInt8]
        var after: [UInt8]
    }

    /// Read off the index rendered with two rows, each only `marker`; nil unless it has
    /// exactly two.
    static func around(_ marked: String) -> Around? {
        let bytes = Array(marked.utf8), pieces = split(bytes)
        guard pieces.count == 3 else { return nil }
        return Around(before: Array(bytes[pieces[0]]), between: Array(bytes[pieces[1]]), after: Array(bytes[pieces[2]]))
    }

    /// The rows of `rendered` (the index with `marker` before each row), given what is
    /// around the rows of the same page. Nil when they do not line up as they must, so the
    /// page is rendered whole instead.
    static func rows(in rendered: String, around: Around) -> [Data]? {
        var rendered = rendered
        // Read where it lies: at 10,000 rows it is megabytes.
        return rendered.withUTF8 { bytes -> [Data]? in
            let pieces = split(bytes)
            guard pieces.count > 1, bytes[pieces[0]].elementsEqual(around.before) else { return nil }
            var rows: [Data] = []
            rows.reserveCapacity(pieces.count - 1)
            for (n, piece) in pieces.enumerated().dropFirst() {
                let next = n == pieces.count - 1 ? around.after : around.between
                guard piece.count >= next.count, bytes[piece].suffix(next.count).elementsEqual(next) else { return nil }
                rows.append(Data(bytes[piece.dropLast(next.count)]))
            }
            return rows
        }
    }

    /// The page: `layout` (rendered with `marker` where the index goes) with the index in
    /// that place, made of `rows` (at least one) and what goes around them, and where each
    /// row is in it; nil unless the layout has exactly one such place. Put together in one
    /// buffer, the page's size.
    static func page(_ rows: [Data], around: Around, in layout: String) -> (page: Data, rows: [Range<Int>])? {
        let bytes = Array(layout.utf8), pieces = split(bytes)
        guard pieces.count == 2 else { return nil }
        var page = Data(capacity: rows.reduce(bytes.count + around.before.count + around.after.count) { $0 + $1.count + around.between.count })
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(rows.count)
        page += bytes[pieces[0]]
        page += around.before
        for (n, row) in rows.enumerated() {
            if n > 0 { page += around.between }
            ranges.append(page.count..<(page.count + row.count))
            page += row
        }
        page += around.after
        page += bytes[pieces[1]]
        return (page, ranges)
    }

    /// The ranges of `bytes` between markers. A marker starts with NUL, which nothing else holds.
    private static func split<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> [Range<Int>] where Bytes.Index == Int {
        let mark = Array(marker.utf8)
        var pieces: [Range<Int>] = []
        var start = bytes.startIndex, at = bytes.startIndex
        while let nul = bytes[at...].firstIndex(of: 0) {
            if bytes[nul...].starts(with: mark) {
                pieces.append(start..<nul)
                start = nul + mark.count
                at = start
            } else {
                at = nul + 1
            }
        }
        pieces.append(start..<bytes.endIndex)
        return pieces
    }
}
