"""Badges as people meet them: exact SVG, PNGs that show what the SVG says (against golden
images and an independent SVG renderer), baked assertions that an independent reader can
unbake, contrast, escaping, determinism and incremental builds."""

from __future__ import annotations

import dataclasses
import io
import json
import math
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import cairocffi
import cairosvg
import pytest
import yaml
from PIL import Image, ImageChops

from badge_support import drawn_lines, line_glyphs
from bake_support import png_chunks
from conftest import FONTS, NAME_FITS, ROOT, VALID, Registry
from golden_badges import BASE, GOLDEN, faces, masthead, render_all
from socialmission.errors import UsageError
from socialmission.model import openbadges
from socialmission.model.mission import Mission, load_mission
from socialmission.model.settings import site_name
from socialmission.render import design, raster, svg
from socialmission.render.cache import MANIFEST, build_badges
from socialmission.render.contrast import contrast
from socialmission.render.design import load_design
from socialmission.render.face import Masthead, describe, masthead_of
from socialmission.render.layout import CARD_HEIGHT, CARD_WIDTH, check_masthead, check_name_fits
from socialmission.render.raster import (
    BACKGROUND_BLENDS,
    OCTREE_COLOURS,
    PALETTE_TOLERANCE,
    SMALL_PALETTE,
    SMALL_PALETTE_TOLERANCE,
    DrawingError,
    draw,
    encode,
)
from socialmission.render.shaping import glyph_id_of, glyph_line
from socialmission.render.shaping import number as num
from socialmission.render.svg import card_svg, compact_svg, social_svg

SVG = "{http://www.w3.org/2000/svg}"
OB = "{http://openbadges.org}"
FILES = sorted([*(f"{style}-{variant}{suffix}" for style in ("compact", "card")
                  for variant in ("light", "dark") for suffix in (".svg", "@2x.png")),
                "social.png"])


@pytest.fixture(scope="module")
def rendered() -> dict[str, dict[str, bytes]]:
    return render_all()


# --- golden files, compared structurally ------------------------------------------------------
def structure(element: ET.Element) -> object:
    """An SVG element as comparable data: tag, attributes, text, children."""
    return (element.tag, sorted(element.attrib.items()), (element.text or "").strip(),
            [structure(child) for child in element])


@pytest.mark.parametrize("case", sorted(p.name for p in GOLDEN.iterdir()))
def test_svgs_match_their_golden_files(rendered: dict[str, dict[str, bytes]],
                                       case: str) -> None:
    """Run `python tests/golden_badges.py` after a deliberate design change."""
    for name in sorted(p.name for p in (GOLDEN / case).glob("*.svg")):
        golden = ET.fromstring((GOLDEN / case / name).read_bytes())
        actual = ET.fromstring(rendered[case][name])
        assert structure(actual) == structure(golden), f"{case}/{name}"


def test_every_signatory_gets_every_file(rendered: dict[str, dict[str, bytes]]) -> None:
    for files in rendered.values():
        assert sorted(files) == FILES


# --- accessible, clean SVG ------------------------------------------------------------------
def test_svgs_are_accessible_and_free_of_float_artefacts(
        rendered: dict[str, dict[str, bytes]]) -> None:
    for case, files in rendered.items():
        for name, data in files.items():
            if not name.endswith(".svg"):
                continue
            root = ET.fromstring(data)
            assert root.get("role") == "img", (case, name)
            title = root.find(f"{SVG}title")
            assert title is not None and title.text
            assert root.get("aria-label") == title.text
            text = re.sub(r"<!\[CDATA\[.*?\]\]>", "", data.decode())
            # the lines' scales are a size in px over 1,000, exactly: 0.011, not 0.0110000001
            scales = re.findall(r"scale\(([^)]*)\)", text)
            assert all(re.fullmatch(r"\.\d{1,3}", value) for value in scales), scales
            numbers = re.findall(r"\d*\.\d+", re.sub(r"scale\([^)]*\)", "", text))
            assert all(len(n.split(".")[1]) <= 2 for n in numbers), (case, name)
            assert_ids_are_content_derived(root)


def assert_ids_are_content_derived(root: ET.Element) -> None:
    """Only shared glyphs have ids, each derived from its outline, so that two badges
    inlined in one page share an id only for the same glyph; every reference is local."""
    ids = {element.get("id"): element for element in root.iter() if element.get("id")}
    for ref, element in ids.items():
        assert element.tag == f"{SVG}path" and ref == glyph_id_of(element.get("d", "")), ref
    for element in root.iter(f"{SVG}use"):
        href = element.get("href", "")
        assert href.startswith("#") and href[1:] in ids, href


@pytest.mark.parametrize(("value", "text"), [
    (189.10000000000002, "189.1"), (12.0, "12"), (-0.001, "0"), (3.456, "3.46"), (0.5, "0.5"),
])
def test_num_formats_coordinates(value: float, text: str) -> None:
    assert num(value) == text


def test_the_compact_svg_is_small(rendered: dict[str, dict[str, bytes]]) -> None:
    unbaked = re.sub(rb"<openbadges:assertion.*</openbadges:assertion>", b"",
                     rendered["latin"]["compact-light.svg"])
    assert len(unbaked) < 1024
    assert len(rendered["mission"]["compact-light.svg"]) < 1024


def test_the_palette_meets_wcag_aa_contrast_in_every_variant() -> None:
    palette = yaml.safe_load((ROOT / "badges" / "palette.yaml").read_text())
    pairs = [("label_text", "label_bg"), ("value_text", "value_bg"),
             ("withdrawn_text", "withdrawn_bg"), ("card_heading", "card_bg"),
             ("card_text", "card_bg"), ("card_muted", "card_bg"), ("emblem_mark", "emblem_bg"),
             ("emblem_mark", "emblem_withdrawn_bg")]
    assert set(palette) == {"light", "dark", "site"}  # site: the site's colours (test_theme)
    for variant in ("light", "dark"):
        colours = palette[variant]
        for text, background in pairs:
            ratio = contrast(colours[text], colours[background])
            assert ratio >= 4.5, f"{variant}: {text} on {background} is {ratio:.2f}:1"


def test_contrast_matches_wcag_examples() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48


