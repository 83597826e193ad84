"""`coach graph`, `coach new`, `coach schema`, `coach match --explain`, the watcher, sources."""

from __future__ import annotations

import json
import os

import pytest

from coach.scenario import schema
from coach.authoring.watch import Watcher
from tests.authoring.helpers import CLEAN, FIXTURES, cli, cli_json, edited

# -- graph ----------------------------------------------------------------------------------


def test_graph_mermaid_labels_edges_and_marks_endings(capsys):
    code, out, _ = cli(capsys, "graph", "clean-case", "--scenarios", str(CLEAN))
    assert code == 0
    lines = [line.strip() for line in out.splitlines()]
    assert "stateDiagram-v2" in lines
    assert "opening --> sour: pitfall" in lines
    assert "opening --> fine: good" in lines
    assert "opening --> opening: otherwise" in lines
    assert "[*] --> opening" in lines
    assert 'state "fine (ending: strong)" as fine' in lines
    assert "Class fine s_ending" in lines and "Class opening s_default" in lines


def test_graph_dot(capsys):
    pytest.importorskip("graphviz")
    code, out, _ = cli(capsys, "graph", "clean-case", "--format", "dot", "--scenarios", str(CLEAN))
    assert code == 0
    assert out.startswith("digraph")
    assert "opening -> sour [label=pitfall]" in out
    assert 'fine [label="fine (ending: strong)\\l"' in out and "peripheries=2" in out


def test_graph_unknown_scenario_is_exit_2(capsys):
    code, _, err = cli(capsys, "graph", "no-such", "--scenarios", str(CLEAN))
    assert code == 2 and "unknown scenario 'no-such'" in err


# -- new and schema -------------------------------------------------------------------------


def test_new_writes_a_starter_that_validates_tests_and_plays(capsys, tmp_path):
    code, out, _ = cli(capsys, "new", "my-talk", "--out", str(tmp_path))
    path = tmp_path / "my-talk.yaml"
    assert code == 0 and out.startswith(f"wrote {path}")
    assert "id: my-talk" in path.read_text()
    code, out, _ = cli(capsys, "validate", "--strict", str(path))
    assert (code, out.strip()) == (0, "1 file(s) checked: 0 error(s), 0 warning(s)")
    code, out, _ = cli(capsys, "test", str(path))
    assert code == 0 and out.strip().endswith(" passed, 0 failed")
    script = tmp_path / "replies.txt"
    script.write_text("How do you see the situation?\nLet's set up a recurring meeting every two weeks.\n")
    code, data = cli_json(capsys, "play", "my-talk", "--script", str(script), "--json", "--scenarios", str(path))
    assert code == 0 and data["report"]["outcome"] == "strong"


