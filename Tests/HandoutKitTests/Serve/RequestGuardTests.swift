import Testing
@testable import HandoutServe

@Suite struct RequestGuardTests {
    let loopback = RequestGuard(host: "127.0.0.1", port: 8080, publicOrigins: [], token: "secret-token")

    @Test func answersOnlyToItsOwnNames() {
        for host in ["127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080", "[::1]:8080"] {
            #expect(loopback.allows(host: host), "\(host)")
        }
        // A page of another site that points its own name at this address (DNS rebinding).
        for host in ["evil.example:8080", "127.0.0.1:9090", "127.0.0.1", "", "localhost.evil.example:8080"] {
            #expect(!loopback.allows(host: host), "\(host)")
        }
        #expect(!loopback.allows(host: nil))
    }

    @Test func aWriteNeedsThisOriginAndTheToken() {
        #expect(loopback.refusal(origin: "http://127.0.0.1:8080", referer: nil, token: "secret-token") == nil)
        #expect(loopback.refusal(origin: "http://localhost:8080", referer: nil, token: "secret-token") == nil)
        // Without Origin, the Referer's origin counts.
        #expect(loopback.refusal(origin: nil, referer: "http://127.0.0.1:8080/_handout/editor/plan?id=p-1", token: "secret-token") == nil)
        let elsewhere = "refused: a change must come from this server's own pages"
        #expect(loopback.refusal(origin: "http://evil.example", referer: nil, token: "secret-token") == elsewhere)
        #expect(loopback.refusal(origin: "http://127.0.0.1:9090", referer: nil, token: "secret-token") == elsewhere)
        #expect(loopback.refusal(origin: "https://127.0.0.1:8080", referer: nil, token: "secret-token") == elsewhere)
        // A sandboxed frame or a no-referrer form sends "null": never this server's page.
        #expect(loopback.refusal(origin: "null", referer: "http://127.0.0.1:8080/", token: "secret-token") == elsewhere)
        #expect(loopback.refusal(origin: nil, referer: nil, token: "secret-token") == elsewhere)
        #expect(loopback.refusal(origin: nil, referer: "http://evil.example/page", token: "secret-token") == elsewhere)
        let token = "refused: the page that sent this is out of date or not this server's; reload it and try again"
        #expect(loopback.refusal(origin: "http://127.0.0.1:8080", referer: nil, token: nil) == token)
        #expect(loopback.refusal(origin: "http://127.0.0.1:8080", referer: nil, token: "secret-tokeN") == token)
        #expect(loopback.refusal(origin: "http://127.0.0.1:8080", referer: nil, token: "secret") == token)
    }

    @Test func behindAProxyItsPublicOriginCounts() {
        let proxied = RequestGuard(host: "127.0.0.1", port: 8080, publicOrigins: ["https://intranet.example.org/"], token: "t")
        #expect(proxied.allows(host: "intranet.example.org"))
        #expect(proxied.allows(host: "intranet.example.org:443"))
        #expect(proxied.allows(host: "127.0.0.1:8080"))
        #expect(!proxied.allows(host: "intranet.example.org:8443"))
        #expect(proxied.refusal(origin: "https://intranet.example.org", referer: nil, token: "t") == nil)
        #expect(proxied.refusal(origin: "https://INTRANET.example.org:443", referer: nil, token: "t") == nil)
        #expect(proxied.refusal(origin: "http://intranet.example.org", referer: nil, token: "t") != nil)
    }

    @Test func aWildcardAddressAnswersToLoopbackAndItsOriginsOnly() {
        let everywhere = RequestGuard(host: "0.0.0.0", port: 8080, publicOrigins: ["http://clinic-pc:8080"], token: "t")
        #expect(everywhere.allows(host: "127.0.0.1:8080"))
        #expect(everywhere.allows(host: "clinic-pc:8080"))
        #expect(!everywhere.allows(host: "0.0.0.0:8080"))
        #expect(!everywhere.allows(host: "192.168.1.20:8080"))
        let lan = RequestGuard(host: "192.168.1.20", port: 8080, publicOrigins: [], token: "t")
        #expect(lan.allows(host: "192.168.1.20:8080") && !lan.allows(host: "localhost:8080"))
        let six = RequestGuard(host: "fd00::20", port: 8080, publicOrigins: [], token: "t")
        #expect(six.allows(host: "[fd00::20]:8080"))
        #expect(six.refusal(origin: "http://[fd00::20]:8080", referer: nil, token: "t") == nil)
    }

    @Test func tokensAreLongAndComparedWhole() {
        let a = RequestGuard.newToken(), b = RequestGuard.newToken()
        #expect(a.count == 64 && a != b && a.allSatisfy(\.isHexDigit))
        #expect(RequestGuard.same("abc", "abc") && !RequestGuard.same("abc", "abd") && !RequestGuard.same("abc", "abcd"))
        #expect(RequestGuard.origin(of: "HTTP://Example.org:80/x?y") == "http://example.org")
        #expect(RequestGuard.origin(of: "javascript:alert(1)") == nil)
        #expect(RequestGuard.origin(of: "file:///etc/passwd") == nil)
    }
}