# --- escaping ---------------------------------------------------------------------------
ALLOWED = {f"{SVG}{tag}" for tag in ("svg", "title", "path", "rect", "circle", "g", "text",
                                     "defs", "use")}
ALLOWED.add(f"{OB}assertion")


def test_markup_in_a_name_stays_text(rendered: dict[str, dict[str, bytes]]) -> None:
    name = json.loads((GOLDEN.parent / "badge-cases.json").read_text())["markup"]["name"]
    for file, data in rendered["markup"].items():
        if not file.endswith(".svg"):
            continue
        root = ET.fromstring(data)  # well-formed: the CDATA and the title did not break
        for element in root.iter():
            assert element.tag in ALLOWED, element.tag
            assert not any(a.lower().startswith("on") for a in element.attrib)
            assert "href" not in element.attrib or element.tag == f"{SVG}use"
        assert_ids_are_content_derived(root)
        title = root.find(f"{SVG}title")
        assert title is not None and title.text is not None and title.text.startswith(name)
        assertion = root.find(f"{OB}assertion")
        assert assertion is not None and assertion.text is not None
        assert name in json.loads(assertion.text)["narrative"]


def test_cdata_can_never_be_closed_early() -> None:
    text = openbadges.dumps({"narrative": "]]><script>x</script>&"})
    assert "]]>" not in text and "<" not in text and "&" not in text
    assert json.loads(text) == {"narrative": "]]><script>x</script>&"}


# --- Open Badges: unbaked by independent readers -----------------------------------------------
def test_assertions_unbake_from_png_and_svg(rendered: dict[str, dict[str, bytes]]) -> None:
    for case in ("latin", "withdrawn", "arabic", "markup"):
        for name, data in rendered[case].items():
            if name == "social.png":  # a picture of the page, not a badge
                assert b"openbadges" not in data
                continue
            if name.endswith(".png"):
                itxt = [body for kind, body in png_chunks(data) if kind == b"iTXt"]
                assert len(itxt) == 1
                keyword, _, rest = itxt[0].partition(b"\0")
                assert keyword == b"openbadges" and rest[:2] == b"\0\0"  # uncompressed
                text = Image.open(io.BytesIO(data)).text["openbadges"]  # type: ignore[attr-defined]
            else:
                element = ET.fromstring(data).find(f"{OB}assertion")
                assert element is not None and element.text is not None
                assert element.get("verify") == f"{BASE}openbadges/assertions/{case}.json"
                text = element.text
            assertion = json.loads(text)
            assert assertion["@context"] == "https://w3id.org/openbadges/v2"
            assert assertion["type"] == "Assertion"
            assert assertion["id"] == f"{BASE}openbadges/assertions/{case}.json"
            assert assertion["verification"] == {"type": "hosted"}
            assert assertion["badge"] == f"{BASE}openbadges/mission-v1.json"
            assert assertion["recipient"]["type"] == "url"
            assert assertion["recipient"]["hashed"] is False
            assert assertion["issuedOn"].startswith(
                json.loads((GOLDEN.parent / "badge-cases.json").read_text())[case]["signed"])
            assert assertion.get("revoked", False) is (case == "withdrawn")
    withdrawn = json.loads(Image.open(io.BytesIO(rendered["withdrawn"]["card-dark@2x.png"]))
                           .text["openbadges"])  # type: ignore[attr-defined]
    assert withdrawn["revocationReason"] == "Withdrawn on 2025-02-28: The agency closed."


def test_the_generic_badge_claims_nobody(rendered: dict[str, dict[str, bytes]]) -> None:
    for name, data in rendered["mission"].items():
        assert b"openbadges" not in data, name


def test_withdrawn_badges_say_so_and_never_signatory(
        rendered: dict[str, dict[str, bytes]]) -> None:
    compact = ET.fromstring(rendered["withdrawn"]["compact-light.svg"])
    assert compact.get("aria-label") == ("Loud Growth Agency, example.com: Social Mission "
                                         "withdrawn. "
                                         "Withdrawn in 2025 · no longer a signatory.")
    texts = [t.text for t in compact.iter(f"{SVG}text")]
    assert texts == ["Social Mission", "withdrawn"]
    card = ET.fromstring(rendered["withdrawn"]["card-light.svg"])
    assert "no longer a signatory" in (card.get("aria-label") or "")


# --- PNG ---------------------------------------------------------------------------------
def test_pngs_have_the_right_sizes(rendered: dict[str, dict[str, bytes]]) -> None:
    for files in rendered.values():
        assert Image.open(io.BytesIO(files["social.png"])).size == (1200, 630)
        card = Image.open(io.BytesIO(files["card-light@2x.png"]))
        assert card.size == (CARD_WIDTH * 2, CARD_HEIGHT * 2)
        assert card.mode == "P"  # a palette image
        assert Image.open(io.BytesIO(files["compact-dark@2x.png"])).size[1] == 40


def on_white(png: bytes) -> Image.Image:
    """The PNG as a person sees it on a white page, in grey levels."""
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    return Image.alpha_composite(Image.new("RGBA", image.size, "white"), image).convert("L")


@pytest.mark.parametrize("case", ["arabic", "cjk", "devanagari", "hebrew", "latin"])
def test_names_in_any_script_leave_ink_where_the_name_goes(
        rendered: dict[str, dict[str, bytes]], case: str) -> None:
    image = on_white(rendered[case]["card-light@2x.png"])
    # the name's line: right of the emblem, between the heading and the detail line
    name_band = image.crop((92 * 2, 38 * 2, (CARD_WIDTH - 14) * 2, 62 * 2))
    dark = sum(1 for pixel in name_band.tobytes() if pixel < 100)
    assert dark > 400, f"{case}: only {dark} dark pixels where the name should be"
    right_margin = image.crop(((CARD_WIDTH - 10) * 2, 4, CARD_WIDTH * 2 - 4, 196))
    assert min(right_margin.tobytes()) > 200  # nothing overflows


def test_rtl_names_start_at_the_text_column(rendered: dict[str, dict[str, bytes]]) -> None:
    image = on_white(rendered["arabic"]["card-light@2x.png"])
    band = image.crop((92 * 2, 38 * 2, 100 * 2, 62 * 2))
    assert min(band.tobytes()) < 100


