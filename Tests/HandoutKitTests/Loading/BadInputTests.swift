import Foundation
import Testing
@testable import HandoutKit

/// One bad input: a file of the minimal fixture site replaced (or added) and the exact
/// diagnostics `handout check` must print for it.
struct BadInput: CustomTestStringConvertible, Sendable {
    var name: String
    var file: String
    var content: String
    var expected: [String]

    var testDescription: String { name }
}

let plan = "Content/plans/p-0001.yaml"
let exercise = "Content/exercises/bridge.md"
let progression = "Content/progressions/walk-run.md"

/// A valid plan with one line replaced or added, so each case shows exactly its mistake.
func planWith(_ replacements: [String: String], adding extra: String = "") -> String {
    var text = """
    patient: Alex Example
    therapist: Sam Lee, PT
    start: 2026-12-07
    weeks: 3
    exercises:
      - exercise: bridge
        sets: 2
    education: [pacing]

    """
    for (old, new) in replacements { text = text.replacingOccurrences(of: old, with: new) }
    return text + extra
}

func progressionWith(stages: String, advance: String = "every: 2-3 days", schedule: String = "{ per_week: 3 }") -> String {
    """
    ---
    title: Walk/Run
    schedule: \(schedule)
    advance:
      \(advance)
    stages:
    \(stages)
    ---
    Body.

    """
}

