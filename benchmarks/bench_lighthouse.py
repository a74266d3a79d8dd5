"""Lighthouse on the built site, as a phone sees it: home, the directory and a signatory's
page, scored in all four categories.

Run from the repository root:

    make lighthouse                     # installs Lighthouse (npm ci), then runs this
    .venv/bin/python benchmarks/bench_lighthouse.py [--site DIR ...] [--runs 3]

Lighthouse is the npm package pinned in benchmarks/lighthouse/package.json and its
package-lock.json; `--install` (what `make lighthouse` passes) runs `npm ci` into that
folder first. Without it installed, the script says how to install it and exits 0 having
measured nothing (tests/test_benchmarks.py runs it either way).

Without --site it builds a fixture site: --count generated signatories (bench_validate.py's
generator, fixed seed: names in several scripts) with the real design, pages and config.
--site may be given more than once (say, a build from before a change and one from
after): the sites' runs are interleaved, run 1 of each page of every site, then run 2, so a
change in the machine's load falls on all of them alike.

Each site is served from 127.0.0.1 with gzip for text types (the tests' server, as a
host would), and each page is audited --runs times by Lighthouse's default (mobile)
configuration: a mid-range phone's screen and CPU (4x slowdown, or --cpu-slowdown) and a
slow 4G network, simulated. The CPU figures (Total Blocking Time above all) are this
machine's, slowed down: the table shows Lighthouse's benchmark index of the machine (a
desktop scores about 1,000 to 2,000; a loaded shared machine far less), which says how far
to trust them. Debian's Chromium (/usr/bin/chromium) runs headless with the browser tests'
flags (tests/e2e_support.py). Printed: the median of each category's score and of First
Contentful Paint, Largest Contentful Paint, Total Blocking Time and Cumulative Layout
Shift, with the load average before and after; --json FILE keeps every run's figures.

See BENCHMARKS.md ("Lighthouse").
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parent.parent / "tests"))
# the test's Lighthouse (tests/site/test_lighthouse.py): the same pin, flags and server
from e2e_support import CHROMIUM, serve
from lighthouse_support import (
    CATEGORIES,
    LIGHTHOUSE,
    LIGHTHOUSE_DIR,
    ROOT,
    failing,
    lighthouse,
    scores,
)

BIN = Path(sys.executable).parent
INSTALL_HINT = ("Lighthouse is not installed: `make lighthouse` installs it (npm ci in "
                "benchmarks/lighthouse/, from its package-lock.json), or pass --install")
METRICS = (("first-contentful-paint", "FCP s", 1000), ("largest-contentful-paint", "LCP s", 1000),
           ("total-blocking-time", "TBT ms", 1), ("cumulative-layout-shift", "CLS", 1))
INDEX = "bench index"  # Lighthouse's benchmarkIndex of this machine, in that run
PAGES = {"home": "", "directory": "signatories/"}  # and a signatory's page, found in the site


def install() -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is not installed: apt-get install npm, then run this again")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
                   cwd=LIGHTHOUSE_DIR, check=True)


def build_fixture(work: Path, count: int) -> Path:
    """A fixture registry of `count` generated signatories, built into work/site."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_site import make_registry  # noqa: PLC0415

    registry = make_registry(work / "registry", count, seed=14)
    out = work / "site"
    result = subprocess.run([str(BIN / "socialmission"), "--root", str(registry), "build",
                             "--out", str(out)],
                            cwd=registry, capture_output=True, text=True, check=False,
                            env=os.environ)
    if result.returncode != 0:
        raise SystemExit(f"the fixture site did not build:\n{result.stderr[-3000:]}")
    return out


def signatory_page(site: Path) -> str:
    """A signatory's page: the first, by address, whose name needs a web font (its page
    preloads one), else the first."""
    pages = sorted(p.parent for p in (site / "signatories").glob("*/index.html")
                   if p.parent.name not in ("former", "page"))
    if not pages:
        raise SystemExit(f"{site}: no signatory page under signatories/: is it a built site?")
    fonts = [p for p in pages if 'as="font"' in (p / "index.html").read_text("utf-8")]
    return f"signatories/{(fonts or pages)[0].name}/"


