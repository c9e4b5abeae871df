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
from .paths import city_page, edition_page
from .progress import Change
from .score import EditionScores, publish
from .snippets import answers_table
from .text import country_name, long_date, ordinal, page_url, points
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


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What pages say about the site itself (suggested citations): its name, its public
    address (``None`` when the build has none) and MkDocs' ``use_directory_urls``."""

    name: str = "Intercultural Cities Index"
    url: str | None = None
    directory_urls: bool = True

    def address(self, page: str) -> str:
        """The public address of the page built from source ``page`` (its site path when
        the build has no public address)."""
        path = page_url(page, self.directory_urls)
        return (self.url.rstrip("/") + "/" + path) if self.url else "/" + path


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
    change: Change | None = None  # against the city's previous edition
    reported_label: str = "city sample"  # what the report calls reported_sample

    @property
    def value(self) -> float | None:
        """The figure shown (points 0–100, unrounded), or ``None`` when not published."""
        return self.score.value

    @property
    def reported_heading(self) -> str:
        """``reported_label`` with a capital, to start a row or a legend entry ("City sample")."""
        return self.reported_label[:1].upper() + self.reported_label[1:]

    @property
    def has_section(self) -> bool:
        """Whether the page gives this figure a section of its own (a value or narrative to show)."""
        return self.key != AGGREGATE and (self.value is not None or bool(self.does or self.suggests or self.learn_from))


@dataclass(slots=True)
class EditionView:
    """An edition of a city with its scores, its own page, and its aggregate's change from
    the previous edition (``None`` for the first)."""

    edition: Edition
    scores: EditionScores
    source_title: str
    source_url: str | None
    page: str = ""
    change: Change | None = None

    @property
    def year(self) -> int:
        """The edition's year."""
        return self.edition.year


