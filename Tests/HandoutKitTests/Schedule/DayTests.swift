import Testing
@testable import HandoutKit

@Suite("DayTests")
struct DayTests {

    // MARK: ISO parsing

    @Test(arguments: [
        ("2026-12-07", 2026, 12, 7),
        ("2026-01-01", 2026, 1, 1),
        ("2026-12-31", 2026, 12, 31),
        ("2024-02-29", 2024, 2, 29),
        ("2000-02-29", 2000, 2, 29),
        ("1970-01-01", 1970, 1, 1),
        ("1969-12-31", 1969, 12, 31),
        ("0001-01-01", 1, 1, 1),
        ("9999-12-31", 9999, 12, 31),
        ("2026-04-30", 2026, 4, 30),
    ])
    func parsesValidDates(text: String, year: Int, month: Int, day: Int) throws {
        let parsed = try #require(Day(iso: text))
        #expect(parsed.components == (year, month, day))
        #expect(parsed == Day(year: year, month: month, day: day))
    }

    @Test(arguments: [
        "2026-13-01", "2026-00-10",                       // month out of range
        "2026-12-32", "2026-12-00", "2026-04-31", "2026-06-31", "2026-11-31", // day out of range
        "2026-02-29", "2027-02-29", "1900-02-29", "2100-02-29", // not leap years
        "2026-02-30", "2024-02-30",
        "0000-01-01",                                     // year 0 is outside 1...9999
        "2026-1-7", "2026-01-7", "2026-1-07", "26-12-07", "02026-12-07",
        "12/07/2026", "2026/12/07", "20261207", "2026.12.07", "07-12-2026",
        "", "2026", "2026-12", "2026-12-07-01", "2026--12-07", "-2026-12-07",
        " 2026-12-07", "2026-12-07 ", "2026-12-07T00:00", "2026-12-07\n",
        "+026-12-07", "2026-+1-07", "2026-1a-07", "abcd-ef-gh",
        "２０２６-１２-０７",                               // full-width digits are not ASCII
        "٢٠٢٦-١٢-٠٧",                                     // Arabic-Indic digits are not ASCII
    ])
    func rejectsInvalidText(text: String) {
        #expect(Day(iso: text) == nil)
    }

    @Test func leapYears() {
        #expect(Day(iso: "2024-02-29") != nil)
        #expect(Day(iso: "2028-02-29") != nil)
        #expect(Day(iso: "2000-02-29") != nil)   // divisible by 400
        #expect(Day(iso: "2026-02-29") == nil)
        #expect(Day(iso: "1900-02-29") == nil)   // divisible by 100, not by 400
        #expect(Day(iso: "2026-02-28") != nil)
    }

    @Test func componentInitRejectsOutOfRange() {
        #expect(Day(year: 2026, month: 2, day: 29) == nil)
        #expect(Day(year: 2026, month: 13, day: 1) == nil)
        #expect(Day(year: 2026, month: 1, day: 0) == nil)
        #expect(Day(year: 0, month: 1, day: 1) == nil)
        #expect(Day(year: 10000, month: 1, day: 1) == nil)
    }

    @Test func ordinalIsDaysSince1970() {
        #expect(Day(iso: "1970-01-01")!.ordinal == 0)
        #expect(Day(iso: "1970-01-02")!.ordinal == 1)
        #expect(Day(iso: "1969-12-31")!.ordinal == -1)
        #expect(Day(iso: "2000-01-01")!.ordinal == 10957)
    }

    @Test(arguments: ["2026-12-07", "2027-01-01", "2024-02-29", "1999-12-31", "2026-09-05", "1970-01-01"])
    func isoRoundTrips(text: String) {
        #expect(Day(iso: text)?.iso == text)
        #expect(Day(iso: text)?.description == text)
    }

    /// `iso` is written as bytes (the manifest writes them so): year, then month and day in
    /// two digits, every day of two centuries and the edges, against the date's own parts.
    @Test func isoIsTheYearMonthAndDayInDigits() {
        let days = (Array(-1...73_000) + [Day(year: 1, month: 1, day: 1)!.ordinal, Day(year: 9999, month: 12, day: 31)!.ordinal]).map(Day.init(ordinal:))
        let wrong = days.filter { day in
            let (y, m, d) = day.components
            return day.iso != "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
        }
        #expect(wrong.map(\.iso) == [])
        #expect(Day(ordinal: 0).iso == "1970-01-01")
    }

    @Test func isoPadsMonthAndDay() {
        #expect(Day(year: 2026, month: 1, day: 5)?.iso == "2026-01-05")
        #expect(Day(year: 2026, month: 10, day: 9)?.iso == "2026-10-09")
    }

    // MARK: Weekdays