def test_new_refuses_to_overwrite_and_bad_ids(capsys, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("mine")
    code, _, err = cli(capsys, "new", "mine", "--out", str(path))
    assert code == 2 and "already exists" in err and path.read_text() == "mine"
    code, _, err = cli(capsys, "new", "Bad Id", "--out", str(tmp_path))
    assert code == 2 and "is not a valid id" in err


def test_new_out_with_a_trailing_slash_makes_the_folder(capsys, tmp_path):
    code, _, _ = cli(capsys, "new", "fresh", "--out", f"{tmp_path / 'drafts'}/")
    assert code == 0 and (tmp_path / "drafts" / "fresh.yaml").is_file()


def test_new_writes_to_the_user_folder_by_default(capsys):
    from coach.scenario.sources import user_folder

    code, _, _ = cli(capsys, "new", "at-home")
    assert code == 0 and (user_folder() / "at-home.yaml").is_file()
    code, out, _ = cli(capsys, "list")
    assert "at-home" in out  # the app reads the user folder


@pytest.mark.parametrize("fmt, file_format", [("scenario", schema.SCENARIO_FORMAT), ("markers", schema.MARKERS_FORMAT),
                                              ("briefing", schema.BRIEFING_FORMAT)])
def test_schema_prints_the_loaders_own_schema(capsys, fmt, file_format):
    code, data = cli_json(capsys, "schema", "--format", fmt)
    assert code == 0 and data == json.loads(json.dumps(schema.schema_of(file_format)))


def test_schema_is_the_default_scenario_schema(capsys):
    code, data = cli_json(capsys, "schema")
    assert code == 0
    assert data["title"] == "coach scenario, format 2" and "beats" in data["properties"]


# -- match --explain ------------------------------------------------------------------------


def test_explain_gives_a_verdict_per_marker(capsys):
    code, out, _ = cli(capsys, "match", "--scenarios", str(CLEAN), "--scenario", "clean-case", "--explain",
                       "I would not like to hear your view. You are unreliable.")
    assert code == 0
    lines = out.splitlines()
    invite = next(line for line in lines if " invite-view " in line)
    assert invite.startswith("good") and invite.endswith("negated")
    blame = next(line for line in lines if " blame " in line)
    assert blame.startswith("pitfall") and blame.endswith("fired")


def test_explain_json_lists_verdicts(capsys):
    code, data = cli_json(capsys, "match", "--scenarios", str(CLEAN), "--scenario", "clean-case", "--explain",
                          "--json", "nice weather")
    assert code == 0 and data["matches"] == []
    assert [v["marker"] for v in data["verdicts"]] == ["invite-view", "blame"]
    assert {v["reason"] for v in data["verdicts"]} == {"no words in common"}
    assert set(data["verdicts"][0]) >= {"phrase", "score", "threshold", "reason", "fired"}


# -- watch ----------------------------------------------------------------------------------


def _touch_later(path):
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_watcher_reloads_on_change_and_reports_problems_without_raising(tmp_path):
    path = edited(tmp_path, "title: A broken case", "title: Watched")
    watcher = Watcher([path])
    first = watcher.poll()
    assert first is not None and first.ok and first.changed == [path]
    assert watcher.poll() is None  # nothing changed
    path.write_text(path.read_text().replace("start: opening", "start: [unclosed"))
    _touch_later(path)
    broken = watcher.poll()
    assert broken is not None and not broken.ok
    assert broken.errors[0].file == path and broken.errors[0].line == 24
    assert watcher.last_good is first.catalog  # still there to play
    path.write_text(path.read_text().replace("start: [unclosed", "start: opening"))
    _touch_later(path)
    fixed = watcher.poll()
    assert fixed is not None and fixed.ok and "clean-case" in fixed.catalog.scenarios


def test_watcher_adopts_a_loaded_catalog_without_reading_it_again(tmp_path, monkeypatch):
    import coach.authoring.checks
    from coach.scenario.catalog_cache import load_default_catalog

    path = edited(tmp_path, "title: A broken case", "title: Watched")
    catalog = load_default_catalog([path])
    watcher = Watcher([path])
    monkeypatch.setattr(coach.authoring.checks, "load_selection", lambda *a: pytest.fail("read again"))
    adopted = watcher.adopt(catalog)
    assert adopted.ok and adopted.catalog is catalog and watcher.last_good is catalog
    assert watcher.poll() is None  # adopting took the files' stamp: nothing changed since


def test_watcher_of_a_missing_path_reports_it(tmp_path):
    result = Watcher([tmp_path / "gone.yaml"]).poll()
    assert result is not None and not result.ok
    assert "no such file or folder" in result.errors[0].message


# -- where scenarios come from (issue 4, point 6) -------------------------------------------


def test_scenarios_come_from_env_and_option_and_clash_across_places(capsys, tmp_path, monkeypatch):
    env_file = edited(tmp_path, "title: A broken case", "title: From the environment", "env.yaml")
    monkeypatch.setenv("COACH_SCENARIOS", str(env_file))
    code, out, _ = cli(capsys, "list")
    assert code == 0 and "From the environment" in out
    option_dir = tmp_path / "option"
    option_dir.mkdir()
    other = edited(option_dir, "title: A broken case", "title: From the option", "opt.yaml")
    code, _, err = cli(capsys, "list", "--scenarios", str(option_dir))
    assert code == 2
    assert f"scenario id 'clean-case' is already defined in {env_file}" in err and str(other) in err


def test_fixture_folder_has_only_the_clean_case():
    assert sorted(p.name for p in FIXTURES.iterdir()) == ["clean.yaml"]
