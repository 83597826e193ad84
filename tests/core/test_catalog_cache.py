"""The catalog cache: served only while nothing it depends on has changed."""

from __future__ import annotations

import json
import os
import pickle

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

    monkeypatch.setattr(coach.scenario.loader, "read_documents", refuse)


def test_second_load_comes_from_the_cache(folder, monkeypatch):
    first = load_catalog_cached(paths(folder))
    assert list(cache_folder().glob("*.json"))
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
    [entry] = cache_folder().glob("*.json")
    entry.write_bytes(b"not json")
    assert load_catalog_cached(paths(folder)).scenario("mini")
    assert entry.read_bytes() != b"not json"


def test_the_cache_can_be_switched_off(folder, monkeypatch):
    monkeypatch.setenv(ENV_NO_CACHE, "1")
    load_catalog_cached(paths(folder))
    assert not cache_folder().exists() or not list(cache_folder().glob("*.json"))


def test_the_entry_is_data_only_and_private(folder):
    load_catalog_cached(paths(folder))
    [entry] = cache_folder().glob("*.json")
    data = json.loads(entry.read_text(encoding="ascii"))
    assert data["format"] == "coach-catalog-cache/1"
    assert oct(entry.stat().st_mode & 0o777) == oct(0o600)


def test_a_planted_pickle_is_never_loaded(folder, tmp_path):
    """The old format ran code on load: an entry named as the old cache's is never read."""
    load_catalog_cached(paths(folder))
    [entry] = cache_folder().glob("*.json")
    marker = tmp_path / "ran"
    planted = entry.with_suffix(".pickle")
    planted.write_bytes(pickle.dumps(_Plant(str(marker))))
    entry.unlink()
    assert load_catalog_cached(paths(folder)).scenario("mini")
    assert not marker.exists()
    assert not planted.exists()  # cleared away with the stale entries


class _Plant:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


@pytest.mark.parametrize("tamper", ["group-writable", "nonsense-documents", "wrong-files"])
def test_an_entry_others_could_write_or_that_does_not_fit_is_ignored(folder, monkeypatch, tamper):
    load_catalog_cached(paths(folder))
    [entry] = cache_folder().glob("*.json")
    data = json.loads(entry.read_text(encoding="ascii"))
    for document in data["documents"]:
        if document["data"].get("id") == "mini":
            document["data"]["title"] = "tampered"
    if tamper == "nonsense-documents":
        data["documents"] = [{"path": "x", "data": {"format": "coach-scenario/1"}, "values": [], "keys": []}]
    if tamper == "wrong-files":
        data["files"] = data["files"][:-1]
    entry.write_text(json.dumps(data), encoding="ascii")
    if tamper == "group-writable":
        entry.chmod(0o664)
    assert load_catalog_cached(paths(folder)).scenario("mini").title == "Mini check-in"


def test_positions_of_errors_survive_the_cache(folder, monkeypatch):
    (folder / "broken.yaml").write_text("format: coach-scenario/1\nid: x\ntitle: [\n")
    first = [str(p) for p in load_catalog_cached(paths(folder)).errors]
    forbid_loading(monkeypatch)
    assert [str(p) for p in load_catalog_cached(paths(folder)).errors] == first
    assert first and ":4:1: error:" in first[0]


def test_a_cross_file_error_points_at_its_place_from_lazily_read_positions(folder, monkeypatch):
    """Positions come back from the cache as rows, made a table only when a problem asks;
    a row edited into nonsense is left out rather than breaking the load."""
    text = (folder / "mini.yaml").read_text()
    (folder / "mini.yaml").write_text(text.replace("start: hello", "start: hi"))
    first = [str(p) for p in load_catalog_cached(paths(folder)).errors]
    assert first and ":25:8: error: unknown beat 'hi'" in first[0]
    [entry] = cache_folder().glob("*.json")
    data = json.loads(entry.read_text(encoding="ascii"))
    [document] = [d for d in data["documents"] if d["data"].get("id") == "mini"]
    document["values"][:0] = [["title", "one", "two"], "nonsense", [5]]
    entry.write_text(json.dumps(data), encoding="ascii")
    forbid_loading(monkeypatch)
    assert [str(p) for p in load_catalog_cached(paths(folder)).errors] == first
