"""Pages: the scored and compared network rendered through ``site_templates/``: city and
practice pages as HTML with their outline marked (:class:`Outline`), the others as Markdown.

``render_site`` writes every generated page (path relative to the docs root) through the
writer it is given, page by page. Templates receive plain view records built here, so
they hold layout only: every number they print was computed by ``score`` or ``compare``
and rounded by ``score.publish``.
"""

from __future__ import annotations

import atexit
import functools
import gc
import html
import inspect
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import jinja2
from markupsafe import Markup
from markupsafe import escape as markupsafe_escape

from . import charts, compare, filewriter, learn, score
from .compare import Comparison, CityBands
from .model import AGGREGATE, LENS, City, Definition, Edition, Practice
from .score import EditionScores, publish
from .text import anchor, attr, folded, href, sanitize_html, yaml_str, country_name, lang_attr, long_date, md_cell, md_plain, md_text, meta_text, ordinal, percent, points, rel, thousands
from .validate import Network

LENS_LABEL = "Intercultural lens"


def city_page(city_id: str) -> str:
    """Source path of a city's page (``cities/<id>.md``)."""
    return f"cities/{city_id}.md"


def practice_page(practice_id: str) -> str:
    """Source path of a practice's page (``practices/<city id>/<key>.md``)."""
    return f"practices/{practice_id}.md"


# --------------------------------------------------------------------------- charts


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart as a page places it: the chart instance (kind and own values, see
    :func:`charts.instance`), its static render, a caption and a text alternative.

    ``svg`` is the site path of the static render (``None`` when static renders are off).
    """

    id: str
    instance: dict[str, Any]
    svg: str | None
    caption: str
    alt: str

    @property
    def json(self) -> str:
        """The chart instance as compact JSON (what the page's script draws from)."""
        return charts.to_json(self.instance)


def chart_figure(chart: Chart, page: str, directory_urls: bool = True) -> Markup:
    """A chart as an HTML page shows it: a ``<figure>`` with the static render (shown
    without JavaScript and in print) when there is one, the element the interactive chart
    is drawn into (its instance as JSON in ``data-spec``), and the caption. ``page`` is the
    source path of the page it is on (for the image's relative address).

    Written here rather than as a template macro: a city page holds about twenty charts,
    and this is several times faster than a macro call (every value is escaped here). The
    instance's JSON is put in single quotes, where only ``&`` and ``'`` need escaping: its
    many double quotes stay as they are (a fifth of a city page otherwise).
    """
    esc = html.escape
    if chart.svg:
        image = (f'<img class="icc-chart__static" src="{esc(href(page, chart.svg, directory_urls=directory_urls))}" '
                 f'alt="{esc(chart.alt)}" loading="lazy">\n')
        label = ""
    else:
        image, label = "", f' data-label="{esc(chart.alt)}"'
    spec = chart.json.replace("&", "&amp;").replace("'", "&#39;")
    return Markup(f'<figure class="icc-chart" id="chart-{esc(chart.id)}"{label}>\n{image}'
                  f"<div class=\"icc-chart__view\" data-spec='{spec}'></div>\n"
                  f"<figcaption>{esc(chart.caption)}</figcaption>\n</figure>")


def practice_link(practice: PracticeView, page: str, directory_urls: bool = True) -> Markup:
    """A practice as a city page lists it (HTML): a link to its page, a link to its city's
    page, and the country: ``<a …>Title</a>, <a …>City</a> (Country)``. ``page`` is the
    source path of the page it is on. (Written here, not in the template: a city page lists
    dozens, and one call is several times faster than the template's dozen outputs.)"""
    esc = html.escape
    return Markup(f'<a href="{esc(href(page, practice.page, directory_urls=directory_urls))}">{esc(practice.practice.title)}</a>, '
                  f'<a href="{esc(href(page, city_page(practice.city_id), directory_urls=directory_urls))}">'
                  f"{esc(practice.city_name)}</a> ({esc(practice.country)})")


class ChartMaker:
    """Makes the charts of a run and collects the static renders they need.

    ``shared`` maps a shared data file's site path to its rows (for static renders);
    ``svgs`` collects, by digest, the static specs to render.
    """

    def __init__(self, shared: dict[str, list[dict[str, Any]]], static: bool):
        self.shared, self.static = shared, static
        self.svgs: dict[str, dict[str, Any]] = {}
        self.bins: dict[Any, list[dict[str, Any]]] = {}

    def make(self, chart_id: str, instance: dict[str, Any], caption: str, description: str) -> Chart:
        """A chart with its static render (if on); ``description`` is its text alternative."""
        svg = None
        if self.static:
            static = charts.static_spec(instance, self.shared, self.bins)
            static["description"] = description
            name = charts.digest(static)
            self.svgs[name] = static
            svg = f"{charts.SVG_FOLDER}/{name}.svg"
        return Chart(chart_id, instance, svg, caption, description)


# --------------------------------------------------------------------------- view records


@dataclass(slots=True)
class PracticeView:
    """A practice as pages show it, with the pages it links to."""

    id: str
    city_id: str
    city_name: str
    country: str
    practice: Practice
    page: str
    recommended_by: list[tuple[str, str, str]] = field(default_factory=list)  # (city id, city name, area key)


@dataclass(slots=True)
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
    chart: Chart | None = None
    answers: str | None = None  # the questionnaire answers behind the score, as an HTML table
    rows: list[GroupRow] = field(default_factory=list)
    reference: tuple[str, float] | None = None  # (what the city is compared with, value)

    @property
    def value(self) -> float | None:
        """The figure shown (points 0–100, unrounded), or ``None`` when not published."""
        return self.score.value

    @property
    def has_section(self) -> bool:
        """Whether the page gives this figure a section of its own (a value or narrative to show)."""
        return self.key != AGGREGATE and (self.value is not None or bool(self.does or self.suggests or self.learn_from))


@dataclass(slots=True)
class EditionView:
    """An edition of a city with its scores (and, for the latest one, its comparisons)."""

    edition: Edition
    scores: EditionScores
    source_title: str
    source_url: str | None


@dataclass(slots=True)
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
    overview_chart: Chart | None
    strengths: list[Figure]
    to_improve: list[Figure]
    practices: list[PracticeView]
    learning: list[tuple[Figure, list[tuple[PracticeView, learn.Suggestion]]]]

    @property
    def sections(self) -> list[tuple[str, str]]:
        """(anchor, label) of the page's main sections, for the jump links at its top."""
        out = []
        if self.city.overview or self.city.population or self.city.facts:
            out.append(("overview", "Overview"))
        if self.latest is not None:
            out.append(("aggregate", "Aggregate"))
            out += [(f.key, f.label) for f in self.figures.values()
                    if f.has_section and f.group in ("core", "optional", "composite")]
            out.append(("strengths", "Strengths"))
        if self.learning:
            out.append(("learn-from", "What to learn"))
        if self.practices:
            out.append(("own-practices", "Its practices"))
        out.append(("sources", "Sources and data"))
        return out

    @property
    def lens_has_sections(self) -> bool:
        """Whether any area of the intercultural lens has a section of its own (the lens
        heading is shown then, even without a value)."""
        return any(f.group == "lens" and f.has_section for f in self.figures.values())

    @property
    def table_figures(self) -> list[Figure]:
        """The figures the page's table lists: those with a value, a reported sample or a section."""
        return [f for f in self.figures.values()
                if f.value is not None or f.reported_sample is not None or f.has_section]


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
    The mean of the 1 other city on this site with a score is 35; this city is above it."
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
                 f"{publish(mean)}; this city is {_relation(value, mean)} it")  # type: ignore[arg-type]
        if comparison.rank:
            text += f"; this city ranks {ordinal(comparison.rank.rank)} of {comparison.rank.of}"
            if comparison.percentile is not None and 0 < comparison.percentile < 100:
                text += f", above {publish(comparison.percentile)} % of the others"
            elif comparison.percentile == 100:
                text += ", above all the others"
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
    maker: ChartMaker,
    advice: learn.Advice | None = None,
    full: bool = True,
) -> CityView:
    """The view of one city page.

    With ``full=False`` the view holds what the listing, area and home pages use (the city,
    bands, editions, scores and comparisons of every figure), without the city page's
    sentences, tables, answers and charts; it is much cheaper to build.
    """
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
        for order, key in enumerate(definition.figure_order):
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
                sentence=describe(label, fs, reported, comparison, edition.year, band_names) if full else "",
                does=narrative.does if narrative else None,
                suggests=narrative.suggests if narrative else None,
                learn_from=[practices[p] for p in narrative.learn_from] if narrative else [],
            )
            if reported is not None:
                fig.reference = (f"the city sample of the {edition.year} report", float(reported))
            elif comparison is not None and comparison.sample.count:
                fig.reference = ("the mean of the other cities on this site", comparison.sample.mean)  # type: ignore[assignment]
            figures[key] = fig
            if not full:
                continue
            fig.rows = comparison_rows(fig, city.name, edition.year, pop_label, fb_label)
            if edition.answers and key not in (AGGREGATE, LENS):
                fig.answers = answers_table(definition.area(key), edition.answers)
            if fs.value is not None:
                fig.chart = maker.make(key, area_chart(fig, city.name, (bands.population, bands.foreign_born)),
                                       area_caption(fig, city.name), fig.sentence)
                for series, value in (("City", fs.value), ("Sample as reported", reported),
                                      ("Other cities on this site", comparison.sample.mean if comparison else None)):
                    if value is not None:
                        overview_rows.append({"label": label, "order": order, "series": series, "value": publish(value)})
    overview_chart = None
    if len({row["label"] for row in overview_rows}) >= 3:
        shown = [f for f in figures.values() if f.value is not None]
        best = max(shown, key=lambda f: f.value)  # type: ignore[arg-type, return-value]
        worst = min(shown, key=lambda f: f.value)  # type: ignore[arg-type, return-value]
        description = (f"Dot chart of {city.name}'s {len(shown)} published figures against the city sample: "
                       f"highest {best.label} {points(best.value)}, lowest {worst.label} {points(worst.value)}.")
        overview_chart = maker.make("overview", charts.overview(overview_rows),
                                    f"All figures of {city.name} in {latest.edition.year} (points 0–100): the city, "
                                    "the city sample given in the report and the mean of the other cities on this site.",
                                    description)
    area_figures = [f for f in figures.values() if f.key != AGGREGATE and f.value is not None and f.reference]
    strengths = [f for f in area_figures if publish(f.value) > publish(f.reference[1])]  # type: ignore[index, arg-type]
    to_improve = [f for f in area_figures if publish(f.value) < publish(f.reference[1])]  # type: ignore[index, arg-type]
    own = [practices[f"{city_id}/{p.key}"] for p in city.practices]
    learning = [(figures[need.area], [(practices[s.practice], s) for s in suggestions])
                for need, suggestions in (advice.needs if advice and full else [])]
    return CityView(city_id, city_page(city_id), city, country_name(city.country), bands, pop_label, fb_label,
                    editions, latest, figures, overview_chart, strengths, to_improve, own, learning)


