import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Wakes the watcher the moment a file under the watched folders changes (Linux inotify), so
/// a saved plan is rebuilt at once rather than at the next look. The watcher still compares
/// what it sees: a network share sends no events, and is looked at every second instead.
final class FolderEvents {
    private let descriptor: Int32
    private let folders: [String]

    /// Nil where the system has no inotify (or none left).
    init?(folders: [URL]) {
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        self.folders = folders.map(\.path)
        watchFolders()
    }

    deinit { close(descriptor) }

    /// Returns when something changed, or after `timeout` seconds.
    func wait(_ timeout: TimeInterval) {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&request, 1, Int32(timeout * 1000)) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while read(descriptor, &buffer, buffer.count) > 0 {}
        // A folder made (or made again) since is watched from now on; watching one twice is harmless.
        watchFolders()
    }

    private func watchFolders() {
        for folder in folders { watch(folder, depth: 0) }
    }

    private func watch(_ path: String, depth: Int) {
        // As deep as the watcher looks; links followed, hidden names skipped, as it does.
        guard depth < 16, let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        let events = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF
        _ = inotify_add_watch(descriptor, path, UInt32(events))
        for name in names where !name.hasPrefix(".") {
            var isFolder: ObjCBool = false
            let child = path + "/" + name
            if FileManager.default.fileExists(atPath: child, isDirectory: &isFolder), isFolder.boolValue {
                watch(child, depth: depth + 1)
            }
        }
    }
}
