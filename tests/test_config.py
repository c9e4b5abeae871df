"""mkdocs.yml: the site's address comes from SITE_URL alone, so a build without it writes no
canonical link to a made-up address (MkDocs then links relatively and leaves the sitemap empty)."""

from __future__ import annotations

import pytest
from conftest import ROOT
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.utils.yaml import yaml_load


def configured_site_url(monkeypatch, env: str | None) -> str | None:
    """``site_url`` as MkDocs reads it from the repository's mkdocs.yml with ``SITE_URL`` = ``env``."""
    if env is None:
        monkeypatch.delenv("SITE_URL", raising=False)
    else:
        monkeypatch.setenv("SITE_URL", env)
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        raw = yaml_load(f)  # MkDocs' own loader: resolves !ENV
    return MkDocsConfig.site_url.validate(raw.get("site_url"))


def canonical_url(site_url: str | None) -> str | None:
    """The canonical address MkDocs gives a page (Material writes the link only when there is one)."""
    file = File("cities/ansan.md", "content", "site", use_directory_urls=True)
    config = {"site_url": site_url, "repo_url": None, "edit_uri": None, "edit_uri_template": None}
    return Page(None, file, config).canonical_url


@pytest.mark.parametrize("env", [None, ""])
def test_without_site_url_no_page_has_a_canonical_address(monkeypatch, env):
    site_url = configured_site_url(monkeypatch, env)
    assert not site_url
    assert canonical_url(site_url) is None


def test_site_url_from_the_environment_is_the_canonical_base(monkeypatch):
    site_url = configured_site_url(monkeypatch, "https://example.org/city-index")
    assert site_url == "https://example.org/city-index/"
    assert canonical_url(site_url) == "https://example.org/city-index/cities/ansan/"
