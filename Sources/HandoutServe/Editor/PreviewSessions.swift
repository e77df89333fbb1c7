import Foundation

/// The scratch folders where drafts are built for the editor's preview: one per open editor,
/// inside one private folder (mode 0700, patients' names are in it) that goes when the server
/// stops. The oldest is dropped when there are too many.
final class PreviewSessions: @unchecked Sendable {
    let folder: URL
    private var used: [String: Date] = [:]
    private let lock = NSLock()
    static let limit = 16

    init(in parent: URL = FileManager.default.temporaryDirectory) throws {
        var template = Array(parent.appendingPathComponent("handout-serve-XXXXXX").path.utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        folder = URL(fileURLWithPath: String(cString: made), isDirectory: true)
    }

    /// A new session's id: 32 hex digits, unguessable, as its pages' addresses hold it.
    func open() -> String {
        let id = RequestGuard.newToken().prefix(32).description
        lock.withLock {
            used[id] = Date()
            while used.count > Self.limit, let oldest = used.min(by: { $0.value < $1.value })?.key {
                used[oldest] = nil
                try? FileManager.default.removeItem(at: folder.appendingPathComponent(oldest))
            }
        }
        return id
    }

    /// The session's scratch folder, or nil for an id this server did not give out (or dropped).
    func scratch(_ id: String) -> URL? {
        lock.withLock {
            guard used[id] != nil else { return nil }
            used[id] = Date()
            return folder.appendingPathComponent(id, isDirectory: true)
        }
    }

    func removeAll() {
        try? FileManager.default.removeItem(at: folder)
    }
}
