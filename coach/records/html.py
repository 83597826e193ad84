"""Self-contained HTML pages with inline SVG charts: no scripts, fonts or files from elsewhere.

Exports and workshop reports are opened from a disk or mailed around, so a page carries its
own style and charts. Every piece of text goes through `esc`; callers build markup only from
escaped pieces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

OUTCOME_COLOURS = {"strong": "#2e7d32", "mixed": "#f9a825", "poor": "#c62828", "unfinished": "#9e9e9e"}

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1b1b1b;line-height:1.45}
h1{font-size:1.7rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left;
vertical-align:top}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.7rem;border-left:3px solid #bbb;white-space:pre-wrap}
code{background:#f2f2f2;padding:0 .2rem}.muted{color:#666}.legend span{margin-right:1rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
svg text{font-family:inherit;font-size:12px}
"""


def esc(text: object) -> str:
    """Text made safe for HTML content and attribute values."""
    return escape(str(text), quote=True)


def page(title: str, body: str) -> str:
    """A whole HTML document around already-escaped `body` markup."""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n")


def quote(text: str) -> str:
    return f"<blockquote>{esc(text)}</blockquote>"


def items(rows: Sequence[str]) -> str:
    """An unordered list of already-escaped items."""
    return "<ul>" + "".join(f"<li>{row}</li>" for row in rows) + "</ul>" if rows else "<p class=muted>none</p>"


@dataclass(frozen=True, slots=True)
class Segment:
    value: float
    colour: str
    label: str  # shown as the tooltip


def bar_chart(rows: Sequence[tuple[str, Sequence[Segment]]], *, scale: float | None = None,
              caption: str = "", unit: str = "") -> str:
    """Horizontal stacked bars, one row per label, as an inline SVG element."""
    label_width, bar_width, row_height = 220, 420, 26
    total = max((sum(s.value for s in segments) for _, segments in rows), default=0)
    scale = scale or total or 1
    height = row_height * len(rows) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{label_width + bar_width + 70}" '
             f'height="{height}" aria-label="{esc(caption)}">']
    for n, (label, segments) in enumerate(rows):
        y = 5 + n * row_height
        short = label if len(label) <= 32 else label[:31] + "\u2026"
        parts.append(f'<text x="{label_width - 6}" y="{y + 16}" text-anchor="end"><title>{esc(label)}</title>'
                     f"{esc(short)}</text>")
        x = float(label_width)
        for segment in segments:
            width = bar_width * segment.value / scale
            if width > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{row_height - 8}" '
                             f'fill="{esc(segment.colour)}"><title>{esc(segment.label)}</title></rect>')
            x += width
        value = sum(s.value for s in segments)
        shown = f"{round(value)}{unit}" if value != int(value) else f"{value:g}{unit}"
        parts.append(f'<text x="{x + 5:.1f}" y="{y + 16}">{esc(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def legend(colours: dict[str, str]) -> str:
    return '<p class="legend">' + "".join(
        f'<span><span class="swatch" style="background:{esc(c)}"></span>{esc(name)}</span>'
        for name, c in colours.items()) + "</p>"
