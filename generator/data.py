"""Open data: every figure of every city and edition, as files analysts can use without scraping.

``open_data`` lists the files of the site's ``data/`` folder (site path, and how to make its bytes):

* ``data/scores.csv`` and ``data/scores.json`` — one tidy row per city × edition × figure
  that has a value (figures not published are absent), with where the value comes from
  and the report's own "city sample" value for it;
* ``data/cities.csv`` — one row per city: country, population, shares, bands;
* ``data/editions.csv`` — one row per edition (also those without figures), with its
  source, and ``data/ranks.csv``, the ranks the sources published;
* ``data/practices.csv`` — every good practice;
* ``data/cities/<id>.json`` — each city's record as validated, with its scores;
* ``data/cities/<id>/<year>.json`` — one edition as its own page shows it: its figures,
  their change from the previous edition, and their comparison as of the edition's year;
* ``data/definition.json`` — the index definition (areas, questions, bands);
* ``data/datapackage.json`` — a Frictionless data package describing all of them.

The numbers are the ones the pages print: ``value`` is whole points (rounded by the
site's one rule), ``value_unrounded`` keeps a computed figure's decimals. Ranks are the
ones the pages print too: ``rank`` is the edition's rank as of its own year (its edition
page), ``rank_latest`` the rank among every city's latest edition (the city page and the
area pages), given on the city's latest edition only.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .compare import Comparison, GroupStat, Rank, city_bands
from .model import City
from .progress import Change
from .score import EditionScores, Score, publish
from .text import one_line
from .validate import Network

if TYPE_CHECKING:  # (the pipeline imports this module)
    from .pipeline import Findings

SCORE_FIELDS = [
    ("city", "string", "City id (the name of its file and page)"),
    ("city_name", "string", "City name"),
    ("country", "string", "ISO 3166-1 alpha-2 country code"),
    ("edition", "integer", "Year of the index analysis"),
    ("figure", "string", "Figure key: aggregate, lens or an area of the index definition"),
    ("figure_title", "string", "Figure title"),
    ("value", "integer", "The figure as the site prints it, points 0–100 (whole points, halves rounded up)"),
    ("value_unrounded", "number", "The figure before rounding, points 0–100 (empty when published)"),
    (
        "origin",
        "string",
        "Where the value comes from: published, answers (computed from the questionnaire) "
        "or components (computed from published components)",
    ),
    ("published", "integer", "The figure as published, points 0–100 (empty when not published)"),
    (
        "sample_reported",
        "integer",
        "The 'city sample' value the edition's report printed next to the figure, points 0–100 (empty when none)",
    ),
    (
        "computed",
        "number",
        "The figure computed by the site from answers or components, points 0–100 (empty when not computable)",
    ),
    ("previous_edition", "integer", "Year of the city's previous edition (empty for its first)"),
    (
        "change",
        "integer",
        "Points since the previous edition, as printed (empty when there is none, or when the two "
        "editions did not answer the same recorded questionnaire version)",
    ),
    ("rank", "integer", "Rank among every city's latest edition of the edition's year or before (its edition page)"),
    ("rank_of", "integer", "Cities ranked with it (empty when too few cities to rank)"),
    ("rank_latest", "integer", "Rank among every city's latest edition (latest edition only; city and area pages)"),
    ("rank_latest_of", "integer", "Cities ranked with it"),
    ("questionnaire", "string", "Questionnaire version the edition answered (empty when not recorded)"),
    ("population_band", "string", "Population band of the city (index definition)"),
    ("foreign_born_band", "string", "Foreign-born band of the city (index definition)"),
    ("source", "string", "The publication the edition's figures come from"),
    ("source_url", "string", "Address of that publication (empty when none is public)"),
]

PRACTICE_FIELDS = [
    ("practice", "string", "Practice id: <city id>/<practice key>"),
    ("city", "string", "City id"),
    ("city_name", "string", "City name"),
    ("country", "string", "ISO 3166-1 alpha-2 country code"),
    ("title", "string", "Title of the practice"),
    ("areas", "string", "Index areas it serves (keys, separated by spaces)"),
    ("themes", "string", "Thematic areas (separated by semicolons)"),
    ("period", "string", "Period, as the source gives it"),
    ("summary", "string", "Summary, in the site's own words"),
    ("source", "string", "Address of the practice's description"),
    ("status", "string", "How the summary was written: page, listing, title, report or inferred"),
]


def score_rows(found: Findings) -> Iterator[dict[str, Any]]:
    """The tidy rows of ``scores.csv`` (module notes), ordered by city, edition and figure,
    one at a time (a large network has hundreds of thousands)."""
    network, scores = found.network, found.scores
    definition = network.definition
    order = definition.figure_order
    for city_id, city in network.cities.items():
        bands = city_bands(definition, city)
        editions = sorted(scores[city_id], key=lambda e: e.year)
        for edition_scores in editions:
            edition = city.editions[edition_scores.index]
            source = city.sources[edition.source]
            own_year = found.edition_comparisons[(city_id, edition.year)]
            now = found.comparisons[city_id] if edition_scores is editions[-1] else {}
            changes = found.changes[city_id].get(edition_scores.index, {})
            for key in order:
                s = edition_scores.scores[key]
                if s.value is None:
                    continue
                rank = own_year[key].rank
                rank_now = now[key].rank if key in now else None
                change = changes.get(key)
                yield {
                    "city": city_id,
                    "city_name": city.name,
                    "country": city.country,
                    "edition": edition.year,
                    "figure": key,
                    "figure_title": definition.title_of(key),
                    "value": publish(s.value),
                    "value_unrounded": None if s.origin == "published" else round(s.value, 4),
                    "origin": s.origin,
                    "published": s.published,
                    "sample_reported": edition.sample.get(key),
                    "computed": None if s.computed is None else round(s.computed, 4),
                    "previous_edition": change.previous_year if change else None,
                    "change": change.delta if change else None,
                    "rank": rank.rank if rank else None,
                    "rank_of": rank.of if rank else None,
                    "rank_latest": rank_now.rank if rank_now else None,
                    "rank_latest_of": rank_now.of if rank_now else None,
                    "questionnaire": edition.questionnaire,
                    "population_band": bands.population,
                    "foreign_born_band": bands.foreign_born,
                    "source": source.title,
                    "source_url": source.url,
                }


CITY_FIELDS = [
    ("city", "string", "City id"),
    ("city_name", "string", "City name"),
    ("native_name", "string", "Name in the local language and script"),
    ("country", "string", "ISO 3166-1 alpha-2 country code"),
    ("population", "integer", "Inhabitants (empty when no count is published)"),
    ("population_year", "integer", "Year of the population figure"),
    ("foreign_born_percent", "number", "Foreign-born residents, % of the population"),
    ("non_national_percent", "number", "Residents without the country's nationality, % of the population"),
    (
        "immigrant_background_percent",
        "number",
        "Immigrants and the children of immigrants, % of the population (a wider group than the foreign-born)",
    ),
    ("population_band", "string", "Population band (index definition; given by a source where no count is published)"),
    (
        "foreign_born_band",
        "string",
        "Foreign-born band (from the foreign-born share, or as a source states it; never from another measure)",
    ),
    ("editions", "integer", "Number of editions recorded"),
    ("practices", "integer", "Number of good practices recorded"),
]

EDITION_FIELDS = [
    ("city", "string", "City id"),
    ("edition", "integer", "Year of the index analysis"),
    ("published", "string", "Publication date (ISO 8601; empty when unknown)"),
    ("questionnaire", "string", "Edition of the questionnaire answered (empty when unknown)"),
    (
        "questionnaire_inferred",
        "boolean",
        "Whether that version was inferred by this site rather than stated by the source",
    ),
    ("sample_size", "integer", "Cities in the index database when the report was written"),
    ("figures", "integer", "Figures with a value on this site"),
    ("source", "string", "The publication the edition's figures come from"),
    ("source_url", "string", "Address of that publication (empty when none is public)"),
    ("note", "string", "Caveats given with the figures"),
]

RANK_FIELDS = [
    ("city", "string", "City id"),
    ("edition", "integer", "Year of the index analysis"),
    ("group", "string", "The group of cities the rank is within, as the source describes it"),
    ("rank", "integer", "Rank as published"),
    ("of", "integer", "Cities in the group (empty when not given)"),
    ("source", "string", "The publication that gives the rank"),
]


def city_rows(network: Network) -> list[dict[str, Any]]:
    """The rows of ``cities.csv``."""
    rows = []
    for cid, c in network.cities.items():
        bands = city_bands(network.definition, c)
        rows.append(
            {
                "city": cid,
                "city_name": c.name,
                "native_name": c.native_name,
                "country": c.country,
                "population": c.population.value if c.population else None,
                "population_year": c.population.year if c.population else None,
                "foreign_born_percent": c.foreign_born.percent if c.foreign_born else None,
                "non_national_percent": c.non_nationals.percent if c.non_nationals else None,
                "immigrant_background_percent": c.immigrant_background.percent if c.immigrant_background else None,
                "population_band": bands.population,
                "foreign_born_band": bands.foreign_born,
                "editions": len(c.editions),
                "practices": len(c.practices),
            }
        )
    return rows


def edition_rows(
    network: Network, scores: dict[str, list[EditionScores]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of ``editions.csv`` and of ``ranks.csv``."""
    editions, ranks = [], []
    for cid, c in network.cities.items():
        for edition_scores in sorted(scores[cid], key=lambda e: e.year):
            e = c.editions[edition_scores.index]
            source = c.sources[e.source]
            editions.append(
                {
                    "city": cid,
                    "edition": e.year,
                    "published": e.published,
                    "questionnaire": e.questionnaire,
                    "questionnaire_inferred": "true" if e.questionnaire_inferred else "false",
                    "sample_size": e.sample_size,
                    "figures": sum(1 for s in edition_scores.scores.values() if s.value is not None),
                    "source": source.title,
                    "source_url": source.url,
                    "note": one_line(e.note) if e.note else None,
                }
            )
            for r in e.published_ranks:
                ranks.append(
                    {
                        "city": cid,
                        "edition": e.year,
                        "group": one_line(r.group),
                        "rank": r.rank,
                        "of": r.of,
                        "source": c.sources[r.source].title if r.source else source.title,
                    }
                )
    return editions, ranks


