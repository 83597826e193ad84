"""The authoring guide's annotated example is a real scenario: it validates and its tests pass."""

from __future__ import annotations

import re
from pathlib import Path

from tests.authoring.helpers import cli

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"


def test_the_annotated_example_validates_strictly_and_passes_its_tests(capsys, tmp_path):
    text = GUIDE.read_text(encoding="utf-8")
    example = re.search(r"## 2\..*?```yaml\n(.*?)```", text, re.S).group(1)
    path = tmp_path / "missed-meetings.yaml"
    path.write_text(example, encoding="utf-8")
    code, out, _ = cli(capsys, "validate", "--strict", str(path))
    assert code == 0, out
    code, out, _ = cli(capsys, "test", str(path))
    assert code == 0, out
    assert out.strip() == "7 passed, 0 failed"


def test_the_guide_shows_the_editor_schema_header():
    text = GUIDE.read_text(encoding="utf-8")
    assert "coach schema > coach-scenario.schema.json" in text
    assert "# yaml-language-server: $schema=coach-scenario.schema.json" in text


def test_the_guide_s_pattern_example_loads_and_its_examples_hold(tmp_path):
    """The word-class and pattern example in the guide is a real marker library."""
    import yaml

    from coach.conversation.engine import library_matcher
    from coach.scenario.loader import load_catalog

    text = GUIDE.read_text(encoding="utf-8")
    example = re.search(r"### Word classes and patterns.*?```yaml\n(.*?)```", text, re.S).group(1)
    path = tmp_path / "guide.yaml"
    path.write_text("format: coach-markers/1\nid: guide\n" + example, encoding="utf-8")
    catalog = load_catalog([Path(__file__).resolve().parents[2] / "scenarios" / "briefings", path])
    assert not catalog.errors, catalog.errors
    library = catalog.libraries["guide"]
    matcher = library_matcher(library)
    [marker] = library.markers
    for reply in marker.examples.match:
        assert [m.marker.id for m in matcher.match(reply)] == ["sbi"], reply
    for reply in marker.examples.no_match:
        assert not matcher.match(reply), reply
    assert yaml.safe_load(example)["classes"]["impact"][0] == "lost"
    assert matcher.match("In yesterday's design review, you cut Sam off twice, and Sam stopped contributing.")


def test_the_guide_s_anchor_example_loads_and_its_examples_hold(tmp_path):
    """The `^` (start of a clause) example in the guide is a real marker library too."""
    from coach.conversation.engine import library_matcher
    from coach.scenario.loader import load_catalog

    text = GUIDE.read_text(encoding="utf-8")
    example = re.search(r"\*\*Orders and review comments: `\^`\.\*\*.*?```yaml\n(.*?)```", text, re.S).group(1)
    path = tmp_path / "orders.yaml"
    path.write_text("format: coach-markers/1\nid: orders\n" + example, encoding="utf-8")
    catalog = load_catalog([Path(__file__).resolve().parents[2] / "scenarios" / "briefings", path])
    assert not catalog.errors, catalog.errors
    library = catalog.libraries["orders"]
    matcher = library_matcher(library)
    [marker] = library.markers
    assert marker.examples.match and marker.examples.no_match
    for reply in marker.examples.match:
        assert [m.marker.id for m in matcher.match(reply)] == ["be-more"], reply
    for reply in marker.examples.no_match:
        assert not matcher.match(reply), reply
