"""Precision, recall and F1 of the matcher on the labelled replies in benchmarks/labelled/
and on the real-speech corpus in benchmarks/realspeech/.

Each labelled reply or utterance lists the (kind:briefing id) pairs it should credit. The
matcher's prediction is every briefing id cited by a marker that fired, with that marker's
kind, using the matcher of the scenario the text is labelled with. Counts are micro-averaged
per scenario and overall. For the labelled replies, the part of each file after the
`# held out` comment is reported separately, since phrases were not tuned on it.

`benchmarks/paraphrases.yaml` is a separate line: utterances written for every
practice and pitfall of the library (and near misses that must not fire, and ordinary prose)
before patterns were broadened, each with its own scenario; it measures how the library hears
wording in general. Its part after `# held out` was written after the first round of
broadening and is reported separately (its misses are never printed).

The real speech is reported in two halves split by source page: the tuning half, and the
frozen test half, which is the headline figure and must never be tuned on. A second frozen
test set, `realspeech/test2.yaml` (collected later from test-side pages, before any matcher
ran on it), is reported the same way, totals only, followed by one line for both frozen sets
together. `--folds` also
splits the tuning half by page into folds A and B (sha256 of FOLD_SALT + address): develop
on A, read B only as a check for overfitting (B far below A means the change fits the
sentences, not the speech).

    python benchmarks/matcher_quality.py [--folds] [--dev] [--details [WHAT ...]]

--dev leaves out both frozen sets (for runs while developing).
--details prints misses and false alarms of: labelled, paraphrases (not its held-out part), tune, A, B (default:
labelled and tune); it never prints the frozen sets.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.conversation.engine import matcher_for
from coach.scenario.loader import load_catalog
from coach.scenario.sources import bundled_folder

LABELLED = ROOT / "benchmarks" / "labelled"
PARAPHRASES = ROOT / "benchmarks" / "paraphrases.yaml"
REALSPEECH = ROOT / "benchmarks" / "realspeech"
HELD_OUT = "# held out"
SCENARIOS = ("onboarding-talk", "hard-feedback", "ending-mentoring")
# Picked once, as the first of "coach-fold-0" .. "-199" giving the most even split of pages
# and of utterances per scenario (counts only, before any figure was looked at).
FOLD_SALT = "coach-fold-32"
DETAIL_CHOICES = ("labelled", "paraphrases", "tune", "A", "B")


def fold_of(source: str) -> str:
    """'A' or 'B': the fold of a tuning-half page."""
    return "B" if hashlib.sha256((FOLD_SALT + source).encode("utf-8")).digest()[0] % 2 else "A"


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


def load_paraphrases() -> tuple[list[tuple[str, str, set[str]]], list[tuple[str, str, set[str]]]]:
    """([(scenario id, text, expected credits)] developed on, [... held out]) from
    benchmarks/paraphrases.yaml; the held-out part follows its `# held out` comment."""
    text = PARAPHRASES.read_text(encoding="utf-8")
    cut = text.find(HELD_OUT)
    parts = (text, "") if cut < 0 else (text[:cut], "replies:\n" + text[cut:])
    return tuple([(r["scenario"], r["text"], set(r.get("credits") or []))
                  for r in ((yaml.safe_load(part) or {}).get("replies") or [])] for part in parts)


def load_realspeech(name: str) -> list[tuple[str, str, set[str], str]]:
    """[(scenario id, text, expected credits, source)] from benchmarks/realspeech/NAME.yaml."""
    data = yaml.safe_load((REALSPEECH / f"{name}.yaml").read_text(encoding="utf-8"))
    return [(u["scenario"], u["text"], set(u.get("credits") or []), u["source"]) for u in data["utterances"]]


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

    @classmethod
    def combined(cls, *scores: "Score") -> "Score":
        """One score over the rows of several sets (micro-average, like each set's own)."""
        total = cls()
        for score in scores:
            total.tp, total.fp, total.fn = total.tp + score.tp, total.fp + score.fp, total.fn + score.fn
        return total

    def __str__(self) -> str:
        p, r, f = self.figures()
        return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {self.tp}, fp {self.fp}, fn {self.fn})"


