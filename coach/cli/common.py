"""Helpers the subcommands share: loading the catalog strictly, writing JSON, reading text."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from coach.errors import CoachError, Problem
from coach.safetext import for_json
from coach.scenario.catalog_cache import load_default_catalog
from coach.scenario.loader import Catalog


def catalog_from(args: argparse.Namespace) -> Catalog:
    """Every scenario coach reads; any broken file is an error (exit 2)."""
    catalog = load_default_catalog(args.scenarios)
    catalog.raise_errors()
    return catalog


def print_json(data: Any) -> None:
    """`data` as indented JSON; control and bidi characters in it are written as `\\u` escapes."""
    sys.stdout.write(for_json(data, indent=2) + "\n")


STDIN = Path("<stdin>")


def decode_utf8(raw: bytes, label: Path, line_offset: int = 0) -> str:
    """`raw` as UTF-8 text, or a one-line error naming the line with the first bad byte.

    Replies are never decoded with replacement: a reply changed behind the user's back would
    be matched, recorded and shown as something they did not write.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = line_offset + raw[: exc.start].count(b"\n") + 1
        what = "standard input" if label == STDIN else "file"
        raise CoachError(Problem(f"{what} is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
                                 label, line)) from None


def typed_line(prompt: str) -> str:
    """A line typed at the terminal; one that is not UTF-8 (a raw decode error, or the lone
    surrogates a C locale makes of bad bytes) is a one-line error, never stored."""
    try:
        text = input(prompt)
        text.encode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        raise CoachError(Problem("the line typed is not UTF-8 text; set a UTF-8 locale (e.g. LANG=C.UTF-8)",
                                 STDIN)) from None
    return text


def read_stdin_text() -> str:
    """All of standard input as UTF-8 text, whatever the locale says (bytes are decoded here,
    so a non-UTF-8 byte is a one-line error, not a traceback or a lone surrogate)."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # replaced by a text stream (tests)
        return sys.stdin.read()
    return decode_utf8(buffer.read(), STDIN)


def stdin_lines() -> Iterator[str]:
    """Standard input a line at a time (as it arrives), decoded as `read_stdin_text` does."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        yield from sys.stdin
        return
    for number, raw in enumerate(iter(buffer.readline, b"")):
        yield decode_utf8(raw, STDIN, number)


def read_lines(source: str) -> list[str]:
    """Non-empty lines of a file, or of standard input for `-`, as replies."""
    if source == "-":
        text = read_stdin_text()
        label = STDIN
    else:
        label = Path(source)
        try:
            raw = label.read_bytes()
        except OSError as exc:
            raise CoachError(Problem(f"cannot read file: {exc.strerror or exc}", label)) from None
        text = decode_utf8(raw, label)
    lines = [line.rstrip("\r") for line in text.split("\n")]
    replies = [line for line in lines if line.strip()]
    if not replies:
        raise CoachError(Problem("the script has no replies (one reply a line)", label, 1))
    return replies


def add_jobs(parser: argparse.ArgumentParser) -> None:
    """`--jobs N`: processes that share the scenario files (`coach validate`, `coach test`)."""
    import os

    parser.add_argument("-j", "--jobs", type=_jobs, default=max(1, min(os.cpu_count() or 1, 8)), metavar="N",
                        help="check the files on up to N processes (default: one per core; many files only)")


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"expected a number of processes from 1 to 64, got {text!r}")
    return value
