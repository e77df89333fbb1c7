import Foundation

/// One language's words for the paper: `Templates/strings/<language>.yaml`. Templates
/// place a string with `{{t.name}}`; Handout fills the strings it composes itself (the
/// dosage line, dates in ranges, advance rules) with values written `{n}`.
public struct Strings: Sendable {
    /// A string, or a pair of forms chosen by a count (`one` when it is 1, else `other`).
    enum Phrase: Sendable {
        case text(String)
        case plural(one: String, other: String)
    }

    /// Lowercase BCP 47 tag, from the file name.
    public var language: String
    public var path: String
    /// The file's text as read, for the build fingerprint.
    var source = ""
    var phrases: [String: Phrase]
    var locations: [String: SourceLocation]
    /// The plain strings, as templates read them under `t`.
    var table: [String: String]

    /// `phrase("dosage_reps", ["n": "10"])` → "REPS: 10"; `count` picks the plural form.
    /// Every key and value was checked when the file was loaded.
    func phrase(_ key: String, _ values: KeyValuePairs<String, String> = [:], count: Int? = nil) -> String {
        let pattern: String
        switch phrases[key] {
        case .text(let text)?: pattern = text
        case let .plural(one, other)?: pattern = count == 1 ? one : other
        case nil: pattern = ""
        }
        return Self.fill(pattern, values)
    }

    /// `pattern` with each `{name}` replaced by its value ("" for none). Searched on UTF-8
    /// bytes (a build fills phrases for every day of every calendar); by characters, as
    /// before, when a brace is not a character of its own.
    static func fill(_ pattern: String, _ values: KeyValuePairs<String, String>) -> String {
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        return pattern.withUTF8(ifEach: { $0 == open || $0 == close }) { bytes in
            guard bytes.contains(open) else { return pattern }
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
            var out = ""
            var from = 0
            while let brace = bytes[from...].firstIndex(of: open), let end = bytes[brace...].firstIndex(of: close) {
                out += text(from..<brace)
                let name = text((brace + 1)..<end)
                out += values.first { $0.key == name }?.value ?? ""
                from = end + 1
            }
            return out + text(from..<bytes.count)
        } ?? filledByCharacters(pattern, values)
    }

