"""Render: every generated file of the site, from the scored and compared network.

:func:`render_site` yields the Markdown pages (through ``site_templates/``), the shared
chart data and the static chart images, one file at a time, so no step holds the whole
site. The pages are ordinary Markdown pages: MkDocs converts them like hand-written ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import charts, compare, i18n, learn, progress, score
from .dossier import DATE_MARK, dossier_path
from .listings import build_areas, build_listing_charts, build_practices, rules_of, share_rows, shared_data
from .model import AGGREGATE
from .paths import area_page, city_page, edition_page
from .templates import environment
from .views import LENS_LABEL, ChartMaker, CityView, SiteInfo, band_label, build_city

if TYPE_CHECKING:  # (the pipeline imports this module)
    from .pipeline import Findings

#: The generated pages besides the city, practice and area pages: (source path, template).
LISTING_PAGES = (
    ("areas/index.md", "areas.md.j2"),
    ("results.md", "results.md.j2"),
    ("practices/index.md", "practices.md.j2"),
    ("methodology.md", "methodology.md.j2"),
    ("editions.md", "editions.md.j2"),
    ("index.md", "home.md.j2"),
)


def render_site(
    found: Findings,
    templates: Path,
    static: dict[str, dict[str, Any]] | None = None,
    directory_urls: bool = True,
    template_cache: Path | None = None,
    site: SiteInfo | None = None,
    dossiers: dict[str, tuple[str, str]] | None = None,
) -> Iterator[tuple[str, str | bytes]]:
    """Yield ``(path, contents)`` for every generated file of the findings of
    ``pipeline.analyse`` in the current language (``i18n.use``), paths relative to the
    docs root (a page of another language than the default has its suffix,
    ``cities/ansan.fr.md``: ``i18n.page_path``): a page per good practice, per
    city, per edition of a city and per figure, the listing pages
    (:data:`LISTING_PAGES`), then the shared chart data (``charts.DATA_FOLDER``) and the
    chart templates of the language. Pages are Markdown text, the other files bytes. The
    shared chart data is written in each language too, as it holds the cities' names.

    With ``static`` (a dict), every chart gets a static image: its page shows
    ``charts.SVG_FOLDER/<digest>.svg``, and the static spec to draw it from is added to
    ``static`` under that digest (complete once the iterator is exhausted; the pipeline
    draws them with ``drawing.render_svgs``).

    ``directory_urls`` is MkDocs' ``use_directory_urls`` (links written as HTML follow it);
    ``template_cache`` a folder for the compiled templates; ``site`` what pages say of the
    site (its name and address, for citations). With ``dossiers`` (a dict; static charts
    must be on), every edition also gets a printable dossier: the HTML of
    ``dossier.html.j2`` is added to ``dossiers`` under the PDF's site path
    (``dossier.dossier_path``), and the pages link that PDF.
    Raises ``jinja2.TemplateError`` for a broken template (with its name and line) and
    ``ValueError`` if narrative text links to a page of this site.
    """
    network = found.network.localised(i18n.current())
    scores, comparisons, advice = found.scores, found.comparisons, found.advice
    env = environment(templates, directory_urls, template_cache)
    definition = network.definition
    env.globals["band_label"] = lambda kind, key: band_label(definition, kind, key)
    env.globals["chart_data"] = charts.data_path
    env.globals["site"] = site or SiteInfo(directory_urls=directory_urls)
    practices = build_practices(network, advice)
    shared = shared_data(network, scores, comparisons)
    for year in sorted({year for _, year in found.edition_comparisons}):
        shared.update(shared_data(network, scores, year=year))
    maker = ChartMaker(shared, static is not None)

    def city_view(cid: str, full: bool, year: int | None = None) -> CityView:
        compared = comparisons.get(cid) if year is None else found.edition_comparisons[(cid, year)]
        return build_city(
            network, cid, scores[cid], compared, practices, maker, advice.get(cid), full, found.changes[cid], year
        )

    practice_tpl = env.get_template("practice.md.j2")
    for p in sorted(practices.values(), key=lambda p: p.page):
        yield i18n.page_path(p.page), practice_tpl.render(page=p.page, p=p, definition=definition)
    city_tpl = env.get_template("city.md.j2")
    dossier_tpl = env.get_template("dossier.html.j2") if dossiers is not None else None
    for cid in sorted(network.cities):
        main = city_view(cid, full=True)
        if dossiers is not None and main.latest is not None:
            main.dossier = dossier_path(cid, main.latest.year)
        yield i18n.page_path(city_page(cid)), city_tpl.render(page=city_page(cid), c=main, definition=definition)
        for edition in sorted(network.cities[cid].editions, key=lambda e: e.year):
            page = edition_page(cid, edition.year)
            view = city_view(cid, True, edition.year)
            if dossiers is not None and dossier_tpl is not None:
                view.dossier = dossier_path(cid, edition.year)
                html = dossier_tpl.render(page=page, c=view, definition=definition, made_on=DATE_MARK)
                dossiers[view.dossier] = i18n.current(), html
            yield i18n.page_path(page), city_tpl.render(page=page, c=view, definition=definition)

    # (the listing pages need every city's figures, not its page's sentences and charts:
    # a lighter view of each city, made again rather than kept from its page)
    cities = {cid: city_view(cid, full=False) for cid in network.cities}
    areas = build_areas(definition, cities, practices, shared, maker)
    common = dict(definition=definition, cities=cities, practices=practices, areas=areas)
    area_tpl = env.get_template("area.md.j2")
    for key in definition.figure_order:
        yield i18n.page_path(area_page(key)), area_tpl.render(page=area_page(key), a=areas[key], **common)
    extra: dict[str, dict[str, Any]] = {
        "results.md": {
            "listing_charts": build_listing_charts(definition, shared[charts.data_path(AGGREGATE)], maker),
            "share_rows": share_rows(shared[charts.data_path(AGGREGATE)]),
        },
        "methodology.md": {
            "score_rules": rules_of(score),
            "compare_rules": rules_of(compare),
            "progress_rules": rules_of(progress),
            "learn_rules": rules_of(learn),
            "lens_label": i18n.translate(LENS_LABEL),
        },
        "editions.md": {
            "years": progress.network_years(definition, network.cities, scores),
        },
    }
    for page, template in LISTING_PAGES:
        yield i18n.page_path(page), env.get_template(template).render(page=page, **extra.get(page, {}), **common)

    for path, rows in shared.items():
        yield path, json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    yield i18n.file_path(charts.TEMPLATES), charts.to_json(charts.templates()).encode("utf-8")
    if static is not None:
        static.update(maker.svgs)
