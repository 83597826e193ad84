"""A process that records sessions, for the load and kill tests (run as a script).

    worker.py play DB SESSIONS SEED   say "ready", wait for a line on stdin (so all start
                                      together), play SESSIONS sessions, print figures as JSON
    worker.py hang DB                 play two turns, say so, then wait to be killed
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout, when run as a script

from coach.conversation.engine import Session
from coach.records import RecordingListener
from coach.records.store import Store
from tests.records.conftest import POOR, SCENARIO, STRONG, fixture_catalog


def play(db: str, sessions: int, seed: int) -> None:
    scenario = fixture_catalog().scenario(SCENARIO)
    latencies: list[float] = []
    turns = 0
    with Store.open(db) as store:
        print("ready", flush=True)
        sys.stdin.readline()
        for n in range(sessions):
            session = Session(scenario, seed=seed + n, listeners=[RecordingListener(store, None, f"w{seed}")])
            for text in (STRONG if n % 2 == 0 else POOR):
                started = time.perf_counter()
                session.reply(text)
                latencies.append(time.perf_counter() - started)
                turns += 1
    print(json.dumps({"turns": turns, "median_ms": 1000 * statistics.median(latencies),
                      "max_ms": 1000 * max(latencies)}))


def hang(db: str) -> None:
    scenario = fixture_catalog().scenario(SCENARIO)
    store = Store.open(db)
    listener = RecordingListener(store)
    session = Session(scenario, seed=9, listeners=[listener])
    session.reply(STRONG[0])
    session.hint()
    session.reply(STRONG[1])
    print(f"ready {listener.session_id}", flush=True)
    time.sleep(60)


if __name__ == "__main__":
    if sys.argv[1] == "play":
        play(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        hang(sys.argv[2])
