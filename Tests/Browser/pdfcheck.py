"""Printing pages with headless Chromium and Firefox ESR, and reading the PDFs back with
poppler-utils.

Every check returns a list of problems (empty when the PDF is right), so the tests can
assert both ways: the real stylesheet has none, the deliberately broken one has some."""

from __future__ import annotations

import base64
import collections
import fcntl
import json
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import htmltree

PAPER_POINTS = {"letter": (612, 792), "a4": (595, 842)}


def chromium_binary() -> str:
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    raise RuntimeError("Chromium is not installed; Tests/run.sh installs the Debian package 'chromium'")


def print_to_pdf(html: Path, pdf: Path) -> Path:
    """Prints a page as a person would with "Save as PDF": no browser header or footer. One
    browser for one page; `Chromium` prints the same PDF for many pages with one browser."""
    with tempfile.TemporaryDirectory(prefix="handout-chromium-") as profile:
        command = [
            chromium_binary(), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
            "--disable-dev-shm-usage",
            f"--user-data-dir={profile}", "--no-first-run", "--disable-extensions",
            f"--print-to-pdf={pdf}", html.resolve().as_uri(),
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        raise RuntimeError(f"Chromium could not print {html}:\n{result.stderr[-2000:]}")
    return pdf


class Chromium:
    """One headless Chromium, driven over its DevTools pipe (`--remote-debugging-pipe`: fds 3
    and 4, messages of JSON ending in a NUL byte), that prints page after page. Each page
    is printed in a new tab, closed afterwards, with the `Page.printToPDF` parameters that
    `chromium --headless --print-to-pdf --no-pdf-header-footer` (`print_to_pdf`) uses: the
    same PDF, byte for byte but for its dates and the DOM node ids its tags carry (test_print.py's
    `test_one_chromium_prints_what_print_to_pdf_prints` holds it to that). A browser costs
    about 1.5 CPU seconds to start and a page about 0.5 to print, so the tests keep a few
    for the whole run. It prints one page at a time: threads that share it take turns."""

    # What --print-to-pdf asks of Chromium's printing: the page's own @page size and
    # margins, no header or footer, backgrounds printed, a tagged PDF.
    PRINT = {"preferCSSPageSize": True, "displayHeaderFooter": False, "printBackground": True,
             "generateTaggedPDF": True}

    def __init__(self, timeout: float = 120):
        self.timeout = timeout
        self.profile = tempfile.TemporaryDirectory(prefix="handout-chromium-")
        self.lock = threading.Lock()
        self.next_id = 0
        self.buffer = bytearray()
        self.events: list[dict] = []
        # Every end above 9 (so that neither is already 3 or 4) and closed on exec.
        browser_reads, to_browser, from_browser, browser_writes = (
            self._lifted(fd) for fd in (*os.pipe(), *os.pipe()))
        binary = chromium_binary()
        arguments = [binary, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", f"--user-data-dir={self.profile.name}", "--no-first-run",
                     "--disable-extensions", "about:blank"]
        log = os.path.join(self.profile.name, "chromium.log")
        # The browser's ends of the pipes become its fds 3 and 4; ours stay closed on exec.
        self.pid = os.posix_spawn(binary, arguments, os.environ, file_actions=[
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_OPEN, 2, log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
            (os.POSIX_SPAWN_DUP2, browser_reads, 3), (os.POSIX_SPAWN_DUP2, browser_writes, 4)])
        os.close(browser_reads)
        os.close(browser_writes)
        self.input, self.output = to_browser, from_browser
        self.exited = False

    @staticmethod
    def _lifted(fd: int) -> int:
        moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(fd)
        return moved

    def _read_message(self, deadline: float) -> dict:
        while (end := self.buffer.find(b"\0")) < 0:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.output], [], [], remaining)[0]:
                raise RuntimeError(f"Chromium did not answer within {self.timeout:g} seconds{self._log()}")
            chunk = os.read(self.output, 1 << 20)
            if not chunk:
                raise RuntimeError(f"Chromium closed its DevTools pipe{self._log()}")
            self.buffer += chunk
        message = json.loads(self.buffer[:end])
        del self.buffer[:end + 1]
        return message

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self.input, data):]
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") != self.next_id:
                self.events.append(reply)
            elif "error" in reply:
                raise RuntimeError(f"Chromium refused {method}: {reply['error']}")
            else:
                return reply["result"]

    def _wait_for(self, event: str, session: str):
        deadline = time.monotonic() + self.timeout
        while True:
            for index, message in enumerate(self.events):
                if message.get("method") == event and message.get("sessionId") == session:
                    del self.events[:index + 1]
                    return
            self.events.append(self._read_message(deadline))

    def _log(self) -> str:
        path = os.path.join(self.profile.name, "chromium.log")
        text = open(path, errors="replace").read()[-2000:] if os.path.exists(path) else ""
        return f"; Chromium said:\n{text}" if text.strip() else ""

    def print_to_pdf(self, html: Path | str, pdf: Path) -> Path:
        """Prints a page (a file, or the address of one) as `print_to_pdf` does, in a tab of its own."""
        address = html if isinstance(html, str) else html.resolve().as_uri()
        with self.lock:
            target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
            try:
                session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
                self._send("Page.enable", session=session)
                self.events.clear()
                navigated = self._send("Page.navigate", {"url": address}, session=session)
                if navigated.get("errorText"):
                    raise RuntimeError(f"Chromium could not open {html}: {navigated['errorText']}")
                self._wait_for("Page.loadEventFired", session)
                data = self._send("Page.printToPDF", self.PRINT, session=session)["data"]
            finally:
                self._send("Target.closeTarget", {"targetId": target})
        pdf.write_bytes(base64.b64decode(data))
        if not pdf.stat().st_size:
            raise RuntimeError(f"Chromium printed nothing for {html}")
        return pdf

    def close(self):
        if self.exited:
            return
        self.exited = True
        try:
            self._send("Browser.close")
        except (RuntimeError, OSError):
            pass
        os.close(self.input)
        os.close(self.output)
        deadline = time.monotonic() + 10
        while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                break
            time.sleep(0.05)
        self.profile.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def firefox_binary() -> str:
    for name in (os.environ.get("FIREFOX"), "firefox-esr", "firefox"):
        if name and shutil.which(name):
            return shutil.which(name)
    raise RuntimeError("Firefox is not installed; Tests/run.sh installs the Debian package 'firefox-esr'")


