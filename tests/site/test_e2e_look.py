"""The site's look in a real headless Chromium: the registry's palette in both colour
schemes, the names' scripts drawn in the served web fonts (not as empty boxes), axe-core's
WCAG A/AA and best-practice rules with nothing disabled, at a desktop's and a phone's
width. Each test ends with the guard's proof that no request left 127.0.0.1.

Screenshots of each page, width and scheme go to $SOCIALMISSION_SHOTS (default
/tmp/shots-look) for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uharfbuzz as hb

from conftest import FONTS, ROOT
from e2e_support import (
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
from socialmission.site import theme, webfonts

SKIP = browser_missing()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

SHOTS = Path(os.environ.get("SOCIALMISSION_SHOTS", "/tmp/shots-look"))
WIDTHS = (1280, 390)  # px: a desktop, and a phone
SCHEMES = {"light": "default", "dark": "slate"}  # the visitor's scheme -> Material's
PAGES = {"home": "", "directory": "signatories/", "signatory": "signatories/priya-sharma/"}
# The sample registry's names in scripts this machine may have no font for.
NAMES = {"signatories/priya-sharma/": ("प्रिया शर्मा", "NotoSansDevanagariUI-Bold.ttf"),
         "signatories/sakura-design/": ("株式会社さくらデザイン",
                                        "NotoSansCJKjp-Bold-subset.otf")}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    registry = sample_registry(tmp_path_factory.mktemp("look-registry"))
    out = tmp_path_factory.mktemp("look-site")
    mkdocs_build(registry / "mkdocs.yml", out)
    with serve(out) as url:
        yield Site(out, url)


# `browser`: the session's one Chromium (tests/conftest.py)
class Visitor(Browsing):
    """The shared visitor at one width and scheme, each page read once its fonts are in."""

    def __init__(self, browser: Any, site: Site, width: int, scheme: str) -> None:
        super().__init__(browser, site, viewport={"width": width, "height": 900},
                         color_scheme=scheme)

    def goto(self, path: str) -> Any:
        page = super().goto(path)
        page.evaluate("document.fonts.ready.then(() => true)")
        return page

    def close(self) -> None:
        self.context.close()
        assert self.guard.problems() == []


@pytest.fixture
def visitors(browser: Any) -> Iterator[list[Visitor]]:
    made: list[Visitor] = []
    yield made
    for visitor in made:
        visitor.close()


def visit(visitors: list[Visitor], browser: Any, site: Site, width: int = 1280,
          scheme: str = "light") -> Visitor:
    visitor = Visitor(browser, site, width, scheme)
    visitors.append(visitor)
    return visitor


def rgb(hex_colour: str) -> str:
    """'#1f6b38' as the browser's computed style writes it: 'rgb(31, 107, 56)'."""
    digits = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(digits[i:i + 2], 16) for i in (0, 2, 4)))


def style(page: Any, selector: str, prop: str) -> str:
    return str(page.locator(selector).first.evaluate(
        "(el, prop) => getComputedStyle(el).getPropertyValue(prop)", prop))


# --- one palette -------------------------------------------------------------------------------
@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_site_wears_the_registrys_palette(site: Site, browser: Any,
                                              visitors: list[Visitor], scheme: str) -> None:
    colours = theme.load_colours(ROOT).schemes[scheme]
    page = visit(visitors, browser, site, scheme=scheme).goto("signatories/priya-sharma/")
    assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
    assert page.locator("body").get_attribute("data-md-color-primary") == "custom"
    header = page.locator("header.md-header")
    assert header.is_visible()
    assert style(page, "header.md-header", "background-color") == rgb(colours["primary"])
    assert style(page, "header.md-header", "color") == rgb(colours["primary_text"])
    assert style(page, "body", "background-color") == rgb(colours["page"])
    link = page.locator(".sm-domain a").first  # the website, under the name
    assert link.is_visible()
    assert link.evaluate("el => getComputedStyle(el).color") == rgb(colours["link"])
    pill = page.locator(".sm-pill--active")
    assert pill.is_visible() and pill.inner_text() == "Signatory"
    assert style(page, ".sm-pill--active", "background-color") == rgb(colours["signatory"])
    assert style(page, ".sm-pill--active", "color") == rgb(colours["signatory_text"])
    # Focused, a link is drawn in the accent (after the theme's colour transition) and is
    # on screen.
    link.focus()
    assert page.evaluate("document.activeElement.textContent") == link.inner_text()
    page.wait_for_function("([el, colour]) => getComputedStyle(el).color === colour",
                           arg=[link.element_handle(), rgb(colours["accent"])])
    box = link.bounding_box()
    assert box is not None and box["width"] > 0 and 0 <= box["y"] < 900


# --- the names' scripts ------------------------------------------------------------------------
def shaped_width(text: str, font: str, size: float) -> float:
    """The width HarfBuzz gives `text` in `font` at `size` px: what the browser draws when
    it uses the served face (a subset keeps every glyph's advance)."""
    face = hb.Face(hb.Blob.from_file_path(str(FONTS / font)))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(hb.Font(face), buffer, {})
    advance: int = sum(p.x_advance for p in buffer.glyph_positions)
    return advance * size / int(face.upem)


