"""The Jinja2 environment of ``site_templates/``, and the HTML blocks of a generated page.

Every template writes a Markdown page. Autoescaping is on: a value printed as it is comes
out HTML-escaped, and the Markdown filters (``md_text``, ``md_plain``, ``md_cell``,
``yaml_str``) escape for Markdown and mark their result safe, so nothing is escaped twice.

A template wraps the big pieces of HTML of a page (tables of figures, charts, answer
tables) in ``{% call block() %}…{% endcall %}``. They are written into the Markdown file
between :data:`BLOCK_START` and :data:`BLOCK_END` lines, so the file is the whole page, and
any Markdown converter shows it right. The ``icc`` MkDocs plugin sets them aside before
Python-Markdown converts the page (:func:`set_aside`, after every other plugin's
``on_page_markdown``) and puts them back in the converted HTML (:func:`put_back`, before
every other plugin's ``on_page_content``): Python-Markdown then parses the prose and
headings only, which is most of the time a page costs, and search leaves the blocks out.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import i18n, progress, text, views
from .model import AGGREGATE, LENS
from .paths import area_page, city_page
from .snippets import (
    band_filters,
    chart_figure,
    data_table,
    history_table,
    inline_markdown,
    markdown_html,
    practice_link,
)

#: The line before an HTML block in a generated Markdown page.
BLOCK_START = "<!-- icc:block -->"
#: The line after it.
BLOCK_END = "<!-- /icc:block -->"

_BLOCK = re.compile(re.escape(BLOCK_START) + r"\n(.*?)\n" + re.escape(BLOCK_END), re.S)
_PLACE = re.compile(r'<div data-icc-block="(\d+)"></div>')


def block(caller: Any) -> Markup:
    """The ``block`` global of the templates: the HTML its ``call`` block renders, between
    marker lines and blank lines (a raw HTML block in Markdown terms). Raises ``ValueError``
    if the HTML holds a marker line (it could not be told apart from the next block)."""
    inner = str(caller()).strip("\n")
    if BLOCK_START in inner or BLOCK_END in inner:
        raise ValueError("an HTML block holds a block marker")
    return Markup(f"\n\n{BLOCK_START}\n{inner}\n{BLOCK_END}\n\n")


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """The page's Markdown with each HTML block replaced by a placeholder (an empty ``div``
    that Python-Markdown passes through), and the blocks in order."""
    blocks: list[str] = []

    def place(match: re.Match[str]) -> str:
        blocks.append(match.group(1))
        return f'<div data-icc-block="{len(blocks) - 1}"></div>'

    return _BLOCK.sub(place, markdown), blocks


def put_back(content: str, blocks: list[str]) -> str:
    """The converted HTML with each placeholder replaced by its block, in a ``section``
    that search leaves out (``data-search-exclude``: the blocks are figures, not prose).
    (A ``section``, as blocks hold none: Material's search parser tells elements apart by
    their tag, and the first ``</div>`` inside a ``div`` would end its exclusion.)
    Raises ``ValueError`` if a block's placeholder is missing or repeated (a Markdown
    extension or plugin changed it)."""
    used: list[int] = []

    def fill(match: re.Match[str]) -> str:
        used.append(int(match.group(1)))
        return f'<section class="icc-block" data-search-exclude>\n{blocks[used[-1]]}\n</section>'

    out = _PLACE.sub(fill, content)
    if sorted(used) != list(range(len(blocks))):
        raise ValueError(f"{len(blocks)} HTML blocks were set aside, but {len(used)} placeholders came back")
    return out


def environment(templates: Path, directory_urls: bool = True, cache: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment of the page templates in ``templates``, with the text filters
    of :mod:`generator.text` and the HTML pieces of :mod:`generator.snippets`.

    ``directory_urls`` is MkDocs' ``use_directory_urls``: links written as HTML are made
    for it. With ``cache`` (a folder), compiled templates are kept there and reused while
    their source is unchanged (:func:`bytecode_cache`). Undefined names are errors
    (``jinja2.UndefinedError``, naming the template).
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=bytecode_cache(cache, Path(__file__).read_text(encoding="utf-8")) if cache is not None else None,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        finalize=_marked,
    )
    # (the messages are looked up in the language being written when a page is rendered)
    env.install_gettext_callables(i18n.translate, i18n.translate_plural, newstyle=True)  # type: ignore[attr-defined]
    env.policies["ext.i18n.trimmed"] = True  # (as the catalog's extraction reads them)
    env.filters.update(
        md_text=_safe(text.md_text),
        md_plain=_safe(text.md_plain),
        md_cell=_safe(text.md_cell),
        yaml_str=_safe(text.yaml_str),
        inline_md=inline_markdown,
        points=text.points,
        thousands=text.thousands,
        percent=text.percent,
        ordinal=text.ordinal,
        long_date=text.long_date,
        signed=views.signed,
        marked=_marked,
        change_cell=views.change_cell,
        version_label=progress.version_label,
        scope_text=views.scope_text,
        md_html=lambda value: Markup(markdown_html(text.md_text(value))),
        svg_file=lambda path: "svg/" + str(path).rsplit("/", 1)[-1],
    )
    env.globals.update(
        href=functools.partial(text.href, directory_urls=directory_urls),
        chart_figure=functools.partial(chart_figure, directory_urls=directory_urls),
        band_filters=band_filters,
        practice_link=functools.partial(practice_link, directory_urls=directory_urls),
        rel=_safe(text.rel),
        anchor=_safe(text.anchor),
        lang_attr=_safe(text.lang_attr),
        data_table=data_table,
        history_table=history_table,
        folded=text.folded,
        block=block,
        language=i18n.current,
        shows_english=views.shows_english,
        area_page=area_page,
        city_page=city_page,
        AGGREGATE=AGGREGATE,
        LENS=LENS,
    )
    return env


def _marked(value: Any) -> Any:
    """What a template prints, with data text in another language than the page's (an
    overview without French, on a French page) marked with its language for screen readers:
    ``<span lang="en">…</span>``, the text escaped. (The Markdown filters mark it themselves.)"""
    if not isinstance(value, i18n.Shown) or i18n.foreign(value) is None:
        return value
    return text.html_text(value)


def bytecode_cache(folder: Path, *made_by: str) -> jinja2.BytecodeCache:
    """Jinja2's cache of compiled templates, in a folder inside ``folder`` (made if
    missing): a template is compiled again when its source changes, or when what compiles
    it does. (Compiling the templates of a build, the theme's included, takes a few tenths
    of a second: much of a rebuild under ``mkdocs serve``.)

    Jinja2 checks only a template's source, but the compiled code also depends on the
    environment's options (``finalize``, the extensions, escaping): ``made_by`` names what
    sets them (versions, the source of the code that makes the environment), and each
    distinct ``made_by`` has a folder of its own, so a changed environment never runs
    templates compiled for an earlier one."""
    key = hashlib.sha256("\0".join((jinja2.__version__, *made_by)).encode("utf-8")).hexdigest()[:16]
    path = folder / key
    path.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(path))


def _safe(function: Any) -> Any:
    """``function`` with its result marked safe (it escapes what it writes itself)."""

    @functools.wraps(function)
    def wrapped(*args: Any, **kwargs: Any) -> Markup:
        return Markup(function(*args, **kwargs))

    return wrapped
