/// The schedule as RFC 5545 iCalendar text: CRLF line ends, lines folded at 75 octets,
/// one all-day event per day with something due.
enum ICalendar {
    struct Event {
        var date: Day
        var summary: String
        var description: String
    }

    static func document(planID: String, calendarName: String, stamp: Day, events: [Event]) -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Handout//Patient calendar//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + escape(calendarName),
        ]
        for event in events {
            lines += [
                "BEGIN:VEVENT",
                "UID:\(planID)-\(event.date.basic)@handout",
                // Derived from the plan, not the clock, so rebuilding gives the same bytes.
                "DTSTAMP:\(stamp.basic)T000000Z",
                "DTSTART;VALUE=DATE:\(event.date.basic)",
                "DTEND;VALUE=DATE:\(event.date.adding(days: 1).basic)",
                "SUMMARY:" + escape(event.summary),
                "DESCRIPTION:" + escape(event.description),
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// TEXT escaping (RFC 5545 3.3.11).
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": continue
            default:
                // Other control characters are not allowed in TEXT.
                if scalar.value < 0x20 || scalar.value == 0x7F { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// Folds at 75 octets without splitting a UTF-8 sequence (RFC 5545 3.1).
    static func fold(_ line: String) -> String {
        var out = ""
        var used = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if used + size > 75 {
                out += "\r\n "
                used = 1
            }
            out.unicodeScalars.append(scalar)
            used += size
        }
        return out
    }
}
