"""The printed handout and calendar, as headless Chromium ("Save as PDF") and headless
Firefox ESR (WebDriver print) print them, checked from the PDF itself with poppler-utils:
paper, pages, running header, cards and weeks kept whole, font sizes. A deliberately broken
stylesheet proves the checks bite."""

from __future__ import annotations

import concurrent.futures
import html
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

import htmltree
import pdfcheck
from conftest import BROWSERS, FIREFOXES, FIXTURES, VARIANTS, BuiltSite, build_site, site_folder

# Every plan, in every language: Spanish runs about a fifth longer than English and must fit
# the same paper.
MAX_HANDOUT_PAGES = 4


def each_plan(sites, printed, browser, variant, page):
    site = sites[variant]
    for plan in site.plans:
        yield site, plan, printed[(browser, variant, plan.id, page)]


def margin_texts(site, plan):
    return [plan.patient, site.clinic]


def calendar_version(site, plan) -> str:
    """"Version 3f9a2c1e", in the plan's language, from the calendar's running head."""
    page = site.patient_page(plan, "calendar").read_text()
    return html.unescape(re.search(r'<span class="version">([^<]*)</span>', page).group(1))


def print_stylesheet(page: Path) -> Path:
    """The print rules the page links (shared by its language and print size), as a file."""
    links = re.findall(r'<link rel="stylesheet" href="([^"]*)">', page.read_text())
    [link] = [link for link in links if not link.endswith("/site.css")]
    return (page.parent / link).resolve()


def without_dates_and_node_ids(pdf: Path) -> bytes:
    """A PDF's bytes with its creation and modification dates and the ids its tags (the
    structure tree) take from the page's DOM nodes ("node00000084", numbered by the renderer,
    which prints many pages) turned to zeros. The tree's names are sorted by those ids, so
    its entries ("(node…) 45 0 R") are put in one order too, keeping each list's length."""
    zeros = lambda match: match.group(1) + re.sub(rb"\d", b"0", match.group(2))
    data = re.sub(rb"(/CreationDate |/ModDate |\(node)(\(D:[^)]*\)|\d+)", zeros, pdf.read_bytes())
    entry = rb"\(node0+\) \d+ 0 R"
    lists = list(re.finditer(rb"/Names \[((?:" + entry + rb" ?)*)\]", data))
    entries = iter(sorted(e for m in lists for e in re.findall(entry, m.group(1))))
    return re.sub(rb"/Names \[((?:" + entry + rb" ?)*)\]",
                  lambda m: b"/Names [" + b" ".join(next(entries) for _ in re.findall(entry, m.group(1))) + b"]", data)


@pytest.mark.parametrize("variant", VARIANTS)
def test_one_chromium_prints_what_print_to_pdf_prints(sites, printed, variant, tmp_path):
    """The tests print in a few Chromiums kept for the whole run (DevTools' Page.printToPDF,
    a tab a page); a person's "Save as PDF" is `chromium --print-to-pdf`, a browser a page.
    Both give the same PDF, byte for byte but for its dates and its tags' node ids: a handout
    and a calendar of each variant (a different plan in each), printed both ways."""
    site = sites[variant]
    plan = site.plans[list(VARIANTS).index(variant) % len(site.plans)]
    for page in ("index", "calendar"):
        alone = pdfcheck.print_to_pdf(site.patient_page(plan, page), tmp_path / f"{page}.pdf")
        shared = printed[("chromium", variant, plan.id, page)].path
        assert without_dates_and_node_ids(alone) == without_dates_and_node_ids(shared), f"{plan.id} {page}"


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_handout_paper_size(sites, printed, browser, variant):
    for site, plan, pdf in each_plan(sites, printed, browser, variant, "index"):
        assert pdfcheck.check_page_size(pdf, site.paper, landscape=False) == []


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_calendar_is_landscape_or_portrait_weeks_in_large_print(sites, printed, browser, variant):
    for site, plan, pdf in each_plan(sites, printed, browser, variant, "calendar"):
        assert pdfcheck.check_page_size(pdf, site.paper, landscape=not site.large_print) == []


