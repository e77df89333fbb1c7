#!/usr/bin/env python3
"""Differential test of incremental builds (issue 11).

A seeded random sequence of steps on a small site (the shipped content, 30+ generated
plans): plans added, changed, renamed and deleted; content, pictures, templates and
site.yaml edited, added and deleted; `--patient` builds; builds killed with SIGKILL at a
random moment; builds on a nearly full disk; unreadable files.

The rules, checked after every step:
- a build that exits 0 leaves Output/ byte-identical to a full build of the same inputs into
  an empty folder (the manifest aside), with no other file anywhere;
- a build that fails leaves Output/ exactly as it was before the step, manifest included;
- a killed build is followed by a normal build, which must then satisfy the first rule.

As root, the output lives on a small tmpfs (so the disk can really fill up) and every build
runs as `nobody` (so unreadable files are unreadable). Otherwise the disk-full steps are
skipped, and the run says so.

Usage: differential.py --binary PATH [--steps N] [--seed S]
"""
import argparse
import os
import random
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
        shutil.copytree(os.path.join(repo, "Templates"), os.path.join(root, "Templates"))
        for name in os.listdir(os.path.join(self.content, "plans")):
            os.remove(os.path.join(self.content, "plans", name))
        self.serial = 0
        self.added = []  # content files this test added: safe to delete, no plan uses them
        for _ in range(30):
            self.add_plan()

    def slugs(self, kind):
        folder = os.path.join(self.content, kind)
        return sorted(n.rsplit(".", 1)[0] for n in os.listdir(folder) if n.endswith((".md", ".yaml")) and n.count(".") == 1)

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

    def plan_text(self):
        rng = self.rng
        lines = [f"patient: Test Patient {rng.randint(1, 9999)}",
                 f"therapist: {rng.choice(['Sam Lee, PT', 'Ria Patel, PT', 'Kim Ono, DPT'])}",
                 f"start: 2026-12-{rng.randint(1, 28):02d}",
                 f"weeks: {rng.randint(2, 8)}"]
        # Some patients read Spanish, or need large print: their pages draw on translations
        # and other strings, which incremental builds must track as well.
        spanish = os.path.exists(os.path.join(self.root, "Templates", "strings", "es.yaml")) and rng.random() < 0.25
        usable = (lambda kind, slug: self.translated(kind, slug, "es")) if spanish else (lambda kind, slug: True)
        if spanish:
            lines.append("language: es")
        if rng.random() < 0.1:
            lines.append("large_print: true")
        exercises = [s for s in self.slugs("exercises") if not s.startswith("added-") and usable("exercises", s)]
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
        if rng.random() < 0.6:
            lines.append("education: [" + ", ".join(rng.sample(pages, rng.randint(1, 3))) + "]")
        if rng.random() < 0.3:
            # Every sample page has the summary a pain rule prints beside the pain log.
            lines.append(f"pain_rule: {rng.choice(pages)}")
        if rng.random() < 0.2:
            lines.append("notes: Call us if it hurts more.")
        return "\n".join(lines) + "\n"

    def plans(self):
        return self.slugs("plans")

    def add_plan(self):
        self.serial += 1
        self.write(self.path("plans", f"p-{self.serial:04d}.yaml"), self.plan_text())


