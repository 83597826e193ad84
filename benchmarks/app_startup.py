"""Time from process start to coach's home screen, against a bare Textual app, in one run.

Four children are spawned in rotating order each round, N rounds; each writes the wall-clock
time at which it is ready and the CPU time it has used by then (all threads, `time.process_time`)
to `COACH_APP_READY_FILE` (read by `CoachApp`) and exits:

- bare: a Textual app with one Static, ready at its first paint (the baseline);
- coach, first paint: home painted, filter focused, list filled (`COACH_APP_READY_WHEN=paint`);
- coach, last results, empty database: the records opened (in a worker) and home showing
  each scenario's last result (`COACH_APP_READY_WHEN=results`): what a returning user waits for;
- coach, last results, 100,000 sessions (generated with direct SQL, `records_data.py`).

Prints medians and ratios to bare, wall clock (the targets: first paint <= 1.3, last results
<= 1.2 with an empty database and <= 1.3 with 100k sessions) and CPU time (the same comparison,
much less disturbed when other processes share the two cores: wall time then mostly measures
waiting for a core).

Bytecode: PYTHONDONTWRITEBYTECODE=1 is set on this machine; the children use a private
PYTHONPYCACHEPREFIX filled by one untimed warm-up run of each with writing allowed, then
read it (warm bytecode, as an installed coach runs). `--cold`: no bytecode at all.

    python3 benchmarks/app_startup.py [-n 15] [--sessions 100000] [--scenarios PATH] [--cold]
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.records_data import make_database

BARE_APP = """
import sys, time
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("hello")

    def on_mount(self):
        self.call_after_refresh(self.ready)

    def ready(self):
        open(sys.argv[1], "w").write(f"{time.time():.6f} {time.process_time():.6f}\\n")
        self.exit()

Bare().run()
"""


def run_once(command: list[str], ready: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawning `command` to the time it wrote to `ready`, and the CPU seconds it had used."""
    ready.unlink(missing_ok=True)
    started = time.time()
    subprocess.run(command, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True, timeout=60)
    wall, cpu = ready.read_text().split()
    return float(wall) - started, float(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=15, help="rounds (default 15, at least 10)")
    parser.add_argument("--sessions", type=int, default=100_000, help="sessions in the big database")
    parser.add_argument("--scenarios", action="append", default=[], help="extra scenario folders for coach")
    parser.add_argument("--cold", action="store_true", help="no bytecode cache: every run compiles")
    args = parser.parse_args()
    runs = max(args.n, 10)
    with tempfile.TemporaryDirectory() as folder:
        ready = Path(folder) / "ready"
        empty, big = Path(folder) / "empty.sqlite3", Path(folder) / "big.sqlite3"
        make_database(empty, 0)
        make_database(big, args.sessions)
        base = {**os.environ, "COACH_APP_READY_FILE": str(ready), "PYTHONPATH": str(ROOT), "TERM": "xterm-256color",
                "PYTHONDONTWRITEBYTECODE": "1"}
        if not args.cold:
            base["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        coach = [sys.executable, "-m", "coach", *(f"--scenarios={p}" for p in args.scenarios)]
        children = {
            "bare": ([sys.executable, "-c", BARE_APP, str(ready)], {}),
            "coach, first paint": (coach, {"COACH_DB": str(empty), "COACH_APP_READY_WHEN": "paint"}),
            "coach, last results, empty db": (coach, {"COACH_DB": str(empty), "COACH_APP_READY_WHEN": "results"}),
            f"coach, last results, {args.sessions:,} sessions": (
                coach, {"COACH_DB": str(big), "COACH_APP_READY_WHEN": "results"}),
        }
        for command, extra in children.values():  # untimed: bytecode written, disk cache warm
            warm = {**base, **extra}
            if not args.cold:
                warm.pop("PYTHONDONTWRITEBYTECODE")
            run_once(command, ready, warm)
        timings: dict[str, list[float]] = {name: [] for name in children}
        cpu: dict[str, list[float]] = {name: [] for name in children}
        names = list(children)
        for round_ in range(runs):
            for name in names[round_ % len(names):] + names[:round_ % len(names)]:
                command, extra = children[name]
                wall, used = run_once(command, ready, {**base, **extra})
                timings[name].append(wall)
                cpu[name].append(used)
    medians = {name: statistics.median(values) for name, values in timings.items()}
    cpu_medians = {name: statistics.median(values) for name, values in cpu.items()}
    targets = [None, 1.30, 1.20, 1.30]
    print(f"bytecode: {'none (every run compiles)' if args.cold else 'warm, private PYTHONPYCACHEPREFIX'}; "
          f"{runs} rounds, children in rotating order")
    for (name, values), target in zip(timings.items(), targets, strict=True):
        ratio = "baseline" if target is None else f"{medians[name] / medians['bare']:.2f}x bare (target <= {target:.2f})"
        print(f"{name:38} median {medians[name] * 1000:7.1f} ms   min {min(values) * 1000:7.1f}   "
              f"max {max(values) * 1000:7.1f}   {ratio}")
    print("CPU time until ready (all threads), medians:")
    for name, target in zip(cpu_medians, targets, strict=True):
        ratio = "baseline" if target is None else f"{cpu_medians[name] / cpu_medians['bare']:.2f}x bare"
        print(f"{name:38} median {cpu_medians[name] * 1000:7.1f} ms   {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
