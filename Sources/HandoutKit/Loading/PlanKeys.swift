/// A key a plan or protocol file may hold: its name, what it holds and what it means.
/// `PlanReader` accepts exactly the keys of these tables, in this order (messages list them
/// so), and `PlanSchema` describes the same keys for editors: a key cannot be offered by
/// one and refused by the other.
struct PlanKey: Sendable {
    enum Value: Sendable {
        /// Any text.
        case text
        /// Text of at most `PlanLimits.shortText` characters.
        case shortText
        /// Text with something in it: the patient's name.
        case name
        case date
        case flag
        /// A number of weeks, or a week number.
        case weeks
        /// One of the library's names of this kind (`exercise`, `page`, `progression`, `protocol`).
        case libraryName(String)
        /// A list of education pages.
        case pages
        /// One of the site's languages.
        case language
        case weekdays
        case sides
        /// A dosage field, in this range.
        case count(ClosedRange<Int>)
        case hold
        /// A list of exercises, of programs (as `$defs` name them).
        case list(of: String)
        case changes
        case crossTraining
        case activities
        case pauses
        case reminders
    }

    var name: String
    var value: Value
    /// None where the schema's `$defs` entry says it.
    var description: String?

    init(_ name: String, _ value: Value, _ description: String? = nil) {
        self.name = name
        self.value = value
        self.description = description
    }
}

enum PlanKeys {
    /// The fields a plan and a protocol share; `basedOn` says what `protocol:` means in each.
    private static func shared(basedOn: String) -> [PlanKey] {
        [
            PlanKey("therapist", .text, "The therapist's name, printed on the handout and shown in the clinic index."),
            PlanKey("condition", .text, "What the plan treats, shown in the clinic index."),
            PlanKey("weeks", .weeks, "How many weeks the calendar covers, counted from the week of 'start'."),
            PlanKey("protocol", .libraryName("protocol"), basedOn),
            PlanKey("exercises", .list(of: "exercise"), "The home exercises, each a card on the handout and a tick box on the calendar."),
            PlanKey("progressions", .list(of: "progression"), "Return-to-activity programs (such as walk/run), shown as a table of stages."),
            PlanKey("cross_training", .crossTraining, "Other activities the patient may do, on the days with no program session."),
            PlanKey("education", .pages, "Education pages printed with the handout."),
            PlanKey("notes", .text, "Your notes for the patient (Markdown), printed on the handout."),
            PlanKey("language", .language, "The patient's language (a strings file in Templates/strings/); default: site.yaml's."),
            PlanKey("large_print", .flag, "Large print for this patient; default: site.yaml's."),
            PlanKey("include_pages", .pages, "Pages for the handout's safety box; replaces site.yaml's list."),
            PlanKey("pain_rule", .libraryName("page"),
                    "The education page whose summary prints beside the pain log on every calendar page and whose text "
                    + "heads the handout's safety box, like pain-monitoring; replaces site.yaml's."),
        ]
    }

    /// `pauses`, `ended` and `reminders` are about one patient's weeks, never a protocol's.
    static let plan: [PlanKey] = [
        PlanKey("patient", .name, "The patient's name, printed on the handout and calendar. Never put it in the plan's file name."),
        PlanKey("start", .date, "The plan's first day (YYYY-MM-DD); the calendar begins in this week."),
    ] + shared(basedOn: "A protocol to start from: fields written here replace the protocol's.") + [
        PlanKey("pauses", .pauses, "Days the patient stops (ill, away), inside the plan's days and not overlapping: nothing is due on them, "
                + "and each program takes up again at the stage it had reached."),
        PlanKey("ended", .date, "Discharged early: the plan's last day (YYYY-MM-DD); nothing is due after it, and the index shows the plan as ended."),
        PlanKey("reminders", .reminders,
                "The patient's phone reminds them at this time on each day of the .ics ('none': no reminder); default: site.yaml's."),
    ]

    static let `protocol`: [PlanKey] = [
        PlanKey("title", .text, "The protocol's name in the library and in 'handout list protocols'."),
    ] + shared(basedOn: "A protocol this one is based on: fields written here replace that protocol's.")

    /// `{ from: 2026-12-21, to: 2026-12-27, note: Flu }`.
    static let pause: [PlanKey] = [
        PlanKey("from", .date, "The first day of the pause (YYYY-MM-DD)."),
        PlanKey("to", .date, "The last day of the pause (YYYY-MM-DD), on or after 'from'."),
        PlanKey("note", .shortText, "Printed on each paused day, like 'Flu'."),
    ]

    static let crossTraining: [PlanKey] = [
        PlanKey("activities", .activities, "The activities, like [cycling, swimming]."),
        PlanKey("days", .weekdays),
        PlanKey("note", .text, "A note printed with the cross-training."),
    ]

    static let progression: [PlanKey] = [
        PlanKey("progression", .libraryName("progression"), "The program, by file name."),
        PlanKey("start", .date, "When the program starts (YYYY-MM-DD), such as when the patient is cleared to run; default: the plan's start."),
        PlanKey("days", .weekdays),
    ]

    /// The dosage fields, in `Dosage.fieldNames` order.
    static let dosage: [PlanKey] = [
        PlanKey("reps", .count(Dosage.repsRange), "Repetitions in a set."),
        PlanKey("sets", .count(Dosage.setsRange), "Sets per session."),
        PlanKey("hold", .hold, "How long to hold, like '30 s', '1 min' or '1 min 30 s' (at most 60 min); a bare number is seconds."),
        PlanKey("daily", .count(Dosage.dailyRange), "Sessions per day."),
        PlanKey("weekly", .count(Dosage.weeklyRange), "Days per week; the clinic's usual days are used unless 'days' names them."),
    ]

    static let exercise: [PlanKey] = [
        PlanKey("exercise", .libraryName("exercise"), "The exercise, by file name."),
        PlanKey("days", .weekdays),
        PlanKey("sides", .sides, "each: on the left and on the right (a tick box for each); left or right: that side only; "
                + "none: not per side. Default: the exercise's."),
        PlanKey("note", .text, "A note for the patient, printed on the exercise's card."),
        PlanKey("changes", .changes, "Dosage changes from a given week, like { week: 3, sets: 3 }."),
    ] + dosage

    /// `{ week: 3, sets: 3 }`: a change of dose or days from a week on.
    static let change: [PlanKey] = [
        PlanKey("week", .weeks, "The week this change starts in; it lasts until the next change."),
        PlanKey("days", .weekdays, "New days from this week on; WEEKLY becomes their number."),
    ] + dosage

    static func names(_ keys: [PlanKey]) -> [String] { keys.map(\.name) }
}
