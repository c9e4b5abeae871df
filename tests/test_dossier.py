"""The printable dossier: a real ``ICC_DOSSIERS=true mkdocs build --strict`` of the project
makes a PDF of every edition (WeasyPrint), linked from the pages; its pages are read back
with pdfium. Expected values are Ansan's 2020 report figures, as on its page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import copy_project, mkdocs_build

ADDRESS = "https://icc.example.org/"


@pytest.fixture(scope="module")
def dossier_build(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("dossier"))
    result = mkdocs_build(project, env={"SITE_URL": ADDRESS, "ICC_DOSSIERS": "true"})
    assert result.returncode == 0, result.stderr
    return project, result.stderr


def pages_text(pdf: Path) -> list[str]:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document))]
    finally:
        document.close()


def test_every_edition_has_a_dossier_linked_from_its_pages(dossier_build):
    project, log = dossier_build
    site = project / "site"
    editions = sorted(p.relative_to(site / "cities").parent.as_posix() for p in site.glob("cities/*/20*/index.html"))
    # one dossier per edition and language: English (ansan-2020.pdf) and French (ansan-2020-fr.pdf)
    english = sorted(p.stem.replace("-20", "/20") for p in (site / "dossiers").glob("*.pdf") if "-fr" not in p.stem)
    french = sorted(p.stem[:-3].replace("-20", "/20") for p in (site / "dossiers").glob("*-fr.pdf"))
    assert english == french == editions and "ansan/2020" in english
    ansan = (site / "cities" / "ansan" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../dossiers/ansan-2020.pdf"' in ansan
    edition = (site / "cities" / "ansan" / "2020" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../../dossiers/ansan-2020.pdf"' in edition
    # each language's pages link its own
    french_page = (site / "fr" / "cities" / "ansan" / "2020" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../../../dossiers/ansan-2020-fr.pdf"' in french_page
    assert re.search(rf"{2 * len(english)} dossiers \(\d+ made anew\)", log)


def test_the_ansan_dossier_reads_like_a_report(dossier_build):
    project, _ = dossier_build
    pages = pages_text(project / "site" / "dossiers" / "ansan-2020.pdf")
    assert 10 <= len(pages) <= 30
    cover = pages[0]
    for words in (
        "Ansan",
        "Index results, 2020 edition",
        "80 aggregate index out of 100",
        f"{ADDRESS}cities/ansan/2020/",
        "This PDF was made on",
    ):
        assert words in cover, words
    assert "Page 1 of" not in cover  # the cover has no running header or page number
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in text
        assert "Ansan · Index results, 2020 edition" in text
        assert f"{ADDRESS}cities/ansan/2020/ · made on" in text
    whole = " ".join(pages)
    # the figures of the page, as of 2020: commitment 58 against the report's 69, and the
    # model city's 61 for the lens, with every chart followed by its data table
    assert "Commitment: 58 points, below the city sample of 69 given in the 2020 report." in whole
    assert "61 (model city)" in whole
    # the aggregate, the lens and the 16 areas with a published score (not anti-discrimination)
    assert whole.count("each dot is a city with a score on this site") == 18
    assert "All other cities on this site" in whole
    # no screen-only controls or links
    for screen_only in ("Interactive chart", "Data table:", "On this page", "(JSON)"):
        assert screen_only not in whole, screen_only


def test_charts_are_vector_graphics(dossier_build):
    import pypdfium2
    import pypdfium2.raw as raw

    project, _ = dossier_build
    document = pypdfium2.PdfDocument(project / "site" / "dossiers" / "ansan-2020.pdf")
    images = paths = 0
    for page in document:
        for obj in page.get_objects(max_depth=15):
            images += obj.type == raw.FPDF_PAGEOBJ_IMAGE
            paths += obj.type == raw.FPDF_PAGEOBJ_PATH
    document.close()
    assert images == 0 and paths > 500


def test_the_dossier_is_tagged_for_screen_readers(dossier_build):
    import ctypes

    import pypdfium2
    import pypdfium2.raw as raw

    project, _ = dossier_build
    document = pypdfium2.PdfDocument(project / "site" / "dossiers" / "ansan-2020.pdf")
    # a structure tree (headings, paragraphs, tables, figures with their text) on every page
    assert raw.FPDFCatalog_IsTagged(document.raw)
    for page in document:
        tree = raw.FPDF_StructTree_GetForPage(page.raw)
        assert raw.FPDF_StructTree_CountChildren(tree) > 0
        raw.FPDF_StructTree_Close(tree)
    # and its language (UTF-16LE, with its terminating zero)
    size = raw.FPDFCatalog_GetLanguage(document.raw, None, 0)
    buffer = (ctypes.c_ushort * (size // 2))()
    raw.FPDFCatalog_GetLanguage(document.raw, buffer, size)
    assert bytes(buffer).decode("utf-16-le").rstrip("\x00") == "en"
    document.close()


def test_a_rebuild_makes_no_dossier_again(dossier_build):
    project, _ = dossier_build
    result = mkdocs_build(project, env={"SITE_URL": ADDRESS, "ICC_DOSSIERS": "true"})
    assert result.returncode == 0, result.stderr
    assert re.search(r"\d+ dossiers \(0 made anew\)", result.stderr)


def test_the_french_dossier_is_in_french(dossier_build):
    import ctypes

    import pypdfium2
    import pypdfium2.raw as raw

    project, _ = dossier_build
    pdf = project / "site" / "dossiers" / "ansan-2020-fr.pdf"
    pages = pages_text(pdf)
    assert len(pages) == len(pages_text(project / "site" / "dossiers" / "ansan-2020.pdf"))
    cover = pages[0]
    for words in ("Ansan", "Résultats de l'Index, édition 2020", "indice global sur 100", "27 août 2020"):
        assert words in cover, words
    assert f"{ADDRESS}fr/cities/ansan/2020/" in cover
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} sur {len(pages)}" in text
    whole = " ".join(pages)
    assert "Engagement interculturel" in whole and "Commitment: 58 points" not in whole
    document = pypdfium2.PdfDocument(pdf)
    size = raw.FPDFCatalog_GetLanguage(document.raw, None, 0)
    buffer = (ctypes.c_ushort * (size // 2))()
    raw.FPDFCatalog_GetLanguage(document.raw, buffer, size)
    assert bytes(buffer).decode("utf-16-le").rstrip("\x00") == "fr"
    document.close()
