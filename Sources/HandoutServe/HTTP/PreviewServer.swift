import FlyingFox
import FlyingSocks
import Foundation
import HandoutKit

/// `handout serve`: what to serve and where to listen.
public struct ServeOptions: Sendable {
    public var layout: SiteLayout
    /// An IP address; loopback unless a clinic puts the server behind its sign-in.
    public var host: String
    /// 0: any free port (the address is printed).
    public var port: UInt16
    /// Origins a proxy in front serves this under, like `https://intranet.example.org`.
    public var origins: [String]

    /// Why `host` cannot be listened on, for the command line to refuse it; nil when it can be tried.
    public static func problem(host: String) -> String? {
        do throws(ServeFailure) {
            _ = try PreviewServer.socketAddress(host: host, port: 0)
            return nil
        } catch {
            return error.description
        }
    }

    public init(layout: SiteLayout, host: String = "127.0.0.1", port: UInt16 = 8080, origins: [String] = []) {
        self.layout = layout
        self.host = host
        self.port = port
        self.origins = origins
    }
}

/// Why `serve` could not start, in words.
public struct ServeFailure: Error, CustomStringConvertible {
    public var description: String
}

/// The preview server: builds the site, serves its output with the reload script added to
/// every page, rebuilds on every save, and serves the plan editor.
public enum PreviewServer {
    /// Runs until the process ends; throws only when it cannot start. `say` gets progress for
    /// standard output, `complain` diagnostics for standard error.
    public static func run(_ options: ServeOptions, today: @escaping @Sendable () -> Day,
                           say: @escaping @Sendable (String) -> Void, complain: @escaping @Sendable (String) -> Void) throws {
        let address = try socketAddress(host: options.host, port: options.port)
        let site = HandoutSite(layout: options.layout)
        let worker = SiteWorker(site: site) { build, patients in
            report(build, patients: patients, output: site.display(site.layout.output), say: say, complain: complain)
        }
        worker.rebuild()
        let sessions: PreviewSessions
        do {
            sessions = try PreviewSessions()
        } catch {
            throw ServeFailure(description: "cannot make a private folder for the editor's previews in \(FileManager.default.temporaryDirectory.path)")
        }
        stopCleanly(removing: sessions)

        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        Task {
            // Long enough for a page's question "did I change?" to be held open (20 s).
            let server = HTTPServer(address: address, timeout: 60, logger: .disabled)
            let ended = Outcome()
            let running = Task {
                defer { ended.fail("ended") }
                try await server.run()
            }
            // Either it listens, or run() ends at once: it could not bind the address.
            while await !server.isListening {
                if ended.failure != nil {
                    outcome.fail("cannot listen on \(options.host):\(options.port): the port is in use, or the address is not one of this machine's; choose another with --port or --host")
                    done.signal()
                    return
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
            let port = Int(await server.listeningAddress.flatMap(Self.port(of:)) ?? options.port)
            let token = RequestGuard.newToken()
            let guarding = RequestGuard(host: options.host, port: port, publicOrigins: options.origins, token: token)
            let pages = SitePages(worker: worker)
            let handler = ServeHandler(guarding: guarding, output: ServedFiles(root: options.layout.output), pages: pages,
                                       editor: Editor(worker: worker, pages: pages, sessions: sessions, guarding: guarding, today: today))
            await server.appendRoute("*", to: handler)
            let shown = options.host.contains(":") ? "[\(options.host)]" : options.host
            say("Serving \(site.display(options.layout.output)) at http://\(shown):\(port)/ (the plan editor: http://\(shown):\(port)/_handout/editor/)")
            if !RequestGuard.loopback.contains(options.host) {
                say("warning: listening on \(options.host): anyone who reaches this address sees patients' pages; put it behind the clinic's sign-in (docs/HOSTING.md)")
            }
            say("Watching \(site.display(options.layout.content)), \(site.display(options.layout.templates)) and \(site.display(options.layout.plans)); press Ctrl-C to stop.")
            worker.watch()
            _ = try? await running.value
            outcome.fail("the server stopped")
            done.signal()
        }
        done.wait()
        sessions.removeAll()
        if let failure = outcome.failure { throw ServeFailure(description: failure) }
    }

    /// An IPv4 or IPv6 address to listen on; `localhost` is 127.0.0.1.
    static func socketAddress(host: String, port: UInt16) throws(ServeFailure) -> any SocketAddress {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare == "localhost", let address = try? sockaddr_in.inet(ip4: "127.0.0.1", port: port) { return address }
        if let address = try? sockaddr_in.inet(ip4: bare, port: port) { return address }
        if let address = try? sockaddr_in6.inet6(ip6: bare, port: port) { return address }
        throw ServeFailure(description: "--host \(host) is not an IP address; give one of this machine's, like 127.0.0.1 (the default), 0.0.0.0 or 192.168.1.20")
    }

    private static func port(of address: Socket.Address) -> UInt16? {
        switch address {
        case .ip4(_, let port), .ip6(_, let port): port
        case .unix: nil
        }
    }

    /// Ctrl-C and SIGTERM remove the previews' private folder before the process ends.
    private static func stopCleanly(removing sessions: PreviewSessions) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                sessions.removeAll()
                exit(0)
            }
            source.resume()
            Self.signalSources.append(source)
        }
    }

    nonisolated(unsafe) private static var signalSources: [any DispatchSourceSignal] = []

    /// A build as `handout build --watch` reports it.
    static func report(_ build: HandoutSite.Build, patients: [String], output: String,
                       say: (String) -> Void, complain: (String) -> Void) {
        for diagnostic in build.diagnostics { complain(diagnostic.description) }
        if let blocked = build.blockedSummary { complain(blocked) }
        switch build.outcome {
        case .built where !build.diagnostics.contains(where: { $0.severity == .error }):
            let rebuilt = build.rendered.isEmpty ? "no patient changed"
                : build.rendered.count <= 5 ? "rebuilt " + build.rendered.sorted().joined(separator: ", ")
                : "rebuilt \(build.rendered.count) patients"
            say("Built: \(rebuilt); \(build.files) file\(build.files == 1 ? "" : "s") written to \(output)")
        default:
            complain(build.summary)
        }
    }

    private final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var text: String?
        func fail(_ reason: String) { lock.withLock { if text == nil { text = reason } } }
        var failure: String? { lock.withLock { text } }
    }
}

/// Every request: the host checked, then the site's pages (with the reload script) or
/// `serve`'s own paths under `/_handout/`.
struct ServeHandler: HTTPHandler {
    let guarding: RequestGuard
    let output: ServedFiles
    let pages: SitePages
    let editor: Editor

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard guarding.allows(host: request.headers[.host]) else {
            return Headers.text(.misdirectedRequest, "This server does not answer to that name; open it by the address it printed.")
        }
        let path = request.target.path()
        guard path.hasPrefix("/") else { return Headers.text(.badRequest, "Ask for a path, like /index.html.") }
        if path.hasPrefix("/_handout/") {
            return await editor.handle(request, path: String(path.dropFirst("/_handout/".count)))
        }
        guard request.method == .GET || request.method == .HEAD else {
            return Headers.text(.methodNotAllowed, "Pages are only read here.")
        }
        return pages.serve(path, from: output, reloading: true)
    }
}
