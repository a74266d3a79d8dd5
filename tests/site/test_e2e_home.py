"""The home page as a visitor meets it, in Debian's headless Chromium: the hero's count of
active signatories and the build's day, the wall of the most recent of them linking to
their pages, images that keep their place while they load, the navigation and the table
of contents hidden on this page only, and axe-core's WCAG A/AA and best-practice rules in
both palettes at both widths. On MkDocs, or on the engine SOCIALMISSION_ENGINE names.

Four registries are built once per session, each dated by SOURCE_DATE_EPOCH: the tests'
sample registry (eleven active signatories in eight scripts, one with a logo); the same
with eight more and `home_wall_min_age: 30`, so the wall is full, cut, and holds back the
newest; and another mission's registry (test_another_registry.py) with one active
signatory, and with none. Screenshots go to SHOTS for a person to look at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from e2e_support import (
    SCHEMES,
    VIEWPORTS,
    Site,
    Visitor,
    axe_source,
    browser_missing,
    describe_violations,
    mkdocs_build,
    run_axe,
    serve,
    shots,
)
from sample_registry import sample_registry
from socialmission.model import paths
from test_another_registry import PLEDGES as CHARTER_PLEDGES
from test_another_registry import another_registry

SKIP = browser_missing()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

SHOTS = shots("home")
EPOCH = "1780000000"  # 2026-05-28 20:26:40 UTC: the day every site here is built
BUILT_ON = dt.date(2026, 5, 28)

# The sample registry's active signatories, newest signature first (Northwind Media has
# the only logo), each with its slug.
SAMPLE_WALL = [("Green Valley FC", "green-valley-fc"), ("ספרי שלום", "shalom-books"),
               ("Tomáš Novák", "tomas-novak"), ("Ridgeway District Council", "ridgeway-council"),
               ("Καφέ Καλλιστώ", "kallisto-cafe"), ("प्रिया शर्मा", "priya-sharma"),
               ("دار الكلمة للنشر", "dar-al-kalima"),
               ("株式会社さくらデザイン", "sakura-design"),
               ("Bright Harbour Trust", "bright-harbour-trust"), ("Ana Pérez", "ana-perez"),
               ("Northwind Media", "northwind-media")]
# Eight more, for `many`: (slug, name, signed). With home_wall_min_age 30, the two signed
# within 30 days of BUILT_ON wait; the one signed 30 days before is shown; the two of one
# day go by slug, not by name.
MORE = [("fresh-yesterday", "Fresh Yesterday", "2026-05-27"),
        ("fresh-last-week", "Fresh Last Week", "2026-05-20"),
        ("thirty-days", "Thirty Days Old", "2026-04-28"),
        ("april-signatory", "April Signatory", "2026-04-01"),
        ("tie-a", "Tie Zulu", "2026-03-15"), ("tie-b", "Tie Alpha", "2026-03-15"),
        ("february-signatory", "February Signatory", "2026-02-01"),
        ("december-signatory", "December Signatory", "2025-12-24")]
MANY_WALL = [(name, slug) for slug, name, _ in MORE[2:]] + SAMPLE_WALL[:6]
CHARTER_WALL = [("North Quay Fisheries", "north-quay-fisheries")]


@dataclass
class Expected:
    """What a registry's home page must show."""

    title: str  # the current mission version's title
    count: int  # active signatories
    wall: list[tuple[str, str]]  # (name, slug), in order


EXPECTED = {
    "sample": Expected("The Socially-M Social Mission", 11, SAMPLE_WALL),
    "many": Expected("The Socially-M Social Mission", 11 + len(MORE), MANY_WALL),
    "charter": Expected("The Harbour Charter", 1, CHARTER_WALL),
    "empty": Expected("The Harbour Charter", 0, []),
}


