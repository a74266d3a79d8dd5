"""The names' scripts in a real headless Chromium, in both weights: for every script the
site serves a font for (site/webfonts.py), text of the regular weight is drawn by the
Regular face (site/fonts) and bold text by the Bold (badges/fonts), each loaded from this
site, and a signatory page fetches only the face its heading needs, preloaded.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uharfbuzz as hb
from fontTools.ttLib import TTFont

from conftest import FONTS, ROOT, copy_registry
from e2e_support import Site, Visitor, browser_missing, mkdocs_build, serve
from sample_registry import sample_registry
from socialmission.model import paths
from socialmission.site import webfonts

SKIP = browser_missing()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(SKIP is not None, reason=SKIP or "")]

# A name in each script the site serves, by the badge font that draws it (the statement
# repeats it, so each script shows in a paragraph too).
NAMES = {
    "NotoSansArabicUI-Bold.ttf": "دار الكلمة",
    "NotoSansHebrew-Bold.ttf": "ספרי שלום",
    "NotoSansDevanagariUI-Bold.ttf": "प्रिया शर्मा",
    "NotoSansBengaliUI-Bold.ttf": "রবীন্দ্র সংগীত",
    "NotoSansGurmukhiUI-Bold.ttf": "ਪੰਜਾਬੀ ਸਭਾ",
    "NotoSansGujaratiUI-Bold.ttf": "ગુજરાતી મંડળ",
    "NotoSansOriyaUI-Bold.ttf": "ଓଡ଼ିଆ ସଭା",
    "NotoSansTamilUI-Bold.ttf": "தமிழ் சங்கம்",
    "NotoSansTeluguUI-Bold.ttf": "తెలుగు సంఘం",
    "NotoSansKannadaUI-Bold.ttf": "ಕನ್ನಡ ಸಂಘ",
    "NotoSansMalayalamUI-Bold.ttf": "മലയാളം സമാജം",
    "NotoSansSinhalaUI-Bold.ttf": "සිංහල සමිතිය",
    "NotoSansThaiUI-Bold.ttf": "ภาษาไทย",
    "NotoSansLaoUI-Bold.ttf": "ພາສາລາວ",
    "NotoSansKhmerUI-Bold.ttf": "ភាសាខ្មែរ",
    "NotoSansMyanmarUI-Bold.ttf": "မြန်မာ စာ",
    "NotoSansArmenian-Bold.ttf": "Հայկական տուն",
    "NotoSansGeorgian-Bold.ttf": "ქართული სახლი",
    "NotoSansEthiopic-Bold.ttf": "አማርኛ ቤት",
    "NotoSansThaana-Bold.ttf": "ދިވެހި ރާއްޖެ",
    "NotoSansCJKjp-Bold-subset.otf": "株式会社さくら",
}
# The sample registry's signatories in the four scripts, with their name's font
SIGNATORIES = {"shalom-books": "NotoSansHebrew-Bold.ttf",
               "dar-al-kalima": "NotoSansArabicUI-Bold.ttf",
               "priya-sharma": "NotoSansDevanagariUI-Bold.ttf",
               "sakura-design": "NotoSansCJKjp-Bold-subset.otf"}
SIZE = 40  # px, of the text measured against HarfBuzz's layout


def pledge(number: int, name: str) -> str:
    return (f"name: {name}\nkind: organisation\nwebsite: https://script{number}.example.org/\n"
            f"signed: 2024-03-{number + 1:02d}\nmission_version: 1\n"
            f"maintainers:\n  - harbour\nsector: retail\nstatement: {name}.\n")


@pytest.fixture(scope="module")
def scripts_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A registry with a signatory named in each script the site serves."""
    registry = copy_registry(tmp_path_factory.mktemp("scripts-registry"))
    for number, name in enumerate(NAMES.values()):
        (registry / "pledges" / f"script-{number:02d}.yaml").write_text(
            pledge(number, name), encoding="utf-8")
    out = tmp_path_factory.mktemp("scripts-site")
    mkdocs_build(registry / "mkdocs.yml", out)
    with serve(out) as url:
        yield Site(out, url)


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    registry = sample_registry(tmp_path_factory.mktemp("fonts-registry"))
    out = tmp_path_factory.mktemp("fonts-site")
    mkdocs_build(registry / "mkdocs.yml", out)
    with serve(out) as url:
        yield Site(out, url)


