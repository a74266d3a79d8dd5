"""The website's domain beside the name on the badges: the card and the social card draw
it under the name, left to right, never past the card's edge; every badge's accessible
name says it in full."""

from __future__ import annotations

import dataclasses
import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from badge_support import drawn_lines, line_glyphs
from conftest import FONTS, ROOT, WORDS
from golden_badges import BASE, faces, masthead, pledge_for
from socialmission.model.urls import parse_https_url
from socialmission.render import raster, shaping
from socialmission.render.design import load_design
from socialmission.render.face import Face, describe, face_of
from socialmission.render.layout import (
    CARD_HEIGHT,
    CARD_TEXT_RIGHT,
    CARD_TEXT_X,
    CARD_WIDTH,
    DOMAIN_SIZES,
    ELLIPSIS,
    NAME_SIZES_TWO_LINES,
    SOCIAL_SCALE,
    fit_domain,
)
from socialmission.render.svg import (
    DETAIL_GAP,
    DETAIL_SIZE,
    DOMAIN_GAP,
    DOMAIN_LINE,
    HEADING_GAP,
    HEADING_SIZE,
    card_svg,
    compact_svg,
    social_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
WIDTH = CARD_WIDTH - CARD_TEXT_X - CARD_TEXT_RIGHT


def face_with(name: str, website: str, **case: str) -> Face:
    return face_of(pledge_for("case", {"name": name, "signed": "2024-03-01",
                                       "website": website, **case}), BASE, words=WORDS)




def title_and_label(svg_text: str) -> tuple[str, str]:
    root = ET.fromstring(svg_text)
    title = root.find(f"{SVG}title")
    assert title is not None and title.text is not None
    return title.text, root.get("aria-label") or ""


# --- what the badge says -----------------------------------------------------------------
@pytest.mark.parametrize(("case", "said"), [
    ("latin", "Northwind Media, example.org: Social Mission signatory. "
              "Signatory since 2024 · Mission v1."),
    ("withdrawn", "Loud Growth Agency, example.com: Social Mission withdrawn. "
                  "Withdrawn in 2025 · no longer a signatory."),
    # a look-alike says what it is, as the signatory's page does
    ("homograph", "Google, gооgle.com (xn--ggle-55da.com): Social Mission signatory. "
                  "Signatory since 2025 · Mission v1."),
    ("mission", "The Social Mission. Ten principles for social media · v1."),
])
def test_every_badge_names_the_website_domain_in_its_accessible_name(case: str,
                                                                     said: str) -> None:
    design = load_design(ROOT)
    face = faces()[case]
    assert describe(face) == said
    for drawn in (card_svg(design, face, "light"), card_svg(design, face, "dark"),
                  compact_svg(design, face, "light", outlines=False),
                  social_svg(design, face, masthead())):
        assert title_and_label(drawn) == (said, said)


def test_the_accessible_name_keeps_the_whole_domain_where_the_card_shortens_it() -> None:
    face = faces()["long-domain"]
    assert face.domain is not None
    _, drawn = fit_domain(face.domain, WIDTH, FONTS)
    assert ELLIPSIS in drawn
    assert "coopérative-des-médias-responsables-et-indépendants.fr (" \
           f"{face.domain})" in describe(face)


# --- where the card draws it ------------------------------------------------------------
@pytest.mark.parametrize(("case", "text"), [
    ("latin", "example.org"),
    ("withdrawn", "example.com"),
    ("arabic", "example.org"),
    ("cjk", "example.com"),
    ("homograph", "gооgle.com (xn--ggle-55da.com)"),
    ("long-domain", "xn--cooprative-des-mdi…-et-indpendants-ehemy.fr"),
])
def test_the_card_draws_the_domain_under_the_name(case: str, text: str) -> None:
    """The name's colour draws the name's lines, then the domain's (one line, left to
    right), in the card's text column; the social card the same, three times as large."""
    design = load_design(ROOT)
    face = faces()[case]
    size, fitted = fit_domain(face.domain or "", WIDTH, FONTS)
    assert fitted == text
    colour = design.palette["light"]["card_text"]
    lines = drawn_lines(card_svg(design, face, "light"), colour)
    transform, glyphs = lines[-1]
    assert glyphs == line_glyphs(text, size, FONTS, ltr=True)
    assert transform.startswith(f"translate({CARD_TEXT_X} ")
    social = drawn_lines(social_svg(design, face, masthead()), colour)
    assert social[len(lines) - 1][1] == line_glyphs(text, size * SOCIAL_SCALE, FONTS, ltr=True)


def test_a_badge_without_a_website_draws_no_domain_line() -> None:
    """A redacted pledge's badge (and the generic one) keep the card's former layout."""
    design = load_design(ROOT)
    face = dataclasses.replace(faces()["latin"], domain=None)
    colour = design.palette["light"]["card_text"]
    assert len(drawn_lines(card_svg(design, face, "light"), colour)) == 1  # the name only
    assert describe(face) == ("Northwind Media: Social Mission signatory. "
                              "Signatory since 2024 · Mission v1.")


# --- fitting: never past the edge, always left to right -----------------------------------
LONG_LABEL = "a" * 63  # a DNS label's most


@pytest.mark.parametrize("website", [
    f"https://{LONG_LABEL}.com/",
    f"https://{'w' * 63}.co.uk/",
    f"https://{'m' * 60}.xn--p1ai/",  # .рф
    f"https://www.{'ü' * 50}.de/",
    "https://xn--80ak6aa92e.com/",  # аррӏе.com: Cyrillic, all look-alikes of Latin
    "https://مثال.مصر/",
    "https://例え.テスト.jp/",
    "https://alice.github.io/",
])
def test_every_domain_fits_the_card_on_one_line(website: str) -> None:
    """Whatever the signatory's domain, the line fits the text column at one of the
    domain's sizes, and keeps the public suffix whole."""
    url = parse_https_url(website)
    size, text = fit_domain(url.registrable, WIDTH, FONTS)
    assert size in DOMAIN_SIZES
    assert shaping.measure(text, size, FONTS, ltr=True) <= WIDTH
    suffix = url.registrable.partition(".")[2]
    assert text.endswith((suffix, f"{suffix})")), text
    if ELLIPSIS in text:
        assert size == DOMAIN_SIZES[-1]
        assert text.isascii() is False and text.replace(ELLIPSIS, "").isascii()


def test_a_domain_too_long_for_one_line_is_cut_in_its_first_label() -> None:
    size, text = fit_domain(f"{LONG_LABEL}.com", WIDTH, FONTS)
    assert size == DOMAIN_SIZES[-1]
    head, _, tail = text.partition(ELLIPSIS)
    assert head and set(head) == {"a"} and tail.endswith(".com")
    assert abs(len(head) - len(tail.removesuffix(".com"))) <= 1  # the middle goes
    # the most that fits: one more character would not
    longer = f"{'a' * (len(head) + 1)}{ELLIPSIS}{tail}"
    assert shaping.measure(longer, size, FONTS, ltr=True) > WIDTH


def test_a_look_alike_shows_its_ascii_form_beside_its_unicode_form() -> None:
    """'аррӏе.com' is all Cyrillic: the card says what the address is."""
    _, text = fit_domain("xn--80ak6aa92e.com", WIDTH, FONTS)
    assert text == "аррӏе.com (xn--80ak6aa92e.com)"


def test_the_ascii_form_alone_when_both_do_not_fit() -> None:
    url = parse_https_url(f"https://{'ü' * 25}.de/")
    size, text = fit_domain(url.registrable, WIDTH, FONTS)
    assert text == url.registrable and size in DOMAIN_SIZES


def test_an_rtl_domain_is_laid_out_left_to_right() -> None:
    """An Arabic domain keeps its ASCII form on the right, as a left-to-right line (a
    browser's address bar) shows it; the name's own direction does not change it."""
    url = parse_https_url("https://مثال.مصر/")
    size, text = fit_domain(url.registrable, WIDTH, FONTS)
    assert text == "مثال.مصر (xn--mgbh0fb.xn--wgbh1c)"
    shaped = shaping.shape(text, size, FONTS, ltr=True)
    ascii_start = text.index("(")
    arabic = [glyph.x for glyph in shaped.glyphs if glyph.cluster < ascii_start - 1]
    latin = [glyph.x for glyph in shaped.glyphs if glyph.cluster >= ascii_start]
    assert max(arabic) < min(latin)
    # as the name's base direction would have it, the other way round
    unforced = shaping.shape(text, size, FONTS)
    assert max(g.x for g in unforced.glyphs if g.cluster >= ascii_start) < \
        min(g.x for g in unforced.glyphs if g.cluster < ascii_start - 1)
    design = load_design(ROOT)
    face = face_with("دار الكلمة للنشر", "https://مثال.مصر/")
    colour = design.palette["light"]["card_text"]
    assert drawn_lines(card_svg(design, face, "light"), colour)[-1][1] == \
        line_glyphs(text, size, FONTS, ltr=True)
    assert line_glyphs(text, size, FONTS, ltr=True) != line_glyphs(text, size, FONTS)


def test_the_tallest_card_still_fits_so_names_need_no_new_rule() -> None:
    """The domain takes a line of its own, never width from the name: the validator's
    check of a name (layout.check_name_fits) stays whole. The tallest text block, a name
    on two lines at the largest two-line size with the domain and the detail line, keeps
    inside the card, clear of its 10 px rounded corners."""
    line_height = round(NAME_SIZES_TWO_LINES[0] * 1.25)
    block = (HEADING_SIZE + HEADING_GAP + 2 * line_height + DOMAIN_GAP + DOMAIN_LINE
             + DETAIL_GAP + DETAIL_SIZE)
    assert (CARD_HEIGHT - block) / 2 >= 8


@pytest.mark.parametrize("case", ["long-domain", "homograph", "arabic", "cjk", "withdrawn"])
def test_nothing_is_drawn_past_the_text_column(case: str) -> None:
    design = load_design(ROOT)
    png = raster.to_png(card_svg(design, faces()[case], "light"), 2)
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    on_white = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image)
    grey = on_white.convert("L")
    margin = grey.crop(((CARD_WIDTH - CARD_TEXT_RIGHT) * 2 + 2, 4, CARD_WIDTH * 2 - 4,
                        CARD_HEIGHT * 2 - 4))
    assert min(margin.tobytes()) > 200, case
