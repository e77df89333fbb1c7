"""`handout schema` checked with Python's jsonschema, as an editor's YAML language server
would use it: the schemas are valid draft 2020-12 with a description on every field, every
sample and fixture plan and protocol passes, and the bad plans whose mistakes a schema can
express fail both the schema and `handout check`.

Environment: HANDOUT_BIN, the handout executable (default: .build/debug/handout)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

REPO = Path(__file__).resolve().parents[2]
SITES = {"sample": REPO, "minimal fixture": REPO / "Tests/HandoutKitTests/Fixtures/minimal"}


class PlanYAML(yaml.SafeLoader):
    """YAML as the language server reads it (YAML 1.2): 2026-12-07 is text, not a date."""


PlanYAML.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def handout() -> str:
    path = Path(os.environ.get("HANDOUT_BIN", REPO / ".build/debug/handout"))
    if not path.exists():
        pytest.fail(f"no handout executable at {path}: run 'swift build' first or set HANDOUT_BIN")
    return str(path)


def copy_site(source: Path, target: Path) -> Path:
    shutil.copytree(source / "Content", target / "Content")
    shutil.copytree(REPO / "Templates", target / "Templates")
    return target


def write_schemas(site: Path) -> dict[str, Draft202012Validator]:
    result = subprocess.run([handout(), "schema", "--root", str(site)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    validators = {}
    for kind in ("plan", "protocol"):
        schema = json.loads((site / "Output/schema" / f"{kind}.schema.json").read_text())
        Draft202012Validator.check_schema(schema)
        validators[kind] = Draft202012Validator(schema)
    return validators


def problems(validator: Draft202012Validator, text: str) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(yaml.load(text, Loader=PlanYAML))]


@pytest.fixture(scope="module")
def minimal(tmp_path_factory) -> tuple[Path, dict[str, Draft202012Validator]]:
    site = copy_site(SITES["minimal fixture"], tmp_path_factory.mktemp("minimal"))
    return site, write_schemas(site)


@pytest.mark.parametrize("name", SITES)
def test_every_plan_and_protocol_passes(name, tmp_path):
    site = copy_site(SITES[name], tmp_path)
    validators = write_schemas(site)
    files = {"plan": sorted((site / "Content/plans").glob("*.yaml")),
             "protocol": sorted((site / "Content/protocols").glob("*.yaml"))}
    assert files["plan"] and files["protocol"], f"the {name} site has no plans or protocols to check"
    found = {str(path.relative_to(site)): problems(validators[kind], path.read_text())
             for kind, paths in files.items() for path in paths}
    assert found == {path: [] for path in found}


def test_names_come_from_the_library(minimal):
    site, validators = minimal
    definitions = validators["plan"].schema["$defs"]
    assert definitions["exercise"]["properties"]["exercise"]["enum"] == ["bridge", "clamshell"]
    assert definitions["progression"]["properties"]["progression"]["enum"] == ["walk-run"]
    assert validators["plan"].schema["properties"]["education"]["items"]["enum"] == ["pacing", "safety"]
    assert validators["plan"].schema["properties"]["protocol"]["enum"] == ["knee-basic"]


def test_every_field_has_a_description(minimal):
    _, validators = minimal
    missing = []

    def walk(properties: dict, where: str) -> None:
        for key, field in properties.items():
            if "description" not in field and "$ref" not in field:
                missing.append(f"{where}.{key}")
            for inner in (field, field.get("items", {})):
                if isinstance(inner, dict) and "properties" in inner:
                    walk(inner["properties"], f"{where}.{key}")

    for kind, validator in validators.items():
        walk(validator.schema["properties"], kind)
        for name, definition in validator.schema["$defs"].items():
            assert "description" in definition, f"{kind} $defs.{name}"
            walk(definition.get("properties", {}), f"{kind}.$defs.{name}")
    assert missing == []


# Each is one mistake in the fixture plan (as in BadInputTests.swift) that a schema can express.
PLAN = (REPO / "Tests/HandoutKitTests/Fixtures/minimal/Content/plans/p-0001.yaml").read_text()
EXPRESSIBLE = {
    "unknown key": ("therapist:", "therapst:"),
    "unknown exercise": ("exercise: bridge", "exercise: brige"),
    "sets out of range": ("sets: 2", "sets: 500"),
    "sets not a number": ("sets: 2", "sets: three"),
    "hold not a time": ("sets: 2", "hold: forever"),
    "missing patient": ("patient: Alex Example\n", ""),
    "blank patient": ("patient: Alex Example", 'patient: "  "'),
    "missing start": ("start: 2026-12-07\n", ""),
    "US date": ("start: 2026-12-07", "start: 12/07/2026"),
    "too many weeks": ("weeks: 3", "weeks: 60"),
    "no weeks and no protocol": ("weeks: 3\n", ""),
    "unknown protocol": ("weeks: 3", "weeks: 3\nprotocol: knee-basik"),
    "unknown weekday": ("sets: 2", "sets: 2\n    days: [mon, wendesday]"),
    "weekday twice": ("sets: 2", "sets: 2\n    days: [mon, mon]"),
    "change that changes nothing": ("sets: 2", "sets: 2\n    changes: [{ week: 2 }]"),
    "change in week 0": ("sets: 2", "sets: 2\n    changes: [{ week: 0, sets: 3 }]"),
    "bare exercise name": ("- exercise: bridge\n    sets: 2\n    note: Go slowly.", "- bridge"),
    "unknown progression": ("progression: walk-run", "progression: walk-runn"),
    "unknown education page": ("[pacing]", "[pacng]"),
    "no cross-training activity": ("activities: [cycling, swimming]", "activities: []"),
    "sides not a side": ("sets: 2", "sets: 2\n    sides: both"),
    "unknown pain rule": ("weeks: 3", "weeks: 3\npain_rule: pacng"),
    "unknown weekday in a change": ("sets: 2", "sets: 2\n    changes: [{ week: 2, days: [mon, fryday] }]"),
}


def bad_plan(old: str, new: str) -> str:
    assert old in PLAN, old
    return PLAN.replace(old, new, 1)


@pytest.mark.parametrize("name", EXPRESSIBLE)
def test_schema_and_check_both_reject(name, minimal):
    site, validators = minimal
    text = bad_plan(*EXPRESSIBLE[name])
    assert problems(validators["plan"], text), f"the schema accepts: {name}"
    result = check(site, text)
    assert result.returncode == 1 and "p-0001.yaml" in result.stderr, f"handout check accepts: {name}"


def check(site, text):
    """`handout check` of the fixture site with `text` as its plan, which is then put back."""
    plan = site / "Content/plans/p-0001.yaml"
    plan.write_text(text)
    try:
        return subprocess.run([handout(), "check", "--root", str(site)], capture_output=True, text=True)
    finally:
        plan.write_text(PLAN)


def test_what_only_check_catches(minimal):
    """Mistakes that need the calendar or the other fields: the schema lets them through and
    the editor stays quiet; `handout check` reports them."""
    _, validators = minimal
    for old, new in [("start: 2026-12-07", "start: 2026-02-30"),
                     ("sets: 2", "sets: 2\n    changes: [{ week: 9, sets: 3 }]"),
                     ("sets: 2", "sets: 2\n    weekly: 2\n    days: [mon, wed, fri]"),
                     ("sets: 2", "sets: 2\n    changes: [{ week: 2, weekly: 2, days: [mon, wed, fri] }]"),
                     # a page without a summary cannot be a pain rule
                     ("weeks: 3", "weeks: 3\npain_rule: pacing")]:
        assert problems(validators["plan"], bad_plan(old, new)) == [], new


@pytest.mark.parametrize("hold", ["30", "30 s", "45 seconds", "1 min", "1.5 min", "1 min 30 s", "2 Minutes"])
def test_schema_and_check_both_accept_every_hold(hold, minimal):
    """Every way FORMATS.md lets a plan write `hold`, including the handout's own "1 min 30 s"."""
    site, validators = minimal
    text = bad_plan("sets: 2", f"sets: 2\n    hold: {hold}")
    assert problems(validators["plan"], text) == [], hold
    result = check(site, text)
    assert result.returncode == 0, result.stderr