@dataclass(slots=True)
class CityView:
    """Everything a city page shows: the city's main page (its latest edition against every
    city's latest) or, with ``frozen``, the page of one edition (``edition``) as of its year.

    ``editions`` lists every edition, latest first; ``history`` those up to the edition
    shown, earliest first (what the page's chart and table of editions show).
    """

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
    edition: EditionView | None = None
    frozen: bool = False
    history: list[EditionView] = field(default_factory=list)
    history_chart: Chart | None = None
    previous: EditionView | None = None
    dossier: str | None = None  # site path of the edition's printable PDF, when dossiers are made

    @property
    def main_page(self) -> str:
        """The city's main page (its latest results)."""
        return city_page(self.id)

    @property
    def sections(self) -> list[tuple[str, str]]:
        """(anchor, label) of the page's main sections, for the jump links at its top."""
        out = []
        if self.city.overview or self.city.population or self.city.facts:
            out.append(("overview", "Overview"))
        if self.edition is not None:
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
        if self.editions:
            out.append(("editions", "Editions"))
        if self.frozen:
            out.append(("cite", "How to cite"))
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
    change: Change | None = None,
    reported_label: str = "city sample",
) -> str:
    """A few plain sentences stating a figure, its change from the previous edition and how
    it compares, saying which editions the comparison takes (used as chart text alternative).

    Example: "Commitment: 58 points, below the city sample of 69 given in the 2020 report.
    The mean of the 1 other city on this site with a score (latest editions, 2020) is 35;
    this city is above it."
    """
    value = figure_score.value
    if value is None:
        return f"{label}: not published."
    text = f"{label}: {publish(value)} points"
    if reported is not None:
        text += f", {_relation(value, reported)} the {reported_label} of {reported} given in the {report_year} report"
    text += "."
    if change is not None:
        text += " " + change_sentence(change)
    if comparison is not None and comparison.sample.count:
        mean = comparison.sample.mean
        assert mean is not None  # (a group with cities has a mean)
        n = comparison.sample.count
        if n == 1:
            text += (
                f" The one other city on this site with a score ({scope_text(comparison)}) has {publish(mean)}; "
                f"this city is {_relation(value, mean)} it"
            )
        else:
            text += (
                f" The mean of the {n} other cities on this site with a score "
                f"({scope_text(comparison)}) is {publish(mean)}; this city is {_relation(value, mean)} it"
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
            others = (
                f"the one other city has {publish(stat.mean)}"
                if stat.count == 1
                else f"mean {publish(stat.mean)} over {stat.count} other cities"
            )
            text += f" Cities of {band}: {others}" + (f", rank {ordinal(rank.rank)} of {rank.of}" if rank else "") + "."
    return text


def change_sentence(change: Change) -> str:
    """The change of a figure from the previous edition, in words (``progress`` module rules)."""
    if change.delta is None:
        if change.current is not None and change.previous is not None:
            return (
                f"It was {change.previous} in the {change.previous_year} edition; no change is given, because "
                f"{change.reason}."
            )
        return f"No change from the {change.previous_year} edition is given: {change.reason}."
    if change.delta == 0:
        return f"Unchanged since the {change.previous_year} edition ({change.previous})."
    direction = "Up" if change.delta > 0 else "Down"
    size = abs(change.delta)
    unit = "point" if size == 1 else "points"
    return f"{direction} {size} {unit} since the {change.previous_year} edition ({change.previous})."


def signed(delta: int | None) -> str:
    """A change in points with its sign (``+3``, ``−2``, ``0``); an en dash when there is none."""
    if delta is None:
        return "–"
    return f"+{delta}" if delta > 0 else f"−{-delta}" if delta < 0 else "0"


def change_cell(change: Change | None, since: bool = False) -> str:
    """A change as a table cell writes it: the points with their sign (``+3``; with
    ``since``, ``+3 since 2018``), "not comparable" when both editions have the figure but
    no change is given (``progress`` module rules), else a dash."""
    if change is None:
        return "—"
    if change.delta is not None:
        return signed(change.delta) + (f" since {change.previous_year}" if since else "")
    return "not comparable" if change.previous is not None and change.current is not None else "—"


def scope_text(comparison: Comparison) -> str:
    """Which editions a comparison takes, in words: "latest editions, 2011–2020", with the
    questionnaire versions when they differ (``compare`` module rules)."""
    scope = comparison.scope
    basis = "latest editions" if comparison.as_of is None else f"latest editions of {comparison.as_of} or before"
    if scope.years is not None:
        first, last = scope.years
        basis += f", all from {first}" if first == last else f", {first}–{last}"
    if scope.mixed:
        named = [v for v in scope.versions if v is not None]
        parts = [f"the {' and '.join(named)} questionnaire{'s' if len(named) > 1 else ''}"] if named else []
        if None in scope.versions:
            parts.append("versions not recorded")
        basis += "; mixing " + " and ".join(parts)
    return basis


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
    changes: dict[int, dict[str, Change]] | None = None,
    year: int | None = None,
) -> CityView:
    """The view of one city page: the main page (``year`` is ``None``: the latest edition,
    ``comparisons`` against every city's latest edition) or the page of the edition of
    ``year`` (``comparisons`` as of that year, ``compare.compare_editions``). ``changes``
    are the city's changes from edition to edition (``progress.city_changes``).

    With ``full=False`` the view holds what the listing, area and home pages use (the city,
    bands, editions, scores and comparisons of every figure), without the city page's
    sentences, tables, answers and charts; it is much cheaper to build.

    Raises ``KeyError`` if the city has no edition of ``year``.
    """
    definition = network.definition
    city = network.cities[city_id]
    changes = changes or {}
    bands = compare.city_bands(definition, city)
    pop_label = band_label(definition, "population", bands.population)
    fb_label = band_label(definition, "foreign_born", bands.foreign_born)
    editions = []
    for edition, edition_scores in zip(city.editions, scores, strict=True):
        title, url = _source(city, edition.source)
        change = changes.get(edition_scores.index, {}).get(AGGREGATE)
        editions.append(EditionView(edition, edition_scores, title, url, edition_page(city_id, edition.year), change))
    editions.sort(key=lambda e: e.edition.year, reverse=True)
    latest = editions[0] if editions else None
    shown = latest if year is None else next(e for e in editions if e.year == year)
    history = sorted((e for e in editions if shown is not None and e.year <= shown.year), key=lambda e: e.year)
    previous = history[-2] if len(history) > 1 else None
    shown_changes = changes.get(shown.scores.index, {}) if shown is not None else {}
    figures: dict[str, Figure] = {}
    overview_rows: list[dict[str, Any]] = []
    if shown is not None:
        edition = shown.edition
        band_names = (
            f"{pop_label.lower()} inhabitants" if pop_label else None,
            f"{fb_label.lower()} foreign-born residents" if fb_label else None,
        )
        for order, key in enumerate(definition.figure_order):
            fs = shown.scores.scores[key]
            comparison = comparisons.get(key) if comparisons else None
            reported = edition.sample.get(key)
            label = figure_label(definition, key)
            narrative = edition.areas.get(key)
            change = shown_changes.get(key)
            reported_label = edition.sample_labels.get(key, "city sample")
            fig = Figure(
                key=key,
                title=definition.title_of(key) if key != LENS else definition.lens.title,
                label=label,
                group=figure_group(definition, key),
                score=fs,
                reported_sample=reported,
                comparison=comparison,
                sentence=(
                    describe(label, fs, reported, comparison, edition.year, band_names, change, reported_label)
                    if full
                    else ""
                ),
                does=narrative.does if narrative else None,
                suggests=narrative.suggests if narrative else None,
                learn_from=[practices[p] for p in narrative.learn_from] if narrative else [],
                change=change,
                reported_label=reported_label,
            )
            if reported is not None:
                fig.reference = (f"the {reported_label} of the {edition.year} report", float(reported))
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
                    area_chart(fig, city.name, (bands.population, bands.foreign_born), year),
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
        assert shown is not None  # (the rows are those of the edition shown)
        values = [(f.value, f) for f in figures.values() if f.value is not None]
        best = max(values, key=lambda vf: vf[0])[1]
        worst = min(values, key=lambda vf: vf[0])[1]
        description = (
            f"Dot chart of {city.name}'s {len(values)} published figures against the city sample: "
            f"highest {best.label} {points(best.value)}, lowest {worst.label} {points(worst.value)}."
        )
        overview_chart = maker.make(
            "overview",
            charts.overview(overview_rows),
            f"All figures of {city.name} in {shown.edition.year} (points 0–100): the city, "
            "the city sample given in the report and the mean of the other cities on this site.",
            description,
        )
    history_chart = history_figure(definition, city.name, history, maker) if full and len(history) > 1 else None
    area_figures = [  # (shown, reference, figure)
        (publish(f.value), publish(f.reference[1]), f)
        for f in figures.values()
        if f.key != AGGREGATE and f.value is not None and f.reference
    ]
    strengths = [f for value, reference, f in area_figures if value > reference]
    to_improve = [f for value, reference, f in area_figures if value < reference]
    own = [practices[f"{city_id}/{p.key}"] for p in city.practices] if year is None else []
    learning = [
        (figures[need.area], [(practices[s.practice], s) for s in suggestions])
        for need, suggestions in (advice.needs if advice and full and year is None else [])
    ]
    return CityView(
        city_id,
        city_page(city_id) if year is None else edition_page(city_id, year),
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
        edition=shown,
        frozen=year is not None,
        history=history,
        history_chart=history_chart,
        previous=previous,
    )


