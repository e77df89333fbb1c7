import Foundation
import Testing
@testable import HandoutKit

/// YAML syntax slips said in plain words, with what to write instead, at their position;
/// each is mended so the rest of the file is still checked.
let yamlMistakes: [BadInput] = [
    BadInput(name: "tab inside an entry", file: plan, content: planWith(["    sets: 2": "\tsets: 2"]), expected: [
        "Content/plans/p-0001.yaml:7:1: error: line 7 starts with a tab; indent with spaces",
    ]),
    BadInput(name: "tab before a list entry", file: plan, content: planWith(["  - exercise: bridge": "\t- exercise: bridge"]), expected: [
        "Content/plans/p-0001.yaml:6:1: error: line 6 starts with a tab; indent with spaces",
    ]),
    BadInput(name: "key indented too far", file: plan, content: planWith(["    sets: 2": "     sets: 2"]), expected: [
        "Content/plans/p-0001.yaml:7:6: error: 'sets' starts 5 spaces in but 'exercise' above it starts 4 spaces in; line 'sets' up with 'exercise'",
    ]),
    BadInput(name: "key not indented enough", file: plan, content: planWith(["    sets: 2": "   sets: 2"]), expected: [
        "Content/plans/p-0001.yaml:7:4: error: 'sets' starts 3 spaces in but 'exercise' above it starts 4 spaces in; line 'sets' up with 'exercise'",
    ]),
    BadInput(name: "key at the list's indent", file: plan, content: planWith(["    sets: 2": "  sets: 2"]), expected: [
        "Content/plans/p-0001.yaml:7:3: error: 'sets' starts 2 spaces in but 'exercise' above it starts 4 spaces in; line 'sets' up with 'exercise'",
    ]),
    BadInput(name: "top-level key indented", file: plan, content: planWith(["therapist:": " therapist:"]), expected: [
        "Content/plans/p-0001.yaml:2:2: error: 'therapist' starts 1 space in but 'patient' above it starts at the start of the line; line 'therapist' up with 'patient'",
    ]),
    BadInput(name: "list entries not lined up", file: plan, content: planWith(["    sets: 2": "    sets: 2\n - exercise: clamshell"]), expected: [
        "Content/plans/p-0001.yaml:8:2: error: this list entry starts 1 space in, the entries above 2 spaces in; line up its '-' with theirs",
    ]),
    BadInput(name: "colon in text", file: plan, content: planWith([:], adding: "notes: Call us: 555-0100\n"), expected: [
        "Content/plans/p-0001.yaml:9:8: error: this text contains ': '; put the whole text in quotes: notes: \"Call us: 555-0100\"",
    ]),
    BadInput(name: "colon in an exercise note", file: plan, content: planWith(["    sets: 2": "    note: Tip: go slowly # be kind"]), expected: [
        "Content/plans/p-0001.yaml:7:11: error: this text contains ': '; put the whole text in quotes: note: \"Tip: go slowly\"",
    ]),
    BadInput(name: "no space after a dash", file: plan, content: planWith(["    sets: 2": "    sets: 2\n  -exercise: clamshell"]), expected: [
        "Content/plans/p-0001.yaml:8:3: error: put a space after '-' to start a list entry; write '- exercise: clamshell'",
    ]),
    BadInput(name: "no space after the only dash", file: plan, content: planWith(["  - exercise: bridge\n    sets: 2": "  -exercise: bridge"]), expected: [
        "Content/plans/p-0001.yaml:6:3: error: put a space after '-' to start a list entry; write '- exercise: bridge'",
    ]),
    BadInput(name: "no space after a colon", file: plan, content: planWith(["sets: 2": "sets:2"]), expected: [
        "Content/plans/p-0001.yaml:7:9: error: put a space after ':' in 'sets:2'; write 'sets: 2'",
    ]),
    BadInput(name: "unclosed double quote", file: plan, content: planWith([:], adding: "notes: \"Call us\n"), expected: [
        "Content/plans/p-0001.yaml:9:8: error: the quote \" that starts this text is never closed; end the text with \" on the same line",
    ]),
    BadInput(name: "unclosed single quote", file: plan, content: planWith(["Alex Example": "'Alex Example"]), expected: [
        "Content/plans/p-0001.yaml:1:10: error: the quote ' that starts this text is never closed; end the text with ' on the same line",
    ]),
    BadInput(name: "unclosed bracket", file: plan, content: planWith(["[pacing]": "[pacing"]), expected: [
        "Content/plans/p-0001.yaml:8:12: error: the '[' here is never closed; end it with ']' on the same line",
    ]),
    BadInput(name: "unclosed brace", file: plan, content: planWith(["sets: 2": "changes: [{ week: 2, sets: 3 ]"]), expected: [
        "Content/plans/p-0001.yaml:7:15: error: the '{' here is never closed; end it with '}' on the same line",
    ]),
    BadInput(name: "hash in text between braces", file: plan, content: planWith(["  - exercise: bridge\n    sets: 2": "  - { exercise: bridge, note: use band #3 }"]), expected: [
        "Content/plans/p-0001.yaml:6:5: error: this text contains ' #', which starts a comment and hides the rest of the line; put the text with '#' in quotes",
    ]),
    BadInput(name: "saved with Windows line ends", file: plan, content: planWith(["[pacing]": "[pacing"], adding: "notes: Call us:\n")
                .replacingOccurrences(of: "\n", with: "\r\n"), expected: [
        "Content/plans/p-0001.yaml:8:12: error: the '[' here is never closed; end it with ']' on the same line",
        "Content/plans/p-0001.yaml:9:8: error: this text contains ': '; put the whole text in quotes: notes: \"Call us:\"",
    ]),
    BadInput(name: "unclosed bracket at the end of the file", file: plan, content: planWith(["[pacing]": "["]), expected: [
        "Content/plans/p-0001.yaml:8:12: error: the '[' here is never closed; end it with ']' on the same line",
    ]),
    // What no mend covers is said in plain words too, never in the parser's.
    BadInput(name: "text starting with @", file: plan, content: planWith([:], adding: "notes: @home twice a day\n"), expected: [
        "Content/plans/p-0001.yaml:9:8: error: '@' cannot start text in YAML; put the text in quotes, starting with \"@",
    ]),
    BadInput(name: "a tab after a list entry's dash", file: plan, content: planWith(["  - exercise: bridge": "  - \texercise: bridge"]), expected: [
        "Content/plans/p-0001.yaml:6:5: error: a tab cannot start text in YAML; use spaces before the text, or put the text in quotes",
    ]),
    BadInput(name: "unknown escape in double quotes", file: plan, content: planWith([:], adding: "notes: \"C:\\Users\\sam\"\n"), expected: [
        "Content/plans/p-0001.yaml:9:11: error: a backslash in double quotes starts an escape such as \\n; write the text in single quotes, or '\\\\' for a backslash",
    ]),
    BadInput(name: "text after a closing quote", file: plan, content: planWith([:], adding: "notes: \"Call us\" today\n"), expected: [
        "Content/plans/p-0001.yaml:9:18: error: a new 'key: value' line was expected here; text after a closing quote, or a line not lined up with the keys beside it, cannot be read",
    ]),
    BadInput(name: "a second document", file: plan, content: planWith([:], adding: "---\nnotes: more\n"), expected: [
        "Content/plans/p-0001.yaml:9:1: error: a line '---' or '...' ends the YAML document here, and a file holds one; remove that line, or put the text in quotes",
    ]),
    BadInput(name: "block text with indent 0", file: plan, content: planWith([:], adding: "notes: |0\n  Rest.\n"), expected: [
        "Content/plans/p-0001.yaml:9:9: error: after '|' or '>' write nothing else on the line, and the text on the lines below it, indented",
    ]),
    BadInput(name: "in front matter, at the file's line", file: exercise, content: "---\ntitle: Bridge: basic\n---\n## Setup\nA\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:2:8: error: this text contains ': '; put the whole text in quotes: title: \"Bridge: basic\"",
    ]),
]

