import Foundation
import Testing
@testable import HandoutKit

@Suite struct QRCodeTests {
    /// The three finder squares: a dark 7×7 ring around a light ring around a dark 3×3 centre.
    func hasFinder(_ code: QRCode, row: Int, column: Int) -> Bool {
        (0..<7).allSatisfy { r in
            (0..<7).allSatisfy { c in
                let ring = max(abs(r - 3), abs(c - 3))
                return code.isDark(row: row + r, column: column + c) == (ring != 2)
            }
        }
    }

    @Test func encodesAnAddressAsASquareCodeWithFinderPatterns() throws {
        let code = try #require(QRCode.encode("https://videos.riverside-pt.example/side-plank"))
        #expect(code.size == 17 + 4 * code.version)
        #expect(code.modules.count == code.size * code.size)
        #expect(hasFinder(code, row: 0, column: 0))
        #expect(hasFinder(code, row: 0, column: code.size - 7))
        #expect(hasFinder(code, row: code.size - 7, column: 0))
        #expect(!hasFinder(code, row: code.size - 7, column: code.size - 7))
        #expect(code.fitsCard)
    }

    @Test func longerAddressesNeedLargerCodes() throws {
        let short = try #require(QRCode.encode("https://a.example/x"))
        let long = try #require(QRCode.encode("https://a.example/" + String(repeating: "x", count: 100)))
        #expect(short.version < long.version)
    }

    /// Version 8 at level M holds 152 bytes: every address up to that length fits a card.
    @Test func longestAddressIsTheLargestCardCode() throws {
        let prefix = "https://v.example/"
        let longest = try #require(QRCode.encode(prefix + String(repeating: "x", count: QRCode.longestAddress - prefix.count)))
        #expect(longest.version == QRCode.largestVersion)
        let tooLong = try #require(QRCode.encode(prefix + String(repeating: "x", count: QRCode.longestAddress - prefix.count + 1)))
        #expect(!tooLong.fitsCard)
    }

    @Test func printsAtLeastTwoCentimetresWithHalfMillimetreModules() throws {
        let small = try #require(QRCode.encode("https://a.example/x"))
        #expect(small.printedMillimetres == QRCode.minimumMillimetres)
        let large = try #require(QRCode.encode("https://a.example/" + String(repeating: "x", count: 130)))
        #expect(large.printedMillimetres == Double(large.size + 8) * 0.5)
        #expect(large.printedMillimetres > QRCode.minimumMillimetres)
    }

    @Test func svgDrawsEachDarkModuleOnceInsideTheQuietZone() throws {
        let code = try #require(QRCode.encode("https://videos.riverside-pt.example/forearm-plank"))
        let svg = code.svg(label: "QR code: the video for <Plank> & more")
        let side = code.size + 8
        #expect(svg.contains("viewBox=\"0 0 \(side) \(side)\""))
        #expect(svg.contains("aria-label=\"QR code: the video for &lt;Plank&gt; &amp; more\""))
        #expect(svg.contains("width=\"\(QRCode.millimetres(code.printedMillimetres))\""))
        // Sum the run lengths of the path and compare with the dark modules.
        let d = try #require(svg.range(of: "d=\"").map { svg[$0.upperBound...].prefix { $0 != "\"" } })
        let runs = d.split(separator: "z").map { run in
            run.split(separator: "h")[1].split(separator: "v")[0]
        }
        #expect(runs.reduce(0) { $0 + Int($1)! } == code.modules.filter { $0 }.count)
        #expect(d.hasPrefix("M4 4h7v1h-7z"))
    }

    @Test func millimetresRoundToTenths() {
        #expect(QRCode.millimetres(20) == "20mm")
        #expect(QRCode.millimetres(28.5) == "28.5mm")
    }
}
