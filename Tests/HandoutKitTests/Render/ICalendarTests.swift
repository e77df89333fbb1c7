import Testing
@testable import HandoutKit

// MARK: - Byte-level helpers (independent of the code under test)

private let CR: UInt8 = 13, LF: UInt8 = 10, SP: UInt8 = 32

/// Physical lines of a CRLF-terminated text, as bytes, without their CRLF.
private func physicalLines(_ text: String) -> [[UInt8]] {
    var lines: [[UInt8]] = []
    var current: [UInt8] = []
    let bytes = Array(text.utf8)
    var i = 0
    while i < bytes.count {
        if bytes[i] == CR, i + 1 < bytes.count, bytes[i + 1] == LF {
            lines.append(current)
            current = []
            i += 2
        } else {
            current.append(bytes[i])
            i += 1
        }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}

/// RFC 5545 3.1 unfolding: remove every CRLF immediately followed by one space.
private func unfold(_ text: String) -> String {
    let bytes = Array(text.utf8)
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
        if i + 2 < bytes.count, bytes[i] == CR, bytes[i + 1] == LF, bytes[i + 2] == SP {
            i += 3
        } else {
            out.append(bytes[i])
            i += 1
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// Logical (unfolded) lines.
private func logicalLines(_ text: String) -> [String] {
    physicalLines(unfold(text)).map { String(decoding: $0, as: UTF8.self) }
}

/// Inverse of TEXT escaping (RFC 5545 3.3.11).
private func unescape(_ text: String) -> String {
    var out = ""
    var escaping = false
    for scalar in text.unicodeScalars {
        if escaping {
            switch scalar {
            case "n", "N": out += "\n"
            default: out.unicodeScalars.append(scalar)
            }
            escaping = false
        } else if scalar == "\\" {
            escaping = true
        } else {
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// True when the bytes are well-formed UTF-8 on their own.
private func isValidUTF8(_ bytes: [UInt8]) -> Bool {
    String(validating: bytes, as: UTF8.self) != nil
}

/// Checks the folding invariants of one folded logical line.
private func expectWellFolded(_ folded: String, original: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let lines = physicalLines(folded)
    for (n, line) in lines.enumerated() {
        #expect(line.count <= 75, "physical line \(n) has \(line.count) octets", sourceLocation: sourceLocation)
        #expect(isValidUTF8(line), "physical line \(n) splits a UTF-8 sequence", sourceLocation: sourceLocation)
        if n > 0 {
            #expect(line.first == SP, "continuation line \(n) must start with a space", sourceLocation: sourceLocation)
            #expect(line.count >= 2, "continuation line \(n) carries no content", sourceLocation: sourceLocation)
        }
    }
    // Greedy: a line is only broken when the next character would not fit.
    for line in lines.dropLast() {
        #expect(line.count > 75 - 4, sourceLocation: sourceLocation)
    }
    #expect(unfold(folded) == original, sourceLocation: sourceLocation)
}

// MARK: - Tests

@Suite("ICalendarTests")
struct ICalendarTests {

    // MARK: escape

    @Test func escapesBackslash() {
        #expect(ICalendar.escape(#"C:\temp"#) == #"C:\\temp"#)
        #expect(ICalendar.escape(#"\"#) == #"\\"#)
    }

    @Test func escapesSemicolonAndComma() {
        #expect(ICalendar.escape("a;b") == #"a\;b"#)
        #expect(ICalendar.escape("cycling, swimming, elliptical") == #"cycling\, swimming\, elliptical"#)
    }

    @Test func escapesNewline() {
        #expect(ICalendar.escape("one\ntwo") == #"one\ntwo"#)
        #expect(ICalendar.escape("one\r\ntwo") == #"one\ntwo"#)
        #expect(ICalendar.escape("\n\n") == #"\n\n"#)
    }

    @Test func escapesAllTogether() {
        #expect(ICalendar.escape("a\\b;c,d\ne") == #"a\\b\;c\,d\ne"#)
        #expect(ICalendar.escape(#"\n"#) == #"\\n"#, "a literal backslash-n is not a newline")
    }

    @Test func leavesOtherTextAlone() {
        #expect(ICalendar.escape("Walk 1 min / Run 3 min × 3–5: \"easy\"") == "Walk 1 min / Run 3 min × 3–5: \"easy\"")
        #expect(ICalendar.escape("☐ Side plank 3×10 — é 🏃") == "☐ Side plank 3×10 — é 🏃")
        #expect(ICalendar.escape("") == "")
    }

    @Test func controlCharactersBecomeSpaces() {
        #expect(ICalendar.escape("a\tb") == "a b")
        #expect(ICalendar.escape("a\u{7F}b") == "a b")
        #expect(ICalendar.escape("a\u{0}b") == "a b")
    }

    // MARK: fold

    @Test func shortLinesAreUnchanged() {
        #expect(ICalendar.fold("SUMMARY:Rest") == "SUMMARY:Rest")
        #expect(ICalendar.fold("") == "")
        let exactly75 = String(repeating: "a", count: 75)
        #expect(ICalendar.fold(exactly75) == exactly75)
    }

    @Test func foldsAt75Octets() {
        let a75 = String(repeating: "a", count: 75), a74 = String(repeating: "a", count: 74)
        #expect(ICalendar.fold(a75 + "b") == a75 + "\r\n b")
        // A continuation line holds the space plus 74 octets.
        #expect(ICalendar.fold(a75 + a74) == a75 + "\r\n " + a74)
        #expect(ICalendar.fold(a75 + a74 + "c") == a75 + "\r\n " + a74 + "\r\n c")
    }

    @Test func spacesInContentSurviveFolding() {
        let a75 = String(repeating: "a", count: 75)
        #expect(ICalendar.fold(a75 + " x") == a75 + "\r\n  x")
        #expect(unfold(ICalendar.fold(a75 + " x")) == a75 + " x")
    }

    @Test func neverSplitsTwoByteCharacter() {
        let x74 = String(repeating: "x", count: 74), x73 = String(repeating: "x", count: 73)
        #expect(ICalendar.fold(x74 + "é") == x74 + "\r\n é")          // 76 octets: é moves down
        #expect(ICalendar.fold(x73 + "é") == x73 + "é")               // exactly 75: unchanged
        #expect(ICalendar.fold(x73 + "éé") == x73 + "é\r\n é")
    }

    @Test func neverSplitsThreeByteCharacter() {
        let x73 = String(repeating: "x", count: 73), x72 = String(repeating: "x", count: 72)
        #expect(ICalendar.fold(x73 + "☐") == x73 + "\r\n ☐")
        #expect(ICalendar.fold(x72 + "☐") == x72 + "☐")
        #expect(ICalendar.fold(String(repeating: "x", count: 74) + "☐") == String(repeating: "x", count: 74) + "\r\n ☐")
    }

    @Test func neverSplitsFourByteCharacter() {
        let x72 = String(repeating: "x", count: 72), x71 = String(repeating: "x", count: 71)
        #expect(ICalendar.fold(x72 + "😀") == x72 + "\r\n 😀")
        #expect(ICalendar.fold(x71 + "😀") == x71 + "😀")
        #expect(ICalendar.fold(String(repeating: "x", count: 74) + "🏃z") == String(repeating: "x", count: 74) + "\r\n 🏃z")
    }

    @Test(arguments: [
        String(repeating: "é", count: 100),
        String(repeating: "☐", count: 100),
        String(repeating: "😀", count: 100),
        "DESCRIPTION:" + String(repeating: "☐ Side plank é 😀 3×10\\n", count: 12),
        "SUMMARY:" + String(repeating: "ab☐", count: 60) + String(repeating: "🏃é", count: 40),
        "X:" + (0..<300).map { ["a", "é", "☐", "😀", " "][$0 % 5] }.joined(),
        "X:" + (0..<300).map { ["😀", "a", "a", "é", "☐", "☐"][$0 % 6] }.joined(),
        String(repeating: "a", count: 1000),
    ])
    func foldInvariants(line: String) {
        expectWellFolded(ICalendar.fold(line), original: line)
    }

    @Test func foldInvariantsAtEveryOffset() {
        // Shift each multi-byte character across the 75-octet boundary.
        for character in ["é", "☐", "😀"] {
            for prefix in 60...80 {
                let line = String(repeating: "x", count: prefix) + String(repeating: character, count: 40)
                expectWellFolded(ICalendar.fold(line), original: line)
            }
        }
    }

    // MARK: document

    static let planID = "p-0142"
    static let stamp = Day(iso: "2026-12-07")!
    static let longDescription =
        "☐ Side plank on knees with hip abduction: 3×10\n"
        + "☐ Walk/Run Intervals: Walk 1 min / Run 1 min × 3–5; stop if pain is worse, go back one stage.\n"
        + "☐ Cross-training (cycling, swimming, elliptical): 20-30 minutes, easy effort 🚴\n"
        + "Pain 0–10: ____ \\ café"
    /// Each event's day, summary and description.
    static let texts: [(date: Day, summary: String, description: String)] = [
        (Day(iso: "2026-12-07")!, "Side plank 3×10, Walk 1 min / Run 1 min × 3–5", longDescription),
        (Day(iso: "2026-12-31")!, "Rest; hip flexor stretch 2×30 s", "☐ Half-kneeling hip flexor stretch: 2 sets, hold 30 s"),
        (Day(iso: "2027-02-28")!, String(repeating: "Très long résumé ☐ 😀, ", count: 6), "line one\nline two"),
    ]
    static let events = texts.map { ICalendar.Event(date: $0.date, summary: $0.summary, description: $0.description) }

    static func document(events: [ICalendar.Event] = events) -> String {
        String(decoding: ICalendar.document(planID: planID, calendarName: "Riverside PT, Springfield: home program",
                                            stamp: stamp, events: events), as: UTF8.self)
    }

    @Test func usesCRLFEverywhere() {
        let bytes = Array(Self.document().utf8)
        #expect(bytes.suffix(2) == [CR, LF])
        for (i, byte) in bytes.enumerated() {
            if byte == LF { #expect(i > 0 && bytes[i - 1] == CR, "bare LF at byte \(i)") }
            if byte == CR { #expect(i + 1 < bytes.count && bytes[i + 1] == LF, "bare CR at byte \(i)") }
        }
    }

    @Test func physicalLinesAreWellFolded() {
        let lines = physicalLines(Self.document())
        #expect(lines.count > 30)
        for line in lines {
            #expect(line.count <= 75)
            #expect(isValidUTF8(line))
            #expect(!line.isEmpty)
        }
        // Some lines here are long enough to be folded.
        #expect(lines.contains { $0.first == SP })
    }

    @Test func calendarEnvelope() {
        let lines = logicalLines(Self.document())
        #expect(lines.first == "BEGIN:VCALENDAR")
        #expect(lines.last == "END:VCALENDAR")
        #expect(lines.dropFirst().first == "VERSION:2.0")
        #expect(lines.filter { $0 == "VERSION:2.0" }.count == 1)
        #expect(lines.filter { $0.hasPrefix("PRODID:") }.count == 1)
        #expect(lines.contains("PRODID:-//Handout//Patient calendar//EN"))
        #expect(lines.contains("X-WR-CALNAME:Riverside PT\\, Springfield: home program"))
        #expect(lines.filter { $0 == "BEGIN:VCALENDAR" }.count == 1)
        #expect(lines.filter { $0 == "END:VCALENDAR" }.count == 1)
    }

    @Test func oneEventPerDay() {
        let lines = logicalLines(Self.document())
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 3)
        #expect(lines.filter { $0 == "END:VEVENT" }.count == 3)
        #expect(lines.filter { $0.hasPrefix("DTSTART;VALUE=DATE:") } == [
            "DTSTART;VALUE=DATE:20261207",
            "DTSTART;VALUE=DATE:20261231",
            "DTSTART;VALUE=DATE:20270228",
        ])
        #expect(lines.filter { $0.hasPrefix("DTEND;VALUE=DATE:") } == [
            "DTEND;VALUE=DATE:20261208",
            "DTEND;VALUE=DATE:20270101",
            "DTEND;VALUE=DATE:20270301",
        ])
        #expect(lines.filter { $0.hasPrefix("UID:") } == [
            "UID:p-0142-20261207@handout",
            "UID:p-0142-20261231@handout",
            "UID:p-0142-20270228@handout",
        ])
        #expect(lines.filter { $0.hasPrefix("DTSTAMP:") } == Array(repeating: "DTSTAMP:20261207T000000Z", count: 3))
    }

    /// Dates stop at 2199 (`Day.clinicYears`), so even the longest plan from the last day
    /// allowed writes every date with four-digit years.
    @Test func datesAreAlwaysEightDigits() throws {
        let site = try TestSite()
        try site.write(plan, planWith(["2026-12-07": "2199-12-31", "weeks: 3": "weeks: 52"]))
        #expect(site.build().report != nil)
        let lines = logicalLines(try site.read("Output/patients/p-0001/calendar.ics"))
        let dated = lines.filter { $0.hasPrefix("DTSTART") || $0.hasPrefix("DTEND") || $0.hasPrefix("DTSTAMP") }
        #expect(dated.count > 100)
        for line in dated {
            #expect(line.wholeMatch(of: /DT(START;VALUE=DATE:2\d{7}|END;VALUE=DATE:2\d{7}|STAMP:2\d{7}T000000Z)/) != nil, "\(line)")
        }
        #expect(dated.contains { $0.hasPrefix("DTSTART;VALUE=DATE:2200") }, "the plan runs into 2200")
    }

    @Test func eventBlockIsComplete() throws {
        let lines = logicalLines(Self.document())
        let start = try #require(lines.firstIndex(of: "UID:p-0142-20261231@handout"))
        #expect(lines[start - 1] == "BEGIN:VEVENT")
        let end = try #require(lines[start...].firstIndex(of: "END:VEVENT"))
        let block = Array(lines[start..<end])
        #expect(block.contains("DTSTAMP:20261207T000000Z"))
        #expect(block.contains("DTSTART;VALUE=DATE:20261231"))
        #expect(block.contains("DTEND;VALUE=DATE:20270101"))
        #expect(block.contains(#"SUMMARY:Rest\; hip flexor stretch 2×30 s"#))
        #expect(block.contains(#"DESCRIPTION:☐ Half-kneeling hip flexor stretch: 2 sets\, hold 30 s"#))
        #expect(block.filter { $0.hasPrefix("SUMMARY:") }.count == 1)
        #expect(block.filter { $0.hasPrefix("DESCRIPTION:") }.count == 1)
    }

    @Test func summaryAndDescriptionRoundTrip() {
        let lines = logicalLines(Self.document())
        let summaries = lines.filter { $0.hasPrefix("SUMMARY:") }.map { unescape(String($0.dropFirst("SUMMARY:".count))) }
        let descriptions = lines.filter { $0.hasPrefix("DESCRIPTION:") }.map { unescape(String($0.dropFirst("DESCRIPTION:".count))) }
        #expect(summaries == Self.texts.map(\.summary))
        #expect(descriptions == Self.texts.map(\.description))
    }

    @Test func uidsAreStableAndUnique() {
        #expect(Self.document() == Self.document())
        let uids = logicalLines(Self.document()).filter { $0.hasPrefix("UID:") }
        #expect(Set(uids).count == uids.count)
        // The UID depends on plan and date, not on the event's text or position.
        let alone = String(decoding: ICalendar.document(planID: Self.planID, calendarName: "Other", stamp: Day(iso: "2026-12-14")!,
                                                        events: [ICalendar.Event(date: Day(iso: "2026-12-31")!, summary: "x", description: "y")]),
                           as: UTF8.self)
        #expect(logicalLines(alone).filter { $0.hasPrefix("UID:") } == ["UID:p-0142-20261231@handout"])
        #expect(logicalLines(alone).contains("DTSTAMP:20261214T000000Z"))
    }

    @Test func emptyCalendar() {
        let text = Self.document(events: [])
        #expect(text == "BEGIN:VCALENDAR\r\n"
                + "VERSION:2.0\r\n"
                + "PRODID:-//Handout//Patient calendar//EN\r\n"
                + "CALSCALE:GREGORIAN\r\n"
                + "METHOD:PUBLISH\r\n"
                + "X-WR-CALNAME:Riverside PT\\, Springfield: home program\r\n"
                + "END:VCALENDAR\r\n")
    }

    @Test func singleEventExactText() {
        let text = String(decoding: ICalendar.document(planID: "p-1", calendarName: "Clinic", stamp: Day(iso: "2026-12-07")!, events: [
            ICalendar.Event(date: Day(iso: "2026-12-09")!, summary: "Side plank 3×10", description: "☐ Side plank: 3×10"),
        ]), as: UTF8.self)
        #expect(text == "BEGIN:VCALENDAR\r\n"
                + "VERSION:2.0\r\n"
                + "PRODID:-//Handout//Patient calendar//EN\r\n"
                + "CALSCALE:GREGORIAN\r\n"
                + "METHOD:PUBLISH\r\n"
                + "X-WR-CALNAME:Clinic\r\n"
                + "BEGIN:VEVENT\r\n"
                + "UID:p-1-20261209@handout\r\n"
                + "DTSTAMP:20261207T000000Z\r\n"
                + "DTSTART;VALUE=DATE:20261209\r\n"
                + "DTEND;VALUE=DATE:20261210\r\n"
                + "SUMMARY:Side plank 3×10\r\n"
                + "DESCRIPTION:☐ Side plank: 3×10\r\n"
                + "TRANSP:TRANSPARENT\r\n"
                + "END:VEVENT\r\n"
                + "END:VCALENDAR\r\n")
    }

    /// A reminder: an alarm in each event, that long after the all-day event's start
    /// (midnight of its day where the phone is), so it rings at that time of day.
    @Test func reminderExactText() {
        let text = String(decoding: ICalendar.document(planID: "p-1", calendarName: "Clinic", stamp: Day(iso: "2026-12-07")!, events: [
            ICalendar.Event(date: Day(iso: "2026-12-09")!, summary: "Bridge", description: "☐ Bridge", alarm: "Time for your exercises: Bridge"),
        ], reminder: ReminderTime(hour: 7, minute: 30)), as: UTF8.self)
        let expected: [String] = ["TRANSP:TRANSPARENT", "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Time for your exercises: Bridge",
                                  "TRIGGER;RELATED=START:PT7H30M", "END:VALARM", "END:VEVENT", ""]
        #expect(text.contains(expected.joined(separator: "\r\n")))
    }

    @Test(arguments: [(0, 0, "PT0S"), (8, 0, "PT8H"), (0, 45, "PT45M"), (18, 5, "PT18H5M"), (23, 59, "PT23H59M")])
    func reminderTriggers(hour: Int, minute: Int, trigger: String) throws {
        #expect(ICalendar.trigger(try #require(ReminderTime(hour: hour, minute: minute))) == trigger)
    }

    @Test func longDescriptionIsFoldedNotTruncated() throws {
        let text = Self.document()
        let physical = physicalLines(text).map { String(decoding: $0, as: UTF8.self) }
        let first = try #require(physical.firstIndex { $0.hasPrefix("DESCRIPTION:☐ Side plank") })
        #expect(physical[first].utf8.count <= 75)
        #expect(physical[first + 1].hasPrefix(" "))
        let logical = logicalLines(text).first { $0.hasPrefix("DESCRIPTION:☐ Side plank") }
        #expect(logical.map { unescape(String($0.dropFirst("DESCRIPTION:".count))) } == Self.longDescription)
    }
}
