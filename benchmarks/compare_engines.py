"""Build one registry with MkDocs, ProperDocs and Zensical and compare what they publish.

Run from the repository root (Zensical installed: `make .venv/.zensical-installed`):

    .venv/bin/python benchmarks/compare_engines.py              # the demo registry
    .venv/bin/python benchmarks/compare_engines.py --count 1000 # bench_site.py's registry

Each engine builds the registry twice (`socialmission build --engine NAME`, the same
SOURCE_DATE_EPOCH) into folders of its own. It checks, and prints, that:

- each engine's two builds are byte-identical;
- ProperDocs' site is MkDocs' byte for byte but the generator tag of every page;
- MkDocs and Zensical publish the same set of pages, the same main content on each
  (the DOM of `article.md-content__inner`: attributes sorted, whitespace collapsed,
  without `a.headerlink`, the engines' own buttons and Zensical's skip-link target), and
  every file we write (badges, JSON, feed, fonts, ...) byte for byte;
- no page still holds a shell's sentinel.

What differs is the engines' own (chrome, search index, theme assets, the 404 page): the
DEVELOPERS.md's engine section lists it. Exit 0 when everything holds, else 1 with each
difference. tests/mkdocs/test_engine.py runs the same comparison on a small registry.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENGINES = ("mkdocs", "properdocs", "zensical")
EPOCH = "1780000000"  # SOURCE_DATE_EPOCH of every build compared
SENTINEL = b"smshell"  # the shells' sentinel (site/fill.py), never left in a page
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
# What each engine writes in the generator tag (Material's template, given each engine's
# `mkdocs_version`); the one difference allowed between MkDocs' and ProperDocs' builds.
GENERATORS = {
    "mkdocs": b'<meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.1">',
    "properdocs": (b'<meta name="generator" '
                   b'content="mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.1">'),
}
# What only an engine writes: its pages' chrome, search index, theme assets and 404 page.
ENGINE_ONLY = re.compile(r"^(assets/(javascripts|stylesheets|images)/|search/|search\.json$"
                         r"|404\.html$)")
URLS = ("href", "src")

Site = Mapping[str, bytes]


class _Main(HTMLParser):
    """The DOM of a page's `article.md-content__inner` as a list of events: attributes
    sorted, whitespace collapsed, without `a.headerlink` and the engines' own buttons."""

    SKIPPED: ClassVar = ("headerlink", "md-content__button")
    SKIPPED_IDS: ClassVar = ("__skip",)  # Zensical's skip link target
    VOID: ClassVar = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                      "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open elements inside the article (0: outside)
        self.skip = 0  # open elements inside a skipped one
        self.events: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.depth == 0:
            if tag == "article" and "md-content__inner" in classes:
                self.depth = 1
            return
        if tag not in self.VOID:
            self.depth += 1
        if self.skip or any(c in self.SKIPPED for c in classes) \
                or dict(attrs).get("id") in self.SKIPPED_IDS:
            if tag not in self.VOID:
                self.skip += 1
            return
        # MkDocs percent-encodes what a Markdown link's address may hold as it is ('@'),
        # Zensical does not: the same address
        kept = sorted((name, unquote(value or "") if name in URLS else value)
                      for name, value in attrs)
        self.events.append(f"<{tag} {kept}>")

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0 or tag in self.VOID:
            return
        self.depth -= 1
        if self.skip:
            self.skip -= 1
        elif self.depth > 0:
            self.events.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if self.depth and not self.skip and text:
            self.events.append(text)


def main_content(page: bytes) -> list[str]:
    """The main content's events (see _Main); empty when the page has no article."""
    parser = _Main()
    parser.feed(page.decode("utf-8"))
    return parser.events


