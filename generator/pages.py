"""Pages: the scored and compared network rendered to Markdown through ``site_templates/``.

``render_site`` returns every generated page as ``{path relative to the docs root: text}``;
it writes nothing (the pipeline does). Templates receive plain view records built here, so
they hold layout only: every number they print was computed by ``score`` or ``compare``
and rounded by ``score.publish``.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import charts, compare, score
from .compare import Comparison, CityBands
from .model import AGGREGATE, LENS, City, Definition, Edition, Practice
from .score import EditionScores, publish
from .text import anchor, attr, folded, yaml_str, country_name, lang_attr, long_date, md_cell, md_text, ordinal, percent, points, rel, thousands
from .validate import Network

LENS_LABEL = "Intercultural lens"


def city_page(city_id: str) -> str:
    """Source path of a city's page (``cities/<id>.md``)."""
    return f"cities/{city_id}.md"


def practice_page(practice_id: str) -> str:
    """Source path of a practice's page (``practices/<city id>/<key>.md``)."""
    return f"practices/{practice_id}.md"


# --------------------------------------------------------------------------- view records


@dataclass
class PracticeView:
    """A practice as pages show it, with the pages it links to."""

    id: str
    city_id: str
    city_name: str
    country: str
    practice: Practice
    page: str
    recommended_by: list[tuple[str, str, str]] = field(default_factory=list)  # (city id, city name, area key)


@dataclass
class Figure:
    """One figure of a city's latest edition with everything a page says about it.

    Numbers are points 0–100 (unrounded); templates print them through ``points``.
    """

    key: str
    title: str
    label: str
    group: str
    score: score.Score
    reported_sample: int | None
    comparison: Comparison | None
    sentence: str
    does: str | None = None
    suggests: str | None = None
    learn_from: list[PracticeView] = field(default_factory=list)
    chart: str | None = None
    rows: list[GroupRow] = field(default_factory=list)
    reference: tuple[str, float] | None = None  # (what the city is compared with, value)

    @property
    def value(self) -> float | None:
        """The figure shown (points 0–100, unrounded), or ``None`` when not published."""
        return self.score.value

    @property
    def caption_groups(self) -> str:
        """The groups an area chart shows besides the city, in words ("the report's city sample and ...")."""
        names = {"reported": "the report's city sample", "sample": "the other cities on this site",
                 "population": "the cities of its population band", "foreign_born": "the cities of its foreign-born band"}
        shown = [names[r.kind] for r in self.rows if r.kind in names and r.value is not None]
        if not shown:
            return "no other city (none has a score on this site)"
        return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]

    @property
    def has_section(self) -> bool:
        """Whether the page gives this figure a section of its own (a value or narrative to show)."""
        return self.key != AGGREGATE and (self.value is not None or bool(self.does or self.suggests or self.learn_from))


@dataclass
class EditionView:
    """An edition of a city with its scores (and, for the latest one, its comparisons)."""

    edition: Edition
    scores: EditionScores
    source_title: str
    source_url: str | None


@dataclass
class CityView:
    """Everything a city page shows."""

    id: str
    page: str
    city: City
    country: str
    bands: CityBands
    population_band: str | None
    foreign_born_band: str | None
    editions: list[EditionView]
    latest: EditionView | None
    figures: dict[str, Figure]
    overview_chart: str | None
    strengths: list[Figure]
    to_improve: list[Figure]
    practices: list[PracticeView]
    recommended: list[PracticeView]


# --------------------------------------------------------------------------- sentences


def _relation(value: float, reference: float) -> str:
    shown, ref = publish(value), publish(reference)
    if shown > ref:
        return "above"
    if shown < ref:
        return "below"
    return "equal to"


