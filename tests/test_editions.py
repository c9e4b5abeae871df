"""Editions over time in a real ``mkdocs build --strict`` of the hand-made network: each
edition's own page, the change since the previous edition, citation tags, and one rank per
figure on every page and in the data. Expected values are worked out by hand in
``fixtures/network/cities/*.yaml`` and ``test_compare.py``."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_project, mkdocs_build
from htmltools import Page, read

FIGURES = ["Aggregate", "Area A", "Area B", "Intercultural lens", "Lens one", "Lens two", "Area O"]


def network_project(target: Path) -> Path:
    """A copy of the project whose data is the hand-made network and its definition."""
    project = copy_project(target)
    shutil.rmtree(project / "cities")
    shutil.copytree(FIXTURES / "network" / "cities", project / "cities")
    shutil.copy(FIXTURES / "network" / "definition.yaml", project / "definition.yaml")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("definition: generator/definitions/2019.yaml", "definition: definition.yaml"))
    return project


@pytest.fixture(scope="module")
def network_site(tmp_path_factory):
    project = network_project(tmp_path_factory.mktemp("editions"))
    result = mkdocs_build(project, env={"SITE_URL": "https://icc.example.org/index/"})
    assert result.returncode == 0, result.stderr
    return project


def site(project: Path) -> Path:
    return project / "site"


def table_after(page: Page, first_cell: str) -> list[list[str]]:
    return next(t for t in page.tables if t and t[0][0] == first_cell)


def area_ranking(built: Path, key: str) -> list[list[str]]:
    """The rows of an area page's table of every city (rank, city, country, points, …)."""
    page = read(built / "areas" / key / "index.html")
    return next(t for t in page.tables if t and t[0][:2] == ["Rank", "City"])[1:]


def figure_table(page: Page) -> dict[str, list[str]]:
    """The city page's table of figures, by figure: its cells after the name."""
    table = next(t for t in page.tables if t and t[0][0] == "Figure" and "Rank on this site" in t[0])
    head = table[0]
    return {row[0]: dict(zip(head[1:], row[1:], strict=True)) for row in table[1:]}


def test_a_city_page_shows_the_change_since_its_previous_edition(network_site):
    page = read(site(network_site) / "cities" / "epsilon" / "index.html")
    rows = figure_table(page)
    # 2022 against 2018, the same questionnaire: printed figures 66 - 63, 75 - 70, 60 - 60, ...
    changes = {figure: cells["Change since 2018"] for figure, cells in rows.items()}
    assert changes == {
        "Aggregate": "+3",
        "Area A": "+5",
        "Area B": "0",
        "Intercultural lens": "+10",
        "Lens one": "+10",
        "Lens two": "+10",
    }
    assert "+3 since 2018" in page.text
    assert "Aggregate: 66 points. Up 3 points since the 2018 edition (63)." in page.text
    assert "Area B: 60 points. Unchanged since the 2018 edition (60)." in page.text
    # every edition is listed and linked, with the change where the versions allow one
    editions = table_after(page, "Edition")
    assert [r[:4] for r in editions[1:]] == [
        ["2016", "2011", "55", "—"],
        ["2018", "2016", "63", "not comparable"],
        ["2022", "2016", "66", "+3 since 2018"],
    ]
    html = (site(network_site) / "cities" / "epsilon" / "index.html").read_text(encoding="utf-8")
    assert 'href="2018/"' in html and 'href="2016/"' in html
    # the chart across editions has its data table: every figure with a value, a column per edition
    history = next(t for t in page.tables if t and t[0][-1].startswith("Change, "))
    assert history[0] == [
        "Figure",
        "2016 (questionnaire 2011)",
        "2018 (questionnaire 2016)",
        "2022 (questionnaire 2016)",
        "Change, 2018 to 2022",
    ]
    assert history[1] == ["Aggregate", "55", "63", "66", "+3"]
    assert history[2] == ["Area A", "60", "70", "75", "+5"]
    assert 'id="chart-history"' in html


def test_an_earlier_edition_keeps_its_own_figures_and_comparisons(network_site):
    page = read(site(network_site) / "cities" / "epsilon" / "2018" / "index.html")
    assert page.title.startswith("Epsilon, 2018 edition")
    rows = figure_table(page)
    assert rows["Aggregate"]["Epsilon"] == "63 (computed)"
    # its change from 2016 crosses questionnaire versions: none is given
    assert rows["Aggregate"]["Change since 2016"] == "not comparable"
    assert "no change is given, because the 2016 edition answered the 2011 questionnaire" in page.text
    # compared as of 2018: the only other edition of 2018 or before with an aggregate is delta's
    # 2015 one (40); two cities are too few for a rank
    assert rows["Aggregate"]["Other cities on this site (mean, n)"] == "40 (1)"
    assert rows["Aggregate"]["Rank on this site"] == "—"
    assert "latest editions of 2018 or before, 2015–2018" in page.text
    assert "The latest edition is 2022" in page.text
    # the first edition has no change column
    first = figure_table(read(site(network_site) / "cities" / "epsilon" / "2016" / "index.html"))
    assert first["Aggregate"]["Epsilon"] == "55" and "Change since 2016" not in first["Aggregate"]


