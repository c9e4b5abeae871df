"""The MkDocs plugin ``icc``: runs the pipeline in every ``mkdocs build`` and ``mkdocs serve``.

- ``on_pre_build``: run the pipeline (:func:`pipeline.run`), which writes the generated
  Markdown pages and data files into their folder in the docs folder
  (``content/generated/``). Bad data or a broken template stops the build here, before
  MkDocs touches the site folder.
- MkDocs finds the generated files there like hand-written ones; ``on_files`` only
  publishes them without the folder in their address (``generated/cities/ansan.md`` at
  ``cities/ansan/``) and adds the static chart images from the cache. MkDocs then reads,
  converts and writes the pages like hand-written ones, and every other plugin sees them
  through the usual events (mkdocs-static-i18n reads them from the docs folder too).
- ``on_page_markdown`` (last) and ``on_page_content`` (first): a generated page's HTML
  blocks (tables, charts) are set aside while Python-Markdown converts the page and put
  back at once (see :mod:`generator.templates`), so every other plugin sees whole pages.
- A failed build leaves the site as it was: the previous site folder is moved aside
  before MkDocs writes the new one, dropped when the command ends after a build that
  finished (in strict mode: with no warning, by MkDocs' own count) and put back when a
  build fails or is interrupted (:mod:`generator.output`). Not under ``mkdocs serve``,
  which builds into a folder of its own, nor with ``--dirty``.

Configuration in ``mkdocs.yml`` (paths relative to the folder of ``mkdocs.yml``)::

    plugins:
      - icc:
          cities: cities
          definition: generator/definitions/2019.yaml
          templates: site_templates
          generated: content/generated
          cache: .cache/icc
          static_charts: true
          static_charts_in_serve: false
          dossiers: false
"""

from __future__ import annotations

import logging
import re
from importlib.metadata import version
from pathlib import Path
from typing import Any

import jinja2  # (the theme's template environment, in on_env)
from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from . import i18n, output, pipeline, search
from .templates import bytecode_cache, put_back, set_aside
from .text import sanitize_html

log = logging.getLogger("mkdocs.plugins.icc")


def _theme_language(config: MkDocsConfig) -> str:
    """The language of the pages being built: the theme's (mkdocs-static-i18n sets it for
    each language's build), or the site's default one if the site does not have it."""
    language = config.theme.get("language") or i18n.DEFAULT
    return language if language in i18n.LANGUAGES else i18n.DEFAULT


class IccConfig(Config):
    """Options of the ``icc`` plugin (paths relative to the folder holding ``mkdocs.yml``)."""

    cities = c.Type(str, default="cities")
    """Folder of the city files, one ``<city id>.yaml`` per city."""
    definition = c.Type(str, default="generator/definitions/2019.yaml")
    """The index definition (areas, questions, bands) the data is scored with."""
    templates = c.Type(str, default="site_templates")
    """Folder of the Jinja2 templates of the generated pages."""
    generated = c.Type(str, default="content/generated")
    """Where the generated files are written: a folder inside ``docs_dir``, written by the plugin alone."""
    cache = c.Type(str, default=".cache/icc")
    """Folder for reusable artefacts (the chart library bundle, static chart images)."""
    static_charts = c.Type(bool, default=True)
    """Draw a static SVG of every chart (shown without JavaScript and in print)."""
    static_charts_in_serve = c.Type(bool, default=False)
    """Draw them under ``mkdocs serve`` too (off: a preview needs no fallback, and edits show sooner)."""
    dossiers = c.Type(bool, default=False)
    """Make a printable PDF of every edition (WeasyPrint; needs static charts; off by
    default, so that the editing loop stays fast: the deploy workflow turns it on)."""


