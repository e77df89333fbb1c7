#!/usr/bin/env python3
"""Differential test of incremental builds (issues 11 and 22).

A seeded random sequence of steps on a small site (the shipped content, 30+ generated
plans): plans added, changed, renamed and deleted; content, pictures, templates and
site.yaml edited, added and deleted; `--patient` builds; builds killed with SIGKILL at a
random moment; builds on a nearly full disk; unreadable files. Since issue 22 also: notes
that link to content pages that are later deleted; patients in a language the site falls
back from (`translation_fallback: es`, plans in zh-hans), and those translations edited,
added and deleted; the templates (and their strings) moved outside the site root and
edited there; tabs, line ends (`condition: |`) and control characters in index fields;
published files deleted, overwritten (with their times put back), added; the manifest
deleted; and the plans folder unmounted, with and without the manifest. Since issue 26:
plans with pauses (some overlapping or outside the plan), ended early, and reminders of
their own or none, and the site's reminder switched on and off. Since issue 25: the index's
templates edited, and its row cache (Output/.handout-index-rows) deleted, cut short,
damaged and replaced; the paper switched, "Page N of M" edited and a strings file added and
removed (the shared print stylesheets, assets/print-*.css). Since the content may be
translated into the originals' own language: English translations added and deleted.

The rules, checked after every step:
- a build exits with the status and reports the errors and warnings of a full build of the
  same inputs into an empty folder;
- when it succeeds, Output/ is byte-identical to that full build (the manifest, the stat
  index and the index's row cache aside: Handout's own records, never served), with no
  other file anywhere;
- when plans are blocked by their errors, every other file is as the full build has it, and
  each blocked patient's published folder is as it was before the step (the full build,
  into an empty folder, has none; the index is compared once they are fixed);
- a build that fails for any other reason leaves Output/ exactly as it was, manifest included;
- a killed build is followed by a normal build, which must then satisfy the first rules.

With --refuse-exchange every build runs with the LD_PRELOAD shim of refuse_exchange.c, as
on a network share: renameat2() fails with EINVAL and link() with EPERM, so every fallback
is taken.

As root, the output lives on a small tmpfs (so the disk can really fill up) and every build
runs as `nobody` (so unreadable files are unreadable). Otherwise the disk-full steps are
skipped, and the run says so.

Usage: differential.py --binary PATH [--steps N] [--seed S] [--refuse-exchange]
"""
import argparse
import datetime
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def tree(root):
    """Every file under root, relative path -> bytes."""
    files = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, root)] = f.read()
    return files


def folders(root):
    return sorted(os.path.relpath(folder, root) for folder, _, _ in os.walk(root))


