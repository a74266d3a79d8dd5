"""A signatory's page, the press kit and the statistics as a visitor sees them, in Debian's
headless Chromium, at 1280 and 390 px wide, in the light and the dark scheme.

The site is the tests' sample registry (sample_registry.py) and three more pledges: one
whose name is markup and whose logo is wider than high, one whose website looks like
another's, and one that withdrew and signed again. It is served from 127.0.0.1; every request to
another host is refused and recorded, and each test ends by asserting there was none, no
console or page error and no dialog. Screenshots go to /tmp/shots-signatory/ (or
$SOCIALMISSION_SHOTS) to be looked at. Without Playwright or Chromium these tests skip.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import cairosvg
import pytest

from conftest import FONTS, REGISTRY_SETTINGS, SITE_WORDS
from e2e_support import (
    HOSTILE_NAMES,
    Site,
    axe_source,
    browser_missing,
    describe_violations,
    mkdocs_build,
    run_axe,
    serve,
)
from e2e_support import Visitor as Browsing
from sample_registry import sample_registry
from socialmission.model import paths
from socialmission.model.pledge import Pledge
from socialmission.site.pages import SNIPPET_TABS, snippets

SKIP = browser_missing()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

SITE_URL = "https://socialmission.example.org/"  # mkdocs.yml's site_url
SHOTS = Path(os.environ.get("SOCIALMISSION_SHOTS", "/tmp/shots-signatory"))
WIDTHS = (1280, 390)  # px: a laptop, and a phone
SCHEMES = ("light", "dark")
VIEWS = [(width, scheme) for width in WIDTHS for scheme in SCHEMES]
ACTIVE, WITHDRAWN = "signatories/northwind-media/", "signatories/loud-growth-agency/"
INDIVIDUAL = "signatories/priya-sharma/"  # a person: the page offers "Add to LinkedIn"
HOSTILE = "signatories/markup-logo/"
ARABIC = "signatories/dar-al-kalima/"  # a right-to-left name
LOOK_ALIKE = "signatories/look-alike/"  # a website that looks like another's
SIGNED_AGAIN = "signatories/signed-again/"  # withdrew, then signed again
LOOK_ALIKE_DOMAIN = "g\u043e\u043egle.com (xn--ggle-55da.com)"  # Cyrillic o's
HOSTILE_NAME = HOSTILE_NAMES["img-onerror"]
MIN_LABEL_PX = 11  # the smallest chart label a phone may show
CAPTIONS = ["Card, light", "Card, dark", "Compact, light", "Compact, dark"]


def _wide_logo(path: Path) -> None:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
           '<rect width="200" height="100" fill="#123"/><circle cx="100" cy="50" r="40" '
           'fill="#fa0"/></svg>')
    path.write_bytes(cairosvg.svg2png(bytestring=svg.encode()))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    registry = sample_registry(tmp_path_factory.mktemp("signatory-registry"))
    _wide_logo(registry / "pledges" / "logos" / "markup-logo.png")
    (registry / "pledges" / "markup-logo.yaml").write_text(
        f"name: {json.dumps(HOSTILE_NAME)}\n"  # a JSON string is a YAML string
        "kind: organisation\nwebsite: https://markup.example.org/\nsigned: 2025-03-03\n"
        "mission_version: 1\nmaintainers:\n  - harbour\nlogo: logos/markup-logo.png\n",
        encoding="utf-8")
    (registry / "pledges" / "look-alike.yaml").write_text(
        "name: Look-alike Search\nkind: organisation\n"
        "website: https://www.xn--ggle-55da.com/pledge\nsigned: 2025-03-04\n"
        "mission_version: 1\nmaintainers:\n  - harbour\n", encoding="utf-8")
    (registry / "pledges" / "signed-again.yaml").write_text(
        "name: Tidewater Community Press\nkind: organisation\n"
        "website: https://tidewater.example.org/\nsigned: 2024-02-01\nmission_version: 1\n"
        "maintainers:\n  - harbour\nwithdrawn: 2025-01-31\nwithdrawn_reason: Our newsroom "
        "changed hands, and the new owners wanted to read the principles before keeping "
        "them.\nsigned_again:\n  - signed: 2025-06-01\n    mission_version: 1\n",
        encoding="utf-8")
    out = tmp_path_factory.mktemp("signatory-site")
    mkdocs_build(registry / "mkdocs.yml", out)
    with serve(out) as url:
        yield Site(out, url)


class Visitor(Browsing):
    """The shared visitor at one width and scheme, each page read once its images are in."""

    def __init__(self, browser: Any, site: Site, width: int, scheme: str) -> None:
        super().__init__(browser, site, viewport={"width": width, "height": 900},
                         color_scheme=scheme, accept_downloads=True)
        self.width, self.scheme = width, scheme

    def goto(self, path: str) -> Any:
        page = super().goto(path)
        page.wait_for_function("() => [...document.images].every(i => i.complete)")
        return page

    def shoot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}-{self.width}-{self.scheme}.png"),
                             full_page=True)


@pytest.fixture
def visit(browser: Any, site: Site) -> Iterator[Callable[..., Visitor]]:
    visitors: list[Visitor] = []

    def start(width: int, scheme: str = "light") -> Visitor:
        visitor = Visitor(browser, site, width, scheme)
        visitors.append(visitor)
        return visitor

    yield start
    for visitor in visitors:
        visitor.context.close()


def box(locator: Any) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, locator
    return dict(found)


def inside(inner: dict[str, float], outer: dict[str, float], slack: float = 0.5) -> bool:
    return (inner["x"] >= outer["x"] - slack and inner["y"] >= outer["y"] - slack and
            inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack and
            inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack)


# --- accessibility --------------------------------------------------------------------------
@pytest.mark.parametrize(("width", "scheme"), VIEWS)
def test_the_pages_pass_axe_with_best_practice(visit: Callable[..., Visitor],
                                               width: int, scheme: str) -> None:
    source = axe_source()
    if source is None:
        pytest.skip("axe-core is missing: `make test` installs axe-playwright-python")
    visitor = visit(width, scheme)
    found = {}
    for path in (ACTIVE, WITHDRAWN, HOSTILE, ARABIC, LOOK_ALIKE, INDIVIDUAL, SIGNED_AGAIN,
                 "press-kit/", "stats/", "history/"):
        page = visitor.goto(path)
        visitor.shoot(path.strip("/").replace("/", "_"))
        violations = run_axe(page, source)
        if violations:
            found[path] = describe_violations(violations)
    assert not found, "\n\n".join(f"{path}:\n{text}" for path, text in found.items())
    visitor.assert_clean()


# --- the domain beside the name -------------------------------------------------------------
@pytest.mark.parametrize(("width", "scheme"), VIEWS)
def test_the_domain_shows_under_the_name_left_to_right(visit: Callable[..., Visitor],
                                                      width: int, scheme: str) -> None:
    visitor = visit(width, scheme)
    for path, domain in ((ACTIVE, "example.org"), (ARABIC, "example.org"),
                         (LOOK_ALIKE, LOOK_ALIKE_DOMAIN)):
        page = visitor.goto(path)
        shown = page.locator(".sm-domain a")
        assert shown.inner_text() == domain and shown.is_visible(), path
        assert shown.evaluate("e => getComputedStyle(e).direction") == "ltr", path
        # under the name, inside the page
        heading = box(page.locator("h1"))
        assert box(shown)["y"] >= heading["y"] + heading["height"] - 1, path
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, path
    # the Arabic name reads right to left, its domain left to right
    page = visitor.goto(ARABIC)
    assert page.locator("h1").evaluate("e => getComputedStyle(e).direction") == "rtl"
    visitor.shoot("domain-arabic")
    visitor.goto(ACTIVE)
    visitor.shoot("domain-latin")
    visitor.assert_clean()


@pytest.mark.parametrize(("width", "scheme"), [(1280, "light"), (390, "dark")])
def test_the_badges_on_the_page_name_the_domain_too(visit: Callable[..., Visitor],
                                                    width: int, scheme: str) -> None:
    """The card badge draws the domain under the name; the page's badge images say it in
    their text alternative, and the card SVG in its title, as the page shows it."""
    visitor = visit(width, scheme)
    for path, name, domain in ((ACTIVE, "Northwind Media", "example.org"),
                               (ARABIC, None, "example.org"),
                               (LOOK_ALIKE, "Look-alike Search", LOOK_ALIKE_DOMAIN),
                               (WITHDRAWN, "Loud Growth Agency", "example.com")):
        page = visitor.goto(path)
        shown_name = page.locator("h1").inner_text()
        assert name is None or shown_name == name
        card = page.locator(".sm-badges figure").first.locator("img")
        alt = card.get_attribute("alt") or ""
        assert alt.startswith(f"{shown_name}, {domain}: "), (path, alt)
        assert page.get_by_role("img", name=alt, exact=True).count() >= 1, path
        # the card's own SVG names it in its title and aria-label
        src = card.evaluate("img => img.currentSrc || img.src")
        svg = page.evaluate("src => fetch(src).then(r => r.text())", src)
        assert f"<title>{shown_name}, {domain}: " in svg, (path, src)
        assert f'aria-label="{shown_name}, {domain}: ' in svg, (path, src)
        assert card.evaluate("img => [img.naturalWidth, img.naturalHeight]") in (
            [360, 100], [720, 200]), path
    visitor.shoot("badge-domain-look-alike")
    visitor.assert_clean()


# --- the logo -------------------------------------------------------------------------------
@pytest.mark.parametrize(("width", "scheme"), VIEWS)
def test_the_page_shows_the_signatorys_logo(visit: Callable[..., Visitor],
                                            width: int, scheme: str) -> None:
    visitor = visit(width, scheme)
    for path, name, shown in ((ACTIVE, "Northwind Media", (96, 96)),
                              (HOSTILE, HOSTILE_NAME, (96, 48))):
        page = visitor.goto(path)
        logo = page.get_by_role("img", name=f"Logo of {name}", exact=True)
        assert logo.count() == 1 and logo.is_visible(), path
        size = logo.evaluate("img => [img.naturalWidth, img.getAttribute('src')]")
        assert size[0] > 0 and size[1] == f"../../logos/{path.split('/')[1]}.png", path
        drawn = box(logo)
        assert (round(drawn["width"]), round(drawn["height"])) == shown, path
        assert drawn["x"] >= 0 and drawn["x"] + drawn["width"] <= width
        heading = box(page.locator("h1"))
        assert page.locator("h1").inner_text() == name
        # beside the name at 1280, and never over it
        assert drawn["x"] + drawn["width"] <= heading["x"] or \
            drawn["y"] + drawn["height"] <= heading["y"], path
        # a long name breaks: the page never scrolls sideways
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, path
    assert visitor.page.evaluate("() => document.querySelectorAll('[onerror]').length") == 0
    visitor.assert_clean()


# --- the badges -----------------------------------------------------------------------------
@pytest.mark.parametrize(("width", "scheme"), VIEWS)
def test_each_badge_has_its_caption_in_an_even_grid(visit: Callable[..., Visitor],
                                                   width: int, scheme: str) -> None:
    visitor = visit(width, scheme)
    page = visitor.goto(ACTIVE)
    figures = page.locator(".sm-badges figure")
    assert figures.count() == 4
    cells = []
    for index, caption in enumerate(CAPTIONS):
        figure = figures.nth(index)  # boxes are measured unscrolled: all on one footing
        assert figure.locator("figcaption").inner_text() == caption
        image = figure.locator("img")
        assert image.count() == 1 and image.is_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        cell, picture, label = box(figure), box(image), box(figure.locator("figcaption"))
        assert inside(picture, cell) and inside(label, cell), caption
        assert label["y"] >= picture["y"] + picture["height"], caption  # under its badge
        cells.append(cell)
    same = [(round(c["width"]), round(c["height"])) for c in cells]
    assert len(set(same)) == 1, same  # every cell the same size
    xs = sorted({round(c["x"]) for c in cells})
    rows = sorted({round(c["y"]) for c in cells})
    if width >= 1280:  # two columns, the light badge left of its dark one
        assert len(xs) == 2 and len(rows) == 2, (xs, rows)
        assert [round(c["x"]) for c in cells] == [xs[0], xs[1], xs[0], xs[1]]
    else:  # one column on a phone, nothing wider than the screen
        assert len(xs) == 1 and len(rows) == 4, (xs, rows)
        assert all(c["x"] >= 0 and c["x"] + c["width"] <= width for c in cells)
    visitor.assert_clean()


# --- a withdrawn signatory ------------------------------------------------------------------
@pytest.mark.parametrize(("width", "scheme"), VIEWS)
def test_a_withdrawn_page_says_so_and_when_and_offers_no_snippet(
        visit: Callable[..., Visitor], width: int, scheme: str) -> None:
    visitor = visit(width, scheme)
    page = visitor.goto(WITHDRAWN)
    pill = page.locator(".sm-status-line .sm-pill")
    assert pill.is_visible() and pill.inner_text() == "Withdrawn"
    notice = page.locator(".sm-withdrawn")
    assert notice.is_visible()
    assert notice.inner_text().startswith(
        "This signatory withdrew from the Social Mission on 2025-02-28 and no longer "
        "subscribes to it.")
    assert page.locator(".sm-withdrawn time").get_attribute("datetime") == "2025-02-28"
    assert page.get_by_text("Copy one of these").count() == 0
    assert page.locator(".tabbed-set, pre, code, [data-clipboard-target]").count() == 0
    assert page.locator("a[href$='@2x.png']").count() == 0
    no_embed = page.locator(".sm-no-embed")
    no_embed.scroll_into_view_if_needed()
    assert no_embed.is_visible() and "no embed code is offered." in no_embed.inner_text()
    # its badges are shown, and say "withdrawn"
    assert page.locator(".sm-badges img").count() == 4
    visitor.assert_clean()


# --- a signatory that signed again ---------------------------------------------------------
@pytest.mark.parametrize(("width", "scheme"), VIEWS)
def test_a_page_signed_again_shows_the_current_signature_and_lists_each(
        visit: Callable[..., Visitor], width: int, scheme: str) -> None:
    visitor = visit(width, scheme)
    page = visitor.goto(SIGNED_AGAIN)
    status = page.locator(".sm-status-line")
    assert status.inner_text() == ("Signatory since 2025-06-01, mission version 1; "
                                   "2 signatures")
    assert page.locator(".sm-withdrawn").count() == 0  # in force again
    items = page.locator(".sm-signatures li")
    assert items.all_inner_texts() == [
        "Signed 2024-02-01, mission version 1; withdrawn on 2025-01-31. Reason given: Our "
        "newsroom changed hands, and the new owners wanted to read the principles before "
        "keeping them.",
        "Signed 2025-06-01, mission version 1; in force."]
    # the status line's link goes to the list, whose items are numbered as the assertions
    page.get_by_role("link", name="2 signatures", exact=True).click()
    page.wait_for_function("() => location.hash === '#signatures'")
    heading = box(page.locator("h2#signatures"))
    assert 0 <= heading["y"] < 900, heading  # scrolled to, under the sticky header
    for index in range(2):
        item = items.nth(index)
        assert item.is_visible()
        drawn = box(item)
        assert drawn["x"] >= 0 and drawn["x"] + drawn["width"] <= width, index
        marker = item.evaluate("li => getComputedStyle(li).listStyleType")
        assert marker == "decimal", index
    if width >= 1280:  # the table of contents names the section
        toc = page.locator(".md-sidebar--secondary .md-nav__link")
        assert toc.all_inner_texts()[:3] == ["Signatures", "Badge", "Verify this badge"]
    assertions = page.locator(".sm-assertions li")
    assert [text.split(":")[0] for text in assertions.all_inner_texts()] == [
        "Signature 1, version 1 (revoked)", "Signature 2, version 1"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    page.evaluate("() => window.scrollTo(0, 0)")
    visitor.shoot("signed-again")
    visitor.assert_clean()


# --- the snippet tabs -----------------------------------------------------------------------
@pytest.mark.parametrize("scheme", SCHEMES)
def test_at_390_every_tab_shows_whole_and_the_keyboard_reaches_each(
        visit: Callable[..., Visitor], scheme: str) -> None:
    visitor = visit(390, scheme)
    page = visitor.goto(ACTIVE)
    strip = page.locator(".sm-snippets .tabbed-labels")
    strip.scroll_into_view_if_needed()
    # nothing to scroll: the strip is as wide as what it holds, and holds every label
    assert strip.evaluate("el => el.scrollWidth <= el.clientWidth")
    area = box(strip)
    assert area["x"] >= 0 and area["x"] + area["width"] <= 390
    labels = strip.locator("label")
    assert labels.all_inner_texts() == [tab.label for tab in SNIPPET_TABS]
    for index in range(labels.count()):
        label = labels.nth(index)
        assert label.is_visible()
        assert label.evaluate("el => el.scrollWidth <= el.clientWidth"), index  # not cut
        assert inside(box(label), area), (index, box(label), area)
    # From the top of the page, Tab to the tabs; the arrow keys then go from tab to tab.
    focused = "() => document.activeElement && document.activeElement.id"
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(focused) == "__tabbed_1_1":
            break
    else:
        pytest.fail("Tab never reached the snippet tabs")
    blocks = page.locator(".sm-snippets .tabbed-block")
    for index, tab in enumerate(SNIPPET_TABS, start=1):
        if index > 1:
            page.keyboard.press("ArrowRight")
        assert page.evaluate(focused) == f"__tabbed_1_{index}", tab.label
        label = labels.nth(index - 1)
        assert label.is_visible() and inside(box(label), {"x": 0, "y": 0, "width": 390,
                                                          "height": 10**6})
        # the focused tab is marked: an outline in the accent colour
        assert label.evaluate("el => getComputedStyle(el).outlineStyle") == "solid", tab.label
        block = blocks.nth(index - 1)
        assert block.is_visible(), tab.label
        assert block.locator(".sm-snippet-note").inner_text() == tab.note
        if index == 1:
            visitor.shoot("snippet-tabs-focused")
    visitor.assert_clean()


def _embed(site: Site, name: str, markup: str) -> str:
    (site.root / name).write_text(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Embed</title>'
        f"</head>\n<body><main>\n{markup}\n</main></body></html>\n", encoding="utf-8")
    return name


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_fixed_and_email_snippets_show_what_they_say(
        site: Site, visit: Callable[..., Visitor], scheme: str) -> None:
    """Pasted into a page: "always light" and "always dark" ignore the visitor's scheme;
    the e-mail snippet shows the 2x PNG at the card's own size, linked to the page."""
    pledge = Pledge(slug="northwind-media", path=Path("northwind-media.yaml"),
                    name="Northwind Media", signed=dt.date(2023, 11, 6), mission_version=1)
    code = snippets(pledge, SITE_URL, FONTS, SITE_WORDS)
    local = {key: value.replace(SITE_URL, site.url) for key, value in code.items()}
    visitor = visit(1280, scheme)
    for key, file in (("html-light", "card-light.svg"), ("html-dark", "card-dark.svg"),
                      ("email", "card-light@2x.png")):
        page = visitor.goto(_embed(site, f"embed-{key}.html", local[key]))
        image = page.get_by_role("img", name="Northwind Media: Social Mission signatory")
        assert image.is_visible()
        assert image.evaluate("img => img.currentSrc").endswith(f"/northwind-media/{file}")
        drawn = box(image)
        assert (round(drawn["width"]), round(drawn["height"])) == (360, 100), key
        if key == "email":
            assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [720, 200]
        assert page.get_by_role("link").get_attribute("href") == \
            f"{site.url}signatories/northwind-media/"
    visitor.assert_clean()


