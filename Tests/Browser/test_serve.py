"""`handout serve` in real Chromium: one server on a copy of the sample site, one browser for
every check. An open handout reloads when its plan file is saved, shows the plan's errors (as
`handout check` words them) when it breaks and recovers when it is fixed; the plan editor
makes a plan from a protocol with an exercise found by searching, sides and days, and saves
YAML that passes `handout check` and the JSON Schema; a save over a changed file is refused;
cross-site, `..` and oversized requests are refused and write nothing; axe finds nothing on
the editor's pages, on a desktop window and at 200% zoom."""

from __future__ import annotations

import http.client
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from test_axe import axe_problems

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Schema"))
from test_schema import PlanYAML  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


class Served:
    def __init__(self, root: Path, url: str, process: subprocess.Popen):
        self.root, self.url, self.process = root, url, process
        self.host = url.split("//")[1].rstrip("/")

    def plan(self, plan_id: str) -> Path:
        return self.root / "Content" / "plans" / f"{plan_id}.yaml"

    def save(self, plan_id: str, text: str):
        """As an editor saves: the whole file written beside it, then renamed over it."""
        target = self.plan(plan_id)
        temporary = target.with_name(f".{target.name}.swp")
        temporary.write_text(text)
        os.replace(temporary, target)

    def token(self) -> str:
        page = self.get("_handout/editor/")[1]
        return re.search(r'name="handout-token" content="([0-9a-f]+)"', page).group(1)

    def get(self, path: str, headers: dict | None = None) -> tuple[int, str]:
        return self.request("GET", path, headers=headers)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
        """Raw HTTP, so a path is sent exactly as written (`..` included)."""
        connection = http.client.HTTPConnection(self.host, timeout=30)
        connection.request(method, "/" + path, body=body, headers=headers or {})
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, text

    def post(self, path: str, payload, origin: str | None = "own", token: str | None = "own", raw: bytes | None = None,
             content_type: str = "application/json") -> tuple[int, dict]:
        headers = {"Content-Type": content_type}
        if origin:
            headers["Origin"] = self.url.rstrip("/") if origin == "own" else origin
        if token:
            headers["X-Handout-Token"] = self.token() if token == "own" else token
        status, text = self.request("POST", path, body=raw if raw is not None else json.dumps(payload).encode(), headers=headers)
        return status, json.loads(text) if text.startswith("{") else {}

    def open(self, query: str) -> dict:
        status, text = self.get("_handout/api/open?" + query, headers={"X-Handout-Token": self.token()})
        assert status == 200, text
        return json.loads(text)


