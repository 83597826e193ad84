"""The catalog cache: served only while nothing it depends on has changed."""

from __future__ import annotations

import os

import pytest

import coach.scenario.loader
from coach.scenario.catalog_cache import ENV_NO_CACHE, cache_folder, load_catalog_cached

from .helpers import FIXTURES, briefing_and_library


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "scenarios"
    target.mkdir()
    (target / "mini.yaml").write_text((FIXTURES / "mini.yaml").read_text())
    return target


def paths(folder):
    return [*briefing_and_library(), folder]


def forbid_loading(monkeypatch):
    def refuse(_paths):
        raise AssertionError("the catalog was built again instead of read from the cache")

    monkeypatch.setattr(coach.scenario.loader, "load_catalog", refuse)


def test_second_load_comes_from_the_cache(folder, monkeypatch):
    first = load_catalog_cached(paths(folder))
    assert list(cache_folder().glob("*.pickle"))
    forbid_loading(monkeypatch)
    second = load_catalog_cached(paths(folder))
    assert second.scenario("mini").title == first.scenario("mini").title
    assert second.scenario("mini").document.locate(("start",)) == first.scenario("mini").document.locate(("start",))


def test_an_edited_file_is_read_again(folder):
    load_catalog_cached(paths(folder))
    scenario = folder / "mini.yaml"
    scenario.write_text(scenario.read_text().replace("title: Mini check-in", "title: Mini check-in, edited"))
    os.utime(scenario, ns=(scenario.stat().st_atime_ns, scenario.stat().st_mtime_ns + 1_000_000))
    assert load_catalog_cached(paths(folder)).scenario("mini").title == "Mini check-in, edited"


def test_a_new_broken_file_shows_its_problem(folder):
    load_catalog_cached(paths(folder))
    (folder / "broken.yaml").write_text("format: coach-scenario/1\nid: [\n")
    assert load_catalog_cached(paths(folder)).errors


def test_a_corrupt_entry_is_ignored_and_rewritten(folder):
    load_catalog_cached(paths(folder))
    [entry] = cache_folder().glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert load_catalog_cached(paths(folder)).scenario("mini")
    assert entry.read_bytes() != b"not a pickle"


def test_the_cache_can_be_switched_off(folder, monkeypatch):
    monkeypatch.setenv(ENV_NO_CACHE, "1")
    load_catalog_cached(paths(folder))
    assert not cache_folder().exists() or not list(cache_folder().glob("*.pickle"))
