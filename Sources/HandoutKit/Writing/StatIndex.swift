import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What git's index is to `git status`, for a whole build: the stat record of every file and
/// folder in the content, plans and templates folders and in the published site, as the last
/// clean full build left them, and the warnings it reported. When every record is the same,
/// that build's result is what is published, and a build reads, parses and renders nothing:
/// one `lstat` per file decides it.
///
/// A record says a file is unchanged only if the file was last changed before that build began
/// reading (git's "racily clean" rule, with two seconds' margin for file systems whose clocks
/// tick in seconds): a file saved again within the same clock tick as it was read could keep
/// its size and times. Such a file is recorded as unknown, so the next build reads everything.
/// Kept in `Output/.handout-stat-index`: an update sets it aside with the manifest before it
/// changes the site, a full build swaps in a site without it, and only a build of every plan
/// that ends without errors writes it, so it never outlives the site it describes.
struct StatIndex {
    static let fileName = ".handout-stat-index"
    static let header = "handout-stat-index 1"
    /// How long before a build began a file must have been last changed to be trusted.
    static let racyMargin: TimeInterval = 2

    /// This program, the folders as given and as they resolve: a record made for other ones says nothing.
    var key: Fingerprint
    var warnings: [Diagnostic]
    /// The names directly in the output folder: this index itself is written there, which
    /// changes the folder's times, so the folder is compared by its names.
    var outputNames: [String]
    /// Folders (absolute paths), each with the paths under it (`.` for itself) and their stat
    /// records; `.absent` where a record cannot be trusted. Looked up from the folder, a stat
    /// walks one or two names instead of the whole path.
    var folders: [(folder: String, records: [Records])]

    typealias Entry = (path: String, stamp: Fingerprint)

    /// Stat records made by this build, or lines as the last index had them (`stamp path`, each
    /// ending in a newline: a patient folder's, or a run of an input folder's): ten thousand
    /// folders kept are copied, not parsed.
    enum Records {
        case found([Entry])
        case kept(Data)
    }

    /// The key of a build of `layout` by this program.
    static func key(_ layout: SiteLayout) -> Fingerprint {
        var key = Fingerprint()
        key.add(SiteLoader.programStamp)
        for url in [layout.root, layout.content, layout.plans, layout.templates, layout.output] {
            key.add(url.path)
            key.add(FileSystem.resolvedPath(url.path))
        }
        return key
    }

    /// The input folders, each once (the plans folder is usually inside the content folder).
    static func inputFolders(_ layout: SiteLayout) -> [String] {
        let folders = [layout.content, layout.plans, layout.templates].map { FileSystem.resolvedPath($0.path) }
        return Set(folders).filter { folder in !folders.contains { $0 != folder && folder.hasPrefix($0 + "/") } }.sorted()
    }

    // MARK: Checking

    /// What the stat records say about the site as it is now.
    struct Comparison {
        /// The warnings to report again: nil when anything changed.
        var warnings: [Diagnostic]?
        /// The patient folders (`patients/<id>`) whose every record still holds, with their
        /// lines: the next index takes them as they are, unless the build rewrites them.
        var patients: [String: Data] = [:]
        /// The input files (absolute paths) whose records still hold: a plan among them is
        /// what the manifest's hash says, and is read only if it must be parsed.
        var inputs: Set<String> = []
        /// The input folders whose names are as the last index found them, with their lines:
        /// those of files whose records no longer hold are `.found` entries to stat again.
        var inputFolders: [String: [Records]] = [:]
    }

