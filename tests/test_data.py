"""Open data, area pages and the practice network, checked on the built site."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter

import frictionless
import pytest
from htmltools import read
from test_build import ANSAN


@pytest.fixture(scope="module")
def rows(built_site):
    with open(built_site / "data" / "scores.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_datapackage_validates(built_site):
    report = frictionless.validate(str(built_site / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]


def test_csv_reads_back_to_the_numbers_on_the_ansan_page(rows):
    ansan = {r["figure_title"]: r for r in rows if r["city"] == "ansan" and r["edition"] == "2020"}
    titles = {
        "Intercultural lens": "The city through an intercultural lens",
        "Business and labour": "Business and the labour market",
        "Cultural and social life": "Cultural and social life",
        "Mediation": "Mediation and conflict resolution",
        "Media": "Media and communication",
        "Intelligence and competence": "Intercultural intelligence and competence",
    }
    for label, value, _ in ANSAN:
        title = titles.get(label, label)
        if value == "not published":
            assert title not in ansan
        else:
            assert ansan[title]["value"] == value and ansan[title]["origin"] == "published"
    assert ansan["The city through an intercultural lens"]["computed"] == "85.8333"


def test_json_holds_the_same_rows_as_csv(built_site, rows):
    records = json.loads((built_site / "data" / "scores.json").read_text(encoding="utf-8"))
    assert len(records) == len(rows)
    for record, row in zip(records, rows, strict=True):
        assert str(record["value"]) == row["value"] and record["figure"] == row["figure"]


def ranking(built_site, key: str) -> list[list[str]]:
    """The rows of an area page's table of every city (rank, city, country, points, …)."""
    page = read(built_site / "areas" / key / "index.html")
    return next(t for t in page.tables if t and t[0][:2] == ["Rank", "City"])[1:]


def test_each_area_page_lists_every_city_with_a_score_on_it(built_site, rows):
    latest = {}
    for r in rows:  # latest edition per city
        latest[r["city"]] = max(latest.get(r["city"], 0), int(r["edition"]))
    expected = Counter(r["figure"] for r in rows if int(r["edition"]) == latest[r["city"]])
    for figure, count in expected.items():
        assert len(ranking(built_site, figure)) == count, figure
    assert [(r[0], r[1], r[3]) for r in ranking(built_site, "commitment")] == [
        ("1", "Paris", "81"),
        ("2", "Ansan", "58"),
        ("3", "Rochester", "35"),
    ]
    # a tie shares a rank and is ordered by name: Guro before Oeiras, both 100
    assert [(r[0], r[1], r[3]) for r in ranking(built_site, "neighbourhoods")] == [
        ("1", "Guro", "100"),
        ("1", "Oeiras", "100"),
        ("3", "Ansan", "88"),
    ]
    # two cities (Guro 100, Ansan 83): too few for a rank, the order is still by score
    assert [(r[0], r[1], r[3]) for r in ranking(built_site, "leadership")] == [
        ("—", "Guro", "100"),
        ("—", "Ansan", "83"),
    ]


def test_ansan_is_told_what_to_learn_and_from_whom(built_site):
    html = (built_site / "cities" / "ansan" / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="learn-from"') : html.index('id="own-practices"')]
    # the areas where Ansan is below its report's sample or well below its own aggregate
    for area in ("commitment", "public_space", "language", "welcoming", "participation"):
        assert f'href="#{area}"' in section
    links = re.findall(r'href="(\.\./\.\./practices/[^"]+)"', section)
    assert len(links) >= 5
    for link in links:
        assert (built_site / "cities" / "ansan" / link / "index.html").resolve().is_file()


def test_every_practice_page_links_back_to_the_cities_that_recommend_it(built_site):
    recommended = {}
    for city_page in (built_site / "cities").glob("*/index.html"):
        city = city_page.parent.name
        for link in read(city_page).links:
            m = re.match(r"\.\./\.\./practices/([^/]+/[^/]+)/$", link)
            if m:
                recommended.setdefault(m.group(1), set()).add(city)
    assert recommended
    for practice, cities in recommended.items():
        links = read(built_site / "practices" / practice / "index.html").links
        for city in cities:
            if practice.startswith(f"{city}/"):
                continue  # a city's own practices are listed on its page, not recommended to it
            assert any(link.startswith(f"../../../cities/{city}/#") for link in links), (practice, city)


@pytest.mark.parametrize("count", [0, 1, 2, 3, 4, 5])
def test_json_rows_in_chunks_read_as_one_list(monkeypatch, count):
    # a large file is written chunk by chunk: at every chunk boundary it must stay one
    # valid list, the same text as the list written at once
    from generator import data

    monkeypatch.setattr(data, "CHUNK_ROWS", 2)
    rows = [{"city": f"c{i}", "name": 'Genève "Nord"', "value": i * 10} for i in range(count)]
    chunks = list(data._json_rows(iter(rows)))
    text = b"".join(chunks).decode("utf-8")
    assert text == json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert json.loads(text) == rows
    assert len(chunks) == (count + 1) // 2 + 1  # (a chunk per two rows, then the closing bracket)
