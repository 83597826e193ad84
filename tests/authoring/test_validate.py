"""`coach validate`: one line a problem, exit 0/1/2, JSON for CI, --strict, default folders."""

from __future__ import annotations

from coach.scenario.sources import bundled_folder
from tests.authoring.helpers import BROKEN, CLEAN, cli, cli_json, edited, local


def test_clean_file_exits_0_with_a_summary(capsys):
    code, out, _ = cli(capsys, "validate", str(CLEAN))
    assert code == 0
    assert out.strip() == "1 file(s) checked: 0 error(s), 0 warning(s)"


def test_an_error_exits_1_and_points_at_the_node(capsys):
    case = BROKEN / "ref-rule-to-unknown.yaml"
    code, out, _ = cli(capsys, "validate", str(case))
    assert code == 1
    assert local(out.splitlines()[0], case) == "32:14: error: unknown beat or ending 'fin' (did you mean 'fine'?)"


def test_a_missing_path_is_unusable_input_exit_2(capsys, tmp_path):
    code, out, err = cli(capsys, "validate", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "nope.yaml: error: no such file or folder" in err
    assert out == ""


def test_json_format_for_ci(capsys):
    case = BROKEN / "lint-phrase-too-short.yaml"
    code, data = cli_json(capsys, "validate", "--format", "json", str(case))
    assert code == 0
    assert data["files"] == 1 and data["errors"] == 0 and data["warnings"] == 1
    (problem,) = data["problems"]
    assert problem == {"file": str(case), "line": 19, "column": 54, "severity": "warning",
                       "message": problem["message"]}
    assert "'lazy' is too short" in problem["message"]


def test_strict_makes_warnings_errors(capsys):
    case = BROKEN / "lint-phrase-too-short.yaml"
    code, out, _ = cli(capsys, "validate", "--strict", str(case))
    assert code == 1
    assert ": error: marker 'blame': phrase 'lazy'" in out


def test_a_folder_is_searched_and_every_file_reported(capsys, tmp_path):
    edited(tmp_path, "start: opening", "start: openning", "one.yaml")
    edited(tmp_path, "id: clean-case", "id: other-case", "two.yaml")
    code, out, _ = cli(capsys, "validate", str(tmp_path))
    assert code == 1
    assert "one.yaml:23:8: error: unknown beat 'openning'" in out
    assert out.splitlines()[-1] == "2 file(s) checked: 1 error(s), 0 warning(s)"


def test_by_default_every_folder_coach_reads(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_SCENARIOS", str(edited(tmp_path, "start: opening", "start: openning")))
    code, data = cli_json(capsys, "validate", "--format", "json")
    files = {problem["file"] for problem in data["problems"]}
    assert code == 1
    assert str(tmp_path / "case.yaml") in files
    assert data["files"] >= 3  # bundled briefing, library and scenarios too


def test_the_bundled_scenarios_have_no_errors(capsys):
    code, data = cli_json(capsys, "validate", "--format", "json", str(bundled_folder()))
    assert data["errors"] == 0, data["problems"]
    assert code == 0


def test_same_id_in_two_places_names_both_files(capsys, tmp_path):
    first = edited(tmp_path, "title: A broken case", "title: First", "a.yaml")
    second = edited(tmp_path, "title: A broken case", "title: Second", "b.yaml")
    code, out, _ = cli(capsys, "validate", str(tmp_path))
    assert code == 1
    assert f"{second}:2:5: error: scenario id 'clean-case' is already defined in {first}" in out


WORDS = '''format: coach-markers/1
id: words
synonyms:
  - [check in, catch up]
classes:
  praise: [well done, great work]
  answer: [okay]
markers:
  - id: praise
    kind: move
    patterns:
      - "that was ~praise"
      - "let us catch up [soon weekly]"
      - "[totally completely] fine"
      - '"catch up" soon'
    examples:
      match: ["That was great work."]
'''


def test_words_read_as_almost_nothing_or_split_synonyms_are_warned_where_written(capsys, tmp_path):
    case = tmp_path / "words.yaml"
    case.write_text(WORDS, encoding="utf-8")
    code, out, _ = cli(capsys, "validate", str(case))
    lines = [local(line, case) for line in out.splitlines()[:-1]]
    assert code == 0 and lines == [
        "6:12: warning: class 'praise': entry 'well done' is read as 'done': only common words, "
        "so it matches far too much",
        "13:17: warning: pattern 'let us catch up [soon weekly]': 'catch' 'up' is read as one word "
        "'check_in' (a synonym group), so written apart it never matches: write \"catch up\" or the group's word",
        "14:11: warning: pattern '[totally completely] fine': word 'totally' is dropped by normalisation "
        "(filler words are read as nothing), so it never matches",
    ]  # "okay" (an answer) is kept, "great work" and a quoted "catch up" are read as written


def test_a_filler_dropped_from_a_longer_entry_is_warned(capsys, tmp_path):
    case = tmp_path / "words.yaml"
    case.write_text(WORDS.replace("[well done, great work]", "[great work, just between us]"), encoding="utf-8")
    _, out, _ = cli(capsys, "validate", str(case))
    assert "entry 'just between us' is read as 'between us': 'just' is dropped as a filler" in out
