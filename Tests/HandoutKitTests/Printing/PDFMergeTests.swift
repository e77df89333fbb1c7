import Foundation
import Testing
@testable import HandoutKit

/// A PDF written by hand: object N is `objects[N-1]`, with a correct cross-reference table
/// and a trailer naming object 1 as the catalog (plus `trailer`, if given).
func handWrittenPDF(_ objects: [String], trailer: String = "") -> Data {
    var text = "%PDF-1.4\n"
    var offsets: [Int] = []
    for (i, body) in objects.enumerated() {
        offsets.append(text.utf8.count)
        text += "\(i + 1) 0 obj\n\(body)\nendobj\n"
    }
    let table = text.utf8.count
    text += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
    for offset in offsets { text += String(format: "%010d 00000 n \n", offset) }
    text += "trailer\n<</Size \(objects.count + 1) /Root 1 0 R\(trailer)>>\nstartxref\n\(table)\n%%EOF\n"
    return Data(text.utf8)
}

/// A content stream that writes `words` in Helvetica (font /F1).
func textStream(_ words: String, length: String? = nil) -> String {
    let content = "BT /F1 24 Tf 72 500 Td (\(words)) Tj ET"
    return "<</Length \(length ?? String(content.utf8.count))>>\nstream\n\(content)\nendstream"
}

let helvetica = "<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>"

/// Two Letter pages, "A one" and "A two".
let twoLetterPages = handWrittenPDF([
    "<</Type /Catalog /Pages 2 0 R>>",
    "<</Type /Pages /Kids [3 0 R 4 0 R] /Count 2>>",
    "<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources <</Font <</F1 7 0 R>>>> /Contents 5 0 R>>",
    "<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources <</Font <</F1 7 0 R>>>> /Contents 6 0 R>>",
    textStream("A one"),
    textStream("A two"),
    helvetica,
])

/// One landscape page in a nested page tree that it inherits its size from; its content's
/// length is an indirect object, and its text looks like PDF syntax that must not be touched.
let oneLandscapePage = handWrittenPDF([
    "<</Type /Catalog /Pages 2 0 R /Outlines 9 0 R>>",
    "<</Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 792 612]>>",
    "<</Type /Pages /Parent 2 0 R /Kids [4 0 R] /Count 1>>",
    "<</Type /Page /Parent 3 0 R /Resources <</Font <</F1 7 0 R>>>> /Contents 5 0 R /Note (a \\) 2 0 R >> (nested\\))) /Code <4142>>>",
    textStream("B endobj endstream 1 0 R", length: "6 0 R"),
    String("BT /F1 24 Tf 72 500 Td (B endobj endstream 1 0 R) Tj ET".utf8.count),
    helvetica,
    "<</Unused true>>",
    "<</Type /Outlines /Count 0>>",
])

func pdftotext(_ data: Data) throws -> [String] {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("handout-merge-\(UUID().uuidString).pdf")
    try data.write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let run = try Run.command("/usr/bin/pdftotext", [file.path, "-"])
    #expect(run.stderr == "", "poppler complained about the merged PDF")
    return run.stdout.components(separatedBy: "\u{0C}").dropLast().map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
}

@Suite struct PDFMergeTests {
    @Test func readsPagesInOrderWithInheritedSizes() throws {
        #expect(try PDFDocument(data: twoLetterPages).pageSizes.map { [$0.width, $0.height] } == [[612, 792], [612, 792]])
        #expect(try PDFDocument(data: oneLandscapePage).pageSizes.map { [$0.width, $0.height] } == [[792, 612]])
    }

    @Test func documentsFollowEachOtherEachPaddedToAnEvenPageCount() throws {
        var merged = MergedPDF()
        merged.append(try PDFDocument(data: oneLandscapePage), padToEvenPages: true)
        merged.append(try PDFDocument(data: twoLetterPages), padToEvenPages: true)
        merged.append(try PDFDocument(data: oneLandscapePage), padToEvenPages: false)
        #expect(merged.pageCount == 5)
        let data = merged.data
        // The blank page has the size of the page before it, so a duplex sheet is one size.
        #expect(try PDFDocument(data: data).pageSizes.map { [$0.width, $0.height] }
                == [[792, 612], [792, 612], [612, 792], [612, 792], [792, 612]])
        #expect(try pdftotext(data) == ["B endobj endstream 1 0 R", "", "A one", "A two", "B endobj endstream 1 0 R"])
    }

    @Test func valuesAreCopiedAsWrittenAndOnlyWhatPagesUse() throws {
        var merged = MergedPDF()
        merged.append(try PDFDocument(data: twoLetterPages))
        merged.append(try PDFDocument(data: oneLandscapePage))
        let text = String(decoding: merged.data, as: UTF8.self)
        #expect(text.contains("/Note (a \\) 2 0 R >> (nested\\)))"))
        #expect(text.contains("/Code <4142>"))
        // Stream bytes are not renumbered, even where they look like a reference.
        #expect(text.contains("(B endobj endstream 1 0 R) Tj"))
        // The second document's catalog, outline and unused object are left behind.
        #expect(!text.contains("/Unused") && !text.contains("/Outlines"))
        #expect(text.components(separatedBy: "/Type /Catalog").count == 2)
        #expect(try pdftotext(merged.data) == ["A one", "A two", "B endobj endstream 1 0 R"])
    }

    @Test func refusesWhatItCannotReadWithAReason() {
        func reason(_ data: Data) -> String? {
            do {
                _ = try PDFDocument(data: data)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(reason(Data("<html>".utf8)) == "not a PDF Handout can read: it does not start with %PDF-")
        #expect(reason(Data("%PDF-1.7\n1 0 obj\n<</Type /XRef>>\nendobj\nstartxref\n9\n%%EOF\n".utf8))
                == "not a PDF Handout can read: its cross-reference is a stream, a newer form than the table Chromium writes")
        #expect(reason(handWrittenPDF(["<</Type /Catalog /Pages 2 0 R>>", "<</Type /Pages /Kids [] /Count 0>>"], trailer: " /Prev 9"))
                == "not a PDF Handout can read: it was saved with incremental updates")
        #expect(reason(handWrittenPDF(["<</Type /Catalog /Pages 2 0 R>>", "<</Type /Pages /Kids [3 0 R] /Count 1>>", "<</Type /Page>>"]))
                == "not a PDF Handout can read: page object 3 has no paper size (MediaBox)")
        #expect(reason(handWrittenPDF(["<</Type /Catalog /Pages 2 0 R>>", "<</Length 9999>>\nstream\nshort\nendstream"]))
                == "not a PDF Handout can read: object 2 is damaged (a stream without a usable /Length)")
    }
}
