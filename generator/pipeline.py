"""The pipeline: load → validate → score → compare → learn → render → write, in one direction.

``run`` is what the ``icc`` command calls; the MkDocs plugin calls :meth:`Started.begin`
and :meth:`Started.finish` around MkDocs' own build. Generated files are written, as they
are made, to a temporary folder beside the target (:class:`TreeWriter`) and swapped in
only when every step has succeeded; a failed run leaves the previous generated files
exactly as they were.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import os
import shutil
import tempfile
import threading

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from . import charts, filewriter
from .compare import compare_network, entries
from .data import open_data
from .learn import advise
from .load import find_city_files, load_inputs
from .pages import COMPANIONS, PARALLEL_FROM, Background, Rendered, data_names, page_names, render_site
from .score import EditionScores, score_network
from .validate import Network, Problem, Validation, validate

#: Where the vendored chart library goes in the generated part of the docs.
VEGA_SCRIPT = "assets/javascripts/vendor/vega-bundle.js"

@dataclass(frozen=True)
class Settings:
    """Where the pipeline reads and writes (absolute paths).

    ``definition`` is the index definition file; ``cities`` the folder of city files;
    ``templates`` the Jinja2 templates; ``output`` the generated part of the docs folder;
    ``cache`` a folder for slow, reusable artefacts (the chart library bundle, static
    chart renders); ``static_charts`` whether every chart also gets a static SVG (shown
    without JavaScript and in print; 10–20 ms a chart when not cached); ``directory_urls``
    MkDocs' ``use_directory_urls`` (raw HTML links are written for it); ``workers`` how
    many processes render city pages (more than one only pays from a few hundred cities).
    """

    definition: Path
    cities: Path
    templates: Path
    output: Path
    cache: Path
    static_charts: bool = True
    directory_urls: bool = True
    workers: int = 1

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
    """What a run produced: how many files it generated, warnings, seconds per stage,
    and how many static charts had to be rendered (not found in the cache)."""

    files: int
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


def file_names(network: Network) -> tuple[set[str], list[str], list[str]]:
    """Every file a run in a process of its own (:meth:`Started.apart`) generates, named
    from the validated city files before anything is scored: the pages written through
    ``pages.Outline`` (city and practice pages), the Markdown pages (``pages.page_names``),
    and the files it writes last (the chart data, the open data and the chart library: the
    paths of what :func:`generate` returns to write, in order)."""
    outlined, listing = page_names(network)
    # (open_data reads the scores only when a file is made: its paths need none)
    coming = data_names(network.definition) + [path for path, _ in open_data(network, {})] + [VEGA_SCRIPT]
    return outlined, listing, coming


def generate(settings: Settings, out: TreeWriter, later: bool = False,
             named: Callable[[tuple[set[str], list[str], list[str]]], None] | None = None,
             ) -> tuple[Result, Rendered, list[tuple[str, Callable[[], Iterable[bytes]]]]]:
    """Run every step, writing each generated file into ``out`` as soon as it is made
    (so no run holds the whole site in memory); ``out`` is committed by the caller.
    Returns what the run found, what rendering returned, and the files still to write
    (empty unless ``later``).

    With ``later`` (for a process of its own, :meth:`Started.apart`), the city files are
    read by ``settings.workers`` processes, city and practice pages are left to
    ``Rendered.later`` (see ``pages.render_site``), the data files are not written but
    returned (their paths, and functions making their bytes: see :func:`write_files`), and
    the records the steps before rendering made are kept out of garbage collection for the
    rest of the process (``gc.freeze``). ``named``, if given, is called with the names of
    every file (:func:`file_names`) as soon as the city files are validated.

    Raises:
        BuildFailed: validation found at least one error.
    """
    timings: dict[str, float] = {}
    # These steps make records that live as long as the run, and next to no garbage: the
    # automatic collector, which would walk them all again and again as they grow, waits.
    with _collector_paused():
        t = time.perf_counter()
        inputs = load_inputs(settings.definition, settings.cities, processes=settings.workers if later else 1)
        timings["load"] = time.perf_counter() - t
        t = time.perf_counter()
        checked = validate(inputs)
        del inputs
        timings["validate"] = time.perf_counter() - t
        if checked.network is None:
            raise BuildFailed(checked.problems)
        network = checked.network
        if named is not None:
            named(file_names(network))
        t = time.perf_counter()
        scores = score_network(network.definition, network.cities)
        problems = list(checked.problems) + disagreement_warnings(network, scores)
        # Every finding that points at a line is made by now: the files are let go.
        network = dataclasses.replace(network, documents={})
        del checked
        timings["score"] = time.perf_counter() - t
        t = time.perf_counter()
        comparisons = compare_network(network.definition, network.cities, scores)
        timings["compare"] = time.perf_counter() - t
        t = time.perf_counter()
        advice = advise(network.definition, network.cities, entries(network.definition, network.cities, scores), comparisons)
        timings["learn"] = time.perf_counter() - t
    t = time.perf_counter()
    if later:
        # the records made so far live as long as the process: frozen, no collection walks
        # them again (and the one after rendering, which leaves much garbage, is quick)
        gc.freeze()
    charts.use_cache(settings.cache)
    rendered = render_site(network, scores, comparisons, advice, settings.templates, out,
                           settings.static_charts, settings.directory_urls, workers=settings.workers,
                           later=later, cache=settings.cache / "templates")
    timings["render"] = time.perf_counter() - t
    # the data files: their names now, their bytes when written (in a process of its own,
    # after MkDocs has been told what there will be)
    to_write: list[tuple[str, Callable[[], Iterable[bytes]]]] = [
        (path, functools.partial(lambda make: [make()], make)) for path, make in rendered.data.items()]
    to_write += open_data(network, scores)
    to_write.append((VEGA_SCRIPT, lambda: [vega_script(settings.cache)]))
    if not later:
        timings["data"] = write_files(out, to_write)
        to_write = []
    t = time.perf_counter()
    svgs, drawn = charts.render_svgs(rendered.svgs, settings.cache / "svg")
    timings["static charts"] = time.perf_counter() - t
    for name, svg in svgs.items():
        out.add(f"{charts.SVG_FOLDER}/{name}.svg", svg)
    return Result(len(out.hashes), problems, timings, svgs_rendered=drawn), rendered, to_write


def write_files(out: TreeWriter, files: list[tuple[str, Callable[[], Iterable[bytes]]]]) -> float:
    """Make and add each file (path, function making its bytes in chunks), one at a time;
    return the seconds taken."""
    t = time.perf_counter()
    for path, make in files:
        out.add_chunks(path, make())
    return time.perf_counter() - t


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's automatic garbage collection inside the block (as it was after it)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def release_memory() -> None:
    """Collect garbage, then hand the heap memory freed to the system (with the GNU C
    library; elsewhere only the collection). Python keeps freed memory for reuse otherwise,
    which makes a process that has finished a large step hold on to it."""
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def _city_files(folder: Path) -> int:
    """How many city files ``folder`` holds (0 if it cannot be read: loading will say why)."""
    try:
        return len(find_city_files(folder))
    except OSError:
        return 0


def run(settings: Settings) -> Result:
    """Generate the files into ``settings.output``, atomically (see :class:`TreeWriter`).

    Raises:
        BuildFailed: validation found at least one error (nothing is written).
    """
    started = Started.begin(settings, background=False)
    return started.finish()


@dataclass
class Started:
    """A run whose files are written but not yet swapped in, and whose city and practice
    pages may still be rendering in another process (what the MkDocs plugin builds from).

    ``out.staging`` is the folder of the new files (in a large network some are still
    being made or written: all are there once :meth:`finish` returns); ``pending`` the
    ``pages.Background`` still running the pipeline or rendering pages, or ``None``. Once
    :meth:`names` has returned: ``outlined`` names the pages whose converted outline is a
    record of a pack, ``listing`` the generated Markdown pages, whose source is one
    (``pages.Rendered``; every generated page's record is read with :meth:`record`, so
    MkDocs never reads those pages' files), ``coming`` the files written last. Once
    :meth:`ready` has returned, ``result`` is what the run found and made so far.
    """

    out: TreeWriter
    pending: Background | None = None
    result: Result | None = None
    outlined: set[str] = field(default_factory=set)
    listing: list[str] = field(default_factory=list)
    #: Files the pipeline will write (into ``out.staging``) before :meth:`finish` returns.
    coming: list[str] = field(default_factory=list)
    #: Seconds the caller was held up until the pipeline had named the files and made
    #: what the pages need.
    held: float = 0.0
    #: Whether the names above are known (at once when the pipeline ran in this process).
    named: bool = True

    def __post_init__(self) -> None:
        self.packs = PackReader(self.out.staging / COMPANIONS)

    @classmethod
    def begin(cls, settings: Settings, background: bool = True) -> Started:
        """Start the pipeline. Raises ``BuildFailed``.

        With ``background`` in a large network (:data:`pages.PARALLEL_FROM` cities or
        more, several workers, static chart images off), the whole pipeline runs in a
        process of its own (:meth:`apart`) and this returns at once. Otherwise it runs
        here, and every page is written when this returns.
        """
        if (background and settings.workers > 1 and not settings.static_charts
                and _city_files(settings.cities) >= PARALLEL_FROM):
            return cls.apart(settings)
        start = time.perf_counter()
        out = TreeWriter(settings.output)
        try:
            # (in a build, files are written by a process of their own while the next are made)
            with out.writing_process() if background else contextlib.nullcontext():
                result, rendered, _ = generate(settings, out)
        except BaseException:
            out.abort()
            raise
        return cls(out, None, result, rendered.outlined, rendered.listing, held=time.perf_counter() - start)

    @classmethod
    def apart(cls, settings: Settings) -> Started:
        """Start the pipeline in a forked process, which tells what MkDocs needs to start
        (:meth:`names`: every file's name, as soon as the city files are validated), then
        what the pages need (:meth:`ready`: the scores, comparisons and advice are made,
        and what the checks found), and goes on, while MkDocs builds, with the pages in the
        order MkDocs builds them (practice pages, the Markdown pages, city pages; with
        ``settings.workers - 1`` processes: MkDocs keeps one core), and last the data files.

        This process then holds only what MkDocs needs, never the network; the pipeline's
        memory belongs to one process.
        """
        out = TreeWriter(settings.output)

        def work(share: int, tell: Any) -> dict[str, float] | None:
            # Files are written by a process of their own, made now while this one is small:
            # made later, every page of the network this process then changes would be
            # copied for it. (MkDocs reads no file made here before the build ends: pages
            # come from the packs, which this process appends to itself.)
            with out.writing_process():
                told: list[tuple[set[str], list[str], list[str]]] = []

                def named(names: tuple[set[str], list[str], list[str]]) -> None:
                    told.append(names)
                    tell(("named", names))

                try:
                    result, rendered, to_write = generate(settings, out, later=True, named=named)
                except BuildFailed as failed:
                    tell(("failed", failed.problems))
                    return None
                if (rendered.outlined, rendered.listing, [path for path, _ in to_write]) != told[0]:
                    raise RuntimeError("the pipeline makes other files than it named")  # (a defect, never data)
                tell(("ready", (result, out.hashes)))
                later = rendered.later
                assert later is not None
                del result, rendered  # (what MkDocs has been told is no longer needed here)
                release_memory()
                # (the Markdown pages need every city's view: their memory goes back once they are written)
                later(max(1, settings.workers - 1), release_memory)
                # the data files last: the plugin publishes them when the build ends
                t = time.perf_counter()
                write_files(out, to_write)
            return {"data": time.perf_counter() - t}

        try:
            return cls(out, Background(work, 1, out, early=True), named=False)
        except BaseException:
            out.abort()
            raise

    def names(self) -> None:
        """Wait until the pipeline has named every file it makes (``outlined``,
        ``listing``, ``coming``: what MkDocs needs to start; at once when it ran in this
        process).

        Raises ``BuildFailed`` (the validation report) or ``RuntimeError`` (the pipeline's
        process failed); the new files are dropped then.
        """
        if not self.named:
            self.outlined, self.listing, self.coming = self._told(0)
            self.named = True

    def ready(self) -> Result:
        """Wait until the pipeline has made what the pages need (every score, comparison
        and piece of advice; at once when it ran in this process) and return its result.
        Raises as :meth:`names` does.
        """
        if self.result is None:
            self.names()
            self.result, hashes = self._told(1)
            self.out.merge(hashes)
        return self.result

    def _told(self, nth: int) -> Any:
        """What the pipeline's process told ``nth`` (from 0), once it has."""
        assert self.pending is not None
        start = time.perf_counter()
        try:
            kind, told = self.pending.early(0, nth)
            if kind == "failed":
                self.pending.finish()
                raise BuildFailed(told)
        except BaseException:
            self.abort()
            raise
        finally:
            self.held += time.perf_counter() - start
        return told

    def record(self, page: str) -> bytes:
        """The record of a generated page in its pack: for a city or practice page
        (``pages.pack_file``) its converted outline as a line of JSON, then its HTML
        blocks; for a Markdown page (``pages.LISTING_PACK``) its source as a JSON string,
        then its blocks. Waits for it while a process is still writing. Raises
        ``RuntimeError`` if a process failed or none wrote it."""
        found = self.packs.get(page)
        if found is None:
            if self.pending is None:
                raise RuntimeError(f"no record was written for {page}")
            found = self.pending.wait_for(lambda: self.packs.get(page), f"the page {page}")
        return found

    def finish(self) -> Result:
        """Wait for the background, then swap the new files in. Raises a rendering process's error."""
        self.packs.close()
        result = self.ready()
        result.timings["waited for the pipeline"] = self.held
        try:
            if self.pending is not None:
                t = time.perf_counter()
                result.timings.update(self.pending.finish()[0] or {})
                result.timings["waited for pages"] = self.pending.waited + time.perf_counter() - t
                result.files = len(self.out.hashes)
            t = time.perf_counter()
            result.changed = self.out.commit()
            result.timings["write"] = time.perf_counter() - t
        except BaseException:
            self.abort()
            raise
        return result

    def abort(self) -> None:
        """Stop any background rendering and drop the new files."""
        self.packs.close()
        if self.pending is not None:
            self.pending.stop()
        self.out.abort()


#: A file in the generated folder naming the digest of its contents (so an unchanged run
#: is recognised without reading the folder back).
DIGEST = ".digest"


class TreeWriter:
    """Writes a folder's new contents beside it, file by file, and swaps it in at the end.

    ``add(path, bytes)`` writes one file (path relative to the folder) into a temporary
    folder beside ``target``; :meth:`commit` replaces ``target`` with it by renames, so
    readers never see a half-written tree, and returns whether anything changed. When
    ``target`` already holds exactly these files (its ``.digest`` file names the digest of
    the paths and contents) it is left untouched: no file event for a watching server.
    Leaving the ``with`` block without committing (an error) removes the temporary folder
    and leaves ``target`` as it was. Raises ``ValueError`` if a path is added twice.
    """

    def __init__(self, target: Path):
        self.target = Path(target)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.claim = Claim(self.target, "new")
        self.staging = self.claim.path
        self.hashes: dict[str, bytes] = {}
        self._folders: set[Path] = set()
        self._done = False
        self._pipe: Any = None  # to the process writing files (writing_process), from
        self._pipe_owner = 0  # this process (a process forked from it writes its files itself)

    def add(self, rel: str, data: bytes) -> None:
        """Write one file (see :meth:`add_chunks`)."""
        self.add_chunks(rel, (data,))

    def add_chunks(self, rel: str, chunks: Iterable[bytes]) -> None:
        """Write one file from its bytes in chunks, never held whole: through the writing
        process inside :meth:`writing_process`, else at once. Raises ``ValueError`` if
        ``rel`` was added already."""
        if rel in self.hashes:
            raise ValueError(f"{rel} was generated twice")
        digest = hashlib.sha256()
        if self._pipe is not None and os.getpid() == self._pipe_owner:
            self._send(rel, b"")  # (the file exists even if no chunk comes)
            for chunk in chunks:
                digest.update(chunk)
                self._send(rel, chunk)
        else:
            with self._folder(rel).open("wb") as handle:
                for chunk in chunks:
                    digest.update(chunk)
                    handle.write(chunk)
        self._claim(rel, digest.digest())

    @contextlib.contextmanager
    def writing_process(self) -> Iterator[None]:
        """Inside the block, files this process adds are written by a process of their own
        (``generator.filewriter``: this process makes the bytes and passes them through a
        pipe, the other waits for the disk), so making files and writing them overlap; at
        the end of the block the process is waited for. (Packs are appended to by their
        writers themselves.) Raises ``OSError`` if it could not write a file."""
        import subprocess
        import sys

        process = subprocess.Popen([sys.executable, "-m", "generator.filewriter", str(self.staging), str(os.getpid())],
                                   stdin=subprocess.PIPE)
        with contextlib.suppress(OSError, AttributeError):  # (a larger pipe where Linux allows one)
            import fcntl

            fcntl.fcntl(process.stdin.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
        self._pipe, self._pipe_owner = process.stdin, os.getpid()
        try:
            yield
        finally:
            self._pipe = None
            try:
                process.stdin.close()  # type: ignore[union-attr]
            finally:
                code = process.wait()
            if code != 0:
                raise OSError("the process writing the generated files failed (see the message above)")

    def _send(self, rel: str, data: bytes) -> None:
        assert self._pipe is not None
        key = rel.encode("utf-8")
        self._pipe.write(filewriter.HEADER.pack(len(key), len(data)) + key)
        self._pipe.write(data)

    def _claim(self, rel: str, digest: bytes) -> None:
        if rel in self.hashes:
            raise ValueError(f"{rel} was generated twice")
        self.hashes[rel] = digest

    def _folder(self, rel: str) -> Path:
        path = self.staging / rel
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        return path

    def pack(self, rel: str) -> Pack:
        """Open a pack file (see :class:`Pack`) at ``rel``, written by the calling process
        alone; it is recorded when closed. Raises ``ValueError`` if ``rel`` exists already."""
        if rel in self.hashes:
            raise ValueError(f"{rel} was generated twice")
        return Pack(self, rel)

    def abort(self) -> None:
        """Give up: remove the temporary folder; ``target`` stays as it was."""
        self._done = True
        shutil.rmtree(self.staging, ignore_errors=True)
        self.claim.release()

    def merge(self, hashes: dict[str, bytes]) -> None:
        """Record files another process wrote into :attr:`staging` (path → SHA-256 digest;
        a file already recorded with the same digest is the same file, told twice).
        Raises ``ValueError`` if two processes wrote different files under one path."""
        for rel, digest in hashes.items():
            if self.hashes.get(rel, digest) != digest:
                raise ValueError(f"{rel} was generated twice")
        self.hashes.update(hashes)

    def digest(self) -> str:
        h = hashlib.sha256()
        for path in sorted(self.hashes):
            h.update(path.encode())
            h.update(b"\0")
            h.update(self.hashes[path])
        return h.hexdigest()

    def commit(self) -> bool:
        digest = self.digest()
        stamp = self.target / DIGEST
        self._done = True
        if stamp.is_file() and stamp.read_text(encoding="ascii") == digest:
            remove_later(self.staging, self.claim)
            return False
        (self.staging / DIGEST).write_text(digest, encoding="ascii")
        swap_in(self.target, self.staging)
        self.claim.release()
        return True

    def __enter__(self) -> TreeWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._done:
            self.abort()


class Pack:
    """A file of many records, written by one process and read by others while it grows.

    Each city and practice page's outline and blocks (``pages.pack_file``), and each
    generated Markdown page's source and blocks (``pages.LISTING_PACK``), is one record,
    laid out as a message to the writing process (``filewriter``): a header of two
    little-endian unsigned 32-bit integers (the length in bytes of the page's path, then
    of its data), the path (UTF-8), then the data. One file instead of a file per page:
    creating thousands of small files is the slowest thing a busy disk does (0.3–0.8 ms
    each, measured while a build writes), appending to one is not. A record is appended
    with whole ``write`` calls, so a reader sees a prefix of it and takes it once its last
    byte is there (:class:`PackReader`). ``add`` raises ``ValueError`` for a path added
    twice (``struct.error`` for a record over 4 GiB).
    """

    HEADER = filewriter.HEADER

    def __init__(self, tree: TreeWriter, rel: str):
        self.tree, self.rel = tree, rel
        self.fd = os.open(tree._folder(rel), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        self.hash = hashlib.sha256()
        self.names: set[str] = set()

    def add(self, name: str, data: bytes) -> None:
        """Append one record (``name``: the page's path, e.g. ``cities/ansan.md``)."""
        if name in self.names:
            raise ValueError(f"{name} was generated twice")
        self.names.add(name)
        key = name.encode("utf-8")
        record = self.HEADER.pack(len(key), len(data)) + key + data
        self.hash.update(record)
        view = memoryview(record)
        while view:
            view = view[os.write(self.fd, view):]

    def close(self) -> None:
        """Close the file and record it in its tree (for the swap and the tree's digest)."""
        os.close(self.fd)
        self.tree._claim(self.rel, self.hash.digest())


class PackReader:
    """Finds records in the pack files (``*.pack``) of a folder, while their writers may
    still be appending (see :class:`Pack`): ``get(name)`` returns a record's data, or
    ``None`` if no pack holds it yet. Raises ``OSError`` if a pack cannot be read."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.packs: dict[str, list[int]] = {}  # file name -> [descriptor, end of the records read]
        self.places: dict[str, tuple[int, int, int]] = {}  # record name -> (descriptor, offset, length)

    def get(self, name: str) -> bytes | None:
        if name not in self.places:
            self._scan()
            if name not in self.places:
                return None
        fd, offset, length = self.places[name]
        return os.pread(fd, length, offset)

    def _scan(self) -> None:
        """Read the headers of the records completed since the last scan."""
        try:
            names = [e.name for e in os.scandir(self.folder) if e.name.endswith(".pack")]
        except FileNotFoundError:
            return
        for file in names:
            if file not in self.packs:
                self.packs[file] = [os.open(self.folder / file, os.O_RDONLY), 0]
            entry = self.packs[file]
            fd, offset = entry
            size = os.fstat(fd).st_size
            header = Pack.HEADER.size
            while offset + header <= size:
                key_length, length = Pack.HEADER.unpack(os.pread(fd, header, offset))
                end = offset + header + key_length + length
                if end > size:
                    break
                key = os.pread(fd, key_length, offset + header).decode("utf-8")
                self.places[key] = (fd, offset + header + key_length, length)
                offset = end
            entry[1] = offset

    def close(self) -> None:
        for fd, _ in self.packs.values():
            os.close(fd)
        self.packs, self.places = {}, {}


class Claim:
    """A new empty folder beside ``target`` for work in progress, held by this process:
    ``.<target name>.<kind>-XXXXXXXX`` (:attr:`path`), with an exclusive lock (``flock``) on
    the folder itself. The system lets go of the lock when the process ends, however it
    ends (even killed with SIGKILL, when no clean-up can run). No file is made beside the
    folder (a watching server would take one for an edit).

    Before making its folder, a claim removes the folders of the same kind beside
    ``target`` whose lock is free: work in progress of a process that no longer runs. A
    folder whose lock is held (another build in the same project, still running) is left
    alone. :meth:`release` ends the claim once the folder is swapped in or removed.
    (Without ``fcntl``, as on Windows, there are no locks and nothing is swept.)
    """

    def __init__(self, target: Path, kind: str):
        parent = Path(target).parent
        parent.mkdir(parents=True, exist_ok=True)
        prefix = f".{Path(target).name}.{kind}-"
        if fcntl is not None:
            for folder in parent.glob(prefix + "*"):
                _remove_if_abandoned(folder)
        # made under another name and locked before it takes its name: a folder of this
        # kind is never there unlocked while its process runs
        made = Path(tempfile.mkdtemp(prefix=f".{Path(target).name}.claiming-", dir=parent))
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(made, 0o777 & ~mask)  # (the mode of any new folder, not mkdtemp's 0700)
        self.fd = os.open(made, os.O_RDONLY)
        if fcntl is not None:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        self.path = parent / (prefix + made.name.rsplit("-", 1)[1])
        os.rename(made, self.path)

    def release(self) -> None:
        """End the claim (the folder has been swapped in or removed)."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def _remove_if_abandoned(folder: Path) -> None:
    """Remove the folder of a :class:`Claim` if no process holds its lock."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # (gone already, or not a folder)
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # held: a build still at work
        os.close(fd)
        return
    try:
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        os.close(fd)


def swap_in(target: Path, new: Path) -> None:
    """Put the folder ``new`` in the place of ``target`` by two renames (``target`` out of
    the way, ``new`` in), and remove the old ``target`` in the background
    (:func:`remove_later`). Ctrl-C and SIGTERM wait until both renames are done: an
    interrupted build never leaves ``target`` missing."""
    with _signals_held():
        old = None
        if target.exists():
            old = Claim(target, "old")
            old.path.rmdir()
            os.replace(target, old.path)
        os.replace(new, target)
    if old is not None:
        remove_later(old.path, old)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) and SIGTERM inside the block: one that comes is acted on, as
    usual, when the block ends. (Python acts on signals in the main thread only; elsewhere
    the block holds nothing.)"""
    import signal

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    numbers = [n for n in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(n) is not None]  # (None: not Python's)
    came: list[int] = []
    previous = {n: signal.signal(n, lambda number, frame: came.append(number)) for n in numbers}
    try:
        yield
    finally:
        for n, handler in previous.items():
            signal.signal(n, handler)
        if came:
            signal.raise_signal(came[0])


def remove_later(folder: Path, claim: Claim | None = None) -> None:
    """Remove a folder that is out of sight already (nothing reads it any more) while the
    build goes on, in a thread of this process (the process waits for it before it ends),
    then release its ``claim``."""
    def remove() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        if claim is not None:
            claim.release()

    threading.Thread(target=remove, name="icc-remove-old").start()


def write_tree(target: Path, files: dict[str, bytes]) -> bool:
    """Make ``target`` hold exactly ``files`` (relative path → bytes); return whether anything changed."""
    with TreeWriter(target) as out:
        for rel, data in files.items():
            out.add(rel, data)
        return out.commit()


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)
