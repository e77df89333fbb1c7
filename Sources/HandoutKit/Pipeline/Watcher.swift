import Foundation

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

    /// Size and modification time of every file in the watched folders.
    public func snapshot() -> [String: Stamp] {
        var stamps: [String: Stamp] = [:]
        let fm = FileManager.default
        for folder in folders {
            guard let enumerator = fm.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey]) else { continue }
            for case let url as URL in enumerator {
                guard let values = try? url.resourceValues(forKeys: [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey]),
                      values.isRegularFile == true else { continue }
                stamps[url.path] = Stamp(size: values.fileSize ?? 0, modified: values.contentModificationDate?.timeIntervalSince1970 ?? 0)
            }
        }
        return stamps
    }

    /// Blocks until something changed and then stayed still for `settle` (an editor still
    /// saving), and returns the new snapshot.
    public func waitForChange(since last: [String: Stamp], poll: TimeInterval = 0.25, settle: TimeInterval = 0.15) -> [String: Stamp] {
        while true {
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