# --- what HarfBuzz lays out, per weight ---------------------------------------------------------
def font_bytes(bold_name: str, weight: int) -> bytes:
    """The badge font `bold_name`, or its Regular (site/fonts, unpacked from WOFF2)."""
    if weight == webfonts.BOLD:
        return (FONTS / bold_name).read_bytes()
    regular = ROOT / paths.SITE_FONTS_DIR / webfonts.regular_font(bold_name)
    font = TTFont(io.BytesIO(regular.read_bytes()))
    font.flavor = None
    out = io.BytesIO()
    font.save(out)
    data: bytes = out.getvalue()
    return data


def shaped_width(text: str, bold_name: str, weight: int) -> float:
    face = hb.Face(font_bytes(bold_name, weight))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(hb.Font(face), buffer, {})
    advance: int = sum(p.x_advance for p in buffer.glyph_positions)
    return advance * SIZE / int(face.upem)


# --- reading the page ---------------------------------------------------------------------------
# For each element with text outside ASCII: its text, its computed weight, and the weights
# of the loaded faces of the site's family whose unicode-range holds its first such
# character.
FACES_OF = """selector => {
  const ranges = face => face.unicodeRange.split(',').map(r => {
    const [low, high] = r.trim().slice(2).split('-').map(x => parseInt(x, 16));
    return [low, high === undefined ? low : high];
  });
  const loaded = [...document.fonts].filter(f => f.status === 'loaded');
  const shown = [...document.querySelectorAll(selector)];
  return shown.filter(e => /[^\x00-\x7f]/.test(e.textContent)).map(e => {
    const point = [...e.textContent].find(c => c.codePointAt(0) > 0x7f).codePointAt(0);
    return {text: e.textContent.trim(), weight: getComputedStyle(e).fontWeight,
            faces: loaded.filter(f => ranges(f).some(([low, high]) =>
              low <= point && point <= high)).map(f => f.weight)};
  });
}"""
# The width of `text` at SIZE px in the element's own font (its family and weight): what
# the page draws it with, set apart so that no padding or spacing counts.
WIDTH_IN = """([selector, index, text]) => {
  const style = getComputedStyle(document.querySelectorAll(selector)[index]);
  const span = document.createElement('span');
  span.textContent = text;
  span.style.cssText = 'position: absolute; top: 0; left: 0; white-space: nowrap;'
    + ' letter-spacing: 0; font-size: 40px; font-weight: ' + style.fontWeight
    + '; font-family: ' + style.fontFamily;
  document.body.appendChild(span);
  const width = span.getBoundingClientRect().width;
  span.remove();
  return width;
}"""


def nearest_face(weight: str) -> int:
    """The face CSS's font matching picks from the two: below 500 the Regular."""
    return webfonts.REGULAR if int(weight) < 500 else webfonts.BOLD


def assert_drawn_in(page: Any, element: tuple[str, int], text: str, bold_name: str,
                    weight: int) -> None:
    """Each word of `text`, in the font of `element` (a selector and which of the elements
    it finds), is as wide
    as HarfBuzz lays it out in that weight's font, and not as wide as in the other."""
    other = webfonts.BOLD if weight == webfonts.REGULAR else webfonts.REGULAR
    for word in text.rstrip(".").split():
        drawn = page.evaluate(WIDTH_IN, [*element, word])
        expected = shaped_width(word, bold_name, weight)
        assert abs(drawn - expected) < 0.01 * expected, (word, weight, drawn, expected)
        if abs(shaped_width(word, bold_name, other) - expected) > 0.03 * expected:
            assert abs(drawn - shaped_width(word, bold_name, other)) > 0.02 * expected