# What a browser measures of a link pasted inside a sentence: the link's boxes (one per
# line it takes), the badge's, and every text node inside the link.
_INLINE = """a => {
  const img = a.querySelector('img');
  const texts = [];
  const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) texts.push(walker.currentNode.data);
  const boxes = [...a.getClientRects()].map(r => [r.left, r.right]);
  const badge = img.getBoundingClientRect();
  return {texts, boxes, badge: [badge.left, badge.right], src: img.currentSrc,
          underline: getComputedStyle(a).textDecorationLine};
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_an_html_snippet_pasted_inside_a_sentence_ends_at_the_badge(
        site: Site, visit: Callable[..., Visitor], scheme: str) -> None:
    """A signatory's site pastes a snippet into a paragraph whose links are underlined:
    the link is exactly as wide as its badge, with no text (no space) in it, so nothing
    underlined trails the badge; the <picture> ones show the scheme's file."""
    pledge = Pledge(slug="northwind-media", path=Path("northwind-media.yaml"),
                    name="Northwind Media", signed=dt.date(2023, 11, 6), mission_version=1)
    code = snippets(pledge, SITE_URL, FONTS, SITE_WORDS)
    visitor = visit(1280, scheme)
    for tab in SNIPPET_TABS:
        if tab.language != "html":
            continue
        markup = code[tab.key].replace(SITE_URL, visitor.site.url)
        page = visitor.goto(_embed(
            site, f"inline-{tab.key}.html",
            "<style>a { text-decoration: underline; } p { font-size: 18px; }</style>\n"
            f"<p>We signed it: {markup} and so can you.</p>"))
        found = page.locator("p a").evaluate(_INLINE)
        assert found["texts"] == [], tab.key
        assert found["underline"] == "underline"
        left, right = found["badge"]
        assert len(found["boxes"]) == 1, (tab.key, found)
        assert abs(found["boxes"][0][0] - left) < 0.5, (tab.key, found)
        assert abs(found["boxes"][0][1] - right) < 0.5, (tab.key, found)  # no trailing space
        if "<picture>" in code[tab.key]:
            assert found["src"].endswith(f"-{scheme}.svg"), (tab.key, found["src"])
    visitor.shoot("snippet-inline")
    visitor.assert_clean()


