"""Records at scale: `coach history --limit 20` and `coach show ID` against `coach list`.

For each size (1k, 10k, 100k sessions by default) a database is generated with direct SQL
(`records_data.py`), then the three commands run as separate processes, in rotating order
within each round, N rounds; each prints medians and the ratio to `coach list` measured in
the same rounds (target at 100k: <= 1.5x). It also times `Store.open` in-process per size,
to show opening does not grow with the database.

Bytecode: this machine sets PYTHONDONTWRITEBYTECODE=1, so a checkout without `__pycache__`
compiles every module on every run. The children here use a private PYTHONPYCACHEPREFIX,
filled by one untimed warm-up run of each command with writing allowed; timed runs then read
that bytecode and write none (so all three commands are timed with warm bytecode, as an
installed coach runs). `--cold` leaves bytecode off entirely (every run compiles).

    python benchmarks/records_scale.py [-n 11] [--sizes 1000 10000 100000] [--cold]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.records_data import ROOT, make_database
from coach.records.store import Store


def child_env(pycache: Path | None, write: bool, db: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COACH_DB": str(db)}
    if pycache is not None:
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    if write and pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def wall(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=120)
    return time.perf_counter() - started


def open_cost(path: Path, runs: int = 25) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        Store.open(path).close()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=11, help="rounds (default 11)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--cold", action="store_true", help="no bytecode cache: every run compiles")
    args = parser.parse_args()
    python = [sys.executable, "-m", "coach"]
    print(f"bytecode: {'none (every run compiles)' if args.cold else 'warm, private PYTHONPYCACHEPREFIX'}; "
          f"{args.n} rounds, commands in rotating order; wall time of whole processes")
    with tempfile.TemporaryDirectory() as folder:
        pycache = None if args.cold else Path(folder) / "pycache"
        for size in args.sizes:
            db = Path(folder) / f"records-{size}.sqlite3"
            started = time.perf_counter()
            ids = make_database(db, size)
            made = time.perf_counter() - started
            commands = {
                "coach list": [*python, "list"],
                "history --limit 20": [*python, "history", "--limit", "20"],
                "show ID": [*python, "show", ids[len(ids) // 2][:8]],
            }
            for argv in commands.values():  # untimed: fills the bytecode cache, warms the disk cache
                wall(argv, child_env(pycache, True, db))
            env = child_env(pycache, False, db)
            timings: dict[str, list[float]] = {name: [] for name in commands}
            names = list(commands)
            for round_ in range(args.n):
                for name in names[round_ % 3:] + names[:round_ % 3]:
                    timings[name].append(wall(commands[name], env))
            medians = {name: statistics.median(values) for name, values in timings.items()}
            base = medians["coach list"]
            print(f"\n{size:,} sessions (made in {made:.1f} s, "
                  f"{db.stat().st_size / 1e6:.0f} MB); Store.open median {open_cost(db) * 1000:.2f} ms")
            for name, value in medians.items():
                ratio = "baseline" if name == "coach list" else f"{value / base:.2f}x coach list"
                target = "" if name == "coach list" or size < 100000 else "  (target <= 1.50x)"
                print(f"  {name:20} median {value * 1000:7.1f} ms   {ratio}{target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
