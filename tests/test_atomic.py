"""Nothing is published half-built: a failed or interrupted build leaves the previous site as it was.

The mechanism (``generator.output``): the plugin moves the site folder aside before MkDocs
writes the new one, drops it when the build succeeds and puts it back when the build fails.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import build_with_a_broken_link, copy_project, mkdocs_build, tree_digest

from generator import output


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
        assert "Cleaning site directory" not in result.stderr  # (MkDocs never got that far)
    finally:
        city.write_text(original, encoding="utf-8")
    assert tree_digest(project / "site") == site
    assert tree_digest(project / "content" / "generated") == generated
    assert not list(project.glob(".site.*"))


def test_a_strict_warning_after_writing_pages_leaves_the_old_site(project):
    site = tree_digest(project / "site")
    result = build_with_a_broken_link(project)
    assert result.returncode != 0
    assert "no-such-page.md" in result.stderr
    assert "the previous site is back" in result.stderr
    assert tree_digest(project / "site") == site
    assert not list(project.glob(".site.*"))


def test_a_good_build_replaces_the_site(project):
    city = project / "cities" / "oslo.yaml"
    original = city.read_text(encoding="utf-8")
    try:
        city.write_text(original.replace("aggregate: 85", "aggregate: 86"), encoding="utf-8")
        result = build(project)
        assert result.returncode == 0
        assert f"Building documentation to directory: {project.resolve() / 'site'}\n" in result.stderr
        html = (project / "site" / "cities" / "oslo" / "index.html").read_text(encoding="utf-8")
        assert '<span class="icc-keyfigures__value">86</span>' in html
        page = (project / "content" / "generated" / "cities" / "oslo.md").read_text(encoding="utf-8")
        assert '<span class="icc-keyfigures__value">86</span>' in page  # (the generated page is a file to open)
    finally:
        city.write_text(original, encoding="utf-8")
    assert not list(project.glob(".site.*"))


def test_a_removed_city_leaves_no_page_behind(project):
    city = project / "cities" / "rotterdam.yaml"
    original = city.read_text(encoding="utf-8")
    try:
        city.unlink()
        assert build(project).returncode == 0
        assert not (project / "site" / "cities" / "rotterdam").exists()
        generated = project / "content" / "generated"
        assert not (generated / "cities" / "rotterdam.md").exists()
        assert not (generated / "data" / "cities" / "rotterdam.json").exists()
        assert (generated / "cities" / "oslo.md").read_text(encoding="utf-8").startswith("---\ntitle: ")
        assert "Rotterdam" not in (project / "site" / "results" / "index.html").read_text(encoding="utf-8")
    finally:
        city.write_text(original, encoding="utf-8")


def test_non_latin_headings_get_readable_stable_anchors(project):
    about = project / "content" / "about.md"
    original = about.read_text(encoding="utf-8")
    try:
        about.write_text(
            original + "\n## Мелітополь: транспорт\n\n## 안산 교육\n\n[back](#мелітополь-транспорт)\n", encoding="utf-8"
        )
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


def test_a_build_interrupted_with_ctrl_c_leaves_the_old_site(project):
    """SIGINT while MkDocs writes pages (the pages are slowed down by a hook): MkDocs' own
    ``finally`` runs the plugins' ``on_shutdown``, which puts the previous site back."""
    assert build(project).returncode == 0
    site = tree_digest(project / "site")
    config = project / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    (project / "slow.py").write_text(
        "import time\n"
        "def on_page_context(context, page, config, nav):\n"
        "    print('writing', page.file.src_uri, flush=True)\n"
        "    time.sleep(0.05)\n"
        "    return context\n",
        encoding="utf-8",
    )
    try:
        config.write_text(original + "\nhooks:\n  - slow.py\n", encoding="utf-8")
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # Ctrl-C as in a terminal, even when the tests run in the background (where a
            # shell starts commands with SIGINT ignored, and Python then keeps ignoring it)
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("writing"):
                break
        assert not (project / "site" / "index.html").exists() or tree_digest(project / "site") != site
        process.send_signal(signal.SIGINT)
        rest = process.communicate(timeout=60)[0]
        assert process.returncode != 0
        assert "the previous site is back" in rest
    finally:
        config.write_text(original, encoding="utf-8")
        (project / "slow.py").unlink()
    assert tree_digest(project / "site") == site
    assert not list(project.glob(".site.*"))


