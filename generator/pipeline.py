"""The pipeline: load → validate → score → compare → progress → learn → render → write, in one direction.

:func:`analyse` runs the steps up to the findings (plain records: the network, its
scores, comparisons and advice, and every problem found); :func:`run` renders them and
writes the generated files. ``icc generate`` and the ``icc`` MkDocs plugin both call
:func:`run`; ``icc validate`` calls :func:`check`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale

from . import charts, dossier, drawing, i18n
from .compare import Comparison, compare_editions, compare_network, entries
from .data import open_data
from .learn import Advice, advise
from .load import load_inputs
from .output import write_folder
from .problems import dotted
from .progress import Change, network_changes
from .render import render_site
from .score import EditionScores, score_network
from .text import excerpt
from .validate import Network, Problem, Validation, validate
from .views import SiteInfo

#: Where the vendored chart library is published, relative to the docs root.
VEGA_SCRIPT = "assets/javascripts/vendor/vega-bundle.js"


@dataclass(frozen=True)
class Settings:
    """Where the pipeline reads and writes (absolute paths).

    ``definition`` is the index definition file; ``cities`` the folder of city files;
    ``templates`` the Jinja2 templates; ``output`` the folder the generated files are
    written to; ``cache`` a folder for slow, reusable artefacts (the chart library bundle,
    the chart templates, static chart images); ``static_charts`` whether every chart also
    gets a static SVG (shown without JavaScript and in print); ``directory_urls`` MkDocs'
    ``use_directory_urls`` (links written as HTML follow it); ``site_name`` and
    ``site_url`` MkDocs' settings of the same names (pages cite themselves with them;
    ``site_url`` is ``None`` when the build has no public address); ``dossiers`` whether
    every edition also gets its printable PDF (``dossier``; needs ``static_charts``);
    ``languages`` the languages the pages are written in (``i18n.LANGUAGES``, the default
    first; the ``icc`` plugin takes those mkdocs-static-i18n builds) and ``site_names``
    the site's name in each (``site_name`` where none is given).
    """

    definition: Path
    cities: Path
    templates: Path
    output: Path
    cache: Path
    static_charts: bool = True
    directory_urls: bool = True
    site_name: str = "Intercultural Cities Index"
    site_url: str | None = None
    dossiers: bool = False
    languages: tuple[str, ...] = (i18n.DEFAULT,)
    site_names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_project(cls, root: Path, edition: str = "2019") -> Settings:
        """The standard layout of a project folder (``cities/``, ``site_templates/``,
        ``content/generated/``, ``.cache/``)."""
        root = Path(root).resolve()
        return cls(
            definition=root / "generator" / "definitions" / f"{edition}.yaml",
            cities=root / "cities",
            templates=root / "site_templates",
            output=root / "content" / "generated",
            cache=root / ".cache" / "icc",
        )


class RenderFailed(Exception):
    """A page could not be rendered: a template is broken (the message names it and its
    line) or data text cannot be shown (a link to a page of this site); nothing was written."""


class BuildFailed(Exception):
    """Validation found errors; nothing was written. ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        lines = [f"{len(errors)} error(s) in the index data; nothing was published:"]
        lines += [p.format() for p in problems]
        super().__init__("\n".join(lines))


@dataclass
class Findings:
    """What the steps before rendering make: the validated network, each city's scores
    per edition, each city's comparisons per figure (its latest edition against every
    city's latest), every edition's comparisons as of its own year (by city id and year),
    each edition's change from the previous one (by city id and edition index), each
    city's advice, every warning, and the seconds each step took."""

    network: Network
    scores: dict[str, list[EditionScores]]
    comparisons: dict[str, dict[str, Comparison]]
    edition_comparisons: dict[tuple[str, int], dict[str, Comparison]]
    changes: dict[str, dict[int, dict[str, Change]]]
    advice: dict[str, Advice]
    problems: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class Result:
    """What a run made: every generated file of the site (path relative to the docs root →
    the file on disk: in ``Settings.output``, or in the cache for static charts and the
    chart library), how many of them were written anew (the others were unchanged), how
    many static charts were drawn anew, the warnings, the seconds of each step, and how
    many dossiers there are and how many of them were made anew (the others came from the
    cache)."""

    files: dict[str, Path]
    written: int
    drawn: int
    problems: list[Problem]
    timings: dict[str, float]
    dossiers: int = 0
    dossiers_made: int = 0


