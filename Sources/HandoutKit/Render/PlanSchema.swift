import Foundation

/// JSON Schemas (draft 2020-12) for plan and protocol files, so editors with the YAML
/// language server complete and check plans as they are typed. The library's exercise,
/// progression, page and protocol names are enums, so the schemas change with `Content/`:
/// every build writes them to `schema/` with the library pages, and `handout schema` writes
/// them on demand. A schema catches what it can express (keys, types, ranges, names);
/// `handout check` remains the judge of the rest (dates that do not exist, weeks beyond the
/// plan, days that disagree with weekly).
public enum PlanSchema {
    public static let planPath = "schema/plan.schema.json"
    public static let protocolPath = "schema/protocol.schema.json"

    public static func files(for library: ContentLibrary) -> [OutputFile] {
        [OutputFile(path: planPath, text: json(plan(library))), OutputFile(path: protocolPath, text: json(protocolSchema(library)))]
    }

    static func plan(_ library: ContentLibrary) -> [String: Any] {
        var properties = sharedProperties(library)
        properties["patient"] = [
            "type": "string", "pattern": "\\S",
            "description": "The patient's name, printed on the handout and calendar. Never put it in the plan's file name.",
        ]
        properties["start"] = date("The plan's first day (YYYY-MM-DD); the calendar begins in this week.")
        properties["protocol"] = name(of: "protocol", in: library.protocols.keys,
                                      "A protocol to start from: fields written here replace the protocol's.")
        properties["pauses"] = [
            "type": "array", "maxItems": PlanLimits.pauses,
            "description": "Days the patient stops (ill, away), inside the plan's days and not overlapping: nothing is due on them, and each program takes up again at the stage it had reached.",
            "items": [
                "type": "object", "required": ["from", "to"], "additionalProperties": false,
                "properties": [
                    "from": date("The first day of the pause (YYYY-MM-DD)."),
                    "to": date("The last day of the pause (YYYY-MM-DD), on or after 'from'."),
                    "note": ["type": "string", "maxLength": PlanLimits.shortText, "description": "Printed on each paused day, like 'Flu'."],
                ],
            ],
        ]
        properties["ended"] = date("Discharged early: the plan's last day (YYYY-MM-DD); nothing is due after it, and the index shows the plan as ended.")
        properties["reminders"] = [
            "description": "The patient's phone reminds them at this time on each day of the .ics ('none': no reminder); default: site.yaml's.",
            "oneOf": [
                ["const": "none"],
                ["type": "object", "required": ["time"], "additionalProperties": false, "properties": [
                    "time": ["type": "string", "pattern": "^([01]?[0-9]|2[0-3]):[0-5][0-9]$", "description": "A time of day, HH:MM on the 24-hour clock, like \"08:00\"."],
                ]],
            ],
        ]
        return document(title: "Handout plan", description: "One patient's home-exercise plan (Content/plans/ID.yaml).",
                        properties: properties, library: library, extra: [
                            "required": ["patient", "start"],
                            // weeks may come from the protocol
                            "anyOf": [["required": ["weeks"]], ["required": ["protocol"]]],
                        ])
    }

    static func protocolSchema(_ library: ContentLibrary) -> [String: Any] {
        var properties = sharedProperties(library)
        properties["title"] = ["type": "string", "description": "The protocol's name in the library and in 'handout list protocols'."]
        properties["protocol"] = name(of: "protocol", in: library.protocols.keys,
                                      "A protocol this one is based on: fields written here replace that protocol's.")
        return document(title: "Handout protocol",
                        description: "A clinic's starting point for plans (Content/protocols/NAME.yaml): a plan without a patient.",
                        properties: properties, library: library, extra: [:])
    }

    private static func document(title: String, description: String, properties: [String: Any],
                                 library: ContentLibrary, extra: [String: Any]) -> [String: Any] {
        var schema: [String: Any] = [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": title, "description": description,
            "type": "object", "properties": properties, "additionalProperties": false,
            "$defs": definitions(library),
        ]
        schema.merge(extra) { $1 }
        return schema
    }

