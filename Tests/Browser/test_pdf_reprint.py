"""`handout pdf --only`, `--weeks` and `--from/--to`: one document, or the calendar pages
holding some weeks, cut from the whole calendar as Handout prints it (the same text, paper and
"Page N of M"). `handout pdf --changed-since`: the day's batch, its cover page, and its record
beside the batch (`last` moving on after each batch), in a copy of the sample site whose
plans the test edits."""

from __future__ import annotations

import datetime
import re
import shutil

import pytest

import pdfcheck
from conftest import VARIANTS, build_site, site_folder, yaml_value
from test_pdf_command import handout_pdf

# demo-0001 starts on Monday 2026-12-07 and runs 6 weeks: week 5 is 2027-01-04 to 2027-01-10.
PLAN = "demo-0001"


def weeks_on(text: str) -> set[int]:
    """The week numbers a calendar page names ("Week 3"), up the side of each row or over
    each large-print week."""
    return {int(n) for n in re.findall(r"\bWeek (\d+)\b", " ".join(text.split()))}


@pytest.fixture(scope="module")
def whole(handout_bin, sites, tmp_path_factory):
    """variant -> the whole handout and calendar of PLAN, as `handout pdf` prints them."""
    folder = tmp_path_factory.mktemp("whole")
    result = {}
    for variant in ("letter", "large-print"):
        out = folder / variant
        run = handout_pdf(handout_bin, sites[variant], "--patient", PLAN, "--out", str(out))
        assert run.returncode == 0, run.stderr
        result[variant] = {kind: pdfcheck.Pdf.read(out / f"{PLAN}-{kind}.pdf") for kind in ("handout", "calendar")}
    return result