class Firefox:
    """Headless Firefox driven through Marionette, its own remote protocol (PyPI
    marionette-driver; no geckodriver). `print_to_pdf` is the WebDriver print command with
    the browser's defaults: portrait, shrink to fit, no header or footer of its own, so
    every word on the paper comes from the page. It prints one page at a time: threads that
    share it take turns."""

    def __init__(self):
        from marionette_driver.marionette import Marionette

        self.profile = tempfile.TemporaryDirectory(prefix="handout-firefox-")
        # Port 0: Firefox picks a free port and writes it to MarionetteActivePort in the profile.
        with open(os.path.join(self.profile.name, "user.js"), "w") as prefs:
            prefs.write('user_pref("marionette.port", 0);\n')
        self.process = subprocess.Popen(
            # System access lets the tests set Firefox's print settings (print_from_dialog).
            [firefox_binary(), "--headless", "--marionette", "--remote-allow-system-access", "--no-remote",
             "--profile", self.profile.name],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.profile.name, "MarionetteActivePort")
        deadline = time.monotonic() + 60
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError("Firefox did not start its Marionette server")
            time.sleep(0.1)
        self.marionette = Marionette(host="127.0.0.1", port=int(open(port_file).read()))
        self.marionette.start_session()
        self.lock = threading.Lock()

    def print_to_pdf(self, html: Path, pdf: Path) -> Path:
        with self.lock:
            self.marionette.navigate(html.resolve().as_uri())
            # marionette-driver has no method for the print command: sent as the protocol names it.
            data = self.marionette._send_message("WebDriver:Print", {}, key="value")
        pdf.write_bytes(base64.b64decode(data))
        return pdf

    def print_from_dialog(self, html: Path, pdf: Path, paper: str) -> Path:
        """Prints a page as a person would from Firefox's print dialog left as it comes:
        Firefox's own header (the page's title, its address) and footer (the page number,
        the date) on, on `paper` ("letter" or "a4"), saved to a PDF without the dialog."""
        size = {"letter": ("na_letter", "8.5", "11.0", 0), "a4": ("iso_a4", "210.0", "297.0", 1)}[paper]
        printer = "print.printer_Mozilla_Save_to_PDF."
        pdf = pdf.resolve()
        with self.lock:
            self.marionette.set_prefs({
                "print.always_print_silent": True, "print.show_print_progress": False,
                "print_printer": "Mozilla Save to PDF", printer + "print_to_file": True,
                printer + "print_to_filename": str(pdf), printer + "print_paper_id": size[0],
                printer + "print_paper_width": size[1], printer + "print_paper_height": size[2],
                printer + "print_paper_size_unit": size[3],
            })
            self.marionette.navigate(html.resolve().as_uri())
            self.marionette.execute_script("window.print()")
            # The file is written after print() returns: wait until it is a whole PDF.
            deadline = time.monotonic() + 60
            while not (pdf.exists() and pdf.read_bytes().rstrip().endswith(b"%%EOF")):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Firefox did not print {html} to {pdf}")
                time.sleep(0.2)
        return pdf

    def close(self):
        if getattr(self, "marionette", None):
            self.marionette.delete_session()
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.profile.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


