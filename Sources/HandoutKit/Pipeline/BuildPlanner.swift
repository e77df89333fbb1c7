/// Everything one build read, as hashes: the input of `BuildPlanner`.
public struct BuildSnapshot: Sendable, Equatable {
    /// Tool, templates, assets and site settings.
    public var global: Fingerprint
    /// Every content file and picture (`exercises/bridge`, `images/bridge.svg`).
    public var content: [String: Fingerprint]
    /// Every plan file in the plans folder, with the hash of its bytes; nil for a plan that
    /// was not read (`--patient` names others).
    public var plans: [String: Fingerprint?]
    /// Every patient folder in the published site, whatever the manifest says, with its stat
    /// record where it was taken (`.absent` where not: patients a `--patient` build leaves alone).
    public var published: [String: Fingerprint] = [:]
    /// The stat record of each shared file the previous manifest lists that is still there.
    public var shared: [String: Fingerprint] = [:]

    public init(global: Fingerprint, content: [String: Fingerprint], plans: [String: Fingerprint?],
                published: [String: Fingerprint] = [:], shared: [String: Fingerprint] = [:]) {
        self.global = global
        self.content = content
        self.plans = plans
        self.published = published
        self.shared = shared
    }

    /// All content together: library pages and assets are made from nothing else.
    public var library: Fingerprint {
        var fingerprint = Fingerprint()
        for (key, hash) in content.sorted(by: { $0.key < $1.key }) {
            fingerprint.add(key)
            fingerprint.add(hash)
        }
        return fingerprint
    }
}

/// What a build does, decided before anything is rendered or written.
public struct BuildActions: Sendable, Equatable {
    /// Plans to read, check and render.
    public var render: [String] = []
    /// Plans whose published pages are still what a full build would write, with the record
    /// they were built from.
    public var reuse: [String: BuildManifest.PatientRecord] = [:]
    /// Published patients whose plan file is gone.
    public var remove: [String] = []
    /// Whether library pages and assets must be rendered; when not, `keptShared` are still right.
    public var renderLibrary = true
    public var keptShared: [String] = []
    /// The previous output is usable for an incremental build; when not, everything is
    /// staged and swapped in whole.
    public var incremental = false
    /// Why the build must stop before writing anything.
    public var refusal: String?

    /// Every patient folder that must exist afterwards.
    public var patients: Set<String> { Set(render).union(reuse.keys) }
}

/// Decides what to render, reuse and remove. No I/O: the case table in `BuildPlannerTests`
/// is the whole specification.
///
/// A patient's published pages are reused only when the manifest records the exact plan
/// bytes, the exact hash of every content file the renderer read for it, and the stat record
/// of its folder as it is now (a page deleted or overwritten since is written again). With
/// `--patient`, unselected patients keep the record they were built from, so the next
/// build still compares them against what they were really made of. With `verify`, nothing
/// is reused: every page is rendered and compared with what is published.
public enum BuildPlanner {
    public static func plan(previous: BuildManifest?, snapshot: BuildSnapshot, selected: Set<String> = [],
                            prune: Bool = false, verify: Bool = false) -> BuildActions {
        var actions = BuildActions()
        let usable = previous.flatMap { $0.global == snapshot.global ? $0 : nil }
        actions.incremental = usable != nil
        // Checked for ten thousand patients on every build, so without making a string: each
        // `key=hash` item of a record's list is hashed as bytes and looked up among the
        // current pairs. Anything else (an absent item, damage) takes the slow path.
        let currentItems = Set(snapshot.content.map { Fingerprint(Array("\($0.key)=\($0.value)".utf8)).value })
        func isCurrent(_ record: BuildManifest.PatientRecord) -> Bool {
            var list = record.dependencyList
            let fast = list.withUTF8 { bytes -> Bool in
                var item = Fingerprint()
                for byte in bytes {
                    if byte == UInt8(ascii: ",") {
                        guard currentItems.contains(item.value) else { return false }
                        item = Fingerprint()
                    } else {
                        item.add(byte)
                    }
                }
                return bytes.isEmpty || currentItems.contains(item.value)
            }
            return fast || record.dependencies?.allSatisfy({ (snapshot.content[$0.key] ?? .absent) == $0.value }) == true
        }
        actions.reuse.reserveCapacity(snapshot.plans.count)
        for id in snapshot.plans.keys.sorted() {
            let record = usable?.patients[id]
            if let record, !selected.isEmpty, !selected.contains(id) {
                actions.reuse[id] = record
            } else if !verify, let record, let hash = snapshot.plans[id] ?? nil, record.plan == hash, record.output != .absent,
                      snapshot.published[id] == record.output, isCurrent(record) {
                actions.reuse[id] = record
            } else {
                actions.render.append(id)
            }
        }
        // What is published is what is on disk, manifest or not: a lost manifest must not
        // make an empty plans folder look like a clinic without patients.
        let published = Set(previous?.patients.keys ?? [:].keys).union(snapshot.published.keys)
        actions.remove = published.subtracting(snapshot.plans.keys).sorted()
        if !prune, !published.isEmpty, actions.remove.count == published.count || actions.remove.count * 2 > published.count {
            let all = actions.remove.count == published.count ? "every published patient" : "more than half of the published patients"
            actions.refusal = "this build would remove \(actions.remove.count) of \(published.count) published patients (\(all)) "
                + "because their plan files are gone; if that is intended, build again with --prune, otherwise check that the plans folder is complete"
        }
        // Library pages and assets are kept only when every one is still as the last build left it.
        let keptShared = usable?.shared.filter { $0.key != SiteLayout.indexPage } ?? [:]
        if !verify, let usable, usable.library == snapshot.library, keptShared.allSatisfy({ snapshot.shared[$0.key] == $0.value }) {
            actions.renderLibrary = false
            actions.keptShared = keptShared.keys.sorted()
        }
        return actions
    }

    /// The index rows' fingerprint; names are left out because the manifest never holds them.
    /// Ten thousand rows on every build: dates and numbers go in as numbers, not text, and
    /// rows already in id order (a build's, nearly always: plan files are listed by name) are
    /// not sorted again.
    public static func indexFingerprint(_ summaries: [PlanSummary]) -> Fingerprint {
        let inOrder = zip(summaries, summaries.dropFirst()).allSatisfy { $0.id < $1.id }
        var fingerprint = Fingerprint()
        for s in inOrder ? summaries : summaries.sorted(by: { $0.id < $1.id }) {
            fingerprint.add(s.id)
            fingerprint.add(s.therapist ?? "\u{0}")
            fingerprint.add(s.condition ?? "\u{0}")
            fingerprint.add(number: s.start.ordinal)
            fingerprint.add(number: s.weeks)
            fingerprint.add(number: s.ended?.ordinal ?? .min)
        }
        return fingerprint
    }

    /// Whether the published index is what this build would write. With names shown it is
    /// always rendered again: names are never recorded.
    public static func indexIsCurrent(previous: BuildManifest?, snapshot: BuildSnapshot, actions: BuildActions, index: Fingerprint,
                                      showsNames: Bool, verify: Bool = false) -> Bool {
        guard let recorded = previous?.shared[SiteLayout.indexPage] else { return false }
        return actions.incremental && !verify && !showsNames && previous?.index == index && snapshot.shared[SiteLayout.indexPage] == recorded
    }
}
