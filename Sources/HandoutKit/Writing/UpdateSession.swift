import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An incremental build. First everything new is written beside the site (`add`, and the
/// shared files at the start of `commit`: a full disk stops the build before the site is
/// touched) and the manifest is set aside, so a build killed from here on makes the next one
/// full. Then each patient folder is exchanged in one step, each changed shared file renamed
/// into place, and everything the site no longer needs moved out: anything outside the
/// patients added or kept and the shared files written or kept. If a move fails, every
/// earlier one is undone. The new manifest comes last, with the stat records of the patients
/// written and of every shared file, taken where they ended up.
///
/// Where the file system cannot exchange two folders in one step or make hard links
/// (SMB/CIFS and NFS shares, vfat, FUSE), a patient's old folder is moved aside and the new
/// one moved in, and a changed shared file's old bytes are copied aside before the new
/// file is renamed over it: every step can still be undone, and a build killed between
/// the two moves leaves the old folder where the next build puts it back; only a reader
/// of that patient's pages during those two renames can find them missing.
///
/// With `compare` (`build --verify`), a patient whose pages come out byte for byte as
/// published is left in place, and only files that differ count as written.
final class UpdateSession: OutputSession, @unchecked Sendable {
    let folder: OutputFolder
    let compare: Bool
    let site: String
    let stage: String
    private let added = AddedPatients()
    /// Patients staged to be moved in (not those found as published with `compare`).
    private var staged: [String] = []
    private let lock = NSLock()

    init(folder: OutputFolder, compare: Bool) throws {
        try folder.checkOwnership()
        try? FileManager.default.removeItem(at: folder.staging)
        do { try FileSystem.makeFolders(folder.staging.path) } catch { throw OutputFolder.Problem.fault(error, left: OutputFolder.leftAsItWas) }
        self.folder = folder
        self.compare = compare
        site = folder.url.path
        stage = folder.staging.path
    }

    /// Phase 1: a patient's pages written beside the site. Nothing in the site changes.
    func add(_ patient: RenderedPatient) throws {
        let published = site + "/patients/" + patient.id
        if compare, differences(patient.files, inFolder: published) == 0 {
            added.add(patient, written: 0)
            return
        }
        let folder = stage + "/patient-" + patient.id
        do {
            try FileSystem.makeFolder(folder)
            for file in patient.files {
                try FileSystem.write(file.data, to: folder + "/" + file.path.split(separator: "/").last!)
            }
        } catch {
            throw OutputFolder.Problem.fault(error, left: OutputFolder.leftAsItWas)
        }
        added.add(patient, written: compare ? differences(patient.files, inFolder: published) : patient.files.count)
        lock.withLock { staged.append(patient.id) }
    }

    func commit(shared: consuming [OutputFile], keep: KeptOutput, manifest: (WrittenOutput) -> BuildManifest) throws -> Int {
        defer { discard() }
        let (ids, records, files) = added.all
        let changedShared = try stageShared(shared)
        var kept = keep.shared.union(shared.map(\.path))
        kept.formUnion([OutputFolder.markerName, BuildManifest.fileName, StatIndex.fileName])
        let sharedPaths = kept.subtracting(OutputFolder.ownFiles).sorted()
        let stale = try staleEntries(keepingShared: kept, patients: Set(keep.patients).union(ids))
        let moved = lock.withLock { staged }.sorted()
        let manifestPath = site + "/" + BuildManifest.fileName
        let unchanged = WrittenOutput(shared: folder.stamps(ofShared: sharedPaths), records: records)
        if moved.isEmpty, changedShared.isEmpty, stale.isEmpty, (try? FileSystem.read(manifestPath)) == Data(manifest(unchanged).bytes) {
            return 0
        }
        // Taken when the files are in place: a rename can change a file's change time.
        let written = { WrittenOutput(patients: self.folder.stamps(ofPatients: ids), shared: self.folder.stamps(ofShared: sharedPaths), records: records) }
        try publish(patients: moved, shared: changedShared, stale: stale, written: written, manifest: manifest)
        // The staging folder now holds the replaced pages, with names: it goes too.
        if (try? FileSystem.remove(stage)) == nil, FileSystem.exists(stage) {
            throw OutputFolder.Problem.fault(FileFault("remove", stage, code: EACCES),
                                             left: "the new site is published, but earlier pages are still in \(stage); remove it by hand")
        }
        return files + changedShared.filter { !OutputFolder.ownFiles.contains($0.file.path) }.count
    }

    func discard() {
        try? FileManager.default.removeItem(at: folder.staging)
    }

    /// The shared files whose bytes changed, each written beside the site.
    private func stageShared(_ shared: [OutputFile]) throws -> [(file: OutputFile, temporary: String)] {
        var changed: [(file: OutputFile, temporary: String)] = []
        do {
            for (n, file) in shared.enumerated() {
                if let current = try? FileSystem.read(site + "/" + file.path), current == file.data { continue }
                let temporary = stage + "/file-\(n)"
                try FileSystem.write(file.data, to: temporary)
                changed.append((file, temporary))
            }
        } catch {
            throw OutputFolder.Problem.fault(error, left: OutputFolder.leftAsItWas)
        }
        return changed
    }

    /// Everything in the site that is neither kept nor written: patient folders and shared files.
    private func staleEntries(keepingShared kept: Set<String>, patients: Set<String>) throws -> [String] {
        do {
            var stale = try folder.patientsFolderEntries().filter { !patients.contains($0) }.sorted().map { "patients/" + $0 }
            try sweep("", keeping: kept, into: &stale)
            return stale
        } catch let problem as OutputFolder.Problem {
            throw problem
        } catch {
            throw OutputFolder.Problem.fault(error as? FileFault ?? FileFault("read", site, code: EIO), left: OutputFolder.leftAsItWas)
        }
    }

    /// Phase 2: move into place, keeping what is needed to undo each step; the manifest last.
    private func publish(patients moved: [String], shared changedShared: [(file: OutputFile, temporary: String)], stale: [String],
                         written: () -> WrittenOutput, manifest: (WrittenOutput) -> BuildManifest) throws {
        var undo: [() -> Void] = []
        let manifestPath = site + "/" + BuildManifest.fileName
        let setAside = stage + "/previous-manifest"
        do {
            // The records of the site as it was go first, so a build killed from here on
            // trusts neither; a failed one puts them back.
            for (path, aside) in [(manifestPath, setAside), (site + "/" + StatIndex.fileName, stage + "/previous-stat-index")]
            where FileSystem.exists(path) {
                try FileSystem.move(path, to: aside)
                undo.append { _ = rename(aside, path) }
            }
            try FileSystem.makeFolders(site + "/patients")
            for id in moved { try movePatient(id, undo: &undo) }
            for (n, change) in changedShared.enumerated() { try replaceShared(change, backup: stage + "/backup-\(n)", undo: &undo) }
            for (n, path) in stale.enumerated() {
                let trash = stage + "/removed-\(n)", target = site + "/" + path
                try FileSystem.move(target, to: trash)
                undo.append { _ = rename(trash, target) }
            }
            try FileSystem.write(manifest(written()).bytes, to: stage + "/manifest")
            try FileSystem.move(stage + "/manifest", to: manifestPath)
        } catch {
            for step in undo.reversed() { step() }
            let fault = error as? FileFault ?? FileFault("update", site, code: EIO)
            throw OutputFolder.Problem.fault(fault, left: OutputFolder.leftAsItWas)
        }
    }

    /// A staged patient folder exchanged with the published one, or moved in.
    private func movePatient(_ id: String, undo: inout [() -> Void]) throws {
        let staged = stage + "/patient-" + id, target = site + "/patients/" + id
        if !FileSystem.exists(target) {
            try FileSystem.move(staged, to: target)
            undo.append { _ = rename(target, staged) }
        } else if FileSystem.exchange(staged, target) {
            undo.append { _ = FileSystem.exchange(staged, target) }
        } else {
            let aside = stage + "/" + OutputFolder.setAsidePrefix + id
            try FileSystem.move(target, to: aside)
            undo.append { _ = rename(aside, target) }
            try FileSystem.move(staged, to: target)
            undo.append { _ = rename(target, staged) }
        }
    }

    /// A changed shared file renamed into place, its old bytes kept at `backup` for the undo.
    private func replaceShared(_ change: (file: OutputFile, temporary: String), backup: String, undo: inout [() -> Void]) throws {
        let target = site + "/" + change.file.path
        try makeParents(of: change.file.path, undo: &undo)
        if FileSystem.exists(target) {
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

    /// How many of `files` differ from what `folder` holds (missing ones included), plus
    /// anything else the folder holds.
    private func differences(_ files: [OutputFile], inFolder folder: String) -> Int {
        let names = Set(files.map { String($0.path.split(separator: "/").last!) })
        let extra = ((try? FileSystem.list(folder)) ?? []).filter { !names.contains($0) }.count
        return extra + files.filter { file in
            (try? FileSystem.read(folder + "/" + file.path.split(separator: "/").last!)) != file.data
        }.count
    }

    /// Creates the folders above a shared file, undone in reverse if the update fails.
    private func makeParents(of path: String, undo: inout [() -> Void]) throws {
        var folder = site
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
        let folder = prefix.isEmpty ? site : site + "/" + prefix
        for name in try FileSystem.list(folder).sorted() {
            let path = prefix.isEmpty ? name : prefix + "/" + name
            if path == "patients" { continue }
            if kept.contains(path) { continue }
            let isFolder = FileSystem.isFolder(site + "/" + path)
            if isFolder, kept.contains(where: { $0.hasPrefix(path + "/") }) {
                try sweep(path, keeping: kept, into: &stale)
            } else {
                stale.append(path)
            }
        }
    }
}
