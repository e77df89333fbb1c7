"""The .ics file imports into a standard iCalendar parser (the `icalendar` package) with
one all-day event per day that the calendar page lists something for."""

from __future__ import annotations

import datetime
import re

from icalendar import Calendar


def test_ics_matches_the_calendar_page(sites):
    site = sites["letter"]
    for plan in site.plans:
        folder = site.output / "patients" / plan.id
        raw = (folder / "calendar.ics").read_bytes()
        assert b"\n" not in raw.replace(b"\r\n", b""), "bare LF in .ics"
        assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "line longer than 75 octets"
        calendar = Calendar.from_ical(raw)
        assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
        events = calendar.walk("VEVENT")
        days = [event.decoded("DTSTART") for event in events]
        assert all(type(day) is datetime.date for day in days), "events are all-day"
        assert len(days) == len(set(days)), "one event per day"
        assert len({str(event["UID"]) for event in events}) == len(events)
        for event in events:
            assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(days=1)
            assert str(event["DTSTAMP"].to_ical().decode()).endswith("Z")
            assert str(event["SUMMARY"]).strip() and str(event["DESCRIPTION"]).strip()
        # Every in-plan day on the calendar page with a tick box is an event, and no other.
        html = (folder / "calendar.html").read_text()
        cells = re.findall(r'<td class="day[^"]*">(.*?)</td>', html, re.S)
        busy = [cell for cell in cells if 'type="checkbox"' in cell]
        assert len(busy) == len(events)