@pytest.fixture(scope="module")
def served(handout_bin, tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    shutil.copytree(REPO / "Content", root / "Content")
    shutil.copytree(REPO / "Templates", root / "Templates")
    process = subprocess.Popen([str(handout_bin), "serve", "--root", str(root), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = None
    deadline = time.time() + 60
    while time.time() < deadline and url is None:
        line = process.stdout.readline()
        if match := re.search(r"at (http://127\.0\.0\.1:\d+/) ", line):
            url = match.group(1)
    assert url, "handout serve did not say where it listens"
    # The server's log is read on, so its pipe never fills.
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
    yield Served(root, url, process)
    process.terminate()
    process.wait(timeout=10)


def check_line(handout_bin, root: Path, plan_id: str) -> list[str]:
    result = subprocess.run([str(handout_bin), "check", "--root", str(root)], capture_output=True, text=True)
    return [line for line in result.stderr.splitlines() if line.startswith(f"Content/plans/{plan_id}.yaml:")]


def click(driver, element):
    """Clicks `element` in the middle of the window, clear of the Save bar stuck to its bottom."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def wait_for(driver, condition, seconds=15, message=""):
    # A page that reloads while it is read leaves stale elements behind: read it again.
    return WebDriverWait(driver, seconds, poll_frequency=0.05, ignored_exceptions=(StaleElementReferenceException,)) \
        .until(lambda _: condition(), message)


def test_open_page_reloads_shows_errors_and_recovers(served, driver, handout_bin):
    driver.set_window_size(1280, 900)
    driver.get(served.url + "patients/demo-0001/index.html")
    assert "Jordan Rivera" in driver.find_element(By.TAG_NAME, "h1").text + driver.page_source
    original = served.plan("demo-0001").read_text()

    driver.execute_script("window.notReloaded = true")
    served.save("demo-0001", original.replace("Call us if pain spreads down your leg.", "Call us if the pain moves to your foot."))
    wait_for(driver, lambda: "Call us if the pain moves to your foot." in driver.page_source, message="the page did not reload")
    assert driver.execute_script("return window.notReloaded === undefined")

    # Broken: the page shows the error as the command line words it; another patient is served.
    served.save("demo-0001", original.replace("weeks: 6", "weeks: sixx"))
    expected = check_line(handout_bin, served.root, "demo-0001")
    assert expected == ["Content/plans/demo-0001.yaml:6:8: error: weeks must be a number of weeks from 1 to 52; found 'sixx'"]
    wait_for(driver, lambda: expected[0] in driver.find_element(By.TAG_NAME, "body").text, message="the error was not shown")
    assert "Call us if" not in driver.page_source
    status, other = served.get("patients/demo-0002/index.html")
    assert status == 200 and "serve-diagnostics" not in other and "María González" in other

    served.save("demo-0001", original)
    wait_for(driver, lambda: "Call us if pain spreads down your leg." in driver.page_source, message="the page did not recover")
    assert "serve-diagnostics" not in driver.page_source

    # The reload script is added to what is served, never written into the output.
    for page in (served.root / "Output").rglob("*.html"):
        assert "_handout" not in page.read_text(), page


def test_editor_makes_a_plan_from_a_protocol(served, driver, handout_bin):
    driver.set_window_size(1280, 900)
    driver.get(served.url + "_handout/editor/")
    driver.find_element(By.ID, "new-id").send_keys("p-0300")
    Select(driver.find_element(By.ID, "new-protocol")).select_by_value("return-to-running-low-back")
    driver.find_element(By.ID, "new-start").send_keys("12072026")
    driver.find_element(By.CSS_SELECTOR, "#new-plan button[type=submit]").click()
    wait_for(driver, lambda: driver.find_elements(By.ID, "f-patient"), message="the form did not open")
    # The protocol's choices are filled in, as `handout new --protocol` does.
    assert "Side Plank on Knees with Hip Abduction" in driver.find_element(By.ID, "f-exercises-0").text
    wait_for(driver, lambda: "patient must not be empty" in driver.find_element(By.ID, "e-patient").text)
    driver.find_element(By.ID, "f-patient").send_keys("Casey Example")
    driver.find_element(By.ID, "f-therapist").send_keys("Sam Lee, PT")

    # Found by tag (their pictures shown), then by words of the title.
    search = driver.find_element(By.ID, "exercise-search")
    search.send_keys("fall-prevention")
    wait_for(driver, lambda: search.get_attribute("value") == "fall-prevention"
             and re.match(r"\d+ found", driver.find_element(By.ID, "exercise-count").text))
    results = driver.find_elements(By.CSS_SELECTOR, "#exercise-results .result")
    assert results and all("fall-prevention" in result.find_element(By.CLASS_NAME, "tags").text for result in results)
    assert all(result.find_element(By.CSS_SELECTOR, "img.thumb").get_attribute("naturalWidth") != "0" for result in results)
    search.clear()
    search.send_keys("sit stand")
    wait_for(driver, lambda: search.get_attribute("value") == "sit stand"
             and any(title.text == "Sit to Stand" for title in driver.find_elements(By.CSS_SELECTOR, "#exercise-results .result-title")))
    sit = next(result for result in driver.find_elements(By.CSS_SELECTOR, "#exercise-results .result")
               if result.find_element(By.CLASS_NAME, "result-title").text == "Sit to Stand")
    click(driver, sit.find_element(By.TAG_NAME, "button"))
    entry = "f-exercises-4"
    wait_for(driver, lambda: driver.find_elements(By.ID, entry))
    # The dose comes from the exercise.
    assert driver.find_element(By.ID, entry + "-reps").get_attribute("value") == "10"
    Select(driver.find_element(By.ID, entry + "-sides")).select_by_value("left")
    for day in ("mon", "thu"):
        click(driver, driver.find_element(By.ID, f"{entry}-days-{day}"))
    assert driver.find_element(By.ID, entry + "-weekly").get_attribute("disabled")

    wait_for(driver, lambda: "sides: left" in driver.find_element(By.ID, "plan-text").get_attribute("textContent")
             and "days: [mon, thu]" in driver.find_element(By.ID, "plan-text").get_attribute("textContent"))
    wait_for(driver, lambda: driver.find_element(By.ID, "preview-frame").is_displayed())
    driver.switch_to.frame(driver.find_element(By.ID, "preview-frame"))
    wait_for(driver, lambda: "Sit to Stand" in driver.page_source and "Casey Example" in driver.page_source)
    driver.switch_to.default_content()
    assert not (served.root / "Output/patients/p-0300").exists(), "the preview was built into the site's output"

    driver.find_element(By.ID, "save-plan").click()
    wait_for(driver, lambda: "Saved Content/plans/p-0300.yaml" in driver.find_element(By.ID, "editor-status").text)

    text = served.plan("p-0300").read_text()
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../Output/schema/plan.schema.json"
    assert 'patient: "Casey Example"                 # the patient\'s name' in text
    assert "protocol: return-to-running-low-back   # fields below replace the protocol's" in text
    assert "  - exercise: sit-to-stand   # Sit to Stand\n    days: [mon, thu]\n    sides: left\n" in text
    assert check_line(handout_bin, served.root, "p-0300") == []
    check = subprocess.run([str(handout_bin), "check", "--root", str(served.root)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    schema = json.loads((served.root / "Output/schema/plan.schema.json").read_text())
    assert list(Draft202012Validator(schema).iter_errors(yaml.load(text, Loader=PlanYAML))) == []
    handout = (served.root / "Output/patients/p-0300/index.html").read_text()
    assert "Sit to Stand" in handout and "Casey Example" in handout


def test_save_shows_the_diff_and_refuses_a_stale_save(served, driver):
    driver.set_window_size(1280, 900)
    plan = served.plan("demo-0005")
    before = plan.read_text()
    driver.get(served.url + "_handout/editor/plan?id=demo-0005")
    wait_for(driver, lambda: driver.find_elements(By.ID, "f-therapist"))
    therapist = driver.find_element(By.ID, "f-therapist")
    therapist.clear()
    therapist.send_keys("Robin Park, PT")
    driver.find_element(By.ID, "save-plan").click()
    review = driver.find_element(By.ID, "editor-review")
    wait_for(driver, lambda: review.is_displayed() and "therapist: \"Robin Park, PT\"" in review.text)
    assert "added: therapist: \"Robin Park, PT\"" in review.get_attribute("textContent")
    assert plan.read_text() == before, "written before the therapist saw the changes"
    review.find_element(By.TAG_NAME, "button").click()
    wait_for(driver, lambda: "Saved Content/plans/demo-0005.yaml" in driver.find_element(By.ID, "editor-status").text)
    assert 'therapist: "Robin Park, PT"' in plan.read_text()

    # Someone else saves the file; this editor's next save is refused and writes nothing.
    theirs = plan.read_text().replace("Robin Park, PT", "Alex Chen, PT")
    served.save("demo-0005", theirs)
    condition = driver.find_element(By.ID, "f-condition")
    condition.send_keys(" (left)")
    driver.find_element(By.ID, "save-plan").click()
    wait_for(driver, lambda: "changed since you opened it" in review.text)
    assert plan.read_text() == theirs
    # The therapist keeps their change after seeing it against the saved file.
    review.find_elements(By.TAG_NAME, "button")[1].click()
    wait_for(driver, lambda: review.is_displayed() and "Save these changes" in review.text)
    review.find_element(By.TAG_NAME, "button").click()
    wait_for(driver, lambda: "Saved Content/plans/demo-0005.yaml" in driver.find_element(By.ID, "editor-status").text)
    assert "(left)" in plan.read_text()


def test_two_editors_of_one_plan_cannot_lose_a_change(served):
    first, second = served.open("id=demo-0006"), served.open("id=demo-0006")
    mine, theirs = dict(first["plan"]), dict(second["plan"])
    mine["notes"], theirs["notes"] = "First therapist's note.", "Second therapist's note."
    status, answer = served.post("_handout/api/save", {"session": first["session"], "id": "demo-0006", "plan": mine, "base": first["base"]})
    assert status == 200 and answer["status"] == "confirm"
    status, answer = served.post("_handout/api/save", {"session": first["session"], "id": "demo-0006", "plan": mine,
                                                       "base": first["base"], "confirm": answer["confirm"]})
    assert status == 200 and answer["status"] == "saved", answer
    saved = served.plan("demo-0006").read_text()
    status, answer = served.post("_handout/api/save", {"session": second["session"], "id": "demo-0006", "plan": theirs,
                                                       "base": second["base"], "confirm": "anything"})
    assert status == 409 and answer["status"] == "stale"
    assert served.plan("demo-0006").read_text() == saved and "First therapist's note." in saved


def test_refusals_write_nothing(served, driver, tmp_path):
    plans = served.root / "Content/plans"
    listing = sorted(p.name for p in plans.rglob("*"))
    draft = {"id": "p-0400", "plan": {"patient": "X", "start": "2026-12-07", "weeks": "4"}}
    assert served.post("_handout/api/draft", draft, origin="http://evil.example")[0] == 403
    assert served.post("_handout/api/draft", draft, origin=None)[0] == 403
    assert served.post("_handout/api/draft", draft, origin="null")[0] == 403
    assert served.post("_handout/api/draft", draft, token="0" * 64)[0] == 403
    assert served.post("_handout/api/draft", draft, token=None)[0] == 403
    assert served.post("_handout/api/draft", draft, content_type="text/plain")[0] == 415
    assert served.post("_handout/api/draft", dict(draft, id="../../../tmp/escape"))[0] == 400
    assert served.post("_handout/api/draft", dict(draft, id="..%2F..%2Fescape"))[0] == 400
    huge = json.dumps(dict(draft, plan=dict(draft["plan"], notes="x" * 400_000))).encode()
    assert served.post("_handout/api/draft", None, raw=huge)[0] == 413
    assert served.get("_handout/api/open?id=../../../etc/passwd", {"X-Handout-Token": served.token()})[0] == 400
    assert served.get("_handout/api/catalog")[0] == 403
    # A page of another site sends a form (text/plain, the one way a form can carry JSON) and a fetch.
    evil = tmp_path / "evil"
    evil.mkdir()
    (evil / "index.html").write_text(f"""<!DOCTYPE html><html><body>
<form id="f" method="post" enctype="text/plain" action="{served.url}_handout/api/draft">
<input name='{{"id":"p-0401","plan":{{"patient":"X"}},"x":"' value='"}}'></form>
<script>fetch("{served.url}_handout/api/draft", {{method: "POST", mode: "no-cors", credentials: "include",
  body: JSON.stringify({{id: "p-0402", plan: {{patient: "X"}}}})}}).finally(() => document.getElementById("f").submit());</script>
</body></html>""")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(evil)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        driver.get(f"http://127.0.0.1:{server.server_address[1]}/index.html")
        wait_for(driver, lambda: "refused" in driver.page_source, message="the cross-site form was not answered 403")
    finally:
        server.shutdown()
    assert sorted(p.name for p in plans.rglob("*")) == listing
    # Paths: no escape from the output, no hidden file, no plan YAML, no listing, no other host.
    for path in ("patients/../../Content/plans/demo-0001.yaml", "patients/%2e%2e/%2e%2e/Content/site.yaml",
                 ".handout-manifest", ".handout-output", "patients/%2Fetc%2Fpasswd", "schema/..%5c..%5cContent"):
        assert served.get(path)[0] == 404, path
    status, page = served.get("patients/")
    assert status == 404 and "demo-0001" not in page
    assert served.get("index.html", {"Host": "evil.example:80"})[0] == 421
    assert served.get("_handout/api/catalog", {"Host": "evil.example", "X-Handout-Token": served.token()})[0] == 421


ZOOMED = (640, 900)  # a 1280-pixel window at 200% zoom


@pytest.mark.parametrize("window", [(1280, 900), ZOOMED])
def test_axe_finds_nothing_in_the_editor(served, driver, window):
    driver.set_window_size(*window)
    problems = {}
    home = served.url + "_handout/editor/"
    driver.get(home)
    problems["home"] = axe_problems(driver, home)
    driver.get(served.url + "_handout/editor/plan?new=p-0500&protocol=return-to-running-low-back")
    wait_for(driver, lambda: driver.find_elements(By.ID, "exercise-search"))
    driver.find_element(By.ID, "exercise-search").send_keys("plank")
    wait_for(driver, lambda: "patient must not be empty" in driver.find_element(By.ID, "editor-problems").text)
    problems["new plan, with its problems and search results"] = axe_problems(driver, "new plan, with its problems and search results")
    driver.get(served.url + "_handout/editor/plan?id=demo-0007")
    wait_for(driver, lambda: driver.find_element(By.ID, "preview-frame").is_displayed() and driver.find_elements(By.ID, "add-program"))
    click(driver, driver.find_element(By.ID, "add-program"))
    problems["a plan, its preview and a new program"] = axe_problems(driver, "a plan, its preview and a new program")
    notes = driver.find_element(By.ID, "f-notes")
    notes.send_keys(" More.")
    driver.find_element(By.ID, "save-plan").click()
    wait_for(driver, lambda: driver.find_element(By.ID, "editor-review").is_displayed())
    problems["the changes a save makes"] = axe_problems(driver, "the changes a save makes")
    if window == ZOOMED:
        # Usable at 200%: nothing wider than the window, the preview below the form.
        assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    problems = {name: found for name, found in problems.items() if found}
    assert problems == {}, json.dumps(problems, indent=1)
