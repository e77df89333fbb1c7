import Foundation

/// `handout new`: a plan file with the protocol's (or another plan's) choices filled in and a
/// comment on each field.
public struct NewPlan {
    var layout: SiteLayout
    var diagnostics: Diagnostics

    public init(layout: SiteLayout, diagnostics: Diagnostics) {
        self.layout = layout
        self.diagnostics = diagnostics
    }

    /// Writes `PLANS/<id>.yaml`; never overwrites. `today` is passed in so output is testable.
    /// With `copying`, the choices come from that plan, without its patient's name.
    public func write(id: String, protocolSlug: String?, copying original: String? = nil, start: Day?, today: Day) -> URL? {
        let url = layout.plans.appendingPathComponent(id + ".yaml")
        let here = SourceLocation(path: layout.display(url), line: 0, column: 0)
        guard Slug.isValid(id) else {
            diagnostics.error("'\(id)' is not a valid plan id: use lowercase letters, digits and '-', at most 64 characters", at: here)
            return nil
        }
        guard !FileManager.default.fileExists(atPath: url.path) else {
            diagnostics.error("plan '\(id)' already exists; choose another id or edit that file", at: here)
            return nil
        }
        guard case let (sketch, library)? = draft(protocolSlug: protocolSlug, copying: original, start: start, today: today) else { return nil }
        let comment = "# Plan \(id)\(original.map { ", copied from plan \($0) (without the patient's name)" } ?? "")."
            + " Fill in the patient's name, check the choices, then run: handout build --patient \(id)"
        let text = sketch.text(comments: [comment], schema: SchemaExport.reference(fromPlansIn: layout.plans, output: layout.output),
                               titles: library.exercises.mapValues(\.title)).text
        do {
            try FileManager.default.createDirectory(at: layout.plans, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .withoutOverwriting)
        } catch {
            diagnostics.error("cannot write the plan: \(FileFault("write", url.path, error: error).reason)", at: here)
            return nil
        }
        return url
    }

    /// What `write` fills in, before it is written: the protocol's choices (or a copy of
    /// another plan's), the start (default: the next Monday), the placeholder note in the
    /// plan's language; and the library it was made from. Nil, with the reasons reported, when
    /// the content, the protocol or the plan to copy has errors or does not exist.
    public func draft(protocolSlug: String?, copying original: String? = nil, start: Day?, today: Day) -> (PlanSketch, ContentLibrary)? {
        let library = ContentLoader(layout: layout, diagnostics: diagnostics).load()
        if diagnostics.hasErrors { return nil }
        var fields = PlanFields()
        var protocolSlug = protocolSlug
        // Default start: the next Monday, when most programs begin; a copy keeps its plan's.
        var startDay = start ?? today.adding(days: (7 - today.weekday.rawValue) % 7)
        var reminders: ReminderSetting?
        if let original {
            guard let copied = copy(of: original, library: library, startingOn: start) else { return nil }
            (fields, protocolSlug, startDay, reminders) = (copied.fields, copied.protocolSlug, copied.start, copied.reminders)
        } else if let protocolSlug {
            guard let resolved = library.resolvedFields(ofProtocol: protocolSlug) else {
                diagnostics.error("unknown protocol '\(protocolSlug)'" + Suggestion.hint(for: protocolSlug, in: library.protocols.keys),
                                  at: SourceLocation(path: layout.display(layout.content.appendingPathComponent("protocols")), line: 0, column: 0))
                return nil
            }
            fields = resolved
        }
        var sketch = PlanSketch(fields: fields, protocolSlug: protocolSlug, start: startDay)
        sketch.reminders = reminders.map { $0.time?.text ?? "none" }
        if original == nil, sketch.notes?.isEmpty ?? true {
            // The placeholder note is in the plan's language, from its strings file; a copy
            // keeps its plan's notes, or none.
            let language = fields.language?.code ?? library.site.language
            sketch.notes = TemplateLoader(layout: layout, diagnostics: Diagnostics()).loadStrings()[language]
                .map { nonEmpty($0.phrase("new_plan_note")) } ?? nil
        }
        return (sketch, library)
    }

    /// Another plan's settings (its protocol's merged in), its start and reminders included
    /// (PRODUCT.md: every setting but the patient's name). With a new `start`, progression
    /// start dates move by as many days, so each begins at the same point of the plan. Its
    /// `pauses` and `ended` are that patient's days, not settings, and stay behind. Nil, with
    /// the reasons reported, when that plan is missing or has errors.
    private func copy(of original: String, library: ContentLibrary, startingOn newStart: Day?)
        -> (fields: PlanFields, protocolSlug: String?, start: Day, reminders: ReminderSetting?)? {
        let url = layout.plans.appendingPathComponent(original + ".yaml")
        guard Slug.isValid(original), FileSystem.exists(url.path) else {
            let existing = ContentFiles(layout: layout, diagnostics: Diagnostics()).entries(in: layout.plans, extension: "yaml")?.map(\.slug) ?? []
            diagnostics.error("there is no plan '\(original)' to copy" + Suggestion.hint(for: original, in: existing),
                              at: SourceLocation(path: layout.display(url), line: 0, column: 0))
            return nil
        }
        // A fault reading it (or text that is not UTF-8) is reported in plain words.
        guard let text = ContentFiles(layout: layout, diagnostics: diagnostics).load(url, limit: .plan)?.text else { return nil }
        let source = YAMLSource(path: layout.display(url), lineOffset: 0, diagnostics: diagnostics)
        guard let draft = PlanReader.readPlan(id: original, text: text, source: source),
              let plan = PlanChecker(library: library, diagnostics: diagnostics).plan(from: draft), !diagnostics.hasErrors else {
            diagnostics.error("plan '\(original)' has errors; fix them before copying it", at: SourceLocation(path: layout.display(url), line: 1, column: 1))
            return nil
        }
        var fields = draft.fields
        if let slug = plan.protocolSlug, let base = library.resolvedFields(ofProtocol: slug) {
            fields = fields.merged(over: base)
        }
        let start = newStart ?? plan.start
        let shift = start - plan.start
        fields.progressions = fields.progressions?.map { progression in
            var moved = progression
            moved.start = progression.start?.adding(days: shift)
            return moved
        }
        return (fields, plan.protocolSlug, start, draft.reminders)
    }
}
