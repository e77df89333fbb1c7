import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which file of a served folder (the site's output, or a draft's scratch output) a request
/// path names, by the rules of docs/HOSTING.md: no listing, no hidden file (the build's marker,
/// manifest and lock), no plan YAML, nothing outside the folder, even through a link.
struct ServedFiles: Sendable {
    let root: URL

    enum Answer: Equatable {
        /// The file, and its path inside the folder (`patients/p-0143/index.html`).
        case file(URL, path: String)
        /// A folder asked for without its slash: its relative links need one.
        case redirect(String)
        case notFound
    }

    /// `path` is the request's path as sent, still percent-encoded, after the folder's own prefix.
    func answer(_ path: String) -> Answer {
        guard let segments = Self.segments(path) else { return .notFound }
        let relative = segments.joined(separator: "/")
        guard let base = Self.realPath(root.path) else { return .notFound }
        let candidate = relative.isEmpty ? base : base + "/" + relative
        var info = stat()
        guard stat(candidate, &info) == 0 else { return .notFound }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            if !relative.isEmpty, !path.hasSuffix("/") { return .redirect((segments.last ?? "") + "/") }
            return answer(relative.isEmpty ? "index.html" : relative + "/index.html")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG, let real = Self.realPath(candidate), real.hasPrefix(base + "/") else {
            return .notFound
        }
        return .file(URL(fileURLWithPath: real), path: relative)
    }

    /// The decoded segments of a path; nil when any is hidden, `.` or `..`, holds a slash, a
    /// backslash or NUL once decoded, or is plan YAML.
    static func segments(_ path: String) -> [String]? {
        var result: [String] = []
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        for (i, part) in parts.enumerated() {
            if part.isEmpty {
                // Only the leading slash and a folder's trailing one are empty.
                if i == 0 || i == parts.count - 1 { continue }
                return nil
            }
            guard let decoded = part.removingPercentEncoding, !decoded.isEmpty, !decoded.hasPrefix("."),
                  !decoded.contains("/"), !decoded.contains("\\"), !decoded.contains("\0") else { return nil }
            result.append(decoded)
        }
        if let last = result.last?.lowercased(), last.hasSuffix(".yaml") || last.hasSuffix(".yml") { return nil }
        return result
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `Content-Type` by extension, as docs/HOSTING.md lists them.
    static func contentType(of path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "json": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "ics": "text/calendar; charset=utf-8"
        case "txt", "md": "text/plain; charset=utf-8"
        case "pdf": "application/pdf"
        default: "application/octet-stream"
        }
    }
}