let badInputs: [BadInput] = [
    // YAML syntax slips in plain words: YAMLMistakeTests.swift.
    BadInput(name: "a YAML tag", file: plan, content: planWith(["Alex Example": "!<alex"]), expected: [
        "Content/plans/p-0001.yaml:1:16: error: text starting with '!' reads as a YAML type tag, which Handout does not use; put the text in quotes: \"!...\"",
    ]),
    BadInput(name: "a name on two lines", file: plan, content: planWith(["Alex Example": "\"Jo\\nRivera\"", "Sam Lee, PT": "|\n  Sam\n  Lee"]), expected: [
        "Content/plans/p-0001.yaml:1:10: error: patient must be one line; found 'Jo\\nRivera'",
        "Content/plans/p-0001.yaml:2:12: error: therapist must be one line; found 'Sam\\nLee\\n'",
    ]),
    BadInput(name: "text that starts with *", file: plan, content: planWith(["sets: 2": "sets: 2\n    note: *Do not* bend # careful", "weeks: 3": "weeks: 0"]), expected: [
        "Content/plans/p-0001.yaml:4:8: error: weeks must be from 1 to 52; found 0",
        "Content/plans/p-0001.yaml:8:11: error: text starting with '&' or '*' reads as a YAML anchor or alias; put the text in quotes: \"*Do not* bend\"",
    ]),
    BadInput(name: "text that starts with * and is no alias name", file: plan, content: planWith(["sets: 2": "sets: 2\n    note: *careful*", "weeks: 3": "weeks: 0"]), expected: [
        "Content/plans/p-0001.yaml:4:8: error: weeks must be from 1 to 52; found 0",
        "Content/plans/p-0001.yaml:8:11: error: text starting with '&' or '*' reads as a YAML anchor or alias; put the text in quotes: \"*careful*\"",
    ]),
    BadInput(name: "an alias, defined or not, is never expanded", file: plan, content: planWith(["Alex Example": "*alex"]), expected: [
        "Content/plans/p-0001.yaml:1:10: error: a YAML alias (*name) repeats a value written elsewhere in the file; Handout does not expand aliases: write the value out here (a protocol can hold what several plans share), and put text that starts with * in quotes",
    ]),
    BadInput(name: "empty plan", file: plan, content: "", expected: [
        "Content/plans/p-0001.yaml:1:1: error: plan is empty; it needs at least 'patient:' and 'start:'",
    ]),
    BadInput(name: "empty front matter", file: exercise, content: "---\n---\n## Setup\nA\n", expected: [
        "Content/exercises/bridge.md:1:1: error: front matter is empty; it needs at least 'title: ...'",
    ]),
    BadInput(name: "empty site settings", file: "Content/site.yaml", content: "# nothing yet\n", expected: [
        "Content/site.yaml:1:1: error: site.yaml is empty; write at least 'clinic: Your Clinic Name'",
    ]),
    BadInput(name: "empty protocol", file: "Content/protocols/knee-basic.yaml", content: "", expected: [
        "Content/protocols/knee-basic.yaml:1:1: error: protocol is empty; list at least its exercises",
    ]),
    BadInput(name: "plan is a list", file: plan, content: "- patient: A\n", expected: [
        "Content/plans/p-0001.yaml:1:1: error: value must be a mapping of patient, start, therapist, condition, weeks, protocol, exercises, progressions, cross_training, education, notes, language, large_print, include_pages, pain_rule, pauses, ended, reminders; found a list",
    ]),
    BadInput(name: "missing patient", file: plan, content: planWith(["patient: Alex Example\n": ""]), expected: [
        "Content/plans/p-0001.yaml:1:1: error: missing required field 'patient'",
    ]),
    BadInput(name: "empty patient", file: plan, content: planWith(["patient: Alex Example": "patient: \"  \""]), expected: [
        "Content/plans/p-0001.yaml:1:10: error: patient must not be empty; write the patient's name, like 'patient: Jordan Rivera'",
    ]),
    BadInput(name: "missing start", file: plan, content: planWith(["start: 2026-12-07\n": ""]), expected: [
        "Content/plans/p-0001.yaml:1:1: error: missing required field 'start', like 'start: 2026-12-07'",
    ]),
    BadInput(name: "missing weeks", file: plan, content: planWith(["weeks: 3\n": ""]), expected: [
        "Content/plans/p-0001.yaml:1:1: error: missing required field 'weeks', like 'weeks: 6' (or use a protocol that sets it)",
    ]),
    BadInput(name: "invalid month", file: plan, content: planWith(["2026-12-07": "2026-13-01"]), expected: [
        "Content/plans/p-0001.yaml:3:8: error: 2026-13-01 is not a real date: months run from 01 to 12",
    ]),
    BadInput(name: "invalid day", file: plan, content: planWith(["2026-12-07": "2026-02-30"]), expected: [
        "Content/plans/p-0001.yaml:3:8: error: 2026-02-30 is not a real date: February 2026 has 28 days",
    ]),
    BadInput(name: "29 February of a common year", file: plan, content: planWith(["2026-12-07": "2027-02-29"]), expected: [
        "Content/plans/p-0001.yaml:3:8: error: 2027-02-29 is not a real date: February 2027 has 28 days",
    ]),
    BadInput(name: "31st of a 30-day month", file: plan, content: planWith(["sets: 2": "sets: 2\nprogressions:\n  - progression: walk-run\n    start: 2026-11-31"]), expected: [
        "Content/plans/p-0001.yaml:10:12: error: 2026-11-31 is not a real date: November 2026 has 30 days",
    ]),
    BadInput(name: "day zero", file: plan, content: planWith(["2026-12-07": "2026-12-00"]), expected: [
        "Content/plans/p-0001.yaml:3:8: error: 2026-12-00 is not a real date: days start at 01",
    ]),
    BadInput(name: "US date", file: plan, content: planWith(["2026-12-07": "12/07/2026"]), expected: [
        "Content/plans/p-0001.yaml:3:8: error: start must be a date written YYYY-MM-DD, like 2026-12-07; found '12/07/2026'",
    ]),
    BadInput(name: "wrong type for sets", file: plan, content: planWith(["sets: 2": "sets: three"]), expected: [
        "Content/plans/p-0001.yaml:7:11: error: sets must be a whole number from 1 to 100; found 'three'",
    ]),
    BadInput(name: "weeks zero", file: plan, content: planWith(["weeks: 3": "weeks: 0"]), expected: [
        "Content/plans/p-0001.yaml:4:8: error: weeks must be from 1 to 52; found 0",
    ]),
    BadInput(name: "weeks huge", file: plan, content: planWith(["weeks: 3": "weeks: 99999999999999999999"]), expected: [
        "Content/plans/p-0001.yaml:4:8: error: weeks must be a number of weeks from 1 to 52; found '99999999999999999999'",
    ]),
    BadInput(name: "misspelled key set", file: plan, content: planWith(["sets: 2": "set: 2"]), expected: [
        "Content/plans/p-0001.yaml:7:5: error: unknown key 'set' in exercise entry; did you mean 'sets'?",
    ]),
    BadInput(name: "misspelled key weeekly", file: plan, content: planWith(["sets: 2": "weeekly: 3"]), expected: [
        "Content/plans/p-0001.yaml:7:5: error: unknown key 'weeekly' in exercise entry; did you mean 'weekly'?",
    ]),
    BadInput(name: "misspelled top-level key", file: plan, content: planWith(["therapist:": "therapst:"]), expected: [
        "Content/plans/p-0001.yaml:2:1: error: unknown key 'therapst'; did you mean 'therapist'?",
    ]),
    BadInput(name: "a key with a word added", file: plan, content: planWith(["weeks: 3": "weeks_count: 3"]), expected: [
        "Content/plans/p-0001.yaml:1:1: error: missing required field 'weeks', like 'weeks: 6' (or use a protocol that sets it)",
        "Content/plans/p-0001.yaml:4:1: error: unknown key 'weeks_count'; did you mean 'weeks'?",
    ]),
    BadInput(name: "duplicate key", file: plan, content: planWith([:], adding: "weeks: 4\n"), expected: [
        "Content/plans/p-0001.yaml:9:1: error: duplicate key 'weeks'; write each key once",
    ]),
    BadInput(name: "duplicate key in a list entry", file: plan, content: planWith(["sets: 2": "sets: 2\n    note: A\n    sets: 3"]), expected: [
        "Content/plans/p-0001.yaml:9:5: error: duplicate key 'sets'; write each key once",
    ]),
    BadInput(name: "duplicate key, Windows line ends", file: plan, content: planWith(["sets: 2": "sets: 2\n\n    note: A\n    sets: 3"]).replacingOccurrences(of: "\n", with: "\r\n"), expected: [
        "Content/plans/p-0001.yaml:10:5: error: duplicate key 'sets'; write each key once",
    ]),
    BadInput(name: "duplicate keys hide no other mistake", file: plan,
             content: planWith(["sets: 2": "reps: 10\n    reps: 12\n    sets: 0", "education: [pacing]": "education: [nope]"], adding: "weeks:\n  5\n"), expected: [
        "Content/plans/p-0001.yaml:8:5: error: duplicate key 'reps'; write each key once",
        "Content/plans/p-0001.yaml:9:11: error: sets must be from 1 to 100; found 0",
        "Content/plans/p-0001.yaml:10:13: error: unknown education page 'nope'; expected one of: pacing, safety",
        "Content/plans/p-0001.yaml:11:1: error: duplicate key 'weeks'; write each key once",
    ]),
    BadInput(name: "duplicate key in braces", file: plan, content: planWith(["sets: 2": "changes: [{ week: 2, sets: 3, week: 3 }]"]), expected: [
        "Content/plans/p-0001.yaml:7:35: error: duplicate key 'week'; write each key once",
    ]),
    BadInput(name: "unknown exercise", file: plan, content: planWith(["exercise: bridge": "exercise: brige"]), expected: [
        "Content/plans/p-0001.yaml:6:15: error: unknown exercise 'brige'; did you mean 'bridge'?",
    ]),
    BadInput(name: "unknown exercise by prefix", file: plan, content: planWith(["exercise: bridge": "exercise: clam"]), expected: [
        "Content/plans/p-0001.yaml:6:15: error: unknown exercise 'clam'; did you mean 'clamshell'?",
    ]),
    BadInput(name: "unknown page", file: plan, content: planWith(["[pacing]": "[pacng]"]), expected: [
        "Content/plans/p-0001.yaml:8:13: error: unknown education page 'pacng'; did you mean 'pacing'?",
    ]),
    BadInput(name: "invalid slug", file: plan, content: planWith(["exercise: bridge": "exercise: Bridge_1"]), expected: [
        "Content/plans/p-0001.yaml:6:15: error: exercise 'Bridge_1' is not a valid name: use lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters",
    ]),
    BadInput(name: "invalid plan id", file: "Content/plans/P_0002.yaml", content: planWith([:]), expected: [
        "Content/plans/P_0002.yaml:1:1: error: file name 'P_0002' is not a valid name: use lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters; rename it to 'p-0002.yaml'",
    ]),
    BadInput(name: "exercise file with capitals", file: "Content/exercises/Straight-Leg-Raise.md", content: "---\ntitle: Straight Leg Raise\n---\n## Setup\nA\n", expected: [
        "Content/exercises/Straight-Leg-Raise.md:1:1: error: file name 'Straight-Leg-Raise' is not a valid name: use lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters; rename it to 'straight-leg-raise.md'",
    ]),
    BadInput(name: "file name beyond a simple fix", file: "Content/pages/Über uns.md", content: "---\ntitle: Über uns\n---\nA\n", expected: [
        "Content/pages/Über uns.md:1:1: error: file name 'Über uns' is not a valid name: use lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters",
    ]),
    BadInput(name: "exercise entry with only a name", file: plan, content: planWith(["- exercise: bridge\n    sets: 2": "- bridge"]), expected: [
        "Content/plans/p-0001.yaml:6:5: error: exercise entry 'bridge' needs its key: write '- exercise: bridge'",
    ]),
    BadInput(name: "progression entry with only a name", file: plan, content: planWith(["sets: 2": "sets: 2\nprogressions: [walk-run]"]), expected: [
        "Content/plans/p-0001.yaml:8:16: error: progression entry 'walk-run' needs its key: write '- progression: walk-run'",
    ]),
    BadInput(name: "exercise entry without exercise", file: plan, content: planWith(["- exercise: bridge\n    sets: 2": "- sets: 2"]), expected: [
        "Content/plans/p-0001.yaml:6:5: error: missing required field 'exercise' in exercise entry, the exercise's file name, like 'exercise: forearm-plank'",
    ]),
    BadInput(name: "exercises not a list", file: plan, content: planWith(["exercises:\n  - exercise: bridge\n    sets: 2": "exercises: bridge"]), expected: [
        "Content/plans/p-0001.yaml:5:12: error: exercises must be a list, like [a, b]; found 'bridge'",
    ]),
    BadInput(name: "weekly out of range", file: plan, content: planWith(["sets: 2": "weekly: 9"]), expected: [
        "Content/plans/p-0001.yaml:7:13: error: weekly must be from 1 to 7; found 9",
    ]),
    BadInput(name: "hold not a time", file: plan, content: planWith(["sets: 2": "hold: forever"]), expected: [
        "Content/plans/p-0001.yaml:7:11: error: hold must be a time like '30 s', '1 min' or '1 min 30 s' (whole seconds, at most 60 min); found 'forever'",
    ]),
    BadInput(name: "misspelled weekday", file: plan, content: planWith(["sets: 2": "days: [mon, wendesday]"]), expected: [
        "Content/plans/p-0001.yaml:7:17: error: 'wendesday' is not a weekday; did you mean 'wed'?",
    ]),
    BadInput(name: "days contradict weekly", file: plan, content: planWith(["sets: 2": "weekly: 3\n    days: [mon, tue]"]), expected: [
        "Content/plans/p-0001.yaml:8:11: error: days lists 2 days (mon, tue) but weekly is 3; remove weekly (the days say how many) or make them agree",
    ]),
    BadInput(name: "change beyond weeks", file: plan, content: planWith(["sets: 2": "changes:\n      - { week: 5, sets: 3 }"]), expected: [
        "Content/plans/p-0001.yaml:8:9: error: change for week 5 is beyond the plan's 3 weeks; give a week from 2 to 3, or more weeks",
    ]),
    BadInput(name: "change that changes nothing", file: plan, content: planWith(["sets: 2": "changes:\n      - { week: 2 }"]), expected: [
        "Content/plans/p-0001.yaml:8:9: error: change for week 2 changes nothing; add a dosage field like 'sets: 3'",
    ]),
    BadInput(name: "progression start before plan start", file: plan, content: planWith([:], adding: "progressions:\n  - progression: walk-run\n    start: 2026-12-01\n"), expected: [
        "Content/plans/p-0001.yaml:11:12: error: progression start 2026-12-01 is before the plan's start 2026-12-07; give a day from 2026-12-07 on",
    ]),
    BadInput(name: "progression start after the calendar ends", file: plan, content: planWith(["2026-12-07": "2026-12-10"], adding: "progressions:\n  - progression: walk-run\n    start: 2026-12-28\n"), expected: [
        "Content/plans/p-0001.yaml:11:12: error: progression start 2026-12-28 is after the plan's last week, which ends 2026-12-27; give an earlier day, or more weeks",
    ]),
    BadInput(name: "progression start after the plan ended", file: plan, content: planWith([:], adding: "ended: 2026-12-18\nprogressions:\n  - progression: walk-run\n    start: 2026-12-21\n"), expected: [
        "Content/plans/p-0001.yaml:12:12: error: progression start 2026-12-21 is after the plan ended on 2026-12-18, so the program would never be done; give a day up to 2026-12-18, or remove the program",
    ]),
    BadInput(name: "unknown progression", file: plan, content: planWith([:], adding: "progressions:\n  - progression: walkrun\n"), expected: [
        "Content/plans/p-0001.yaml:10:18: error: unknown progression 'walkrun'; did you mean 'walk-run'?",
    ]),
    BadInput(name: "unknown protocol", file: plan, content: planWith([:], adding: "protocol: knee-basc\n"), expected: [
        "Content/plans/p-0001.yaml:9:11: error: unknown protocol 'knee-basc'; did you mean 'knee-basic'?",
    ]),
    BadInput(name: "cross-training without activities", file: plan, content: planWith([:], adding: "cross_training:\n  days: [tue]\n"), expected: [
        "Content/plans/p-0001.yaml:10:3: error: missing required field 'activities' in cross_training, like 'activities: [cycling, swimming]'",
    ]),
    BadInput(name: "notes as a mapping", file: plan, content: planWith([:], adding: "notes: { a: b }\n"), expected: [
        "Content/plans/p-0001.yaml:9:8: error: notes must be text; found a mapping",
    ]),
    BadInput(name: "exercise without title", file: exercise, content: "---\ndosage: { reps: 10 }\n---\n## Setup\nA\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:2:1: error: missing required field 'title'",
    ]),
    BadInput(name: "front matter not closed", file: exercise, content: "---\ntitle: Bridge\n## Setup\n", expected: [
        "Content/exercises/bridge.md:1:1: error: front matter is not closed: add a line '---' after it",
    ]),
    BadInput(name: "no front matter", file: exercise, content: "# Bridge\n", expected: [
        "Content/exercises/bridge.md:1:1: error: missing front matter: start the file with a line '---', then 'title: ...', then '---'",
    ]),
    BadInput(name: "front matter type error points at the .md line", file: exercise, content: "---\ntitle: Bridge\ndosage: { reps: ten }\n---\n## Setup\nA\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:3:17: error: reps must be a whole number from 1 to 1000; found 'ten'",
    ]),
    BadInput(name: "missing picture without a description", file: exercise, content: "---\ntitle: Bridge\nimage: images/brige.svg\n---\n## Setup\nA\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:3:8: error: a picture needs 'image_alt': a short description of what it shows",
        "Content/exercises/bridge.md:3:8: error: picture 'images/brige.svg' does not exist in Content/",
    ]),
    BadInput(name: "picture escaping Content", file: exercise, content: "---\ntitle: Bridge\nimage: ../../etc/passwd.svg\nimage_alt: x\n---\n## Setup\nA\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:3:8: error: picture '../../etc/passwd.svg' must be a path inside Content/, like images/side-plank.svg",
    ]),
    BadInput(name: "absolute picture path", file: exercise, content: "---\ntitle: Bridge\nimage: /etc/x.svg\nimage_alt: x\n---\n## Setup\nA\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:3:8: error: picture '/etc/x.svg' must be a path inside Content/, like images/side-plank.svg",
    ]),
    BadInput(name: "missing picture", file: exercise, content: "---\ntitle: Bridge\nimage: images/none.svg\nimage_alt: x\n---\n## Setup\nA\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:3:8: error: picture 'images/none.svg' does not exist in Content/",
    ]),
    BadInput(name: "picture without alt", file: exercise, content: "---\ntitle: Bridge\nimage: images/bridge.svg\n---\n## Setup\nA\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:3:8: error: a picture needs 'image_alt': a short description of what it shows",
    ]),
    BadInput(name: "javascript video", file: exercise, content: "---\ntitle: Bridge\nvideo: javascript:alert(1)\n---\n## Setup\nA\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:3:8: error: video must be an http:// or https:// address; found 'javascript:alert(1)'",
    ]),
    BadInput(name: "video too long for a QR code", file: exercise,
             content: "---\ntitle: Bridge\nvideo: https://videos.example.org/\(String(repeating: "x", count: 150))\n---\n## Setup\nA\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:3:8: error: video address is too long to print as a QR code a phone can read (177 characters); use a shorter address of at most 152 characters, such as a short page on the clinic's site, or set 'video_qr: false' in site.yaml",
    ]),
    BadInput(name: "video address with markup", file: exercise, content: "---\ntitle: Bridge\nvideo: \"https://video.example/watch?v=1&list=<x>\"\n---\n## Setup\nA\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:3:8: error: video must be an http:// or https:// address; found 'https://video.example/watch?v=1&list=<x>'",
    ]),
    BadInput(name: "video address without a host", file: exercise, content: "---\ntitle: Bridge\nvideo: https:/watch\n---\n## Setup\nA\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:3:8: error: video must be an http:// or https:// address; found 'https:/watch'",
    ]),
    BadInput(name: "Markdown picture escaping Content", file: exercise, content: "---\ntitle: Bridge\n---\n## Setup\n![x](../../secret.png)\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:5:1: error: picture '../secret.png' must be a path inside Content/, like images/side-plank.svg",
    ]),
    BadInput(name: "Markdown link to a non-content file", file: exercise, content: "---\ntitle: Bridge\n---\n## Setup\nSee [notes](notes.txt).\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:5:5: error: link 'notes.txt' does not point to content: link to pages/<slug>.md, exercises/<slug>.md, progressions/<slug>.md or a full https:// address",
    ]),
    BadInput(name: "Markdown picture from another site", file: exercise, content: "---\ntitle: Bridge\n---\n## Setup\n![x](https://evil.example/x.png) and ![y](/etc/passwd)\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:5:1: error: picture 'https://evil.example/x.png' must be a file inside Content/, like images/side-plank.svg; pages load nothing from other sites",
        "Content/exercises/bridge.md:5:38: error: picture '/etc/passwd' must be a file inside Content/, like images/side-plank.svg; pages load nothing from other sites",
    ]),
    BadInput(name: "Markdown link to a missing page", file: exercise, content: "---\ntitle: Bridge\n---\n## Setup\nRead [this](pages/pacng.md).\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:5:6: error: link to 'pages/pacng.md', which does not exist; did you mean 'pacing'?",
    ]),
    BadInput(name: "segment that does not parse", file: progression, content: progressionWith(stages: "  - intervals: [run fast]"), expected: [
        "Content/progressions/walk-run.md:7:17: error: segment 'run fast' must read '<activity> <amount> <unit>', like 'walk 1 min' or 'step-up 6 in', or be a setting like 'band red' or 'incline 2%'",
    ]),
    BadInput(name: "misspelled setting", file: progression, content: progressionWith(stages: "  - intervals: [walk 10 min, incine 2%]"), expected: [
        "Content/progressions/walk-run.md:7:30: error: segment 'incine 2%' must read '<activity> <amount> <unit>', like 'walk 1 min' or 'step-up 6 in', or be a setting like 'band red' or 'incline 2%'; did you mean the setting 'incline'?",
    ]),
    BadInput(name: "setting values", file: progression, content: progressionWith(stages: "  - intervals: [cycle 10 min, level high]\n  - intervals: [cycle 10 min, incline steep]\n  - intervals: [row 10 min, band red and blue]\n  - intervals: [walk 5 min, surface 1 2]"), expected: [
        "Content/progressions/walk-run.md:7:31: error: 'level high' must give a number, like 'level 4'",
        "Content/progressions/walk-run.md:8:31: error: 'incline steep' must give a percentage, like 'incline 2%'",
        "Content/progressions/walk-run.md:9:29: error: 'band red and blue' must give the band's colour in one word, like 'band red'",
        "Content/progressions/walk-run.md:10:29: error: 'surface 1 2' must give one to four words after 'surface', like 'surface grass'",
    ]),
    BadInput(name: "setting twice", file: progression, content: progressionWith(stages: "  - intervals: [cycle 10 min, level 2, level 3]"), expected: [
        "Content/progressions/walk-run.md:7:40: error: 'level' is set twice in this stage; keep one",
    ]),
    BadInput(name: "settings without an amount", file: progression, content: progressionWith(stages: "  - intervals: [band red]"), expected: [
        "Content/progressions/walk-run.md:7:16: error: intervals needs at least one amount, like 'cycle 30 min'; settings such as 'band red' only describe it",
    ]),
    BadInput(name: "levels in the plural", file: progression, content: progressionWith(stages: "  - intervals: [cycle 4 levels]"), expected: [
        "Content/progressions/walk-run.md:7:17: error: unknown unit 'levels' in 'cycle 4 levels'; the units are s (seconds), min (minutes), mi (miles), km (kilometres), m (metres), reps (repetitions), in (inches), cm (centimetres), kg (kilograms), lb (pounds), steps (stair steps), floors (floors of stairs) and level (a machine's or program's level)",
    ]),
    BadInput(name: "two stages that print alike", file: progression, content: progressionWith(stages: "  - intervals: [cycle 30 min]\n  - intervals: [cycle 30 min]\n    note: Add light resistance.\n  - intervals: [cycle 30 min]\n    note: Add light resistance."), expected: [
        "Content/progressions/walk-run.md:10:5: error: stage 3 prints on the calendar exactly like stage 2 ('Cycle 30 min – Add light resistance.'); add a setting (like 'band red' or 'level 2') or a note that tells them apart",
    ]),
    BadInput(name: "unknown unit", file: progression, content: progressionWith(stages: "  - intervals: [run 1 hr]"), expected: [
        "Content/progressions/walk-run.md:7:17: error: unknown unit 'hr' in 'run 1 hr'; the units are s (seconds), min (minutes), mi (miles), km (kilometres), m (metres), reps (repetitions), in (inches), cm (centimetres), kg (kilograms), lb (pounds), steps (stair steps), floors (floors of stairs) and level (a machine's or program's level)",
    ]),
    BadInput(name: "unknown unit close to a real one", file: progression, content: progressionWith(stages: "  - intervals: [step 4 mm]"), expected: [
        "Content/progressions/walk-run.md:7:17: error: unknown unit 'mm' in 'step 4 mm'; the units are s (seconds), min (minutes), mi (miles), km (kilometres), m (metres), reps (repetitions), in (inches), cm (centimetres), kg (kilograms), lb (pounds), steps (stair steps), floors (floors of stairs) and level (a machine's or program's level)",
    ]),
    BadInput(name: "ladder never reaches until", file: progression, content: progressionWith(stages: "  - ladder: { start: [walk 1 min, run 1 min], step: run +2 min, until: run 10 min }"), expected: [
        "Content/progressions/walk-run.md:7:72: error: the ladder never reaches 'run 10 min': from 'run 1 min' in steps of +2 min",
    ]),
    BadInput(name: "ladder counting down away from until", file: progression, content: progressionWith(stages: "  - ladder: { start: [walk 4 min, run 1 min], step: walk -1 min, until: walk 6 min }"), expected: [
        "Content/progressions/walk-run.md:7:73: error: the ladder never reaches 'walk 6 min': from 'walk 4 min' in steps of -1 min",
    ]),
    BadInput(name: "ladder step changes a missing segment", file: progression, content: progressionWith(stages: "  - ladder: { start: [walk 1 min], step: run +1 min, until: run 10 min }"), expected: [
        "Content/progressions/walk-run.md:7:42: error: step changes 'run … min' but start has no such segment; start has 'walk 1 min'",
    ]),
    BadInput(name: "empty stage list", file: progression, content: progressionWith(stages: "  []"), expected: [
        "Content/progressions/walk-run.md:7:3: error: stages must list at least one stage, like '- intervals: [walk 1 min, run 1 min]'",
    ]),
    BadInput(name: "every that does not parse", file: progression, content: progressionWith(stages: "  - intervals: [run 1 min]", advance: "every: sometimes"), expected: [
        "Content/progressions/walk-run.md:5:10: error: every must be 'N days', 'N-M days', 'N sessions' or 'N weeks', like 'every: 2-3 days'; found 'sometimes'",
    ]),
    BadInput(name: "at_most that does not parse", file: progression, content: progressionWith(stages: "  - intervals: [run 1 min]", advance: "every: 1 session\n  at_most: lots"), expected: [
        "Content/progressions/walk-run.md:6:12: error: at_most must read 'N per week' with N from 1 to 7, like 'at_most: 2 per week'; found 'lots'",
    ]),
    BadInput(name: "a bad repeat hides no mistake beside it", file: progression,
             content: progressionWith(stages: "  - intervals: [walk 10 min, run]\n    repeat: 0"), expected: [
        "Content/progressions/walk-run.md:7:30: error: segment 'run' must read '<activity> <amount> <unit>', like 'walk 1 min' or 'step-up 6 in', or be a setting like 'band red' or 'incline 2%'",
        "Content/progressions/walk-run.md:8:13: error: repeat must be a number or a range like 3-5 (from 1 to 100); found '0'",
    ]),
    BadInput(name: "stages after one with errors keep their numbers", file: progression,
             content: progressionWith(stages: "  - intervals: [walk 10 min, run]\n  - intervals: [walk 10 min, band red]\n  - intervals: [walk 10 min]\n  - intervals: [walk 10 min]"), expected: [
        "Content/progressions/walk-run.md:7:30: error: segment 'run' must read '<activity> <amount> <unit>', like 'walk 1 min' or 'step-up 6 in', or be a setting like 'band red' or 'incline 2%'",
        "Content/progressions/walk-run.md:10:5: error: stage 4 prints on the calendar exactly like stage 3 ('Walk 10 min'); add a setting (like 'band red' or 'level 2') or a note that tells them apart",
    ]),
    BadInput(name: "repeat range of one number", file: progression, content: progressionWith(stages: "  - intervals: [run 1 min]\n    repeat: 3-3"), expected: [
        "Content/progressions/walk-run.md:8:13: error: repeat 3-3 is one number; write 'repeat: 3'",
    ]),
    BadInput(name: "ladder that starts at its until", file: progression, content: progressionWith(stages: "  - ladder: { start: [walk 1 min, run 1 min], step: run +1 min, until: run 1 min }"), expected: [
        "Content/progressions/walk-run.md:7:72: error: until 'run 1 min' is where the ladder starts; give the last stage's 'run … min', or write a single stage as 'intervals: [...]'",
    ]),
    BadInput(name: "a reminder time that is no text", file: plan, content: planWith([:], adding: "reminders: { time: {} }\n"), expected: [
        "Content/plans/p-0001.yaml:9:20: error: time must be a time of day written HH:MM on the 24-hour clock, like \"08:00\" or \"18:30\"; found a mapping",
    ]),
    BadInput(name: "a plan's key in a protocol", file: "Content/protocols/knee-basic.yaml", content: "weeks: 4\npatient: Alex\n", expected: [
        "Content/protocols/knee-basic.yaml:2:1: error: unknown key 'patient'; a protocol is shared by every plan that names it, so 'patient' goes in each plan, not here",
    ]),
    BadInput(name: "repeat range backwards", file: progression, content: progressionWith(stages: "  - intervals: [run 1 min]\n    repeat: 5-3"), expected: [
        "Content/progressions/walk-run.md:8:13: error: repeat must be a number or a range like 3-5 (from 1 to 100); found '5-3'",
    ]),
    BadInput(name: "back-to-back impossible", file: progression, content: progressionWith(stages: "  - intervals: [run 1 min]", schedule: "{ per_week: 5, back_to_back: false }"), expected: [
        "Content/progressions/walk-run.md:3:23: error: 5 sessions a week cannot avoid back-to-back days; use per_week: 4 or fewer with back_to_back: false",
    ]),
    BadInput(name: "site without clinic", file: "Content/site.yaml", content: "phone: 555\n", expected: [
        "Content/site.yaml:1:1: error: missing required field 'clinic'",
    ]),
    BadInput(name: "site paper size", file: "Content/site.yaml", content: "clinic: C\npaper: legal\n", expected: [
        "Content/site.yaml:2:8: error: paper must be one of letter, a4; found 'legal'",
    ]),
    BadInput(name: "site week start", file: "Content/site.yaml", content: "clinic: C\nweek_starts: tuesday\n", expected: [
        "Content/site.yaml:2:14: error: week_starts must be one of monday, sunday; found 'tuesday'",
    ]),
    BadInput(name: "site includes unknown page", file: "Content/site.yaml", content: "clinic: C\ninclude_pages: [safty]\n", expected: [
        "Content/site.yaml:2:17: error: unknown education page 'safty'; did you mean 'safety'?",
    ]),
    BadInput(name: "plan language not a code", file: plan, content: planWith([:], adding: "language: Spanish!\n"), expected: [
        "Content/plans/p-0001.yaml:9:11: error: language must be a language code like en, es or zh-hans; found 'Spanish!'",
    ]),
    BadInput(name: "plan large print not yes or no", file: plan, content: planWith([:], adding: "large_print: big\n"), expected: [
        "Content/plans/p-0001.yaml:9:14: error: large_print must be true or false; found 'big'",
    ]),
    BadInput(name: "plan includes unknown page", file: plan, content: planWith([:], adding: "include_pages: [safty]\n"), expected: [
        "Content/plans/p-0001.yaml:9:17: error: unknown education page 'safty'; did you mean 'safety'?",
    ]),
    BadInput(name: "protocol includes unknown page", file: "Content/protocols/knee-basic.yaml", content: "weeks: 2\ninclude_pages: [pacin]\n", expected: [
        "Content/protocols/knee-basic.yaml:2:17: error: unknown education page 'pacin'; did you mean 'pacing'?",
    ]),
    BadInput(name: "protocol based on itself", file: "Content/protocols/knee-basic.yaml", content: "protocol: knee-basic\nweeks: 2\n", expected: [
        "Content/protocols/knee-basic.yaml:1:11: error: protocol 'knee-basic' cannot be based on itself",
    ]),

    // Hostile input, second round: what someone with write access to one file could try.
    BadInput(name: "stand-in spelled in a title", file: exercise, content: "---\ntitle: \"Forearm Plank \\0hnote\\0\"\n---\n## Setup\nA\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:2:8: error: title contains the control character NUL (U+0000); remove it",
    ]),
    BadInput(name: "NUL in a patient name", file: plan, content: planWith(["Alex Example": "\"Alex\\0\""]), expected: [
        "Content/plans/p-0001.yaml:1:10: error: patient contains the control character NUL (U+0000); remove it",
    ]),
    BadInput(name: "BEL in a patient name", file: plan, content: planWith(["Alex Example": "\"Alex\\a\""]), expected: [
        "Content/plans/p-0001.yaml:1:10: error: patient contains the control character BEL (U+0007); remove it",
    ]),
    BadInput(name: "CR in a patient name", file: plan, content: planWith(["Alex Example": "\"Alex\\rBob\""]), expected: [
        "Content/plans/p-0001.yaml:1:10: error: patient contains the control character CR (U+000D); remove it",
    ]),
    BadInput(name: "ESC in a patient name", file: plan, content: planWith(["Alex Example": "\"\\e[2JAlex\""]), expected: [
        "Content/plans/p-0001.yaml:1:10: error: patient contains the control character ESC (U+001B); remove it",
    ]),
    BadInput(name: "ESC typed into a page", file: "Content/pages/pacing.md", content: "---\ntitle: Pacing\n---\nGo \u{1B}[31mslow.\n", expected: [
        "Content/pages/pacing.md:4:4: error: text contains the control character ESC (U+001B); remove it",
    ]),
    BadInput(name: "tracking picture in plan notes", file: plan, content: planWith([:], adding: "notes: |\n  Hi ![t](https://tracker.example/pixel.png)\n"), expected: [
        "Content/plans/p-0001.yaml:10:6: error: notes cannot show pictures ('https://tracker.example/pixel.png'): put the picture in an exercise or education page and link to that",
    ]),
    BadInput(name: "links in plan notes", file: plan, content: planWith([:], adding: """
        notes: |
          Read [this](pages/safety.md), then
          [b](other.html)
          [c](images/logo.svg)
          [d](//host/x)
          [e](/abs)
          [f](javascript:alert(1))
          [g](data:text/html,hi)
          [h](pages/safty.md)
          [i](https:nowhere)
          [j](#top)
          [k](ftp://files.example/x) [m](mailto:desk@clinic.example) [t](tel:555-0100) [w](https://clinic.example/map)

        """), expected: [
        "Content/plans/p-0001.yaml:11:3: error: link 'other.html' does not point to content: link to pages/<slug>.md, exercises/<slug>.md, progressions/<slug>.md or a full https:// address",
        "Content/plans/p-0001.yaml:12:3: error: link 'images/logo.svg' does not point to content: link to pages/<slug>.md, exercises/<slug>.md, progressions/<slug>.md or a full https:// address",
        "Content/plans/p-0001.yaml:13:3: error: link '//host/x' has no scheme: write it in full, like https://host/x",
        "Content/plans/p-0001.yaml:14:3: error: link '/abs' is an absolute path, which breaks when the site moves: link to a full https:// address, mailto:, tel: or a content file like pages/safety.md",
        "Content/plans/p-0001.yaml:15:3: error: link 'javascript:alert(1)' is not allowed: link to a full https:// address, mailto:, tel: or a content file like pages/safety.md",
        "Content/plans/p-0001.yaml:16:3: error: link 'data:text/html,hi' is not allowed: link to a full https:// address, mailto:, tel: or a content file like pages/safety.md",
        "Content/plans/p-0001.yaml:17:3: error: link to 'pages/safty.md', which does not exist; did you mean 'safety'?",
        "Content/plans/p-0001.yaml:18:3: error: link 'https:nowhere' has no host: write a full address like https://example.org/page",
        "Content/plans/p-0001.yaml:19:3: error: link '#top' points to no page: link to a full https:// address, mailto:, tel: or a content file like pages/safety.md",
        "Content/plans/p-0001.yaml:20:3: error: link 'ftp://files.example/x' is not allowed: link to a full https:// address, mailto:, tel: or a content file like pages/safety.md",
    ]),
    BadInput(name: "link in notes on the key's line", file: plan, content: planWith([:], adding: "notes: \"Call [us](javascript:call())\"\n"), expected: [
        "Content/plans/p-0001.yaml:9:14: error: link 'javascript:call()' is not allowed: link to a full https:// address, mailto:, tel: or a content file like pages/safety.md",
    ]),
    BadInput(name: "link in a protocol's notes", file: "Content/protocols/knee-basic.yaml", content: "weeks: 2\nnotes: |\n  See [it](pages/pacng.md)\n", expected: [
        "Content/protocols/knee-basic.yaml:3:7: error: link to 'pages/pacng.md', which does not exist; did you mean 'pacing'?",
    ]),
    BadInput(name: "script and outside links in content", file: exercise, content: "---\ntitle: Bridge\n---\n## Setup\n[x](javascript:alert(1)) [y](vbscript:msgbox) [z](data:text/html;base64,PHNjcmlwdD4=)\n## Movement\n[a](//evil.example/x) [b](/etc/passwd) [c](#top)\n", expected: [
        "Content/exercises/bridge.md:5:1: error: link 'javascript:alert(1)' is not allowed: link to a full https:// address, mailto:, tel: or a content file like pages/safety.md",
        "Content/exercises/bridge.md:5:26: error: link 'vbscript:msgbox' is not allowed: link to a full https:// address, mailto:, tel: or a content file like pages/safety.md",
        "Content/exercises/bridge.md:5:47: error: link 'data:text/html;base64,PHNjcmlwdD4=' is not allowed: link to a full https:// address, mailto:, tel: or a content file like pages/safety.md",
        "Content/exercises/bridge.md:7:1: error: link '//evil.example/x' has no scheme: write it in full, like https://evil.example/x",
        "Content/exercises/bridge.md:7:23: error: link '/etc/passwd' is an absolute path, which breaks when the site moves: link to a full https:// address, mailto:, tel: or a content file like pages/safety.md",
        "Content/exercises/bridge.md:7:40: error: link '#top' points to no page: link to a full https:// address, mailto:, tel: or a content file like pages/safety.md",
    ]),
    BadInput(name: "exercise named like the library page", file: "Content/exercises/index.md", content: "---\ntitle: Index\n---\n## Setup\nA\n## Movement\nB\n", expected: [
        "Content/exercises/index.md:1:1: error: this file's page would be exercises/index.html, which is the exercise library page; rename the file",
    ]),
    BadInput(name: "year far in the future", file: plan, content: planWith(["2026-12-07": "9999-12-20"]), expected: [
        "Content/plans/p-0001.yaml:3:8: error: start must be in a year from 2000 to 2199; found '9999-12-20'",
    ]),
    BadInput(name: "year one", file: plan, content: planWith(["2026-12-07": "0001-01-01"]), expected: [
        "Content/plans/p-0001.yaml:3:8: error: start must be in a year from 2000 to 2199; found '0001-01-01'",
    ]),
    BadInput(name: "year just before 2000", file: plan, content: planWith(["2026-12-07": "1999-12-31"]), expected: [
        "Content/plans/p-0001.yaml:3:8: error: start must be in a year from 2000 to 2199; found '1999-12-31'",
    ]),
    BadInput(name: "progression start out of range", file: plan, content: planWith([:], adding: "progressions:\n  - progression: walk-run\n    start: 2200-01-01\n"), expected: [
        "Content/plans/p-0001.yaml:11:12: error: start must be in a year from 2000 to 2199; found '2200-01-01'",
    ]),
    BadInput(name: "the same exercise twice", file: plan, content: planWith(["    sets: 2\n": "    sets: 2\n  - exercise: bridge\n    sets: 2\n"]), expected: [
        "Content/plans/p-0001.yaml:8:15: error: exercise 'bridge' is listed twice with the same dosage and days (first on line 6); remove one",
    ]),
    BadInput(name: "the same exercise twice in a protocol", file: "Content/protocols/knee-basic.yaml", content: "weeks: 2\nexercises:\n  - exercise: clamshell\n  - exercise: clamshell\n", expected: [
        "Content/protocols/knee-basic.yaml:4:15: error: exercise 'clamshell' is listed twice with the same dosage and days (first on line 3); remove one",
    ]),
    // One truth for a week's dose (issue 21): WEEKLY is the number of the days in force.
    BadInput(name: "a change's days contradict its weekly", file: plan,
             content: planWith(["sets: 2": "changes:\n      - { week: 2, weekly: 2, days: [mon, wed, fri] }"]), expected: [
        "Content/plans/p-0001.yaml:8:37: error: days lists 3 days (mon, wed, fri) but weekly is 2; remove weekly (the days say how many) or make them agree",
    ]),
    BadInput(name: "a change of weekly alone while days are fixed", file: plan,
             content: planWith(["sets: 2": "days: [mon, wed]\n    changes:\n      - { week: 2, weekly: 3 }"]), expected: [
        "Content/plans/p-0001.yaml:9:9: error: week 2 changes weekly to 3 but this exercise is done on mon, wed; to change the days from week 2, write 'days: [...]' in this change instead of weekly",
    ]),
    BadInput(name: "a change of weekly after a change of days", file: plan,
             content: planWith(["sets: 2": "changes:\n      - { week: 3, weekly: 5 }\n      - { week: 2, days: [tue, thu] }"]), expected: [
        "Content/plans/p-0001.yaml:8:9: error: week 3 changes weekly to 5 but this exercise is done on tue, thu; to change the days from week 3, write 'days: [...]' in this change instead of weekly",
    ]),
    BadInput(name: "a weekday misspelt in a change", file: plan,
             content: planWith(["sets: 2": "changes:\n      - { week: 2, days: [mon, fryday] }"]), expected: [
        "Content/plans/p-0001.yaml:8:32: error: 'fryday' is not a weekday; did you mean 'fri'?",
    ]),
    BadInput(name: "sides not a side", file: plan, content: planWith(["sets: 2": "sides: both"]), expected: [
        "Content/plans/p-0001.yaml:7:12: error: sides must be one of each, left, right, none; found 'both'",
    ]),
    BadInput(name: "sides not a side in an exercise", file: exercise,
             content: "---\ntitle: Bridge\nsides: two\nimage: images/bridge.svg\nimage_alt: A bridge\n---\n## Setup\nA\n## Movement\nB\n", expected: [
        "Content/exercises/bridge.md:3:8: error: sides must be one of each, left, right, none; found 'two'",
    ]),
    BadInput(name: "an unknown pain rule", file: plan, content: planWith([:], adding: "pain_rule: pacng\n"), expected: [
        "Content/plans/p-0001.yaml:9:12: error: unknown education page 'pacng'; did you mean 'pacing'?",
    ]),
    BadInput(name: "a pain rule without a summary", file: plan, content: planWith([:], adding: "pain_rule: pacing\n"), expected: [
        "Content/plans/p-0001.yaml:9:12: error: page 'pacing' has no summary; a pain rule prints its summary beside the pain log on every calendar page, so add a short 'summary: …' to Content/pages/pacing.md",
    ]),
    BadInput(name: "a protocol's pain rule without a summary", file: "Content/protocols/knee-basic.yaml",
             content: "weeks: 2\npain_rule: pacing\n", expected: [
        "Content/protocols/knee-basic.yaml:2:12: error: page 'pacing' has no summary; a pain rule prints its summary beside the pain log on every calendar page, so add a short 'summary: …' to Content/pages/pacing.md",
    ]),
    BadInput(name: "site.yaml's pain rule", file: "Content/site.yaml", content: "clinic: Test Clinic\npain_rule: pacing\n", expected: [
        "Content/site.yaml:2:12: error: page 'pacing' has no summary; a pain rule prints its summary beside the pain log on every calendar page, so add a short 'summary: …' to Content/pages/pacing.md",
    ]),
    BadInput(name: "site.yaml's unknown pain rule", file: "Content/site.yaml", content: "clinic: Test Clinic\npain_rule: safty\n", expected: [
        "Content/site.yaml:2:12: error: unknown education page 'safty'; did you mean 'safety'?",
    ]),
    BadInput(name: "tick_each_side not yes or no", file: "Content/site.yaml", content: "clinic: Test Clinic\ntick_each_side: sometimes\n", expected: [
        "Content/site.yaml:2:17: error: tick_each_side must be true or false; found 'sometimes'",
    ]),
    BadInput(name: "a translation writes sides", file: "Content/exercises/bridge.es.md",
             content: "---\ntitle: Puente\nimage_alt: Un puente\nsides: each\n---\n## Posición\nA\n", expected: [
        "Content/exercises/bridge.es.md:4:8: error: 'sides' comes from the original, Content/exercises/bridge.md; a translation carries only its text, so delete this line",
    ]),
]