def more_pledge(name: str, signed: str, number: int) -> str:
    return (f"name: {name}\nkind: organisation\nwebsite: https://wall{number}.example.net/\n"
            f"signed: {signed}\nmission_version: 1\nmaintainers:\n  - harbour\n")


def _registry(name: str, target: Path) -> Path:
    if name in ("sample", "many"):
        root = sample_registry(target)
        if name == "many":
            for number, (slug, title, signed) in enumerate(MORE):
                (root / paths.PLEDGES_DIR / f"{slug}.yaml").write_text(
                    more_pledge(title, signed, number), encoding="utf-8")
            settings = root / paths.SETTINGS_FILE
            settings.write_text(settings.read_text(encoding="utf-8").replace(
                "home_wall_min_age: 0", "home_wall_min_age: 30"), encoding="utf-8")
        return root
    root = another_registry(target)
    if name == "empty":
        for slug in CHARTER_PLEDGES:
            (root / paths.PLEDGES_DIR / f"{slug}.yaml").unlink()
    return root


@pytest.fixture(scope="session")
def home_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Site]]:
    sites: dict[str, Site] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        outs = {}
        for name in EXPECTED:
            root = _registry(name, tmp_path_factory.mktemp(f"home-{name}-registry"))
            outs[name] = tmp_path_factory.mktemp(f"home-{name}-site")
            mkdocs_build(root / "mkdocs.yml", outs[name])
    servers = [(name, serve(out)) for name, out in outs.items()]
    try:
        for name, server in servers:
            sites[name] = Site(outs[name], server.__enter__())
        yield sites
    finally:
        for _, server in servers:
            server.__exit__(None, None, None)


def screenshot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


# --- the hero ----------------------------------------------------------------------------------
@pytest.mark.parametrize("registry", list(EXPECTED))
def test_the_hero_counts_the_active_signatories_on_the_build_day(
        home_sites: dict[str, Site], visit: Callable[..., Visitor], registry: str) -> None:
    site, expected = home_sites[registry], EXPECTED[registry]
    visitor = visit(site, viewport=VIEWPORTS["1280"])
    page = visitor.goto("")
    hero = page.locator(".sm-hero")
    heading = hero.get_by_role("heading", level=1)
    assert heading.count() == 1
    assert heading.inner_text().removesuffix("¶").strip() == expected.title
    assert hero.locator(".sm-count-number").inner_text() == str(expected.count)
    noun = "signatory" if expected.count == 1 else "signatories"
    assert " ".join(hero.locator(".sm-count").inner_text().split()) == \
        f"{expected.count} active {noun} as of 28 May 2026"
    assert hero.locator("time").get_attribute("datetime") == BUILT_ON.isoformat()
    for name, target in (("Sign", "sign/"), ("See who signed", "signatories/")):
        link = hero.get_by_role("link", name=name, exact=True)
        assert link.is_visible()
        assert urljoin(page.url, link.get_attribute("href") or "") == site.url + target
    visitor.assert_clean()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_hero_badge_follows_the_palette(home_sites: dict[str, Site],
                                            visit: Callable[..., Visitor], scheme: str) -> None:
    """The generic badge the visitor's palette shows (Material's, on <body>): one of the
    two, at its size; the theme's toggle switches it."""
    visitor = visit(home_sites["sample"], viewport=VIEWPORTS["1280"], color_scheme=scheme)
    page = visitor.goto("")
    shown = page.locator(".sm-hero-badge img:visible")
    assert shown.count() == 1
    assert (shown.get_attribute("src") or "").endswith(f"card-{scheme}.svg")
    assert shown.get_attribute("alt") == "The Social Mission badge"
    box = shown.bounding_box()
    assert box is not None and (box["width"], box["height"]) == (360, 100)
    other = "dark" if scheme == "light" else "light"
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(
        "s => document.body.getAttribute('data-md-color-scheme') === s",
        arg="slate" if other == "dark" else "default")
    assert (page.locator(".sm-hero-badge img:visible").get_attribute("src") or "").endswith(
        f"card-{other}.svg")
    visitor.assert_clean()