# --- the LinkedIn link ----------------------------------------------------------------------
@pytest.mark.parametrize(("width", "scheme"), VIEWS)
def test_an_individuals_page_offers_add_to_linkedin_and_an_organisations_does_not(
        visit: Callable[..., Visitor], width: int, scheme: str) -> None:
    visitor = visit(width, scheme)
    page = visitor.goto(INDIVIDUAL)
    link = page.get_by_role("link", name="Add to LinkedIn", exact=True)
    assert link.count() == 1
    link.scroll_into_view_if_needed()
    assert link.is_visible()
    found = parse_qs(urlsplit(link.get_attribute("href") or "").query)
    assert found["certUrl"] == [f"{SITE_URL}{INDIVIDUAL}"]
    assert found["name"] == ["Social Mission signatory (version 1)"]
    drawn = box(link)
    assert drawn["x"] >= 0 and drawn["x"] + drawn["width"] <= width
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    visitor.shoot("linkedin")
    for path in (ACTIVE, WITHDRAWN):  # an organisation's page; a withdrawn one's
        assert visitor.goto(path).get_by_role("link", name="Add to LinkedIn").count() == 0
    visitor.assert_clean()


# --- the press kit --------------------------------------------------------------------------
def test_the_press_kit_downloads_every_generic_badge_as_one_zip(
        site: Site, visit: Callable[..., Visitor]) -> None:
    visitor = visit(390)
    page = visitor.goto("press-kit/")
    link = page.get_by_role("link", name="Download all the generic badges")
    link.scroll_into_view_if_needed()
    assert link.is_visible()
    with page.expect_download() as download:
        link.click()
    data = Path(download.value.path()).read_bytes()
    assert data == (site.root / paths.badge_kit_path(REGISTRY_SETTINGS.proof_name)).read_bytes()
    folder = site.root / paths.badge_folder_path(paths.GENERIC_BADGE)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert {i.filename.removeprefix("social-mission-badges/"): archive.read(i)
            for i in archive.infolist()} == \
        {p.name: p.read_bytes() for p in folder.iterdir()}
    size = f"{round(len(data) / 1024)} KB"
    assert link.inner_text() == f"Download all the generic badges (zip, {size})"
    headers = page.locator("table th").all_inner_texts()
    assert headers == ["Style", "Light", "Dark"]
    visitor.assert_clean()