# MARK: Reading a PDF

@dataclass
class TextLine:
    page: int          # 1-based
    top: float
    left: float
    height: float
    size: float        # font size in points, as poppler reports it (rounded)
    text: str
    width: float = 0.0
    font: str = ""     # the font's family, without the subset's prefix ("LiberationSans")


@dataclass
class Pdf:
    path: Path
    sizes: list[tuple[float, float]]   # width, height in points, per page
    pages: list[str]                   # text of each page, as pdftotext reads it
    lines: list[TextLine]

    @property
    def count(self) -> int:
        return len(self.sizes)

    def lines_of(self, page: int) -> list[TextLine]:
        """The lines of one page, top to bottom (left to right on one height)."""
        return sorted((line for line in self.lines if line.page == page), key=lambda line: (line.top, line.left))

    def line_text(self, page: int) -> str:
        """A page's text rebuilt from its lines: unlike pdftotext's reading order, this never
        glues words of neighbouring table cells together."""
        return "\n".join(line.text for line in self.lines_of(page))

    @classmethod
    def read(cls, path: Path) -> "Pdf":
        info = _run("pdfinfo", "-f", "1", "-l", "9999", str(path))
        sizes = [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)]
        text = _run("pdftotext", "-enc", "UTF-8", str(path), "-")
        pages = text.split("\f")[: len(sizes)]
        return cls(path, sizes, pages, _text_lines(path))


def _text_lines(path: Path) -> list[TextLine]:
    """Every line of text with its font size (pdftohtml -xml: one <text> per line)."""
    xml = _run("pdftohtml", "-xml", "-i", "-q", "-zoom", "1", "-stdout", str(path))
    root = ET.fromstring(xml)
    lines: list[TextLine] = []
    for page in root.iter("page"):
        number = int(page.get("number"))
        # fontspecs are declared once for the whole document, on the page that first uses them
        fonts = {spec.get("id"): (float(spec.get("size")), spec.get("family", "").rpartition("+")[2])
                 for spec in root.iter("fontspec")}
        for text in page.iter("text"):
            content = "".join(text.itertext())
            if content.strip():
                size, family = fonts[text.get("font")]
                lines.append(TextLine(number, float(text.get("top")), float(text.get("left")),
                                      float(text.get("height")), size, content, float(text.get("width")), family))
    return lines


def words(text: str) -> str:
    """Lower-case words and numbers only, so "Tip: Keep breathing." matches "Tip Keep breathing"."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(re.findall(r"[^\W_]+", text))


def decode_qr_codes(pdf: Path, folder: Path, dpi: int = 150) -> list[str]:
    """Every QR code on every page, rastered at `dpi` and read by zbarimg (zbar-tools). The
    rasters are PGM files (pdftoppm writes a PNG ten times slower, and zbarimg reads both)."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf), str(folder / "page")], check=True)
    pages = sorted(folder.glob("page*.pgm"))
    if not pages:
        raise RuntimeError(f"pdftoppm rastered no page of {pdf}")
    # All pages in one zbarimg; exit status 4: no code on any of them.
    result = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", *map(str, pages)],
                            capture_output=True, text=True)
    if result.returncode not in (0, 4):
        raise RuntimeError(f"zbarimg failed on {folder}: {result.stderr[-500:]}")
    return [line for line in result.stdout.splitlines() if line]


