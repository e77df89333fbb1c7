"""`handout pdf`: the PDFs it writes with its own headless Chromium (DevTools over a pipe),
checked against the same pages printed as a person would in Chromium ("Save as PDF", the
`printed` fixture): the same pages, sizes and text, the patient's name on every page, each document
padded to an even page count in a day's batch, plans in id order, exactly the plans running
that day."""

from __future__ import annotations

import datetime
import re
import subprocess

import pytest

import pdfcheck
from conftest import VARIANTS, yaml_value

# Two sample plans start on 2026-12-07 (6 weeks) and three in January 2027: on this day the
# first two and demo-0005 are running, demo-0006 and demo-0007 have not started.
BATCH_DAY = "2027-01-05"


def running_on(site, day: str) -> list[str]:
    """Plan ids running on `day`, worked out here from each plan's start and weeks: from its
    start to the last day of its last week."""
    weekday = {"monday": 0, "sunday": 6}[yaml_value((site.root / "Content" / "site.yaml").read_text(), "week_starts") or "monday"]
    date = datetime.date.fromisoformat(day)
    running = []
    for plan in site.plans:
        text = (site.root / "Content" / "plans" / f"{plan.id}.yaml").read_text()
        start = datetime.date.fromisoformat(yaml_value(text, "start"))
        first = start - datetime.timedelta(days=(start.weekday() - weekday) % 7)
        last = first + datetime.timedelta(days=7 * int(yaml_value(text, "weeks")) - 1)
        if start <= date <= last:
            running.append(plan.id)
    return sorted(running)


def handout_pdf(handout_bin, site, *arguments) -> subprocess.CompletedProcess:
    return subprocess.run([str(handout_bin), "pdf", "--root", str(site.root), *arguments],
                          capture_output=True, text=True, timeout=300)


def part(pdf: pdfcheck.Pdf, start: int, count: int) -> pdfcheck.Pdf:
    """Pages start..start+count-1 (0-based start) as a PDF of their own, for the page checks."""
    return pdfcheck.Pdf(pdf.path, pdf.sizes[start:start + count], pdf.pages[start:start + count], [])


@pytest.fixture(scope="module")
def batches(handout_bin, sites, tmp_path_factory):
    """variant -> (the command's result, the batch PDF read back)."""
    folder = tmp_path_factory.mktemp("pdf-command")
    result = {}
    for name, site in sites.items():
        out = folder / f"{name}-{BATCH_DAY}.pdf"
        run = handout_pdf(handout_bin, site, "--active", BATCH_DAY, "--out", str(out))
        assert run.returncode == 0, run.stderr
        result[name] = (run, pdfcheck.Pdf.read(out))
    return result


def test_the_day_has_plans_running_and_plans_not_yet_started(sites):
    running = running_on(sites["letter"], BATCH_DAY)
    assert 1 < len(running) < len(sites["letter"].plans), "the test day should leave some sample plans out"


@pytest.mark.parametrize("variant", VARIANTS)
def test_batch_holds_exactly_the_running_plans_in_id_order_each_document_as_printed(sites, printed, batches, variant):
    site = sites[variant]
    run, batch = batches[variant]
    plans = {plan.id: plan for plan in site.plans}
    running = running_on(site, BATCH_DAY)
    assert run.stderr.splitlines() == [f"Printing {n} of {len(running)}: {id}" for n, id in enumerate(running, 1)]
    assert re.fullmatch(rf"Wrote {re.escape(str(batch.path))}: {len(running)} patients running on {BATCH_DAY}, "
                        rf"{batch.count} pages, in [\d.]+ s\n", run.stdout), run.stdout
    at = 0
    for id in running:
        plan = plans[id]
        for page in ("index", "calendar"):
            alone = printed[("chromium", variant, id, page)]
            document = part(batch, at, alone.count)
            # The same pages, sizes and text as the browser's own print of that page.
            assert document.sizes == alone.sizes, f"{id} {page}"
            assert document.pages == alone.pages, f"{id} {page}"
            assert pdfcheck.check_running_header(document, plan.patient, site.clinic) == []
            assert pdfcheck.check_page_numbers(document, plan.page_of) == []
            at += alone.count
            if alone.count % 2:
                # A blank page of the same size, so the next document starts on a new sheet.
                assert batch.pages[at].strip() == "", f"page {at + 1} after {id} {page} should be blank"
                assert batch.sizes[at] == alone.sizes[-1]
                at += 1
            assert at % 2 == 0
    assert at == batch.count


@pytest.mark.parametrize("variant", VARIANTS)
def test_batch_pages_are_the_paper_of_the_site(sites, batches, variant):
    site = sites[variant]
    _, batch = batches[variant]
    portrait = {pdfcheck.PAPER_POINTS[site.paper]}
    landscape = {tuple(reversed(pdfcheck.PAPER_POINTS[site.paper]))}
    assert set((round(w), round(h)) for w, h in batch.sizes) <= portrait | landscape


def test_each_patient_gets_a_handout_and_a_calendar_named_by_plan_id(handout_bin, sites, printed, tmp_path):
    site = sites["letter"]
    first, second = site.plans[1], site.plans[0]
    out = tmp_path / "chart"
    run = handout_pdf(handout_bin, site, "--patient", first.id, "--patient", second.id, "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines() == [f"Printing 1 of 2: {first.id}", f"Printing 2 of 2: {second.id}"]
    names = {f"{plan.id}-{kind}.pdf" for plan in (first, second) for kind in ("handout", "calendar")}
    assert {path.name for path in out.iterdir()} == names
    for plan in (first, second):
        for page, kind in (("index", "handout"), ("calendar", "calendar")):
            pdf = pdfcheck.Pdf.read(out / f"{plan.id}-{kind}.pdf")
            alone = printed[("chromium", "letter", plan.id, page)]
            # Not padded: a patient's own file is exactly the printed pages.
            assert (pdf.sizes, pdf.pages) == (alone.sizes, alone.pages)
            assert pdfcheck.check_running_header(pdf, plan.patient, site.clinic) == []
            assert pdfcheck.check_page_numbers(pdf, plan.page_of) == []
    # No date or random name inside: printing the same pages again gives the same bytes.
    again = tmp_path / "again"
    assert handout_pdf(handout_bin, site, "--patient", first.id, "--out", str(again)).returncode == 0
    for kind in ("handout", "calendar"):
        assert (again / f"{first.id}-{kind}.pdf").read_bytes() == (out / f"{first.id}-{kind}.pdf").read_bytes()


def test_out_inside_the_output_folder_is_refused(handout_bin, sites):
    site = sites["letter"]
    out = site.output / "pdfs" / "day.pdf"
    run = handout_pdf(handout_bin, site, "--active", BATCH_DAY, "--out", str(out))
    assert run.returncode == 64
    assert f"--out {out} is inside the output folder Output, which is published on the intranet" in run.stderr
    assert not out.exists() and not out.parent.exists()