def describe(label: str, figure_score: score.Score, reported: int | None, comparison: Comparison | None,
             report_year: int | None, band_labels: tuple[str | None, str | None]) -> str:
    """One or two plain sentences stating a figure and how it compares (used as chart text alternative).

    Example: "Commitment: 58 points, below the city sample of 69 given in the 2020 report.
    Among the 2 cities on this site with a score it ranks 1st."
    """
    value = figure_score.value
    if value is None:
        return f"{label}: not published."
    text = f"{label}: {publish(value)} points"
    if reported is not None:
        text += f", {_relation(value, reported)} the city sample of {reported} given in the {report_year} report"
    text += "."
    if comparison is not None and comparison.sample.count:
        mean = comparison.sample.mean
        n = comparison.sample.count
        text += (f" The mean of the {n} other {'city' if n == 1 else 'cities'} on this site with a score is "
                 f"{publish(mean)} ({_relation(value, mean)} it)")  # type: ignore[arg-type]
        if comparison.rank:
            text += f"; this city ranks {ordinal(comparison.rank.rank)} of {comparison.rank.of}"
        text += "."
    for stat, rank, band in (
        (comparison.population_band if comparison else None, comparison.population_rank if comparison else None, band_labels[0]),
        (comparison.foreign_born_band if comparison else None, comparison.foreign_born_rank if comparison else None, band_labels[1]),
    ):
        if stat is not None and stat.count and band:
            text += (f" Cities of {band}: mean {publish(stat.mean)} over {stat.count}"  # type: ignore[arg-type]
                     f" other {'city' if stat.count == 1 else 'cities'}"
                     + (f", rank {ordinal(rank.rank)} of {rank.of}" if rank else "") + ".")
    return text


# --------------------------------------------------------------------------- building views


def _band_label(definition: Definition, kind: str, key: str | None) -> str | None:
    if key is None:
        return None
    band_set = getattr(definition.bands, kind)
    return next((b.label for b in band_set.bands if b.key == key), key)


def _source(city: City, key: str) -> tuple[str, str | None]:
    src = city.sources[key]
    title = src.title
    extra = ", ".join(x for x in (src.publisher, long_date(src.date)) if x)
    return (f"{title} ({extra})" if extra else title), src.url


def figure_order(definition: Definition) -> list[str]:
    """Figure keys in the report's order: aggregate, commitment, the lens and its six areas, the rest."""
    keys = [AGGREGATE]
    for area in definition.areas:
        if area.group == "lens" and LENS not in keys:
            keys.append(LENS)
        keys.append(area.key)
    return keys


def _label(definition: Definition, key: str) -> str:
    return LENS_LABEL if key == LENS else definition.label_of(key)


def _group(definition: Definition, key: str) -> str:
    if key in (LENS, AGGREGATE):
        return "composite"
    return definition.area(key).group


