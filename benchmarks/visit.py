"""Benchmark of what a visitor feels: four pages on a throttled phone, before and after.

    python benchmarks/visit.py                      # the working tree's site
    python benchmarks/visit.py --before 7f3c149     # and an earlier commit's, side by side
    python benchmarks/visit.py --runs 3             # the median of three runs of each page

It builds the site (``mkdocs build``; with ``--before``, also the given commit's, from a
git worktree), serves each build on localhost gzipped as GitHub Pages serves it, and
visits the home page, the results listing, an area page and Ansan's page as a phone:

- **Lighthouse** (npm package ``lighthouse``, pinned below and installed into
  ``.cache/lighthouse`` on first use; it drives Debian's Chromium) with its mobile
  profile: 390 × 844 CSS pixels, CPU 4× slower, slow 4G (150 ms, 1.6 Mbit/s), simulated
  throttling. It gives the bytes transferred before any interaction (gzipped), the number
  of requests, Largest Contentful Paint, Cumulative Layout Shift and Total Blocking Time.
- **Chromium through Playwright**, throttled alike through the DevTools protocol (CPU 4×,
  150 ms and 1.6 Mbit/s), for two times Lighthouse does not measure: from
  DOMContentLoaded until every chart in the first screen is visible (its static image
  decoded, or the interactive chart drawn), and from a pointer first resting on the page's
  first chart until its interactive chart is drawn (0 when it was drawn before). It also
  counts console errors.

Nothing is asserted: the script prints figures. Needs Node.js 18 or later and npm (on
Debian: ``apt-get install nodejs npm``).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: The Lighthouse version (12.2.3 is the last that runs on Node 20 and installs from its own lock).
LIGHTHOUSE = "lighthouse@12.2.3"
PAGES = {"home": "", "listing": "results/", "area": "areas/commitment/", "Ansan": "cities/ansan/"}
#: The phone: Lighthouse's mobile profile at 390 CSS pixels wide.
WIDTH, HEIGHT, SCALE = 390, 844, 3
#: Slow 4G as Lighthouse simulates it, applied by the DevTools protocol.
RTT_MS, DOWN_KBPS, UP_KBPS, CPU_SLOWDOWN = 150, 1638.4, 675, 4
#: What GitHub Pages sends gzipped.
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class _Gzip(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; text, scripts, JSON and SVG gzipped when the client accepts it."""

    cache: ClassVar[dict[str, bytes]] = {}

    def send_head(self):  # type: ignore[override]
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        kind = self.guess_type(path)
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "") and kind.startswith(GZIP_TYPES)
        if not gzipped or not os.path.isfile(path):
            return super().send_head()
        if path not in self.cache:
            with open(path, "rb") as f:
                self.cache[path] = gzip.compress(f.read(), compresslevel=6)
        body = self.cache[path]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, *args):
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(type("Handler", (_Gzip,), {"cache": {}}), directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def build(project: Path, out: Path) -> None:
    """``mkdocs build`` of a project folder into ``out`` (the project's own ``generator`` is imported)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(out)],
        cwd=project,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def lighthouse_bin() -> Path:
    prefix = ROOT / ".cache" / "lighthouse"
    binary = prefix / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(
            ["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "-E", LIGHTHOUSE],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return binary


def lighthouse(url: str, out: Path) -> dict[str, float]:
    """One Lighthouse run (mobile, simulated throttling) of one page: its figures."""
    subprocess.run(
        [
            str(lighthouse_bin()),
            url,
            "--quiet",
            "--only-categories=performance",
            "--output=json",
            f"--output-path={out}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            f"--screenEmulation.width={WIDTH}",
            f"--screenEmulation.height={HEIGHT}",
            f"--screenEmulation.deviceScaleFactor={SCALE}",
            "--screenEmulation.mobile",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    audits = json.loads(out.read_text(encoding="utf-8"))["audits"]
    return {
        "kb": audits["total-byte-weight"]["numericValue"] / 1024,
        "requests": len(audits["network-requests"]["details"]["items"]),
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
    }


#: Run in the page before its own scripts: when the first screen's charts are all visible
#: (ms after DOMContentLoaded), and when the first chart was first rested on and drawn.
PROBE = """
(() => {
  const shown = (f) => f.classList.contains("icc-chart--drawn") || [...f.querySelectorAll("img")].some(
    (i) => i.complete && i.naturalWidth > 0 && i.getClientRects().length);
  window.__icc = {};
  document.addEventListener("DOMContentLoaded", () => {
    const dcl = performance.now();
    const check = () => {
      const first = [...document.querySelectorAll("figure.icc-chart")].filter((f) => {
        const r = f.getBoundingClientRect();
        return r.width > 0 && r.top < innerHeight && r.bottom > 0;
      });
      if (first.every(shown)) { window.__icc.visible = { ms: performance.now() - dcl, charts: first.length }; }
      else { requestAnimationFrame(check); }
    };
    check();
  });
})();
"""


def phone_times(browser, url: str) -> dict[str, float | int | None]:
    """Charts visible after DOMContentLoaded, and interactive after a first hover (ms), on a throttled phone."""
    context = browser.new_context(
        viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=SCALE, is_mobile=False, has_touch=False
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": RTT_MS,
            "downloadThroughput": DOWN_KBPS * 1024 / 8,
            "uploadThroughput": UP_KBPS * 1024 / 8,
        },
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.add_init_script(PROBE)
    page.goto(url, wait_until="load")
    page.wait_for_function("() => window.__icc && window.__icc.visible", timeout=60000)
    visible = page.evaluate("() => window.__icc.visible")
    hover = None
    figure = page.locator("figure.icc-chart").first
    if figure.count() and figure.is_visible():
        page.wait_for_load_state("networkidle")
        drawn = "() => document.querySelector('figure.icc-chart').classList.contains('icc-chart--drawn')"
        if page.evaluate(drawn):
            hover = 0.0
        else:
            start = page.evaluate("() => performance.now()")
            figure.hover()
            page.wait_for_function(drawn, timeout=60000)
            hover = page.evaluate("() => performance.now()") - start
    context.close()
    return {
        "visible_ms": visible["ms"],
        "first_screen_charts": visible["charts"],
        "hover_ms": hover,
        "errors": len(errors),
    }


def measure(url: str, runs: int, work: Path) -> dict[str, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    results: dict[str, dict[str, float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for name, path in PAGES.items():
            samples = []
            for i in range(runs):
                figures: dict[str, float] = dict(lighthouse(url + path, work / f"lh-{name}-{i}.json"))
                figures.update({k: v for k, v in phone_times(browser, url + path).items() if v is not None})
                samples.append(figures)
            results[name] = {k: statistics.median(s[k] for s in samples if k in s) for k in samples[0]}
        browser.close()
    return results


COLUMNS = [
    ("kb", "KB gz", "{:.0f}"),
    ("requests", "requests", "{:.0f}"),
    ("lcp", "LCP s", "{:.2f}"),
    ("cls", "CLS", "{:.3f}"),
    ("tbt", "TBT ms", "{:.0f}"),
    ("first_screen_charts", "charts in 1st screen", "{:.0f}"),
    ("visible_ms", "visible ms after DCL", "{:.0f}"),
    ("hover_ms", "hover → drawn ms", "{:.0f}"),
    ("errors", "console errors", "{:.0f}"),
]


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    head = "| build | page | " + " | ".join(title for _, title, _ in COLUMNS) + " |"
    lines = [head, "|---|---|" + "---:|" * len(COLUMNS)]
    for build_name, pages in results.items():
        for page, figures in pages.items():
            cells = [fmt.format(figures[key]) if key in figures else "—" for key, _, fmt in COLUMNS]
            lines.append(f"| {build_name} | {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", help="also measure this commit's site (built from a git worktree)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each page (the median is printed)")
    args = parser.parse_args()
    lighthouse_bin()
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="icc-visit-") as tmp:
        work = Path(tmp)
        builds = {}
        if args.before:
            tree = work / "before"
            subprocess.run(["git", "worktree", "add", "--detach", str(tree), args.before], cwd=ROOT, check=True)
            try:
                build(tree, work / "site-before")
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=True)
            builds[f"before ({args.before})"] = work / "site-before"
        build(ROOT, work / "site-now")
        builds["now"] = work / "site-now"
        for name, folder in builds.items():
            server, url = serve(folder)
            try:
                results[name] = measure(url, args.runs, work)
            finally:
                server.shutdown()
    print(table(results))


if __name__ == "__main__":
    main()
