/// Characters no content file or plan may hold. Control characters are invisible in an
/// editor, forbidden in HTML (the Nu checker rejects them), can rewrite a terminal (ESC) and
/// can reach a frame's stand-ins (NUL); YAML escapes like "\0" or "\e" let anyone type them.
/// Tab and line feed are text; CR is accepted only as part of a CRLF line end in a file.
/// Bidirectional controls (U+202E RIGHT-TO-LEFT OVERRIDE and its kin) are refused too: they
/// make text print in another order than it is written, so a video address beside its QR
/// code, a phone number or a dose could read differently on paper from what was checked.
/// The Unicode bidirectional algorithm orders right-to-left scripts without them.
enum TextRules {
    /// A forbidden character and where it is, counted from 1 like diagnostics.
    struct Finding: Equatable {
        var scalar: Unicode.Scalar
        var line: Int
        var column: Int
    }

    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value == 0x09 || value == 0x0A { return false }
        // C0, DEL and C1 controls; and noncharacters, which HTML forbids too.
        return value < 0x20 || (0x7F...0x9F).contains(value) || (0xFDD0...0xFDEF).contains(value) || value & 0xFFFE == 0xFFFE
            || bidiControls[value] != nil
    }

    /// The characters that reorder text, by name.
    static let bidiControls: [UInt32: String] = [
        0x061C: "ARABIC LETTER MARK", 0x200E: "LEFT-TO-RIGHT MARK", 0x200F: "RIGHT-TO-LEFT MARK",
        0x202A: "LEFT-TO-RIGHT EMBEDDING", 0x202B: "RIGHT-TO-LEFT EMBEDDING", 0x202C: "POP DIRECTIONAL FORMATTING",
        0x202D: "LEFT-TO-RIGHT OVERRIDE", 0x202E: "RIGHT-TO-LEFT OVERRIDE",
        0x2066: "LEFT-TO-RIGHT ISOLATE", 0x2067: "RIGHT-TO-LEFT ISOLATE", 0x2068: "FIRST STRONG ISOLATE",
        0x2069: "POP DIRECTIONAL ISOLATE",
    ]

    /// Every forbidden character of a file's text; CR before LF is a line end, not a finding.
    static func findings(inFile text: String) -> [Finding] {
        guard mayHoldForbidden(text) else { return [] }
        var found: [Finding] = []
        var line = 1, column = 1
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if previous == "\r" && scalar != "\n" {
                found.append(Finding(scalar: "\r", line: line, column: column - 1))
            }
            previous = scalar
            if scalar == "\n" {
                line += 1
                column = 1
                continue
            }
            if isForbidden(scalar), scalar != "\r" {
                found.append(Finding(scalar: scalar, line: line, column: column))
            }
            column += 1
        }
        if previous == "\r" { found.append(Finding(scalar: "\r", line: line, column: column - 1)) }
        return found
    }

    /// `text` with each character `findings(inFile:)` reports written as `?`: one character for
    /// one, so the rest of the file is read and checked at the positions it has.
    static func replacingForbidden(in text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        for i in scalars.indices where (isForbidden(scalars[i]) && scalars[i] != "\r") || (scalars[i] == "\r" && (i + 1 == scalars.count || scalars[i + 1] != "\n")) {
            scalars[i] = "?"
        }
        return String(String.UnicodeScalarView(scalars))
    }

    /// The first forbidden character of a value (a YAML scalar after its escapes are read).
    static func firstForbidden(inValue text: String) -> Unicode.Scalar? {
        mayHoldForbidden(text) ? text.unicodeScalars.first(where: isForbidden) : nil
    }

    /// Whether YAML's escapes may have put a forbidden character into a value of `text`
    /// (only a double-quoted value's `\` escapes can), so its values need checking one by one.
    static func mayEscape(_ text: String) -> Bool {
        anyByte(of: text) { $0 == UInt8(ascii: "\\") }
    }

    /// Most text has none: one pass over the bytes decides (every forbidden character's
    /// UTF-8 starts with a byte below 0x20, 0x7F, 0xC2, 0xEF or 0xF0 and above, or is one of
    /// the bidirectional controls: D8 9C, E2 80 8E–8F, E2 80 AA–AE, E2 81 A6–A9). Curly
    /// quotes and dashes (E2 80 …) are common, so the bidirectional ones are told apart here.
    private static func mayHoldForbidden(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte < 0x20 && byte != 0x09 && byte != 0x0A || byte == 0x7F || byte == 0xC2 || byte >= 0xEF { return true }
                if byte == 0xD8, i + 1 < bytes.count, bytes[i + 1] == 0x9C { return true }
                if byte == 0xE2, i + 2 < bytes.count {
                    let second = bytes[i + 1], third = bytes[i + 2]
                    if second == 0x80, third == 0x8E || third == 0x8F || (0xAA...0xAE).contains(third) { return true }
                    if second == 0x81, (0xA6...0xA9).contains(third) { return true }
                }
                i += 1
            }
            return false
        }
    }

    /// Every file and value is scanned on every build: over the bytes in place, not a copy.
    private static func anyByte(of text: String, _ test: (UInt8) -> Bool) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes where test(byte) { return true }
            return false
        }
    }

    /// "the control character ESC (U+001B)", in words a therapist can search for.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        let value = Int(scalar.value)
        if value < controlNames.count { return "the control character \(controlNames[value]) (\(code(scalar)))" }
        if value == 0x7F { return "the control character DEL (\(code(scalar)))" }
        if value <= 0x9F { return "the control character \(code(scalar))" }
        if let name = bidiControls[scalar.value] { return "the bidirectional control \(name) (\(code(scalar)))" }
        return "the noncharacter \(code(scalar))"
    }

    /// The message for a forbidden character: what it is and what to do.
    static func problem(_ scalar: Unicode.Scalar, in what: String) -> String {
        "\(what) contains \(describe(scalar))"
            + (bidiControls[scalar.value] != nil ? ", which makes text print in another order than it is written" : "")
            + "; remove it"
    }

    /// Text with every forbidden character shown as `<U+001B>`, for terminals and messages.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isForbidden) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isForbidden(scalar) {
                out.append(contentsOf: "<\(code(scalar))>".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `U+001B`
    private static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static let controlNames = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF", "CR", "SO", "SI",
        "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
    ]
}
