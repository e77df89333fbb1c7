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

    private var loaded: (library: ContentLibrary, errors: [Diagnostic])?
    private let reading = DispatchQueue(label: "handout.serve.library")

    /// The library for the editor and the words of pages: read once, and again after each
    /// build, beside it, so a page reloading after a build does not wait for the reading.
    var library: (library: ContentLibrary, errors: [Diagnostic]) {
        if let loaded = lock.withLock({ loaded }) { return loaded }
        let fresh = site.library()
        lock.withLock { loaded = fresh }
        return fresh
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
        reading.async { [self] in
            let fresh = site.library()
            lock.withLock { loaded = fresh }
        }
        return build
    }

    /// Rebuilds whenever a watched file changes, forever, on a thread of its own: woken by
    /// the system when it tells (inotify), else looking as often as a look at every file
    /// allows (on the sample site every 50 ms). A change is built once the files have stayed
    /// still for 30 ms (an editor still saving, several files at once). A build that could not
    /// write (another build held the lock) is tried again, more slowly each time.
    func watch() {
        let watcher = site.watcher()
        let layout = site.layout
        let thread = Thread { [self] in
            let events = FolderEvents(folders: [layout.content, layout.templates, layout.plans])
            let started = Date()
            var last = watcher.snapshot()
            let look = events == nil ? min(1, max(0.05, 20 * Date().timeIntervalSince(started))) : 1
            var retryIn: TimeInterval?
            while true {
                let deadline = retryIn.map { Date().addingTimeInterval($0) }
                var current = last
                while current == last, deadline.map({ Date() < $0 }) ?? true {
                    if let events { events.wait(look) } else { Thread.sleep(forTimeInterval: look) }
                    current = watcher.snapshot()
                }
                while current != last {
                    Thread.sleep(forTimeInterval: 0.03)
                    let again = watcher.snapshot()
                    if again == current { break }
                    current = again
                }
                last = current
                let outcome = queue.sync { rebuild().outcome }
                retryIn = outcome == .couldNotWrite ? min((retryIn ?? 0.5) * 2, 30) : nil
            }
        }
        thread.name = "handout serve: watch"
        thread.start()
    }
}
