import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The system's Chromium, started once, headless, and driven over the DevTools pipe: one
/// browser prints a whole batch, page after page in one tab.
public final class Chromium {
    /// The names Chromium has on Debian, Ubuntu and from Google, tried in this order.
    static let names = ["chromium", "chromium-browser", "google-chrome"]

    public struct Missing: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// `HANDOUT_CHROMIUM` when set, else the first of `names` on `PATH`.
    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment) throws(Missing) -> URL {
        if let chosen = environment["HANDOUT_CHROMIUM"], !chosen.isEmpty {
            guard access(chosen, X_OK) == 0, !FileSystem.isFolder(chosen) else {
                throw Missing(description: "HANDOUT_CHROMIUM is set to \(chosen), which is not a program that can be run; "
                              + "point it at the Chromium program or unset it")
            }
            return URL(fileURLWithPath: chosen)
        }
        let folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for name in names {
            for folder in folders where !folder.isEmpty {
                let path = folder + "/" + name
                if access(path, X_OK) == 0, !FileSystem.isFolder(path) { return URL(fileURLWithPath: path) }
            }
        }
        throw Missing(description: "Chromium is not installed, and handout pdf prints with it: install the Debian package "
                      + "'chromium' (sudo apt-get install chromium), or set HANDOUT_CHROMIUM to the browser program")
    }

    private let process: pid_t
    private let profile: String
    /// Our ends of the two pipes.
    private let input: Int32, output: Int32
    private let connection: DevToolsConnection
    private let session: String
    private var closed = false

    /// Starts the browser with a throwaway profile and opens the tab pages are printed in.
    public init(program: URL) throws(DevToolsConnection.Failure) {
        // A write to a browser that has just stopped must be an error, not the end of Handout.
        signal(SIGPIPE, SIG_IGN)
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("handout-chromium-\(UUID().uuidString)").path
        try? FileSystem.makeFolder(profile)
        let started: (pid: pid_t, input: Int32, output: Int32)
        do throws(DevToolsConnection.Failure) {
            started = try Self.start(program, profile: profile)
        } catch {
            try? FileSystem.remove(profile)
            throw error
        }
        process = started.pid
        input = started.input
        output = started.output
        connection = DevToolsConnection(input: started.input, output: started.output)
        do throws(DevToolsConnection.Failure) {
            session = try Self.openTab(connection)
        } catch {
            let log = Self.lastLines(of: profile + "/chromium.log")
            Self.stop(pid: started.pid, input: started.input, output: started.output)
            try? FileSystem.remove(profile)
            throw DevToolsConnection.Failure(description: error.description + log)
        }
    }

    /// Runs the browser on the DevTools pipe; our ends of its two pipes come back with its process.
    private static func start(_ program: URL, profile: String) throws(DevToolsConnection.Failure) -> (pid: pid_t, input: Int32, output: Int32) {
        var toBrowser: [Int32] = [0, 0], fromBrowser: [Int32] = [0, 0]
        guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else {
            throw DevToolsConnection.Failure(description: "cannot open a pipe to Chromium (\(FileFault.reason(errno)))")
        }
        // Every end above 4 and closed on exec; the browser's two ends become its fds 3 and 4,
        // which `dup2` in the child leaves open.
        func lifted(_ fd: Int32) -> Int32 {
            let moved = fcntl(fd, F_DUPFD_CLOEXEC, 10)
            close(fd)
            return moved
        }
        let browserReads = lifted(toBrowser[0]), weWrite = lifted(toBrowser[1])
        let weRead = lifted(fromBrowser[0]), browserWrites = lifted(fromBrowser[1])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        // Its messages go to a log in the profile, quoted when it fails.
        posix_spawn_file_actions_addopen(&actions, 2, profile + "/chromium.log", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, browserReads, 3)
        posix_spawn_file_actions_adddup2(&actions, browserWrites, 4)
        var arguments = [program.path, "--headless", "--remote-debugging-pipe", "--user-data-dir=" + profile,
                         "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-gpu",
                         "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio"]
        // Chromium refuses to run as root with its sandbox on (containers, CI).
        if geteuid() == 0 { arguments.append("--no-sandbox") }
        arguments.append("about:blank")
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program.path, &actions, nil, argv, environ)
        close(browserReads)
        close(browserWrites)
        guard spawned == 0 else {
            close(weWrite)
            close(weRead)
            throw DevToolsConnection.Failure(description: "cannot start \(program.path) (\(FileFault.reason(spawned)))")
        }
        return (pid, weRead, weWrite)
    }

    /// Opens a tab and attaches to it; its session is where pages are printed.
    private static func openTab(_ connection: DevToolsConnection) throws(DevToolsConnection.Failure) -> String {
        let target = try connection.send("Target.createTarget", DevTools.CreateTarget(), reply: DevTools.TargetCreated.self)
        guard let targetID = target.targetId else {
            throw DevToolsConnection.Failure(description: "Chromium opened no tab to print in")
        }
        let attached = try connection.send("Target.attachToTarget", DevTools.AttachToTarget(targetId: targetID), reply: DevTools.Attached.self)
        guard let session = attached.sessionId else {
            throw DevToolsConnection.Failure(description: "Chromium did not let Handout use its tab")
        }
        try connection.send("Page.enable", session: session)
        return session
    }

    /// The page at `url` as a PDF, printed as a person would with "Save as PDF": the page's
    /// own paper size and margins (`@page`), no browser header or footer. `script`, when
    /// given, runs in the page once it has loaded, before it prints; its value is returned.
    public func printPDF(_ url: URL, script: String? = nil) throws(DevToolsConnection.Failure) -> (pdf: Data, scriptValue: Any?) {
        do throws(DevToolsConnection.Failure) {
            connection.discardEvents()
            let navigation = try connection.send("Page.navigate", DevTools.Navigate(url: url.absoluteString), session: session,
                                                 reply: DevTools.Navigated.self)
            if let problem = navigation.errorText {
                throw DevToolsConnection.Failure(description: "Chromium could not open \(url.path): \(problem)")
            }
            try connection.wait(for: "Page.loadEventFired", session: session)
            var value: Any?
            if let script {
                let evaluated = try connection.send("Runtime.evaluate", DevTools.Evaluate(expression: script), session: session,
                                                    reply: DevTools.Evaluated.self)
                if evaluated.exceptionDetails != nil {
                    throw DevToolsConnection.Failure(description: "Chromium could not prepare \(url.path) for printing")
                }
                value = evaluated.result?.value?.value
            }
            let printed = try connection.send("Page.printToPDF", DevTools.PrintToPDF(), session: session, reply: DevTools.Printed.self)
            guard let text = printed.data, let data = Data(base64Encoded: text) else {
                throw DevToolsConnection.Failure(description: "Chromium returned no PDF for \(url.path)")
            }
            return (data, value)
        } catch {
            throw DevToolsConnection.Failure(description: error.description + Self.lastLines(of: profile + "/chromium.log"))
        }
    }

    /// Closes the browser (killing it if it does not stop within seconds) and removes its profile.
    public func quit() {
        guard !closed else { return }
        closed = true
        _ = try? connection.send("Browser.close")
        Self.stop(pid: process, input: input, output: output)
        try? FileSystem.remove(profile)
    }

    deinit { quit() }

    /// Closing our ends tells the browser to stop; it gets five seconds before it is killed.
    private static func stop(pid: pid_t, input: Int32, output: Int32) {
        Glibc.close(output)
        Glibc.close(input)
        var status: Int32 = 0
        for _ in 0..<50 {
            if waitpid(pid, &status, WNOHANG) == pid { return }
            usleep(100_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
    }

    /// The end of the browser's log, to quote when it failed ("" when it said nothing).
    private static func lastLines(of path: String) -> String {
        guard let data = try? FileSystem.read(path) else { return "" }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(3)
        return lines.isEmpty ? "" : "; Chromium said: " + lines.joined(separator: " / ")
    }
}