@pytest.mark.parametrize("variant", ["letter", "a4"])
@pytest.mark.parametrize("browser", BROWSERS)
def test_handout_fits_four_pages(sites, printed, browser, variant):
    for site, plan, pdf in each_plan(sites, printed, browser, variant, "index"):
        assert pdf.count <= MAX_HANDOUT_PAGES, f"{plan.id} on {variant}: {pdf.count} pages"


@pytest.mark.parametrize("page", ["index", "calendar"])
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_every_page_names_patient_and_clinic(sites, printed, browser, variant, page):
    for site, plan, pdf in each_plan(sites, printed, browser, variant, page):
        assert pdfcheck.check_running_header(pdf, plan.patient, site.clinic) == []


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_every_calendar_page_heads_with_its_version_on_one_line(sites, printed, browser, variant):
    """The calendar's version ("Version 3f9a2c1e", in the plan's language) is in its running
    head, after the patient's name and before the clinic's, on one line on every printed page."""
    for site, plan, pdf in each_plan(sites, printed, browser, variant, "calendar"):
        version = calendar_version(site, plan)
        assert re.fullmatch(r"\S+ [0-9a-f]{8}", version), version
        assert pdfcheck.check_running_head(pdf, [plan.patient, version, site.clinic]) == [], plan.id


@pytest.mark.parametrize("page", ["index", "calendar"])
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_page_counts_pages_in_chromium(sites, printed, variant, page):
    """Chromium prints "Page N of M" from print.css's @page margin box. Firefox prints no
    margin boxes (and WebDriver printing turns its own footer off), so it is not checked there."""
    for site, plan, pdf in each_plan(sites, printed, "chromium", variant, page):
        assert pdfcheck.check_page_numbers(pdf, plan.page_of) == []


