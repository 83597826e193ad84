"""The app and `coach play --script --seed --json` give the same turns, feedback and report."""

from __future__ import annotations

import json

from coach.app.widgets import CitationLink
from coach.cli import main as cli_main
from tests.app.helpers import SCENARIOS, fixture_catalog, make_app, send, start

SEED = 11


async def play_in_app(catalog, scenario_id: str, replies, seed: int) -> tuple[dict, list[str]]:
    """Play `replies` through the UI; the session's data and the citations the screen showed."""
    app = make_app(catalog, seed=seed)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, scenario_id)
        session = app.screen.session
        for reply in replies:
            if session.ended:
                break
            await send(pilot, reply)
        cited = [link.citation.id for link in app.screen.query(CitationLink)]
        await pilot.press("ctrl+n")
        await pilot.pause()
        if not session.ended:
            await pilot.press("y")
            await pilot.pause()
        return session.to_dict(), cited


def play_in_cli(capsys, tmp_path, scenario_id: str, replies, seed: int, *extra: str) -> dict:
    script = tmp_path / "script.txt"
    script.write_text("\n".join(replies) + "\n", encoding="utf-8")
    capsys.readouterr()
    status = cli_main(["play", scenario_id, "--script", str(script), "--seed", str(seed), "--json", *extra])
    assert status == 0
    return json.loads(capsys.readouterr().out)


def cited_in(data: dict) -> list[str]:
    return [c["id"] for turn in data["turns"] for item in turn["feedback"] for c in item["citations"]]


async def test_fixture_scenario_same_in_app_and_cli(capsys, tmp_path):
    replies = ["Hello Robin.", "How do you see the problem?", "Let us check in again next week."]
    app_data, cited = await play_in_app(fixture_catalog(), "checkin", replies, SEED)
    cli_data = play_in_cli(capsys, tmp_path, "checkin", replies, SEED, "--scenarios", str(SCENARIOS))
    assert app_data == cli_data
    assert cited == cited_in(cli_data) == ["habits.ask", "habits.follow-up"]
