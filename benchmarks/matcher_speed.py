"""Matcher speed against the skeptic's baseline, measured in the same run, paired reply by reply.

On the largest bundled scenario as it is played (its markers, the libraries it includes, its
synonyms and word classes), for replies of 60 and of 200 words stitched from the labelled
replies, each reply is timed in turn with: coach's matcher with a cold word cache (every
word cache cleared first), coach's matcher warm (the same reply just matched), and plain
`rapidfuzz.fuzz.partial_ratio` of the normalised reply against every phrase of the scenario
with `score_cutoff` (no negation, no windows, no patterns: the baseline a skeptic would
pick). Printed: p50/p99 of each, the ratio of the medians and the median of the per-reply
ratios. Also: 60 words against the first 500 phrases (with their markers' patterns), build
time at 1x/2x/4x the scenario's markers (copies with altered words, so the vocabulary grows
too), one 10,000-character reply, and, against every phrase of every scenario, a matcher
built on difflib.

Clock: CPU time of this process (`time.process_time`) by default, since these 2-core machines
are shared and wall time mostly measures waiting for a core (matcher and baseline are both
single-threaded); `--wall` uses wall time instead.

Bytecode: PYTHONDONTWRITEBYTECODE=1 is set on these machines, so every run compiles the .py
files again. Match timings start after a first match, so importing and compiling are outside
them; importing the matcher is timed on its own, in fresh interpreters, both compiling from
source and from a bytecode cache (a temporary PYTHONPYCACHEPREFIX).

    python benchmarks/matcher_speed.py [--replies 200] [--difflib-replies 5] [--wall]
"""

from __future__ import annotations

import argparse
import difflib
import gc
import os
import random
import statistics
import subprocess
import sys
import tempfile
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
clock = time.process_time
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


def replies(count: int, seed: int = 1, size: int = REPLY_WORDS) -> list[str]:
    """Replies of `size` words stitched from the labelled set: real wording, varied content."""
    sentences = [text for path in sorted(LABELLED.glob("*.yaml")) for text, _, _ in load_labelled(path)[1]]
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        picked: list[str] = []
        while sum(len(s.split()) for s in picked) < size:
            picked.append(rng.choice(sentences))
        out.append(" ".join(" ".join(picked).split()[:size]))
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


def paired(contenders: dict, texts: list[str]) -> dict[str, list[float]]:
    """Milliseconds per reply for each contender, every reply timed with each in turn (the
    order rotating from reply to reply), so machine noise falls on all alike."""
    names = list(contenders)
    times: dict[str, list[float]] = {name: [] for name in names}
    for number, text in enumerate(texts):
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            start = clock()
            contenders[name](text)
            times[name].append((clock() - start) * 1000)
    return times


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def line(name: str, values: list[float]) -> str:
    return f"  {name:30} p50 {statistics.median(values):8.3f} ms   p99 {percentile(values, 99):8.3f} ms"


def versus(baseline: list[float], values: list[float]) -> tuple[float, float]:
    """(ratio of the medians, median of the per-reply ratios): how many times faster."""
    return (statistics.median(baseline) / statistics.median(values),
            statistics.median(b / v for b, v in zip(baseline, values)))


def check(label: str, holds: bool) -> str:
    return f"{label}: {'holds' if holds else 'MISSED'}"


def against_rapidfuzz(scenario, texts: list[str], size: int, need: float) -> list[str]:
    """coach cold and warm against partial_ratio over the same phrases, paired reply by reply.
    Cold: a matcher whose word caches are cleared before each reply. Warm: a second matcher
    that has matched every reply once before (its words are known; the reply itself is not
    the one just matched, so nothing else is hot)."""
    cold_matcher, warm_matcher = (Matcher(scenario.markers, Synonyms(scenario.synonyms), dict(scenario.classes))
                                  for _ in range(2))
    baseline = PartialRatio(scenario.markers)

    def cold(text: str) -> None:
        cold_matcher.clear_word_caches()
        cold_matcher.match(text)

    for text in texts:
        warm_matcher.match(text)
    baseline.match(texts[0])
    times = paired({"cold": cold, "warm": warm_matcher.match, "fuzz": baseline.match}, texts)
    out = [f"{len(texts)} replies of {size} words, paired"]
    out.append(line("coach, cold word cache", times["cold"]))
    out.append(line("coach, warm word cache", times["warm"]))
    out.append(line("rapidfuzz partial_ratio (all)", times["fuzz"]))
    for name in ("cold", "warm"):
        of_medians, per_reply = versus(times["fuzz"], times[name])
        out.append(f"  coach {name} vs partial_ratio: {of_medians:.2f}x faster (medians), "
                   f"{per_reply:.2f}x (median per reply)   "
                   + check(f"target >= {need}x", of_medians >= need and per_reply >= need))
    if size == REPLY_WORDS:
        cold_p50 = statistics.median(times["cold"])
        out.append(f"  {check('coach cold p50 <= 2 ms', cold_p50 <= 2.0)} ({cold_p50:.3f} ms)")
    return out


