"""Loading the core's test fixtures beside the bundled briefing and libraries."""

from __future__ import annotations

from pathlib import Path

from coach.scenario.loader import Catalog, load_catalog
from coach.scenario.sources import bundled_folder

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "core"


def briefing_and_library() -> list[Path]:
    bundled = bundled_folder()
    return [bundled / "briefings", bundled / "library"]


def load_with(*paths: Path) -> Catalog:
    """The bundled briefing and marker libraries plus `paths`."""
    return load_catalog([*briefing_and_library(), *paths])


def mini():
    catalog = load_with(FIXTURES)
    assert not catalog.errors, catalog.errors
    return catalog.scenario("mini")