@pytest.mark.parametrize("path", NAMES)
def test_a_name_in_another_script_is_drawn_in_the_served_font(
        site: Site, browser: Any, visitors: list[Visitor], path: str) -> None:
    name, font = NAMES[path]
    visitor = visit(visitors, browser, site)
    page = visitor.goto(path)
    heading = page.locator("h1")
    assert heading.inner_text() == name and heading.is_visible()
    family = style(page, "h1", "font-family")
    assert family.startswith(f'"{webfonts.family_name(ROOT)}"'), family
    # The face for this script was fetched from this site and is loaded; none other was.
    faces = page.evaluate(
        "() => [...document.fonts].map(f => ({family: f.family, status: f.status,"
        " range: f.unicodeRange}))")
    loaded = [f for f in faces if f["status"] == "loaded"]
    assert len(loaded) == 1, faces
    assert loaded[0]["family"].strip('"') == webfonts.family_name(ROOT)
    # the heading is light (the theme's h1): the Regular face draws it (test_e2e_webfonts)
    assert page.evaluate("([font, text]) => document.fonts.check(font, text)",
                         [f'{webfonts.REGULAR} 40px "{webfonts.family_name(ROOT)}"', name])
    fetched = page.evaluate("() => performance.getEntriesByType('resource')"
                            ".filter(e => e.name.endsWith('.woff2'))"
                            ".map(e => [e.name, e.initiatorType])")
    assert len(fetched) == 1 and fetched[0][0].startswith(site.url)
    assert Path(fetched[0][0]).stem.startswith(Path(webfonts.regular_font(font)).stem)
    # fetched by the page's preload, before the stylesheet asked for it
    assert fetched[0][1] == "link"
    # Drawn, not boxes: set in the served family, each word of the name is as wide as
    # HarfBuzz lays it out in the badges' own font, and not as wide as in a family the
    # page lacks (the machine's fallback: empty boxes on a machine without such a font).
    # Word by word: a space is the machine's (the served faces leave it out). The page
    # shows nothing bold in this script: the Bold face is loaded for the measure first.
    for word in name.split():
        widths = page.evaluate(
            """async ([family, text]) => (await document.fonts.load(
                '700 40px "' + family + '"', text),
              ['"' + family + '"', '"no such font"'].map(f => {
                const span = document.createElement('span');
                span.textContent = text;
                span.style.cssText = 'font: 700 40px ' + f + '; letter-spacing: 0;'
                    + ' white-space: nowrap; position: absolute; top: 0; left: 0';
                document.body.appendChild(span);
                const width = span.getBoundingClientRect().width;
                span.remove();
                return width;
            }))""", [webfonts.family_name(ROOT), word])
        expected = shaped_width(word, font, 40)
        assert abs(widths[0] - expected) < 0.01 * expected, (word, widths, expected)
        assert abs(widths[1] - expected) > 0.05 * expected, (word, widths, expected)
    SHOTS.mkdir(parents=True, exist_ok=True)
    heading.screenshot(path=str(SHOTS / f"name-{Path(path).name}.png"))


def test_a_latin_page_fetches_no_web_font(site: Site, browser: Any,
                                          visitors: list[Visitor]) -> None:
    page = visit(visitors, browser, site).goto("signatories/northwind-media/")
    assert page.evaluate("() => [...document.fonts].filter(f => f.status === 'loaded')"
                         ".length") == 0
    assert page.evaluate("() => performance.getEntriesByType('resource')"
                         ".filter(e => e.name.endsWith('.woff2')).length") == 0


def test_the_directory_draws_every_script_in_it(site: Site, browser: Any,
                                                visitors: list[Visitor]) -> None:
    page = visit(visitors, browser, site, width=390).goto("signatories/")
    for name, _ in NAMES.values():
        cell = page.get_by_role("link", name=name)
        cell.scroll_into_view_if_needed()
        assert cell.is_visible()
    page.evaluate("document.fonts.ready.then(() => true)")
    statuses = page.evaluate("() => [...document.fonts].filter(f => f.status === 'loaded')"
                             ".length")
    assert statuses >= 4  # Arabic, Hebrew, Devanagari, Japanese


# --- accessibility, at both widths and in both schemes, with screenshots -----------------
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_home_directory_and_signatory_pass_axe_with_best_practice(
        site: Site, browser: Any, visitors: list[Visitor], width: int, scheme: str) -> None:
    source = axe_source()
    if source is None:
        pytest.skip("axe-core is missing: `make test` installs axe-playwright-python")
    visitor = visit(visitors, browser, site, width=width, scheme=scheme)
    SHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    for name, path in PAGES.items():
        page = visitor.goto(path)
        assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
        assert page.locator("h1").first.is_visible()
        page.screenshot(path=str(SHOTS / f"{name}-{width}-{scheme}.png"), full_page=True)
        violations = run_axe(page, source)
        if violations:
            found[name] = describe_violations(violations)
    assert not found, "\n\n".join(f"{name}:\n{text}" for name, text in found.items())
