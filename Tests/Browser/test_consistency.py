"""One truth for a week's dose (issue 21), read from what the patient gets, never from the
model: for every sample plan (normal and large print) and every fixture plan, week by week,
each exercise's tick boxes on the calendar and in the .ics equal WEEKLY × DAILY on that
week's dose line on the handout (× 2 when the line says each side and the clinic ticks each
side), each day an exercise is due has DAILY boxes (× 2), and a printed "Days:" line names
as many days as WEEKLY says. A week with paused days or days after the plan ended has no
more boxes than that, and those days none at all."""

from __future__ import annotations

import collections
import datetime
import re
import shutil

import pytest
from icalendar import Calendar, vText

import htmltree
from conftest import REPO, build_site, yaml_value

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@pytest.fixture(scope="module")
def fixture_sites(handout_bin, tmp_path_factory, hostile, chinese_site):
    """The test fixtures' plans: the minimal site (normal and large print), the hostile site,
    and the Simplified Chinese patient beside the sample (the last two as the other tests
    build them)."""
    built = []
    for name, content, settings in [("minimal", REPO / "Tests/HandoutKitTests/Fixtures/minimal/Content", {}),
                                    ("minimal-large", REPO / "Tests/HandoutKitTests/Fixtures/minimal/Content", {"large_print": "true"})]:
        source = tmp_path_factory.mktemp(name + "-source")
        shutil.copytree(content, source / "Content")
        shutil.copytree(REPO / "Templates", source / "Templates")
        # The fixture plan paused twice (once inside its first week) and ended early.
        plan = (source / "Content" / "plans" / "p-0001.yaml").read_text()
        (source / "Content" / "plans" / "p-0009.yaml").write_text(
            plan + "pauses:\n  - { from: 2026-12-08, to: 2026-12-09, note: Cold }\n  - { from: 2026-12-17, to: 2026-12-20 }\nended: 2026-12-24\n")
        built.append(build_site(handout_bin, source, tmp_path_factory.mktemp(name) / "site", name, settings))
    return built + [hostile, chinese_site]


def pattern(template: str, **groups: str) -> re.Pattern:
    """A strings-file text as a regular expression, its {values} as the given groups."""
    parts = re.split(r"(\{\w+\})", template)
    return re.compile("".join(groups.get(part[1:-1], r".*?") if part.startswith("{") else re.escape(part) for part in parts))


