"""Matcher speed: one 60-word reply against the largest bundled scenario, and against every
phrase of all of them.

Prints p50/p99 per reply for coach's matcher (phrases and patterns, cold and warm word
cache) on the largest scenario as it is played (its markers, the libraries it includes, its
synonyms and word classes), the target being p50 <= 2 ms cold. Measured in the same run on
the same replies: the skeptic's baseline, plain `rapidfuzz.fuzz.partial_ratio` of the reply
against every phrase of that scenario (no negation, no windows), and, against every phrase of
every scenario, a matcher built on difflib (SequenceMatcher over word windows).

Bytecode: timings start after the first match, so imports and the compiling of .py files
are outside them; the figures are the same with or without .pyc files
(PYTHONDONTWRITEBYTECODE=1 is set on these machines, so none are written).

    python benchmarks/matcher_speed.py [--replies 200]
"""

from __future__ import annotations

import argparse
import difflib
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.matcher_quality import LABELLED, load_labelled
from rapidfuzz import fuzz

from coach.conversation.engine import matcher_for
from coach.conversation.matcher import Matcher
from coach.scenario.loader import load_catalog
from coach.scenario.sources import bundled_folder
from coach.conversation.text import Synonyms, words

MIN_PHRASES = 500
REPLY_WORDS = 60


def all_synonyms() -> Synonyms:
    """Every synonym group of the bundled scenarios, as a played matcher reads them."""
    catalog = load_catalog([bundled_folder()])
    return Synonyms([group for s in catalog.scenarios.values() for group in s.synonyms])


def all_markers():
    """Every marker of every bundled scenario; reversed-phrase copies if under 500 phrases."""
    catalog = load_catalog([bundled_folder()])
    markers = [replace(m, id=f"{s.id}/{m.id}") for s in catalog.scenarios.values() for m in s.markers]
    copies = 0
    while sum(len(m.phrases) for m in markers) < MIN_PHRASES:
        copies += 1
        markers += [replace(m, id=f"{m.id}#{copies}", phrases=tuple(" ".join(reversed(p.split())) for p in m.phrases))
                    for m in markers[: len(markers)]]
    return markers


def replies(count: int, seed: int = 1) -> list[str]:
    """60-word replies stitched from the labelled set: real wording, varied content."""
    sentences = [text for path in sorted(LABELLED.glob("*.yaml")) for text, _, _ in load_labelled(path)[1]]
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        picked: list[str] = []
        while sum(len(s.split()) for s in picked) < REPLY_WORDS:
            picked.append(rng.choice(sentences))
        out.append(" ".join(" ".join(picked).split()[:REPLY_WORDS]))
    return out


class DifflibMatcher:
    """The same job with the standard library: each phrase against same-length word windows."""

    def __init__(self, markers, cutoff: float = 0.8) -> None:
        self.phrases = [(m.id, " ".join(words(p)), len(words(p))) for m in markers for p in m.phrases]
        self.cutoff = cutoff

    def match(self, text: str) -> set[str]:
        tokens = words(text)
        fired = set()
        for marker_id, phrase, length in self.phrases:
            matcher = difflib.SequenceMatcher(None, "", phrase, autojunk=False)
            for start in range(max(1, len(tokens) - length + 1)):
                matcher.set_seq1(" ".join(tokens[start:start + length]))
                if (matcher.real_quick_ratio() >= self.cutoff and matcher.quick_ratio() >= self.cutoff
                        and matcher.ratio() >= self.cutoff):
                    fired.add(marker_id)
                    break
        return fired


def largest_scenario():
    """The bundled scenario with the most phrases and patterns, libraries included."""
    catalog = load_catalog([bundled_folder()])
    return max(catalog.scenarios.values(),
               key=lambda s: sum(len(m.phrases) + len(m.patterns) for m in s.markers))


class PartialRatio:
    """The skeptic's baseline: rapidfuzz's partial_ratio of the reply against every phrase."""

    def __init__(self, markers, cutoff: float = 90.0) -> None:
        self.phrases = [(m.id, " ".join(words(p))) for m in markers for p in m.phrases]
        self.cutoff = cutoff

    def match(self, text: str) -> set[str]:
        reply = " ".join(words(text))
        return {marker_id for marker_id, phrase in self.phrases
                if fuzz.partial_ratio(phrase, reply, score_cutoff=self.cutoff)}


def timed(function, texts) -> list[float]:
    """Milliseconds per call."""
    times = []
    for text in texts:
        start = time.perf_counter()
        function(text)
        times.append((time.perf_counter() - start) * 1000)
    return times


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=200)
    parser.add_argument("--difflib-replies", type=int, default=15)
    args = parser.parse_args()
    texts = replies(args.replies)
    scenario = largest_scenario()
    played = matcher_for(scenario)
    baseline_fuzz = PartialRatio(scenario.markers)

    def cold_played(text: str) -> None:
        played._similar.cache_clear()
        played.match(text)

    played.match(texts[0])
    baseline_fuzz.match(texts[0])
    played_cold = timed(cold_played, texts)
    played_warm = timed(played.match, texts)
    fuzz_ms = timed(baseline_fuzz.match, texts)
    print(f"largest scenario {scenario.id!r}: {len(played.phrases)} phrases, {len(played.patterns)} patterns "
          f"in {len(scenario.markers)} markers (libraries included); {len(texts)} replies of {REPLY_WORDS} words")
    for name, values in (("coach, cold word cache", played_cold), ("coach, warm word cache", played_warm),
                         ("rapidfuzz partial_ratio", fuzz_ms)):
        print(f"  {name:28} p50 {statistics.median(values):8.2f} ms   p99 {percentile(values, 99):8.2f} ms")
    print(f"  partial_ratio / coach (cold), medians: "
          f"{statistics.median(fuzz_ms) / statistics.median(played_cold):.2f}x   target: coach cold p50 <= 2 ms")

    markers = all_markers()
    phrase_count = sum(len(m.phrases) for m in markers)
    matcher = Matcher(markers, all_synonyms())

    def cold(text: str) -> None:
        matcher._similar.cache_clear()
        matcher.match(text)

    matcher.match(texts[0])  # import-time and first-call costs out of the way
    cold_ms = timed(cold, texts)
    warm_ms = timed(matcher.match, texts)
    print()
    baseline = DifflibMatcher(markers)
    difflib_ms = timed(baseline.match, texts[: args.difflib_replies])
    print(f"{phrase_count} phrases in {len(markers)} markers; {len(texts)} replies of {REPLY_WORDS} words")
    for name, values in (("coach, cold word cache", cold_ms), ("coach, warm word cache", warm_ms),
                         (f"difflib ({len(difflib_ms)} replies)", difflib_ms)):
        print(f"  {name:28} p50 {statistics.median(values):8.2f} ms   p99 {percentile(values, 99):8.2f} ms")
    print(f"  difflib / coach (cold), medians: {statistics.median(difflib_ms) / statistics.median(cold_ms):.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
