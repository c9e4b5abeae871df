"""The pipeline: load → validate → score → compare → learn → render → write, in one direction.

``run`` is what both the ``icc`` command and the MkDocs plugin call. Generated files are
written to a temporary folder beside the target and swapped in only when every step has
succeeded; a failed run leaves the previous generated files exactly as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import charts
from .compare import compare_network, entries
from .data import open_data
from .learn import advise
from .load import load_inputs
from .pages import render_site
from .score import EditionScores, score_network
from .validate import Network, Problem, Validation, validate

#: Where the vendored chart library goes in the generated part of the docs.
VEGA_SCRIPT = "assets/javascripts/vendor/vega-bundle.js"

#: Where a page's deferred HTML blocks are kept (a folder MkDocs does not publish: it starts with a dot).
BLOCKS = ".blocks"


def block_file(page: str) -> str:
    """Path, in the generated folder, of the JSON list of a page's deferred blocks."""
    return f"{BLOCKS}/{page}.json"


#: Where the converted outline of a page written as HTML is kept (see ``pages.Outline``).
OUTLINES = ".outline"


def outline_file(page: str) -> str:
    """Path, in the generated folder, of a page's converted outline (``{"content", "toc", "ids"}``)."""
    return f"{OUTLINES}/{page}.json"


@dataclass(frozen=True)
class Settings:
    """Where the pipeline reads and writes (absolute paths).

    ``definition`` is the index definition file; ``cities`` the folder of city files;
    ``templates`` the Jinja2 templates; ``output`` the generated part of the docs folder;
    ``cache`` a folder for slow, reusable artefacts (the chart library bundle, static
    chart renders); ``static_charts`` whether every chart also gets a static SVG (shown
    without JavaScript and in print; 10–20 ms a chart when not cached); ``directory_urls``
    MkDocs' ``use_directory_urls`` (raw HTML links are written for it).
    """

    definition: Path
    cities: Path
    templates: Path
    output: Path
    cache: Path
    static_charts: bool = True
    directory_urls: bool = True

    @classmethod
    def for_project(cls, root: Path, edition: str = "2019") -> Settings:
        """The standard layout of a project folder (``cities/``, ``site_templates/``, ``content/generated/``)."""
        root = Path(root).resolve()
        return cls(
            definition=root / "generator" / "definitions" / f"{edition}.yaml",
            cities=root / "cities",
            templates=root / "site_templates",
            output=root / "content" / "generated",
            cache=root / ".cache" / "icc",
        )