@dataclass(frozen=True, slots=True)
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


def area_chart(fig: Figure, city_name: str, bands: tuple[str | None, str | None]) -> dict[str, Any]:
    """The peer chart of a figure: a dot row per group of cities (with the city's mark and the
    mean of the others), then the report's sample."""
    labels: dict[str, str] = {}
    marks: list[dict[str, Any]] = []
    for r in fig.rows:
        if r.kind == "city":
            continue
        if r.kind == "reported":
            labels[r.kind] = r.label
            marks.append({"row": r.label, "label": "City sample given in the report", "kind": "reported",
                          "value": publish(r.value)})  # type: ignore[arg-type]
            continue
        base = "All cities on this site" if r.kind == "sample" else r.label
        label = labels[r.kind] = f"{base} ({(r.count or 0) + 1})"
        marks.append({"row": label, "label": city_name, "kind": "city", "value": publish(fig.value)})  # type: ignore[arg-type]
        if r.value is not None:
            others = f"{r.count} other {'city' if r.count == 1 else 'cities'}"
            marks.append({"row": label, "label": f"Mean of the {others}", "kind": "mean", "value": publish(r.value)})
    order = [labels[k] for k in ("sample", "population", "foreign_born", "reported") if k in labels]
    dots = (labels.get("sample", ""), labels.get("population", ""), labels.get("foreign_born", ""))
    return charts.area(fig.key, marks, order, dots, bands)


