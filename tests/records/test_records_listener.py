"""Recording as it happens, and bringing interrupted sessions back."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from coach.conversation.engine import Session, replay
from coach.errors import CoachError
from coach.records import RecordingListener, close_interrupted, last_results, resume
from coach.records.store import Store

from .conftest import POOR, STRONG


def _turns_on_disk(db_path: Path) -> int:
    """Turns visible to another connection: what a crash right now would keep."""
    db = sqlite3.connect(db_path)
    try:
        return db.execute("SELECT COUNT(*) FROM turns").fetchone()[0]
    finally:
        db.close()


def test_each_turn_is_committed_as_it_is_played(store: Store, db_path: Path, scenario) -> None:
    session = Session(scenario, seed=2, listeners=[RecordingListener(store)])
    for n, text in enumerate(STRONG, 1):
        session.reply(text)
        assert _turns_on_disk(db_path) == n
    record = store.session(store.sessions()[0].id)
    assert record.replies == STRONG
    assert record.summary.outcome == "strong" and record.summary.goals_met == 3
    assert record.report == session.report()
    assert record.turns == tuple(session.turns)


def test_hints_are_counted_per_turn_and_in_total(store: Store, scenario) -> None:
    session = Session(scenario, listeners=[RecordingListener(store)])
    session.hint()
    session.hint()
    session.reply(STRONG[0])
    summary = store.sessions()[0]
    assert summary.hints_used == 2 and store.session(summary.id).turns[0].hints == 2


def test_an_interrupted_session_resumes_where_it_stopped(store: Store, scenario) -> None:
    first = Session(scenario, seed=5, listeners=[RecordingListener(store, None, None)])
    first.hint()
    first.reply(STRONG[0])
    first.hint()  # asked for, then the process died before replying
    session_id = store.sessions(open_only=True)[0].id
    resumed = resume(store, scenario, session_id)
    assert [t.reply for t in resumed.turns] == STRONG[:1] and resumed.hints_used == 2
    for text in STRONG[1:]:
        resumed.reply(text)
    record = store.session(session_id)
    expected = replay(scenario, STRONG, seed=5).report()
    assert record.summary.outcome == "strong" and len(store.sessions()) == 1
    assert record.report == replace(expected, hints_used=2)
    with pytest.raises(CoachError, match="already finished"):
        resume(store, scenario, session_id)


def test_resume_refuses_a_scenario_that_changed(store: Store, scenario, records_catalog, tmp_path: Path) -> None:
    Session(scenario, listeners=[RecordingListener(store)]).reply(STRONG[0])
    session_id = store.sessions()[0].id
    store.db.execute("UPDATE turns SET data = replace(data, '\"answer\":\"', '\"answer\":\"edited ')")
    with pytest.raises(CoachError, match="has changed"):
        resume(store, scenario, session_id)


def test_close_keeps_an_interrupted_session_as_unfinished(store: Store, scenario) -> None:
    Session(scenario, listeners=[RecordingListener(store)]).reply(STRONG[0])
    session_id = store.sessions()[0].id
    assert close_interrupted(store, session_id, scenario) == "unfinished"
    record = store.session(session_id)
    assert record.summary.ended is not None and record.report.goals_met[0].id == "nearby.psychological-safety"
    with pytest.raises(CoachError, match="already closed"):
        close_interrupted(store, session_id, None)


def test_sessions_are_tagged_and_last_results_follow(db_path: Path, scenario) -> None:
    with Store.open(db_path) as store:
        store.create_workshop("spring")
        replay(scenario, POOR, listeners=[RecordingListener(store, "spring", "Ann")])
        replay(scenario, STRONG, listeners=[RecordingListener(store, "spring", "Ann")])
        sessions = store.sessions()
    assert [(s.workshop, s.participant, s.outcome) for s in sessions] == [
        ("spring", "Ann", "poor"), ("spring", "Ann", "strong")]
    assert last_results(db_path) == {"records-fixture": "strong"}


def test_scenario_hash_follows_the_loaded_content_not_the_object(scenario) -> None:
    from dataclasses import replace

    from coach.records.listener import scenario_hash

    assert scenario_hash(scenario) == scenario_hash(replace(scenario))  # same content, another object
    assert scenario_hash(scenario) != scenario_hash(replace(scenario, synonyms=(("a", "b"),)))


def test_a_reply_taken_back_is_kept_aside_and_the_session_resumes_without_it(store: Store, scenario) -> None:
    session = Session(scenario, seed=4, listeners=[RecordingListener(store)])
    session.reply(STRONG[0])
    session.reply(POOR[0])
    session.undo()
    session_id = store.sessions()[0].id
    record = store.session(session_id)
    assert record.replies == [STRONG[0]] and record.summary.turns == 1
    assert [turn.reply for turn in store.undone_turns(session_id)] == [POOR[0]]
    assert record.summary.goals_met == len(session.goals_met)
    session.reply(STRONG[1])  # the retry takes the undone turn's place
    resumed = resume(store, scenario, session_id)
    assert [turn.reply for turn in resumed.turns] == [STRONG[0], STRONG[1]]
    assert resumed.transcript == session.transcript and resumed.report().retries == 1


def test_retries_are_kept_in_the_stored_report_and_its_exports(store: Store, scenario) -> None:
    from coach.records.exports import render

    session = Session(scenario, listeners=[RecordingListener(store)])
    session.reply(POOR[0])
    session.undo()
    for text in STRONG:
        if not session.ended:
            session.reply(text)
    record = store.session(store.sessions()[0].id)
    assert record.report is not None and record.report.retries == 1
    assert "<strong>Retries:</strong> 1" in render(record, "html") and "**Retries:** 1" in render(record, "md")


def test_an_attempt_left_before_any_reply_leaves_nothing_and_a_stopped_one_is_kept(db_path: Path, scenario) -> None:
    from coach.records.service import RecordsOptions, SessionService

    service = SessionService(RecordsOptions(db_path))
    try:
        finished = service.new_session(scenario, seed=0, mode="practice")
        for text in STRONG:
            finished.reply(text)
        service.new_session(scenario, seed=1, mode="practice").close()  # opened and left: not an attempt
        stopped = service.new_session(scenario, seed=2, mode="practice")
        stopped.reply(POOR[0])
        stopped.close()  # quit, leave or restart after a reply
        sessions = service.sessions()
        assert [s.outcome for s in sessions] == ["strong", "unfinished"]
        assert service.last_results() == {"records-fixture": "strong"}  # stopping early hides no result
    finally:
        service.close()


def test_the_service_refuses_contradicting_options() -> None:
    from coach.records.service import RecordsOptions

    with pytest.raises(CoachError, match="--participant goes with --workshop"):
        RecordsOptions(participant="Ann").validate()
    with pytest.raises(CoachError, match="cannot go with --no-record"):
        RecordsOptions(workshop="spring", record=False).validate()
