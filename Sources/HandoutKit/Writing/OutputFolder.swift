import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a whole site beside the output folder, then swaps it in, so a failed or killed
/// build leaves the previous output exactly as it was.
public struct OutputFolder: Sendable {
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

    /// Starts a new version of the whole output beside the live one.
    public func stage() throws -> StagedOutput {
        try checkOwnership()
        try? FileManager.default.removeItem(at: staging)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        return StagedOutput(folder: self)
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

    /// The previous build's manifest, if the folder is Handout's and the manifest is sound.
    public func manifest() -> BuildManifest? {
        let marker = url.appendingPathComponent(Self.markerName).path
        guard FileManager.default.fileExists(atPath: marker),
              let data = FileManager.default.contents(atPath: url.appendingPathComponent(BuildManifest.fileName).path) else { return nil }
        return BuildManifest.parse(String(decoding: data, as: UTF8.self))
    }

    /// An incremental build: each changed patient's folder is written beside the output and
    /// exchanged in one step; each changed shared file is replaced by a rename; removed
    /// patients go last, after the index no longer links to them, and the manifest after
    /// everything. Any moment leaves every file whole, old or new. With `sweep`, `shared`
    /// holds every library page and asset, and older ones not among them are deleted.
    /// Returns files written.
    func update(patients: [Plan], render: @Sendable (Plan) -> [OutputFile], shared: [OutputFile],
                sweep: Bool, removing removed: [String]) throws -> Int {
        try checkOwnership()
        let fm = FileManager.default
        try? fm.removeItem(at: staging)
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: staging) }
        let live = url.appendingPathComponent("patients")
        try fm.createDirectory(at: live, withIntermediateDirectories: true)
        let results = ResultSlots<Result<Int, Error>>(count: patients.count)
        DispatchQueue.concurrentPerform(iterations: patients.count) { i in
            results[i] = Result {
                let plan = patients[i]
                let folder = staging.appendingPathComponent("patient-\(plan.id)")
                try fm.createDirectory(at: folder, withIntermediateDirectories: true)
                let files = render(plan)
                for file in files {
                    try StagedOutput.writeFile(file.data, to: folder.appendingPathComponent(String(file.path.split(separator: "/").last!)).path)
                }
                let target = live.appendingPathComponent(plan.id)
                if fm.fileExists(atPath: target.path), Self.exchange(folder.path, target.path) {
                    try fm.removeItem(at: folder)
                } else {
                    try? fm.removeItem(at: target)
                    try fm.moveItem(at: folder, to: target)
                }
                return files.count
            }
        }
        var written = try results.values.reduce(0) { $0 + (try $1?.get() ?? 0) }
        let manifestFile = shared.filter { $0.path == BuildManifest.fileName }
        for file in shared where file.path != BuildManifest.fileName {
            written += try replaceIfChanged(file) ? 1 : 0
        }
        if sweep { try removeStaleSharedFiles(keeping: Set(shared.map(\.path))) }
        for id in removed {
            let trash = staging.appendingPathComponent("removed-\(id)")
            if (try? fm.moveItem(at: live.appendingPathComponent(id), to: trash)) != nil {
                try fm.removeItem(at: trash)
            }
        }
        for file in manifestFile { _ = try replaceIfChanged(file) }
        return written
    }

    /// Writes `file` beside its target and renames it into place, unless the bytes are the same.
    private func replaceIfChanged(_ file: OutputFile) throws -> Bool {
        let target = url.appendingPathComponent(file.path)
        if let current = FileManager.default.contents(atPath: target.path), current == file.data { return false }
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = staging.appendingPathComponent("file-" + file.path.replacingOccurrences(of: "/", with: "-"))
        try StagedOutput.writeFile(file.data, to: temporary.path)
        guard rename(temporary.path, target.path) == 0 else {
            throw Problem.io("cannot replace \(target.path): \(String(cString: strerror(errno)))")
        }
        return true
    }

    /// Library pages and assets that a previous build wrote but this one does not.
    private func removeStaleSharedFiles(keeping kept: Set<String>) throws {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: url.path)) ?? [] where !name.hasPrefix(".") && name != "patients" {
            var isDirectory: ObjCBool = false
            let isFolder = fm.fileExists(atPath: url.appendingPathComponent(name).path, isDirectory: &isDirectory) && isDirectory.boolValue
            let files = isFolder
                ? (fm.enumerator(atPath: url.appendingPathComponent(name).path)?.allObjects as? [String] ?? []).map { name + "/" + $0 }
                : [name]
            for path in files where !kept.contains(path) {
                var isFolder: ObjCBool = false
                let exists = fm.fileExists(atPath: url.appendingPathComponent(path).path, isDirectory: &isFolder)
                if exists && !isFolder.boolValue { try fm.removeItem(at: url.appendingPathComponent(path)) }
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
    /// The staging folder's path: with forty thousand files, URL arithmetic shows up.
    private let root: String
    private var createdFolders = Set<String>()
    private let lock = NSLock()

    init(folder: OutputFolder) {
        self.folder = folder
        root = folder.staging.path
    }

    public func write(_ file: OutputFile) throws {
        let target = root + "/" + file.path
        if let slash = file.path.lastIndex(of: "/") {
            let parent = root + "/" + file.path[..<slash]
            if lock.withLock({ createdFolders.insert(parent).inserted }), mkdir(parent, 0o755) != 0 {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            }
        }
        try Self.writeFile(file.data, to: target)
    }

    static func writeFile(_ data: Data, to target: String) throws {
        let fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputFolder.Problem.io("cannot write \(target): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw OutputFolder.Problem.io("cannot write \(target): \(String(cString: strerror(errno)))")
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
