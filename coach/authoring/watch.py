"""Live editing without a UI: notice when scenario files change, reload them, report problems.

A front end (the app's `--watch PATH`) polls `Watcher.poll()` on a timer: it returns `None`
while nothing changed, and a fresh `Reload` after an edit. Bad files never raise: their
problems come back as data to show on screen, and the last good catalog stays usable.
Polling file times is enough for files a person saves a few times a minute, and needs no
platform-specific notification library.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from coach.errors import CoachError, Problem
from coach.scenario.loader import Catalog

Stamp = dict[Path, tuple[int, int]]  # file -> (mtime in ns, size)


@dataclass
class Reload:
    """The result of reading the watched files again."""

    catalog: Catalog | None
    problems: list[Problem] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)  # files added, edited or removed since last time

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def ok(self) -> bool:
        return self.catalog is not None and not self.errors


class Watcher:
    """Watches scenario files or folders (read with every folder coach reads) by polling."""

    def __init__(self, paths: Sequence[str | Path], extra: Sequence[str | Path] = ()) -> None:
        self.paths = [Path(path) for path in paths]
        self.extra = list(extra)
        self._stamp: Stamp = {}
        self.last: Reload | None = None
        self.last_good: Catalog | None = None

    def stamp(self) -> Stamp:
        """Modification time and size of every YAML file watched now."""
        from coach.scenario.sources import yaml_files

        stamp: Stamp = {}
        for path in yaml_files([p for p in self.paths if p.exists()]):
            try:
                info = path.stat()
            except OSError:
                continue  # removed between listing and looking
            stamp[path] = (info.st_mtime_ns, info.st_size)
        return stamp

    def poll(self) -> Reload | None:
        """A `Reload` if any watched file changed since the last call (the first call always
        reloads), else `None`."""
        stamp = self.stamp()
        if self.last is not None and stamp == self._stamp:
            return None
        changed = sorted(path for path in stamp.keys() | self._stamp.keys()
                         if stamp.get(path) != self._stamp.get(path))
        self._stamp = stamp
        return self.reload(changed)

    def reload(self, changed: list[Path] | None = None) -> Reload:
        """Read everything again; problems of the watched files (loader and lint) as data."""
        from coach.authoring.checks import load_selection

        try:
            catalog, selected = load_selection([str(p) for p in self.paths], [str(p) for p in self.extra])
        except CoachError as exc:
            return self._settle(Reload(None, list(exc.problems), changed or []))
        return self._settle(self._checked(catalog, selected, changed or []))

    def adopt(self, catalog: Catalog) -> Reload:
        """Start watching from a catalog already loaded with the watched files (the app's),
        checking it as `reload` would, instead of reading everything a second time."""
        from coach.authoring.checks import selection

        self._stamp = self.stamp()
        return self._settle(self._checked(catalog, selection(self.paths), []))

    @staticmethod
    def _checked(catalog: Catalog, selected: Callable[[Path | None], bool], changed: list[Path]) -> Reload:
        from coach.authoring.checks import problems_of

        return Reload(catalog, problems_of(catalog, selected), changed)

    def _settle(self, result: Reload) -> Reload:
        if result.ok:
            self.last_good = result.catalog
        self.last = result
        return result
