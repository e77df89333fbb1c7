"""Fetches every file of a built site through a web server and checks what a browser needs:
status, security headers, the Content-Type of every file type the site holds, working links,
no directory listing; then prints a handout, its calendar and the index through the server
and from file:// with headless Chromium, and compares the PDFs (same page count, same text),
which holds only if the stylesheet and pictures loaded under the server's headers.

Usage: check_served_site.py OUTPUT_DIR BASE_URL SERVER_NAME
Standard library only, plus chromium (driven by Tests/Browser/pdfcheck.py) and poppler-utils
(pdfinfo, pdftotext)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

# The browser tests' printing, without leaving a __pycache__ in the checkout.
sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Browser"))
import pdfcheck  # noqa: E402

# What each file type must be served as. nosniff makes the browser trust this header alone.
CONTENT_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": ("application/javascript", "text/javascript"),
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ics": "text/calendar",
    ".json": "application/json",  # the plan schemas
}

output, base, server = Path(sys.argv[1]).resolve(), sys.argv[2].rstrip("/") + "/", sys.argv[3]
passed = failed = 0


def check(ok: bool, what: str) -> None:
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL ({server}): {what}")


def fetch(path: str) -> tuple[int, Message, bytes]:
    """Status, headers (looked up in any case, as HTTP names are) and body."""
    try:
        with urllib.request.urlopen(base + path, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, b""


def check_security_headers(what: str, headers: Message) -> None:
    """The headers docs/HOSTING.md sets on every answer, errors included."""
    check("default-src 'none'" in headers.get("Content-Security-Policy", ""), f"{what}: Content-Security-Policy")
    check("frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""), f"{what}: Content-Security-Policy frame-ancestors")
    check(headers.get("X-Robots-Tag") == "noindex, nofollow", f"{what}: X-Robots-Tag")
    check(headers.get("Referrer-Policy") == "no-referrer", f"{what}: Referrer-Policy")
    check(headers.get("X-Content-Type-Options") == "nosniff", f"{what}: X-Content-Type-Options")


files = sorted(str(path.relative_to(output)) for path in output.rglob("*")
               if path.is_file() and not any(part.startswith(".") for part in path.relative_to(output).parts))
seen_types = set()
links = set()
for rel in files:
    status, headers, body = fetch(rel)
    check(status == 200, f"{rel}: status {status}")
    check_security_headers(rel, headers)
    # Patients' pages, and the clinic index (which may show names), are never kept by a browser.
    if rel.startswith("patients/") or rel == "index.html":
        check(headers.get("Cache-Control") == "no-store", f"{rel}: Cache-Control")
    extension = os.path.splitext(rel)[1].lower()
    expected = CONTENT_TYPES.get(extension)
    if expected:
        seen_types.add(extension)
        served = headers.get("Content-Type", "").split(";")[0].strip()
        allowed = expected if isinstance(expected, tuple) else (expected,)
        check(served in allowed, f"{rel}: Content-Type is '{served}', expected {' or '.join(allowed)}")
    if extension == ".html":
        for link in re.findall(r'(?:href|src)="([^"#]+)"', body.decode()):
            if not re.match(r"[a-z]+:", link):
                links.add(os.path.normpath(os.path.join(os.path.dirname(rel), link)))
# The served copy must hold every type, or a wrong type could go unnoticed.
for extension in sorted(set(CONTENT_TYPES) - seen_types):
    check(False, f"the site has no {extension} file to check")
# Every link in every page resolves through the server, under the sub-path.
for link in sorted(links):
    check(not link.startswith(".."), f"{link} leaves the site's folder")
    check(fetch(link)[0] == 200, f"link {link}")
status, headers, _ = fetch("")
check(status == 200 and headers.get("Content-Type", "").startswith("text/html"), "index page at the folder's address")
check(headers.get("Cache-Control") == "no-store", "index page at the folder's address: Cache-Control")
check_security_headers("index page at the folder's address", headers)
check(fetch("patients/")[0] in (403, 404), "no directory listing of patients/")
# Hidden files (Handout's own: the build marker, the manifest, the stat index, the index's
# row record) are refused, and the refusal carries the headers too.
for own in (".handout-output", ".handout-manifest", ".handout-stat-index", ".handout-index-rows"):
    check((output / own).is_file(), f"the built site has {own}")
for hidden in (".handout-output", ".handout-manifest", ".handout-stat-index", ".handout-index-rows", "patients/.hidden"):
    status, headers, _ = fetch(hidden)
    check(status in (403, 404), f"hidden {hidden} not served (status {status})")
    check_security_headers(f"hidden {hidden} (status {status})", headers)


# MARK: Printed through the server = printed from disk

def printed(browser: pdfcheck.Chromium, url: str, pdf: Path) -> tuple[int, str]:
    """Page count and text of the page printed as a person would with "Save as PDF";
    (0, reason) when the browser prints nothing (as for a page it would download instead)."""
    pdf.unlink(missing_ok=True)
    try:
        browser.print_to_pdf(url, pdf)
    except RuntimeError as error:
        return 0, str(error)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return pages, text


patient = next(iter(sorted(p for p in output.glob("patients/*") if p.is_dir())), None)
check(patient is not None, "the site has a patient to print")
pages_to_print = ["index.html"]
if patient:
    pages_to_print += [f"patients/{patient.name}/index.html", f"patients/{patient.name}/calendar.html"]
# One browser prints them all, each page in a tab of its own (pdfcheck.Chromium).
with tempfile.TemporaryDirectory(prefix="handout-hosting-pdf-") as folder, pdfcheck.Chromium(timeout=60) as browser:
    for rel in pages_to_print:
        served = printed(browser, base + rel, Path(folder) / "served.pdf")
        local = printed(browser, (output / rel).as_uri(), Path(folder) / "local.pdf")
        if not served[0]:
            check(False, f"{rel}: not printed through the server: {served[1]}")
            continue
        check(served[0] == local[0], f"{rel}: printed through the server on {served[0]} pages, from disk on {local[0]}")
        check(served[1] == local[1], f"{rel}: printed text differs between the server and disk")

print(f"{server}: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
