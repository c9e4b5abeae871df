"""Views of the whole network: the good practices, the area pages, the listing's charts, the
shared chart data and the methodology's rules (plain records the templates read; see
:mod:`generator.views` for a city's)."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from . import charts, compare, learn
from .i18n import _, ngettext
from .model import AGGREGATE, LENS, Definition
from .paths import area_page, practice_page
from .score import EditionScores, publish
from .text import country_name
from .validate import Network
from .views import Chart, ChartMaker, CityView, PracticeView, figure_group, figure_label


def build_practices(network: Network, advice: dict[str, learn.Advice]) -> dict[str, PracticeView]:
    """Every practice by id, each with the city pages that recommend it (and for which area):
    those whose report points to it and those the learn-from rules recommend it on."""
    out: dict[str, PracticeView] = {}
    for city_id, city in network.cities.items():
        for p in city.practices:
            pid = f"{city_id}/{p.key}"
            out[pid] = PracticeView(pid, city_id, city.name, country_name(city.country), p, practice_page(pid))
    mentions = [
        (cid, area, pid)
        for cid, city in network.cities.items()
        for edition in city.editions
        for area, narrative in edition.areas.items()
        for pid in narrative.learn_from
    ]
    mentions += [(cid, need.area, s.practice) for cid, a in advice.items() for need, found in a.needs for s in found]
    seen: set[tuple[str, str, str]] = set()
    for city_id, area, pid in mentions:
        if (city_id, area, pid) not in seen:  # (a set: a practice may be recommended by thousands of cities)
            seen.add((city_id, area, pid))
            out[pid].recommended_by.append((city_id, network.cities[city_id].name, area))
    return out


@dataclass
class AreaView:
    """Everything an area page shows: the figure's definition, every city's latest score
    (ranked), the band means, the practices filed under it, and the ranking chart."""

    key: str
    page: str
    title: str
    label: str
    description: str
    examines: str | None
    group: str
    ranking: list[tuple[int | None, CityView, float]]  # in rank order; rank None in a group too small to rank
    band_means: list[tuple[str, str, int, float]]  # (criterion, band label, cities, mean)
    practices: list[PracticeView]
    chart: Chart | None
    years: tuple[int, int] | None = None  # the earliest and latest edition year in the ranking
    versions: tuple[tuple[str | None, int], ...] = ()  # questionnaire versions (None: not recorded), with counts


def build_areas(
    definition: Definition,
    cities: dict[str, CityView],
    practices: dict[str, PracticeView],
    shared: dict[str, list[dict[str, Any]]],
    maker: ChartMaker,
) -> dict[str, AreaView]:
    """One view per figure (aggregate, lens, every area), in the report's order."""
    pops = [(b.key, b.label) for b in definition.bands.population.bands]
    fbs = [(b.key, b.label) for b in definition.bands.foreign_born.bands]
    out = {}
    for key in definition.figure_order:
        rows = shared[charts.data_path(key)]  # (in the order of ranks and ties: see shared_data)
        ranking = [(r["r"], cities[r["c"]], float(r["v"])) for r in rows]
        band_means = []
        # Translators: the criteria of the bands of an area page's table of band means
        criteria = ((_("Population"), "p", pops), (_("Foreign-born residents"), "f", fbs))
        for criterion, field_name, bands in criteria:
            for band_key, band_label in bands:
                group = [r["v"] for r in rows if r[field_name] == band_key]
                if group:
                    band_means.append((criterion, band_label, len(group), sum(group) / len(group)))
        label = figure_label(definition, key)
        chart = None
        if len(rows) >= 2:
            top, bottom = ranking[0], ranking[-1]
            chart = maker.make(
                f"ranking-{key}",
                charts.listing("ranking", len(rows), key=key, title=label),
                # Translators: the caption of an area page's chart; %(figure)s is the figure, lower case
                _("Every city's latest score on %(figure)s, highest first.", figure=label.lower()),
                ngettext(
                    "Bar chart of %(num)s city's score on %(figure)s, from %(top)s (%(top_points)s) "
                    "to %(bottom)s (%(bottom_points)s).",
                    "Bar chart of %(num)s cities' scores on %(figure)s, from %(top)s (%(top_points)s) "
                    "to %(bottom)s (%(bottom_points)s).",
                    len(rows),
                    figure=label.lower(),
                    top=top[1].city.name,
                    top_points=publish(top[2]),
                    bottom=bottom[1].city.name,
                    bottom_points=publish(bottom[2]),
                ),
            )
        area = definition.area(key) if key not in (AGGREGATE, LENS) else None
        composite = definition.aggregate if key == AGGREGATE else definition.lens  # (read only when no area)
        filed = [p for p in practices.values() if key in p.practice.areas]
        versions = compare.count_versions(r["q"] for r in rows)
        years = (min(r["y"] for r in rows), max(r["y"] for r in rows)) if rows else None
        out[key] = AreaView(
            key,
            area_page(key),
            definition.title_of(key) if key != LENS else definition.lens.title,
            label,
            area.description if area else composite.description,
            area.examines if area else None,
            figure_group(definition, key),
            ranking,
            band_means,
            filed,
            chart,
            years,
            versions,
        )
    return out


