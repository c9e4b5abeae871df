"""Languages: every sentence the generator writes, in English and French, and numbers and
dates written the way each language writes them.

The site is built once per language (:data:`LANGUAGES`; English is the default and the
language of the code). Sentences are marked where they are written: in Python with
:func:`_` and :func:`ngettext`, in the templates with Jinja2's i18n extension
(``{{ _("…") }}``). Each other language has a gettext catalog,
``generator/locale/<lang>/LC_MESSAGES/messages.po``, kept with Babel (``pybabel extract``
and ``pybabel update``; the README gives the commands) and read here without a compiled
``.mo`` file. A message with no translation is shown in English; ``icc validate`` warns
about it (:func:`catalog_problems`). Nothing is machine-translated.

Placeholders are named, in the ``%(name)s`` style both Python and Jinja2's "new style"
gettext use: ``_("%(label)s: %(points)s points", label=…, points=…)``. The message is
always formatted, so a literal percent sign is written ``%%``.

Text from the data (a city's overview, a report's narrative) is translated by hand in the
data file itself: a record's ``fr`` mapping holds the French of its text fields
(``model.Translatable.localised``). Where it has none, the English is shown, marked with
its language (:class:`Shown`).

The language being written is a context variable, set with :func:`use` around the
rendering of a language's pages.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import functools
import gettext
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

#: The languages of the site, the default (the code's own) first.
LANGUAGES = ("en", "fr")
#: The default language: its pages have no suffix and are published at the site's root.
DEFAULT = LANGUAGES[0]
#: Where the catalogs are (``<lang>/LC_MESSAGES/messages.po``) and Babel's mapping of the
#: files that hold messages (``babel.cfg``).
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"

_language: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT)
#: The catalog of the language being written (read when :func:`use` starts).
_catalog: contextvars.ContextVar[gettext.NullTranslations | None] = contextvars.ContextVar("catalog", default=None)
_NONE = gettext.NullTranslations()  # (the default language's: no translation)


@contextlib.contextmanager
def use(language: str) -> Iterator[None]:
    """Write in ``language`` (one of :data:`LANGUAGES`) inside the ``with`` block.

    Raises ``ValueError`` for a language the site does not have."""
    if language not in LANGUAGES:
        raise ValueError(f"the site has no language {language!r}; it has {', '.join(LANGUAGES)}")
    token, catalog = _language.set(language), _catalog.set(translations(language))
    try:
        yield
    finally:
        _language.reset(token)
        _catalog.reset(catalog)


def current() -> str:
    """The language being written (``en`` outside :func:`use`)."""
    return _language.get()


# --------------------------------------------------------------------------- messages


def catalog_file(language: str) -> Path:
    """The ``.po`` file of ``language``'s catalog (it may not exist)."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def translations(language: str) -> gettext.NullTranslations:
    """The catalog of ``language``, read from its ``.po`` file (fuzzy entries left out;
    read again when the file changes, as under ``mkdocs serve``).

    English, and a language without a catalog, translate nothing."""
    po = catalog_file(language)
    if language == DEFAULT or not po.is_file():
        return gettext.NullTranslations()
    return _read_catalog(po, po.stat().st_mtime_ns, language)


