"""Charts everyone can read: axe-core finds no serious fault, and every chart has its text,
its table and its static render, which stands in when JavaScript is off."""

from __future__ import annotations

import json

import pytest
from htmltools import read
from test_browser import ANSAN_CHARTS, drawn_charts

PAGES = [
    "",
    "results/",
    "cities/ansan/",
    "cities/ansan/2020/",
    "editions/",
    "practices/bradford/schools-linking-network/",
    "fr/areas/commitment/",
    "fr/cities/ansan/2020/",
]


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 1280), ("light", 390)])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_or_critical_violation(browser, site_url, axe, path, scheme, width):
    # (on a phone, tables wider than the screen scroll: they must be reachable from the keyboard)
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    states = ["static"] + (["drawn"] if page.locator("figure.icc-chart").count() else [])
    serious = []
    for state in states:  # (as the page loads, and with every chart drawn)
        if state == "drawn":
            drawn_charts(page)
        result = axe.run(page)
        serious += [
            (state, v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
    context.close()
    assert serious == []


def test_every_chart_has_a_static_render_in_the_built_site(built_site):
    for page_path in [built_site / "cities" / "ansan" / "index.html", built_site / "results" / "index.html"]:
        html = page_path.read_text(encoding="utf-8")
        figures = html.count('<figure class="icc-chart"')
        images = [src for tag, src in read(page_path).resources if tag == "img" and "assets/charts/svg/" in src]
        assert figures and len(images) == figures
        for src in images:
            svg = (page_path.parent / src).resolve()
            assert svg.is_file() and svg.read_bytes().startswith(b"<svg")


def test_without_javascript_every_chart_and_number_shows(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "cities/ansan/")
    images = page.locator("figure.icc-chart img.icc-chart__static")
    assert images.count() == ANSAN_CHARTS
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        assert image.is_visible()
        assert image.get_attribute("alt").startswith(
            (
                "Aggregate index:",
                "Dot chart",
                "Commitment:",
                "Intercultural lens:",
                "Education:",
                "Neighbourhoods:",
                "Public services:",
                "Business",
                "Cultural",
                "Public space:",
                "Mediation:",
                "Language:",
                "Media:",
                "International",
                "Intelligence",
                "Welcoming",
                "Leadership",
                "Participation:",
                "Interaction:",
            )
        )
    text = page.locator("article").inner_text()
    for figure in ("Commitment: 58 points", "Education: 95 points", "Interaction: 100 points"):
        assert figure in text
    context.close()


def test_a_chart_in_a_block_opened_later_takes_its_width(page, site_url):
    page.goto(site_url + "results/")
    page.wait_for_load_state("networkidle")
    figure = page.locator("#chart-scatter")
    assert not figure.is_visible()
    page.locator("details.icc-more > summary").click()
    page.locator("#chart-scatter .icc-chart__explore").click()
    page.wait_for_function("() => document.querySelector('#chart-scatter').classList.contains('icc-chart--drawn')")
    width = page.evaluate("() => document.querySelector('#chart-scatter svg').getBoundingClientRect().width")
    container = page.evaluate("() => document.querySelector('#chart-scatter').getBoundingClientRect().width")
    assert width > 0.8 * container > 100
    marks = page.evaluate("() => document.querySelectorAll('#chart-scatter svg g[class*=\"mark-\"] path').length")
    assert marks >= 3


def test_listing_filters_by_band(page, site_url):
    page.goto(site_url + "results/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.vegaEmbed") == "undefined"

    def bars():
        return page.evaluate("() => document.querySelectorAll('#chart-ranking svg .mark-rect path').length")

    def rows(table):
        return page.locator(f"{table} tbody tr:visible td:first-child").all_inner_texts()

    listing = ".icc-sortable table"
    assert len(rows(listing)) == 17
    # a filter draws the interactive chart (the static one shows every city) and filters the table too
    page.locator("select[data-icc-filter=population]").select_option(label="Over 500,000")
    page.wait_for_function("() => document.querySelector('#chart-ranking').classList.contains('icc-chart--drawn')")
    # Ansan and Barcelona are the cities over 500,000 inhabitants with an aggregate on the site
    assert bars() == 2
    assert sorted(r.split(" ")[0] for r in rows(listing)) == ["Ansan", "Barcelona"]
    assert page.locator(".icc-band-filters__status").inner_text() == "2 of 17 editions shown in the table."
    # both filters at once: no city over 500,000 with under 10 % foreign-born residents
    page.locator("select[data-icc-filter=foreignBorn]").select_option(label="Under 10 %")
    page.wait_for_function("() => document.querySelectorAll('#chart-ranking svg .mark-rect path').length === 0")
    assert rows(listing) == []
    assert page.locator(".icc-band-filters__status").inner_text().startswith("No editions in these bands")
    page.locator("select[data-icc-filter=population]").select_option("all")
    page.locator("select[data-icc-filter=foreignBorn]").select_option("all")
    page.wait_for_function("() => document.querySelectorAll('#chart-ranking svg .mark-rect path').length === 14")
    assert len(rows(listing)) == 17 and page.locator(".icc-band-filters__status").inner_text() == ""
    assert page.errors == []


def test_the_scatter_chart_has_a_data_table_of_the_shares_it_plots(built_site):
    page = read(built_site / "results" / "index.html")
    table = next(t for t in page.tables if t and t[0][:2] == ["City", "Foreign-born residents, %"])
    rows = {r[0]: r[1:] for r in table[1:]}
    assert rows["Barcelona"][0] == "20.7" and rows["Bilbao"][0] == "2.48"
    # a share of non-nationals (Ansan's 11.9 %) or of immigrants and their children
    # (Stavanger's 21.1 %) is another measure: it is not plotted as a foreign-born share
    assert "Ansan" not in rows and "Stavanger" not in rows
    plotted = json.loads((built_site / "assets" / "charts" / "data" / "aggregate.json").read_text(encoding="utf-8"))
    assert sorted(rows) == sorted(r["n"] for r in plotted if r["s"] is not None)


def test_without_javascript_no_control_is_offered(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for path in ("results/", "areas/aggregate/", "cities/ansan/"):
        page.goto(site_url + path)
        assert page.locator(".icc-band-filters").is_hidden()
        assert page.locator(".icc-chart__explore").count() == 0
        for caption in page.locator("figcaption").all_inner_texts():
            assert "choose" not in caption.lower() and "select" not in caption.lower(), caption
    context.close()


def test_a_rebuild_with_nothing_changed_renders_no_chart_again(tmp_path):
    import shutil

    from conftest import copy_project

    from generator import pipeline

    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / ".cache", ignore_errors=True)  # (a cold cache)
    settings = pipeline.Settings.for_project(project)
    first = pipeline.run(settings)
    assert first.drawn > 0 and first.written == len(first.files) - first.drawn - 1  # (all but the SVGs and the bundle)
    again = pipeline.run(settings)
    assert again.drawn == 0 and again.written == 0


def test_a_suggested_citation_gives_the_date_of_access(browser, site_url):
    import datetime

    from babel.dates import format_date

    today = datetime.date.today()
    cases = (
        ("", True, format_date(today, "long", locale="en_GB"), "cities/ansan/2020/ (accessed {})."),
        ("", False, "the day you read it", "cities/ansan/2020/ (accessed {})."),
        ("fr/", True, format_date(today, "long", locale="fr"), "fr/cities/ansan/2020/ (consulté le {})."),
    )
    for prefix, javascript, shown, expected in cases:
        context = browser.new_context(java_script_enabled=javascript)
        page = context.new_page()
        page.goto(site_url + prefix + "cities/ansan/2020/")
        page.wait_for_load_state("networkidle")
        citation = page.locator(".icc-citation").inner_text()
        assert expected.format(shown) in citation, citation
        context.close()


def test_the_browser_s_print_of_a_city_page(browser, site_url, tmp_path):
    import pypdfium2

    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + "cities/ansan/")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    # the page's address is printed; the jump links and the links that work only on a
    # screen are not
    assert page.locator(".icc-print-only").first.inner_text() == site_url + "cities/ansan/"
    assert not page.locator(".icc-jump").is_visible()
    assert not page.locator(".icc-more-link").first.is_visible()
    pdf = tmp_path / "ansan.pdf"
    page.pdf(path=str(pdf), format="A4")
    context.close()
    document = pypdfium2.PdfDocument(pdf)
    pages = [" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document))]
    document.close()
    assert len(pages) > 5
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
    whole = " ".join(pages)
    for screen_only in ("Interactive chart", "On this page", "all cities (JSON)", "across all cities"):
        assert screen_only not in whole, screen_only
    assert "80 aggregate index, 2020 edition, out of 100" in whole


FOCUSED = (
    "() => { const e = document.activeElement; const shown = e.matches('.md-option') ? e.nextElementSibling : e;"
    " const r = shown.getBoundingClientRect(); return {tag: e.tagName, for: e.getAttribute('for'),"
    " name: e.getAttribute('aria-label') || e.textContent.trim().slice(0, 40), role: e.getAttribute('role'),"
    " visible: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0"
    " && r.left < innerWidth && r.top < innerHeight,"
    " inContent: !!e.closest('.md-content'), inMenu: !!e.closest('.md-sidebar--primary')}; }"
)


@pytest.mark.parametrize(
    ("path", "menu", "search"), [("cities/ansan/", "Navigation", "Search"), ("fr/", "Navigation", "Rechercher")]
)
def test_on_a_phone_the_keyboard_reaches_the_menu_and_search_and_nothing_off_the_screen(
    browser, site_url, path, menu, search
):
    """The theme's menu and search buttons are labels that only a pointer could use, and Tab
    went through the closed menu's links, off the screen. From the top of the page to its
    first link in the content, every stop of the Tab key is on the screen, and the two buttons
    are among them; Enter opens the menu on its first link, Escape closes it on its button."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    stops = []
    while not stops or not stops[-1]["inContent"]:
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUSED))
        assert len(stops) < 20, stops
    assert [s for s in stops if not s["visible"]] == []
    buttons = {s["for"]: s for s in stops if s["role"] == "button"}
    assert (buttons["__drawer"]["name"], buttons["__search"]["name"]) == (menu, search)
    page.locator(".md-header label[for='__drawer']").focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    opened = page.evaluate(FOCUSED)
    assert opened["inMenu"] and opened["visible"], opened
    page.keyboard.press("Escape")
    page.wait_for_timeout(400)
    assert page.evaluate(FOCUSED)["for"] == "__drawer"
    assert not page.evaluate("document.getElementById('__drawer').checked")
    page.keyboard.press("Space")
    page.wait_for_timeout(400)
    assert page.evaluate(FOCUSED)["inMenu"]
    # the focus leaving the menu closes it
    for _ in range(20):
        if not page.evaluate(FOCUSED)["inMenu"]:
            break
        page.keyboard.press("Tab")
    assert not page.evaluate("document.getElementById('__drawer').checked")
    # the search: its button opens it on the box, Escape closes it on the button, and Enter
    # opens it again without sending the words typed as a page load
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    for time in range(2):
        page.locator(".md-header label.md-header__button[for='__search']").focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(400)
        assert page.evaluate("document.activeElement.matches('.md-search__input')")
        if time == 0:
            page.keyboard.type("ansan")
        page.wait_for_selector(".md-search-result__link")
        page.keyboard.press("Escape")
        page.wait_for_timeout(400)
        assert page.evaluate(FOCUSED)["for"] == "__search"
    assert page.url == site_url + path
    # and the theme's key "/" still opens it, though the closed box is out of Tab's way
    page.keyboard.press("/")
    page.wait_for_timeout(400)
    assert page.evaluate("document.activeElement.matches('.md-search__input')")
    context.close()


def test_on_a_phone_the_keyboard_opens_the_page_s_table_of_contents_in_the_menu(browser, site_url):
    """Below 1220 px the menu holds the page's table of contents behind its item: the item
    and the table's title are buttons, and the table's links are out of Tab's way until it
    is opened (they were stops off the screen, and scrolled the menu into a blank panel)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url + "results/")
    page.wait_for_load_state("networkidle")
    page.locator(".md-header label.md-header__button[for='__drawer']").focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    stops = []
    while page.evaluate("document.getElementById('__drawer').checked"):
        stops.append(page.evaluate(FOCUSED))
        assert len(stops) < 20, "the focus never left the menu"
        page.keyboard.press("Tab")
    assert [s for s in stops if not s["visible"]] == []
    item = [s for s in stops if s["for"] == "__toc"]
    assert [(s["role"], s["name"]) for s in item] == [("button", "Index results per city")]
    page.locator(".md-header label.md-header__button[for='__drawer']").focus()
    page.keyboard.press("Enter")
    page.locator(".md-sidebar--primary label.md-nav__link[for='__toc']").focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    assert page.evaluate("document.activeElement.closest('.md-nav--secondary') !== null")
    assert page.evaluate(FOCUSED)["visible"]
    page.keyboard.press("Shift+Tab")  # the table's title, which closes it
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    assert not page.evaluate("document.getElementById('__toc').checked")
    assert page.evaluate(FOCUSED)["for"] == "__toc" and page.evaluate(FOCUSED)["visible"]
    context.close()
