"""The Textual app. Only `coach` with no subcommand imports this package (and Textual)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.app.records import RecordsLink
    from coach.authoring.watch import Watcher


STARTUP_WAIT = 0.25
"""Seconds the app waits, at most, to know whether the records opened before it paints (they
open in a few ms while the catalog loads; a locked database is not waited for)."""


def run_app(args: argparse.Namespace) -> int:
    """Load the catalog (broken files are shown in the app, not raised) and run the app."""
    from coach.app.startup import pause_collection, resume_collection

    pause_collection()  # until the home screen is ready (see coach.app.startup)
    try:
        records = records_link(args)
        records.preload()  # the records open on their own thread while Textual loads

        from coach.app.app import CoachApp
        from coach.scenario.catalog_cache import load_default_catalog

        scenarios = list(getattr(args, "scenarios", None) or [])
        watched = list(getattr(args, "watch", None) or [])
        catalog = load_default_catalog([*scenarios, *watched])  # watched files are read like --scenarios
        unusable = records.failure(wait=STARTUP_WAIT)  # opened meanwhile: a bad database is said before
        if unusable is not None:  # the app paints, in one line, instead of flashing the app on and off
            records.close()
            raise unusable
        from coach.app.settings import Settings

        app = CoachApp(catalog, seed=getattr(args, "seed", None), records=records,
                       presenter=bool(getattr(args, "presenter", False)), watcher=watcher(watched, scenarios),
                       settings=Settings.for_this_run())
        app.after_start = resume_collection
        try:
            result = app.run()
        finally:
            records.close()  # the writes still queued are finished before coach ends
    finally:
        resume_collection()
    if app.startup_error is not None:
        raise app.startup_error
    if records.errors:
        from coach.errors import CoachError

        raise CoachError(*(problem for error in records.errors for problem in error.problems))
    return result or 0


def watcher(watched: list[str], scenarios: list[str]) -> Watcher | None:
    """`coach --watch PATH`: a poller of those files (None without any); a missing path is an error."""
    if not watched:
        return None
    from pathlib import Path

    from coach.errors import CoachError, Problem
    from coach.authoring.watch import Watcher

    for path in watched:
        if not Path(path).exists():
            raise CoachError(Problem("no such file or folder to watch", Path(path)))
    return Watcher(watched, extra=scenarios)


def records_link(args: argparse.Namespace) -> RecordsLink:
    """The records the app writes to, from `--db --workshop --participant --no-record` (opened later)."""
    from coach.app.records import RecordsLink, RecordsOptions

    record = not getattr(args, "no_record", False)
    options = RecordsOptions.from_environment(getattr(args, "db", None), getattr(args, "workshop", None),
                                              getattr(args, "participant", None), record)
    if not record:  # $COACH_WORKSHOP (from `coach serve`) does not make --no-record an error
        options.workshop, options.participant = getattr(args, "workshop", None), getattr(args, "participant", None)
    return RecordsLink(options.validate())
