"""Random text in every text field of a city file: each page that shows a field shows it
exactly as the file writes it (HTML and Markdown characters included), and open data keeps it.

Each example writes one city file of the hand-made network, runs the real pipeline (load,
validate, score, compare, learn, render) and converts the city's page and its practice's
page with the Markdown extensions of the project's ``mkdocs.yml``, setting the HTML blocks
aside and putting them back as the plugin does. A real ``mkdocs build`` of such text (search
index, chart data, page titles) is tested in ``test_exact_text.py``.

Plain fields (names, labels, titles, notes) must show every character. Narrative fields
(overview, what the city does, summaries) are Markdown: their words are drawn from text
that Markdown leaves as it is (HTML, entities, braces, pipes, hashes) and code spans, which
show their text without the backticks.
"""

from __future__ import annotations

import json
import shutil

import markdown
import pytest
import yaml
from conftest import FIXTURES, ROOT
from htmltools import Page
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

from generator import charts
from generator.data import open_data
from generator.paths import city_page
from generator.pipeline import Settings, analyse
from generator.render import render_site
from generator.templates import put_back, set_aside

_CONFIG = load_config(str(ROOT / "mkdocs.yml"))


@pytest.fixture(scope="module")
def network(tmp_path_factory) -> Settings:
    """A writable copy of the hand-made network, and the pipeline's settings for it."""
    work = tmp_path_factory.mktemp("fuzz-render")
    shutil.copytree(FIXTURES / "network", work / "network")
    charts.use_cache(work / "cache")
    return Settings(
        definition=work / "network" / "definition.yaml",
        cities=work / "network" / "cities",
        templates=ROOT / "site_templates",
        output=work / "generated",
        cache=work / "cache",
        static_charts=False,
    )


# (letters, digits, and every character HTML, Markdown, Jinja or YAML give a meaning to)
PLAIN = st.text(
    alphabet=st.sampled_from(list("aZ09 ü안Ж\n<>&\"'{}[]()*_\\`#!|:;-=~+.^$%@/?,")), min_size=0, max_size=12
)
#: (what a narrative field writes, what a reader sees)
TOKENS = [
    ("AT&T", "AT&T"),
    ("3 < 4", "3 < 4"),
    ("a>b", "a>b"),
    ("{a}", "{a}"),
    ("{: onclick=x }", "{: onclick=x }"),
    ("&amp;", "&amp;"),
    ("&#123;", "&#123;"),
    ("<b>x</b>", "<b>x</b>"),
    ('"q"', '"q"'),
    ("'s", "'s"),
    ("#tag", "#tag"),
    ("a|b", "a|b"),
    ("==", "=="),
    ("~~", "~~"),
    ("!!!", "!!!"),
    ("???", "???"),
    ("-- ...", "-- ..."),
    ("15 %", "15 %"),
    ("{{ x }}", "{{ x }}"),
    ("{% raw %}", "{% raw %}"),
    ("ü 안산 Ж", "ü 안산 Ж"),
    ("`AT&T`", "AT&T"),
    ("`3 < 4`", "3 < 4"),
    ("`{a}`", "{a}"),
    ("``a`b``", "a`b"),
]
WORD = st.one_of(st.sampled_from(TOKENS), st.text(alphabet="abcXYZ019", min_size=1, max_size=6).map(lambda w: (w, w)))
#: (a word, and the space or line break after it)
NARRATIVE = st.lists(st.tuples(WORD, st.sampled_from([" ", " ", "\n"])), min_size=1, max_size=8)


def plain(marker: str):
    """A plain text field: random text around a marker, so that it occurs once on a page."""
    return st.tuples(PLAIN, PLAIN).map(lambda ab: ab[0] + marker + ab[1])


def narrative(marker: str):
    """A narrative field as (what the file writes, what the page shows)."""
    return NARRATIVE.map(
        lambda words: (
            "".join(w + space for (w, _), space in words) + marker,
            "".join(s + space for (_, s), space in words) + marker,
        )
    )


#: Plain fields: where each sits in the city file, and the pages that show it.
PLAIN_FIELDS = {
    "name": "city practice home results area practices",
    "native_name": "city results",
    "region": "city",
    "population.note": "city",
    "foreign_born.note": "city",
    "facts.0.label": "city",
    "facts.0.value": "city",
    "sources.test.title": "city",
    "sources.test.publisher": "city",
    "sources.test.note": "city",
    "editions.0.published_ranks.0.group": "city",
    "practices.0.title": "city practice area practices",
    "practices.0.period": "city practice practices",
    "practices.0.themes.0": "practice practices",
    "practices.0.source_title": "practice",
}
#: Narrative (Markdown) fields, likewise.
NARRATIVE_FIELDS = {
    "overview": "city",
    "editions.0.note": "city",
    "editions.0.areas.a.does": "city",
    "editions.0.areas.a.suggests": "city",
    "editions.0.recommendations.0.text": "city",
    "practices.0.summary": "city practice",
}


