"""Fixtures for the records tests: a small scenario of our own and a fresh database."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.scenario.loader import Catalog, load_catalog
from coach.scenario.models import Scenario
from coach.records.store import Store
from coach.scenario.sources import bundled_folder

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "records"
SCENARIO = "records-fixture"
STRONG = ["you can tell me if you disagree", "let us meet every two weeks", "I will write up what we agreed"]
POOR = ["hello", "do as I say"]


def fixture_catalog() -> Catalog:
    """Our scenario with the bundled briefing and marker library (not the bundled scenarios)."""
    bundled = bundled_folder()
    catalog = load_catalog([bundled / "briefings", bundled / "library", FIXTURES])
    assert not catalog.errors, catalog.errors
    return catalog


@pytest.fixture(scope="session")
def records_catalog() -> Catalog:
    return fixture_catalog()


@pytest.fixture(scope="session")
def scenario(records_catalog: Catalog) -> Scenario:
    return records_catalog.scenario(SCENARIO)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "records.sqlite3"


@pytest.fixture
def store(db_path: Path):
    with Store.open(db_path) as opened:
        yield opened
