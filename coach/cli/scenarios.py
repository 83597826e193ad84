"""`coach list`: the scenarios there are, with their learning goals."""

from __future__ import annotations

import argparse

from coach.cli.common import catalog_from, print_json
from coach.safetext import one_line


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("list", parents=[common], help="list the scenarios",
                                   description="List the scenarios with id, title and learning goals.")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    catalog = catalog_from(args)
    scenarios = sorted(catalog.scenarios.values(), key=lambda s: s.id)
    if args.json:
        print_json([
            {"id": s.id, "title": s.title, "summary": s.summary, "minutes": s.minutes,
             "counterpart": {"name": s.counterpart.name, "role": s.counterpart.role},
             "goals": [{"id": item.id, "title": item.title} for item in s.goal_items],
             "path": str(s.path)}
            for s in scenarios
        ])
        return 0
    for scenario in scenarios:
        print(f"{scenario.id}  {one_line(scenario.title)}  (~{scenario.minutes} min, with "
              f"{one_line(scenario.counterpart.name)}, {one_line(scenario.counterpart.role)})")
        for goal in scenario.goal_items:
            print(f"    {goal.id:32} {one_line(goal.title)}")
    return 0
