"""Wall time of `coach list` against baselines measured alternately in the same run.

    python benchmarks/cli_startup.py [--runs 21] [--against REF]

Baselines, each run once per round, rounds interleaved so that the machine's load falls on
all of them alike: a bare interpreter (`python -c pass`) and the bare import of the command
(`import coach.cli`, no command run). With `--against REF` (a commit, e.g. `main`), that
commit's own `coach list` runs in the same rounds, from a copy of its tree (`git archive`)
in a temporary folder: before and after, on the same machine at the same moments. Each tree
has its own warm catalog cache entry (a warm-up run fills it), so both measure a warm start.

Also, in-process: reading the bundled catalog from its cache as the data-only JSON entry
(documents rebuilt into models) against unpickling the same catalog, the format the cache
used before (code could run on load).

Bytecode: PYTHONDONTWRITEBYTECODE is left as the environment sets it and printed; with it
set (as on these machines) every run compiles coach's modules (the copy of REF likewise).
`--bytecode` measures what an installed coach does instead: bytecode is written (to a
temporary PYTHONPYCACHEPREFIX, not into the tree) by the warm-up run and used by the timed
ones. The catalog cache is a temporary XDG_CACHE_HOME of the run's own, so entries written by
other programs on the machine never evict these.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


ENV = dict(os.environ)


def wall(argv: list[str], cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=cwd, env=ENV)
    return time.perf_counter() - start


def checkout(ref: str, folder: Path) -> Path:
    """The tree of `ref`, extracted into `folder` (no worktree, nothing left in the repository)."""
    archive = subprocess.run(["git", "archive", "--format=tar", ref], cwd=ROOT, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--against", metavar="REF", help="also time this commit's `coach list` in the same rounds")
    parser.add_argument("--bytecode", action="store_true",
                        help="let Python write and use bytecode (in a temporary PYTHONPYCACHEPREFIX), as an installed "
                             "coach does; by default the environment's PYTHONDONTWRITEBYTECODE stands")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ENV["XDG_CACHE_HOME"] = str(Path(folder) / "cache")  # this run's catalog cache, not other runs' entries
        if args.bytecode:
            ENV.pop("PYTHONDONTWRITEBYTECODE", None)
            ENV["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        print(f"PYTHONDONTWRITEBYTECODE={ENV.get('PYTHONDONTWRITEBYTECODE', '')!r}"
              f"{' (bytecode written to a temporary prefix and used)' if args.bytecode else ''}; "
              f"{args.runs} rounds, medians")
        commands: dict[str, tuple[list[str], Path]] = {
            "bare python (-c pass)": ([sys.executable, "-c", "pass"], ROOT),
            "import coach.cli": ([sys.executable, "-c", "import coach.cli"], ROOT),
            "coach list (this tree)": ([sys.executable, "-m", "coach", "list"], ROOT),
        }
        if args.against:
            other = checkout(args.against, Path(folder) / "tree")
            commands[f"coach list ({args.against})"] = ([sys.executable, "-m", "coach", "list"], other)
        for argv, cwd in commands.values():  # warm the disk cache, the bytecode and each catalog cache entry
            wall(argv, cwd)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (argv, cwd) in commands.items():
                times[name].append(wall(argv, cwd))
    bare = statistics.median(times["bare python (-c pass)"])
    now = statistics.median(times["coach list (this tree)"])
    for name, values in times.items():
        median = statistics.median(values)
        extra = "   (target < 250 ms)" if name == "coach list (this tree)" else ""
        print(f"{name:32} median {median * 1000:7.1f} ms  {median / bare:5.1f}x bare  {median / now:5.2f}x this tree{extra}")
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
            cached = catalog_cache._load(entry, yaml_files(files))
            assert cached is not None
            loader.build_catalog(*cached)
            new.append(time.perf_counter() - start)
        size = len(entry.read_bytes())
    o, n = statistics.median(old), statistics.median(new)
    print(f"catalog from cache, pickle (before)        median {o * 1000:6.1f} ms  ({len(pickled) / 1024:.0f} KiB)")
    print(f"catalog from cache, JSON + build (now)     median {n * 1000:6.1f} ms  "
          f"({size / 1024:.0f} KiB; {n / o:.1f}x pickle)")


if __name__ == "__main__":
    raise SystemExit(main())
