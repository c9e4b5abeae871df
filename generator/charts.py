"""The site's chart kinds, each defined once with Altair and fed each page's data.

Building an Altair chart is slow next to filling in a few values, so every chart kind is
built once into a Vega-Lite *template* (kept in the cache, :func:`use_cache`); a page's
chart is that template with the page's few values attached. The templates
target the Vega-Lite version Altair emits, and the JavaScript vendored into the site is
built for that same version (``drawing.vega_bundle``).

Kinds and the data each takes (plain, JSON-ready values):

* ``overview`` (city page): every figure of the city against the samples. Rows
  ``{"label", "order", "series", "value"}``, inline; ``series`` is one of
  :data:`OVERVIEW_SERIES`.
* ``area`` (city page, one per figure): every city's score on the figure as a faint dot,
  in three rows (all cities, the city's population band, its foreign-born band), the
  city marked, the mean of the others as a tick, the report's sample as a diamond. The
  dots come from one shared file per figure, :func:`peer_rows` (one row per city), loaded
  by address, never repeated in a page; the city's own marks are a few inline rows
  ``{"row", "kind", "value"}``.
* ``ranking`` and ``scatter`` (listing page): every city's aggregate, ranked, and against
  its foreign-born share, both filterable by band, from the shared aggregate file. The
  ranking follows the rows' ``"o"`` (their place in the order of ranks and ties,
  ``compare`` module rules), so a tie never depends on file names.
* ``history`` (city page): each figure across the city's editions, a dot per edition on a
  line from the lowest to the highest. Rows ``{"label", "order", "year", "value"}``, inline.

Every chart also exists as a static SVG (:func:`static_spec`, drawn by ``drawing.render_svgs``),
shown when JavaScript is off and in print.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import os
from pathlib import Path
from typing import Any

from . import i18n
from .i18n import N_, _, ngettext

#: Series of the overview chart, in legend order, with their colours (Okabe–Ito palette,
#: distinguishable with the common colour-vision deficiencies). The rows name a series in
#: English (these keys); the chart shows it in the page's language (:func:`series_label`).
OVERVIEW_SERIES = {
    # Translators: a series of a city's overview chart: the city itself
    N_("City"): "#0072B2",
    # Translators: a series of a city's overview chart: the city sample's value as the report gives it
    N_("Sample as reported"): "#D55E00",
    # Translators: a series of a city's overview chart: the mean of the other cities
    N_("Other cities on this site"): "#009E73",
}

#: Marker shapes of the overview series, so that series differ by more than colour.
OVERVIEW_SHAPES = {"City": "circle", "Sample as reported": "diamond", "Other cities on this site": "square"}


def series_label(series: str) -> str:
    """An overview series (a key of :data:`OVERVIEW_SERIES`) as the chart's legend and
    tooltip show it, in the current language."""
    return i18n.translate(series)


def _series_key(name: str) -> str:
    """The key of :data:`OVERVIEW_SERIES` of a row's series, given in English or already
    in the current language (an unknown name is returned as it is)."""
    if name in OVERVIEW_SERIES:
        return name
    return next((key for key in OVERVIEW_SERIES if series_label(key) == name), name)


#: Colours of a city's editions in the chart across editions, earliest first (Okabe–Ito
#: hues dark enough for 3:1 against the page; marker shapes differ too).
EDITION_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#8E4B8E", "#1f1f1f"]

#: Colours of the area chart: the city, cities of its bands, other cities, the report's sample.
CITY = "#0072B2"
BAND = "#CC79A7"
OTHERS = "#8a8a8a"
REPORTED = "#D55E00"

DATASET = "rows"
DATA_FOLDER = "assets/charts/data"
TEMPLATES = "assets/charts/templates.json"
SVG_FOLDER = "assets/charts/svg"

#: Pixels per row (one band of the y axis). Heights are set in pixels rather than as a
#: Vega-Lite "step", which does not combine with a width that follows the container.
ROW_HEIGHT = {"overview": 30, "area": 34, "ranking": 16}

#: Width of the plot of the static renders, in pixels (the interactive charts take their
#: container's): for screens from :data:`NARROW_SCREEN` up and print, and for phones.
STATIC_WIDTH = 640
STATIC_NARROW_WIDTH = 170

#: Padding of the static renders (pixels): the left is wide enough for axis labels set
#: in a sans-serif up to a sixth wider than the one Vega measured them in.
STATIC_PADDING = {"left": 32, "top": 5, "right": 5, "bottom": 5}

#: The widest screen (CSS pixels) that gets the narrow static renders: where both versions
#: would be scaled alike (the narrow one up, the wide one down, by about 1.5).
NARROW_SCREEN = 584

#: Colours of the static renders (the light palette on a transparent ground, which the
#: dark palette shows inverted; the interactive charts follow the page's palette).
STATIC_CONFIG = {
    "background": None,
    "view": {"stroke": None},
    "axis": {
        "labelColor": "#1f1f1f",
        "titleColor": "#1f1f1f",
        "gridColor": "#e6e6e6",
        "domainColor": "#6b6b6b",
        "tickColor": "#6b6b6b",
        "labelFontSize": 12,
        "titleFontSize": 12,
        "titleFontWeight": "normal",
    },
    "legend": {"labelColor": "#1f1f1f", "titleColor": "#1f1f1f", "labelFontSize": 12},
    "text": {"color": "#1f1f1f", "fontSize": 12},
    "tick": {"color": "#1f1f1f"},
    "font": "sans-serif",
}


def data_path(key: str, year: int | None = None) -> str:
    """Site path of the shared file with every city's latest value on figure ``key``, or,
    with ``year``, every city's latest value of that year or before (an edition's page),
    in the current language (it holds the cities' names: ``…/aggregate-fr.json``)."""
    return i18n.file_path(f"{DATA_FOLDER}/{key}.json" if year is None else f"{DATA_FOLDER}/{year}/{key}.json")


_TEMPLATES: dict[str, dict[str, dict[str, Any]]] = {}  # by language
_CACHE: Path | None = None


def _templates() -> dict[str, dict[str, Any]]:
    """The chart kinds' templates in the current language (their titles and tooltips are
    sentences of the catalog): from :func:`use_cache`'s folder if it was called, else built."""
    language = i18n.current()
    if language not in _TEMPLATES:
        _TEMPLATES[language] = _cached_templates(_CACHE) if _CACHE is not None else _build_templates()
    return _TEMPLATES[language]


def use_cache(folder: Path) -> None:
    """Take the templates from ``folder`` if they were built there before, else build them
    (with Altair) and keep them there.

    A file per language, named by a digest of this module's source, the Altair version
    and the language's catalog, so changing a chart kind, upgrading Altair or changing a
    translation builds them anew. (Importing Altair and building the templates takes
    about half a second; reading them, a millisecond.)
    """
    global _CACHE
    _CACHE = Path(folder)
    _TEMPLATES.clear()


def _cached_templates(folder: Path) -> dict[str, dict[str, Any]]:
    from importlib.metadata import version

    catalog = i18n.catalog_file(i18n.current())
    source = Path(__file__).read_bytes() + version("altair").encode() + i18n.current().encode()
    source += catalog.read_bytes() if catalog.is_file() else b""
    key = hashlib.sha256(source).hexdigest()[:20]
    cached = folder / f"chart-templates-{key}.json"
    if cached.is_file():
        return json.loads(cached.read_text(encoding="utf-8"))
    built = _build_templates()
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_name(f".{cached.name}.tmp")
    tmp.write_text(json.dumps(built, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, cached)
    return built


def _build_templates() -> dict[str, dict[str, Any]]:
    import altair as alt

    fit = alt.AutoSizeParams(type="fit-x", contains="padding")
    points_title = _("Points (0–100)")
    # Translators: the axis of a listing's chart: %(figure)s is a figure, "Aggregate index" say
    aggregate_title = _("%(figure)s (points 0–100)", figure=_("Aggregate index"))
    # Translators: a tooltip's title: the figure (aggregate index, intercultural lens or area) of a dot
    figure_title = _("Figure")
    points_tip = _("Points")
    city_tip = _("City")
    edition_title = _("Edition")
    aggregate_tip = _("Aggregate")
    series = [series_label(s) for s in OVERVIEW_SERIES]
    x = alt.X("value:Q", title=points_title, scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(tickCount=5))
    order = alt.EncodingSortField(field="order", op="min", order="ascending")

    overview = (
        alt.Chart(alt.NamedData(name=DATASET))
        .mark_point(filled=True, size=80, opacity=1)
        .encode(
            x=x,
            y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=150)),
            # each series on its own line within a figure's band, so equal values never hide each other
            yOffset=alt.YOffset("series:N", scale=alt.Scale(domain=series, paddingOuter=0.5)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=series, range=list(OVERVIEW_SERIES.values())),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            shape=alt.Shape(
                "series:N",
                title=None,
                scale=alt.Scale(domain=series, range=list(OVERVIEW_SHAPES.values())),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=figure_title),
                alt.Tooltip("series:N", title=_("Series")),
                alt.Tooltip("value:Q", title=points_tip),
            ],
        )
        .properties(width="container", autosize=fit)
    )

    # --- area: peers from the shared file (by address), the city's own marks inline
    pop, fb = (alt.param(name=n, value="") for n in ("pop", "fb"))
    all_label, pop_label, fb_label = (alt.param(name=n, value="") for n in ("allLabel", "popLabel", "fbLabel"))
    peers = alt.Chart()  # the dots take the chart's own data: the shared file of the figure
    y = alt.Y("row:N", title=None, axis=alt.Axis(labelLimit=190))
    px = alt.X("v:Q", title=points_title, scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(tickCount=5))
    tip = [
        alt.Tooltip("n:N", title=city_tip),
        alt.Tooltip("v:Q", title=points_tip),
        alt.Tooltip("y:O", title=edition_title),
    ]
    everyone = (
        peers.transform_calculate(row="allLabel")
        .mark_point(color=OTHERS, size=45, opacity=0.45, filled=True)
        .encode(x=px, y=y, tooltip=tip)
    )
    same_pop = (
        peers.transform_filter("pop != '' && datum.p == pop")
        .transform_calculate(row="popLabel")
        .mark_point(color=BAND, size=45, opacity=0.45, filled=True)
        .encode(x=px, y=y, tooltip=tip)
    )
    same_fb = (
        peers.transform_filter("fb != '' && datum.f == fb")
        .transform_calculate(row="fbLabel")
        .mark_point(color=BAND, size=45, opacity=0.45, filled=True)
        .encode(x=px, y=y, tooltip=tip)
    )
    own = alt.Chart(alt.NamedData(name=DATASET))
    mtip = [
        # Translators: a tooltip's title: the row (a group of cities) of a mark of an area chart
        alt.Tooltip("row:N", title=_("Group")),
        # Translators: a tooltip's title: what a mark of an area chart stands for (the city, a mean)
        alt.Tooltip("label:N", title=_("Mark")),
        alt.Tooltip("value:Q", title=points_tip),
    ]
    city = (
        own.transform_filter("datum.kind == 'city'")
        .mark_point(shape="circle", size=170, filled=True, color=CITY, strokeWidth=1.5, opacity=1)
        .encode(x=x, y=y, tooltip=mtip)
    )
    mean = own.transform_filter("datum.kind == 'mean'").mark_tick(thickness=3, size=22).encode(x=x, y=y, tooltip=mtip)
    reported = (
        own.transform_filter("datum.kind == 'reported'")
        .mark_point(shape="diamond", size=150, filled=True, color=REPORTED, opacity=1)
        .encode(x=x, y=y, tooltip=mtip)
    )
    area = (
        alt.layer(everyone, same_pop, same_fb, mean, reported, city, data=alt.UrlData(url="peers.json"))
        .add_params(pop, fb, all_label, pop_label, fb_label)
        .properties(width="container", autosize=fit)
    )

    # --- listing: every city's aggregate, ranked, and against its foreign-born share
    # (the page's own band filters set these, for the chart and the table below it alike:
    # see snippets.band_filters)
    pop_choice = alt.param(name="population", value="all")
    fb_choice = alt.param(name="foreignBorn", value="all")
    chosen = "(population == 'all' || datum.p == population) && (foreignBorn == 'all' || datum.f == foreignBorn)"
    agg = alt.Chart(alt.UrlData(url="aggregate.json"))
    ranking = (
        agg.transform_filter(chosen)
        .mark_bar(color=CITY, height=alt.RelativeBandSize(0.75))
        .encode(
            x=alt.X(
                "v:Q",
                title=aggregate_title,
                scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(tickCount=5),
            ),
            y=alt.Y(
                "n:N",
                title=None,
                sort=alt.EncodingSortField(field="o", op="min", order="ascending"),
                axis=alt.Axis(labelLimit=160),
            ),
            tooltip=[
                alt.Tooltip("n:N", title=city_tip),
                alt.Tooltip("v:Q", title=aggregate_tip),
                alt.Tooltip("y:O", title=edition_title),
            ],
        )
        .add_params(pop_choice, fb_choice)
        .properties(width="container", autosize=fit)
    )
    scatter = (
        agg.transform_filter("isValid(datum.s)")
        .transform_filter(chosen)
        .mark_point(color=CITY, filled=True, size=90, opacity=0.9)
        .encode(
            x=alt.X("s:Q", title=_("Foreign-born residents, %% of the population")),
            y=alt.Y("v:Q", title=aggregate_title, scale=alt.Scale(domain=[0, 100])),
            tooltip=[
                alt.Tooltip("n:N", title=city_tip),
                alt.Tooltip("v:Q", title=aggregate_tip),
                # Translators: a tooltip's title: a city's foreign-born share, in percent
                alt.Tooltip("s:Q", title=_("Share, %%")),
                alt.Tooltip("y:O", title=edition_title),
            ],
        )
        .add_params(pop_choice, fb_choice)
        .properties(width="container", height=320, autosize=fit)
    )
    # --- history: each figure across the city's editions
    hist = alt.Chart(alt.NamedData(name=DATASET))
    hy = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=150))
    span = hist.mark_rule(color=OTHERS, strokeWidth=2).encode(
        x=alt.X("min(value):Q", title=points_title, scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(tickCount=5)),
        x2="max(value):Q",
        y=hy,
    )
    dots = hist.mark_point(filled=True, size=90, opacity=1).encode(
        x=x,
        y=hy,
        color=alt.Color(
            "year:O", title=edition_title, scale=alt.Scale(range=EDITION_COLOURS), legend=alt.Legend(orient="bottom")
        ),
        shape=alt.Shape("year:O", title=edition_title),
        tooltip=[
            alt.Tooltip("label:N", title=figure_title),
            alt.Tooltip("year:O", title=edition_title),
            alt.Tooltip("value:Q", title=points_tip),
        ],
    )
    history = alt.layer(span, dots).properties(width="container", autosize=fit)
    templates = {
        kind: chart.to_dict()
        for kind, chart in (
            ("overview", overview),
            ("area", area),
            ("ranking", ranking),
            ("scatter", scatter),
            ("history", history),
        )
    }
    for spec in templates.values():
        # neither marks nor axes and legends carry ARIA of their own (Vega would describe
        # them in English, whatever the page's language): the chart as a whole is labelled
        # by its sentence, and its numbers are in the table beside it
        spec.setdefault("config", {}).update(aria=False, mark={"aria": False})
    return templates