MIN_SAMPLE_PX = 160  # the narrowest a press-kit sample may be shown (the card was 95 px)


@pytest.mark.parametrize(("width", "scheme"), VIEWS)
def test_the_press_kits_samples_are_shown_large_enough_to_read(
        visit: Callable[..., Visitor], width: int, scheme: str) -> None:
    """Every sample, light and dark, at least MIN_SAMPLE_PX wide and never past its own
    size (a card at most 360 px), inside the page: on a phone each one a line."""
    visitor = visit(width, scheme)
    page = visitor.goto("press-kit/")
    samples = page.locator(".sm-press-samples img")
    assert samples.count() == 4
    for index in range(samples.count()):
        sample = samples.nth(index)
        sample.scroll_into_view_if_needed()
        shown = box(sample)
        natural = sample.evaluate("img => img.naturalWidth")
        name = sample.get_attribute("alt")
        assert MIN_SAMPLE_PX <= round(shown["width"]) <= natural, (name, shown)
        assert shown["x"] >= 0 and shown["x"] + shown["width"] <= width, (name, shown)
        if "card" in (name or "") and width < 600:  # nearly its own 360 px on a phone
            assert shown["width"] >= 0.8 * (width - 40), (name, shown)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    visitor.assert_clean()


# --- statistics ------------------------------------------------------------------------------
LABELS = (".sm-timeline__y span, .sm-timeline__x span, .sm-legend li, .sm-bars__label, "
          ".sm-bars__count")