@pytest.mark.parametrize("only", ["handout", "calendar"])
def test_only_prints_that_document_as_the_whole_print_has_it(handout_bin, sites, whole, tmp_path, only):
    out = tmp_path / "only"
    run = handout_pdf(handout_bin, sites["letter"], "--patient", PLAN, "--only", only, "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert [path.name for path in out.iterdir()] == [f"{PLAN}-{only}.pdf"]
    assert run.stdout.startswith(f"Wrote 1 PDF ({whole['letter'][only].count} pages) for {PLAN} to {out}")
    pdf = pdfcheck.Pdf.read(out / f"{PLAN}-{only}.pdf")
    assert (pdf.sizes, pdf.pages) == (whole["letter"][only].sizes, whole["letter"][only].pages)


@pytest.mark.parametrize("variant", ["letter", "large-print"])
@pytest.mark.parametrize("asked", [["--weeks", "3-4"], ["--weeks", "3"], ["--weeks", "6"], ["--weeks", "2-3"],
                                   ["--from", "2027-01-05", "--to", "2027-01-08"]])
def test_weeks_print_the_pages_that_hold_them_as_the_whole_calendar_prints_them(handout_bin, sites, whole, tmp_path, variant, asked):
    site = sites[variant]
    calendar = whole[variant]["calendar"]
    first_page = {}
    for index, text in enumerate(calendar.pages):
        for week in weeks_on(text):
            first_page.setdefault(week, index)
    assert sorted(first_page) == [1, 2, 3, 4, 5, 6], "the whole calendar should name its six weeks"
    wanted = ({5} if asked[0] == "--from" else
              set(range(int(asked[1].split("-")[0]), int(asked[1].split("-")[-1]) + 1)))
    pages = sorted({first_page[week] for week in wanted})
    held = sorted(week for week, page in first_page.items() if page in pages)
    out = tmp_path / "weeks"
    run = handout_pdf(handout_bin, site, "--patient", PLAN, *asked, "--out", str(out))
    assert run.returncode == 0, run.stderr
    name = f"{PLAN}-calendar-week-{held[0]}.pdf" if len(held) == 1 else f"{PLAN}-calendar-weeks-{held[0]}-{held[-1]}.pdf"
    assert [path.name for path in out.iterdir()] == [name]
    reprint = pdfcheck.Pdf.read(out / name)
    # The same pages as in the whole calendar: paper, text and "Page N of M" of the whole.
    assert reprint.sizes == [calendar.sizes[i] for i in pages]
    assert reprint.pages == [calendar.pages[i] for i in pages]
    for text, index in zip(reprint.pages, pages):
        assert f"Page {index + 1} of {calendar.count}" in " ".join(text.split())
    shown = set().union(*(weeks_on(text) for text in reprint.pages))
    assert wanted <= shown and shown == set(held), f"weeks {sorted(shown)} printed for {asked}"
    assert not shown & ({1, 2, 3, 4, 5, 6} - set(held))
    assert pdfcheck.check_running_header(reprint, next(p for p in site.plans if p.id == PLAN).patient, site.clinic) == []


# The day's batch ------------------------------------------------------------------------

def plans_current_on(site, day: str) -> list[str]:
    """Plan ids whose calendar has not ended by `day` (weeks from Monday)."""
    date = datetime.date.fromisoformat(day)
    current = []
    for plan in site.plans:
        text = (site.root / "Content" / "plans" / f"{plan.id}.yaml").read_text()
        start = datetime.date.fromisoformat(yaml_value(text, "start"))
        last = start - datetime.timedelta(days=start.weekday()) + datetime.timedelta(days=7 * int(yaml_value(text, "weeks")) - 1)
        if last >= date:
            current.append(plan.id)
    return sorted(current)


def edit(site, plan: str, old: str, new: str):
    path = site.root / "Content" / "plans" / f"{plan}.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def batch(handout_bin, site, since: str, today: str, out):
    run = handout_pdf(handout_bin, site, "--changed-since", since, "--today", today, "--out", str(out))
    assert run.returncode == 0, run.stderr
    return run


def cover_rows(pdf: pdfcheck.Pdf) -> list[str]:
    """The cover's table rows as lines of text (plan, [patient], why, start)."""
    return [" ".join(line.text for line in pdf.lines_of(1) if abs(line.top - top) < 3)
            for top in sorted({line.top for line in pdf.lines_of(1) if re.fullmatch(r"demo-\d+", line.text)})]


def test_the_days_batch_prints_new_changed_and_starting_plans_after_a_cover_and_records_them(handout_bin, tmp_path):
    site = build_site(handout_bin, site_folder(), tmp_path / "site", "batch", VARIANTS["letter"])
    plans = {plan.id: plan for plan in site.plans}
    folder = tmp_path / "batches"
    record = folder / ".handout-batches"

    # The first batch: no record yet, so every plan not yet over is new.
    first = batch(handout_bin, site, "last", "2027-01-05", folder / "day1.pdf")
    current = plans_current_on(site, "2027-01-05")
    assert len(current) > 2
    assert first.stderr.splitlines() == [f"Printing {n} of {len(current)}: {id}" for n, id in enumerate(current, 1)]
    pdf = pdfcheck.Pdf.read(folder / "day1.pdf")
    assert re.fullmatch(rf"Wrote {re.escape(str(folder / 'day1.pdf'))}: {len(current)} patients \({len(current)} new; "
                        rf"compared with no earlier batch recorded\), {pdf.count} pages with the cover, in [\d.]+ s\n", first.stdout)
    cover = " ".join(pdf.pages[0].split())
    assert "Print batch" in cover and "Tuesday, January 5, 2027" in cover
    assert "No earlier batch is recorded: every current plan is new." in cover
    assert f"{len(current)} patients, in this order:" in cover
    assert cover_rows(pdf) == [f"{id} new {start}" for id, start in
                               ((id, datetime.date.fromisoformat(yaml_value((site.root / "Content" / "plans" / f"{id}.yaml").read_text(), "start"))
                                 .strftime("%A, %B %-d, %Y")) for id in current)]
    # Ids only: the site's index does not show names.
    assert not any(plans[id].patient in pdf.pages[0] for id in plans)
    assert pdfcheck.check_page_numbers(pdfcheck.Pdf(pdf.path, pdf.sizes[:1], pdf.pages[:1], [])) == []
    # Printed on both sides, the cover is a sheet of its own; then each patient in id order.
    assert pdf.pages[1].strip() == "" and pdf.sizes[1] == pdf.sizes[0]
    order = [id for text in pdf.pages[2:] for id in plans if plans[id].patient in text]
    assert list(dict.fromkeys(order)) == current
    lines = record.read_text().splitlines()
    assert lines[0] == "handout-batches 1"
    assert re.fullmatch(r"batch 2027-01-05 written \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", lines[1])
    assert [line.rsplit(" ", 1)[0] for line in lines[2:]] == [f"{id} new" for id in current]
    assert all(re.fullmatch(r"[0-9a-f]{16}", line.rsplit(" ", 1)[1]) for line in lines[2:])

    # The same day again: nothing new, nothing printed or recorded.
    again = batch(handout_bin, site, "last", "2027-01-05", folder / "day2.pdf")
    assert again.stdout == ("Nothing to print on 2027-01-05: no plan is new, changed or starting "
                            "(compared since the batch of 2027-01-05); no file was written\n")
    assert not (folder / "day2.pdf").exists() and record.read_text().splitlines() == lines

    # A plan changed, and two plans start on the 11th: `last` compares with the first batch.
    edit(site, "demo-0005", "weeks: 6", "weeks: 7")
    third = batch(handout_bin, site, "last", "2027-01-11", folder / "day3.pdf")
    pdf = pdfcheck.Pdf.read(folder / "day3.pdf")
    starting = [id for id in current if yaml_value((site.root / "Content" / "plans" / f"{id}.yaml").read_text(), "start") == "2027-01-11"]
    assert len(starting) == 2
    chosen = sorted(["demo-0005"] + starting)
    assert [row.split()[0:2] for row in cover_rows(pdf)] == [[id, "changed" if id == "demo-0005" else "starts"] for id in chosen]
    assert "Plans that are new or changed since the batch of Tuesday, January 5, 2027, and plans starting today." in " ".join(pdf.pages[0].split())
    assert "(1 changed, 2 starting; compared since the batch of 2027-01-05)" in third.stdout
    added = record.read_text().splitlines()[len(lines):]
    assert re.fullmatch(r"batch 2027-01-11 written \S+", added[0])
    assert [line.rsplit(" ", 1)[0] for line in added[1:]] == [f"{id} {'changed' if id == 'demo-0005' else 'starting'}" for id in chosen]

    # `last` has moved on: another change is all the next batch holds...
    edit(site, "demo-0007", "weeks: 8", "weeks: 9")
    fourth = batch(handout_bin, site, "last", "2027-01-12", folder / "day4.pdf")
    assert [row.split()[0:2] for row in cover_rows(pdfcheck.Pdf.read(folder / "day4.pdf"))] == [["demo-0007", "changed"]]
    assert "(1 changed; compared since the batch of 2027-01-11)" in fourth.stdout
    # ...while "since the 5th" is the state of the batch of the 5th: both changes. The
    # clinic index shows names now, and so does the cover.
    site_yaml = site.root / "Content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("index_shows_names: false", "index_shows_names: true"))
    batch(handout_bin, site, "2027-01-05", "2027-01-12", folder / "day5.pdf")
    pdf = pdfcheck.Pdf.read(folder / "day5.pdf")
    assert [row.split()[0] for row in cover_rows(pdf)] == ["demo-0005", "demo-0007"]
    assert all(plans[id].patient in " ".join(pdf.pages[0].split()) for id in ("demo-0005", "demo-0007"))
    assert "Patient" in pdf.pages[0]
    shutil.rmtree(site.root)
