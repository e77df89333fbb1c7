/// `calendar.mustache`: the calendar page around its weeks.
struct CalendarPage: TemplateContext {
    var clinic: ClinicDetails
    var patient: String
    /// "Version 3f9a2c1e", in the running head of every printed page.
    var version: String
    var start: String
    var end: String
    var handoutHref = "index.html"
    var icsHref = "calendar.ics"
    var ended: String?
    /// What cross-training days ask for, printed once: "walking or swimming. 20 minutes, easy effort."
    var crossTraining: String?
    /// "L: left side. R: right side." when tick boxes are marked with their side.
    var sidesKey: Bool
    /// Printed at the foot of every page of the landscape calendar (large print: in each week).
    var painRule: PainRule?
    /// Large print: each week rendered with `calendar-week-log`; otherwise with `calendar-week`.
    var largePrint: Bool
    var dayNames: [DayName]
    /// Each week rendered.
    var weeks: HTML

    struct DayName: Codable {
        var name: String
        var short: String
    }
}

/// The pain rule's short text (its page's summary), and its language when not the page's.
struct PainRule: Codable {
    var text: String
    var lang: String?
}

/// `calendar-week.mustache`: one week's row. `label`: "Week 3" in the page's language.
struct CalendarWeek: TemplateContext {
    var number: String
    var label: String
    var range: String
    /// Each day rendered with `calendar-day`.
    var days: HTML
}

/// `calendar-day.mustache`: one day's cell.
struct CalendarDay: TemplateContext {
    var date: String
    var weekday: String
    var `class`: String
    var inPlan: Bool
    var rest: Bool
    /// Each rendered with `calendar-item`; absent on rest days and before the plan starts.
    var items: HTML?
    /// A paused day (with the pause's note) or a day after the plan ended: nothing is due.
    var paused: Bool
    var pauseNote: String?
    var ended: Bool
}

/// `calendar-item.mustache`: one thing to do on a day: a tick box for each session (DAILY) and
/// side; `several` when there is more than one.
struct CalendarItem: TemplateContext {
    var label: String
    var detail: String?
    var kind: String
    var note: String?
    var labelLang: String?
    var noteLang: String?
    var ticks: [Tick]
    var several: Bool
}

/// A tick box, named for a screen reader (`aria`) and marked with its side ("L").
struct Tick: Codable {
    var aria: String
    var mark: String?
}

/// `calendar-week-log.mustache`, large print: one week as a table with a row for each thing to
/// do and a column for each day.
struct CalendarWeekLog: TemplateContext {
    var number: String
    var label: String
    var range: String
    var notes: String
    var days: [DayColumn]
    var pauses: Group<String>?
    var rows: [Row]
    var pain: [PainCell]
    var painRule: PainRule?

    /// `paused`, `ended`: "Paused" or "Plan ended" under the date.
    struct DayColumn: Codable {
        var `class`: String
        var weekday: String
        var short: String
        var day: String
        var paused: Bool
        var ended: Bool
    }

    /// A thing to do; in a day's cell a tick box for each session the day asks for, each side
    /// apart (marked L, R) when the sides are ticked apart.
    struct Row: Codable {
        var kind: String
        var label: String
        var dose: String?
        var note: String?
        var labelLang: String?
        var noteLang: String?
        var cells: [Cell]
    }

    struct Cell: Codable {
        var `class`: String
        var ticks: [Tick]
    }

    struct PainCell: Codable {
        var `class`: String
        var inPlan: Bool
        var aria: String
    }
}