@pytest.mark.parametrize("page", ["index", "calendar"])
@pytest.mark.parametrize("variant", VARIANTS)
def test_nothing_runs_into_firefox_header_and_footer(sites, printed, firefox, variant, page, tmp_path):
    """Printed from Firefox's print dialog as it comes, its own header (the page's title and
    address) and footer (the page number and date) on: the title begins with the patient's
    name, and nothing of the page touches Firefox's lines."""
    site = sites[variant]
    # The Firefoxes print the plans side by side.
    with concurrent.futures.ThreadPoolExecutor(max_workers=FIREFOXES) as pool:
        dialogs = list(pool.map(lambda plan: firefox.print_from_dialog(site.patient_page(plan, page), tmp_path / f"{plan.id}-{page}.pdf",
                                                                       site.paper), site.plans))
    for plan, dialog in zip(site.plans, dialogs):
        page_file = site.patient_page(plan, page)
        title = html.unescape(re.search(r"<title>(.*?)</title>", page_file.read_text()).group(1))
        assert title.startswith(plan.patient + " — ")
        pdf = pdfcheck.Pdf.read(dialog)

        # Firefox sets its header and footer in the default serif font; the page has none.
        def firefox_line(line) -> bool:
            return "Serif" in line.font

        header = " ".join(line.text for line in pdf.lines_of(1) if firefox_line(line) and line.top < 72)
        assert unicodedata.normalize("NFKC", header).startswith(plan.patient + " — "), header
        plain = printed[("firefox", variant, plan.id, page)]
        assert pdfcheck.check_clear_of_browser_margins(pdf, plain, firefox_line, tmp_path / f"{plan.id}-{page}") == [], plan.id


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_no_exercise_card_is_split(sites, printed, browser, variant):
    for site, plan, pdf in each_plan(sites, printed, browser, variant, "index"):
        cards = pdfcheck.cards_in(site.patient_page(plan, "index").read_text())
        assert cards, "the sample handout should have exercise cards"
        assert pdfcheck.check_cards_whole(pdf, cards) == [], plan.id


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_headings_never_end_a_page(sites, printed, browser, variant):
    for site, plan, pdf in each_plan(sites, printed, browser, variant, "index"):
        headings = pdfcheck.headings_in(site.patient_page(plan, "index").read_text())
        assert pdfcheck.check_no_heading_at_page_foot(pdf, headings, margin_texts(site, plan)) == []


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_handout_pages_are_blank_only_before_a_moved_card(sites, printed, browser, variant, tmp_path):
    """No handout page but the last is more than 35% blank at its foot, unless the card that
    begins the next page, kept whole, was too tall for the space."""
    for site, plan, pdf in each_plan(sites, printed, browser, variant, "index"):
        blank = pdfcheck.blank_fractions(pdf.path, tmp_path / plan.id, margin_mm=20)
        assert len(blank) == pdf.count
        cards = pdfcheck.cards_in(site.patient_page(plan, "index").read_text())
        assert pdfcheck.check_blank_only_before_moved_cards(pdf, blank, cards, margin_mm=20, limit=0.35) == [], f"{plan.id}: {blank}"


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_no_calendar_week_is_split(sites, printed, browser, variant):
    for site, plan, pdf in each_plan(sites, printed, browser, variant, "calendar"):
        weeks = pdfcheck.weeks_in(site.patient_page(plan, "calendar").read_text())
        assert weeks, "the sample calendar should have weeks"
        assert pdfcheck.check_weeks_whole(pdf, weeks, plan.strings["week_number"], plan.strings["pain"]) == []


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_every_calendar_week_shows_its_seven_days(sites, printed, browser, variant):
    """Each week's page shows all seven of its days, none cut off at the page's edge."""
    for site, plan, pdf in each_plan(sites, printed, browser, variant, "calendar"):
        weeks = pdfcheck.week_days_in(site.patient_page(plan, "calendar").read_text())
        assert weeks and all(len(days) in (7, 14) for number, days in weeks), weeks
        assert pdfcheck.check_week_days(pdf, weeks, plan.strings["week_number"]) == [], plan.id


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_no_tick_box_or_text_is_cut_at_a_page_edge(sites, printed, browser, variant, tmp_path):
    """Every tick box of every calendar prints whole, on the page of its week: counted in the
    raster, square outlines of the box's size (12 pt, 18 pt in large print), against the
    boxes in the page's HTML. (Firefox once sliced boxes placed with position: absolute where
    it broke the page.) Every line of text is inside the paper."""
    for site, plan, pdf in each_plan(sites, printed, browser, variant, "calendar"):
        weeks = pdfcheck.week_ticks_in(site.patient_page(plan, "calendar").read_text())
        assert sum(ticks for _, ticks in weeks) > 0, plan.id
        assert pdfcheck.check_tick_boxes_whole(pdf, weeks, tmp_path / plan.id, 18 if site.large_print else 12,
                                               plan.strings["week_number"]) == [], plan.id
        outside = [(line.page, line.text) for line in pdf.lines
                   if line.top < 0 or line.top + line.height > pdf.sizes[line.page - 1][1]]
        assert outside == [], plan.id


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_clinic_name_and_phone_on_first_page(sites, printed, browser, variant):
    for site, plan, pdf in each_plan(sites, printed, browser, variant, "index"):
        first = " ".join(pdf.pages[0].split())
        assert site.clinic in first
        if site.phone:
            assert site.phone in first


@pytest.mark.parametrize("page", ["index", "calendar"])
@pytest.mark.parametrize("browser", BROWSERS)
def test_navigation_is_not_printed(sites, printed, browser, page):
    for site, plan, pdf in each_plan(sites, printed, browser, "letter", page):
        text = " ".join(" ".join(pdf.pages).split())
        for name in ("skip_to_content", "nav_library", "add_plan_to_phone", "open_calendar", "back_to_plan", "add_to_phone"):
            assert plan.strings[name] not in text