def answers_table(area: Any, answers: dict[str, str]) -> str:
    """The questionnaire answers of one area as an HTML table: question, answer, points.

    Written as HTML rather than a Markdown table: a page may hold 86 of these rows, and
    Markdown tables are the slowest thing MkDocs renders. The rows a question can give are
    made once per question (:func:`_question_rows`), not once per city.
    """
    cells = []
    for question in area.questions:
        rows = _question_rows(question)
        answer = answers.get(question.id)
        cells.append(rows[1] if answer is None else rows[2].get(answer.strip().casefold(), rows[1]))
    return ('<table class="icc-answers"><thead><tr><th>Question</th><th>Answer</th><th>Points</th></tr></thead>'
            f"<tbody>{''.join(cells)}</tbody></table>")


def data_table(figure: Any, city_name: str) -> Markup:
    """A figure's comparison rows (``Figure.rows``) as the HTML table under its chart:
    group, points, the number of other cities in the mean and, when any group ranks the
    city, its rank. Written here rather than in the template: a city page holds about
    twenty of these tables, and this is several times faster (every value is escaped)."""
    esc = markupsafe_escape
    ranked = any(r.rank for r in figure.rows)
    computed = " (computed)" if figure.score.origin not in (None, "published") else ""
    label = esc(figure.label)
    head = (f"<thead><tr><th>{label}</th><th>Points</th><th>Other cities in the mean</th>"
            + (f"<th>Rank of {esc(city_name)}</th>" if ranked else "") + "</tr></thead>")
    rows = []
    for r in figure.rows:
        rank = (f"<td>{r.rank.rank} of {r.rank.of}</td>" if r.rank else "<td></td>") if ranked else ""
        rows.append(f"<tr><td>{esc(r.label)}</td><td>{esc(points(r.value, '—'))}{computed if r.kind == 'city' else ''}</td>"
                    f"<td>{'' if r.count is None else r.count}</td>{rank}</tr>\n")
    return Markup(f"<table>\n{head}\n<tbody>\n{''.join(rows)}</tbody>\n</table>")


_ROWS: dict[int, tuple[Any, str, dict[str, str]]] = {}


def _question_rows(question: Any) -> tuple[Any, str, dict[str, str]]:
    """``(question, row when not answered, {option key casefolded: row})`` for a question,
    computed once (the answer matches an option as ``Question.option`` matches it)."""
    cached = _ROWS.get(id(question))
    if cached is None or cached[0] is not question:
        text = html.escape(question.text)
        unanswered = f"<tr><td>{text}</td><td>not answered</td><td>{'0' if question.mandatory else 'not counted'}</td></tr>"
        by_key = {o.key.casefold(): f"<tr><td>{text}</td><td>{html.escape(o.label)}</td>"
                                    f"<td>{o.points} of {question.max_points}</td></tr>" for o in question.options}
        cached = _ROWS[id(question)] = (question, unanswered, by_key)
    return cached


def area_caption(fig: Figure, city_name: str) -> str:
    """What an area chart shows, in words."""
    text = (f"{fig.label}: each dot is a city with a score on this site, in the whole sample and in {city_name}'s bands; "
            f"the large blue dot is {city_name}, the tick the mean of the other cities")
    if fig.reported_sample is not None:
        text += ", the diamond the city sample given in the report"
    return text + " (points 0–100)."


def build_practices(network: Network, advice: dict[str, learn.Advice]) -> dict[str, PracticeView]:
    """Every practice by id, each with the city pages that recommend it (and for which area):
    those whose report points to it and those the learn-from rules recommend it on."""
    out: dict[str, PracticeView] = {}
    for city_id, city in network.cities.items():
        for p in city.practices:
            pid = f"{city_id}/{p.key}"
            out[pid] = PracticeView(pid, city_id, city.name, country_name(city.country), p, practice_page(pid))
    mentions = [(cid, area, pid) for cid, city in network.cities.items() for edition in city.editions
                for area, narrative in edition.areas.items() for pid in narrative.learn_from]
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
    ranking: list[tuple[int | None, CityView, float]]  # rank is None in a group too small to rank
    band_means: list[tuple[str, str, int, float]]  # (criterion, band label, cities, mean)
    practices: list[PracticeView]
    chart: Chart | None


def area_page(key: str) -> str:
    """Source path of a figure's page (``areas/<key>.md``)."""
    return f"areas/{key}.md"


def build_areas(definition: Definition, cities: dict[str, CityView], practices: dict[str, PracticeView],
                shared: dict[str, list[dict[str, Any]]], maker: ChartMaker) -> dict[str, AreaView]:
    """One view per figure (aggregate, lens, every area), in the report's order."""
    pops = [(b.key, b.label) for b in definition.bands.population.bands]
    fbs = [(b.key, b.label) for b in definition.bands.foreign_born.bands]
    out = {}
    for key in definition.figure_order:
        rows = shared[charts.data_path(key)]
        values = sorted(((r["v"], r["c"]) for r in rows), key=lambda vc: (-vc[0], cities[vc[1]].city.name))
        ranked = len(values) >= compare.MIN_RANKED
        ranking = []
        for position, (v, c) in enumerate(values):  # best first: equal values share a rank
            rank = position + 1 if position == 0 or values[position - 1][0] != v else ranking[-1][0]
            ranking.append((rank, cities[c], float(v)))
        if not ranked:
            ranking = [(None, view, v) for _, view, v in ranking]
        band_means = []
        for criterion, field_name, bands in (("Population", "p", pops), ("Foreign-born residents", "f", fbs)):
            for band_key, band_label in bands:
                group = [r["v"] for r in rows if r[field_name] == band_key]
                if group:
                    band_means.append((criterion, band_label, len(group), sum(group) / len(group)))
        label = _label(definition, key)
        chart = None
        if len(rows) >= 2:
            top, bottom = ranking[0], ranking[-1]
            chart = maker.make(
                f"ranking-{key}", charts.listing("ranking", pops, fbs, len(rows), key=key, title=label),
                f"Every city's latest score on {label.lower()}, highest first; choose a band to see a group of peers.",
                f"Bar chart of {len(rows)} cities' scores on {label.lower()}, from {top[1].city.name} "
                f"({publish(top[2])}) to {bottom[1].city.name} ({publish(bottom[2])}).")
        area = definition.area(key) if key not in (AGGREGATE, LENS) else None
        composite = definition.aggregate if key == AGGREGATE else definition.lens if key == LENS else None
        filed = [p for p in practices.values() if key in p.practice.areas]
        out[key] = AreaView(
            key, area_page(key), definition.title_of(key) if key != LENS else definition.lens.title, label,
            area.description if area else composite.description,  # type: ignore[union-attr]
            area.examines if area else None, _group(definition, key), ranking, band_means, filed, chart)
    return out


