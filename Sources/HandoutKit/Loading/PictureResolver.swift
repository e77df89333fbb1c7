import Foundation

/// Checks that a picture path stays inside `Content/` and names a real picture file.
struct PictureResolver {
    static let extensions = ["svg", "png", "jpg", "jpeg", "gif", "webp"]

    var content: URL
    private let realContent: String

    init(content: URL) {
        self.content = content
        realContent = FileSystem.resolvedPath(content.path)
    }

    /// The normalized path relative to `Content/`, or the reason it is refused.
    func resolve(_ path: String) -> Result<String, PictureProblem> {
        if path.isEmpty { return .failure(.empty) }
        if path.hasPrefix("/") || path.hasPrefix("\\") || path.contains("://") || path.contains(":") {
            return .failure(.outside(path))
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty || $0.contains("\\") }) {
            return .failure(.outside(path))
        }
        let ext = (path as NSString).pathExtension.lowercased()
        guard Self.extensions.contains(ext) else { return .failure(.kind(path)) }
        let url = content.appendingPathComponent(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return .failure(.missing(path))
        }
        let real = FileSystem.resolvedPath(url.path)
        guard real.hasPrefix(realContent + "/") else { return .failure(.outside(path)) }
        return .success(path)
    }
}

enum PictureProblem: Error, Equatable {
    case empty, outside(String), kind(String), missing(String)

    var message: String {
        switch self {
        case .empty: "picture path is empty"
        case .outside(let p): "picture '\(p)' must be a path inside Content/, like images/side-plank.svg"
        case .kind(let p): "picture '\(p)' must be one of: " + PictureResolver.extensions.joined(separator: ", ")
        case .missing(let p): "picture '\(p)' does not exist in Content/"
        }
    }
}
