"""Nothing is published half-built: a failed build leaves the previous site and generated pages untouched."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from conftest import copy_project, mkdocs_build
from generator.pages import COMPANIONS
from generator.pipeline import PackReader


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project's inputs, built once successfully."""
    target = copy_project(tmp_path_factory.mktemp("project"))
    assert build(target).returncode == 0
    return target


def build(folder: Path) -> subprocess.CompletedProcess:
    return mkdocs_build(folder)


def test_bad_data_stops_the_build_before_anything_is_written(project):
    site, generated = tree_digest(project / "site"), tree_digest(project / "content" / "generated")
    city = project / "cities" / "oslo.yaml"
    original = city.read_text(encoding="utf-8")
    try:
        city.write_text(original.replace("aggregate: 85", "aggregate: 850"), encoding="utf-8")
        result = build(project)
        assert result.returncode != 0
        assert "oslo.yaml" in result.stderr and "editions[0].scores.aggregate" in result.stderr
        assert "must be at most 100" in result.stderr
    finally:
        city.write_text(original, encoding="utf-8")
    assert tree_digest(project / "site") == site
    assert tree_digest(project / "content" / "generated") == generated
    assert not list(project.glob(".site.*"))


def test_a_strict_warning_after_writing_pages_leaves_the_old_site(project):
    site = tree_digest(project / "site")
    about = project / "content" / "about.md"
    original = about.read_text(encoding="utf-8")
    try:
        about.write_text(original + "\n[a broken link](no-such-page.md)\n", encoding="utf-8")
        result = build(project)
        assert result.returncode != 0
        assert "no-such-page.md" in result.stderr
    finally:
        about.write_text(original, encoding="utf-8")
    assert tree_digest(project / "site") == site
    assert not list(project.glob(".site.*"))


def test_a_good_build_replaces_the_site(project):
    city = project / "cities" / "oslo.yaml"
    original = city.read_text(encoding="utf-8")
    try:
        city.write_text(original.replace("aggregate: 85", "aggregate: 86"), encoding="utf-8")
        result = build(project)
        assert result.returncode == 0
        # (MkDocs names the folder the site ends up in, not the one the build writes into)
        assert f"Building documentation to directory: {project.resolve() / 'site'}\n" in result.stderr
        html = (project / "site" / "cities" / "oslo" / "index.html").read_text(encoding="utf-8")
        assert '<span class="icc-keyfigures__value">86</span>' in html
    finally:
        city.write_text(original, encoding="utf-8")


def test_a_removed_city_leaves_no_page_behind(project):
    city = project / "cities" / "rotterdam.yaml"
    original = city.read_text(encoding="utf-8")
    try:
        city.unlink()
        assert build(project).returncode == 0
        assert not (project / "site" / "cities" / "rotterdam").exists()
        generated = project / "content" / "generated"
        packs = PackReader(generated / COMPANIONS)
        assert packs.get("cities/rotterdam.md") is None
        assert packs.get("cities/oslo.md").startswith(b'{"meta":')
        packs.close()
        assert "Rotterdam" not in (project / "site" / "results" / "index.html").read_text(encoding="utf-8")
    finally:
        city.write_text(original, encoding="utf-8")


def test_non_latin_headings_get_readable_stable_anchors(project):
    about = project / "content" / "about.md"
    original = about.read_text(encoding="utf-8")
    try:
        about.write_text(original + "\n## Мелітополь: транспорт\n\n## 안산 교육\n\n[back](#мелітополь-транспорт)\n",
                         encoding="utf-8")
        assert build(project).returncode == 0  # strict: the in-page link resolves
        html = (project / "site" / "about" / "index.html").read_text(encoding="utf-8")
        assert 'id="мелітополь-транспорт"' in html and 'id="안산-교육"' in html
    finally:
        about.write_text(original, encoding="utf-8")


def test_links_hold_without_directory_urls(project, tmp_path):
    config = project / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    try:
        config.write_text(original + "\nuse_directory_urls: false\n", encoding="utf-8")
        result = build(project)
        assert result.returncode == 0, result.stderr
        html = (project / "site" / "cities" / "ansan.html").read_text(encoding="utf-8")
        assert 'href="../practices/bradford/schools-linking-network.html"' in html
    finally:
        config.write_text(original, encoding="utf-8")
        assert build(project).returncode == 0


def test_ctrl_c_during_a_swap_waits_until_the_new_folder_is_in_place(tmp_path, monkeypatch):
    # between the two renames of a swap the target is missing: an interrupt that comes
    # then is held until the new folder is in place
    import os
    import signal

    from generator import pipeline

    target, new = tmp_path / "site", tmp_path / "new"
    target.mkdir()
    (target / "index.html").write_text("old", encoding="utf-8")
    new.mkdir()
    (new / "index.html").write_text("new", encoding="utf-8")
    renames = []
    replace = os.replace

    def interrupted_replace(source, destination):
        renames.append(destination)
        replace(source, destination)
        if len(renames) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # (the target is out of the way now)

    monkeypatch.setattr(pipeline.os, "replace", interrupted_replace)
    with pytest.raises(KeyboardInterrupt):
        pipeline.swap_in(target, new)
    assert len(renames) == 2
    assert (target / "index.html").read_text(encoding="utf-8") == "new"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
