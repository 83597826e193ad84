"""Which half of the real-speech corpus a source page belongs to, and the one-off tool that
wrote the two halves from the collected pool.

Every utterance of one page goes to the same half. The half is fixed by a stable hash of the
page address (sha256 of SALT + address, lowest bit of the first byte), so anyone can check
where a page belongs without the pool. SALT was picked once, before any matcher was run on
the corpus, as the first of the candidate salts "coach-realspeech-0" .. "-199" that gave the
most even split of pages and of utterances per scenario; only counts were looked at.

    python benchmarks/realspeech/split.py POOL.yaml   # writes tune.yaml and test.yaml

The pool is a list of pages, each {source, title, items: [[text, scenario, [credits]]]}. It
was used once, on the day the test half was frozen (see README.md), and is not kept: new
material goes to tune.yaml only, and only from pages whose half is "tune".
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

SALT = "coach-realspeech-72"
HERE = Path(__file__).resolve().parent

TUNE_HEADER = """\
# Real speech, tuning half: utterances that mentors, managers and mentees say, quoted verbatim
# from public web pages, labelled with the scenario they would be said in and the
# (kind:briefing id) credits a trained observer would give them. Labelling rules:
# benchmarks/realspeech/README.md. Phrases and patterns may be tuned on this half; misses are
# printed by `python benchmarks/matcher_quality.py --details`.
# Each page's half is fixed by benchmarks/realspeech/split.py (hash of the address); add new
# material here only from pages whose half is "tune".
"""

TEST_HEADER = """\
# Real speech, FROZEN TEST HALF: utterances that mentors, managers and mentees say, quoted
# verbatim from public web pages, labelled with the scenario and the (kind:briefing id)
# credits a trained observer would give them (rules: benchmarks/realspeech/README.md).
# Frozen on 2026-11-30 and never to be edited. Never tune phrases, synonyms or patterns on
# it, and do not read its misses while tuning: it is the held-out measure of how the
# matcher does on speech nobody wrote for it. No page here appears in tune.yaml.
"""


def half_of(source: str) -> str:
    """'tune' or 'test' for the page at `source`."""
    return "test" if hashlib.sha256((SALT + source).encode("utf-8")).digest()[0] % 2 else "tune"


def _render(header: str, rows: list[dict]) -> str:
    out = [header, "utterances:"]
    for row in rows:
        out.append(f"  - text: {json.dumps(row['text'], ensure_ascii=False)}")
        out.append(f"    scenario: {row['scenario']}")
        out.append(f"    credits: {json.dumps(row['credits'], ensure_ascii=False)}")
        out.append(f"    source: {json.dumps(row['source'], ensure_ascii=False)}")
        out.append(f"    title: {json.dumps(row['title'], ensure_ascii=False)}")
    return "\n".join(out) + "\n"


def main(pool_path: str) -> int:
    import yaml

    pool = yaml.safe_load(Path(pool_path).read_text(encoding="utf-8"))
    halves: dict[str, list[dict]] = {"tune": [], "test": []}
    for page in pool:
        for text, scenario, credits in page["items"]:
            halves[half_of(page["source"])].append(
                {"text": text, "scenario": scenario, "credits": list(credits),
                 "source": page["source"], "title": page["title"]})
    (HERE / "tune.yaml").write_text(_render(TUNE_HEADER, halves["tune"]), encoding="utf-8")
    (HERE / "test.yaml").write_text(_render(TEST_HEADER, halves["test"]), encoding="utf-8")
    print({name: len(rows) for name, rows in halves.items()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
