import Foundation

/// A plan's pauses: inside its days, none overlapping, and the stages they push off the calendar.
extension PlanChecker {
    /// Pauses inside the plan's days (from its start to its last day, and not after
    /// `ended`), none overlapping another; in date order.
    func checkedPauses(_ pauses: [Pause], start: Day, lastDay: Day, ended: (day: Day, location: SourceLocation)?) -> [Pause] {
        var kept: [Pause] = []
        for pause in pauses {
            if pause.from < start {
                diagnostics.error("the pause starts on \(pause.from.iso), before the plan's start \(start.iso)", at: pause.location)
            } else if pause.to > lastDay {
                diagnostics.error("the pause ends on \(pause.to.iso), after the plan's last day \(lastDay.iso); a pause does not make "
                                  + "the calendar longer: end it by then, or add weeks", at: pause.location)
            } else if let ended, pause.from > ended.day {
                diagnostics.error("the pause starts on \(pause.from.iso), after the plan ended on \(ended.day.iso) (line \(ended.location.line)); remove it",
                                  at: pause.location)
            } else if let other = kept.first(where: { $0.from <= pause.to && pause.from <= $0.to }) {
                diagnostics.error("this pause (\(pause.from.iso) to \(pause.to.iso)) overlaps the pause on line \(other.location.line) "
                                  + "(\(other.from.iso) to \(other.to.iso)); make them one pause", at: pause.location)
            } else {
                // Nothing is planned after the plan ended: the paper says the pause ran to then.
                var pause = pause
                if let ended, pause.to > ended.day { pause.to = ended.day }
                kept.append(pause)
            }
        }
        return kept.sorted { $0.from < $1.from }
    }

    /// A pause moves each program's later stages later; those it moves past the calendar's
    /// last day are no longer on it. The plan keeps its weeks (the calendar is the paper the
    /// patient has), so the therapist is told which stages fell off and can add weeks.
    func warnAboutStagesPausedAway(_ plan: Plan) {
        guard let first = plan.pauses.first, !plan.progressions.isEmpty else { return }
        let inputs = ScheduleInputs(library: library)
        var unpaused = plan
        unpaused.pauses = []
        let weekStarts = library.site.weekStarts
        let reached = Scheduler.schedule(plan, inputs: inputs, weekStarts: weekStarts).highestStages()
        let before = Scheduler.schedule(unpaused, inputs: inputs, weekStarts: weekStarts).highestStages()
        for planned in plan.progressions {
            guard let was = before[planned.slug], (reached[planned.slug] ?? -1) < was else { continue }
            let lost = (reached[planned.slug] ?? -1) + 2
            let one = lost == was + 1
            let stages = one ? "stage \(lost)" : "stages \(lost) to \(was + 1)"
            // An ended plan stops on its day: more weeks would not bring the stages back.
            let room = plan.ended.map { "before the plan ended on \($0.iso)" } ?? "in the plan's \(plan.weeks) weeks"
            let remedy = plan.ended == nil ? "add weeks to show them" : "shorten the pause to show them"
            diagnostics.warning("with the pause\(plan.pauses.count > 1 ? "s" : ""), \(stages) of '\(planned.slug)' no longer "
                                + (one ? "fits \(room) and is" : "fit \(room) and are") + " not on the calendar; \(remedy)", at: first.location)
        }
    }
}
