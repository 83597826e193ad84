"""The matcher gives exactly the recorded output (matches, scores, spans, every verdict) on a
checked-in sample of replies, from frozen inputs: speed work must not change a result.

The sample and the full set are written and checked by benchmarks/matcher_equivalence.py.
"""

from __future__ import annotations

import pytest

from benchmarks.matcher_equivalence import SAMPLE, build, differences, load, outputs


@pytest.fixture(scope="module")
def recorded() -> dict:
    return load(SAMPLE)


def test_the_sample_covers_every_kind_of_reply(recorded) -> None:
    sources = {row["source"] for s in recorded["scenarios"].values() for row in s["replies"]}
    assert {"labelled", "realspeech-tune", "example", "random", "long"} <= sources
    assert "realspeech-test" not in sources  # the frozen half is only checked by the full set
    fired = sum(bool(row["match"]) for s in recorded["scenarios"].values() for row in s["replies"])
    assert fired > 500  # the sample exercises firing, not just silence


def test_the_matcher_gives_the_recorded_output(recorded) -> None:
    assert differences(recorded) == []


def test_a_matcher_derived_from_shared_libraries_gives_the_recorded_output(recorded) -> None:
    # as validate and test build them: the libraries compiled once, with another scenario's
    # synonyms and classes, and what those read differently recompiled. Every other reply: the
    # derivation is in the matcher, not in the reply (the benchmark's `check --derived` runs all)
    half = {"scenarios": {sid: {**scenario, "replies": scenario["replies"][::2]}
                          for sid, scenario in recorded["scenarios"].items()}}
    assert differences(half, derived=True) == []


def test_one_markers_verdict_is_the_one_explain_gives(recorded) -> None:
    for scenario in recorded["scenarios"].values():
        matcher = build(scenario["inputs"])
        for row in scenario["replies"][::25]:
            verdicts = matcher.explain(row["text"])
            assert [matcher.explain_one(row["text"], v.marker) for v in verdicts] == verdicts


def test_a_changed_result_is_caught(recorded) -> None:
    sid, scenario = next(iter(recorded["scenarios"].items()))
    row = next(r for r in scenario["replies"] if r["match"])
    tampered = {"scenarios": {sid: {"inputs": scenario["inputs"],
                                    "replies": [{**row, "match": row["match"][1:]}]}}}
    assert len(differences(tampered)) == 1
    assert outputs(build(scenario["inputs"]), row["text"])["match"] == row["match"]


def test_validate_and_test_compile_each_library_once_per_run(monkeypatch) -> None:
    from coach.conversation import matcher as matching
    from coach.conversation.engine import matcher_for
    from coach.scenario.loader import load_catalog
    from coach.scenario.sources import bundled_folder

    scenarios = sorted(load_catalog([bundled_folder()]).scenarios.values(), key=lambda s: s.id)
    built = []
    real_init = matching.Matcher.__init__

    def counting(self, markers, *args, **kwargs) -> None:
        built.append(len(markers))
        real_init(self, markers, *args, **kwargs)

    monkeypatch.setattr(matching.Matcher, "__init__", counting)
    with matching.shared_libraries():
        derived = [matcher_for(s) for s in scenarios]
    assert matching._shared is None  # nothing kept once the run is over
    monkeypatch.undo()
    assert len(built) == 1 and built[0] < len(scenarios[0].markers)  # the libraries' markers, once
    for scenario, matcher in zip(scenarios, derived):
        whole = matching.Matcher(scenario.markers, matcher.synonyms, matcher.classes)
        for beat in scenario.beats:
            assert matcher.match(beat.model_answer) == whole.match(beat.model_answer)