def copies(markers, times: int):
    """The markers `times` over, each copy with its longer words replaced by made-up words of
    the same length (the same one each time, so the vocabulary grows with the phrases as a
    bigger library's would, without near-duplicates of the original words)."""
    out = list(markers)
    for k in range(1, times):
        def made_up(word: str) -> str:
            rng = random.Random(f"{word}#{k}")
            return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in word)

        def alter(text: str) -> str:
            return " ".join(made_up(w) if len(w) > 3 else w for w in text.split())

        out += [replace(m, id=f"{m.id}#{k}", phrases=tuple(alter(p) for p in m.phrases)) for m in markers]
    return out


def build_ms(markers, synonyms: Synonyms, classes: dict, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        gc.collect()  # each build starts without the last one's garbage
        start = clock()
        Matcher(markers, synonyms, classes)
        times.append((clock() - start) * 1000)
    return statistics.median(times)


def import_ms(runs: int = 7) -> tuple[float, float, float]:
    """Median wall ms of a bare interpreter, of importing the matcher compiling from source, and
    of importing it from a bytecode cache (fresh interpreters, alternated)."""
    code = "import coach.conversation.matcher"
    bare, source, cached = [], [], []
    with tempfile.TemporaryDirectory() as prefix:
        plain = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        cache = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cache["PYTHONPYCACHEPREFIX"] = prefix
        subprocess.run([sys.executable, "-c", code], env=cache, check=True, cwd=ROOT)  # fill the cache
        for _ in range(runs):
            for bucket, argv, env in ((bare, "pass", plain), (source, code, plain), (cached, code, cache)):
                start = time.perf_counter()
                subprocess.run([sys.executable, "-c", argv], env=env, check=True, cwd=ROOT)
                bucket.append((time.perf_counter() - start) * 1000)
    return statistics.median(bare), statistics.median(source), statistics.median(cached)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=200)
    parser.add_argument("--difflib-replies", type=int, default=5)
    parser.add_argument("--wall", action="store_true", help="wall time instead of CPU time")
    args = parser.parse_args()
    global clock
    clock = time.perf_counter if args.wall else time.process_time
    print(f"clock: {'wall time' if args.wall else 'CPU time of this process'}; "
          "bytecode: compiled at import, outside the timings (import timed at the end)")
    scenario = largest_scenario()
    played = matcher_for(scenario)
    print(f"largest scenario {scenario.id!r}: {len(played.phrases)} phrases, {len(played.patterns)} patterns "
          f"in {len(scenario.markers)} markers (libraries included)")
    short = replies(args.replies)
    for text in against_rapidfuzz(scenario, short, REPLY_WORDS, 3.0):
        print(text)
    long = replies(max(args.replies // 2, 20), seed=2, size=200)
    for text in against_rapidfuzz(scenario, long, 200, 1.5):
        print(text)

    print()
    markers, count = [], 0
    for marker in scenario.markers:
        if count >= MIN_PHRASES:
            break
        markers.append(marker)
        count += len(marker.phrases)
    small = Matcher(markers, Synonyms(scenario.synonyms), dict(scenario.classes))
    for text in short:
        small.match(text)  # every word seen once
    small_fuzz = PartialRatio(markers)
    times_500 = paired({"warm": small.match, "fuzz": small_fuzz.match}, short)
    warm_500 = times_500["warm"]
    print(f"first {MIN_PHRASES}+ phrases of {scenario.id!r}: {len(small.phrases)} phrases, {len(small.patterns)} patterns")
    print(line("coach, warm word cache", warm_500))
    print(line("rapidfuzz partial_ratio", times_500["fuzz"]))
    print(f"  {check('60 words against 500 phrases p50 <= 1 ms warm', statistics.median(warm_500) <= 1.0)}")

    print()
    synonyms, classes = Synonyms(scenario.synonyms), dict(scenario.classes)
    builds = {times: build_ms(copies(scenario.markers, times), synonyms, classes) for times in (1, 2, 4)}
    print("build (median of 5): " + ", ".join(
        f"{times}x ({sum(len(m.phrases) for m in copies(scenario.markers, times))} phrases) {ms:.1f} ms"
        for times, ms in builds.items())
          + f"; 4x/1x = {builds[4] / builds[1]:.2f} (linear: 4)")
    essay = " ".join(replies(200, seed=3))[:10_000]
    essay_ms = paired({"cold": lambda t: (played.clear_word_caches(), played.match(t))}, [essay] * 5)["cold"]
    print(f"one 10,000-character reply ({len(essay.split())} words; matched up to the budget), cold: "
          f"p50 {statistics.median(essay_ms):.1f} ms")
    bare, source, cached = import_ms()
    print(f"import coach.conversation.matcher (fresh interpreter, bare {bare:.0f} ms): "
          f"+{source - bare:.0f} ms compiling from source (as here), +{cached - bare:.0f} ms from bytecode")

    markers = all_markers()
    phrase_count = sum(len(m.phrases) for m in markers)
    matcher = Matcher(markers, all_synonyms())
    baseline = DifflibMatcher(markers)
    matcher.match(short[0])
    texts = short[: args.difflib_replies]
    times = paired({"coach": lambda t: (matcher.clear_word_caches(), matcher.match(t)), "difflib": baseline.match},
                   texts)
    print()
    print(f"every scenario: {phrase_count} phrases in {len(markers)} markers; {len(texts)} replies of {REPLY_WORDS} words")
    print(line("coach, cold word cache", times["coach"]))
    print(line("difflib windows", times["difflib"]))
    print(f"  difflib / coach (cold), medians: {versus(times['difflib'], times['coach'])[0]:.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
