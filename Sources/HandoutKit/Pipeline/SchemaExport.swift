import Foundation

/// `handout schema`: writes the plan and protocol schemas into the output folder now, without
/// a build (every build writes them too, with the library pages).
public struct SchemaExport {
    var layout: SiteLayout
    var diagnostics: Diagnostics

    public init(layout: SiteLayout, diagnostics: Diagnostics) {
        self.layout = layout
        self.diagnostics = diagnostics
    }

    /// The files written, or nil when the content has errors or the folder is not Handout's.
    public func write() -> [URL]? {
        let here = SourceLocation(path: layout.display(layout.output), line: 0, column: 0)
        if let overlap = layout.overlap() {
            diagnostics.error(overlap + "; nothing was written", at: here)
            return nil
        }
        let library = ContentLoader(layout: layout, diagnostics: diagnostics).load()
        if diagnostics.hasErrors { return nil }
        let folder = OutputFolder(url: layout.output)
        do {
            // Only into a folder Handout owns (or a new one, marked as Handout's), as a build would.
            try folder.checkOwnership()
            let marker = layout.output.appendingPathComponent(OutputFolder.markerName)
            if !FileManager.default.fileExists(atPath: marker.path) {
                try FileManager.default.createDirectory(at: layout.output, withIntermediateDirectories: true)
                try Data(OutputFolder.markerText.utf8).write(to: marker)
            }
            return try PlanSchema.files(for: library).map { file in
                let url = layout.output.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.data.write(to: url, options: .atomic)
                return url
            }
        } catch let problem as OutputFolder.Problem {
            diagnostics.error(problem.description, at: here)
            return nil
        } catch {
            diagnostics.error("cannot write the schema: \(FileFault("write", layout.display(layout.output), error: error).reason)", at: here)
            return nil
        }
    }

    /// The `$schema` path a plan file in the plans folder uses: relative when the two share a
    /// folder up the tree, so the site can move; absolute otherwise.
    public static func reference(fromPlansIn plans: URL, output: URL) -> String {
        let from = plans.standardizedFileURL.pathComponents
        let to = output.appendingPathComponent(PlanSchema.planPath).standardizedFileURL.pathComponents
        let shared = zip(from, to).prefix { $0 == $1 }.count
        guard shared > 1 else { return output.appendingPathComponent(PlanSchema.planPath).standardizedFileURL.path }
        return (Array(repeating: "..", count: from.count - shared) + to[shared...]).joined(separator: "/")
    }
}