def practice_rows(network: Network) -> list[dict[str, Any]]:
    """The rows of ``practices.csv``, ordered by city and practice."""
    return [
        {
            "practice": f"{cid}/{p.key}",
            "city": cid,
            "city_name": city.name,
            "country": city.country,
            "title": p.title,
            "areas": " ".join(p.areas),
            "themes": "; ".join(p.themes),
            "period": p.period,
            "summary": one_line(p.summary),
            "source": p.source,
            "status": p.status,
        }
        for cid, city in network.cities.items()
        for p in city.practices
    ]


#: Rows per chunk of a large file (so a file of hundreds of thousands of rows is never held whole).
CHUNK_ROWS = 2000


def _csv(rows: Iterable[dict[str, Any]], fields: list[tuple[str, str, str]]) -> Iterator[bytes]:
    """CSV text (UTF-8), header first, in chunks of :data:`CHUNK_ROWS` rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _, _ in fields])
    for i, row in enumerate(rows, 1):
        writer.writerow(["" if row[name] is None else row[name] for name, _, _ in fields])
        if i % CHUNK_ROWS == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def _json_rows(rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """A list of rows as compact JSON (the same text as :func:`_json` of the list), in
    chunks of :data:`CHUNK_ROWS` rows."""
    opening = "["
    for chunk in _batches(rows):
        # the list of a chunk's rows without its brackets: the rows, separated by commas
        text = json.dumps(chunk, ensure_ascii=False, separators=(",", ":"))
        yield (opening + text[1:-1]).encode("utf-8")
        opening = ","
    yield ("[]\n" if opening == "[" else "]\n").encode("utf-8")


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Rows in lists of :data:`CHUNK_ROWS` rows (the last may be shorter)."""
    it = iter(rows)
    while chunk := list(itertools.islice(it, CHUNK_ROWS)):
        yield chunk