@Suite struct BadInputTests {
    @Test(arguments: badInputs + pauseInputs)
    func reportsExactDiagnostic(_ input: BadInput) throws {
        let site = try TestSite()
        try site.write(input.file, input.content)
        let errors = site.errors()
        #expect(errors == input.expected)
    }

    @Test func anErrorInContentStopsTheBuildAndWritesNothing() throws {
        let site = try TestSite()
        try site.write("Content/exercises/bridge.md", "---\ntitle: [Bridge\n---\n")
        let result = site.build()
        #expect(result.report == nil)
        #expect(!site.exists("Output"))
    }

    @Test func anErrorInAPlanBlocksOnlyThatPlan() throws {
        let site = try TestSite()
        try site.write(plan, planWith(["sets: 2": "sets: three"]))
        try site.write("Content/plans/p-0002.yaml", planWith([:]))
        let result = site.build()
        #expect(result.report?.blocked == ["p-0001"])
        #expect(result.report?.rendered == ["p-0002"])
        #expect(result.diagnostics == ["Content/plans/p-0001.yaml:7:11: error: sets must be a whole number from 1 to 100; found 'three'"])
        #expect(!site.exists("Output/patients/p-0001"))
        #expect(site.exists("Output/patients/p-0002/index.html"))
    }

    /// The colliding file is reported once, not again by every plan that names it.
    @Test func aCollidingExerciseIsReportedAtItsFileOnly() throws {
        let site = try TestSite()
        try site.write("Content/exercises/index.md", "---\ntitle: Index\n---\n## Setup\nA\n## Movement\nB\n")
        try site.write(plan, planWith(["exercise: bridge": "exercise: index"]))
        #expect(site.errors() == [
            "Content/exercises/index.md:1:1: error: this file's page would be exercises/index.html, which is the exercise library page; rename the file",
        ])
    }

    /// A picture at the top of Content/ and a template asset would both be assets/<name>.
    @Test func aPictureNamedLikeATemplateAsset() throws {
        let site = try TestSite()
        try FileManager.default.copyItem(at: site.url("Content/images/bridge.svg"), to: site.url("Content/logo.svg"))
        try FileManager.default.copyItem(at: site.url("Content/images/bridge.svg"), to: site.url("Templates/assets/logo.svg"))
        try site.write("Content/site.yaml", "clinic: Test Clinic\nlogo: logo.svg\n")
        #expect(site.errors() == [
            "Content/logo.svg:1:1: error: this picture would be copied to assets/logo.svg, where Templates/assets/logo.svg goes; move it into a folder like Content/images/",
        ])
    }

    /// Plan folders are alone in patients/, so a plan may have any valid id, even one
    /// named like a file Handout writes elsewhere.
    @Test func planIDsNamedLikeOutputFilesAreFine() throws {
        let site = try TestSite()
        for id in ["index", "assets", "patients", "exercises"] {
            try site.write("Content/plans/\(id).yaml", planWith([:]))
        }
        #expect(site.build().report != nil)
        for id in ["index", "assets", "patients", "exercises", "p-0001"] {
            #expect(site.exists("Output/patients/\(id)/index.html"))
        }
        #expect(try site.read("Output/index.html").contains("Clinic"))
        #expect(site.exists("Output/assets/site.css"))
    }

    @Test func reportsAllProblemsOfARunTogetherSorted() throws {
        let site = try TestSite()
        try site.write(plan, planWith(["sets: 2": "sets: three", "[pacing]": "[pacng]"]))
        try site.write("Content/plans/p-0002.yaml", planWith(["2026-12-07": "2026-02-30"]))
        #expect(site.errors() == [
            "Content/plans/p-0001.yaml:7:11: error: sets must be a whole number from 1 to 100; found 'three'",
            "Content/plans/p-0001.yaml:8:13: error: unknown education page 'pacng'; did you mean 'pacing'?",
            "Content/plans/p-0002.yaml:3:8: error: 2026-02-30 is not a real date: February 2026 has 28 days",
        ])
    }

    /// A field the rest depends on (a plan's start, the clinic's name) hides no other mistake.
    @Test func aBadDateOrAMissingClinicHidesNoOtherMistake() throws {
        let site = try TestSite()
        try site.write(plan, planWith(["2026-12-07": "12/14/2026"], adding: "notes: \"Call [us](javascript:alert(1))\"\n"))
        let planErrors = [
            "Content/plans/p-0001.yaml:3:8: error: start must be a date written YYYY-MM-DD, like 2026-12-07; found '12/14/2026'",
            "Content/plans/p-0001.yaml:9:14: error: link 'javascript:alert(1)' is not allowed: link to a full https:// address, mailto:, tel: or a content file like pages/safety.md",
        ]
        #expect(site.errors() == planErrors)
        try site.write("Content/site.yaml", "paper: legal\nvideo_qr: maybe\nlanguage: fr\n")
        #expect(site.errors() == planErrors + [
            "Content/site.yaml:1:1: error: missing required field 'clinic'",
            "Content/site.yaml:1:8: error: paper must be one of letter, a4; found 'legal'",
            "Content/site.yaml:2:11: error: video_qr must be true or false; found 'maybe'",
            "Content/site.yaml:3:11: error: no strings file for language 'fr'; add Templates/strings/fr.yaml (copy en.yaml and translate it) or use one of en, es, zh-hans",
        ])
    }

    /// `translation_fallback: none`, as the contract writes the default: a missing
    /// translation stays an error.
    @Test func translationFallbackNoneIsTheDefault() throws {
        let site = try TestSite()
        try site.write("Content/site.yaml", "clinic: Riverside PT\ntranslation_fallback: none\n")
        #expect(site.errors() == [])
    }
}