    @Test(arguments: [
        ("2026-12-07", Weekday.monday),
        ("2026-12-08", Weekday.tuesday),
        ("2026-12-09", Weekday.wednesday),
        ("2026-12-10", Weekday.thursday),
        ("2026-12-11", Weekday.friday),
        ("2026-12-12", Weekday.saturday),
        ("2026-12-13", Weekday.sunday),
        ("2000-01-01", Weekday.saturday),
        ("1970-01-01", Weekday.thursday),
        ("1969-12-31", Weekday.wednesday),
        ("0001-01-01", Weekday.monday),
        ("2027-01-01", Weekday.friday),
        ("2024-02-29", Weekday.thursday),
        ("9999-12-31", Weekday.friday),
    ])
    func weekdayOfKnownDates(text: String, weekday: Weekday) {
        #expect(Day(iso: text)?.weekday == weekday)
    }

    @Test func weekdayCodesAndNames() {
        #expect(Weekday.monday.code == "mon")
        #expect(Weekday.sunday.code == "sun")
        #expect(Weekday(code: "thu") == .thursday)
        #expect(Weekday(code: "SAT") == .saturday)
        #expect(Weekday(code: "thursday") == nil)
        #expect(Weekday(code: "") == nil)
        #expect(Weekday.wednesday.name == "Wednesday")
        #expect(Weekday.monday < Weekday.sunday)
    }

    // MARK: Arithmetic

    @Test(arguments: [
        ("2026-12-31", 1, "2027-01-01"),
        ("2027-01-01", -1, "2026-12-31"),
        ("2026-01-31", 1, "2026-02-01"),
        ("2026-02-28", 1, "2026-03-01"),
        ("2028-02-28", 1, "2028-02-29"),
        ("2028-02-29", 1, "2028-03-01"),
        ("2024-03-01", -1, "2024-02-29"),
        ("2026-04-30", 1, "2026-05-01"),
        ("2026-12-07", 7, "2026-12-14"),
        ("2026-12-07", 25, "2027-01-01"),
        ("2026-12-07", 56, "2027-02-01"),
        ("2026-12-07", 365, "2027-12-07"),
        ("2027-12-07", 366, "2028-12-07"),
        ("2026-12-07", 0, "2026-12-07"),
        ("2026-12-07", -7, "2026-11-30"),
        ("1970-01-01", -1, "1969-12-31"),
        ("1999-12-31", 1, "2000-01-01"),
    ])
    func addingDays(from: String, days: Int, to: String) {
        #expect(Day(iso: from)!.adding(days: days) == Day(iso: to)!)
        #expect(Day(iso: to)! - Day(iso: from)! == days)
    }

    @Test func ordering() {
        #expect(Day(iso: "2026-12-31")! < Day(iso: "2027-01-01")!)
        #expect(Day(iso: "2026-12-07")! <= Day(iso: "2026-12-07")!)
        #expect(!(Day(iso: "2026-12-08")! < Day(iso: "2026-12-07")!))
        #expect(Day(iso: "2026-12-07")!.adding(days: 0) == Day(iso: "2026-12-07")!)
        #expect(Set([Day(iso: "2026-12-07")!, Day(year: 2026, month: 12, day: 7)!]).count == 1)
    }

    // MARK: Formatting

    // Dates are formatted by Foundation in the page's language; these pin English and Spanish.
    @Test(arguments: [
        ("2026-12-07", "Monday, December 7, 2026", "Dec 7", "lunes, 7 de diciembre de 2026", "7 dic"),
        ("2026-12-13", "Sunday, December 13, 2026", "Dec 13", "domingo, 13 de diciembre de 2026", "13 dic"),
        ("2027-01-01", "Friday, January 1, 2027", "Jan 1", "viernes, 1 de enero de 2027", "1 ene"),
        ("2026-09-05", "Saturday, September 5, 2026", "Sep 5", "sábado, 5 de septiembre de 2026", "5 sept"),
        ("2024-02-29", "Thursday, February 29, 2024", "Feb 29", "jueves, 29 de febrero de 2024", "29 feb"),
        ("2026-05-20", "Wednesday, May 20, 2026", "May 20", "miércoles, 20 de mayo de 2026", "20 may"),
        ("2026-06-30", "Tuesday, June 30, 2026", "Jun 30", "martes, 30 de junio de 2026", "30 jun"),
    ])
    func formatting(text: String, long: String, monthDay: String, spanishLong: String, spanishMonthDay: String) throws {
        let day = try #require(Day(iso: text))
        let site = try TestSite()
        let words = try #require(TemplateLoader(layout: site.layout, diagnostics: Diagnostics()).load()).words
        let en = try #require(words["en"]), es = try #require(words["es"])
        #expect(en.date(day, .long) == long)
        #expect(en.date(day, .monthDay) == monthDay)
        #expect(es.date(day, .long) == spanishLong)
        #expect(es.date(day, .monthDay) == spanishMonthDay)
    }
}