# --------------------------------------------------------------------------- rules for the methodology page


def rules_of(module: Any) -> str:
    """The rules section of a pipeline module's docstring, as Markdown (the site quotes the code's own rules)."""
    doc = inspect.getdoc(module) or ""
    body = doc.split("\n\n", 1)[1] if "\n\n" in doc else doc
    body = re.sub(r":(?:func|class|data|mod):`([^`]+)`", r"`\1`", body)
    return body.replace("``", "`")


# --------------------------------------------------------------------------- rendering


def environment(templates: Path, directory_urls: bool = True, cache: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment of ``site_templates/`` with the text filters of :mod:`generator.text`.

    ``directory_urls`` is MkDocs' ``use_directory_urls``: raw HTML links are written for it.
    With ``cache`` (a folder), compiled templates are kept there and reused while their
    source is unchanged (Jinja2's bytecode cache: compiling them takes 0.1 s a build).
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(_folder(cache))) if cache is not None else None,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # *.md.j2 templates write Markdown (data text goes through md_text / md_cell / attr);
        # *.html.j2 templates write HTML and escape every value (see Outline)
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
    )
    env.filters.update(inline_md=inline_markdown, h=lambda text: html.escape(str(text), quote=False), yaml_str=yaml_str, md_text=md_text, md_cell=md_cell, md_plain=md_plain, attr=attr, points=points, thousands=thousands,
                       percent=percent, ordinal=ordinal, long_date=long_date, country_name=country_name)
    env.globals["href"] = functools.partial(href, directory_urls=directory_urls)
    env.globals["chart_figure"] = functools.partial(chart_figure, directory_urls=directory_urls)
    env.globals["practice_link"] = functools.partial(practice_link, directory_urls=directory_urls)
    env.globals.update(data_table=data_table, area_page=area_page, rel=rel, anchor=anchor, lang_attr=lang_attr, folded=folded, publish=publish, city_page=city_page, practice_page=practice_page,
                       AGGREGATE=AGGREGATE, LENS=LENS)
    return env


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def shared_data(network: Network, scores: dict[str, list[EditionScores]]) -> dict[str, list[dict[str, Any]]]:
    """One file per figure with every city's latest value on it: ``{site path: rows}``.

    A row is ``{"c": city id, "n": name, "v": points, "y": edition year, "p": population
    band, "f": foreign-born band}``; the aggregate's rows add ``"s"`` (foreign-born share
    in percent, else the non-national share; ``None`` if neither).
    Charts load these by address, so no page repeats data with one row per city.
    """
    definition = network.definition
    everyone = compare.entries(definition, network.cities, scores)
    out: dict[str, list[dict[str, Any]]] = {}
    for key in definition.score_keys:
        rows = []
        for e in everyone:
            value = e.scores.value(key)
            if value is None:
                continue
            city = network.cities[e.city]
            row: dict[str, Any] = {"c": e.city, "n": city.name, "v": publish(value), "y": e.scores.year,
                                   "p": e.bands.population, "f": e.bands.foreign_born}
            if key == AGGREGATE:
                row["s"] = next((s.percent for s in (city.foreign_born, city.non_nationals)
                                 if s and s.percent is not None), None)
            rows.append(row)
        out[charts.data_path(key)] = rows
    return out


BLOCK = '<div class="icc-block" data-block="{}"></div>'
#: The same place in the HTML of an outline (see Outline): a comment, which costs MkDocs'
#: search indexing nothing to read past.
BLOCK_MARK = "<!--icc-block:{}-->"


class Deferred:
    """The HTML blocks of a page that MkDocs need not process: tables of figures, charts.

    A template wraps such HTML in ``{% call defer() %}…{% endcall %}``; the page's Markdown
    then holds only a placeholder (:data:`BLOCK`), and the block is put in its place in
    the finished HTML page (the MkDocs plugin does this after the search index is made).
    So MkDocs parses prose and headings, not thousands of table cells, and the search
    index holds text rather than numbers. Blocks are sanitised like every generated page.
    """

    def __init__(self) -> None:
        self.blocks: list[str] = []

    def defer(self, caller: Any) -> str:
        self.blocks.append(caller())
        return "\n" + BLOCK.format(len(self.blocks) - 1) + "\n"

    #: Separates the blocks while they are sanitised together (data text cannot produce it: it is escaped).
    SEPARATOR = "<p>icc-block-separator</p>"

    @classmethod
    def sanitised(cls, blocks: list[str]) -> list[str]:
        """The blocks, sanitised in one pass (much cheaper than one pass per block).
        Raises ``ValueError`` if a block holds the separator."""
        if not blocks:
            return []
        clean = sanitize_html(cls.SEPARATOR.join(blocks)).split(cls.SEPARATOR)
        if len(clean) != len(blocks):  # pragma: no cover - a separator inside a block
            raise ValueError("a deferred block could not be told apart from the next")
        return clean


