"""The corpus of broken files: each gives exactly the problems its `.expected` file lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.cli.validate import validate
from tests.authoring.helpers import BROKEN, CLEAN, cli, local

CASES = sorted(BROKEN.glob("*.yaml"))


def test_the_corpus_is_large_enough_and_complete():
    assert len(CASES) >= 30
    assert all(case.with_suffix(".expected").is_file() for case in CASES)


def test_the_clean_base_has_no_problem_at_all():
    problems, files = validate([str(CLEAN)], [])
    assert files == 1
    assert problems == []


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_broken_file_gives_exactly_the_expected_problems(case: Path):
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    problems, _ = validate([str(case)], [])
    assert [local(str(problem), case) for problem in problems] == expected
    if case.stem.startswith(("yaml-", "format-", "schema-", "ref-", "budget-")):
        assert any(problem.is_error for problem in problems)


@pytest.mark.parametrize("name", ["yaml-python-tag", "ref-unknown-goal", "lint-phrase-too-short"])
def test_the_command_prints_the_same_lines(capsys, name):
    case = BROKEN / f"{name}.yaml"
    code, out, _ = cli(capsys, "validate", str(case))
    lines = out.splitlines()
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert [local(line, case) for line in lines[:-1]] == expected
    errors = sum(": error: " in line for line in expected)
    assert code == (1 if errors else 0)
