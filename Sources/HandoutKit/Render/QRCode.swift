import CQRencode

/// A QR code of a web address, as a square of dark and light modules (quiet zone not included),
/// with error correction level M: a code still reads with about 15% of it smudged or folded.
public struct QRCode: Hashable, Sendable {
    /// Modules per side.
    public let size: Int
    /// Row by row, top to bottom; `true` is dark.
    public let modules: [Bool]
    public let version: Int

    /// Light modules around the code that a scanner needs to find it.
    public static let quietZone = 4
    /// The smallest module a phone camera reads reliably from paper, and the least width of a
    /// printed code with its quiet zone.
    public static let moduleMillimetres = 0.5
    public static let minimumMillimetres = 20.0
    /// Version 8 (49 modules) is 28.5 mm wide at 0.5 mm a module; a larger code would crowd the
    /// card, and smaller modules would not scan. It holds any address of up to 152 characters.
    public static let largestVersion = 8
    public static let longestAddress = 152

    /// The only place that touches libqrencode: the C result is copied out and freed here.
    /// Nil when the text does not fit any QR code.
    public static func encode(_ text: String) -> QRCode? {
        let encoded = text.withCString { QRcode_encodeString($0, 0, QR_ECLEVEL_M, QR_MODE_8, 1) }
        guard let encoded else { return nil }
        defer { QRcode_free(encoded) }
        let size = Int(encoded.pointee.width)
        let data = UnsafeBufferPointer(start: encoded.pointee.data, count: size * size)
        // Bit 0 is the module's colour; the other bits describe how libqrencode placed it.
        return QRCode(size: size, modules: data.map { $0 & 1 == 1 }, version: Int(encoded.pointee.version))
    }

    public func isDark(row: Int, column: Int) -> Bool { modules[row * size + column] }

    /// Small enough to print legibly on a card.
    public var fitsCard: Bool { version <= Self.largestVersion }

    /// Printed width including the quiet zone: half a millimetre a module, but never under 2 cm.
    public var printedMillimetres: Double {
        max(Self.minimumMillimetres, Double(size + 2 * Self.quietZone) * Self.moduleMillimetres)
    }

    /// Inline SVG: a white square with the quiet zone, and one path of dark runs row by row.
    /// Drawn with attributes only, so the page's Content-Security-Policy stays as it is.
    public func svg(label: String) -> String {
        let side = size + 2 * Self.quietZone
        var path = ""
        for row in 0..<size {
            var column = 0
            while column < size {
                guard isDark(row: row, column: column) else { column += 1; continue }
                let start = column
                while column < size, isDark(row: row, column: column) { column += 1 }
                path += "M\(start + Self.quietZone) \(row + Self.quietZone)h\(column - start)v1h-\(column - start)z"
            }
        }
        let width = Self.millimetres(printedMillimetres)
        return """
        <svg class="qr-code" xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(width)" viewBox="0 0 \(side) \(side)" \
        shape-rendering="crispEdges" role="img" aria-label="\(PageText.escape(label))"><rect width="\(side)" height="\(side)" fill="#fff"/>\
        <path fill="#000" d="\(path)"/></svg>
        """
    }

    /// `20mm`, `28.5mm`
    static func millimetres(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)mm" : "\(tenths / 10).\(tenths % 10)mm"
    }
}
