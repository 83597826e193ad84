"""Problems found in files and input, reported as `file:line:col: severity: message`.

Every error a user can cause is a `CoachError` carrying a `Problem`, so front ends print one
clear line and exit non-zero instead of showing a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or suspicious) at a place in a file."""

    message: str
    file: Path | None = None
    line: int | None = None
    column: int | None = None
    severity: str = "error"  # "error" or "warning"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def where(self) -> str:
        """`file:line:col` as far as it is known."""
        parts = [str(self.file) if self.file else "coach"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.where()}: {self.severity}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": str(self.file) if self.file else None,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }


class CoachError(Exception):
    """An error caused by input (a file, an argument, a reply) rather than by a bug."""

    def __init__(self, problem: Problem | str, *more: Problem) -> None:
        if isinstance(problem, str):
            problem = Problem(problem)
        self.problems: tuple[Problem, ...] = (problem, *more)
        super().__init__(str(problem))

    @property
    def problem(self) -> Problem:
        return self.problems[0]