def schema_url() -> str:
    """The Vega-Lite ``$schema`` of the templates (e.g. ``…/vega-lite/v6.4.1.json``)."""
    return _templates()["overview"]["$schema"]


def vega_lite_version() -> str:
    """``major.minor`` of the Vega-Lite version the templates target (e.g. ``6.4``)."""
    version = schema_url().rsplit("/v", 1)[1].removesuffix(".json")
    return ".".join(version.split(".")[:2])


def templates() -> dict[str, dict[str, Any]]:
    """Every chart kind's template (JSON-ready), as served once to the browser."""
    return _templates()


def instance(kind: str, sets: list[tuple[list[Any], Any]]) -> dict[str, Any]:
    """A chart as a page carries it: its kind and the values that differ from the template.

    ``sets`` is a list of ``(path, value)``: each puts ``value`` at ``path`` (keys and list
    indexes) in a copy of the template. Pages carry only these few values; the template is
    one shared file (``assets/charts/templates.json``).
    """
    return {"kind": kind, "set": [[list(path), value] for path, value in sets]}


def materialise(chart: dict[str, Any]) -> dict[str, Any]:
    """The full Vega-Lite spec of a chart instance (the template with its values put in)."""
    spec = copy.deepcopy(_templates()[chart["kind"]])
    for path, value in chart["set"]:
        node = spec
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = copy.deepcopy(value)
    return spec