def build_city(
    network: Network,
    city_id: str,
    scores: list[EditionScores],
    comparisons: dict[str, Comparison] | None,
    practices: dict[str, PracticeView],
) -> CityView:
    """The view of one city page."""
    definition = network.definition
    city = network.cities[city_id]
    bands = compare.city_bands(definition, city)
    pop_label = _band_label(definition, "population", bands.population)
    fb_label = _band_label(definition, "foreign_born", bands.foreign_born)
    editions = []
    for edition, edition_scores in zip(city.editions, scores):
        title, url = _source(city, edition.source)
        editions.append(EditionView(edition, edition_scores, title, url))
    editions.sort(key=lambda e: e.edition.year, reverse=True)
    latest = editions[0] if editions else None
    figures: dict[str, Figure] = {}
    overview_rows: list[dict[str, Any]] = []
    if latest is not None:
        edition = latest.edition
        band_names = (f"{pop_label.lower()} inhabitants" if pop_label else None,
                      f"{fb_label.lower()} foreign-born residents" if fb_label else None)
        for order, key in enumerate(figure_order(definition)):
            fs = latest.scores.scores[key]
            comparison = comparisons.get(key) if comparisons else None
            reported = edition.sample.get(key)
            label = _label(definition, key)
            narrative = edition.areas.get(key)
            fig = Figure(
                key=key,
                title=definition.title_of(key) if key != LENS else definition.lens.title,
                label=label,
                group=_group(definition, key),
                score=fs,
                reported_sample=reported,
                comparison=comparison,
                sentence=describe(label, fs, reported, comparison, edition.year, band_names),
                does=narrative.does if narrative else None,
                suggests=narrative.suggests if narrative else None,
                learn_from=[practices[p] for p in narrative.learn_from] if narrative else [],
            )
            if reported is not None:
                fig.reference = (f"the city sample of the {edition.year} report", float(reported))
            elif comparison is not None and comparison.sample.count:
                fig.reference = ("the mean of the other cities on this site", comparison.sample.mean)  # type: ignore[assignment]
            fig.rows = comparison_rows(fig, city.name, edition.year, pop_label, fb_label)
            if fs.value is not None:
                fig.chart = charts.to_json(charts.spec("area", _chart_rows(fig.rows), fig.sentence))
                for series, value in (("City", fs.value), ("Sample as reported", reported),
                                      ("Other cities on this site", comparison.sample.mean if comparison else None)):
                    if value is not None:
                        overview_rows.append({"label": label, "order": order, "series": series, "value": publish(value)})
            figures[key] = fig
    overview_chart = None
    if len({row["label"] for row in overview_rows}) >= 3:
        shown = [f for f in figures.values() if f.value is not None]
        best = max(shown, key=lambda f: f.value)  # type: ignore[arg-type, return-value]
        worst = min(shown, key=lambda f: f.value)  # type: ignore[arg-type, return-value]
        description = (f"Dot chart of {city.name}'s {len(shown)} published figures against the city sample: "
                       f"highest {best.label} {points(best.value)}, lowest {worst.label} {points(worst.value)}.")
        overview_chart = charts.to_json(charts.spec("overview", overview_rows, description))
    area_figures = [f for f in figures.values() if f.key != AGGREGATE and f.value is not None and f.reference]
    strengths = [f for f in area_figures if publish(f.value) > publish(f.reference[1])]  # type: ignore[index, arg-type]
    to_improve = [f for f in area_figures if publish(f.value) < publish(f.reference[1])]  # type: ignore[index, arg-type]
    own = [practices[f"{city_id}/{p.key}"] for p in city.practices]
    recommended: list[PracticeView] = []
    for fig in figures.values():
        for p in fig.learn_from:
            if p not in recommended:
                recommended.append(p)
    return CityView(city_id, city_page(city_id), city, country_name(city.country), bands, pop_label, fb_label,
                    editions, latest, figures, overview_chart, strengths, to_improve, own, recommended)


@dataclass(frozen=True)
class GroupRow:
    """One line of an area's comparison: the city, the report's sample, or a group of other cities.

    ``value`` is in points 0–100 (unrounded; ``None`` when the group has no city with a
    score); ``count`` is the number of other cities behind a mean; ``rank`` is the city's
    rank in that group (the city included).
    """

    label: str
    kind: str
    value: float | None
    count: int | None = None
    rank: compare.Rank | None = None
    note: str = ""


def comparison_rows(fig: Figure, city_name: str, year: int, pop_label: str | None, fb_label: str | None) -> list[GroupRow]:
    """The rows behind an area's chart and table: the city, the report's sample, all others, the two bands."""
    rows = [GroupRow(city_name, "city", fig.value, note=f"this city, {fig.score.origin or 'not published'}")]
    if fig.reported_sample is not None:
        rows.append(GroupRow(f"City sample ({year} report)", "reported", float(fig.reported_sample),
                             note="as published in the report"))
    c = fig.comparison
    if c is not None:
        for kind, stat, rank, label in (
            ("sample", c.sample, c.rank, "All other cities on this site"),
            ("population", c.population_band, c.population_rank, f"Population {pop_label.lower()}" if pop_label else None),
            ("foreign_born", c.foreign_born_band, c.foreign_born_rank, f"Foreign-born {fb_label.lower()}" if fb_label else None),
        ):
            if stat is not None and label:
                rows.append(GroupRow(label, kind, stat.mean, stat.count, rank,
                                     note=f"mean of {stat.count} other {'city' if stat.count == 1 else 'cities'} on this site"))
    return rows


