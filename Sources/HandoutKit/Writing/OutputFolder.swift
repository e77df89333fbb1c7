import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The published site. A full build is written beside it and swapped in whole; an
/// incremental build writes everything it changes beside it first and then moves it in,
/// undoing every move if one fails. Either way a failed build leaves the site as it was.
public struct OutputFolder: Sendable {
    /// The file that marks a folder as Handout's to replace.
    public static let markerName = ".handout-output"
    static let markerText = "This folder is written by Handout. Every build replaces everything in it.\n"

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

    /// Starts a new version of the whole output beside the live one.
    public func stage() throws -> StagedOutput {
        try checkOwnership()
        try? FileManager.default.removeItem(at: staging)
        do { try FileSystem.makeFolders(staging.path) } catch { throw Problem.fault(error, left: Self.leftAsItWas) }
        return StagedOutput(folder: self)
    }

    fileprivate func swapIn() throws {
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

    /// Everything in `patients/`, sorted; none when it is missing.
    private func patientsFolderEntries() throws -> [String] {
        do {
            return try FileSystem.list(url.path + "/patients").sorted()
        } catch where error.code == ENOENT {
            return []
        } catch {
            throw Problem.fault(error, left: Self.leftAsItWas)
        }
    }

    /// A patient folder's stat record: each file's name, size, modification and change
    /// times and inode. Writing, replacing, adding or deleting a file changes it (the change
    /// time is the kernel's; no program sets it back), so an unchanged record means the
    /// files are still the ones the build wrote. One `stat` per file; nil when missing.
    static func stamp(ofFolder path: String) -> Fingerprint? {
        // Ten thousand patients are checked on every build: names as bytes, each file
        // looked up from the open folder, nothing allocated per value.
        guard let folder = opendir(path) else { return nil }
        defer { closedir(folder) }
        // Each name with its final NUL, ready for `fstatat` and in the same order as without it.
        var names: [[CChar]] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.bindMemory(to: CChar.self).prefix { $0 != 0 }) + [0]
            }
            if name != [46, 0] && name != [46, 46, 0] { names.append(name) }
        }
        names.sort { $0.lexicographicallyPrecedes($1) }
        var fingerprint = Fingerprint()
        for name in names {
            var info = stat()
            guard name.withUnsafeBufferPointer({ fstatat(dirfd(folder), $0.baseAddress!, &info, AT_SYMLINK_NOFOLLOW) }) == 0 else { return nil }
            name.withUnsafeBytes { fingerprint.add($0) }
            add(info, to: &fingerprint)
        }
        return fingerprint
    }

    /// One file's stat record (see `stamp(ofFolder:)`); nil when missing.
    static func stamp(ofFile path: String) -> Fingerprint? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        var fingerprint = Fingerprint()
        add(info, to: &fingerprint)
        return fingerprint
    }

    /// What a stat record holds of a file: its kind, size, modification and change times and inode.
    private static func add(_ info: stat, to fingerprint: inout Fingerprint) {
        fingerprint.add(Fingerprint(value: UInt64(info.st_mode & S_IFMT)))
        fingerprint.add(Fingerprint(value: UInt64(info.st_size)))
        fingerprint.add(Fingerprint(value: UInt64(info.st_mtim.tv_sec)))
        fingerprint.add(Fingerprint(value: UInt64(info.st_mtim.tv_nsec)))
        fingerprint.add(Fingerprint(value: UInt64(info.st_ctim.tv_sec)))
        fingerprint.add(Fingerprint(value: UInt64(info.st_ctim.tv_nsec)))
        fingerprint.add(Fingerprint(value: UInt64(info.st_ino)))
    }

    /// The stat records of the published patient folders `ids` (absent ones left out), read in parallel.
    func stamps(ofPatients ids: [String], in folder: String? = nil) -> [String: Fingerprint] {
        let base = (folder ?? url.path) + "/patients/"
        let slots = ResultSlots<Fingerprint>(count: ids.count)
        DispatchQueue.concurrentPerform(iterations: ids.count) { i in slots[i] = Self.stamp(ofFolder: base + ids[i]) }
        var result: [String: Fingerprint] = [:]
        for (id, stamp) in zip(ids, slots.values) { result[id] = stamp }
        return result
    }

    /// The stat records of the shared files `paths` (absent ones left out).
    func stamps(ofShared paths: [String], in folder: String? = nil) -> [String: Fingerprint] {
        let base = (folder ?? url.path) + "/"
        var result: [String: Fingerprint] = [:]
        for path in paths { result[path] = Self.stamp(ofFile: base + path) }
        return result
    }

    /// The previous build's manifest, if the folder is Handout's and the manifest is sound.
    public func manifest() -> BuildManifest? {
        guard FileSystem.exists(url.appendingPathComponent(Self.markerName).path),
              let data = try? FileSystem.read(url.appendingPathComponent(BuildManifest.fileName).path) else { return nil }
        return BuildManifest.parse(String(decoding: data, as: UTF8.self))
    }

    /// The stat records a manifest keeps of the files a build leaves in place.
    struct Stamps {
        var patients: [String: Fingerprint] = [:]
        var shared: [String: Fingerprint] = [:]
    }

    /// An incremental build. First everything new is written beside the site (where a full
    /// disk stops the build before the site is touched) and the manifest is set aside, so a
    /// build killed from here on makes the next one full. Then each patient folder is
    /// exchanged in one step, each changed shared file renamed into place, and everything the
    /// site no longer needs moved out: anything outside `patients` and `keptShared`. If a
    /// move fails, every earlier one is undone. The new manifest comes last, with the stat
    /// records of the patients written and of every shared file, taken where they ended up.
    ///
    /// Where the file system cannot exchange two folders in one step or make hard links
    /// (SMB/CIFS and NFS shares, vfat, FUSE), a patient's old folder is moved aside and the new
    /// one moved in, and a changed shared file's old bytes are copied aside before the new
    /// file is renamed over it: every step can still be undone, and a build killed between
    /// the two moves leaves the old folder where the next build puts it back; only a reader
    /// of that patient's pages during those two renames can find them missing.
    /// Returns files written (the manifest not counted).
    ///
    /// With `compare` (`build --verify`), a patient whose pages come out byte for byte as
    /// published is left in place, and only files that differ count as written.
    func update(patients: [Plan], render: @Sendable (Plan) -> [OutputFile], shared: [OutputFile],
                keep keptShared: Set<String>, keepPatients: Set<String>, compare: Bool = false,
                manifest makeManifest: (Stamps) -> OutputFile) throws -> Int {
        try checkOwnership()
        let fm = FileManager.default
        try? fm.removeItem(at: staging)
        let stage = staging.path
        do {
            try FileSystem.makeFolders(stage)
        } catch {
            throw Problem.fault(error, left: Self.leftAsItWas)
        }
        defer { try? fm.removeItem(at: staging) }
        let site = url.path

        // Phase 1: write. Nothing in the site changes.
        let results = ResultSlots<Result<Int, Error>>(count: patients.count)
        let asPublished = ResultSlots<Bool>(count: patients.count)
        DispatchQueue.concurrentPerform(iterations: patients.count) { i in
            results[i] = Result {
                let files = render(patients[i])
                if compare {
                    let differing = differences(files, inFolder: site + "/patients/" + patients[i].id)
                    if differing == 0 {
                        asPublished[i] = true
                        return 0
                    }
                }
                let folder = stage + "/patient-" + patients[i].id
                try FileSystem.makeFolder(folder)
                for file in files {
                    try FileSystem.write(file.data, to: folder + "/" + file.path.split(separator: "/").last!)
                }
                return compare ? differences(files, inFolder: site + "/patients/" + patients[i].id) : files.count
            }
        }
        let moved = patients.indices.filter { asPublished[$0] != true }.map { patients[$0] }
        var written = 0
        var changedShared: [(file: OutputFile, temporary: String)] = []
        do {
            for result in results.values { written += try result?.get() ?? 0 }
            for (n, file) in shared.enumerated() {
                if let current = try? FileSystem.read(site + "/" + file.path), current == file.data { continue }
                let temporary = stage + "/file-\(n)"
                try FileSystem.write(file.data, to: temporary)
                changedShared.append((file, temporary))
            }
        } catch let fault as FileFault {
            throw Problem.fault(fault, left: Self.leftAsItWas)
        }
        written += changedShared.count
        var kept = keptShared.union(shared.map(\.path))
        kept.formUnion([Self.markerName, BuildManifest.fileName])
        let sharedPaths = kept.subtracting([Self.markerName, BuildManifest.fileName]).sorted()
        var stale: [String] = []
        do {
            stale = try patientsFolderEntries().filter { !keepPatients.contains($0) }.map { "patients/" + $0 }
            try sweep("", keeping: kept, into: &stale)
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem.fault(error as? FileFault ?? FileFault("read", site, code: EIO), left: Self.leftAsItWas)
        }
        let manifestPath = site + "/" + BuildManifest.fileName
        if moved.isEmpty, changedShared.isEmpty, stale.isEmpty,
           (try? FileSystem.read(manifestPath)) == makeManifest(Stamps(shared: stamps(ofShared: sharedPaths))).data {
            return 0
        }

        // Phase 2: move into place, keeping what is needed to undo each step.
        var undo: [() -> Void] = []
        let setAside = stage + "/previous-manifest"
        do {
            if FileSystem.exists(manifestPath) {
                try FileSystem.move(manifestPath, to: setAside)
                undo.append { _ = rename(setAside, manifestPath) }
            }
            try FileSystem.makeFolders(site + "/patients")
            for plan in moved {
                let staged = stage + "/patient-" + plan.id, target = site + "/patients/" + plan.id
                if !FileSystem.exists(target) {
                    try FileSystem.move(staged, to: target)
                    undo.append { _ = rename(target, staged) }
                } else if FileSystem.exchange(staged, target) {
                    undo.append { _ = FileSystem.exchange(staged, target) }
                } else {
                    let aside = stage + "/" + Self.setAsidePrefix + plan.id
                    try FileSystem.move(target, to: aside)
                    undo.append { _ = rename(aside, target) }
                    try FileSystem.move(staged, to: target)
                    undo.append { _ = rename(target, staged) }
                }
            }
            for (n, change) in changedShared.enumerated() {
                let target = site + "/" + change.file.path
                try makeParents(of: change.file.path, undo: &undo)
                if FileSystem.exists(target) {
                    let backup = stage + "/backup-\(n)"
                    if link(target, backup) != 0 {
                        // No hard links here: a copy keeps what an undo needs.
                        try FileSystem.write(try FileSystem.read(target), to: backup)
                    }
                    try FileSystem.replace(change.temporary, with: target)
                    undo.append { _ = rename(backup, target) }
                } else {
                    try FileSystem.move(change.temporary, to: target)
                    undo.append { _ = unlink(target) }
                }
            }
            for (n, path) in stale.enumerated() {
                let trash = stage + "/removed-\(n)", target = site + "/" + path
                try FileSystem.move(target, to: trash)
                undo.append { _ = rename(trash, target) }
            }
            // Taken now, where the files ended up: a rename can change a file's change time.
            let manifest = makeManifest(Stamps(patients: stamps(ofPatients: patients.map(\.id)), shared: stamps(ofShared: sharedPaths)))
            try FileSystem.write(manifest.data, to: stage + "/manifest")
            try FileSystem.move(stage + "/manifest", to: manifestPath)
        } catch {
            for step in undo.reversed() { step() }
            let fault = error as? FileFault ?? FileFault("update", site, code: EIO)
            throw Problem.fault(fault, left: Self.leftAsItWas)
        }
        // The staging folder now holds the replaced pages, with names: it goes too.
        if (try? FileSystem.remove(stage)) == nil, FileSystem.exists(stage) {
            throw Problem.fault(FileFault("remove", stage, code: EACCES),
                                left: "the new site is published, but earlier pages are still in \(stage); remove it by hand")
        }
        return written
    }

    /// How many of `files` differ from what `folder` holds (missing ones included), plus
    /// anything else the folder holds.
    private func differences(_ files: [OutputFile], inFolder folder: String) -> Int {
        let names = Set(files.map { String($0.path.split(separator: "/").last!) })
        let extra = ((try? FileSystem.list(folder)) ?? []).filter { !names.contains($0) }.count
        return extra + files.filter { file in
            (try? FileSystem.read(folder + "/" + file.path.split(separator: "/").last!)) != file.data
        }.count
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

    /// Creates the folders above a shared file, undone in reverse if the update fails.
    private func makeParents(of path: String, undo: inout [() -> Void]) throws {
        var folder = url.path
        for part in path.split(separator: "/").dropLast() {
            folder += "/" + part
            if !FileSystem.exists(folder) {
                try FileSystem.makeFolder(folder)
                let created = folder
                undo.append { _ = rmdir(created) }
            }
        }
    }

    /// Every file and folder under `prefix` (outside `patients/`) that holds nothing in `kept`.
    private func sweep(_ prefix: String, keeping kept: Set<String>, into stale: inout [String]) throws {
        let folder = prefix.isEmpty ? url.path : url.path + "/" + prefix
        for name in try FileSystem.list(folder).sorted() {
            let path = prefix.isEmpty ? name : prefix + "/" + name
            if path == "patients" { continue }
            if kept.contains(path) { continue }
            let isFolder = FileSystem.isFolder(url.path + "/" + path)
            if isFolder, kept.contains(where: { $0.hasPrefix(path + "/") }) {
                try sweep(path, keeping: kept, into: &stale)
            } else {
                stale.append(path)
            }
        }
    }
}

