"""Dossiers: a printable PDF report of every edition of every city, made with WeasyPrint.

A dossier is written from the same view record as the edition's own page
(``views.build_city`` with the edition's year: its figures and its comparisons as of that
year) through a print template of its own, ``site_templates/dossier.html.j2``, laid out
with CSS Paged Media: a cover, a running header, page numbers, the page's address and the
date the PDF was made. Charts are the static SVG drawings of the page, so they stay
vector graphics, each with its data table and its text alternative. The PDF is tagged
(PDF/UA-1), so a screen reader reads it in order, with headings and tables.

PDFs are cached by content (:func:`make_pdfs`): a rebuild makes only the dossiers whose
HTML changed. The date a dossier was made is filled in when it is made, and is left out
of the cache key, so a PDF keeps the date it was made on until its contents change.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from . import i18n

#: Site folder of the dossiers.
FOLDER = "dossiers"

#: What the template writes where the date of making goes; replaced when the PDF is made.
DATE_MARK = "@@icc-made-on@@"


def dossier_path(city_id: str, year: int) -> str:
    """Site path of the dossier of a city's edition in the current language
    (``dossiers/<id>-<year>.pdf``; ``dossiers/<id>-<year>-fr.pdf`` in French)."""
    return i18n.file_path(f"{FOLDER}/{city_id}-{year}.pdf")


@dataclass(frozen=True)
class Made:
    """What :func:`make_pdfs` did: every dossier's PDF (site path → file in the cache), and
    how many it made anew (the others came from the cache)."""

    files: dict[str, Path]
    made: int


def _version() -> str:
    from importlib.metadata import version

    return version("weasyprint")


def make_pdfs(sources: dict[str, tuple[str, str]], assets: Path, cache: Path, today: _dt.date | None = None) -> Made:
    """Make the PDF of every dossier in ``sources`` (site path → its language and the HTML
    from the print template), or take it from ``cache`` when one of the same HTML was made before.

    ``assets`` is the folder the HTML's relative addresses start from (the static charts'
    folder, ``svg/…``, is in it). ``today`` is the date written as the date of making
    (default: today). Raises ``ImportError`` if WeasyPrint or its system libraries (Pango)
    are missing (the README says how to install them).
    """
    cache.mkdir(parents=True, exist_ok=True)
    today = today or _dt.date.today()
    version = _version().encode()  # (from the package's metadata: WeasyPrint is not imported)
    files: dict[str, Path] = {}
    made = 0
    for path, (language, html) in sources.items():
        key = hashlib.sha256(version + b"\0" + html.encode("utf-8")).hexdigest()[:24]
        target = cache / f"{key}.pdf"
        if not target.is_file():
            from weasyprint import HTML  # (imported only when a PDF is to be made: half a second)

            with i18n.use(language):
                made_on = i18n.long_date(today.isoformat())
            document = HTML(string=html.replace(DATE_MARK, made_on), base_url=str(assets) + os.sep)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            document.write_pdf(tmp, pdf_variant="pdf/ua-1")  # (tagged, for screen readers)
            os.replace(tmp, target)
            made += 1
        files[path] = target
    return Made(files, made)
