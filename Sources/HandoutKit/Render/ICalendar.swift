/// The schedule as RFC 5545 iCalendar text: CRLF line ends, lines folded at 75 octets,
/// one all-day event per day with something due.
enum ICalendar {
    struct Event {
        var date: Day
        var summary: String
        var description: String
    }

    static func document(planID: String, calendarName: String, stamp: Day, events: [Event]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(400 + events.count * 400)
        func line(_ text: String) { fold(Array(text.utf8), into: &out) }
        func property(_ name: String, _ value: String) { fold(Array(name.utf8) + escape(value), into: &out) }
        line("BEGIN:VCALENDAR")
        line("VERSION:2.0")
        line("PRODID:-//Handout//Patient calendar//EN")
        line("CALSCALE:GREGORIAN")
        line("METHOD:PUBLISH")
        property("X-WR-CALNAME:", calendarName)
        // Derived from the plan, not the clock, so rebuilding gives the same bytes.
        let dtstamp = "DTSTAMP:\(stamp.basic)T000000Z"
        for event in events {
            line("BEGIN:VEVENT")
            line("UID:\(planID)-\(event.date.basic)@handout")
            line(dtstamp)
            line("DTSTART;VALUE=DATE:\(event.date.basic)")
            line("DTEND;VALUE=DATE:\(event.date.adding(days: 1).basic)")
            property("SUMMARY:", event.summary)
            property("DESCRIPTION:", event.description)
            line("TRANSP:TRANSPARENT")
            line("END:VEVENT")
        }
        line("END:VCALENDAR")
        return String(decoding: out, as: UTF8.self)
    }

    /// TEXT escaping (RFC 5545 3.3.11), on UTF-8 bytes.
    static func escape(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out += [92, 92]
            case UInt8(ascii: ";"): out += [92, 59]
            case UInt8(ascii: ","): out += [92, 44]
            case UInt8(ascii: "\n"): out += [92, 110]
            case UInt8(ascii: "\r"): continue
            // Other control characters are not allowed in TEXT.
            case 0..<0x20, 0x7F: out.append(32)
            default: out.append(byte)
            }
        }
        return out
    }

    static func escape(_ text: String) -> String { String(decoding: escape(text) as [UInt8], as: UTF8.self) }

    /// Appends one content line, folded at 75 octets without splitting a UTF-8 sequence
    /// (RFC 5545 3.1), and its CRLF.
    static func fold(_ line: [UInt8], into out: inout [UInt8]) {
        var used = 0
        var i = 0
        while i < line.count {
            let lead = line[i]
            let size = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            if used + size > 75 {
                out += [13, 10, 32]
                used = 1
            }
            let end = min(i + size, line.count)
            out += line[i..<end]
            used += end - i
            i = end
        }
        out += [13, 10]
    }

    /// One folded line as text (without its CRLF), for tests and callers that need a String.
    static func fold(_ line: String) -> String {
        var out: [UInt8] = []
        fold(Array(line.utf8), into: &out)
        return String(decoding: out.dropLast(2), as: UTF8.self)
    }
}
