"""Cost of hostile scenario files: wall time and peak memory of `coach validate` on each.

    python benchmarks/hostile_files.py [--only NAME] [--timeout 60] [--command validate|test]

Every file is under 1 MiB (the size limit), built to make one part of reading, checking or
matching expensive: aliases that expand a large string many times, huge lists, deep nesting,
many phrases, very long phrases, many examples and playthroughs, big numbers. Each runs in
its own child process (`os.wait4` gives its peak RSS); the target is <= 2 s and <= 200 MB,
whether the file is refused or accepted. The baseline printed first is `coach validate` on
the small clean fixture in the same run, so a slow machine shows as a slow baseline.
Bytecode: the children run with the environment's PYTHONDONTWRITEBYTECODE (set here, so
every run pays the same compile cost as a user on a fresh checkout; figures include it).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "tests" / "authoring" / "fixtures" / "clean.yaml"
LIMIT = 1 << 20
TARGET_SECONDS, TARGET_MB = 2.0, 200

HEAD = """format: coach-scenario/1
id: hostile
title: Hostile
summary: Built to be expensive.
briefing: mentorship-dynamics
role: You mentor Kim.
counterpart: {name: Kim, role: Mentee, temperament: calm}
goals: [nearby.psychological-safety]
"""
TAIL = """start: opening
beats:
  - id: opening
    lines: [Hi.]
    hint: Ask.
    model_answer: I would like to hear your view.
    next: [{to: fine}]
endings:
  - {id: fine, outcome: strong, title: Fine, lines: [Thanks.], debrief: ["What worked?"]}
"""


def _marker(phrases: str, examples: str = "") -> str:
    return ("markers:\n  - id: m\n    kind: good\n    briefing: [nearby.psychological-safety]\n"
            f"    phrases: {phrases}\n    feedback: ok\n{examples}")


def _words(count: int, offset: int = 0) -> str:
    return " ".join(f"w{(i + offset) % 9973}" for i in range(count))


def _fill(make: Callable[[int], str]) -> str:
    """The largest `make(n)` under the size limit (doubling, then bisecting n)."""
    low, high = 1, 2
    while len(make(high).encode()) < LIMIT - 4096:
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if len(make(middle).encode()) < LIMIT - 4096 else (low, middle)
    return make(low)


def alias_phrases() -> str:
    """The issue's case: one 100,000-word string anchored, reused 200 times as phrases."""
    refs = "\n".join("      - *big" for _ in range(199))
    return (HEAD + "markers:\n  - id: m\n    kind: good\n    briefing: [nearby.psychological-safety]\n"
            f"    phrases:\n      - &big {_words(100_000)}\n{refs}\n    feedback: ok\n" + TAIL)


def alias_lists() -> str:
    """A list of 1,000 phrases anchored once and reused as the phrases of 500 markers."""
    phrases = "[" + ", ".join(_words(6, i * 7) for i in range(1000)) + "]"
    markers = [f"  - {{id: m0, kind: good, briefing: [nearby.psychological-safety], phrases: &p {phrases}, feedback: ok}}"]
    markers += [f"  - {{id: m{i}, kind: good, briefing: [nearby.psychological-safety], phrases: *p, feedback: ok}}"
                for i in range(1, 500)]
    return HEAD + "markers:\n" + "\n".join(markers) + "\n" + TAIL


def many_phrases() -> str:
    return _fill(lambda n: HEAD + _marker("[" + ", ".join(_words(4, i * 5) for i in range(n)) + "]") + TAIL)


def long_phrases() -> str:
    return _fill(lambda n: HEAD + _marker("[" + ", ".join(_words(n, i) for i in range(10)) + "]") + TAIL)


def many_markers() -> str:
    def make(n: int) -> str:
        return HEAD + "markers:\n" + "\n".join(
            f"  - {{id: m{i}, kind: good, briefing: [nearby.psychological-safety], phrases: [{_words(3, i)}], feedback: ok}}"
            for i in range(n)) + "\n" + TAIL
    return _fill(make)


def many_examples() -> str:
    def make(n: int) -> str:
        examples = ", ".join(f'"{_words(60, i)}"' for i in range(n))
        return HEAD + _marker("[hear your view]", f"    examples: {{match: [{examples}]}}\n") + TAIL
    return _fill(make)