def blank_fractions(pdf: Path, folder: Path, margin_mm: float) -> list[float]:
    """For each page, the share of the printable height (inside the top and bottom page
    margins, which hold the running header) left blank below the last ink, from a 50 dpi
    greyscale raster."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "50", "-gray", str(pdf), str(folder / "blank")], check=True)
    fractions = []
    pages = sorted(folder.glob("blank*.pgm"), key=lambda p: int(re.search(r"(\d+)\.pgm$", p.name).group(1)))
    for page in pages:
        data = page.read_bytes()
        magic, size, depth, pixels = data.split(b"\n", 3)
        width, height = map(int, size.split())
        margin = round(margin_mm / 25.4 * 50)
        rows = [pixels[y * width:(y + 1) * width] for y in range(margin, height - margin)]
        inked = [y for y, row in enumerate(rows) if min(row) < 200]
        fractions.append((len(rows) - 1 - inked[-1]) / len(rows) if inked else 1.0)
    return fractions


# MARK: Checks

def check_page_size(pdf: Pdf, paper: str, landscape: bool) -> list[str]:
    width, height = PAPER_POINTS[paper]
    if landscape:
        width, height = height, width
    return [f"page {i} is {w:g}x{h:g} pt, expected {width}x{height} ({paper}{' landscape' if landscape else ''})"
            for i, (w, h) in enumerate(pdf.sizes, 1) if abs(w - width) > 1 or abs(h - height) > 1]


def page_number_pattern(page_of: str) -> str:
    """A regular expression for the language's "Page {page} of {pages}", the "of" part optional."""
    head, _, tail = page_of.partition("{page}")
    middle, _, end = tail.partition("{pages}")
    return re.escape(head) + r"\d+(?:" + re.escape(middle) + r"\d+" + re.escape(end) + ")?"


def check_running_header(pdf: Pdf, patient: str, clinic: str) -> list[str]:
    """Every page names the patient and the clinic, so a page that comes loose from the rest
    still says whose it is. Compared as the page text is, NFKC-normalized."""
    problems = []
    for number, text in enumerate(pdf.pages, 1):
        flat = " ".join(unicodedata.normalize("NFKC", text).split())
        for what, name in (("patient's name", patient), ("clinic", clinic)):
            if " ".join(unicodedata.normalize("NFKC", name).split()) not in flat:
                problems.append(f"page {number} does not show the {what} {name!r}")
    return problems


