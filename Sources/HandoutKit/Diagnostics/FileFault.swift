import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file-system failure in words a clinic can act on: which path, what Handout was doing,
/// and why. Foundation's own error text never reaches a user.
public struct FileFault: Error, Equatable, CustomStringConvertible {
    /// What Handout was doing, as a verb phrase: "read", "write", "replace", "list".
    public var operation: String
    public var path: String
    public var code: Int32

    public init(_ operation: String, _ path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// The POSIX cause of an error Foundation threw, never its text.
    public init(_ operation: String, _ path: String, error: Error) {
        self.init(operation, path, code: Self.posixCode(of: error as NSError))
    }

    public var description: String { "cannot \(operation) \(path): \(reason)" }

    public var reason: String { Self.reason(code) }

    static func reason(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM: "permission denied"
        case ENOSPC, EDQUOT: "no space left on the disk"
        case EROFS: "the disk is mounted read-only"
        case ENOENT: "no such file or folder"
        case ENOTDIR: "part of the path is a file, not a folder"
        case EISDIR: "it is a folder, not a file"
        case EEXIST: "something else is already there"
        case ENOTEMPTY: "the folder is not empty"
        case EIO: "the disk reported an input/output error"
        case ELOOP: "too many symbolic links (a link that points to itself?)"
        case ENAMETOOLONG: "the name is too long"
        case EMFILE, ENFILE: "too many files are open"
        case EBUSY: "it is in use"
        case EXDEV: "it is on another disk"
        default: "system error \(code)"
        }
    }

    private static func posixCode(of error: NSError) -> Int32 {
        if error.domain == NSPOSIXErrorDomain { return Int32(error.code) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError { return posixCode(of: underlying) }
        switch error.code {
        case CocoaError.fileNoSuchFile.rawValue, CocoaError.fileReadNoSuchFile.rawValue: return ENOENT
        case CocoaError.fileReadNoPermission.rawValue, CocoaError.fileWriteNoPermission.rawValue: return EACCES
        case CocoaError.fileWriteOutOfSpace.rawValue: return ENOSPC
        case CocoaError.fileWriteVolumeReadOnly.rawValue: return EROFS
        case CocoaError.fileWriteFileExists.rawValue: return EEXIST
        default: return EIO
        }
    }
}

/// Plain POSIX file operations that fail with a `FileFault`.
enum FileSystem {
    /// The whole file, read once.
    static func read(_ path: String) throws(FileFault) -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileFault("read", path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileFault("read", path) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw FileFault("read", path, code: EISDIR) }
        // Sized from fstat; a file that grows meanwhile is read to its end all the same.
        var data = Data(count: max(Int(info.st_size), 0) + 1)
        var length = 0
        while true {
            if length == data.count { data.count *= 2 }
            let count = data.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + length, $0.count - length) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileFault("read", path)
            }
            if count == 0 { break }
            length += count
        }
        data.count = length
        return data
    }

    static func write(_ data: Data, to path: String) throws(FileFault) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileFault("write", path) }
        var failure: FileFault?
        if !writeAll(data, to: fd) { failure = FileFault("write", path) }
        // Space can run out when the data reaches the disk, which close reports.
        if close(fd) != 0, failure == nil { failure = FileFault("write", path) }
        if let failure { throw failure }
    }

    /// Writes every byte, however many calls it takes; false (with `errno` set) on a failure.
    static func writeAll(_ data: Data, to fd: Int32) -> Bool {
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