def read_site(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def compare(sites: Mapping[str, Site]) -> list[str]:
    """Every difference between the engines' sites beyond what is theirs (see the module's
    docstring); `sites` has MkDocs' and Zensical's, and ProperDocs' when built."""
    problems = []
    mkdocs, zensical = sites["mkdocs"], sites["zensical"]
    for name, site in sites.items():
        problems += [f"{name}: {path} holds a shell's sentinel" for path, data in site.items()
                     if path.endswith(".html") and SENTINEL in data.lower()]
    if (properdocs := sites.get("properdocs")) is not None:
        if sorted(properdocs) != sorted(mkdocs):
            problems.append(f"properdocs: other files than MkDocs': "
                            f"{sorted(set(properdocs) ^ set(mkdocs))[:10]}")
        for path in sorted(set(mkdocs) & set(properdocs)):
            before = mkdocs[path]
            if before.count(GENERATORS["mkdocs"]) == 1:
                before = before.replace(GENERATORS["mkdocs"], GENERATORS["properdocs"])
            if before != properdocs[path]:
                problems.append(f"properdocs: {path} differs from MkDocs' beyond the "
                                f"generator tag")
    ours = {p for p in mkdocs if not ENGINE_ONLY.match(p) and not p.endswith(".html")}
    theirs = {p for p in zensical if not ENGINE_ONLY.match(p) and not p.endswith(".html")}
    problems += [f"zensical: {p} is not in both sites" for p in sorted(ours ^ theirs)]
    problems += [f"zensical: {p} differs from MkDocs' (a file we write)"
                 for p in sorted(ours & theirs) if mkdocs[p] != zensical[p]]
    pages = {p for p in mkdocs if p.endswith(".html") and p != "404.html"}
    other = {p for p in zensical if p.endswith(".html") and p != "404.html"}
    problems += [f"zensical: page {p} is not in both sites" for p in sorted(pages ^ other)]
    for path in sorted(pages & other):
        content = main_content(mkdocs[path])
        if not content:
            problems.append(f"{path}: no article.md-content__inner")
        elif content != main_content(zensical[path]):
            problems.append(f"zensical: {path}: another main content than MkDocs'")
    return problems


def build(registry: Path, out: Path, engine: str, epoch: str = EPOCH) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "SOCIALMISSION_ENGINE"}
    result = subprocess.run([str(BIN / "socialmission"), "--root", str(registry), "build",
                             "--out", str(out), "--engine", engine], cwd=registry,
                            capture_output=True, text=True, check=False,
                            env={**environment, "SOURCE_DATE_EPOCH": epoch})
    if result.returncode != 0:
        raise SystemExit(f"{engine} build of {registry} exited {result.returncode}:\n"
                         f"{result.stderr[-3000:]}")


def build_all(registry: Path, work: Path, engines: Sequence[str] = ENGINES,
              epoch: str = EPOCH) -> tuple[dict[str, dict[str, bytes]], list[str]]:
    """Each engine's site (built twice, into `work`, at SOURCE_DATE_EPOCH `epoch`), and
    the engines whose rebuild was not byte-identical."""
    sites, unstable = {}, []
    for engine in engines:
        started = time.perf_counter()
        for attempt in ("", "-again"):
            build(registry, work / f"{engine}{attempt}", engine, epoch)
        sites[engine] = read_site(work / engine)
        if read_site(work / f"{engine}-again") != sites[engine]:
            unstable.append(engine)
        print(f"  {engine}: built twice in {time.perf_counter() - started:.1f} s, "
              f"{len(sites[engine]):,} files", flush=True)
    return sites, unstable


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=0,
                        help="signatories of bench_site.py's generated registry (default: "
                             "the demo registry)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="work in this new folder and keep it")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be at least 1 (or 0, the demo registry)")
    with tempfile.TemporaryDirectory(prefix="compare-engines-") as tmp:
        work = Path(tmp) if args.keep is None else args.keep.resolve()
        work.mkdir(parents=True, exist_ok=True)
        registry = work / "registry"
        epoch = EPOCH
        if args.count:
            sys.path.insert(0, str(Path(__file__).parent))
            from bench_site import make_registry  # noqa: PLC0415

            make_registry(registry, args.count, 20231001)
            # its dates run up to today: every build of this run at one later moment
            epoch = str(int(time.time()))
            what = f"{args.count:,} generated signatories"
        else:
            shutil.copytree(ROOT, registry, ignore=shutil.ignore_patterns(
                ".git", ".venv", ".cache", ".build", "public", ".public*", "node_modules"))
            what = "the demo registry"
        print(f"three engines on {what}, load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        sites, unstable = build_all(registry, work, epoch=epoch)
        problems = [f"{engine}: two builds differ" for engine in unstable] + compare(sites)
        pages = sum(1 for p in sites["mkdocs"] if p.endswith(".html") and p != "404.html")
        ours = sum(1 for p in sites["mkdocs"] if not ENGINE_ONLY.match(p)
                   and not p.endswith(".html"))
        print(f"  {pages:,} pages with the same main content on MkDocs and Zensical, "
              f"ProperDocs' byte for byte but the generator tag; {ours:,} files we write "
              f"byte-identical across the engines; each engine's rebuild byte-identical"
              if not problems else f"  {len(problems)} differences:")
        for problem in problems:
            print(f"  - {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
