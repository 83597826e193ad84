"""Records databases of any size for the benchmarks, made in seconds.

The schema comes from `Store.open` (so it is exactly what coach makes and migrates to); the
rows go in with direct SQL in one transaction (100,000 sessions and 400,000 turns take a few
seconds, where playing them would take hours). Every 50th session carries the turns and report of
a real playthrough of a bundled scenario (what `show` renders; all of them would make 100k
sessions 1.7 GB and a minute to write), the others a short turn each; sessions are spread over
the bundled scenarios, a second apart, outcomes mixed, about one in twenty left open.
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from coach.records.store import Store

SCENARIOS = ("hard-feedback", "onboarding-talk", "ending-mentoring")
OUTCOMES = ("strong", "mixed", "poor", "unfinished")


def _played() -> dict[str, tuple[str, list[str], str]]:
    """Per bundled scenario: its first playthrough's turns and report, as JSON text."""
    from coach.conversation.engine import replay
    from coach.conversation.record import to_json
    from coach.scenario.catalog_cache import load_default_catalog

    catalog = load_default_catalog()
    played = {}
    for scenario_id in SCENARIOS:
        scenario = catalog.scenario(scenario_id)
        session = replay(scenario, scenario.playthroughs[0].replies)
        played[scenario_id] = (session.opening, [to_json(t) for t in session.turns], to_json(session.report()))
    return played


def make_database(path: Path, sessions: int, seed: int = 1) -> list[str]:
    """A records database at `path` with `sessions` sessions; returns the ids of those that
    carry a real playthrough (a `show` of one of them renders a whole report)."""
    Store.open(path).close()
    played = _played()
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    ids: list[str] = []
    session_rows, turn_rows = [], []
    for n in range(sessions):
        sid = f"{rng.getrandbits(48):012x}"
        started = (start + timedelta(seconds=n)).isoformat(timespec="seconds")
        is_open = rng.random() < 0.05
        outcome = None if is_open else rng.choice(OUTCOMES)
        ended = None if is_open else (start + timedelta(seconds=n, minutes=5)).isoformat(timespec="seconds")
        scenario = SCENARIOS[n % len(SCENARIOS)]
        opening, turns, report = played[scenario]
        if n % 50 == 0:
            ids.append(sid)
        else:
            turns, report = turns[:1], None
        session_rows.append((sid, scenario, scenario, "0" * 16, 0, "practice", opening, started, ended, outcome,
                             rng.randrange(4), 4, 0, None if is_open else report))
        for idx, turn in enumerate(turns):
            turn_rows.append((sid, idx, json.loads(turn)["reply"], 0, turn, started))
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO sessions (id, scenario, title, scenario_hash, seed, mode, opening, started, ended, outcome,"
            " goals_met, goals_total, hints_used, report) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", session_rows)
        db.executemany("INSERT INTO turns (session, idx, reply, hints, data, at) VALUES (?,?,?,?,?,?)", turn_rows)
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    return ids
