"""Wall time of `coach list` against a bare interpreter, measured alternately in one run.

    python benchmarks/cli_startup.py [--runs 15]

Also, in-process: reading the bundled catalog from its cache as the data-only JSON entry
(documents rebuilt into models) against unpickling the same catalog, the format the cache
used before (code could run on load). Bytecode: PYTHONDONTWRITEBYTECODE is left as the
environment sets it; one warm-up run comes first, so with bytecode writing on, the timed runs
use it, and with it off (as on these machines) every run compiles coach's modules.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
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
    cache_formats(args.runs)
    return 0


def cache_formats(runs: int) -> None:
    """Median ms to get the bundled catalog from a cache entry: pickle (before) and JSON (now)."""
    import pickle

    from coach.scenario import catalog_cache, loader
    from coach.scenario.sources import scenario_paths, yaml_files

    files, documents, problems = loader.read_documents(scenario_paths([]))
    pickled = pickle.dumps(loader.build_catalog(files, documents, problems), protocol=pickle.HIGHEST_PROTOCOL)
    with tempfile.TemporaryDirectory() as folder:
        entry = Path(folder) / "entry.json"
        entry.write_text(catalog_cache._encode(documents, files, problems), encoding="ascii")
        entry.chmod(0o600)
        old, new = [], []
        for _ in range(runs):
            start = time.perf_counter()
            pickle.loads(pickled)
            old.append(time.perf_counter() - start)
            start = time.perf_counter()
            loader.build_catalog(*catalog_cache._load(entry, yaml_files(files)))
            new.append(time.perf_counter() - start)
    o, n = statistics.median(old), statistics.median(new)
    print(f"catalog from cache, pickle (before)        median {o * 1000:6.1f} ms  ({len(pickled) / 1024:.0f} KiB)")
    print(f"catalog from cache, JSON + build (now)     median {n * 1000:6.1f} ms  "
          f"({entry_size(documents, files, problems) / 1024:.0f} KiB; {n / o:.1f}x pickle)")


def entry_size(documents, files, problems) -> int:
    from coach.scenario import catalog_cache

    return len(catalog_cache._encode(documents, files, problems))


if __name__ == "__main__":
    raise SystemExit(main())