# --- every script, both weights -----------------------------------------------------------------
NAME_LINKS = "#sm-directory tbody td > a"  # each row's name, a link to its page
def test_every_script_is_drawn_regular_in_regular_text_and_bold_in_bold(
        scripts_site: Site, visit: Callable[..., Visitor]) -> None:
    """The directory lists each name in regular text and its first letter in bold: both
    faces of every script are loaded, each where its weight is, and draw the text."""
    visitor = visit(scripts_site, viewport={"width": 1280, "height": 900})
    page = visitor.goto("signatories/")
    page.evaluate("document.fonts.ready.then(() => true)")
    names = page.evaluate(FACES_OF, NAME_LINKS)
    monograms = page.evaluate(FACES_OF, "#sm-directory .sm-monogram")
    assert sorted(n["text"] for n in names) == sorted(NAMES.values())
    assert len(monograms) == len(NAMES)
    # both faces of each script loaded (a row shows its name and its first letter)
    for name in names:
        assert nearest_face(name["weight"]) == webfonts.REGULAR, name
        assert sorted(name["faces"]) == [str(webfonts.REGULAR), str(webfonts.BOLD)], name
    for monogram in monograms:
        assert nearest_face(monogram["weight"]) == webfonts.BOLD, monogram
    # and each drawing its own weight: the widths are that font's
    index = {n["text"]: i for i, n in enumerate(names)}
    for bold_name, name in NAMES.items():
        assert_drawn_in(page, (NAME_LINKS, index[name]), name, bold_name,
                        webfonts.REGULAR)
        first = [m["text"] for m in monograms].index(name[0])
        assert_drawn_in(page, ("#sm-directory .sm-monogram", first), name[0], bold_name,
                        webfonts.BOLD)
    visitor.assert_clean()


def test_the_home_walls_names_are_bold(scripts_site: Site,
                                       visit: Callable[..., Visitor]) -> None:
    visitor = visit(scripts_site, viewport={"width": 1280, "height": 900})
    page = visitor.goto("")
    page.evaluate("document.fonts.ready.then(() => true)")
    shown = [n for n in page.evaluate(FACES_OF, ".sm-wall bdi") if n["text"] in NAMES.values()]
    assert shown
    for name in shown:
        assert nearest_face(name["weight"]) == webfonts.BOLD, name
        assert name["faces"] == [str(webfonts.BOLD)], name
    visitor.assert_clean()


# --- a signatory's page ---------------------------------------------------------------------------
@pytest.mark.parametrize("slug", list(SIGNATORIES))
def test_a_signatory_page_fetches_the_regular_face_it_shows_and_preloads_it(
        sample_site: Site, visit: Callable[..., Visitor], slug: str) -> None:
    """The name's heading is light (the theme's h1) and the statement regular: both are
    drawn by the Regular face, the one face the page fetches, by its preload."""
    bold_name = SIGNATORIES[slug]
    visitor = visit(sample_site, viewport={"width": 1280, "height": 900})
    page = visitor.goto(f"signatories/{slug}/")
    page.evaluate("document.fonts.ready.then(() => true)")
    (heading,) = page.evaluate(FACES_OF, "h1")
    assert nearest_face(heading["weight"]) == webfonts.REGULAR
    assert heading["faces"] == [str(webfonts.REGULAR)]
    assert_drawn_in(page, ("h1", 0), heading["text"], bold_name, webfonts.REGULAR)
    # (only the ones outside ASCII: an English statement is the machine's fonts')
    for index, statement in enumerate(page.evaluate(FACES_OF, ".sm-statement")):
        assert statement["faces"] == [str(webfonts.REGULAR)], statement
        assert_drawn_in(page, (".sm-statement", index), statement["text"].split()[0],
                        bold_name, webfonts.REGULAR)
    regular_stem = Path(webfonts.regular_font(bold_name)).stem
    fetched = page.evaluate("() => performance.getEntriesByType('resource')"
                            ".filter(e => e.name.endsWith('.woff2'))"
                            ".map(e => [e.name.split('/').pop(), e.initiatorType])")
    assert [(name.rsplit("-", 1)[0], how) for name, how in fetched] == [(regular_stem, "link")]
    preloads = page.evaluate("() => [...document.querySelectorAll('link[rel=preload]"
                             "[as=font]')].map(l => l.href.split('/').pop())")
    assert preloads == [fetched[0][0]]
    visitor.assert_clean()
