import Foundation

/// The words of `serve`'s own pages (the plan editor, a page's error view, the reload bar) in
/// the site's language: `Assets/words/<language>.json`, built into the program. A site in a
/// language without one gets English; every file has every key of `en.json` (a test checks).
struct EditorWords: Sendable {
    let language: String
    let table: [String: String]

    /// Every language's words, read once.
    static let tables: [String: [String: String]] = [
        "en": PackageResources.en_json, "es": PackageResources.es_json, "zh-hans": PackageResources.zh_hans_json,
    ].compactMapValues { try? JSONDecoder().decode([String: String].self, from: Data($0)) }

    private static let english = tables["en"] ?? [:]

    init(language: String) {
        if let table = Self.tables[language] {
            self.language = language
            self.table = table
        } else {
            self.language = "en"
            self.table = Self.english
        }
    }

    subscript(key: String) -> String { table[key] ?? Self.english[key] ?? key }

    /// `words["saved", ["path": "Content/plans/p-1.yaml"]]`: `{path}` filled in.
    subscript(key: String, values: [String: String]) -> String {
        values.reduce(self[key]) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }
}