@pytest.mark.parametrize("page", ["index", "calendar"])
@pytest.mark.parametrize("variant, minimum", [("letter", 12), ("a4", 12), ("large-print", 18)])
@pytest.mark.parametrize("browser", BROWSERS)
def test_every_printed_text_size(sites, printed, browser, variant, minimum, page):
    """Every line on every page, the running header and calendar cells included."""
    for site, plan, pdf in each_plan(sites, printed, browser, variant, page):
        lines = pdf.lines
        sizes = pdfcheck.font_sizes(lines)
        assert pdfcheck.body_size(lines) >= minimum, sizes
        small = [(line.page, line.size, line.text) for line in lines if line.size < minimum]
        assert small == [], f"{plan.id} {page}: text below {minimum} pt: {small[:5]}"


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_handout_line_spacing(sites, printed, browser, variant):
    for site, plan, pdf in each_plan(sites, printed, browser, variant, "index"):
        lines = pdfcheck.body_lines(pdf, margin_texts(site, plan), plan.page_of)
        spacing = pdfcheck.line_spacing(lines, pdfcheck.body_size(lines))
        assert 1.4 <= spacing <= 1.6, f"line spacing {spacing:.2f}"


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_calendar_paper_budget(sites, printed, browser, variant, tmp_path):
    """Normal print: six weeks on at most three landscape pages. Both sizes: no page but the
    last more than 40% blank at its foot (large print fills a week's page with a notes box)."""
    for site, plan, pdf in each_plan(sites, printed, browser, variant, "calendar"):
        weeks = len(pdfcheck.weeks_in(site.patient_page(plan, "calendar").read_text()))
        if not site.large_print:
            assert pdf.count <= (weeks + 1) // 2, f"{plan.id}: {weeks} weeks on {pdf.count} pages"
        blank = pdfcheck.blank_fractions(pdf.path, tmp_path / plan.id, margin_mm=13)
        assert [f"{b:.0%}" for b in blank[:-1] if b > 0.40] == [], f"{plan.id}: {blank}"


@pytest.mark.parametrize("variant", ["letter", "large-print"])
def test_tick_boxes_and_pain_blanks_are_big_enough_to_write_in(sites, driver, variant):
    """Measured in print layout: a tick box at least 4 mm square, a pain blank at least
    12 mm wide and 7 mm high (one or two handwritten digits)."""
    site = sites[variant]
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for plan in site.plans:
            driver.get(site.patient_page(plan, "calendar").as_uri())
            sizes = driver.execute_script("""
                const mm = px => px * 25.4 / 96;
                const box = e => { const r = e.getBoundingClientRect(); return [mm(r.width), mm(r.height)]; };
                return {
                  ticks: [...document.querySelectorAll('.calendar input[type=checkbox]')].map(box),
                  blanks: [...document.querySelectorAll('.calendar .pain input')].map(box),
                };""")
            assert sizes["ticks"] and sizes["blanks"]
            assert min(min(w, h) for w, h in sizes["ticks"]) >= 4.0, sizes["ticks"][:3]
            assert min(w for w, h in sizes["blanks"]) >= 12.0, sizes["blanks"][:3]
            assert min(h for w, h in sizes["blanks"]) >= 7.0, sizes["blanks"][:3]
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