def _json(value: Any, readable: bool = False) -> bytes:
    """JSON text: compact (for data files, which are large and read by programs), or indented
    (``readable``, for the small descriptive files people read). Compact output also uses the
    standard library's C encoder, which an indent turns off."""
    text = (
        json.dumps(value, ensure_ascii=False, indent=1)
        if readable
        else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    )
    return (text + "\n").encode("utf-8")


def city_record(city_id: str, city: City, editions: list[EditionScores]) -> dict[str, Any]:
    """A city's file: its record as validated, and every figure of every edition."""
    record = city.model_dump(mode="json", exclude_none=True)
    record["id"] = city_id
    for edition_scores in editions:
        record["editions"][edition_scores.index]["figures"] = {
            key: _figure(s) for key, s in edition_scores.scores.items() if s.value is not None
        }
    return record


def _figure(s: Score) -> dict[str, Any]:
    """A figure as the JSON files give it: the value printed, where it comes from, the
    published and the computed figure (points; computed to 4 places)."""
    assert s.value is not None  # (only figures with a value are written)
    return {
        "value": publish(s.value),
        "origin": s.origin,
        "published": s.published,
        "computed": None if s.computed is None else round(s.computed, 4),
    }


def _figure_comparison(c: Comparison) -> dict[str, Any]:
    """A compared figure as the edition file gives it (means in points, unrounded to 4 places)."""

    def stat(g: GroupStat | None) -> dict[str, Any] | None:
        return None if g is None else {"mean": None if g.mean is None else round(g.mean, 4), "cities": g.count}

    def rank(r: Rank | None) -> dict[str, int] | None:
        return None if r is None else {"rank": r.rank, "of": r.of}

    return {
        "sample": stat(c.sample),
        "population_band": stat(c.population_band),
        "foreign_born_band": stat(c.foreign_born_band),
        "rank": rank(c.rank),
        "population_rank": rank(c.population_rank),
        "foreign_born_rank": rank(c.foreign_born_rank),
        "sample_years": list(c.scope.years) if c.scope.years else None,
        "sample_questionnaires": list(c.scope.versions),
    }


