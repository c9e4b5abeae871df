"""The site in French: numbers and dates, the catalog, the French of the data, the pages
under /fr/, their search index, and what ``icc validate`` says of missing French."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, _QuietHandler
from htmltools import read

from generator import i18n, text
from generator.views import band_label

NBSP, NNBSP = "\u00a0", "\u202f"


# --------------------------------------------------------------------------- numbers and dates


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        # (the values of Ansan's 2020 report: 87,696 non-nationals, 11.9 %, published 27 August 2020)
        ("en", ["87,696", "11.9 %", "27 August 2020", "August 2020", "1st", "4th", "South Korea"]),
        ("fr", [f"87{NNBSP}696", f"11,9{NBSP}%", "27 août 2020", "août 2020", "1er", "4e", "Corée du Sud"]),
    ],
)
def test_numbers_dates_and_ranks_are_written_the_language_s_way(language, expected):
    with i18n.use(language):
        got = [
            text.thousands(87696),
            text.percent(11.9),
            text.long_date("2020-08-27"),
            text.long_date("2020-08"),
            text.ordinal(1),
            text.ordinal(4),
            text.country_name("KR"),
        ]
    assert got == expected


def test_outside_a_language_the_default_is_english_and_an_unknown_language_is_refused():
    assert i18n.current() == "en"
    with pytest.raises(ValueError, match="no language 'de'"), i18n.use("de"):
        pass


def test_a_band_label_comes_from_the_definition_s_french():
    """The definition file gives each band's French label; the report's "10 to 15 %" band
    reads "De 10 à 15 %" in French, with a no-break space before the sign."""
    from generator.load import load_inputs
    from generator.validate import validate

    checked = validate(load_inputs(ROOT / "generator/definitions/2019.yaml", ROOT / "cities"))
    assert checked.network is not None
    french = checked.network.localised("fr").definition
    assert band_label(checked.network.definition, "foreign_born", "10-15") == "10 to 15 %"
    assert band_label(french, "foreign_born", "10-15") == f"De 10 à 15{NBSP}%"
    assert french.title_of("aggregate") == "Indice global"


# --------------------------------------------------------------------------- the catalog


def test_the_french_catalog_translates_every_message_and_holds_no_stale_one():
    problems = i18n.catalog_problems(ROOT / "site_templates")
    assert [(p.kind, p.message) for p in problems] == []


def test_a_new_message_in_a_template_is_reported_untranslated(tmp_path):
    templates = tmp_path / "site_templates"
    shutil.copytree(ROOT / "site_templates", templates)
    (templates / "extra.md.j2").write_text('{{ _("A sentence nobody has translated yet") }}\n', encoding="utf-8")
    problems = i18n.catalog_problems(templates)
    assert [(p.kind, p.message, p.line) for p in problems] == [
        ("untranslated", "A sentence nobody has translated yet", None)
    ]


def test_a_message_no_longer_in_the_code_is_reported_stale(tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    po = locale / "fr" / "LC_MESSAGES" / "messages.po"
    po.write_text(
        po.read_text(encoding="utf-8") + '\nmsgid "A sentence the code no longer writes"\nmsgstr "Une phrase"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    problems = i18n.catalog_problems(ROOT / "site_templates")
    assert [(p.kind, p.message) for p in problems] == [("stale", "A sentence the code no longer writes")]
    assert problems[0].line == len(po.read_text(encoding="utf-8").splitlines()) - 1


def test_a_message_is_translated_with_its_placeholders_and_a_plural_by_french_rules():
    with i18n.use("fr"):
        assert i18n._("not published") == "non publié"
        # French takes the singular for 0 and 1
        one = i18n.ngettext("%(num)s city", "%(num)s cities", 1)
        none = i18n.ngettext("%(num)s city", "%(num)s cities", 0)
        many = i18n.ngettext("%(num)s city", "%(num)s cities", 13)
    assert (one, none, many) == ("1 ville", "0 ville", "13 villes")


# --------------------------------------------------------------------------- the data's French


def test_a_record_s_french_is_shown_and_missing_french_is_marked_english(network):
    from generator.model import City

    city = City.model_validate(
        {
            "name": "Sigma",
            "country": "FR",
            "overview": "A port city.",
            "fr": {"overview": "Une ville portuaire."},
            "facts": [{"label": "Harbour", "value": "the oldest of the coast"}],
        }
    )
    french = city.localised("fr")
    assert (french.overview, french.overview.lang) == ("Une ville portuaire.", "fr")
    assert (french.facts[0].label, french.facts[0].label.lang) == ("Harbour", "en")
    assert city.untranslated("fr") == [("facts", 0, "label"), ("facts", 0, "value")]
    with i18n.use("fr"):
        assert text.md_text(french.overview) == "Une ville portuaire."
        assert text.md_text(french.facts[0].value) == '<span lang="en">the oldest of the coast</span>'
        assert (
            text.md_text(i18n.Shown("One.\n\nTwo.", "en")) == '<div lang="en" markdown="1">\n\nOne.\n\nTwo.\n\n</div>'
        )
    # on an English page, English is not marked
    assert text.md_text(city.facts[0].value) == "the oldest of the coast"


def test_french_for_a_field_that_is_not_text_is_refused():
    from pydantic import ValidationError

    from generator.model import City

    with pytest.raises(ValidationError, match="fr: country is not a text field of this record"):
        City.model_validate({"name": "Sigma", "country": "FR", "fr": {"country": "France"}})


def test_icc_validate_names_the_text_without_french(copy_network):
    from generator import pipeline

    city = copy_network / "cities" / "alpha.yaml"
    source = city.read_text(encoding="utf-8").replace("country: FR\n", "country: FR\noverview: A small town.\n")
    city.write_text(source, encoding="utf-8")
    settings = pipeline.Settings.for_project(ROOT)
    settings = pipeline.Settings(
        **{**settings.__dict__, "cities": copy_network / "cities", "definition": copy_network / "definition.yaml"}
    )
    warned = [p for p in pipeline.check(settings).problems if p.code == "fr-missing" and p.city == "alpha"]
    line = source.splitlines().index("overview: A small town.") + 1
    assert [(p.field, p.line, p.file.endswith("alpha.yaml")) for p in warned] == [("overview", line, True)]
    # (the fixture's source has an English title too)
    assert warned[0].message == "2 text field(s) have no French version: overview, sources.test.title"
    # with their French, the warning goes
    source = source.replace("test: {title: Test source}", "test: {title: Test source, fr: {title: Source d'essai}}")
    city.write_text(source + "fr:\n  overview: Une petite ville.\n", encoding="utf-8")
    assert not [p for p in pipeline.check(settings).problems if p.code == "fr-missing" and p.city == "alpha"]


# --------------------------------------------------------------------------- the built site


def _pages(site: Path) -> list[Path]:
    skip = ("assets", "search", "fr")
    return [p for p in site.rglob("index.html") if p.relative_to(site).parts[0] not in skip]


def test_every_page_exists_in_both_languages(built_site):
    english = _pages(built_site)
    assert len(english) > 100
    missing = [
        str(p.relative_to(built_site)) for p in english if not (built_site / "fr" / p.relative_to(built_site)).is_file()
    ]
    assert missing == []
    assert sum(1 for p in (built_site / "fr").rglob("index.html") if "search" not in p.parts) == len(english)


def test_the_french_ansan_page_reads_in_french(built_site):
    path = built_site / "fr" / "cities" / "ansan" / "index.html"
    html = path.read_text(encoding="utf-8")
    page = read(path)
    assert re.search(r'<html lang="fr"', html)
    # no <link rel="alternate" hreflang> to the languages' homes (the theme's, which its
    # script follows to fetch their site maps); the site map gives each page's alternates,
    # and the switcher leads to this page in English
    assert not re.search(r'<link rel="alternate" [^>]*hreflang', html)
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert re.search(r'<xhtml:link rel="alternate" hreflang="fr" href="[^"]*/fr/cities/ansan/"/>', sitemap)
    assert '<a href="../../../cities/ansan/" hreflang="en" lang="en" class="md-select__link">' in html
    # the programme's French terms (the definition file) and French numbers
    assert "Engagement interculturel" in page.shown and "Indice global" in page.shown
    assert f"11,9{NBSP}%" in html and f"87{NNBSP}696" in html
    assert "27 août 2020" in page.shown
    # the report's narrative has no French yet: it is shown in English, marked, with a note
    assert html.count('lang="en"') > 10
    assert "Ansan has a multicultural city strategy" in page.shown
    # no English sentence of the generator is left (a few words that read alike in both)
    for english in ("points, above the", "city sample", "Sources and data", "not published", "this city ranks"):
        assert english not in page.shown
    # nor of the theme: the headings' ¶ links and the footer
    assert 'title="Lien permanent"' in html and "Permanent link" not in html
    assert "Réalisé avec" in page.shown and "Made with" not in page.shown
    # what the report calls its lens comparison, in French (cities/ansan.yaml)
    assert "61 (ville modèle)" in page.shown and "model city" not in html.lower()
    # other cities' practices and the sources, which have no French, are marked English
    assert '<span lang="en">Research and Monitoring Unit (RIMU)</span></a>' in html
    assert '<span lang="en">Confirms the aggregate of 80 and full marks in business, media' in html
    source = '<span lang="en">Ansan City: ICC Index Analysis 2020</span> (<span lang="en">Council of Europe'
    assert source in html


def test_each_language_has_its_own_not_found_page(built_site):
    english = read(built_site / "404.html")
    french = read(built_site / "fr" / "404.html")
    assert "Page not found" in english.shown and "No page of this site is at this address." in english.shown
    assert "Page introuvable" in french.shown and "Aucune page de ce site" in french.shown
    assert "Not found" not in french.shown
    # GitHub Pages serves the root's page for any missing address, under /fr/ too: it says
    # so in French as well, marked as French, and leads to the French home page
    html = (built_site / "404.html").read_text(encoding="utf-8")
    said = re.search(
        r'<p lang="fr"><strong>Page introuvable\.</strong> Aucune page de ce site[^<]*<a href="([^"]+)"', html
    )
    assert said is not None
    assert said.group(1).endswith("/fr/") and "La page d'accueil du site en français</a>" in html
    assert 'lang="en"' not in (built_site / "fr" / "404.html").read_text(encoding="utf-8").split("<article")[1]


def test_the_not_found_page_s_links_to_a_language_load_that_language_s_pages(browser, site_url):
    """The switcher of the "not found" page leads to the language homes it was built with
    (not to the missing address in another language), and its link to the French home
    loads that page in full, in French: search, header and all."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url + "404.html")
    page.wait_for_load_state("networkidle")
    switcher = page.locator(".md-select a").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert switcher == [site_url, site_url + "fr/"]
    page.click("article a[hreflang=fr]")
    page.wait_for_load_state("networkidle")
    assert page.url == site_url + "fr/"
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.locator(".md-search__input").first.get_attribute("placeholder") == "Rechercher"
    context.close()