    private static func sharedProperties(_ library: ContentLibrary) -> [String: Any] {
        [
            "therapist": ["type": "string", "description": "The therapist's name, printed on the handout and shown in the clinic index."],
            "condition": ["type": "string", "description": "What the plan treats, shown in the clinic index."],
            "weeks": ["type": "integer", "minimum": 1, "maximum": PlanReader.maximumWeeks,
                      "description": "How many weeks the calendar covers, counted from the week of 'start'."],
            "exercises": ["type": "array", "items": ["$ref": "#/$defs/exercise"],
                          "description": "The home exercises, each a card on the handout and a tick box on the calendar."],
            "progressions": ["type": "array", "items": ["$ref": "#/$defs/progression"],
                             "description": "Return-to-activity programs (such as walk/run), shown as a table of stages."],
            "cross_training": [
                "type": "object", "additionalProperties": false, "required": ["activities"],
                "description": "Other activities the patient may do, on the days with no program session.",
                "properties": [
                    "activities": ["type": "array", "minItems": 1, "items": ["type": "string", "pattern": "\\S"],
                                   "description": "The activities, like [cycling, swimming]."],
                    "days": ["$ref": "#/$defs/days"],
                    "note": ["type": "string", "description": "A note printed with the cross-training."],
                ],
            ],
            "education": ["type": "array", "items": name(of: "page", in: library.pages.keys, "An education page, by file name."),
                          "description": "Education pages printed with the handout."],
            "notes": ["type": "string", "description": "Your notes for the patient (Markdown), printed on the handout."],
            "language": ["type": "string", "enum": library.languages.sorted(),
                         "description": "The patient's language (a strings file in Templates/strings/); default: site.yaml's."],
            "large_print": ["type": "boolean", "description": "Large print for this patient; default: site.yaml's."],
            "include_pages": ["type": "array", "items": name(of: "page", in: library.pages.keys, "An education page, by file name."),
                              "description": "Pages for the handout's safety box; replaces site.yaml's list."],
            "pain_rule": name(of: "page", in: library.pages.keys,
                              "The education page whose summary prints beside the pain log on every calendar page and whose text "
                              + "heads the handout's safety box, like pain-monitoring; replaces site.yaml's."),
        ]
    }

    private static func definitions(_ library: ContentLibrary) -> [String: Any] {
        var dosage: [String: Any] = [
            "reps": count(Dosage.repsRange, "Repetitions in a set."),
            "sets": count(Dosage.setsRange, "Sets per session."),
            "daily": count(Dosage.dailyRange, "Sessions per day."),
            "weekly": count(Dosage.weeklyRange, "Days per week; the clinic's usual days are used unless 'days' names them."),
            "hold": [
                "description": "How long to hold, like '30 s' or '1 min' (at most 60 min); a bare number is seconds.",
                "anyOf": [
                    ["type": "integer", "minimum": 1, "maximum": 3600],
                    ["type": "string", "pattern": "^[0-9]+ *(" + holdUnits + ")?$"],
                ],
            ],
        ]
        var change = dosage
        change["week"] = count(1...PlanReader.maximumWeeks, "The week this change starts in; it lasts until the next change.")
        change["days"] = ["$ref": "#/$defs/days", "description": "New days from this week on; WEEKLY becomes their number."]
        dosage["exercise"] = name(of: "exercise", in: library.exercises.keys, "The exercise, by file name.")
        dosage["days"] = ["$ref": "#/$defs/days"]
        dosage["sides"] = ["enum": Sides.allCases.map(\.rawValue),
                           "description": "each: on the left and on the right (a tick box for each); left or right: that side only; none: not per side. Default: the exercise's."]
        dosage["note"] = ["type": "string", "description": "A note for the patient, printed on the exercise's card."]
        dosage["changes"] = [
            "type": "array", "description": "Dosage changes from a given week, like { week: 3, sets: 3 }.",
            "items": [
                "type": "object", "required": ["week"], "minProperties": 2, "additionalProperties": false,
                "properties": change,
            ] as [String: Any],
        ]
        return [
            "exercise": [
                "type": "object", "required": ["exercise"], "additionalProperties": false, "properties": dosage,
                "description": "One exercise, with any dosage field replacing the exercise's default.",
            ],
            "progression": [
                "type": "object", "required": ["progression"], "additionalProperties": false,
                "description": "One program.",
                "properties": [
                    "progression": name(of: "progression", in: library.progressions.keys, "The program, by file name."),
                    "start": date("When the program starts (YYYY-MM-DD), such as when the patient is cleared to run; default: the plan's start."),
                    "days": ["$ref": "#/$defs/days"],
                ] as [String: Any],
            ],
            "days": [
                "type": "array", "minItems": 1, "uniqueItems": true, "items": ["enum": Weekday.allCases.map(\.code)],
                "description": "Weekdays, like [mon, wed, fri].",
            ],
        ]
    }

    /// A library name: one of the current ones, or (with none yet) any valid name.
    private static func name(of kind: String, in names: some Collection<String>, _ description: String) -> [String: Any] {
        names.isEmpty
            ? ["type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,63}$", "description": description + " There is no \(kind) in the library yet."]
            : ["enum": names.sorted(), "description": description]
    }

    private static func count(_ range: ClosedRange<Int>, _ description: String) -> [String: Any] {
        ["type": "integer", "minimum": range.lowerBound, "maximum": range.upperBound, "description": description]
    }

    private static func date(_ description: String) -> [String: Any] {
        ["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "format": "date", "description": description]
    }

    /// The hold units `HoldTime` reads, in any case, as a pattern.
    private static var holdUnits: String {
        HoldTime.unitWords.map { word in
            word.map { letter in "[\(letter)\(letter.uppercased())]" }.joined()
        }.joined(separator: "|")
    }

    private static func json(_ value: [String: Any]) -> String {
        // Sorted keys: the same library gives the same bytes.
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
