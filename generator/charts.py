"""Chart kinds of the city pages, each defined once with Altair and fed each city's rows.

Building an Altair chart costs several milliseconds (measured: 7–10 ms), so a chart
kind is built once per process into a Vega-Lite *template* whose data is a named
dataset; a city's chart is that template with its rows attached (``datasets``), which
costs microseconds. The templates target the Vega-Lite version Altair emits; the
JavaScript vendored into the site is built for that same version (``vega_bundle``).

Row shapes (plain dicts, JSON-ready):

* overview: ``{"label": str, "order": int, "series": str, "value": int}`` — one row per
  figure and series; ``series`` is one of :data:`OVERVIEW_SERIES`.
* area: ``{"label": str, "order": int, "kind": str, "value": int, "note": str}`` — one
  row per comparison group; ``kind`` is one of :data:`AREA_KINDS`.
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

#: Series of the overview chart, in legend order, with their colours (Okabe–Ito palette,
#: distinguishable with the common colour-vision deficiencies).
OVERVIEW_SERIES = {
    "City": "#0072B2",
    "Sample as reported": "#D55E00",
    "Other cities on this site": "#009E73",
}

#: Marker shapes of the overview series, so that series differ by more than colour.
OVERVIEW_SHAPES = {"City": "circle", "Sample as reported": "diamond", "Other cities on this site": "square"}

#: Bars of an area chart, in order, with their colours.
AREA_KINDS = {
    "city": "#0072B2",
    "reported": "#D55E00",
    "sample": "#009E73",
    "population": "#CC79A7",
    "foreign_born": "#B8860B",
}

DATASET = "rows"

#: Pixels per row (one band of the y axis) of each chart kind. The height is set in
#: pixels rather than as a Vega-Lite "step", which does not combine with a width that
#: follows the container.
ROW_HEIGHT = {"overview": 30, "area": 30}


@functools.lru_cache(maxsize=None)
def _templates() -> dict[str, dict[str, Any]]:
    import altair as alt

    data = alt.NamedData(name=DATASET)
    x = alt.X("value:Q", title="Points (0–100)", scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(tickCount=5))

    overview = (
        alt.Chart(data)
        .mark_point(filled=True, size=80, opacity=1)
        .encode(
            x=x,
            y=alt.Y("label:N", title=None, sort=alt.EncodingSortField(field="order", op="min", order="ascending"),
                    axis=alt.Axis(labelLimit=150)),
            # each series on its own line within a figure's band, so equal values never hide each other
            yOffset=alt.YOffset("series:N", scale=alt.Scale(domain=list(OVERVIEW_SERIES), paddingOuter=0.5)),
            color=alt.Color("series:N", title=None,
                            scale=alt.Scale(domain=list(OVERVIEW_SERIES), range=list(OVERVIEW_SERIES.values())),
                            legend=alt.Legend(orient="bottom", direction="vertical")),
            shape=alt.Shape("series:N", title=None,
                            scale=alt.Scale(domain=list(OVERVIEW_SERIES), range=list(OVERVIEW_SHAPES.values()))),
            tooltip=[alt.Tooltip("label:N", title="Figure"), alt.Tooltip("series:N", title="Series"),
                     alt.Tooltip("value:Q", title="Points")],
        )
        .properties(width="container", autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    )

    bars = alt.Chart(data).encode(
        x=x,
        y=alt.Y("label:N", title=None, sort=alt.EncodingSortField(field="order", op="min", order="ascending"),
                axis=alt.Axis(labelLimit=170)),
    )
    area = alt.layer(
        bars.mark_bar(height=alt.RelativeBandSize(0.7)).encode(
            color=alt.Color("kind:N", legend=None,
                            scale=alt.Scale(domain=list(AREA_KINDS), range=list(AREA_KINDS.values()))),
            tooltip=[alt.Tooltip("label:N", title="Group"), alt.Tooltip("value:Q", title="Points"),
                     alt.Tooltip("note:N", title="Based on")],
        ),
        bars.mark_text(align="left", dx=4).encode(text=alt.Text("value:Q")),
    ).properties(width="container", autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))

    return {"overview": overview.to_dict(), "area": area.to_dict()}


def schema_url() -> str:
    """The Vega-Lite ``$schema`` of the templates (e.g. ``…/vega-lite/v6.4.1.json``)."""
    return _templates()["overview"]["$schema"]


def vega_lite_version() -> str:
    """``major.minor`` of the Vega-Lite version the templates target (e.g. ``6.4``)."""
    version = schema_url().rsplit("/v", 1)[1].removesuffix(".json")
    return ".".join(version.split(".")[:2])


def spec(kind: str, rows: list[dict[str, Any]], description: str) -> dict[str, Any]:
    """A chart of ``kind`` (``"overview"`` or ``"area"``) with ``rows`` attached.

    ``description`` becomes the chart's accessible description. Raises ``KeyError`` for
    an unknown kind.
    """
    out = copy.copy(_templates()[kind])
    if kind == "overview":
        # the legend lists only the series this chart shows, in their usual colours
        shown = [series for series in OVERVIEW_SERIES if any(r["series"] == series for r in rows)]
        encoding = copy.deepcopy(out["encoding"])
        encoding["color"]["scale"] = {"domain": shown, "range": [OVERVIEW_SERIES[s] for s in shown]}
        encoding["shape"]["scale"] = {"domain": shown, "range": [OVERVIEW_SHAPES[s] for s in shown]}
        encoding["yOffset"]["scale"]["domain"] = shown
        out["encoding"] = encoding
    out["datasets"] = {DATASET: rows}
    out["height"] = ROW_HEIGHT[kind] * max(1, len({row["label"] for row in rows}))
    out["description"] = description
    return out


def to_json(chart: dict[str, Any]) -> str:
    """Compact JSON of a spec (pages put it, HTML-escaped, in a ``data-spec`` attribute)."""
    return json.dumps(chart, ensure_ascii=False, separators=(",", ":"))


@functools.lru_cache(maxsize=None)
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script setting ``window.vega``, ``vegaLite``, ``vegaEmbed``.

    Built by vl-convert for the Vega-Lite version the templates target, so the vendored
    library and the specs always agree (a library of another version may fail to draw them).
    """
    import vl_convert

    return vl_convert.javascript_bundle(vl_version=f"v{vega_lite_version()}")
