"""`coach validate` and `coach test` on many scenario files: wall time, CPU time and peak memory.

    python benchmarks/authoring_scale.py [--files 1000] [--small 10] [--runs 1] [--jobs N]

Makes FILES scenario files in a temporary folder, like an author's folder: the bundled three in
turn, each file with its own id, its own synonym group and its own entry in the `occasion` word
class (so no two files read the shared libraries alike, as two stories' nouns would not; the
only thing kept for the whole run is each marker library compiled once, nothing keyed on a
file's content). Each command runs in a child process with its default `--jobs` (one process
per core) or `--jobs N`, cold: the catalog cache is off and nothing is remembered between runs.
Printed per command: wall time, CPU time (user + system, every process), peak RSS of the
largest process and peak RSS of all its processes together (sampled every 20 ms), and the
load average while it ran (the machine is shared: wall time waits for a free core).
The baseline, measured in the same run, is the same command on SMALL files (one process,
`--jobs 1`), scaled linearly to FILES (startup + per-file cost x FILES), for wall and CPU.
Targets (issue 11): <= 10 s wall and <= 400 MB peak RSS (all processes) at 1,000 files.
Bytecode: children run with the environment's PYTHONDONTWRITEBYTECODE (on these machines set,
so every run compiles coach's modules, as a fresh checkout does).
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

# Runs one command, sampling the RSS of it and its children; prints peak single-process RSS
# (KB), peak total RSS (KB), CPU seconds of every child, and the exit status.
WRAPPER = r"""
import os, resource, subprocess, sys, time
def tree(pid):
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return pids
def rss(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
total = 0
while child.poll() is None:
    total = max(total, sum(rss(p) for p in tree(child.pid)))
    time.sleep(0.02)
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(use.ru_maxrss, total, use.ru_utime + use.ru_stime, child.returncode)
"""


def make_files(folder: Path, count: int) -> None:
    """`count` scenario files: the bundled scenarios in turn, each with its own id, synonym
    group and `occasion` entry."""
    originals = sorted(BUNDLED.glob("*.yaml"))
    for index in range(count):
        source = originals[index % len(originals)]
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"^id: (\S+)", lambda m: f"id: {m.group(1)}-copy-{index}", text, count=1, flags=re.M)
        text = re.sub(r"^synonyms:\n", f"synonyms:\n  - [project {index}, project number {index}]\n", text,
                      count=1, flags=re.M)
        text = re.sub(r"^  occasion: \[", f"  occasion: [review {index} meeting, ", text, count=1, flags=re.M)
        (folder / f"{source.stem}-{index}.yaml").write_text(text, encoding="utf-8")


def measure(command: str, folder: Path, jobs: int | None) -> tuple[float, float, float, float, int, float]:
    """Wall seconds, peak RSS of one process and of all (MB), CPU seconds, exit status and the
    1-minute load average at the end, of `coach COMMAND FOLDER`."""
    start = time.perf_counter()
    extra = [] if jobs is None else ["--jobs", str(jobs)]
    done = subprocess.run([sys.executable, "-c", WRAPPER, sys.executable, "-m", "coach", command, *extra,
                           str(folder)], capture_output=True, text=True, cwd=ROOT, check=True)
    wall = time.perf_counter() - start
    one_kb, all_kb, cpu, status = done.stdout.split()
    return wall, int(one_kb) / 1024, int(all_kb) / 1024, float(cpu), int(status), os.getloadavg()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--runs", type=int, default=1, help="runs of each measurement (medians are printed)")
    parser.add_argument("--jobs", type=int, help="--jobs for the large run (default: the command's own)")
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
        print(f"{args.files} distinct scenario files; baseline: {args.small} files (one process) scaled linearly; "
              f"{os.cpu_count()} cores, load average before: {os.getloadavg()[0]:.1f}")
        for command in ("validate", "test"):
            figures = {}
            for name, folder, jobs in (("empty", empty, 1), ("small", small, 1), ("large", large, args.jobs)):
                runs = [measure(command, folder, jobs) for _ in range(args.runs)]
                figures[name] = [statistics.median(run[k] for run in runs) for k in range(6)]
            (w0, _, _, c0, _, _), (ws, _, ms, cs, _, _) = figures["empty"], figures["small"]
            wl, one, total, cl, status, load = figures["large"]
            wall_expected = w0 + max(ws - w0, 0.0) / args.small * args.files
            cpu_expected = c0 + max(cs - c0, 0.0) / args.small * args.files
            within = wl <= TARGET_SECONDS and total <= TARGET_MB
            over += not within
            print(f"coach {command:8} {args.files} files: {wl:6.1f} s wall, {cl:6.1f} s CPU, peak RSS {one:4.0f} MB "
                  f"one process / {total:4.0f} MB all (exit {int(status)}, load {load:.1f})  "
                  f"{'ok' if within else 'OVER'} (target <= {TARGET_SECONDS:.0f} s, <= {TARGET_MB} MB)")
            print(f"    baseline: no files {w0:5.2f} s ({c0:4.2f} s CPU); {args.small} files {ws:5.2f} s "
                  f"({cs:4.2f} s CPU, {ms:4.0f} MB) -> linear at {args.files}: {wall_expected:6.1f} s wall, "
                  f"{cpu_expected:6.1f} s CPU; ratio {wl / wall_expected:4.2f}x wall, {cl / cpu_expected:4.2f}x CPU")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
