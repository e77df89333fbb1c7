#!/usr/bin/env python3
"""Handout against Hugo on the same synthetic clinic, side by side on this machine.

Generates the workload with ../shared/bench/gen_site.py, builds Handout in release mode,
then runs Hugo and Handout in alternation and prints a Markdown table of the medians:
wall time, CPU time, peak memory and pages per second, cold (empty output) and warm
(rebuild, nothing changed), plus Handout's rebuilds after one plan changed, with `build` and
with `--patient`: once with a comment added (its index row stays as it was) and once with
its therapist changed (its index row changes).

    Tests/Benchmark/benchmark.py --patients 10000 --runs 5
    Tests/Benchmark/benchmark.py --patients 10000 --runs 5 --spanish 50

`--spanish P` gives P% of the patients `language: es` and writes a Spanish translation
(`<slug>.es.md`, text only) of every exercise, page and progression: the Spanish pages
cost what translated content and a second strings file cost.

`--pdf N` measures `handout pdf` instead: N patients of the synthetic clinic, every plan
moved to start on the same Monday, printed as one day's batch (`--active`, handout and
calendar each, one Chromium), with an empty output folder (the command builds first) and
with the site already built.

    Tests/Benchmark/benchmark.py --pdf 30 --runs 3

`--serve N` measures `handout serve` instead, on the sample site (this repository's Content/
and Templates/): a patient's handout open in headless Chromium, its plan file saved N times
(written beside it and renamed over it, as editors save), and the time from each save until
the open page shows the change. It drives the browser through Selenium, so run it with the
browser tests' Python (`Tests/run.sh` makes it):

    .build/browser-tests-venv/bin/python Tests/Benchmark/benchmark.py --serve 20

Needs: Debian's `hugo` and `time` packages (installed when missing), Swift; for `--pdf`,
Chromium and poppler-utils (`pdfinfo`); for `--serve`, Chromium and chromedriver.
"""
import argparse, os, re, shutil, statistics, subprocess, sys, tempfile, threading, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GEN = os.path.join(ROOT, "..", "shared", "bench", "gen_site.py")


def sh(cmd, cwd=None):
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def measure(cmd, cwd=None):
    """Runs cmd under /usr/bin/time; returns (wall s, cpu s, peak MB)."""
    out = subprocess.run(["/usr/bin/time", "-f", "TIME %e %U %S %M"] + cmd, cwd=cwd,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if out.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), out.stderr[-2000:]))
    wall, user, system, rss = re.search(r"TIME (\S+) (\S+) (\S+) (\S+)", out.stderr).groups()
    return float(wall), float(user) + float(system), int(rss) / 1024


def empty(folder, trash):
    """Moves a previous output aside, to be deleted after all runs: ext4 skips inodes freed
    in the last minutes when it creates files, so deleting 40,000 files just before a cold
    build would slow down whichever tool runs next."""
    if os.path.exists(folder):
        os.makedirs(trash, exist_ok=True)
        os.rename(folder, os.path.join(trash, str(len(os.listdir(trash)))))


def translate(content, percent):
    """`<slug>.es.md` beside every original, with the text-only keys a translation keeps,
    and `language: es` in `percent`% of the plans (every plan whose number falls in it)."""
    keep = ("title:", "image_alt:", "summary:", "then:")
    for kind in ("exercises", "pages", "progressions"):
        folder = os.path.join(content, kind)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".md") or name.count(".") > 1:
                continue
            text = open(os.path.join(folder, name)).read()
            _, front, body = text.split("---\n", 2)
            lines = [line for line in front.splitlines() if line.startswith(keep)]
            if kind == "progressions":
                lines += ["advance:"] + ["  " + line.strip() for line in front.splitlines()
                                         if line.strip().startswith(("if:", "otherwise:"))]
            with open(os.path.join(folder, name[:-3] + ".es.md"), "w") as f:
                f.write("---\n" + "\n".join(lines) + "\n---\n" + body)
    plans = os.path.join(content, "plans")
    for k, name in enumerate(sorted(os.listdir(plans))):
        if k % 100 < percent:
            with open(os.path.join(plans, name), "a") as f:
                f.write("language: es\n")


def count_files(folder, suffixes):
    return sum(1 for _, _, names in os.walk(folder) for n in names if n.endswith(suffixes))


