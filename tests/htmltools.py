"""Small readers of built HTML pages for the tests (standard library only)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar


class Page(HTMLParser):
    """Collects a page's ids, links, resource URLs, tables and text."""

    RESOURCE_ATTRS: ClassVar[dict[str, str]] = {
        "script": "src",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "audio": "src",
        "video": "src",
        "embed": "src",
        "object": "data",
        "link": "href",
    }

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[tuple[str, str]] = []
        self.tables: list[list[list[str]]] = []
        self.text_parts: list[str] = []
        self.title = ""
        self._in_title = False
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._skip = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href") is not None:
            self.links.append(a["href"])
        if tag in self.RESOURCE_ATTRS and a.get(self.RESOURCE_ATTRS[tag]):
            if tag == "link" and (a.get("rel") or "") in ("canonical", "alternate"):
                pass
            else:
                self.resources.append((tag, a[self.RESOURCE_ATTRS[tag]]))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
            self.tables[-1].append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        if tag in ("script", "style"):
            self._skip += 1
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif self._cell is not None:
            self._cell.append(data)
        if not self._skip and not self._in_title:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        """The page's text, a space between elements (cells and words never run together)."""
        return " ".join(" ".join(self.text_parts).split())

    @property
    def shown(self) -> str:
        """The page's text as a reader sees it: elements joined as they stand ("a<b>c</b>"
        is "ac"), runs of white space as one space."""
        return " ".join("".join(self.text_parts).split())


def read(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))
