"""The starter library (Content/): a plan started from each of its protocols, in English and
in Spanish, built once on Letter and once on A4 and printed by headless Chromium, holds the
print rules of test_print.py (no card split, the handout at most 5 pages, the calendar
two weeks a page with no week split, no page left mostly blank, text at least 12 pt), with no
English on the Spanish paper; its pages pass the Nu HTML Checker and axe-core. The library's
own rules are checked from the files: every exercise has a picture, a Spanish translation and
tags from the vocabulary of docs/FORMATS.md; every protocol names its sources and has a
Spanish variant.

One build per paper for all protocols, printed by one Chromium (`handout pdf`), keeps it to
about a minute and a half on two cores."""

from __future__ import annotations

import concurrent.futures
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

import pdfcheck
from conftest import STARTER, STARTER_PAPERS, site_folder
from test_axe import axe_violations
from test_languages import english_left
from test_print import MAX_HANDOUT_PAGES

# A card never splits across pages (PRODUCT.md): one that does not fit moves whole and leaves
# the rest of its page blank. The sample's plans keep to MAX_HANDOUT_PAGES; the Spanish knee
# osteoarthritis plan, with five cards and a long safety box, takes one page more on Letter.
MAX_STARTER_HANDOUT_PAGES = MAX_HANDOUT_PAGES + 1

# The tag vocabulary of docs/FORMATS.md ("Tags"): where the body works, what it is for, and
# what kind of exercise it is. The library filters by the first two.
REGIONS = {"knee", "hip", "low-back", "core", "neck", "shoulder", "ankle-foot", "balance"}
CONDITIONS = {"knee-oa", "patellofemoral-pain", "shoulder-pain", "neck-pain", "ankle-sprain",
              "fall-prevention", "low-back-pain"}
KINDS = {"strength", "stretch", "mobility", "stability"}


def content() -> Path:
    return site_folder() / "Content"


def front_matter(path) -> dict:
    return yaml.safe_load(path.read_text().split("---\n", 2)[1])


def originals(folder: str):
    """The original (untranslated) files of a content folder."""
    return sorted(p for p in (content() / folder).glob("*.md") if p.name.count(".") == 1)


def protocols() -> list[str]:
    return sorted(p.stem for p in (content() / "protocols").glob("*.yaml"))


# --- the library, from its files ------------------------------------------------------
def test_every_exercise_has_a_picture_a_translation_and_known_tags():
    problems = []
    for path in originals("exercises"):
        meta = front_matter(path)
        slug = path.stem
        if not meta.get("image") or not (content() / meta["image"]).is_file():
            problems.append(f"{slug}: no picture")
        elif not meta.get("image_alt"):
            problems.append(f"{slug}: no image_alt")
        if not (path.parent / f"{slug}.es.md").is_file():
            problems.append(f"{slug}: no Spanish translation")
        tags = set(meta.get("tags") or [])
        if not tags & REGIONS:
            problems.append(f"{slug}: no body region among its tags {sorted(tags)}")
        if tags - REGIONS - CONDITIONS - KINDS:
            problems.append(f"{slug}: tags outside the vocabulary: {sorted(tags - REGIONS - CONDITIONS - KINDS)}")
    assert problems == []


def test_every_condition_has_exercises():
    used = {tag for path in originals("exercises") for tag in front_matter(path).get("tags") or []}
    assert CONDITIONS <= used and REGIONS - {"core"} <= used


def test_pictures_are_plain_line_drawings():
    """Small SVG files with nothing that runs or loads: no script, no link, no text, no font."""
    for path in sorted((content() / "images").glob("*.svg")):
        if path.stem == "logo":
            continue  # the clinic's logo is its name, as text
        svg = path.read_text()
        assert len(svg) < 4000, path.name
        for forbidden in ("<script", "href", "<text", "font", "@import", "url(", "<image", "<foreignObject"):
            assert forbidden not in svg, f"{path.name} contains {forbidden!r}"
        assert not re.search(r"\son\w+\s*=", svg), f"{path.name} has an event handler"
        assert re.search(r"<title[^>]*>[^<]+</title>", svg), f"{path.name} has no title"


def test_every_protocol_has_a_spanish_variant_and_the_starter_ones_name_their_sources():
    names = protocols()
    assert set(STARTER) <= set(names)
    for name in names:
        text = (content() / "protocols" / f"{name}.yaml").read_text()
        data = yaml.safe_load(text)
        if name.endswith("-es"):
            assert data.get("language") == "es" and data.get("protocol") == name[:-3], name
            continue
        assert f"{name}-es" in names, f"{name} has no Spanish variant {name}-es"
        if name in STARTER:
            # YAML has no place for them that prints nowhere: the leading comment names them.
            assert re.search(r"^# Sources:\n(# .+\n)+", text, re.M), f"{name} names no sources"
            for key in ("condition", "weeks", "exercises", "education", "include_pages", "pain_rule"):
                assert data.get(key), f"{name} sets no {key}"