@functools.lru_cache(maxsize=8)
def _read_catalog(po: Path, mtime: int, language: str) -> gettext.NullTranslations:
    with po.open("rb") as file:
        catalog = read_po(file, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translate(message: str) -> str:
    """``message`` in the current language, as it is (no placeholder filled: what Jinja2's
    i18n extension calls; it fills them itself)."""
    return (_catalog.get() or _NONE).gettext(message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` in the current language, as it is (see :func:`translate`)."""
    return (_catalog.get() or _NONE).ngettext(singular, plural, n)


def _(message: str, **values: Any) -> str:
    """``message`` in the current language, its ``%(name)s`` placeholders filled from
    ``values`` (always formatted: a literal percent sign is ``%%``)."""
    return translate(message) % values


def ngettext(singular: str, plural: str, n: int, **values: Any) -> str:
    """The singular or plural form for ``n`` in the current language (French says "1 point",
    "0 point"), with ``%(num)s`` set to ``n`` unless given."""
    values.setdefault("num", n)
    return translate_plural(singular, plural, n) % values


def N_(message: str) -> str:
    """Marks ``message`` for the catalog without translating it (a constant translated where
    it is shown, with :func:`_`)."""
    return message


# --------------------------------------------------------------------------- data text


class Shown(str):
    """Text from the data as a page shows it, with the language it is written in (``lang``).

    It is a ``str``, so every filter takes it; ``text.md_text`` marks it with its language
    when that is not the page's."""

    lang: str

    def __new__(cls, value: str, lang: str) -> Shown:
        shown = super().__new__(cls, value)
        shown.lang = lang
        return shown

    def __reduce__(self) -> tuple[type[Shown], tuple[str, str]]:
        """(Copied and pickled with its language.)"""
        return Shown, (str(self), self.lang)


def foreign(text: object) -> str | None:
    """The language of data text when it is not the page's (``"en"`` on a French page for an
    overview that has no French version), else ``None``."""
    lang = getattr(text, "lang", None)
    return lang if lang is not None and lang != current() else None


# --------------------------------------------------------------------------- numbers and dates


def number(value: float | int) -> str:
    """A number as the current language writes it: ``1,620,000`` and ``11.9`` in English,
    ``1 620 000`` (narrow no-break spaces) and ``11,9`` in French (Babel, CLDR data)."""
    return format_decimal(value, locale=current())


def percent(value: float | int) -> str:
    """A share in percent: ``11.9 %`` in English (the reports' spacing), ``11,9 %`` in French
    (with a no-break space, as French typography wants)."""
    space = " " if current() == DEFAULT else "\u00a0"
    return f"{number(value)}{space}%"


def ordinal(n: int) -> str:
    """A rank as an ordinal: ``1st``, ``12th``, ``23rd`` in English; ``1er``, ``2e`` in French."""
    if current() == "fr":
        return "1er" if n == 1 else f"{n}e"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def long_date(iso: str | None) -> str:
    """An ISO date in words: ``2020-08-27`` → ``27 August 2020`` / ``27 août 2020``;
    ``2020-08`` → ``August 2020`` / ``août 2020``; a year stays as it is."""
    if not iso:
        return ""
    parts = [int(p) for p in iso.split("-")]
    language = current()
    if len(parts) == 3:
        return format_date(datetime.date(*parts), "d MMMM y", locale=language)
    if len(parts) == 2:
        return format_date(datetime.date(parts[0], parts[1], 1), "MMMM y", locale=language)
    return str(parts[0])


# --------------------------------------------------------------------------- paths


def page_path(path: str, language: str | None = None) -> str:
    """The source file of a page in a language: the default language's is ``path``
    itself, another's takes the language before ``.md`` (``cities/ansan.fr.md``), as
    mkdocs-static-i18n's "suffix" structure reads it and publishes it under ``/fr/``."""
    language = language or current()
    return path if language == DEFAULT else f"{path[:-3]}.{language}.md"


def file_path(path: str, language: str | None = None) -> str:
    """A file other than a page in a language (chart templates, a dossier): the default
    language's is ``path``, another's takes ``-<lang>`` before its extension
    (``assets/charts/templates-fr.json``). (Not the page suffix: mkdocs-static-i18n would
    publish a ``.fr.json`` under ``/fr/`` only.)"""
    language = language or current()
    if language == DEFAULT:
        return path
    stem, dot, extension = path.rpartition(".")
    return f"{stem}-{language}.{extension}" if dot else f"{path}-{language}"


def site_prefix(language: str | None = None) -> str:
    """Where a language's pages are published, relative to the site root (``""``, ``fr/``)."""
    language = language or current()
    return "" if language == DEFAULT else f"{language}/"


# --------------------------------------------------------------------------- catalog checks


@dataclass(frozen=True)
class CatalogProblem:
    """A message of a catalog that needs a translator: ``kind`` is ``untranslated`` (in the
    code, without a translation), ``fuzzy`` (a translation marked for review) or ``stale``
    (in the catalog, no longer in the code). ``line`` is its line in the ``.po`` file."""

    language: str
    file: Path
    line: int | None
    kind: str
    message: str


def extract(templates: Path) -> Catalog:
    """Every message the code and the templates in ``templates`` write, extracted with Babel
    (the same mapping as ``pybabel extract -F generator/locale/babel.cfg``)."""
    from babel.messages.extract import extract_from_dir

    catalog = Catalog()
    for folder, method in ((Path(__file__).parent, "python"), (templates, "jinja2")):
        pattern = "**.py" if method == "python" else "**.j2"
        found = extract_from_dir(
            str(folder),
            method_map=[(pattern, method)],
            options_map={pattern: {"trimmed": "true"} if method == "jinja2" else {}},
            comment_tags=("Translators:",),
        )
        for filename, lineno, message, comments, context in found:
            catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def catalog_problems(templates: Path) -> list[CatalogProblem]:
    """What each catalog lacks against the messages in the code and ``templates``
    (:class:`CatalogProblem`; a missing catalog is one problem)."""
    wanted = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in extract(templates) if m.id}
    problems = []
    for language in LANGUAGES[1:]:
        po = catalog_file(language)
        if not po.is_file():
            problems.append(CatalogProblem(language, po, None, "missing", "the whole catalog"))
            continue
        with po.open("rb") as file:
            catalog = read_po(file, locale=language)
        have = {}
        for m in catalog:
            if not m.id:
                continue
            key = (m.id if isinstance(m.id, str) else m.id[0], m.context)
            have[key] = m
            line = m.lineno
            if key not in wanted:
                problems.append(CatalogProblem(language, po, line, "stale", key[0]))
            elif m.fuzzy:
                problems.append(CatalogProblem(language, po, line, "fuzzy", key[0]))
            elif not (all(m.string) if isinstance(m.string, tuple | list) else m.string):
                problems.append(CatalogProblem(language, po, line, "untranslated", key[0]))
        for key in sorted(wanted - set(have), key=lambda k: (k[0], k[1] or "")):
            problems.append(CatalogProblem(language, po, None, "untranslated", key[0]))
    return problems
