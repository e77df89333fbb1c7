import Foundation

/// One patient's pages as rendered, with the record the manifest keeps of what they were made from.
public struct RenderedPatient: Sendable {
    public var id: String
    public var files: [OutputFile]
    public var record: BuildManifest.PatientRecord

    public init(id: String, files: [OutputFile], record: BuildManifest.PatientRecord) {
        self.id = id
        self.files = files
        self.record = record
    }
}

/// What stays in the site as it is published: shared files this build does not write again,
/// and patients it does not render (reused, or held back by errors).
public struct KeptOutput: Sendable {
    public var shared: Set<String> = []
    public var patients: [String] = []
}

/// What a build left in the site, for its manifest: the stat records of the files where they
/// ended up, and the records of the patients rendered.
public struct WrittenOutput: Sendable {
    public var patients: [String: Fingerprint] = [:]
    public var shared: [String: Fingerprint] = [:]
    public var records: [BuildManifest.PatientRecord] = []
}

/// A build's writes into the published site. Patients are added as they are rendered, from
/// any thread; `commit` then writes the shared files and the manifest and publishes
/// everything at once. Until then nothing in the site changes; `discard` leaves it as it was.
public protocol OutputSession: Sendable {
    func add(_ patient: RenderedPatient) throws
    /// Returns the number of files written (Handout's own files, `OutputFolder.ownFiles`, not counted).
    func commit(shared: consuming [OutputFile], keep: KeptOutput, manifest: (WrittenOutput) -> BuildManifest) throws -> Int
    func discard()
}

extension OutputFolder {
    /// An update of the published site when the last build's output can be built on
    /// (`incremental`, and the folder is there), else a whole new version swapped in. With
    /// `compare` (`build --verify`), an update leaves pages that come out as published in place.
    public func session(incremental: Bool, compare: Bool) throws -> any OutputSession {
        if incremental, FileSystem.exists(url.path) {
            return try UpdateSession(folder: self, compare: compare)
        }
        return try SwapSession(folder: self)
    }
}

/// The parts of a session that both kinds share: the patients added so far and the files counted.
final class AddedPatients: @unchecked Sendable {
    private var ids: [String] = []
    private var records: [BuildManifest.PatientRecord] = []
    private var files = 0
    private let lock = NSLock()

    func add(_ patient: RenderedPatient, written: Int) {
        lock.withLock {
            ids.append(patient.id)
            records.append(patient.record)
            files += written
        }
    }

    var all: (ids: [String], records: [BuildManifest.PatientRecord], files: Int) {
        lock.withLock { (ids, records, files) }
    }
}