@pytest.mark.parametrize(("width", "scheme"), VIEWS)
def test_chart_labels_are_readable_at_every_width(visit: Callable[..., Visitor],
                                                  width: int, scheme: str) -> None:
    visitor = visit(width, scheme)
    page = visitor.goto("stats/")
    assert page.locator(".sm-chart svg text").count() == 0  # no label shrinks with a drawing
    labels = page.locator(LABELS)
    assert labels.count() >= 2 + 2 + 2 + 2 * 10
    measured = labels.evaluate_all("""els => els.map(el => {
      const r = document.createRange(); r.selectNodeContents(el);
      const rect = r.getBoundingClientRect();
      return {text: el.textContent, size: parseFloat(getComputedStyle(el).fontSize),
              height: rect.height, left: rect.left, right: rect.right};
    })""")
    for label in measured:
        assert label["size"] >= MIN_LABEL_PX, label
        assert label["height"] >= MIN_LABEL_PX, label  # the glyphs as drawn, not only CSS
        assert label["left"] >= 0 and label["right"] <= width, label
    for index in range(labels.count()):
        assert labels.nth(index).is_visible()
    # the plot spans the column, and the chart says what it counts
    plot = box(page.locator(".sm-timeline__plot"))
    assert plot["width"] >= (0.6 * width if width < 600 else 400)
    assert plot["height"] >= 150, plot  # not squashed to the drawing's own 5:1
    legend = page.locator(".sm-legend").inner_text()
    # the sample registry's 12, the markup-named one, the look-alike, and both signatures
    # of the one signed again; one withdrawn, and that one's first
    assert "Signed: every signature so far, withdrawn ones included (16)" in legend
    assert "Still active: signed and not withdrawn (14)" in legend
    visitor.assert_clean()


