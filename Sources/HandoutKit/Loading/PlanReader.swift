import Foundation

/// Reads plan and protocol YAML. Shape and types only; references are checked by `PlanChecker`.
enum PlanReader {
    /// The keys each kind of mapping may hold, from the table `PlanSchema` describes too.
    static let planKeys = PlanKeys.names(PlanKeys.plan)
    static let protocolKeys = PlanKeys.names(PlanKeys.protocol)
    static let pauseKeys = PlanKeys.names(PlanKeys.pause)
    static let exerciseKeys = PlanKeys.names(PlanKeys.exercise)
    static let changeKeys = PlanKeys.names(PlanKeys.change)
    static let progressionKeys = PlanKeys.names(PlanKeys.progression)
    static let crossTrainingKeys = PlanKeys.names(PlanKeys.crossTraining)
    static let maximumWeeks = 52

    /// A plan as written, before its protocol is merged in.
    struct Draft {
        var id: String
        var path: String
        var patient: String?
        var start: Day?
        var protocolReference: (slug: String, location: SourceLocation)?
        var fields: PlanFields
        var location: SourceLocation
        /// Written but invalid fields, already reported; not to be reported again as missing.
        var invalid: Set<String> = []
        /// Where the plan sets `weeks`, if it does.
        var weeksLocation: SourceLocation?
        /// As written; checked against the plan's dates by `PlanChecker`.
        var pauses: [Pause] = []
        var ended: (day: Day, location: SourceLocation)?
        var reminders: ReminderSetting?
    }

    static func readPlan(id: String, text: String, source: YAMLSource) -> Draft? {
        guard let root = source.parse(text, whenEmpty: "plan is empty; it needs at least 'patient:' and 'start:'") else {
            return nil
        }
        guard let map = root.mapping(keys: planKeys) else { return nil }
        let patient = map.required("patient")?.nonEmptyText(atMost: PlanLimits.shortText, oneLine: true, hint: "write the patient's name, like 'patient: Jordan Rivera'")
        let start = map.required("start", hint: ", like 'start: 2026-12-07'")?.date()
        let fields = readFields(map)
        var draft = Draft(id: id, path: source.path, patient: patient, start: start,
                          protocolReference: protocolReference(map), fields: fields, location: root.location)
        if map.has("weeks"), fields.weeks == nil { draft.invalid.insert("weeks") }
        draft.weeksLocation = map["weeks"]?.location
        if let list = map["pauses"]?.list() {
            draft.pauses = list.prefix(limit: PlanLimits.pauses, of: "pauses", in: "a plan",
                                       advice: "join pauses that are close together into one").compactMap(pause)
        }
        if let node = map["ended"], let day = node.date() { draft.ended = (day, node.location) }
        draft.reminders = map["reminders"]?.reminderSetting()
        return draft
    }

    /// `{ from: 2026-12-21, to: 2026-12-27, note: Flu }`.
    private static func pause(_ node: YAMLNode) -> Pause? {
        guard let map = node.mapping(keys: pauseKeys) else { return nil }
        let from = map.required("from", hint: ", the first day of the pause, like 'from: 2026-12-21'")?.date()
        let to = map.required("to", hint: ", the last day of the pause, like 'to: 2026-12-27'")?.date()
        let note = map["note"]?.text(atMost: PlanLimits.shortText)
        guard let from, let to else { return nil }
        if to < from {
            map["to"]?.error("the pause ends on \(to.iso), before it starts on \(from.iso); 'from' is the first day off and 'to' the last")
            return nil
        }
        return Pause(from: from, to: to, note: nonEmpty(note), location: node.location)
    }

