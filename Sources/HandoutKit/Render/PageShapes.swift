/// The context each template receives. `TemplateSet` checks templates against these and
/// tests check the built contexts against them, so a template can never read a name that
/// is not there.
enum PageShapes {
    static let picture: Shape = .object(["src": .text, "alt": .text])

    static let clinic: Shape = .object([
        "name": .text, "address": .optional(.text), "phone": .optional(.text),
        "footer": .optional(.text), "logo": .optional(picture),
    ])

    static let layout: Shape = .object([
        "lang": .text, "title": .text, "root": .text, "body_class": .text, "clinic": clinic,
        "paper": .text, "large_print": .flag,
        "page_stylesheet": .optional(.text), "script": .optional(.text), "content": .html,
        // A patient's pages: "Version 3f9a2c1e", the plan and content they were made from.
        "version": .optional(.text),
    ])

    static let stage: Shape = .object(["number": .text, "text": .text, "note": .optional(.text)])

    static let progressionBody: [String: Shape] = [
        "title": .text, "href": .text, "schedule_text": .text, "advance_text": .text,
        "if": .optional(.text), "otherwise": .optional(.text), "then": .optional(.text),
        "stages": .list(stage), "html": .html,
    ]

    static let section: Shape = .object(["heading": .text, "html": .html])

    static let card: Shape = .object([
        "title": .text, "href": .text, "picture": .optional(picture), "dosage_line": .text,
        "days_text": .optional(.text), "intro": .optional(.html), "sections": .list(section),
        "note": .optional(.text), // A change's own days are `new_days`: a missing value is looked up in the card around it,
        // so a change without days would otherwise print the card's.
        "changes": .optional(.list(.object(["week": .text, "label": .text, "dosage_line": .text, "new_days": .optional(.text)]))),
        "video": .optional(.text), "lang": .optional(.text),
        // The QR code as inline SVG, with the address beside it.
        "video_code": .optional(.object(["svg": .html, "address": .text, "href": .text])),
    ])

    static let educationItem: Shape = .object(["title": .text, "summary": .optional(.text), "html": .html, "href": .text,
                                               "lang": .optional(.text)])

    static let handout: Shape = .object([
        "clinic": clinic, "patient": .text, "therapist": .optional(.text), "condition": .optional(.text),
        "start": .text, "end": .text, "weeks": .text, "calendar_href": .text, "ics_href": .text,
        // "Plan ended early on …" and "Paused … to …: note", each a line.
        "ended": .optional(.text), "pauses": group(.text),
        // Each card rendered with `exercise-card`.
        "exercises": .optional(.object(["cards": .list(.object(["html": .html]))])),
        // Each rendered with `handout-progression`.
        "progressions": .optional(.list(.object(["html": .html]))),
        "cross_training": .optional(.object(["activities": .text, "days_text": .text, "note": .optional(.text)])),
        "education": .optional(.object(["pages": .list(educationItem)])),
        // The safety box: the pain rule's page, then the pages for this condition, in one box.
        "important": .optional(.object(["pages": .list(educationItem)])),
        "notes_html": .optional(.html),
    ])

    /// `lang`: set when the progression's text is in another language than the page.
    static let handoutProgression: Shape = .object(progressionBody.merging(["start": .text, "days_text": .text, "lang": .optional(.text)]) { a, _ in a })

    /// One thing to do on a day: a tick box for each session (DAILY) and side, each named for
    /// a screen reader (`aria`) and marked with its side ("L"); `several` when there is more than one.
    static let calendarItem: Shape = .object(["label": .text, "detail": .optional(.text), "kind": .text, "note": .optional(.text),
                                              "label_lang": .optional(.text), "note_lang": .optional(.text),
                                              "ticks": .list(.object(["aria": .text, "mark": .optional(.text)])), "several": .flag])

    /// The pain rule's short text (its page's summary), and its language when not the page's.
    static let painRule: Shape = .optional(.object(["text": .text, "lang": .optional(.text)]))

    /// One day's cell. `items`: each rendered with `calendar-item`; absent on rest days and
    /// before the plan starts.
    static let calendarDay: Shape = .object([
        "date": .text, "weekday": .text, "class": .text, "in_plan": .flag, "rest": .flag, "items": .optional(.html),
        // A paused day (with the pause's note) or a day after the plan ended: nothing is due.
        "paused": .flag, "pause_note": .optional(.text), "ended": .flag,
    ])

    /// One week's row; `days`: each rendered with `calendar-day`.
    /// `label`: "Week 3" in the page's language.
    static let calendarWeek: Shape = .object(["number": .text, "label": .text, "range": .text, "days": .html])

