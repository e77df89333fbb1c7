import Foundation
import Testing
@testable import HandoutServe

@Suite struct ServedFilesTests {
    /// An output folder as a build leaves it, with a secret beside it and a link out of it.
    func folder() throws -> (ServedFiles, URL) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("served-\(UUID().uuidString)")
        let output = base.appendingPathComponent("Output")
        for (path, text) in ["index.html": "home", "patients/p-1/index.html": "handout", "patients/p-1/calendar.ics": "ics",
                             ".handout-manifest": "manifest", ".handout-output": "", "assets/site.css": "css",
                             "schema/plan.schema.json": "{}", "notes/plan.yaml": "patient: x", "empty/readme.txt": "",
                             "../secret.txt": "secret"] {
            let url = output.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try FileManager.default.createSymbolicLink(atPath: output.appendingPathComponent("assets/leak.txt").path,
                                                   withDestinationPath: base.appendingPathComponent("secret.txt").path)
        try FileManager.default.createSymbolicLink(atPath: output.appendingPathComponent("patients/p-2").path,
                                                   withDestinationPath: output.appendingPathComponent("patients/p-1").path)
        return (ServedFiles(root: output), output)
    }

    @Test func servesTheOutputsFilesAndFolderPages() throws {
        let (files, output) = try folder()
        let real = URL(fileURLWithPath: ServedFiles.realPath(output.path)!)
        #expect(files.answer("/") == .file(real.appendingPathComponent("index.html"), path: "index.html"))
        #expect(files.answer("/patients/p-1/") == .file(real.appendingPathComponent("patients/p-1/index.html"), path: "patients/p-1/index.html"))
        #expect(files.answer("/patients/p-1") == .redirect("p-1/"))
        #expect(files.answer("/patients/p-1/calendar.ics") == .file(real.appendingPathComponent("patients/p-1/calendar.ics"), path: "patients/p-1/calendar.ics"))
        #expect(files.answer("/schema/plan.schema.json") != .notFound)
        // A link that stays inside the output is followed.
        #expect(files.answer("/patients/p-2/index.html") == .file(real.appendingPathComponent("patients/p-1/index.html"), path: "patients/p-2/index.html"))
    }

    @Test func refusesHiddenFilesPlanYAMLListingsAndEveryWayOut() throws {
        let (files, _) = try folder()
        for path in ["/.handout-manifest", "/.handout-output", "/patients/../../secret.txt", "/patients/%2e%2e/%2e%2e/secret.txt",
                     "/..%2Fsecret.txt", "/patients%2Fp-1/index.html", "/assets/leak.txt", "/notes/plan.yaml", "/notes/PLAN.YML",
                     "/empty/", "/patients//p-1/index.html", "/patients/p-1/index.html%00.css", "/assets\\..\\..\\secret.txt",
                     "/missing.html", "/%ZZ"] {
            #expect(files.answer(path) == .notFound, "\(path)")
        }
    }

    @Test func typesAsHostingSaysThem() {
        #expect(ServedFiles.contentType(of: "a/index.html") == "text/html; charset=utf-8")
        #expect(ServedFiles.contentType(of: "assets/site.css") == "text/css; charset=utf-8")
        #expect(ServedFiles.contentType(of: "assets/filter.js") == "text/javascript; charset=utf-8")
        #expect(ServedFiles.contentType(of: "assets/images/x.svg") == "image/svg+xml")
        #expect(ServedFiles.contentType(of: "assets/images/x.JPG") == "image/jpeg")
        #expect(ServedFiles.contentType(of: "patients/p-1/calendar.ics") == "text/calendar; charset=utf-8")
        #expect(ServedFiles.contentType(of: "odd") == "application/octet-stream")
    }
}