def scale_of(transform: str) -> float:
    match = re.search(r"scale\(([^)]*)\)", transform)
    assert match is not None, transform
    return float(match[1])


@pytest.mark.parametrize("case", ["accented-two-lines", "arabic", "cjk", "latin", "longest",
                                  "mission"])
def test_the_social_card_breaks_the_name_as_the_card_does_three_times_as_large(
        case: str) -> None:
    """One fit: the social card's name lines are the card's, glyph for glyph, at three
    times the size; so every name the validator lets onto the card fits the social card."""
    design = load_design(ROOT)
    face = faces()[case]
    text = design.palette["light"]["card_text"]
    card = drawn_lines(card_svg(design, face, "light"), text)
    social = drawn_lines(social_svg(design, face, masthead()), text)
    social_names = social[:len(card)]  # then the footer's title
    assert [glyphs for _, glyphs in social_names] == [glyphs for _, glyphs in card]
    for (social_transform, _), (card_transform, _) in zip(social_names, card, strict=True):
        assert scale_of(social_transform) == pytest.approx(3 * scale_of(card_transform))
    assert len(social) == len(card) + 1
    # and the ink stays in the name's column, left of the mark
    image = on_white(rendered_social(case))
    assert min(image.crop((80 + 762 + 4, 200, 862, 500)).tobytes()) > 200, case


def rendered_social(case: str) -> bytes:
    return raster.to_png(social_svg(load_design(ROOT), faces()[case], masthead()), 1)


def uses_xml(uses: str) -> str:
    group = ET.fromstring(f'<g xmlns="{SVG[1:-1]}">{uses}</g>')
    return "".join(ET.tostring(use, encoding="unicode") for use in group)


def social_lines(face_key: str, the_masthead: Masthead | None = None) -> list[tuple[int, str]]:
    """The size in px and the <use>s of every line of text the social card draws, in
    order."""
    design = load_design(ROOT)
    drawn = social_svg(design, faces()[face_key], the_masthead or masthead())
    return [(round(scale_of(transform) * 1000), uses)
            for transform, uses in (
                (group.get("transform", ""),
                 "".join(ET.tostring(use, encoding="unicode") for use in group))
                for group in ET.fromstring(drawn).iter(f"{SVG}g"))]


def assert_lines_say(lines: list[tuple[int, str]], texts: list[str]) -> None:
    """Each line is the text drawn at its size (glyph_line: the same <use>s)."""
    assert len(lines) == len(texts)
    for (size, uses), text in zip(lines, texts, strict=True):
        assert uses == uses_xml(glyph_line(text, size, 0, 0, FONTS).uses), text


@pytest.mark.parametrize(("case", "expected"), [
    ("latin", ["The Social Mission", "SIGNATORY", "Northwind Media", "example.org",
               "Organisation · signed in 2024", "The Socially-M Social Mission · v1",
               "registry.example.org"]),
    ("individual", ["The Social Mission", "SIGNATORY", "Αθηνά Παπαδοπούλου", "example.org",
                    "Individual · signed in 2025", "The Socially-M Social Mission · v1",
                    "registry.example.org"]),
    ("withdrawn", ["The Social Mission", "WITHDRAWN", "Loud Growth Agency", "example.com",
                   "Organisation · signed in 2024 · withdrawn in 2025",
                   "The Socially-M Social Mission · v1", "registry.example.org"]),
    ("mission", ["The Social Mission", "10 PRINCIPLES", "The Social Mission",
                 "Ten principles for social media · v1", "The Socially-M Social Mission · v1",
                 "registry.example.org"]),
])
def test_the_social_card_says_who_what_and_where(case: str, expected: list[str]) -> None:
    """Registry (mkdocs.yml site_name and site_url), standing, name, the website's domain,
    kind and year, the mission's title: each line drawn, in order."""
    assert_lines_say(social_lines(case), expected)


def test_a_withdrawn_social_card_says_withdrawn_and_never_signatory(
        rendered: dict[str, dict[str, bytes]]) -> None:
    lines = social_lines("withdrawn")
    assert_lines_say(lines[1:2], ["WITHDRAWN"])
    svg_text = social_svg(load_design(ROOT), faces()["withdrawn"], masthead())
    assert "no longer a signatory" in (ET.fromstring(svg_text).get("aria-label") or "")
    light = yaml.safe_load((ROOT / "badges" / "palette.yaml").read_text())["light"]
    # the mark is the withdrawn badge's: grey, a dash and no tick
    assert f'fill="{light["emblem_withdrawn_bg"]}"' in svg_text
    assert f'fill="{light["emblem_bg"]}"' not in svg_text and "l36 36" not in svg_text
    image = Image.open(io.BytesIO(rendered["withdrawn"]["social.png"])).convert("RGB")
    pixel = image.getpixel((1000, 260))  # inside the mark, above the dash
    assert isinstance(pixel, tuple)
    grey = [int(light["emblem_withdrawn_bg"][i:i + 2], 16) for i in (1, 3, 5)]
    assert max(abs(a - b) for a, b in zip(pixel, grey, strict=True)) <= PALETTE_TOLERANCE


def test_the_social_card_names_the_registry_from_its_settings(tmp_path: Path) -> None:
    for name in ("mission.yaml", "mkdocs.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_name: The Social Mission",
                                                 "site_name: <Ünïon> & Co"))
    shutil.copytree(ROOT / "badges" / "fonts", tmp_path / "badges" / "fonts")
    found = masthead_of(tmp_path, load_mission(ROOT), "https://example.org/registry/")
    assert (found.name, found.address) == ("<Ünïon> & Co", "example.org/registry")
    lines = social_lines("latin", found)
    assert_lines_say([lines[0], lines[-1]], ["<Ünïon> & Co", "example.org/registry"])


