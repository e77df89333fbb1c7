import Foundation

/// Exercises, education pages and progressions, each from its Markdown file.
extension ContentLoader {
    // MARK: Exercises

    func loadExercise(slug: String, url: URL, text: String, allowHTML: Bool, language: String, videoCodes: Bool = true,
                      pictures used: inout Set<String>) -> Exercise? {
        let keys = ["title", "dosage", "sides", "tags", "image", "image_alt", "video"]
        guard let (map, document) = readMarkdownFile(url, text: text, keys: keys) else { return nil }
        let title = map.required("title")?.title()
        let sides = map["sides"]?.sides()
        var dosage = Dosage()
        if let node = map["dosage"] {
            dosage = DosageReader.read(node, keys: Dosage.fieldNames) ?? Dosage()
        }
        var tags: [String] = []
        if let list = map["tags"]?.list() {
            tags = list.compactMap { $0.slug() }
        }
        let picture = exercisePicture(map, slug: slug, pictures: &used)
        var video: String?
        var videoCode: QRCode?
        if let node = map["video"], let text = node.text() {
            if LinkRules.isWebAddress(text) {
                video = text
                if text.lowercased().hasPrefix("http:") {
                    node.warning("video address is not https://; phones warn about or refuse plain http:// pages, so use the https:// address")
                }
                if videoCodes { videoCode = self.videoCode(text, at: node) }
            } else if TextRules.firstForbidden(inValue: text) == nil {
                // (A forbidden character is reported as such already.)
                node.error("video must be an http:// or https:// address; found \(node.found)")
            }
        }
        let body = renderBody(document, url: url, allowHTML: allowHTML, language: language, pictures: &used)
        let display = layout.display(url)
        if let rendered = body[.libraryPage] {
            let headings = rendered.sections.map { $0.heading.lowercased() }
            for needed in ["Setup", "Movement"] where !headings.contains(needed.lowercased()) {
                diagnostics.warning("no '## \(needed)' section; patients expect Setup and Movement",
                                    at: SourceLocation(path: display, line: document.bodyLineOffset + 1, column: 1))
            }
        }
        guard let title else { return nil }
        return Exercise(slug: slug, path: display, title: title, dosage: dosage, sides: sides ?? .none, tags: tags,
                        picture: picture, video: video, videoCode: videoCode, body: body)
    }

    /// The exercise's picture, and both problems at once when it has them: a missing file
    /// does not hide a missing description.
    private func exercisePicture(_ map: YAMLMapping, slug: String, pictures used: inout Set<String>) -> Picture? {
        var picture: Picture?
        if let image = map["image"], let path = image.text() {
            let alt = map["image_alt"]?.nonEmptyText(hint: "say in a few words what the picture shows")
            if alt == nil, !map.has("image_alt") {
                image.error("a picture needs 'image_alt': a short description of what it shows")
            }
            switch pictures.resolve(path) {
            case .success(let path):
                if let alt {
                    picture = Picture(path: path, alt: alt)
                    used.insert(path)
                }
            case .failure(let problem): image.error(problem.message)
            }
        } else if let alt = map["image_alt"] {
            alt.warning("image_alt is set but there is no image")
        } else {
            map.node.warning("exercise '\(slug)' has no picture; add 'image:' and 'image_alt:' so the patient can see how it is done")
        }
        return picture
    }

    /// The code printed on the card. An address too long for a code that scans at card size is
    /// an error, because the paper would carry a code no phone can read.
    private func videoCode(_ address: String, at node: YAMLNode) -> QRCode? {
        guard let code = QRCode.encode(address), code.fitsCard else {
            node.error("video address is too long to print as a QR code a phone can read (\(address.count) characters); "
                       + "use a shorter address of at most \(QRCode.longestAddress) characters, such as a short page on the clinic's site, or set 'video_qr: false' in site.yaml")
            return nil
        }
        return code
    }

    // MARK: Education pages

    func loadPage(slug: String, url: URL, text: String, allowHTML: Bool, language: String, pictures used: inout Set<String>) -> EducationPage? {
        guard let (map, document) = readMarkdownFile(url, text: text, keys: ["title", "summary"]) else { return nil }
        let title = map.required("title")?.title()
        let summary = map["summary"]?.text()
        let body = renderBody(document, url: url, allowHTML: allowHTML, language: language, pictures: &used)
        guard let title else { return nil }
        return EducationPage(slug: slug, path: layout.display(url), title: title, summary: summary, body: body)
    }

    // MARK: Progressions

    func loadProgression(slug: String, url: URL, text: String, allowHTML: Bool, language: String, pictures used: inout Set<String>) -> Progression? {
        let keys = ["title", "schedule", "advance", "stages", "then"]
        guard let (map, document) = readMarkdownFile(url, text: text, keys: keys) else { return nil }
        let body = renderBody(document, url: url, allowHTML: allowHTML, language: language, pictures: &used)
        let reader = ProgressionReader()
        let title = map.required("title")?.title()
        let schedule = map["schedule"].map(reader.schedule) ?? (.weekdays(Weekday.forTimesPerWeek(3)), .perWeek(3, neverBackToBack: false))
        let advance = map.required("advance", hint: ", like 'advance: { every: 2-3 days }'").flatMap(reader.advance)
        let stages = map.required("stages", hint: ": a list of stages").flatMap(reader.stages)
        let then = map["then"]?.text()
        guard let title, let schedule, let advance, let stages else { return nil }
        return Progression(slug: slug, path: layout.display(url), title: title, sessionDays: schedule.0,
                           usualDays: schedule.1, advance: advance, stages: stages, then: then, body: body)
    }
}

/// Dosage fields, shared by exercises, plan entries and dosage changes.
enum DosageReader {
    static func read(_ node: YAMLNode, keys: [String]) -> Dosage? {
        guard let map = node.mapping(keys: keys) else { return nil }
        return fields(of: map)
    }

    static func fields(of map: YAMLMapping) -> Dosage {
        var dosage = Dosage()
        dosage.reps = map["reps"]?.integer(in: Dosage.repsRange)
        dosage.sets = map["sets"]?.integer(in: Dosage.setsRange)
        dosage.daily = map["daily"]?.integer(in: Dosage.dailyRange, meaning: "a number of times per day")
        dosage.weekly = map["weekly"]?.integer(in: Dosage.weeklyRange, meaning: "a number of days per week")
        if let node = map["hold"] {
            if case .scalar(let scalar) = node.node, let hold = HoldTime(text: scalar.string) {
                dosage.hold = hold
            } else {
                node.error("hold must be a time like '30 s', '1 min' or '1 min 30 s' (whole seconds, at most 60 min); found \(node.found)")
            }
        }
        return dosage
    }
}
