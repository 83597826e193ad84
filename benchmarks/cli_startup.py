"""Wall time of `coach list` against a bare interpreter, measured alternately in one run.

    python benchmarks/cli_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    bare, listing = [], []
    wall([sys.executable, "-m", "coach", "list"])  # warm the disk cache and bytecode
    for _ in range(args.runs):
        bare.append(wall([sys.executable, "-c", "pass"]))
        listing.append(wall([sys.executable, "-m", "coach", "list"]))
    b, c = statistics.median(bare), statistics.median(listing)
    print(f"bare python      median {b * 1000:7.1f} ms")
    print(f"coach list       median {c * 1000:7.1f} ms   (target < 250 ms; {c / b:.1f}x bare)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
