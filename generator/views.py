"""Views: the plain records the page templates read, built from the scored and compared network.

Templates hold layout only: every number they print was computed by ``score`` or
``compare`` and is rounded by ``score.publish`` when printed. A view is built once per
page (:func:`build_city`, :func:`build_areas`, :func:`build_practices`) and never
changes after.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from markupsafe import Markup

from . import charts, compare, drawing, learn, score
from .compare import CityBands, Comparison
from .i18n import N_, _, ngettext
from .model import AGGREGATE, LENS, City, Definition, Edition, Practice, Translatable
from .paths import city_page, edition_page
from .progress import Change, reason_text
from .score import EditionScores, publish
from .snippets import answers_table
from .text import country_name, html_text, long_date, ordinal, page_url, percent, points
from .validate import Network

#: The short name of the intercultural lens composite (in English: pages translate it, ``_(LENS_LABEL)``).
LENS_LABEL = N_("Intercultural lens")

#: What a report's comparison value is called when the report gives it no label of its own
#: (``Edition.sample_labels``; in English: pages write it with :func:`sample_name`).
# Translators: the comparison value a city's report gives for each figure
CITY_SAMPLE = N_("city sample")


def sample_name(label: str) -> str:
    """What a report calls its comparison value, as a page writes it: the default
    (:data:`CITY_SAMPLE`) in the page's language, a report's own label as the data gives it."""
    return _(CITY_SAMPLE) if label == CITY_SAMPLE else label


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

    name: str = field(default_factory=lambda: _("Intercultural Cities Index"))
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
    reported_label: str = CITY_SAMPLE  # what the report calls reported_sample (English default; see sample_name)

    @property
    def value(self) -> float | None:
        """The figure shown (points 0–100, unrounded), or ``None`` when not published."""
        return self.score.value

    @property
    def reported_heading(self) -> str:
        """``reported_label`` as a page writes it (:func:`sample_name`) with a capital, to start
        a row or a legend entry ("City sample")."""
        name = sample_name(self.reported_label)
        return name[:1].upper() + name[1:]

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
    source_title: Markup  # (HTML: see _source)
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
            # Translators: a jump link at the top of a city page (its overview section)
            out.append(("overview", _("Overview")))
        if self.edition is not None:
            # Translators: a jump link at the top of a city page (the aggregate index section)
            out.append(("aggregate", _("Aggregate")))
            out += [
                (f.key, f.label)
                for f in self.figures.values()
                if f.has_section and f.group in ("core", "optional", "composite")
            ]
            # Translators: a jump link at the top of a city page (strengths and areas to improve)
            out.append(("strengths", _("Strengths")))
        if self.learning:
            # Translators: a jump link at the top of a city page (what to learn, and from whom)
            out.append(("learn-from", _("What to learn")))
        if self.practices:
            # Translators: a jump link at the top of a city page (the city's own good practices)
            out.append(("own-practices", _("Its practices")))
        if self.editions:
            # Translators: a jump link at the top of a city page (the city's editions of the index)
            out.append(("editions", _("Editions")))
        if self.frozen:
            # Translators: a jump link at the top of an edition's page (suggested citation)
            out.append(("cite", _("How to cite")))
        out.append(("sources", _("Sources and data")))
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
    """``above``, ``below`` or ``equal`` as the figure compares with ``reference`` (as printed)."""
    shown, ref = publish(value), publish(reference)
    if shown > ref:
        return "above"
    if shown < ref:
        return "below"
    return "equal"


def _and(items: list[str]) -> str:
    """Items joined as a list in words ("a and b", "a and b and c")."""
    text = items[0]
    for item in items[1:]:
        # Translators: two items of a list, e.g. "the 2015 and 2019 questionnaires"
        text = _("%(first)s and %(second)s", first=text, second=item)
    return text


def _clauses(clauses: list[str]) -> str:
    """Clauses of one sentence, joined by semicolons, with its full stop."""
    text = clauses[0]
    for clause in clauses[1:]:
        # Translators: two clauses of one sentence joined by a semicolon (French puts a no-break space before it)
        text = _("%(first)s; %(second)s", first=text, second=clause)
    return text + "."


def _figure_sentence(
    label: str, value: float, reported: int | None, report_year: int | None, reported_label: str
) -> str:
    """The figure's value, and how it compares with the report's own sample value."""
    shown = publish(value)
    if reported is None:
        return _("%(label)s: %(points)s points.", label=label, points=shown)
    values = {
        "label": label,
        "points": shown,
        "sample": sample_name(reported_label),
        "reported": reported,
        "year": report_year,
    }
    relation = _relation(value, reported)
    if relation == "above":
        # Translators: "sample" is what the report calls its comparison value (by default "city sample")
        return _(
            "%(label)s: %(points)s points, above the %(sample)s of %(reported)s given in the %(year)s report.", **values
        )
    if relation == "below":
        return _(
            "%(label)s: %(points)s points, below the %(sample)s of %(reported)s given in the %(year)s report.", **values
        )
    return _(
        "%(label)s: %(points)s points, equal to the %(sample)s of %(reported)s given in the %(year)s report.", **values
    )


def _relation_clause(value: float, reference: float) -> str:
    """How this city compares with the others' mean (or the one other city), as a clause."""
    relation = _relation(value, reference)
    if relation == "above":
        # Translators: "it" is the mean of the other cities (or the one other city's score)
        return _("this city is above it")
    if relation == "below":
        return _("this city is below it")
    return _("this city is equal to it")


