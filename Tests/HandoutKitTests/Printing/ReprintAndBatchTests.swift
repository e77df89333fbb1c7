import Foundation
import Testing
@testable import HandoutKit

/// `handout pdf --weeks`, `--from/--to` and `--changed-since`: the pure choices (weeks,
/// pages, the batch's plans, the batch record) with exact cases, and the command's refusals
/// with their exact words. The printed PDFs are read back in Tests/Browser/test_pdf_reprint.py.
@Suite struct WeekChoiceTests {
    func day(_ iso: String) -> Day { Day(iso: iso)! }

    @Test func weeksAreOneWeekOrARangeCountedFromOne() throws {
        #expect(try WeekChoice.parse(weeks: "3").get() == .weeks(3...3))
        #expect(try WeekChoice.parse(weeks: "3-4").get() == .weeks(3...4))
        #expect(try WeekChoice.parse(weeks: "12-12").get() == .weeks(12...12))
        func refusal(_ text: String) -> String? {
            if case .failure(let refusal) = WeekChoice.parse(weeks: text) { return refusal.description }
            return nil
        }
        #expect(refusal("4-3") == "--weeks 4-3 runs backwards; write the first week first, like --weeks 3-4")
        #expect(refusal("0-2") == "--weeks 0-2: weeks are counted from 1, the week the plan starts in")
        for bad in ["", "three", "3-", "-3", "3-4-5", "3..4", "+3", "٣"] {
            #expect(refusal(bad) == "--weeks takes a week or a range of weeks, like --weeks 3 or --weeks 3-4; found '\(bad)'")
        }
        #expect(WeekChoice.dates(from: day("2027-01-10"), to: day("2027-01-03"))
                == .failure(.init("--from 2027-01-10 is after --to 2027-01-03; give the earlier day to --from")))
    }

    /// Week 1 is the week holding the start, from `week_starts`; dates map to the weeks
    /// holding them, and nothing outside the calendar is taken.
    @Test func datesAreTheWeeksThatHoldThemInThePlansCalendar() throws {
        // A Wednesday start: the calendar runs Monday Dec 7 to Sunday Dec 27 (3 weeks).
        func weeks(_ from: String, _ to: String, weekStarts: Weekday = .monday) -> Result<ClosedRange<Int>, WeekChoice.Refusal> {
            WeekChoice.dates(from: day(from), to: day(to)).flatMap {
                $0.weeks(of: "p-1", start: day("2026-12-09"), weeks: 3, weekStarts: weekStarts)
            }
        }
        #expect(try weeks("2026-12-07", "2026-12-13").get() == 1...1)
        #expect(try weeks("2026-12-13", "2026-12-14").get() == 1...2)
        #expect(try weeks("2026-12-27", "2026-12-27").get() == 3...3)
        #expect(try weeks("2026-12-07", "2026-12-27").get() == 1...3)
        #expect(weeks("2026-12-06", "2026-12-10") == .failure(.init("--from 2026-12-06 is not in p-1's calendar, which runs from 2026-12-07 to 2026-12-27")))
        #expect(weeks("2026-12-10", "2026-12-28") == .failure(.init("--to 2026-12-28 is not in p-1's calendar, which runs from 2026-12-07 to 2026-12-27")))
        // Weeks from Sunday: the calendar runs Sunday Dec 6 to Saturday Dec 26.
        #expect(try weeks("2026-12-06", "2026-12-13", weekStarts: .sunday).get() == 1...2)
        #expect(weeks("2026-12-27", "2026-12-27", weekStarts: .sunday)
                == .failure(.init("--from 2026-12-27 is not in p-1's calendar, which runs from 2026-12-06 to 2026-12-26")))
    }

    @Test func weeksOutsideThePlanAreRefusedNamingIt() throws {
        func weeks(_ choice: WeekChoice, count: Int) -> Result<ClosedRange<Int>, WeekChoice.Refusal> {
            choice.weeks(of: "p-0001", start: day("2026-12-07"), weeks: count, weekStarts: .monday)
        }
        #expect(try weeks(.weeks(2...3), count: 3).get() == 2...3)
        #expect(weeks(.weeks(3...4), count: 3) == .failure(.init("--weeks: weeks 3-4 are not in p-0001's calendar, which has 3 weeks (1-3)")))
        #expect(weeks(.weeks(4...4), count: 3) == .failure(.init("--weeks: week 4 is not in p-0001's calendar, which has 3 weeks (1-3)")))
        #expect(weeks(.weeks(2...2), count: 1) == .failure(.init("--weeks: week 2 is not in p-0001's calendar, which has 1 week (week 1)")))
    }

    /// Two weeks a page: the pages holding the weeks asked for, and the weeks those pages hold.
    @Test func theReprintIsThePagesThatHoldTheWeeks() {
        let twoAPage = [0, 0, 1, 1, 2, 2]
        func pages(_ weeks: ClosedRange<Int>, _ weekPages: [Int], count: Int) -> ClosedRange<Int> {
            WeekChoice.pages(holding: weeks, weekPages: weekPages, pageCount: count)
        }
        #expect(pages(3...4, twoAPage, count: 3) == 1...1)
        #expect(pages(3...3, twoAPage, count: 3) == 1...1)
        #expect(pages(4...4, twoAPage, count: 3) == 1...1)
        #expect(pages(2...3, twoAPage, count: 3) == 0...1)
        #expect(pages(1...6, twoAPage, count: 3) == 0...2)
        #expect(pages(6...6, twoAPage, count: 3) == 2...2)
        #expect(WeekChoice.weeks(on: 1...1, weekPages: twoAPage) == 3...4)
        #expect(WeekChoice.weeks(on: 0...1, weekPages: twoAPage) == 1...4)
        // Large print, a week a page.
        #expect(pages(2...2, [0, 1, 2], count: 3) == 1...1)
        #expect(WeekChoice.weeks(on: 1...1, weekPages: [0, 1, 2]) == 2...2)
        // A first page with the heading and one week, then two a page; an odd last page.
        #expect(pages(2...2, [0, 1, 1, 2, 2], count: 3) == 1...1)
        #expect(WeekChoice.weeks(on: 1...1, weekPages: [0, 1, 1, 2, 2]) == 2...3)
        // A week taller than a page takes the pages up to the next week's; the last week's run to the end.
        #expect(pages(1...1, [0, 2, 3], count: 4) == 0...1)
        #expect(pages(3...3, [0, 2, 3], count: 5) == 3...4)
    }
}

