"""The generated pages are ordinary MkDocs pages: other plugins and hooks see them whole.

A copy of the project (which has mkdocs-static-i18n: English and French) is built under
``--strict`` with mkdocs-minify-plugin and mkdocs-print-site-plugin added, and a hook that
records what it sees of Ansan's page in ``on_page_markdown`` and ``on_page_content``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import build_with_a_broken_link, copy_project, mkdocs_build, tree_digest

LATER_PLUGINS = """  - minify:
      minify_html: true
  - print-site
"""

HOOK = """import json
from pathlib import Path

seen = {}


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == "generated/cities/ansan.md" and not page.file.dest_uri.startswith("fr/"):
        seen["markdown"] = markdown
    return markdown


def on_page_content(html, page, config, files):
    if page.file.src_uri == "generated/cities/ansan.md" and not page.file.dest_uri.startswith("fr/"):
        seen["content"] = html
    return html


def on_post_build(config):
    Path(config.config_file_path).with_name("seen.json").write_text(json.dumps(seen), encoding="utf-8")
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The project with the three plugins and the hook, built once."""
    target = copy_project(tmp_path_factory.mktemp("ecosystem"))
    config = target / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("      generated: content/generated\n", "      generated: content/generated\n" + LATER_PLUGINS)
    # (the print page holds the pages of the navigation; the i18n plugin warns that its
    # language switcher cannot keep the page with instant navigation)
    text = text.replace(
        "  - About: about.md\n", "  - About: about.md\n  - Cities:\n      - Ansan: generated/cities/ansan.md\n"
    )
    text = text.replace("    - navigation.instant\n", "")
    assert text.count("i18n") and text.count("print-site") and text.count("Ansan")
    config.write_text(text + "\nhooks:\n  - hook.py\n", encoding="utf-8")
    (target / "hook.py").write_text(HOOK, encoding="utf-8")
    result = mkdocs_build(target)
    assert result.returncode == 0, result.stderr
    return target


def test_the_print_page_holds_ansan_s_figures(project):
    html = (project / "site" / "print_page" / "index.html").read_text(encoding="utf-8")
    # Ansan's aggregate (80) and commitment (58), as the 2020 report gives them
    assert (
        "<span class=icc-keyfigures__value>80</span>" in html or '<span class="icc-keyfigures__value">80</span>' in html
    )
    # (the print page is not per language: the last language built, French, writes it)
    assert ("On this site: " in html or "Sur ce site" in html) and 'id="chart-commitment"' in html.replace(
        "id=chart-commitment", 'id="chart-commitment"'
    )


def test_every_language_has_the_city_pages(project):
    for prefix in ("", "fr/"):
        html = (project / "site" / prefix / "cities" / "ansan" / "index.html").read_text(encoding="utf-8")
        assert "icc-keyfigures__value" in html
    assert (project / "site" / "fr" / "results" / "index.html").is_file()


def test_a_hook_sees_the_whole_page_in_both_events(project):
    seen = json.loads((project / "seen.json").read_text(encoding="utf-8"))
    markdown, content = seen["markdown"], seen["content"]
    # the Markdown: headings, narrative and the HTML blocks: 19 charts (the aggregate, the
    # overview of all figures, 17 more) and 17 data tables, as the page showed before
    assert markdown.startswith("# Ansan ") and "## Commitment {#commitment}" in markdown
    assert markdown.count('class="icc-chart"') == 19 and markdown.count('<details class="icc-data">') == 17
    # the converted page: the same blocks back in place, headings with their anchors
    assert content.count('class="icc-chart"') == 19 and content.count('<details class="icc-data">') == 17
    assert 'id="commitment"' in content and "data-icc-block" not in content


def test_a_failed_build_with_these_plugins_leaves_the_site_as_it_was(project):
    """The French part is written by a second build inside the first (mkdocs-static-i18n);
    a strict warning in it fails the command, and the whole previous site comes back."""
    before = tree_digest(project / "site")
    result = build_with_a_broken_link(project)
    assert result.returncode != 0 and "no-such-page.md" in result.stderr
    assert tree_digest(project / "site") == before
    assert not list(project.glob(".site.*"))


def test_a_heading_written_in_a_template_is_an_ordinary_heading(tmp_path):
    """In the table of contents, in search, and a link to it passes ``--strict``."""
    target = copy_project(tmp_path / "project")
    template = target / "site_templates" / "city.md.j2"
    template.write_text(
        template.read_text(encoding="utf-8") + "\n## Contact {{ anchor('contact') }}\n\nWrite to the city hall.\n",
        encoding="utf-8",
    )
    about = target / "content" / "about.md"
    about.write_text(
        about.read_text(encoding="utf-8") + "\n[Ansan's contact](generated/cities/ansan.md#contact)\n", encoding="utf-8"
    )
    result = mkdocs_build(target)
    assert result.returncode == 0, result.stderr
    html = (target / "site" / "cities" / "ansan" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="contact">Contact' in html
    assert 'href="#contact"' in html.split('data-md-component="toc"', 1)[1]  # (the table of contents)
    index = json.loads((target / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    entry = next(d for d in index["docs"] if d["location"] == "cities/ansan/#contact")
    assert entry["title"] == "Contact" and "Write to the city hall." in entry["text"]
    assert 'href="../cities/ansan/#contact"' in (target / "site" / "about" / "index.html").read_text(encoding="utf-8")