class IccPlugin(BasePlugin[IccConfig]):
    """Generates the results pages from the city data on every build."""

    def __init__(self) -> None:
        self.command = "build"
        self.dirty = False
        self.settings: pipeline.Settings | None = None
        self.result: pipeline.Result | None = None
        self.inputs: object = None  # the state of the pipeline's inputs when it last ran
        self.not_found = ""  # the default language's "not found" page, as built
        self.blocks: dict[str, list[str]] = {}  # the page being converted: its HTML blocks
        self.site: Path | None = None  # the site folder whose previous contents are set aside
        self.finished = False  # whether the last build finished (in strict mode: with no warning)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty

    def _take_options(self, config: MkDocsConfig) -> MkDocsConfig:
        """Take the options, and the languages mkdocs-static-i18n builds (only the default
        without it)."""
        root = Path(config.config_file_path).resolve().parent
        o = self.config
        languages, names = _languages(config)
        if config.plugins.get("i18n") is not None:
            logging.getLogger("mkdocs.plugins.mkdocs_static_i18n.reconfigure").addFilter(_switcher_notice)
        if self.settings is not None:  # (a further language's build, within the same command)
            return config
        self.settings = pipeline.Settings(
            definition=root / o.definition,
            cities=root / o.cities,
            templates=root / o.templates,
            output=root / o.generated,
            cache=root / o.cache,
            static_charts=o.static_charts and (self.command != "serve" or o.static_charts_in_serve),
            directory_urls=config.use_directory_urls,
            dossiers=o.dossiers and o.static_charts and self.command != "serve",
            site_name=config.site_name,
            site_url=config.site_url or None,
            languages=languages,
            site_names=names,
        )
        docs = Path(config.docs_dir).resolve()
        if not self.settings.output.resolve().is_relative_to(docs) or self.settings.output.resolve() == docs:
            raise PluginError(f"icc: 'generated' ({o.generated}) must be a folder inside docs_dir ({config.docs_dir})")
        return config

    @event_priority(-110)  # after mkdocs-static-i18n has set the theme's language for this build
    def _in_language(self, config: MkDocsConfig) -> MkDocsConfig:
        """The title of headings' ¶ links, in the language of this build."""
        with i18n.use(_theme_language(config)):
            # Translators: the title (tooltip) of the ¶ link after every heading
            config.mdx_configs.setdefault("toc", {})["permalink_title"] = i18n._("Permanent link")
        return config

    on_config = CombinedEvent(_take_options, _in_language)

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Run the pipeline; then set the current site aside (see the module notes)."""
        assert self.settings is not None
        inputs = pipeline.input_state(self.settings)
        if self.result is not None and inputs == self.inputs:
            return  # (a further language's build: the pipeline wrote every language's pages)
        try:
            self.result = pipeline.run(self.settings)
            self.inputs = inputs
        except pipeline.BuildFailed as failed:
            raise PluginError(str(failed)) from None
        except (pipeline.RenderFailed, FileNotFoundError) as error:
            raise PluginError(f"icc: {error}") from None
        for problem in self.result.problems:
            # warnings do not stop a strict build: the pages state them next to the figures
            log.info("icc: " + problem.format())
        r = self.result
        steps = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in r.timings.items())
        log.info(
            f"icc: {len(r.files)} generated files, {r.written} written anew, "
            f"{r.drawn} static charts drawn anew"
            + (f", {r.dossiers} dossiers ({r.dossiers_made} made anew)" if r.dossiers else "")
            + f" ({steps})"
        )
        self.finished = False
        if self.command == "build" and not self.dirty and self.site is None:
            # (once per command: a plugin may build again within it, as mkdocs-static-i18n
            # does for each further language, into the same site folder)
            self.site = Path(config.site_dir).resolve()
            output.set_site_aside(self.site)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Publish every generated file without the generated folder in its address
        (``generated/results.md`` at ``results/``; its source stays where MkDocs found it,
        so every plugin can read it from the docs folder), and add the static chart images
        and the chart library from the cache."""
        assert self.result is not None and self.settings is not None
        docs = Path(config.docs_dir).resolve()
        prefix = self.settings.output.resolve().relative_to(docs).as_posix() + "/"
        taken = {f.dest_uri: f for f in files if not f.src_uri.startswith(prefix)}
        for file in [f for f in files if f.src_uri.startswith(prefix)]:
            files.remove(file)  # (what the run made is added below, and nothing else)
        for path, source in self.result.files.items():
            if source.is_relative_to(self.settings.output):
                dest = File(path, None, config.site_dir, config.use_directory_urls).dest_uri
                file = File(prefix + path, config.docs_dir, config.site_dir, config.use_directory_urls, dest_uri=dest)
                file.edit_uri = None
            else:
                file = File.generated(config, path, abs_src_path=str(source))
            if file.dest_uri in taken:
                raise PluginError(
                    f"icc: {taken[file.dest_uri].src_uri} in {config.docs_dir} would be published at the address "
                    f"of the generated file {prefix + path} ({file.dest_uri}); rename or remove it"
                )
            files.append(file)
        return files

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """Keep the theme's compiled templates in the cache too (a rebuild compiles none),
        and give the theme's overrides the words Material writes in English in every
        language (``icc_words``, used by the overrides in ``site_templates/theme/``: the footer
        and the "not found" page)."""
        if env.bytecode_cache is None and self.settings is not None:
            # (the theme's environment is made by MkDocs, with the theme's extensions)
            theme = config.theme.name or ""
            made_by = (version("mkdocs"), theme, version("mkdocs-material") if theme == "material" else "")
            env.bytecode_cache = bytecode_cache(self.settings.cache / "theme-templates", *made_by)
        language = _theme_language(config)
        with i18n.use(language):
            # Translators: the footer of every page, before the link "Material for MkDocs" (the theme's name)
            made_with = i18n._("Made with")
        words: dict[str, object] = {"made_with": made_with, **_not_found_words(language)}
        # (the default language's "not found" page is the one GitHub Pages serves for any
        # missing address, a French one too: it says so in each further language as well)
        others = self.settings.languages[1:] if language == i18n.DEFAULT and self.settings is not None else ()
        words["elsewhere"] = [{"lang": other, **_not_found_words(other)} for other in others]
        env.globals["icc_words"] = words
        env.filters["icc_without_language_homes"] = _without_language_homes
        return env

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

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """The "not found" page: the default language's stays at the site's root (where
        GitHub Pages serves it for any missing address); each further language's build,
        which writes the same file, puts its own in the language's folder instead."""
        if template_name != "404.html" or self.settings is None or len(self.settings.languages) < 2:
            return output_content
        language = _theme_language(config)
        if language == i18n.DEFAULT:
            self.not_found = output_content
            return output_content
        target = Path(config.site_dir) / i18n.site_prefix(language) / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output_content, encoding="utf-8")
        return self.not_found or output_content

    def _generated(self, page: Page) -> bool:
        """Whether the page is read from the generated folder (whatever address a plugin gave it)."""
        source = page.file.abs_src_path
        return source is not None and self.settings is not None and Path(source).is_relative_to(self.settings.output)

    @event_priority(-110)  # after mkdocs-static-i18n has written the search index of every language
    def on_post_build(self, config: MkDocsConfig) -> None:
        """Give each language its own search index; the build finished, unless strict mode
        is about to fail it."""
        assert self.settings is not None
        if len(self.settings.languages) > 1:
            search.split_by_language(Path(config.site_dir), self.settings.languages)
        self.finished = not _strict_warnings()

    def on_build_error(self, error: Exception) -> None:
        """A failed build (strict warnings included) leaves the previous site in place."""
        self._restore()

    def on_shutdown(self) -> None:
        """When the command ends: drop the previous site if the last build finished, else
        (an interrupted build: Ctrl-C) put it back."""
        if self.site is not None and self.finished:
            output.drop_previous_site(self.site)
            self.site = None
        self._restore()

    def _restore(self) -> None:
        self.blocks.clear()
        if self.site is not None:
            log.info(f"icc: the build did not finish; the previous site is back in {self.site}")
            output.restore_site(self.site)
            self.site = None

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when a city file, the index definition, a template or a catalog changes, and not
        when the build itself writes the generated folder: the docs folder is watched
        without it."""
        assert self.settings is not None
        for path in (self.settings.cities, self.settings.definition, self.settings.templates, i18n.LOCALE_DIR):
            server.watch(str(path))
        docs = Path(config.docs_dir).resolve()
        server.unwatch(str(docs))
        server.watch(str(docs), recursive=False)
        for child in docs.iterdir():
            if child.is_dir() and child.resolve() != self.settings.output.resolve():
                server.watch(str(child))
        return server


_LANGUAGE_HOME = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def _without_language_homes(head: str) -> Markup:
    """The theme's ``<head>`` meta block without its ``<link rel="alternate" hreflang>`` to
    each language (``site_templates/theme/main.html``). The theme links each language's
    home there, not this page in that language, and its script then fetches each
    language's site map to make its own switcher: one request and about 7 KB for every
    visit, for a switcher this site replaces (``partials/alternate.html``). Each page's
    ``hreflang`` alternates are in the site map, where search engines read them."""
    return Markup(_LANGUAGE_HOME.sub("", str(head)))


def _not_found_words(language: str) -> dict[str, str]:
    """The words of the "not found" page in ``language`` (from the site's catalog): its
    heading, its text, the name of the link to the language's home page and that page's
    address from the site's root (``""``, ``"fr/"``)."""
    with i18n.use(language):
        return {
            # Translators: the heading of the page shown for an address that leads to no page
            "not_found": i18n._("Page not found"),
            # Translators: the text of the page shown for an address that leads to no page
            "not_found_text": i18n._(
                "No page of this site is at this address. The search and the menu lead to every page."
            ),
            # Translators: on the "not found" page, a link to the site's home page in this catalog's language
            "home_link": i18n._("The site's home page in English"),
            "home": i18n.site_prefix(language),
        }


def _languages(config: MkDocsConfig) -> tuple[tuple[str, ...], dict[str, str]]:
    """The languages to write, the default first, and the site's name in each: those that
    mkdocs-static-i18n (the ``i18n`` plugin) builds, or the default language alone.
    Raises ``PluginError`` for a language the generator has no catalog for."""
    plugin = config.plugins.get("i18n")
    if plugin is None:
        return (i18n.DEFAULT,), {i18n.DEFAULT: config.site_name}
    built = {lang.locale: lang for lang in plugin.config.languages if lang.build}
    unknown = sorted(set(built) - set(i18n.LANGUAGES))
    if unknown:
        raise PluginError(
            f"icc: the i18n plugin builds {', '.join(unknown)}; the generator writes {', '.join(i18n.LANGUAGES)}"
        )
    if i18n.DEFAULT not in built or not built[i18n.DEFAULT].default:
        raise PluginError(f"icc: the i18n plugin's default language must be {i18n.DEFAULT} (the language of the data)")
    languages = tuple(lang for lang in i18n.LANGUAGES if lang in built)
    return languages, {lang: built[lang].site_name or config.site_name for lang in languages}


def _switcher_notice(record: logging.LogRecord) -> bool:
    """mkdocs-static-i18n warns that its language switcher's links to the same page in the
    other language go stale under Material's instant navigation (which keeps the header).
    The site's script sets them again on every page (``content/assets/javascripts/site.js``),
    so the notice is logged as information and does not fail a strict build."""
    if record.levelno == logging.WARNING and "not compatible with theme.features = navigation.instant" in str(
        record.msg
    ):
        record.levelno, record.levelname = logging.INFO, "INFO"
    return True


def _strict_warnings() -> int:
    """How many warnings MkDocs' own strict-mode counter holds (0 outside strict mode)."""
    handlers = logging.getLogger("mkdocs").handlers
    return sum(n for h in handlers if isinstance(h, CountHandler) for _, n in h.get_counts())