@Suite struct WarningTests {
    @Test func theSameExerciseTwiceWithOtherDaysOrDosageIsAWarning() throws {
        let site = try TestSite()
        try site.write(plan, planWith(["    sets: 2\n": "    sets: 2\n  - exercise: bridge\n    sets: 3\n  - exercise: bridge\n    days: [mon]\n"]))
        #expect(site.check() == [
            "Content/plans/p-0001.yaml:8:15: warning: exercise 'bridge' is listed twice (first on line 6); the handout shows both cards",
            "Content/plans/p-0001.yaml:10:15: warning: exercise 'bridge' is listed twice (first on line 6); the handout shows both cards",
        ])
    }

    /// A page listed twice, or also on every handout (include_pages), prints once.
    @Test func aPageListedTwicePrintsOnce() throws {
        let site = try TestSite()
        try site.write("Content/site.yaml", "clinic: Test Clinic\ninclude_pages: [safety, safety]\n")
        try site.write(plan, planWith(["[pacing]": "[pacing, safety, pacing]"]))
        #expect(site.check() == [
            "Content/plans/p-0001.yaml:8:21: warning: page 'safety' is in the handout's safety box already (include_pages in site.yaml); it prints once",
            "Content/plans/p-0001.yaml:8:29: warning: page 'pacing' is listed twice (first on line 8); it prints once",
            "Content/site.yaml:2:25: warning: page 'safety' is listed twice; it prints once",
        ])
        #expect(site.build().report != nil)
        let handout = try site.read("Output/patients/p-0001/index.html")
        for title in ["Pacing", "Safety first"] {
            #expect(handout.components(separatedBy: ">\(title)<").count == 2, "\(title) printed once")
        }
    }

    /// The pain rule heads the safety box: listed again in education or include_pages, it prints once.
    @Test func thePainRulePrintsOnce() throws {
        let site = try TestSite()
        try site.write("Content/site.yaml", "clinic: Test Clinic\npain_rule: safety\n")
        try site.write(plan, planWith(["[pacing]": "[pacing, safety]"], adding: "include_pages: [safety]\n"))
        #expect(site.check() == [
            "Content/plans/p-0001.yaml:8:21: warning: page 'safety' is the pain rule, which the handout's safety box prints already; it prints once",
            "Content/plans/p-0001.yaml:9:17: warning: page 'safety' is the pain rule, which the handout's safety box prints first already; it prints once",
        ])
        #expect(site.build().report != nil)
        let handout = try site.read("Output/patients/p-0001/index.html")
        #expect(handout.components(separatedBy: ">Safety first<").count == 2, "printed once")
    }

    @Test func anExerciseWithoutAPictureIsNamed() throws {
        let site = try TestSite()
        try site.write(exercise, "---\ntitle: Bridge\ndosage: { reps: 10 }\n---\n## Setup\nA\n## Movement\nB\n")
        #expect(site.check() == [
            "Content/exercises/bridge.md:2:1: warning: exercise 'bridge' has no picture; add 'image:' and 'image_alt:' so the patient can see how it is done",
        ])
    }

    /// The include_pages that apply are the plan's or its protocol's when they set them: the
    /// site's list then prints nothing, and the warning names the list that does.
    @Test func aPageInTheProtocolsSafetyBoxIsNamedThere() throws {
        let site = try TestSite()
        try site.write("Content/site.yaml", "clinic: Test Clinic\ninclude_pages: [pacing]\n")
        try site.write("Content/protocols/knee-basic.yaml", "weeks: 4\ninclude_pages: [safety]\neducation: [safety]\n")
        try site.write(plan, planWith(["weeks: 3\n": "protocol: knee-basic\n", "[pacing]": "[pacing, safety]"]))
        #expect(site.check() == [
            "Content/plans/p-0001.yaml:8:21: warning: page 'safety' is in the handout's safety box already (include_pages in Content/protocols/knee-basic.yaml, line 2); it prints once",
            "Content/protocols/knee-basic.yaml:3:13: warning: page 'safety' is in the handout's safety box already (include_pages in Content/protocols/knee-basic.yaml, line 2); it prints once",
        ])
        // Keys that cannot meet: a dictionary's order differs from run to run, and "[pacing]"
        // would also match the include_pages line the first replacement writes.
        try site.write(plan, planWith(["weeks: 3\n": "protocol: knee-basic\ninclude_pages: [pacing]\n", "education: [pacing]": "education: [safety]"]))
        #expect(site.check() == [
            "Content/protocols/knee-basic.yaml:3:13: warning: page 'safety' is in the handout's safety box already (include_pages in Content/protocols/knee-basic.yaml, line 2); it prints once",
        ])
    }


    @Test func oneVariableAtATimeForExercises() throws {
        let site = try TestSite()
        try site.write(plan, planWith(["sets: 2": "changes:\n      - { week: 2, sets: 4, reps: 12 }\n      - { week: 3, sets: 5 }"]))
        #expect(site.check() == [
            "Content/plans/p-0001.yaml:8:9: warning: week 2 changes reps and sets of 'bridge' at once; change one variable at a time",
        ])
    }

    @Test func oneVariableAtATimeForStages() throws {
        let site = try TestSite()
        try site.write(progression, progressionWith(stages: "  - intervals: [walk 2 min, run 1 min]\n  - intervals: [walk 1 min, run 2 min]\n  - intervals: [run 5 min]"))
        #expect(site.check() == [
            "Content/progressions/walk-run.md:8:5: warning: this stage changes walk time and run time at once; change one variable at a time",
        ])
    }

    @Test func videoAddressWithoutHTTPS() throws {
        let site = try TestSite()
        try site.write(exercise, "---\ntitle: Bridge\nvideo: http://videos.example.org/bridge\nimage: images/bridge.svg\nimage_alt: A bridge\n---\n## Setup\nA\n## Movement\nB\n")
        #expect(site.check() == [
            "Content/exercises/bridge.md:3:8: warning: video address is not https://; phones warn about or refuse plain http:// pages, so use the https:// address",
        ])
    }

    @Test func longVideoAddressIsFineWithoutCodes() throws {
        let site = try TestSite()
        try site.write("Content/site.yaml", "clinic: Test Clinic\ninclude_pages: [safety]\nvideo_qr: false\n")
        try site.write(exercise, "---\ntitle: Bridge\nvideo: https://videos.example.org/\(String(repeating: "x", count: 150))\nimage: images/bridge.svg\nimage_alt: A bridge\n---\n## Setup\nA\n## Movement\nB\n")
        #expect(site.check() == [])
        // Without its code, the card still prints the video's address, without "scan the code".
        _ = site.build()
        let handout = try site.read("Output/patients/p-0001/index.html")
        #expect(handout.contains("<p class=\"video\"><strong>Video:</strong> <a href=\"https://videos.example.org/xxx"))
        #expect(!handout.contains("<svg") && !handout.contains("scan the code"))
    }

    @Test func twoChangesForOneWeekIsAnError() throws {
        let site = try TestSite()
        try site.write(plan, planWith(["sets: 2": "changes:\n      - { week: 2, sets: 3 }\n      - { week: 2, reps: 5 }"]))
        #expect(site.errors() == ["Content/plans/p-0001.yaml:9:9: error: week 2 has two changes; put them in one entry"])
    }

    @Test func warningsDoNotStopTheBuild() throws {
        let site = try TestSite()
        try site.write(plan, planWith(["sets: 2": "changes:\n      - { week: 2, sets: 4, reps: 12 }"]))
        let result = site.build()
        #expect(result.report != nil)
        #expect(result.diagnostics.count == 1)
    }
}
