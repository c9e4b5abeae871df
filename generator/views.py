"""Views: the plain records the page templates read, built from the scored and compared network.

Templates hold layout only: every number they print was computed by ``score`` or
``compare`` and is rounded by ``score.publish`` when printed. A view is built once per
page (:func:`build_city`, :func:`build_areas`, :func:`build_practices`) and never
changes after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import charts, compare, drawing, learn, score
from .compare import CityBands, Comparison
from .model import AGGREGATE, LENS, City, Definition, Edition, Practice
from .paths import city_page
from .score import EditionScores, publish
from .snippets import answers_table
from .text import country_name, long_date, ordinal, points
from .validate import Network

LENS_LABEL = "Intercultural lens"


# --------------------------------------------------------------------------- charts


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart as a page places it: the chart instance (kind and own values, see
    :func:`charts.instance`), its static render, a caption and a text alternative.

    ``svg`` is the site path of the static render (``None`` when static renders are off),
    ``svg_narrow`` that of its narrow version, for phones (``charts.STATIC_NARROW_WIDTH``).
    """

    id: str
    instance: dict[str, Any]
    svg: str | None
    caption: str
    alt: str
    svg_narrow: str | None = None

    @property
    def json(self) -> str:
        """The chart instance as compact JSON (what the page's script draws from)."""
        return charts.to_json(self.instance)


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
        if not self.static:
            return Chart(chart_id, instance, None, caption, description)
        paths = []
        for width in (charts.STATIC_WIDTH, charts.STATIC_NARROW_WIDTH):
            static = charts.static_spec(instance, self.shared, self.bins, width)
            static["description"] = description
            name = drawing.digest(static)
            self.svgs[name] = static
            paths.append(f"{charts.SVG_FOLDER}/{name}.svg")
        return Chart(chart_id, instance, paths[0], caption, description, paths[1])


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
            out += [
                (f.key, f.label)
                for f in self.figures.values()
                if f.has_section and f.group in ("core", "optional", "composite")
            ]
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
        return [
            f for f in self.figures.values() if f.value is not None or f.reported_sample is not None or f.has_section
        ]


# --------------------------------------------------------------------------- sentences


def _relation(value: float, reference: float) -> str:
    shown, ref = publish(value), publish(reference)
    if shown > ref:
        return "above"
    if shown < ref:
        return "below"
    return "equal to"


def describe(
    label: str,
    figure_score: score.Score,
    reported: int | None,
    comparison: Comparison | None,
    report_year: int | None,
    band_labels: tuple[str | None, str | None],
) -> str:
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
        assert mean is not None  # (a group with cities has a mean)
        n = comparison.sample.count
        text += (
            f" The mean of the {n} other {'city' if n == 1 else 'cities'} on this site with a score is "
            f"{publish(mean)}; this city is {_relation(value, mean)} it"
        )
        if comparison.rank:
            text += f"; this city ranks {ordinal(comparison.rank.rank)} of {comparison.rank.of}"
            if comparison.percentile is not None and 0 < comparison.percentile < 100:
                text += f", above {publish(comparison.percentile)} % of the others"
            elif comparison.percentile == 100:
                text += ", above all the others"
        text += "."
    for stat, rank, band in (
        (
            comparison.population_band if comparison else None,
            comparison.population_rank if comparison else None,
            band_labels[0],
        ),
        (
            comparison.foreign_born_band if comparison else None,
            comparison.foreign_born_rank if comparison else None,
            band_labels[1],
        ),
    ):
        if stat is not None and stat.count and band:
            assert stat.mean is not None  # (a group with cities has a mean)
            text += (
                f" Cities of {band}: mean {publish(stat.mean)} over {stat.count}"
                f" other {'city' if stat.count == 1 else 'cities'}"
                + (f", rank {ordinal(rank.rank)} of {rank.of}" if rank else "")
                + "."
            )
    return text


# --------------------------------------------------------------------------- building views


