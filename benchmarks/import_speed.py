"""`coach import` of a folder of session exports: 20,000 files in one command (target <= 30 s).

Writes N `coach-session/2` files (real sessions of the bundled scenarios, played once each and
then given N distinct ids, workshops and participants), then in the same run measures:

- floor: reading and parsing every file with `json.loads`, nothing checked or written;
- per file: the old way, one transaction per file, on a sample, scaled up to N (an estimate);
- `coach import FOLDER`: the real command in a fresh process, into an empty database
  (every file checked first, then a transaction per batch of files), wall and CPU time
  (on a shared machine the CPU time says what the command costs when it has a core).

Each import runs in a subprocess with `PYTHONDONTWRITEBYTECODE=1` as set for the project, so
both pay for compiling coach's modules the same way; the fresh-process figure includes start-up.

    python3 benchmarks/import_speed.py [-n 20000] [--sample 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.conversation.engine import replay
from coach.conversation.record import SessionRecord, export_json
from coach.records.exports import record_of_session
from coach.scenario.catalog_cache import load_default_catalog

REPLIES = ["you can tell me if you disagree", "do as I say", "let us meet every two weeks",
           "I will write up what we agreed", "what do you think went wrong?"]

PER_FILE = """
import sys, time
from pathlib import Path
from coach.records.exports import read_file
from coach.records.store import Store
paths = sorted(Path(sys.argv[1]).glob("*.json"))[: int(sys.argv[3])]
start = time.perf_counter()
with Store.open(sys.argv[2]) as store:
    for path in paths:
        store.insert_record(read_file(path))  # one transaction per file
print(time.perf_counter() - start)
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def write_exports(folder: Path, count: int) -> int:
    """`count` export files; returns their total size in bytes."""
    catalog = load_default_catalog([])
    played: list[SessionRecord] = []
    for n, scenario in enumerate(catalog.scenarios.values()):
        session = replay(scenario, REPLIES, seed=n)
        session.close()
        played.append(record_of_session(session, session_id="template", started="2026-11-01T10:00:00+00:00"))
    total = 0
    for n in range(count):
        record = played[n % len(played)]
        summary = record.summary.__class__(**{**record.summary.to_dict(), "id": f"bench{n:07d}",
                                              "workshop": f"room-{n % 40}", "participant": f"person-{n % 25}"})
        text = export_json(SessionRecord(summary, record.scenario_hash, record.opening, record.turns, record.report))
        (folder / f"coach-{n:07d}.json").write_text(text, encoding="utf-8")
        total += len(text)
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=1000, help="files imported one transaction each")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryDirectory() as temporary:
        tmp = Path(temporary)
        folder = tmp / "exports"
        folder.mkdir()
        start = time.perf_counter()
        size = write_exports(folder, args.n)
        print(f"wrote {args.n} exports ({size / 2**20:.1f} MiB) in {time.perf_counter() - start:.1f} s")

        start = time.perf_counter()
        for path in folder.iterdir():
            json.loads(path.read_bytes())
        floor = time.perf_counter() - start

        sample = min(args.sample, args.n)
        out = subprocess.run([sys.executable, "-c", PER_FILE, str(folder), str(tmp / "per-file.sqlite3"), str(sample)],
                             check=True, capture_output=True, text=True, cwd=ROOT, env=env).stdout
        per_file = float(out) * args.n / sample

        start, cpu = time.perf_counter(), _children_cpu()
        subprocess.run([sys.executable, "-m", "coach", "import", "--db", str(tmp / "batched.sqlite3"), str(folder)],
                       check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
        batched, batched_cpu = time.perf_counter() - start, _children_cpu() - cpu
        imported = subprocess.run([sys.executable, "-m", "coach", "history", "--json", "--db",
                                   str(tmp / "batched.sqlite3")], check=True, capture_output=True, cwd=ROOT, env=env)
        count = len(json.loads(imported.stdout))
    print(f"floor: read + json.loads       {floor:7.2f} s")
    print(f"one transaction per file       {per_file:7.2f} s   (estimated from {sample} files)")
    print(f"coach import FOLDER            {batched:7.2f} s   ({count} sessions, {count / batched:,.0f}/s; "
          f"target <= 30 s; {per_file / batched:.1f}x faster than per file, {batched / floor:.1f}x the floor)")
    print(f"  of which CPU time              {batched_cpu:7.2f} s   (wall time above it is waiting: disk, or other "
          f"processes on a shared machine; load average now {os.getloadavg()[0]:.1f})")
    return 0 if count == args.n else 1


if __name__ == "__main__":
    raise SystemExit(main())