class Site:
    def __init__(self, root, binary, rng, repo):
        self.root = root
        self.binary = binary
        self.rng = rng
        self.content = os.path.join(root, "Content")
        self.output = os.path.join(root, "Output")
        shutil.copytree(os.path.join(repo, "Content"), self.content)
        # The templates start in the site root and move out of it and back (--templates).
        self.templates_inside = os.path.join(root, "Templates")
        self.templates_outside = os.path.join(os.path.dirname(root), "templates-elsewhere")
        self.templates = self.templates_inside
        shutil.copytree(os.path.join(repo, "Templates"), self.templates)
        for name in os.listdir(os.path.join(self.content, "plans")):
            os.remove(os.path.join(self.content, "plans", name))
        # Patients in a language the site does not translate into print the Spanish text.
        self.append(self.path("site.yaml"), "translation_fallback: es\n")
        self.serial = 0
        self.added = []  # content files this test added: safe to delete, only notes link to them
        self.removed_translations = {}  # path -> text, to put back later
        self.blocked = set()  # plans the last build reported as blocked by their errors
        self.env = None  # the environment every build runs in (the shim's LD_PRELOAD)
        for _ in range(30):
            self.add_plan()

    def slugs(self, kind):
        folder = os.path.join(self.content, kind)
        return sorted(n.rsplit(".", 1)[0] for n in os.listdir(folder) if n.endswith((".md", ".yaml")) and n.count(".") == 1)

    def translations(self, kind, language):
        folder = os.path.join(self.content, kind)
        suffix = f".{language}.md"
        return sorted(n[:-len(suffix)] for n in os.listdir(folder) if n.endswith(suffix))

    def path(self, *parts):
        return os.path.join(self.content, *parts)

    def write(self, path, text):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def read(self, path):
        with open(path) as f:
            return f.read()

    def append(self, path, text):
        with open(path, "a") as f:
            f.write(text)

    def translated(self, kind, slug, language):
        return os.path.exists(self.path(kind, f"{slug}.{language}.md"))

    def options(self):
        return ["--templates", self.templates] if self.templates != self.templates_inside else []

    def plan_text(self):
        rng = self.rng
        therapist = rng.choice(["Sam Lee, PT", "Ria Patel, PT", "Kim Ono, DPT", '"Kim\\tOno, DPT"'])
        start, weeks = datetime.date(2026, 12, rng.randint(1, 28)), rng.randint(2, 8)
        lines = [f"patient: Test Patient {rng.randint(1, 9999)}",
                 f"therapist: {therapist}",
                 f"start: {start.isoformat()}",
                 f"weeks: {weeks}"]
        # Pauses, a plan ended early and reminders: the calendar's days, the programs' stages,
        # the .ics and the index row follow them. Now and then a pause or end outside the
        # plan, or pauses that overlap, which are errors that block the plan.
        day = datetime.timedelta(days=1)
        if rng.random() < 0.3:
            lines.append("pauses:")
            for _ in range(rng.choice([1, 1, 2])):
                first = start + rng.randint(0, 7 * weeks - 2) * day
                note = rng.choice(["", ", note: Flu", ', note: "Away: <b>family</b>"'])
                lines.append(f"  - {{ from: {first.isoformat()}, to: {(first + rng.randint(0, 8) * day).isoformat()}{note} }}")
        if rng.random() < 0.15:
            lines.append(f"ended: {(start + rng.randint(0, 7 * weeks) * day).isoformat()}")
        if rng.random() < 0.3:
            time = rng.choice(['"07:30"', '"18:00"', '"00:00"', '"25:00"'])
            lines.append(rng.choice([f"reminders: {{ time: {time} }}", "reminders: none"]))
        # Index fields with line ends and tabs, which the manifest must keep exactly; now and
        # then a control character, which is an error that blocks the plan.
        roll = rng.random()
        if roll < 0.15:
            lines.append("condition: |\n  Low back pain\n  after lifting")
        elif roll < 0.25:
            lines.append('condition: "Knee pain\\tright side"')
        elif roll < 0.27:
            lines.append('condition: "Knee pain\\a"')
        # Some patients read Spanish, some Chinese (printed from the Spanish or the original
        # where there is no Chinese text), some need large print: their pages draw on
        # translations, fallbacks and other strings, which incremental builds must track.
        language = rng.choice(["en"] * 6 + ["es", "es", "zh-hans"])
        spanish = language == "es"
        usable = (lambda kind, slug: self.translated(kind, slug, "es")) if spanish else (lambda kind, slug: True)
        if language != "en":
            lines.append(f"language: {language}")
        if rng.random() < 0.1:
            lines.append("large_print: true")
        # (Translations this test deleted can leave a Spanish patient with none: then any.)
        exercises = [s for s in self.slugs("exercises") if not s.startswith("added-") and usable("exercises", s)] \
            or [s for s in self.slugs("exercises") if not s.startswith("added-")]
        lines.append("exercises:")
        days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        for slug in rng.sample(exercises, rng.randint(1, len(exercises))):
            lines.append(f"  - exercise: {slug}")
            if rng.random() < 0.4:
                lines.append(f"    sets: {rng.randint(1, 5)}")
            if rng.random() < 0.3:
                lines.append(f"    note: Note {rng.randint(1, 99)}")
            # A week's dose: days, twice a day, sides and a change of days, which the tick
            # boxes, dose lines and .ics all follow.
            if rng.random() < 0.2:
                lines.append(f"    daily: {rng.randint(1, 3)}")
            if rng.random() < 0.2:
                lines.append(f"    sides: {rng.choice(['each', 'left', 'right', 'none'])}")
            if rng.random() < 0.2:
                lines.append("    days: [" + ", ".join(sorted(rng.sample(days, rng.randint(1, 7)), key=days.index)) + "]")
            if rng.random() < 0.15:
                lines.append("    changes:\n      - { week: 2, days: [" + ", ".join(sorted(rng.sample(days, rng.randint(1, 7)), key=days.index)) + "] }")
        progressions = [s for s in self.slugs("progressions") if usable("progressions", s)]
        if progressions and rng.random() < 0.5:
            lines.append(f"progressions:\n  - progression: {rng.choice(progressions)}")
        pages = [s for s in self.slugs("pages") if not s.startswith("added-") and usable("pages", s)]
        if pages and rng.random() < 0.6:
            lines.append("education: [" + ", ".join(rng.sample(pages, rng.randint(1, min(3, len(pages))))) + "]")
        if pages and rng.random() < 0.3:
            # Every sample page has the summary a pain rule prints beside the pain log.
            lines.append(f"pain_rule: {rng.choice(pages)}")
        # Notes that link to content this test added, which a later step may delete.
        linkable = [(kind, slug) for kind, slug in self.added if os.path.exists(self.path(kind, slug + ".md"))]
        if linkable and rng.random() < 0.3:
            kind, slug = rng.choice(linkable)
            lines.append(f"notes: |\n  Call us if it hurts more.\n  Read [this]({rng.choice(['', '../'])}{kind}/{slug}.md) too.")
        elif rng.random() < 0.2:
            lines.append("notes: Call us if it hurts more.")
        return "\n".join(lines) + "\n"

    def plans(self):
        return self.slugs("plans")

    def add_plan(self):
        self.serial += 1
        self.write(self.path("plans", f"p-{self.serial:04d}.yaml"), self.plan_text())