def test_a_killed_build_s_site_is_put_back_by_the_next_build(tmp_path):
    """SIGKILL runs no code: the previous site stays beside the site folder, and the next
    build (here one that fails on bad data) puts it back before anything else."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the published site", encoding="utf-8")
    output.set_site_aside(site)
    site.mkdir()
    (site / "half.html").write_text("half a build", encoding="utf-8")  # (then the build was killed)
    output.set_site_aside(site)  # the next build
    assert (tmp_path / ".site.previous" / "index.html").read_text(encoding="utf-8") == "the published site"
    assert not site.exists()
    output.restore_site(site)  # it fails
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert not (tmp_path / ".site.previous").exists()


def test_a_first_build_that_fails_leaves_no_site(tmp_path):
    site = tmp_path / "site"
    output.set_site_aside(site)
    site.mkdir()
    (site / "half.html").write_text("half a build", encoding="utf-8")
    output.restore_site(site)
    assert list(site.iterdir()) == []


def test_a_broken_template_names_its_line_and_changes_nothing(project):
    site, generated = tree_digest(project / "site"), tree_digest(project / "content" / "generated")
    template = project / "site_templates" / "city.md.j2"
    original = template.read_text(encoding="utf-8")
    lines = original.split("\n")
    line = next(i for i, text in enumerate(lines) if text.startswith('## {{ _("Overview") }}')) + 1
    try:
        template.write_text("\n".join([*lines[: line - 1], "{{ no_such_name }}", *lines[line:]]), encoding="utf-8")
        result = build(project)
        assert result.returncode != 0
        assert f"icc: template city.md.j2, line {line}: UndefinedError: 'no_such_name' is undefined" in result.stderr
        assert "Traceback" not in result.stderr
        cli = subprocess.run(
            [sys.executable, "-m", "generator.cli", "generate"], cwd=project, capture_output=True, text=True
        )
        assert cli.returncode == 1 and cli.stderr.startswith(f"icc: template city.md.j2, line {line}: ")
    finally:
        template.write_text(original, encoding="utf-8")
    assert tree_digest(project / "site") == site
    assert tree_digest(project / "content" / "generated") == generated  # (every page is rendered before any is written)


def test_a_hand_written_page_at_a_generated_address_is_an_error_naming_both(project):
    clash = project / "content" / "results.md"
    try:
        clash.write_text("# Results\n", encoding="utf-8")
        result = build(project)
        assert result.returncode != 0
        assert "icc: results.md in " in result.stderr
        assert "would be published at the address of the generated file generated/results.md (results/index.html)" in (
            result.stderr
        )
    finally:
        clash.unlink()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the charts are drawn without a pool")
def test_a_killed_build_leaves_no_chart_drawing_process_behind(tmp_path):
    """SIGKILL while the static charts are drawn (an empty cache: the real data's 52 charts
    go to a process pool): the drawing processes and the pool's resource tracker end too."""
    import shutil

    target = copy_project(tmp_path / "project")
    shutil.rmtree(target / ".cache", ignore_errors=True)

    def children(pid: int) -> set[int]:
        found: set[int] = set()
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found |= {int(c) for c in handle.read().split()}
        return found

    build_process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=target,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    kids: set[int] = set()
    while len(kids) < 3 and time.monotonic() < deadline:  # the resource tracker and two drawing processes
        kids = children(build_process.pid) if build_process.poll() is None else kids
        time.sleep(0.05)
    assert len(kids) >= 3, "the build never started its drawing processes"
    os.kill(build_process.pid, signal.SIGKILL)
    build_process.wait()
    deadline = time.monotonic() + 30
    while any(os.path.exists(f"/proc/{k}") for k in kids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [k for k in kids if os.path.exists(f"/proc/{k}")] == []
