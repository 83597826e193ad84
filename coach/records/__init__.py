"""Practice records: every session stored in SQLite as it is played, and what is built on them.

The package knows no user interface: queries return plain dataclasses, so the CLI, the app's
history screens and workshop reports all read the same data. Names are imported on first use
so that commands which only read the database do not pay for loading the engine.
"""

from __future__ import annotations

import importlib
from typing import Any

ENV_DB = "COACH_DB"
"""Environment variable naming the records database (the `--db` option wins over it)."""

ENV_WORKSHOP, ENV_PARTICIPANT = "COACH_WORKSHOP", "COACH_PARTICIPANT"
"""Set by `coach serve`, so the app it runs tags sessions without options of its own."""

EXPORT_FORMATS = ("md", "json", "html")
"""What a session or a workshop report is written as (named here, where importing is cheap)."""

_EXPORTS = {
    "coach.records.store": ("SessionRecord", "SessionSummary", "Store", "Workshop", "default_db_path"),
    "coach.records.listener": ("RecordingListener", "close_interrupted", "last_results",
                               "restore", "resume", "scenario_hash"),
    "coach.records.service": ("RecordsOptions", "SessionService"),
}
_HOME = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = ["ENV_DB", "ENV_PARTICIPANT", "ENV_WORKSHOP", "EXPORT_FORMATS", *sorted(_HOME)]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'coach.records' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOME[name]), name)
