"""The Textual app. Only `coach` with no subcommand imports this package (and Textual)."""

from __future__ import annotations

import argparse


def run_app(args: argparse.Namespace) -> int:
    """Load the catalog (broken files are shown in the app, not raised) and run the app."""
    from coach.app.startup import pause_collection, resume_collection

    pause_collection()  # until the home screen is ready (see coach.app.startup)
    try:
        from coach.app.app import CoachApp
        from coach.loader import load_default_catalog

        records = records_link(args)
        catalog = load_default_catalog(getattr(args, "scenarios", None) or [])
        app = CoachApp(catalog, seed=getattr(args, "seed", None), records=records,
                       presenter=bool(getattr(args, "presenter", False)))
        app.after_start = resume_collection
        result = app.run()
    finally:
        resume_collection()
    if app.startup_error is not None:
        raise app.startup_error
    return result or 0


def records_link(args: argparse.Namespace):
    """The records the app writes to, from `--db --workshop --participant --no-record` (opened later)."""
    from coach.app.records import RecordsLink, RecordsOptions
    from coach.errors import CoachError

    record = not getattr(args, "no_record", False)
    options = RecordsOptions.from_environment(getattr(args, "db", None), getattr(args, "workshop", None),
                                              getattr(args, "participant", None), record)
    if getattr(args, "participant", None) and not options.workshop:
        raise CoachError("--participant goes with --workshop NAME")
    if not record and getattr(args, "workshop", None):
        raise CoachError("--workshop tags a recorded session: it cannot go with --no-record")
    return RecordsLink(options)
