"""Helpers the subcommands share: loading the catalog strictly, writing JSON, reading text."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from coach.errors import CoachError, Problem
from coach.safetext import for_json
from coach.scenario.loader import Catalog, load_default_catalog


def catalog_from(args: argparse.Namespace) -> Catalog:
    """Every scenario coach reads; any broken file is an error (exit 2)."""
    catalog = load_default_catalog(args.scenarios)
    catalog.raise_errors()
    return catalog


def print_json(data: Any) -> None:
    """`data` as indented JSON; control and bidi characters in it are written as `\\u` escapes."""
    sys.stdout.write(for_json(data, indent=2) + "\n")


def read_lines(source: str) -> list[str]:
    """Non-empty lines of a file, or of standard input for `-`, as replies."""
    if source == "-":
        text = sys.stdin.read()
        label = Path("<stdin>")
    else:
        label = Path(source)
        try:
            raw = label.read_bytes()
        except OSError as exc:
            raise CoachError(Problem(f"cannot read file: {exc.strerror or exc}", label)) from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CoachError(Problem("file is not UTF-8 text", label, raw[: exc.start].count(b"\n") + 1)) from None
    lines = [line.rstrip("\r") for line in text.split("\n")]
    replies = [line for line in lines if line.strip()]
    if not replies:
        raise CoachError(Problem("the script has no replies (one reply a line)", label, 1))
    return replies