def input_state(settings: Settings) -> tuple[tuple[str, int, int], ...]:
    """The name, size and modification time of every file the pipeline reads (the city
    files, the definition, the templates and the catalogs): a run's output changes only if
    this does."""
    files = [settings.definition]
    for folder, pattern in ((settings.cities, "*.yaml"), (settings.templates, "**/*"), (i18n.LOCALE_DIR, "**/*.po")):
        files += sorted(folder.glob(pattern)) if folder.is_dir() else []
    state = []
    for file in files:
        with contextlib.suppress(FileNotFoundError):
            st = file.stat()
            state.append((str(file), st.st_size, st.st_mtime_ns))
    return tuple(state)


def check(settings: Settings) -> Validation:
    """Every problem the steps before rendering find (what ``icc validate`` runs): the
    checks of validation, and the published figures the scoring does not reproduce (as
    warnings). Raises ``FileNotFoundError`` if the city folder does not exist."""
    try:
        found = analyse(settings)
    except BuildFailed as failed:
        return Validation(None, failed.problems)
    return Validation(found.network, found.problems + language_warnings(found.network, settings.templates))


def language_warnings(network: Network, templates: Path) -> list[Problem]:
    """A warning for each city file (and the definition) with text that has no French
    version, naming its fields, and one for each message of a catalog that is untranslated,
    marked fuzzy or no longer in the code (``i18n.catalog_problems``). French pages show
    the English meanwhile, marked as English; nothing stops the build."""
    problems = []
    documents = [(cid, network.cities[cid], network.documents[cid]) for cid in sorted(network.cities)]
    for city_id, record, document in [(None, network.definition, network.definition_document), *documents]:
        for language in i18n.LANGUAGES[1:]:
            missing = record.untranslated(language)
            if not missing:
                continue
            mark = document.mark(missing[0])
            named = ", ".join(dotted(m) for m in missing[:5]) + (
                f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            )
            problems.append(
                Problem(
                    f"{language}-missing",
                    "warning",
                    str(document.file),
                    mark.line if mark else None,
                    mark.column if mark else None,
                    city_id,
                    dotted(missing[0]),
                    f"{len(missing)} text field(s) have no {Locale.parse(language).english_name} version: {named}",
                    f"give it beside the English in the record's `{language}:` mapping "
                    f"({language}: {{{missing[0][-1]}: ...}}); until then its pages show the English, "
                    "marked as English",
                )
            )
    for found in i18n.catalog_problems(templates):
        what = {
            "untranslated": "has no translation",
            "fuzzy": "is marked fuzzy (to be checked): its translation is not used",
            "stale": "is no longer written by the code or the templates",
            "missing": "",
        }[found.kind]
        problems.append(
            Problem(
                f"catalog-{found.kind}",
                "warning",
                str(found.file),
                found.line,
                None,
                None,
                "msgid",
                f"{excerpt(found.message)!r} {what}" if what else "the catalog does not exist",
                "update the catalog with pybabel (see the README), then translate it by hand",
            )
        )
    return problems


def disagreement_warnings(network: Network, scores: dict[str, list[EditionScores]]) -> list[Problem]:
    """A warning for every published figure that differs from our computation, pointing at the figure."""
    problems = []
    for city_id, editions in scores.items():
        for edition in editions:
            for d in edition.disagreements:
                file, line, column = network.locate(city_id, ("editions", edition.index, "scores", d.key))
                problems.append(
                    Problem(
                        "published-differs",
                        "warning",
                        file,
                        line,
                        column,
                        city_id,
                        f"editions[{edition.index}].scores.{d.key}",
                        f"published {d.published}, but the figure computed from its components or answers "
                        f"is {d.computed:.2f}",
                        "check the published figure and the answers; "
                        "the page shows the published figure and this difference",
                    )
                )
    return problems


