"""Drawing: the static image of every chart, and the chart library the pages load.

A chart's static spec (``charts.static_spec``) is drawn as SVG by vl-convert and kept in
the cache under a digest of its contents (:func:`render_svgs`): a rebuild draws only new
charts. Many drawings are shared out among a ``concurrent.futures`` process pool, one
process per core, each of which ends with the build however the build ends. The chart
library (Vega, Vega-Lite and vega-embed) is bundled by vl-convert for the Vega-Lite
version of the templates, once per version (:func:`vega_script`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .charts import vega_lite_version


def renderer_version() -> str:
    """vl-convert's own version string (its ``__version__``), part of the names of static
    renders and of the script bundle, so that a new renderer makes them anew.

    (Not the package's version from its metadata: that may differ, e.g. ``1.9.0.post1`` for
    ``1.9.0``, and would rename the files earlier builds made.)
    """
    import vl_convert

    version: str = vl_convert.__version__  # type: ignore[attr-defined]  # (missing from vl-convert's type stub)
    return version


def digest(spec: dict[str, Any]) -> str:
    """Content hash of a static spec (with the renderer's version): the name of its SVG file."""
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{renderer_version()}\0{text}".encode()).hexdigest()[:20]


def _render(item: tuple[str, str]) -> tuple[str, bytes]:
    import vl_convert

    name, text = item
    return name, vl_convert.vegalite_to_svg(json.loads(text), vl_version=vega_lite_version()).encode("utf-8")


#: Below this many drawings a pool costs more than it saves (each of its processes starts an engine of its own).
POOL_THRESHOLD = 40


def render_svgs(specs: dict[str, dict[str, Any]], cache: Path) -> tuple[dict[str, Path], int]:
    """Draw every static spec (by digest) as an SVG file in ``cache``, unless an earlier
    build drew it already; return the file of each digest and how many were drawn anew.

    Many drawings (:data:`POOL_THRESHOLD` or more) are shared out among a process pool
    of one process per core (each starts its own engine).
    """
    cache.mkdir(parents=True, exist_ok=True)
    files = {name: cache / f"{name}.svg" for name in specs}
    todo = [(name, json.dumps(specs[name])) for name, file in files.items() if not file.is_file()]
    results: Iterable[tuple[str, bytes]]
    if len(todo) >= POOL_THRESHOLD and (os.cpu_count() or 1) > 1:
        # "spawn": a forked child of a process whose render engine already runs threads can hang
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=os.cpu_count(), mp_context=context, initializer=_end_with, initargs=(os.getpid(),)
        ) as pool:
            results = pool.map(_render, todo, chunksize=8)
            for name, svg in results:
                write_atomic(files[name], svg)
    else:
        for item in todo:
            name, svg = _render(item)
            write_atomic(files[name], svg)
    return files, len(todo)


def _end_with(parent: int) -> None:
    """Start of a drawing process: ask the kernel to end it when the build's process ends,
    however that ends (killed too), and end at once if it has ended already. (On Linux,
    ``prctl(PR_SET_PDEATHSIG)``; elsewhere the process ends when the pool is shut down.)"""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() != parent:
        os._exit(1)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` through a temporary file beside it, so no reader sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@functools.cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script setting ``window.vega``, ``vegaLite``, ``vegaEmbed``.

    Built by vl-convert for the Vega-Lite version the templates target, so the vendored
    library and the specs always agree (a library of another version may fail to draw them).
    """
    import vl_convert

    # (vl-convert's type stub makes ``snippet`` required; it is optional, and without it the
    # bundle sets the globals above)
    return vl_convert.javascript_bundle(vl_version=f"v{vega_lite_version()}")  # type: ignore[call-arg]


def vega_script(cache: Path) -> Path:
    """The vendored Vega/Vega-Lite/vega-embed bundle (:func:`vega_bundle`), made once
    per library version and kept in ``cache``; returns its file."""
    cached = cache / f"vega-bundle-{renderer_version()}-vl{vega_lite_version()}.js"
    if not cached.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        write_atomic(cached, vega_bundle().encode("utf-8"))
    return cached


_SIZE = re.compile(rb'<svg[^>]*?\swidth="(\d+(?:\.\d+)?)"[^>]*?\sheight="(\d+(?:\.\d+)?)"')
_SIZE_MARK = re.compile(r'data-icc-size="([0-9a-f]+)"')


def svg_size(file: Path) -> tuple[int, int]:
    """Width and height of a drawn SVG, in CSS pixels (from its root element).

    Raises ``ValueError`` if the file's root element does not give both."""
    with open(file, "rb") as f:
        found = _SIZE.search(f.read(2048))
    if not found:
        raise ValueError(f"{file}: the drawing gives no width and height")
    return round(float(found.group(1))), round(float(found.group(2)))


def fill_sizes(page: str, sizes: dict[str, tuple[int, int]]) -> str:
    """A page with each static image's ``data-icc-size="<digest>"`` (written by
    ``snippets.chart_figure``) replaced by the drawing's ``width`` and ``height``, so the
    browser gives the image its box before it loads and nothing below it moves.

    ``sizes`` maps a drawing's digest to its size (:func:`svg_size`); raises ``KeyError``
    for a digest that was not drawn."""
    if "data-icc-size=" not in page:
        return page
    return _SIZE_MARK.sub(lambda m: 'width="{}" height="{}"'.format(*sizes[m.group(1)]), page)
