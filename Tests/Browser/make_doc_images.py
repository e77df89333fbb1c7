"""Renders docs/handout-page.png and docs/calendar-page.png, the first printed page of the
sample handout and of its calendar (Letter), and docs/calendar-large-print.png, the first
page of the balance plan's calendar in large print, as headless Chromium prints them.

    python3 Tests/Browser/make_doc_images.py [--handout .build/debug/handout] [--dpi 90]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import pdfcheck  # noqa: E402
from conftest import REPO, VARIANTS, build_site, site_folder  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--handout", type=Path, default=REPO / ".build" / "debug" / "handout")
    parser.add_argument("--dpi", type=int, default=90)
    parser.add_argument("--docs", type=Path, default=REPO / "docs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="handout-docs-") as temporary:
        folder = Path(temporary)
        site = build_site(args.handout, site_folder(), folder / "site", "letter", VARIANTS["letter"])
        large = build_site(args.handout, site_folder(), folder / "large", "large-print", VARIANTS["large-print"])
        balance = next(plan for plan in large.plans if plan.id == "demo-0007")
        pages = ((site, site.plans[0], "index", "handout-page"), (site, site.plans[0], "calendar", "calendar-page"),
                 (large, balance, "calendar", "calendar-large-print"))
        for built, plan, page, name in pages:
            pdf = pdfcheck.print_to_pdf(built.patient_page(plan, page), folder / f"{name}.pdf")
            stem = folder / name
            subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), "-f", "1", "-l", "1", "-singlefile",
                            str(pdf), str(stem)], check=True)
            target = args.docs / f"{name}.png"
            target.write_bytes(stem.with_suffix(".png").read_bytes())
            print(f"{target}: {target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
