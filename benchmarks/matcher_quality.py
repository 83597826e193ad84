"""Precision, recall and F1 of the matcher on the labelled replies in benchmarks/labelled/
and on the real-speech corpus in benchmarks/realspeech/.

Each labelled reply or utterance lists the (kind:briefing id) pairs it should credit. The
matcher's prediction is every briefing id cited by a marker that fired, with that marker's
kind, using the matcher of the scenario the text is labelled with. Counts are micro-averaged
per scenario and overall. For the labelled replies, the part of each file after the
`# held out` comment is reported separately, since phrases were not tuned on it. The real
speech is reported in two halves split by source page: the tuning half, and the frozen test
half, which is the headline figure and must never be tuned on.

    python benchmarks/matcher_quality.py [--details]

--details prints every miss and false alarm of the labelled replies and of the real-speech
tuning half; it never prints the frozen test half.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.conversation.engine import matcher_for
from coach.scenario.loader import load_catalog
from coach.scenario.sources import bundled_folder

LABELLED = ROOT / "benchmarks" / "labelled"
REALSPEECH = ROOT / "benchmarks" / "realspeech"
HELD_OUT = "# held out"
SCENARIOS = ("onboarding-talk", "hard-feedback", "ending-mentoring")


def load_labelled(path: Path) -> tuple[str, list[tuple[str, set[str], bool]]]:
    """(scenario id, [(text, expected credits, held out?)]) from one labelled file."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    cut = text.find(HELD_OUT)
    held_texts = set()
    if cut >= 0:
        tail = yaml.safe_load(text[:text.find("replies:")] + "replies:\n" + text[cut:]) or {}
        held_texts = {r["text"] for r in (tail.get("replies") or [])}
    rows = [(r["text"], set(r.get("credits") or []), r["text"] in held_texts) for r in data["replies"]]
    return data["scenario"], rows


def load_realspeech(name: str) -> list[tuple[str, str, set[str]]]:
    """[(scenario id, text, expected credits)] from benchmarks/realspeech/NAME.yaml."""
    data = yaml.safe_load((REALSPEECH / f"{name}.yaml").read_text(encoding="utf-8"))
    return [(u["scenario"], u["text"], set(u.get("credits") or [])) for u in data["utterances"]]


def predicted(matcher, text: str) -> set[str]:
    return {f"{m.marker.kind}:{item}" for m in matcher.match(text) for item in m.marker.briefing}


class Score:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, expected: set[str], got: set[str]) -> None:
        self.tp += len(expected & got)
        self.fp += len(got - expected)
        self.fn += len(expected - got)

    def figures(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def __str__(self) -> str:
        p, r, f = self.figures()
        return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {self.tp}, fp {self.fp}, fn {self.fn})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true",
                        help="print every miss and false alarm (labelled replies and the real-speech tuning half only)")
    args = parser.parse_args()
    catalog = load_catalog([bundled_folder()])
    overall, overall_held = Score(), Score()
    for path in sorted(LABELLED.glob("*.yaml")):
        scenario_id, rows = load_labelled(path)
        matcher = matcher_for(catalog.scenario(scenario_id))
        tuned, held = Score(), Score()
        for text, expected, is_held in rows:
            got = predicted(matcher, text)
            (held if is_held else tuned).add(expected, got)
            overall_held.add(expected, got) if is_held else None
            overall.add(expected, got)
            if args.details and got != expected:
                print(f"  [{scenario_id}] {text!r}\n      missing {sorted(expected - got)} extra {sorted(got - expected)}")
        print(f"{scenario_id:18} {len(rows):3} replies  tuned: {tuned}")
        print(f"{'':18} {'':11}  held out: {held}")
    print(f"{'all':18} {'':11}  all: {overall}")
    print(f"{'':18} {'':11}  held out: {overall_held}")

    matchers = {scenario_id: matcher_for(catalog.scenario(scenario_id)) for scenario_id in SCENARIOS}
    headline = None
    for name, label, details in (("tune", "real speech, tuning half", args.details),
                                 ("test", "real speech, FROZEN TEST HALF (headline; never tune on it)", False)):
        rows = load_realspeech(name)
        print(f"{label}  (benchmarks/realspeech/{name}.yaml)")
        per: dict[str, Score] = {scenario_id: Score() for scenario_id in SCENARIOS}
        counts = dict.fromkeys(SCENARIOS, 0)
        total = Score()
        for scenario_id, text, expected in rows:
            got = predicted(matchers[scenario_id], text)
            per[scenario_id].add(expected, got)
            total.add(expected, got)
            counts[scenario_id] += 1
            if details and got != expected:
                print(f"  [{scenario_id}] {text!r}\n      missing {sorted(expected - got)} extra {sorted(got - expected)}")
        for scenario_id in SCENARIOS:
            print(f"{scenario_id:18} {counts[scenario_id]:3} utterances  {per[scenario_id]}")
        print(f"{'all':18} {len(rows):3} utterances  {total}")
        headline = total
    print(f"HEADLINE frozen real speech: {headline}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
