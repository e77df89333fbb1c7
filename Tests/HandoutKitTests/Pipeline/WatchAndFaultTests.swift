import Foundation
import Testing
@testable import HandoutKit

/// `--watch` against locks and linked folders, and file-system faults as a user meets them
/// (issue 11, cases 3, 7, 9 and 10). Faults need an unprivileged user: as root, the
/// binary is run as `nobody` through `setpriv`, since root reads every file.
@Suite(.serialized) struct WatchAndFaultTests {
    // 3
    @Test(.timeLimit(.minutes(2))) func watchRetriesAfterAnotherBuildsLock() throws {
        let site = try TestSite()
        let (process, out, err) = try startWatching(site)
        defer { stopWatching(process) }
        #expect(wait(for: "Watching", in: out, seconds: 20))
        // Another build holds the lock while a plan is saved.
        let lock = open(site.url(".Output.handout-lock").path, O_RDWR | O_CREAT, 0o644)
        #expect(flock(lock, LOCK_EX) == 0)
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml").replacingOccurrences(of: "Alex Example", with: "Alex Locked"))
        #expect(wait(for: "Output: error: another build is writing Output; wait for it to finish and try again", in: err, seconds: 10))
        flock(lock, LOCK_UN)
        close(lock)
        #expect(wait(for: "Alex Locked", in: site.url("Output/patients/p-0001/index.html"), seconds: 10), "the saved change is built without another save")
    }

    // 7
    @Test(.timeLimit(.minutes(2))) func watchFollowsLinkedFolders() throws {
        let site = try TestSite()
        let shared = site.url("share/plans")
        try FileManager.default.createDirectory(at: site.url("share"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: site.url("Content/plans"), to: shared)
        try FileManager.default.createSymbolicLink(atPath: site.url("Content/plans").path, withDestinationPath: shared.path)
        try FileManager.default.moveItem(at: site.url("Content"), to: site.url("ContentReal"))
        try FileManager.default.createSymbolicLink(atPath: site.url("Content").path, withDestinationPath: site.url("ContentReal").path)
        let (process, out, _) = try startWatching(site)
        defer { stopWatching(process) }
        #expect(wait(for: "Watching", in: out, seconds: 20))
        try site.write("share/plans/p-0001.yaml", try site.read("share/plans/p-0001.yaml").replacingOccurrences(of: "Alex Example", with: "Alex Linked"))
        #expect(wait(for: "Alex Linked", in: site.url("Output/patients/p-0001/index.html"), seconds: 10))
        try site.write("ContentReal/pages/pacing.md", try site.read("ContentReal/pages/pacing.md") + "\nRest between sets.\n")
        #expect(wait(for: "Rest between sets.", in: site.url("Output/pages/pacing.html"), seconds: 10))
    }

    @Test(.timeLimit(.minutes(2))) func watchSaysWhatItCannotWatch() throws {
        let site = try TestSite()
        let (process, out, err) = try startWatching(site, ["--plans", site.url("mnt/plans").path])
        defer { stopWatching(process) }
        #expect(wait(for: "Watching", in: out, seconds: 20))
        #expect(wait(for: "warning: cannot watch \(site.url("mnt/plans").path): no such file or folder; changes there are noticed once it can be read again", in: err, seconds: 10))
        try FileManager.default.createDirectory(at: site.url("mnt"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: site.url("Content/plans"), to: site.url("mnt/plans"))
        #expect(wait(for: "rebuilt p-0001", in: out, seconds: 10))
    }

    /// `handout` run as a user who is not root, on a site that user owns. The binary is
    /// copied into the site: the checkout may be where that user cannot read (under /root).
    func runUnprivileged(_ arguments: [String], site: TestSite) throws -> Run {
        guard getuid() == 0 else { return try Run.handout(arguments) }
        let binary = site.url("bin/handout")
        if !FileManager.default.fileExists(atPath: binary.path) {
            try FileManager.default.createDirectory(at: site.url("bin"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Run.binary, to: binary)
        }
        _ = try Run.command("/bin/chown", ["-R", "nobody:nogroup", site.root.path])
        return try Run.command("/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", binary.path] + arguments)
    }

    // 9
    @Test func anUnreadablePictureIsAnError() throws {
        let site = try TestSite()
        chmod(site.url("Content/images/bridge.svg").path, 0)
        let run = try runUnprivileged(["build", "--root", site.root.path], site: site)
        #expect(run.status == 1)
        #expect(run.stderr == """
        Content/images/bridge.svg:1:1: error: cannot read this picture: permission denied; pages show it, so it must be readable
        1 error, 0 warnings

        """)
        #expect(!site.exists("Output"))
    }

    /// Issue 22, case 5: an unreadable assets folder was read as an empty one, and the build
    /// removed the published stylesheet and script.
    @Test func anUnreadableAssetsFolderStopsTheBuildAndKeepsThePublishedAssets() throws {
        let site = try TestSite()
        #expect(try runUnprivileged(["build", "--root", site.root.path], site: site).status == 0)
        let before = try site.outputSnapshot()
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml") + "# edited\n")
        chmod(site.url("Templates/assets").path, 0)
        let run = try runUnprivileged(["build", "--root", site.root.path], site: site)
        chmod(site.url("Templates/assets").path, 0o755)
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("Templates/assets: error: cannot read the assets folder: permission denied; every page links its stylesheet"), "\(run.stderr)")
        #expect(try site.outputSnapshot() == before)
    }

    // 10
    @Test func faultsAreSaidInPlainWords() throws {
        let site = try TestSite()
        #expect(try runUnprivileged(["build", "--root", site.root.path], site: site).status == 0)
        chmod(site.url("Content/exercises").path, 0)
        let folder = try runUnprivileged(["build", "--root", site.root.path], site: site)
        #expect(folder.stderr.hasPrefix("Content/exercises: error: cannot read this folder: permission denied\n"), "\(folder.stderr)")
        #expect(!folder.stderr.contains("unknown exercise"))
        chmod(site.url("Content/exercises").path, 0o755)
        chmod(site.url("Content/pages/pacing.md").path, 0)
        let file = try runUnprivileged(["build", "--root", site.root.path], site: site)
        #expect(file.stderr.hasPrefix("Content/pages/pacing.md:1:1: error: cannot read this file: permission denied\n"), "\(file.stderr)")
        chmod(site.url("Content/pages/pacing.md").path, 0o644)
        guard getuid() == 0 else { return }
        // The published site belongs to another user: nothing changes, nothing lingers.
        try site.write("Content/plans/p-0001.yaml", try site.read("Content/plans/p-0001.yaml") + "# edited\n")
        _ = try Run.command("/bin/chown", ["-R", "root:root", site.url("Output").path])
        let before = try site.outputSnapshot()
        let foreign = try Run.command("/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", site.url("bin/handout").path,
                                                           "build", "--root", site.root.path])
        #expect(foreign.status == 1)
        #expect(foreign.stderr.hasPrefix("Output: error: cannot "), "\(foreign.stderr)")
        #expect(foreign.stderr.contains(": permission denied; the published site was left as it was\n"), "\(foreign.stderr)")
        #expect(!foreign.stderr.contains("Error Domain") && !foreign.stderr.contains("NSCocoaErrorDomain"))
        #expect(try site.outputSnapshot() == before)
        #expect(!site.exists(".Output.handout-staging"))
    }
}
