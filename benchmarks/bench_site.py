"""Benchmark the site build at scale against a bare MkDocs-Material floor.

Run from the repository root (the browser step needs the `playwright` package and
Debian's /usr/bin/chromium; without them it is skipped and says why):

    .venv/bin/python benchmarks/bench_site.py [--counts 1000,10000] [--repeat 3]

For each N in --counts it writes a temporary registry: N valid, varied pledges (the
generator of bench_validate.py, fixed seed: unique, non-confusable names in several
scripts, unique *.example.org / *.example.com websites, a mix of countries, sectors and
kinds, about 6% withdrawn, 5% with a logo) plus copies of mission.yaml, mkdocs.yml, site/,
badges/ and the pledge template, and checks that `socialmission validate` finds nothing.
It also writes the floor: a plain MkDocs-Material project (same theme, `font: false`, the
search plugin, a nav of one page) with N plain Markdown pages out of the nav.

Then, each build a subprocess into an empty folder (the registry's: `socialmission build
--engine ENGINE`, --engine mkdocs by default; the floors: `mkdocs build --strict`), timed with
its peak memory (ru_maxrss from os.wait4: the largest single process of the build, the
badge workers included; and the build's whole process tree, PSS sampled every 0.2 s):

- cold: the registry with no .cache/ (every badge rendered). Run --repeat times when N
  is at most --cold-repeat-max, else once; skipped, with an estimate, when the estimate
  from the smaller N exceeds --max-cold-minutes (the warm runs then use a badge cache
  made by copying one rendered folder per signatory, which the build accepts as fresh);
- warm, one pledge changed: one pledge's name edited (its badges rendered again, every
  other one from .cache/), onto the previous build's output and the base kept beside it
  as a rebuild is (two untimed builds put both in place first), --repeat times, a
  different edit each time;
- warm, nothing changed, --repeat times: onto the previous build's output, as a rebuild
  is, so the up-to-date check stops it before the engine;
- floor: the bare MkDocs-Material project, --repeat times; with --engine zensical also
  the same project built by Zensical (`zensical build --clean --strict`: every page
  rendered, as MkDocs does; without --clean Zensical reuses its page cache).

The warm, floor and unchanged runs are interleaved, so a change in the machine's load
affects them alike. The output size is `du -sb` of the site folder.

At the largest N (or --browser-count) it serves the warm-built site on 127.0.0.1 (gzip for
text types, as a real host would) and loads /signatories/ in headless Chromium through
Playwright: every response's transferred bytes (Chromium's encodedDataLength), and its
raw and gzip -6 sizes computed from the file served, before anyone touches a search box,
then after typing one letter in the directory's name search, then (on a fresh load) one
letter in the site search in the header, with the time from that key to the first
signatory the search lists (site/assets/signatory-search.js, which fetches
api/v1/directory.json then).

--browser-site DIR runs only that browser step, on a site already built (by either
engine), and stops.

With --profile it also runs one warm build in this process under cProfile (CPU-time
clock) at the largest N and prints where the time goes, with the RSS after each build-wide
event; --profile-registry DIR does only that, on a registry kept by --keep.

See BENCHMARKS.md ("Site build").
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import gzip
import http.server
import io
import os
import platform
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from bench_validate import SENTENCES
from bench_validate import generate as generate_pledges
from ledger import OUTPUT_BUDGET_KIB as OUTPUT_AIM_KIB  # the Pages artifact over N
from ledger import OUTPUT_GOAL_KIB, TAR_ARGV

sys.path.append(str(Path(__file__).resolve().parent.parent / "tests"))
# a host's gzip, as the tests' server sends it
from e2e_support import GZIP_TYPES, GzipHandler

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MKDOCS = BIN / "mkdocs"
SOCIALMISSION = BIN / "socialmission"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
SEED = 20231001
FLOOR_SECONDS_ELSEWHERE = 51.0  # the figure for 10,000 plain pages out of the nav
FLOOR_MB_ELSEWHERE = 141.0
# The aims of issue 19, each a ratio to the bare MkDocs-Material floor of the same run.
WARM_AIM = 0.5  # warm rebuild after one change
UNCHANGED_AIM = 0.25  # warm rebuild with nothing changed
COLD_AIM = 8.0  # cold build, wall time
COLD_GOAL = 6.0  # cold build, once the badges take at most 15 ms CPU a signatory
SETTLING_EDITS = (901, 902)  # the untimed edits before the warm rounds (bench_count)
PAGES_LIMIT = 1 << 30  # GitHub Pages' published-site limit: 1 GB
DIRECTORY_AIM_KB = 150  # the directory page, transferred, before the visitor searches
PSS_INTERVAL = 0.2  # seconds between samples of the build's process tree

FLOOR_CONFIG = """\
site_name: Floor
site_url: https://floor.example.org/
docs_dir: docs
strict: true
use_directory_urls: true
theme:
  name: material
  language: en
  font: false
plugins:
  - search
nav:
  - Home: index.md