    /// Every record compared with the file as it is now; nil when there is no usable index.
    static func compare(_ layout: SiteLayout) -> Comparison? {
        let output = layout.output.path
        guard let data = try? FileSystem.read(output + "/" + fileName),
              let names = try? FileSystem.list(output) else { return nil }
        var bytes = [UInt8](data)
        return bytes.withUnsafeMutableBufferPointer { buffer -> Comparison? in
            // Each line ends in a NUL from here on: paths are handed to `fstatat` as they are.
            var lines: [Int] = [0]
            for i in buffer.indices where buffer[i] == UInt8(ascii: "\n") {
                buffer[i] = 0
                lines.append(i + 1)
            }
            func line(_ n: Int) -> UnsafeMutableBufferPointer<UInt8> {
                UnsafeMutableBufferPointer(rebasing: buffer[lines[n]..<(lines[n + 1] - 1)])
            }
            guard lines.count >= 5, lines.last == buffer.count, String(decoding: line(0), as: UTF8.self) == header,
                  Fingerprint(hex: line(1)) == key(layout),
                  let stored = try? JSONDecoder().decode([Stored].self, from: Data(line(2))),
                  (try? JSONDecoder().decode([String].self, from: Data(line(3)))) == names.sorted(),
                  let warnings = Stored.diagnostics(stored) else { return nil }
            // A line starting with `/` opens a folder; the lines after it are `stamp path` in it.
            var folders: [Int32] = []
            defer { folders.forEach { close($0) } }
            var found: [(line: Int, index: Int, folder: Int32)] = []
            var patientFolder: Int32?
            let inputFolders = Set(inputFolders(layout))
            var inputFolderPaths: [Int32: String] = [:]
            for n in 4..<(lines.count - 1) {
                if buffer[lines[n]] == UInt8(ascii: "/") {
                    let folder = open(UnsafeRawPointer(buffer.baseAddress! + lines[n]).assumingMemoryBound(to: CChar.self), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                    guard folder >= 0 else { return nil }
                    folders.append(folder)
                    let path = String(decoding: line(n), as: UTF8.self)
                    if path == output + "/patients" { patientFolder = folder }
                    if inputFolders.contains(path) { inputFolderPaths[folder] = path }
                } else {
                    guard let folder = folders.last else { return nil }
                    found.append((lines[n], n, folder))
                }
            }
            let entries = found
            // Ten thousand patients are tens of thousands of files: checked on every core.
            let chunks = max(1, min(8, entries.count / 2_000))
            // The lines whose records no longer hold, and those of them that are plain files now.
            let changes = ResultSlots<(lines: [Int], files: [Int])>(count: chunks)
            // Read only, and alive until every chunk is done.
            nonisolated(unsafe) let base = UnsafePointer(buffer.baseAddress!)
            let size = buffer.count
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var changed: [Int] = [], files: [Int] = []
                for n in stride(from: chunk, to: entries.count, by: chunks) {
                    let start = base + entries[n].line
                    // `stamp path`: 16 hex digits and a space, or the line is not one this program wrote.
                    let recorded = entries[n].line + 17 < size && start[16] == UInt8(ascii: " ")
                        ? Fingerprint(hex: UnsafeBufferPointer(start: start, count: 16)) : nil
                    var info = stat()
                    let exists = recorded != nil
                        && fstatat(entries[n].folder, UnsafeRawPointer(start + 17).assumingMemoryBound(to: CChar.self), &info, AT_SYMLINK_NOFOLLOW) == 0
                    guard let recorded, recorded != .absent, exists, OutputFolder.stamp(info) == recorded else {
                        changed.append(n)
                        if exists, (info.st_mode & S_IFMT) == S_IFREG { files.append(n) }
                        continue
                    }
                }
                changes[chunk] = (changed, files)
            }
            // By entry, not hashed: the loops below ask for each of tens of thousands.
            var changed = [Bool](repeating: false, count: entries.count), files = changed, anyChanged = false
            for case let (lines, plainFiles)? in changes.values {
                for n in lines { changed[n] = true }
                for n in plainFiles { files[n] = true }
                anyChanged = anyChanged || !lines.isEmpty
            }
            guard anyChanged else { return Comparison(warnings: warnings) }
            // Something changed: the patient folders that did not are kept for the next index,
            // as their lines. A folder's lines follow each other (`<id>`, then `<id>/<name>`).
            var patients: [String: Data] = [:], spoiled: Set<String> = []
            patients.reserveCapacity(entries.count / 4)
            var folder: (id: UnsafeBufferPointer<UInt8>, first: Int, last: Int, changed: Bool)?
            func keep() {
                guard let folder else { return }
                let id = String(decoding: folder.id, as: UTF8.self)
                // Lines of one folder apart from each other are not an index this program wrote.
                if folder.changed || (!spoiled.isEmpty && spoiled.contains(id))
                    || patients.updateValue(data[(data.startIndex + lines[folder.first])..<(data.startIndex + lines[folder.last + 1])], forKey: id) != nil {
                    spoiled.insert(id)
                    patients[id] = nil
                }
            }
            // On the bytes: tens of thousands of paths, each `<id>/<name>` or `<id>`.
            for n in entries.indices where entries[n].folder == patientFolder {
                let start = base + entries[n].line
                let path = UnsafeBufferPointer(start: start + 17, count: lines[entries[n].index + 1] - 1 - entries[n].line - 17)
                guard !(path.count == 1 && path[0] == UInt8(ascii: ".")) else { continue }
                let id = UnsafeBufferPointer(rebasing: path[..<(path.firstIndex(of: UInt8(ascii: "/")) ?? path.count)])
                if let current = folder, current.last == entries[n].index - 1, current.id.count == id.count,
                   memcmp(current.id.baseAddress!, id.baseAddress!, id.count) == 0 {
                    folder?.last = entries[n].index
                } else {
                    keep()
                    folder = (id, entries[n].index, entries[n].index, false)
                }
                if changed[n] { folder?.changed = true }
            }
            keep()
            // An input folder whose every changed line is a file still there has the names the
            // last index found (adding, removing or renaming one changes its folder's times):
            // the next index takes its lines, with those files' records made again.
            var folderLines: [Int32: [Int]] = [:]
            var n = 0
            while n < entries.count {
                // A folder's entries follow each other: one lookup for each run.
                let folder = entries[n].folder
                var end = n + 1
                while end < entries.count, entries[end].folder == folder { end += 1 }
                if inputFolderPaths[folder] != nil { folderLines[folder, default: []] += Array(n..<end) }
                n = end
            }
            var keptInputs: [String: [Records]] = [:]
            for (folder, indices) in folderLines where indices.allSatisfy({ !changed[$0] || files[$0] }) {
                var parts: [Records] = [], run = lines[entries[indices[0]].index]
                for n in indices where changed[n] {
                    let line = entries[n].index
                    if run < lines[line] { parts.append(.kept(data[(data.startIndex + run)..<(data.startIndex + lines[line])])) }
                    parts.append(.found([(String(cString: UnsafeRawPointer(base + lines[line] + 17).assumingMemoryBound(to: CChar.self)), .absent)]))
                    run = lines[line + 1]
                }
                let end = lines[entries[indices[indices.count - 1]].index + 1]
                if run < end { parts.append(.kept(data[(data.startIndex + run)..<(data.startIndex + end)])) }
                keptInputs[inputFolderPaths[folder]!] = parts
            }
            var inputs: Set<String> = []
            for (folder, indices) in folderLines {
                let path = inputFolderPaths[folder]!
                for n in indices where !changed[n] {
                    // Made in one piece: ten thousand plans.
                    let name = base + entries[n].line + 17, length = strlen(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self))
                    inputs.insert(String(unsafeUninitializedCapacity: path.utf8.count + 1 + length) { bytes in
                        let folderLength = bytes.initialize(fromContentsOf: path.utf8)
                        bytes[folderLength] = UInt8(ascii: "/")
                        _ = bytes[(folderLength + 1)...].initialize(fromContentsOf: UnsafeBufferPointer(start: name, count: length))
                        return bytes.count
                    })
                }
            }
            return Comparison(warnings: nil, patients: patients, inputs: inputs, inputFolders: keptInputs)
        }
    }

    // MARK: Recording

    /// The index of `layout` as it is now, after a clean full build that began reading at
    /// `began`; nil when the folders hold a symbolic link (where it leads is not recorded) or
    /// cannot be read.
    /// Patient folders in `kept` (found unchanged before the build) and not `rewritten` by it
    /// keep their lines without a walk: with ten thousand patients, a build that changed
    /// one walks one. Input folders in `unchanged` (`Comparison.inputFolders`) keep theirs,
    /// with the files that changed stat again: the plans folder is not walked.
    static func record(_ layout: SiteLayout, warnings: [Diagnostic], began: Date, keeping kept: [String: Data] = [:],
                       except rewritten: Set<String> = [], inputs unchanged: [String: [Records]] = [:]) -> StatIndex? {
        let trustedBefore = began.timeIntervalSince1970 - racyMargin
        var folders: [(folder: String, records: [Records])] = []
        for folder in inputFolders(layout) {
            if let records = unchanged[folder].flatMap({ restat($0, in: folder, trustedBefore: trustedBefore) }) {
                folders.append((folder, records))
                continue
            }
            var entries: [Entry] = []
            guard walk(folder, ".", into: &entries, trustedBefore: trustedBefore) else { return nil }
            folders.append((folder, [.found(entries)]))
        }
        let output = layout.output.path
        guard var names = try? FileSystem.list(output) else { return nil }
        names = Array(Set(names + [fileName])).sorted()
        var shared: [Entry] = []
        for name in names where name != fileName && name != "patients" {
            guard walk(output, name, into: &shared, trustedBefore: nil) else { return nil }
        }
        folders.append((output, [.found(shared)]))
        // The patient folders, the bulk of the site, walked on every core.
        if let patients = try? FileSystem.list(output + "/patients") {
            let slots = ResultSlots<Records>(count: patients.count)
            DispatchQueue.concurrentPerform(iterations: patients.count) { i in
                if !rewritten.contains(patients[i]), let lines = kept[patients[i]] { return slots[i] = .kept(lines) }
                var found: [Entry] = []
                if walk(output + "/patients", patients[i], into: &found, trustedBefore: nil) { slots[i] = .found(found) }
            }
            var entries: [Entry] = []
            guard walk(output + "/patients", ".", into: &entries, trustedBefore: nil, alone: true) else { return nil }
            var records: [Records] = [.found(entries)]
            for found in slots.values {
                guard let found else { return nil }
                records.append(found)
            }
            folders.append((output + "/patients", records))
        }
        return StatIndex(key: key(layout), warnings: warnings, outputNames: names, folders: folders)
    }

    /// An input folder's lines kept from the last index, with the files that changed since
    /// stat again; nil when one of them is no longer a plain file.
    private static func restat(_ parts: [Records], in folder: String, trustedBefore: TimeInterval) -> [Records]? {
        var records: [Records] = []
        for part in parts {
            guard case .found(let entries) = part else {
                records.append(part)
                continue
            }
            var found: [Entry] = []
            for entry in entries {
                guard let (stamp, isFolder) = stampIfPlain(folder + "/" + entry.path, trustedBefore: trustedBefore), !isFolder else { return nil }
                found.append((entry.path, stamp))
            }
            records.append(.found(found))
        }
        return records
    }

    /// `path` in `folder` and, for a folder, everything in it (unless `alone`); false at a
    /// symbolic link or an unreadable folder.
    private static func walk(_ folder: String, _ path: String, into entries: inout [Entry], trustedBefore: TimeInterval?,
                             alone: Bool = false) -> Bool {
        let full = path == "." ? folder : folder + "/" + path
        guard let (stamp, isFolder) = stampIfPlain(full, trustedBefore: trustedBefore) else { return false }
        entries.append((path, stamp))
        guard !alone, isFolder else { return true }
        guard let names = try? FileSystem.list(full) else { return false }
        return names.sorted().allSatisfy { walk(folder, path == "." ? $0 : path + "/" + $0, into: &entries, trustedBefore: trustedBefore) }
    }

    /// The stat record of a file or folder (`.absent` when changed too recently to be
    /// trusted) and whether it is a folder; nil for a link or anything missing.
    private static func stampIfPlain(_ path: String, trustedBefore: TimeInterval?) -> (Fingerprint, isFolder: Bool)? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFLNK else { return nil }
        let isFolder = (info.st_mode & S_IFMT) == S_IFDIR
        if let trustedBefore {
            let changed = max(TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9,
                              TimeInterval(info.st_ctim.tv_sec) + TimeInterval(info.st_ctim.tv_nsec) / 1e9)
            if changed >= trustedBefore { return (.absent, isFolder) }
        }
        return (OutputFolder.stamp(info), isFolder)
    }

    // MARK: The file

    /// Written beside its place and renamed into it, so a reader finds the old index or the new.
    func write(to output: String) throws(FileFault) {
        let temporary = output + "/" + Self.fileName + ".new"
        try FileSystem.write(encoded(), to: temporary)
        try FileSystem.move(temporary, to: output + "/" + Self.fileName)
    }

    private struct Stored: Codable {
        var path: String
        var line: Int
        var column: Int
        var owner: String?
        var slug: String?
        var message: String

        /// Nil when an owner is not one a warning can have.
        static func diagnostics(_ stored: [Stored]) -> [Diagnostic]? {
            var warnings: [Diagnostic] = []
            for item in stored {
                let owner: Diagnostic.Owner
                switch (item.owner, item.slug) {
                case (nil, nil): owner = .site
                case ("plan", let id?): owner = .plan(id)
                case ("protocol", let id?): owner = .protocol(id)
                default: return nil
                }
                warnings.append(Diagnostic(.warning, item.message, at: SourceLocation(path: item.path, line: item.line, column: item.column, owner: owner)))
            }
            return warnings
        }
    }

    /// A header line, the key, the warnings as one JSON line, the output folder's names as
    /// one JSON line, then each folder's absolute path on a line, followed by one `stamp path`
    /// line per entry in it (a path holds no newline: names with one are refused as content
    /// and never written as output).
    func encoded() -> [UInt8] {
        let stored = warnings.map { warning -> Stored in
            var owner: String?, slug: String?
            switch warning.owner {
            case .site: break
            case .plan(let id): (owner, slug) = ("plan", id)
            case .protocol(let id): (owner, slug) = ("protocol", id)
            }
            return Stored(path: warning.location.path, line: warning.location.line, column: warning.location.column,
                          owner: owner, slug: slug, message: warning.message)
        }
        var head = Data("\(Self.header)\n\(key)\n".utf8)
        // In one order: the same site gives the same index.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        head += (try? encoder.encode(stored)) ?? Data("[]".utf8)
        head += Data("\n".utf8)
        head += (try? JSONEncoder().encode(outputNames)) ?? Data("[]".utf8)
        head += Data("\n".utf8)
        // Made in one buffer of the size it needs (an entry: 16 digits, a space, its path, a
        // line end): it is written at the end of a build of every plan, when the build holds
        // the most, and copies of its 2 MB were the peak of a cold build's memory.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(folders.reduce(head.count) { size, folder in
            folder.records.reduce(size + folder.folder.utf8.count + 1) { size, records in
                switch records {
                case .found(let entries): entries.reduce(size) { $0 + 18 + $1.path.utf8.count }
                case .kept(let lines): size + lines.count
                }
            }
        })
        bytes += head
        for (folder, records) in folders {
            bytes += folder.utf8
            bytes.append(UInt8(ascii: "\n"))
            for part in records {
                switch part {
                case .found(let entries):
                    for entry in entries {
                        entry.stamp.appendHex(to: &bytes)
                        bytes.append(UInt8(ascii: " "))
                        bytes += entry.path.utf8
                        bytes.append(UInt8(ascii: "\n"))
                    }
                case .kept(let lines): bytes += lines
                }
            }
        }
        return bytes
    }
}
