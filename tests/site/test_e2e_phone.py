"""The site on a phone (390 px), in Debian's headless Chromium: no page wider than the
screen; an address (a host, a URL, a handle) broken at a line's end only after '/', '.',
'@' or a space, never inside a word, unless one part of it is wider than the whole line;
each signatory's facts a label over its value; every date on one line; the home page's
two buttons apart and, stacked, as wide as each other; a right-to-left statement's quote
bar on its right; and axe-core's WCAG A/AA and best-practice rules on these pages, light
and dark, at 1280 and 390 px. On MkDocs, or on the engine SOCIALMISSION_ENGINE names.

Two registries are built once a module: the demo's (pledges/, as shipped), and
benchmarks/bench_site.py's varied one of 200 signatories (many scripts, hosts of every
length) with three more whose addresses are long, one of them with a 63-letter label, as
long as a DNS label may be. Every signatory page of both is read. Screenshots go to
/tmp/phones-<engine>-<page>-<width>-<scheme>.png for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, copy_registry
from e2e_support import (
    Site,
    Visitor,
    axe_source,
    browser_missing,
    describe_violations,
    mkdocs_build,
    run_axe,
    serve,
)
from socialmission.site.pages import address

SKIP = browser_missing()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

ENGINE = os.environ.get("SOCIALMISSION_ENGINE") or "mkdocs"
SHOTS = Path(os.environ.get("SOCIALMISSION_SHOTS", "/tmp"))
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 800}
SMALL_PHONE = {"width": 320, "height": 640}  # where the home page's buttons stack
BULK = 200
SEED = 20231001  # bench_site.py's
LABEL = "a" + "bcdefghijklmnopqrstuvwxyz" * 2 + "abcdefghijkl"  # 63 letters
LONG_PLEDGES = {
    "long-addresses": (
        "name: Northwind Extraordinary Media Collective\nkind: organisation\n"
        "website: https://www.northwind-extraordinary-media-collective.example.org/\n"
        "signed: 2025-03-03\nmission_version: 1\nmaintainers:\n  - harbour\n"
        "statement_url: https://news.northwind-extraordinary-media-collective.example.org"
        "/2025/03/we-signed-the-social-mission-and-here-is-why\n"
        "social:\n  mastodon: https://mastodon.example.org/@northwind_extraordinary_media\n"
        "  linkedin: https://www.linkedin.com/company/northwind-extraordinary-media-collective\n"),
    "long-label": (
        "name: Long Label\nkind: organisation\n"
        f"website: https://{LABEL}.example.org/\nsigned: 2025-03-04\nmission_version: 1\n"
        f"statement_url: https://{LABEL}.example.org/news/signed\n"
        f"maintainers:\n  - harbour\nsocial:\n  x: https://x.com/{LABEL[:15]}\n"),
    "shalom-statement": (
        "name: ספריית הגליל\nkind: organisation\n"
        "website: https://galil-library.example.org/\nsigned: 2025-03-05\n"
        "mission_version: 1\nmaintainers:\n  - harbour\n"
        "statement: אנחנו מקשיבים לכל קורא ועונים בכבוד ובמהירות.\n"),
}

# Where a page shows an address as text.
ADDRESSES = (".sm-domain a, .sm-facts dd a, a[href*='/openbadges/assertions/'], "
             "#sm-directory td bdi, .sm-wall span[dir]")
# Every break inside an address that is not after '/', '.', '@' or a space, unless the
# part of it (between two of those) is wider than the whole line it is on. A line ends
# where the next character's box starts lower (Range.getClientRects of each character).
MID_WORD_BREAKS = """selector => {
  const bad = [];
  const canvas = document.createElement("canvas").getContext("2d");
  const lineWidth = el => {
    let block = el;
    while (getComputedStyle(block).display.startsWith("inline")
           && getComputedStyle(block).display !== "inline-block") {
      block = block.parentElement;
    }
    const style = getComputedStyle(block);
    return block.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  };
  for (const el of document.querySelectorAll(selector)) {
    const chars = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (rect) { chars.push({ch: node.data[i], top: rect.top, node: node}); }
      }
    }
    const text = chars.map(c => c.ch).join("");
    for (let i = 1; i < chars.length; i++) {
      if (chars[i].top <= chars[i - 1].top + 1) { continue; }
      if ("/.@ ".includes(chars[i - 1].ch)) { continue; }
      let start = i, end = i;
      while (start > 0 && !"/.@ ".includes(text[start - 1])) { start--; }
      while (end < text.length && !"/.@ ".includes(text[end])) { end++; }
      const holder = chars[i].node.parentElement;
      const style = getComputedStyle(holder);
      canvas.font = [style.fontStyle, style.fontWeight, style.fontSize, style.fontFamily]
        .join(" ");
      const width = canvas.measureText(text.slice(start, end)).width;
      const line = lineWidth(holder);
      if (width <= line) {
        bad.push(text.slice(0, i) + "|" + text.slice(i) + " (part " + Math.round(width)
                 + " px, line " + Math.round(line) + " px)");
      }
    }
  }
  return bad;
}"""
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Every <time> whose text takes more than one line box.
# How many lines an element's text takes: the distinct tops of its characters' boxes.
LINES = """el => {
  const tops = new Set();
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      for (const rect of range.getClientRects()) { tops.add(Math.round(rect.top)); }
    }
  }
  return tops.size;
}"""
BROKEN_DATES = """() => [...document.querySelectorAll("time")]
  .filter(t => new Set([...t.getClientRects()].map(r => Math.round(r.top))).size > 1)
  .map(t => t.textContent)"""


def _build(root: Path, out: Path) -> Iterator[Site]:
    mkdocs_build(root / "mkdocs.yml", out)
    with serve(out) as url:
        yield Site(out, url)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo registry: pledges/ as shipped."""
    root = copy_registry(tmp_path_factory.mktemp("phone-demo") / "registry")
    for path in sorted((ROOT / "pledges").glob("*.yaml")):
        shutil.copy(path, root / "pledges" / path.name)
    shutil.copytree(ROOT / "pledges" / "logos", root / "pledges" / "logos", dirs_exist_ok=True)
    yield from _build(root, tmp_path_factory.mktemp("phone-demo-site"))


