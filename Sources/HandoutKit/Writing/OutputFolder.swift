import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The published site: where it really is, who may write it (the lock, the marker), and how
/// a new version is swapped in. A build writes through an `OutputSession`: a full build is
/// written beside the site and swapped in whole (`SwapSession`); an incremental build writes
/// everything it changes beside it first and then moves it in, undoing every move if one
/// fails (`UpdateSession`). Either way a failed build leaves the site as it was.
public struct OutputFolder: Sendable {
    /// The file that marks a folder as Handout's to replace.
    public static let markerName = ".handout-output"
    static let markerText = "This folder is written by Handout. Every build replaces everything in it.\n"
    /// Handout's own files in the output folder, beside the site: never served (dot-files),
    /// never among the shared files the manifest keeps stat records of.
    static let ownFiles: Set<String> = [markerName, BuildManifest.fileName, StatIndex.fileName, IndexRowCache.fileName]

    /// The real folder: a symbolic link (`Output -> /srv/www/handouts`) is followed, so the
    /// site is filled where the web server looks, never replaced by a folder of our own.
    public let url: URL
    /// The folder as the user named it, for messages.
    public let shown: String
    /// Set when the link points nowhere: nothing is written then.
    let danglingTarget: String?

    var parent: URL { url.deletingLastPathComponent() }
    var staging: URL { parent.appendingPathComponent(".\(url.lastPathComponent).handout-staging") }
    var previous: URL { parent.appendingPathComponent(".\(url.lastPathComponent).handout-previous") }
    var lockFile: URL { parent.appendingPathComponent(".\(url.lastPathComponent).handout-lock") }

    public init(url given: URL, shown: String? = nil) {
        self.shown = shown ?? given.path
        // Followed as the file system does, `..` after a link included.
        let target = FileSystem.resolvedPath(given.path)
        url = URL(fileURLWithPath: target, isDirectory: true)
        var info = stat()
        danglingTarget = FileSystem.linkTarget(given.path) != nil && stat(target, &info) != 0 ? target : nil
    }

    public enum Problem: Error, CustomStringConvertible {
        case foreign(String, example: String)
        case notAFolder(String)
        case locked(String)
        case dangling(String, target: String)
        case fault(FileFault, left: String)

        public var description: String {
            switch self {
            case let .foreign(path, example):
                "refusing to write to \(path): it holds files Handout did not write (such as '\(example)'); use an empty folder or a folder Handout built"
            case let .notAFolder(path): "\(path) is not a folder; remove it or choose another --output"
            case let .locked(path): "another build is writing \(path); wait for it to finish and try again"
            case let .dangling(path, target):
                "\(path) is a link to \(target), which does not exist; create that folder (or mount its disk) or remove the link"
            case let .fault(fault, left): "\(fault); \(left)"
            }
        }
    }

    static let leftAsItWas = "the published site was left as it was"