def test_each_language_has_its_own_search_index(built_site):
    english = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    french = json.loads((built_site / "fr" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert english["config"]["lang"] == ["en"] and french["config"]["lang"] == ["fr"]
    assert not [d for d in english["docs"] if d["location"].startswith("fr/")]
    # the French index's addresses are relative to /fr/, where French pages search from
    assert any(d["location"] == "cities/ansan/" and d["title"].startswith("Ansan") for d in french["docs"])
    assert any("médiation" in d["text"].lower() for d in french["docs"])


@pytest.mark.parametrize("query", ["Ansan", "éducation", "médiation"])
def test_french_search_finds_french_pages(page, site_url, query):
    page.goto(site_url + "fr/")
    page.wait_for_load_state("networkidle")
    page.locator("input.md-search__input").first.click()
    page.keyboard.type(query)
    page.keyboard.press("End")
    page.wait_for_function("() => document.querySelector('.md-search-result__link') !== null", timeout=10000)
    links = page.locator(".md-search-result__link").evaluate_all("(a) => a.map((x) => x.href)")
    assert links and all("/fr/" in link for link in links)
    if query == "Ansan":
        assert "/fr/cities/ansan/" in links[0]


def test_the_language_switcher_keeps_the_page_after_instant_navigation(page, site_url):
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.evaluate("() => { window.__kept = true; }")
    page.locator("a[href$='results/']").first.click()
    page.wait_for_url("**/results/")
    assert page.evaluate("() => window.__kept === true")  # (instant navigation: the same document)
    link = page.locator(".md-select a[hreflang='fr']").first
    # (the theme changes the address before it has swapped the page in and told the scripts)
    page.wait_for_function(
        "() => document.querySelector(\".md-select a[hreflang='fr']\").href.endsWith('/fr/results/')", timeout=5000
    )
    page.hover(".md-select button")
    link.click()
    page.wait_for_url("**/fr/results/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => document.documentElement.lang") == "fr"
    assert page.locator(".md-select a[hreflang='en']").first.evaluate("(a) => a.href") == site_url + "results/"
    # the section being read: the theme moves the address's anchor without a hashchange
    # event (as it follows the reader); the switcher still leads there
    page.evaluate("() => history.replaceState(null, '', '#open-data')")
    page.hover(".md-select button")
    page.locator(".md-select a[hreflang='en']").first.click()
    page.wait_for_url("**/results/#open-data")
    assert page.evaluate("() => document.documentElement.lang") == "en"
    assert page.errors == []


def test_the_definition_uses_the_glossary_s_terms():
    """Every area and composite named in the glossary has the glossary's French title (the
    Council of Europe's term, or the site's own wording where no source was found)."""
    import yaml

    from generator.load import load_inputs
    from generator.validate import validate

    glossary = yaml.safe_load((ROOT / "generator/locale/glossary.fr.yaml").read_text(encoding="utf-8"))
    terms = {t["en"].casefold(): t["fr"] or t.get("site_uses") for t in glossary["terms"]}
    checked = validate(load_inputs(ROOT / "generator/definitions/2019.yaml", ROOT / "cities"))
    assert checked.network is not None
    definition = checked.network.definition
    records = [*definition.areas, definition.lens, definition.aggregate]
    named = [(r.title, r.fr["title"]) for r in records if r.title.casefold() in terms]
    assert len(named) >= 15
    assert [(en, fr) for en, fr in named if terms[en.casefold()].casefold() != fr.casefold()] == []


# (each layout shift the header's switcher, search box or buttons take part in)
HEADER_MOVES = (
    "window.__moved = []; new PerformanceObserver((list) => list.getEntries().forEach((e) => "
    "e.sources.forEach((s) => { const n = s.node && (s.node.nodeType === 1 ? s.node : s.node.parentElement);"
    " if (!n || n.closest('.md-header')) window.__moved.push(n ? n.className : '?'); })))"
    ".observe({type: 'layout-shift', buffered: true});"
)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_language_switcher_does_not_move_as_the_page_loads(browser, site_url, width):
    """The theme shows its search button (phones) and box (wider screens) once its script has
    run; they hold their place from the first paint, so the switcher beside them stays put."""
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.add_init_script(HEADER_MOVES)
    # (a slow phone's processor: the theme's script then runs after the first paint)
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 8})
    page.goto(site_url + "fr/cities/ansan/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__moved") == []
    assert page.locator(".md-select").first.is_visible()
    context.close()