@pytest.mark.parametrize("browser", BROWSERS)
def test_broken_stylesheet_is_caught(sites, print_page, firefox, browser, tmp_path):
    """The same site with print rules broken on purpose (cards and weeks allowed to split,
    the running head hidden, the weekend cut off, tick boxes cut in half, "of M" dropped
    from the page counter, text down into Firefox's footer): every check above must report
    it, in each browser."""
    site = sites["letter"]
    output = tmp_path / "Output"
    shutil.copytree(site.output, output)
    broken = (FIXTURES / "broken-print.css").read_text()
    plan = site.plans[0]
    folder = output / "patients" / plan.id
    # The print rules the plan's pages link are shared by its language and print size.
    with open(print_stylesheet(folder / "index.html"), "a") as stylesheet:
        stylesheet.write("\n" + broken)
    handout = pdfcheck.Pdf.read(print_page(browser, folder / "index.html", tmp_path / "handout.pdf"))
    calendar = pdfcheck.Pdf.read(print_page(browser, folder / "calendar.html", tmp_path / "calendar.pdf"))

    cards = pdfcheck.cards_in((folder / "index.html").read_text())
    weeks = pdfcheck.weeks_in((folder / "calendar.html").read_text())
    assert pdfcheck.check_cards_whole(handout, cards) != []
    blank = pdfcheck.blank_fractions(handout.path, tmp_path / "blank", margin_mm=20)
    assert pdfcheck.check_blank_only_before_moved_cards(handout, blank, cards, margin_mm=20, limit=0.35) != []
    headings = pdfcheck.headings_in((folder / "index.html").read_text())
    assert pdfcheck.check_no_heading_at_page_foot(handout, headings, margin_texts(site, plan)) != []
    assert pdfcheck.check_running_header(handout, plan.patient, site.clinic) != []
    assert pdfcheck.check_running_header(calendar, plan.patient, site.clinic) != []
    assert pdfcheck.check_running_head(calendar, [plan.patient, calendar_version(site, plan), site.clinic]) != []
    if browser == "chromium":
        assert pdfcheck.check_page_numbers(handout) != []
        assert pdfcheck.check_page_numbers(calendar) != []
    else:
        dialog = pdfcheck.Pdf.read(firefox.print_from_dialog(folder / "index.html", tmp_path / "dialog.pdf", site.paper))
        assert pdfcheck.check_clear_of_browser_margins(dialog, handout, lambda line: "Serif" in line.font, tmp_path / "dialog") != []
    assert pdfcheck.check_weeks_whole(calendar, weeks) != []
    days = pdfcheck.week_days_in((folder / "calendar.html").read_text())
    assert pdfcheck.check_week_days(calendar, days) != []
    ticks = pdfcheck.week_ticks_in((folder / "calendar.html").read_text())
    assert pdfcheck.check_tick_boxes_whole(calendar, ticks, tmp_path / "ticks", 12) != []


# A patient's name as long as many are, and a clinic's name longer than any line leaves it.
LONG_PATIENT = "María de los Ángeles Castellanos"
LONG_CLINIC = "Riverside Physical Therapy and Sports Rehabilitation Center of the Greater Springfield Lakeshore"
LONG_NAME_VARIANTS = {
    "letter": {"paper": "letter", "large_print": "false"},
    "a4": {"paper": "a4", "large_print": "false"},
    "large-print": {"paper": "letter", "large_print": "true"},
    "large-print-a4": {"paper": "a4", "large_print": "true"},
}


@pytest.fixture(scope="module")
def long_names(handout_bin, tmp_path_factory) -> dict[str, BuiltSite]:
    """The first sample plan alone, for a patient with a long name at a clinic with a longer
    one, on each paper and print size."""
    source = tmp_path_factory.mktemp("long-source")
    shutil.copytree(site_folder() / "Content", source / "Content")
    shutil.copytree(site_folder() / "Templates", source / "Templates")
    plans = sorted((source / "Content" / "plans").glob("*.yaml"))
    for plan in plans[1:]:
        plan.unlink()
    plans[0].write_text(re.sub(r"^patient: .*$", f"patient: {LONG_PATIENT}", plans[0].read_text(), count=1, flags=re.M))
    base = tmp_path_factory.mktemp("long")
    return {name: build_site(handout_bin, source, base / name, name, {**settings, "clinic": LONG_CLINIC})
            for name, settings in LONG_NAME_VARIANTS.items()}