# --------------------------------------------------------------------------- rules for the methodology page


def rules_of(module: Any) -> Markup:
    """The rules section of a pipeline module's docstring, as Markdown (the site quotes the
    code's own rules), marked safe for the templates: it is our own text."""
    doc = inspect.getdoc(module) or ""
    body = doc.split("\n\n", 1)[1] if "\n\n" in doc else doc
    body = re.sub(r":(?:func|class|data|mod):`([^`]+)`", r"`\1`", body)
    return Markup(body.replace("``", "`"))


def shared_data(
    network: Network,
    scores: dict[str, list[EditionScores]],
    comparisons: dict[str, dict[str, compare.Comparison]] | None = None,
    year: int | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """One file per figure with every city's latest value on it (of ``year`` or before, if
    given): ``{site path: rows}`` (:func:`charts.data_path`).

    A row is ``{"c": city id, "n": name, "v": points, "y": edition year, "q":
    questionnaire version, "p": population band, "f": foreign-born band, "r": rank, "o":
    place}``; the aggregate's rows add ``"s"`` (foreign-born share in percent; ``None`` if
    none is published). Rows are in the order of ranks and ties (``compare`` module rules),
    ``"o"`` counting from 0; ``"r"`` is the rank of ``comparisons`` (the same one every page
    prints; ``None`` in a group too small to rank, or without ``comparisons``).
    Charts load these by address, so no page repeats data with one row per city.
    """
    definition = network.definition
    everyone = compare.entries(definition, network.cities, scores, year)
    ties = {e.city: compare.tie_key(network.cities[e.city]) for e in everyone}
    out: dict[str, list[dict[str, Any]]] = {}
    for key in definition.score_keys:
        rows = []
        for e in everyone:
            value = e.scores.value(key)
            if value is None:
                continue
            city = network.cities[e.city]
            rank = comparisons[e.city][key].rank if comparisons else None
            row: dict[str, Any] = {
                "c": e.city,
                "n": city.name,
                "v": publish(value),
                "y": e.scores.year,
                "q": e.questionnaire,
                "p": e.bands.population,
                "f": e.bands.foreign_born,
                "r": rank.rank if rank else None,
            }
            if key == AGGREGATE:
                row["s"] = city.foreign_born.percent if city.foreign_born else None
            rows.append(row)
        rows.sort(key=lambda r: (-r["v"], ties[r["c"]]))
        for place, row in enumerate(rows):
            row["o"] = place
        out[charts.data_path(key, year)] = rows
    return out


def build_listing_charts(definition: Definition, rows: list[dict[str, Any]], maker: ChartMaker) -> list[Chart]:
    """The listing's ranked aggregate chart and its scatter against the foreign-born share."""
    if len(rows) < 2:
        return []
    top, bottom = rows[0], rows[-1]  # (in the order of ranks)
    ranking = maker.make(
        "ranking",
        charts.listing("ranking", len(rows)),
        _("Every city's latest aggregate index, highest first."),
        ngettext(
            "Bar chart of the aggregate index of %(num)s city, from %(top)s (%(top_points)s) "
            "to %(bottom)s (%(bottom_points)s).",
            "Bar chart of the aggregate index of %(num)s cities, from %(top)s (%(top_points)s) "
            "to %(bottom)s (%(bottom_points)s).",
            len(rows),
            top=top["n"],
            top_points=top["v"],
            bottom=bottom["n"],
            bottom_points=bottom["v"],
        ),
    )
    with_share = share_rows(rows)
    out = [ranking]
    if len(with_share) >= 2:
        out.append(
            maker.make(
                "scatter",
                charts.listing("scatter", len(with_share)),
                _(
                    "Aggregate index against the share of foreign-born residents, for the cities whose "
                    "foreign-born share is published."
                ),
                ngettext(
                    "Scatter chart of the aggregate index against the share of foreign-born residents "
                    "for the %(num)s city whose foreign-born share is published.",
                    "Scatter chart of the aggregate index against the share of foreign-born residents "
                    "for the %(num)s cities whose foreign-born share is published.",
                    len(with_share),
                ),
            )
        )
    return out


def share_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of the shared aggregate file (:func:`shared_data`) of the cities whose
    foreign-born share is published, by name: what the listing's scatter chart plots, and
    its data table."""
    return sorted((r for r in rows if r.get("s") is not None), key=lambda r: (r["n"].casefold(), r["c"]))
