import Foundation
import Testing
@testable import HandoutKit

/// Issue 22: every read that shapes a patient's pages is recorded, or incremental builds
/// reuse stale pages. Shown from the other side: editing any content file a patient's
/// rendering did not record leaves that patient's pages byte for byte the same.
@Suite struct RecordedReadsTests {
    /// One patient's pages and the content keys they recorded, rendered from the site as it is now.
    func render(_ site: TestSite, plan id: String) throws -> (files: [OutputFile], reads: Set<String>, keys: [String]) {
        let diagnostics = Diagnostics()
        let checked = try #require(BuildPipeline(layout: site.layout, diagnostics: diagnostics).check(), "\(diagnostics.all)")
        let plan = try #require(checked.plans.first { $0.id == id })
        let renderer = SiteRenderer(library: checked.library, templates: checked.templates)
        let schedule = Scheduler.schedule(plan, inputs: ScheduleInputs(library: checked.library), weekStarts: checked.library.site.weekStarts)
        let (files, reads) = renderer.renderPatientRecordingReads(plan, schedule: schedule)
        return (files, reads, checked.library.hashes.keys.sorted())
    }

    /// The file of a content key: `exercises/bridge.es` → `Content/exercises/bridge.es.md`.
    func file(of key: String) -> String {
        "Content/" + key + (key.hasPrefix("protocols/") ? ".yaml" : ".md")
    }

    @Test(arguments: ["en", "es", "zh-hans"]) func contentNotRecordedDoesNotChangeThePages(language: String) throws {
        let site = try TestSite()
        // Translations, a fallback language and a note linking a page: every kind of lookup is taken.
        try site.write("Content/site.yaml", try site.read("Content/site.yaml") + "translation_fallback: es\n")
        try site.write("Content/exercises/bridge.es.md", "---\ntitle: Puente\nimage_alt: Persona haciendo el puente\n---\n## Setup\nAcuéstese.\n## Movement\nLevante la cadera.\n")
        try site.write("Content/exercises/clamshell.es.md", "---\ntitle: Almeja\nimage_alt: Persona de lado con las rodillas dobladas\n---\n## Setup\nDe lado.\n## Movement\nAbra la rodilla.\n")
        try site.write("Content/pages/pacing.es.md", "---\ntitle: Ritmo\n---\nVaya despacio.\n")
        try site.write("Content/pages/unused.md", "---\ntitle: Unused\n---\nNobody reads this.\n")
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml")
            + "  Read [how to pace](pages/pacing.md) and [the clamshell](exercises/clamshell.md).\nlanguage: \(language)\n")
        let (pages, reads, keys) = try render(site, plan: "p-0001")
        #expect(reads.contains("exercises/clamshell"), "linked from the notes")
        if language == "zh-hans" { #expect(reads.contains("exercises/bridge.es"), "the fallback's translation") }
        let unrecorded = keys.filter { !reads.contains($0) && !$0.hasPrefix("images/") }
        #expect(!unrecorded.isEmpty)
        for key in unrecorded {
            let path = file(of: key)
            let original = try site.read(path)
            let edited = key.hasPrefix("protocols/") ? original + "notes: Changed.\n"
                : original.replacingOccurrences(of: "title: ", with: "title: Changed ") + "\nChanged.\n"
            try site.write(path, edited)
            #expect(try render(site, plan: "p-0001").files == pages, "\(path) was not recorded, yet it changes the pages")
            // Deleted, it may stop the whole build (content links to it), but never block this plan alone.
            try site.remove(path)
            let planErrors = site.errors().filter { $0.hasPrefix("Content/plans/p-0001.yaml") }
            #expect(planErrors.isEmpty, "\(path) was not recorded, yet deleting it blocks the plan: \(planErrors)")
            try site.write(path, original)
        }
        // And the other way: a recorded file that is edited does change them.
        try site.write("Content/pages/pacing.md", try site.read("Content/pages/pacing.md").replacingOccurrences(of: "title: ", with: "title: Changed "))
        if language == "en" { #expect(try render(site, plan: "p-0001").files != pages) }
    }
}