@pytest.mark.parametrize("cut", ['class="md-select__link">Fran', 'for="__search">', 'role="dialog">'])
def test_the_header_is_painted_whole_when_the_page_arrives_in_parts(browser, built_site, cut):
    """A browser paints what it has read: a page that arrived up to the switcher (a slow
    network, or a slow processor that stops reading for a while) showed the switcher at the
    header's right edge, and then moved it 234 px aside for the search box read after it.
    The first paint waits for the whole header (theme/main.html)."""
    page_bytes = (built_site / "fr/cities/ansan/index.html").read_bytes()
    first, rest = page_bytes.split(cut.encode(), 1)

    class InTwoParts(_QuietHandler):
        def do_GET(self):
            if self.path != "/fr/cities/ansan/":
                return super().do_GET()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page_bytes)))
            self.end_headers()
            self.wfile.write(first + cut.encode())
            self.wfile.flush()
            time.sleep(0.6)
            self.wfile.write(rest)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(InTwoParts, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 1280, "height": 844})
    page = context.new_page()
    page.add_init_script(HEADER_MOVES)
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/fr/cities/ansan/")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__moved") == []
        assert page.locator(".md-search").first.bounding_box()["width"] > 200
    finally:
        context.close()
        server.shutdown()


def test_text_that_knows_its_language_survives_a_copy():
    """Chart specs are copied and sent to drawing processes: data text keeps its language,
    and a reason keeps its message, so either is still written in the page's language."""
    import copy
    import pickle

    from generator.progress import Reason

    for known in (i18n.Shown("A port city.", "en"), Reason("%(n)s points", n=3)):
        for again in (copy.deepcopy(known), pickle.loads(pickle.dumps(known))):
            assert again == known and type(again) is type(known)
    assert pickle.loads(pickle.dumps(i18n.Shown("x", "en"))).lang == "en"
    with i18n.use("fr"):
        assert copy.deepcopy(Reason("not published")).shown() == "non publié"