@pytest.mark.parametrize(("width", "scheme"), VIEWS)
def test_each_chart_label_sits_on_its_gridline(visit: Callable[..., Visitor], width: int,
                                               scheme: str) -> None:
    """The timeline's labels, 0 to the top gridline by round steps (16 signed: 0, 5, 10,
    15, 20), each centred on the gridline it names; the top one at or above the most."""
    visitor = visit(width, scheme)
    page = visitor.goto("stats/")
    labels = page.locator(".sm-timeline__y span")
    assert labels.all_inner_texts() == ["20", "15", "10", "5", "0"]
    plot = box(page.locator(".sm-timeline__plot"))
    rules = page.locator(".sm-grid").get_attribute("d") or ""
    # each gridline's y in the drawing's 200 units, the highest first; zero's at PAD above
    # the plot's foot (site/charts.py)
    lines = [*reversed([float(y) for y in re.findall(r"M0 ([\d.]+)H", rules)]), 196.0]
    for index in range(labels.count()):
        text = labels.nth(index).evaluate("""el => {
          const r = document.createRange(); r.selectNodeContents(el);
          const rect = r.getBoundingClientRect(); return rect.top + rect.height / 2; }""")
        gridline = plot["y"] + plot["height"] * lines[index] / 200
        assert abs(text - gridline) <= 2, (index, text, gridline)
    visitor.assert_clean()
