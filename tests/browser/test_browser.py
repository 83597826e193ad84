"""Issue 13: `coach serve` and the workshop HTML report in a real browser.

Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it) driven by Playwright's
Python package: `playwright install` is never run, the browser is the system's. The test opens
`coach serve` with its token, plays two turns of a scenario through the page (a click gives
the terminal focus, then keys), checks the turns reached the records, and then checks the
workshop HTML report draws its charts with every label inside the page. Screenshots go to
`$COACH_SCREENSHOTS` (default: a temporary folder), printed at the start.

Skipped, saying why, only when Chromium is absent outside CI; with CI=true it must run.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.records.store import Store
from tests.records.room_data import turn

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 800}
REPLIES = ["Hi Amara, I'm your mentor, not your manager: nothing you tell me goes into your review.",
           "How do you like to work, and how do you like to get feedback?"]

if not CHROMIUM.exists() and os.environ.get("CI") != "true":
    pytest.skip("Chromium is not installed (/usr/bin/chromium): `apt-get install -y chromium` to run the browser "
                "test (CI installs it and always runs it)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev extra: pip install -e '.[dev]'")


@pytest.fixture
def shots(tmp_path_factory, capsys) -> Path:
    folder = Path(os.environ.get("COACH_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    with capsys.disabled():
        print(f"\nbrowser screenshots: {folder}", file=sys.stderr)
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def coach(*argv: str) -> list[str]:
    return [sys.executable, "-m", "coach", *argv]


def wait_for(condition, what: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def turns_recorded(db: Path) -> int:
    with Store.open(db) as store:
        return max((s.turns for s in store.sessions(workshop="room")), default=-1)


def settled(page, shot: Path) -> bool:
    """The page shows the same picture twice in a row, a little apart: the app has painted."""
    first = page.screenshot()
    time.sleep(0.7)
    second = page.screenshot(path=str(shot))
    return first == second


@pytest.fixture
def served(tmp_path):
    db = tmp_path / "records.sqlite3"
    subprocess.run(coach("workshop", "new", "room", "--db", str(db)), check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(coach("serve", "--port", str(port), "--db", str(db), "--workshop", "room",
                                    "--participant", "Robin", "--max-sessions", "2"),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = server.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/\?token=\S+)", line)
        assert match, f"coach serve printed no address: {line!r}"
        yield match.group(1), db
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a session that would not close: do not leave it running
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():  # one Chromium for the module: starting it costs seconds
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_two_turns_through_coach_serve_in_chromium(served, browser, shots):
    url, db = served
    page = browser.new_page(viewport=VIEWPORT)
    foreign: list[str] = []
    origin = url.split("/?")[0]
    page.on("request", lambda request: foreign.append(request.url) if not request.url.startswith(origin) else None)
    page.goto(url)
    page.wait_for_selector("body.-first-byte", timeout=30_000)
    wait_for(lambda: settled(page, shots / "1-introduction.png"), "the app to paint in the page")
    page.locator(".textual-terminal").click()  # the terminal takes keys once it has focus
    page.keyboard.press("Enter")  # past the first-run introduction
    time.sleep(0.5)
    page.keyboard.type("onboard")
    page.keyboard.press("Enter")
    time.sleep(0.5)  # the session is written to the records with its first turn: watch the page instead
    wait_for(lambda: settled(page, shots / "2-conversation.png"), "the conversation screen to paint")
    for number, reply in enumerate(REPLIES, 1):
        page.keyboard.type(reply)
        page.keyboard.press("Enter")
        wait_for(lambda n=number: turns_recorded(db) == n, f"turn {number} to reach the records")
    wait_for(lambda: settled(page, shots / "3-two-turns.png"), "the page to show the second answer")
    with Store.open(db) as store:
        [summary] = store.sessions(workshop="room")
        record = store.session(summary.id)
    assert (summary.scenario, summary.participant) == ("onboarding-talk", "Robin")
    assert record.replies == REPLIES
    assert not foreign, f"the page loaded from other hosts: {foreign}"  # works offline
    page.close()  # ends the session, so the server can stop cleanly


def test_the_workshop_report_draws_its_chart_labels_inside_the_page(browser, shots, tmp_path):
    db = tmp_path / "records.sqlite3"
    subprocess.run(coach("workshop", "new", "room", "--db", str(db)), check=True, capture_output=True)
    for who, replies in (("Ana", REPLIES), ("Bea", ["Just do what I say."])):
        subprocess.run(coach("play", "hard-feedback", "--workshop", "room", "--participant", who, "--db", str(db),
                             "--script", "-"), input="\n".join(replies), text=True, check=True, capture_output=True)
    with Store.open(db) as store:  # someone still playing, as during a workshop: goals known by id only
        playing = store.start_session(scenario="onboarding-talk", title="The onboarding talk", scenario_hash="h",
                                      seed=1, mode="practice", opening="Hi.", goals_total=9, workshop="room",
                                      participant="Cem")
        store.add_turn(playing, turn(0, "Shall we write our agreement down?",
                                     goals=("helps.agreement", "nearby.psychological-safety")))
    out = tmp_path / "report"
    subprocess.run(coach("workshop", "report", "room", "--format", "html", "--out", str(out), "--db", str(db)),
                   check=True, capture_output=True)
    [report] = out.glob("*.html")
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(report.as_uri())
    page.screenshot(path=str(shots / "4-workshop-report.png"), full_page=True)
    charts = page.locator("svg")
    assert charts.count() >= 1
    width = page.viewport_size["width"]
    labels = 0
    for chart in charts.all():
        frame = chart.bounding_box()
        for text in chart.locator("text").all():
            box = text.bounding_box()
            label = text.evaluate("node => node.lastChild.textContent")  # the shown words, not the tooltip
            if not label.strip():
                continue
            labels += 1
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (label, box)
            assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 0.5, \
                (label, box, frame)
    assert labels >= 2
