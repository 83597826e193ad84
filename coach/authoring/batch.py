"""`coach validate` and `coach test` over many scenario files: one file at a time, on every core.

Each scenario file is read, checked and released before the next (flat memory), its matcher
derived from marker libraries compiled once (`shared_libraries`). With many files and more
than one core, the declared scenario files are split into contiguous parts, each checked by
a worker process that reads the shared files (briefings, libraries) itself; what the workers
find is put together in file order, and a scenario id used in two parts is reported as the
serial run reports it. The result is the same as one process gives (tested).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coach.errors import CoachError, Problem
from coach.scenario.loader import Catalog, ScenarioFile, stream_catalog
from coach.scenario.loader import declares_scenario  # the loader's own ordering guess
from coach.scenario.sources import scenario_paths, yaml_files

if TYPE_CHECKING:
    from coach.authoring.checks import Check, Coverage

PARALLEL_FROM = 16  # declared scenario files per worker below which one process is quicker (start-up)
VALIDATE, TEST = "validate", "test"


@dataclass
class FileResult:
    """What checking one scenario file found."""

    path: Path
    problems: list[Problem]  # the loader's
    scenario_id: str | None = None
    id_at: tuple[int | None, int | None] = (None, None)  # where its `id:` is written
    checked: bool = False  # selected and built, so linted or tested
    lint: list[Problem] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)  # test
    coverage: Coverage | None = None  # test


@dataclass
class Batch:
    catalog: Catalog  # briefings and libraries (and, run in one process, the scenario files)
    selected: Callable[[Path | None], bool]
    files: int  # files read that are selected
    results: list[FileResult]


def check_files(kind: str, paths: Sequence[str], extra: Sequence[str] = (), jobs: int = 1) -> Batch:
    """Lint (`kind` "validate") or test ("test") every scenario file of `paths` (with no `paths`,
    of every folder coach reads), read with the bundled and user files as `coach validate` does."""
    from coach.authoring.checks import selection

    defaults = yaml_files(scenario_paths(extra))
    chosen: list[str] | None = None
    files = defaults
    if paths:
        for path in paths:
            if not Path(path).exists():
                raise CoachError(Problem("no such file or folder", Path(path)))
        known = {path.resolve() for path in defaults}
        files = [*defaults, *(path for path in yaml_files([Path(p) for p in paths]) if path.resolve() not in known)]
        chosen = list(paths)
    selected = selection(chosen) if chosen is not None else (lambda path: True)
    count = sum(1 for path in files if selected(path))
    declared = [path for path in files if declares_scenario(path)]
    workers = min(jobs, len(declared) // PARALLEL_FROM)
    if workers >= 2:
        batch = _in_parallel(kind, files, declared, chosen, workers, count)
        if batch is not None:
            return batch
    catalog, stream = stream_catalog(files)
    results = list(_check_stream(kind, catalog, stream, selected))
    return Batch(catalog, selected, sum(1 for path in catalog.files if selected(path)), results)


def _check_stream(kind: str, catalog: Catalog, stream: Iterable[ScenarioFile],
                  selected: Callable[[Path | None], bool]) -> Iterable[FileResult]:
    from coach.authoring.checks import scenario_checks
    from coach.authoring.lint import library_documents, lint_scenario
    from coach.conversation.matcher import shared_libraries

    documents = library_documents(catalog)
    with shared_libraries():  # each marker library compiled once for all the scenarios
        for item in stream:
            result = FileResult(item.path, item.problems)
            scenario = item.scenario
            if scenario is not None:
                result.scenario_id = scenario.id
                if scenario.document is not None:
                    result.id_at = scenario.document.locate(("id",)) or (None, None)
                if selected(item.path):
                    result.checked = True
                    if kind == VALIDATE:
                        result.lint = lint_scenario(scenario, documents)
                    else:
                        result.checks, result.coverage = scenario_checks(scenario, documents)
            yield result


def _check_part(kind: str, files: list[Path], part: list[Path], strays: bool,
                chosen: list[str] | None) -> list[FileResult] | None:
    """In a worker: the results of the scenario files `part` (and, with `strays`, of scenario
    files that do not declare themselves so), read with every file that is not a declared
    scenario; None if a file of `part` turns out not to be a scenario (then one process redoes all)."""
    from coach.authoring.checks import selection

    mine = set(part)
    others = {path for path in files if declares_scenario(path)} - mine
    catalog, stream = stream_catalog([path for path in files if path not in others])
    selected = selection(chosen) if chosen is not None else (lambda path: True)
    results = [result for result in _check_stream(kind, catalog, stream, selected)
               if result.path in mine or strays]
    if {result.path for result in results} >= mine:
        return results
    return None


def _in_parallel(kind: str, files: list[Path], declared: list[Path], chosen: list[str] | None,
                 workers: int, count: int) -> Batch | None:
    from coach.authoring.checks import selection

    size = -(-len(declared) // workers)
    parts = [declared[start:start + size] for start in range(0, len(declared), size)]
    with ProcessPoolExecutor(max_workers=len(parts)) as pool:
        futures = [pool.submit(_check_part, kind, files, part, index == 0, chosen) for index, part in enumerate(parts)]
        # the shared files, read here too (their problems, library checks) while the workers run
        catalog, _ = stream_catalog([path for path in files if path not in set(declared)])
        found = [future.result() for future in futures]
    if any(part is None for part in found):
        return None
    seen: dict[str, Path] = {}
    results = []
    for part in found:
        for result in part or ():
            if result.scenario_id is not None:
                first = seen.setdefault(result.scenario_id, result.path)
                if first != result.path:  # the same id in another part: as the serial stream says it
                    result.problems = [*result.problems, Problem(
                        f"scenario id {result.scenario_id!r} is already defined in {first}", result.path,
                        *result.id_at)]
                    result.scenario_id, result.checked, result.lint, result.checks, result.coverage = (
                        None, False, [], [], None)
            results.append(result)
    selected = selection(chosen) if chosen is not None else (lambda path: True)
    return Batch(catalog, selected, count, results)
