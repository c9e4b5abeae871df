"""Benchmark: build the site for synthetic networks of growing size, against a naive baseline.

    python benchmarks/build.py                  # N = 150 and 1,000
    python benchmarks/build.py --sizes 150 1000 10000 --static

For each N it writes N synthetic city files (``generator.synth``), builds our site with
``mkdocs build`` and the naive baseline (``benchmarks/naive.py``) on the same files, in
the same run, and prints: the seconds of each of our stages (from the plugin's log),
MkDocs' own seconds, the totals, the size of one city page, of the mean city page and of
the whole site, the peak memory of each build, and the ratios the targets are stated in
(a synthetic city's contents depend on the size of its network, so one page stands for
another random city at each size; the mean is the steadier figure). Static chart
renders are off in the comparison (the baseline has none); ``--static`` also measures
them at the smallest N, with an empty cache and again with a warm one.

Nothing here asserts a time: the script prints figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project root first, so these imports work when the script is run by its path (hence E402).
sys.path.insert(0, str(ROOT))

from benchmarks import naive  # noqa: E402
from generator.drawing import vega_script  # noqa: E402
from generator.load import load_yaml  # noqa: E402
from generator.model import Definition  # noqa: E402
from generator.synth import synthesize  # noqa: E402


# Runs `mkdocs build` in a child process and prints its peak resident memory (KiB) last.
def _tree(pid: int) -> list[int]:
    """A process and all its descendants (from /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as handle:
                    todo += [int(c) for c in handle.read().split()]
        except OSError:
            continue
    return out


def _pss_kib(pids: list[int]) -> int:
    """Proportional set size of these processes together (pages they share counted once)."""
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total


STAGE = re.compile(r"icc: \d+ generated files, .*?\((?P<stages>[^)]*)\)")


def mkdocs(config: Path) -> dict:
    """Build with ``mkdocs build`` in a child process: wall seconds, peak memory (MiB), our stage seconds.

    Peak memory is the largest proportional set size (PSS) of the build and the processes
    it starts (the chart drawing processes), together, sampled four times a second from /proc
    (reading a process's PSS is not free, so not more often):
    memory the processes share is counted once. (``ru_maxrss`` would not do: on Linux a
    process started by ``exec`` inherits the high-water mark of the process that forked it.)
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "-f", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            text=True,
            env=env,
        )
        peak_kib = 0
        while child.poll() is None:
            peak_kib = max(peak_kib, _pss_kib(_tree(child.pid)))
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=0.25)  # (returns as soon as the build ends)
        seconds = time.perf_counter() - start
        err.seek(0)
        stderr = err.read()
    if child.returncode != 0:
        raise SystemExit(f"build failed ({config}):\n{stderr[-3000:]}")
    peak = peak_kib / 1024
    stages = {}
    for match in STAGE.finditer(stderr):
        for part in match.group("stages").split(", "):
            name, ms, _ = part.rsplit(" ", 2)
            stages[name] = float(ms) / 1000
    return {"seconds": seconds, "peak_mib": peak, "stages": stages}


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def project(folder: Path, cities: dict[str, str], static: bool, cache: Path | None = None) -> Path:
    """A copy of the project's site inputs with synthetic cities instead of the real ones
    (with ``cache``, the plugin's cache folder is that one instead of the copy's own)."""
    (folder / "generator" / "definitions").mkdir(parents=True)
    shutil.copy(ROOT / "generator/definitions/2019.yaml", folder / "generator/definitions/2019.yaml")
    shutil.copytree(ROOT / "site_templates", folder / "site_templates")
    shutil.copytree(ROOT / "content", folder / "content", ignore=shutil.ignore_patterns("generated", ".generated*"))
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace(
        "      generated: content/generated\n",
        f"      generated: content/generated\n      static_charts: {str(static).lower()}\n"
        + (f"      cache: {cache}\n" if cache else ""),
    )
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    (folder / "cities").mkdir()
    for name, text in cities.items():
        (folder / "cities" / name).write_text(text, encoding="utf-8")
    return folder / "mkdocs.yml"


def measure(n: int, seed: int, work: Path, definition: Definition, cache: Path, naive_too: bool = True) -> dict:
    cities = synthesize(definition, n, seed)
    ours_config = project(work / f"ours-{n}", cities, static=False, cache=cache)
    naive_dir = work / f"naive-{n}"
    ours = mkdocs(ours_config)
    if not naive_too:
        base = {"seconds": float("nan"), "peak_mib": float("nan"), "stages": {}}
    else:
        start = time.perf_counter()
        naive.build(ours_config.parent / "cities", naive_dir)
        naive_generate = time.perf_counter() - start
        base = mkdocs(naive_dir / "mkdocs.yml")
        base["seconds"] += naive_generate
    page = ours_config.parent / "site" / "cities" / "synthetic-00001" / "index.html"
    naive_page = naive_dir / "site" / "cities" / "synthetic-00001" / "index.html"  # (when built)
    # our stages: the pipeline runs before MkDocs reads the docs folder (load … render and
    # write, static charts); what is left is MkDocs' own build of the pages we wrote
    own = sum(ours["stages"].values())
    result = {
        "n": n,
        "ours": ours,
        "naive": base,
        "own_seconds": own,
        "mkdocs_seconds": ours["seconds"] - own,
        "page_bytes": page.stat().st_size,
        "naive_page_bytes": naive_page.stat().st_size if naive_too else 0,
        # (one page is another random city at each size: the mean of all says more)
        "mean_page_bytes": statistics.mean(p.stat().st_size for p in (page.parent.parent).glob("*/index.html")),
        "site_bytes": tree_size(ours_config.parent / "site"),
        "naive_site_bytes": tree_size(naive_dir / "site") if naive_too else 0,
    }
    shutil.rmtree(ours_config.parent / "site")
    shutil.rmtree(naive_dir / "site", ignore_errors=True)
    return result


def static_costs(n: int, seed: int, work: Path, definition: Definition) -> dict:
    config = project(work / f"static-{n}", synthesize(definition, n, seed), static=True)
    cold = mkdocs(config)
    warm = mkdocs(config)
    return {"n": n, "cold": cold, "warm": warm}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[150, 1000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--static", action="store_true", help="also measure static chart renders at the smallest size")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--no-naive",
        action="store_true",
        help="build only our site (no ratio to the baseline): for a quick look at one size",
    )
    args = parser.parse_args()
    definition = Definition.model_validate(load_yaml(ROOT / "generator/definitions/2019.yaml").value)
    results = []
    with tempfile.TemporaryDirectory(prefix="icc-bench-") as tmp:
        work = Path(tmp)
        # The chart library bundle is made once per machine and version (like installing a
        # package) and kept in the plugin's cache; it is made here, timed, before the builds.
        cache = work / "cache"
        start = time.perf_counter()
        vega_script(cache)
        bundle_seconds = time.perf_counter() - start
        for n in args.sizes:
            print(f"building {n} cities ...", file=sys.stderr, flush=True)
            results.append(measure(n, args.seed, work, definition, cache, naive_too=not args.no_naive))
        static = static_costs(min(args.sizes), args.seed, work, definition) if args.static else None

    stage_names = list(dict.fromkeys(name for r in results for name in r["ours"]["stages"]))
    print(
        f"\n{'cities':>8} | "
        + " | ".join(f"{s:>9}" for s in stage_names)
        + " | our stages | rest of the build | total s | naive s | ours/naive | our share"
        + " | page KB | mean page KB | naive page KB"
        + " | site MB | naive site MB | peak MiB | naive peak MiB"
    )
    for r in results:
        o = r["ours"]
        print(
            f"{r['n']:>8} | "
            + " | ".join(f"{o['stages'].get(s, 0):9.2f}" for s in stage_names)
            + f" | {r['own_seconds']:13.2f} | {r['mkdocs_seconds']:21.2f} | {o['seconds']:7.2f}"
            + f" | {r['naive']['seconds']:7.2f} | {o['seconds'] / r['naive']['seconds']:10.2f}"
            + f" | {r['own_seconds'] / o['seconds']:9.1%}"
            + f" | {r['page_bytes'] / 1024:7.1f} | {r['mean_page_bytes'] / 1024:12.1f}"
            + f" | {r['naive_page_bytes'] / 1024:13.1f}"
            + f" | {r['site_bytes'] / 2**20:7.1f} | {r['naive_site_bytes'] / 2**20:13.1f}"
            + f" | {o['peak_mib']:8.0f} | {r['naive']['peak_mib']:14.0f}"
        )
    by_n = {r["n"]: r for r in results}
    if 1000 in by_n or 10000 in by_n:
        print("\nTargets:")
    if 1000 in by_n:
        r = by_n[1000]
        print(
            f"  1,000 cities: ours / naive = {r['ours']['seconds'] / r['naive']['seconds']:.2f} (target <= 0.60); "
            f"our stages = {r['own_seconds'] / r['ours']['seconds']:.1%} of the total"
        )
    if 150 in by_n and 10000 in by_n:
        a, b = by_n[150]["page_bytes"], by_n[10000]["page_bytes"]
        mean_a, mean_b = by_n[150]["mean_page_bytes"], by_n[10000]["mean_page_bytes"]
        print(
            f"  page size 10,000 vs 150 cities: {b / a - 1:+.1%} for the first city's page, "
            f"{mean_b / mean_a - 1:+.1%} for the mean city page (target within ±5 %)"
        )
    if 1000 in by_n and 10000 in by_n:
        ratio = by_n[10000]["ours"]["seconds"] / by_n[1000]["ours"]["seconds"]
        print(f"  time 10,000 / 1,000: {ratio:.1f} (target <= 11)")
        r = by_n[10000]
        print(
            f"  peak memory at 10,000: {r['ours']['peak_mib']:.0f} MiB, "
            f"{r['ours']['peak_mib'] / r['naive']['peak_mib']:.2f} x the naive build's (target <= 1.5)"
        )
    print(f"\nOnce per machine (not in the builds above): bundling the chart library took {bundle_seconds:.1f} s.")
    if static:
        print(
            f"\nStatic chart renders at {static['n']} cities: first build {static['cold']['seconds']:.1f} s "
            f"(renders {static['cold']['stages'].get('static charts', 0):.1f} s), "
            f"rebuild with nothing changed {static['warm']['seconds']:.1f} s "
            f"(renders {static['warm']['stages'].get('static charts', 0):.1f} s)"
        )
    if args.json:
        Path(args.json).write_text(json.dumps({"results": results, "static": static}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
