import Foundation
import HandoutKit
#if canImport(Glibc)
import Glibc
#endif

/// The only files the editor writes: `<id>.yaml` and `drafts/<id>.yaml` in the plans folder,
/// the id checked as on the command line, each written whole beside its place and renamed
/// into it, so a reader or a build never sees half a plan.
struct PlanFiles: Sendable {
    let plans: URL
    /// Plans are short; a bigger file is not one the editor opens.
    static let largest = 1 << 20

    func file(_ id: String) -> URL? {
        Slug.isValid(id) ? plans.appendingPathComponent(id + ".yaml") : nil
    }

    func draft(_ id: String) -> URL? {
        Slug.isValid(id) ? plans.appendingPathComponent("drafts").appendingPathComponent(id + ".yaml") : nil
    }

    /// The file's bytes; nil when there is none (or it is no plain file, or too big).
    func read(_ url: URL) -> Data? {
        var info = stat()
        guard stat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, let handle = FileHandle(forReadingAtPath: url.path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: Self.largest + 1), data.count <= Self.largest else { return nil }
        return data
    }

    /// What a file held when it was read, to tell later whether it changed: "absent" for none.
    static func version(_ data: Data?) -> String {
        data.map { String(Fingerprint($0).value, radix: 16) + "-\($0.count)" } ?? "absent"
    }

    /// Plan ids in the plans folder, sorted, as the build reads them.
    func ids() -> [String] { names(in: plans) }

    func drafts() -> [String] { names(in: plans.appendingPathComponent("drafts")) }

    private func names(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.filter(Slug.isValid).sorted()
    }

    /// Writes `text` to `url` whole: into a hidden file beside it (builds and the watcher skip
    /// hidden files), then moved into place; `replacing: false` never replaces a file that
    /// appeared meanwhile. An existing file keeps its permissions.
    func write(_ text: String, to url: URL, replacing: Bool) throws(FileFault) {
        let folder = url.deletingLastPathComponent()
        if mkdir(folder.path, 0o755) != 0, errno != EEXIST { throw FileFault("make the folder", folder.path) }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).saving").path
        var info = stat()
        let mode = stat(url.path, &info) == 0 ? info.st_mode & 0o7777 : 0o644
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o600))
        guard descriptor >= 0 else { throw FileFault("write", temporary) }
        var failure: FileFault?
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count, failure == nil {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 { failure = FileFault("write", url.path) } else { written += count }
        }
        if failure == nil, fchmod(descriptor, mode) != 0 || fsync(descriptor) != 0 { failure = FileFault("write", url.path) }
        close(descriptor)
        if failure == nil {
            if replacing {
                if rename(temporary, url.path) != 0 { failure = FileFault("replace", url.path) }
            } else if link(temporary, url.path) != 0 {
                // Where hard links are missing (some network shares), the check just made stands.
                if errno == EEXIST || access(url.path, F_OK) == 0 { failure = FileFault("write", url.path, code: EEXIST) }
                else if rename(temporary, url.path) != 0 { failure = FileFault("write", url.path) }
            }
        }
        unlink(temporary)
        if let failure { throw failure }
    }

    /// Removes a draft once its plan is saved.
    func remove(_ url: URL) {
        unlink(url.path)
    }
}
