"""The site deployed under a sub-path (as GitHub Pages serves a project site): every link still works."""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import ROOT, built_and_served
from htmltools import read

PREFIX = "city-index"


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages")
    with built_and_served(ROOT, root, PREFIX) as (_, url):
        yield root, url


def test_every_link_resolves_under_the_sub_path(deployed):
    root, url = deployed
    base = urlsplit(url)
    broken = []
    for page in sorted((root / PREFIX).rglob("*.html")):
        page_url = urljoin(url, page.relative_to(root / PREFIX).as_posix())
        parsed = read(page)
        for href in parsed.links + [u for _, u in parsed.resources]:
            target = urlsplit(urljoin(page_url, href))
            if target.scheme not in ("http", "https") or target.netloc != base.netloc:
                continue
            path = root / unquote(target.path).lstrip("/")
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                broken.append(f"{page.relative_to(root)}: {href}")
    assert broken == []


def test_404_page_is_styled_from_the_sub_path(deployed):
    root, _ = deployed
    html = (root / PREFIX / "404.html").read_text(encoding="utf-8")
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert stylesheets and all(href.startswith(f"/{PREFIX}/") for href in stylesheets)


def test_charts_draw_under_the_sub_path(deployed, browser):
    from test_browser import ANSAN_CHARTS, assert_all_drawn, drawn_charts

    _, url = deployed
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Index results per city").first.click()
    page.wait_for_url(f"**/{PREFIX}/results/")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Ansan", exact=True).first.click()
    page.wait_for_url(f"**/{PREFIX}/cities/ansan/")
    assert_all_drawn(drawn_charts(page), ANSAN_CHARTS)
    page.close()
    assert errors == []