class BuildFailed(Exception):
    """Validation found errors; nothing was written. ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        lines = [f"{len(errors)} error(s) in the index data; nothing was published:"]
        lines += [p.format() for p in problems]
        super().__init__("\n".join(lines))


@dataclass
class Result:
    """What a run produced: the files written (path → bytes), warnings, seconds per stage,
    and how many static charts had to be rendered (not found in the cache)."""

    files: dict[str, bytes]
    problems: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)
    changed: bool = True
    svgs_rendered: int = 0


def check(settings: Settings) -> Validation:
    """Load, validate and score, and report every problem (what ``icc validate`` runs).

    Scoring is included so that published figures our computation does not reproduce are
    reported too (as warnings).
    """
    checked = validate(load_inputs(settings.definition, settings.cities))
    if checked.network is None:
        return checked
    scores = score_network(checked.network.definition, checked.network.cities)
    return Validation(checked.network, checked.problems + disagreement_warnings(checked.network, scores))


def disagreement_warnings(network: Network, scores: dict[str, list[EditionScores]]) -> list[Problem]:
    """A warning for every published figure that differs from our computation, pointing at the figure."""
    problems = []
    for city_id, editions in scores.items():
        for edition in editions:
            for d in edition.disagreements:
                file, line, column = network.locate(city_id, ("editions", edition.index, "scores", d.key))
                problems.append(Problem(
                    "published-differs", "warning", file, line, column, city_id,
                    f"editions[{edition.index}].scores.{d.key}",
                    f"published {d.published}, but the figure computed from its components or answers is {d.computed:.2f}",
                    "check the published figure and the answers; the page shows the published figure and this difference",
                ))
    return problems


def vega_script(cache: Path) -> bytes:
    """The vendored Vega/Vega-Lite/vega-embed bundle, cached on disk by library versions."""
    import vl_convert

    name = f"vega-bundle-{vl_convert.__version__}-vl{charts.vega_lite_version()}.js"
    cached = cache / name
    if cached.is_file():
        return cached.read_bytes()
    data = charts.vega_bundle().encode("utf-8")
    cache.mkdir(parents=True, exist_ok=True)
    _write_atomic(cached, data)
    return data


def generate(settings: Settings) -> Result:
    """Run every step and return the generated files, without writing them.

    Raises:
        BuildFailed: validation found at least one error.
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
    timings["score"] = time.perf_counter() - t
    t = time.perf_counter()
    comparisons = compare_network(network.definition, network.cities, scores)
    timings["compare"] = time.perf_counter() - t
    t = time.perf_counter()
    advice = advise(network.definition, network.cities, entries(network.definition, network.cities, scores), comparisons)
    timings["learn"] = time.perf_counter() - t
    t = time.perf_counter()
    rendered = render_site(network, scores, comparisons, advice, settings.templates, settings.static_charts,
                           settings.directory_urls)
    timings["render"] = time.perf_counter() - t
    files = {path: text.encode("utf-8") for path, text in rendered.pages.items()}
    files.update(rendered.data)
    for page, blocks in rendered.blocks.items():
        files[block_file(page)] = json.dumps(blocks, ensure_ascii=False).encode("utf-8")
    for page, outline in rendered.outlines.items():
        files[outline_file(page)] = json.dumps(outline, ensure_ascii=False).encode("utf-8")
    files.update(open_data(network, scores))
    files[VEGA_SCRIPT] = vega_script(settings.cache)
    t = time.perf_counter()
    svgs, drawn = charts.render_svgs(rendered.svgs, settings.cache / "svg")
    timings["static charts"] = time.perf_counter() - t
    for name, svg in svgs.items():
        files[f"{charts.SVG_FOLDER}/{name}.svg"] = svg
    problems = list(checked.problems) + disagreement_warnings(network, scores)
    return Result(files, problems, timings, svgs_rendered=drawn)


def run(settings: Settings) -> Result:
    """Generate and write the files into ``settings.output``, atomically.

    Raises:
        BuildFailed: validation found at least one error (nothing is written).
    """
    result = generate(settings)
    t = time.perf_counter()
    result.changed = write_tree(settings.output, result.files)
    result.timings["write"] = time.perf_counter() - t
    return result


def _digest(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for path in sorted(files):
        h.update(path.encode())
        h.update(b"\0")
        h.update(hashlib.sha256(files[path]).digest())
    return h.hexdigest()


#: A file in the generated folder naming the digest of its contents (so an unchanged run
#: is recognised without reading the folder back).
DIGEST = ".digest"


def write_tree(target: Path, files: dict[str, bytes]) -> bool:
    """Make ``target`` hold exactly ``files`` (relative path → bytes); return whether anything changed.

    The new tree is written to a temporary folder beside ``target`` and swapped in with
    renames, so readers never see a half-written tree. When ``target`` already holds
    exactly these files (its ``.digest`` file says so) it is not touched: no file event
    for a watching server, and no reading of the whole folder back.
    """
    target = Path(target)
    digest = _digest(files)
    stamp = target / DIGEST
    if stamp.is_file() and stamp.read_text(encoding="ascii") == digest:
        return False
    files = {**files, DIGEST: digest.encode("ascii")}
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    usual_mode(staging)
    try:
        for rel, data in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.rmdir(old)
            os.replace(target, old)
        os.replace(staging, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return True


def usual_mode(folder: Path) -> None:
    """Give a folder made by ``tempfile.mkdtemp`` (mode 0700) the mode of an ordinary new folder."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(folder, 0o777 & ~mask)


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)
