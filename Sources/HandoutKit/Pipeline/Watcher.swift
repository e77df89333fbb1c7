import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Notices saved changes under the site's input folders by polling file sizes and times.
/// Polling, not inotify, because clinics keep plans on shared network folders.
public struct Watcher: Sendable {
    public struct Stamp: Equatable, Sendable {
        var size: Int
        var modified: TimeInterval
    }

    var folders: [URL]

    public init(layout: SiteLayout) {
        folders = [layout.content, layout.templates, layout.plans]
    }

    /// Size and modification time of every file in the watched folders. Links are followed
    /// (a plans folder is often a link to a share); a folder that cannot be read is named in
    /// `unwatchable` with the reason, and counts as a change when it comes back.
    public func snapshot() -> [String: Stamp] {
        var stamps: [String: Stamp] = [:]
        for folder in folders {
            walk(folder.path, into: &stamps, depth: 0)
        }
        return stamps
    }

    /// Folders the last look could not read, as "path: reason".
    public func unwatchable() -> [String] {
        folders.compactMap { folder -> String? in
            do throws(FileFault) {
                _ = try FileSystem.list(folder.path)
                return nil
            } catch {
                return "\(folder.path): \(error.reason)"
            }
        }
    }

    private func walk(_ path: String, into stamps: inout [String: Stamp], depth: Int) {
        // Deep enough for any content layout, and a stop for links that loop.
        guard depth < 16, let names = try? FileSystem.list(path) else {
            stamps[path + "/"] = Stamp(size: -1, modified: 0)
            return
        }
        for name in names where !name.hasPrefix(".") {
            let child = path + "/" + name
            var info = stat()
            guard stat(child, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                walk(child, into: &stamps, depth: depth + 1)
            } else if (info.st_mode & S_IFMT) == S_IFREG {
                stamps[child] = Stamp(size: Int(info.st_size),
                                      modified: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
            }
        }
    }

    /// Blocks until something changed and then stayed still for `settle` (an editor still
    /// saving), and returns the new snapshot.
    /// With `timeout`, returns nil when nothing changed by then.
    public func waitForChange(since last: [String: Stamp], poll: TimeInterval = 0.25, settle: TimeInterval = 0.15,
                              timeout: TimeInterval? = nil) -> [String: Stamp]? {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while true {
            if let deadline, Date() >= deadline { return nil }
            Thread.sleep(forTimeInterval: poll)
            var current = snapshot()
            guard current != last else { continue }
            while true {
                Thread.sleep(forTimeInterval: settle)
                let again = snapshot()
                if again == current { return current }
                current = again
            }
        }
    }
}