def history_figure(
    definition: Definition, city_name: str, history: list[EditionView], maker: ChartMaker
) -> Chart | None:
    """The chart of a city's figures across ``history`` (its editions, earliest first): a
    row per figure with a value in at least two editions."""
    rows = []
    for order, key in enumerate(definition.figure_order):
        values = [(e.year, e.scores.value(key)) for e in history]
        known = [(y, publish(v)) for y, v in values if v is not None]
        if len(known) >= 2:
            label = figure_label(definition, key)
            rows += [{"label": label, "order": order, "year": str(y), "value": v} for y, v in known]
    figures = len({r["label"] for r in rows})
    if not figures:
        return None
    first, last = history[0].year, history[-1].year
    agg = [(e.year, e.scores.value(AGGREGATE)) for e in history if e.scores.value(AGGREGATE) is not None]
    told = "; aggregate " + ", ".join(f"{points(v)} in {y}" for y, v in agg) if agg else ""
    return maker.make(
        "history",
        charts.history(rows),
        f"{city_name}'s figures in each edition from {first} to {last} (points 0–100): a dot per edition, "
        "joined from the lowest to the highest. Editions that answered different questionnaire versions "
        "are shown side by side, not as a change.",
        f"Dot chart of {figures} figures of {city_name} across {len(history)} editions, {first} to {last}{told}.",
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
                f"{fig.reported_heading} ({year} report)",
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


def area_chart(
    fig: Figure, city_name: str, bands: tuple[str | None, str | None], year: int | None = None
) -> dict[str, Any]:
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
                    "label": f"{fig.reported_heading} given in the report",
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
    return charts.area(fig.key, marks, order, dots, bands, year)


def area_caption(fig: Figure, city_name: str) -> str:
    """What an area chart shows, in words."""
    text = (
        f"{fig.label}: each dot is a city with a score on this site, in the whole sample and in {city_name}'s bands; "
        f"the large blue dot is {city_name}, the tick the mean of the other cities"
    )
    if fig.reported_sample is not None:
        text += f", the diamond the {fig.reported_label} given in the report"
    return text + " (points 0–100)."
