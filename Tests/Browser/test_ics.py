"""The .ics file imports into a standard iCalendar parser (the `icalendar` package) with
one all-day event per day that the calendar page lists something for."""

from __future__ import annotations

import datetime
import re

from icalendar import Calendar

from conftest import yaml_value


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


def alarms(event) -> list:
    return [component for component in event.subcomponents if component.name == "VALARM"]


def test_ics_reads_in_vobject_too_with_each_reminder(sites):
    """The second parser reads every file the first does, event for event, and each event's
    reminder is as the plan or site.yaml asks: one alarm, displayed, at the time of day
    after the all-day event's start, in the plan's language; none with `reminders: none`."""
    import vobject

    site = sites["letter"]
    site_yaml = (site.root / "Content" / "site.yaml").read_text()
    checked = 0
    for plan in site.plans:
        raw = (site.output / "patients" / plan.id / "calendar.ics").read_bytes()
        first = Calendar.from_ical(raw)
        second = vobject.readOne(raw.decode("utf-8"))
        events = first.walk("VEVENT")
        assert len(second.vevent_list) == len(events)
        plan_yaml = (site.root / "Content" / "plans" / f"{plan.id}.yaml").read_text()
        setting = yaml_value(plan_yaml, "reminders") or yaml_value(site_yaml, "reminders")
        if setting == "none":
            assert all(not alarms(event) for event in events) and all(not hasattr(e, "valarm") for e in second.vevent_list)
            continue
        time = re.search(r'time: "(\d\d):(\d\d)"', setting).groups()
        trigger = datetime.timedelta(hours=int(time[0]), minutes=int(time[1]))
        prefix = plan.strings["ics_reminder"].split("{")[0]
        for event, read in zip(events, second.vevent_list):
            (alarm,) = alarms(event)
            assert str(alarm["ACTION"]) == "DISPLAY"
            assert alarm.decoded("TRIGGER") == trigger
            assert str(alarm["DESCRIPTION"]) == prefix + str(event["SUMMARY"])
            assert len(read.valarm_list) == 1
            assert read.valarm.trigger.value == trigger and read.valarm.action.value == "DISPLAY"
            assert read.valarm.description.value == str(alarm["DESCRIPTION"])
            assert read.dtstart.value == event.decoded("DTSTART") and read.summary.value == str(event["SUMMARY"])
        checked += 1
    assert checked >= 5  # the site's 08:00, demo-0009's own 18:30 and Spanish demo-0008; demo-0007 says none


def test_paused_days_have_no_event(sites):
    """demo-0009 is paused from 2027-01-20 to 2027-01-26: no event on those days, and the
    calendar prints them paused with the note, without a tick box."""
    site = sites["letter"]
    folder = site.output / "patients" / "demo-0009"
    days = {event.decoded("DTSTART") for event in Calendar.from_ical((folder / "calendar.ics").read_bytes()).walk("VEVENT")}
    paused = {datetime.date(2027, 1, 20) + datetime.timedelta(days=n) for n in range(7)}
    assert not days & paused
    assert datetime.date(2027, 1, 19) in days and datetime.date(2027, 1, 27) in days
    html = (folder / "calendar.html").read_text()
    cells = re.findall(r'<td class="day paused">(.*?)</td>', html, re.S)
    assert len(cells) == 7
    assert all("Flu: rest and drink plenty of fluids." in cell and "<input" not in cell for cell in cells)
