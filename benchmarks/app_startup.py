"""Time from process start to coach's home screen ready for keys, against a bare Textual app.

Both are spawned alternately in the same run, N times each; each child writes the wall-clock
time at which its first screen has painted (coach: `COACH_APP_READY_FILE`, read by
`CoachApp.home_ready`) and exits. Prints medians and the ratio (target <= 1.3).

    python3 benchmarks/app_startup.py [-n 15] [--scenarios PATH]
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
        open(sys.argv[1], "w").write(f"{time.time():.6f}\\n")
        self.exit()

Bare().run()
"""


def run_once(command: list[str], ready: Path, env: dict[str, str]) -> float:
    ready.unlink(missing_ok=True)
    started = time.time()
    subprocess.run(command, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True, timeout=60)
    return float(ready.read_text()) - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=15, help="runs of each (default 15, at least 10)")
    parser.add_argument("--scenarios", action="append", default=[], help="extra scenario folders for coach")
    args = parser.parse_args()
    runs = max(args.n, 10)
    with tempfile.TemporaryDirectory() as folder:
        ready = Path(folder) / "ready"
        env = {**os.environ, "COACH_APP_READY_FILE": str(ready), "PYTHONPATH": str(ROOT), "TERM": "xterm-256color"}
        coach = [sys.executable, "-m", "coach", *(f"--scenarios={p}" for p in args.scenarios)]
        bare = [sys.executable, "-c", BARE_APP, str(ready)]
        timings: dict[str, list[float]] = {"bare": [], "coach": []}
        run_once(bare, ready, env)  # warm the file cache for both
        run_once(coach, ready, env)
        for _ in range(runs):
            timings["bare"].append(run_once(bare, ready, env))
            timings["coach"].append(run_once(coach, ready, env))
    medians = {name: statistics.median(values) for name, values in timings.items()}
    for name, values in timings.items():
        print(f"{name:6} median {medians[name] * 1000:7.1f} ms   min {min(values) * 1000:7.1f} ms   "
              f"max {max(values) * 1000:7.1f} ms   (n={len(values)})")
    ratio = medians["coach"] / medians["bare"]
    print(f"ratio coach/bare: {ratio:.2f} (target <= 1.30)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