def test_drawn_charts_speak_the_page_s_language(page, site_url):
    from test_browser import ANSAN_CHARTS, assert_all_drawn, drawn_charts

    page.goto(site_url + "fr/cities/ansan/")
    charts = drawn_charts(page)
    # each named by its French sentence (the static image's text alternative)
    assert_all_drawn(charts, ANSAN_CHARTS)
    assert charts[0]["label"].startswith("Indice global")
    words = page.evaluate("""() => {
        const out = [];
        for (const f of document.querySelectorAll('figure.icc-chart--drawn')) {
            const chart = f.querySelector('[role="graphics-document"]');
            out.push(chart.getAttribute('aria-roledescription'));
            for (const e of f.querySelectorAll('[title], [aria-label]')) {
                if (e.closest('[aria-hidden="true"]')) { continue; }
                out.push(e.getAttribute('title') || e.getAttribute('aria-label'));
            }
        }
        return [...new Set(out)];
    }""")
    assert "graphique" in words and "Télécharger ce graphique" in words
    # no English left of Vega's own (its axes, its legends, its menu), where a screen reader reads it
    assert not [w for w in words if re.search(r"\b(visualization|axis|legend|Click|the|with)\b", w or "")], words
    assert page.errors == []


def test_a_drawn_chart_writes_numbers_the_french_way(page, site_url):
    page.goto(site_url + "fr/results/")
    page.locator("details.icc-more summary").first.click()
    figure = page.locator("#chart-scatter")
    figure.hover()
    page.wait_for_function("() => document.querySelector('#chart-scatter').classList.contains('icc-chart--drawn')")
    tips = []
    dots = figure.locator("g.mark-symbol path")
    for i in range(dots.count()):
        dots.nth(i).hover(force=True)
        page.wait_for_timeout(100)
        tips.append(page.evaluate("() => document.querySelector('#vg-tooltip-element').textContent"))
    # Barcelona's foreign-born share, 20.7 % in its file (Barcelone in French)
    assert any("Barcelone" in t and "20,7" in t for t in tips), tips
    assert not any("20.7" in t for t in tips)


