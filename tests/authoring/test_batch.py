"""`coach validate` and `coach test` on many files share them among processes (`-j`) and say
exactly what one process says: the same problems, checks and coverage, a scenario id used
twice reported once in file order, whichever process read each file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import coach.authoring.batch as batch
from coach.scenario.sources import bundled_folder
from tests.authoring.helpers import cli


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Eight scenario files with new ids, one with an error, and one repeating another's id,
    in the second half (read by another process than the first)."""
    out = tmp_path_factory.mktemp("many")
    originals = sorted(bundled_folder().glob("*.yaml"))
    for index in range(8):
        source = originals[index % len(originals)]
        text = re.sub(r"^id: (\S+)", lambda m: f"id: {m.group(1)}-{index}", source.read_text(encoding="utf-8"),
                      count=1, flags=re.M)
        if index == 2:
            text = text.replace("\nbeats:", "\nbogus: 1\nbeats:", 1)
        (out / f"{index}-{source.stem}.yaml").write_text(text, encoding="utf-8")
    shutil.copy(out / "1-hard-feedback.yaml", out / "9-again.yaml")
    return out


@pytest.mark.parametrize("command", ["validate", "test"])
def test_two_processes_say_what_one_says(capsys, monkeypatch, folder, command) -> None:
    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)  # the folder and the bundled files make 12: parts of 6
    outputs = []
    for jobs in ("1", "2"):
        code, out, err = cli(capsys, command, "-j", jobs, "--json" if command == "test" else "--format=json",
                             str(folder))
        outputs.append((code, out, err))
    assert outputs[0] == outputs[1]
    code, out, _ = outputs[1]
    assert code == 1
    assert "already defined in" in out and "9-again.yaml" in out
    assert "bogus" in out


def test_workers_are_used_only_for_many_files(monkeypatch, folder) -> None:
    used = []
    monkeypatch.setattr(batch, "_in_parallel", lambda *args: used.append(args) or None)
    batch.check_files(batch.VALIDATE, [str(folder)], jobs=2)
    assert not used  # 12 declared scenario files: too few to be worth a second process
    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)
    batch.check_files(batch.VALIDATE, [str(folder)], jobs=2)
    assert len(used) == 1


def test_jobs_must_be_a_sensible_number(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli(capsys, "validate", "-j", "0")
    assert stopped.value.code == 2
    assert "expected a number of processes from 1 to 64, got '0'" in capsys.readouterr().err