# --- the wall ----------------------------------------------------------------------------------
@pytest.mark.parametrize("registry", list(EXPECTED))
def test_the_wall_shows_the_newest_and_links_to_their_pages(
        home_sites: dict[str, Site], visit: Callable[..., Visitor], registry: str) -> None:
    site, expected = home_sites[registry], EXPECTED[registry]
    visitor = visit(site, viewport=VIEWPORTS["390"])
    page = visitor.goto("")
    items = page.locator("ul.sm-wall > li")
    if not expected.wall:
        assert items.count() == 0
        assert page.get_by_role("heading", name="Recent signatories").count() == 0
        visitor.assert_clean()
        return
    links = page.locator("ul.sm-wall > li a")
    assert links.all_inner_texts() == [name for name, _ in expected.wall]
    assert [urljoin(page.url, href or "") for href in
            (links.nth(i).get_attribute("href") for i in range(links.count()))] == \
        [f"{site.url}signatories/{slug}/" for _, slug in expected.wall]
    for i in range(items.count()):  # a logo or a monogram for each, never both
        item = items.nth(i)
        assert item.locator("img").count() + item.locator(".sm-wall-monogram").count() == 1
    more = page.locator(".sm-wall-more a")
    noun = "See the 1 signatory" if expected.count == 1 else \
        f"See all {expected.count} signatories"
    assert more.inner_text() == noun
    assert urljoin(page.url, more.get_attribute("href") or "") == f"{site.url}signatories/"
    # the whole card is its link: a click in its corner, away from the name, opens the page
    name, slug = expected.wall[0]
    items.first.click(position={"x": 4, "y": 4})
    page.wait_for_url(f"{site.url}signatories/{slug}/")
    assert page.get_by_role("heading", level=1, name=name).count() == 1
    visitor.assert_clean()


# The sample registry's monograms in scripts this machine may have no font for.
SCRIPT_MONOGRAMS = {"ס", "प", "د", "株"}


