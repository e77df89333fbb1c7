import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A full build: a new version of the whole output written beside the live one and swapped
/// in whole. Files may be written from several threads; nothing is visible in the output
/// folder until `commit`.
final class SwapSession: OutputSession, @unchecked Sendable {
    let folder: OutputFolder
    /// The staging folder's path: with forty thousand files, URL arithmetic shows up.
    let root: String
    private var createdFolders = Set<String>()
    private let lock = NSLock()
    private let added = AddedPatients()

    init(folder: OutputFolder) throws {
        try folder.checkOwnership()
        try? FileManager.default.removeItem(at: folder.staging)
        do { try FileSystem.makeFolders(folder.staging.path) } catch { throw OutputFolder.Problem.fault(error, left: OutputFolder.leftAsItWas) }
        self.folder = folder
        root = folder.staging.path
    }

    func add(_ patient: RenderedPatient) throws {
        for file in patient.files { try write(file) }
        added.add(patient, written: patient.files.count)
    }

    /// Writes the shared files, copies in the patients kept as published, then the manifest,
    /// marks the folder as Handout's and swaps it in.
    func commit(shared: consuming [OutputFile], keep: KeptOutput, manifest: (WrittenOutput) -> BuildManifest) throws -> Int {
        let results = ResultSlots<Error>(count: keep.patients.count + 1)
        let pages = consume shared
        DispatchQueue.concurrentPerform(iterations: keep.patients.count + 1) { i in
            do {
                // Patients not rendered (blocked by errors) keep the pages they had.
                let files = i == 0 ? pages : try folder.publishedFiles(ofPatient: keep.patients[i - 1])
                for file in files { try write(file) }
            } catch {
                results[i] = error
            }
        }
        if let error = results.values.lazy.compactMap({ $0 }).first { throw error }
        let published = pages.map(\.path).filter { !OutputFolder.ownFiles.contains($0) }
        // The pages are written: let them go (the clinic index is 7 MB at 10,000 plans)
        // before the manifest is made, a cold build's peak of memory.
        _ = consume pages
        let (ids, records, files) = added.all
        // The stat records of the files as written here; swapping the folder in keeps them.
        let written = WrittenOutput(patients: folder.stamps(ofPatients: ids + keep.patients, in: root),
                                    shared: folder.stamps(ofShared: published, in: root), records: records)
        try write(manifest(written).bytes, to: BuildManifest.fileName)
        try write(OutputFile(path: OutputFolder.markerName, text: OutputFolder.markerText))
        try folder.swapIn()
        return files + published.count
    }

    /// Throws the staged version away; the live output is untouched.
    func discard() {
        try? FileManager.default.removeItem(at: folder.staging)
    }

    private func write(_ file: OutputFile) throws {
        try write(file.data, to: file.path)
    }

    private func write(_ data: some ContiguousBytes, to path: String) throws {
        let target = root + "/" + path
        do {
            if let slash = path.lastIndex(of: "/") {
                let parent = root + "/" + path[..<slash]
                if lock.withLock({ createdFolders.insert(parent).inserted }), mkdir(parent, 0o755) != 0 {
                    try FileSystem.makeFolders(parent)
                }
            }
            try FileSystem.write(data, to: target)
        } catch {
            throw OutputFolder.Problem.fault(error, left: OutputFolder.leftAsItWas)
        }
    }
}
