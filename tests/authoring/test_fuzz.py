"""Fuzzing the loader (and lint): every input loads or gives problems, never another exception.

Inputs are random text, random YAML-shaped text, random edits of a valid file's text, and
random replacements of one value in a valid file's data.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.errors import CoachError, Problem
from coach.authoring.lint import lint_catalog
from coach.scenario.loader import load_catalog
from coach.scenario.sources import bundled_folder
from coach.scenario.yamlsource import MAX_BYTES, load_document
from tests.authoring.helpers import CLEAN

BASE = [bundled_folder() / "briefings", bundled_folder() / "library"]
CLEAN_TEXT = CLEAN.read_text(encoding="utf-8")
CLEAN_DATA = yaml.safe_load(CLEAN_TEXT)
WORK = Path(tempfile.mkdtemp(prefix="coach-fuzz-"))
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

YAMLISH = st.lists(
    st.sampled_from([*"abc01 :-[]{},&*!|>'\"#%@`?\n\t\\", "id", "to", "<<", "!!python/object:os.system", "&a", "*a"]),
    max_size=80,
).map("".join)


def load_and_lint(content: str | bytes) -> list[Problem]:
    """What `coach validate` does with one file; fails the test on any exception."""
    path = WORK / "fuzz.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    catalog = load_catalog([*BASE, path])
    problems = [*catalog.problems, *lint_catalog(catalog, lambda p: p == path)]
    for problem in problems:
        assert isinstance(problem, Problem) and problem.message
        str(problem)
    return problems


@FUZZ
@given(st.text(max_size=300))
def test_random_text(text):
    load_and_lint(text)


@FUZZ
@given(YAMLISH)
def test_random_yaml_shaped_text(text):
    load_and_lint(text)


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes(data):
    load_and_lint(data)


@FUZZ
@given(st.data())
def test_random_edits_of_a_valid_file(data):
    lines = CLEAN_TEXT.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(lines) - 1))
        edit = data.draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "indent", "truncate"]))
        if edit == "delete":
            del lines[index]
        elif edit == "duplicate":
            lines.insert(index, lines[index])
        elif edit == "swap":
            other = data.draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif edit == "insert":
            lines.insert(index, data.draw(YAMLISH) + "\n")
        elif edit == "indent":
            lines[index] = " " * data.draw(st.integers(1, 3)) + lines[index]
        else:
            lines[index] = lines[index][: data.draw(st.integers(0, len(lines[index])))]
        if not lines:
            break
    load_and_lint("".join(lines))


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True) | st.text(max_size=20)
    | st.sampled_from(["opening", "fine", "sour", "good", "pitfall", "nothing", "invite-view", "blame",
                       "nearby.psychological-safety", "", "   "]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


@FUZZ
@given(st.data())
def test_random_values_in_a_valid_file(data):
    import copy

    document = copy.deepcopy(CLEAN_DATA)
    where = data.draw(st.sampled_from(_paths(document)[1:]))
    parent = document
    for part in where[:-1]:
        parent = parent[part]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        del parent[where[-1]]
    else:
        parent[where[-1]] = data.draw(VALUES)
    load_and_lint(yaml.safe_dump(document, allow_unicode=True))


# -- hostile files --------------------------------------------------------------------------


def test_a_file_over_1_mib_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("format: coach-scenario/1\nsummary: " + "x" * MAX_BYTES + "\n")
    try:
        load_document(path)
    except CoachError as exc:
        assert exc.problem.message.startswith(f"file is {path.stat().st_size:,} bytes; the limit is")
    else:
        raise AssertionError("a file over 1 MiB was loaded")


def test_a_billion_laughs_bomb_is_refused():
    path = Path(__file__).resolve().parent.parent / "broken" / "yaml-alias-bomb.yaml"
    try:
        load_document(path)
    except CoachError as exc:
        assert "is an alias expanding out of control?" in exc.problem.message
    else:
        raise AssertionError("the alias bomb was loaded")


def test_python_tags_are_refused_and_never_run(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "evil.yaml"
    path.write_text(f"format: coach-scenario/1\nid: !!python/object/apply:os.system ['touch {marker}']\n")
    try:
        load_document(path)
    except CoachError as exc:
        assert "tag !!python/object/apply:os.system is not allowed" in exc.problem.message
    else:
        raise AssertionError("a python tag was accepted")
    assert not marker.exists()