    /// Holds an exclusive lock for the duration of `body`, so two builds never interleave.
    public func withLock<T>(wait: Bool = false, _ body: () throws -> T) throws -> T {
        if let danglingTarget { throw Problem.dangling(shown, target: danglingTarget) }
        // Before the lock file is made beside it: a folder that is not Handout's (a link to
        // /etc) is refused without leaving anything behind.
        try checkContents()
        do { try FileSystem.makeFolders(parent.path) } catch { throw Problem.fault(error, left: Self.leftAsItWas) }
        let fd = open(lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Problem.fault(FileFault("create the lock file", lockFile.path), left: Self.leftAsItWas) }
        defer { close(fd) }
        if flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            throw Problem.locked(shown)
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Refuses a folder that exists and was not written by Handout.
    public func checkOwnership() throws {
        recoverInterruptedSwap()
        try checkContents()
    }

    /// The output folder, if it exists, is a folder, empty or marked as Handout's.
    private func checkContents() throws {
        guard FileSystem.exists(url.path) else { return }
        guard FileSystem.isFolder(url.path) else { throw Problem.notAFolder(shown) }
        let entries: [String]
        do { entries = try FileSystem.list(url.path) } catch { throw Problem.fault(error, left: Self.leftAsItWas) }
        if entries.contains(Self.markerName) { return }
        if let example = entries.sorted().first {
            throw Problem.foreign(shown, example: example)
        }
    }

    /// Puts the staging folder in the output folder's place, the old site removed.
    func swapIn() throws {
        guard FileSystem.exists(url.path) else {
            do { try FileSystem.move(staging.path, to: url.path) } catch { throw Problem.fault(error, left: Self.leftAsItWas) }
            return
        }
        if FileSystem.exchange(staging.path, url.path) {
            // The old site, with patient names, must not linger beside the new one.
            do { try FileSystem.remove(staging.path) } catch {
                if FileSystem.exchange(staging.path, url.path) {
                    try? FileManager.default.removeItem(at: staging)
                    throw Problem.fault(error, left: Self.leftAsItWas)
                }
                throw Problem.fault(error, left: "the new site is published, but the previous one is still in \(staging.path); remove it by hand")
            }
            return
        }
        // No atomic exchange here: move the old folder aside first; `recoverInterruptedSwap`
        // puts it back if the build dies between the two renames.
        do {
            try? FileManager.default.removeItem(at: previous)
            try FileSystem.move(url.path, to: previous.path)
            try FileSystem.move(staging.path, to: url.path)
            try FileSystem.remove(previous.path)
        } catch {
            recoverInterruptedSwap()
            throw Problem.fault(error, left: Self.leftAsItWas)
        }
    }

    /// After a build killed mid-swap, the previous output is still beside the folder; after
    /// an incremental build killed between moving a patient's folder aside and the new one
    /// in (where the file system cannot exchange them in one step), the old one is in the
    /// staging folder. Either is put back.
    func recoverInterruptedSwap() {
        if !FileSystem.exists(url.path), FileSystem.exists(previous.path) {
            try? FileSystem.move(previous.path, to: url.path)
        }
        let prefix = Self.setAsidePrefix
        for name in (try? FileSystem.list(staging.path)) ?? [] where name.hasPrefix(prefix) {
            let target = url.path + "/patients/" + name.dropFirst(prefix.count)
            if !FileSystem.exists(target) { _ = rename(staging.path + "/" + name, target) }
        }
    }

    /// A patient's published folder moved aside during an update, in the staging folder.
    static let setAsidePrefix = "previous-patient-"

    /// The patient folders in the published site, whatever the manifest says: a missing
    /// `patients/` folder (a site built without plans) holds none. A folder a killed build
    /// set aside counts: it is put back before anything is written (`recoverInterruptedSwap`).
    func publishedPatients() throws -> [String] {
        let setAside = ((try? FileSystem.list(staging.path)) ?? []).filter { $0.hasPrefix(Self.setAsidePrefix) }
            .map { String($0.dropFirst(Self.setAsidePrefix.count)) }
        return Array(Set(try patientsFolderEntries() + setAside)).filter(Slug.isValid).sorted()
    }

    /// Everything in `patients/`, in no order; none when it is missing.
    func patientsFolderEntries() throws -> [String] {
        do {
            return try FileSystem.list(url.path + "/patients")
        } catch where error.code == ENOENT {
            return []
        } catch {
            throw Problem.fault(error, left: Self.leftAsItWas)
        }
    }

    /// The previous build's manifest, if the folder is Handout's and the manifest is sound.
    public func manifest() -> BuildManifest? {
        guard FileSystem.exists(url.appendingPathComponent(Self.markerName).path),
              let data = try? FileSystem.read(url.appendingPathComponent(BuildManifest.fileName).path) else { return nil }
        return BuildManifest.parse(String(decoding: data, as: UTF8.self))
    }

    /// A published patient's files as they are, carried into a full build when the plan
    /// has errors; none when nothing was published.
    func publishedFiles(ofPatient id: String) throws -> [OutputFile] {
        let folder = url.path + "/patients/" + id
        guard FileSystem.isFolder(folder) else { return [] }
        do {
            var files: [OutputFile] = []
            for name in try FileSystem.list(folder).sorted() {
                files.append(OutputFile(path: "patients/\(id)/\(name)", data: try FileSystem.read(folder + "/" + name)))
            }
            return files
        } catch {
            throw Problem.fault(error, left: Self.leftAsItWas)
        }
    }
}