@Suite struct YAMLMistakeTests {
    @Test(arguments: yamlMistakes)
    func saysWhatToWrite(_ input: BadInput) throws {
        let site = try TestSite()
        try site.write(input.file, input.content)
        #expect(site.errors() == input.expected)
    }

    /// Every problem libyaml 0.2.5 can stop at (its scanner, parser and reader), said in
    /// words of this project: none of the parser's words come through, and only the
    /// parser's internal states fall back to the general advice.
    @Test func everyParserProblemInPlainWords() {
        let general = YAMLMistakes.plainWords(problem: "", context: nil, found: nil)
        let parserStates: Set = ["did not find expected <stream-start>"]
        for (problem, context) in libyamlProblems {
            let words = YAMLMistakes.plainWords(problem: problem, context: context, found: "@")
            #expect(!words.contains(problem) && !words.contains(context ?? "\u{0}"), "\(problem)")
            #expect((words == general) == parserStates.contains(problem), "\(problem): \(words)")
        }
    }

    @Test func everySlipOfAFileAndItsOtherErrorsInOneRun() throws {
        let site = try TestSite()
        try site.write(plan, planWith(["    sets: 2": "\tsets: two", "[pacing]": "[pacng]"], adding: "notes: Call us: 555-0100\n"))
        #expect(site.errors() == [
            "Content/plans/p-0001.yaml:7:1: error: line 7 starts with a tab; indent with spaces",
            "Content/plans/p-0001.yaml:7:11: error: sets must be a whole number from 1 to 100; found 'two'",
            "Content/plans/p-0001.yaml:8:13: error: unknown education page 'pacng'; did you mean 'pacing'?",
            "Content/plans/p-0001.yaml:9:8: error: this text contains ': '; put the whole text in quotes: notes: \"Call us: 555-0100\"",
        ])
    }

    /// `note: Use band #3` is valid YAML whose text stops at ' #': a warning, since a comment
    /// may be meant; a comment written '# like this', or quoted text, gets none.
    @Test func hashGluedToTextWarns() throws {
        let site = try TestSite()
        try site.write(plan, planWith(["    sets: 2": "    sets: 2 # two for now\n    note: Use band #3 # the red one"], adding: "notes: \"Ask for ext #12\"\n"))
        #expect(site.check() == [
            "Content/plans/p-0001.yaml:8:11: warning: note is only 'Use band': YAML reads ' #' and the rest of the line as a comment; if they belong to the text, put the whole text in quotes",
        ])
    }

    @Test func aSyntaxErrorDoesNotHideOtherFiles() throws {
        let site = try TestSite()
        try site.write(plan, planWith(["[pacing]": "[pacing"]))
        try site.write("Content/plans/p-0002.yaml", planWith(["exercise: bridge": "exercise: brige"]))
        try site.write(exercise, "---\ntitle: Bridge\ndosage: { reps: 10\n---\n## Setup\nA\n## Movement\nB\n")
        #expect(site.errors() == [
            "Content/exercises/bridge.md:3:9: error: the '{' here is never closed; end it with '}' on the same line",
            "Content/plans/p-0001.yaml:8:12: error: the '[' here is never closed; end it with ']' on the same line",
            "Content/plans/p-0002.yaml:6:15: error: unknown exercise 'brige'; did you mean 'bridge'?",
        ])
    }

    /// Seven independent mistakes in one plan: seven errors in one run, none waiting for
    /// another to be fixed first.
    @Test func sevenMistakesSevenErrors() throws {
        let site = try TestSite()
        try site.write(plan, """
        patient: Alex Example
        start: 2026-02-30
        weeks: 3
        exercises:
          - exercise: brige
        \tsets: 2
          - exercise: clamshell
            sets: three
            days: [mon, wendesday]
            changes:
              - { week: 10, reps: 12 }
        notes: Call us: 555-0100

        """)
        #expect(site.errors() == [
            "Content/plans/p-0001.yaml:2:8: error: 2026-02-30 is not a real date: February 2026 has 28 days",
            "Content/plans/p-0001.yaml:5:15: error: unknown exercise 'brige'; did you mean 'bridge'?",
            "Content/plans/p-0001.yaml:6:1: error: line 6 starts with a tab; indent with spaces",
            "Content/plans/p-0001.yaml:8:11: error: sets must be a whole number from 1 to 100; found 'three'",
            "Content/plans/p-0001.yaml:9:17: error: 'wendesday' is not a weekday; did you mean 'wed'?",
            "Content/plans/p-0001.yaml:11:9: error: change for week 10 is beyond the plan's 3 weeks; give a week from 2 to 3, or more weeks",
            "Content/plans/p-0001.yaml:12:8: error: this text contains ': '; put the whole text in quotes: notes: \"Call us: 555-0100\"",
        ])
    }
}