/// A new version of the output being written beside the live one. Files may be written from
/// several threads; nothing is visible in the output folder until `commit`.
public final class StagedOutput: @unchecked Sendable {
    let folder: OutputFolder
    /// The staging folder's path: with forty thousand files, URL arithmetic shows up.
    let root: String
    private var createdFolders = Set<String>()
    private let lock = NSLock()

    init(folder: OutputFolder) {
        self.folder = folder
        root = folder.staging.path
    }

    public func write(_ file: OutputFile) throws {
        let target = root + "/" + file.path
        do {
            if let slash = file.path.lastIndex(of: "/") {
                let parent = root + "/" + file.path[..<slash]
                if lock.withLock({ createdFolders.insert(parent).inserted }), mkdir(parent, 0o755) != 0 {
                    try FileSystem.makeFolders(parent)
                }
            }
            try FileSystem.write(file.data, to: target)
        } catch {
            throw OutputFolder.Problem.fault(error, left: OutputFolder.leftAsItWas)
        }
    }

    /// Marks the folder as Handout's and swaps it in.
    public func commit() throws {
        try write(OutputFile(path: OutputFolder.markerName, text: OutputFolder.markerText))
        try folder.swapIn()
    }

    /// Throws the staged version away; the live output is untouched.
    public func discard() {
        try? FileManager.default.removeItem(at: folder.staging)
    }
}