"""


# The engines' header-search indexes: MkDocs and ProperDocs, then Zensical.
SEARCH_INDEXES = ("search/search_index.json", "search.json")


# --- the two projects -------------------------------------------------------------------

def make_registry(root: Path, count: int, seed: int) -> Path:
    """A registry with `count` generated pledges and the real design, pages and config."""
    root.mkdir(parents=True)
    generate_pledges(root, count, seed)  # mission.yaml, pledges/ (template and logos too)
    for name in ("mkdocs.yml", "registry.yaml"):
        shutil.copy(ROOT / name, root / name)
    for name in ("site", "badges"):
        shutil.copytree(ROOT / name, root / name)
    return root


def make_floor(root: Path, count: int, seed: int) -> Path:
    """A bare MkDocs-Material project: one page in the nav and `count` plain pages out of it."""
    rng = random.Random(seed)
    docs = root / "docs"
    (docs / "pages").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(FLOOR_CONFIG, encoding="utf-8")
    (docs / "index.md").write_text("# Floor\n\nA bare MkDocs-Material site.\n",
                                   encoding="utf-8")
    for number in range(1, count + 1):
        paragraphs = [" ".join(rng.sample(SENTENCES, 3)) for _ in range(3)]
        text = f"# Page {number}\n\n" + "\n\n".join(paragraphs) + "\n"
        (docs / "pages" / f"page-{number:05d}.md").write_text(text, encoding="utf-8")
    return root


def make_themed_floor(root: Path, count: int, seed: int) -> Path:
    """The floor with the registry's own theme settings (features, palettes, overrides,
    stylesheet, Markdown extensions) and a nav as long as the registry's: what MkDocs and
    Material cost per page with this design, before any of the registry's work."""
    make_floor(root, count, seed)
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    shutil.copytree(ROOT / "site" / "overrides", root / "overrides")
    shutil.copytree(ROOT / "site" / "assets", root / "docs" / "assets")
    config.update(site_name="Floor, same theme", site_url="https://floor.example.org/",
                  docs_dir="docs", site_dir="site", plugins=["search"])
    config.pop("exclude_docs", None)
    config["theme"]["custom_dir"] = "overrides"
    nav = []
    for number, item in enumerate(config["nav"]):
        title = next(iter(item))
        name = "index.md" if number == 0 else f"nav-{number}.md"
        if number:
            (root / "docs" / name).write_text(f"# {title}\n\nA page of the nav.\n",
                                              encoding="utf-8")
        nav.append({title: name})
    config["nav"] = nav
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=True), encoding="utf-8")
    return root