def test_every_monogram_is_drawn_in_a_served_font(
        home_sites: dict[str, Site], visit: Callable[..., Visitor]) -> None:
    """A name's first letter in Hebrew, Devanagari, Arabic or Japanese is drawn by one of
    the site's web fonts (site/webfonts.py), loaded for it, in the weight it is served in,
    so every monogram has its glyph and the same bold as the Latin ones."""
    visitor = visit(home_sites["sample"], viewport=VIEWPORTS["1280"])
    page = visitor.goto("")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    letters = page.locator(".sm-wall-monogram").all_inner_texts()
    assert set(letters) >= SCRIPT_MONOGRAMS
    drawn = page.evaluate("""letters => {
      const ranges = face => face.unicodeRange.split(',').map(r => {
        const [low, high] = r.trim().slice(2).split('-').map(x => parseInt(x, 16));
        return [low, high === undefined ? low : high];
      });
      const loaded = [...document.fonts].filter(f => f.status === 'loaded');
      return letters.map(letter => loaded.filter(f => ranges(f).some(
        ([low, high]) => low <= letter.codePointAt(0) && letter.codePointAt(0) <= high))
        .map(f => f.weight));
    }""", sorted(SCRIPT_MONOGRAMS))
    assert drawn == [["700"]] * len(SCRIPT_MONOGRAMS)
    weights = page.evaluate("() => [...document.querySelectorAll('.sm-wall-monogram')]"
                            ".map(e => getComputedStyle(e).fontWeight)")
    assert set(weights) == {"700"}
    visitor.assert_clean()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_images_keep_their_place_while_they_load(
        home_sites: dict[str, Site], visit: Callable[..., Visitor], device: str) -> None:
    """Every box of the page where it will be before any image has arrived: the images
    are held back until the page is measured, then let through; nothing moves."""
    visitor = visit(home_sites["sample"], viewport=VIEWPORTS[device])
    page = visitor.page
    held: list[Any] = []
    holding = [True]

    def hold(route: Any) -> None:
        if holding[0] and route.request.resource_type == "image":
            held.append(route)
        else:
            route.fallback()

    page.route("**/*", hold)
    page.goto(home_sites["sample"].url, wait_until="domcontentloaded")
    measure = """async () => {
      await document.fonts.ready;
      await new Promise(r => setTimeout(r, 300));
      await document.fonts.ready;
      const boxes = [];
      for (const e of document.querySelectorAll(
          '.sm-hero, .sm-hero-badge, .sm-count, article h2, .sm-wall > li, .sm-wall > li > *,'
          + ' .sm-wall-more, ol.sm-principles > li, .md-footer')) {
        const r = e.getBoundingClientRect();
        boxes.push([e.className || e.tagName, Math.round(r.left * 2) / 2,
                    Math.round((r.top + window.scrollY) * 2) / 2,
                    Math.round(r.width * 2) / 2, Math.round(r.height * 2) / 2]);
      }
      return boxes;
    }"""
    before = page.evaluate(measure)
    images = page.locator("article img")
    assert images.count() == 3  # the badge, light and dark, and the one logo
    assert page.evaluate("() => [...document.querySelectorAll('article img')]"
                         ".every(i => i.naturalWidth === 0)")
    holding[0] = False
    for route in held:
        route.fallback()
    page.evaluate("() => { for (const i of document.querySelectorAll('article img')) "
                  "i.scrollIntoView(); window.scrollTo(0, 0); }")
    page.wait_for_function("() => [...document.querySelectorAll('article img')]"
                           ".filter(i => i.checkVisibility())"
                           ".every(i => i.complete && i.naturalWidth > 0)")
    assert page.evaluate(measure) == before
    visitor.assert_clean()


# --- the page around them ----------------------------------------------------------------------
def test_the_navigation_and_contents_are_hidden_on_the_home_page_only(
        home_sites: dict[str, Site], visit: Callable[..., Visitor]) -> None:
    visitor = visit(home_sites["sample"], viewport=VIEWPORTS["1280"])
    page = visitor.goto("")
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert not page.locator(".md-sidebar--secondary").is_visible()
    content = page.locator(".md-content").bounding_box()
    assert content is not None and content["width"] > 1100  # the hero has the page's width
    page = visitor.goto("sign/")
    assert page.locator(".md-sidebar--primary").is_visible()
    # on a phone, the menu still opens the navigation from the home page
    page.set_viewport_size(VIEWPORTS["390"])
    page = visitor.goto("")
    page.locator(".md-header label[for=__drawer]").click()
    statistics = page.get_by_role("link", name="Statistics", exact=True)
    statistics.wait_for(state="visible")
    statistics.click()
    page.wait_for_url(f"{home_sites['sample'].url}stats/")
    visitor.assert_clean()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_home_page_passes_axe(home_sites: dict[str, Site], visit: Callable[..., Visitor],
                                  device: str, scheme: str) -> None:
    """axe's WCAG 2.2 A/AA rules and best practices, none disabled, on every registry's home
    page: a full wall, a cut one, one signatory and none."""
    source = axe_source()
    if source is None:
        pytest.skip("axe-core is missing: `make test` installs axe-playwright-python, "
                    "which ships it, from requirements/dev.lock")
    found = {}
    for registry, site in home_sites.items():
        visitor = visit(site, viewport=VIEWPORTS[device], color_scheme=scheme)
        page = visitor.goto("")
        page.evaluate("() => document.fonts.ready")
        screenshot(page, f"{registry}-{device}-{scheme}")
        if violations := run_axe(page, source):
            found[registry] = describe_violations(violations)
        visitor.assert_clean()
    assert found == {}, "\n".join(f"{k}:\n{v}" for k, v in found.items())