@pytest.mark.parametrize(("name", "title", "message"), [
    ("The " + "Very " * 60 + "Long Registry", "The Mission",
     "mkdocs.yml: 'site_name' is too long for the social card even at 24 px: shorten it "
     "(got 'The Very Very"),
    ("The Registry \U0001f600", "The Mission",
     "mkdocs.yml: 'site_name' has characters no badge font can draw: '\U0001f600' (U+1F600): "
     "replace them (got 'The Registry \U0001f600')"),
    ("The Registry", "The " + "Ever " * 40 + "Mission",
     "mission.yaml: version 1's title and the registry's address (mkdocs.yml: 'site_url') "
     "are too long to share the social card's last line even at 20 px: shorten the title "
     "(got 'The Ever Ever"),
])
def test_registry_texts_the_social_card_cannot_draw_are_refused_by_name(
        name: str, title: str, message: str) -> None:
    problems = check_masthead(name, "registry.example.org", ((1, title),), FONTS)
    assert len(problems) == 1 and problems[0].startswith(message), problems


@pytest.mark.parametrize("value", ["", "  ", "Two\nlines", " Padded", "Double  space", 7])
def test_site_name_must_be_one_tidy_line(tmp_path: Path, value: object) -> None:
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump({"site_name": value}))
    with pytest.raises(UsageError, match="'site_name' must be the registry's name on one "
                                         "line"):
        site_name(tmp_path)


# --- PNG: what the SVG says, within a stated tolerance -----------------------------------------
def channel_differences(a: Image.Image, b: Image.Image) -> list[int]:
    """How many pixel channels differ by each amount 0-255, over R, G, B and A."""
    assert a.size == b.size
    histogram = ImageChops.difference(a.convert("RGBA"), b.convert("RGBA")).histogram()
    return [sum(histogram[band * 256 + level] for band in range(4)) for level in range(256)]


def assert_close(actual: Image.Image, expected: Image.Image, *, worst: int, share: float,
                 what: str) -> None:
    """No channel further than `worst` levels apart, and at most `share` of them more than
    8 levels apart (anti-aliased edges drawn a little differently)."""
    counts = channel_differences(actual, expected)
    largest = max(level for level, count in enumerate(counts) if count)
    off = sum(counts[9:]) / sum(counts)
    assert largest <= worst and off <= share, (
        f"{what}: channels up to {largest} levels apart, {off:.3%} by more than 8")


def drawings(face_key: str) -> list[tuple[str, str, int]]:
    design = load_design(ROOT)
    face = faces()[face_key]
    return [*((f"card-{variant}", card_svg(design, face, variant), 2)
              for variant in ("light", "dark")),
            ("compact-light", svg.compact_drawing(design, face, "light"), 2),
            ("social", social_svg(design, face, masthead()), 1)]


@pytest.mark.parametrize("case", ["latin", "withdrawn", "arabic", "cjk", "mission"])
def test_pngs_show_what_cairosvg_draws_of_the_same_svg(case: str) -> None:
    """An independent renderer of the SVG draws the same picture: the SVG and the PNG are
    one drawing. (Rounded corners differ most: cairosvg approximates their arcs.)"""
    for stem, drawn, scale in drawings(case):
        reference = Image.open(io.BytesIO(cairosvg.svg2png(
            bytestring=drawn.encode(), scale=scale, unsafe=False)))
        assert_close(draw(drawn, scale), reference, worst=255, share=0.002,
                     what=f"{case}/{stem}")


@pytest.mark.parametrize("case", sorted(p.name for p in GOLDEN.iterdir()))
def test_pngs_match_their_golden_images(rendered: dict[str, dict[str, bytes]],
                                        case: str) -> None:
    """Pixels within a tolerance, so that another cairo or zlib still passes; regenerate
    with `python tests/golden_badges.py` after a design change, and look at them."""
    for golden in sorted((GOLDEN / case).glob("*.png")):
        actual = Image.open(io.BytesIO(rendered[case][golden.name]))
        assert_close(actual, Image.open(golden), worst=64, share=0.001,
                     what=f"{case}/{golden.name}")
    assert sorted(p.name for p in (GOLDEN / case).glob("*.png")) == sorted(
        name for name in rendered[case] if name.endswith(".png"))


def as_seen(image: Image.Image, background: str) -> Image.Image:
    """A picture as a page of `background` shows it (a translucent pixel's colour counts
    as much as it shows)."""
    return Image.alpha_composite(Image.new("RGBA", image.size, background),
                                 image.convert("RGBA")).convert("RGB")


