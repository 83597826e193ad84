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

        catalog = load_default_catalog(getattr(args, "scenarios", None) or [])
        app = CoachApp(catalog, seed=getattr(args, "seed", None))
        app.after_start = resume_collection
        result = app.run()
    finally:
        resume_collection()
    return result or 0
