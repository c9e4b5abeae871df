"""Benchmark of the editing loop: ``mkdocs serve`` on the real data, one edit at a time.

    python benchmarks/serve.py            # 5 edits
    python benchmarks/serve.py --edits 10

It copies the project's inputs into a temporary folder, starts ``mkdocs serve`` there,
and then, for each edit, changes Rochester's published aggregate in its city file and
measures the seconds until the served Oslo page shows the new mean of the other cities
(so the edit has gone through scoring, comparison and every page that shows a sample
mean, not only Rochester's own page). It prints each time and the median, and how many
builds the server ran. Nothing is asserted: the script prints figures.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project root first, so this import works when the script is run by its path (hence E402).
sys.path.insert(0, str(ROOT))

from benchmarks.build import project  # noqa: E402

MEAN = re.compile(r"The mean of the (\d+) other cities on this site with a score \([^)]*\) is (\d+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oslo_mean(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url + "cities/oslo/", timeout=2) as response:
            match = MEAN.search(response.read().decode("utf-8"))
            return match.group(2) if match else None
    except OSError:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="icc-serve-") as tmp:
        cities = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "cities").glob("*.yaml"))}
        project(Path(tmp) / "site-project", cities, static=False)  # the real data
        project_dir = Path(tmp) / "site-project"
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        with open(project_dir / "serve.log", "w+") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                cwd=project_dir,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": url},
            )
            try:
                deadline = time.time() + 120
                while (before := oslo_mean(url)) is None:
                    if time.time() > deadline or server.poll() is not None:
                        raise SystemExit("mkdocs serve did not start:\n" + (project_dir / "serve.log").read_text())
                    time.sleep(0.2)
                time.sleep(1.5)  # let the server settle after its first build
                city = project_dir / "cities" / "rochester.yaml"
                text = city.read_text(encoding="utf-8")
                seconds = []
                for i in range(args.edits):
                    value = 99 if i % 2 == 0 else 10  # far enough apart to move the rounded mean every time
                    city.write_text(re.sub(r"aggregate: \d+", f"aggregate: {value}", text, count=1), encoding="utf-8")
                    start = time.perf_counter()
                    while (now := oslo_mean(url)) in (before, None):  # (None: the page is being rebuilt)
                        if time.perf_counter() - start > 60:
                            raise SystemExit(
                                "the edit never showed:\n" + (project_dir / "serve.log").read_text()[-3000:]
                            )
                        time.sleep(0.02)
                    seconds.append(time.perf_counter() - start)
                    print(
                        f"edit {i + 1}: Rochester's aggregate {value}; Oslo's page shows the mean of the others "
                        f"{before} -> {now} after {seconds[-1]:.2f} s",
                        flush=True,
                    )
                    before = now
                    time.sleep(1.0)
                time.sleep(2.0)  # (a build the last edit set off twice would have started by now)
            finally:
                server.terminate()
                server.wait(timeout=30)
        # (counted as they start: MkDocs does not log a message twice, and two builds can
        # end with the same "Documentation built in 0.74 seconds")
        builds = len(re.findall(r"Building documentation\.\.\.", (project_dir / "serve.log").read_text()))
        print(
            f"\nmedian {statistics.median(seconds):.2f} s from saving the file to the new figures being served "
            f"(min {min(seconds):.2f}, max {max(seconds):.2f}); the server built {builds} times "
            f"for {len(seconds)} edits (one build at start and one per edit make {len(seconds) + 1})"
        )


if __name__ == "__main__":
    main()
