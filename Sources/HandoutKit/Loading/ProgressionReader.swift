/// Reads a progression's front matter: schedule, advance rule and stages (ladders expanded).
struct ProgressionReader {
    /// A ladder longer than this is surely a typo in `step` or `until`.
    static let maximumStages = 200

    func schedule(_ node: YAMLNode) -> (SessionDays, UsualDays)? {
        guard let map = node.mapping(keys: ["per_week", "back_to_back", "days"]) else { return nil }
        if let days = map["days"] {
            if let perWeek = map["per_week"] {
                perWeek.error("write either per_week or days, not both")
                return nil
            }
            guard let weekdays = days.weekdays() else { return nil }
            return (.weekdays(weekdays), .days(weekdays))
        }
        guard let perWeek = map.required("per_week", hint: ", like 'per_week: 3'")?
            .integer(in: 1...7, meaning: "a number of sessions per week") else { return nil }
        let backToBack = map["back_to_back"]?.bool() ?? true
        let weekdays = Weekday.forTimesPerWeek(perWeek)
        if backToBack || !Self.hasBackToBack(weekdays) {
            return (.weekdays(weekdays), .perWeek(perWeek, neverBackToBack: !backToBack))
        }
        guard perWeek == 4 else {
            map["per_week"]!.error("\(perWeek) sessions a week cannot avoid back-to-back days; use per_week: 4 or fewer with back_to_back: false")
            return nil
        }
        return (.everyOtherDay, .everyOtherDay)
    }

    /// Consecutive weekdays, counting Sunday to Monday.
    static func hasBackToBack(_ days: [Weekday]) -> Bool {
        let set = Set(days.map(\.rawValue))
        return set.contains { set.contains(($0 + 1) % 7) }
    }

    func advance(_ node: YAMLNode) -> AdvanceRule? {
        guard let map = node.mapping(keys: ["every", "at_most", "if", "otherwise"]) else { return nil }
        let every = map.required("every", hint: ", like 'every: 2-3 days'").flatMap(interval)
        var atMost: Int?
        if let node = map["at_most"], let text = node.text() {
            let words = text.split(separator: " ")
            if words.count == 3, let n = Int(words[0]), (1...7).contains(n), words[1] == "per", words[2] == "week" {
                atMost = n
            } else {
                node.error("at_most must read 'N per week' with N from 1 to 7, like 'at_most: 2 per week'; found \(node.found)")
                return nil
            }
        }
        guard let every else { return nil }
        return AdvanceRule(every: every, atMostPerWeek: atMost, condition: map["if"]?.text(), otherwise: map["otherwise"]?.text())
    }

    /// `N days`, `N-M days`, `N sessions`, `N weeks` (singular too).
    func interval(_ node: YAMLNode) -> AdvanceInterval? {
        let fail = {
            node.error("every must be 'N days', 'N-M days', 'N sessions' or 'N weeks', like 'every: 2-3 days'; found \(node.found)")
        }
        guard let text = node.text() else { return nil }
        let words = text.split(separator: " ")
        guard words.count == 2 else { fail(); return nil }
        let range = words[0].split(separator: "-", omittingEmptySubsequences: false).flatMap { $0.split(separator: "–") }
        guard (1...2).contains(range.count), let low = Int(range[0]), (1...365).contains(low) else { fail(); return nil }
        let high = range.count == 2 ? Int(range[1]) : nil
        if range.count == 2 {
            guard let high, high > low, high <= 365 else {
                node.error("in \(quoted(text)) the second number must be larger than the first, like '2-3 days'")
                return nil
            }
        }
        let unit = words[1].hasSuffix("s") ? String(words[1].dropLast()) : String(words[1])
        switch unit {
        case "day": return .days(low, upTo: high)
        case "session" where high == nil: return .sessions(low)
        case "week" where high == nil: return .weeks(low)
        case "session", "week":
            node.error("a range is only allowed in days, like '2-3 days'; found \(node.found)")
            return nil
        default:
            fail()
            return nil
        }
    }

    func stages(_ node: YAMLNode) -> [Stage]? {
        guard let items = node.list() else { return nil }
        if items.isEmpty {
            node.error("stages must list at least one stage, like '- intervals: [walk 1 min, run 1 min]'")
            return nil
        }
        var stages: [Stage] = []
        var failed = false
        // Each stage's calendar wording and the stage it first belonged to: a patient ticking
        // the calendar must be able to tell which stage the day asks for.
        var printed: [String: Int] = [:]
        // A stage with errors still counts as one, so later stages are numbered as the file and
        // the printed table number them.
        var unread = 0
        for item in items {
            guard let expanded = stage(item) else {
                failed = true
                unread += 1
                continue
            }
            if let previous = stages.last, let first = expanded.first {
                let changed = Self.changedAmounts(from: previous, to: first)
                if changed.count > 1 {
                    item.warning("this stage changes \(plainList(changed)) at once; change one variable at a time")
                }
            }
            for (offset, stage) in expanded.enumerated() {
                let number = stages.count + unread + offset + 1
                if let earlier = printed[stage.calendarText] {
                    item.error("stage \(number) prints on the calendar exactly like stage \(earlier) ('\(stage.calendarText)'); "
                               + "add a setting (like 'band red' or 'level 2') or a note that tells them apart")
                    failed = true
                } else {
                    printed[stage.calendarText] = number
                }
            }
            stages += expanded
            if stages.count > Self.maximumStages {
                item.error("more than \(Self.maximumStages) stages; check the ladder's step and until")
                return nil
            }
        }
        return failed ? nil : stages
    }

