"""The template registry, export names, workshop report files, the trainer's view, older rows."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import main
from coach.conversation.engine import Session, replay
from coach.records import RecordingListener
from coach.records.exports import export_session, export_stem, render
from coach.records.formats import REGISTRY
from coach.records.store import Store
from coach.records.workshop import build_report
from coach.records.workshop import render as render_workshop

from .conftest import POOR, STRONG
from .html_texts import HTMLTexts

HOSTILE = "\x1b]0;pwned\x07 <script>alert(1)</script> *bold* [x](http://e.vil) \x1b[2J"


def test_every_export_has_one_registry_entry():
    assert set(REGISTRY) == {(kind, fmt) for kind in ("session", "workshop") for fmt in ("md", "json", "html")}


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_export_has_the_turn_by_turn_feedback(store: Store, scenario, fmt: str):
    replay(scenario, POOR, seed=1, listeners=[RecordingListener(store)])
    text = render(store.session(store.sessions()[0].id), fmt)
    assert "Turn by turn" in text and "Turn 2" in text
    assert "your words:" in text and "cites" in text  # the pitfall's feedback item, in full


def test_markdown_exports_carry_no_raw_control_characters_or_html(store: Store, scenario, db_path: Path):
    store.create_workshop("w")
    replay(scenario, [HOSTILE, *POOR[1:]], seed=1, listeners=[RecordingListener(store, "w", HOSTILE)])
    texts = [render(store.session(store.sessions()[0].id), "md"),
             render_workshop(build_report(store, "w", names=True), "md")]
    for text in texts:
        assert "\x1b" not in text and "\x07" not in text and "<script>" not in text
        assert "\u241b" in text  # ESC shown as a visible symbol


def test_workshop_html_escapes_names_and_replies(store: Store, scenario):
    store.create_workshop("w")
    replay(scenario, [HOSTILE, *POOR[1:]], seed=1, listeners=[RecordingListener(store, "w", "<img src=x onerror=alert(1)>")])
    parsed = HTMLTexts()
    parsed.feed(render_workshop(build_report(store, "w", names=True), "html"))
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert "<img src=x onerror=alert(1)>" in parsed.text


def test_export_names_keep_the_session_id_whatever_the_scenario_id(tmp_path: Path):
    long_id = "a-scenario-id-that-is-quite-long-as-authors-sometimes-write-them-x"
    stems = {export_stem(long_id, session) for session in ("0123456789ab", "0123456789ac")}
    assert len(stems) == 2 and all(stem.endswith(("0123456789ab", "0123456789ac")) for stem in stems)
    hostile = {export_stem("s", "../a/b"), export_stem("s", "../a_b"), export_stem("s", "x" * 300)}
    assert len(hostile) == 3 and all(len(stem) < 100 and "/" not in stem for stem in hostile)


def test_two_exports_of_long_scenario_ids_never_overwrite(store: Store, scenario, tmp_path: Path):
    from dataclasses import replace

    long = replace(scenario, id="s" * 70)
    for _ in range(2):
        replay(long, POOR, listeners=[RecordingListener(store)])
    paths = {export_session(store.session(s.id), "md", tmp_path / "out") for s in store.sessions()}
    assert len(paths) == 2 and len(list((tmp_path / "out").iterdir())) == 2


@pytest.fixture
def workshop_db(db_path: Path, scenario) -> Path:
    with Store.open(db_path) as store:
        store.create_workshop("spring")
        replay(scenario, POOR, listeners=[RecordingListener(store, "spring", "Ann")])
        replay(scenario, STRONG, listeners=[RecordingListener(store, "spring", "Bob")])
        replay(scenario, STRONG, listeners=[RecordingListener(store, "spring", "Ann")])
    return db_path


def test_names_write_another_file_and_nothing_is_overwritten(workshop_db: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    for names in ([], ["--names"], ["--names"], []):
        assert main(["workshop", "report", "spring", "--db", str(workshop_db), "--format", "html",
                     "--out", str(out), *names]) == 0
    written = capsys.readouterr().out.split()
    assert [Path(p).name for p in written] == ["workshop-spring.html", "workshop-spring-names.html",
                                               "workshop-spring-names-2.html", "workshop-spring-2.html"]
    assert "Ann" not in (out / "workshop-spring.html").read_text()
    assert "Ann" in (out / "workshop-spring-names.html").read_text()


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_the_trainer_sees_each_participant_only_with_names(workshop_db: Path, fmt: str):
    with Store.open(workshop_db) as store:
        named = render_workshop(build_report(store, "spring", names=True), fmt)
        anonymous = render_workshop(build_report(store, "spring"), fmt)
    assert "Ann" in named and "Bob" in named and "Ann" not in anonymous and "Bob" not in anonymous
    assert "Per participant" not in anonymous
    if fmt == "json":
        assert json.loads(anonymous)["people"] == []
    if fmt == "json":
        people = json.loads(named)["people"]
        assert [(p["name"], [a["outcome"] for a in p["attempts"]]) for p in people] == [
            ("Ann", ["poor", "strong"]), ("Bob", ["strong"])]
        ann = people[0]["attempts"]
        assert ann[0]["pitfalls"] == ["rank"] and ann[1]["goals_met"] and ann[1]["turns"] == 3
    else:
        assert "Per participant" in named and ("| rank |" in named or "<td>rank</td>" in named)


def test_chart_labels_are_whole_and_start_inside_the_page(workshop_db: Path):
    from coach.records.html import LABEL_CHARS, bar_chart

    label = "An unusually long learning goal title that an author wrote to be very explicit (nearby.some-id)"
    chart = bar_chart([(label, [])])
    assert " ".join(chart.rows[0].lines) == label and all(len(line) <= LABEL_CHARS for line in chart.rows[0].lines)
    with Store.open(workshop_db) as store:
        html = render_workshop(build_report(store, "spring"), "html")
    assert "\u2026" not in html and 'text-anchor="end"' not in html
    xs = [float(x) for x in re.findall(r'<text class="label" x="([-\d.]+)"', html)]
    assert xs and min(xs) >= 0
    widths = re.findall(r'<svg [^>]*width="(\d+)"', html)
    assert all(int(w) <= 700 for w in widths)


def test_older_rows_still_read(store: Store, scenario):
    """Rows written before coach-session/2: a report with goals_met/goals_missed lists, turns without hints."""
    store.create_workshop("w")
    replay(scenario, POOR, seed=1, listeners=[RecordingListener(store, "w", "Ann")])
    session_id = store.sessions()[0].id
    report = json.loads(store.db.execute("SELECT report FROM sessions").fetchone()[0])
    goals = report.pop("goals")
    report["goals_met"] = [g for g in goals if g["met"]]
    report["goals_missed"] = [g for g in goals if not g["met"]]
    store.db.execute("UPDATE sessions SET report = ?", (json.dumps(report),))
    for idx, data in store.db.execute("SELECT idx, data FROM turns").fetchall():
        turn = json.loads(data)
        del turn["hints"]
        store.db.execute("UPDATE turns SET data = ? WHERE idx = ?", (json.dumps(turn), idx))
    record = store.session(session_id)
    assert record.report.outcome == "poor" and {g.id for g in record.report.goals} == {g["id"] for g in goals}
    assert all(turn.hints == 0 for turn in record.turns)
    for fmt in ("md", "html", "json"):
        assert render(record, fmt) and render_workshop(build_report(store, "w", names=True), fmt)


def test_commands_that_do_not_export_load_no_jinja2():
    code = ("import io, contextlib, sys\nfrom coach.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n    main(['list'])\n"
            "print('jinja2' in sys.modules, 'msgspec' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_a_live_session_and_its_record_give_the_same_report(store: Store, scenario):
    session = Session(scenario, seed=4, listeners=[RecordingListener(store)])
    for text in STRONG:
        session.reply(text)
    assert store.session(store.sessions()[0].id).report == session.report()


def test_a_row_that_does_not_fit_is_a_clear_error_not_a_traceback(store: Store, scenario):
    from coach.errors import CoachError

    replay(scenario, POOR, seed=1, listeners=[RecordingListener(store)])
    session_id = store.sessions()[0].id
    store.db.execute("UPDATE turns SET data = '{\"index\": 0}' WHERE idx = 1")
    with pytest.raises(CoachError, match=r"cannot be read: reply: missing"):
        store.session(session_id)
    store.db.execute("DELETE FROM turns WHERE idx = 1")
    store.db.execute("UPDATE sessions SET report = '{not json'")
    with pytest.raises(CoachError, match=r"cannot be read: not JSON"):
        store.session(session_id)


def test_workshop_goals_follow_the_scenarios_order(workshop_db: Path, scenario):
    """A trainer reads the goals in the order the scenario teaches them, not sorted by id."""
    with Store.open(workshop_db) as store:
        report = build_report(store, "spring")
    assert list(scenario.goals) != sorted(scenario.goals)  # else the test could not fail
    assert [g.id for g in report.scenarios[0].goals] == list(scenario.goals)
