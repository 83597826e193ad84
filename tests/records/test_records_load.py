"""Load and faults: many processes writing at once, and a process killed mid-session.

These print figures (run with -s to see them); what they assert is that nothing is lost.
"""

from __future__ import annotations

import json
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from coach.conversation.engine import replay
from coach.records import resume
from coach.records.store import Store

from .conftest import STRONG

WORKER = Path(__file__).resolve().parent / "worker.py"
PROCESSES, SESSIONS = 20, 4


def test_twenty_processes_record_into_one_database_without_losing_a_turn(db_path: Path) -> None:
    Store.open(db_path).close()  # the schema exists; the workers race on everything else
    workers = [subprocess.Popen([sys.executable, str(WORKER), "play", str(db_path), str(SESSIONS), str(100 * n)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for n in range(PROCESSES)]
    for worker in workers:  # every process loaded and connected: now all of them write at once
        assert worker.stdout.readline() == "ready\n", worker.stderr.read()
    started = time.perf_counter()
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.close()
    results = [(worker.stdout.read(), worker.stderr.read()) for worker in workers]
    for worker in workers:
        worker.wait(timeout=120)
    elapsed = time.perf_counter() - started
    for worker, (_, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0, err
        assert "locked" not in err
    figures = [json.loads(out.splitlines()[-1]) for out, _ in results]
    sent = sum(f["turns"] for f in figures)
    with Store.open(db_path) as store:
        sessions = store.sessions()
        stored = sum(s.turns for s in sessions)
        assert len(sessions) == PROCESSES * SESSIONS
        assert all(s.ended is not None for s in sessions)
        assert sum(s.outcome == "strong" for s in sessions) == PROCESSES * SESSIONS // 2
    assert stored == sent == PROCESSES * (SESSIONS // 2) * 5
    print(f"\n{PROCESSES} processes, {sent} turns in {elapsed:.2f}s: {sent / elapsed:.0f} turns/s; "
          f"commit latency per turn median {statistics.median(f['median_ms'] for f in figures):.1f} ms, "
          f"worst {max(f['max_ms'] for f in figures):.0f} ms")


def test_a_process_killed_mid_session_loses_nothing_and_can_be_resumed(db_path: Path, scenario) -> None:
    worker = subprocess.Popen([sys.executable, str(WORKER), "hang", str(db_path)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        line = worker.stdout.readline()
        assert line.startswith("ready "), worker.stderr.read()
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        worker.kill()
    session_id = line.split()[1]
    with Store.open(db_path) as store:
        record = store.session(session_id)
        assert record.summary.is_open and record.replies == STRONG[:2]
        assert record.summary.hints_used == 1 and record.turns[1].hints == 1
        session = resume(store, scenario, session_id)
        session.reply(STRONG[2])
        finished = store.session(session_id)
    expected = replay(scenario, STRONG, seed=9)
    assert finished.summary.outcome == "strong"
    assert list(finished.turns) == [replace(t, hints=n) for t, n in zip(expected.turns, (0, 1, 0), strict=True)]
    print(f"\nkilled with SIGKILL after {len(record.turns)} turns: all {len(record.turns)} kept, resumed to the end")
