import Testing
@testable import HandoutKit

/// The build planner's case table: previous manifest × this build's hashes × selection →
/// what is rendered, reused and removed.
@Suite struct BuildPlannerTests {
    static func hash(_ text: String) -> Fingerprint { Fingerprint(Array(text.utf8)) }
    static let global = hash("global")
    static let content = ["exercises/bridge": hash("bridge"), "exercises/plank": hash("plank"), "pages/safety": hash("safety")]

    static func record(_ id: String, plan: String = "plan", uses: [String: Fingerprint] = ["exercises/bridge": hash("bridge")]) -> BuildManifest.PatientRecord {
        var record = BuildManifest.PatientRecord(plan: hash(plan), dependencies: uses,
              summary: PlanSummary(id: id, patient: "", therapist: nil, condition: nil, start: Day(iso: "2026-12-07")!, weeks: 3))
        record.output = stamp(id)
        return record
    }

    /// The stat record of a patient folder or shared file as the last build left it.
    static func stamp(_ name: String) -> Fingerprint { hash("stamp of " + name) }

    /// The published site as the manifest describes it: nothing touched since.
    static func untouched(_ manifest: BuildManifest?) -> (patients: [String: Fingerprint], shared: [String: Fingerprint]) {
        (manifest?.patients.mapValues(\.output) ?? [:], manifest?.shared ?? [:])
    }