    /// Segments whose amount changes between two stages of the same shape. A stage that adds,
    /// drops or swaps an activity is a new kind of session, not a dose change.
    /// A setting added, dropped or changed counts as one change (`band`, `level`).
    static func changedAmounts(from a: Stage, to b: Stage) -> [String] {
        guard a.segments.count == b.segments.count,
              zip(a.segments, b.segments).allSatisfy({ $0.activity == $1.activity && $0.unit == $1.unit }) else { return [] }
        let amounts = zip(a.segments, b.segments).filter { $0.amount != $1.amount }.map { "\($0.0.activity) \($0.0.measure)" }
        let before = Dictionary(a.settings.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(b.settings.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let settings = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
        return amounts + settings
    }

    private func stage(_ node: YAMLNode) -> [Stage]? {
        guard let map = node.mapping(keys: ["intervals", "ladder", "repeat", "note"]) else { return nil }
        let repeatCount = map["repeat"].flatMap(repeatCount)
        // A bad repeat is reported and the rest of the stage read, so its other mistakes come too.
        let repeatFailed = map["repeat"] != nil && repeatCount == nil
        let note = map["note"]?.text()
        switch (map["intervals"], map["ladder"]) {
        case (let intervals?, nil):
            guard let (segments, settings) = segmentsAndSettings(intervals), !repeatFailed else { return nil }
            return [Stage(segments: segments, settings: settings, repeatCount: repeatCount, note: note)]
        case (nil, let ladder?):
            guard let stages = self.ladder(ladder), !repeatFailed else { return nil }
            return stages.map { Stage(segments: $0.segments, settings: $0.settings, repeatCount: repeatCount, note: note) }
        case (_?, _?):
            map["ladder"]!.error("a stage has either intervals or a ladder, not both")
            return nil
        case (nil, nil):
            node.error("a stage needs 'intervals: [walk 1 min, run 1 min]' or a 'ladder'")
            return nil
        }
    }

    func repeatCount(_ node: YAMLNode) -> RepeatCount? {
        guard let text = node.text() else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).flatMap { $0.split(separator: "–") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let numbers = parts.compactMap { Int($0) }
        if numbers.count == 2, parts.count == 2, numbers[0] == numbers[1], (1...100).contains(numbers[0]) {
            node.error("repeat \(text) is one number; write 'repeat: \(numbers[0])'")
            return nil
        }
        guard numbers.count == parts.count, (1...2).contains(numbers.count), numbers.allSatisfy({ (1...100).contains($0) }),
              numbers.count == 1 || numbers[0] < numbers[1] else {
            node.error("repeat must be a number or a range like 3-5 (from 1 to 100); found \(node.found)")
            return nil
        }
        return RepeatCount(low: numbers[0], high: numbers.last!)
    }

    /// A list of segments (`walk 1 min`) and settings (`band red`), each setting at most once.
    func segmentsAndSettings(_ node: YAMLNode) -> (segments: [Segment], settings: [Setting])? {
        guard let items = node.list() else { return nil }
        if items.isEmpty {
            node.error("\(node.name ?? "intervals") must list at least one segment, like [walk 1 min, run 1 min]")
            return nil
        }
        var segments: [Segment] = [], settings: [Setting] = [], failed = false
        for item in items.prefix(limit: PlanLimits.stageParts, of: "segments and settings", in: "a stage",
                                  advice: "make it several stages") {
            guard let text = item.text(atMost: PlanLimits.shortText) else { failed = true; continue }
            switch Setting.parse(text) {
            case .success(let setting):
                if settings.contains(where: { $0.name == setting.name }) {
                    item.error("'\(setting.name)' is set twice in this stage; keep one")
                    failed = true
                } else {
                    settings.append(setting)
                }
            case .failure(.value(let name)):
                item.error("\(quoted(text)) " + Self.settingHint(name))
                failed = true
            case .failure(.notASetting):
                if let segment = segment(item) { segments.append(segment) } else { failed = true }
            }
        }
        if items.count > PlanLimits.stageParts { failed = true }
        if !failed, segments.isEmpty {
            node.error("\(node.name ?? "intervals") needs at least one amount, like 'cycle 30 min'; settings such as '\(settings[0].text)' only describe it")
            failed = true
        }
        return failed ? nil : (segments, settings)
    }

    /// What a setting's value must look like.
    static func settingHint(_ name: String) -> String {
        switch name {
        case "level": "must give a number, like 'level 4'"
        case "incline": "must give a percentage, like 'incline 2%'"
        case "band": "must give the band's colour in one word, like 'band red'"
        default: "must give one to four words after '\(name)', like '\(name) grass'"
        }
    }

    func segment(_ node: YAMLNode) -> Segment? {
        guard let text = node.text() else { return nil }
        switch Segment.parse(text) {
        case .success(let segment): return segment
        case .failure(.unit(let unit)):
            // No "did you mean": a near miss ('in' for 'min') is more often another unit entirely.
            node.error("unknown unit \(quoted(unit)) in \(quoted(text)); the units are "
                       + plainList(Segment.unitMeanings.map { "\($0) (\($1))" }))
        case .failure(.amount(let amount)):
            node.error("\(quoted(amount)) in \(quoted(text)) is not an amount; write a number like 1 or 0.5")
        case .failure:
            let first = text.split(separator: " ").first.map(String.init) ?? ""
            let setting = Suggestion.closest(to: first, in: Setting.names).map { "; did you mean the setting '\($0)'?" } ?? ""
            node.error("segment \(quoted(text)) must read '<activity> <amount> <unit>', like 'walk 1 min' or 'step-up 6 in', "
                       + "or be a setting like 'band red' or 'incline 2%'" + setting)
        }
        return nil
    }

    /// Stages from `start`, changing one segment by `step` each time, up to and including `until`.
    /// Settings in `start` stay the same on every rung.
    func ladder(_ node: YAMLNode) -> [(segments: [Segment], settings: [Setting])]? {
        guard let map = node.mapping(keys: ["start", "step", "until"]) else { return nil }
        let startItems = map.required("start", hint: ", like 'start: [walk 1 min, run 1 min]'").flatMap(segmentsAndSettings)
        let start = startItems?.segments
        let stepNode = map.required("step", hint: ", like 'step: run +1 min'")
        let step = stepNode.flatMap(self.step)
        let until = map.required("until", hint: ", like 'until: run 10 min'").flatMap(segment)
        guard let start, let settings = startItems?.settings, let stepNode, let step, let until, let untilNode = map["until"] else { return nil }
        guard let index = start.firstIndex(where: { $0.activity == step.segment.activity && $0.unit == step.segment.unit }) else {
            stepNode.error("step changes '\(step.segment.activity) … \(step.segment.unit)' but start has no such segment; start has "
                           + start.map { "'\($0.text)'" }.joined(separator: ", "))
            return nil
        }
        guard until.activity == step.segment.activity, until.unit == step.segment.unit else {
            untilNode.error("until must be a '\(step.segment.activity) … \(step.segment.unit)' segment, like the step; found '\(until.text)'")
            return nil
        }
        // A step up (`run +1 min`) or down (`walk -1 min`: shorter walking breaks).
        let from = start[index].amount.thousandths, to = until.amount.thousandths
        let by = step.down ? -step.segment.amount.thousandths : step.segment.amount.thousandths
        guard to != from else {
            untilNode.error("until '\(until.text)' is where the ladder starts; give the last stage's '\(until.activity) … \(until.unit)', "
                            + "or write a single stage as 'intervals: [...]'")
            return nil
        }
        guard step.down ? to < from : to > from, (to - from) % by == 0 else {
            untilNode.error("the ladder never reaches '\(until.text)': from '\(start[index].text)' in steps of "
                            + "\(step.down ? "-" : "+")\(step.segment.amount.text) \(step.segment.unit)")
            return nil
        }
        guard (to - from) / by < Self.maximumStages else {
            untilNode.error("the ladder would have more than \(Self.maximumStages) stages; use a larger step")
            return nil
        }
        return stride(from: from, through: to, by: by).map { amount in
            var stage = start
            stage[index].amount = Amount(thousandths: amount)
            return (stage, settings)
        }
    }

    /// `run +1 min`, or `walk -1 min` for a ladder that counts down.
    private func step(_ node: YAMLNode) -> (segment: Segment, down: Bool)? {
        guard let text = node.text() else { return nil }
        let words = text.split(separator: " ")
        guard words.count == 3, let sign = words[1].first, sign == "+" || sign == "-",
              case .success(let segment) = Segment.parse("\(words[0]) \(words[1].dropFirst()) \(words[2])") else {
            node.error("step must read '<activity> +<amount> <unit>' or '<activity> -<amount> <unit>', like 'run +1 min' or 'walk -1 min'; found \(node.found)")
            return nil
        }
        return (segment, sign == "-")
    }
}

import Foundation
