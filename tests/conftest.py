"""Shared fixtures: the hand-made network, and one real build of the site for the whole session."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(items):
    """Mark ``browser`` every test that needs Chromium, i.e. that asks for the ``browser``
    fixture, directly or through another (``page``): ``pytest -m "not browser"`` then runs
    the fast tests alone, and a new browser test cannot be left unmarked."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def network_dir() -> Path:
    """The tiny hand-made network: ``definition.yaml`` and ``cities/``."""
    return FIXTURES / "network"


@pytest.fixture(scope="session")
def network(network_dir):
    """The hand-made network, validated (``validate.Network``)."""
    from generator.load import load_inputs
    from generator.validate import validate

    checked = validate(load_inputs(network_dir / "definition.yaml", network_dir / "cities"))
    assert checked.network is not None, [p.format() for p in checked.problems]
    return checked.network


@pytest.fixture(scope="session")
def scores(network):
    """The hand-made network's scores, by city id (``score.score_network``)."""
    from generator.score import score_network

    return score_network(network.definition, network.cities)


@pytest.fixture(scope="session")
def _server(tmp_path_factory):
    """An HTTP server on localhost (random free port) for the folder the site is built into.

    The port is known before the build, so the site can be built for its own address:
    Material's instant navigation only takes over links whose address matches the
    sitemap, which is written from ``site_url``.
    """
    site = tmp_path_factory.mktemp("site")
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def built_site(_server) -> Path:
    """The real site, built once with ``mkdocs build --strict`` from the repository's data."""
    site, url = _server
    env = {**os.environ, "SITE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return site


@pytest.fixture(scope="session")
def site_url(built_site, _server) -> str:
    """Address of the built site, served over HTTP on localhost."""
    return _server[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium (no browser is downloaded)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, site_url):
    """A fresh page that records console errors and every request."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors, pg.requests = [], []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    context.close()


@pytest.fixture()
def copy_network(tmp_path, network_dir) -> Path:
    """A writable copy of the hand-made network."""
    target = tmp_path / "network"
    shutil.copytree(network_dir, target)
    return target


def copy_project(target: Path) -> Path:
    """Copy the project's inputs (config, data, templates, hand-written pages) into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    for folder in ("cities", "site_templates"):
        shutil.copytree(ROOT / folder, target / folder)
    shutil.copytree(ROOT / "content", target / "content", ignore=shutil.ignore_patterns("generated"))
    (target / "generator" / "definitions").mkdir(parents=True)
    shutil.copy(ROOT / "generator/definitions/2019.yaml", target / "generator/definitions/2019.yaml")
    if (ROOT / ".cache" / "icc").is_dir():  # (static charts drawn before, by content: a copy need not draw them again)
        shutil.copytree(ROOT / ".cache" / "icc", target / ".cache" / "icc")
    return target


def mkdocs_build(folder: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` in ``folder``."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


@contextlib.contextmanager
def built_and_served(project: Path, root: Path, prefix: str = ""):
    """Build ``project`` into ``root/prefix`` for the address it is served at, and serve ``root``.

    Yields ``(site folder, site address)``; the address ends with ``/``.
    """
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    path = f"{prefix}/" if prefix else ""
    url = f"http://127.0.0.1:{server.server_address[1]}/{path}"
    site = root / prefix if prefix else root
    result = mkdocs_build(project, "--site-dir", str(site), env={"SITE_URL": url})
    assert result.returncode == 0, result.stderr
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield site, url
    finally:
        server.shutdown()


def tree_digest(folder: Path) -> str:
    """A digest of every file's path and bytes under ``folder`` (equal digests: the same tree)."""
    import hashlib

    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def build_with_a_broken_link(project: Path) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` of ``project`` with a link to a missing page added to
    ``content/about.md`` (a warning found only after every page is written), which is
    restored afterwards."""
    about = project / "content" / "about.md"
    original = about.read_text(encoding="utf-8")
    try:
        about.write_text(original + "\n[a broken link](no-such-page.md)\n", encoding="utf-8")
        return mkdocs_build(project)
    finally:
        about.write_text(original, encoding="utf-8")