class Outline:
    """A page written as HTML with its outline marked: how MkDocs builds it cheapest.

    An HTML page template (``*.html.j2``, autoescaped) calls ``P.meta(title, description)``
    once, and marks the page's outline where it stands: ``P.heading(level, text, id)``,
    ``P.lead(text, search_terms)`` (the line under the title) and ``P.md(markdown)`` (data
    narrative, which may use Markdown). :meth:`split` turns the rendered HTML into a
    :class:`Page`: the outline (headings, lead, narrative, and the place of each stretch of
    HTML between them) converted to HTML, with its table of contents and front matter, and
    the HTML blocks.

    Such a page has no Markdown source: the MkDocs plugin gives MkDocs the converted
    outline (the page's table of contents and search entry come from it), and puts the
    blocks in their places in the finished page. So MkDocs never parses the tables, charts
    and lists, and a page costs no more than converting its narrative. The blocks
    come out of an autoescaping template (every data value is escaped, and addresses are
    checked by the data model); narrative converted from Markdown goes through the same
    sanitiser as every other page. A block must close every element it opens, so an element
    may not span a heading. A block's place is a comment (:data:`BLOCK_MARK`).
    """

    _MARK = re.compile(r"<!--icc-outline:(\d+)-->")

    def __init__(self) -> None:
        self.title = self.description = ""
        self.boost: float | None = None
        self.parts: list[tuple[str, Any]] = []

    def _mark(self, kind: str, value: Any) -> Markup:
        self.parts.append((kind, value))
        return Markup(f"<!--icc-outline:{len(self.parts) - 1}-->")

    def meta(self, title: str, description: str, search_boost: float | None = None) -> str:
        """The page's title and description; ``search_boost`` ranks it higher in search (Material's ``search.boost``)."""
        self.title, self.description, self.boost = title, description, search_boost
        return ""

    def heading(self, level: int, text: str, id: str | None = None, suffix: str = "") -> Markup:
        """A heading of the page (``suffix`` is trusted HTML after the text, e.g. a native name)."""
        return self._mark("heading", (level, text, id, str(suffix)))

    def lead(self, text: str, search_terms: list[str] | tuple[str, ...] = ()) -> Markup:
        """The line under the title; ``search_terms`` are added hidden, for search only (see :func:`text.folded`)."""
        return self._mark("lead", (text, " ".join(search_terms)))

    def md(self, markdown: str, strong: str | None = None) -> Markup:
        """Markdown written into the page as it is (data text must be escaped with ``md_text``;
        links may only lead off the site, as MkDocs does not rewrite them here), after an
        optional bold run-in (``strong``, plain text)."""
        return self._mark("md", (markdown, strong))

    def split(self, page: str, rendered: str) -> "Page":
        """The :class:`Page` of the template's output (``page`` is its source path, for errors).

        Raises ``ValueError`` if narrative Markdown links to a page of the site.
        """
        pieces = self._MARK.split(rendered)
        content: list[str] = []
        toc: list[dict[str, Any]] = []
        ids: list[str] = []
        blocks: list[str] = []
        # sections with no text of their own (only tables and charts) are left out of search:
        # they would make thousands of entries that all read "Sources and data"
        silent: set[int] = set()
        last, texted = None, False
        for j, (kind, value) in enumerate(self.parts):
            if kind == "heading":
                if last is not None and not texted:
                    silent.add(last)
                last, texted = (j if value[0] > 1 else None), False
            else:
                texted = True
        if last is not None and not texted:
            silent.add(last)
        for i, piece in enumerate(pieces):
            if i % 2 == 0:
                # every stretch between two marks has its place, even an empty one
                if i > 0 or piece.strip():
                    content.append(BLOCK_MARK.format(len(blocks)))
                    blocks.append(piece.strip())
                continue
            kind, value = self.parts[int(piece)]
            if kind == "heading":
                level, text, hid, suffix = value
                quiet = int(piece) in silent
                name = html.escape(text, quote=False)
                exclude = " data-search-exclude" if quiet else ""
                if hid:
                    ids.append(hid)
                    content.append(f'<h{level} id="{hid}"{exclude}>{name}{suffix}<a class="headerlink" href="#{hid}" '
                                   f'title="Permanent link">&para;</a></h{level}>')
                else:
                    content.append(f"<h{level}{exclude}>{name}{suffix}</h{level}>")
                _add_toc(toc, {"level": level, "id": hid or "", "name": name, "children": []})
            elif kind == "lead":
                text, terms = value
                hidden = f' <span class="icc-search-terms" hidden>{md_text(terms)}</span>' if terms else ""
                content.append(f"<p>{html.escape(text, quote=False)}{hidden}</p>")
            else:
                text, strong = value
                try:
                    converted = markdown_html(text)
                except ValueError as error:
                    raise ValueError(f"{page}: {error}") from None
                if strong:
                    run_in = f"<strong>{html.escape(strong, quote=False)}</strong>"
                    converted = (f"<p>{run_in} {converted[3:]}" if converted.startswith("<p>")
                                 else f"<p>{run_in}</p>\n{converted}")
                content.append(converted)
        meta: dict[str, Any] = {"title": meta_text(self.title), "description": meta_text(self.description)}
        if self.boost is not None:
            meta["search"] = {"boost": self.boost}
        return Page(meta, "\n".join(content), toc, sorted(set(ids)), blocks)


#: A link to a relative address (no scheme, not an anchor): a page of this site, which would not be rewritten.
_SITE_LINK = re.compile(r'href="(?![a-zA-Z][a-zA-Z0-9+.-]*:|#)([^"]*)"')


def _add_toc(toc: list[dict[str, Any]], token: dict[str, Any]) -> None:
    """Nest a heading under the last heading of a higher level (as Python-Markdown's toc does)."""
    siblings = toc
    while siblings and siblings[-1]["level"] < token["level"]:
        siblings = siblings[-1]["children"]
    siblings.append(token)


_MARKDOWN: Any = None
#: Text that converts to a plain paragraph: no character Markdown gives a meaning to, one line.
_PLAIN = re.compile(r"[^\\`*_\[\]!<>#|~=+\-:{}()\n^]*")


def markdown_html(text: str) -> str:
    """Narrative Markdown (already escaped by ``md_text``) as HTML, by Python-Markdown, with
    what the conversion makes reduced to the site's safe subset (:func:`text.sanitize_html`).

    Plain one-line text (most narrative) is wrapped in a paragraph without running the
    converter, which gives the same HTML. Raises ``ValueError`` if the text links to a page
    of this site (such links are not rewritten; validation reports them first, at their line).
    """
    global _MARKDOWN
    text = text.strip()
    if _PLAIN.fullmatch(text):
        return f"<p>{text}</p>" if text else ""
    if _MARKDOWN is None:
        import markdown

        _MARKDOWN = markdown.Markdown(extensions=["sane_lists"])
    converted = sanitize_html(_MARKDOWN.reset().convert(text))
    found = _SITE_LINK.search(converted)
    if found:
        raise ValueError(f"narrative text links to a page of this site ({found.group(1)}); link to full addresses only")
    return converted


def inline_markdown(text: str | None) -> Markup:
    """Data text that may use Markdown, as inline HTML (for a list item or table cell of an HTML template).

    Raises ``ValueError`` if it links to a page of this site (such links are not rewritten).
    """
    converted = markdown_html(" ".join(md_text(text).split()))
    return Markup(converted.removeprefix("<p>").removesuffix("</p>"))