def run(site, args, timeout=120):
    command = [site.binary, "build", "--root", site.root] + site.options() + args
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=site.env)


def diagnostics(stderr, output):
    """The errors and warnings a build printed, sorted, without those about its output folder."""
    return sorted(line for line in stderr.splitlines()
                  if (": error: " in line or ": warning: " in line) and not line.startswith(output))


def blocked_plans(stderr):
    """The plans a build reported as not updated because of their errors."""
    for line in stderr.splitlines():
        if "not updated because of errors: " in line:
            return set(line.split("not updated because of errors: ", 1)[1].split(" (")[0].split(", "))
    return set()


# Handout's records in the output folder, left out of comparisons: the manifest and the stat
# index hold stat records, and the row cache may hold what a damage step left (it only costs
# rendering).
OWN_RECORDS = (".handout-manifest", ".handout-stat-index", ".handout-index-rows")


def full_build(site, scratch):
    target = os.path.join(scratch, "full")
    shutil.rmtree(target, ignore_errors=True)
    result = subprocess.run([site.binary, "build", "--root", site.root, "--output", target] + site.options(),
                            capture_output=True, text=True, timeout=120, env=site.env)
    files = tree(target)
    for own in OWN_RECORDS:
        files.pop(own, None)
    return files, folders(target), result


def compare(site, scratch, step, description, result, before):
    """`result`, the build just run, against a full build of the same inputs (see the rules above)."""
    expected, expected_folders, full = full_build(site, scratch)
    blocked = blocked_plans(full.stderr)
    site.blocked = blocked
    where = f"step {step} ({description})"
    if result.returncode != full.returncode or blocked_plans(result.stderr) != blocked:
        raise AssertionError(f"{where}: the build exited {result.returncode} (blocked {sorted(blocked_plans(result.stderr))}), "
                             f"a full build {full.returncode} (blocked {sorted(blocked)}):\n{result.stderr}\n--- full build:\n{full.stderr}")
    ours, theirs = diagnostics(result.stderr, "Output"), diagnostics(full.stderr, os.path.join(scratch, "full"))
    if ours != theirs:
        raise AssertionError(f"{where}: the build reported other problems than a full build:\n"
                             + "\n".join(f"  only here: {line}" for line in ours if line not in theirs)
                             + "\n" + "\n".join(f"  only in the full build: {line}" for line in theirs if line not in ours))
    if full.returncode != 0 and not blocked:
        # An error in content, templates or site.yaml stops every build: nothing changes.
        if tree(site.output) != before:
            raise AssertionError(f"{where}: a build stopped by errors changed the output:\n{result.stderr}")
        return
    actual = tree(site.output)
    for own in OWN_RECORDS:
        actual.pop(own, None)
    actual_folders = folders(site.output)
    if blocked:
        # A blocked patient keeps what was published; the full build, into an empty folder, has
        # nothing for it; the index (with its row) is compared once the plan is fixed.
        def kept(path):
            return path == "index.html" or any(path == f"patients/{plan}" or path.startswith(f"patients/{plan}/") for plan in blocked)
        for path in sorted(p for p in set(actual) | set(before) if kept(p) and p != "index.html"):
            if actual.get(path) != before.get(path):
                raise AssertionError(f"{where}: the published {path} of a plan with errors changed")
        actual = {p: d for p, d in actual.items() if not kept(p)}
        expected = {p: d for p, d in expected.items() if not kept(p)}
        actual_folders = [f for f in actual_folders if not kept(f)]
        expected_folders = [f for f in expected_folders if not kept(f)]
    if actual != expected or actual_folders != expected_folders:
        missing = sorted(set(expected) - set(actual))[:5]
        extra = sorted(set(actual) - set(expected))[:5]
        differ = sorted(p for p in set(actual) & set(expected) if actual[p] != expected[p])[:5]
        extra_folders = sorted(set(actual_folders) - set(expected_folders))[:5]
        raise AssertionError(f"{where}: incremental output differs from a full build: "
                             f"missing {missing}, extra {extra}, different {differ}, extra folders {extra_folders}")


def published_files(site):
    """Every file of the published site but the marker and the manifest, relative to Output/."""
    return sorted(p for p in tree(site.output) if not os.path.basename(p).startswith("."))


