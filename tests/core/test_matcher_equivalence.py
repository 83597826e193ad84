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


def test_a_changed_result_is_caught(recorded) -> None:
    sid, scenario = next(iter(recorded["scenarios"].items()))
    row = next(r for r in scenario["replies"] if r["match"])
    tampered = {"scenarios": {sid: {"inputs": scenario["inputs"],
                                    "replies": [{**row, "match": row["match"][1:]}]}}}
    assert len(differences(tampered)) == 1
    assert outputs(build(scenario["inputs"]), row["text"])["match"] == row["match"]
