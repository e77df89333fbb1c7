import Foundation

/// The `.ics` file: each day's items in the words and boxes the paper prints.
extension SiteRenderer {
    func calendarFile(_ plan: Plan, agenda: Agenda, words: Words) -> [UInt8] {
        // Most days repeat another day's list; each distinct one is worded (and escaped and
        // folded) once.
        var wording: [[Int]: ICalendar.Event] = [:]
        let events = agenda.schedule.days.filter(\.hasItems).map { day -> ICalendar.Event in
            let items = agenda.items[day.date, default: []]
            let keys = items.map(\.id)
            var event = wording[keys] ?? {
                let items = items.map(\.item)
                // The same tick boxes as the paper: one per session (DAILY), each side apart.
                func summary(_ item: Item) -> String {
                    if item.kind == "session" { return item.detail ?? item.label }
                    return item.times > 1 ? words.phrase("ics_times", ["item": item.label, "n": "\(item.times)"]) : item.label
                }
                func boxes(_ item: Item) -> String {
                    let one = item.sides.isEmpty ? "☐" : item.sides.map { "☐ " + $0.mark }.joined(separator: " ")
                    return Array(repeating: one, count: item.times).joined(separator: " ")
                }
                // In the paper's order: the boxes, the label, a stage's note (whole: a phone has
                // room for it), the dose or stage.
                func line(_ item: Item) -> String {
                    boxes(item) + " " + item.label + (item.wholeNote.map { " (" + $0 + ")" } ?? "") + (item.detail.map { " — " + $0 } ?? "")
                }
                let summaryText = items.map(summary).joined(separator: ", ")
                let event = ICalendar.Event(date: day.date, summary: summaryText,
                                            description: items.map(line).joined(separator: "\n"),
                                            alarm: plan.reminder.map { _ in words.phrase("ics_reminder", ["items": summaryText]) })
                wording[keys] = event
                return event
            }()
            event.date = day.date
            return event
        }
        return ICalendar.document(planID: plan.id, calendarName: words.phrase("ics_calendar_name", ["clinic": site.clinic]),
                                  stamp: plan.start, events: events, reminder: plan.reminder)
    }
}
