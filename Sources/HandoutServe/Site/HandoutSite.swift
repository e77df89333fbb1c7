import Foundation
import HandoutKit

/// The one place `handout serve` calls HandoutKit's build: building the site and a draft's
/// scratch copy, loading the library, filling in a new plan as `handout new` does, and writing
/// a plan's text. When the build pipeline changes shape, this file changes; the rest of
/// HandoutServe sees only the values it returns.
struct HandoutSite: Sendable {
    let layout: SiteLayout

    /// What one build did, in values the server keeps.
    struct Build: Sendable {
        enum Outcome: Sendable { case built, inputsWrong, couldNotWrite }
        var outcome: Outcome
        var rendered: [String] = []
        var files = 0
        /// Plans with errors: their pages were not updated.
        var blocked: [String] = []
        var diagnostics: [Diagnostic] = []
        var summary = ""
        var blockedSummary: String?
    }

    /// `handout build`, or `build --patient` with `patients`: incremental, under the build lock.
    func build(patients: [String] = [], prune: Bool = false) -> Build {
        Self.build(layout: layout, patients: patients, prune: prune)
    }

    private static func build(layout: SiteLayout, patients: [String], prune: Bool) -> Build {
        let diagnostics = Diagnostics()
        let result = BuildPipeline(layout: layout, diagnostics: diagnostics).buildReportingFailure(patients: patients, prune: prune)
        var build = Build(outcome: .built)
        switch result {
        case .success(let report):
            (build.rendered, build.files, build.blocked) = (report.rendered, report.files, report.blocked)
            build.blockedSummary = report.blockedSummary
        case .failure(.inputs): build.outcome = .inputsWrong
        case .failure(.output): build.outcome = .couldNotWrite
        }
        build.diagnostics = diagnostics.all
        build.summary = diagnostics.summary
        return build
    }

    /// How a diagnostic names the plan file `id`, so its errors can be told from others'.
    func shownPath(ofPlan id: String) -> String { layout.display(planFile(id)) }

    func planFile(_ id: String) -> URL { layout.plans.appendingPathComponent(id + ".yaml") }

    /// Drafts sit in `drafts/` inside the plans folder: the build reads only the folder's own
    /// `.yaml` files, never a folder within it.
    var draftsFolder: URL { layout.plans.appendingPathComponent("drafts") }

    func draftFile(_ id: String) -> URL { draftsFolder.appendingPathComponent(id + ".yaml") }

    func display(_ url: URL) -> String { layout.display(url) }

    /// The exercises, programs, pages, protocols and site settings, with any errors in them.
    func library() -> (library: ContentLibrary, errors: [Diagnostic]) {
        let diagnostics = Diagnostics()
        let library = ContentLoader(layout: layout, diagnostics: diagnostics).load()
        return (library, diagnostics.all.filter { $0.severity == .error })
    }

    /// A new plan's choices as `handout new` fills them in (a protocol's, or a copy of another
    /// plan without its patient's name), or the errors that stop it.
    func newPlan(protocolSlug: String?, copying original: String?, start: Day?, today: Day) -> Result<PlanSketch, Failure> {
        let diagnostics = Diagnostics()
        let draft = NewPlan(layout: layout, diagnostics: diagnostics).draft(protocolSlug: protocolSlug, copying: original, start: start, today: today)
        guard let made = draft else { return .failure(Failure(diagnostics: diagnostics.all)) }
        return .success(made.0)
    }

    struct Failure: Error {
        var diagnostics: [Diagnostic]
    }

    /// The file the plan writer makes of `sketch` for the plans folder, with the schema line.
    func text(of sketch: PlanSketch, comments: [String], library: ContentLibrary) -> PlanText {
        sketch.text(comments: comments, schema: SchemaExport.reference(fromPlansIn: layout.plans, output: layout.output),
                    titles: library.exercises.mapValues(\.title))
    }

    /// `text` as plan `id` built on its own into `scratch` (its own plans and output folders,
    /// the site's content and templates): checked by the same checker as every build, and its
    /// pages rendered there, never in the site's output. Diagnostics name the plans folder's
    /// file, as `handout check` would once the plan is saved.
    func preview(id: String, text: String, scratch: URL) -> Build {
        let plans = scratch.appendingPathComponent("plans")
        let draft = plans.appendingPathComponent(id + ".yaml")
        do {
            // One plan at a time: a draft renamed in the form leaves no other behind.
            try? FileManager.default.removeItem(at: plans)
            try FileManager.default.createDirectory(at: plans, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: draft)
        } catch {
            return Build(outcome: .couldNotWrite, diagnostics: [Diagnostic(.error, "cannot write the preview's copy of the plan; is the disk full?",
                                                                            at: SourceLocation(path: scratch.path, line: 0, column: 0))])
        }
        let output = scratch.appendingPathComponent("Output")
        // A first build whose only plan had errors wrote no `patients/`, and the build then
        // refuses that output ("cannot read the folder …/patients"): start such a copy afresh.
        if !FileManager.default.fileExists(atPath: output.appendingPathComponent("patients").path) {
            try? FileManager.default.removeItem(at: output)
        }
        let copy = SiteLayout(root: layout.root, content: layout.content, templates: layout.templates, plans: plans, output: output)
        var build = Self.build(layout: copy, patients: [], prune: true)
        let scratchPath = copy.display(draft), shown = shownPath(ofPlan: id)
        build.diagnostics = build.diagnostics.map { diagnostic in
            var named = diagnostic
            if named.location.path == scratchPath { named.location.path = shown }
            return named
        }
        return build
    }

    /// Notices saved changes in Content, Templates and the plans folder.
    func watcher() -> Watcher { Watcher(layout: layout) }
}