@dataclass
class Page:
    """A generated page written through :class:`Outline`.

    ``meta`` is the page's front matter (``title``, ``description``, ``search``: what MkDocs
    would read from a Markdown page's header); ``content`` the outline as HTML with a place
    for each block; ``toc`` its table of contents as Python-Markdown's tokens (``{"level", "id", "name", "children"}``); ``ids`` the ids of its
    headings, the anchors other pages link to (MkDocs checks those links; an id inside a
    block is not one of them); ``blocks`` the HTML blocks.
    """

    meta: dict[str, Any]
    content: str
    toc: list[dict[str, Any]]
    ids: list[str]
    blocks: list[str]


@dataclass
class Rendered:
    """What rendering returns besides the pages it wrote: the shared chart data files
    (site path → a function making the file's bytes, called when it is written: at 10,000
    cities they are megabytes) and the static chart renders still to be drawn (digest →
    static spec).

    ``outlined`` names the pages written through :class:`Outline` (city and practice
    pages), whose converted outline is a record of a pack (:func:`pack_file`); ``listing``
    the Markdown pages (listing, area, home and methodology pages), whose source is a
    record of :data:`LISTING_PACK`. When they are left for later (with ``later=True``),
    ``later(processes, tidy=None)`` renders them with that many processes (forked as
    needed), each into its pack, in the order MkDocs builds them: practice pages, the
    Markdown pages (the first process, which then calls ``tidy()``), city pages.
    """

    data: dict[str, Callable[[], bytes]]
    svgs: dict[str, dict[str, Any]]
    outlined: set[str] = field(default_factory=set)
    listing: list[str] = field(default_factory=list)
    later: Callable[..., None] | None = None


#: The folder, in the generated folder, of the pages' packs (MkDocs does not publish it:
#: its name starts with a dot).
COMPANIONS = ".pages"

#: The pack (``pipeline.Pack``) of the generated Markdown pages: one record per page, named
#: by its path: its Markdown source as a JSON string, a line break, then its HTML blocks
#: (:class:`Deferred`), sanitised (:func:`pack_blocks`). (The sources are also written as
#: files, for whoever reads the generated folder.)
LISTING_PACK = f"{COMPANIONS}/listing.pack"

#: The generated Markdown pages besides the area pages, in the order they are rendered.
LISTING_PAGES = ("areas/index.md", "results.md", "practices/index.md", "methodology.md", "index.md")


def pack_file(share: int) -> str:
    """Path, in the generated folder, of the pack (``pipeline.Pack``) of city and practice
    pages that rendering share ``share`` (from 0) writes: one record per page, named by the
    page's path: its converted outline as JSON (``{"meta", "content", "toc", "ids"}``, see
    :class:`Page`), a line break, then its HTML blocks (:func:`pack_blocks`). (JSON text
    holds no raw line break, so either part can be read without parsing the other.)"""
    return f"{COMPANIONS}/outlines-{share}.pack"


#: What separates a page's HTML blocks in its record: a character no page holds (YAML
#: files cannot carry it, and templates have no reason to).
BLOCK_SEPARATOR = "\x00"


def pack_blocks(page: str, blocks: list[str]) -> bytes:
    """A page's HTML blocks as its record stores them: UTF-8, separated by
    :data:`BLOCK_SEPARATOR` (a tenth of the time of JSON, to write and to read, for the
    100 KB of a city page). Raises ``ValueError`` naming ``page`` if a block holds the
    separator."""
    text = BLOCK_SEPARATOR.join(blocks)
    if text.count(BLOCK_SEPARATOR) != max(len(blocks) - 1, 0):
        raise ValueError(f"{page}: the page holds the character U+0000, which pages may not hold")
    return text.encode("utf-8")


def unpack_blocks(data: bytes) -> list[str]:
    """The HTML blocks of :func:`pack_blocks` (``[""]`` for none: no page refers to it)."""
    return data.decode("utf-8").split(BLOCK_SEPARATOR)


#: Below this many cities, city pages are rendered in one process (starting another costs more).
PARALLEL_FROM = 200


def page_names(network: Network) -> tuple[set[str], list[str]]:
    """The generated pages of a network, by source path: the pages written through
    :class:`Outline` (a page per city and per good practice) and the Markdown pages (a page
    per figure of the definition, then :data:`LISTING_PAGES`), as :class:`Rendered` names
    them. They depend on the city files and the definition alone, not on any score."""
    outlined = {city_page(cid) for cid in network.cities} | {
        practice_page(f"{cid}/{p.key}") for cid, city in network.cities.items() for p in city.practices}
    listing = [area_page(key) for key in network.definition.figure_order] + list(LISTING_PAGES)
    return outlined, listing


def data_names(definition: Definition) -> list[str]:
    """The site paths of the shared chart data files (:func:`shared_data`, one per figure)
    and of the chart templates: the keys of ``Rendered.data``, in order."""
    return [charts.data_path(key) for key in definition.score_keys] + [charts.TEMPLATES]