def analyse(settings: Settings) -> Findings:
    """Load, validate, score, compare and learn.

    Raises:
        BuildFailed: validation found at least one error.
        FileNotFoundError: the city folder does not exist.
    """
    timings: dict[str, float] = {}
    t = time.perf_counter()
    inputs = load_inputs(settings.definition, settings.cities)
    timings["load"] = time.perf_counter() - t
    t = time.perf_counter()
    checked = validate(inputs)
    timings["validate"] = time.perf_counter() - t
    if checked.network is None:
        raise BuildFailed(checked.problems)
    network = checked.network
    t = time.perf_counter()
    scores = score_network(network.definition, network.cities)
    problems = list(checked.problems) + disagreement_warnings(network, scores)
    timings["score"] = time.perf_counter() - t
    t = time.perf_counter()
    comparisons = compare_network(network.definition, network.cities, scores)
    edition_comparisons = compare_editions(network.definition, network.cities, scores)
    timings["compare"] = time.perf_counter() - t
    t = time.perf_counter()
    changes = network_changes(network.definition, network.cities, scores)
    timings["progress"] = time.perf_counter() - t
    t = time.perf_counter()
    advice = advise(
        network.definition, network.cities, entries(network.definition, network.cities, scores), comparisons
    )
    timings["learn"] = time.perf_counter() - t
    return Findings(network, scores, comparisons, edition_comparisons, changes, advice, problems, timings)


def run(settings: Settings) -> Result:
    """Run every step and write the generated files into ``settings.output`` (a file is
    written only if its bytes changed; files no longer generated are removed).

    Every page is rendered before anything is written: bad data or a broken template
    leaves the folder as it was.

    Raises:
        BuildFailed: validation found at least one error.
        RenderFailed: a page could not be rendered.
        FileNotFoundError: the city folder does not exist.
    """
    found = analyse(settings)
    timings = found.timings
    t = time.perf_counter()
    charts.use_cache(settings.cache)
    static: dict[str, dict[str, Any]] | None = {} if settings.static_charts else None
    if settings.dossiers and static is None:
        raise RenderFailed("dossiers are made from the static charts: turn static charts on to make them")
    dossiers: dict[str, tuple[str, str]] | None = {} if settings.dossiers else None
    made: list[tuple[str, str | bytes]] = []
    try:
        for language in settings.languages:
            with i18n.use(language):
                made += render_site(
                    found,
                    settings.templates,
                    static,
                    settings.directory_urls,
                    settings.cache / "templates",
                    SiteInfo(
                        settings.site_names.get(language) or i18n.translate(settings.site_name),
                        settings.site_url,
                        settings.directory_urls,
                    ),
                    dossiers,
                )
    except (jinja2.TemplateError, ValueError) as error:
        raise RenderFailed(describe_render_error(error)) from error
    timings["render"] = time.perf_counter() - t
    # static images are drawn before any page is written: each page then gives every image
    # its size, and a failed drawing leaves the folder as it was
    t = time.perf_counter()
    drawn = 0
    svgs: dict[str, Path] = {}
    if static is not None:
        svgs, drawn = drawing.render_svgs(static, settings.cache / "svg")
        sizes = {name: drawing.svg_size(file) for name, file in svgs.items()}
        made = [(path, drawing.fill_sizes(text, sizes) if isinstance(text, str) else text) for path, text in made]
    timings["static charts"] = time.perf_counter() - t
    pdfs: dict[str, Path] = {}
    pdfs_made = 0
    if dossiers:
        t = time.perf_counter()
        made_pdfs = dossier.make_pdfs(dossiers, settings.cache, settings.cache / "pdf")
        pdfs, pdfs_made = made_pdfs.files, made_pdfs.made
        timings["dossiers"] = time.perf_counter() - t
    t = time.perf_counter()
    pages = write_folder(settings.output, _chain(made, open_data(found)))
    timings["write"] = time.perf_counter() - t
    files = {path: settings.output / path for path in pages.files}
    files.update({f"{charts.SVG_FOLDER}/{name}.svg": file for name, file in svgs.items()})
    files.update(pdfs)
    files[VEGA_SCRIPT] = drawing.vega_script(settings.cache)
    return Result(files, pages.written, drawn, found.problems, timings, len(pdfs), pdfs_made)


def _chain(
    rendered: Iterable[tuple[str, str | bytes]], data: list[tuple[str, Callable[[], Iterable[bytes]]]]
) -> Iterator[tuple[str, str | bytes]]:
    """The rendered files, then the open data files (made one at a time, chunk by chunk)."""
    yield from rendered
    for path, make in data:
        yield path, b"".join(make())


def describe_render_error(error: BaseException) -> str:
    """A rendering error as one line, naming the template and line where Jinja2 knows them."""
    import traceback

    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")]
    where = f"template {Path(frames[-1].filename).name}, line {frames[-1].lineno}: " if frames else ""
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = f"template {Path(error.filename or error.name or '?').name}, line {error.lineno}: "
    return f"{where}{type(error).__name__}: {error}"
