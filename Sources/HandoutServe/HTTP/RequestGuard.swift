import Foundation

/// Who may ask what. Every request must name this server in its `Host` header (a page of
/// another site that points its own name at this address, DNS rebinding, gets nothing); every
/// request that writes must come from one of this server's own origins (`Origin`, else
/// `Referer`) and carry the token the editor's pages hold. A page of another site can send a
/// form or a `fetch` here, but it can neither name this origin nor read the token.
struct RequestGuard: Sendable {
    /// `host:port` as browsers send it in `Host`, lowercase.
    let hosts: Set<String>
    /// `scheme://host[:port]`, as browsers send it in `Origin`, lowercase, default ports left out.
    let origins: Set<String>
    let token: String

    /// The names a server bound to `host:port` answers to: the address itself (for a wildcard
    /// address only the loopback names), the loopback names when it listens there, and the
    /// origins a proxy in front of it serves it under (`--origin https://intranet.example.org`).
    init(host: String, port: Int, publicOrigins: [String], token: String) {
        self.token = token
        var names: [String] = []
        let wildcard = ["0.0.0.0", "::", "[::]"].contains(host)
        if wildcard || Self.loopback.contains(host) { names += ["127.0.0.1", "localhost", "[::1]"] }
        if !wildcard { names.append(host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host) }
        var hosts = Set<String>(), origins = Set<String>()
        for name in names {
            hosts.insert("\(name):\(port)".lowercased())
            if port == 80 { hosts.insert(name.lowercased()) }
            origins.insert(Self.origin(scheme: "http", host: name, port: port))
        }
        for text in publicOrigins {
            guard let origin = Self.origin(of: text), let url = URL(string: origin), let name = url.host else { continue }
            origins.insert(origin)
            let bracketed = name.contains(":") ? "[\(name)]" : name
            hosts.insert((bracketed + (url.port.map { ":\($0)" } ?? "")).lowercased())
            if url.port == nil { hosts.insert("\(bracketed):\(url.scheme == "https" ? 443 : 80)".lowercased()) }
        }
        self.hosts = hosts
        self.origins = origins
    }

    static let loopback: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]"]

    /// Whether the request names this server.
    func allows(host: String?) -> Bool {
        guard let host else { return false }
        return hosts.contains(host.lowercased())
    }

    /// Why a request that writes is refused (403), or nil when it may go on.
    func refusal(origin: String?, referer: String?, token given: String?) -> String? {
        let from: String?
        if let origin, origin != "null" {
            from = Self.origin(of: origin)
        } else if origin == nil, let referer {
            from = Self.origin(of: referer)
        } else {
            from = nil
        }
        guard let from, origins.contains(from) else {
            return "refused: a change must come from this server's own pages"
        }
        guard let given, Self.same(given, token) else {
            return "refused: the page that sent this is out of date or not this server's; reload it and try again"
        }
        return nil
    }

    /// `scheme://host[:port]` of a URL or origin, lowercase, without a default port; nil when it has none.
    static func origin(of text: String) -> String? {
        guard let url = URL(string: text.trimmingCharacters(in: .whitespaces)), let scheme = url.scheme?.lowercased(),
              ["http", "https"].contains(scheme), let host = url.host, !host.isEmpty else { return nil }
        return origin(scheme: scheme, host: host, port: url.port)
    }

    private static func origin(scheme: String, host: String, port: Int?) -> String {
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let name = bare.contains(":") ? "[\(bare)]" : bare
        let defaultPort = scheme == "https" ? 443 : 80
        return "\(scheme)://\(name)\(port.map { $0 == defaultPort ? "" : ":\($0)" } ?? "")".lowercased()
    }

    /// Compares in time that does not depend on where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// 32 random bytes as hex, from the system's secure generator.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
