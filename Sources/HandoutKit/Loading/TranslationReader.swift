import Foundation

/// Reads `<slug>.<language>.md` translations. A translation carries text only; everything
/// else (dosage, pictures, schedule, stages) comes from the original, so writing it again
/// is an error that names the original.
extension ContentLoader {
    /// Each translation's hash goes into `hashes` as `exercises/bridge.es`, its pictures into the library's.
    func loadTranslations(_ entries: [String: [ContentFiles.Entry]], into library: inout ContentLibrary,
                          hashes: inout [String: Fingerprint]) {
        let allowHTML = library.site.allowHTML
        for (kind, list) in entries.sorted(by: { $0.key < $1.key }) {
            for entry in list {
                guard let language = entry.language else { continue }
                let url = entry.url
                let display = layout.display(url)
                guard let file = files.load(url, limit: .content) else {
                    hashes["\(kind)/\(entry.slug).\(language)"] = .absent
                    continue
                }
                hashes["\(kind)/\(entry.slug).\(language)"] = Fingerprint(file.data)
                let known: [String] = switch kind {
                case "exercises": Array(library.exercises.keys)
                case "pages": Array(library.pages.keys)
                default: Array(library.progressions.keys)
                }
                guard known.contains(entry.slug) else {
                    if !library.failedToLoad(kind, entry.slug) {
                        diagnostics.error("translation of '\(kind)/\(entry.slug).md', which does not exist"
                                          + Suggestion.hint(for: entry.slug, in: known) + "; name a translation after its original, like \(known.sorted().first ?? "bridge").\(language).md",
                                          at: SourceLocation(path: display, line: 1, column: 1))
                    }
                    continue
                }
                var pictures = Set<String>()
                var translated = library.translations[language] ?? Translated()
                switch kind {
                case "exercises":
                    translated.exercises[entry.slug] = translateExercise(library.exercises[entry.slug]!, url: url, text: file.text, language: language,
                                                                         allowHTML: allowHTML, pictures: &pictures)
                case "pages":
                    translated.pages[entry.slug] = translatePage(library.pages[entry.slug]!, url: url, text: file.text, language: language,
                                                                 allowHTML: allowHTML, pictures: &pictures)
                default:
                    translated.progressions[entry.slug] = translateProgression(library.progressions[entry.slug]!, url: url, text: file.text, language: language,
                                                                               allowHTML: allowHTML, pictures: &pictures)
                }
                library.translations[language] = translated
                library.pictures.formUnion(pictures)
            }
        }
    }

    /// Keys the original may have but a translation may not, reported at the key.
    private func refuseOriginalKeys(_ map: YAMLMapping, _ keys: [String], original: String) {
        for key in keys {
            guard let node = map.values[key] else { continue }
            node.error("'\(key)' comes from the original, \(original); a translation carries only its text, so delete this line")
        }
    }

    func translateExercise(_ original: Exercise, url: URL, text: String, language: String, allowHTML: Bool, pictures: inout Set<String>) -> Exercise? {
        let originalKeys = ["dosage", "sides", "tags", "image", "video"]
        guard let (map, document) = readMarkdownFile(url, text: text, keys: ["title", "image_alt"] + originalKeys) else { return nil }
        refuseOriginalKeys(map, originalKeys, original: original.path)
        var exercise = original
        exercise.path = layout.display(url)
        guard let title = map.required("title")?.title() else { return nil }
        exercise.title = title
        if let alt = map["image_alt"]?.nonEmptyText(hint: "say in a few words what the picture shows") {
            if original.picture == nil {
                map["image_alt"]!.warning("image_alt is set but the original, \(original.path), has no image")
            }
            exercise.picture?.alt = alt
        } else if original.picture != nil {
            map.node.error("missing 'image_alt': the picture needs its description in this language too")
        }
        exercise.body = renderBody(document, url: url, allowHTML: allowHTML, language: language, pictures: &pictures)
        return exercise
    }

    func translatePage(_ original: EducationPage, url: URL, text: String, language: String, allowHTML: Bool, pictures: inout Set<String>) -> EducationPage? {
        guard let (map, document) = readMarkdownFile(url, text: text, keys: ["title", "summary"]) else { return nil }
        var page = original
        page.path = layout.display(url)
        guard let title = map.required("title")?.title() else { return nil }
        page.title = title
        page.summary = map["summary"]?.text()
        if original.summary != nil, page.summary == nil {
            map.node.error("missing 'summary': the original, \(original.path), has one, so translate it too")
        }
        page.body = renderBody(document, url: url, allowHTML: allowHTML, language: language, pictures: &pictures)
        return page
    }