def many_playthroughs() -> str:
    def make(n: int) -> str:
        runs = "\n".join(f'  - {{name: p{i}, replies: ["{_words(40, i)}", "{_words(40, i + 1)}"], ending: fine}}'
                         for i in range(n))
        return HEAD + _marker("[hear your view]") + TAIL + "playthroughs:\n" + runs + "\n"
    return _fill(make)


def many_beats() -> str:
    def make(n: int) -> str:
        beats = "\n".join(f"  - {{id: b{i}, lines: [Hi.], hint: Ask., model_answer: Ask., "
                          f"next: [{{to: b{(i + 1) % n}, when: good}}, {{to: b{(i * 7) % n}}}, {{to: fine, when: m}}]}}"
                          for i in range(n))
        return (HEAD + _marker("[hear your view]") + "start: b0\nbeats:\n" + beats + "\nendings:\n"
                "  - {id: fine, outcome: strong, title: Fine, lines: [Thanks.], debrief: [\"What worked?\"]}\n")
    return _fill(make)


def many_synonyms() -> str:
    def make(n: int) -> str:
        groups = "\n".join(f"  - [{', '.join(f'v{i}x{j}' for j in range(20))}]" for i in range(n))
        return HEAD + "synonyms:\n" + groups + "\n" + _marker("[hear your view]") + TAIL
    return _fill(make)


def flat_values() -> str:
    return _fill(lambda n: HEAD + "extra: [" + ",".join("1" for _ in range(n)) + "]\n" + TAIL)


def many_keys() -> str:
    return _fill(lambda n: HEAD + "extra: {" + ",".join(f"k{i}: 1" for i in range(n)) + "}\n" + TAIL)


def deep_nesting() -> str:
    return _fill(lambda n: HEAD + "extra: " + "[" * n + "]" * n + "\n" + TAIL)


def long_scalar() -> str:
    return _fill(lambda n: HEAD.replace("title: Hostile", "title: " + "x" * n) + _marker("[hear your view]") + TAIL)


def big_number() -> str:
    return _fill(lambda n: HEAD + "trust: " + "9" * n + "\n" + _marker("[hear your view]") + TAIL)


def long_line_reply() -> str:
    """One playthrough reply of ~1 MiB (what `coach test` feeds the matcher)."""
    return _fill(lambda n: HEAD + _marker("[hear your view]") + TAIL
                 + f'playthroughs:\n  - {{name: p, replies: ["{_words(n)}"], ending: fine}}\n')


def _largest(make: Callable[[int], str], most: int, chars: int = 1_000_000) -> str:
    """`make(n)` for the largest n <= `most` whose text stays under `chars` characters."""
    n = most
    while len(make(n)) > chars and n > 1:
        n = n * 9 // 10
    return make(n)