    /// Large print: one week as a table with a row for each thing to do and a column for each day.
    static let calendarWeekLog: Shape = .object([
        "number": .text, "label": .text, "range": .text, "notes": .text,
        // `paused`, `ended`: "Paused" or "Plan ended" under the date.
        "days": .list(.object(["class": .text, "weekday": .text, "short": .text, "day": .text, "paused": .flag, "ended": .flag])),
        "pauses": group(.text),
        // A row per thing to do; in a day's cell a tick box for each session the day asks for,
        // each side apart (marked L, R) when the sides are ticked apart.
        "rows": .list(.object([
            "kind": .text, "label": .text, "dose": .optional(.text), "note": .optional(.text),
            "label_lang": .optional(.text), "note_lang": .optional(.text),
            "cells": .list(.object(["class": .text, "ticks": .list(.object(["aria": .text, "mark": .optional(.text)]))])),
        ])),
        "pain": .list(.object(["class": .text, "in_plan": .flag, "aria": .text])),
        "pain_rule": painRule,
    ])

    static let calendar: Shape = .object([
        "clinic": clinic, "patient": .text, "start": .text, "end": .text, "handout_href": .text, "ics_href": .text,
        "ended": .optional(.text),
        // What cross-training days ask for, printed once: "walking or swimming. 20 minutes, easy effort."
        "cross_training": .optional(.text),
        // "L: left side. R: right side." when tick boxes are marked with their side.
        "sides_key": .flag,
        // Printed at the foot of every page of the landscape calendar (large print: in each week).
        "pain_rule": painRule,
        // Large print: each week rendered with `calendar-week-log`; otherwise with `calendar-week`.
        "large_print": .flag,
        "day_names": .list(.object(["name": .text, "short": .text])),
        // Each week rendered with `calendar-week`.
        "weeks": .html,
    ])

    static let index: Shape = .object([
        "clinic": clinic, "show_names": .flag,
        "plans": .optional(.list(.object([
            "id": .text, "patient": .optional(.text), "therapist": .optional(.text), "condition": .optional(.text),
            "start": .text, "end": .text, "weeks": .text, "handout_href": .text, "calendar_href": .text, "ics_href": .text,
            "search": .text, "ended": .flag,
        ]))),
        "therapists": .optional(.list(.text)),
        "library_href": .text,
    ])

    /// The cover page of a day's batch (`handout pdf --changed-since`): the plans it holds, in
    /// order, and why each; patients' names only when the site's index shows them.
    static let batchCover: Shape = .object([
        "day": .text, "since": .text, "count": .text, "show_names": .flag,
        "plans": .list(.object(["id": .text, "patient": .optional(.text), "reasons": .text, "start": .text])),
    ])

    /// A list that may be empty, wrapped so a template can put a heading around it once.
    static func group(_ element: Shape) -> Shape { .optional(.object(["items": .list(element)])) }

    static let usedBy: Shape = group(.object(["title": .text, "href": .optional(.text)]))

    static let exercisePage: Shape = .object([
        "clinic": clinic, "title": .text, "picture": .optional(picture), "dosage_line": .text,
        "intro": .optional(.html), "sections": .list(section), "video": .optional(.text),
        "tags": group(.text), "protocols": usedBy,
    ])

    static let library: Shape = .object([
        "clinic": clinic,
        "tags": .optional(.list(.object([
            // `tags`: the exercise's tags, space-separated, which the filter reads.
            "tag": .text, "exercises": .list(.object(["title": .text, "href": .text, "dosage_line": .text, "tags": .text])),
        ]))),
        // The filter's choices: body regions and conditions of the tag vocabulary.
        "regions": .optional(.list(.text)), "conditions": .optional(.list(.text)),
        "progressions": usedBy, "pages": usedBy, "protocols": group(.object([
            "title": .text, "condition": .optional(.text), "exercises": usedBy,
        ])),
    ])

    static let educationPage: Shape = .object([
        "clinic": clinic, "title": .text, "summary": .optional(.text), "html": .html,
    ])

    static let progressionPage: Shape = .object(
        progressionBody.merging(["clinic": clinic, "protocols": usedBy]) { a, _ in a })

    /// Page templates and the shape of their context.
    static let pages: [(template: String, shape: Shape)] = [
        ("layout", layout), ("handout", handout), ("calendar", calendar), ("exercise-card", card), ("handout-progression", handoutProgression), ("calendar-week", calendarWeek), ("calendar-week-log", calendarWeekLog), ("calendar-day", calendarDay), ("calendar-item", calendarItem), ("index", index),
        ("exercise", exercisePage), ("library", library), ("page", educationPage), ("progression", progressionPage),
        ("batch-cover", batchCover),
    ]
}