    /// A progression's text: title, `advance`'s `if` and `otherwise`, `then`, the body, and
    /// stage notes as `stage_notes: { 11: "..." }` by the stage numbers the paper prints.
    func translateProgression(_ original: Progression, url: URL, text: String, language: String, allowHTML: Bool,
                              pictures: inout Set<String>) -> Progression? {
        let originalKeys = ["schedule", "stages"]
        guard let (map, document) = readMarkdownFile(url, text: text, keys: ["title", "advance", "then", "stage_notes", "settings"] + originalKeys) else { return nil }
        refuseOriginalKeys(map, originalKeys, original: original.path)
        var progression = original
        progression.path = layout.display(url)
        guard let title = map.required("title")?.title() else { return nil }
        progression.title = title
        progression.advance.condition = nil
        progression.advance.otherwise = nil
        if let node = map["advance"], let advance = node.mapping(keys: ["if", "otherwise", "every", "at_most"]) {
            refuseOriginalKeys(advance, ["every", "at_most"], original: original.path)
            progression.advance.condition = advance["if"]?.text()
            progression.advance.otherwise = advance["otherwise"]?.text()
        }
        progression.then = map["then"]?.text()
        for (field, has, translated) in [("advance: if", original.advance.condition != nil, progression.advance.condition != nil),
                                         ("advance: otherwise", original.advance.otherwise != nil, progression.advance.otherwise != nil),
                                         ("then", original.then != nil, progression.then != nil)] where has && !translated {
            map.node.error("missing '\(field)': the original, \(original.path), has it, so translate it too")
        }
        var notes: [Int: String] = [:]
        if let node = map["stage_notes"], let entries = node.entries() {
            for (key, value) in entries {
                guard let number = Int(key), (1...original.stages.count).contains(number), original.stages[number - 1].note != nil else {
                    value.error("stage \(key) of the original, \(original.path), has no note; number the notes as the stage table does")
                    continue
                }
                notes[number] = value.text()
            }
        }
        for (index, stage) in original.stages.enumerated() {
            progression.stages[index].note = stage.note == nil ? nil : notes[index + 1]
        }
        let untranslated = original.stages.indices.filter { original.stages[$0].note != nil && notes[$0 + 1] == nil }.map { "\($0 + 1)" }
        if !untranslated.isEmpty {
            map.node.error("missing stage notes for stage \(untranslated.joined(separator: ", ")): write 'stage_notes: { \(untranslated[0]): … }'")
        }
        translateSettings(of: &progression, original: original, map: map)
        progression.body = renderBody(document, url: url, allowHTML: allowHTML, language: language, pictures: &pictures)
        return progression
    }

    /// `settings: { one hand: una mano }`: each worded setting value (a band's colour, a
    /// surface, a support, a stance) as this language writes it. Numbers (`level 4`,
    /// `incline 2%`) need none. A value left out is noted on the translation, so a plan in
    /// this language that prints it is an error at its language line.
    private func translateSettings(of progression: inout Progression, original: Progression, map: YAMLMapping) {
        var words: [String] = []
        for setting in original.stages.flatMap(\.settings) where Setting.numeric[setting.name] == nil && !words.contains(setting.value) {
            words.append(setting.value)
        }
        var translated: [String: String] = [:]
        if let node = map["settings"], let entries = node.entries() {
            for (key, value) in entries {
                let written = key.lowercased()
                guard words.contains(written) else {
                    value.error("'\(key)' is not a setting value of the original, \(original.path); "
                                + (words.isEmpty ? "it has none to translate" : "its values are " + plainList(words.map { "'\($0)'" })))
                    continue
                }
                if let text = value.nonEmptyText() { translated[written] = text }
            }
        }
        for index in progression.stages.indices {
            for s in progression.stages[index].settings.indices {
                if let text = translated[progression.stages[index].settings[s].value] { progression.stages[index].settings[s].value = text }
            }
        }
        progression.untranslatedSettings = words.filter { translated[$0] == nil }
    }
}
