/// The largest file of one kind Handout reads. Every input is read whole into memory and
/// every build reads every input, so one file saved by mistake (a video named `.png`, a
/// disk image named `.yaml`) must stop at a size, with a message, not fill the memory.
struct SizeLimit: Sendable {
    var bytes: Int
    /// "a plan", for "a plan may be at most 1 MB".
    var what: String

    static let megabyte = 1 << 20

    static let plan = SizeLimit(bytes: megabyte, what: "a plan")
    static let content = SizeLimit(bytes: megabyte, what: "a content file")
    static let settings = SizeLimit(bytes: megabyte, what: "site.yaml")
    static let strings = SizeLimit(bytes: megabyte, what: "a strings file")
    static let template = SizeLimit(bytes: megabyte, what: "a template")
    static let asset = SizeLimit(bytes: 10 * megabyte, what: "a template asset")
    static let picture = SizeLimit(bytes: 10 * megabyte, what: "a picture")

    /// The refusal of a file of `size` bytes (nil: it grew past the limit while being read).
    func refusal(_ path: String, size: Int?) -> FileFault {
        let found = size.map { "it is " + Self.describe($0) } ?? "it grew past that while being read"
        return FileFault("read", path, refusal: "\(found); \(what) may be at most \(Self.describe(bytes))")
    }

    /// "1 MB", "300 KB", "1.5 GB": sizes as a clinic's IT reads them.
    static func describe(_ bytes: Int) -> String {
        let units: [(Double, String)] = [(1_073_741_824, "GB"), (1_048_576, "MB"), (1024, "KB")]
        for (size, unit) in units where Double(bytes) >= size {
            // Rounded up, so a file just over a limit never reads as the limit itself.
            let tenths = (Double(bytes) / size * 10).rounded(.up)
            let text = tenths >= 100 || tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int((tenths / 10).rounded(.up))) : String(tenths / 10)
            return text + " " + unit
        }
        return "\(bytes) bytes"
    }
}

/// How much one plan may ask for. A plan is a few lines a therapist writes for one patient;
/// these bounds are far above any real plan and keep one mistaken or hostile file from
/// making gigabytes of pages (ten thousand exercise cards, a year of days each listing
/// them). Each is checked where it is written, with a positioned error.
enum PlanLimits {
    /// Exercises in one plan or protocol.
    static let exercises = 50
    /// Progressions in one plan or protocol.
    static let progressions = 5
    /// Education pages and included pages, each list.
    static let pages = 20
    /// Pauses in one plan.
    static let pauses = 20
    /// Cross-training activities.
    static let activities = 10
    /// Weeks × things to do (exercises, programs, cross-training): the calendar's size.
    static let calendarEntries = 2000
    /// Segments and settings in one stage of a progression.
    static let stageParts = 12
    /// Characters of a short text printed on every calendar day (titles, activities,
    /// names, segments); longer texts (notes, summaries) may hold `longText`.
    static let shortText = 200
    static let longText = 5000
}