def _change(c: Change | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "previous_edition": c.previous_year,
        "previous": c.previous,
        "change": c.delta,
        "no_change_because": c.reason,
    }


def edition_record(found: Findings, city_id: str, edition_scores: EditionScores) -> dict[str, Any]:
    """One edition's file: the city, the edition as validated, and every figure with its
    change from the previous edition and its comparison as of the edition's year (what the
    edition's own page shows)."""
    city = found.network.cities[city_id]
    edition = city.editions[edition_scores.index]
    compared = found.edition_comparisons[(city_id, edition.year)]
    changes = found.changes[city_id].get(edition_scores.index, {})
    bands = city_bands(found.network.definition, city)
    return {
        "city": city_id,
        "city_name": city.name,
        "country": city.country,
        "population_band": bands.population,
        "foreign_born_band": bands.foreign_born,
        "edition": edition.model_dump(mode="json", exclude_none=True),
        "source": city.sources[edition.source].model_dump(mode="json", exclude_none=True),
        "compared_as_of": edition.year,
        "figures": {
            key: {
                **_figure(s),
                "change": _change(changes.get(key)),
                "comparison": _figure_comparison(compared[key]),
            }
            for key, s in edition_scores.scores.items()
            if s.value is not None
        },
    }


def _schema(fields: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {"fields": [{"name": n, "type": t, "description": d} for n, t, d in fields]}


def open_data(found: Findings) -> list[tuple[str, Callable[[], Iterable[bytes]]]]:
    """Every file of the ``data/`` folder (module notes): its site path and a function that
    makes its bytes, in chunks. The paths are known before any file is made; the files are
    made one at a time by whoever calls the functions, and a large file chunk by chunk,
    so a large network's data is never held whole."""
    network, scores = found.network, found.scores
    edition_and_rank_rows = functools.cache(lambda: edition_rows(network, scores))
    files: list[tuple[str, Callable[[], Iterable[bytes]]]] = [
        ("data/scores.csv", lambda: _csv(score_rows(found), SCORE_FIELDS)),
        ("data/scores.json", lambda: _json_rows(score_rows(found))),
        ("data/cities.csv", lambda: _csv(city_rows(network), CITY_FIELDS)),
        ("data/editions.csv", lambda: _csv(edition_and_rank_rows()[0], EDITION_FIELDS)),
        ("data/ranks.csv", lambda: _csv(edition_and_rank_rows()[1], RANK_FIELDS)),
        ("data/practices.csv", lambda: _csv(practice_rows(network), PRACTICE_FIELDS)),
        ("data/definition.json", lambda: [_json(network.definition.model_dump(mode="json"), readable=True)]),
    ]
    for city_id, city in network.cities.items():
        files.append(
            (
                f"data/cities/{city_id}.json",
                functools.partial(lambda i, c: [_json(city_record(i, c, scores[i]))], city_id, city),
            )
        )
        for es in sorted(scores[city_id], key=lambda e: e.year):
            files.append(
                (
                    f"data/cities/{city_id}/{es.year}.json",
                    functools.partial(lambda i, e: [_json(edition_record(found, i, e))], city_id, es),
                )
            )
    files.append(("data/datapackage.json", lambda: [_package(found)]))
    return files


def _package(found: Findings) -> bytes:
    """``datapackage.json``: the Frictionless data package describing the other files."""
    network = found.network
    resources = (
        [
            {
                "name": "scores",
                "path": "scores.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "title": "Every figure of every city and edition (points 0–100)",
                "schema": _schema(SCORE_FIELDS),
            },
            {
                "name": "scores-json",
                "path": "scores.json",
                "format": "json",
                "mediatype": "application/json",
                "title": "The same rows as scores.csv, as JSON",
            },
            {
                "name": "cities",
                "path": "cities.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "title": "Cities: population, shares and bands",
                "schema": _schema(CITY_FIELDS),
            },
            {
                "name": "editions",
                "path": "editions.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "title": "Editions of each city's index analysis, with sources",
                "schema": _schema(EDITION_FIELDS),
            },
            {
                "name": "ranks",
                "path": "ranks.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "title": "Ranks as the sources published them",
                "schema": _schema(RANK_FIELDS),
            },
            {
                "name": "practices",
                "path": "practices.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "title": "Good practices",
                "schema": _schema(PRACTICE_FIELDS),
            },
            {
                "name": "definition",
                "path": "definition.json",
                "format": "json",
                "mediatype": "application/json",
                "title": f"The index definition ({network.definition.title})",
            },
        ]
        + [
            {
                "name": f"city-{city_id}",
                "path": f"cities/{city_id}.json",
                "format": "json",
                "mediatype": "application/json",
                "title": f"{city.name}: record and figures",
            }
            for city_id, city in network.cities.items()
        ]
        + [
            {
                "name": f"city-{city_id}-{es.year}",
                "path": f"cities/{city_id}/{es.year}.json",
                "format": "json",
                "mediatype": "application/json",
                "title": f"{city.name}, {es.year} edition: figures, change and comparison as of {es.year}",
            }
            for city_id, city in network.cities.items()
            for es in sorted(found.scores[city_id], key=lambda e: e.year)
        ]
    )
    package = {
        "name": "icc-index-results",
        "title": "Intercultural Cities Index: results per city",
        "description": (
            "Scores of the cities of the Council of Europe's Intercultural Cities Index, as published "
            "in the ICC Index reports and the sources each city file names, with the figures the "
            "site computes from them; the good practices of the network; and the index definition."
        ),
        "profile": "data-package",
        "sources": [
            {
                "title": "ICC Index Analysis reports of the Council of Europe's Intercultural Cities programme, "
                "and the press, council and Council of Europe pages each city file names"
            }
        ],
        "resources": resources,
    }
    return _json(package, readable=True)