def pdf_batch(handout, work, patients, runs, trash):
    """`handout pdf --active` on `patients` plans all running on the batch day."""
    site = os.path.join(work, "site")
    shutil.copytree(os.path.join(ROOT, "Templates"), os.path.join(site, "Templates"))
    plans = os.path.join(site, "Content", "plans")
    for name in os.listdir(plans):
        path = os.path.join(plans, name)
        text = re.sub(r"^start: .*$", "start: 2026-12-07", open(path).read(), count=1, flags=re.M)
        # A progression starts with the plan or a week later, as the generator chose.
        text = re.sub(r"^    start: .*$", "    start: 2026-12-14", text, flags=re.M)
        open(path, "w").write(text)
    out = os.path.join(work, "day.pdf")
    command = [handout, "pdf", "--root", site, "--active", "2026-12-08", "--out", out]
    rows = {"pdf, output folder empty": [], "pdf, site already built": []}
    for run in range(runs):
        empty(os.path.join(site, "Output"), trash)
        rows["pdf, output folder empty"].append(measure(command))
        rows["pdf, site already built"].append(measure(command))
        print("run %d of %d done" % (run + 1, runs), file=sys.stderr)
    pages = int(re.search(r"^Pages:\s+(\d+)", subprocess.run(["pdfinfo", out], capture_output=True, text=True,
                                                              check=True).stdout, re.M).group(1))
    print("%d patients (handout + calendar each) in one file of %d pages, %d runs each, medians; "
          "%d cores, load average %.1f at the end.\n" % (patients, pages, runs, os.cpu_count(), os.getloadavg()[0]))
    print("| run | wall s | CPU s | peak MB | s per patient |")
    print("|---|---:|---:|---:|---:|")
    for name, values in rows.items():
        wall, cpu, mb = (statistics.median(x[i] for x in values) for i in range(3))
        print("| %s | %.1f | %.1f | %.0f | %.2f |" % (name, wall, cpu, mb, wall / patients))