# --- a plan from each protocol, built (conftest.py's `starter`) and printed --------------
@pytest.fixture(scope="module")
def starter_printed(handout_bin, starter, tmp_path_factory):
    """(paper, plan id, "index" | "calendar") -> the page printed by Chromium, read back.
    Printed with `handout pdf`, one Chromium for all of a build's plans (test_pdf_command.py
    holds its PDFs to the browser's own "Save as PDF")."""
    folder = tmp_path_factory.mktemp("starter-pdf")
    printed = {}
    for paper, site in starter.items():
        patients = [argument for plan in site.plans for argument in ("--patient", plan.id)]
        result = subprocess.run([str(handout_bin), "pdf", "--root", str(site.root), *patients, "--out", str(folder / paper)],
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        for plan in site.plans:
            for page, document in (("index", "handout"), ("calendar", "calendar")):
                printed[(paper, plan.id, page)] = folder / paper / f"{plan.id}-{document}.pdf"
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(zip(printed, pool.map(pdfcheck.Pdf.read, printed.values())))


def each_plan(starter, starter_printed, paper, page):
    site = starter[paper]
    for plan in site.plans:
        yield site, plan, starter_printed[(paper, plan.id, page)]


def test_the_library_and_the_plans_check_clean(handout_bin, starter):
    """`handout check`: no error and no warning (reading level, pictures, one change at a time)."""
    result = subprocess.run([str(handout_bin), "check", "--root", str(starter["letter"].root)],
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout, result.stderr) == (0, "0 errors, 0 warnings\n", "")


def test_a_plan_for_each_protocol_in_both_languages(starter):
    plans = starter["letter"].plans
    assert len(plans) == 2 * len(STARTER)
    assert {plan.language for plan in plans} == {"en", "es"}


@pytest.mark.parametrize("paper", STARTER_PAPERS)
def test_handouts_print_whole_on_at_most_five_pages(starter, starter_printed, paper, tmp_path):
    problems = []
    for site, plan, pdf in each_plan(starter, starter_printed, paper, "index"):
        html = site.patient_page(plan, "index").read_text()
        found = pdfcheck.check_page_size(pdf, paper, landscape=False)
        if pdf.count > MAX_STARTER_HANDOUT_PAGES:
            found.append(f"{pdf.count} pages")
        found += pdfcheck.check_cards_whole(pdf, pdfcheck.cards_in(html))
        found += pdfcheck.check_no_heading_at_page_foot(pdf, pdfcheck.headings_in(html), [plan.patient, site.clinic])
        found += pdfcheck.check_running_header(pdf, plan.patient, site.clinic)
        found += pdfcheck.check_page_numbers(pdf, plan.page_of)
        blank = pdfcheck.blank_fractions(pdf.path, tmp_path / plan.id, margin_mm=20)
        found += pdfcheck.check_blank_only_before_moved_cards(pdf, blank, pdfcheck.cards_in(html), margin_mm=20, limit=0.35)
        problems += [f"{plan.id}: {problem}" for problem in found]
    assert problems == []


@pytest.mark.parametrize("paper", STARTER_PAPERS)
def test_calendars_print_two_weeks_a_page_with_no_week_split(starter, starter_printed, paper, tmp_path):
    problems = []
    for site, plan, pdf in each_plan(starter, starter_printed, paper, "calendar"):
        html = site.patient_page(plan, "calendar").read_text()
        weeks = pdfcheck.weeks_in(html)
        found = pdfcheck.check_page_size(pdf, paper, landscape=True)
        if pdf.count > (len(weeks) + 1) // 2:
            found.append(f"{len(weeks)} weeks on {pdf.count} pages")
        found += pdfcheck.check_weeks_whole(pdf, weeks, plan.strings["week_number"], plan.strings["pain"])
        found += pdfcheck.check_week_days(pdf, pdfcheck.week_days_in(html), plan.strings["week_number"])
        found += pdfcheck.check_running_header(pdf, plan.patient, site.clinic)
        blank = pdfcheck.blank_fractions(pdf.path, tmp_path / plan.id, margin_mm=13)
        found += [f"page {n} is {b:.0%} blank at its foot" for n, b in enumerate(blank[:-1], 1) if b > 0.40]
        problems += [f"{plan.id}: {problem}" for problem in found]
    assert problems == []


@pytest.mark.parametrize("page", ["index", "calendar"])
def test_every_printed_text_is_at_least_12_pt(starter, starter_printed, page):
    small = []
    for site, plan, pdf in each_plan(starter, starter_printed, "letter", page):
        small += [(plan.id, line.page, line.size, line.text) for line in pdf.lines if line.size < 12]
    assert small == [], small[:5]


@pytest.mark.parametrize("page", ["index", "calendar"])
def test_spanish_paper_has_no_english_left(starter, starter_printed, page):
    problems = []
    for site, plan, pdf in each_plan(starter, starter_printed, "letter", page):
        if plan.language == "es":
            leaked, found = english_left(site, pdf)
            problems += [f"{plan.id}: English labels {leaked[:5]}"] if leaked else []
            problems += [f"{plan.id}: English text {found[:5]}"] if found else []
    assert problems == []


def test_nu_html_checker_finds_nothing(starter, nu_report):
    """Every patient page of both builds (the library pages are checked with the sample site),
    from the one run of vnu.jar (conftest.py's `nu_report`)."""
    pages = [page for site in starter.values() for page in sorted((site.output / "patients").rglob("*.html"))]
    assert len(pages) >= 2 * len(STARTER_PAPERS) * 2 * len(STARTER)  # a handout and a calendar a plan
    problems = nu_report.problems(pages)
    assert problems == [], "Nu HTML Checker:\n" + "\n".join(problems)


def test_axe_finds_no_violations(starter, driver):
    """Every handout, and a calendar in each language (the calendars differ only in what is
    due on each day)."""
    driver.set_window_size(1280, 900)
    site = starter["letter"]
    pages = [site.patient_page(plan, "index") for plan in site.plans]
    pages += [site.patient_page(next(plan for plan in site.plans if plan.language == language), "calendar")
              for language in ("en", "es")]
    problems = {}
    for page in pages:
        found = axe_violations(driver, page)
        if found:
            problems[str(page.relative_to(site.output))] = found
    assert problems == {}
