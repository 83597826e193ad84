"""The real-speech corpus (benchmarks/realspeech/) is well formed and split by page: the tuning
half, the frozen test half and the second frozen test set (test2.yaml, test-side pages only)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
REALSPEECH = ROOT / "benchmarks" / "realspeech"
BRIEFING = ROOT / "scenarios" / "briefings" / "mentorship-dynamics.yaml"
SCENARIOS = {"onboarding-talk", "hard-feedback", "ending-mentoring"}
FIELDS = {"text", "scenario", "credits", "source", "title"}
# Each file of the corpus and the side of the split its pages must hash to.
SIDE_OF_FILE = {"tune": "tune", "test": "test", "test2": "test"}


def _split_module():
    spec = importlib.util.spec_from_file_location("realspeech_split", REALSPEECH / "split.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _briefing_ids() -> set[str]:
    data = yaml.safe_load(BRIEFING.read_text(encoding="utf-8"))
    return {item["id"] for section in data["sections"] for item in section["items"]}


def _utterances(half: str) -> list[dict]:
    data = yaml.safe_load((REALSPEECH / f"{half}.yaml").read_text(encoding="utf-8"))
    return data["utterances"]


def problems(rows: list[dict], briefing_ids: set[str]) -> list[str]:
    """Everything wrong with one half's utterances, as readable lines."""
    found = []
    for n, row in enumerate(rows):
        where = f"#{n} {str(row.get('text'))[:40]!r}"
        if set(row) != FIELDS:
            found.append(f"{where}: fields {sorted(row)}")
            continue
        if not isinstance(row["text"], str) or not row["text"].strip():
            found.append(f"{where}: no text")
        if row["scenario"] not in SCENARIOS:
            found.append(f"{where}: unknown scenario {row['scenario']!r}")
        if not isinstance(row["credits"], list):
            found.append(f"{where}: credits is not a list")
        else:
            for credit in row["credits"]:
                kind, _, item = str(credit).partition(":")
                if kind not in ("good", "pitfall") or item not in briefing_ids:
                    found.append(f"{where}: bad credit {credit!r}")
            if len(set(row["credits"])) != len(row["credits"]):
                found.append(f"{where}: repeated credit")
        if not str(row["source"]).startswith(("http://", "https://")):
            found.append(f"{where}: source is not an http(s) address")
        if not isinstance(row["title"], str) or not row["title"].strip():
            found.append(f"{where}: no title")
    return found


@pytest.fixture(scope="module")
def halves() -> dict[str, list[dict]]:
    return {name: _utterances(name) for name in SIDE_OF_FILE}


@pytest.mark.parametrize("name", list(SIDE_OF_FILE))
def test_every_utterance_is_well_formed(halves, name):
    assert problems(halves[name], _briefing_ids()) == []


def test_problems_are_caught():
    ids = _briefing_ids()
    good = {"text": "What would you like to achieve?", "scenario": "onboarding-talk",
            "credits": ["good:helps.goal-setting"], "source": "https://example.org/a", "title": "A"}
    assert problems([good], ids) == []
    broken = [
        {**good, "text": "  "},
        {**good, "scenario": "small-talk"},
        {**good, "credits": ["good:helps.no-such-item"]},
        {**good, "credits": ["great:helps.goal-setting"]},
        {**good, "source": "example.org/a"},
        {**good, "title": ""},
        {k: v for k, v in good.items() if k != "title"},
    ]
    assert len(problems(broken, ids)) == len(broken)


def test_no_page_is_on_both_sides(halves):
    tune = {row["source"] for row in halves["tune"]}
    for frozen in ("test", "test2"):
        assert tune & {row["source"] for row in halves[frozen]} == set(), frozen


def test_every_page_is_on_the_side_its_address_hashes_to(halves):
    half_of = _split_module().half_of
    misplaced = [(name, row["source"]) for name, rows in halves.items() for row in rows
                 if half_of(row["source"]) != SIDE_OF_FILE[name]]
    assert misplaced == []


def test_corpus_is_big_and_varied_enough(halves):
    rows = [row for name_rows in halves.values() for row in name_rows]
    assert len(rows) >= 600
    assert len(halves["test2"]) >= 200
    assert len({row["source"] for row in rows}) >= 25
    assert len({row["text"] for row in rows}) == len(rows), "an utterance appears twice"
    for name, name_rows in halves.items():
        for scenario in SCENARIOS:
            assert sum(row["scenario"] == scenario for row in name_rows) >= 30, (name, scenario)
        neutral = sum(not row["credits"] for row in name_rows)
        assert neutral * 3 >= len(name_rows), (name, "fewer than a third of the lines are neutral")