def edge_phrases() -> str:
    """Accepted at the edge: as many phrases of the longest allowed length as the budgets allow."""
    from coach.scenario.budgets import MAX_PHRASES, MAX_WORDS_PER_PHRASE

    def make(n: int) -> str:
        return HEAD + "markers:\n" + "\n".join(
            f"  - {{id: m{i}, kind: good, briefing: [nearby.psychological-safety], "
            f"phrases: [{', '.join(_words(MAX_WORDS_PER_PHRASE, i * 5 + j) for j in range(5))}], feedback: ok}}"
            for i in range(n)) + "\n" + TAIL
    return _largest(make, MAX_PHRASES // 5)


def edge_examples() -> str:
    """Accepted at the edge: examples of 300 words, as many as the text budget allows."""
    def make(n: int) -> str:
        examples = ", ".join(f'"{_words(300, i)}"' for i in range(n))
        return HEAD + _marker("[hear your view]", f"    examples: {{match: [{examples}]}}\n") + TAIL
    return _largest(make, 2_000)


def edge_playthroughs() -> str:
    """Accepted at the edge: playthrough replies of 300 words, as many as text allows."""
    def make(n: int) -> str:
        runs = "\n".join(f'  - {{name: p{i}, replies: ["{_words(300, i)}", "{_words(300, i + 1)}"], ending: fine}}'
                         for i in range(n))
        return HEAD + _marker("[hear your view]") + TAIL + "playthroughs:\n" + runs + "\n"
    return _largest(make, 1_000)


def edge_beats() -> str:
    """Accepted at the edge: 500 beats, 2,000 rules, 1,000 markers to name in them."""
    markers = "\n".join(f"  - {{id: m{i}, kind: good, briefing: [nearby.psychological-safety], "
                        f"phrases: [{_words(3, i)}], feedback: ok}}" for i in range(1000))
    beats = "\n".join(f"  - {{id: b{i}, lines: [Hi.], hint: Ask., model_answer: Ask., next: ["
                      f"{{to: b{(i + 1) % 500}, when: m{i}}}, {{to: b{(i * 7) % 500}, when: m{i + 500}}}, "
                      f"{{to: fine, when: good}}, {{to: b{i}}}]}}" for i in range(500))
    return (HEAD + "markers:\n" + markers + "\nstart: b0\nbeats:\n" + beats + "\nendings:\n"
            "  - {id: fine, outcome: strong, title: Fine, lines: [Thanks.], debrief: [\"What worked?\"]}\n")


CASES: dict[str, Callable[[], str]] = {f.__name__.replace("_", "-"): f for f in (
    edge_phrases, edge_examples, edge_playthroughs, edge_beats, alias_phrases, alias_lists, many_phrases, long_phrases, many_markers, many_examples, many_playthroughs,
    many_beats, many_synonyms, flat_values, many_keys, deep_nesting, long_scalar, big_number, long_line_reply)}


def run(argv: list[str], timeout: float) -> tuple[float, float, int | None, str]:
    """Wall seconds, peak RSS (MB), exit status (None on timeout) and first output line of `argv`.

    A tiny wrapper runs the command and reports its child's peak RSS, so each case is measured
    on its own; a runaway child is capped at 3 GB of address space and stopped at the timeout.
    """
    wrapper = ("import os,resource,subprocess,sys;"
               "p=subprocess.run(sys.argv[1:]);"
               "r=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss;"
               "print(f'@@peak {r}', flush=True);sys.exit(p.returncode)")
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", wrapper, *argv], stdout=subprocess.PIPE, start_new_session=True,
                             stderr=subprocess.STDOUT, cwd=ROOT, text=True, errors="replace",
                             preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30)))
    try:
        out, _ = child.communicate(timeout=timeout)
        status = child.returncode
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, 9)
        out, _ = child.communicate()
        status = None
    wall = time.perf_counter() - start
    peak = 0.0
    lines = []
    for line in out.splitlines():
        if line.startswith("@@peak "):
            peak = int(line.split()[1]) / 1024
        elif line.strip():
            lines.append(line)
    return wall, peak, status, (lines[0] if lines else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="run only these cases")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a case is stopped")
    parser.add_argument("--command", choices=("validate", "test"), default="validate")
    args = parser.parse_args()
    coach = [sys.executable, "-m", "coach", args.command]
    os.environ["COACH_NO_CACHE"] = "1"
    wall, peak, status, _ = run([*coach, str(CLEAN)], args.timeout)
    print(f"{'baseline (clean fixture)':26} {wall:6.2f} s {peak:7.0f} MB  exit {status}")
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        for name, make in CASES.items():
            if args.only and name not in args.only:
                continue
            text = make()
            size = len(text.encode())
            assert size < LIMIT, (name, size)
            path = Path(folder) / f"{name}.yaml"
            path.write_text(text, encoding="utf-8")
            wall, peak, status, first = run([*coach, str(path)], args.timeout)
            within = status is not None and wall <= TARGET_SECONDS and peak <= TARGET_MB
            failures += not within
            outcome = "TIMEOUT" if status is None else ("accepted" if status == 0 else "refused ")
            print(f"{name:26} {wall:6.2f} s {peak:7.0f} MB  {outcome} {'ok  ' if within else 'OVER'} "
                  f"{size / 1024:5.0f} KiB  {first.replace(folder + '/', '')[:90]}")
    print(f"target per file: <= {TARGET_SECONDS} s, <= {TARGET_MB} MB; {failures} case(s) over")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
