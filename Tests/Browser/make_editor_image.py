"""Renders docs/editor.png: the plan editor of `handout serve` on a copy of the sample site,
a new plan from the knee osteoarthritis protocol with the patient's name written and an
exercise search open, and the handout built from it beside the form, as headless Chromium
shows them in a 1400 × 1100 window.

    .build/browser-tests-venv/bin/python Tests/Browser/make_editor_image.py [--handout .build/debug/handout]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).parent))

import pdfcheck  # noqa: E402
from conftest import REPO  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--handout", type=Path, default=REPO / ".build" / "debug" / "handout")
    parser.add_argument("--docs", type=Path, default=REPO / "docs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="handout-editor-") as temporary:
        site = Path(temporary)
        for folder in ("Content", "Templates"):
            shutil.copytree(REPO / folder, site / folder)
        server = subprocess.Popen([str(args.handout), "serve", "--root", str(site), "--port", "0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        url = None
        while url is None:
            match = re.search(r"at (http://\S+/) ", server.stdout.readline())
            url = match and match.group(1)
        options = Options()
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1"):
            options.add_argument(argument)
        options.binary_location = pdfcheck.chromium_binary()
        driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))
        try:
            driver.set_window_size(1400, 1100)
            driver.get(url + "_handout/editor/plan?new=p-0143&protocol=knee-osteoarthritis&start=2026-12-07")
            wait = WebDriverWait(driver, 20, poll_frequency=0.1)
            wait.until(lambda _: driver.find_elements(By.ID, "f-patient"))
            driver.find_element(By.ID, "f-patient").send_keys("Casey Morgan")
            driver.find_element(By.ID, "f-therapist").send_keys("Priya Shah, PT")
            search = driver.find_element(By.ID, "exercise-search")
            search.send_keys("step")
            wait.until(lambda _: driver.find_element(By.ID, "preview-frame").is_displayed()
                       and "Casey Morgan" in driver.find_element(By.ID, "plan-text").get_attribute("textContent"))
            time.sleep(1.5)
            driver.execute_script("const top = document.getElementById('h-section_exercises').getBoundingClientRect().top;"
                                  "window.scrollTo(0, top + window.scrollY - 8)")
            driver.switch_to.frame(driver.find_element(By.ID, "preview-frame"))
            # Scrolled inside the frame only (scrollIntoView would scroll the editor too).
            driver.execute_script("window.scrollTo(0, document.querySelector('.card').getBoundingClientRect().top + window.scrollY - 320)")
            driver.switch_to.default_content()
            time.sleep(0.5)
            driver.save_screenshot(str(args.docs / "editor.png"))
        finally:
            driver.quit()
            server.terminate()
            server.wait()
    print(f"wrote {args.docs / 'editor.png'}")


if __name__ == "__main__":
    main()