@pytest.mark.parametrize("variant", LONG_NAME_VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_long_names_keep_the_running_head_on_one_line(long_names, print_page, browser, variant, tmp_path):
    """Every printed page of the handout and the calendar: the running head on one line, the
    patient's name (and the calendar's version) whole, the clinic's name cut short. The
    head adds no page: the calendar prints two weeks a page (large print: a week a page)."""
    site = long_names[variant]
    [plan] = site.plans
    assert plan.patient == LONG_PATIENT
    for page, whole in (("index", [plan.patient]), ("calendar", [plan.patient, calendar_version(site, plan)])):
        pdf = pdfcheck.Pdf.read(print_page(browser, site.patient_page(plan, page), tmp_path / f"{page}.pdf"))
        assert pdfcheck.check_running_head(pdf, whole, cut_short=LONG_CLINIC) == [], page
    weeks = len(pdfcheck.weeks_in(site.patient_page(plan, "calendar").read_text()))
    assert pdf.count == (weeks if site.large_print else (weeks + 1) // 2), f"{weeks} weeks on {pdf.count} pages"


@pytest.mark.parametrize("browser", BROWSERS)
def test_a_running_head_that_wraps_is_caught(long_names, print_page, browser, tmp_path):
    """The one-line check fails on a running head let to wrap (in a copy of the output)."""
    site = long_names["letter"]
    output = tmp_path / "Output"
    shutil.copytree(site.output, output)
    [plan] = site.plans
    calendar = output / "patients" / plan.id / "calendar.html"
    with open(print_stylesheet(calendar), "a") as stylesheet:
        stylesheet.write("\n@media print { .running-head span { white-space: normal !important; } }\n")
    pdf = pdfcheck.Pdf.read(print_page(browser, calendar, tmp_path / "calendar.pdf"))
    assert pdfcheck.check_running_head(pdf, [plan.patient, calendar_version(site, plan)], cut_short=LONG_CLINIC) != []


def exercise_videos(site) -> dict[str, str]:
    """Each sample exercise's video address, from its front matter."""
    videos = {}
    for path in sorted((site.root / "Content" / "exercises").glob("*.md")):
        front = path.read_text().split("---")[1]
        match = re.search(r"^video:\s*(\S+)\s*$", front, re.M)
        if match:
            videos[path.stem] = match.group(1)
    return videos


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_video_qr_codes_decode_to_their_exercise_address(sites, printed, browser, variant, tmp_path):
    """The printed handout rastered at 150 dpi, as a phone camera would see the paper: every
    code decodes (zbarimg), each to exactly the video address of an exercise on the handout,
    one code per card whose exercise has a video."""
    site = sites[variant]
    videos = exercise_videos(site)
    assert videos, "the sample exercises should have video addresses"
    shown = 0
    for plan in site.plans:
        html = site.patient_page(plan, "index").read_text()
        # A plan whose exercises have no video (demo-0009) prints no code.
        expected = sorted(address for address in videos.values() if f'href="{address}"' in html)
        shown += len(expected)
        decoded = pdfcheck.decode_qr_codes(printed[(browser, variant, plan.id, "index")].path, tmp_path / plan.id)
        assert sorted(decoded) == expected, plan.id
    assert shown >= 6, "the sample plans' cards should show video addresses"


def test_video_qr_codes_can_be_turned_off(handout_bin, tmp_path):
    site = build_site(handout_bin, site_folder(), tmp_path / "site", "no-codes", {"video_qr": "false"})
    for plan in site.plans:
        html = site.patient_page(plan, "index").read_text()
        assert "qr-code" not in html and "<svg" not in html


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_clinic_pages_print_without_cut_off(sites, print_page, browser, variant, tmp_path):
    """The clinic index and the library, printed: every word of the page is on the paper
    (a table cut off at the right loses its last column), no line runs past the page, and
    no text is under 12 pt (18 pt in large print)."""
    site = sites[variant]
    minimum = 18 if site.large_print else 12
    for page in ("index.html", "exercises/index.html"):
        html = site.output / page
        pdf = pdfcheck.Pdf.read(print_page(browser, html, tmp_path / (page.replace("/", "-") + ".pdf")))
        # From pdftohtml's lines: pdftotext glues "demo-" at a line's end to the next line.
        printed_words = set(pdfcheck.words(" ".join(pdf.line_text(n) for n in range(1, pdf.count + 1))).split())
        expected = set(pdfcheck.words(pdfcheck.printed_text(html.read_text())).split())
        assert sorted(expected - printed_words) == [], page
        width = pdf.sizes[0][0]
        assert [line.text for line in pdf.lines if line.left < 0 or line.left + line.width > width] == []
        assert [(line.size, line.text) for line in pdf.lines if line.size < minimum] == [], page


def plan_text(site, plan_id: str) -> str:
    return (site.root / "Content" / "plans" / f"{plan_id}.yaml").read_text()


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_program_names_its_first_session(sites, printed, browser, variant):
    """The bike plan starts on Monday 2027-01-04 with sessions on Tue, Thu, Sat: the handout
    names Tuesday, January 5 as the first session, not the Monday."""
    site = sites[variant]
    pdf = printed[(browser, variant, "demo-0005", "index")]
    text = " ".join(" ".join(pdf.pages).split())
    assert "First session: Tuesday, January 5, 2027." in text
    assert "Monday, January 4, 2027. Days" not in text


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("browser", BROWSERS)
def test_cross_training_note_printed_once(sites, printed, browser, variant):
    """The note ("20 minutes, easy effort.") is in the calendar's key, not in every cell."""
    for site, plan, pdf in each_plan(sites, printed, browser, variant, "calendar"):
        text = plan_text(site, plan.id)
        note = yaml_value_in_block(text.split("cross_training:")[1], "note") if "cross_training:" in text else None
        if note is None:
            continue
        text = pdfcheck.words(" ".join(pdf.line_text(n) for n in range(1, pdf.count + 1)))
        assert text.count(pdfcheck.words(note)) == 1, plan.id


def yaml_value_in_block(text: str, key: str) -> str | None:
    """The first indented `key: value` of a block, quotes removed."""
    match = re.search(rf"^\s+{key}:\s*\"?(.*?)\"?\s*$", text, re.M)
    return match.group(1) if match else None


@pytest.mark.parametrize("variant", VARIANTS)
def test_stages_print_differently_on_the_calendar(sites, variant):
    """What a calendar day prints for a program (its words and note; the stage number is
    not printed) names exactly one stage, in every sample plan."""
    site = sites[variant]
    for plan in site.plans:
        tree = htmltree.parse(site.patient_page(plan, "calendar").read_text())
        stages: dict[str, set[str]] = {}
        for item in tree.find_all("div", "session"):
            printed_text = item.text(skip_classes=frozenset({"detail"}))
            stage = item.find("span", "detail").text()
            stages.setdefault(" ".join(printed_text.split()), set()).add(stage)
        for row in tree.find_all("tr", "session"):
            # Large print: the row names the stage; its number is not on the calendar at all,
            # so each row's words must differ from every other row's in the plan.
            stages.setdefault(" ".join(row.find("th").text().split()), set()).add(row.find("th").text())
        assert stages, plan.id
        assert {text: found for text, found in stages.items() if len(found) > 1} == {}, plan.id


@pytest.mark.parametrize("variant", VARIANTS)
def test_calendar_dose_is_set_apart_from_the_name(sites, driver, variant):
    """In print layout each exercise's dose is bold and its name is not."""
    site = sites[variant]
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        driver.get(site.patient_page(site.plans[0], "calendar").as_uri())
        weights = driver.execute_script("""
            const weight = e => getComputedStyle(e).fontWeight;
            const items = [...document.querySelectorAll('.item.exercise, tr.exercise th')];
            return items.map(i => [weight(i.querySelector('.label')), weight(i.querySelector('.detail, .dose'))]);""")
        assert weights and all(name == "400" and dose == "700" for name, dose in weights), weights[:3]
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