def _chart_rows(rows: list[GroupRow]) -> list[dict[str, Any]]:
    return [
        {"label": f"{r.label} (n={r.count})" if r.count else r.label, "order": i, "kind": r.kind,
         "value": publish(r.value), "note": r.note}
        for i, r in enumerate(rows) if r.value is not None
    ]


def build_practices(network: Network) -> dict[str, PracticeView]:
    """Every practice by id, each with the city pages that recommend it."""
    out: dict[str, PracticeView] = {}
    for city_id, city in network.cities.items():
        for p in city.practices:
            pid = f"{city_id}/{p.key}"
            out[pid] = PracticeView(pid, city_id, city.name, country_name(city.country), p, practice_page(pid))
    for city_id, city in network.cities.items():
        for edition in city.editions:
            for area, narrative in edition.areas.items():
                for pid in narrative.learn_from:
                    entry = (city_id, city.name, area)
                    if entry not in out[pid].recommended_by:
                        out[pid].recommended_by.append(entry)
    return out


# --------------------------------------------------------------------------- rules for the methodology page


def rules_of(module: Any) -> str:
    """The rules section of a pipeline module's docstring, as Markdown (the site quotes the code's own rules)."""
    doc = inspect.getdoc(module) or ""
    body = doc.split("\n\n", 1)[1] if "\n\n" in doc else doc
    body = re.sub(r":(?:func|class|data|mod):`([^`]+)`", r"`\1`", body)
    return body.replace("``", "`")


# --------------------------------------------------------------------------- rendering


def environment(templates: Path) -> jinja2.Environment:
    """The Jinja2 environment of ``site_templates/`` with the text filters of :mod:`generator.text`."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # the output is Markdown; data text goes through md_text / md_cell / attr
    )
    env.filters.update(yaml_str=yaml_str, md_text=md_text, md_cell=md_cell, attr=attr, points=points, thousands=thousands,
                       percent=percent, ordinal=ordinal, long_date=long_date, country_name=country_name)
    env.globals.update(rel=rel, anchor=anchor, lang_attr=lang_attr, folded=folded, publish=publish, city_page=city_page, practice_page=practice_page,
                       AGGREGATE=AGGREGATE, LENS=LENS)
    return env


def render_site(
    network: Network,
    scores: dict[str, list[EditionScores]],
    comparisons: dict[str, dict[str, Comparison]],
    templates: Path,
) -> dict[str, str]:
    """Every generated Markdown page, ``{path relative to the docs root: Markdown}``.

    Raises ``jinja2.TemplateError`` for a broken template (with its name and line).
    """
    env = environment(templates)
    definition = network.definition
    practices = build_practices(network)
    cities = {cid: build_city(network, cid, scores[cid], comparisons.get(cid), practices) for cid in network.cities}
    env.globals["band_label"] = lambda kind, key: _band_label(definition, kind, key)
    pages: dict[str, str] = {}
    city_tpl = env.get_template("city.md.j2")
    for cid, view in cities.items():
        pages[view.page] = city_tpl.render(page=view.page, c=view, definition=definition)
    practice_tpl = env.get_template("practice.md.j2")
    for pid, view in practices.items():
        pages[view.page] = practice_tpl.render(page=view.page, p=view, definition=definition, cities=cities)
    common = dict(definition=definition, cities=cities, practices=practices)
    pages["results.md"] = env.get_template("results.md.j2").render(page="results.md", **common)
    pages["practices/index.md"] = env.get_template("practices.md.j2").render(page="practices/index.md", **common)
    pages["methodology.md"] = env.get_template("methodology.md.j2").render(
        page="methodology.md", score_rules=rules_of(score), compare_rules=rules_of(compare),
        figure_order=figure_order(definition), lens_label=LENS_LABEL, **common)
    pages["index.md"] = env.get_template("home.md.j2").render(page="index.md", **common)
    return pages