def step_once(site, rng, step, scratch, disk):
    """One random change; returns a description, the build's extra arguments and what to expect."""
    plans = site.plans()
    kinds = {
        "add plan": 16, "change plan": 14, "rename plan": 5, "delete plan": 6, "fix blocked plans": 12 if site.blocked else 0,
        "edit exercise": 6, "edit page": 3, "edit progression": 2, "edit protocol": 2, "edit picture": 2,
        "add content": 4, "delete added content": 3 if site.added else 0, "edit template": 2, "edit site.yaml": 2,
        "selected build": 4 if plans else 0, "kill": 4, "full disk": 3 if disk else 0, "unreadable page": 2,
        "edit translation": 3, "translations": 3, "english translation": 2, "edit strings": 2, "strings file": 1, "move templates": 1,
        "damage output": 5 if os.path.isdir(site.output) else 0, "unmounted share": 1 if plans else 0,
        "settle": 4,
    }
    kind = rng.choices(list(kinds), weights=list(kinds.values()))[0]
    args = []
    expect = "success"
    if kind == "add plan" and len(plans) < 40:
        description = "add plan"
        site.add_plan()
    elif kind in ("add plan", "delete plan") and len(plans) > 3:
        victim = rng.choice(plans)
        description = f"delete plan {victim}"
        os.remove(site.path("plans", victim + ".yaml"))
    elif kind == "rename plan" and plans:
        victim = rng.choice(plans)
        site.serial += 1
        description = f"rename plan {victim}"
        os.rename(site.path("plans", victim + ".yaml"), site.path("plans", f"p-{site.serial:04d}.yaml"))
    elif kind == "fix blocked plans":
        description = "rewrite the plans with errors: " + ", ".join(sorted(site.blocked))
        for victim in site.blocked:
            if os.path.exists(site.path("plans", victim + ".yaml")):
                site.write(site.path("plans", victim + ".yaml"), site.plan_text())
    elif kind in ("change plan", "add plan", "delete plan", "rename plan") and plans:
        victim = rng.choice(plans)
        description = f"change plan {victim}"
        site.write(site.path("plans", victim + ".yaml"), site.plan_text())
    elif kind == "edit exercise":
        slug = rng.choice(site.slugs("exercises"))
        description = f"edit exercise {slug}"
        site.append(site.path("exercises", slug + ".md"), f"\nStep {step}: breathe out as you move.\n")
    elif kind == "edit page":
        slug = rng.choice(site.slugs("pages"))
        # Now and then the Spanish translation rather than the original.
        name = slug + (".es" if site.translated("pages", slug, "es") and rng.random() < 0.4 else "")
        description = f"edit page {name}"
        site.append(site.path("pages", name + ".md"), f"\nNote {step}: rest when you need to.\n")
    elif kind == "edit progression":
        slug = rng.choice(site.slugs("progressions"))
        description = f"edit progression {slug}"
        site.append(site.path("progressions", slug + ".md"), f"\nWeek note {step}.\n")
    elif kind == "edit protocol":
        slug = rng.choice(site.slugs("protocols"))
        description = f"edit protocol {slug}"
        site.append(site.path("protocols", slug + ".yaml"), f"# edited {step}\n")
    elif kind == "edit picture":
        pictures = sorted(n for n in os.listdir(site.path("images")) if n.endswith(".svg"))
        name = rng.choice(pictures)
        description = f"edit picture {name}"
        path = site.path("images", name)
        site.write(path, site.read(path).replace("</svg>", f"<!-- {step} --></svg>"))
    elif kind == "add content":
        folder = rng.choice(["exercises", "pages"])
        slug = f"added-{step}"
        description = f"add {folder} {slug}"
        body = "---\ntitle: Added %d\n---\n## Setup\nStand tall.\n\n## Movement\nMove slowly.\n" % step
        site.write(site.path(folder, slug + ".md"), body)
        site.added.append((folder, slug))
    elif kind == "delete added content":
        folder, slug = site.added.pop(rng.randrange(len(site.added)))
        description = f"delete {folder} {slug} (plan notes may link to it)"
        os.remove(site.path(folder, slug + ".md"))
    elif kind == "edit template":
        template = rng.choice(["page.mustache", "exercise.mustache", "handout.mustache", "calendar.mustache",
                               "index.mustache", "index-row.mustache"])
        description = f"edit template {template}"
        site.append(os.path.join(site.templates, template), f"\n<!-- {step} -->\n")
    elif kind == "edit site.yaml":
        description = "edit site.yaml"
        path = site.path("site.yaml")
        text = site.read(path)
        roll = rng.random()
        if roll < 0.2:
            # Without a fallback, the Chinese plans' missing translations are errors.
            text = text.replace("translation_fallback: es\n", "") if "translation_fallback: es\n" in text \
                else text + "translation_fallback: es\n"
            description += ": translation_fallback"
        elif roll < 0.25:
            # The paper, which the shared print stylesheets (assets/print-*.css) carry.
            text = text.replace("paper: letter", "paper: a4") if "paper: letter" in text else text.replace("paper: a4", "paper: letter")
            description += ": paper"
        elif roll < 0.3:
            # The site's reminder, which plans without their own follow.
            text = text.replace('reminders: { time: "08:00" }\n', "") if 'reminders: { time: "08:00" }\n' in text \
                else text + 'reminders: { time: "08:00" }\n'
            description += ": reminders"
        elif "index_shows_names: false" in text and roll < 0.6:
            text = text.replace("index_shows_names: false", "index_shows_names: true")
        elif "index_shows_names: true" in text:
            text = text.replace("index_shows_names: true", "index_shows_names: false")
        elif "tick_each_side: true" in text and rng.random() < 0.5:
            text = text.replace("tick_each_side: true", "tick_each_side: false")
        elif "tick_each_side: false" in text:
            text = text.replace("tick_each_side: false", "tick_each_side: true")
        else:
            text += f"# edited {step}\n"
        site.write(path, text)
    elif kind == "selected build":
        chosen = rng.sample(plans, min(len(plans), rng.randint(1, 3)))
        slug = rng.choice(site.slugs("exercises"))
        site.append(site.path("exercises", slug + ".md"), f"\nBefore a selected build {step}.\n")
        description = f"edit exercise {slug}, build --patient {' '.join(chosen)}"
        for plan in chosen:
            args += ["--patient", plan]
        expect = "selected"
    elif kind == "kill":
        description = "kill -9 during a build"
        if plans:
            victim = rng.choice(plans)
            site.write(site.path("plans", victim + ".yaml"), site.plan_text())
        site.add_plan()
        expect = "killed"
    elif kind == "full disk":
        description = "build on a nearly full disk"
        site.append(site.path("exercises", rng.choice(site.slugs("exercises")) + ".md"), f"\nFull {step}.\n")
        expect = "full disk"
    elif kind == "edit translation":
        folder = rng.choice(["exercises", "pages", "progressions"])
        slugs = site.translations(folder, "es") + site.translations(folder, "zh-hans")
        if not slugs:
            return step_once(site, rng, step, scratch, disk)
        slug = rng.choice(site.translations(folder, "es") or slugs)
        language = "zh-hans" if site.translated(folder, slug, "zh-hans") and rng.random() < 0.5 else "es"
        if not site.translated(folder, slug, language):
            language = "zh-hans"
        description = f"edit translation {folder}/{slug}.{language} (the Chinese plans' fallback, for es)"
        path = site.path(folder, f"{slug}.{language}.md")
        text = site.read(path)
        # A visible change: the title, printed on every page of the plans that use it.
        site.write(path, re.sub(r"^title: (\d+ )?", f"title: {step} ", text, count=1, flags=re.M))
    elif kind == "english translation":
        # A translation into the originals' language (English) is printed in their place:
        # the first to appear and the last to go change every page's fingerprint.
        folder = rng.choice(["exercises", "pages"])
        english = site.translations(folder, "en")
        if english and rng.random() < 0.5:
            slug = rng.choice(english)
            description = f"delete the English translation {folder}/{slug}.en"
            os.remove(site.path(folder, f"{slug}.en.md"))
        else:
            candidates = [s for s in site.translations(folder, "es") if s not in english]
            if not candidates:
                return step_once(site, rng, step, scratch, disk)
            slug = rng.choice(candidates)
            description = f"add an English translation {folder}/{slug}.en"
            site.write(site.path(folder, f"{slug}.en.md"), site.read(site.path(folder, f"{slug}.es.md")).replace("title: ", "title: EN ", 1))
    elif kind == "translations":
        roll = rng.random()
        if site.removed_translations and roll < 0.4:
            path = rng.choice(sorted(site.removed_translations))
            description = f"put back {os.path.relpath(path, site.content)}"
            site.write(path, site.removed_translations.pop(path))
        elif roll < 0.7:
            folder = rng.choice(["exercises", "pages"])
            candidates = [s for s in site.translations(folder, "es") if not site.translated(folder, s, "zh-hans")]
            if not candidates:
                return step_once(site, rng, step, scratch, disk)
            slug = rng.choice(candidates)
            description = f"add a Chinese translation {folder}/{slug}.zh-hans"
            site.write(site.path(folder, f"{slug}.zh-hans.md"), site.read(site.path(folder, f"{slug}.es.md")).replace("title: ", "title: 中文 ", 1))
        else:
            folder = rng.choice(["exercises", "pages", "progressions"])
            language = rng.choice(["es", "zh-hans"])
            slugs = site.translations(folder, language)
            if not slugs:
                return step_once(site, rng, step, scratch, disk)
            slug = rng.choice(slugs)
            path = site.path(folder, f"{slug}.{language}.md")
            description = f"delete the translation {folder}/{slug}.{language}"
            if language == "es":
                site.removed_translations[path] = site.read(path)
            os.remove(path)
    elif kind == "edit strings":
        language = rng.choice(["en", "es", "zh-hans"])
        path = os.path.join(site.templates, "strings", language + ".yaml")
        text = site.read(path)
        # A heading of the pages, or "Page N of M" of the shared print stylesheets.
        key = rng.choice(["exercises_heading", "page_of"])
        start = text.index(key + ": ")
        line_end = text.index("\n", start)
        description = f"edit {key} in strings/{language}.yaml (templates {'outside' if site.templates != site.templates_inside else 'inside'} the root)"
        value = re.sub(r"^\d+ ", "", text[start + len(key) + 3:line_end])
        site.write(path, text[:start] + f'{key}: "{step} ' + value + text[line_end:])
    elif kind == "strings file":
        # A language added to the templates, or taken away: a pair of print stylesheets more or less.
        path = os.path.join(site.templates, "strings", "tl.yaml")
        if os.path.exists(path):
            description = "remove strings/tl.yaml"
            os.remove(path)
        else:
            description = "add strings/tl.yaml"
            site.write(path, site.read(os.path.join(site.templates, "strings", "en.yaml")))
    elif kind == "move templates":
        target = site.templates_outside if site.templates == site.templates_inside else site.templates_inside
        description = f"move the templates {'outside' if target == site.templates_outside else 'back into'} the site root"
        shutil.move(site.templates, target)
        site.templates = target
    elif kind == "damage output":
        files = published_files(site)
        roll = rng.random()
        rows = os.path.join(site.output, ".handout-index-rows")
        if roll < 0.1 or not files:
            description = "delete the manifest"
            if os.path.exists(os.path.join(site.output, ".handout-manifest")):
                os.remove(os.path.join(site.output, ".handout-manifest"))
        elif roll < 0.25 and os.path.exists(rows):
            # The index's row cache: a later build whose index changes must render what it lost.
            with open(rows, "rb") as f:
                data = bytearray(f.read())
            how = rng.choice(["delete", "cut", "flip", "replace"])
            description = f"damage the index's row cache ({how})"
            if how == "delete":
                os.remove(rows)
            else:
                if how == "cut":
                    data = data[:rng.randrange(len(data) + 1)]
                elif how == "flip" and data:
                    data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
                elif how == "replace":
                    data = b"handout index rows 1 0000000000000000\n"
                with open(rows, "wb") as f:
                    f.write(bytes(data))
        elif roll < 0.4:
            victim = rng.choice(files)
            description = f"delete the published {victim}"
            os.remove(os.path.join(site.output, victim))
        elif roll < 0.75:
            victim = rng.choice(files)
            path = os.path.join(site.output, victim)
            description = f"overwrite the published {victim}, its times put back"
            stat = os.stat(path)
            with open(path, "rb") as f:
                data = bytearray(f.read())
            if data:
                data[rng.randrange(len(data))] ^= 0x20
            with open(path, "wb") as f:
                f.write(bytes(data) or b"x")
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        else:
            folder = rng.choice([os.path.dirname(p) for p in files if "/" in p] or ["exercises"])
            description = f"add a stray file to the published {folder}/"
            site.write(os.path.join(site.output, folder, f"stray-{step}.html"), "<p>not built</p>")
    elif kind == "settle":
        # Files changed less than 2 s before a build began are not trusted by their stat
        # records (docs/DESIGN.md, "Nothing changed"); after a wait, a build trusts them all and
        # writes a stat index that lists every file as known. The build this step is judged by
        # is then decided by stat records alone, and the next step's change must be seen by them.
        description = "nothing changed for 2 s, then a build decided by stat records"
        time.sleep(2.1)
        settled = run(site, ["--prune"])
        index = os.path.join(site.output, ".handout-stat-index")
        if settled.returncode == 0 and not blocked_plans(settled.stderr):
            if not os.path.exists(index):
                raise AssertionError(f"step {step}: a build of every plan without errors wrote no stat index")
            with open(index, "rb") as f:
                if b"\n0000000000000000 " in f.read():
                    raise AssertionError(f"step {step}: after 2 s without a change, the stat index still distrusts a file")
    elif kind == "unmounted share":
        description = "the plans folder is unmounted" + (", and the manifest is gone" if rng.random() < 0.5 else "")
        if "manifest" in description and os.path.exists(os.path.join(site.output, ".handout-manifest")):
            os.remove(os.path.join(site.output, ".handout-manifest"))
        expect = "unmounted"
    else:
        slug = rng.choice(site.slugs("pages"))
        description = f"unreadable page {slug}"
        path = site.path("pages", slug + ".md")
        site.append(path, f"\nUnreadable {step}.\n")
        os.chmod(path, 0)
        expect = "unreadable:" + path
    return description, args, expect