@pytest.fixture(scope="module")
def bulk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """bench_site.py's varied registry of BULK signatories, and LONG_PLEDGES."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_site
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    root = bench_site.make_registry(tmp_path_factory.mktemp("phone-bulk") / "registry",
                                    BULK, SEED)
    for slug, text in LONG_PLEDGES.items():
        (root / "pledges" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    yield from _build(root, tmp_path_factory.mktemp("phone-bulk-site"))


def signatory_pages(site: Site) -> list[str]:
    found = sorted(path.parent.name for path in (site.root / "signatories").glob("*/index.html")
                   if (site.root / "badges" / path.parent.name).is_dir())
    assert found
    return [f"signatories/{slug}/" for slug in found]


def check_phone_page(page: Any, path: str) -> list[str]:
    problems = []
    overflow = page.evaluate(OVERFLOW)
    if overflow > 0:
        problems.append(f"{path}: {overflow} px wider than the screen")
    problems += [f"{path}: {b}" for b in page.evaluate(MID_WORD_BREAKS, ADDRESSES)]
    problems += [f"{path}: date on two lines: {d}" for d in page.evaluate(BROKEN_DATES)]
    return problems


# --- the rule, as text ------------------------------------------------------------------------
def test_an_address_may_break_only_after_a_slash_a_dot_an_at_or_a_space() -> None:
    assert address("https://mastodon.example.org/@northwind") == (
        "https://<wbr>mastodon.<wbr>example.<wbr>org/@<wbr>northwind")
    assert address("northwind.example.org/") == "northwind.<wbr>example.<wbr>org/"
    # A part longer than ADDRESS_PART_FITS is a box of its own; escaped first, always.
    assert address("gооgle.com (xn--ggle-55da.com)") == (
        "gооgle.<wbr>com <wbr><span>(xn--ggle-55da</span>.<wbr>com)")
    assert address(f"https://{LABEL}.example.org/") == (
        f"https://<wbr><span>{LABEL}</span>.<wbr>example.<wbr>org/")
    assert address("<b>&x.example.org") == "&lt;b&gt;&amp;x.<wbr>example.<wbr>org"


# --- every signatory page, on a phone ---------------------------------------------------------
@pytest.mark.parametrize("registry", ["demo", "bulk"])
def test_every_signatory_page_fits_a_phone_and_breaks_addresses_between_words(
        registry: str, request: pytest.FixtureRequest,
        visit: Callable[..., Visitor]) -> None:
    site: Site = request.getfixturevalue(registry)
    visitor = visit(site, viewport=PHONE)
    pages = signatory_pages(site)
    if registry == "bulk":
        assert len(pages) >= BULK
    problems = []
    for path in pages:
        page = visitor.goto(path)
        problems += check_phone_page(page, path)
        # Each label over its value: the facts are one column on a phone.
        facts = page.locator(".sm-facts")
        if facts.count():
            terms = facts.locator("dt").evaluate_all(
                "ts => ts.map(t => [t.getBoundingClientRect(),"
                " t.nextElementSibling.getBoundingClientRect()])"
                ".map(([t, d]) => d.top >= t.bottom - 1 && Math.abs(d.left - t.left) < 1)")
            if not all(terms):
                problems.append(f"{path}: a label beside its value")
    for path in ("", "signatories/", "signatories/former/"):
        problems += check_phone_page(visitor.goto(path), path or "home")
    assert problems == []
    visitor.assert_clean()


def test_a_part_wider_than_the_line_breaks_inside_and_nothing_else_does(
        bulk: Site, visit: Callable[..., Visitor]) -> None:
    visitor = visit(bulk, viewport=PHONE)
    page = visitor.goto("signatories/long-label/")
    label = page.locator(".sm-facts dd a span").first
    assert label.inner_text() == LABEL
    # The 63 letters are wider than the line: they take more than one, and the page is
    # no wider for them.
    assert label.evaluate(LINES) > 1
    assert page.evaluate(OVERFLOW) <= 0
    # Its underline is drawn under the long part too.
    assert label.evaluate("s => getComputedStyle(s).textDecorationLine") == "underline"
    # Nothing else of the page's addresses breaks inside a part, at either width.
    assert page.evaluate(MID_WORD_BREAKS, ADDRESSES) == []
    wide = visit(bulk, viewport=WIDE).goto("signatories/long-label/")
    assert wide.evaluate(MID_WORD_BREAKS, ADDRESSES) == []
    assert wide.evaluate(OVERFLOW) <= 0
    visitor.assert_clean()


# --- dates ------------------------------------------------------------------------------------
@pytest.mark.parametrize("width", [320, 390])
def test_dates_stay_on_one_line(demo: Site, visit: Callable[..., Visitor], width: int) -> None:
    visitor = visit(demo, viewport={"width": width, "height": 800})
    for path in ("signatories/former/", "signatories/loud-growth-agency/", "signatories/",
                 "signatories/northwind-media/", ""):
        page = visitor.goto(path)
        assert page.evaluate(BROKEN_DATES) == [], path
        assert page.evaluate(OVERFLOW) <= 0, path
    # The former signatories' and the withdrawn page's dates are <time>s.
    page = visitor.goto("signatories/former/")
    assert page.locator("tbody time").all_inner_texts() == ["2024-01-15", "2025-02-28"]
    page = visitor.goto("signatories/loud-growth-agency/")
    assert "2024-01-15" in page.locator(".sm-status-line time").all_inner_texts()
    visitor.assert_clean()


# --- the home page's buttons ------------------------------------------------------------------
@pytest.mark.parametrize("viewport", [SMALL_PHONE, PHONE, WIDE], ids=["320", "390", "1280"])
def test_the_home_buttons_are_apart_and_stacked_as_wide_as_each_other(
        demo: Site, visit: Callable[..., Visitor], viewport: dict[str, int]) -> None:
    visitor = visit(demo, viewport=viewport)
    page = visitor.goto("")
    first, second = (b.bounding_box() for b in page.locator(".sm-hero-actions .md-button").all())
    assert first is not None and second is not None
    stacked = second["y"] >= first["y"] + first["height"] - 1
    if viewport is SMALL_PHONE:
        assert stacked  # what this width is here to see
    if stacked:
        assert second["y"] - (first["y"] + first["height"]) >= 8
        assert abs(first["width"] - second["width"]) < 1
        assert abs(first["x"] - second["x"]) < 1
    else:
        assert second["x"] - (first["x"] + first["width"]) >= 8
        assert abs(first["y"] - second["y"]) < 1
    visitor.assert_clean()


# --- a right-to-left statement -----------------------------------------------------------------
@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["390", "1280"])
def test_a_right_to_left_statements_bar_is_on_its_right(
        demo: Site, visit: Callable[..., Visitor], viewport: dict[str, int]) -> None:
    visitor = visit(demo, viewport=viewport)
    bars = """q => { const s = getComputedStyle(q); return [s.direction,
      parseFloat(s.borderLeftWidth), parseFloat(s.borderRightWidth)]; }"""
    rtl = visitor.goto("signatories/dar-al-kalima/").locator("blockquote.sm-statement")
    direction, left, right = rtl.evaluate(bars)
    assert (direction, left) == ("rtl", 0) and right > 0
    ltr = visitor.goto("signatories/northwind-media/").locator("blockquote.sm-statement")
    direction, left, right = ltr.evaluate(bars)
    assert (direction, right) == ("ltr", 0) and left > 0
    visitor.assert_clean()


# --- axe, and the pictures ----------------------------------------------------------------------
SHOWN = {"long": ("bulk", "signatories/long-addresses/"),
         "label": ("bulk", "signatories/long-label/"),
         "rtl": ("demo", "signatories/dar-al-kalima/"),
         "withdrawn": ("demo", "signatories/loud-growth-agency/"),
         "former": ("demo", "signatories/former/"),
         "directory": ("bulk", "signatories/"),
         "home": ("demo", "")}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["390", "1280"])
def test_axe_finds_nothing_on_these_pages(
        request: pytest.FixtureRequest, visit: Callable[..., Visitor],
        viewport: dict[str, int], scheme: str) -> None:
    source = axe_source()
    assert source is not None, "axe-core is missing: make test installs axe-playwright-python"
    visitors = {name: visit(request.getfixturevalue(name), viewport=viewport,
                            color_scheme=scheme) for name in ("demo", "bulk")}
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, (registry, path) in SHOWN.items():
        page = visitors[registry].goto(path)
        page.wait_for_load_state("load")
        page.screenshot(path=str(SHOTS / f"phones-{ENGINE}-{name}-{viewport['width']}"
                                           f"-{scheme}.png"), full_page=True)
        violations = run_axe(page, source)
        assert violations == [], f"{path}:\n{describe_violations(violations)}"
    for visitor in visitors.values():
        visitor.assert_clean()
