import FlyingFox
import Foundation

/// The headers of docs/HOSTING.md on everything `serve` sends, and the responses it builds.
enum Headers {
    /// The site's own policy, as every built page carries it in a `<meta>`.
    static let pagePolicy = "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'"

    /// The editor's pages may also ask this server for JSON (`connect-src`), show the
    /// preview (`frame-src`) and send a form to it (`form-action`); nothing else.
    static let editorPolicy = "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
        + "frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// `frame-ancestors 'self'` lets the editor show a draft's pages beside its form.
    static func policy(framedByEditor: Bool) -> String {
        pagePolicy + "; frame-ancestors " + (framedByEditor ? "'self'" : "'none'")
    }

    static func common(policy: String, referrer: String = "no-referrer") -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers[HTTPHeader("Content-Security-Policy")] = policy
        headers[HTTPHeader("X-Robots-Tag")] = "noindex, nofollow"
        headers[HTTPHeader("Referrer-Policy")] = referrer
        headers[HTTPHeader("X-Content-Type-Options")] = "nosniff"
        // A preview is never kept: a reload must fetch the page as it is now.
        headers[HTTPHeader("Cache-Control")] = "no-store"
        return headers
    }

    static func response(_ status: HTTPStatusCode, type: String, body: Data, policy: String = policy(framedByEditor: false),
                         referrer: String = "no-referrer", closing: Bool = false) -> HTTPResponse {
        var headers = common(policy: policy, referrer: referrer)
        headers[.contentType] = type
        if closing { headers[.connection] = "close" }
        return HTTPResponse(statusCode: status, headers: headers, body: body)
    }

    static func text(_ status: HTTPStatusCode, _ text: String, closing: Bool = false) -> HTTPResponse {
        response(status, type: "text/plain; charset=utf-8", body: Data((text + "\n").utf8), closing: closing)
    }

    static func html(_ status: HTTPStatusCode, _ html: String, policy: String = policy(framedByEditor: false),
                     referrer: String = "no-referrer") -> HTTPResponse {
        response(status, type: "text/html; charset=utf-8", body: Data(html.utf8), policy: policy, referrer: referrer)
    }

    /// The editor's answers: JSON, never framed, never cached.
    static func json(_ status: HTTPStatusCode, _ value: some Encodable) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return response(status, type: "application/json", body: body, policy: "default-src 'none'; frame-ancestors 'none'")
    }
}