def band_label(definition: Definition, kind: str, key: str | None) -> str | None:
    """The label of a band (``kind`` is ``population`` or ``foreign_born``), or ``None``."""
    if key is None:
        return None
    band_set = getattr(definition.bands, kind)
    return next((b.label for b in band_set.bands if b.key == key), key)


def _source(city: City, key: str) -> tuple[str, str | None]:
    src = city.sources[key]
    title = src.title
    extra = ", ".join(x for x in (src.publisher, long_date(src.date)) if x)
    return (f"{title} ({extra})" if extra else title), src.url


def figure_label(definition: Definition, key: str) -> str:
    """The short name of a figure (the aggregate, the lens or an area)."""
    return LENS_LABEL if key == LENS else definition.label_of(key)


def figure_group(definition: Definition, key: str) -> str:
    """``composite`` for the aggregate and the lens, else the area's group (core, lens, optional)."""
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
    pop_label = band_label(definition, "population", bands.population)
    fb_label = band_label(definition, "foreign_born", bands.foreign_born)
    editions = []
    for edition, edition_scores in zip(city.editions, scores, strict=True):
        title, url = _source(city, edition.source)
        editions.append(EditionView(edition, edition_scores, title, url))
    editions.sort(key=lambda e: e.edition.year, reverse=True)
    latest = editions[0] if editions else None
    figures: dict[str, Figure] = {}
    overview_rows: list[dict[str, Any]] = []
    if latest is not None:
        edition = latest.edition
        band_names = (
            f"{pop_label.lower()} inhabitants" if pop_label else None,
            f"{fb_label.lower()} foreign-born residents" if fb_label else None,
        )
        for order, key in enumerate(definition.figure_order):
            fs = latest.scores.scores[key]
            comparison = comparisons.get(key) if comparisons else None
            reported = edition.sample.get(key)
            label = figure_label(definition, key)
            narrative = edition.areas.get(key)
            fig = Figure(
                key=key,
                title=definition.title_of(key) if key != LENS else definition.lens.title,
                label=label,
                group=figure_group(definition, key),
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
                assert comparison.sample.mean is not None  # (a group with cities has a mean)
                fig.reference = ("the mean of the other cities on this site", comparison.sample.mean)
            figures[key] = fig
            if not full:
                continue
            fig.rows = comparison_rows(fig, city.name, edition.year, pop_label, fb_label)
            if edition.answers and key not in (AGGREGATE, LENS):
                fig.answers = answers_table(definition.area(key), edition.answers)
            if fs.value is not None:
                fig.chart = maker.make(
                    key,
                    area_chart(fig, city.name, (bands.population, bands.foreign_born)),
                    area_caption(fig, city.name),
                    fig.sentence,
                )
                for series, value in (
                    ("City", fs.value),
                    ("Sample as reported", reported),
                    ("Other cities on this site", comparison.sample.mean if comparison else None),
                ):
                    if value is not None:
                        overview_rows.append(
                            {"label": label, "order": order, "series": series, "value": publish(value)}
                        )
    overview_chart = None
    if len({row["label"] for row in overview_rows}) >= 3:
        assert latest is not None  # (the rows are those of the latest edition)
        shown = [(f.value, f) for f in figures.values() if f.value is not None]
        best = max(shown, key=lambda vf: vf[0])[1]
        worst = min(shown, key=lambda vf: vf[0])[1]
        description = (
            f"Dot chart of {city.name}'s {len(shown)} published figures against the city sample: "
            f"highest {best.label} {points(best.value)}, lowest {worst.label} {points(worst.value)}."
        )
        overview_chart = maker.make(
            "overview",
            charts.overview(overview_rows),
            f"All figures of {city.name} in {latest.edition.year} (points 0–100): the city, "
            "the city sample given in the report and the mean of the other cities on this site.",
            description,
        )
    area_figures = [  # (shown, reference, figure)
        (publish(f.value), publish(f.reference[1]), f)
        for f in figures.values()
        if f.key != AGGREGATE and f.value is not None and f.reference
    ]
    strengths = [f for shown, reference, f in area_figures if shown > reference]
    to_improve = [f for shown, reference, f in area_figures if shown < reference]
    own = [practices[f"{city_id}/{p.key}"] for p in city.practices]
    learning = [
        (figures[need.area], [(practices[s.practice], s) for s in suggestions])
        for need, suggestions in (advice.needs if advice and full else [])
    ]
    return CityView(
        city_id,
        city_page(city_id),
        city,
        country_name(city.country),
        bands,
        pop_label,
        fb_label,
        editions,
        latest,
        figures,
        overview_chart,
        strengths,
        to_improve,
        own,
        learning,
    )


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


def comparison_rows(
    fig: Figure, city_name: str, year: int, pop_label: str | None, fb_label: str | None
) -> list[GroupRow]:
    """The rows behind an area's chart and table: the city, the report's sample, all others, the two bands."""
    rows = [GroupRow(city_name, "city", fig.value, note=f"this city, {fig.score.origin or 'not published'}")]
    if fig.reported_sample is not None:
        rows.append(
            GroupRow(
                f"City sample ({year} report)",
                "reported",
                float(fig.reported_sample),
                note="as published in the report",
            )
        )
    c = fig.comparison
    if c is not None:
        for kind, stat, rank, label in (
            ("sample", c.sample, c.rank, "All other cities on this site"),
            (
                "population",
                c.population_band,
                c.population_rank,
                f"Population {pop_label.lower()}" if pop_label else None,
            ),
            (
                "foreign_born",
                c.foreign_born_band,
                c.foreign_born_rank,
                f"Foreign-born {fb_label.lower()}" if fb_label else None,
            ),
        ):
            if stat is not None and label:
                rows.append(
                    GroupRow(
                        label,
                        kind,
                        stat.mean,
                        stat.count,
                        rank,
                        note=f"mean of {stat.count} other {'city' if stat.count == 1 else 'cities'} on this site",
                    )
                )
    return rows


def area_chart(fig: Figure, city_name: str, bands: tuple[str | None, str | None]) -> dict[str, Any]:
    """The peer chart of a figure: a dot row per group of cities (with the city's mark and the
    mean of the others), then the report's sample."""
    assert fig.value is not None  # (only a figure with a value has a chart)
    labels: dict[str, str] = {}
    marks: list[dict[str, Any]] = []
    for r in fig.rows:
        if r.kind == "city":
            continue
        if r.kind == "reported":
            assert r.value is not None  # (the report's sample is a number)
            labels[r.kind] = r.label
            marks.append(
                {
                    "row": r.label,
                    "label": "City sample given in the report",
                    "kind": "reported",
                    "value": publish(r.value),
                }
            )
            continue
        base = "All cities on this site" if r.kind == "sample" else r.label
        label = labels[r.kind] = f"{base} ({(r.count or 0) + 1})"
        marks.append({"row": label, "label": city_name, "kind": "city", "value": publish(fig.value)})
        if r.value is not None:
            others = f"{r.count} other {'city' if r.count == 1 else 'cities'}"
            marks.append({"row": label, "label": f"Mean of the {others}", "kind": "mean", "value": publish(r.value)})
    order = [labels[k] for k in ("sample", "population", "foreign_born", "reported") if k in labels]
    dots = (labels.get("sample", ""), labels.get("population", ""), labels.get("foreign_born", ""))
    return charts.area(fig.key, marks, order, dots, bands)


def area_caption(fig: Figure, city_name: str) -> str:
    """What an area chart shows, in words."""
    text = (
        f"{fig.label}: each dot is a city with a score on this site, in the whole sample and in {city_name}'s bands; "
        f"the large blue dot is {city_name}, the tick the mean of the other cities"
    )
    if fig.reported_sample is not None:
        text += ", the diamond the city sample given in the report"
    return text + " (points 0–100)."
