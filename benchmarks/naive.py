"""The naive way to publish the same network, as a baseline for benchmarks/build.py.

It does what a first version of such a site typically does, on the same city files:
read every YAML file, score the answers, compute the sample means, write one Markdown
page per city with a Markdown table of scores, five Vega-Lite charts written inline
(grouped bars against the sample, position in the sample range, a radar profile, the
population bands and the aggregate histogram), a Markdown table of every questionnaire
answer in a collapsed block, and its sources; an index page with a Markdown table
linking every city; then Material for MkDocs with search, city pages out of the sidebar.

Usage: python benchmarks/naive.py CITY_DIR OUT_DIR   (then: mkdocs build -f OUT_DIR/mkdocs.yml)
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def area_scores(definition: dict, answers: dict) -> dict[str, float]:
    """Points earned / points available x 100 per area (unanswered questions left out)."""
    out = {}
    for area in definition["areas"]:
        earned = available = 0
        for q in area["questions"]:
            if q["id"] in answers:
                points = {str(o["key"]).lower(): o["points"] for o in q["options"]}
                earned += points.get(str(answers[q["id"]]).lower(), 0)
                available += max(points.values())
        if available:
            out[area["title"]] = round(earned / available * 100, 1)
    return out


def population_band(population: int) -> str:
    for limit, name in ((100_000, "under 100k"), (200_000, "100k-200k"), (500_000, "200k-500k")):
        if population < limit:
            return name
    return "over 500k"


def charts(
    name: str,
    scores: dict[str, float],
    means: dict[str, float],
    lows: dict[str, float],
    highs: dict[str, float],
    band_means: dict[str, dict[str, float]],
    band: str,
    aggregate: float,
    histogram: list[dict],
) -> list[dict]:
    areas = list(scores)
    bars = [
        {"area": a, "series": s, "score": v}
        for a in areas
        for s, v in ((name, scores[a]), ("Sample mean", means.get(a, 0)))
    ]
    axis = {"field": "area", "type": "nominal", "sort": areas, "title": None}
    return [
        {
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "width": "container",
            "height": 320,
            "data": {"values": bars},
            "mark": "bar",
            "encoding": {
                "x": axis,
                "xOffset": {"field": "series"},
                "y": {"field": "score", "type": "quantitative"},
                "color": {"field": "series"},
            },
        },
        {
            "width": "container",
            "height": 360,
            "data": {
                "values": [
                    {
                        "area": a,
                        "city": scores[a],
                        "mean": means.get(a, 0),
                        "low": lows.get(a, 0),
                        "high": highs.get(a, 0),
                    }
                    for a in areas
                ]
            },
            "layer": [
                {
                    "mark": "rule",
                    "encoding": {"y": axis, "x": {"field": "low", "type": "quantitative"}, "x2": {"field": "high"}},
                },
                {"mark": "tick", "encoding": {"y": axis, "x": {"field": "mean", "type": "quantitative"}}},
                {"mark": "point", "encoding": {"y": axis, "x": {"field": "city", "type": "quantitative"}}},
            ],
        },
        {
            "width": 320,
            "height": 320,
            "data": {"values": [{"area": a, "score": scores[a]} for a in areas]},
            "mark": {"type": "arc", "innerRadius": 10},
            "encoding": {
                "theta": {"field": "area", "type": "nominal"},
                "radius": {"field": "score", "type": "quantitative"},
                "color": {"field": "area", "legend": None},
            },
        },
        {
            "width": "container",
            "height": 360,
            "data": {
                "values": [
                    {"area": a, "group": b, "score": v[a]} for b, v in band_means.items() for a in areas if a in v
                ]
                + [{"area": a, "group": name, "score": scores[a]} for a in areas]
            },
            "mark": {"type": "point", "filled": True},
            "encoding": {"y": axis, "x": {"field": "score", "type": "quantitative"}, "color": {"field": "group"}},
        },
        {
            "width": "container",
            "height": 200,
            "layer": [
                {
                    "data": {"values": histogram},
                    "mark": "bar",
                    "encoding": {
                        "x": {"field": "start", "type": "quantitative", "bin": {"binned": True, "step": 5}},
                        "x2": {"field": "end"},
                        "y": {"field": "count", "type": "quantitative"},
                    },
                },
                {
                    "data": {"values": [{"aggregate": aggregate}]},
                    "mark": "rule",
                    "encoding": {"x": {"field": "aggregate", "type": "quantitative"}},
                },
            ],
        },
    ]


def build(city_dir: Path, out: Path) -> None:
    definition = yaml.load(
        (ROOT / "generator/definitions/2019.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader
    )
    questions = {q["id"]: q["text"] for a in definition["areas"] for q in a["questions"]}
    cities = []
    for file in sorted(city_dir.glob("*.yaml")):
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        edition = data["editions"][-1]
        scores = area_scores(definition, edition.get("answers", {}))
        cities.append(
            {
                "slug": file.stem,
                "data": data,
                "answers": edition.get("answers", {}),
                "scores": scores,
                "aggregate": round(statistics.fmean(scores.values()), 1) if scores else 0,
                "band": population_band(data["population"]["value"]),
            }
        )
    areas = [a["title"] for a in definition["areas"]]
    per_area = {a: [c["scores"][a] for c in cities if a in c["scores"]] for a in areas}
    means = {a: round(statistics.fmean(v), 1) for a, v in per_area.items() if v}
    lows = {a: min(v) for a, v in per_area.items() if v}
    highs = {a: max(v) for a, v in per_area.items() if v}
    bands = sorted({c["band"] for c in cities})
    band_means = {
        b: {
            a: round(statistics.fmean(v), 1)
            for a in areas
            if (v := [c["scores"][a] for c in cities if c["band"] == b and a in c["scores"]])
        }
        for b in bands
    }
    counts = [0] * 20
    for c in cities:
        counts[min(19, int(c["aggregate"] // 5))] += 1
    histogram = [{"start": 5 * k, "end": 5 * k + 5, "count": n} for k, n in enumerate(counts)]

    docs = out / "docs"
    (docs / "cities").mkdir(parents=True, exist_ok=True)
    (docs / "js").mkdir(exist_ok=True)
    (docs / "js" / "charts.js").write_text(
        "document.querySelectorAll('div.vl-chart').forEach(function (el) {\n"
        "  vegaEmbed(el, JSON.parse(document.getElementById(el.dataset.spec).textContent), {actions: false});\n"
        "});\n",
        encoding="utf-8",
    )
    index = ["# Cities\n", f"{len(cities)} cities.\n", "| City | Country | Aggregate |", "|---|---|---:|"]
    for c in cities:
        d = c["data"]
        index.append(f"| [{d['name']}](cities/{c['slug']}.md) | {d['country']} | {c['aggregate']} |")
        lines = [
            f"# {d['name']}\n",
            f"{d['name']} ({d['country']}, population {d['population']['value']:,}, band {c['band']}) has an "
            f"aggregate of **{c['aggregate']}**; the sample mean is "
            f"**{round(statistics.fmean(means.values()), 1)}** over {len(cities)} cities.\n",
            "## Scores\n",
            "| Area | Score | Sample mean | Lowest | Highest |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {a} | {v} | {means.get(a, '')} | {lows.get(a, '')} | {highs.get(a, '')} |"
            for a, v in c["scores"].items()
        ]
        lines.append("")
        for k, spec in enumerate(
            charts(d["name"], c["scores"], means, lows, highs, band_means, c["band"], c["aggregate"], histogram)
        ):
            lines.append(f"## Chart {k + 1}\n")
            lines.append(
                f'<div class="vl-chart" data-spec="spec-{k}"></div>\n'
                f'<script type="application/json" id="spec-{k}">{json.dumps(spec, separators=(",", ":"))}</script>\n'
            )
        lines += [
            "## Questionnaire answers\n",
            '??? note "Every answer"\n',
            "    | Question | Answer |",
            "    |---|---|",
        ]
        lines += [f"    | {questions.get(q, q)} | {v} |" for q, v in c["answers"].items()]
        lines += ["", "## Sources\n"]
        lines += [f"- {s['title']}" for s in d.get("sources", {}).values()]
        (docs / "cities" / f"{c['slug']}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (docs / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    (out / "mkdocs.yml").write_text(
        "site_name: Naive baseline\nsite_url: https://example.org/\ntheme:\n  name: material\n"
        "  features: [navigation.sections, navigation.indexes, search.highlight]\n"
        "markdown_extensions: [tables, attr_list, md_in_html, admonition, pymdownx.details, pymdownx.superfences,"
        " {toc: {permalink: true}}]\n"
        "extra_javascript: [https://cdn.jsdelivr.net/npm/vega@5, https://cdn.jsdelivr.net/npm/vega-lite@5,"
        " https://cdn.jsdelivr.net/npm/vega-embed@6, js/charts.js]\n"
        "nav: [index.md]\nplugins: [search]\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