    static func readProtocol(slug: String, path: String, text: String, source: YAMLSource) -> TreatmentProtocol? {
        guard let root = source.parse(text, whenEmpty: "protocol is empty; list at least its exercises") else {
            return nil
        }
        // A plan's own keys, said plainly: a protocol is shared by the plans that name it.
        let planOnly = Set(planKeys).subtracting(protocolKeys).sorted()
        let elsewhere = Dictionary(uniqueKeysWithValues: planOnly.map {
            ($0, "a protocol is shared by every plan that names it, so '\($0)' goes in each plan, not here")
        })
        guard let map = root.mapping(keys: protocolKeys, elsewhere: elsewhere) else { return nil }
        let reference = protocolReference(map)
        if let reference, reference.slug == slug {
            source.diagnostics.error("protocol '\(slug)' cannot be based on itself", at: reference.location)
        }
        return TreatmentProtocol(slug: slug, path: path, title: map["title"]?.text(atMost: PlanLimits.shortText, oneLine: true),
                                 base: reference?.slug, baseLocation: reference?.location, fields: readFields(map))
    }

    private static func protocolReference(_ map: YAMLMapping) -> (slug: String, location: SourceLocation)? {
        guard let node = map["protocol"], let slug = node.slug() else { return nil }
        return (slug, node.location)
    }

    private static func readFields(_ map: YAMLMapping) -> PlanFields {
        var fields = PlanFields()
        fields.therapist = map["therapist"]?.text(atMost: PlanLimits.shortText, oneLine: true)
        fields.condition = map["condition"]?.text(atMost: PlanLimits.shortText)
        fields.weeks = map["weeks"]?.integer(in: 1...maximumWeeks, meaning: "a number of weeks")
        fields.notes = map["notes"].flatMap { node in node.text().map { PlanNotes(text: $0, place: node.textPlace) } }
        if let list = map["exercises"]?.list() {
            fields.exercises = list.prefix(limit: PlanLimits.exercises, of: "exercises").compactMap(exercise)
        }
        if let list = map["progressions"]?.list() {
            fields.progressions = list.prefix(limit: PlanLimits.progressions, of: "progressions").compactMap(progression)
        }
        if let node = map["cross_training"] {
            fields.crossTraining = crossTraining(node)
        }
        if let list = map["education"]?.list() {
            fields.education = list.prefix(limit: PlanLimits.pages, of: "education pages").compactMap { item in
                item.slug().map { PageReference(slug: $0, location: item.location) }
            }
        }
        if let node = map["language"], let code = node.languageTag() {
            fields.language = LanguageChoice(code: code, location: node.location)
        }
        fields.largePrint = map["large_print"]?.bool()
        if let list = map["include_pages"]?.list() {
            fields.includePages = list.prefix(limit: PlanLimits.pages, of: "included pages").compactMap { item in
                item.slug().map { PageReference(slug: $0, location: item.location) }
            }
        }
        if let node = map["pain_rule"], let slug = node.slug() {
            fields.painRule = PageReference(slug: slug, location: node.location)
        }
        return fields
    }

    private static func exercise(_ node: YAMLNode) -> PlannedExercise? {
        if reportBareName(node, key: "exercise") { return nil }
        guard let map = node.mapping(keys: exerciseKeys) else { return nil }
        let slug = map.required("exercise", hint: ", the exercise's file name, like 'exercise: forearm-plank'")?.slug()
        let dosage = DosageReader.fields(of: map)
        let days = map["days"]?.weekdays()
        if let days, let daysNode = map["days"] { checkAgreement(days: days, weekly: dosage.weekly, at: daysNode) }
        var changes: [DosageChange] = []
        if let list = map["changes"]?.list() {
            for item in list {
                guard let change = item.mapping(keys: changeKeys) else { continue }
                guard let week = change.required("week", hint: ", like '{ week: 3, sets: 3 }'")?
                    .integer(in: 1...maximumWeeks, meaning: "a week number") else { continue }
                let dosage = DosageReader.fields(of: change)
                let days = change["days"]?.weekdays()
                if dosage.isEmpty, days == nil {
                    if !change.has("days") {
                        item.error("change for week \(week) changes nothing; add a dosage field like 'sets: 3'")
                    }
                    continue
                }
                if let days, let daysNode = change["days"] { checkAgreement(days: days, weekly: dosage.weekly, at: daysNode) }
                changes.append(DosageChange(week: week, dosage: dosage, location: item.location, days: days))
            }
        }
        var seenWeeks = Set<Int>()
        for change in changes where !seenWeeks.insert(change.week).inserted {
            node.source.diagnostics.error("week \(change.week) has two changes; put them in one entry", at: change.location)
        }
        changes.sort { $0.week < $1.week }
        // With days in force, WEEKLY is their number: a change of weekly alone would contradict them.
        var daysInForce = days
        for change in changes {
            if let days = change.days {
                daysInForce = days
            } else if let weekly = change.dosage.weekly, let fixed = daysInForce {
                node.source.diagnostics.error("week \(change.week) changes weekly to \(weekly) but this exercise is done on "
                                              + "\(fixed.map(\.code).joined(separator: ", ")); to change the days from week \(change.week), "
                                              + "write 'days: [...]' in this change instead of weekly", at: change.location)
            }
        }
        let sides = map["sides"]?.sides()
        guard let slug else { return nil }
        return PlannedExercise(slug: slug, dosage: dosage, days: days, note: map["note"]?.text(),
                               changes: changes, location: map["exercise"]!.location, sides: sides)
    }

