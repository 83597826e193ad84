"""Reading YAML safely, with positions, and refusing what is unsafe or unreasonable."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.errors import CoachError
from coach.scenario.yamlsource import MAX_BYTES, load_document, parse_document

F = Path("f.yaml")


def error_of(text: str) -> str:
    with pytest.raises(CoachError) as caught:
        parse_document(text, F)
    return str(caught.value)


def test_positions_of_values_and_keys():
    doc = parse_document("a: 1\nb:\n  - x\n  - y\n", F)
    assert doc.data == {"a": 1, "b": ["x", "y"]}
    assert doc.locate(("b", 1)) == (4, 5)
    assert doc.locate(("b",), key=True) == (2, 1)
    assert doc.locate(("b", 7, "deeper")) == (3, 3)  # nearest known parent
    assert str(doc.problem(("a",), "bad")) == "f.yaml:1:4: error: bad"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: !!python/object:os.system {}", "f.yaml:1:4: error: tag !!python/object:os.system is not allowed"),
        ("a: !!python/name:os.system ''", "f.yaml:1:4: error: tag !!python/name:os.system is not allowed"),
        ("a: 1\na: 2\n", "f.yaml:2:1: error: duplicate key 'a'"),
        ("a: [1, 2\n", "f.yaml:2:1: error: invalid YAML"),
        ("base: &b {x: 1}\nc:\n  <<: *b\n", "f.yaml:3:3: error: merge keys (<<) are not supported"),
        ("", "f.yaml:1:1: error: file is empty"),
        ("? [a, b]\n: 1\n", "f.yaml:1:3: error: a key must be plain text"),
    ],
)
def test_refusals_name_file_line_and_problem(text, expected):
    assert error_of(text).startswith(expected)


def test_alias_bomb_is_refused():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i-1}'] * 9)}]" for i in range(1, 9)]
    assert "alias expanding" in error_of("\n".join(lines))


def test_oversized_file_is_refused_before_parsing(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * MAX_BYTES)
    with pytest.raises(CoachError, match="limit is 1,048,576"):
        load_document(big)


def test_non_utf8_file_names_its_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: 1\nb: \xff\n")
    with pytest.raises(CoachError, match=r"bad.yaml:2: error: file is not UTF-8"):
        load_document(bad)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CoachError, match="cannot read file"):
        load_document(tmp_path / "nope.yaml")