def test_a_city_may_have_a_french_name(built_site):
    french = (built_site / "fr" / "cities" / "montreal" / "index.html").read_text(encoding="utf-8")
    english = (built_site / "cities" / "montreal" / "index.html").read_text(encoding="utf-8")
    # the name French pages give it (cities/montreal.yaml), with no native name repeating it
    assert re.search(r"<h1[^>]*>Montréal<a ", french)
    assert re.search(r'<h1[^>]*>Montreal <span class="icc-native">Montréal</span>', english)
    # in the charts' data too, which each language has its own of
    data = built_site / "assets" / "charts" / "data"
    assert '"n":"Barcelone"' in (data / "aggregate-fr.json").read_text(encoding="utf-8")
    assert '"n":"Barcelona"' in (data / "aggregate.json").read_text(encoding="utf-8")
    ansan = (built_site / "fr" / "cities" / "ansan" / "index.html").read_text(encoding="utf-8")
    assert "assets/charts/data/aggregate-fr.json" in ansan and "assets/charts/data/aggregate.json" not in ansan
    # and in the reasons the analysis gives, written before any page (Ansan's practices to learn from)
    shown = read(built_site / "fr" / "cities" / "ansan" / "index.html").shown
    assert "Montréal n'a pas de score pour ce domaine" in shown and "Montreal n'a pas" not in shown
    # a name without a French version is a name in every language: not marked English
    oslo = (built_site / "fr" / "cities" / "oslo" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>Oslo<a ", oslo) and '<span lang="en">Oslo</span>' not in oslo


def test_a_filter_s_english_values_are_marked_english(page, site_url):
    page.goto(site_url + "fr/practices/")
    options = page.evaluate(
        "() => [...document.querySelectorAll('.icc-filters select')].map("
        "(s) => [...s.options].slice(1).map((o) => [o.text, o.lang]))"
    )
    countries, areas, themes = options
    # the practices' themes have no French (the Council of Europe's list names them in English)
    assert ["anti-rumours", "en"] in themes and all(lang == "en" for _, lang in themes)
    # countries and areas are French
    assert ["Allemagne", ""] in countries and ["Éducation", ""] in areas


def test_the_note_on_english_text_is_where_english_text_is(built_site):
    note = "sont affichés en anglais"
    # Montréal's page shows no English (its practices' French is in its file)
    montreal = read(built_site / "fr" / "cities" / "montreal" / "index.html")
    assert note not in montreal.shown
    # Ansan's shows the report's English narrative, and says so
    assert note in read(built_site / "fr" / "cities" / "ansan" / "index.html").shown
    # a practice without French says so on its own page; one with French does not
    practices = built_site / "fr" / "practices"
    practice_note = "Cette pratique n'existe pas encore en français"
    assert practice_note in read(practices / "ansan" / "multicultural-village-special-zone" / "index.html").shown
    assert practice_note not in read(practices / "montreal" / "diverse-recruitment" / "index.html").shown
    # a city with no results is not titled by its results
    assert "<title>Montréal — réseau des Cités interculturelles" in (
        built_site / "fr" / "cities" / "montreal" / "index.html"
    ).read_text(encoding="utf-8")


def test_a_mapping_of_labels_may_have_its_french():
    from pydantic import ValidationError

    from generator.model import Edition

    base = {"year": 2020, "source": "report", "sample": {"lens": 61, "media": 50}}
    labels = {"lens": "model city", "media": "best city"}
    edition = Edition.model_validate(
        {**base, "sample_labels": labels, "fr": {"sample_labels": {"lens": "ville modèle"}}}
    )
    french = edition.localised("fr")
    assert french.sample_labels == {"lens": "ville modèle", "media": "best city"}
    assert french.sample_labels["lens"].lang == "fr" and french.sample_labels["media"].lang == "en"
    assert edition.untranslated() == [("sample_labels", "media")]
    with pytest.raises(ValidationError, match="fr: sample_labels must be a mapping of the same keys"):
        Edition.model_validate({**base, "sample_labels": labels, "fr": {"sample_labels": "ville modèle"}})
    with pytest.raises(ValidationError, match="fr: sample_labels: education has no English in sample_labels"):
        Edition.model_validate({**base, "sample_labels": labels, "fr": {"sample_labels": {"education": "x"}}})
    with pytest.raises(ValidationError, match="fr: note must be a text"):
        Edition.model_validate({**base, "note": "A note.", "fr": {"note": {"lens": "x"}}})
