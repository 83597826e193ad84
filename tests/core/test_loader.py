"""Loading scenarios: valid files build models; broken ones give file:line problems."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coach.errors import CoachError
from coach.scenario.loader import load_catalog

from .helpers import FIXTURES, briefing_and_library, load_with, mini

MINI = (FIXTURES / "mini.yaml").read_text()


def test_mini_loads_into_models():
    scenario = mini()
    assert scenario.start == "hello"
    assert [b.id for b in scenario.beats] == ["hello", "tense", "plans"]
    assert {e.outcome for e in scenario.endings} == {"strong", "poor"}
    assert {m.id for m in scenario.markers} >= {"set-goals", "pull-rank", "check-ins", "document-decisions"}
    assert scenario.marker("pull-rank").trust == -2
    assert scenario.marker("set-goals").trust == 1  # default for good markers
    assert scenario.state("tense").next[0].when == ("good",)
    assert scenario.briefing.items["helps.check-ins"].section == "helps"


def problems_for(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "s.yaml").write_text(text)
    catalog = load_with(tmp_path)
    return [str(p).replace(str(tmp_path) + "/", "") for p in catalog.problems]


def edit(**changes) -> str:
    """The mini scenario with top-level keys replaced (None removes a key)."""
    data = yaml.safe_load(MINI)
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return yaml.safe_dump(data, sort_keys=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MINI.replace("phrases: [set goals", "phrasez: [set goals"),
         "s.yaml:16:5: error: markers[0]: unknown key 'phrasez' (did you mean 'phrases'?)"),
        (MINI.replace("kind: pitfall", "kind: pitfal"),
         "s.yaml:19:11: error: markers[1].kind: 'pitfal' is not allowed (did you mean 'pitfall'?); expected one of: good, pitfall, move"),
        (MINI.replace("{to: plans, when: good, unless: pitfall}", "{to: plan, when: good}"),
         "s.yaml:44:14: error: unknown beat or ending 'plan' (did you mean 'plans'?)"),
        (MINI.replace("helps.check-ins, nearby", "helps.check-in, nearby"),
         "s.yaml:10:9: error: unknown briefing item 'helps.check-in' (did you mean 'helps.check-ins'?)"),
        (MINI.replace("include: [common]", "include: [commons]"),
         "s.yaml:11:11: error: unknown marker library 'commons' (did you mean 'common'?)"),
        (MINI.replace("start: hello", "start: hi"), "s.yaml:25:8: error: unknown beat 'hi'"),
        (MINI.replace("- id: tense", "- id: hello"), "s.yaml:38:9: error: duplicate beat or ending id 'hello' (the first is at line 27)"),
        (MINI.replace("format: coach-scenario/1", "format: coach-scenario/9"),
         "s.yaml:2:9: error: unknown format 'coach-scenario/9' (did you mean 'coach-scenario/2'?); known: coach-scenario/2, coach-scenario/1, coach-markers/1, coach-briefing/1"),
        (MINI.replace("minutes: 3", "minutes: three"), "s.yaml:6:10: error: minutes: should be a whole number, not text"),
        (MINI.replace("{to: tense, when: pitfall}", "{to: tense, when: pitfalls}"),
         "s.yaml:34:27: error: unknown marker or goal (or good, pitfall, move, nothing, question, stayed, repeated) 'pitfalls' (did you mean 'pitfall'?)"),
        (edit(goals=None), "s.yaml:1:1: error: the file: missing required key 'goals'"),
        ("- just\n- a list\n", "s.yaml:1:1: error: the file should be a mapping of keys, starting with `format:`"),
    ],
)
def test_broken_scenarios_point_at_the_fault(tmp_path, text, expected):
    assert expected in problems_for(tmp_path, text)


def test_a_misspelt_required_key_is_reported_once(tmp_path):
    problems = problems_for(tmp_path, MINI.replace("phrases: [set goals", "phrasez: [set goals"))
    assert [p for p in problems if "markers[0]" in p] == [
        "s.yaml:16:5: error: markers[0]: unknown key 'phrasez' (did you mean 'phrases'?)"]


def test_a_broken_file_is_left_out_and_the_rest_still_load(tmp_path):
    (tmp_path / "broken.yaml").write_text(MINI.replace("id: mini", "id: other").replace("minutes: 3", "minutes: x"))
    (tmp_path / "good.yaml").write_text(MINI)
    catalog = load_with(tmp_path)
    assert list(catalog.scenarios) == ["mini"]
    assert len(catalog.errors) == 1
    with pytest.raises(CoachError):
        catalog.raise_errors()


def test_the_same_id_in_two_files_names_both(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "one.yaml").write_text(MINI)
    (tmp_path / "b" / "two.yaml").write_text(MINI)
    catalog = load_catalog([*briefing_and_library(), tmp_path / "a", tmp_path / "b"])
    [problem] = catalog.errors
    assert problem.file == tmp_path / "b" / "two.yaml"
    assert str(tmp_path / "a" / "one.yaml") in problem.message


def test_unknown_scenario_suggests_the_nearest():
    catalog = load_with(FIXTURES)
    with pytest.raises(CoachError, match=r"unknown scenario 'minni' \(did you mean 'mini'\?\)"):
        catalog.scenario("minni")


def test_bundled_catalog_has_the_briefing_with_every_stable_id(catalog):
    items = catalog.briefings["mentorship-dynamics"].items
    sections = {}
    for item_id in items:
        sections.setdefault(item_id.split(".")[0], []).append(item_id)
    assert {k: len(v) for k, v in sections.items()} == {"why": 7, "signs": 9, "worse": 8, "helps": 11, "nearby": 8}
    assert sections["helps"][0] == "helps.agreement" and sections["helps"][-1] == "helps.plan-transitions"
    assert all(item.title and len(item.summary.split()) >= 12 for item in items.values())
