/// The schedule as RFC 5545 iCalendar text: CRLF line ends, lines folded at 75 octets,
/// one all-day event per day with something due.
enum ICalendar {
    struct Event {
        var date: Day
        /// The SUMMARY and DESCRIPTION lines, escaped and folded: the same for every day with
        /// the same list, so a calendar makes them once per list and copies them per day.
        var text: [UInt8]
        /// The reminder's DESCRIPTION line, when the plan has a reminder.
        var alarm: [UInt8]?

        /// `alarm`: the reminder's words.
        init(date: Day, summary: String, description: String, alarm: String? = nil) {
            self.date = date
            text = ICalendar.line("SUMMARY:", summary) + ICalendar.line("DESCRIPTION:", description)
            self.alarm = alarm.map { ICalendar.line("DESCRIPTION:", $0) }
        }
    }

    /// A property's content line: its value escaped, folded, with its CRLF.
    static func line(_ name: String, _ value: String) -> [UInt8] {
        var line = Array(name.utf8)
        escape(value, into: &line)
        var out: [UInt8] = []
        out.reserveCapacity(line.count + line.count / 74 * 3 + 2)
        line.withUnsafeBufferPointer { fold($0, into: &out) }
        return out
    }

    /// The file's bytes (UTF-8).
    static func document(planID: String, calendarName: String, stamp: Day, events: [Event], reminder: ReminderTime? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(400 + events.count * 400)
        // Each content line is assembled here, then folded into `out`.
        var line: [UInt8] = []
        func text(_ text: String) { line.append(contentsOf: text.utf8) }
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                line.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        // `20261207`
        func date(_ day: Day) {
            let (y, m, d) = day.components
            digits(y, 4)
            digits(m, 2)
            digits(d, 2)
        }
        func end() {
            line.withUnsafeBufferPointer { fold($0, into: &out) }
            line.removeAll(keepingCapacity: true)
        }
        for fixed in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Handout//Patient calendar//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"] {
            text(fixed)
            end()
        }
        out.append(contentsOf: Self.line("X-WR-CALNAME:", calendarName))
        for event in events {
            text("BEGIN:VEVENT")
            end()
            text("UID:\(planID)-")
            date(event.date)
            text("@handout")
            end()
            // Derived from the plan, not the clock, so rebuilding gives the same bytes.
            text("DTSTAMP:")
            date(stamp)
            text("T000000Z")
            end()
            text("DTSTART;VALUE=DATE:")
            date(event.date)
            end()
            text("DTEND;VALUE=DATE:")
            date(event.date.adding(days: 1))
            end()
            out.append(contentsOf: event.text)
            text("TRANSP:TRANSPARENT")
            end()
            if let reminder, let alarm = event.alarm {
                // An all-day event starts at midnight of its day where the phone is, so an
                // alarm that long after the start rings at that time of day, in any time zone.
                text("BEGIN:VALARM")
                end()
                text("ACTION:DISPLAY")
                end()
                out.append(contentsOf: alarm)
                text("TRIGGER;RELATED=START:" + trigger(reminder))
                end()
                text("END:VALARM")
                end()
            }
            text("END:VEVENT")
            end()
        }
        text("END:VCALENDAR")
        end()
        return out
    }

    /// The time after midnight as an RFC 5545 duration: `PT8H`, `PT18H30M`, `PT0S`.
    static func trigger(_ time: ReminderTime) -> String {
        let (hours, minutes) = (time.minutes / 60, time.minutes % 60)
        guard time.minutes > 0 else { return "PT0S" }
        return "PT" + (hours > 0 ? "\(hours)H" : "") + (minutes > 0 ? "\(minutes)M" : "")
    }

    /// TEXT escaping (RFC 5545 3.3.11), on UTF-8 bytes.
    static func escape(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for (i, byte) in bytes.enumerated() {
                let replacement: (UInt8, UInt8)?
                switch byte {
                case UInt8(ascii: "\\"), UInt8(ascii: ";"), UInt8(ascii: ","): replacement = (92, byte)
                case UInt8(ascii: "\n"): replacement = (92, UInt8(ascii: "n"))
                // Carriage returns go; other control characters are not allowed in TEXT.
                case UInt8(ascii: "\r"): replacement = nil
                case 0..<0x20, 0x7F: replacement = (32, 0)
                default: continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                start = i + 1
                if let (first, second) = replacement {
                    out.append(first)
                    if second != 0 { out.append(second) }
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }

    static func escape(_ text: String) -> String {
        var out: [UInt8] = []
        escape(text, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one content line, folded at 75 octets without splitting a UTF-8 sequence
    /// (RFC 5545 3.1), and its CRLF.
    static func fold(_ line: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var start = 0
        while line.count - start > (start == 0 ? 75 : 74) {
            // Each continuation line starts with a space, so it holds one octet less.
            var end = start + (start == 0 ? 75 : 74)
            while line[end] & 0xC0 == 0x80 { end -= 1 }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: line[start..<end]))
            out.append(13)
            out.append(10)
            out.append(32)
            start = end
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: line[start...]))
        out.append(13)
        out.append(10)
    }

    /// One folded line as text (without its CRLF), for tests and callers that need a String.
    static func fold(_ line: String) -> String {
        var out: [UInt8] = []
        var line = line
        line.withUTF8 { fold($0, into: &out) }
        return String(decoding: out.dropLast(2), as: UTF8.self)
    }
}
