"""The built site in headless Debian Chromium: every chart draws, on every route into a page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

ANSAN_CHARTS = 19  # aggregate, overview, lens and 16 areas with a published score


def ask_for_every_chart(pg) -> None:
    """Ask for the interactive version of every chart in view, as a keyboard user does (its button)."""
    pg.wait_for_function("() => document.querySelectorAll('figure.icc-chart[data-icc-armed]').length > 0")
    pg.evaluate(
        "() => document.querySelectorAll('figure.icc-chart .icc-chart__explore').forEach("
        "b => { if (b.getClientRects().length) b.click(); })"
    )


def drawn_charts(pg) -> list[dict]:
    """Ask for every chart in view, wait until each is drawn (or failed), and give for every
    chart: its id, whether it drew, and how many marks its SVG holds."""
    ask_for_every_chart(pg)
    pg.wait_for_function(
        "() => [...document.querySelectorAll('figure.icc-chart')].filter(f => f.getClientRects().length).every("
        "f => f.classList.contains('icc-chart--drawn') || f.classList.contains('icc-chart--failed'))",
        timeout=15000,
    )
    return pg.evaluate("""() => [...document.querySelectorAll('figure.icc-chart')].map(f => ({
        id: f.id,
        drawn: f.classList.contains('icc-chart--drawn'),
        marks: f.querySelectorAll('svg g[class*="mark-"] path, svg g[class*="mark-"] text').length,
        label: (f.querySelector('[role="graphics-document"]') || {getAttribute: () => null}).getAttribute('aria-label'),
        alt: f.querySelector('img.icc-chart__static')
            ? f.querySelector('img.icc-chart__static').getAttribute('alt') : f.getAttribute('data-label'),
    }))""")


def assert_all_drawn(charts, expected: int):
    assert len(charts) == expected
    for chart in charts:
        assert chart["drawn"] and chart["marks"] > 0, chart
        # the drawn chart is named by the chart's sentence (Vega would say "Vega visualization")
        assert chart["label"] and chart["label"] == chart["alt"], chart


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


def test_static_charts_follow_the_dark_palette(page, site_url):
    page.goto(site_url + "cities/ansan/")
    image = "document.querySelector('#chart-commitment img.icc-chart__static')"
    assert page.evaluate(f"getComputedStyle({image}).filter") == "none"
    page.locator("label[for='__palette_1']").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    # (drawn in dark text on a transparent ground: inverted, with the hues turned back)
    assert page.evaluate(f"getComputedStyle({image}).filter") == "invert(1) hue-rotate(180deg)"
    assert 'fill="#ffffff"' not in page.evaluate(f"fetch({image}.currentSrc).then(r => r.text())")


def _bundle_requests(pg) -> list[str]:
    return [u for u in pg.requests if "vega-bundle" in u]


@pytest.mark.parametrize("width", [390, 1280])
def test_static_first_the_chart_library_only_on_request(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 844})
    pg = context.new_page()
    pg.requests, errors = [], []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.goto(site_url + "cities/ansan/")
    pg.wait_for_load_state("networkidle")
    # every chart in the first screen shows its static image (the narrow one on a phone), no library
    first = pg.locator("#chart-aggregate img.icc-chart__static")
    pg.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=first.element_handle())
    narrow = pg.evaluate("() => document.querySelector('#chart-aggregate source').srcset.split('/').pop()")
    assert (pg.evaluate("() => document.querySelector('#chart-aggregate img').currentSrc").endswith(narrow)) == (
        width == 390
    )
    assert _bundle_requests(pg) == [] and not [u for u in pg.requests if u.endswith("templates.json")]
    assert pg.evaluate("typeof window.vegaEmbed") == "undefined"
    # a pointer over a chart asks for it: drawn in place of the static image, which hides
    pg.locator("#chart-aggregate img").hover()
    pg.wait_for_function("() => document.querySelector('#chart-aggregate').classList.contains('icc-chart--drawn')")
    assert not pg.locator("#chart-aggregate img.icc-chart__static").is_visible()
    assert pg.locator("#chart-aggregate svg .mark-symbol path, #chart-aggregate svg .mark-tick path").count() > 0
    # the next chart asked for reuses the library: fetched once
    pg.locator("#chart-commitment img").scroll_into_view_if_needed()
    pg.locator("#chart-commitment img").hover()
    pg.wait_for_function("() => document.querySelector('#chart-commitment').classList.contains('icc-chart--drawn')")
    assert len(_bundle_requests(pg)) == 1
    # the others stay static
    assert pg.locator("figure.icc-chart.icc-chart--drawn").count() == 2
    assert errors == []
    context.close()


def test_the_keyboard_asks_for_a_chart_with_its_button(page, site_url):
    page.goto(site_url + "cities/ansan/")
    button = page.locator("#chart-media .icc-chart__explore")
    # (each chart's button is told apart by its caption)
    assert page.evaluate(
        "(b) => document.getElementById(b.getAttribute('aria-describedby')).textContent", button.element_handle()
    ).startswith("Media:")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#chart-media').classList.contains('icc-chart--drawn')")
    assert not button.is_visible()
    # focus moves into the drawn chart (its download menu), not back to the top of the page
    assert page.evaluate("() => document.activeElement.closest('#chart-media') !== null")
    assert page.errors == []


@pytest.mark.parametrize("path", ["", "about/", "practices/", "practices/bradford/schools-linking-network/"])
def test_pages_without_charts_never_load_the_chart_library(page, site_url, path):
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    assert page.locator("figure.icc-chart").count() == 0
    assert _bundle_requests(page) == []
    page.mouse.move(300, 400)
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(300)
    assert _bundle_requests(page) == [] and page.errors == []


def test_the_header_title_is_whole_on_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.goto(site_url + "cities/ansan/")
    topic = pg.locator(".md-header__title .md-header__topic").first
    assert topic.inner_text() == "Intercultural Cities Index"
    assert pg.evaluate("(t) => t.scrollWidth <= t.clientWidth", topic.element_handle())
    context.close()


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


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["results/", "areas/commitment/", "cities/ansan/"])
def test_nothing_moves_as_the_page_loads_or_a_chart_turns_interactive(browser, site_url, path, width):
    context = browser.new_context(viewport={"width": width, "height": 844})
    pg = context.new_page()
    pg.add_init_script(
        "window.__shift = 0; new PerformanceObserver((list) => list.getEntries().forEach("
        "(e) => { window.__shift += e.value; })).observe({type: 'layout-shift', buffered: true});"
    )
    pg.goto(site_url + path)
    pg.wait_for_load_state("networkidle")
    # (the filters and hints that need JavaScript are there from the first paint; what is
    # left, on a busy machine, is a pixel's nudge as the scripts run, such as a sortable
    # table's headings turning into buttons: measured 0 to 0.005, where a control or image
    # appearing late moved the page by 0.075 before)
    assert pg.evaluate("window.__shift") < 0.01
    # the browser does not put back a band the table and chart no longer show
    filters = pg.locator("select[data-icc-filter]").evaluate_all("(s) => s.map((x) => x.autocomplete)")
    assert filters == (["off"] * 2 if path != "cities/ansan/" else [])
    # a chart turns interactive under the pointer (a hover is not an input that excuses a
    # shift) in the static image's box, at the image's size: nothing below it moves
    figure = pg.locator("figure.icc-chart").nth(1 if path == "cities/ansan/" else 0)
    figure.scroll_into_view_if_needed()
    before = figure.bounding_box()
    image = figure.locator("img.icc-chart__static").bounding_box()
    pg.evaluate("window.__shift = 0")
    figure.hover()
    figure.evaluate(
        "(f) => new Promise((done) => { const check = () => "
        "f.classList.contains('icc-chart--drawn') ? done() : setTimeout(check, 50); check(); })"
    )
    pg.wait_for_timeout(300)
    after = figure.bounding_box()
    assert abs(after["height"] - before["height"]) < 1 and abs(after["y"] - before["y"]) < 1, (before, after)
    # the chart is where the image was, and its menu covers none of it
    chart = figure.locator("svg.marks").bounding_box()
    assert all(abs(chart[k] - image[k]) < 1 for k in ("x", "y", "width", "height")), (image, chart)
    menu = figure.locator(".vega-embed summary").bounding_box()
    assert menu["y"] + menu["height"] <= chart["y"] + 1, (menu, chart)
    assert pg.evaluate("window.__shift") < 0.001
    context.close()