def _param_sets(kind: str, values: dict[str, Any]) -> list[tuple[list[Any], Any]]:
    """``(path, value)`` pairs that give the template's parameters these values."""
    return [
        (["params", i, "value"], values[p["name"]])
        for i, p in enumerate(_templates()[kind]["params"])
        if p["name"] in values
    ]


def overview(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The overview chart of a city: ``rows`` as in the module notes."""
    # the legend lists only the series this chart shows, in their usual colours and shapes;
    # the rows' series are shown in the page's language
    keys = {r["series"]: _series_key(r["series"]) for r in rows}
    rows = [dict(r, series=series_label(keys[r["series"]])) for r in rows]
    present = set(keys.values())
    shown = [series for series in OVERVIEW_SERIES if series in present]
    labels = [series_label(s) for s in shown]
    yoffset = dict(_templates()["overview"]["encoding"]["yOffset"]["scale"], domain=labels)
    return instance(
        "overview",
        [
            (["encoding", "color", "scale"], {"domain": labels, "range": [OVERVIEW_SERIES[s] for s in shown]}),
            (["encoding", "shape", "scale"], {"domain": labels, "range": [OVERVIEW_SHAPES[s] for s in shown]}),
            (["encoding", "yOffset", "scale"], yoffset),
            (["datasets"], {DATASET: rows}),
            (["height"], ROW_HEIGHT["overview"] * max(1, len({r["label"] for r in rows}))),
        ],
    )


def history(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The chart of a city's figures across its editions: ``rows`` as in the module notes."""
    return instance(
        "history",
        [
            (["datasets"], {DATASET: rows}),
            (["height"], ROW_HEIGHT["overview"] * max(1, len({r["label"] for r in rows}))),
        ],
    )


#: The layers of the area template that draw the other cities as dots (all, population band, foreign-born band).
DOT_LAYERS = (0, 1, 2)


def area(
    key: str,
    marks: list[dict[str, Any]],
    rows: list[str],
    dot_rows: tuple[str, str, str],
    bands: tuple[str | None, str | None],
    year: int | None = None,
) -> dict[str, Any]:
    """The peer chart of one figure of one city.

    ``marks``: the city's own rows ``{"row", "label", "kind", "value"}`` (``kind`` is
    ``city``, ``mean`` or ``reported``); ``rows``: the y-axis labels in order;
    ``dot_rows``: the labels of the rows of dots (all cities, the population band, the
    foreign-born band; empty when the city has no such band); ``bands``: the city's
    population and foreign-born band keys; ``year``: the year of the sample the dots show
    (:func:`data_path`; ``None``, every city's latest edition).
    """
    params = _param_sets(
        "area",
        {
            "pop": bands[0] or "",
            "fb": bands[1] or "",
            "allLabel": dot_rows[0],
            "popLabel": dot_rows[1],
            "fbLabel": dot_rows[2],
        },
    )
    return instance(
        "area",
        [
            *params,
            (["data", "url"], data_path(key, year)),
            (["datasets"], {DATASET: marks}),
            (["layer", 0, "encoding", "y", "scale"], {"domain": rows}),
            (["height"], ROW_HEIGHT["area"] * max(1, len(rows))),
        ],
    )


def listing(kind: str, count: int, key: str = "aggregate", title: str | None = None) -> dict[str, Any]:
    """A chart of every city's score on figure ``key`` (``ranking``) or of the aggregate
    against the foreign-born share (``scatter``); ``count`` cities sets the ranking's
    height; ``title`` names the figure on the axis, in the current language ("Aggregate
    index" when not given). Its parameters ``population`` and ``foreignBorn`` (a band key,
    or ``"all"``) follow the page's band filters."""
    if title is None:
        title = _("Aggregate index")
    sets: list[tuple[list[Any], Any]] = [(["data"], {"url": data_path(key)})]
    if kind == "ranking":
        sets += [
            (["height"], ROW_HEIGHT["ranking"] * max(1, count)),
            (["encoding", "x", "title"], _("%(figure)s (points 0–100)", figure=title)),
            (["encoding", "tooltip", 1, "title"], title),
        ]
    return instance(kind, sets)


def binned(rows: list[dict[str, Any]], field_name: str | None = None, band: str | None = None) -> list[dict[str, Any]]:
    """The dots of a static render: cities gathered by their score rounded to a whole
    point (half up, as published), ``{"v": points, "k": cities, "n": "<k> cities"}``,
    optionally only those with ``row[field_name] == band``. A static chart thus has the
    same size whatever the number of cities, and each dot sits at its cities' published
    score; the interactive chart draws one dot per city."""
    counts: dict[int, int] = {}
    for row in rows:
        if field_name is None or row[field_name] == band:
            point = math.floor(row["v"] + 0.5)
            counts[point] = counts.get(point, 0) + 1
    return [{"v": v, "k": k, "n": ngettext("%(num)s city", "%(num)s cities", k)} for v, k in sorted(counts.items())]


#: Areas (square pixels) of the static render's gathered dots, fewest to most cities: all
#: smaller than the city's own dot (170), so that the city stands out as its caption says.
STATIC_DOT_SIZES = [40, 150]


def static_spec(
    chart: dict[str, Any],
    shared: dict[str, list[dict[str, Any]]],
    bins: dict[tuple[str, str | None, str | None], list[dict[str, Any]]] | None = None,
    width: int = STATIC_WIDTH,
) -> dict[str, Any]:
    """The spec of a chart's static render: fixed plot ``width`` (pixels), light colours, data inlined.

    ``shared`` maps a shared file's path (:func:`data_path`) to its rows. The other
    cities' dots of an area chart are gathered by whole points (:func:`binned`, dot size
    by count), kept in ``bins`` between calls; a listing chart inlines its rows and shows
    every band ("All").
    """
    out = materialise(chart)
    if chart["kind"] == "area":
        params = {p["name"]: p["value"] for p in out["params"]}
        url = out.pop("data")["url"]
        bins = {} if bins is None else bins
        groups = []
        for field_name, band in ((None, None), ("p", params["pop"] or None), ("f", params["fb"] or None)):
            if (url, field_name, band) not in bins:
                bins[(url, field_name, band)] = (
                    binned(shared[url], field_name, band) if field_name is None or band else []
                )
            groups.append(bins[(url, field_name, band)])
        for i, values in zip(DOT_LAYERS, groups, strict=True):
            layer = out["layer"][i]
            layer["data"] = {"values": values}
            layer["transform"] = [t for t in layer["transform"] if "filter" not in t]
            layer["encoding"]["size"] = {
                "field": "k",
                "type": "quantitative",
                "legend": None,
                "scale": {"range": STATIC_DOT_SIZES},
            }
            layer["encoding"]["tooltip"] = [{"field": "n", "type": "nominal"}]
    else:
        for layer in out.get("layer", [out]):
            url = layer.get("data", {}).get("url")
            if url is not None:
                layer["data"] = {"values": shared[url]}
    for p in out.get("params", []):
        p.pop("bind", None)
    out["width"] = width
    out["autosize"] = {"type": "pad"}
    # room on the left for axis labels drawn in a wider font than the one they were
    # measured in (a PDF renderer's sans-serif, say), so they are never cut off
    out["padding"] = STATIC_PADDING
    out["config"] = {**out.get("config", {}), **STATIC_CONFIG}
    return out


def to_json(chart: dict[str, Any]) -> str:
    """Compact JSON of a spec (pages put it, HTML-escaped, in a ``data-spec`` attribute)."""
    return json.dumps(chart, ensure_ascii=False, separators=(",", ":"))
