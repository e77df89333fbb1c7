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
        [OutputFile(path: planPath, text: plan(library).text), OutputFile(path: protocolPath, text: protocolSchema(library).text)]
    }

    static func plan(_ library: ContentLibrary) -> JSONValue {
        document(title: "Handout plan", description: "One patient's home-exercise plan (Content/plans/ID.yaml).",
                 keys: PlanKeys.plan, library: library).merging([
                    "required": ["patient", "start"],
                    // weeks may come from the protocol
                    "anyOf": [["required": ["weeks"]], ["required": ["protocol"]]],
                 ])
    }

    static func protocolSchema(_ library: ContentLibrary) -> JSONValue {
        document(title: "Handout protocol",
                 description: "A clinic's starting point for plans (Content/protocols/NAME.yaml): a plan without a patient.",
                 keys: PlanKeys.protocol, library: library)
    }

    private static func document(title: String, description: String, keys: [PlanKey], library: ContentLibrary) -> JSONValue {
        [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": .string(title), "description": .string(description),
            "type": "object", "properties": properties(keys, library), "additionalProperties": false,
            "$defs": definitions(library),
        ]
    }

    private static func properties(_ keys: [PlanKey], _ library: ContentLibrary) -> JSONValue {
        .object(Dictionary(keys.map { ($0.name, property($0, library)) }) { $1 })
    }

    /// What one key holds, as the schema says it, with the key's description.
    private static func property(_ key: PlanKey, _ library: ContentLibrary) -> JSONValue {
        if case .libraryName(let kind) = key.value { return name(of: kind, in: library, key.description ?? "") }
        let described = value(key.value, library)
        guard let description = key.description else { return described }
        return described.merging(["description": .string(description)])
    }

    private static func value(_ value: PlanKey.Value, _ library: ContentLibrary) -> JSONValue {
        switch value {
        case .text: ["type": "string"]
        case .shortText: ["type": "string", "maxLength": .int(PlanLimits.shortText)]
        case .name: ["type": "string", "pattern": "\\S"]
        case .date: ["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "format": "date"]
        case .flag: ["type": "boolean"]
        case .weeks: count(1...PlanReader.maximumWeeks)
        case .count(let range): count(range)
        case .libraryName(let kind): name(of: kind, in: library, "")
        case .pages: ["type": "array", "items": name(of: "page", in: library, "An education page, by file name.")]
        case .language: ["type": "string", "enum": .strings(library.languages.sorted())]
        case .weekdays: ["$ref": "#/$defs/days"]
        case .sides: ["enum": .strings(Sides.allCases.map(\.rawValue))]
        case .hold: ["anyOf": [
            ["type": "integer", "minimum": 1, "maximum": 3600],
            ["type": "string", "pattern": .string("^([0-9]+ *(" + holdUnits(HoldTime.unitWords) + ")?|[0-9]+\\.[0-9]+ *(" + holdUnits(HoldTime.minuteWords)
                                                  + ")|[0-9]+ *(" + holdUnits(HoldTime.minuteWords) + ") *[0-9]+ *(" + holdUnits(HoldTime.secondWords) + "))$")],
        ]]
        case .list(let item): ["type": "array", "items": ["$ref": .string("#/$defs/" + item)]]
        case .changes: ["type": "array", "items": [
            "type": "object", "required": ["week"], "minProperties": 2, "additionalProperties": false,
            "properties": properties(PlanKeys.change, library),
        ]]
        case .crossTraining: ["type": "object", "additionalProperties": false, "required": ["activities"],
                              "properties": properties(PlanKeys.crossTraining, library)]
        case .activities: ["type": "array", "minItems": 1, "items": ["type": "string", "pattern": "\\S"]]
        case .pauses: ["type": "array", "maxItems": .int(PlanLimits.pauses), "items": [
            "type": "object", "required": ["from", "to"], "additionalProperties": false,
            "properties": properties(PlanKeys.pause, library),
        ]]
        case .reminders: ["oneOf": [
            ["const": "none"],
            ["type": "object", "required": ["time"], "additionalProperties": false, "properties": [
                "time": ["type": "string", "pattern": "^([01]?[0-9]|2[0-3]):[0-5][0-9]$",
                         "description": "A time of day, HH:MM on the 24-hour clock, like \"08:00\"."],
            ]],
        ]]
        }
    }

    private static func definitions(_ library: ContentLibrary) -> JSONValue {
        [
            "exercise": [
                "type": "object", "required": ["exercise"], "additionalProperties": false, "properties": properties(PlanKeys.exercise, library),
                "description": "One exercise, with any dosage field replacing the exercise's default.",
            ],
            "progression": [
                "type": "object", "required": ["progression"], "additionalProperties": false,
                "description": "One program.", "properties": properties(PlanKeys.progression, library),
            ],
            "days": [
                "type": "array", "minItems": 1, "uniqueItems": true, "items": ["enum": .strings(Weekday.allCases.map(\.code))],
                "description": "Weekdays, like [mon, wed, fri].",
            ],
        ]
    }

    /// A library name: one of the current ones, or (with none yet) any valid name.
    private static func name(of kind: String, in library: ContentLibrary, _ description: String) -> JSONValue {
        let names: [String] = switch kind {
        case "exercise": Array(library.exercises.keys)
        case "page": Array(library.pages.keys)
        case "progression": Array(library.progressions.keys)
        default: Array(library.protocols.keys)
        }
        return names.isEmpty
            ? ["type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,63}$",
               "description": .string(description + " There is no \(kind) in the library yet.")]
            : ["enum": .strings(names.sorted()), "description": .string(description)]
    }

    private static func count(_ range: ClosedRange<Int>) -> JSONValue {
        ["type": "integer", "minimum": .int(range.lowerBound), "maximum": .int(range.upperBound)]
    }

    /// Hold units `HoldTime` reads, in any case, as a pattern.
    private static func holdUnits(_ words: [String]) -> String {
        words.map { word in
            word.map { letter in "[\(letter)\(letter.uppercased())]" }.joined()
        }.joined(separator: "|")
    }
}