    /// The search by characters, which `fill` agrees with (tests compare the two).
    static func filledByCharacters(_ pattern: String, _ values: KeyValuePairs<String, String>) -> String {
        var out = ""
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let name = rest[rest.index(after: open)..<close]
            out += values.first { $0.key == name }?.value ?? ""
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// Strings Handout composes in code, with the values each may use. A strings file must
    /// have every one of them, and may not use other values in them.
    static let composed: [String: [String]] = [
        // The handout's dosage line: REPS: 10 | SETS: 3 | HOLD: 30 s | DAILY: 1 | WEEKLY: 3
        "dosage_reps": ["n"], "dosage_sets": ["n"], "dosage_hold": ["time"], "dosage_daily": ["n"],
        "dosage_weekly": ["n"], "dosage_separator": [],
        "dosage_sides_each": [], "dosage_sides_left": [], "dosage_sides_right": [],
        // The calendar's short dosage: 3×10, hold 30 s, 2× a day
        "short_sets_reps": ["sets", "reps"], "short_sets": ["n"], "short_reps": ["n"], "short_hold": ["time"],
        "short_daily": ["n"], "short_separator": [],
        "short_sides_each": [], "short_sides_left": [], "short_sides_right": [],
        "seconds": ["n"], "minutes": ["n"], "minutes_seconds": ["min", "s"],
        // Lists of days and activities.
        "list_separator": [], "or_last": ["list", "last"], "every_day": [], "every_other_day": [],
        "days_without_session": [], "days_without_running": [],
        // A progression's usual days.
        "per_week": ["n"], "never_back_to_back": [],
        // The rule for moving up a stage.
        "advance_days": ["n"], "advance_days_range": ["n", "m"], "advance_sessions": ["n"], "advance_weeks": ["n"],
        "advance_at_most": ["n", "rule"], "advance_when_ready": ["rule"],
        // A stage: Walk 1 min / Run 3 min × 3–5; Cycle at level 4
        "segment": ["activity", "amount", "unit"], "segment_level": ["activity", "amount"], "segment_separator": [], "repeat": ["stage", "count"],
        "unit_s": [], "unit_min": [], "unit_mi": [], "unit_km": [], "unit_m": [], "unit_reps": [],
        "unit_in": [], "unit_cm": [], "unit_kg": [], "unit_lb": [], "unit_steps": [], "unit_floors": [],
        // A stage's settings: Cycle 30 min, level 4; Step-up 6 in, red band
        "setting_separator": [], "setting_band": ["value"], "setting_incline": ["value"], "setting_level": ["value"],
        "setting_surface": ["value"], "setting_support": ["value"], "setting_stance": ["value"],
        // The video's QR code on a printed card, read aloud.
        "video_code_label": ["title"],
        // Calendar items and week rows.
        "cross_training_item": ["activities"], "stage_of": ["title", "n", "count"],
        "week_range_same_month": ["first", "last", "first_day", "last_day"], "week_range": ["first", "last"],
        "week_number": ["n"], "from_week": ["n"], "weeks_count": ["n"], "cross_training_what": ["activities"],
        // The large-print week log.
        "week_notes": ["n"], "log_tick": ["item", "day"], "log_pain": ["day"], "log_day": ["weekday", "date"],
        // Tick boxes: the side's mark beside a box (L, R) and its words, and what a screen reader
        // hears for a box ("Forearm Plank 3×10, left side, 2 of 2").
        "tick_left": [], "tick_right": [], "side_left": [], "side_right": [],
        "tick_side": ["item", "side"], "tick_time": ["item", "n", "count"],
        // An .ics event's summary for an exercise done several times a day: "Tandem Stance (2×)".
        "ics_times": ["item", "n"],
        // The placeholder note `handout new` writes into a plan, in the plan's language.
        "new_plan_note": [],
        // Page titles (Firefox prints a page's title in its own header: "Jordan Rivera — Exercise
        // plan — Riverside Physical Therapy"), the printed page footer and the .ics calendar's name.
        "title_handout": ["patient", "clinic"], "title_calendar": ["patient", "clinic"], "title_index": ["clinic"],
        "title_library": [], "page_of": ["page", "pages"], "ics_calendar_name": ["clinic"],
        // The cover page of a day's batch: its title, how many patients, since when, and why each.
        "title_batch": ["date", "clinic"], "batch_count": ["n"], "batch_since": ["date"], "batch_since_none": [],
        "batch_new": [], "batch_changed": [], "batch_starting": [],
        // A plan stopped early, its pauses (handout, large-print calendar), the .ics reminder
        // ("Time for your exercises: Bridge, Clamshell") and the version in a patient page's footer.
        "plan_ended_on": ["date"], "pause_line": ["first", "last"], "pause_line_note": ["first", "last", "note"],
        "ics_reminder": ["items"], "version": ["version"],
    ]

    /// Strings that take a count and so may have `one` and `other` forms.
    static let countable: Set<String> = [
        "short_sets", "short_reps", "per_week", "advance_days", "advance_sessions", "advance_weeks", "advance_at_most",
        "batch_count", "weeks_count",
        // A unit after a number: "1 floor", "3 floors".
        "unit_s", "unit_min", "unit_mi", "unit_km", "unit_m", "unit_reps", "unit_in", "unit_cm", "unit_kg", "unit_lb", "unit_steps", "unit_floors",
    ]

    /// An activity's word in a stage (`walk` → "Walk").
    static func activityKey(_ activity: String) -> String { "activity_" + activity }

    /// Values in braces must be ones Handout fills for that string; template strings take none.
    static func check(_ texts: [String], of key: String, at node: YAMLNode) {
        let allowed = composed[key] ?? []
        for text in texts {
            var rest = Substring(text)
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                let name = String(rest[rest.index(after: open)..<close])
                if !allowed.contains(name) {
                    let choices = allowed.isEmpty ? "this string takes no values" : "use " + allowed.map { "{\($0)}" }.joined(separator: ", ")
                    node.error("'{\(name)}' is not a value of \(key); \(choices)")
                }
                rest = rest[rest.index(after: close)...]
            }
        }
    }
}
