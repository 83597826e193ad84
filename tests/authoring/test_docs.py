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
