"""The MkDocs plugin ``icc``: runs the pipeline inside every ``mkdocs build`` and ``mkdocs serve``.

It is deliberately thin. Before MkDocs reads the docs, it runs :func:`pipeline.run`
(stopping the build with the validation report if the data has errors, before anything
is written); it then hands MkDocs the generated files under clean addresses
(``content/generated/cities/ansan.md`` is served as ``cities/ansan/``), and under
``mkdocs serve`` it watches the city files, the index definition and the templates.

Configuration in ``mkdocs.yml`` (paths relative to the folder of ``mkdocs.yml``)::

    plugins:
      - icc:
          cities: cities
          definition: generator/definitions/2019.yaml
          templates: site_templates
          generated: content/generated
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from . import pipeline
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
    """Folder for reusable artefacts (the chart library bundle)."""


class IccPlugin(BasePlugin[IccConfig]):
    """Generates the results pages from the city data on every build."""

    def __init__(self) -> None:
        self.settings: pipeline.Settings | None = None
        self.prefix = ""
        self.generated_pages: set[str] = set()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        o = self.config
        self.settings = pipeline.Settings(
            definition=root / o.definition,
            cities=root / o.cities,
            templates=root / o.templates,
            output=root / o.generated,
            cache=root / o.cache,
        )
        docs = Path(config.docs_dir).resolve()
        try:
            self.prefix = self.settings.output.resolve().relative_to(docs).as_posix() + "/"
        except ValueError:
            raise PluginError(f"icc: 'generated' ({o.generated}) must be a folder inside docs_dir ({config.docs_dir})") from None
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        assert self.settings is not None
        try:
            result = pipeline.run(self.settings)
        except pipeline.BuildFailed as exc:
            raise PluginError(str(exc)) from None
        for problem in result.problems:
            # warnings do not stop a strict build: the pages state them next to the figures
            log.info("icc: " + problem.format())
        timings = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in result.timings.items())
        log.info(f"icc: generated {len(result.files)} files ({timings})")

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.settings is not None
        for file in list(files):
            if file.src_uri.startswith(self.prefix):
                files.remove(file)
        output = self.settings.output
        self.generated_pages: set[str] = set()
        for path in sorted(output.rglob("*")):
            if not path.is_file():
                continue
            src_uri = path.relative_to(output).as_posix()
            if src_uri.endswith(".md"):
                self.generated_pages.add(src_uri)
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                raise PluginError(f"icc: the generated page {src_uri} would replace {existing.abs_src_path}; rename one of them")
            files.append(File.generated(config, src_uri, abs_src_path=str(path)))
        return files

    def on_page_content(self, html: str, page, config: MkDocsConfig, files: Files) -> str:  # type: ignore[no-untyped-def]
        """Sanitise every generated page (data text ends up in it) before search indexes it."""
        if page.file.src_uri in self.generated_pages:
            return sanitize_html(html)
        return html

    def on_serve(self, server, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
        assert self.settings is not None
        for path in (self.settings.cities, self.settings.definition, self.settings.templates):
            server.watch(str(path))
        return server
