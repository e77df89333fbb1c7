import Foundation
import Testing
@testable import HandoutKit

/// SplitMix64: a small seeded generator, so every fuzz run can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutations of the kinds that break parsers: truncation, byte flips, deleted and repeated
/// lines, wrong types, huge values, deep nesting, odd Unicode.
enum Mutator {
    static let snippets = [
        "[]", "{}", "~", "null", "- ", ": ", "{ a: [b, { c: d }] }", "99999999999999999999", "-1", "0", "1e309",
        "0.0000001", String(repeating: "[", count: 300), String(repeating: "{a: ", count: 200), "\u{202E}evil", "\u{0}",
        "💥", "\u{FEFF}", "&anchor", "*alias", "!!binary aGk=", "!custom x", "\t", "'", "\"", "|", ">", "---", "...",
        "%YAML 1.2", "? complex", "<script>alert(1)</script>", "run fast", "walk 1 min", "2026-02-30", "mon", "wendesday",
        "exercise: bridge", "sets: three", "weekly: 9", "ladder: { start: [run 1 min], step: run +0 min, until: run 2 min }",
        "every: 0 days", "repeat: 0-0", String(repeating: "x", count: 5000),
        // Control characters, typed and escaped, and a frame stand-in as YAML once let it be spelled.
        "\u{1B}[2J", "\u{7}", "\r", "\u{85}", "\u{FFFE}", "\"\\0hnote\\0\"", "\"\\e]0;x\\a\"", "\"a\\rb\"", "\"\\x7f\"",
        // Link schemes and paths, for notes and Markdown bodies.
        "[x](javascript:alert(1))", "[x](data:text/html,hi)", "[x](//host/x)", "[x](/abs)", "[x](#top)", "[x](other.html)",
        "![t](https://tracker.example/p.png)", "[x](pages/safety.md)", "[x](pages/nope.md)", "[x](mailto:a@b.c)",
        "[x](tel:555)", "[x](https://clinic.example)", "<javascript:alert(1)>",
    ]

    static func mutate(_ text: String, using rng: inout SeededGenerator) -> [UInt8] {
        var bytes = Array(text.utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0...Int.random(in: 0...2, using: &rng) {
            switch Int.random(in: 0..<8, using: &rng) {
            case 0 where !bytes.isEmpty:
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
                lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                continue
            case 1 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                return bytes
            case 2 where !lines.isEmpty:
                lines.remove(at: Int.random(in: 0..<lines.count, using: &rng))
            case 3 where !lines.isEmpty:
                let i = Int.random(in: 0..<lines.count, using: &rng)
                lines.insert(lines[i], at: i)
            case 4 where !lines.isEmpty:
                let i = Int.random(in: 0..<lines.count, using: &rng)
                if let colon = lines[i].firstIndex(of: ":") {
                    lines[i] = String(lines[i][...colon]) + " " + snippets.randomElement(using: &rng)!
                }
            case 5:
                let i = Int.random(in: 0...lines.count, using: &rng)
                lines.insert(snippets.randomElement(using: &rng)!, at: i)
            case 6 where lines.count > 1:
                lines.swapAt(Int.random(in: 0..<lines.count, using: &rng), Int.random(in: 0..<lines.count, using: &rng))
            default:
                let i = Int.random(in: 0...lines.count, using: &rng)
                lines.insert(String(repeating: "  ", count: Int.random(in: 0...40, using: &rng)) + "- x", at: i)
            }
            bytes = Array(lines.joined(separator: "\n").utf8)
        }
        return bytes
    }
}

/// Bounded, seeded fuzzing of plans and content: no crash, no hang, and every failure is a
/// positioned diagnostic in the file that was mutated. `HANDOUT_FUZZ_ITERATIONS` and
/// `HANDOUT_FUZZ_SEED` make it run longer or replay a run (see docs/TESTING.md).
@Suite(.serialized) struct FuzzTests {
    static var iterations: Int { Int(ProcessInfo.processInfo.environment["HANDOUT_FUZZ_ITERATIONS"] ?? "") ?? 3000 }
    static var seed: UInt64 { UInt64(ProcessInfo.processInfo.environment["HANDOUT_FUZZ_SEED"] ?? "") ?? 20261128 }

    /// Checks one run's diagnostics: positioned, and only in the mutated file.
    func expectPositioned(_ diagnostics: Diagnostics, path: String, input: [UInt8]) {
        for diagnostic in diagnostics.all where diagnostic.severity == .error {
            let ok = diagnostic.location.path == path && diagnostic.location.line >= 1 && diagnostic.location.column >= 1
            #expect(ok, "\(diagnostic) for input \(String(decoding: input, as: UTF8.self).debugDescription)")
        }
    }