    /// One truth for a week's dose: WEEKLY written beside days must be their number.
    private static func checkAgreement(days: [Weekday], weekly: Int?, at node: YAMLNode) {
        guard let weekly, days.count != weekly else { return }
        node.error("days lists \(days.count) day\(days.count == 1 ? "" : "s") (\(days.map(\.code).joined(separator: ", "))) "
                   + "but weekly is \(weekly); remove weekly (the days say how many) or make them agree")
    }

    private static func progression(_ node: YAMLNode) -> PlannedProgression? {
        if reportBareName(node, key: "progression") { return nil }
        guard let map = node.mapping(keys: progressionKeys) else { return nil }
        let slug = map.required("progression", hint: ", the progression's file name, like 'progression: walk-run'")?.slug()
        let start = map["start"]?.date()
        let days = map["days"]?.weekdays()
        guard let slug else { return nil }
        return PlannedProgression(slug: slug, start: start, startLocation: map["start"]?.location, days: days,
                                  location: map["progression"]!.location)
    }

    /// `- forearm-plank` where `- exercise: forearm-plank` is meant: the one fix is obvious.
    private static func reportBareName(_ node: YAMLNode, key: String) -> Bool {
        guard case .scalar(let scalar) = node.node, !node.isNull else { return false }
        node.error("\(key) entry \(quoted(scalar.string)) needs its key: write '- \(key): \(TextRules.visible(String(scalar.string.prefix(40))))'")
        return true
    }

    private static func crossTraining(_ node: YAMLNode) -> CrossTraining? {
        guard let map = node.mapping(keys: crossTrainingKeys) else { return nil }
        let activities = map.required("activities", hint: ", like 'activities: [cycling, swimming]'")?.list()?
            .prefix(limit: PlanLimits.activities, of: "activities", in: "cross-training").compactMap { $0.nonEmptyText(atMost: PlanLimits.shortText, oneLine: true, hint: "name an activity, like 'cycling'") }
        if let activities, activities.isEmpty, let node = map["activities"] {
            node.error("activities must name at least one activity, like [cycling, swimming]")
        }
        let days = map["days"]?.weekdays()
        guard let activities, !activities.isEmpty else { return nil }
        return CrossTraining(activities: activities, days: days, note: map["note"]?.text())
    }
}

extension Array where Element == YAMLNode {
    /// The first `limit` items; the one after them is an error (`PlanLimits`), so a plan
    /// of ten thousand entries is refused at its first entry too many, not rendered.
    func prefix(limit: Int, of what: String, in place: String = "a plan or protocol",
                advice: String = "a handout that long is not read; split the plan") -> ArraySlice<YAMLNode> {
        if count > limit {
            self[limit].error("\(place) may list at most \(limit) \(what); this is number \(limit + 1) of \(count) (\(advice))")
        }
        return prefix(limit)
    }
}
