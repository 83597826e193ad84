"""Coach's themes: a high-contrast one that still reads on a washed-out projector."""

from __future__ import annotations

from textual.theme import Theme

PROJECTOR = Theme(
    name="coach-projector",
    primary="#FFD700",
    secondary="#00BFFF",
    accent="#FF8C00",
    warning="#FFD700",
    error="#FF5555",
    success="#00FF7F",
    foreground="#FFFFFF",
    background="#000000",
    surface="#101010",
    panel="#202020",
    boost="#303030",
    dark=True,
    variables={
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#FFD700",
        "footer-key-foreground": "#FFD700",
        "input-selection-background": "#FFD700 50%",
    },
)

THEMES = (PROJECTOR,)