def _rank_clause(comparison: Comparison) -> str | None:
    """The city's rank among the cities with a score, as a clause (``None`` without a rank)."""
    rank = comparison.rank
    if not rank:
        return None
    values = {"rank": ordinal(rank.rank), "of": rank.of}
    if comparison.percentile is not None and 0 < comparison.percentile < 100:
        # Translators: "share" is a percentage, e.g. "77 %"
        return _(
            "this city ranks %(rank)s of %(of)s, above %(share)s of the others",
            share=percent(publish(comparison.percentile)),
            **values,
        )
    if comparison.percentile == 100:
        return _("this city ranks %(rank)s of %(of)s, above all the others", **values)
    # Translators: "rank" is an ordinal, e.g. "this city ranks 4th of 14"
    return _("this city ranks %(rank)s of %(of)s", **values)


def _band_sentence(band: str, mean: float, count: int, rank: compare.Rank | None) -> str:
    """How the cities of one of the city's bands score, and the city's rank among them."""
    values: dict[str, Any] = {"band": band, "mean": publish(mean), "num": count}
    if rank:
        values.update(rank=ordinal(rank.rank), of=rank.of)
        if count == 1:
            # Translators: "band" is e.g. "under 100,000 inhabitants" or "10 to 15 % foreign-born residents"
            return _("Cities of %(band)s: the one other city has %(mean)s, rank %(rank)s of %(of)s.", **values)
        return _("Cities of %(band)s: mean %(mean)s over %(num)s other cities, rank %(rank)s of %(of)s.", **values)
    if count == 1:
        return _("Cities of %(band)s: the one other city has %(mean)s.", **values)
    return _("Cities of %(band)s: mean %(mean)s over %(num)s other cities.", **values)


