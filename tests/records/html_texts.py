"""Reading exported HTML in tests: the tags it opens and the text a reader sees."""

from __future__ import annotations

from html.parser import HTMLParser


class HTMLTexts(HTMLParser):
    """Collects the start tags and the visible text of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text = ""

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)

    def handle_data(self, data) -> None:
        self.text += data
