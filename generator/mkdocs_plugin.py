"""The MkDocs plugin ``icc``: runs the pipeline inside every ``mkdocs build`` and ``mkdocs serve``.

It is deliberately thin. Before MkDocs reads the docs, it starts the pipeline
(:class:`pipeline.Started`; the build stops with the validation report if the data has
errors, before anything is written); it then hands MkDocs the generated files under
clean addresses (``content/generated/results.md`` is served as ``results/``). Every
generated page is given its contents from its record in a pack (``pipeline.Pack``) only
when MkDocs writes it: a city or practice page (``cities/ansan/``, which has no Markdown
source) its converted outline (``pages.Outline``), a listing, area, home or methodology
page its Markdown, which MkDocs converts then; and its HTML blocks once the theme has
rendered it. Under ``mkdocs serve`` it watches the city files, the index definition and
the templates.

In a large network (``pages.PARALLEL_FROM`` cities or more, several cores, static chart
images off) the pipeline runs in a process of its own: MkDocs starts once it knows the
name of every file, and the pipeline renders the pages while MkDocs builds the rest
(MkDocs builds them last, and waits for one only if it is not written yet), then makes
the open data, which the plugin links into the site when the build ends.

Nothing is published half-built: the pipeline writes into a folder beside the generated
folder and MkDocs into one beside ``site_dir``; both replace the real ones only when the
build finished without an error (and, in strict mode, without a warning). A failed build
leaves the previous generated pages and site as they were.

Configuration in ``mkdocs.yml`` (paths relative to the folder of ``mkdocs.yml``)::

    plugins:
      - icc:
          cities: cities
          definition: generator/definitions/2019.yaml
          templates: site_templates
          generated: content/generated
          static_charts: true     # a static SVG of every chart (cached)
          workers: 0              # rendering processes in large networks (0: one per core)
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import re
import shutil
import time
import types
from pathlib import Path
from typing import Any, Callable

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import get_data

from . import pipeline
from .pages import unpack_blocks
from .text import sanitize_html

log = logging.getLogger("mkdocs.plugins.icc")


class IccConfig(Config):
    """Options of the ``icc`` plugin (paths relative to the folder holding ``mkdocs.yml``)."""

    cities = c.Type(str, default="cities")
    """Folder of the city files, one ``<city id>.yaml`` per city."""
    definition = c.Type(str, default="generator/definitions/2019.yaml")
    """The index definition (areas, questions, bands) the data is scored with."""
    templates = c.Type(str, default="site_templates")
    """Folder of the Jinja2 templates of the generated pages."""
    generated = c.Type(str, default="content/generated")
    """Where generated files are written; must be inside ``docs_dir`` and ignored by git."""
    cache = c.Type(str, default=".cache/icc")
    """Folder for reusable artefacts (the chart library bundle, static chart renders)."""
    static_charts = c.Type(bool, default=True)
    """Render a static SVG of every chart (shown without JavaScript and in print)."""
    workers = c.Type(int, default=0)
    """Processes that render city and practice pages in large networks (0: one per core).
    Under ``mkdocs serve`` one, always."""
    static_charts_in_serve = c.Type(bool, default=False)
    """Render them under ``mkdocs serve`` too (off: a preview needs no fallback, and edits show sooner)."""


class IccPlugin(BasePlugin[IccConfig]):
    """Generates the results pages from the city data on every build."""

    def __init__(self) -> None:
        self.settings: pipeline.Settings | None = None
        self.prefix = ""
        self.generated_pages: set[str] = set()
        self.blocks: list[str] = []  # the HTML blocks of the page being written
        self.files: Files | None = None  # every file of the site, for the links of pages converted late
        self.site_dir: Path | None = None
        self.staging: Path | None = None
        self.claim: pipeline.Claim | None = None  # (holds self.staging: see _stage)
        self.warnings: _Counter | None = None
        self.site_name: _Renamed | None = None  # (see _stage)
        self.run: pipeline.Started | None = None
        self.logged = False  # whether the run's findings are logged
        self.late_files: list[tuple[str, str]] = []  # generated files published at the end: (source, destination)
        self.command = "build"

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        o = self.config
        self.settings = pipeline.Settings(
            definition=root / o.definition,
            cities=root / o.cities,
            templates=root / o.templates,
            output=root / o.generated,
            cache=root / o.cache,
            static_charts=o.static_charts and (self.command != "serve" or o.static_charts_in_serve),
            directory_urls=config.use_directory_urls,
            # under `mkdocs serve` the server's threads run beside the build: no forking then
            workers=1 if self.command == "serve" else (o.workers or os.cpu_count() or 1),
        )
        self._stage(config)
        docs = Path(config.docs_dir).resolve()
        try:
            self.prefix = self.settings.output.resolve().relative_to(docs).as_posix() + "/"
        except ValueError:
            raise PluginError(f"icc: 'generated' ({o.generated}) must be a folder inside docs_dir ({config.docs_dir})") from None
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Start the pipeline into a new generated folder, which is swapped in when the build
        ends. (In a large network it runs in a process of its own while MkDocs gathers the
        docs folder's files, and :meth:`on_files` waits for it.)"""
        assert self.settings is not None
        self._abort_run()
        self.logged = False
        try:
            self.run = pipeline.Started.begin(self.settings, background=self.settings.workers > 1)
        except pipeline.BuildFailed as exc:
            raise PluginError(str(exc)) from None

    def _wait_for_run(self, step: Callable[[], Any]) -> Any:
        """``step()`` (a wait for the started run), its failures made MkDocs' errors."""
        try:
            return step()
        except pipeline.BuildFailed as exc:
            self.run = None  # (its files are dropped already)
            raise PluginError(str(exc)) from None
        except RuntimeError as error:
            self.run = None
            raise PluginError(f"icc: the pipeline failed: {error}") from None

    def _wait_until_ready(self) -> None:
        """Wait until the started run has made what the pages need, and log its findings
        (once: before the first generated page is built)."""
        assert self.run is not None
        if self.logged:
            return
        result = self._wait_for_run(self.run.ready)
        self.logged = True
        for problem in result.problems:
            # warnings do not stop a strict build: the pages state them next to the figures
            log.info("icc: " + problem.format())

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.settings is not None
        for file in list(files):
            if file.src_uri.startswith(self.prefix):
                files.remove(file)
        assert self.run is not None
        self._wait_for_run(self.run.names)
        output = self.run.out.staging  # the new generated folder, swapped in when the build ends
        self.generated_pages: set[str] = set()
        pages = []
        # the files written so far, and the pages still being written in the background
        # (some may still be on their way to disk, or still to be made: see on_env)
        found = set(self.run.out.hashes) | set(self.run.coming)
        for src_uri in sorted(found | self.run.outlined | set(self.run.listing)):
            path = output / src_uri
            if src_uri.startswith("."):  # the pages' packs: read while a page is built, never published
                continue
            if src_uri.endswith(".md"):
                self.generated_pages.add(src_uri)
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                raise PluginError(f"icc: the generated page {src_uri} would replace {existing.abs_src_path}; rename one of them")
            if src_uri.endswith(".md"):  # its contents come from its record when it is built
                file = File.generated(config, src_uri, content="")
            else:
                file = File.generated(config, src_uri, abs_src_path=str(path))
            (pages if src_uri.endswith(".md") else files).append(file)
        # The generated pages are built last, in this order: practice pages (quick to render,
        # so MkDocs can build them while a large network's pipeline renders the rest), the
        # Markdown pages, city pages. The order is the same either way, so the search index
        # and sitemap do not depend on it.
        outlined = self.run.outlined
        for file in sorted(pages, key=lambda f: (0 if f.src_uri.startswith("practices/") and f.src_uri in outlined
                                                  else 2 if f.src_uri in outlined else 1, f.src_uri)):
            files.append(file)
        return files

    def on_env(self, env, *, config: MkDocsConfig, files: Files):  # type: ignore[no-untyped-def]
        """Before MkDocs copies the static files: take out the generated ones the pipeline
        is still to make (a large network's data files, made last while MkDocs builds the
        pages): MkDocs has checked the links to them already, and :meth:`on_post_build`
        publishes them. (Every other generated file is on disk by now.)"""
        self.late_files = []
        # (the Markdown pages converted when they are built resolve their links against every file)
        self.files = Files(list(files))
        if self.run is not None:
            for src_uri in self.run.coming:
                file = files.get_file_from_path(src_uri)
                if file is not None and not file.is_documentation_page():
                    files.remove(file)
                    self.late_files.append((src_uri, file.dest_uri))
        return env

    def on_pre_page(self, page, *, config: MkDocsConfig, files: Files):  # type: ignore[no-untyped-def]
        """A generated page is not converted while MkDocs reads the docs: its ``render``
        does nothing, and the page is given its contents when it is written."""
        if page.file.src_uri in self.generated_pages:
            page.render = types.MethodType(_render_later, page)
        return page

    @event_priority(100)  # before the search plugin indexes the page
    def on_page_context(self, context, *, page, config: MkDocsConfig, nav):  # type: ignore[no-untyped-def]
        """Give a generated page its contents, from its record in a pack (waiting for it
        if a background process is still rendering the page).

        A city or practice page (written through ``pages.Outline``) gets its outline as the
        pipeline converted it (headings, narrative, block places) with its table of contents
        and front matter. A Markdown page (listing, area, home, methodology) is converted
        here, by MkDocs' own ``Page.render`` with the site's Markdown extensions and link
        checks, and sanitised (data text ends up in it). Only the page being written is
        held in memory. Theme, search and the plugin events around it are MkDocs' own.
        """
        src_uri = page.file.src_uri
        if self.run is None or src_uri not in self.generated_pages:
            return context
        self._wait_until_ready()
        try:
            head, blocks = self.run.record(src_uri).split(b"\n", 1)
        except RuntimeError as error:
            raise PluginError(f"icc: rendering the page {page.url or 'index'} failed: {error}") from None
        self.blocks = unpack_blocks(blocks)
        if src_uri in self.run.outlined:
            outline = json.loads(head)
            page.meta = outline["meta"]
            page.content = outline["content"]
            page.toc = get_toc(outline["toc"])
            page.present_anchor_ids = set(outline["ids"])
        else:
            page.markdown, page.meta = get_data(json.loads(head))
            Page.render(page, config, self.files)
            page.content = sanitize_html(page.content)
        return context

    def on_post_page(self, output: str, *, page, config: MkDocsConfig) -> str:  # type: ignore[no-untyped-def]
        """Put each deferred block (tables of figures, charts) in its place in the finished page.

        This runs after the search index has taken the page's text, so the index holds the
        prose and headings of a page rather than its table cells; and the blocks are read
        from the page's record one page at a time, so MkDocs never holds them all.
        """
        if page.file.src_uri not in self.generated_pages:
            return output
        blocks, self.blocks = self.blocks, []
        # written: no other page reads its text or contents, and ten thousand of them add up
        # (its anchors stay, for MkDocs to check the links to them)
        page.content, page.toc = "", _NO_TOC
        return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1) or m.group(2))], output)

    def _stage(self, config: MkDocsConfig) -> None:
        """Point MkDocs at a fresh staging folder beside the real site folder."""
        self._drop_staging()
        # a build interrupted (Ctrl-C: MkDocs calls no plugin then) leaves nothing behind
        atexit.unregister(self._interrupted)
        atexit.register(self._interrupted)
        _exit_on_terminate()
        self.site_dir = Path(config.site_dir).resolve()
        self.site_dir.parent.mkdir(parents=True, exist_ok=True)
        # (a staging folder a killed build left behind is removed here)
        self.claim = pipeline.Claim(self.site_dir, "staging")
        self.staging = self.claim.path
        config.site_dir = str(self.staging)
        # MkDocs says where it builds: the site folder, where the build ends up, is meant
        builder = logging.getLogger("mkdocs.commands.build")
        if self.site_name is not None:
            builder.removeFilter(self.site_name)
        self.site_name = _Renamed(str(self.staging), str(self.site_dir))
        builder.addFilter(self.site_name)
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
        self.warnings = _Counter() if config.strict else None
        if self.warnings is not None:
            logging.getLogger("mkdocs").addHandler(self.warnings)

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Swap the new generated folder and the finished site in, unless strict mode is
        about to fail the build."""
        assert self.staging is not None and self.site_dir is not None and self.run is not None
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
            if self.warnings.count:
                log.info(f"icc: {self.site_dir} left unchanged: the build has warnings in strict mode")
                self._abort_run()
                self._drop_staging()
                config.site_dir = str(self.site_dir)
                return
        self._wait_until_ready()
        run, self.run = self.run, None
        try:
            result = run.finish()
        except RuntimeError as error:
            self._drop_staging()
            raise PluginError(f"icc: rendering the city pages failed: {error}") from None
        t = time.perf_counter()
        _publish(self.settings.output, self.late_files, self.staging)
        result.timings["publish"] = time.perf_counter() - t
        self.late_files = []
        # the time MkDocs' own work waited for ours, or that ours took in its process
        waits = ("waited for the pipeline", "waited for pages", "write", "publish")
        steps = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in result.timings.items() if k not in waits)
        log.info(f"icc: generated {result.files} files, {result.svgs_rendered} charts rendered anew ({steps})")
        held = ", ".join(f"{k} {result.timings[k] * 1000:.0f} ms" for k in waits if k in result.timings)
        log.info(f"icc: finished ({held})")
        pipeline.swap_in(self.site_dir, self.staging)
        self.staging = None
        assert self.claim is not None
        self.claim.release()
        config.site_dir = str(self.site_dir)

    def on_build_error(self, error: Exception) -> None:
        """A failed build publishes nothing: the staging folders are removed."""
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
        self._abort_run()
        self._drop_staging()

    def _abort_run(self) -> None:
        if self.run is not None:
            self.run.abort()
            self.run = None

    def _drop_staging(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        if self.claim is not None:
            self.claim.release()

    def _interrupted(self) -> None:
        """On the way out of a process whose build did not end: stop the pipeline, drop
        the new files. (After a build that ended, there is nothing left to drop.)"""
        self._abort_run()
        self._drop_staging()

    def on_serve(self, server, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
        """Watch the data and templates; watch the docs folder without the generated part.

        Otherwise writing the generated pages would itself count as a change and every
        edit would be built twice.
        """
        assert self.settings is not None
        for path in (self.settings.cities, self.settings.definition, self.settings.templates):
            server.watch(str(path))
        docs = Path(config.docs_dir).resolve()
        output = self.settings.output.resolve()
        server.unwatch(str(docs))
        server.watch(str(docs), recursive=False)
        for child in docs.iterdir():
            if child.is_dir() and child.resolve() != output and not child.name.startswith("."):
                server.watch(str(child))
        return server


def _render_later(page, config: MkDocsConfig, files: Files) -> None:  # type: ignore[no-untyped-def]
    """A ``Page.render`` for a generated page: its contents are given to it when it is
    written (``IccPlugin.on_page_context``)."""
    page.content = ""
    page.toc = get_toc([])
    page.present_anchor_ids = set()
    page.links_to_anchors = {}


def _exit_on_terminate() -> None:
    """Make SIGTERM (what ``kill`` and CI runners send) end the process as Ctrl-C does, by
    raising ``SystemExit``: the way out then runs the plugin's cleanup (``atexit``), which
    stops the pipeline and removes the staging folders. Only where SIGTERM still has its
    default meaning, and only from the main thread (where Python handles signals)."""
    import signal
    import sys
    import threading

    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))


def _publish(source: Path, files: list[tuple[str, str]], site: Path) -> None:
    """Put each file (path in ``source``, path in ``site``) into the site: a hard link (the
    same bytes, nothing copied) where the file system allows one, else a copy. Raises
    ``OSError`` if a file cannot be read or written."""
    folders: set[Path] = set()
    for src_uri, dest_uri in files:
        target = site / dest_uri
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        try:
            os.link(source / src_uri, target)
        except OSError:
            shutil.copyfile(source / src_uri, target)


_NO_TOC = get_toc([])

_PLACEHOLDER = re.compile(r'<div class="icc-block" data-block="(\d+)"></div>|<!--icc-block:(\d+)-->')


class _Renamed(logging.Filter):
    """Writes one path for another in the messages of a logger (the site folder for the
    staging folder the build writes into)."""

    def __init__(self, old: str, new: str):
        super().__init__()
        self.old, self.new = old, new

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and self.old in record.msg:
            record.msg = record.msg.replace(self.old, self.new)
        return True


class _Counter(logging.Handler):
    """Counts the warnings MkDocs logs during one build (strict mode turns them into failure)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