@st.composite
def city_texts(draw) -> tuple[dict[str, str], dict[str, str]]:
    """Every text field of the city: (field → what the file writes, field → what the page shows)."""
    written, shown = {}, {}
    for i, field in enumerate(PLAIN_FIELDS):
        written[field] = shown[field] = draw(plain(f"⟦p{i}⟧"))
    for i, field in enumerate(NARRATIVE_FIELDS):
        written[field], shown[field] = draw(narrative(f"⟦n{i}⟧"))
    return written, shown


def city_file(texts: dict[str, str]) -> str:
    """The hand-made city alpha, with every text field set from ``texts``."""
    city: dict = {
        "name": "",
        "country": "FR",
        "population": {"value": 50000, "year": 2020},
        "foreign_born": {"percent": 8, "year": 2020},
        "facts": [{}],
        "sources": {"test": {}},
        "editions": [
            {
                "year": 2020,
                "questionnaire": "2019",
                "source": "test",
                "answers": {"a_one": "partly", "a_two": "yes", "b_one": "some", "l1_one": "some", "l2_one": "yes"},
                "published_ranks": [{"rank": 1}],
                "recommendations": [{"area": "a"}],
            }
        ],
        "practices": [{"key": "fuzz", "areas": ["a"], "status": "page", "themes": [""]}],
    }
    for field, value in texts.items():
        *path, last = field.split(".")
        node = city
        for part in path:
            node = node.setdefault(part, {}) if isinstance(node, dict) else node[int(part)]
        node[int(last) if isinstance(node, list) else last] = value
    return yaml.safe_dump(city, allow_unicode=True, sort_keys=False)


def to_html(page_markdown: str) -> str:
    """A generated page converted as MkDocs converts it with the ``icc`` plugin: front
    matter off, HTML blocks set aside, the project's Markdown extensions, blocks put back."""
    body, _ = get_data(page_markdown)
    text, blocks = set_aside(body)
    md = markdown.Markdown(extensions=_CONFIG.markdown_extensions, extension_configs=_CONFIG.mdx_configs)
    return put_back(md.convert(text), blocks)


def pages_of_alpha(settings: Settings, texts: dict[str, str]) -> dict[str, str]:
    """The pipeline's city page and practice page of alpha, as the text a reader sees."""
    (settings.cities / "alpha.yaml").write_text(city_file(texts), encoding="utf-8")
    found = analyse(settings)
    assert not [p for p in found.problems if p.severity == "error"]
    wanted = {
        city_page("alpha"): "city",
        "practices/alpha/fuzz.md": "practice",
        "index.md": "home",
        "results.md": "results",
        "areas/a.md": "area",
        "practices/index.md": "practices",
    }
    made = render_site(found, settings.templates, None, True, settings.cache)
    pages = {wanted[path]: Page(to_html(str(content))).shown for path, content in made if path in wanted}
    (make,) = [make for path, make in open_data(found) if path == "data/cities/alpha.json"]
    pages["data"] = _strings(json.loads(b"".join(make())))
    return pages


def _strings(value) -> list[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def norm(text: str) -> str:
    return " ".join(text.split())


def check(settings: Settings, written: dict[str, str], shown: dict[str, str]) -> None:
    pages = pages_of_alpha(settings, written)
    where = {**PLAIN_FIELDS, **NARRATIVE_FIELDS}
    for field, expected in shown.items():
        for page in where[field].split():
            assert norm(expected) in pages[page], (field, page, expected, pages[page])
        # (the open data keeps what the file writes, character for character)
        assert written[field] in pages["data"], (field, written[field])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(city_texts())
def test_every_text_field_shows_exactly_on_every_page(network, texts):
    check(network, *texts)


def test_the_check_fails_when_a_page_changes_text(network):
    written = {f: f"x{i}⟦p{i}⟧" for i, f in enumerate(PLAIN_FIELDS)} | {
        f: f"y{i} ⟦n{i}⟧" for i, f in enumerate(NARRATIVE_FIELDS)
    }
    check(network, written, written)  # (plain words show as written)
    written["overview"] = "*stressed* ⟦n0⟧"  # (Markdown emphasis shows without its stars)
    with pytest.raises(AssertionError, match="stressed"):
        check(network, written, written)
