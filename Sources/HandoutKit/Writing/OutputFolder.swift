import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a whole site beside the output folder, then swaps it in, so a failed or killed
/// build leaves the previous output exactly as it was.
public struct OutputFolder {
    /// The file that marks a folder as Handout's to replace.
    public static let markerName = ".handout-output"
    static let markerText = "This folder is written by Handout. Every build replaces everything in it.\n"

    public var url: URL
    var parent: URL { url.deletingLastPathComponent() }
    var staging: URL { parent.appendingPathComponent(".\(url.lastPathComponent).handout-staging") }
    var previous: URL { parent.appendingPathComponent(".\(url.lastPathComponent).handout-previous") }
    var lockFile: URL { parent.appendingPathComponent(".\(url.lastPathComponent).handout-lock") }

    public init(url: URL) { self.url = url.standardizedFileURL }

    public enum Problem: Error, CustomStringConvertible {
        case foreign(String, example: String)
        case notAFolder(String)
        case locked(String)
        case io(String)

        public var description: String {
            switch self {
            case let .foreign(path, example):
                "refusing to write to \(path): it holds files Handout did not write (such as '\(example)'); use an empty folder or a folder Handout built"
            case let .notAFolder(path): "\(path) is not a folder"
            case let .locked(path): "another build is writing \(path); wait for it to finish and try again"
            case let .io(message): message
            }
        }
    }

    /// Holds an exclusive lock for the duration of `body`, so two builds never interleave.
    public func withLock<T>(wait: Bool = false, _ body: () throws -> T) throws -> T {
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let fd = open(lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Problem.io("cannot create lock file \(lockFile.path)") }
        defer { close(fd) }
        if flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            throw Problem.locked(url.path)
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Refuses a folder that exists and was not written by Handout.
    public func checkOwnership() throws {
        recoverInterruptedSwap()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw Problem.notAFolder(url.path) }
        let entries = try FileManager.default.contentsOfDirectory(atPath: url.path)
        if entries.contains(Self.markerName) { return }
        if let example = entries.sorted().first {
            throw Problem.foreign(url.path, example: example)
        }
    }

    /// Starts a new version of the output beside the live one. With `keepingOthers`, it
    /// starts as hard links to the current output, so files not rewritten stay as they were.
    public func stage(keepingOthers: Bool = false) throws -> StagedOutput {
        try checkOwnership()
        let fm = FileManager.default
        try? fm.removeItem(at: staging)
        if keepingOthers, fm.fileExists(atPath: url.path) {
            try Self.linkTree(from: url, to: staging)
        } else {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        }
        return StagedOutput(folder: self)
    }

    /// Writes `files` to a staging folder and swaps it in place of the output folder.
    public func replace(with files: some Sequence<OutputFile>, keepingOthers: Bool = false) throws {
        let staged = try stage(keepingOthers: keepingOthers)
        for file in files { try staged.write(file) }
        try staged.commit()
    }

    fileprivate func swapIn() throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: url.path) else {
            try fm.moveItem(at: staging, to: url)
            return
        }
        if Self.exchange(staging.path, url.path) {
            try fm.removeItem(at: staging)
            return
        }
        // No atomic exchange here: move the old folder aside first; `recoverInterruptedSwap`
        // puts it back if the build dies between the two renames.
        try? fm.removeItem(at: previous)
        try fm.moveItem(at: url, to: previous)
        try fm.moveItem(at: staging, to: url)
        try fm.removeItem(at: previous)
    }

    /// After a build killed mid-swap, the previous output is still beside the folder.
    func recoverInterruptedSwap() {
        let fm = FileManager.default
        if !fm.fileExists(atPath: url.path), fm.fileExists(atPath: previous.path) {
            try? fm.moveItem(at: previous, to: url)
        }
    }

    static func linkTree(from source: URL, to target: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: target, withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: source.path) {
            let from = source.appendingPathComponent(name), to = target.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            fm.fileExists(atPath: from.path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                try linkTree(from: from, to: to)
            } else if link(from.path, to.path) != 0 {
                try fm.copyItem(at: from, to: to)
            }
        }
    }

    /// Linux `renameat2(RENAME_EXCHANGE)`: both folders trade places in one step.
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

/// A new version of the output being written beside the live one. Files may be written from
/// several threads; nothing is visible in the output folder until `commit`.
public final class StagedOutput: @unchecked Sendable {
    let folder: OutputFolder
    private var createdFolders = Set<String>()
    private let lock = NSLock()

    init(folder: OutputFolder) { self.folder = folder }

    public func write(_ file: OutputFile) throws {
        let target = folder.staging.appendingPathComponent(file.path)
        let parent = target.deletingLastPathComponent().path
        let isNew = lock.withLock { createdFolders.insert(parent).inserted }
        if isNew {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        }
        // Never write through a hard link: that would change the live output in place.
        unlink(target.path)
        let fd = open(target.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputFolder.Problem.io("cannot write \(target.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try file.data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw OutputFolder.Problem.io("cannot write \(target.path): \(String(cString: strerror(errno)))")
                }
                offset += written
            }
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