class Paper:
    """One plan's printed handout, calendar and .ics, read back."""

    def __init__(self, site, plan):
        self.site, self.plan, self.strings = site, plan, plan.strings
        folder = site.output / "patients" / plan.id
        self.handout = htmltree.parse((folder / "index.html").read_text())
        self.calendar = htmltree.parse((folder / "calendar.html").read_text())
        self.ics = Calendar.from_ical((folder / "calendar.ics").read_bytes())
        site_yaml = (site.root / "Content" / "site.yaml").read_text()
        self.tick_each_side = (yaml_value(site_yaml, "tick_each_side") or "true") != "false"
        # The calendar's first day, as its first week's row shows it: week 1 holds the start.
        plan_text = (site.root / "Content" / "plans" / f"{plan.id}.yaml").read_text()
        start = datetime.date.fromisoformat(yaml_value(plan_text, "start"))
        week_starts = WEEKDAYS.index(yaml_value(site_yaml, "week_starts") or "monday")
        self.first_day = start - datetime.timedelta(days=(start.weekday() - week_starts) % 7)

    def doses(self) -> dict[str, list[tuple[int, dict]]]:
        """Each card's dose lines, by title: (from week, {weekly, daily, each_side, days}),
        the card's own line from week 1, then each "From week N:" line, which prints what
        it changes (and the new days)."""
        s = self.strings
        separator = s["dosage_separator"]
        daily, weekly = pattern(s["dosage_daily"], n=r"(\d+)"), pattern(s["dosage_weekly"], n=r"(\d+)")
        from_week = pattern(s["from_week"], n=r"(\d+)")

        def read(line: str, days_text: str | None, before: dict | None = None) -> dict:
            parts = [part.strip() for part in line.split(separator.strip())]
            dose = dict(before or {}, days=days_text or (before or {}).get("days"))
            dose["each_side"] = dose.get("each_side", False) or s["dosage_sides_each"] in parts
            for part in parts:
                if match := daily.fullmatch(part):
                    dose["daily"] = int(match.group(1))
                if match := weekly.fullmatch(part):
                    dose["weekly"] = int(match.group(1))
            assert "daily" in dose and "weekly" in dose, f"{self.plan.id}: the dose line {line!r} lacks DAILY or WEEKLY"
            return dose

        cards = collections.defaultdict(list)
        for card in self.handout.find_all("section", "card"):
            title = card.find("h3").text()
            days = card.find("p", "days")
            lines = [(1, read(card.find("p", "dosage").text(), days and days.text().split(s["days"], 1)[1].strip()))]
            for change in card.find_all("p", "change"):
                label = change.find("strong").text()
                week = int(from_week.fullmatch(label).group(1))
                text = change.text()[len(label):].strip()
                line, _, days_text = text.partition(" " + s["days"] + " ")
                lines.append((week, read(line, days_text or None, lines[-1][1])))
            cards[title].append(lines)
        return cards

    def boxes_per_day(self, dose: dict) -> int:
        return dose["daily"] * (2 if dose["each_side"] and self.tick_each_side else 1)

    def calendar_ticks(self) -> dict[tuple[str, int], list[int]]:
        """(title, week) -> the tick boxes of each day the exercise is due, from the page."""
        found = collections.defaultdict(list)
        for row in self.calendar.find_all("tr", "week"):  # landscape: a row a week, a cell a day
            week = int(re.search(r"\d+", row.find("th").text(skip_classes=frozenset({"range"}))).group())
            for cell in row.find_all("td", "day"):
                for item in cell.find_all("div", "exercise"):
                    found[(item.find("span", "label").text(), week)].append(len(item.find_all("input")))
        for table in self.calendar.find_all("table", "week-log"):  # large print: a row a thing (and side), a column a day
            week = int(re.search(r"\d+", table.find("caption").text(skip_classes=frozenset({"range"}))).group())
            per_day = collections.defaultdict(int)
            for row in table.find_all("tr", "exercise"):
                title = row.find("span", "label").text()
                for day, cell in enumerate(row.find_all("td")):
                    if ticks := len(cell.find_all("input")):
                        per_day[(title, day)] += ticks
            for (title, _), ticks in sorted(per_day.items()):
                found[(title, week)].append(ticks)
        return found

    def ics_ticks(self, titles: set[str]) -> dict[tuple[str, int], list[int]]:
        """(title, week) -> the boxes (☐) of each day's event line for the exercise."""
        marks = "|".join(re.escape(self.strings[name]) for name in ("tick_left", "tick_right"))
        line_pattern = re.compile(rf"^((?:☐(?: (?:{marks}))? ?)+)(.*?)(?: — .*)?$")
        found = collections.defaultdict(list)
        for event in self.ics.walk("VEVENT"):
            week = (event.decoded("DTSTART") - self.first_day).days // 7 + 1
            for line in str(event["DESCRIPTION"]).split("\n"):
                match = line_pattern.match(line)
                assert match, f"{self.plan.id}: an .ics line without its boxes: {line!r}"
                if match.group(2) in titles:
                    found[(match.group(2), week)].append(match.group(1).count("☐"))
        return found

    def week_count(self) -> int:
        return len(self.calendar.find_all("tr", "week")) + len(self.calendar.find_all("table", "week-log"))

    def weeks(self) -> list[tuple[int, list]]:
        """(week number, its day cells or day headings), landscape or large print."""
        found = []
        for row in self.calendar.find_all("tr", "week"):
            found.append((int(re.search(r"\d+", row.find("th").text(skip_classes=frozenset({"range"}))).group()), row.find_all("td", "day")))
        for table in self.calendar.find_all("table", "week-log"):
            week = int(re.search(r"\d+", table.find("caption").text(skip_classes=frozenset({"range"}))).group())
            found.append((week, table.find("thead").find_all("th", "day")))
        return found

    def whole_weeks(self) -> set[int]:
        """Weeks whose every day is a plan day: none before the start (only the first week
        can have some), paused or after the plan ended."""
        off = {"before-start", "paused", "ended"}
        partial = {week for week, days in self.weeks() if any(off & set(day.classes) for day in days)}
        return set(range(1, self.week_count() + 1)) - partial

    def off_days_with_ticks(self) -> list[str]:
        """Paused days and days after the plan ended that hold a tick box, on the page or in the .ics."""
        problems = []
        for row in self.calendar.find_all("tr", "week"):
            for cell in row.find_all("td", "day"):
                if {"paused", "ended"} & set(cell.classes) and cell.find_all("input"):
                    problems.append(f"a {cell.attrs['class']} day on the calendar has a box or pain blank")
        for table in self.calendar.find_all("table", "week-log"):
            heads = table.find("thead").find_all("th", "day")
            off = [i for i, th in enumerate(heads) if {"paused", "ended"} & set(th.classes)]
            for row in table.find("tbody").find_all("tr"):
                cells = row.find_all("td")
                problems += [f"a {heads[i].attrs['class']} day of the large-print week has a box" for i in off if cells[i].find_all("input")]
        return problems

    def problems(self) -> list[str]:
        doses = self.doses()
        assert doses, f"{self.plan.id}: no exercise card"
        problems = self.off_days_with_ticks()
        counted = {"calendar": self.calendar_ticks(), ".ics": self.ics_ticks(set(doses))}
        for title, cards in doses.items():
            for week in range(1, self.week_count() + 1):
                week_doses = [next(dose for start, dose in reversed(lines) if start <= week) for lines in cards]
                for dose in week_doses:
                    if dose["days"] is not None:
                        named = 7 if dose["days"] == self.strings["every_day"] else len(dose["days"].split(self.strings["list_separator"].strip()))
                        if named != dose["weekly"]:
                            problems.append(f"{title}, week {week}: 'Days' names {named} days but WEEKLY is {dose['weekly']}")
                full = sum(dose["weekly"] * self.boxes_per_day(dose) for dose in week_doses)
                per_day = {self.boxes_per_day(dose) for dose in week_doses}
                for where, ticks in counted.items():
                    days = ticks.get((title, week), [])
                    if week in self.whole_weeks() and sum(days) != full:
                        problems.append(f"{title}, week {week}: {sum(days)} tick boxes on the {where}, but the dose line says "
                                        + " + ".join(f"WEEKLY {d['weekly']} × DAILY {d['daily']}" + (" × 2 sides" if d["each_side"] and self.tick_each_side else "")
                                                     for d in week_doses) + f" = {full}")
                    if week not in self.whole_weeks() and sum(days) > full:
                        problems.append(f"{title}, week {week} (part of a week): {sum(days)} tick boxes on the {where}, more than {full}")
                    if len(week_doses) == 1 and any(day not in per_day for day in days):
                        problems.append(f"{title}, week {week}: a day on the {where} has {days} boxes, not {per_day}")
        return problems