def check_running_head(pdf: Pdf, whole: list[str], cut_short: str | None = None) -> list[str]:
    """Every page begins with its running head, on one line: each text of `whole` (the
    patient's name, the calendar's version, the clinic) whole on the page's first line, in
    that order from left to right, and `cut_short` (a clinic name too long for the line)
    after them, cut short with an ellipsis; nothing printed where a second line of the head
    would be. Compared as the page text is, NFKC-normalized."""
    def flat(text: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", text).split())

    problems = []
    for number in range(1, pdf.count + 1):
        lines = pdf.lines_of(number)
        if not lines:
            problems.append(f"page {number} has no text")
            continue
        # Texts of one line, in different fonts, may sit a point apart.
        top = lines[0].top
        head = sorted((line for line in lines if line.top - top < 2), key=lambda line: line.left)
        text = flat(" ".join(line.text for line in head))
        position = 0
        for part in whole:
            found = text.find(flat(part), position)
            if found < 0:
                problems.append(f"page {number}: its first line {text!r} does not show {part!r} whole after {text[:position]!r}")
                continue
            position = found + len(flat(part))
        # "Riverside Phys…" (NFKC: "...") or the whole name.
        shown = text[position:].strip()
        if cut_short and not (shown.endswith("...") and len(shown) > 3 and flat(cut_short).startswith(shown[:-3])):
            problems.append(f"page {number}: its first line {text!r} does not end in the clinic's name {cut_short!r} cut short")
        # A second line would begin 1.1 em under the first (the head's line height); the
        # page's text begins lower, under the head's room (19 pt, 24 pt in large print).
        below = [line.text for line in lines if 2 <= line.top - top < 1.25 * max(line.size for line in head)]
        if below:
            problems.append(f"page {number}: the running head {text!r} runs on to a second line: {below}")
    return problems


def check_page_numbers(pdf: Pdf, page_of: str = "Page {page} of {pages}") -> list[str]:
    """Every page says "Page N of M" (in the page's language, from its strings file) with the
    right N and M. Only Chromium prints them from the page's CSS: Firefox leaves out @page
    margin boxes, and its own footer (page numbers) is off in WebDriver printing."""
    problems = []
    for number, text in enumerate(pdf.pages, 1):
        flat = " ".join(unicodedata.normalize("NFKC", text).split())
        # Compared as the page text is, NFKC-normalized ("，" reads back as ",").
        expected = unicodedata.normalize("NFKC", page_of.format(page=number, pages=pdf.count))
        found = re.findall(page_number_pattern(unicodedata.normalize("NFKC", page_of)), flat)
        if expected not in found:
            problems.append(f"page {number} does not say {expected!r} (it says {found or 'nothing'})")
    return problems


def _locate(pdf: Pdf):
    """All page texts as one word string, and a function from a position to its page."""
    starts, parts, position = [], [], 0
    for number in range(1, pdf.count + 1):
        starts.append(position)
        flat = words(pdf.line_text(number))
        parts.append(flat)
        position += len(flat) + 1
    joined = " ".join(parts)

    def page_at(index: int) -> int:
        page = 0
        for number, start in enumerate(starts, 1):
            if start <= index:
                page = number
        return page

    return joined, page_at


def check_cards_whole(pdf: Pdf, cards: list[tuple[str, str]]) -> list[str]:
    """Each card's title and its last words (the end of its text, or of its head when it has
    no text) are on the same page: no card splits across pages."""
    joined, page_at = _locate(pdf)
    problems, position = [], 0
    for title, ending in cards:
        start = joined.find(words(title), position)
        if start < 0:
            problems.append(f"card {title!r}: title not found in the PDF")
            continue
        end = joined.find(words(ending), start)
        if end < 0:
            problems.append(f"card {title!r}: its last words {ending!r} were not found after the title")
            continue
        first, last = page_at(start), page_at(end)
        if first != last:
            problems.append(f"card {title!r} is split: title on page {first}, last line ({ending!r}) on page {last}")
        position = end
    return problems


# A card's border, padding and margin around its text, at most (print.css: 8 pt margin,
# 1.5 pt border, 1 pt and 4 pt padding, the title's 3 pt margin), and a line's leading.
CARD_FRAME_PT = 30


def check_blank_only_before_moved_cards(pdf: Pdf, blank: list[float], cards: list[tuple[str, str]],
                                        margin_mm: float, limit: float) -> list[str]:
    """No page but the last is more than `limit` blank at its foot (the share of the height
    inside `margin_mm` top and bottom, as `blank_fractions` measures it), unless the next
    page begins with a card that could not fit in that blank, kept whole: its title is the
    first line below the running head (or the second, under the section's heading that
    moved with it), and from there to the card's end is taller than the blank."""
    margin_pt = margin_mm / 25.4 * 72
    problems = []
    for page, fraction in enumerate(blank[:-1], 1):
        if fraction <= limit:
            continue
        blank_pt = fraction * (pdf.sizes[page - 1][1] - 2 * margin_pt)
        below_head = [line for line in pdf.lines_of(page + 1) if line.top > margin_pt]
        moved = None
        for line in below_head[:2]:
            first = words(line.text)
            moved = moved or next(((title, ending) for title, ending in cards
                                   if first and (words(title).startswith(first) or first.startswith(words(title)))), None)
        if moved is None:
            problems.append(f"page {page} is {fraction:.0%} blank at its foot, and page {page + 1} does not begin with a card")
            continue
        title, ending = moved
        # The card's last line: where the page's words, read from its top, end with the card's.
        read, last = "", None
        for line in below_head:
            read = f"{read} {words(line.text)}".strip()
            if read.endswith(words(ending)):
                last = line
                break
        if last is None:
            problems.append(f"page {page} is {fraction:.0%} blank: card {title!r} does not end on page {page + 1}")
            continue
        height = last.top + last.height - below_head[0].top
        if height + CARD_FRAME_PT < blank_pt:
            problems.append(f"page {page} is {fraction:.0%} blank ({blank_pt:.0f} pt), but card {title!r} "
                            f"({height:.0f} pt of text) would have fit there")
    return problems


def check_weeks_whole(pdf: Pdf, weeks: list[tuple[int, int]], week_number: str = "Week {n}", pain: str = "Pain 0–10") -> list[str]:
    """Each week row is on one page: its "Week N" heading is on exactly one page, and every
    page holds exactly the pain blanks (the last line of each day) of the weeks headed on it.
    `week_number` and `pain` are the calendar's words in its language."""
    problems = []
    expected = collections.Counter()
    for number, blanks in weeks:
        # From pdftotext's page text: the landscape calendar prints "Week N" up the side, and
        # pdftohtml leaves rotated text out of its lines.
        heading = r"\b" + re.escape(words(week_number.format(n=number))) + r"(?!\d)"
        pages = sorted({page for page, text in enumerate(pdf.pages, 1) if re.search(heading, words(text))})
        if len(pages) != 1:
            problems.append(f"'Week {number}' appears on pages {pages}, expected exactly one page")
            continue
        expected[pages[0]] += blanks
    for i in range(1, pdf.count + 1):
        found = sum(words(line.text).startswith(words(pain)) for line in pdf.lines_of(i))
        if found != expected[i]:
            problems.append(f"page {i} holds {found} pain blanks, but the weeks that start on it have "
                            f"{expected[i]}: a week is split across pages")
    return problems


def check_week_days(pdf: Pdf, weeks: list[tuple[int, list[str]]], week_number: str = "Week {n}") -> list[str]:
    """Each week's page shows every one of its seven days: each day's printed label is on
    the page that has the week's "Week N" heading, and no text runs past the page's edges
    (a page too narrow for the week cuts its last days off, and their words are not printed)."""
    problems = []
    for number, labels in weeks:
        heading = r"\b" + re.escape(words(week_number.format(n=number))) + r"(?!\d)"
        pages = [page for page, text in enumerate(pdf.pages, 1) if re.search(heading, words(text))]
        if not pages:
            problems.append(f"'Week {number}' is on no page")
            continue
        text = words(pdf.line_text(pages[0]))
        missing = [label for label in labels if not re.search(r"(?<!\w)" + re.escape(words(label)) + r"(?!\w)", text)]
        if missing:
            problems.append(f"week {number} on page {pages[0]} lacks the days {missing}")
    for line in pdf.lines:
        width = pdf.sizes[line.page - 1][0]
        if line.left < 0 or line.left + line.width > width + 1:
            problems.append(f"page {line.page}: {line.text!r} runs past the page's edge")
    return problems


def whole_tick_boxes(pdf: Path, folder: Path, side_pt: float, dpi: int = 100) -> list[int]:
    """For each page, how many tick boxes it shows whole: square outlines `side_pt` points
    a side (within a quarter), found in a greyscale raster as a dark top edge, a dark bottom
    edge the same width below it, and dark sides between, around an empty inside. A box cut
    at a page's edge (or sliced by the browser's page break) has no bottom or top edge and is
    not counted; text is never square and that large."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf), str(folder / "ticks")], check=True)
    side = side_pt * dpi / 72
    low, high = int(side * 0.75), int(side * 1.25) + 1
    dark = bytes(0x23 if value < 128 else 0x2E for value in range(256))  # '#' dark, '.' light
    run = re.compile(rb"(?<!#)#{%d,%d}(?!#)" % (max(1, low - 6), high))
    counts = []
    pages = sorted(folder.glob("ticks*.pgm"), key=lambda p: int(re.search(r"(\d+)\.pgm$", p.name).group(1)))
    for page in pages:
        magic, size, depth, pixels = page.read_bytes().split(b"\n", 3)
        width, height = map(int, size.split())
        rows = [pixels[y * width:(y + 1) * width].translate(dark) for y in range(height)]
        found: list[tuple[int, int]] = []
        for y, row in enumerate(rows):
            for edge in run.finditer(row):
                x0, x1 = edge.start(), edge.end()
                if any(abs(y - fy) <= 3 and abs(x0 - fx) <= 3 for fy, fx in found):
                    continue
                # The outline's corners are round: its sides reach a little past the edge's ends.
                left, right = max(0, x0 - 3), min(width - 1, x1 + 2)
                for bottom in range(y + low - 1, min(height, y + high + 1)):
                    if not run.search(rows[bottom], left, right + 1):
                        continue
                    inside = [rows[yy][left:right + 1] for yy in range(y + 3, bottom - 2)]
                    sides = sum(1 for line in inside if line[:5].count(b"#") and line[-5:].count(b"#"))
                    # Empty inside: the outline of one box, not two boxes stacked.
                    hollow = all(b"#" not in rows[yy][x0 + 3:x1 - 3] for yy in range(y + 3, bottom - 2))
                    if inside and sides >= 0.9 * len(inside) and hollow and low <= right - left + 1 - 4 <= high + 2:
                        found.append((y, x0))
                        break
        counts.append(len(found))
    return counts


def check_tick_boxes_whole(pdf: Pdf, weeks: list[tuple[int, int]], folder: Path, side_pt: float,
                           week_number: str = "Week {n}") -> list[str]:
    """Every page shows whole exactly the tick boxes of the weeks headed on it: `weeks` is
    each week's number and its tick boxes in the page's HTML. None cut at a page's edge, none
    lost."""
    expected = collections.Counter()
    for number, ticks in weeks:
        heading = r"\b" + re.escape(words(week_number.format(n=number))) + r"(?!\d)"
        pages = [page for page, text in enumerate(pdf.pages, 1) if re.search(heading, words(text))]
        expected[pages[0] if pages else 0] += ticks
    whole = whole_tick_boxes(pdf.path, folder, side_pt)
    problems = [f"{expected[0]} tick boxes are in weeks not found on any page"] if expected[0] else []
    for page, count in enumerate(whole, 1):
        if count != expected[page]:
            problems.append(f"page {page} shows {count} whole tick boxes, but the weeks that start on it have {expected[page]}")
    return problems


def check_clear_of_browser_margins(dialog: Pdf, plain: Pdf, browser_lines, folder: Path) -> list[str]:
    """Nothing of the page touches the browser's own header and footer. `dialog` is the page
    printed with them (`browser_lines(line)` tells their lines), `plain` the same page printed
    without: on each page, the rows of the browser's lines must be blank in `plain` (no text,
    no line or box of the page), from a 100 dpi greyscale raster."""
    if dialog.count != plain.count:
        return [f"{dialog.count} pages with the browser's header and footer, {plain.count} without"]
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "100", "-gray", str(plain.path), str(folder / "page")], check=True)
    rasters = sorted(folder.glob("page*.pgm"), key=lambda p: int(re.search(r"(\d+)\.pgm$", p.name).group(1)))
    problems = []
    for number, raster in enumerate(rasters, 1):
        bands = sorted({(line.top - 1, line.top + line.height + 1) for line in dialog.lines_of(number) if browser_lines(line)})
        if not bands:
            problems.append(f"page {number}: the browser printed no header or footer")
        magic, size, depth, pixels = raster.read_bytes().split(b"\n", 3)
        width, height = map(int, size.split())
        for start, end in bands:
            for y in range(max(0, round(start * 100 / 72)), min(height, round(end * 100 / 72) + 1)):
                row = pixels[y * width:(y + 1) * width]
                if min(row) < 160:
                    problems.append(f"page {number}: the page's ink at {y * 72 / 100:.0f} pt down, "
                                    f"{row.index(min(row)) * 72 / 100:.0f} pt across, meets the browser's header or footer")
                    break
    return problems


def body_lines(pdf: Pdf, margin_texts: list[str], page_of: str = "Page {page} of {pages}") -> list[TextLine]:
    """Text lines outside the page-margin boxes (patient, clinic, "Page N of M")."""
    out = []
    for line in pdf.lines:
        width, height = pdf.sizes[line.page - 1]
        in_margin = line.top < 50 or line.top + line.height > height - 50
        running = line.text.strip() in margin_texts or re.fullmatch(page_number_pattern(page_of), line.text.strip())
        if not (in_margin and running):
            out.append(line)
    return out


def font_sizes(lines: list[TextLine]) -> collections.Counter:
    """Characters set in each font size."""
    counter = collections.Counter()
    for line in lines:
        counter[line.size] += len(line.text.strip())
    return counter


def body_size(lines: list[TextLine]) -> float:
    """The size most of the text is set in."""
    return font_sizes(lines).most_common(1)[0][0]


def line_spacing(lines: list[TextLine], size: float) -> float:
    """The usual distance between the baselines of consecutive lines of body text, over its size."""
    gaps = collections.Counter()
    by_column = collections.defaultdict(list)
    for line in lines:
        if line.size == size:
            by_column[(line.page, round(line.left))].append(line.top)
    for tops in by_column.values():
        tops.sort()
        for a, b in zip(tops, tops[1:]):
            if 0 < b - a < 2 * size:
                gaps[round(b - a)] += 1
    if not gaps:
        return 0.0
    return gaps.most_common(1)[0][0] / size


def check_no_heading_at_page_foot(pdf: Pdf, headings: list[str], margin_texts: list[str]) -> list[str]:
    """No page but the last ends with a heading, a table's caption or its column headings:
    each keeps its heading with what follows it."""
    wanted = {words(heading) for heading in headings if words(heading)}
    body = body_lines(pdf, margin_texts)
    problems = []
    for page in range(1, pdf.count):
        lines = sorted((line for line in body if line.page == page), key=lambda line: (line.top, line.left))
        if not lines:
            continue
        # The page's last row of text, which may be several cells side by side; a row that
        # ends an address broken after "/" or "-" ("…example/" then "forearm-plank") is read
        # with the line it continues, or it would read as a heading's words.
        bottom = max(line.top for line in lines)
        row = " ".join(line.text for line in lines if abs(line.top - bottom) < 3)
        above = [line for line in lines if line.top < bottom - 3]
        if above and above[-1].text.rstrip().endswith(("/", "-")):
            row = above[-1].text.rstrip() + row
        last = words(row)
        if last in wanted:
            problems.append(f"page {page} ends with the heading {last!r}")
    return problems


# MARK: What the HTML says should be there


def printed_text(html: str) -> str:
    """The text of a page's body as print shows it: no navigation, skip link, search form
    or screen-only and visually hidden parts."""
    tree = htmltree.parse(html)
    body = tree.find("body")
    hidden = frozenset({"visually-hidden", "screen-only", "site-nav", "skip-link", "filter"})
    return body.text(skip_classes=hidden)


def headings_in(html: str) -> list[str]:
    """Every heading's text, each table caption, and each table's row of column headings."""
    tree = htmltree.parse(html)
    found = [element.text() for tag in ("h1", "h2", "h3", "caption") for element in tree.find_all(tag)]
    for head in tree.find_all("thead"):
        found.append(" ".join(cell.text() for cell in head.find_all("th")))
    return found

def cards_in(html: str) -> list[tuple[str, str]]:
    """(title, last words) of each exercise card, from the generated handout."""
    tree = htmltree.parse(html)
    cards = []
    for card in tree.find_all("section", "card"):
        title = card.find("h3").text()
        text = card.text(skip_classes=frozenset({"visually-hidden", "screen-only"}))
        cards.append((title, " ".join(text.split()[-6:])))
    return cards


def weeks_in(html: str) -> list[tuple[int, int]]:
    """(week number, lines reading "Pain 0–10") of each calendar week: a row of the
    landscape calendar with a pain blank in each day, or a large-print week's table with
    one row of pain blanks."""
    tree = htmltree.parse(html)
    weeks = []
    for row in tree.find_all("tr", "week"):
        header = row.find("th").text(skip_classes=frozenset({"range"}))
        number = int(re.search(r"\d+", header).group())
        weeks.append((number, len(row.find_all("label", "pain"))))
    for table in tree.find_all("table", "week-log"):
        caption = table.find("caption").text(skip_classes=frozenset({"range"}))
        weeks.append((int(re.search(r"\d+", caption).group()), len(table.find_all("tr", "pain"))))
    return weeks


def week_ticks_in(html: str) -> list[tuple[int, int]]:
    """(week number, tick boxes) of each calendar week, landscape or large print."""
    tree = htmltree.parse(html)
    weeks = []
    for row in tree.find_all("tr", "week"):
        header = row.find("th").text(skip_classes=frozenset({"range"}))
        weeks.append((int(re.search(r"\d+", header).group()), len([i for i in row.find_all("input") if i.attrs.get("type") == "checkbox"])))
    for table in tree.find_all("table", "week-log"):
        caption = table.find("caption").text(skip_classes=frozenset({"range"}))
        weeks.append((int(re.search(r"\d+", caption).group()), len([i for i in table.find_all("input") if i.attrs.get("type") == "checkbox"])))
    return weeks


def week_days_in(html: str) -> list[tuple[int, list[str]]]:
    """(week number, the printed labels of its seven days) of each calendar week: each day
    cell's date in a row of the landscape calendar ("Dec 7"); a large-print week's day
    column headings, the weekday and the day of the month apart ("Mon", "7"), as they print
    on two lines."""
    tree = htmltree.parse(html)
    weeks = []
    for row in tree.find_all("tr", "week"):
        header = row.find("th").text(skip_classes=frozenset({"range"}))
        days = [legend.text(skip_classes=frozenset({"weekday"})).strip() for legend in row.find_all("legend", "date")]
        weeks.append((int(re.search(r"\d+", header).group()), days))
    for table in tree.find_all("table", "week-log"):
        caption = table.find("caption").text(skip_classes=frozenset({"range"}))
        days = [part for head in table.find("thead").find_all("th")[1:]
                for part in (head.find("abbr").text(), head.find("span", "day-number").text())]
        weeks.append((int(re.search(r"\d+", caption).group()), days))
    return weeks
