import Foundation
import Testing
@testable import HandoutKit

/// Issue 22, cases 11–13: files that should not be read, bombs, and plans that ask for
/// gigabytes. Each is refused with a positioned error naming the file and the limit, in
/// seconds, quoting nothing of the file but the offending word.
@Suite struct HostileFileTests {
    // 11
    @Test(.timeLimit(.minutes(1))) func aLinkOutOfItsFolderIsRefusedWithoutQuotingTheFile() throws {
        let site = try TestSite()
        let secret = site.url("secret")
        try Data("root:*:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n".utf8).write(to: secret)
        try FileManager.default.createSymbolicLink(atPath: site.url("Content/plans/leak.yaml").path, withDestinationPath: secret.path)
        try FileManager.default.createSymbolicLink(atPath: site.url("Content/plans/zero.yaml").path, withDestinationPath: "/dev/zero")
        try FileManager.default.createSymbolicLink(atPath: site.url("Content/pages/leak.md").path, withDestinationPath: secret.path)
        // A link that stays in its folder is an ordinary plan.
        try FileManager.default.createSymbolicLink(atPath: site.url("Content/plans/p-0002.yaml").path, withDestinationPath: "p-0001.yaml")
        let errors = site.errors()
        let refusal = "Handout reads only files inside their folder, so copy the file here instead of linking to it"
        #expect(errors == [
            "Content/pages/leak.md:1:1: error: cannot read this file: it is a link to \(secret.path), outside Content/pages; \(refusal)",
            "Content/plans/leak.yaml:1:1: error: cannot read this plan: it is a link to \(secret.path), outside Content/plans; \(refusal)",
            "Content/plans/zero.yaml:1:1: error: cannot read this plan: it is a link to /dev/zero, outside Content/plans; \(refusal)",
        ])
        #expect(!errors.joined().contains("root:"))
    }

    // 11
    @Test(.timeLimit(.minutes(1))) func aNamedPipeOrDeviceIsNeverOpenedForReading() throws {
        let site = try TestSite()
        #expect(mkfifo(site.url("Content/plans/pipe.yaml").path, 0o644) == 0)
        #expect(site.errors() == ["Content/plans/pipe.yaml:1:1: error: cannot read this plan: it is a named pipe (FIFO), not a file; Handout reads only files"])
        let build = site.build()
        #expect(build.report?.blocked == ["pipe"])
        #expect(throws: FileFault("read", "/dev/zero", refusal: "it is a device, not a file; Handout reads only files")) {
            try FileSystem.read("/dev/zero", limit: .plan)
        }
    }

    // 11
    @Test func everyKindOfInputHasASizeLimit() throws {
        let site = try TestSite()
        try site.write("Content/plans/big.yaml", "notes: |\n" + String(repeating: "  Rest.\n", count: 140_000))
        try site.write("Content/pages/big.md", "---\ntitle: Big\n---\n" + String(repeating: "Rest. ", count: 200_000))
        // A picture of 11 MB, all of it a hole in the file.
        let picture = site.url("Content/images/bridge.svg")
        let handle = try FileHandle(forWritingTo: picture)
        try handle.truncate(atOffset: 11 << 20)
        try handle.close()
        #expect(site.errors() == [
            "Content/images/bridge.svg:1:1: error: cannot read this picture: it is 11 MB; a picture may be at most 10 MB; pages show it, so it must be readable",
            "Content/pages/big.md:1:1: error: cannot read this file: it is 1.2 MB; a content file may be at most 1 MB",
            "Content/plans/big.yaml:1:1: error: cannot read this plan: it is 1.1 MB; a plan may be at most 1 MB",
        ])
    }

    // 12
    /// An alias is one error for its file, and is read as the text it is written as, never
    /// expanded: the file's other mistakes (here, keys a plan does not have) come in the same run.
    @Test(.timeLimit(.minutes(1))) func aliasBombsAndDeepNestingGiveOneErrorAtOnce() throws {
        let site = try TestSite()
        // Each level nine aliases of the one before: 9^9 values at the last.
        var nested = "patient: A\nstart: 2026-12-07\nweeks: 3\na: &a [x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i", "j"] {
            nested += "\(name): &\(name) [" + Array(repeating: "*" + previous, count: 9).joined(separator: ", ") + "]\n"
            previous = name
        }
        try site.write("Content/plans/nested.yaml", nested + "? *j\n: as a key too\n")
        try site.write("Content/plans/wide.yaml", "patient: A\ne: &e [1]\nx: [" + Array(repeating: "*e", count: 1000).joined(separator: ", ") + "]\n")
        try site.write("Content/plans/deep.yaml", "patient: A\n" + (0..<1400).map { String(repeating: " ", count: $0) + "k\($0):\n" }.joined())
        try site.write("Content/plans/brackets.yaml", "patient: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n")
        try site.write("Content/exercises/alias.md", "---\ntitle: &t Bridge\nimage_alt: *t\n---\n## Setup\nA\n## Movement\nB\n")
        let alias = "error: a YAML alias (*name) repeats a value written elsewhere in the file; Handout does not expand aliases: write the value out here (a protocol can hold what several plans share), and put text that starts with * in quotes"
        let deep = "error: values are nested more than 32 levels deep here; Handout files need only a few levels, so check the indentation (each level is two spaces further in) and the brackets"
        let errors = site.errors()
        #expect(errors == [
            "Content/exercises/alias.md:3:12: \(alias)",
            "Content/plans/brackets.yaml:1:41: \(deep)",
            "Content/plans/deep.yaml:34:33: \(deep)",
        ] + (["a", "b"].enumerated().map { "Content/plans/nested.yaml:\($0.offset + 4):1: error: unknown key '\($0.element)'" }) + [
            "Content/plans/nested.yaml:5:8: \(alias) (this file has 82 aliases)",
        ] + (["c", "d", "e", "f", "g", "h", "i", "j"].enumerated().map { "Content/plans/nested.yaml:\($0.offset + 6):1: error: unknown key '\($0.element)'" }) + [
            "Content/plans/nested.yaml:14:3: error: unknown key '*j'",
            "Content/plans/wide.yaml:1:1: error: missing required field 'start', like 'start: 2026-12-07'",
            "Content/plans/wide.yaml:1:1: error: missing required field 'weeks', like 'weeks: 6' (or use a protocol that sets it)",
            "Content/plans/wide.yaml:2:1: error: unknown key 'e'",
            "Content/plans/wide.yaml:3:1: error: unknown key 'x'",
            "Content/plans/wide.yaml:3:5: \(alias) (this file has 1000 aliases)",
        ])
        #expect(!errors.joined().contains("yaml_set_max_nest_level"))
    }

    // 13
    @Test(.timeLimit(.minutes(1))) func aPlanCannotAskForGigabytesOfPages() throws {
        let site = try TestSite()
        try site.write("Content/plans/many.yaml", "patient: A\nstart: 2026-12-07\nweeks: 8\nexercises:\n"
                       + (0..<10_000).map { "  - { exercise: bridge, sets: \($0 % 100 + 1) }\n" }.joined())
        try site.write("Content/plans/long.yaml", "patient: A\nstart: 2026-12-07\nweeks: 52\nexercises:\n"
                       + (1...45).map { "  - { exercise: bridge, sets: \($0) }\n" }.joined())
        try site.write("Content/progressions/long-stage.md", progressionWith(stages: """
              - intervals: [\((0..<60_000).map { _ in "walk 1 min" }.joined(separator: ", "))]
            """))
        try site.write("Content/plans/p-0001.yaml", planWith(["therapist: Sam Lee, PT": "therapist: " + String(repeating: "Sam ", count: 60)]))
        let errors = site.errors()
        #expect(errors.contains("Content/plans/many.yaml:55:5: error: a plan or protocol may list at most 50 exercises; this is number 51 of 10000 (a handout that long is not read; split the plan)"))
        #expect(errors.contains("Content/plans/long.yaml:3:8: error: 52 weeks of 45 things to do make a calendar of 2340 week rows; it may hold at most 2000: fewer weeks or fewer exercises (a new plan can follow this one)"))
        #expect(errors.contains("Content/progressions/long-stage.md:7:161: error: a stage may list at most 12 segments and settings; this is number 13 of 60000 (make it several stages)"))
        #expect(errors.contains("Content/plans/p-0001.yaml:2:12: error: therapist is 239 characters long; it may be at most 200, as it prints on every page or calendar day"))
        #expect(site.build().report?.patients == nil, "nothing is rendered: the progression stops the build")
    }

    // 13
    @Test func picturesAreWhatTheirNamesSay() throws {
        let site = try TestSite()
        try Data(count: 100).write(to: site.url("Content/images/zeros.png"))
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]).write(to: site.url("Content/images/photo.jpg"))
        try site.write("Content/exercises/bridge.md", try site.read("Content/exercises/bridge.md").replacingOccurrences(of: "images/bridge.svg", with: "images/zeros.png"))
        try site.write("Content/exercises/clamshell.md", try site.read("Content/exercises/clamshell.md")
            .replacingOccurrences(of: "images/clamshell.svg", with: "images/photo.jpg"))
        #expect(site.errors() == [
            "Content/images/photo.jpg:1:1: error: this picture is not a JPEG file: it is a PNG file; rename it to .png",
            "Content/images/zeros.png:1:1: error: this picture is not a PNG file: its content is not a picture of any kind Handout knows (damaged, or another kind of file renamed?)",
        ])
    }

    // 13
    @Test func anSVGPictureOnlyDraws() throws {
        let fix = "; save it as a plain drawing (in Inkscape: File > Save As > Optimized SVG or Plain SVG, without scripts, links or embedded pictures), or export it as PNG"
        let open = #"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">"#
        let cases: [(String, String, Int)] = [
            (open + "\n<script>alert(1)</script></svg>", "this SVG picture holds <script>, which is not a drawing element (only shapes, text, gradients and filters are copied to the site)", 2),
            (open + "<rect onload=\"alert(1)\" width=\"1\" height=\"1\"/></svg>", "this SVG picture has the event handler onload on <rect>, which runs a script", 1),
            (open + "<a xlink:href=\"javascript:alert(1)\"><rect/></a></svg>", "this SVG picture links to 'javascript:alert(1)' from <a>; a picture may only link inside itself (#id)", 1),
            (open + "<image href=\"https://tracker.example/p.png\"/></svg>", "this SVG picture holds <image>, which is not a drawing element (only shapes, text, gradients and filters are copied to the site)", 1),
            (open + "<foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></foreignObject></svg>", "this SVG picture holds <foreignObject>, which is not a drawing element (only shapes, text, gradients and filters are copied to the site)", 1),
            (open + "<rect style=\"fill: url(https://tracker.example/x)\"/></svg>", "this SVG picture's style on <rect> loads 'fill: url(https://tracker.example/x)'; a picture may only refer inside itself (url(#id))", 1),
            (open + "<style>@import url(x.css);</style></svg>", "this SVG picture's <style> loads something from outside it (url(), @import)", 1),
            ("<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\">]>\n" + open + "</svg>", "this SVG picture has a DOCTYPE, whose entities can make the file expand without end; delete it, or save it as a plain drawing (in Inkscape: File > Save As > Optimized SVG or Plain SVG, without scripts, links or embedded pictures), or export it as PNG", 2),
        ]
        for (svg, message, line) in cases {
            let problem = PictureCheck.problem(Data(svg.utf8), path: "images/x.svg")
            let expected = message.hasPrefix("this SVG picture has a DOCTYPE") ? message : message + fix
            #expect(problem?.message == expected)
            #expect(problem?.line == line)
        }
        // What drawing programs write, gradients, Inkscape's own elements and inner links included, passes.
        let drawing = open + #"<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>"#
            + ##"<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>"##
            + #"<sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"/>"#
            + ##"<rect fill="url(#g)" width="5" height="5"/><use xlink:href="#g"/><style>.a{fill:url(#g)}</style></svg>"##
        #expect(PictureCheck.problem(Data(drawing.utf8), path: "images/x.svg") == nil)
        // Every picture Handout ships passes.
        let images = TestSite.repository.appendingPathComponent("Content/images")
        for name in try FileManager.default.contentsOfDirectory(atPath: images.path) {
            let data = try Data(contentsOf: images.appendingPathComponent(name))
            #expect(PictureCheck.problem(data, path: "images/" + name) == nil, "\(name)")
        }
    }

    // 15
    @Test func bidirectionalControlsAreRefusedWhereverTheyCouldReorderPrintedText() throws {
        let site = try TestSite()
        try site.write("Content/exercises/bridge.md", try site.read("Content/exercises/bridge.md")
            .replacingOccurrences(of: "title: Bridge", with: "title: Bridge\nvideo: \"https://videos.example.org/\\u202Egnp.exe\""))
        try site.write("Content/plans/p-0001.yaml", planWith(["sets: 2": "sets: 2\n    note: Do 1\u{2067}0 reps"]))
        #expect(site.errors() == [
            "Content/exercises/bridge.md:3:8: error: video contains the bidirectional control RIGHT-TO-LEFT OVERRIDE (U+202E), which makes text print in another order than it is written; remove it",
            "Content/plans/p-0001.yaml:8:15: error: text contains the bidirectional control RIGHT-TO-LEFT ISOLATE (U+2067), which makes text print in another order than it is written; remove it",
        ])
    }

    /// A forbidden character is reported, and the file is read on: its other mistakes come in the same run.
    @Test func aForbiddenCharacterHidesNoOtherMistake() throws {
        let site = try TestSite()
        try site.write("Content/plans/p-0001.yaml", planWith(["Alex Example": "Ali\u{202E}ecnarT", "exercise: bridge": "exercise: bridgee", "sets: 2": "sets: 2\n    weekly: 9"]))
        #expect(site.errors() == [
            "Content/plans/p-0001.yaml:1:13: error: text contains the bidirectional control RIGHT-TO-LEFT OVERRIDE (U+202E), which makes text print in another order than it is written; remove it",
            "Content/plans/p-0001.yaml:6:15: error: unknown exercise 'bridgee'; did you mean 'bridge'?",
            "Content/plans/p-0001.yaml:8:13: error: weekly must be from 1 to 7; found 9",
        ])
    }

    // 15
    @Test func aLanguageWithALineEndIsNotALanguage() throws {
        let site = try TestSite()
        try site.write("Content/plans/p-0001.yaml", planWith([:], adding: "language: \"en\\n\"\n"))
        #expect(site.errors() == [
            "Content/plans/p-0001.yaml:9:11: error: language must be a language code like en, es or zh-hans; found 'en\\n'",
        ])
        #expect(LanguageTag.isValid("zh-hans") && LanguageTag.isValid("es-419") && !LanguageTag.isValid("en\n") && !LanguageTag.isValid("e"))
    }
}