@pytest.mark.parametrize("variant", ["letter", "large-print"])
def test_every_sample_plan_ticks_what_its_dose_line_says(sites, variant):
    site = sites[variant]
    assert len(site.plans) >= 6
    problems = {plan.id: found for plan in site.plans if (found := Paper(site, plan).problems())}
    assert problems == {}


def test_every_fixture_plan_ticks_what_its_dose_line_says(fixture_sites):
    checked = 0
    for site in fixture_sites:
        for plan in site.plans:
            assert Paper(site, plan).problems() == [], f"{site.name} {plan.id}"
            checked += 1
    assert checked >= 10


def test_the_check_finds_a_tick_box_on_a_paused_day(sites):
    site = sites["letter"]
    plan = next(plan for plan in site.plans if plan.id == "demo-0009")
    paper = Paper(site, plan)
    assert paper.problems() == [] and 3 not in paper.whole_weeks() and 4 not in paper.whole_weeks()
    cell = paper.calendar.find("td", "paused")
    cell.children.append(paper.calendar.find("td", "day").find("input"))
    assert any("paused day on the calendar" in problem for problem in paper.problems())


def test_the_check_finds_a_missing_or_extra_tick_box(sites):
    """The same paper with one box taken off an exercise on a calendar day, and one added to
    an exercise in the .ics: both are caught."""
    site = sites["letter"]
    plan = next(plan for plan in site.plans if plan.id == "demo-0008")
    paper = Paper(site, plan)
    assert paper.problems() == []
    item = paper.calendar.find("div", "exercise")
    item.find("span", "ticks").children.pop()
    event = next(event for event in paper.ics.walk("VEVENT") if "☐" in str(event["DESCRIPTION"]))
    event["DESCRIPTION"] = vText(str(event["DESCRIPTION"]).replace("☐", "☐ ☐", 1))
    problems = paper.problems()
    assert any("on the calendar" in problem for problem in problems), problems
    assert any("on the .ics" in problem for problem in problems), problems
