"""Lighthouse on a phone (its default mobile configuration: a mid-range phone's screen,
4x CPU slowdown and slow 4G, simulated) scores home, the directory and a signatory page
95 or more in each of its four categories: performance, accessibility, best practices and
SEO.

The site is the tests' sample registry (tests/sample_registry.py) with four more active
signatories, logos among them (so the home page's wall of recent signatories is full, with
Latin, Arabic and Japanese names), built with the engine SOCIALMISSION_ENGINE names
(MkDocs by default) and served from 127.0.0.1 by the test. Lighthouse is the npm package
pinned in benchmarks/lighthouse/ (tests/lighthouse_support.py); without Node.js, Lighthouse
or Chromium the tests skip and say why (`make test` installs Lighthouse, .ci/run Node.js
and Chromium). A failure names every audit short of full marks, with its details.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from e2e_support import Site, mkdocs_build, serve
from lighthouse_support import (
    SLOWDOWN,
    calibrated_slowdown,
    describe,
    lighthouse,
    lighthouse_missing,
    outside_requests,
    scores,
)
from sample_registry import sample_registry, write_png

SKIP = lighthouse_missing()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

AIM = 95  # each category's score, out of 100, on every page below
PAGES = {"home": "", "directory": "signatories/",
         "signatory": "signatories/dar-al-kalima/"}  # an Arabic name: a web font and RTL
# Performance is timed on this machine's CPU, slowed down to a phone's, so a busy machine
# lowers it: a page short of the aim is run again, up to RUNS times in all, slowed down by
# what the last run's benchmark index says this machine is (lighthouse_support:
# calibrated_slowdown, at most Lighthouse's 4x), and its best run counts. A run slowed
# down less than its own benchmark index calls for (the machine got faster) does not
# count. Every other category's audits do not depend on timing.
RUNS = 5
# Beside the sample registry's eleven active signatories: (slug, name, logo size in px)
MORE = [("harbour-lights-radio", "Harbour Lights Radio", 512),
        ("maktabat-al-nour", "مكتبة النور", 256),
        ("tokyo-social-lab", "東京ソーシャル研究所", 384),
        ("meadow-and-co", "Meadow & Co", None)]


def more_pledge(number: int, name: str, logo: str | None) -> str:
    lines = [f'name: "{name}"', "kind: organisation",
             f"website: https://more{number}.example.org/",
             f"signed: 2025-0{number}-1{number}", "mission_version: 1",
             "maintainers:", f"  - more-{number}"]
    if logo:
        lines.append(f"logo: {logo}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    registry = sample_registry(tmp_path_factory.mktemp("lighthouse-registry"))
    for number, (slug, name, size) in enumerate(MORE, start=1):
        logo = None
        if size is not None:
            logo = f"logos/{slug}.png"
            write_png(registry / "pledges" / logo, size)
        (registry / "pledges" / f"{slug}.yaml").write_text(
            more_pledge(number, name, logo), encoding="utf-8")
    out = tmp_path_factory.mktemp("lighthouse-site")
    mkdocs_build(registry / "mkdocs.yml", out)
    with serve(out, compress=True) as url:  # gzipped, as a host sends it
        yield Site(out, url)


def best_run(url: str, work: Path) -> tuple[dict[str, Any], list[str]]:
    """The page's Lighthouse report (its best of up to RUNS, see RUNS), and what each run
    took and was slowed down by. A run Lighthouse could not score counts as one short of
    the aim."""
    reports, runs, errors = [], [], []
    slowdown = SLOWDOWN
    for run in range(RUNS):
        start = time.monotonic()
        extra = [] if slowdown == SLOWDOWN else \
            [f"--throttling.cpuSlowdownMultiplier={slowdown:.2f}"]
        try:
            report = lighthouse(url, work / f"report-{run}.json", *extra)
        except RuntimeError as error:
            errors.append(str(error))
            runs.append(f"{time.monotonic() - start:.0f} s, not scored")
            continue
        called_for = calibrated_slowdown(report)
        counts = slowdown >= called_for - 0.05
        runs.append(f"{time.monotonic() - start:.0f} s at {slowdown:.1f}x, performance "
                    f"{scores(report)['performance']}"
                    + ("" if counts else f" (not counted: {called_for:.1f}x was called for)"))
        if counts:
            reports.append(report)
            if min(scores(report).values()) >= AIM:
                break
        slowdown = called_for
    if not reports:
        pytest.fail(f"{url}: no run counts: {'; '.join(runs)}\n" + "\n".join(errors))
    return max(reports, key=lambda r: scores(r)["performance"]), runs


@pytest.mark.parametrize("page", sorted(PAGES))
def test_lighthouse_mobile_scores_the_page_95_or_more_in_every_category(
        site: Site, page: str, tmp_path: Path) -> None:
    url = site.url + PAGES[page]
    report, runs = best_run(url, tmp_path)
    # what Lighthouse loaded: this page, from this server, and nothing from anywhere else
    assert report["finalDisplayedUrl"] == url
    assert outside_requests(report, site.url) == []
    got = scores(report)
    # the record BENCHMARKS.md keeps ("Lighthouse"): pytest -s shows it
    print(f"\n{page}: {got} in {len(runs)} run(s): {', '.join(runs)}; "
          f"benchmark index {report['environment']['benchmarkIndex']:.0f}; "
          f"CLS {report['audits']['cumulative-layout-shift']['numericValue']:.3f}; "
          f"load average {os.getloadavg()[0]:.2f}")
    short = {name: score for name, score in got.items() if score < AIM}
    assert not short, (
        f"{page} (/{PAGES[page]}) is below {AIM} in {short}, the best of {len(runs)} "
        f"run(s): {', '.join(runs)} (its benchmark index of this machine "
        f"{report['environment']['benchmarkIndex']:.0f}; Lighthouse expects 1,000 or more). "
        f"Audits short of full marks:\n{describe(report)}")


def test_lighthouse_reaches_no_other_host(tmp_path: Path) -> None:
    """A page that asks for an image on another host gets nothing (Chromium resolves no
    name but 127.0.0.1's), and the harness sees the request."""
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "index.html").write_text(
        '<!doctype html><html lang="en"><title>Probe</title><p>Probe</p>'
        '<img src="http://example.com/probe.png" alt="" width="8" height="8">'
        '<img id="local" alt="" width="8" height="8"><script>'
        'document.getElementById("local").src = `http://localhost:${location.port}/p.png`'
        "</script>", encoding="utf-8")
    with serve(tmp_path / "www") as url:
        report = lighthouse(url, tmp_path / "report.json")
    port = url.rstrip("/").rsplit(":", 1)[1]
    assert outside_requests(report, url) == ["http://example.com/probe.png",
                                             f"http://localhost:{port}/p.png"]
    statuses = {row["url"]: row["statusCode"]
                for row in report["audits"]["network-requests"]["details"]["items"]}
    # "localhost" is this very server, yet it is not reached: only 127.0.0.1 is
    assert statuses["http://example.com/probe.png"] == -1
    assert statuses[f"http://localhost:{port}/p.png"] == -1