@Suite struct BatchSelectionTests {
    let today = Day(iso: "2027-01-11")!
    let a = Fingerprint(Array("a".utf8)), b = Fingerprint(Array("b".utf8))

    func candidate(_ id: String, start: String = "2027-01-04", pages: Fingerprint) -> BatchSelection.Candidate {
        .init(id: id, start: Day(iso: start)!, pages: pages)
    }

    @Test func newChangedAndStartingAreChosenByPlanIDAndUnchangedAreNot() {
        let chosen = BatchSelection.select([
            candidate("p-4", pages: a),                          // printed, unchanged
            candidate("p-3", pages: b),                          // printed as a, now b
            candidate("p-2", start: "2027-01-11", pages: a),     // printed, unchanged, starts today
            candidate("p-1", start: "2027-01-11", pages: a),     // never printed, starts today
            candidate("p-5", start: "2027-01-18", pages: a),     // never printed, starts next week
            candidate("p-6", start: "2027-01-11", pages: b),     // changed and starts today
        ], printed: ["p-4": a, "p-3": a, "p-2": a, "p-6": a, "p-9": a], today: today)
        #expect(chosen.map(\.id) == ["p-1", "p-2", "p-3", "p-5", "p-6"])
        #expect(chosen.map(\.reasons) == [[.new, .starting], [.starting], [.changed], [.new], [.changed, .starting]])
        #expect(chosen.map(\.pages) == [a, a, b, a, b])
        #expect(BatchSelection.select([candidate("p-4", pages: a)], printed: ["p-4": a], today: today) == [])
        #expect(BatchSelection.select([], printed: [:], today: today) == [])
    }
}

@Suite struct BatchRecordTests {
    let a = Fingerprint(Array("a".utf8)), b = Fingerprint(Array("b".utf8)), c = Fingerprint(Array("c".utf8))

