"""Shared fixtures: the bundled catalog, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.scenario.loader import Catalog, load_catalog
from coach.scenario.sources import bundled_folder

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The bundled scenarios only (the user's own folders play no part in tests)."""
    catalog = load_catalog([bundled_folder()])
    assert not catalog.errors, "\n".join(map(str, catalog.errors))
    return catalog


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory, monkeypatch):
    """Keep tests away from the real user data folder and environment."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("COACH_SCENARIOS", raising=False)
