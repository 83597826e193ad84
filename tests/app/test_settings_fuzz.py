"""Settings files hold whatever a disk or a hand edit left there: reading one never raises."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.app.settings import MODES, Settings

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
                    max_leaves=12)
KEYS = st.sampled_from(["theme", "mode", "presenter", "intro_seen", "other"])


def _check(loaded: Settings) -> None:
    assert loaded.mode in MODES
    assert loaded.theme is None or isinstance(loaded.theme, str)
    assert isinstance(loaded.presenter, bool) and isinstance(loaded.intro_seen, bool)


@settings(max_examples=60, deadline=None)
@given(content=st.binary(max_size=200))
def test_any_bytes_give_usable_settings(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("settings") / "settings.json"
    path.write_bytes(content)
    _check(Settings.load(path))


@settings(max_examples=60, deadline=None)
@given(data=st.dictionaries(KEYS, JSON, max_size=5) | JSON)
def test_any_json_gives_usable_settings_and_a_notice_for_what_was_ignored(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("settings") / "settings.json"
    path.write_text(json.dumps(data))
    loaded = Settings.load(path)
    _check(loaded)
    if not isinstance(data, dict):
        assert loaded.notice
