"""`coach validate` and `coach test` on many scenario files: wall time and peak memory.

    python benchmarks/authoring_scale.py [--files 1000] [--small 10] [--runs 1]

Makes FILES scenario files (copies of the bundled three with new ids) in a temporary folder
and runs each command on them in a child process, reporting wall time and the child's peak
RSS (`resource.getrusage(RUSAGE_CHILDREN)` read by a small wrapper around the one command).
The baseline, measured in the same run, is the same command on SMALL files, scaled linearly
to FILES (wall: startup + per-file cost x FILES; memory: the small run's peak): work that
grows faster than the number of files, or memory that grows with it, shows as a ratio above 1.
Targets (issue 11): <= 10 s wall and <= 400 MB peak RSS at 1,000 files.
Bytecode: children run with the environment's PYTHONDONTWRITEBYTECODE (on these machines set,
so every run compiles coach's modules, as a fresh checkout does); the catalog cache is off.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "scenarios"
TARGET_SECONDS, TARGET_MB = 10.0, 400

WRAPPER = ("import resource,subprocess,sys;"
           "p=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
           "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode)")


def make_files(folder: Path, count: int) -> None:
    """`count` scenario files: the bundled scenarios in turn, each with a new id."""
    originals = sorted(BUNDLED.glob("*.yaml"))
    for index in range(count):
        source = originals[index % len(originals)]
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"^id: (\S+)", lambda m: f"id: {m.group(1)}-copy-{index}", text, count=1, flags=re.M)
        (folder / f"{source.stem}-{index}.yaml").write_text(text, encoding="utf-8")


def measure(command: str, folder: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit status of `coach COMMAND FOLDER`."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", WRAPPER, sys.executable, "-m", "coach", command, str(folder)],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    wall = time.perf_counter() - start
    peak_kb, status = map(int, done.stdout.split())
    return wall, peak_kb / 1024, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--runs", type=int, default=1, help="runs of each measurement (medians are printed)")
    args = parser.parse_args()
    os.environ["COACH_NO_CACHE"] = "1"
    over = 0
    with tempfile.TemporaryDirectory() as base:
        empty, small, large = (Path(base) / name for name in ("empty", "small", "large"))
        for folder in (empty, small, large):
            folder.mkdir()
        make_files(small, args.small)
        make_files(large, args.files)
        (empty / "none.txt").write_text("")
        print(f"{args.files} files (copies of the bundled three); baseline: {args.small} files scaled linearly")
        for command in ("validate", "test"):
            figures = {}
            for name, folder in (("empty", empty), ("small", small), ("large", large)):
                runs = [measure(command, folder) for _ in range(args.runs)]
                figures[name] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
                                 runs[0][2])
            (w0, m0, _), (ws, ms, _), (wl, ml, status) = figures["empty"], figures["small"], figures["large"]
            per_file = max(ws - w0, 0.0) / args.small
            expected = w0 + per_file * args.files
            within = wl <= TARGET_SECONDS and ml <= TARGET_MB
            over += not within
            print(f"coach {command:8} {args.files} files: {wl:6.1f} s {ml:7.0f} MB (exit {status})  "
                  f"{'ok' if within else 'OVER'} (target <= {TARGET_SECONDS:.0f} s, <= {TARGET_MB} MB)")
            print(f"    baseline: no files {w0:5.2f} s {m0:5.0f} MB; {args.small} files {ws:5.2f} s {ms:5.0f} MB "
                  f"-> linear at {args.files}: {expected:6.1f} s, {ms:5.0f} MB; "
                  f"ratio {wl / expected:4.2f}x time, {ml / ms:4.2f}x memory")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