    /// What no accepted input may produce: a control character (CRLF ends .ics lines), a
    /// script or empty link, or anything loaded from outside.
    func expectSafe(_ text: String, in path: String, input: [UInt8]) {
        let described = String(decoding: input, as: UTF8.self).debugDescription
        let lines = path.hasSuffix(".ics") ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
        #expect(!lines.unicodeScalars.contains(where: TextRules.isForbidden), "\(path) for input \(described)")
        for unsafe in ["href=\"\"", "href=\"javascript", "href=\"data:", "href=\"//", "href=\"/", "src=\"http", "src=\"//"] {
            #expect(!text.contains(unsafe), "\(path) has \(unsafe) for input \(described)")
        }
    }

    @Test(.timeLimit(.minutes(10))) func plans() throws {
        let site = try TestSite()
        let diagnostics = Diagnostics()
        let checked = try #require(BuildPipeline(layout: site.layout, diagnostics: diagnostics).check())
        let renderer = SiteRenderer(library: checked.library, templates: checked.templates)
        let inputs = ScheduleInputs(library: checked.library)
        let base = try site.read("Content/plans/p-0001.yaml") + "progressions:\n  - progression: walk-run\n    days: [mon, fri]\n"
        var rng = SeededGenerator(state: Self.seed)
        var built = 0
        var slowest = Duration.zero
        let clock = ContinuousClock()
        for _ in 0..<Self.iterations {
            let started = clock.now
            defer { slowest = max(slowest, clock.now - started) }
            let input = Mutator.mutate(base, using: &rng)
            let run = Diagnostics()
            let source = YAMLSource(path: "plan.yaml", lineOffset: 0, diagnostics: run)
            let draft = PlanReader.readPlan(id: "p-1", text: String(decoding: input, as: UTF8.self), source: source)
            let plan = draft.flatMap { PlanChecker(library: checked.library, diagnostics: run).plan(from: $0) }
            expectPositioned(run, path: "plan.yaml", input: input)
            if let plan, !run.hasErrors {
                let schedule = Scheduler.schedule(plan, inputs: inputs, weekStarts: .monday)
                let files = renderer.renderPatient(plan, schedule: schedule)
                #expect(files.count == 3)
                for file in files {
                    expectSafe(String(decoding: file.data, as: UTF8.self), in: file.path, input: input)
                }
                built += 1
            } else {
                #expect(run.hasErrors, "no plan and no error for \(String(decoding: input, as: UTF8.self).debugDescription)")
            }
        }
        #expect(built > 0)
        // A mutation that makes parsing crawl is a hang in waiting.
        #expect(slowest < .seconds(2))
    }

    @Test(.timeLimit(.minutes(10)), arguments: ["exercises/bridge.md", "progressions/walk-run.md", "pages/safety.md"])
    func content(_ file: String) throws {
        let site = try TestSite()
        let base = try site.read("Content/" + file)
        let url = site.url("Content/" + file)
        var rng = SeededGenerator(state: Self.seed &+ UInt64(file.utf8.count))
        var loaded = 0
        for _ in 0..<(Self.iterations / 3) {
            let input = Mutator.mutate(base, using: &rng)
            try Data(input).write(to: url)
            let run = Diagnostics()
            let loader = ContentLoader(layout: site.layout, diagnostics: run)
            var pictures = Set<String>()
            let slug = url.deletingPathExtension().lastPathComponent
            var ok = false
            if let text = ContentFiles(layout: site.layout, diagnostics: run).load(url, limit: .content)?.text {
                switch file.prefix(while: { $0 != "/" }) {
                case "exercises": ok = loader.loadExercise(slug: slug, url: url, text: text, allowHTML: false, language: "en", videoCodes: true,
                                                           pictures: &pictures) != nil
                case "progressions": ok = loader.loadProgression(slug: slug, url: url, text: text, allowHTML: false, language: "en", pictures: &pictures) != nil
                default: ok = loader.loadPage(slug: slug, url: url, text: text, allowHTML: false, language: "en", pictures: &pictures) != nil
                }
            }
            expectPositioned(run, path: "Content/" + file, input: input)
            #expect(ok || run.hasErrors)
            if ok { loaded += 1 }
        }
        #expect(loaded > 0)
    }
}
