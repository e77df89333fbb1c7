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
    /// Said instead of the code's meaning when Handout itself refused (a file too large,
    /// a link out of its folder, a named pipe).
    public var refusal: String?

    public init(_ operation: String, _ path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// Handout's own refusal to read or write `path`, in words.
    init(_ operation: String, _ path: String, refusal: String) {
        self.init(operation, path, code: EPERM)
        self.refusal = refusal
    }

    /// The POSIX cause of an error Foundation threw, never its text.
    public init(_ operation: String, _ path: String, error: Error) {
        self.init(operation, path, code: Self.posixCode(of: error as NSError))
    }

    public var description: String { "cannot \(operation) \(path): \(reason)" }

    public var reason: String { refusal ?? Self.reason(code) }

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
        // Network shares (SMB/CIFS, NFS), vfat and FUSE file systems refuse what they cannot do.
        case EINVAL: "the file system does not support this operation (invalid argument)"
        case EOPNOTSUPP, ENOSYS: "the file system does not support this operation"
        case EMLINK: "the file system allows no more links or entries here"
        case EFBIG: "the file is too large for this file system"
        case ETXTBSY: "it is in use by a running program"
        case ESTALE: "the network share lost track of the file (reconnect the share and try again)"
        case ETIMEDOUT, EHOSTDOWN, EHOSTUNREACH, ENOTCONN, ECONNRESET, ECONNREFUSED, ENETDOWN, ENETUNREACH:
            "the network share did not answer (check the connection and try again)"
        case EAGAIN, EINTR: "it is busy; try again"
        case ENXIO, ENODEV: "there is no such device (an unmounted disk?)"
        case ENOMEM: "the machine is out of memory"
        default: Self.described(code)
        }
    }

    /// The system's own words for any other code, with the code, never a bare number.
    private static func described(_ code: Int32) -> String {
        guard let text = strerror(code).map({ String(cString: $0) }), !text.isEmpty, !text.hasPrefix("Unknown error") else {
            return "the system reported error number \(code)"
        }
        return text.prefix(1).lowercased() + text.dropFirst() + " (error number \(code))"
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