def compile_shim(folder):
    """refuse_exchange.c as a shared library in `folder`, for LD_PRELOAD."""
    library = os.path.join(folder, "refuse_exchange.so")
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "refuse_exchange.c")
    subprocess.run([shutil.which("cc") or "gcc", "-shared", "-fPIC", "-O", "-o", library, source], check=True)
    return library


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--refuse-exchange", action="store_true",
                        help="run every build as on a network share: no renameat2(RENAME_EXCHANGE), no hard links")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--shim", help=argparse.SUPPRESS)
    parser.add_argument("--small-disk", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--repo", default=REPO, help=argparse.SUPPRESS)
    options = parser.parse_args()
    seed = options.seed if options.seed is not None else random.randrange(1 << 30)
    binary = os.path.abspath(options.binary)

    if os.geteuid() == 0 and not options.child:
        # Root reads everything and never runs out of room: give the builds a small disk of
        # their own and an unprivileged user.
        base = tempfile.mkdtemp(prefix="handout-differential-")
        os.chmod(base, 0o755)
        disk = os.path.join(base, "disk")
        os.mkdir(disk)
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m,uid=65534,gid=65534,mode=0755", "tmpfs", disk],
                                 capture_output=True).returncode == 0
        if not mounted:
            print("differential test: cannot mount a small tmpfs here (a container without mount rights?); "
                  "disk-full steps skipped", flush=True)
            shutil.chown(disk, "nobody", "nogroup")
        # The checkout may sit where nobody cannot read (under /root): copy what the run needs.
        shutil.copy2(binary, os.path.join(base, "handout"))
        shutil.copy2(os.path.abspath(__file__), os.path.join(base, "differential.py"))
        shutil.copy2(os.path.join(os.path.dirname(os.path.abspath(__file__)), "refuse_exchange.c"), os.path.join(base, "refuse_exchange.c"))
        shim = compile_shim(base) if options.refuse_exchange else None
        for folder in ("Content", "Templates"):
            shutil.copytree(os.path.join(REPO, folder), os.path.join(base, "repo", folder))
        for folder, _, _ in os.walk(base):
            shutil.chown(folder, "nobody", "nogroup")
        try:
            shutil.chown(base, "nobody", "nogroup")
            result = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                     # Debian's Python: a Python under /root is not readable by nobody.
                                     "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable,
                                     os.path.join(base, "differential.py"), "--binary", os.path.join(base, "handout"),
                                     "--repo", os.path.join(base, "repo"),
                                     "--steps", str(options.steps), "--seed", str(seed), "--child", disk]
                                    + (["--small-disk"] if mounted else []) + (["--shim", shim] if shim else []))
        finally:
            if mounted:
                subprocess.run(["umount", disk])
            shutil.rmtree(base, ignore_errors=True)
        sys.exit(result.returncode)

    root = options.child or tempfile.mkdtemp(prefix="handout-differential-")
    has_disk = options.small_disk
    # The full builds go to memory where there is room (a container's /dev/shm may be 64 MB;
    # a full build here is a few MB): a build into an emptied folder on ext4 waits on the
    # inodes it freed a moment ago, every step.
    shm = "/dev/shm"
    if not (os.path.isdir(shm) and os.access(shm, os.W_OK)
            and os.statvfs(shm).f_bavail * os.statvfs(shm).f_frsize >= 256 << 20):
        shm = None
    scratch = tempfile.mkdtemp(prefix="handout-differential-full-", dir=shm)
    shim = options.shim or (compile_shim(scratch) if options.refuse_exchange else None)
    print(f"differential test: seed {seed}, {options.steps} steps"
          + (", every build without RENAME_EXCHANGE and hard links (LD_PRELOAD shim)" if shim else "")
          + ("" if has_disk else "; disk-full steps skipped (they need root to mount a small tmpfs)"), flush=True)
    rng = random.Random(seed)
    site = Site(os.path.join(root, "site"), binary, rng, options.repo)
    if shim:
        site.env = dict(os.environ, LD_PRELOAD=shim, HANDOUT_SHIM_LOG=os.path.join(scratch, "refused.log"))
    first = run(site, [])
    assert first.returncode == 0 or blocked_plans(first.stderr), first.stderr
    site.blocked = blocked_plans(first.stderr)
    counts = {}
    started = time.time()
    try:
        for step in range(1, options.steps + 1):
            description, args, expect = step_once(site, rng, step, scratch, has_disk)
            where = f"step {step} ({description})"
            before = tree(site.output)
            counts[expect.split(":")[0]] = counts.get(expect.split(":")[0], 0) + 1
            if expect == "killed":
                process = subprocess.Popen([site.binary, "build", "--root", site.root, "--prune"] + site.options(),
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=site.env)
                time.sleep(rng.uniform(0, 0.25))
                process.send_signal(signal.SIGKILL)
                process.wait()
                result = run(site, ["--prune"])
                compare(site, scratch, step, description + ", then a build", result, before)
                continue
            if expect == "full disk":
                stats = os.statvfs(site.output)
                room = stats.f_bavail * stats.f_frsize
                filler = os.path.join(os.path.dirname(site.root), "filler")
                leave = rng.randint(0, 64 * 1024)
                with open(filler, "wb") as f:
                    try:
                        f.write(b"\0" * max(0, room - leave))
                        f.flush()
                        os.fsync(f.fileno())
                    except OSError:
                        pass
                result = run(site, ["--prune"])
                os.remove(filler)
                if result.returncode == 0 or blocked_plans(result.stderr) and "no space" not in result.stderr:
                    compare(site, scratch, step, description, result, before)
                else:
                    if "no space left on the disk" not in result.stderr or "Error Domain" in result.stderr:
                        raise AssertionError(f"{where}: unexpected message:\n{result.stderr}")
                    if tree(site.output) != before:
                        raise AssertionError(f"{where}: a build that ran out of room changed the output")
                    result = run(site, ["--prune"])
                    compare(site, scratch, step, description + ", then a build with room", result, before)
                continue
            if expect.startswith("unreadable:"):
                path = expect.split(":", 1)[1]
                result = run(site, ["--prune"])
                os.chmod(path, 0o644)
                if result.returncode == 0 and os.geteuid() != 0:
                    raise AssertionError(f"{where}: an unreadable page did not stop the build")
                if result.returncode != 0:
                    if "cannot read this file: permission denied" not in result.stderr:
                        raise AssertionError(f"{where}: unexpected message:\n{result.stderr}")
                    if tree(site.output) != before:
                        raise AssertionError(f"{where}: a failed build changed the output")
                continue
            if expect == "unmounted":
                # An empty folder where the plans were: nothing is removed without --prune,
                # whether or not the manifest survived.
                plans_folder = site.path("plans")
                os.rename(plans_folder, plans_folder + "-unmounted")
                os.mkdir(plans_folder)
                result = run(site, [])
                os.rmdir(plans_folder)
                os.rename(plans_folder + "-unmounted", plans_folder)
                published = os.path.isdir(os.path.join(site.output, "patients")) and os.listdir(os.path.join(site.output, "patients"))
                if published and (result.returncode == 0 or "would remove" not in result.stderr):
                    raise AssertionError(f"{where}: a build with an empty plans folder was not refused:\n{result.stdout}{result.stderr}")
                if published and tree(site.output) != before:
                    raise AssertionError(f"{where}: a refused build changed the output")
                result = run(site, ["--prune"])
                compare(site, scratch, step, description + ", then mounted again", result, before)
                continue
            result = run(site, args + ["--prune"])
            if expect == "selected":
                # The selected patients are current; a plain build then brings every other one up to date.
                # Errors in plans (the selected ones blocked, or others read for the index's names) are the plans' own.
                errors = [line for line in result.stderr.splitlines() if ": error: " in line]
                if result.returncode != 0 and (not errors or not all(line.startswith("Content/plans/") for line in errors)):
                    raise AssertionError(f"{where}: build failed:\n{result.stderr}")
                before = tree(site.output)
                result = run(site, ["--prune"])
            compare(site, scratch, step, description, result, before)
            if step % 100 == 0:
                print(f"  {step} steps, {len(site.plans())} plans, {time.time() - started:.0f} s", flush=True)
        refused = ""
        if shim:
            # The shim must have been in the way, or this run tested nothing more than the other.
            log = os.path.join(scratch, "refused.log")
            calls = open(log).read().split() if os.path.exists(log) else []
            if "renameat2" not in calls or "link" not in calls:
                raise AssertionError(f"the shim refused {len(calls)} calls ({sorted(set(calls))}); were the fallbacks reached?")
            refused = f"; the shim refused {calls.count('renameat2')} exchanges and {calls.count('link')} hard links"
    except AssertionError as failure:
        print(f"FAILED (seed {seed}{', with the shim' if shim else ''}): {failure}", file=sys.stderr)
        sys.exit(1)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
    print(f"differential test passed: seed {seed}, {options.steps} steps ({summary}) in {time.time() - started:.0f} s{refused}")


if __name__ == "__main__":
    main()