def _miss(scenario_id: str, text: str, expected: set[str], got: set[str]) -> None:
    print(f"  [{scenario_id}] {text!r}\n      missing {sorted(expected - got)} extra {sorted(got - expected)}")


def report(label: str, rows, matchers, details: bool) -> Score:
    """Per-scenario and overall figures of `rows` [(scenario, text, expected, ...)]."""
    print(label)
    per: dict[str, Score] = {scenario_id: Score() for scenario_id in SCENARIOS}
    counts = dict.fromkeys(SCENARIOS, 0)
    total = Score()
    for scenario_id, text, expected, *_ in rows:
        got = predicted(matchers[scenario_id], text)
        per[scenario_id].add(expected, got)
        total.add(expected, got)
        counts[scenario_id] += 1
        if details and got != expected:
            _miss(scenario_id, text, expected, got)
    for scenario_id in SCENARIOS:
        print(f"{scenario_id:18} {counts[scenario_id]:3} utterances  {per[scenario_id]}")
    print(f"{'all':18} {len(rows):3} utterances  {total}")
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", nargs="*", choices=DETAIL_CHOICES, default=None,
                        help="print misses and false alarms of these sets (default: labelled, tune); "
                             "never of the frozen sets")
    parser.add_argument("--folds", action="store_true", help="also report the tuning half's folds A and B")
    parser.add_argument("--dev", action="store_true", help="leave out the frozen test sets")
    args = parser.parse_args()
    details = set() if args.details is None else set(args.details or ("labelled", "tune"))
    catalog = load_catalog([bundled_folder()])
    matchers = {scenario_id: matcher_for(catalog.scenario(scenario_id)) for scenario_id in SCENARIOS}
    overall, overall_held = Score(), Score()
    for path in sorted(LABELLED.glob("*.yaml")):
        scenario_id, rows = load_labelled(path)
        matcher = matchers[scenario_id]
        tuned, held = Score(), Score()
        for text, expected, is_held in rows:
            got = predicted(matcher, text)
            (held if is_held else tuned).add(expected, got)
            overall_held.add(expected, got) if is_held else None
            overall.add(expected, got)
            if "labelled" in details and got != expected:
                _miss(scenario_id, text, expected, got)
        print(f"{scenario_id:18} {len(rows):3} replies  tuned: {tuned}")
        print(f"{'':18} {'':11}  held out: {held}")
    print(f"{'all':18} {'':11}  all: {overall}")
    print(f"{'':18} {'':11}  held out: {overall_held}")

    if PARAPHRASES.exists():
        developed, held_out = load_paraphrases()
        report("paraphrases of every library practice and pitfall  (benchmarks/paraphrases.yaml)",
               developed, matchers, "paraphrases" in details)
        if held_out:
            report("  paraphrases, held out (written later, never tuned on)", held_out, matchers, False)

    tune = load_realspeech("tune")
    report("real speech, tuning half  (benchmarks/realspeech/tune.yaml)", tune, matchers, "tune" in details)
    if args.folds:
        for fold in "AB":
            rows = [row for row in tune if fold_of(row[3]) == fold]
            pages = len({row[3] for row in rows})
            report(f"  fold {fold} of the tuning half ({pages} pages)", rows, matchers, fold in details)
    if args.dev:
        return 0
    test = load_realspeech("test")
    headline = report("real speech, FROZEN TEST HALF (headline; never tune on it)  (benchmarks/realspeech/test.yaml)",
                      test, matchers, False)
    if (REALSPEECH / "test2.yaml").exists():
        test2 = load_realspeech("test2")
        second = report("real speech, SECOND FROZEN TEST SET (totals only; never tune on it)  "
                        "(benchmarks/realspeech/test2.yaml)", test2, matchers, False)
        print(f"{'both frozen sets':18} {len(test) + len(test2):3} utterances  {Score.combined(headline, second)}")
    print(f"HEADLINE frozen real speech: {headline}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
