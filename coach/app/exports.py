"""Write a session's report to Markdown and JSON, atomically, in the export folder.

The Markdown is `coach.conversation.render.report_markdown` and the JSON is `Session.to_dict()`, exactly
what `coach play` prints, so an export from the app and from the CLI read the same.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from coach.conversation.engine import Session
from coach.files import safe_stem, write_atomic
from coach.conversation.render import report_markdown

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


def _stem(session: Session, when: datetime) -> str:
    return f"{safe_stem(session.scenario.id)}-{when:%Y%m%d-%H%M%S}"


def export_session(session: Session, folder: Path | None = None, when: datetime | None = None) -> Exported:
    """Write the session's report as `<id>-<time>.md` and `.json`; never overwrites an export."""
    folder = export_folder() if folder is None else folder
    folder.mkdir(parents=True, exist_ok=True)
    stem = _stem(session, when or datetime.now())
    candidate, number = stem, 1
    while (folder / f"{candidate}.md").exists() or (folder / f"{candidate}.json").exists():
        number += 1
        candidate = f"{stem}-{number}"
    exported = Exported(folder / f"{candidate}.md", folder / f"{candidate}.json")
    write_atomic(folder, exported.markdown.name, report_markdown(session.report()))
    write_atomic(folder, exported.json.name, json.dumps(session.to_dict(), ensure_ascii=False, indent=2) + "\n")
    return exported
