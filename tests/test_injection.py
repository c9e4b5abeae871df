"""Text from city files cannot run script or load anything, on the page or through search,
and shows exactly as the file writes it: on the page, in its title, in search, in the chart
data and in the open data."""

from __future__ import annotations

import csv
import html
import io
import json
from html.parser import HTMLParser

import pytest
from conftest import built_and_served, copy_project
from htmltools import Page, read

EVIL = """\
name: Evilton <img src=x onerror="window.__xss = 'name'">
native_name: '"><script>window.__xss = "native"</script>'
country: FR
overview: >-
  Main square <img src=x onerror="window.__xss = 'img'"> renovated.
  <script>window.__xss = 'script'</script>
  A [tempting link](javascript:window.__xss='link') and an [encoded one](JaVaScRiPt:window.__xss='link2').
  An image ![tracker](http://example.org/pixel.png) from elsewhere.
  A paragraph with attributes {: onclick="window.__xss='attr'" }
facts:
  - {label: "<b onmouseover=window.__xss=1>Fact</b>", value: "<a href='javascript:window.__xss=2'>x</a>"}
sources:
  s: {title: "Source <svg onload=window.__xss=3>"}
editions:
  - year: 2020
    source: s
    scores: {aggregate: 50, commitment: 40}
    areas:
      commitment:
        does: 'Does <iframe src="javascript:window.__xss=4"></iframe> things.'
practices:
  - key: trap
    title: 'Trap <img src=x onerror="window.__xss=5">'
    areas: [commitment]
    summary: '<script>window.__xss=6</script> summary'
    status: page
"""


#: Names and text full of characters that HTML, Markdown and Jinja give a meaning to.
EXACT = """\
name: "AT&T <b>*Bold*</b> #1 [x](y) {z} \\\\"
native_name: "3 < 4 {{ w }}"
country: FR
overview: "Uses `AT&T`, `3 < 4` and `{a}` daily; 5 > 2 & {b} #c."
sources:
  s: {title: "Report <i>2020</i> & [notes](x)"}
editions:
  - year: 2020
    source: s
    scores: {aggregate: 50, commitment: 40}
"""
EXACT_NAME = "AT&T <b>*Bold*</b> #1 [x](y) {z} \\"
EXACT_OVERVIEW = "Uses AT&T, 3 < 4 and {a} daily; 5 > 2 & {b} #c."


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("evil"))
    (project / "cities" / "evilton.yaml").write_text(EVIL, encoding="utf-8")
    (project / "cities" / "exactville.yaml").write_text(EXACT, encoding="utf-8")
    with built_and_served(project, project / "site") as served:
        yield served


class _Elements(HTMLParser):
    """Every element inside <article> with its attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.depth = 0
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        elif self.depth:
            self.found.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1


def test_no_markup_from_data_survives_in_the_html(evil_site):
    site, _ = evil_site
    for page in ("cities/evilton/index.html", "practices/evilton/trap/index.html", "results/index.html"):
        elements = _Elements((site / page).read_text(encoding="utf-8")).found
        tags = {tag for tag, _ in elements}
        assert not tags & {"script", "iframe", "svg", "object", "embed", "b"}, (page, tags)
        for tag, attrs in elements:
            if tag == "img":  # only the static renders of the site's own charts
                assert "/assets/charts/svg/" in "/" + attrs["src"].replace("../", ""), attrs
            assert not [a for a in attrs if a.startswith("on")], (page, tag, attrs)
            href = (attrs.get("href") or "").strip().lower()
            assert not href.startswith(("javascript:", "data:", "vbscript:")), (page, href)
    # the text itself is still there, shown as text
    text = (site / "cities/evilton/index.html").read_text(encoding="utf-8")
    assert "Main square &lt;img src=x" in text
    head = text[: text.index("</head>")]
    assert "<script>window" not in head and "<img" not in head


def test_search_index_carries_no_markup(evil_site):
    site, _ = evil_site
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = [d for d in index["docs"] if "evilton" in d["location"]]
    assert docs
    for doc in docs:
        for bad in ("<script", "<img", "<svg", "<iframe", "<b ", "<a "):
            assert bad not in doc["text"] and bad not in doc["title"], (doc["location"], bad)


def test_nothing_runs_in_chromium(evil_site, browser):
    _, url = evil_site
    page = browser.new_page()
    dialogs, requests = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    for path in ("cities/evilton/", "practices/evilton/trap/", "results/"):
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        for link in page.locator("article a:visible").all():
            link.hover()
        assert page.evaluate("window.__xss") is None, path
    # search for the city: results are rendered from the index
    page.goto(url)
    page.locator("input.md-search__input").first.click()
    page.keyboard.type("Evilton")
    page.wait_for_timeout(1500)
    assert page.evaluate("window.__xss") is None
    page.close()
    assert dialogs == []
    assert [r for r in requests if not r.startswith(url)] == []


def test_text_shows_exactly_as_the_file_writes_it(evil_site):
    site, _ = evil_site
    page = read(site / "cities" / "exactville" / "index.html")
    assert page.title.startswith(f"{EXACT_NAME} — ICC Index results")
    assert f"{EXACT_NAME} 3 < 4 {{{{ w }}}}" in page.shown  # (the heading, with the native name)
    assert EXACT_OVERVIEW in page.shown
    assert "Report <i>2020</i> & [notes](x)" in page.shown  # (the source)
    # search shows a result's title and text as HTML: read as a browser would, they are exact
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = [d for d in index["docs"] if d["location"].startswith("cities/exactville/")]
    assert html.unescape(docs[0]["title"]) == f"{EXACT_NAME} 3 < 4 {{{{ w }}}}"
    assert any(Page(d["text"]).shown == EXACT_OVERVIEW for d in docs)
    # the chart data (the charts' labels and tooltips) and the open data keep it character for character
    rows = json.loads((site / "assets" / "charts" / "data" / "aggregate.json").read_text(encoding="utf-8"))
    assert [r["n"] for r in rows if r["c"] == "exactville"] == [EXACT_NAME]
    cities = csv.DictReader(io.StringIO((site / "data" / "cities.csv").read_text(encoding="utf-8")))
    assert [(r["city_name"], r["native_name"]) for r in cities if r["city"] == "exactville"] == [
        (EXACT_NAME, "3 < 4 {{ w }}")
    ]
    record = json.loads((site / "data" / "cities" / "exactville.json").read_text(encoding="utf-8"))
    assert (record["name"], record["overview"]) == (EXACT_NAME, "Uses `AT&T`, `3 < 4` and `{a}` daily; 5 > 2 & {b} #c.")
