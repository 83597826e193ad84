"""Matcher equivalence: record what the matcher says, then check a faster matcher says the same.

Speed work on `coach.conversation.matcher` must not change a single result. `record` freezes,
for each bundled scenario, the matcher's *inputs* (markers with their phrases, patterns and
thresholds, synonym groups, word classes) and its *outputs* (`match`: marker, score, phrase,
span and offsets, pattern parts; `explain`: every marker's verdict, as one digest per reply)
over a set of replies. `check` rebuilds the matchers from the frozen inputs, so the check
keeps its meaning while the scenario data moves on, and reports every reply whose output
differs.

Reply sets: `sample` (checked in as tests/fixtures/core/matcher_equivalence.json.gz and
checked by tests/core/test_matcher_equivalence.py: labelled replies, the real-speech tuning
half, marker examples, 600 random replies) and `full` (adds the real-speech test half, run
through the matcher only and never printed, and 1,400 random replies of 1-250 words per scenario).

    python benchmarks/matcher_equivalence.py record [--set full] [--out FILE]
    python benchmarks/matcher_equivalence.py check [FILE] [--derived]

`--derived` checks the matchers `coach validate` and `coach test` build (`Matcher.derive`: the
shared libraries compiled once, with another scenario's synonyms and classes) against the same record.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.matcher_quality import LABELLED, load_labelled, load_realspeech  # noqa: E402

from coach.conversation.matcher import Matcher  # noqa: E402
from coach.conversation.text import NEGATION_WORDS, STOP_WORDS, Synonyms, words  # noqa: E402
from coach.scenario.loader import load_catalog  # noqa: E402
from coach.scenario.models import Marker  # noqa: E402
from coach.scenario.patterns import parse_pattern  # noqa: E402
from coach.scenario.sources import bundled_folder  # noqa: E402

SAMPLE = ROOT / "tests" / "fixtures" / "core" / "matcher_equivalence.json.gz"
FULL = ROOT / "benchmarks" / ".matcher_equivalence_full.json.gz"  # not checked in (holds the test half)
PUNCTUATION = [",", ".", "?", "!", ";", " -", ":", "..."]


# -- inputs ---------------------------------------------------------------------------------

def scenario_inputs(scenario) -> dict:
    """What a scenario's matcher is built from, as plain data."""
    return {
        "markers": [{"id": m.id, "kind": m.kind, "briefing": list(m.briefing), "phrases": list(m.phrases),
                     "threshold": m.threshold,
                     "patterns": [{"text": p.text, "sources": list(p.sources)} for p in m.patterns]}
                    for m in scenario.markers],
        "synonyms": [list(group) for group in scenario.synonyms],
        "classes": {name: list(entries) for name, entries in scenario.classes},
    }


def build(inputs: dict) -> Matcher:
    """A matcher built from frozen inputs (see `scenario_inputs`)."""
    return Matcher(_markers(inputs), *_reading(inputs))


def build_derived(inputs: dict, other: dict) -> Matcher:
    """The same matcher derived (`Matcher.derive`, as `coach validate` and `coach test` build them)
    from the shared libraries compiled with `other` scenario's synonyms and classes, so that the
    library phrases and patterns the two read differently are recompiled."""
    markers = _markers(inputs)
    theirs = [m["id"] for m in other["markers"]]
    library = next((i for i, (ours, their) in enumerate(zip(markers, theirs)) if ours.id != their),
                   min(len(markers), len(theirs)))
    return Matcher(markers[:library], *_reading(other), shared=True).derive(markers, *_reading(inputs))


def _reading(inputs: dict) -> tuple[Synonyms, dict[str, tuple[str, ...]]]:
    return (Synonyms([tuple(g) for g in inputs["synonyms"]]),
            {name: tuple(entries) for name, entries in inputs["classes"].items()})


def _markers(inputs: dict) -> list[Marker]:
    markers = []
    for m in inputs["markers"]:
        patterns = []
        for p in m["patterns"]:
            parsed = parse_pattern(p["text"])
            patterns.append(type(parsed)(parsed.text, parsed.items, tuple(p["sources"]), parsed.excluded))
        markers.append(Marker(m["id"], m["kind"], tuple(m["briefing"]), tuple(m["phrases"]), "",
                              threshold=m["threshold"], patterns=tuple(patterns)))
    return markers


# -- replies --------------------------------------------------------------------------------

def random_replies(inputs: dict, count: int, most_words: int, seed: int) -> list[str]:
    """Replies built from the scenario's own words, stop words, negations, typos and punctuation,
    so phrases, patterns, negation and clause rules are all exercised."""
    rng = random.Random(seed)
    vocab = sorted({w for m in inputs["markers"] for p in m["phrases"] for w in p.split()}
                   | {w for entries in inputs["classes"].values() for e in entries for w in e.split()})
    phrases = [p for m in inputs["markers"] for p in m["phrases"]]
    glue = sorted(STOP_WORDS | NEGATION_WORDS) + ["don't", "won't", "I'm", "you're", "why not", "um"]
    out = []
    for _ in range(count):
        size = rng.choice([rng.randint(1, 12), rng.randint(1, 70), rng.randint(1, most_words)])
        parts: list[str] = []
        while len(parts) < size:
            roll = rng.random()
            if roll < 0.25:
                parts.extend(rng.choice(phrases).split())
            elif roll < 0.55:
                parts.append(rng.choice(vocab))
            elif roll < 0.85:
                parts.append(rng.choice(glue))
            elif roll < 0.93:
                word = rng.choice(vocab)
                k = rng.randrange(len(word))
                parts.append(word[:k] + rng.choice("aeiouxt") * rng.randint(0, 1) + word[k + 1:])
            else:
                parts.append(rng.choice(PUNCTUATION))
        text = " ".join(parts[:size])
        out.append(text[0].upper() + text[1:] if text else text)
    return out