def describe(
    label: str,
    figure_score: score.Score,
    reported: int | None,
    comparison: Comparison | None,
    report_year: int | None,
    band_labels: tuple[str | None, str | None],
    change: Change | None = None,
    reported_label: str = CITY_SAMPLE,
) -> str:
    """A few plain sentences stating a figure, its change from the previous edition and how
    it compares, saying which editions the comparison takes (used as chart text alternative).

    Example: "Commitment: 58 points, below the city sample of 69 given in the 2020 report.
    The mean of the 1 other city on this site with a score (latest editions, 2020) is 35;
    this city is above it."
    """
    value = figure_score.value
    if value is None:
        return _("%(label)s: not published.", label=label)
    text = _figure_sentence(label, value, reported, report_year, reported_label)
    if change is not None:
        text += " " + change_sentence(change)
    if comparison is not None and comparison.sample.count:
        mean = comparison.sample.mean
        assert mean is not None  # (a group with cities has a mean)
        n = comparison.sample.count
        values = {"scope": scope_text(comparison), "mean": publish(mean), "num": n}
        if n == 1:
            first = _("The one other city on this site with a score (%(scope)s) has %(mean)s", **values)
        else:
            first = _(
                "The mean of the %(num)s other cities on this site with a score (%(scope)s) is %(mean)s", **values
            )
        rank = _rank_clause(comparison)
        text += " " + _clauses([first, _relation_clause(value, mean)] + ([rank] if rank else []))
    for stat, rank_in_band, band in (
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
            text += " " + _band_sentence(band, stat.mean, stat.count, rank_in_band)
    return text


def change_sentence(change: Change) -> str:
    """The change of a figure from the previous edition, in words (``progress`` module rules)."""
    # (a change without a delta always has a reason: progress.city_changes)
    values = {"year": change.previous_year, "previous": change.previous, "reason": reason_text(change.reason or "")}
    if change.delta is None:
        if change.current is not None and change.previous is not None:
            # Translators: "reason" says why two editions are not compared, e.g. "the 2015 edition answered …"
            return _("It was %(previous)s in the %(year)s edition; no change is given, because %(reason)s.", **values)
        return _("No change from the %(year)s edition is given: %(reason)s.", **values)
    if change.delta == 0:
        return _("Unchanged since the %(year)s edition (%(previous)s).", **values)
    size = abs(change.delta)
    if change.delta > 0:
        return ngettext(
            "Up %(num)s point since the %(year)s edition (%(previous)s).",
            "Up %(num)s points since the %(year)s edition (%(previous)s).",
            size,
            **values,
        )
    return ngettext(
        "Down %(num)s point since the %(year)s edition (%(previous)s).",
        "Down %(num)s points since the %(year)s edition (%(previous)s).",
        size,
        **values,
    )


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
        if since:
            # Translators: a change in points in a table cell, e.g. "+3 since 2018"
            return _("%(change)s since %(year)s", change=signed(change.delta), year=change.previous_year)
        return signed(change.delta)
    if change.previous is not None and change.current is not None:
        # Translators: a table cell: two editions answered different questionnaires, so no change is given
        return _("not comparable")
    return "—"


def scope_text(comparison: Comparison) -> str:
    """Which editions a comparison takes, in words: "latest editions, 2011–2020", with the
    questionnaire versions when they differ (``compare`` module rules)."""
    scope = comparison.scope
    as_of = comparison.as_of
    if scope.years is None:
        basis = _("latest editions") if as_of is None else _("latest editions of %(year)s or before", year=as_of)
    else:
        first, last = scope.years
        if first == last:
            basis = (
                _("latest editions, all from %(first)s", first=first)
                if as_of is None
                else _("latest editions of %(year)s or before, all from %(first)s", year=as_of, first=first)
            )
        else:
            basis = (
                _("latest editions, %(first)s–%(last)s", first=first, last=last)
                if as_of is None
                else _("latest editions of %(year)s or before, %(first)s–%(last)s", year=as_of, first=first, last=last)
            )
    if scope.mixed:
        named = [v for v in scope.versions if v is not None]
        parts = (
            [
                # Translators: "versions" are questionnaire versions, e.g. "2015 and 2019"
                ngettext(
                    "the %(versions)s questionnaire",
                    "the %(versions)s questionnaires",
                    len(named),
                    versions=_and(named),
                )
            ]
            if named
            else []
        )
        if None in scope.versions:
            parts.append(_("versions not recorded"))
        # Translators: which editions a comparison takes, then the questionnaire versions they mix
        basis = _("%(editions)s; mixing %(versions)s", editions=basis, versions=_and(parts))
    return basis


# --------------------------------------------------------------------------- building views


def shows_english(record: Translatable, language: str) -> bool:
    """Whether a page in ``language`` about ``record`` (a city, a practice) shows its text
    in English (text of its file with no version in that language,
    ``model.Translatable.untranslated``), for the page's note saying so. Documents' titles
    do not count (sources, a practice's source title): they are the documents' own, marked
    as English where they are shown."""
    return any(path[0] != "sources" and path[-1] != "source_title" for path in record.untranslated(language))


def band_label(definition: Definition, kind: str, key: str | None) -> str | None:
    """The label of a band (``kind`` is ``population`` or ``foreign_born``), or ``None``."""
    if key is None:
        return None
    band_set = getattr(definition.bands, kind)
    return next((b.label for b in band_set.bands if b.key == key), key)


def _source(city: City, key: str) -> tuple[Markup, str | None]:
    """A source as pages name it (HTML: ``Title (Publisher, 27 August 2020)``, data text in
    another language than the page's marked with it), and its address."""
    src = city.sources[key]
    extra = Markup(", ").join(html_text(x) for x in (src.publisher, long_date(src.date)) if x)
    title = html_text(src.title)
    return (Markup("{} ({})").format(title, extra) if extra else title), src.url


def figure_label(definition: Definition, key: str) -> str:
    """The short name of a figure (the aggregate, the lens or an area)."""
    return _(LENS_LABEL) if key == LENS else definition.label_of(key)


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
            # Translators: a population band in a sentence, e.g. "under 100,000 inhabitants"
            _("%(band)s inhabitants", band=pop_label.lower()) if pop_label else None,
            # Translators: a foreign-born band in a sentence, e.g. "10 to 15 % foreign-born residents"
            _("%(band)s foreign-born residents", band=fb_label.lower()) if fb_label else None,
        )
        for order, key in enumerate(definition.figure_order):
            fs = shown.scores.scores[key]
            comparison = comparisons.get(key) if comparisons else None
            reported = edition.sample.get(key)
            label = figure_label(definition, key)
            narrative = edition.areas.get(key)
            change = shown_changes.get(key)
            reported_label = edition.sample_labels.get(key, CITY_SAMPLE)
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
                fig.reference = (
                    _("the %(sample)s of the %(year)s report", sample=sample_name(reported_label), year=edition.year),
                    float(reported),
                )
            elif comparison is not None and comparison.sample.count:
                assert comparison.sample.mean is not None  # (a group with cities has a mean)
                fig.reference = (_("the mean of the other cities on this site"), comparison.sample.mean)
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
        # Translators: the text alternative of a city's overview chart ("figures" are its published scores)
        description = _(
            "Dot chart of %(city)s's %(count)s published figures against the city sample: "
            "highest %(highest)s %(highest_points)s, lowest %(lowest)s %(lowest_points)s.",
            city=city.name,
            count=len(values),
            highest=best.label,
            highest_points=points(best.value),
            lowest=worst.label,
            lowest_points=points(worst.value),
        )
        overview_chart = maker.make(
            "overview",
            charts.overview(overview_rows),
            _(
                "All figures of %(city)s in %(year)s (points 0–100): the city, "
                "the city sample given in the report and the mean of the other cities on this site.",
                city=city.name,
                year=shown.edition.year,
            ),
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
    learning = [  # (each suggestion's reason in the page's language)
        (
            figures[need.area],
            [
                # (the practice's city named as the page's language names it: Montréal)
                (practices[s.practice], replace(s, reason=reason_text(s.reason, city=practices[s.practice].city_name)))
                for s in suggestions
            ],
        )
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
    words = {"figures": figures, "city": city_name, "editions": len(history), "first": first, "last": last}
    if agg:
        # Translators: the aggregate index of one edition, e.g. "58 in 2020"
        told = ", ".join(_("%(points)s in %(year)s", points=points(v), year=y) for y, v in agg)
        # Translators: the text alternative of a city's chart across editions ("figures" are its scores)
        description = _(
            "Dot chart of %(figures)s figures of %(city)s across %(editions)s editions, %(first)s to %(last)s; "
            "aggregate %(aggregate)s.",
            aggregate=told,
            **words,
        )
    else:
        description = _(
            "Dot chart of %(figures)s figures of %(city)s across %(editions)s editions, %(first)s to %(last)s.",
            **words,
        )
    return maker.make(
        "history",
        charts.history(rows),
        _(
            "%(city)s's figures in each edition from %(first)s to %(last)s (points 0–100): a dot per edition, "
            "joined from the lowest to the highest. Editions that answered different questionnaire versions "
            "are shown side by side, not as a change.",
            **words,
        ),
        description,
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
                # Translators: a comparison table row: the report's sample value, e.g. "City sample (2020 report)"
                _("%(sample)s (%(year)s report)", sample=fig.reported_heading, year=year),
                "reported",
                float(fig.reported_sample),
                note="as published in the report",
            )
        )
    c = fig.comparison
    if c is not None:
        for kind, stat, rank, label in (
            ("sample", c.sample, c.rank, _("All other cities on this site")),
            (
                "population",
                c.population_band,
                c.population_rank,
                # Translators: a comparison table row: a population band, e.g. "Population under 100,000"
                _("Population %(band)s", band=pop_label.lower()) if pop_label else None,
            ),
            (
                "foreign_born",
                c.foreign_born_band,
                c.foreign_born_rank,
                # Translators: a comparison table row: a foreign-born band, e.g. "Foreign-born 10 to 15 %"
                _("Foreign-born %(band)s", band=fb_label.lower()) if fb_label else None,
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
                    "label": _("%(sample)s given in the report", sample=fig.reported_heading),
                    "kind": "reported",
                    "value": publish(r.value),
                }
            )
            continue
        base = _("All cities on this site") if r.kind == "sample" else r.label
        label = labels[r.kind] = f"{base} ({(r.count or 0) + 1})"
        marks.append({"row": label, "label": city_name, "kind": "city", "value": publish(fig.value)})
        if r.value is not None:
            mean = ngettext("Mean of the %(num)s other city", "Mean of the %(num)s other cities", r.count or 0)
            marks.append({"row": label, "label": mean, "kind": "mean", "value": publish(r.value)})
    order = [labels[k] for k in ("sample", "population", "foreign_born", "reported") if k in labels]
    dots = (labels.get("sample", ""), labels.get("population", ""), labels.get("foreign_born", ""))
    return charts.area(fig.key, marks, order, dots, bands, year)


def area_caption(fig: Figure, city_name: str) -> str:
    """What an area chart shows, in words."""
    values = {"figure": fig.label, "city": city_name, "sample": sample_name(fig.reported_label)}
    if fig.reported_sample is not None:
        return _(
            "%(figure)s: each dot is a city with a score on this site, in the whole sample and in %(city)s's bands; "
            "the large blue dot is %(city)s, the tick the mean of the other cities, "
            "the diamond the %(sample)s given in the report (points 0–100).",
            **values,
        )
    return _(
        "%(figure)s: each dot is a city with a score on this site, in the whole sample and in %(city)s's bands; "
        "the large blue dot is %(city)s, the tick the mean of the other cities (points 0–100).",
        **values,
    )
