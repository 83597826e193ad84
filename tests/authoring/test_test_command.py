"""`coach test`: examples and playthroughs run like tests, failures explained, coverage."""

from __future__ import annotations

import pytest

from coach.scenario.sources import bundled_folder
from tests.authoring.helpers import CLEAN, cli, cli_json, edited


def test_clean_file_passes(capsys):
    code, out, _ = cli(capsys, "test", str(CLEAN))
    assert code == 0
    assert out.strip() == "6 passed, 0 failed"


def test_an_example_that_does_not_fire_reports_score_against_threshold(capsys, tmp_path):
    path = edited(tmp_path, "match: [\"I'd like to hear your view.\"]", "match: [\"I'd like to hear the news.\"]")
    code, out, _ = cli(capsys, "test", str(path))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "FAIL   clean-case: marker invite-view: fires on \u201cI'd like to hear the news.\u201d"
    assert lines[1] == f"       at {path}:15:24"
    assert lines[2].startswith("       did not fire: best phrase \u201cI would like to hear your view\u201d scored ")
    assert "scored 66.7 against threshold 80 on \u201cI'd like to hear\u201d" in lines[2] and lines[2].endswith("(below threshold)")
    assert lines[-1] == "5 passed, 1 failed"


def test_a_no_match_example_that_fires_fails(capsys, tmp_path):
    path = edited(tmp_path, 'no_match: ["What got in the way?"]', 'no_match: ["Honestly, you are so unreliable."]')
    code, data = cli_json(capsys, "test", "--json", str(path))
    assert code == 1
    (failed,) = [check for check in data["checks"] if not check["passed"]]
    assert failed["name"] == "marker blame: does not fire on \u201cHonestly, you are so unreliable.\u201d"
    assert failed["detail"].startswith("fired: best phrase \u201cyou are unreliable\u201d scored ")
    assert failed["detail"].endswith("on \u201cyou are so unreliable\u201d (fired)")
    assert data["passed"] == 5 and data["failed"] == 1


def test_a_playthrough_reaching_the_wrong_ending_shows_its_path(capsys, tmp_path):
    path = edited(tmp_path, "ending: fine}", "ending: sour}")
    code, out, _ = cli(capsys, "test", str(path))
    assert code == 1
    assert "FAIL   clean-case: playthrough \u201ckind\u201d" in out
    assert "ended at 'fine' instead of 'sour'" in out
    assert "turn 1: \u201cI'd like to hear your view.\u201d fired [invite-view] -> fine" in out


def test_a_playthrough_that_does_not_end_or_misses_goals(capsys, tmp_path):
    path = edited(tmp_path, '{name: kind, replies: ["I\'d like to hear your view."], ending: fine}',
                  '{name: kind, replies: ["Hello there."], ending: fine, goals_met: [nearby.psychological-safety]}')
    code, out, _ = cli(capsys, "test", str(path))
    assert code == 1
    assert "did not end: still at beat 'opening' after 1 replies; goals not met: nearby.psychological-safety" in out


def test_coverage_lists_what_no_playthrough_visits(capsys):
    code, out, _ = cli(capsys, "test", "--coverage", str(CLEAN))
    assert code == 0
    assert "coverage clean-case: not visited by any playthrough\n    transition opening -> opening (otherwise)\n" in out


def test_a_broken_file_fails_the_run(capsys):
    from tests.authoring.helpers import BROKEN

    code, out, _ = cli(capsys, "test", str(BROKEN / "ref-unknown-start.yaml"))
    assert code == 1
    assert out.startswith("BROKEN ")
    assert "1 file error(s)" in out


@pytest.fixture(scope="module")
def bundled_run():
    from coach.authoring.checks import load_selection, run_tests

    catalog, selected = load_selection([str(bundled_folder())])
    return catalog, run_tests(catalog, selected)


def test_coach_test_passes_on_the_bundled_scenarios(capsys):
    """The project's own scenarios: every example and playthrough holds."""
    code, out, _ = cli(capsys, "test", str(bundled_folder()))
    assert code == 0, out
    assert out.splitlines()[-1].endswith(" 0 failed")


def test_bundled_scenarios_carry_examples_and_playthroughs(bundled_run):
    catalog, _ = bundled_run
    assert {"onboarding-talk", "hard-feedback", "ending-mentoring"} <= set(catalog.scenarios)
    for scenario in catalog.scenarios.values():
        assert len(scenario.playthroughs) >= 2, scenario.id
        for marker in scenario.markers:
            assert marker.examples.match, (scenario.id, marker.id)