def serve_reload(handout, work, saves):
    """Seconds from saving demo-0001's plan to its open handout showing the change, `saves` times."""
    sys.path.insert(0, os.path.join(ROOT, "Tests", "Browser"))
    try:
        import pdfcheck
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        sys.exit("--serve drives Chromium through Selenium: run it with .build/browser-tests-venv/bin/python")
    site = os.path.join(work, "serve-site")
    for folder in ("Content", "Templates"):
        shutil.copytree(os.path.join(ROOT, folder), os.path.join(site, folder))
    server = subprocess.Popen([handout, "serve", "--root", site, "--port", "0"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    url = None
    while url is None:
        line = server.stdout.readline()
        if not line:
            sys.exit("handout serve stopped before it listened")
        match = re.search(r"at (http://\S+/) ", line)
        url = match and match.group(1)
    # When each build ended, as the server reports it: the save's time splits into building and reloading.
    built = []
    threading.Thread(target=lambda: [built.append(time.perf_counter()) for line in server.stdout if line.startswith("Built:")],
                     daemon=True).start()
    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.binary_location = pdfcheck.chromium_binary()
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))
    plan = os.path.join(site, "Content", "plans", "demo-0001.yaml")
    original = open(plan).read()
    times, builds = [], []
    try:
        driver.get(url + "patients/demo-0001/index.html")
        time.sleep(1)
        for run in range(saves):
            marker = "Saved %d times." % (run + 1)
            text = original.replace("Call us if pain spreads down your leg.", "Call us if pain spreads down your leg. " + marker)
            with open(plan + ".swp", "w") as f:
                f.write(text)
            os.replace(plan + ".swp", plan)
            builds_before = len(built)
            saved = time.perf_counter()
            while True:
                try:
                    if marker in driver.execute_script("return document.body ? document.body.innerText : ''"):
                        break
                except Exception:
                    pass  # the page is reloading
                if time.perf_counter() - saved > 30:
                    sys.exit("the open handout did not show save %d within 30 s" % (run + 1))
                time.sleep(0.005)
            times.append(time.perf_counter() - saved)
            if len(built) > builds_before:
                builds.append(built[builds_before] - saved)
            time.sleep(0.5)
    finally:
        driver.quit()
        server.terminate()
    print("handout serve, sample site: %d saves of demo-0001's plan; %d cores, load average %.1f at the end.\n"
          % (saves, os.cpu_count(), os.getloadavg()[0]))
    print("| release build | median s | min s | max s |")
    print("|---|---:|---:|---:|")
    print("| save → the build done | %.2f | %.2f | %.2f |" % (statistics.median(builds), min(builds), max(builds)))
    print("| save → the open handout shows it | %.2f | %.2f | %.2f |" % (statistics.median(times), min(times), max(times)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--patients", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "handout-bench"))
    ap.add_argument("--spanish", type=int, default=0, metavar="PERCENT",
                    help="patients whose plan says language: es (their content translated)")
    ap.add_argument("--pdf", type=int, metavar="PATIENTS",
                    help="measure `handout pdf --active` on this many patients instead")
    ap.add_argument("--serve", type=int, metavar="SAVES",
                    help="measure `handout serve`: from a saved plan to the open handout updated, this many times")
    ap.add_argument("--binary", help="measure this handout binary instead of building one (e.g. an older commit's)")
    a = ap.parse_args()

    if a.serve:
        sh(["swift", "build", "-c", "release", "--product", "handout"], cwd=ROOT)
        shutil.rmtree(a.work, ignore_errors=True)
        serve_reload(os.path.join(ROOT, ".build", "release", "handout"), a.work, a.serve)
        return

    for tool, package in ((() if a.pdf else (("hugo", "hugo"),)) + (("/usr/bin/time", "time"),)):
        if not shutil.which(tool):
            sh(["apt-get", "install", "-y", "-qq", package])
    if a.binary:
        handout = os.path.abspath(a.binary)
    else:
        sh(["swift", "build", "-c", "release", "--product", "handout"], cwd=ROOT)
        handout = os.path.join(ROOT, ".build", "release", "handout")
    shutil.rmtree(a.work, ignore_errors=True)
    sh([sys.executable, GEN, "--out", a.work, "--patients", str(a.pdf or a.patients)])
    trash = os.path.join(a.work, "trash")
    if a.pdf:
        pdf_batch(handout, a.work, a.pdf, a.runs, trash)
        shutil.rmtree(trash, ignore_errors=True)
        return
    site, hugo = os.path.join(a.work, "site"), os.path.join(a.work, "hugo")
    shutil.copytree(os.path.join(ROOT, "Templates"), os.path.join(site, "Templates"))
    if a.spanish:
        translate(os.path.join(site, "Content"), a.spanish)
    output, public = os.path.join(site, "Output"), os.path.join(hugo, "public")
    build = [handout, "build", "--root", site]
    plan = os.path.join(site, "Content", "plans", "p-%05d.yaml" % (a.patients // 2))

    rows = {k: [] for k in ("hugo cold", "hugo warm", "handout cold", "handout nothing changed",
                            "handout one plan changed, row unchanged", "handout one plan changed, row changed",
                            "handout --patient, row unchanged", "handout --patient, row changed")}
    patient = ["--patient", os.path.basename(plan)[:-5]]

    def edit(note=None, therapist=None):
        """A comment appended (the index row stays as it was) or the therapist changed (it does not)."""
        with open(plan) as f:
            text = f.read()
        if note:
            text += "# %s\n" % note
        if therapist:
            text = re.sub(r'(?m)^therapist: .*$', 'therapist: "%s"' % therapist, text)
        with open(plan, "w") as f:
            f.write(text)

    for run in range(a.runs):
        empty(public, trash)
        rows["hugo cold"].append(measure(["hugo", "--quiet"], cwd=hugo))
        rows["hugo warm"].append(measure(["hugo", "--quiet"], cwd=hugo))
        empty(output, trash)
        rows["handout cold"].append(measure(build))
        rows["handout nothing changed"].append(measure(build))
        # A therapist's edit comes seconds after the last build, not within the 2 s in which
        # the stat index trusts no file (docs/DESIGN.md); and the `build` rows come before the
        # `--patient` ones, which leave no stat index behind (a build of every plan writes it).
        time.sleep(2.1)
        edit(note="edit %d" % run)
        rows["handout one plan changed, row unchanged"].append(measure(build))
        time.sleep(2.1)
        edit(therapist="Bench Therapist %d" % run)
        rows["handout one plan changed, row changed"].append(measure(build))
        edit(note="again %d" % run)
        rows["handout --patient, row unchanged"].append(measure(build + patient))
        edit(therapist="Bench Therapist %d again" % run)
        rows["handout --patient, row changed"].append(measure(build + patient))
        print("run %d of %d done" % (run + 1, a.runs), file=sys.stderr)

    pages = {"hugo": count_files(public, (".html",)),
             "handout": count_files(output, (".html", ".ics"))}
    shutil.rmtree(trash, ignore_errors=True)
    median = {k: tuple(statistics.median(x[i] for x in v) for i in range(3)) for k, v in rows.items()}
    print("%d patients, %d runs each, medians. Pages: Hugo %d HTML, Handout %d HTML + .ics.\n"
          % (a.patients, a.runs, pages["hugo"], pages["handout"]))
    print("| build | wall s | CPU s | peak MB | pages/s | wall vs Hugo cold |")
    print("|---|---:|---:|---:|---:|---:|")
    hugo_cold = median["hugo cold"][0]
    for name, (wall, cpu, mb) in median.items():
        tool = name.split()[0]
        rate = "%.0f" % (pages[tool] / wall) if "cold" in name else ""
        print("| %s | %.3f | %.3f | %.0f | %s | %.3f |" % (name, wall, cpu, mb, rate, wall / hugo_cold))
    print("\nHandout cold / Hugo cold, measured in this run (alternating): %.2f×"
          % (median["handout cold"][0] / hugo_cold))


if __name__ == "__main__":
    main()
