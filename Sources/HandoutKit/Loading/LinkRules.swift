/// Where a Markdown link may point, in content files and plan notes alike: a page must work
/// when printed, saved or moved, and never run script. So a link is a full web address,
/// `mailto:`, `tel:`, or a content file (`pages/safety.md`) that Handout turns into the
/// page's address.
enum LinkRules {
    enum Target: Equatable {
        /// `https://…`, `mailto:…`, `tel:…`: placed as written.
        case outside
        /// `pages/safety.md#top`: the site page `pages/safety.html#top`, once the file is known to exist.
        case content(kind: String, slug: String, sitePath: String)
    }

    static let contentKinds = ["exercises", "pages", "progressions"]

    /// What `url` points to, or the message saying why it cannot be a link.
    static func target(of url: String) -> Result<Target, Problem> {
        let scheme = url.prefix { $0 != ":" && $0 != "/" && $0 != "?" && $0 != "#" }
        if scheme.count < url.count, url[scheme.endIndex] == ":", !scheme.isEmpty {
            switch scheme.lowercased() {
            case "http", "https":
                let rest = url[url.index(after: scheme.endIndex)...]
                guard rest.hasPrefix("//"), rest.dropFirst(2).first.map({ $0 != "/" }) == true else {
                    return .failure(Problem("link '\(url)' has no host: write a full address like https://example.org/page"))
                }
                return .success(.outside)
            case "mailto", "tel":
                return .success(.outside)
            default:
                return .failure(Problem("link '\(url)' is not allowed: \(allowed)"))
            }
        }
        if url.hasPrefix("//") {
            return .failure(Problem("link '\(url)' has no scheme: write it in full, like https:\(url)"))
        }
        if url.hasPrefix("/") {
            return .failure(Problem("link '\(url)' is an absolute path, which breaks when the site moves: \(allowed)"))
        }
        if url.hasPrefix("#") || url.hasPrefix("?") || url.isEmpty {
            return .failure(Problem("link '\(url)' points to no page: \(allowed)"))
        }
        var path = Substring(url)
        if path.hasPrefix("../") { path = path.dropFirst(3) }
        let fragmentStart = path.firstIndex(of: "#") ?? path.endIndex
        let parts = path[..<fragmentStart].split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, contentKinds.contains(String(parts[0])), parts[1].hasSuffix(".md"),
           Slug.isValid(String(parts[1].dropLast(3))) {
            let slug = String(parts[1].dropLast(3))
            return .success(.content(kind: String(parts[0]), slug: slug, sitePath: "\(parts[0])/\(slug).html" + path[fragmentStart...]))
        }
        return .failure(Problem("link '\(url)' does not point to content: link to pages/<slug>.md, exercises/<slug>.md, progressions/<slug>.md or a full https:// address"))
    }

    /// A full `http(s)://` address as a page can place it: with a host, and without the
    /// characters an address may not hold as they are (spaces, quotes, `<`, `>`, ...).
    static func isWebAddress(_ text: String) -> Bool {
        guard case .success(.outside) = target(of: text), text.lowercased().hasPrefix("http") else { return false }
        return !text.unicodeScalars.contains { $0.value <= 0x20 || "\"<>\\^`{|}".unicodeScalars.contains($0) || TextRules.isForbidden($0) }
    }

    struct Problem: Error, Equatable {
        var message: String
        init(_ message: String) { self.message = message }
    }

    private static let allowed = "link to a full https:// address, mailto:, tel: or a content file like pages/safety.md"
}