@pytest.mark.parametrize("case", ["latin", "withdrawn", "cjk", "mission", "long-domain"])
def test_the_palette_keeps_every_pixel_within_its_tolerance(case: str) -> None:
    for stem, drawn, scale in drawings(case):
        full = draw(drawn, scale)
        palette = Image.open(io.BytesIO(raster.to_png(drawn, scale)))
        assert palette.mode == "P"
        social, card = stem == "social", stem.startswith("card-")
        if card:
            # on any page, light or dark: within the small palette's tolerance, the
            # anti-aliased edges in two or three steps (2 to 4.5 % of the channels more
            # than 8 levels off, on a picture shown at half its size)
            for background in ("white", "black"):
                assert_close(as_seen(palette, background), as_seen(full, background),
                             share=0.05, worst=SMALL_PALETTE_TOLERANCE,
                             what=f"{case}/{stem} on {background}")
        else:
            assert_close(palette, full, share=0.01, what=f"{case}/{stem}",
                         worst=SMALL_PALETTE_TOLERANCE if social else PALETTE_TOLERANCE)
        entries = len(palette.getpalette() or []) // 3
        # the opaque social card: its colours and blends of each with the background, in
        # 16 entries and 4 bits a pixel (IHDR's bit depth)
        used = len(set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', drawn)))
        blends = (SMALL_PALETTE - used) // (used - 1)
        if social:
            assert entries == used + (used - 1) * blends <= SMALL_PALETTE, (stem, entries)
            assert blends >= BACKGROUND_BLENDS
        # the cards: 16 entries at most (their unused ones left out), the compact: the octree
        assert entries <= (SMALL_PALETTE if card else OCTREE_COLOURS), (stem, entries)
        assert (raster.to_png(drawn, scale)[24] == 4) is (social or card)


def test_the_card_palette_keeps_the_corners_translucent() -> None:
    """A card's rounded corners: transparent outside, the border's colour at
    TRANSLUCENT_ALPHAS on the edge, as the full-colour drawing has them."""
    design = load_design(ROOT)
    drawn = card_svg(design, faces()["latin"], "light")
    palette = Image.open(io.BytesIO(raster.to_png(drawn, 2))).convert("RGBA")
    data = palette.tobytes()
    pixels = {tuple(data[index:index + 4]) for index in range(0, len(data), 4)}
    assert sorted({pixel[3] for pixel in pixels}) == sorted({0, *raster.TRANSLUCENT_ALPHAS, 255})
    border = design.palette["light"]["card_border"]
    edge = {pixel[:3] for pixel in pixels if 0 < pixel[3] < 255}
    assert edge == {tuple(int(border[i:i + 2], 16) for i in (1, 3, 5))}
    assert palette.getpixel((0, 0)) == (0, 0, 0, 0)


def png_rows(data: bytes) -> tuple[dict[bytes, bytes], list[int]]:
    """The chunks of a PNG by kind (IDAT joined), and the filter byte of each row."""
    found: dict[bytes, bytes] = {}
    for kind, body in png_chunks(data):
        found[kind] = found.get(kind, b"") + body
    width, height, bits = struct.unpack(">IIB", found[b"IHDR"][:9])
    raw = zlib.decompress(found[b"IDAT"])
    stride = 1 + (width * bits + 7) // 8
    assert len(raw) == stride * height
    return found, [raw[row * stride] for row in range(height)]


@pytest.mark.parametrize("case", ["latin", "withdrawn", "mission"])
def test_pngs_are_unfiltered_with_only_the_palette_entries_they_use(
        rendered: dict[str, dict[str, bytes]], case: str) -> None:
    """Palette images compress best unfiltered (the PNG specification's advice; Pillow's
    adaptive filters made the 4-bit social card 13 % larger). tRNS leaves out the opaque
    entries at its end, so the translucent ones come first; no badge's entry goes unused."""
    for name, data in rendered[case].items():
        if not name.endswith(".png"):
            continue
        found, filters = png_rows(data)
        assert set(filters) == {0}, name
        image = Image.open(io.BytesIO(data))
        entries = len(found[b"PLTE"]) // 3
        if name != "social.png":  # opaque: its palette, colours and blends, kept whole
            assert sorted(set(image.tobytes())) == list(range(entries)), name
        alphas = found.get(b"tRNS", b"")
        assert not alphas.endswith(b"\xff"), name
        assert b"\xff" not in alphas, name  # the translucent entries first


def test_the_compact_pngs_drawn_once_a_process_are_deflated_harder(
        rendered: dict[str, dict[str, bytes]]) -> None:
    """Every signatory's compact PNG of a kind is one picture, drawn once a process: it
    can afford zlib's slowest level (SHARED_COMPRESSION), the cards cannot."""
    for name in ("compact-light@2x.png", "compact-dark@2x.png", "card-light@2x.png"):
        found, _ = png_rows(rendered["latin"][name])
        raw = zlib.decompress(found[b"IDAT"])
        usual = zlib.compressobj(raster.PNG_COMPRESSION, zlib.DEFLATED, 15,
                                 raster.DEFLATE_MEMORY)
        at_the_usual_level = usual.compress(raw) + usual.flush()
        assert (len(found[b"IDAT"]) < len(at_the_usual_level)) is name.startswith("compact")


def test_too_many_colours_to_blend_take_the_octree() -> None:
    many = tuple((n, 255 - n, n // 2) for n in range(0, 270, 30))  # 9: 9 + 36 * 7 > 256
    assert raster._blend_palette(many) is None
    assert raster._blend_palette(((0, 0, 0),)) is None  # nothing to blend
    assert raster._blend_palette(many[:4]) is not None


def test_a_full_colour_picture_would_fail_the_palette_tolerance() -> None:
    """The tolerance test can fail: a picture of many colours loses them to a palette."""
    gradient = Image.new("RGBA", (512, 64))
    gradient.putdata([(x // 2, (x * 7) % 256, (x * 13 + y * 29) % 256, 255)
                      for y in range(64) for x in range(512)])
    palette = Image.open(io.BytesIO(encode(gradient)))
    with pytest.raises(AssertionError, match="levels apart"):
        assert_close(palette, gradient, worst=PALETTE_TOLERANCE, share=0.01, what="gradient")


# --- PNG: the part of SVG the writer draws, and what it refuses -------------------------------
def svg_doc(body: str, size: str = 'width="20" height="10" viewBox="0 0 20 10"') -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" {size}>{body}</svg>'


def rgba(image: Image.Image, x: int, y: int) -> tuple[int, ...]:
    pixel = image.getpixel((x, y))
    assert isinstance(pixel, tuple)
    return pixel


def pixels(body: str) -> Image.Image:
    return draw(svg_doc(body), 1)


def test_paint_follows_svg_fill_stroke_use_and_transforms() -> None:
    image = pixels('<defs><path id="a" d="M0 0h4v4H0z"/></defs>'
                   '<rect x="10" y="0" width="10" height="10" fill="#f00"/>'
                   '<g fill="#00f" transform="translate(2 2) scale(2)"><use href="#a" x="1"/></g>'
                   '<circle cx="15" cy="5" r="2" fill="none" stroke="#0f0" stroke-width="1"/>')
    assert image.getpixel((1, 1)) == (0, 0, 0, 0)  # nothing drawn
    assert image.getpixel((5, 5)) == (0, 0, 255, 255)  # the use, moved and scaled: 4-12
    assert image.getpixel((11, 5)) == (0, 0, 255, 255)  # drawn over the red, in order
    assert image.getpixel((18, 1)) == (255, 0, 0, 255)
    assert rgba(image, 15, 3)[1] > 100  # the circle's stroke, fill none: red inside
    assert image.getpixel((15, 5)) == (255, 0, 0, 255)
    assert pixels('<path d="M0 0h20v10H0z"/>').getpixel((3, 3)) == (0, 0, 0, 255)  # black


def current_point(d: str) -> tuple[float, float]:
    surface = cairocffi.ImageSurface(cairocffi.FORMAT_ARGB32, 1, 1)
    context = cairocffi.Context(surface)
    for name, numbers in raster.path_calls(d):
        getattr(context, name)(*numbers)
    x, y = context.get_current_point()
    return round(x, 6), round(y, 6)


@pytest.mark.parametrize(("d", "end"), [
    ("M1 2l3 4", (4, 6)), ("M1 2 3 4", (3, 4)), ("m1 2 3 4", (4, 6)), ("M1 2H5V7h1v1", (6, 8)),
    ("M1 2l3 4zl1 1", (2, 3)), ("M0 0c1 1 2 2 3 3s1 1 2 2", (5, 5)),
    ("M0 0q1 1 2 0t2 0T6 0", (6, 0)), ("M1.5.5-2e1-1", (-20, -1)),
    ("M3 0a3 3 0 0 1 3 3", (6, 3)), ("M0 0a1 1 0 0 1 10 0", (10, 0)),  # a radius too small
    ("M0 0A5 10 30 1 0 4 4", (4, 4)), ("M0 0a0 2 0 0 1 3 3", (3, 3)),
    ("M2 2a1 1 0 0 1 0 0", (2, 2)),
])
def test_path_data_ends_where_svg_says(d: str, end: tuple[float, float]) -> None:
    assert current_point(d) == end


def test_arcs_bulge_to_the_side_their_flags_choose() -> None:
    """A half circle from (0, 5) to (10, 5) with radius 5: sweep 1 passes through the top."""
    for sweep, row in (("1", 2), ("0", 7)):
        image = draw(svg_doc(f'<path d="M0 5A5 5 0 0 {sweep} 10 5z"/>',
                             'width="10" height="10" viewBox="0 0 10 10"'), 1)
        assert rgba(image, 5, row)[3] == 255, sweep
        assert rgba(image, 5, 10 - row)[3] == 0, sweep
    calls = raster.path_calls("M0 5a5 5 0 1 1 10 0")
    assert ("arc", (0.0, 0.0, 1.0, math.pi, 0.0)) in calls


@pytest.mark.parametrize(("body", "message"), [
    ('<text x="1" y="9">Hi</text>', "the badge draws <text>, which its PNG cannot show: use "
     "path, rect, circle, use or g (text as outlines)"),
    ('<image href="https://evil.example/x.png"/>', "the badge draws <image>, which its PNG "
     "cannot show: use path, rect, circle, use or g (text as outlines)"),
    ('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>',
     "the badge draws <foreignObject>, which its PNG cannot show: use path, rect, circle, use "
     "or g (text as outlines)"),
    ('<svg width="1" height="1"/>', "the badge draws <svg>, which its PNG cannot show: use "
     "path, rect, circle, use or g (text as outlines)"),
    ('<path d="M0 0h1" onload="alert(1)" style="fill:red"/>', "<path> has 'onload', 'style', "
     "which the badge's PNG cannot show: draw it with fill, stroke, stroke-linecap, "
     "stroke-linejoin, stroke-width and transform (translate, scale)"),
    ('<path d="M0 0h1" fill="url(#g)"/>', "a badge colour must be #rgb, #rrggbb or none: got "
     "'url(#g)'"),
    ('<path d="M0 0h1" fill="red"/>', "a badge colour must be #rgb, #rrggbb or none: got 'red'"),
    ('<path d="M0 0h1" stroke-linecap="wobbly"/>', "stroke-linecap must be one of butt, round, "
     "square: got 'wobbly'"),
    ('<g transform="rotate(45)"/>', "a badge transform may only translate and scale: got "
     "'rotate(45)'"),
    ('<g transform="translate(1 2) skewX(3)"/>', "a badge transform may only translate and "
     "scale: got 'translate(1 2) skewX(3)'"),
    ('<use href="#nowhere"/>', "<use> refers to '#nowhere', which is no element of the badge"),
    ('<use href="https://evil.example/a.svg#x"/>', "<use> refers to "
     "'https://evil.example/a.svg#x', which is no element of the badge"),
    ('<g id="loop"><use href="#loop"/></g>', "<use href='#loop'> refers to itself"),
    ('<rect width="1e" height="2"/>', "<rect> width must be a number in px: got '1e'"),
    ('<path d="M0 0 L1 1 X 3"/>', "path data has 'X 3' where a command or a number belongs, "
     "at character 10"),
    ('<path d="10 10"/>', "path data needs a command before '10': '10 10'"),
    ('<path d="M0 0c1 2 3"/>', "path command 'c' needs 6 numbers: 'M0 0c1 2 3'"),
    ('<path d="M0 0a1 1 0 01 5 5"/>', "path command 'a' needs 7 numbers: 'M0 0a1 1 0 01 5 5'"),
    ('<path d="M0 0a1 1 0 2 1 5 5"/>', "an arc's flags must be 0 or 1, each on its own: "
     "'1 1 0 2 1 5 5'"),
    # cairo's own errors, whichever call meets them: glyphs go to cairo directly
    ('<g transform="scale(0)"><path d="M0 0h1v1z"/></g>',
     "cairo cannot draw the badge: invalid matrix (not invertible)"),
    ('<g transform="scale(0)"><rect width="1" height="1"/></g>',
     "cairo cannot draw the badge: invalid matrix (not invertible)"),
])
def test_what_the_png_cannot_show_is_refused_by_name(body: str, message: str) -> None:
    with pytest.raises(DrawingError) as error:
        pixels(body)
    assert str(error.value) == message


@pytest.mark.parametrize(("document", "message"), [
    ("<svg", "the badge SVG is not well-formed XML: unclosed token: line 1, column 0"),
    ('<html xmlns="http://www.w3.org/2000/svg"/>', "the badge's root element is html, not svg"),
    (svg_doc("", 'width="10.5" height="1" viewBox="0 0 10.5 1"'), "the badge's <svg> needs "
     "whole-pixel width and height: got '10.5' and '1'"),
    (svg_doc("", 'width="10" height="10" viewBox="0 0 20 20"'), "the badge's viewBox must be "
     "'0 0 10 10', its size: got '0 0 20 20'"),
    (svg_doc("", 'width="100000" height="1" viewBox="0 0 100000 1"'), "the badge must be 1 to "
     "4096 px each way: got 100000x1"),
    (svg_doc("", 'width="1" height="1" viewBox="0 0 1 1" fill="#fff"'), "the badge's <svg> "
     "has 'fill', which its PNG cannot show: move presentation attributes to a <g>"),
])
def test_documents_the_png_cannot_draw_are_refused(document: str, message: str) -> None:
    with pytest.raises(DrawingError) as error:
        draw(document, 1)
    assert str(error.value) == message


@pytest.mark.parametrize("name", [
    "Northwind Media", "<script>alert(1)</script> & \"Co\" ]]> <!--", "O'Brien & Sons",
    " Leading space", "Line\u2028break", "Tab\there",
])
def test_compact_svgs_are_what_the_template_renders(name: str) -> None:
    """compact_svg fills a cached rendering in; it must equal a rendering of its own."""
    design = load_design(ROOT)
    face = dataclasses.replace(faces()["latin"], name=name)
    for variant in ("light", "dark"):
        for outlines in (False, True):
            assert compact_svg(design, face, variant, outlines) == svg._render_compact(
                design, face.value, face.withdrawn, variant, outlines, label=face.label,
                description=describe(face))


# --- determinism -------------------------------------------------------------------------
def test_two_processes_render_the_same_bytes(rendered: dict[str, dict[str, bytes]]) -> None:
    code = ("import hashlib, json, sys; sys.path.insert(0, 'tests'); "
            "from golden_badges import render_all; "
            "print(json.dumps({k: {n: hashlib.sha256(d).hexdigest() for n, d in f.items()} "
            "for k, f in render_all().items()}, sort_keys=True))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True, env={"PATH": "/usr/bin:/bin",
                                                        "LANG": "tr_TR.UTF-8"})
    import hashlib

    here = {k: {n: hashlib.sha256(d).hexdigest() for n, d in f.items()}
            for k, f in rendered.items()}
    assert json.loads(result.stdout) == here


# --- the build: incremental, on all cores ------------------------------------------------------
def test_a_rebuild_renders_only_what_changed(registry: Registry, mission: Mission) -> None:
    from socialmission.check.validate import validate

    for index in range(5):
        registry.write(f"signer-{index}", VALID.replace("Harbour Media Ltd", f"Signer {index}")
                       .replace("www.example.net", f"s{index}.example.org"))
    out = registry.root / "badges-out"
    pledges = validate([registry.pledges], mission, name_fits=NAME_FITS).pledges
    first = build_badges(ROOT, out, mission, pledges, BASE, workers=2)
    assert first.rendered == ["mission", *(f"signer-{i}" for i in range(5))]
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.png")}
    registry.write("signer-3", VALID.replace("Harbour Media Ltd", "Signer Three")
                   .replace("www.example.net", "s3.example.org"))
    pledges = validate([registry.pledges], mission, name_fits=NAME_FITS).pledges
    second = build_badges(ROOT, out, mission, pledges, BASE, workers=2)
    assert second.rendered == ["signer-3"]
    assert len(second.reused) == 5
    for path, stamp in stamps.items():
        assert (path.stat().st_mtime_ns == stamp) == ("signer-3" not in path.parts), path
    fresh = registry.root / "fresh"
    build_badges(ROOT, fresh, mission, pledges, BASE, workers=1)
    for path in fresh.rglob("*"):
        if path.is_file() and path.name != MANIFEST:  # it records when each file was written
            assert path.read_bytes() == (out / path.relative_to(fresh)).read_bytes(), path


def test_the_design_fingerprint_covers_templates_palette_fonts_and_code(
        tmp_path: Path) -> None:
    shutil.copytree(ROOT / "badges", tmp_path / "base" / "badges")
    original = load_design(tmp_path / "base").fingerprint
    assert re.fullmatch(r"[0-9a-f]{64}", original)
    fonts = sorted((tmp_path / "base" / "badges" / "fonts").glob("*.ttf"))
    for number, changed in enumerate(["templates/card.svg.j2", "palette.yaml",
                                      str(fonts[0].relative_to(tmp_path / "base" / "badges"))]):
        root = tmp_path / str(number)
        shutil.copytree(tmp_path / "base" / "badges", root / "badges")
        with (root / "badges" / changed).open("ab") as file:
            file.write(b"\n")
        assert load_design(root).fingerprint != original, changed
    # the code that lays out and draws a badge, wherever it lives
    modules = {Path(m).name for m in design.rendering_modules()}
    assert {"svg.py", "raster.py", "folder.py", "bake.py", "face.py", "design.py", "layout.py",
            "shaping.py", "openbadges.py", "png.py"} <= modules


# --- what the validator asks of a name for the badge ------------------------------------------
@pytest.mark.parametrize(("name", "reason"), [
    ("Northwind Media", None),
    ("株式会社さくらデザイン", None),
    ("Café 😀", "has characters no badge font can draw: '😀' (U+1F600): replace them"),
    ("W" * 100, "is too long to fit on the badge even on two lines at 11 px: shorten it"),
])
def test_check_name_fits(name: str, reason: str | None) -> None:
    assert check_name_fits(name, FONTS) == reason


def test_the_validator_refuses_names_the_badge_cannot_draw(registry: Registry) -> None:
    registry.write("emoji", VALID.replace("Harbour Media Ltd", "Happy 😀 Co"))
    assert registry.problems() == [
        ("emoji.yaml", 1, 7, "'name' has characters no badge font can draw: '😀' (U+1F600): "
                             "replace them"),
    ]


def test_the_cli_builds_badges(registry: Registry, tmp_path: Path) -> None:
    registry.write("example-media", VALID)
    (registry.root / "mkdocs.yml").write_text("site_name: R\nsite_url: https://r.example.org\n")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "socialmission", "--root",
                             str(registry.root), "badges", "--out", str(out)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{out}: 2 badge folders rendered, 0 unchanged, 0 removed\n"
    assert sorted(p.name for p in (out / "example-media").iterdir()) == FILES
    assert faces()  # the golden cases load


# --- shared glyphs: each defined once, drawn where outline_path draws it -------------------------
@pytest.mark.parametrize("case", ["latin", "arabic", "devanagari", "cjk", "accented-two-lines"])
def test_shared_glyphs_draw_what_the_outline_path_draws(case: str) -> None:
    from socialmission.render.shaping import glyph_line, outline_path

    name = faces()[case].name
    assert name is not None
    size = 'width="600" height="40" viewBox="0 0 600 40"'
    line = glyph_line(name, 17, 4.5, 28.25, FONTS)
    defs = "".join(f'<path id="{ref}" d="{d}"/>' for ref, d in line.glyphs)
    shared = svg_doc(f'<defs>{defs}</defs><g transform="{line.transform}">{line.uses}</g>', size)
    whole = svg_doc(f'<path d="{outline_path(name, 17, 4.5, 28.25, FONTS)}"/>', size)
    assert_close(draw(shared, 2), draw(whole, 2), worst=96, share=0.002, what=case)
    assert len(shared) < len(whole) * 0.9, (len(shared), len(whole))  # with no repeats too


def test_a_glyph_used_again_is_defined_once() -> None:
    from socialmission.render.shaping import glyph_line

    line = glyph_line("SOCIAL MISSION", 11, 0, 10, FONTS)
    assert len(line.glyphs) == len(set("SOCIALMISON")) == 8
    assert line.uses.count("<use ") == 13  # the space has no ink
    assert line.transform == "translate(0 10) scale(.011)"


@pytest.mark.parametrize("case", ["latin", "arabic", "cjk", "long-domain", "mission"])
def test_a_glyph_the_card_draws_once_is_written_in_place(
        rendered: dict[str, dict[str, bytes]], case: str) -> None:
    """Only glyphs the card draws twice or more are shared (<defs> and <use>); one drawn
    once is a <path> where it is drawn, the same outline at the same place."""
    data = rendered[case]["card-light.svg"].decode()
    root = ET.fromstring(data)
    uses = [use.get("href", "")[1:] for use in root.iter(f"{SVG}use")]
    defined = [path.get("id", "") for path in root.iter(f"{SVG}path") if path.get("id")]
    assert sorted(set(uses)) == sorted(defined)
    assert all(uses.count(ref) >= 2 for ref in defined)
    in_place = [path for group in root.iter(f"{SVG}g") for path in group
                if path.tag == f"{SVG}path"]
    assert in_place and all(path.get("id") is None for path in in_place)
    face = faces()[case]
    heading = drawn_lines(data)[0][1]
    assert heading == line_glyphs(face.label.upper(), svg.HEADING_SIZE, FONTS)


@pytest.mark.parametrize(("segments", "d"), [
    ((("M", (0.0, 0.0)), ("L", (10.0, 0.0)), ("L", (10.0, 10.0)), ("L", (0.0, 10.0)), ("Z", ())),
     "M0 0h10v-10h-10z"),  # y downwards; h and v for straight lines
    ((("M", (1.0, 1.0)), ("L", (2.0, 3.0)), ("L", (3.0, 5.0)), ("L", (3.0, 5.0)), ("Z", ()),
      ("M", (5.0, 5.0)), ("L", (6.0, 7.0)), ("Z", ())),
     "M1-1l1-2 1-2zm4-4 1-2z"),  # repeats without a letter, a line to itself left out
    ((("M", (0.4, 0.6)), ("Q", (1.0, 1.0, 2.0, 0.0)), ("Q", (3.0, -1.0, 4.0, 0.0)),
      ("C", (4.0, 1.0, 5.0, 2.0, 6.0, 2.0)), ("Z", ())), "M0-1q1 0 2 1t2 0c0-1 1-2 2-2z"),
    # a control point two units off the mirrored one is dropped (SMOOTH_TOLERANCE); three,
    # kept
    ((("M", (0.0, 0.0)), ("Q", (1.0, 1.0, 2.0, 0.0)), ("Q", (3.0, -3.0, 4.0, 0.0)),
      ("Q", (5.0, 4.0, 6.0, 0.0)), ("Z", ())), "M0 0q1-1 2 0t2 0q1-4 2 0z"),
])
def test_shared_outlines_are_compact_path_data(segments: tuple[tuple[str, tuple[float, ...]], ...],
                                              d: str) -> None:
    from socialmission.render.shaping import _em_path

    assert _em_path(segments, 1.0) == d
    assert raster.path_calls(d)  # and the PNG writer reads it


@pytest.mark.parametrize(("first", "mode"), [
    ('<rect width="20" height="10" fill="#fff"/>', "RGB"),  # covers it all: no alpha
    ('<rect x="0" y="0" width="20" height="10" fill="#123456"/>', "RGB"),
    ('<rect width="20" height="10" rx="2" fill="#fff"/>', "RGBA"),  # corners show through
    ('<rect width="19" height="10" fill="#fff"/>', "RGBA"),
    ('<rect width="20" height="10" fill="none" stroke="#fff"/>', "RGBA"),
    ('<rect width="20" height="10" fill="#fff" transform="scale(.5)"/>', "RGBA"),
    ('<path d="M0 0h20v10H0z" fill="#fff"/>', "RGBA"),
])
def test_only_a_badge_whose_first_shape_covers_it_is_drawn_opaque(first: str, mode: str) -> None:
    image = pixels(f'<title>t</title>{first}<circle cx="5" cy="5" r="3" fill="#f00"/>')
    assert image.mode == mode


def test_the_social_preview_is_opaque_and_the_cards_are_not() -> None:
    for stem, drawn, scale in drawings("latin"):
        assert draw(drawn, scale).mode == ("RGB" if stem == "social" else "RGBA"), stem


def test_a_template_the_png_cannot_draw_ends_the_build_with_a_message(
        registry: Registry, tmp_path: Path) -> None:
    registry.write("example-media", VALID)
    (registry.root / "mkdocs.yml").write_text("site_name: R\nsite_url: https://r.example.org\n")
    design = registry.root / "badges"
    design.unlink()  # the checkout's, linked: this registry gets a copy of its own
    shutil.copytree(ROOT / "badges", design)
    card = design / "templates" / "card.svg.j2"
    card.write_text(card.read_text().replace("</svg>", '<text x="1" y="9">hi</text></svg>'))
    result = subprocess.run([sys.executable, "-m", "socialmission", "--root",
                             str(registry.root), "badges", "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "badges/templates/card.svg.j2: the badge draws <text>, which its PNG cannot show: " \
           "use path, rect, circle, use or g (text as outlines)" in result.stderr
