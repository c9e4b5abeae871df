"""The built site in headless Debian Chromium: every chart draws, on every route into a page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

ANSAN_CHARTS = 19  # aggregate, overview, lens and 16 areas with a published score


def drawn_charts(pg) -> list[dict]:
    """For every chart on the page: its id, whether it drew, and how many marks its SVG holds."""
    pg.wait_for_function(
        "() => [...document.querySelectorAll('figure.icc-chart')].every("
        "f => f.classList.contains('icc-chart--drawn') || f.classList.contains('icc-chart--failed'))",
        timeout=15000,
    )
    return pg.evaluate("""() => [...document.querySelectorAll('figure.icc-chart')].map(f => ({
        id: f.id,
        drawn: f.classList.contains('icc-chart--drawn'),
        marks: f.querySelectorAll('svg g[class*="mark-"] path, svg g[class*="mark-"] text').length,
        label: (f.querySelector('svg') || {getAttribute: () => null}).getAttribute('aria-label'),
    }))""")


def assert_all_drawn(charts, expected: int):
    assert len(charts) == expected
    for chart in charts:
        assert chart["drawn"] and chart["marks"] > 0, chart
        assert chart["label"], chart


def only_local(requests, site_url):
    host = urlsplit(site_url).netloc
    return [u for u in requests if urlsplit(u).netloc not in (host, "") and not u.startswith(("data:", "blob:"))]


def test_every_chart_on_ansan_draws(page, site_url):
    page.goto(site_url + "cities/ansan/")
    assert_all_drawn(drawn_charts(page), ANSAN_CHARTS)
    assert page.errors == []
    assert only_local(page.requests, site_url) == []


def test_charts_draw_after_instant_navigation(page, site_url):
    page.goto(site_url)
    # instant navigation takes over links once Material has read the sitemap
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="Index results per city").first.click()
    page.wait_for_url("**/results/")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Ansan", exact=True).first.click()
    page.wait_for_url("**/cities/ansan/")
    # (the address changes before Material swaps the new page in)
    page.wait_for_function(
        "document.querySelector('article h1') && document.querySelector('article h1').textContent.includes('Ansan')"
    )
    assert_all_drawn(drawn_charts(page), ANSAN_CHARTS)
    # the page was swapped in by instant navigation, not loaded afresh
    assert page.evaluate("window.__sameDocument") is True
    assert page.errors == []


def test_charts_follow_the_dark_palette(page, site_url):
    page.goto(site_url + "cities/ansan/")
    drawn_charts(page)

    def label_colour():
        return page.evaluate("""() => getComputedStyle(
            document.querySelector('#chart-commitment svg .role-axis-label text')).fill""")

    light = label_colour()
    page.locator("label[for='__palette_1']").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.wait_for_function(
        "(old) => { const t = document.querySelector('#chart-commitment svg .role-axis-label text');"
        " return t && getComputedStyle(t).fill !== old; }",
        arg=light,
        timeout=10000,
    )
    dark = label_colour()
    assert light != dark
    # light text on the dark palette: every channel of the label colour is bright
    channels = [int(x) for x in dark[dark.index("(") + 1 : dark.index(")")].split(",")[:3]]
    assert min(channels) > 180, dark
    assert page.errors == []


def test_sortable_table(page, site_url):
    page.goto(site_url + "results/")
    header = page.locator(".icc-sortable th", has_text="Aggregate")
    header.locator("button").click()
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    first = page.locator(".icc-sortable tbody tr").first.locator("td").nth(3).inner_text()
    assert first == "87"  # Guro 2020 has the highest published aggregate on the site


@pytest.mark.parametrize(
    "query, city",
    [
        ("Мелітополь", "melitopol"),  # Cyrillic native name
        ("Мелітопол", "melitopol"),  # and its prefix
        ("안산", "ansan"),  # Hangul, a prefix of 안산시
        ("Λεμεσός", "limassol"),  # Greek
        ("Zürich", "zurich"),
        ("Zurich", "zurich"),
        ("Geneve", "geneva"),  # typed without the accent of Genève
    ],
)
def test_search_finds_a_city_by_its_native_name(page, site_url, query, city):
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.locator("input.md-search__input").first.click()
    page.keyboard.type(query)
    page.keyboard.press("End")  # some scripts arrive without key events; a key release triggers the search
    page.wait_for_function("() => document.querySelector('.md-search-result__link') !== null", timeout=10000)
    first = page.locator(".md-search-result__link").first.get_attribute("href")
    assert f"/cities/{city}/" in first
