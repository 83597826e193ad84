"""Write a session to Markdown and JSON, atomically, in the export folder.

Both come from the same template registry as `coach export` (`coach.records.formats`), and
the JSON is the one `coach-session/N` format, so an export from the app imports with
`coach import` and reads like one from the CLI.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from coach.conversation.engine import Session
from coach.conversation.record import SessionRecord
from coach.files import write_atomic

if TYPE_CHECKING:
    from textual.widget import Widget

ENV_EXPORT_DIR = "COACH_EXPORT_DIR"
"""Overrides the folder exports are written to."""


@dataclass(frozen=True, slots=True)
class Exported:
    markdown: Path
    json: Path


def export_folder() -> Path:
    """Where exports go: $COACH_EXPORT_DIR, else Documents/coach/exports, else the data folder."""
    override = os.environ.get(ENV_EXPORT_DIR)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path, user_documents_path

    documents = user_documents_path()
    if documents.is_dir():
        return documents / "coach" / "exports"
    return user_data_path("coach", appauthor=False) / "exports"


def record_of(session: Session) -> SessionRecord:
    """The session as the records hold it: with its recorded id, workshop and participant, if recorded."""
    from coach.records.exports import record_of_session
    from coach.records.listener import RecordingListener

    listener = next((x for x in session.listeners if isinstance(x, RecordingListener)), None)
    if listener is None:
        return record_of_session(session)
    return record_of_session(session, session_id=listener.session_id, workshop=listener.workshop,
                             participant=listener.participant)


def export_and_say(node: Widget, session: Session) -> Exported | None:
    """Export `session` and say where it went, or why it could not be written."""
    try:
        exported = export_session(session)
    except OSError as exc:
        node.notify(f"Could not export: {exc}", severity="error", markup=False, timeout=10)
        return None
    node.notify(f"Exported to {exported.markdown} and {exported.json.name}", markup=False, timeout=10)
    return exported


def export_session(session: Session, folder: Path | None = None, when: datetime | None = None) -> Exported:
    """Write the session as `coach-<scenario>-<id>-<time>.md` and `.json`; never overwrites an export."""
    from coach.records.exports import export_stem, render

    folder = export_folder() if folder is None else folder
    folder.mkdir(parents=True, exist_ok=True)
    record = record_of(session)
    stem = f"{export_stem(record.summary.scenario, record.id)}-{when or datetime.now():%Y%m%d-%H%M%S}"
    candidate, number = stem, 1
    while (folder / f"{candidate}.md").exists() or (folder / f"{candidate}.json").exists():
        number += 1
        candidate = f"{stem}-{number}"
    exported = Exported(folder / f"{candidate}.md", folder / f"{candidate}.json")
    write_atomic(folder, exported.markdown.name, render(record, "md"))
    write_atomic(folder, exported.json.name, render(record, "json"))
    return exported
