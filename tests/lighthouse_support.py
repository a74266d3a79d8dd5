"""Lighthouse, as the test (tests/site/test_lighthouse.py) and the benchmark
(benchmarks/bench_lighthouse.py) run it: the npm package pinned in
benchmarks/lighthouse/package-lock.json (`make test` and `make lighthouse` install it with
`npm ci`), driving Debian's Chromium headless with the browser tests' flags.

Nothing leaves the machine: Chromium resolves no host name but 127.0.0.1's (any other
request fails, and shows in the report's network requests, which `outside_requests`
lists), Lighthouse's error reporting is off, and no full-page screenshot is taken.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from e2e_support import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE_DIR = ROOT / "benchmarks" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
AUDIT_TIMEOUT = 300  # s for one Lighthouse run
# Every host name resolves to nothing, except the test's own server's address.
# (Lighthouse splits --chrome-flags at spaces outside quotes.)
NO_OTHER_HOST = '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"'


# Lighthouse slows the CPU down 4x, which makes a host of benchmark index about 1,056 as
# slow as the phone it emulates (a Moto G Power, index 264 in Chrome DevTools' own CPU
# calibration; Lighthouse warns below 1,000). A slower or busier host is slowed down less:
# by its index over the phone's, never less than 1x, never more than Lighthouse's 4x
# (Lighthouse's docs/throttling.md, "calibrating multipliers").
PHONE_INDEX = 264
SLOWDOWN = 4.0  # Lighthouse's default


def calibrated_slowdown(report: dict[str, Any]) -> float:
    """The CPU slowdown that makes the host of `report`, as busy as it was, the phone."""
    index = float(report["environment"]["benchmarkIndex"])
    return min(SLOWDOWN, max(1.0, index / PHONE_INDEX))


def chrome_flags() -> list[str]:
    """Chromium's flags under Lighthouse: headless, the browser tests' own, and no host
    but 127.0.0.1."""
    return ["--headless=new", *CHROMIUM_ARGS, NO_OTHER_HOST]


def lighthouse_missing() -> str | None:
    """Why Lighthouse cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "Node.js is not installed: apt-get install nodejs npm (.ci/run does)"
    if not LIGHTHOUSE.exists():
        return ("Lighthouse is not installed: `make test` (or `make lighthouse`) installs it "
                "with npm ci into benchmarks/lighthouse/, from its package-lock.json")
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)"
    return None


def lighthouse(url: str, out: Path, *extra: str) -> dict[str, Any]:
    """One Lighthouse run on `url`: its default (mobile) configuration, the four categories;
    the report (also written to `out`)."""
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--only-categories={','.join(CATEGORIES)}", "--no-enable-error-reporting",
               "--disable-full-page-screenshot", f"--chrome-flags={' '.join(chrome_flags())}",
               *extra]
    result = subprocess.run(command, capture_output=True, text=True, check=False,
                            timeout=AUDIT_TIMEOUT, env={**os.environ, "CHROME_PATH": str(CHROMIUM)})
    if result.returncode != 0 or not out.is_file():
        raise RuntimeError(f"Lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"Lighthouse could not load {url}: {report['runtimeError']}")
    unscored = [name for name in CATEGORIES if report["categories"][name]["score"] is None]
    if unscored:  # an audit it needs failed: a metric not measured, say, on a busy machine
        errors = [f"{ref['id']}: {report['audits'][ref['id']].get('errorMessage')}"
                  for name in unscored for ref in report["categories"][name]["auditRefs"]
                  if report["audits"][ref["id"]].get("scoreDisplayMode") == "error"]
        raise RuntimeError(f"Lighthouse scored no {', '.join(unscored)} on {url}: "
                           f"{'; '.join(errors) or 'no audit says why'}")
    return report


def scores(report: dict[str, Any]) -> dict[str, int]:
    """Each category's score, 0 to 100."""
    return {name: round(100 * report["categories"][name]["score"]) for name in CATEGORIES}


def failing(report: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(category, audit) of every audit that counts towards a category's score and does not
    have full marks."""
    found = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            item = report["audits"][ref["id"]]
            if ref.get("weight") and item.get("scoreDisplayMode") in ("binary", "numeric") \
                    and (item.get("score") or 0) < 1:
                found.append((name, item))
    return found


def _detail(row: dict[str, Any]) -> str:
    """One row of an audit's details, as the text that finds it."""
    parts = []
    for key, value in row.items():
        shown = value
        if isinstance(value, dict):
            shown = value.get("snippet") or value.get("selector") or value.get("url") \
                or value.get("nodeLabel") or value.get("text") or value.get("value")
        if shown is not None and key not in ("type", "entity"):
            parts.append(f"{key}: {str(shown)[:200]}")
    return "; ".join(parts)


def _rows(item: dict[str, Any], limit: int = 8) -> list[str]:
    rows = (item.get("details") or {}).get("items") or []
    lines = [f"    {_detail(row)}" for row in rows[:limit] if isinstance(row, dict)]
    if len(rows) > limit:
        lines.append(f"    ... and {len(rows) - limit} more")
    return lines


# What a performance score below full marks comes from: Lighthouse's diagnostics, which
# weigh nothing in the score but name the elements, files and tasks behind its metrics.
DIAGNOSTICS = ("render-blocking-resources", "largest-contentful-paint-element",
               "layout-shifts", "long-tasks", "bootup-time", "unused-css-rules",
               "unused-javascript", "uses-responsive-images", "total-byte-weight")


def describe(report: dict[str, Any]) -> str:
    """Every failing audit (`failing`): its category, id, score, title, display value and
    the first rows of its details; and, when performance is short of full marks, the
    diagnostics behind it (DIAGNOSTICS): so that what to fix is in the message."""
    lines = []
    for category, item in failing(report):
        value = f" ({item['displayValue']})" if item.get("displayValue") else ""
        lines.append(f"{category}: {item['id']} scored {item.get('score')}: "
                     f"{item['title']}{value}")
        lines += _rows(item)
    if any(category == "performance" for category, _ in failing(report)):
        for audit_id in DIAGNOSTICS:
            item = report["audits"].get(audit_id, {})
            if (item.get("score") is not None and item["score"] >= 1) or \
                    not (item.get("details") or {}).get("items"):
                continue
            value = f" ({item['displayValue']})" if item.get("displayValue") else ""
            lines.append(f"performance diagnostic: {audit_id}: {item['title']}{value}")
            lines += _rows(item)
    return "\n".join(lines)


def outside_requests(report: dict[str, Any], origin: str) -> list[str]:
    """Every request the page made to anything but `origin` (data: and blob: aside)."""
    rows = report["audits"]["network-requests"]["details"]["items"]
    found = []
    for row in rows:
        parts = urlsplit(row["url"])
        if parts.scheme not in ("data", "blob") and \
                f"{parts.scheme}://{parts.netloc}" != origin.rstrip("/"):
            found.append(row["url"])
    return found
