import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The stat records a manifest keeps of the published files, so a build can tell that a
/// page it keeps is still the one it wrote.
extension OutputFolder {
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
            fingerprint.add(stamp(info))
        }
        return fingerprint
    }

    /// One file's stat record (see `stamp(ofFolder:)`); nil when missing.
    static func stamp(ofFile path: String) -> Fingerprint? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return stamp(info)
    }

    /// What a stat record holds of a file: its kind, size, modification and change times and inode.
    static func stamp(_ info: stat) -> Fingerprint {
        var fingerprint = Fingerprint()
        fingerprint.add(Fingerprint(value: UInt64(info.st_mode & S_IFMT)))
        fingerprint.add(Fingerprint(value: UInt64(info.st_size)))
        fingerprint.add(Fingerprint(value: UInt64(info.st_mtim.tv_sec)))
        fingerprint.add(Fingerprint(value: UInt64(info.st_mtim.tv_nsec)))
        fingerprint.add(Fingerprint(value: UInt64(info.st_ctim.tv_sec)))
        fingerprint.add(Fingerprint(value: UInt64(info.st_ctim.tv_nsec)))
        fingerprint.add(Fingerprint(value: UInt64(info.st_ino)))
        return fingerprint
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
}
