"""Budgets: any file under 1 MiB is refused (one line, at the place) or accepted, never run wild.

The hostile files are those of `benchmarks/hostile_files.py`, which also measures their time
and memory; here only the outcome is asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import hostile_files as hostile
from coach.scenario import budgets
from coach.scenario.budgets import check_content
from coach.scenario.loader import load_catalog
from coach.scenario.yamlsource import parse_document

BRIEFINGS = Path(__file__).resolve().parents[2] / "scenarios" / "briefings"


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size < budgets.MAX_FILE_BYTES
    catalog = load_catalog([BRIEFINGS, path])
    return [str(p) for p in catalog.errors]


@pytest.mark.parametrize(("case", "message"), [
    ("alias-phrases", "this text is 588,519 characters long; at most 20,000 are allowed"),
    ("alias-lists", "characters of text once aliases are expanded"),
    ("many-phrases", "more than 3,000 phrases in one file"),
    ("many-markers", "more than 50,000 values in one file"),
    ("flat-values", "more than 50,000 values in one file"),
    ("many-keys", "more than 1,000 keys in one mapping"),
    ("big-number", "this text is"),
])
def test_a_hostile_file_near_1_mib_is_refused_with_one_line(tmp_path, case, message):
    errors = problems_of(tmp_path, hostile.CASES[case]())
    assert len(errors) == 1, errors
    assert message in errors[0]
    assert errors[0].startswith(f"{tmp_path / 'hostile.yaml'}:")
    assert "\n" not in errors[0] and len(errors[0]) < 300


def test_the_issues_alias_case_under_the_text_limit_is_refused_by_the_expansion_budget(tmp_path):
    """A 3,000-word string (under the text limit) anchored and reused 200 times as phrases."""
    text = hostile.alias_phrases().replace(hostile._words(100_000), hostile._words(3_000))
    errors = problems_of(tmp_path, text)
    assert len(errors) == 1
    assert "characters of text once aliases are expanded" in errors[0]
    line, column = map(int, errors[0].split(":")[1:3])
    assert text.splitlines()[line - 1][column - 1:] == "*big"  # the alias whose expansion crossed the budget


def test_a_file_at_the_edge_of_the_budgets_is_accepted(tmp_path):
    errors = problems_of(tmp_path, hostile.edge_beats())
    assert errors == []


def test_aliases_expand_with_their_positions_and_may_nest():
    doc = parse_document("a: &x [1, &y [2]]\nb: *y\nc: [*x, *y]\n", Path("f.yaml"))
    assert doc.data == {"a": [1, [2]], "b": [2], "c": [[1, [2]], [2]]}
    assert doc.locate(("c", 0, 1, 0)) == (1, 15)  # where the anchored value was written


@pytest.mark.parametrize(("text", "expected"), [
    ("a: *nowhere\n", "f.yaml:1:4: error: unknown alias *nowhere"),
    ("a: &x 1\nb: &x 2\n", "f.yaml:2:4: error: anchor &x is defined twice"),
    ("a: 1\n---\nb: 2\n", "f.yaml:2:1: error: a file holds one document"),
    ("a: .nan\n", "f.yaml:1:4: error: number '.nan' is not a finite number"),
    ("a: 1234567890123456\n", "f.yaml:1:4: error: number '1234567890123456' has more than 15 digits"),
    ("a: " + "[" * 40 + "]" * 40, "f.yaml:1:36: error: nested more than 32 levels deep"),
])
def test_shape_budgets_and_alias_errors(text, expected):
    from coach.errors import CoachError

    with pytest.raises(CoachError) as caught:
        parse_document(text, Path("f.yaml"))
    assert str(caught.value).startswith(expected)


def test_content_budgets_count_the_whole_file_and_share_one_count_for_examples():
    ok = {"markers": [{"phrases": ["a b"] * 10, "examples": {"match": ["x"] * 1000, "no_match": ["y"] * 1000}}]}
    assert list(check_content(ok)) == []
    over = {"markers": [{"examples": {"match": ["x"] * 1000, "no_match": ["y"] * 1001}}]}
    assert [message for _, message in check_content(over)] == ["more than 2,000 examples in one file (the budget for one file)"]


def test_word_classes_are_bounded_whatever_their_shape():
    words = ["w"] * (budgets.MAX_WORDS_PER_CLASS + 1)
    for classes in ({"feelings": words}, [{"id": "feelings", "words": words}]):
        found = list(check_content({"classes": classes}))
        assert [m for _, m in found] == [f"this word class has {len(words):,} words; at most 500 are allowed"]
