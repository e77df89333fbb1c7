import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Plain POSIX file operations that fail with a `FileFault`.
enum FileSystem {
    /// The whole file, read once. Only a regular file is read: a named pipe would wait for a
    /// writer forever and a device (`/dev/zero`) never ends, so both are refused before they
    /// are opened; so is a file larger than `limit`, which is never read whole.
    static func read(_ path: String, limit: SizeLimit? = nil) throws(FileFault) -> Data {
        var info = stat()
        guard stat(path, &info) == 0 else { throw FileFault("read", path) }
        try requireFile(info, path)
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw FileFault("read", path) }
        defer { close(fd) }
        // Again on what was opened: the path may have been swapped for a pipe meanwhile.
        guard fstat(fd, &info) == 0 else { throw FileFault("read", path) }
        try requireFile(info, path)
        let cap = limit?.bytes ?? Int.max
        if Int(info.st_size) > cap { throw limit!.refusal(path, size: Int(info.st_size)) }
        // Sized from fstat; a file that grows meanwhile is read to its end (or its limit) all the same.
        var data = Data(count: min(max(Int(info.st_size), 0), cap) + 1)
        var length = 0
        while true {
            if length == data.count {
                if length > cap { throw limit!.refusal(path, size: nil) }
                data.count = min(data.count * 2, cap + 1)
            }
            let count = data.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + length, $0.count - length) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileFault("read", path)
            }
            if count == 0 { break }
            length += count
        }
        if length > cap { throw limit!.refusal(path, size: nil) }
        data.count = length
        return data
    }

    /// Refuses anything but a regular file, naming what it is.
    private static func requireFile(_ info: stat, _ path: String) throws(FileFault) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw FileFault("read", path, code: EISDIR)
        case S_IFIFO: throw FileFault("read", path, refusal: "it is a named pipe (FIFO), not a file; Handout reads only files")
        case S_IFCHR, S_IFBLK: throw FileFault("read", path, refusal: "it is a device, not a file; Handout reads only files")
        case S_IFSOCK: throw FileFault("read", path, refusal: "it is a socket, not a file; Handout reads only files")
        default: throw FileFault("read", path, refusal: "it is not a file; Handout reads only files")
        }
    }

    /// An input file (a plan, content, a template): as `read`, and a symbolic link only
    /// when it stays inside one of `folders` (real paths, as `resolvedPath` gives them), so
    /// a link cannot make Handout read (and quote) a file from elsewhere on the machine.
    static func readInput(_ path: String, limit: SizeLimit, inside folders: @autoclosure () -> [(real: String, shown: String)]) throws(FileFault) -> Data {
        var info = stat()
        if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
            let target = resolvedPath(path)
            let allowed = folders()
            if !allowed.contains(where: { target.hasPrefix($0.real.hasSuffix("/") ? $0.real : $0.real + "/") }) {
                throw FileFault("read", path, refusal: "it is a link to \(target), outside \(allowed.first?.shown ?? "its folder"); "
                                + "Handout reads only files inside their folder, so copy the file here instead of linking to it")
            }
        }
        return try read(path, limit: limit)
    }

    /// `path` (absolute) as the kernel finds it: every symbolic link followed, each `..`
    /// taken from where the link before it led (a lexical clean-up would take it from the
    /// link itself and name another folder). Parts that do not exist are kept as written,
    /// with `..` removing the part before, as `mkdir -p` would create them; a link that
    /// points nowhere is followed to where it points.
    static func resolvedPath(_ path: String) -> String {
        var resolved: [Substring] = []
        var pending = Array(path.split(separator: "/").reversed())
        var links = 0
        while let part = pending.popLast() {
            if part == "." { continue }
            if part == ".." {
                _ = resolved.popLast()
                continue
            }
            let candidate = "/" + (resolved + [part]).joined(separator: "/")
            if links < 40, let target = linkTarget(candidate) {
                links += 1
                if target.hasPrefix("/") { resolved = [] }
                pending.append(contentsOf: target.split(separator: "/").reversed())
            } else {
                resolved.append(part)
            }
        }
        return "/" + resolved.joined(separator: "/")
    }

    /// Where a symbolic link points, as written in it; nil for anything else.
    static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func write(_ data: some ContiguousBytes, to path: String) throws(FileFault) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileFault("write", path) }
        var failure: FileFault?
        if !writeAll(data, to: fd) { failure = FileFault("write", path) }
        // Space can run out when the data reaches the disk, which close reports.
        if close(fd) != 0, failure == nil { failure = FileFault("write", path) }
        if let failure { throw failure }
    }

    /// Writes every byte, however many calls it takes; false (with `errno` set) on a failure.
    static func writeAll(_ data: some ContiguousBytes, to fd: Int32) -> Bool {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    static func makeFolder(_ path: String) throws(FileFault) {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw FileFault("create the folder", path) }
    }

    static func makeFolders(_ path: String) throws(FileFault) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FileFault("create the folder", path, error: error)
        }
    }

    static func move(_ from: String, to: String) throws(FileFault) {
        guard rename(from, to) == 0 else { throw FileFault("move \(from) to", to) }
    }

    /// Renames `from` over the file `to`, replacing it in one step where the file system
    /// can; one that refuses to rename over a file (some network shares) has it removed first.
    static func replace(_ from: String, with to: String) throws(FileFault) {
        if rename(from, to) == 0 { return }
        guard errno == EEXIST || errno == ENOTEMPTY, unlink(to) == 0 else { throw FileFault("move \(from) to", to) }
        try move(from, to: to)
    }

    static func remove(_ path: String) throws(FileFault) {
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw FileFault("remove", path, error: error)
        }
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Names in a folder; a missing folder is an error like any other.
    static func list(_ path: String) throws(FileFault) -> [String] {
        guard let folder = opendir(path) else { throw FileFault("read the folder", path) }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Linux `renameat2(RENAME_EXCHANGE)`: both paths trade places in one step.
    static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 2
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
        #else
        return false
        #endif
    }
}