    /// A manifest of patients a, b, c, each built from plan "plan" and exercise bridge.
    static func previous(global: Fingerprint = global, ids: [String] = ["a", "b", "c"]) -> BuildManifest {
        var manifest = BuildManifest(global: global)
        for id in ids { manifest.patients[id] = record(id) }
        manifest.library = BuildSnapshot(global: global, content: content, plans: [:]).library
        manifest.shared = Dictionary(uniqueKeysWithValues: ["index.html", "exercises/bridge.html", "assets/site.css"].map { ($0, stamp($0)) })
        return manifest
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var previous: BuildManifest?
        var global = BuildPlannerTests.global
        var content = BuildPlannerTests.content
        var plans: [String: Fingerprint?] = ["a": hash("plan"), "b": hash("plan"), "c": hash("plan")]
        var selected: Set<String> = []
        var prune = false
        var verify = false
        /// Patient folders and shared files on disk, with their stat records; nil: as the manifest says.
        var published: [String: Fingerprint]? = nil
        var shared: [String: Fingerprint]? = nil
        var render: [String]
        var reuse: [String]
        var remove: [String] = []
        var renderLibrary = false
        var incremental = true
        var refused = false
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no manifest: everything rendered, in full", previous: nil,
             render: ["a", "b", "c"], reuse: [], renderLibrary: true, incremental: false),
        Case(name: "nothing changed: everything reused", previous: previous(), render: [], reuse: ["a", "b", "c"]),
        Case(name: "new tool, templates or settings: full build", previous: previous(global: hash("old")),
             render: ["a", "b", "c"], reuse: [], renderLibrary: true, incremental: false),
        Case(name: "one plan edited", previous: previous(), plans: ["a": hash("plan"), "b": hash("edited"), "c": hash("plan")],
             render: ["b"], reuse: ["a", "c"]),
        Case(name: "used exercise edited: its patients and the library",
             previous: previous(), content: content.merging(["exercises/bridge": hash("bridge 2")]) { $1 },
             render: ["a", "b", "c"], reuse: [], renderLibrary: true),
        Case(name: "unused exercise edited: the library only",
             previous: previous(), content: content.merging(["exercises/plank": hash("plank 2")]) { $1},
             render: [], reuse: ["a", "b", "c"], renderLibrary: true),
        Case(name: "used exercise deleted: its patients are rendered (and report it)",
             previous: previous(), content: content.filter { $0.key != "exercises/bridge" },
             render: ["a", "b", "c"], reuse: [], renderLibrary: true),
        Case(name: "new plan", previous: previous(), plans: ["a": hash("plan"), "b": hash("plan"), "c": hash("plan"), "d": hash("plan")],
             render: ["d"], reuse: ["a", "b", "c"]),
        Case(name: "one plan of three deleted", previous: previous(), plans: ["a": hash("plan"), "b": hash("plan")],
             render: [], reuse: ["a", "b"], remove: ["c"]),
        Case(name: "two plans of three deleted: refused without --prune", previous: previous(), plans: ["a": hash("plan")],
             render: [], reuse: ["a"], remove: ["b", "c"], refused: true),
        Case(name: "two plans of three deleted, --prune", previous: previous(), plans: ["a": hash("plan")], prune: true,
             render: [], reuse: ["a"], remove: ["b", "c"]),
        Case(name: "every plan gone (unmounted share): refused", previous: previous(), plans: [:],
             render: [], reuse: [], remove: ["a", "b", "c"], refused: true),
        Case(name: "every plan gone after a tool change: still refused", previous: previous(global: hash("old")), plans: [:],
             render: [], reuse: [], remove: ["a", "b", "c"], renderLibrary: true, incremental: false, refused: true),
        Case(name: "half of two removed: allowed", previous: previous(ids: ["a", "b"]), plans: ["a": hash("plan")],
             render: [], reuse: ["a"], remove: ["b"]),
        Case(name: "--patient: unselected patients kept as built, even when their content changed",
             previous: previous(), content: content.merging(["exercises/bridge": hash("bridge 2")]) { $1 },
             plans: ["a": hash("plan"), "b": nil, "c": nil], selected: ["a"],
             render: ["a"], reuse: ["b", "c"], renderLibrary: true),
        Case(name: "--patient with an unchanged selected plan: reused",
             previous: previous(), plans: ["a": hash("plan"), "b": nil, "c": nil], selected: ["a"],
             render: [], reuse: ["a", "b", "c"]),
        Case(name: "--patient, unselected plan with no record: rendered",
             previous: previous(ids: ["a"]), plans: ["a": hash("plan"), "b": hash("plan")], selected: ["a"],
             render: ["b"], reuse: ["a"]),
        Case(name: "--patient without a manifest: everything rendered",
             previous: nil, plans: ["a": hash("plan"), "b": hash("plan")], selected: ["a"],
             render: ["a", "b"], reuse: [], renderLibrary: true, incremental: false),
        Case(name: "unreadable plan counts as changed", previous: previous(), plans: ["a": hash("plan"), "b": .absent, "c": hash("plan")],
             render: ["b"], reuse: ["a", "c"]),
        // Issue 22, case 6: the published files are checked against the manifest's stat records.
        Case(name: "a patient's page deleted or overwritten since the last build: rendered again", previous: previous(),
             published: ["a": stamp("a"), "b": hash("changed since"), "c": stamp("c")], render: ["b"], reuse: ["a", "c"]),
        Case(name: "a patient's folder deleted since the last build: rendered again", previous: previous(),
             published: ["a": stamp("a"), "c": stamp("c")], render: ["b"], reuse: ["a", "c"]),
        Case(name: "a library page or asset changed since: the library rendered again", previous: previous(),
             shared: ["index.html": stamp("index.html"), "exercises/bridge.html": stamp("exercises/bridge.html"),
                      "assets/site.css": hash("edited by hand")],
             render: [], reuse: ["a", "b", "c"], renderLibrary: true),
        Case(name: "a library page deleted since: the library rendered again", previous: previous(),
             shared: ["index.html": stamp("index.html"), "assets/site.css": stamp("assets/site.css")],
             render: [], reuse: ["a", "b", "c"], renderLibrary: true),
        Case(name: "--verify: everything rendered and compared", previous: previous(), verify: true,
             render: ["a", "b", "c"], reuse: [], renderLibrary: true),
        Case(name: "--patient: unselected patients are not checked", previous: previous(), plans: ["a": hash("plan"), "b": nil, "c": nil],
             selected: ["a"], published: ["a": stamp("a"), "b": .absent, "c": .absent], render: [], reuse: ["a", "b", "c"]),
        // Issue 22, case 2: what is published is what is on disk, manifest or not.
        Case(name: "manifest lost, every plan gone: refused, counting the folders on disk", previous: nil, plans: [:],
             published: ["a": .absent, "b": .absent, "c": .absent],
             render: [], reuse: [], remove: ["a", "b", "c"], renderLibrary: true, incremental: false, refused: true),
        Case(name: "manifest lost, two of three gone: refused", previous: nil, plans: ["a": hash("plan")],
             published: ["a": .absent, "b": .absent, "c": .absent],
             render: ["a"], reuse: [], remove: ["b", "c"], renderLibrary: true, incremental: false, refused: true),
        Case(name: "manifest lost, one of three gone: allowed", previous: nil, plans: ["a": hash("plan"), "b": hash("plan")],
             published: ["a": .absent, "b": .absent, "c": .absent],
             render: ["a", "b"], reuse: [], remove: ["c"], renderLibrary: true, incremental: false),
        Case(name: "a folder the manifest does not know counts as published", previous: previous(), plans: ["a": hash("plan")],
             published: ["a": stamp("a"), "b": stamp("b"), "c": stamp("c"), "d": .absent],
             render: [], reuse: ["a"], remove: ["b", "c", "d"], refused: true),
        // Issue 22, case 3: a site built with no plans has no patients/ folder, which is none published.
        Case(name: "no patients before, none now", previous: previous(ids: []), plans: [:], published: [:],
             render: [], reuse: []),
    ]

    @Test(arguments: cases) func decides(_ c: Case) {
        let disk = Self.untouched(c.previous)
        let snapshot = BuildSnapshot(global: c.global, content: c.content, plans: c.plans,
                                     published: c.published ?? disk.patients, shared: c.shared ?? disk.shared)
        let actions = BuildPlanner.plan(previous: c.previous, snapshot: snapshot, selected: c.selected, prune: c.prune, verify: c.verify)
        #expect(actions.render == c.render)
        #expect(actions.reuse.keys.sorted() == c.reuse)
        #expect(actions.remove == c.remove)
        #expect(actions.renderLibrary == c.renderLibrary)
        #expect(actions.incremental == c.incremental)
        #expect((actions.refusal != nil) == c.refused)
        #expect(actions.patients == Set(c.render + c.reuse))
        if !c.renderLibrary, c.incremental {
            #expect(actions.keptShared == ["assets/site.css", "exercises/bridge.html"], "the index is decided on its own")
        }
    }

    @Test func damagedDependenciesAreNeverTrusted() {
        var manifest = Self.previous()
        manifest.patients["a"]?.dependencyList = "exercises/bridge~broken"
        let actions = BuildPlanner.plan(previous: manifest, snapshot: BuildSnapshot(global: Self.global, content: Self.content,
                                                                                  plans: ["a": Self.hash("plan"), "b": Self.hash("plan"), "c": Self.hash("plan")],
                                                                                  published: Self.untouched(manifest).patients))
        #expect(actions.render == ["a"])
    }

    @Test func contentAddedWhereThePatientLookedIsAChange() {
        // A renderer that looked for a translation and did not find it records it as absent.
        var manifest = Self.previous(ids: ["a"])
        manifest.patients["a"] = Self.record("a", uses: ["exercises/bridge": Self.hash("bridge"), "exercises/bridge.es": .absent])
        let plans: [String: Fingerprint?] = ["a": Self.hash("plan")]
        let published = Self.untouched(manifest).patients
        #expect(BuildPlanner.plan(previous: manifest, snapshot: BuildSnapshot(global: Self.global, content: Self.content, plans: plans,
                                                                              published: published)).render == [])
        let added = Self.content.merging(["exercises/bridge.es": Self.hash("puente")]) { $1 }
        #expect(BuildPlanner.plan(previous: manifest, snapshot: BuildSnapshot(global: Self.global, content: added, plans: plans,
                                                                              published: published)).render == ["a"])
    }

    @Test func theIndexIsKeptOnlyWhenItsRowsAreTheSameAndNamesAreHidden() {
        var manifest = Self.previous()
        let rows = manifest.patients.values.map(\.summary)
        manifest.index = BuildPlanner.indexFingerprint(rows)
        let disk = Self.untouched(manifest)
        let snapshot = BuildSnapshot(global: Self.global, content: Self.content,
                                     plans: ["a": Self.hash("plan"), "b": Self.hash("plan"), "c": Self.hash("plan")],
                                     published: disk.patients, shared: disk.shared)
        let actions = BuildPlanner.plan(previous: manifest, snapshot: snapshot)
        let print = BuildPlanner.indexFingerprint(rows)
        #expect(BuildPlanner.indexIsCurrent(previous: manifest, snapshot: snapshot, actions: actions, index: print, showsNames: false))
        #expect(!BuildPlanner.indexIsCurrent(previous: manifest, snapshot: snapshot, actions: actions, index: print, showsNames: true))
        #expect(!BuildPlanner.indexIsCurrent(previous: manifest, snapshot: snapshot, actions: actions, index: print, showsNames: false, verify: true))
        var changed = rows
        changed[0].weeks += 1
        #expect(!BuildPlanner.indexIsCurrent(previous: manifest, snapshot: snapshot, actions: actions, index: BuildPlanner.indexFingerprint(changed),
                                             showsNames: false))
        // Edited or deleted since the last build: written again.
        var touched = snapshot
        touched.shared[SiteLayout.indexPage] = Self.hash("edited")
        #expect(!BuildPlanner.indexIsCurrent(previous: manifest, snapshot: touched, actions: actions, index: print, showsNames: false))
        touched.shared[SiteLayout.indexPage] = nil
        #expect(!BuildPlanner.indexIsCurrent(previous: manifest, snapshot: touched, actions: actions, index: print, showsNames: false))
    }
}
