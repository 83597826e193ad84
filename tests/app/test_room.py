"""Issue 13: the trainer's room view in the app (palette "Room"): live, anonymised until `n`."""

from __future__ import annotations

from textual.widgets import DataTable

from coach.app.records import RecordsLink, RecordsOptions
from coach.app.screens.room import RoomScreen
from coach.records.store import Store
from tests.app.helpers import make_app, settle
from tests.records.room_data import SECRET, turn, workshop_in_progress


async def settled_workers(pilot) -> None:
    """Wait for the records workers (the room is read off the UI thread), then for the screen."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def rows(screen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_room_shows_who_plays_what_and_refreshes_as_turns_arrive(tmp_path):
    path = workshop_in_progress(tmp_path / "r.sqlite3")
    app = make_app(records=RecordsLink(RecordsOptions(db=path, workshop="spring", participant="Trainer")))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Room" in titles
        app.open_room()
        await settled_workers(pilot)
        screen = app.screen
        assert isinstance(screen, RoomScreen) and screen.workshop == "spring"
        playing, done = rows(screen)  # playing first
        assert playing[:6] == ["Participant 2", "Giving hard feedback", "playing", "2", "1/5", "2"]
        assert done[:3] == ["Participant 1", "A quick check-in", "Strong"]
        assert not any(SECRET in cell or cell in ("Ana", "Bea") for row in rows(screen) for cell in row)

        with Store.open(path) as store:
            [open_session] = store.sessions(workshop="spring", open_only=True)
            store.add_turn(open_session.id, turn(2, "third", pitfalls=1))
        screen.refresh_room()  # what a change of the records files (or the slow timer) does
        await settled_workers(pilot)
        assert rows(screen)[0][3:6] == ["3", "1/5", "3"]

        await pilot.press("n")
        await settled_workers(pilot)
        assert rows(screen)[0][0] == "Ana" and rows(screen)[0][-1] == "third"
        await pilot.press("w")  # the next workshop: nobody there yet
        await settled_workers(pilot)
        assert screen.workshop == "other" and rows(screen) == []


async def test_the_room_follows_a_turn_written_elsewhere_without_waiting_for_the_timer(tmp_path):
    """Another participant's coach commits a turn: the room reads it again on the next look at
    the records' files (twice a second), not at the slow refresh."""
    from coach.app.screens import room

    assert room.REFRESH_SECONDS >= 10  # so only the change watch can explain the update below
    path = workshop_in_progress(tmp_path / "r.sqlite3")
    app = make_app(records=RecordsLink(RecordsOptions(db=path, workshop="spring", participant="Trainer")))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.open_room()
        await settled_workers(pilot)
        screen = app.screen
        assert rows(screen)[0][3] == "2"
        with Store.open(path) as store:
            [open_session] = store.sessions(workshop="spring", open_only=True)
            store.add_turn(open_session.id, turn(2, "third", pitfalls=1))
        for _ in range(20):  # at most about two seconds
            await pilot.pause(0.1)
            await settled_workers(pilot)
            if rows(screen)[0][3] == "3":
                break
        assert rows(screen)[0][3:6] == ["3", "1/5", "3"]