def edit_one_pledge(root: Path, run: int) -> str:
    """Rename one signatory (so its badges are rendered again); return its file's name."""
    for path in sorted((root / "pledges").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        match = re.search(r"^name: ([A-Za-z][A-Za-z .]*?)(?: Revised \d+)?$", text, re.M)
        if match:
            line = f"name: {match.group(1)} Revised {run}"
            path.write_text(text[:match.start()] + line + text[match.end():],
                            encoding="utf-8")
            return path.name
    raise SystemExit("no pledge with a plain ASCII name to edit")


# --- running and measuring ----------------------------------------------------------------
@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system, the build's waited-for children (badge workers) too
    exit_code: int
    max_rss_kib: int  # the largest single process (wait4's ru_maxrss)
    tree_pss_kib: int  # the process tree's summed PSS, peak of the samples
    output: str

    @property
    def mkdocs_seconds(self) -> float | None:
        """MkDocs's own 'Documentation built in N seconds' (after start-up and config)."""
        match = re.search(r"Documentation built in ([0-9.]+) seconds", self.output)
        return float(match.group(1)) if match else None


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        found.append(parent)
        try:
            tasks = Path(f"/proc/{parent}/task").iterdir()
            for task in tasks:
                children = (task / "children").read_text().split()
                queue.extend(int(child) for child in children)
        except OSError:
            continue
    return found


def _tree_pss_kib(pid: int) -> int:
    total = 0
    for member in _descendants(pid):
        try:
            text = Path(f"/proc/{member}/smaps_rollup").read_text()
        except OSError:
            continue
        match = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
        total += int(match.group(1)) if match else 0
    return total


def run_child(argv: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command; wall time, exit code, output, peak RSS (wait4) and peak tree PSS."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                   env={**os.environ, **(env or {})})
        peak = 0
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.wait(PSS_INTERVAL):
                peak = max(peak, _tree_pss_kib(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        stop.set()
        sampler.join()
        process.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, code, usage.ru_maxrss, peak, text)


ENGINE = ["mkdocs"]  # the registry's engine (--engine)


def site_build(project: Path, out: Path, *, keep: bool = False) -> Run:
    """`socialmission build --engine ENGINE` of the registry into an empty `out` (with
    `keep`, onto the last build's `out`, as a rebuild is)."""
    if out.exists() and not keep:
        shutil.rmtree(out)
    run = run_child([str(SOCIALMISSION), "--root", str(project), "build", "--out", str(out),
                     "--engine", ENGINE[0]], project)
    if run.exit_code != 0:
        print(run.output[-4000:])
        raise SystemExit(f"socialmission build of {project} exited {run.exit_code}")
    return run


def mkdocs_build(project: Path, out: Path) -> Run:
    """`mkdocs build --strict` into an empty `out`; stop the benchmark if it fails."""
    if out.exists():
        shutil.rmtree(out)
    run = run_child([str(MKDOCS), "build", "--strict", "-f", str(project / "mkdocs.yml"),
                     "--site-dir", str(out)], project,
                    {"NO_MKDOCS_2_WARNING": "1"})
    if run.exit_code != 0:
        print(run.output[-4000:])
        raise SystemExit(f"mkdocs build of {project} exited {run.exit_code}")
    return run


def zensical_build(project: Path) -> Run:
    """`zensical build --clean --strict` of the floor into its own `site/` (Zensical has no
    flag for the output folder); stop the benchmark if it fails."""
    shutil.rmtree(project / "site", ignore_errors=True)
    run = run_child([str(BIN / "python"), "-m", "zensical", "build", "--clean", "--strict",
                     "-f", str(project / "mkdocs.yml")], project)
    if run.exit_code != 0:
        print(run.output[-4000:])
        raise SystemExit(f"zensical build of {project} exited {run.exit_code}")
    return run


def tar_bytes(folder: Path) -> int:
    """The size of the site as GitHub's upload-pages-artifact packs it: a tar of the
    folder with hard links (and symbolic ones) stored as the files they name."""
    total = 0
    with subprocess.Popen([*TAR_ARGV, "-C", str(folder), "."], stdout=subprocess.PIPE) as tar:
        assert tar.stdout is not None
        while block := tar.stdout.read(1 << 20):
            total += len(block)
    if tar.returncode != 0:
        raise SystemExit(f"tar of {folder} failed")
    return total


def du_bytes(path: Path) -> int:
    result = subprocess.run(["du", "-sb", str(path)], capture_output=True, text=True,
                            check=True)
    return int(result.stdout.split()[0])


def file_count(path: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(path))


@dataclass
class Series:
    """The runs of one kind of build at one N."""

    label: str
    runs: list[Run] = field(default_factory=list)
    size: int = 0
    files: int = 0
    artifact: int = 0  # bytes of the Pages artifact (tar_bytes), where measured
    estimated: float | None = None  # seconds, when the build was not run
    estimated_cpu: float | None = None

    @property
    def median(self) -> float:
        if not self.runs:
            assert self.estimated is not None
            return self.estimated
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu(self) -> float:
        if not self.runs:
            assert self.estimated_cpu is not None
            return self.estimated_cpu
        return statistics.median(r.cpu_seconds for r in self.runs)

    @property
    def rss_mib(self) -> float:
        return max((r.max_rss_kib for r in self.runs), default=0) / 1024

    @property
    def pss_mib(self) -> float:
        return max((r.tree_pss_kib for r in self.runs), default=0) / 1024

    def describe(self) -> str:
        if not self.runs:
            return (f"{self.label}: not run; ESTIMATE {self.median:.0f} s wall, "
                    f"{self.cpu:.0f} s CPU")
        times = ", ".join(f"{r.seconds:.1f}" for r in self.runs)
        inner = [r.mkdocs_seconds for r in self.runs if r.mkdocs_seconds is not None]
        said = f"; MkDocs said {statistics.median(inner):.1f} s" if inner else ""
        return (f"{self.label}: median {self.median:.1f} s ({times}){said}; CPU "
                f"{self.cpu:.1f} s; peak RSS "
                f"{self.rss_mib:.0f} MiB, tree PSS {self.pss_mib:.0f} MiB; output "
                f"{self.size / 1e6:.1f} MB in {self.files} files")


def show(series: Series) -> None:
    print(f"  {series.describe()}", flush=True)


# --- a badge cache without rendering every badge (when a cold build would take too long) ---
def clone_badge_cache(root: Path) -> None:
    """Fill .cache/badges by copying one rendered folder to every signatory, with a manifest
    the build accepts (the right content keys): the files are a neighbour's, the sizes real."""
    from socialmission.model.mission import load_mission  # noqa: PLC0415
    from socialmission.model.paths import BADGES_CACHE  # noqa: PLC0415

    # only when the cold build is skipped
    from socialmission.render.cache import (  # noqa: PLC0415
        Entry,
        build_badges,
        content_key,
        load_entries,
        write_manifest,
    )
    from socialmission.render.design import load_design  # noqa: PLC0415
    from socialmission.render.face import badge_words, face_of, masthead_of  # noqa: PLC0415
    from socialmission.site.generator import load_pledges  # noqa: PLC0415

    base = "https://socialmission.example.org/"
    mission = load_mission(root)
    pledges = load_pledges(root, mission)
    store = root / BADGES_CACHE
    shutil.rmtree(store, ignore_errors=True)
    # Render the generic folder and the first two signatories for real (one active, one
    # withdrawn where there is one), then copy them.
    active = next(p for p in pledges if p.active)
    withdrawn = next((p for p in pledges if not p.active), active)
    build_badges(root, store, mission, [active, withdrawn], base, workers=1)
    design = load_design(root)
    masthead = masthead_of(root, mission, base)
    words = badge_words(root)
    entries, _ = load_entries(store)
    for pledge in pledges:
        face = face_of(pledge, base, words=words)
        model = active if pledge.active else withdrawn
        if not (store / pledge.slug).is_dir():
            # copy2 keeps each file's mtime, so the files match the model's records
            shutil.copytree(store / model.slug, store / pledge.slug)
        entries[pledge.slug] = Entry(content_key(design, face, masthead), entries[model.slug].files)
    write_manifest(store, entries)


# --- the directory page in a browser -----------------------------------------------------------
@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    handler = partial(GzipHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Fetched:
    url: str
    status: int = 0
    transferred: int = 0  # Chromium's encodedDataLength: headers and (gzipped) body
    raw: int = 0  # the file's bytes
    gzipped: int = 0  # gzip -6 of the file, computed here (raw for images)


def _local_file(folder: Path, url: str) -> Path | None:
    path = unquote(urlsplit(url).path).lstrip("/")
    candidate = folder / path
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def _sizes(folder: Path, item: Fetched) -> None:
    local = _local_file(folder, item.url)
    if local is None:
        return
    data = local.read_bytes()
    item.raw = len(data)
    item.gzipped = len(gzip.compress(data, compresslevel=6, mtime=0)) \
        if local.suffix in GZIP_TYPES else len(data)


class Recorder:
    """Every response the page receives, through the Chrome DevTools protocol."""

    def __init__(self, cdp: Any) -> None:
        self.items: dict[str, Fetched] = {}
        self.order: list[str] = []
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def _response(self, event: dict[str, Any]) -> None:
        request = event["requestId"]
        if not event["response"]["url"].startswith("http"):
            return  # data: URLs (Material's inline icons) cost no transfer
        if request not in self.items:
            self.order.append(request)
        self.items[request] = Fetched(event["response"]["url"], event["response"]["status"])

    def _finished(self, event: dict[str, Any]) -> None:
        item = self.items.get(event["requestId"])
        if item is not None:
            item.transferred = int(event["encodedDataLength"])

    def mark(self) -> int:
        return len(self.order)

    def since(self, mark: int, folder: Path) -> list[Fetched]:
        items = [self.items[r] for r in self.order[mark:]]
        for item in items:
            _sizes(folder, item)
        return items


def _print_fetched(title: str, items: list[Fetched], base: str) -> dict[str, int]:
    totals = {"transferred": sum(i.transferred for i in items),
              "raw": sum(i.raw for i in items), "gzipped": sum(i.gzipped for i in items)}
    print(f"\n  {title}: {len(items)} responses, {totals['transferred'] / 1024:.1f} KiB "
          f"transferred (gzip), raw {totals['raw'] / 1024:.1f} KiB, gzip -6 computed "
          f"{totals['gzipped'] / 1024:.1f} KiB")
    for item in items:
        print(f"    {item.status} {item.transferred:>9,} {item.raw:>9,} {item.gzipped:>9,}  "
              f"{item.url.removeprefix(base)}")
    return totals


# Installed in the page before the site search is opened: the time from the click that
# opens it (when the script starts fetching the data) and from the first key pressed to the
# first signatory listed in the search's dialog (site/assets/signatory-search.js; in
# Zensical's shadow root there), and what its live region said.
FIRST_SIGNATORIES = """() => {
  addEventListener("pointerdown", () => { window.__smOpen ??= performance.now(); }, true);
  addEventListener("keydown", () => { window.__smKey ??= performance.now(); }, true);
  const roots = () => [document,
    ...[...document.body.children].map(e => e.shadowRoot).filter(Boolean)];
  const look = () => {
    for (const root of roots()) {
      const link = root.querySelector(".sm-signatory-search__link");
      if (link && window.__smKey !== undefined) {
        const now = performance.now();
        window.__smFirstSignatories = {key: now - window.__smKey, open: now - window.__smOpen,
          status: root.querySelector(".sm-signatory-search [role=status]").textContent};
        return;
      }
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}"""


def directory_bytes(folder: Path) -> dict[str, dict[str, int]] | None:
    """Load /signatories/ in Chromium; what it transfers before and after searching."""
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except ImportError:
        print("  skipped: the playwright package is not installed "
              "(.venv/bin/pip install playwright)")
        return None
    if not CHROMIUM.exists():
        print(f"  skipped: no {CHROMIUM} (apt-get install chromium)")
        return None
    results: dict[str, dict[str, int]] = {}
    with serve(folder) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=CHROMIUM_ARGS)
        try:
            print("  columns: status, transferred, raw, gzip -6 computed (bytes), URL")
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            recorder = Recorder(context.new_cdp_session(page))
            page.goto(f"{base}/signatories/", wait_until="networkidle")
            page.wait_for_timeout(2000)
            results["directory, before searching"] = _print_fetched(
                "/signatories/ loaded, no search box touched", recorder.since(0, folder), base)

            mark = recorder.mark()
            page.locator("#sm-filters input[name=name]").press_sequentially("a")
            page.wait_for_function("document.getElementById('sm-status').textContent !== ''",
                                   timeout=60_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1000)
            status = page.locator("#sm-status").text_content()
            results["directory name search, one letter (extra)"] = _print_fetched(
                f"then one letter in the directory's name search ({status!r})",
                recorder.since(mark, folder), base)
            context.close()

            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            recorder = Recorder(context.new_cdp_session(page))
            page.goto(f"{base}/signatories/", wait_until="networkidle")
            page.wait_for_timeout(2000)
            mark = recorder.mark()
            page.evaluate(FIRST_SIGNATORIES)
            zensical = page.locator(".md-search__button")  # Zensical's; Material's field
            if zensical.count():
                zensical.first.click()
            else:
                page.locator(".md-search__input").click()
            page.keyboard.type("a")
            page.wait_for_function("window.__smFirstSignatories !== undefined",
                                   timeout=60_000)
            first = page.evaluate("window.__smFirstSignatories")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(2000)
            results["site search, one letter (extra)"] = _print_fetched(
                "on a fresh load, one letter in the site search (header): its signatories "
                f"({first['status']!r}) shown {first['open']:.0f} ms after the click that "
                f"opened it, {first['key']:.0f} ms after the key",
                recorder.since(mark, folder), base)
            context.close()
        finally:
            browser.close()
    return results


# --- profiling one build in this process ------------------------------------------------------
PHASES: tuple[tuple[str, str, str], ...] = (
    # (label, file fragment, function name): cumulative time of that function
    ("generator: everything (generate)", "socialmission/site/generator.py", "generate"),
    ("  validate the pledges", "socialmission/site/generator.py", "load_pledges"),
    ("  Markdown pages (pages.all_pages)", "socialmission/site/pages.py", "all_pages"),
    ("  badges (build_badges: keys, manifest)", "socialmission/render/cache.py", "build_badges"),
    ("  Open Badges documents", "socialmission/model/openbadges.py", "all_documents"),
    ("  JSON API files", "socialmission/site/opendata.py", "api_files"),
    ("the engine's input (write_tree)", "socialmission/site/tree.py", "write_tree"),
    ("the engine, a subprocess (run_engine: wall time, not CPU)",
     "socialmission/mkdocs/publish.py", "run_engine"),
    ("after the engine (_build_into, the engine included)",
     "socialmission/mkdocs/publish.py", "_build_into"),
    ("  shells checked (fill.prepare)", "socialmission/site/fill.py", "prepare"),
    ("  pages filled (Shell.fill)", "socialmission/site/fill.py", "fill"),
    ("  the kept base checked (_Staging)", "socialmission/mkdocs/publish.py", "__init__"),
    ("  the base brought up to date (_Staging.finish)", "socialmission/mkdocs/publish.py",
     "finish"),
    ("  the publish records (_write_records)", "socialmission/mkdocs/publish.py",
     "_write_records"),
    ("the up-to-date record (uptodate.record)", "socialmission/mkdocs/uptodate.py", "record"),
    ("  sitemap", "socialmission/site/sitemap.py", "sitemap"),
    ("Jinja2 Template.render (the generator's)", "jinja2/environment.py", "render"),
)


def _vm(field_name: str) -> int:
    text = Path("/proc/self/status").read_text()
    match = re.search(rf"^{field_name}:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) if match else 0


def profile_build(project: Path, out: Path, top: int) -> None:
    """One warm build (`build_site`) after one pledge changed, under cProfile, in this
    process but for the engine, which runs as its own command: cumulative time per phase.
    Onto `out` as a rebuild is: when `out` is new, two builds first (the second leaves
    the first's output as the kept base that a rebuild brings up to date)."""
    from socialmission.mkdocs.publish import build_site  # noqa: PLC0415

    if not out.exists():
        for run in SETTLING_EDITS:
            edit_one_pledge(project, run)
            build_site(project, out, engine=ENGINE[0])
    edit_one_pledge(project, 103)
    start = time.perf_counter()
    profiler = cProfile.Profile(time.process_time)  # CPU time: the machine may be busy
    profiler.enable()
    build_site(project, out, engine=ENGINE[0])
    profiler.disable()
    total = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    print(f"\n  in-process build under cProfile: {total:.1f} s wall (profiling slows it down)")
    print("  cumulative CPU time of each phase (nested lines are part of the line above):")
    for label, fragment, name in PHASES:
        cumulative = sum(value[3] for (path, _, func), value in raw.items()
                         if fragment in path and func == name)
        calls = sum(value[1] for (path, _, func), value in raw.items()
                    if fragment in path and func == name)
        print(f"    {label:<58} {cumulative:>7.1f} s  ({calls:,} calls)")
    print(f"  peak RSS of this process: {_vm('VmHWM') / 1024:.0f} MiB")
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(top)
    print(f"  top {top} functions by own time:")
    print("\n".join("    " + line for line in buffer.getvalue().splitlines()
                    if line.strip()[:1].isdigit() or "ncalls" in line))


# --- the whole benchmark ----------------------------------------------------------------------
def machine() -> dict[str, str]:
    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0))
    memory = "?"
    with contextlib.suppress(OSError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    versions = subprocess.run([str(BIN / "python"), "-c",
                               "import mkdocs, material; from importlib.metadata import "
                               "version; print(version('mkdocs'), version('mkdocs-material'))"],
                              capture_output=True, text=True, check=False).stdout.split()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": f"{usable} usable of {os.cpu_count()} ({model}), {memory}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(),
        "mkdocs": " / material ".join(versions) if versions else "?",
        "load average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


Cost = tuple[float, float]  # seconds per signatory: wall, CPU


@dataclass
class Result:
    count: int
    cold: Series
    changed: Series
    unchanged: Series
    floor: Series
    themed_floor: Series
    zensical_floor: Series | None = None  # the bare project built by Zensical


def bench_count(work: Path, count: int, repeat: int, args: argparse.Namespace,
                badge_cost: Cost | None) -> tuple[Result, Cost | None]:
    """Every measurement at one N. Returns the result and the badge rendering's cost per
    signatory (wall and CPU seconds: the cold build less the warm one, over N)."""
    print(f"\n=== {count:,} signatories (load average {os.getloadavg()[0]:.2f}) ===",
          flush=True)
    started = time.perf_counter()
    registry = make_registry(work / f"registry-{count}", count, args.seed)
    floor = make_floor(work / f"floor-{count}", count, args.seed)
    themed_floor = make_themed_floor(work / f"themed-floor-{count}", count, args.seed)
    print(f"  wrote both projects in {time.perf_counter() - started:.1f} s under {work}")
    check = run_child([str(SOCIALMISSION), "--root", str(registry), "validate"], registry)
    print(f"  socialmission validate: exit {check.exit_code}, "
          f"{check.output.strip().splitlines()[-1]!r}")
    if check.exit_code != 0:
        print(check.output[-4000:])
        raise SystemExit("the generated pledges are not valid")
    out = work / f"out-{count}"
    floor_out = work / f"floor-out-{count}"
    themed_out = work / f"themed-floor-out-{count}"
    cache = registry / ".cache"

    cold = Series("cold (no .cache)")
    estimate = None if badge_cost is None else badge_cost[0] * count
    if estimate is not None:
        print(f"  estimated badge rendering for a cold build: {estimate / 60:.1f} min "
              f"(from the smaller N), plus a warm build")
    if estimate is None or estimate / 60 <= args.max_cold_minutes:
        runs = repeat if count <= args.cold_repeat_max else 1
        for _ in range(runs):
            shutil.rmtree(cache, ignore_errors=True)
            cold.runs.append(site_build(registry, out))
            print(f"    cold: {cold.runs[-1].seconds:.1f} s", flush=True)
        cold.size, cold.files, cold.artifact = du_bytes(out), file_count(out), tar_bytes(out)
    else:
        print(f"  cold build skipped (estimate over --max-cold-minutes "
              f"{args.max_cold_minutes}); cloning a badge cache instead", flush=True)
        clone_badge_cache(registry)

    changed, unchanged, bare = (Series("warm, one pledge changed"),
                                Series("warm, nothing changed"), Series("floor (bare Material)"))
    themed = Series("floor, the registry's theme settings")
    zensical = Series("floor (bare Zensical)") if ENGINE[0] == "zensical" else None
    # A maintainer's rebuilds go onto the last output and the base kept beside it (the
    # output before that: mkdocs/publish.py); two untimed builds, one pledge changed
    # each, leave both in place, so every timed warm build is such a rebuild.
    for number in SETTLING_EDITS:
        edit_one_pledge(registry, number)
        settled = site_build(registry, out, keep=True)
        print(f"    settling onto a kept base (untimed): {settled.seconds:.1f} s", flush=True)
    for number in range(1, repeat + 1):
        bare.runs.append(mkdocs_build(floor, floor_out))
        themed.runs.append(mkdocs_build(themed_floor, themed_out))
        if zensical is not None:
            zensical.runs.append(zensical_build(floor))
            print(f"    round {number}: bare Zensical floor {zensical.runs[-1].seconds:.1f} s",
                  flush=True)
        edited = edit_one_pledge(registry, number)
        changed.runs.append(site_build(registry, out, keep=True))
        unchanged.runs.append(site_build(registry, out, keep=True))
        print(f"    round {number}: floor {bare.runs[-1].seconds:.1f} s, themed floor "
              f"{themed.runs[-1].seconds:.1f} s, changed ({edited}) "
              f"{changed.runs[-1].seconds:.1f} s, unchanged {unchanged.runs[-1].seconds:.1f} s",
              flush=True)
    bare.size, bare.files = du_bytes(floor_out), file_count(floor_out)
    themed.size, themed.files = du_bytes(themed_out), file_count(themed_out)
    changed.size, changed.files = du_bytes(out), file_count(out)
    changed.artifact = tar_bytes(out)
    bare.artifact = tar_bytes(floor_out)
    unchanged.size, unchanged.files = changed.size, changed.files
    if zensical is not None:
        zensical.size, zensical.files = du_bytes(floor / "site"), file_count(floor / "site")
        zensical.artifact = tar_bytes(floor / "site")

    per_signatory = badge_cost
    if cold.runs:
        per_signatory = (max(0.0, cold.median - changed.median) / count,
                         max(0.0, cold.cpu - changed.cpu) / count)
        print(f"  badges per signatory (cold less warm, over N): wall {per_signatory[0]:.4f} s, "
              f"CPU {per_signatory[1]:.4f} s (--badge-cost "
              f"{per_signatory[0]:.4f},{per_signatory[1]:.4f})")
    else:
        assert badge_cost is not None
        cold.estimated = badge_cost[0] * count + changed.median
        cold.estimated_cpu = badge_cost[1] * count + changed.cpu
        cold.size, cold.files = changed.size, changed.files
    for series in (cold, changed, unchanged, bare, themed, *([zensical] if zensical else [])):
        show(series)
    # the header search's index: MkDocs' search/search_index.json, Zensical's search.json
    index = next(p for p in (out / SEARCH_INDEXES[0], out / SEARCH_INDEXES[1]) if p.is_file())
    print(f"  directory page: {(out / 'signatories' / 'index.html').stat().st_size:,} bytes "
          f"of HTML; api/v1/directory.json {(out / 'api/v1/directory.json').stat().st_size:,}"
          f"; {index.relative_to(out)} {index.stat().st_size:,}")
    return Result(count, cold, changed, unchanged, bare, themed, zensical), per_signatory


def table(results: list[Result]) -> None:
    print("\n| N | build | wall s (median) | x floor | CPU s (median) | CPU x floor "
          "| peak RSS MiB | tree PSS MiB | output MB | files |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        floor = result.floor
        extra = [result.zensical_floor] if result.zensical_floor else []
        for series in (result.floor, result.themed_floor, *extra, result.cold, result.changed,
                       result.unchanged):
            label = series.label + (f" ({len(series.runs)} runs)" if series.runs
                                    else " (ESTIMATE, not run)")
            rss = f"{series.rss_mib:.0f}" if series.runs else "-"
            pss = f"{series.pss_mib:.0f}" if series.runs else "-"
            print(f"| {result.count:,} | {label} | {series.median:.1f} "
                  f"| {series.median / floor.median:.2f} | {series.cpu:.1f} "
                  f"| {series.cpu / floor.cpu:.2f} | {rss} | {pss} "
                  f"| {series.size / 1e6:.1f} | {series.files:,} |")
    def verdict(value: float, aim: float) -> str:
        return "met" if value <= aim else "MISSED"

    print("\n| N | Pages artifact (tar, hard links dereferenced) | files | KiB a signatory "
          "(artifact / N) | of the 1 GB limit | floor's artifact |")
    print("|---:|---:|---:|---:|---:|---:|")
    for result in results:
        built = result.changed
        print(f"| {result.count:,} | {built.artifact / 1e6:,.1f} MB | {built.files:,} "
              f"| {built.artifact / 1024 / result.count:.1f} "
              f"| {built.artifact / PAGES_LIMIT:.0%} | {result.floor.artifact / 1e6:,.1f} MB |")
    largest = results[-1]
    per = largest.changed.artifact / 1024 / largest.count
    print(f"output at {largest.count:,}: {per:.1f} KiB a signatory (aim <= {OUTPUT_AIM_KIB}: "
          f"{verdict(per, OUTPUT_AIM_KIB)}; goal {OUTPUT_GOAL_KIB}: "
          f"{verdict(per, OUTPUT_GOAL_KIB)})")
    if len(results) > 1:
        first = results[0]
        marginal = (largest.changed.artifact - first.changed.artifact) / 1024 / (
            largest.count - first.count)
        print(f"  each signatory past the first {first.count:,} adds {marginal:.1f} KiB")
    for result in results:
        floor = result.floor
        note = " (cold estimated)" if not result.cold.runs else ""
        for what, measure in (("wall", "median"), ("CPU", "cpu")):
            warm = getattr(result.changed, measure) / getattr(floor, measure)
            same = getattr(result.unchanged, measure) / getattr(floor, measure)
            cold = getattr(result.cold, measure) / getattr(floor, measure)
            print(f"{result.count:,}, {what} time: warm/floor {warm:.2f} (aim <= {WARM_AIM}: "
                  f"{verdict(warm, WARM_AIM)}), nothing changed/floor {same:.2f} (aim <= "
                  f"{UNCHANGED_AIM}: {verdict(same, UNCHANGED_AIM)}), cold/floor "
                  f"{cold:.2f}{note} (aim <= {COLD_AIM}: {verdict(cold, COLD_AIM)}; goal "
                  f"{COLD_GOAL}: {verdict(cold, COLD_GOAL)})")
            if result.zensical_floor is not None:
                other = getattr(result.zensical_floor, measure)
                print(f"{result.count:,}, {what} time, against the bare Zensical floor: warm "
                      f"{getattr(result.changed, measure) / other:.2f}, nothing changed "
                      f"{getattr(result.unchanged, measure) / other:.2f}, cold "
                      f"{getattr(result.cold, measure) / other:.2f}; that floor is "
                      f"{other / getattr(floor, measure):.2f} x the bare MkDocs one")
            themed = getattr(result.themed_floor, measure)
            print(f"{result.count:,}, {what} time, against the floor with the registry's theme "
                  f"settings: warm {getattr(result.changed, measure) / themed:.2f}, cold "
                  f"{getattr(result.cold, measure) / themed:.2f}; that floor is "
                  f"{themed / getattr(floor, measure):.2f} x the bare one")
    if len(results) > 1:
        # the registry's own work per signatory, outside badges: linear if these agree
        print("\nper signatory, the warm build (one pledge changed) less the bare floor, "
              "CPU ms:")
        costs = [(r.count, (r.changed.cpu - r.floor.cpu) / r.count * 1000) for r in results]
        for count, cost in costs:
            print(f"  {count:,}: {cost:.2f} ms")
        if costs[0][1] <= 0 or costs[-1][1] <= 0:
            # below the floor: what is left is not per signatory, there is no slope to read
            print("  the warm build costs less than the floor: no per-signatory slope")
        else:
            ratio = costs[-1][1] / costs[0][1]
            step = "no quadratic step" if ratio < 1.5 else "GROWS with N: a quadratic step?"
            print(f"  {costs[-1][0]:,} against {costs[0][0]:,}: {ratio:.2f} x a signatory "
                  f"({step})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counts", default="1000,10000",
                        help="signatory counts, comma-separated, ascending (1000,10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build (3)")
    parser.add_argument("--repeat-largest", type=int, default=None,
                        help="runs of each build at the largest N (default: --repeat)")
    parser.add_argument("--badge-cost", default=None, metavar="WALL,CPU",
                        help="badge seconds per signatory from an earlier run, to estimate "
                             "the cold build when no smaller N is run")
    parser.add_argument("--cold-repeat-max", type=int, default=1000,
                        help="above this N the cold build runs once (1000)")
    parser.add_argument("--max-cold-minutes", type=float, default=25.0,
                        help="skip a cold build estimated to take longer (25)")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed for the data")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser step")
    parser.add_argument("--engine", default="mkdocs",
                        choices=("mkdocs", "properdocs", "zensical"),
                        help="the engine `socialmission build` runs (mkdocs)")
    parser.add_argument("--profile", action="store_true",
                        help="also profile one warm build in-process at the largest N")
    parser.add_argument("--profile-registry", type=Path, default=None, metavar="DIR",
                        help="only profile one warm build of an existing registry (as kept "
                             "by --keep) and stop")
    parser.add_argument("--browser-site", type=Path, default=None, metavar="DIR",
                        help="only run the browser step on a site already built (as kept by "
                             "--keep, say, or built by either engine) and stop")
    parser.add_argument("--keep", type=Path, default=None,
                        help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    ENGINE[0] = args.engine
    counts = sorted(int(c) for c in args.counts.split(","))
    if not counts or counts[0] < 1 or args.repeat < 1:
        parser.error("--counts and --repeat must be at least 1")
    if args.browser_site is not None:
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        directory_bytes(args.browser_site.resolve())
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return 0
    if args.profile_registry is not None:
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        registry = args.profile_registry.resolve()
        from socialmission.errors import UsageError  # noqa: PLC0415

        with tempfile.TemporaryDirectory(prefix="bench-site-profile-") as tmp:
            try:
                profile_build(registry, Path(tmp) / "out", 30)
            except UsageError as error:  # a registry kept by an older --keep, say
                raise SystemExit(f"{registry} does not build: {error}") from None
        return 0

    for key, value in machine().items():
        print(f"{key:>13}: {value}")
    print(f"     measured: wall time and CPU time (user + sys, wait4) of each subprocess; "
          f"peak RSS = ru_maxrss from os.wait4 "
          f"(largest single process); tree PSS = sum over the process tree, sampled every "
          f"{PSS_INTERVAL} s\n   floor seen elsewhere at 10,000: {FLOOR_SECONDS_ELSEWHERE} s, "
          f"{FLOOR_MB_ELSEWHERE} MB")

    with contextlib.ExitStack() as stack:
        if args.keep is not None:
            work = args.keep.resolve()
            if work.exists():
                parser.error(f"{work} exists; give a new folder")
            work.mkdir(parents=True)
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-site-")))
        results: list[Result] = []
        badge_cost: Cost | None = None
        if args.badge_cost:
            wall, cpu = (float(x) for x in args.badge_cost.split(","))
            badge_cost = (wall, cpu)
        for count in counts:
            repeat = args.repeat if count < counts[-1] or args.repeat_largest is None \
                else args.repeat_largest
            result, badge_cost = bench_count(work, count, repeat, args, badge_cost)
            results.append(result)
        table(results)

        largest = results[-1].count
        out = work / f"out-{largest}"
        if not args.no_browser:
            print(f"\n=== the directory page in Chromium at {largest:,} signatories ===")
            transfers = directory_bytes(out)
            if transfers:
                before = transfers["directory, before searching"]["transferred"]
                print(f"\n  directory before searching: {before / 1024:.1f} KiB transferred "
                      f"(aim < {DIRECTORY_AIM_KB} KB: "
                      f"{'met' if before < DIRECTORY_AIM_KB * 1000 else 'MISSED'})")
                for name, totals in transfers.items():
                    print(f"  {name}: {totals['transferred']:,} transferred, "
                          f"{totals['raw']:,} raw, {totals['gzipped']:,} gzip -6")
        if args.profile:
            print(f"\n=== profile: one warm build at {largest:,} signatories ===")
            profile_build(work / f"registry-{largest}", out, 25)
        print(f"\nload average at the end: "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