def reply_sets(catalog, full: bool) -> dict[str, list[tuple[str, str]]]:
    """Per scenario id: [(source, reply)]. `source` says where a reply came from."""
    per: dict[str, list[tuple[str, str]]] = {sid: [] for sid in catalog.scenarios}
    for path in sorted(LABELLED.glob("*.yaml")):
        scenario, rows = load_labelled(path)
        per[scenario] += [("labelled", text) for text, _, _ in rows]
    for half in ("tune", "test") if full else ("tune",):
        for scenario, text, *_ in load_realspeech(half):
            per[scenario].append((f"realspeech-{half}", text))
    for sid, scenario in catalog.scenarios.items():
        for marker in scenario.markers:
            per[sid] += [("example", text) for text in (*marker.examples.match, *marker.examples.no_match)]
    return per


# -- outputs --------------------------------------------------------------------------------

def outputs(matcher: Matcher, text: str) -> dict:
    """What the matcher says about one reply: matches in full, every verdict as a digest."""
    matches = [[m.marker.id, round(m.score, 6), m.phrase, m.span, m.start, m.end, [list(p) for p in m.parts]]
               for m in matcher.match(text)]
    verdicts = [[v.marker.id, v.fired, v.reason, round(v.score, 6), v.threshold, v.phrase, v.span, v.start, v.end,
                 [list(p) for p in v.parts]] for v in matcher.explain(text)]
    digest = hashlib.sha1(json.dumps(verdicts, ensure_ascii=False).encode()).hexdigest()[:16]
    return {"match": matches, "explain": digest}


def record(full: bool) -> dict:
    catalog = load_catalog([bundled_folder()])
    replies = reply_sets(catalog, full)
    data: dict = {"scenarios": {}}
    for index, (sid, scenario) in enumerate(sorted(catalog.scenarios.items())):
        inputs = scenario_inputs(scenario)
        count, most = (1400, 250) if full else (200, 120)
        rows = replies[sid] + [("random", t) for t in random_replies(inputs, count, most, seed=index + 1)]
        rows.append(("long", " ".join(t for _, t in rows[:40])))  # one very long reply
        matcher = build(inputs)
        data["scenarios"][sid] = {
            "inputs": inputs,
            "replies": [{"source": source, "text": text, **outputs(matcher, text)} for source, text in rows],
        }
    return data


def differences(data: dict, derived: bool = False) -> list[str]:
    """One line per reply whose output differs from the recorded one (test-half texts not shown).
    `derived`: each scenario's matcher derived from libraries compiled with the next scenario's
    synonyms and classes (see `build_derived`)."""
    found = []
    ids = sorted(data["scenarios"])
    for sid, recorded in data["scenarios"].items():
        other = data["scenarios"][ids[(ids.index(sid) + 1) % len(ids)]]["inputs"]
        matcher = build_derived(recorded["inputs"], other) if derived else build(recorded["inputs"])
        for number, row in enumerate(recorded["replies"]):
            now = outputs(matcher, row["text"])
            if now != {"match": row["match"], "explain": row["explain"]}:
                shown = "(test half: not shown)" if row["source"] == "realspeech-test" else repr(row["text"][:120])
                detail = "" if row["source"] == "realspeech-test" else f"\n    was {row['match']}\n    now {now['match']}"
                found.append(f"{sid} #{number} {row['source']}: {shown}{detail}")
    return found


def load(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("--set", choices=("sample", "full"), default="sample")
    rec.add_argument("--out", type=Path)
    chk = sub.add_parser("check")
    chk.add_argument("file", type=Path, nargs="?", default=FULL)
    chk.add_argument("--derived", action="store_true",
                     help="check matchers derived from shared libraries (as validate and test build them)")
    args = parser.parse_args()
    if args.command == "record":
        full = args.set == "full"
        out = args.out or (FULL if full else SAMPLE)
        data = record(full)
        with gzip.GzipFile(out, "wb", mtime=0) as handle:
            handle.write(json.dumps(data, ensure_ascii=False, sort_keys=True).encode())
        total = sum(len(s["replies"]) for s in data["scenarios"].values())
        print(f"recorded {total} replies over {len(data['scenarios'])} scenarios in {out}")
        return 0
    data = load(args.file)
    found = differences(data, derived=args.derived)
    total = sum(len(s["replies"]) for s in data["scenarios"].values())
    for line in found:
        print(line)
    print(f"{total - len(found)} of {total} replies give the recorded output; {len(found)} differ")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
