"""The MkDocs plugin ``icc``: runs the pipeline in every ``mkdocs build`` and ``mkdocs serve``.

- ``on_pre_build``: run the pipeline (:func:`pipeline.run`), which writes the generated
  Markdown pages and data files into their folder (outside the docs folder). Bad data or
  a broken template stops the build here, before MkDocs touches the site folder.
- ``on_files``: hand every generated file to MkDocs as an ordinary file read from disk
  (as mkdocs-gen-files does), under its address in the site (``results.md``,
  ``cities/ansan.md``…). MkDocs then reads, converts and writes them like hand-written
  pages, and every other plugin sees them through the usual events.
- ``on_page_markdown`` (last) and ``on_page_content`` (first): a generated page's HTML
  blocks (tables, charts) are set aside while Python-Markdown converts the page and put
  back at once (see :mod:`generator.templates`), so every other plugin sees whole pages.
- A failed build leaves the site as it was: the previous site folder is moved aside
  before MkDocs writes the new one, dropped when the build succeeds (in strict mode: with
  no warning, by MkDocs' own count) and put back when it fails or is interrupted
  (:mod:`generator.output`). Not under ``mkdocs serve``, which builds into a folder of
  its own, nor with ``--dirty``.

Configuration in ``mkdocs.yml`` (paths relative to the folder of ``mkdocs.yml``)::

    plugins:
      - icc:
          cities: cities
          definition: generator/definitions/2019.yaml
          templates: site_templates
          generated: .cache/generated
          static_charts: true
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from . import output, pipeline
from .templates import put_back, set_aside
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
    generated = c.Type(str, default=".cache/generated")
    """Where the generated files are written: a folder outside ``docs_dir``."""
    cache = c.Type(str, default=".cache/icc")
    """Folder for reusable artefacts (the chart library bundle, static chart images)."""
    static_charts = c.Type(bool, default=True)
    """Draw a static SVG of every chart (shown without JavaScript and in print)."""
    static_charts_in_serve = c.Type(bool, default=False)
    """Draw them under ``mkdocs serve`` too (off: a preview needs no fallback, and edits show sooner)."""


class IccPlugin(BasePlugin[IccConfig]):
    """Generates the results pages from the city data on every build."""

    def __init__(self) -> None:
        self.command = "build"
        self.dirty = False
        self.settings: pipeline.Settings | None = None
        self.result: pipeline.Result | None = None
        self.blocks: dict[str, list[str]] = {}  # the page being converted: its HTML blocks
        self.site: Path | None = None  # the site folder whose previous contents are set aside

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty

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
        )
        if self.settings.output.resolve().is_relative_to(Path(config.docs_dir).resolve()):
            raise PluginError(f"icc: 'generated' ({o.generated}) must be outside docs_dir ({config.docs_dir}): "
                              "MkDocs would read the generated pages twice")
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Run the pipeline; then set the current site aside (see the module notes)."""
        assert self.settings is not None
        try:
            self.result = pipeline.run(self.settings)
        except pipeline.BuildFailed as failed:
            raise PluginError(str(failed)) from None
        except jinja2.TemplateError as error:
            raise PluginError(f"icc: {_template_error(error)}") from None
        except ValueError as error:
            raise PluginError(f"icc: {error}") from None
        for problem in self.result.problems:
            # warnings do not stop a strict build: the pages state them next to the figures
            log.info("icc: " + problem.format())
        r = self.result
        steps = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in r.timings.items())
        log.info(f"icc: {len(r.files)} generated files, {r.written} written anew, "
                 f"{r.drawn} static charts drawn anew ({steps})")
        if self.command == "build" and not self.dirty:
            self.site = Path(config.site_dir).resolve()
            output.set_site_aside(self.site)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add every generated file as an ordinary file of the site, read from disk."""
        assert self.result is not None
        for path, source in self.result.files.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                raise PluginError(f"icc: the generated file {path} would replace {existing.abs_src_path}; "
                                  "rename one of them")
            files.append(File.generated(config, path, abs_src_path=str(source)))
        return files

    @event_priority(-100)  # after every other plugin has seen the page's whole Markdown
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Set a generated page's HTML blocks aside while Python-Markdown converts it."""
        if not self._generated(page):
            return markdown
        markdown, self.blocks[page.file.src_uri] = set_aside(markdown)
        return markdown

    @event_priority(100)  # before every other plugin sees the page's HTML
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Put a generated page's HTML blocks back, in the converted page: its Markdown part
        (with the data's narrative) is sanitised first (``text.sanitize_html``); the blocks
        come from autoescaping templates."""
        blocks = self.blocks.pop(page.file.src_uri, None)
        if blocks is None:
            return html
        try:
            return put_back(sanitize_html(html), blocks)
        except ValueError as error:
            raise PluginError(f"icc: {page.file.src_uri}: {error}") from None

    def _generated(self, page: Page) -> bool:
        """Whether the page is read from the generated folder (whatever address a plugin gave it)."""
        source = page.file.abs_src_path
        return source is not None and self.settings is not None and Path(source).is_relative_to(self.settings.output)

    def on_post_build(self, config: MkDocsConfig) -> None:
        """The build succeeded unless strict mode is about to fail it: drop the previous site."""
        if self.site is not None and not _strict_warnings():
            output.drop_previous_site(self.site)
            self.site = None

    def on_build_error(self, error: Exception) -> None:
        """A failed build (strict warnings included) leaves the previous site in place."""
        self._restore()

    def on_shutdown(self) -> None:
        """An interrupted build (Ctrl-C) leaves the previous site in place."""
        self._restore()

    def _restore(self) -> None:
        self.blocks.clear()
        if self.site is not None:
            log.info(f"icc: the build did not finish; the previous site is back in {self.site}")
            output.restore_site(self.site)
            self.site = None

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when a city file, the index definition or a template changes."""
        assert self.settings is not None
        for path in (self.settings.cities, self.settings.definition, self.settings.templates):
            server.watch(str(path))
        return server


def _strict_warnings() -> int:
    """How many warnings MkDocs' own strict-mode counter holds (0 outside strict mode)."""
    handlers = logging.getLogger("mkdocs").handlers
    return sum(n for h in handlers if isinstance(h, CountHandler) for _, n in h.get_counts())


def _template_error(error: jinja2.TemplateError) -> str:
    """A template error as one line naming the template and line, where Jinja2 knows them."""
    import traceback

    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")]
    where = f"{Path(frames[-1].filename).name}, line {frames[-1].lineno}: " if frames else ""
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = f"{error.name or error.filename}, line {error.lineno}: "
    return f"template {where}{type(error).__name__}: {error}"