def render_site(
    network: Network,
    scores: dict[str, list[EditionScores]],
    comparisons: dict[str, dict[str, Comparison]],
    advice: dict[str, learn.Advice],
    templates: Path,
    out: Any,
    static_charts: bool = True,
    directory_urls: bool = True,
    workers: int = 1,
    later: bool = False,
    cache: Path | None = None,
) -> Rendered:
    """Render every generated page into ``out`` as it is made, and return the shared chart
    data files and the static chart renders the pages need.

    ``out`` is a ``pipeline.TreeWriter`` (``add(path, bytes)``, ``pack(path)``,
    ``merge(hashes)``). With ``workers`` > 1 and at least :data:`PARALLEL_FROM` cities, city
    and practice pages are rendered by that many processes (forked, so they share the views
    built here); each writes its pack into ``out``'s folder and reports its digest. With
    ``later`` (static charts off: their images must be known before MkDocs starts), the city
    and practice pages are not rendered here but left to ``Rendered.later``. ``cache`` is a
    folder for compiled templates (see :func:`environment`).

    Raises ``jinja2.TemplateError`` for a broken template (with its name and line), and
    ``RuntimeError`` naming the error if a rendering process fails.
    """
    env = environment(templates, directory_urls, cache)
    definition = network.definition
    env.globals["band_label"] = lambda kind, key: _band_label(definition, kind, key)
    env.globals["chart_data"] = charts.data_path

    # What the pages draw on, made when the first page needs it (a large network's MkDocs
    # need not wait): the practices (every page), the shared chart data and the chart maker
    # (city and listing pages, rendered after the practice pages).
    practice_views = functools.cache(lambda: build_practices(network, advice))

    @functools.cache
    def shared_views() -> tuple[dict[str, list[dict[str, Any]]], ChartMaker, dict[str, PracticeView]]:
        shared = shared_data(network, scores)
        return shared, ChartMaker(shared, static_charts), practice_views()

    def city_view(cid: str, full: bool) -> CityView:
        _, maker, practices = shared_views()
        return build_city(network, cid, scores[cid], comparisons.get(cid), practices, maker, advice.get(cid), full)

    def dump(value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def outline(template: jinja2.Template, page: str, pack: Any, **context: Any) -> None:
        """Render a city or practice page into ``pack`` (``pipeline.Pack``) as its outline."""
        marks = Outline()
        done = marks.split(page, template.render(page=page, P=marks, **context))
        converted = {"meta": done.meta, "content": done.content, "toc": done.toc, "ids": done.ids}
        # (the page has no Markdown source of its own: MkDocs takes it all from here)
        pack.add(page, dump(converted) + b"\n" + pack_blocks(page, done.blocks))

    def render(template: jinja2.Template, page: str, pack: Any, **context: Any) -> None:
        """Render a Markdown page into ``out`` (its source) and ``pack`` (its record)."""
        deferred = Deferred()
        text = template.render(page=page, defer=deferred.defer, **context)
        out.add(page, text.encode("utf-8"))
        pack.add(page, dump(text) + b"\n" + pack_blocks(page, Deferred.sanitised(deferred.blocks)))

    city_tpl = env.get_template("city.html.j2")
    practice_tpl = env.get_template("practice.html.j2")
    ids = list(network.cities)
    outlined, listing = page_names(network)  # (every generated page, named before any is rendered)
    shares = max(1, workers) if len(ids) >= PARALLEL_FROM else 1

    def render_listing() -> None:
        """Render the Markdown pages; they need every city's scores, not its page's details."""
        shared, maker, practices = shared_views()
        cities = {cid: city_view(cid, full=False) for cid in network.cities}
        listing_charts = build_listing_charts(definition, shared[charts.data_path(AGGREGATE)], maker)
        areas = build_areas(definition, cities, practices, shared, maker)
        common = dict(definition=definition, cities=cities, practices=practices, areas=areas)
        context = {
            "areas/index.md": ("areas.md.j2", {}),
            "results.md": ("results.md.j2", {"listing_charts": listing_charts}),
            "practices/index.md": ("practices.md.j2", {}),
            "methodology.md": ("methodology.md.j2", {
                "score_rules": rules_of(score), "compare_rules": rules_of(compare), "learn_rules": rules_of(learn),
                "lens_label": LENS_LABEL}),
            "index.md": ("home.md.j2", {}),
        }
        area_tpl = env.get_template("area.md.j2")
        pack = out.pack(LISTING_PACK)
        try:
            for key in definition.figure_order:
                render(area_tpl, area_page(key), pack, a=areas[key], **common)
            for page in LISTING_PAGES:
                name, extra = context[page]
                render(env.get_template(name), page, pack, **extra, **common)
        finally:
            pack.close()

    def render_pages(share: int, of: int, between: Callable[[], None] | None = None) -> dict[str, dict[str, Any]]:
        """Render a share of the practice and city pages into a pack of its own, in the
        order MkDocs builds them (the plugin puts practice pages before city pages; share 0
        calls ``between`` in between); return the static renders they need."""
        pack = out.pack(pack_file(share))
        try:
            for p in sorted(practice_views().values(), key=lambda p: p.page)[share::of]:
                outline(practice_tpl, p.page, pack, p=p, definition=definition)
            maker = shared_views()[1]
            before = set(maker.svgs)
            if between is not None and share == 0:
                between()
            for cid in sorted(ids, key=city_page)[share::of]:
                outline(city_tpl, city_page(cid), pack, c=city_view(cid, full=True), definition=definition)
        finally:
            pack.close()
        return {k: v for k, v in maker.svgs.items() if k not in before}

    render_later = None
    if later:
        def render_later(processes: int, tidy: Callable[[], None] | None = None) -> None:
            def listing_then_tidy() -> None:
                render_listing()
                if tidy is not None:
                    tidy()

            charts.templates()  # built once here (with Altair), not again in each process
            if processes > 1:
                shared_views()  # (and these, shared by the processes)
            _in_processes(lambda share: render_pages(share, processes, listing_then_tidy), processes, out)
    else:
        shared_views()  # (made once, before the processes share it)
        for svgs in _in_processes(lambda share: render_pages(share, shares), shares, out):
            shared_views()[1].svgs.update(svgs)
        render_listing()
    *chart_data, templates = data_names(definition)
    data: dict[str, Callable[[], bytes]] = {
        path: functools.partial(lambda path: dump(shared_views()[0][path]), path) for path in chart_data}
    data[templates] = lambda: charts.to_json(charts.templates()).encode("utf-8")
    return Rendered(data, {} if later else shared_views()[1].svgs, outlined, listing, render_later)


def _in_processes(work: Any, shares: int, out: Any) -> list[Any]:
    """Run ``work(0)`` here and ``work(1)`` … ``work(shares - 1)`` in forked processes at
    the same time, and return what each returned (in share order; values must pickle).
    Files the forked processes add to ``out`` are merged into it.

    Raises ``RuntimeError`` with the error of a process that failed.
    """
    if shares == 1:
        return [work(0)]
    helpers = Background(lambda share: work(share + 1), shares - 1, out)
    try:
        first = work(0)
    except BaseException:
        helpers.stop()
        raise
    return [first, *helpers.finish()]


def build_listing_charts(definition: Definition, rows: list[dict[str, Any]], maker: ChartMaker) -> list[Chart]:
    """The listing's ranked aggregate chart and its scatter against the foreign-born share."""
    if len(rows) < 2:
        return []
    pops = [(b.key, b.label) for b in definition.bands.population.bands]
    fbs = [(b.key, b.label) for b in definition.bands.foreign_born.bands]
    ranked = sorted(rows, key=lambda r: -r["v"])
    top, bottom = ranked[0], ranked[-1]
    ranking = maker.make(
        "ranking", charts.listing("ranking", pops, fbs, len(rows)),
        "Every city's latest aggregate index, highest first. Choose a population or foreign-born band to compare "
        "a city with its peers.",
        f"Bar chart of the aggregate index of {len(rows)} cities, from {top['n']} ({top['v']}) to {bottom['n']} ({bottom['v']}).")
    with_share = [r for r in rows if r.get("s") is not None]
    out = [ranking]
    if len(with_share) >= 2:
        out.append(maker.make(
            "scatter", charts.listing("scatter", pops, fbs, len(with_share)),
            "Aggregate index against the share of foreign-born residents (non-nationals where no foreign-born share "
            "is published), for the cities whose share is published.",
            f"Scatter chart of the aggregate index against the share of foreign-born (or non-national) residents "
            f"for the {len(with_share)} cities whose share is published."))
    return out


def _error_text(error: BaseException) -> str:
    """An error as one line, with the template line it was raised at, if any (what a
    traceback would show; a process reports its error to its parent as text)."""
    import traceback

    text = "".join(traceback.format_exception_only(type(error), error)).strip()
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")]
    if frames:
        text += f" (in {Path(frames[-1].filename).name}, line {frames[-1].lineno})"
    return text


class Background:
    """Work running in forked processes while the build goes on: ``work(share)`` for each
    share ``0 … shares - 1``, each in its own process, adding files to ``out`` (a
    ``pipeline.TreeWriter``). What ``work`` returns must pickle.

    With ``early``, ``work`` is called as ``work(share, tell)`` and may call ``tell(value)``
    as soon as it has something for the caller, before its work is done (:meth:`early`
    returns the values told, in order).

    :meth:`wait_for` blocks until something a process writes is there (or a process
    failed); :meth:`finish` waits for every process and records their files in ``out``. Raises ``RuntimeError``
    with a process's error.
    """

    def __init__(self, work: Any, shares: int, out: Any, early: bool = False):
        import multiprocessing

        self.out = out
        ctx = multiprocessing.get_context("fork")
        self.running = []
        # The processes only read what exists now; with it frozen, their garbage collector
        # does not walk it (and so does not copy the pages of memory that hold it).
        gc.freeze()
        end_with_parent, parent = filewriter.parent_death_signal(), os.getpid()
        try:
            for share in range(shares):
                receive, send = ctx.Pipe(duplex=False)

                def child(share: int = share, send: Any = send, receive: Any = receive) -> None:
                    end_with_parent(parent)  # (a build stopped from outside leaves it not running on)
                    # Only the parent reads: with no reader of its own, a process whose
                    # parent is gone gets an error when it writes, instead of waiting.
                    receive.close()
                    for _, other in self.running:
                        other.close()
                    before = set(out.hashes)
                    try:
                        value = work(share, lambda told: send.send(("early", told))) if early else work(share)
                        send.send(("ok", (value, {k: v for k, v in out.hashes.items() if k not in before})))
                    except BrokenPipeError:  # the parent is gone: nobody to tell
                        pass
                    except BaseException as error:  # noqa: BLE001 - reported to the parent, which raises
                        try:
                            send.send(("error", _error_text(error)))
                        except BrokenPipeError:
                            pass
                    finally:
                        send.close()

                process = ctx.Process(target=child, name=f"icc-render-{share}")
                process.start()
                send.close()
                self.running.append((process, receive))
        finally:
            gc.unfreeze()
        # A process that ends before it has read what they tell (an error, an interrupt)
        # stops them first: else, on its way out, it would wait for processes that wait
        # for it to read.
        atexit.register(self.stop)
        self.done: dict[int, tuple[str, Any]] = {}
        self.told: dict[int, list[Any]] = {}
        self.waited = 0.0

    def _receive(self, i: int) -> None:
        process, receive = self.running[i]
        try:
            message = receive.recv()
        except EOFError:
            process.join()
            message = ("error", f"the rendering process {process.name} stopped (exit code {process.exitcode})")
        if message[0] == "early":
            self.told.setdefault(i, []).append(message[1])
            return
        self.done[i] = message
        if message[0] == "error":
            self.stop()
            raise RuntimeError(message[1])

    def early(self, i: int, nth: int = 0) -> Any:
        """The ``nth`` thing process ``i`` told (see ``early``; from 0), once it has; raises its
        error if it failed first."""
        while len(self.told.get(i, ())) <= nth:
            if i in self.done:
                raise RuntimeError(f"the process {self.running[i][0].name} ended without telling")
            self._receive(i)
        return self.told[i][nth]

    def wait_for(self, find: Callable[[], Any], what: str) -> Any:
        """Block until ``find()`` returns something other than ``None`` (it looks for what a
        process is writing: ``what`` names it in the error if none writes it) and return
        that; raises a process's error."""
        import time

        start = time.perf_counter()
        delay = 0.001
        while (found := find()) is None:
            for i, (_, receive) in enumerate(self.running):
                if i not in self.done and receive.poll():
                    self._receive(i)
            if len(self.done) == len(self.running):  # all ended: it is there now, or never
                if (found := find()) is None:
                    raise RuntimeError(f"no rendering process wrote {what}")
                break
            time.sleep(delay)
            delay = min(delay * 2, 0.005)
        self.waited += time.perf_counter() - start
        return found

    def finish(self) -> list[Any]:
        """Wait for every process, record the files they wrote, and return what each
        ``work(share)`` returned, in share order; raises the first error."""
        for i in range(len(self.running)):
            while i not in self.done:
                self._receive(i)
        for process, _ in self.running:
            process.join()
        values = []
        for i in range(len(self.running)):
            value, hashes = self.done[i][1]
            self.out.merge(hashes)
            values.append(value)
        self.running, self.done = [], {}
        atexit.unregister(self.stop)
        return values

    def stop(self) -> None:
        """End the processes without waiting for their work (the build failed)."""
        for process, _ in self.running:
            if process.exitcode is None:
                process.kill()
            process.join()
        self.running, self.done = [], {}
        atexit.unregister(self.stop)
