"""Running `coach` commands in-process, and the fixtures the authoring tests share."""

from __future__ import annotations

import json
from pathlib import Path

from coach.cli import main

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
CLEAN = FIXTURES / "clean.yaml"
BROKEN = HERE.parent / "broken"


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of `coach ARGS`."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def cli_json(capsys, *args: str) -> tuple[int, object]:
    code, out, _ = cli(capsys, *args)
    return code, json.loads(out)


def local(problem_line: str, path: Path) -> str:
    """A problem line without its file name: `line:col: severity: message`."""
    prefix = f"{path}:"
    assert problem_line.startswith(prefix), problem_line
    return problem_line[len(prefix):]


def edited(tmp_path: Path, old: str, new: str, name: str = "case.yaml") -> Path:
    """The clean fixture with one edit, written to `tmp_path`."""
    text = CLEAN.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path
