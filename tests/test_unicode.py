"""Cities named in Arabic and Cyrillic: ASCII addresses, marked languages, found by search, also under a sub-path."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES, built_and_served, copy_project

PREFIX = "icc"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("unicode"))
    for file in (FIXTURES / "unicode" / "cities").glob("*.yaml"):
        shutil.copy(file, project / "cities" / file.name)
    with built_and_served(project, tmp_path_factory.mktemp("served"), PREFIX) as served:
        yield served


def test_addresses_come_from_file_names_and_languages_are_marked(site):
    folder, _ = site
    sfax = (folder / "cities" / "sfax" / "index.html").read_text(encoding="utf-8")
    assert '<span class="icc-native" lang="ar">صفاقس</span>' in sfax
    kharkiv = (folder / "cities" / "kharkiv" / "index.html").read_text(encoding="utf-8")
    assert '<span class="icc-native" lang="uk">Харків</span>' in kharkiv


@pytest.mark.parametrize("query, city", [("صفاقس", "sfax"), ("Харків", "kharkiv"), ("Харк", "kharkiv")])
def test_search_under_a_sub_path_finds_the_native_name(site, browser, query, city):
    _, url = site
    page = browser.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.locator("input.md-search__input").first.click()
    page.keyboard.type(query)
    page.keyboard.press("End")
    page.wait_for_function("() => document.querySelector('.md-search-result__link') !== null", timeout=10000)
    first = page.locator(".md-search-result__link").first.get_attribute("href")
    page.goto(first)
    assert page.url.split("?")[0] == f"{url}cities/{city}/"
    page.close()