    var record: BatchRecord {
        BatchRecord(batches: [
            .init(day: Day(iso: "2027-01-04")!, written: "2027-01-04T08:00:00Z",
                  printed: [.init(id: "p-1", reasons: [.new], pages: a), .init(id: "p-2", reasons: [.new, .starting], pages: a)]),
            .init(day: Day(iso: "2027-01-05")!, written: "2027-01-05T08:00:00Z", printed: [.init(id: "p-1", reasons: [.changed], pages: b)]),
            .init(day: Day(iso: "2027-01-05")!, written: "2027-01-05T15:30:00Z", printed: [.init(id: "p-3", reasons: [.new], pages: c)]),
            .init(day: Day(iso: "2027-01-07")!, written: "2027-01-07T08:00:00Z", printed: [.init(id: "p-2", reasons: [.changed], pages: c)]),
        ])
    }

    @Test func theRecordIsLinesReadBackAsWritten() throws {
        let text = record.text
        #expect(text == """
        handout-batches 1
        batch 2027-01-04 written 2027-01-04T08:00:00Z
        p-1 new \(a)
        p-2 new,starting \(a)
        batch 2027-01-05 written 2027-01-05T08:00:00Z
        p-1 changed \(b)
        batch 2027-01-05 written 2027-01-05T15:30:00Z
        p-3 new \(c)
        batch 2027-01-07 written 2027-01-07T08:00:00Z
        p-2 changed \(c)

        """)
        #expect(try BatchRecord(text: text) == record)
        #expect(try BatchRecord(text: "handout-batches 1\n") == BatchRecord())
        #expect(BatchRecord.timestamp(Date(timeIntervalSince1970: 1_799_999_999)) == "2027-01-15T07:59:59Z")
    }

    /// "Since DATE" is the state of the last batch on or before DATE: for each plan, the
    /// pages of the latest of those batches that printed it. `last` is all of them.
    @Test func theStateAsOfADayIsEachPlansLatestPrintedPagesUpToIt() {
        #expect(record.printed(asOf: nil) == ["p-1": b, "p-2": c, "p-3": c])
        #expect(record.printed(asOf: Day(iso: "2027-01-06")!) == ["p-1": b, "p-2": a, "p-3": c])
        #expect(record.printed(asOf: Day(iso: "2027-01-05")!) == ["p-1": b, "p-2": a, "p-3": c])
        #expect(record.printed(asOf: Day(iso: "2027-01-04")!) == ["p-1": a, "p-2": a])
        #expect(record.printed(asOf: Day(iso: "2027-01-03")!) == [:])
        #expect(record.lastBatch(onOrBefore: nil)?.written == "2027-01-07T08:00:00Z")
        #expect(record.lastBatch(onOrBefore: Day(iso: "2027-01-06")!)?.written == "2027-01-05T15:30:00Z")
        #expect(record.lastBatch(onOrBefore: Day(iso: "2027-01-03")!) == nil)
    }

    @Test func aDamagedRecordNamesItsLine() {
        func damage(_ text: String) -> BatchRecord.Damaged? {
            do { _ = try BatchRecord(text: text); return nil } catch { return error }
        }
        let batch = "batch 2027-01-04 written 2027-01-04T08:00:00Z\n"
        #expect(damage("") == .init(line: 1, reason: "it does not start with 'handout-batches 1'"))
        #expect(damage("handout-batches 2\n") == .init(line: 1, reason: "it does not start with 'handout-batches 1'"))
        #expect(damage("handout-batches 1\nbatch 2027-02-30 written x\n") == .init(line: 2, reason: "a batch line is 'batch DAY written TIME'"))
        let entry = "a plan's line is 'ID REASONS HASH', after a batch line"
        #expect(damage("handout-batches 1\np-1 new \(a)\n") == .init(line: 2, reason: entry))
        #expect(damage("handout-batches 1\n\(batch)p-1 old \(a)\n") == .init(line: 3, reason: entry))
        #expect(damage("handout-batches 1\n\(batch)p-1 new,,changed \(a)\n") == .init(line: 3, reason: entry))
        #expect(damage("handout-batches 1\n\(batch)P 1 new \(a)\n") == .init(line: 3, reason: entry))
        #expect(damage("handout-batches 1\n\(batch)p-1 new 12345\n") == .init(line: 3, reason: entry))
        #expect(damage("handout-batches 1\n\(batch)\n") == .init(line: 3, reason: entry))
    }
}

@Suite struct PrintedPagesTests {
    @Test func theFilesAPageLoadsAreItsStylesheetsAndPictures() {
        let html = """
        <link rel="stylesheet" href="../../assets/site.css"><link rel="stylesheet" href="../../assets/print-en.css">
        <script src="../../assets/filter.js" defer></script>
        <a href="calendar.html">Calendar</a> <a href="https://example.org/v">video</a> <a class="skip-link" href="#main">Skip</a>
        <img class="logo" src="../../assets/images/logo%20one.svg?x=1" alt="">
        <img src="data:image/png;base64,AAAA" alt=""> <img src="../../../etc/passwd" alt="">
        """
        #expect(PrintedPages.loaded(by: html, at: "patients/p-1/")
                == ["assets/site.css", "assets/print-en.css", "assets/filter.js", "assets/images/logo one.svg"])
        #expect(PrintedPages.resolved("./a/../b.css#top", from: "patients/p-1/") == "patients/p-1/b.css")
        #expect(PrintedPages.resolved("../../..", from: "patients/p-1/") == nil)
    }

    /// The hash follows what prints: the pages, the stylesheets, a picture; not the `.ics`.
    @Test func theHashChangesWithWhatPrintsAndOnlyThat() throws {
        let site = try TestSite()
        site.build()
        let output = site.url("Output")
        let first = try PrintedPages.fingerprint(of: "p-0001", in: output)
        #expect(try PrintedPages.fingerprint(of: "p-0001", in: output) == first)
        try site.write("Output/patients/p-0001/calendar.ics", "changed")
        #expect(try PrintedPages.fingerprint(of: "p-0001", in: output) == first)
        let picture = try site.read("Output/assets/images/bridge.svg")
        try site.write("Output/assets/images/bridge.svg", picture.replacingOccurrences(of: "</svg>", with: "<circle cx=\"1\" cy=\"1\" r=\"1\"/></svg>"))
        let afterPicture = try PrintedPages.fingerprint(of: "p-0001", in: output)
        #expect(afterPicture != first)
        try site.write("Output/assets/site.css", try site.read("Output/assets/site.css") + "\n")
        let afterSiteCSS = try PrintedPages.fingerprint(of: "p-0001", in: output)
        #expect(afterSiteCSS != afterPicture)
        // The print rules are shared by language and size: the patient's count, another language's do not.
        try site.write("Output/assets/print-es.css", try site.read("Output/assets/print-es.css") + "\n")
        #expect(try PrintedPages.fingerprint(of: "p-0001", in: output) == afterSiteCSS)
        try site.write("Output/assets/print-en.css", try site.read("Output/assets/print-en.css") + "\n")
        #expect(try PrintedPages.fingerprint(of: "p-0001", in: output) != afterSiteCSS)
        #expect(throws: FileFault.self) { try PrintedPages.fingerprint(of: "p-0009", in: output) }
    }
}

@Suite struct PDFPagesTests {
    /// Named destinations point at pages; a range of pages is copied with only what it uses.
    @Test func destinationsNameTheirPagesAndARangeOfPagesIsCopiedAlone() throws {
        let withDestinations = handWrittenPDF([
            "<</Type /Catalog /Pages 2 0 R /Dests 8 0 R>>",
            "<</Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 792 612] /Resources <</Font <</F1 7 0 R>>>>>>",
            "<</Type /Page /Parent 2 0 R /Contents 5 0 R>>",
            "<</Type /Page /Parent 2 0 R /Contents 6 0 R>>",
            textStream("Week one"),
            textStream("Week two"),
            helvetica,
            "<</handout-week-1 [3 0 R /XYZ 7.5 612 0] /handout-week-2 <</D [4 0 R /XYZ 7.5 300 0]>> /elsewhere [9 0 R /Fit]>>",
        ])
        let document = try PDFDocument(data: withDestinations)
        #expect(document.destinations == ["handout-week-1": 0, "handout-week-2": 1])
        var merged = MergedPDF()
        merged.append(document, pages: 1...1, padToEvenPages: true)
        merged.append(try PDFDocument(data: twoLetterPages), pages: 0...1)
        let data = merged.data
        // The inherited size and font are written on the copied page; the blank pads it.
        #expect(try PDFDocument(data: data).pageSizes.map { [$0.width, $0.height] } == [[792, 612], [792, 612], [612, 792], [612, 792]])
        #expect(try pdftotext(data) == ["Week two", "", "A one", "A two"])
        #expect(!String(decoding: data, as: UTF8.self).contains("Week one"))
    }
}

/// The command's refusals: command-line mistakes, exit 64, in plain words.
@Suite struct ReprintAndBatchCommandTests {
    func refusal(_ arguments: [String], in site: TestSite) throws -> String {
        let run = try Run.handout(["pdf"] + arguments, in: site.root)
        #expect(run.status == 64, "\(arguments)")
        return String(run.stderr.split(separator: "\n").first ?? "")
    }

    @Test func reprintMistakesAreExplained() throws {
        let site = try TestSite()
        let p = ["--patient", "p-0001", "--out", "chart"]
        #expect(try refusal(p + ["--weeks", "2-1"], in: site) == "Error: --weeks 2-1 runs backwards; write the first week first, like --weeks 1-2")
        #expect(try refusal(p + ["--weeks", "two"], in: site)
                == "Error: --weeks takes a week or a range of weeks, like --weeks 3 or --weeks 3-4; found 'two'")
        #expect(try refusal(p + ["--weeks", "3-4"], in: site) == "Error: --weeks: weeks 3-4 are not in p-0001's calendar, which has 3 weeks (1-3)")
        #expect(try refusal(p + ["--weeks", "7"], in: site) == "Error: --weeks: week 7 is not in p-0001's calendar, which has 3 weeks (1-3)")
        #expect(try refusal(p + ["--from", "2026-12-20", "--to", "2026-12-10"], in: site)
                == "Error: --from 2026-12-20 is after --to 2026-12-10; give the earlier day to --from")
        #expect(try refusal(p + ["--from", "2026-12-01", "--to", "2026-12-10"], in: site)
                == "Error: --from 2026-12-01 is not in p-0001's calendar, which runs from 2026-12-07 to 2026-12-27")
        #expect(try refusal(p + ["--from", "2026-12-10", "--to", "2027-01-10"], in: site)
                == "Error: --to 2027-01-10 is not in p-0001's calendar, which runs from 2026-12-07 to 2026-12-27")
        #expect(try refusal(p + ["--from", "2026-12-32", "--to", "2027-01-10"], in: site)
                == "Error: --from 2026-12-32 is not a real date: December 2026 has 31 days")
        #expect(try refusal(p + ["--from", "12/10/2026", "--to", "2027-01-10"], in: site)
                == "Error: --from must be written YYYY-MM-DD, like 2026-12-07; found '12/10/2026'")
        #expect(try refusal(p + ["--from", "2026-12-10"], in: site) == "Error: --from and --to go together, like --from 2026-12-21 --to 2027-01-03")
        #expect(try refusal(p + ["--weeks", "2", "--from", "2026-12-10", "--to", "2026-12-11"], in: site)
                == "Error: use --weeks or --from and --to, not both: each chooses the calendar weeks to print")
        #expect(try refusal(p + ["--only", "calender"], in: site) == "Error: --only takes handout or calendar; found 'calender'")
        #expect(try refusal(p + ["--only", "handout", "--weeks", "2"], in: site)
                == "Error: --weeks chooses pages of the calendar; it cannot go with --only handout")
        #expect(try refusal(["--active", "--weeks", "2", "--out", "day.pdf"], in: site)
                == "Error: --weeks goes only with --patient: it chooses what to print of each patient")
        #expect(try refusal(["--changed-since", "last", "--only", "calendar", "--out", "day.pdf"], in: site)
                == "Error: --only goes only with --patient: it chooses what to print of each patient")
        #expect(!site.exists("chart") && !site.exists("Output"))
    }

    @Test func batchMistakesAreExplained() throws {
        let site = try TestSite()
        #expect(try refusal(["--changed-since", "yesterday", "--out", "day.pdf"], in: site)
                == "Error: --changed-since takes 'last' (since the last batch) or a date written YYYY-MM-DD, like 2026-12-07; found 'yesterday'")
        #expect(try refusal(["--changed-since", "last", "--patient", "p-0001", "--out", "day.pdf"], in: site)
                == "Error: use one of --patient, --active or --changed-since: --patient writes each patient's own PDFs, --active one file for a day, "
                + "--changed-since the day's batch of new and changed plans")
        #expect(try refusal(["--active", "--today", "2027-01-05", "--out", "day.pdf"], in: site)
                == "Error: --today goes only with --changed-since: it sets the day of the batch")
        #expect(try refusal(["--changed-since", "2027-01-06", "--today", "2027-01-05", "--out", "day.pdf"], in: site)
                == "Error: --changed-since 2027-01-06 is after the batch's day, 2027-01-05; give an earlier date or 'last'")
        #expect(try refusal(["--changed-since", "last", "--today", "2027-02-29", "--out", "day.pdf"], in: site)
                == "Error: --today 2027-02-29 is not a real date: February 2027 has 28 days")
        #expect(try refusal(["--changed-since", "last", "--out", "Content"], in: site)
                == "Error: --out Content is a folder; --changed-since writes one file: give its name, like --out Content/day.pdf")
        #expect(!site.exists("Output"))
    }

    /// A record that cannot be read is not guessed at: nothing is built, printed or recorded.
    @Test func aDamagedBatchRecordStopsTheBatch() throws {
        let site = try TestSite()
        try site.write("batches/.handout-batches", "handout-batches 1\nbatch 2027-01-04 written x\np-0001 new 123\n")
        let run = try Run.handout(["pdf", "--changed-since", "last", "--today", "2026-12-08", "--out", "batches/day.pdf"], in: site.root)
        #expect(run.status == 1)
        #expect(run.stderr == """
        handout pdf: error: the batch record batches/.handout-batches is damaged at line 3 (a plan's line is 'ID REASONS HASH', after a batch line); \
        move it aside to start a new record, and the next batch counts every current plan as new
        1 error, 0 warnings

        """)
        #expect(!site.exists("batches/day.pdf") && !site.exists("Output"))
    }
}

/// The batch's cover page: plan ids and why, in the site's language; names only when the
/// clinic index shows them.
@Suite struct BatchCoverTests {
    func cover(_ site: TestSite, plans: [SiteRenderer.CoverLine], since: Day? = Day(iso: "2027-01-04")) throws -> String {
        let checked = try #require(BuildPipeline(layout: site.layout, diagnostics: Diagnostics()).check())
        return SiteRenderer(library: checked.library, templates: checked.templates)
            .renderBatchCover(day: Day(iso: "2027-01-05")!, since: since, plans: plans, root: "file:///srv/Output/")
    }

    let lines: [SiteRenderer.CoverLine] = [
        .init(id: "p-0001", patient: "Alex <Example>", start: Day(iso: "2026-12-07")!, reasons: [.changed]),
        .init(id: "p-0002", patient: "Sam Second", start: Day(iso: "2027-01-05")!, reasons: [.new, .starting]),
    ]

    @Test func idsAndReasonsWithoutNames() throws {
        let site = try TestSite()
        let html = try cover(site, plans: lines)
        #expect(html.contains("<title>Print batch, Tuesday, January 5, 2027: "))
        #expect(html.contains(#"<link rel="stylesheet" href="file:///srv/Output/assets/site.css">"#))
        #expect(html.contains(#"<link rel="stylesheet" href="print.css">"#))
        #expect(html.contains("<p>Plans that are new or changed since the batch of Monday, January 4, 2027, and plans starting today.</p>"))
        #expect(html.contains("<caption>2 patients, in this order:</caption>"))
        #expect(html.contains("""
              <tr>
                <th scope="row">p-0002</th>
                <td>new, starts today</td>
                <td>Tuesday, January 5, 2027</td>
              </tr>
        """))
        #expect(!html.contains("Alex") && !html.contains("Sam Second") && !html.contains("<th scope=\"col\">Patient</th>"))
        #expect(try cover(site, plans: [lines[0]], since: nil)
            .contains("<p>No earlier batch is recorded: every current plan is new.</p>\n  <table class=\"batch-plans\">\n    <caption>1 patient, in this order:</caption>"))
    }

    @Test func namesWhenTheIndexShowsThemInTheSitesLanguage() throws {
        let site = try TestSite()
        let settings = try site.read("Content/site.yaml")
        try site.write("Content/site.yaml", settings + "index_shows_names: true\nlanguage: es\ntranslation_fallback: en\n")
        let html = try cover(site, plans: lines)
        #expect(html.contains("<th scope=\"col\">Paciente</th>"))
        #expect(html.contains("<td>Alex &lt;Example&gt;</td>"))
        #expect(html.contains("<td>nuevo, empieza hoy</td>"))
        #expect(html.contains("<caption>2 pacientes, en este orden:</caption>"))
        #expect(html.contains("martes, 5 de enero de 2027"))
    }
}