def run(site, args, timeout=120):
    command = [site.binary, "build", "--root", site.root] + args
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def full_build(site, scratch):
    target = os.path.join(scratch, "full")
    shutil.rmtree(target, ignore_errors=True)
    result = subprocess.run([site.binary, "build", "--root", site.root, "--output", target],
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise AssertionError("full build failed:\n" + result.stderr)
    files = tree(target)
    files.pop(".handout-manifest", None)
    return files, folders(target)


def compare(site, scratch, step, description):
    expected, expected_folders = full_build(site, scratch)
    actual = tree(site.output)
    actual.pop(".handout-manifest", None)
    if actual != expected or folders(site.output) != expected_folders:
        missing = sorted(set(expected) - set(actual))[:5]
        extra = sorted(set(actual) - set(expected))[:5]
        differ = sorted(p for p in set(actual) & set(expected) if actual[p] != expected[p])[:5]
        extra_folders = sorted(set(folders(site.output)) - set(expected_folders))[:5]
        raise AssertionError(f"step {step} ({description}): incremental output differs from a full build: "
                             f"missing {missing}, extra {extra}, different {differ}, extra folders {extra_folders}")


def step_once(site, rng, step, scratch, disk):
    """One random change and build; returns a description and what to expect."""
    plans = site.plans()
    choice = rng.random()
    args = []
    expect = "success"
    if choice < 0.22 and len(plans) < 40:
        description = "add plan"
        site.add_plan()
    elif choice < 0.22:
        victim = rng.choice(plans)
        description = f"delete plan {victim}"
        os.remove(site.path("plans", victim + ".yaml"))
    elif choice < 0.40 and plans:
        victim = rng.choice(plans)
        description = f"change plan {victim}"
        site.write(site.path("plans", victim + ".yaml"), site.plan_text())
    elif choice < 0.46 and plans:
        victim = rng.choice(plans)
        site.serial += 1
        description = f"rename plan {victim}"
        os.rename(site.path("plans", victim + ".yaml"), site.path("plans", f"p-{site.serial:04d}.yaml"))
    elif choice < 0.54 and len(plans) > 3:
        victim = rng.choice(plans)
        description = f"delete plan {victim}"
        os.remove(site.path("plans", victim + ".yaml"))
    elif choice < 0.62:
        slug = rng.choice(site.slugs("exercises"))
        description = f"edit exercise {slug}"
        path = site.path("exercises", slug + ".md")
        site.append(path, f"\nStep {step}: breathe out as you move.\n")
    elif choice < 0.66:
        slug = rng.choice(site.slugs("pages"))
        # Now and then the Spanish translation rather than the original.
        name = slug + (".es" if site.translated("pages", slug, "es") and rng.random() < 0.4 else "")
        description = f"edit page {name}"
        path = site.path("pages", name + ".md")
        site.append(path, f"\nNote {step}: rest when you need to.\n")
    elif choice < 0.69:
        slug = rng.choice(site.slugs("progressions"))
        description = f"edit progression {slug}"
        path = site.path("progressions", slug + ".md")
        site.append(path, f"\nWeek note {step}.\n")
    elif choice < 0.71:
        slug = rng.choice(site.slugs("protocols"))
        description = f"edit protocol {slug}"
        path = site.path("protocols", slug + ".yaml")
        site.append(path, f"# edited {step}\n")
    elif choice < 0.74:
        pictures = sorted(n for n in os.listdir(site.path("images")) if n.endswith(".svg"))
        name = rng.choice(pictures)
        description = f"edit picture {name}"
        path = site.path("images", name)
        site.write(path, site.read(path).replace("</svg>", f"<!-- {step} --></svg>"))
    elif choice < 0.78:
        kind = rng.choice(["exercises", "pages"])
        slug = f"added-{step}"
        description = f"add {kind} {slug}"
        body = "---\ntitle: Added %d\n---\n## Setup\nStand tall.\n\n## Movement\nMove slowly.\n" % step
        site.write(site.path(kind, slug + ".md"), body)
        site.added.append((kind, slug))
    elif choice < 0.81 and site.added:
        kind, slug = site.added.pop(rng.randrange(len(site.added)))
        description = f"delete {kind} {slug}"
        os.remove(site.path(kind, slug + ".md"))
    elif choice < 0.83:
        template = rng.choice(["page.mustache", "exercise.mustache", "handout.mustache", "calendar.mustache"])
        description = f"edit template {template}"
        path = os.path.join(site.root, "Templates", template)
        site.append(path, f"\n<!-- {step} -->\n")
    elif choice < 0.85:
        description = "edit site.yaml"
        path = site.path("site.yaml")
        text = site.read(path)
        if "index_shows_names: false" in text and rng.random() < 0.5:
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
    elif choice < 0.90 and plans:
        chosen = rng.sample(plans, min(len(plans), rng.randint(1, 3)))
        slug = rng.choice(site.slugs("exercises"))
        path = site.path("exercises", slug + ".md")
        site.append(path, f"\nBefore a selected build {step}.\n")
        description = f"edit exercise {slug}, build --patient {' '.join(chosen)}"
        for plan in chosen:
            args += ["--patient", plan]
        expect = "selected"
    elif choice < 0.94:
        description = "kill -9 during a build"
        if plans:
            victim = rng.choice(plans)
            site.write(site.path("plans", victim + ".yaml"), site.plan_text())
        site.add_plan()
        expect = "killed"
    elif choice < 0.97 and disk:
        description = "build on a nearly full disk"
        path = site.path("exercises", rng.choice(site.slugs("exercises")) + ".md")
        site.append(path, f"\nFull {step}.\n")
        expect = "full disk"
    else:
        slug = rng.choice(site.slugs("pages"))
        description = f"unreadable page {slug}"
        path = site.path("pages", slug + ".md")
        site.append(path, f"\nUnreadable {step}.\n")
        os.chmod(path, 0)
        expect = "unreadable:" + path
    return description, args, expect


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--child", help=argparse.SUPPRESS)
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
                                    + (["--small-disk"] if mounted else []))
        finally:
            if mounted:
                subprocess.run(["umount", disk])
            shutil.rmtree(base, ignore_errors=True)
        sys.exit(result.returncode)

    root = options.child or tempfile.mkdtemp(prefix="handout-differential-")
    has_disk = options.small_disk
    scratch = tempfile.mkdtemp(prefix="handout-differential-full-")
    print(f"differential test: seed {seed}, {options.steps} steps"
          + ("" if has_disk else "; disk-full steps skipped (they need root to mount a small tmpfs)"), flush=True)
    rng = random.Random(seed)
    site = Site(os.path.join(root, "site"), binary, rng, options.repo)
    first = run(site, [])
    assert first.returncode == 0, first.stderr
    counts = {}
    started = time.time()
    try:
        for step in range(1, options.steps + 1):
            before = tree(site.output)
            description, args, expect = step_once(site, rng, step, scratch, has_disk)
            counts[expect.split(":")[0]] = counts.get(expect.split(":")[0], 0) + 1
            if expect == "killed":
                process = subprocess.Popen([site.binary, "build", "--root", site.root, "--prune"],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(rng.uniform(0, 0.25))
                process.send_signal(signal.SIGKILL)
                process.wait()
                result = run(site, ["--prune"])
                if result.returncode != 0:
                    raise AssertionError(f"step {step} ({description}): the build after a kill failed:\n{result.stderr}")
                compare(site, scratch, step, description)
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
                if result.returncode == 0:
                    compare(site, scratch, step, description)
                else:
                    if "no space left on the disk" not in result.stderr or "Error Domain" in result.stderr:
                        raise AssertionError(f"step {step} ({description}): unexpected message:\n{result.stderr}")
                    if tree(site.output) != before:
                        raise AssertionError(f"step {step} ({description}): a build that ran out of room changed the output")
                    result = run(site, ["--prune"])
                    if result.returncode != 0:
                        raise AssertionError(f"step {step} ({description}): the build after the disk was freed failed:\n{result.stderr}")
                    compare(site, scratch, step, description)
                continue
            if expect.startswith("unreadable:"):
                path = expect.split(":", 1)[1]
                result = run(site, ["--prune"])
                os.chmod(path, 0o644)
                if result.returncode == 0 and os.geteuid() != 0:
                    raise AssertionError(f"step {step} ({description}): an unreadable page did not stop the build")
                if result.returncode != 0:
                    if "cannot read this file: permission denied" not in result.stderr:
                        raise AssertionError(f"step {step} ({description}): unexpected message:\n{result.stderr}")
                    if tree(site.output) != before:
                        raise AssertionError(f"step {step} ({description}): a failed build changed the output")
                continue
            result = run(site, args + ["--prune"])
            if result.returncode != 0:
                raise AssertionError(f"step {step} ({description}): build failed:\n{result.stderr}")
            if expect == "selected":
                # The selected patients are current; a plain build then brings every other one up to date.
                result = run(site, ["--prune"])
                if result.returncode != 0:
                    raise AssertionError(f"step {step} ({description}): build after --patient failed:\n{result.stderr}")
            compare(site, scratch, step, description)
            if step % 100 == 0:
                print(f"  {step} steps, {len(site.plans())} plans, {time.time() - started:.0f} s", flush=True)
    except AssertionError as failure:
        print(f"FAILED (seed {seed}): {failure}", file=sys.stderr)
        sys.exit(1)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
    print(f"differential test passed: seed {seed}, {options.steps} steps ({summary}) in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