def test_edition_pages_carry_citation_tags_and_a_suggested_citation(network_site):
    html = (site(network_site) / "cities" / "epsilon" / "2018" / "index.html").read_text(encoding="utf-8")
    for name, value in (
        ("citation_title", "Epsilon: Intercultural Cities Index results, 2018 edition"),
        ("citation_publisher", "Intercultural Cities Index"),
        ("citation_date", "2018"),
        ("citation_language", "en"),
        ("citation_public_url", "https://icc.example.org/index/cities/epsilon/2018/"),
    ):
        assert f'<meta name="{name}" content="{value}">' in html
    text = read(site(network_site) / "cities" / "epsilon" / "2018" / "index.html").text
    assert (
        "Intercultural Cities Index. “Epsilon: Intercultural Cities Index results, 2018 edition”. 2018. "
        "https://icc.example.org/index/cities/epsilon/2018/ (accessed" in text
    )
    # the main page is not an edition: no citation tags
    main = (site(network_site) / "cities" / "epsilon" / "index.html").read_text(encoding="utf-8")
    assert "citation_title" not in main
    # the edition's own data file
    record = json.loads((site(network_site) / "data" / "cities" / "epsilon" / "2018.json").read_text("utf-8"))
    aggregate = record["figures"]["aggregate"]
    assert aggregate["value"] == 63 and aggregate["computed"] == 62.5
    assert aggregate["change"]["change"] is None and aggregate["change"]["previous"] == 55
    assert aggregate["comparison"]["sample"] == {"mean": 40.0, "cities": 1}
    assert aggregate["comparison"]["sample_questionnaires"] == ["2016", None]


def test_an_edition_page_does_not_change_when_later_editions_are_added(network_site, tmp_path):
    project = network_project(tmp_path / "later")
    before = {
        path: (network_site / "content" / "generated" / path).read_bytes()
        for path in ("cities/epsilon/2018.md", "data/cities/epsilon/2018.json", "cities/delta/2015.md")
    }
    # a later edition of another city, higher than everyone, and a later one of epsilon itself
    beta = project / "cities" / "beta.yaml"
    beta.write_text(
        beta.read_text(encoding="utf-8") + "  - year: 2023\n    source: test\n    scores: {aggregate: 99, a: 99}\n",
        encoding="utf-8",
    )
    result = mkdocs_build(project, env={"SITE_URL": "https://icc.example.org/index/"})
    assert result.returncode == 0, result.stderr
    for path, content in before.items():
        assert (project / "content" / "generated" / path).read_bytes() == content, path
    # while the main pages compare with the new edition: alpha is now 2nd of 5 on the aggregate
    alpha = figure_table(read(project / "site" / "cities" / "alpha" / "index.html"))
    assert alpha["Aggregate"]["Rank on this site"] == "2 of 5"


def test_a_rank_is_the_same_on_every_page_and_in_the_data(network_site):
    built = site(network_site)
    scores = list(csv.DictReader(io.StringIO((built / "data" / "scores.csv").read_text(encoding="utf-8"))))
    latest = {(r["city"], r["figure"]): r for r in scores if r["rank_latest"] or r["rank_latest_of"]}
    names = {"alpha": "Alpha", "beta": "Beta", "gamma": "Gamma", "delta": "Delta", "epsilon": "Epsilon"}
    checked = 0
    for key, title in (("aggregate", "Aggregate"), ("a", "Area A"), ("lens", "Intercultural lens")):
        on_area_page = {row[1]: row[0] for row in area_ranking(built, key)}
        for city, name in names.items():
            city_rows = figure_table(read(built / "cities" / city / "index.html"))
            if name not in on_area_page:
                continue
            rank = on_area_page[name]
            on_city_page = city_rows[title]["Rank on this site"]
            row = latest[(city, key)]
            assert on_city_page == (f"{rank} of {row['rank_latest_of']}" if rank != "—" else "—"), (city, key)
            assert row["rank_latest"] == ("" if rank == "—" else rank), (city, key)
            checked += 1
    assert checked == 13  # 5 aggregates, 4 scores on area A, 4 lenses
    # the aggregate: alpha 81, then delta and gamma tied at 80 (2nd), beta 70, epsilon 66;
    # the tie is ordered by name, in the table, in the chart's data and in the data file's order
    assert [(r[0], r[1]) for r in area_ranking(built, "aggregate")] == [
        ("1", "Alpha"),
        ("2", "Delta"),
        ("2", "Gamma"),
        ("4", "Beta"),
        ("5", "Epsilon"),
    ]
    rows = json.loads((built / "assets" / "charts" / "data" / "aggregate.json").read_text(encoding="utf-8"))
    assert [(r["c"], r["r"], r["o"]) for r in rows] == [
        ("alpha", 1, 0),
        ("delta", 2, 1),
        ("gamma", 2, 2),
        ("beta", 4, 3),
        ("epsilon", 5, 4),
    ]
    # an edition page's rank is the data's rank as of that year: gamma 2021 is 2nd of 5
    # (alpha 80.83, delta 80, gamma 80, beta 70, epsilon 2018 62.5)
    gamma = figure_table(read(built / "cities" / "gamma" / "2021" / "index.html"))
    row = next(r for r in scores if (r["city"], r["edition"], r["figure"]) == ("gamma", "2021", "aggregate"))
    assert gamma["Aggregate"]["Rank on this site"] == "2 of 5" == f"{row['rank']} of {row['rank_of']}"


