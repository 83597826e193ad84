"""`coach match`: what fires on a reply, with scores; for authors and outside evaluation."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from coach.cli.common import catalog_from, print_json, stdin_lines
from coach.errors import CoachError
from coach.safetext import for_json, one_line
from coach.scenario.models import Beat, Scenario

if TYPE_CHECKING:
    from coach.conversation.matcher import Matcher


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("match", parents=[common], help="show what fires on a reply",
                                   description="Show which markers of a scenario fire on TEXT, with scores.")
    parser.add_argument("text", nargs="?", metavar="TEXT", help="the reply (omit with --jsonl)")
    parser.add_argument("--scenario", required=True, metavar="ID", help="scenario id")
    parser.add_argument("--state", metavar="BEAT", help="also say which beat the reply leads to from BEAT")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--jsonl", action="store_true", help="read replies a line from stdin; print JSON a line")
    parser.add_argument("--explain", action="store_true",
                        help="for every marker: best phrase, score, threshold and why it did (not) fire")
    parser.set_defaults(run=run)


def match_object(matcher: Matcher, text: str) -> dict[str, object]:
    """The JSON contract: the text and every match with marker, kind, briefing, score, phrase, span."""
    return {"text": text, "matches": [m.to_dict() for m in matcher.match(text)]}


def next_beat(scenario: Scenario, beat: Beat, text: str) -> str:
    """Where `text` leads from `beat`, played by the engine as the first reply of a conversation."""
    from coach.conversation.engine import Session

    session = Session(scenario, start=beat.id)
    return session.reply(text).beat


def run(args: argparse.Namespace) -> int:
    from coach.conversation.engine import matcher_for

    scenario = catalog_from(args).scenario(args.scenario)
    matcher = matcher_for(scenario)
    beat = None
    if args.state:
        state = scenario.states.get(args.state)
        if not isinstance(state, Beat):
            raise CoachError(f"unknown beat {args.state!r} in scenario {scenario.id!r}; "
                             f"beats: {', '.join(b.id for b in scenario.beats)}")
        beat = state
    if args.jsonl:
        for line in stdin_lines():  # UTF-8 whatever the locale: a bad byte is a one-line error
            text = line.rstrip("\r\n")
            obj = match_object(matcher, text)
            if args.explain:
                obj["verdicts"] = [v.to_dict() for v in matcher.explain(text)]
            sys.stdout.write(for_json(obj) + "\n")
        return 0
    if args.text is None:
        raise CoachError("match needs TEXT (or --jsonl to read replies from stdin)")
    result = match_object(matcher, args.text)
    verdicts = matcher.explain(args.text) if args.explain else []
    if args.explain:
        result["verdicts"] = [v.to_dict() for v in verdicts]
    if beat is not None:
        result["state"] = beat.id
        result["next"] = next_beat(scenario, beat, args.text)
    if args.json:
        print_json(result)
        return 0
    if args.explain:
        from coach.authoring.checks import verdict_lines

        print("\n".join(verdict_lines(verdicts)))
    elif not result["matches"]:
        print("nothing fires")
    for m in [] if args.explain else result["matches"]:
        print(f"{m['kind']:7} {m['marker']:28} {m['score']:5.1f}  {', '.join(m['briefing'])}")
        print(f"        phrase \u201c{one_line(m['phrase'])}\u201d  matched \u201c{one_line(m['span'])}\u201d")
    if beat is not None:
        print(f"from {beat.id} this leads to {result['next']}")
    return 0
