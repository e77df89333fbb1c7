import Foundation
import Testing
@testable import HandoutKit

/// `handout pdf` run as a therapist would: what it refuses, and what it prints when a plan
/// has errors. (The printed PDFs themselves are checked against browser prints in
/// Tests/Browser/test_pdf_command.py.)
@Suite struct PDFCommandTests {
    /// Our environment with `PATH` replaced.
    func environment(path: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = path
        environment["HANDOUT_CHROMIUM"] = nil
        return environment
    }

    @Test func aMissingChromiumNamesTheDebianPackageAndExitsOne() throws {
        let site = try TestSite()
        let out = site.root.deletingLastPathComponent().appendingPathComponent("pdf-\(UUID().uuidString)")
        let run = try Run.handout(["pdf", "--root", site.root.path, "--patient", "p-0001", "--out", out.path],
                                  environment: environment(path: site.url("Content").path))
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr == """
        handout pdf: error: Chromium is not installed, and handout pdf prints with it: install the Debian package 'chromium' \
        (sudo apt-get install chromium), or set HANDOUT_CHROMIUM to the browser program
        1 error, 0 warnings

        """)
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(!site.exists("Output"))
    }

    @Test func aProgramThatIsNotChromiumIsAnErrorInWords() throws {
        let site = try TestSite()
        var environment = ProcessInfo.processInfo.environment
        environment["HANDOUT_CHROMIUM"] = "/bin/true"
        let run = try Run.handout(["pdf", "--patient", "p-0001", "--out", "chart"], in: site.root, environment: environment)
        #expect(run.status == 1)
        #expect(run.stderr == """
        handout pdf: error: cannot start Chromium: the browser stopped while Target.createTarget (it closed its pipe)
        1 error, 0 warnings

        """)
        #expect(!site.exists("chart"))
    }

    @Test func pdfsAreNeverWrittenInsideTheOutputFolder() throws {
        let site = try TestSite()
        for out in ["Output", "Output/pdfs", "./Output/../Output/day.pdf"] {
            let active = out.hasSuffix(".pdf")
            let run = try Run.handout(["pdf"] + (active ? ["--active", "2026-12-08"] : ["--patient", "p-0001"]) + ["--out", out],
                                      in: site.root)
            #expect(run.status == 64)
            let shown = site.root.appendingPathComponent(out).standardizedFileURL.path
            #expect(run.stderr.hasPrefix("Error: --out \(shown) is inside the output folder Output, which is published on the intranet; "
                                         + "PDFs carry patients' names, so write them somewhere else, like --out ~/handouts\n"), "\(run.stderr)")
        }
        // A link to the output folder is the output folder.
        try FileManager.default.createSymbolicLink(atPath: site.url("published").path, withDestinationPath: site.url("Output").path)
        try FileManager.default.createDirectory(at: site.url("Output"), withIntermediateDirectories: true)
        let linked = try Run.handout(["pdf", "--patient", "p-0001", "--out", "published/pdfs"], in: site.root)
        #expect(linked.status == 64)
        #expect(linked.stderr.contains("is inside the output folder Output"))
        #expect(!site.exists("Output/pdfs"))
    }

    /// Issue 22, case 14: `/tmp/plink/../leak` with `plink -> Output/patients` is `Output/leak`,
    /// as the file system resolves it; tidied before the link was followed, it looked outside.
    @Test func aLinkThenDotDotIntoTheOutputFolderIsInsideIt() throws {
        let site = try TestSite()
        try FileManager.default.createDirectory(at: site.url("Output/patients"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: site.url("elsewhere"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: site.url("elsewhere/plink").path, withDestinationPath: site.url("Output/patients").path)
        let run = try Run.handout(["pdf", "--patient", "p-0001", "--out", "elsewhere/plink/../leak"], in: site.root)
        #expect(run.status == 64)
        #expect(run.stderr.hasPrefix("Error: --out \(site.url("Output/leak").path) is inside the output folder Output, which is published on the intranet;"), "\(run.stderr)")
        #expect(!site.exists("Output/leak"))
    }

    @Test func badCommandLineUseIsExplained() throws {
        let site = try TestSite()
        try site.write("day.pdf", "")
        func refusal(_ arguments: [String]) throws -> String {
            let run = try Run.handout(["pdf"] + arguments, in: site.root)
            #expect(run.status == 64)
            return String(run.stderr.split(separator: "\n").first ?? "")
        }
        #expect(try refusal(["--out", "/tmp/x"])
                == "Error: say whom to print: --patient ID (repeatable), --active [DATE] for every plan running that day, "
                + "or --changed-since last for the day's batch")
        #expect(try refusal(["--patient", "p-0001", "--active", "--out", "/tmp/x"])
                == "Error: use one of --patient, --active or --changed-since: --patient writes each patient's own PDFs, --active one file for a day, "
                + "--changed-since the day's batch of new and changed plans")
        #expect(try refusal(["--patient", "p-0001", "2026-12-08", "--out", "/tmp/x"])
                == "Error: a date goes only with --active, like 'handout pdf --active 2026-12-07 --out day.pdf'")
        #expect(try refusal(["--active", "2026-02-30", "--out", "/tmp/x"])
                == "Error: 2026-02-30 is not a real date: February 2026 has 28 days")
        #expect(try refusal(["--active", "--out", "Content"])
                == "Error: --out Content is a folder; --active writes one file: give its name, like --out Content/day.pdf")
        #expect(try refusal(["--patient", "p-0001", "--out", "day.pdf"])
                == "Error: --out day.pdf is a file; --patient writes two PDFs for each patient into a folder: give a folder")
        #expect(try refusal(["--patient", "p-0001"]) == "Error: Missing expected argument '--out <DIR|FILE>'")
    }

    @Test func aDayWithoutPlansOrAnUnknownPlanPrintsNothing() throws {
        let site = try TestSite()
        let out = site.root.deletingLastPathComponent().appendingPathComponent("pdf-\(UUID().uuidString)")
        let empty = try Run.handout(["pdf", "--active", "2030-01-07", "--out", out.path + ".pdf"], in: site.root)
        #expect(empty.status == 1)
        #expect(empty.stderr == "handout pdf: error: no plan is running on 2030-01-07; nothing was printed\n1 error, 0 warnings\n")
        let unknown = try Run.handout(["pdf", "--patient", "p-0010", "--out", out.path], in: site.root)
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "Content/plans: error: no plan 'p-0010'; did you mean 'p-0001'?\n1 error, 0 warnings\n")
        #expect(!FileManager.default.fileExists(atPath: out.path) && !FileManager.default.fileExists(atPath: out.path + ".pdf"))
    }

    /// A plan with errors is not printed (its published pages are not current); the others are.
    @Test func aPlanWithErrorsIsLeftOutAndNamed() throws {
        let site = try TestSite()
        try site.write("Content/plans/p-0002.yaml", planWith(["sets: 2": "sets: three"]))
        let out = site.root.appendingPathComponent("chart")
        let run = try Run.handout(["pdf", "--patient", "p-0002", "--patient", "p-0001", "--out", "chart"], in: site.root)
        #expect(run.status == 1)
        #expect(run.stderr == """
        Content/plans/p-0002.yaml:7:11: error: sets must be a whole number from 1 to 100; found 'three'
        handout pdf: error: p-0002 was not printed because its plan has errors (above); fix them and print it again
        2 errors, 0 warnings

        """)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["p-0001-calendar.pdf", "p-0001-handout.pdf"])
        let handout = try PDFDocument(data: Data(contentsOf: out.appendingPathComponent("p-0001-handout.pdf")))
        #expect(handout.pageSizes.allSatisfy { $0.width == 612 && $0.height == 792 })
        #expect(try pdftotext(Data(contentsOf: out.appendingPathComponent("p-0001-calendar.pdf"))).allSatisfy { $0.contains("Alex Example") })
    }

    /// Another plan's errors do not stop the patient asked for: one line says they are there.
    @Test func anotherPlansErrorsAreOneLine() throws {
        let site = try TestSite()
        try site.write("Content/plans/p-0002.yaml", planWith(["sets: 2": "sets: three"]))
        let run = try Run.handout(["pdf", "--patient", "p-0001", "--out", "chart"], in: site.root)
        #expect(run.status == 0)
        #expect(run.stderr == "1 other plan has errors; run `handout check`\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.url("chart").path).sorted() == ["p-0001-calendar.pdf", "p-0001-handout.pdf"])
    }

    /// A broken plan's dates cannot be trusted: it is named and left out of a day's batch.
    @Test func aDaysBatchLeavesOutAPlanWithErrors() throws {
        let site = try TestSite()
        try site.write("Content/plans/p-0002.yaml", planWith(["weeks: 3": "weeks: three"]))
        let run = try Run.handout(["pdf", "--active", "2026-12-08", "--out", "day.pdf"], in: site.root)
        #expect(run.status == 1)
        #expect(run.stderr == """
        Content/plans/p-0002.yaml:4:8: error: weeks must be a number of weeks from 1 to 52; found 'three'
        handout pdf: error: p-0002 was left out of the batch because its plan has errors (above); fix them and print it again
        2 errors, 0 warnings

        """)
        let batch = try pdftotext(Data(contentsOf: site.url("day.pdf")))
        #expect(batch.count % 2 == 0)
        #expect(batch.filter { !$0.isEmpty }.allSatisfy { $0.contains("Alex Example") })
    }

    /// The batch's speed comes from starting the browser once, not once per page.
    @Test func oneBrowserPrintsTheWholeBatch() throws {
        let site = try TestSite()
        try site.write("Content/plans/p-0002.yaml", planWith(["Alex Example": "Sam Second"]))
        let chromium = try Chromium.find()
        let launches = site.url("launches.log").path
        try site.write("chromium", "#!/bin/sh\necho launched >> '\(launches)'\nexec '\(chromium.path)' \"$@\"\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: site.url("chromium").path)
        var environment = ProcessInfo.processInfo.environment
        environment["HANDOUT_CHROMIUM"] = site.url("chromium").path
        let run = try Run.handout(["pdf", "--active", "2026-12-08", "--out", "day.pdf"], in: site.root, environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr == "Printing 1 of 2: p-0001\nPrinting 2 of 2: p-0002\n")
        #expect(try site.read("launches.log") == "launched\n")
        let pages = try pdftotext(Data(contentsOf: site.url("day.pdf")))
        #expect(pages.first?.contains("Alex Example") == true)
        #expect(pages.contains { $0.contains("Sam Second") })
    }
}