def test_the_network_over_time_page(network_site):
    page = read(site(network_site) / "editions" / "index.html")
    by_year = {r[0]: r[1:] for r in table_after(page, "Year")[1:]}
    assert by_year["2021"] == ["2", "1 × 2019, 1 × not recorded", "80", "2"]
    assert by_year["2016"] == ["1", "1 × 2011", "55", "1"]
    sample = {r[0]: r[1:] for r in table_after(page, "As of")[1:]}
    assert sample["2016"] == ["2", "1 × 2011, 1 × not recorded", "48", "2"]  # (40 + 55) / 2 = 47.5, printed 48
    assert sample["2022"][0] == "5" and sample["2022"][2] == "75"  # (80.83 + 70 + 80 + 66.25 + 80) / 5 = 75.42


def test_listings_say_which_editions_they_compare(network_site):
    built = site(network_site)
    area = read(built / "areas" / "aggregate" / "index.html").text
    # alpha 2020 and gamma 2021 answered the 2019 questionnaire, epsilon 2022 the 2016 one; beta and delta record none
    assert (
        "Their latest editions date from 2019 to 2022, and they answered different questionnaire versions "
        "(the 2016 questionnaire: 1; the 2019 questionnaire: 2; version not recorded: 2)" in area
    )
    listing = read(built / "results" / "index.html")
    table = next(t for t in listing.tables if t and t[0][:2] == ["City", "Country"])
    rows = {(r[0], r[2]): r for r in table[1:]}
    assert rows[("Epsilon", "2022")][3:6] == ["66 (computed)", "+3 since 2018", "2016"]
    assert rows[("Epsilon", "2018")][4] == "not comparable"
    assert rows[("Delta", "2021")][4:6] == ["not comparable", "not recorded"]
    html = (built / "results" / "index.html").read_text(encoding="utf-8")
    assert 'href="../cities/epsilon/2016/"' in html


def test_edition_pages_draw_and_read_in_a_browser(browser, tmp_path):
    from axe_playwright_python.sync_playwright import Axe
    from conftest import built_and_served
    from test_browser import drawn_charts

    project = network_project(tmp_path / "served")
    with built_and_served(project, tmp_path / "www") as (_, url):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        for path in ("cities/epsilon/", "cities/epsilon/2018/", "editions/"):
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            has_charts = page.locator("figure.icc-chart").count() > 0
            if has_charts:
                # the "Interactive chart" button sits above the chart, never on its marks
                page.wait_for_function("() => document.querySelectorAll('.icc-chart__explore').length > 0")
                overlaps = page.evaluate("""() => [...document.querySelectorAll('figure.icc-chart')].filter(f => {
                    const b = f.querySelector('.icc-chart__explore'), i = f.querySelector('img.icc-chart__static');
                    if (!b || !i || !b.getClientRects().length) return false;
                    return b.getBoundingClientRect().bottom > i.getBoundingClientRect().top + 0.5;
                }).map(f => f.id)""")
                assert overlaps == [], overlaps
            charts = {c["id"]: c for c in drawn_charts(page)} if has_charts else {}
            if path == "cities/epsilon/":
                # the chart across editions: a dot per edition and figure, 3 + 3 + 3 + 2 + 2 + 2 = 15
                history = charts["chart-history"]
                assert history["drawn"] and history["marks"] >= 15, history
            assert all(c["drawn"] for c in charts.values()), charts
            # (back at the top, once Material's back-to-top button has faded out: axe would
            # read its colour halfway through the fade)
            page.evaluate("window.scrollTo(0, 0)")
            page.wait_for_timeout(600)
            violations = Axe().run(page).response["violations"]
            serious = [
                (
                    v["id"],
                    [n["target"] for n in v["nodes"]][:3],
                    [n.get("failureSummary", "")[:300] for n in v["nodes"]][:2],
                )
                for v in violations
                if v["impact"] in ("serious", "critical")
            ]
            assert serious == [], path
        # on a phone, a wide table's caption wraps within the screen
        page.set_viewport_size({"width": 390, "height": 800})
        page.goto(url + "editions/")
        page.wait_for_load_state("networkidle")
        rights = page.evaluate("[...document.querySelectorAll('caption')].map(c => c.getBoundingClientRect().right)")
        assert rights and max(rights) <= 390, rights
        context.close()
        assert errors == []


def test_search_leads_to_the_city_page_not_to_each_edition(network_site):
    index = json.loads((site(network_site) / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "cities/epsilon/" in locations
    assert not [loc for loc in locations if loc.startswith("cities/epsilon/20")]