/// libyaml's problems with the context each is raised in (scanner.c, parser.c, reader.c).
private let libyamlProblems: [(String, String?)] = [
    ("found character that cannot start any token", "while scanning for the next token"),
    ("could not find expected ':'", "while scanning a simple key"),
    ("block sequence entries are not allowed in this context", nil),
    ("mapping keys are not allowed in this context", nil),
    ("mapping values are not allowed in this context", nil),
    ("found a tab character that violates indentation", "while scanning a plain scalar"),
    ("found a tab character where an indentation space is expected", "while scanning a block scalar"),
    ("found an indentation indicator equal to 0", "while scanning a block scalar"),
    ("did not find expected comment or line break", "while scanning a block scalar"),
    ("found unexpected end of stream", "while scanning a quoted scalar"),
    ("found unexpected document indicator", "while scanning a quoted scalar"),
    ("found unknown escape character", "while parsing a quoted scalar"),
    ("did not find expected hexdecimal number", "while parsing a quoted scalar"),
    ("found invalid Unicode character escape code", "while parsing a quoted scalar"),
    ("found unexpected ':'", "while scanning a plain scalar"),
    ("did not find expected alphabetic or numeric character", "while scanning an anchor"),
    ("did not find expected alphabetic or numeric character", "while scanning an alias"),
    ("did not find the expected '>'", "while scanning a tag"),
    ("did not find expected whitespace or line break", "while scanning a tag"),
    ("did not find expected '!'", "while scanning a tag directive"),
    ("did not find expected tag URI", "while parsing a tag"),
    ("did not find URI escaped octet", "while parsing a tag"),
    ("found an incorrect leading UTF-8 octet", "while parsing a tag"),
    ("found undefined tag handle", "while parsing a node"),
    ("could not find expected directive name", "while scanning a directive"),
    ("found unknown directive name", "while scanning a directive"),
    ("did not find expected digit or '.' character", "while scanning a %YAML directive"),
    ("found extremely long version number", "while scanning a %YAML directive"),
    ("did not find expected whitespace", "while scanning a %TAG directive"),
    ("found duplicate %YAML directive", nil),
    ("found incompatible YAML document", nil),
    ("found duplicate %TAG directive", nil),
    ("did not find expected <document start>", nil),
    ("did not find expected <stream-start>", nil),
    ("did not find expected node content", "while parsing a block node"),
    ("did not find expected node content", "while parsing a flow node"),
    ("did not find expected '-' indicator", "while parsing a block collection"),
    ("did not find expected key", "while parsing a block mapping"),
    ("did not find expected ',' or ']'", "while parsing a flow sequence"),
    ("did not find expected ',' or '}'", "while parsing a flow mapping"),
    ("but found another document", "expected a single document in the stream"),
    ("invalid leading UTF-8 octet", nil),
    ("invalid trailing UTF-8 octet", nil),
    ("incomplete UTF-8 octet sequence", nil),
    ("invalid Unicode character", nil),
    ("control characters are not allowed", nil),
]