def audit(url: str, out: Path, cpu_slowdown: float | None = None) -> dict[str, Any]:
    """One Lighthouse run (mobile, the default); its report's categories and metrics."""
    slowdown = [] if cpu_slowdown is None else \
        [f"--throttling.cpuSlowdownMultiplier={cpu_slowdown}"]
    report = lighthouse(url, out, *slowdown)
    figures: dict[str, Any] = dict(scores(report))
    for audit_id, label, scale in METRICS:
        figures[label] = report["audits"][audit_id]["numericValue"] / scale
    figures[INDEX] = report["environment"]["benchmarkIndex"]
    figures["failed"] = sorted(f"{name}: {item['id']}" for name, item in failing(report))
    return figures


def table(results: dict[str, list[dict[str, Any]]]) -> None:
    columns = [*CATEGORIES, *(label for _, label, _ in METRICS), INDEX]
    width = max(len(page) for page in results) + 2
    print(f"\n{'page':<{width}}" + "".join(f"{c:>15}" for c in columns))
    for page, runs in results.items():
        if not runs:
            print(f"{page:<{width}}no run was scored")
            continue
        cells = []
        for column in columns:
            value = statistics.median(run[column] for run in runs)
            cells.append(f"{value:>15.3f}" if column == "CLS" else
                         f"{value:>15.2f}" if column.endswith(" s") else f"{value:>15.0f}")
        print(f"{page:<{width}}" + "".join(cells))
    failing = sorted({item for runs in results.values() for run in runs
                      for item in run["failed"]})
    if failing:
        print("\naudits below full marks in some run (category: audit):")
        print("\n".join(f"  {item}" for item in failing))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, action="append",
                        help="a built site (default: build a fixture); again for another, "
                             "its runs interleaved with the first's")
    parser.add_argument("--count", type=int, default=30,
                        help="signatories in the fixture site (default 30)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page (default 3)")
    parser.add_argument("--install", action="store_true",
                        help="install the pinned Lighthouse first (npm ci)")
    parser.add_argument("--signatory", metavar="SLUG",
                        help="the signatory page to audit (default: the first site's first "
                             "that loads a web font), the same on every site")
    parser.add_argument("--cpu-slowdown", type=float,
                        help="Lighthouse's CPU slowdown (default: its own, 4)")
    parser.add_argument("--json", type=Path, help="write every run's figures here")
    args = parser.parse_args(argv)
    if args.install:
        install()
    if not LIGHTHOUSE.exists():
        print(INSTALL_HINT)
        return 0
    if not os.access(CHROMIUM, os.X_OK):
        print(f"no Chromium at {CHROMIUM}: apt-get install chromium; nothing was measured")
        return 0
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True,
                             check=False).stdout.strip()
    chromium = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True,
                              check=False).stdout.strip()
    slowdown = "4x (Lighthouse's)" if args.cpu_slowdown is None else f"{args.cpu_slowdown:g}x"
    print(f"Lighthouse {version}, {chromium}, mobile (simulated slow 4G, {slowdown} CPU "
          f"slowdown)")
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as temp, \
            contextlib.ExitStack() as servers:
        work = Path(temp)
        sites = [p.resolve() for p in args.site] if args.site else \
            [build_fixture(work, args.count)]
        signatory = f"signatories/{args.signatory}/" if args.signatory else \
            signatory_page(sites[0])
        targets = []  # (label, url) of every page of every site
        for number, site in enumerate(sites, start=1):
            base = servers.enter_context(serve(site, compress=True))
            tag = f"{number} {site.parent.name}/{site.name}: " if len(sites) > 1 else ""
            for name, path in {**PAGES, "signatory": signatory}.items():
                targets.append((f"{tag}{name} (/{path})", f"{base}{path}"))
        results: dict[str, list[dict[str, Any]]] = {label: [] for label, _ in targets}
        for run in range(args.runs):
            for index, (label, url) in enumerate(targets):
                try:
                    figures = audit(url, work / f"{index}-{run}.json", args.cpu_slowdown)
                except RuntimeError as error:  # this run only: the others still count
                    print(f"  {label} run {run + 1} failed: {error}", flush=True)
                    continue
                results[label].append(figures)
                print(f"  {label} run {run + 1}: " + ", ".join(
                    f"{c} {figures[c]}" for c in CATEGORIES)
                    + f" (load {os.getloadavg()[0]:.2f})", flush=True)
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"\nmedians of {args.runs} run(s) a page:")
    table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
