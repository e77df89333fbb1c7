import Foundation
import HandoutKit

/// Runs builds, saves and draft checks one at a time on one queue, so a save and the build
/// after it, the watcher's builds and a colleague's save never overlap inside the server (the
/// build lock keeps other `handout` processes out); and keeps what the builds found.
final class SiteWorker: @unchecked Sendable {
    let site: HandoutSite
    private let queue = DispatchQueue(label: "handout.serve.site")
    /// Drafts' previews build into their own scratch folders, beside the site's builds.
    private let previews = DispatchQueue(label: "handout.serve.previews")
    private let lock = NSLock()
    private var current = SiteState()
    private let report: @Sendable (HandoutSite.Build, [String]) -> Void

    init(site: HandoutSite, report: @escaping @Sendable (HandoutSite.Build, [String]) -> Void) {
        self.site = site
        self.report = report
    }

    var state: SiteState { lock.withLock { current } }

    private var loaded: (generation: Int, library: ContentLibrary, errors: [Diagnostic])?

    /// The library as the last build saw it, read again after each build (a build follows
    /// every saved change of content).
    var library: (library: ContentLibrary, errors: [Diagnostic]) {
        let generation = state.generation
        if let loaded = lock.withLock({ loaded }), loaded.generation == generation { return (loaded.library, loaded.errors) }
        let (library, errors) = site.library()
        lock.withLock { loaded = (generation, library, errors) }
        return (library, errors)
    }

    /// `work` on the site's queue, after every build and save before it.
    func perform<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }

    /// `work` on the previews' queue.
    func preview<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            previews.async { continuation.resume(returning: work()) }
        }
    }

    /// Builds (the whole site, or `patients`), reports and records the result. Call it on the
    /// site's queue (inside `perform`), or before the server starts.
    @discardableResult
    func rebuild(patients: [String] = []) -> HandoutSite.Build {
        let build = site.build(patients: patients)
        let plansFolder = site.display(site.layout.plans)
        lock.withLock {
            current.record(build, patients: patients, plansFolder: plansFolder, shownPath: site.shownPath(ofPlan:))
        }
        report(build, patients)
        return build
    }

    /// Rebuilds whenever a watched file changes, forever, on a thread of its own. A build that
    /// could not write (another build held the lock) is tried again, more slowly each time.
    func watch() {
        let watcher = site.watcher()
        let thread = Thread { [self] in
            // Polled as often as a look at every file allows: on the sample site every 50 ms.
            let started = Date()
            var last = watcher.snapshot()
            let poll = min(1, max(0.05, 20 * Date().timeIntervalSince(started)))
            var retryIn: TimeInterval?
            while true {
                if let wait = retryIn {
                    if let changed = watcher.waitForChange(since: last, poll: poll, settle: 0.05, timeout: wait) { last = changed }
                } else {
                    last = watcher.waitForChange(since: last, poll: poll, settle: 0.05)!
                }
                let outcome = queue.sync { rebuild().outcome }
                retryIn = outcome == .couldNotWrite ? min((retryIn ?? 0.5) * 2, 30) : nil
            }
        }
        thread.name = "handout serve: watch"
        thread.start()
    }
}
