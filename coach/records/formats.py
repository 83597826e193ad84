"""Exports and reports as a registry: one entry per (what, format), used by the CLI and the app.

Markdown and HTML are Jinja2 templates in `templates/`; JSON is the record's one serializer.
HTML is autoescaped. Markdown has no autoescaping of its own, so its environment *finalizes*
every `{{ }}` with `coach.safetext.for_markdown` on one line (also the `md` filter): a template cannot
forget to escape a reply, a name or an imported title. `code` and `quote` make a code span and
a blockquote of untrusted text and mark their output as done. Jinja2 is imported on first
render, so commands that do not export never load it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from coach.errors import CoachError
from coach.records import EXPORT_FORMATS
from coach.safetext import for_markdown, one_line


@dataclass(frozen=True, slots=True)
class Entry:
    """How one thing is written in one format: a template, or JSON data from the context."""

    template: str | None = None
    data: Callable[[dict[str, Any]], Any] | None = None


_BLANK_RUNS = re.compile(r"\n(?:[ \t]*\n){2,}")

REGISTRY: dict[tuple[str, str], Entry] = {
    ("session", "md"): Entry("session.md"),
    ("session", "html"): Entry("session.html"),
    ("session", "json"): Entry(data=lambda context: context["export"]),
    ("workshop", "md"): Entry("workshop.md"),
    ("workshop", "html"): Entry("workshop.html"),
    ("workshop", "json"): Entry(data=lambda context: context["workshop"]),
}


def render(kind: str, fmt: str, context: dict[str, Any]) -> str:
    """`kind` ("session" or "workshop") written as `fmt`, from the template's `context`."""
    entry = REGISTRY.get((kind, fmt))
    if entry is None:
        raise CoachError(f"unknown export format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}")
    if entry.data is not None:
        from coach.conversation.record import to_json

        return to_json(entry.data(context), indent=2) + "\n"
    assert entry.template is not None
    suffix = entry.template.rpartition(".")[2]
    text = _environment(suffix).get_template(entry.template).render(context)
    if suffix == "md":  # templates stay readable; the file gets no runs of blank lines
        text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip() + "\n"


class _Done(str):
    """Text already made safe for Markdown (the finalizer leaves it as it is)."""


def _finalize(value: Any) -> Any:
    if isinstance(value, _Done) or not isinstance(value, str):
        return value
    return _md(value)


def _md(value: Any) -> _Done:
    """Text as literal Markdown on one line (so it cannot break a list item or a table row)."""
    return value if isinstance(value, _Done) else _Done(for_markdown(one_line(str(value))))


def _code(value: Any) -> _Done:
    """A code span: on one line, without backticks (inside one, backslash escapes show literally)."""
    text = one_line(str(value)).replace("`", "\u02cb")
    return _Done(f"`{text}`" if text else "")


def _quote(value: Any) -> _Done:
    """A blockquote that keeps the user's line breaks."""
    lines = str(value).splitlines() or [""]
    return _Done("\n".join("> " + for_markdown(line) if line else ">" for line in lines))


@cache
def _environment(suffix: str) -> Any:
    import jinja2

    if suffix == "html":
        env = jinja2.Environment(loader=jinja2.PackageLoader("coach.records", "templates"), autoescape=True,
                                 trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    else:
        env = jinja2.Environment(loader=jinja2.PackageLoader("coach.records", "templates"), autoescape=False,
                                 finalize=_finalize, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
        env.filters.update(md=_md, code=_code, quote=_quote)
    from coach.records.html import STYLE

    env.globals["style"] = STYLE
    return env
