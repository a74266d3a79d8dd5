"""Badges as people meet them: exact SVG, real cairosvg PNGs, baked assertions that an
independent reader can unbake, contrast, escaping, determinism and incremental builds."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import cairosvg
import pytest
import yaml
from cairosvg.helpers import PointError
from cairosvg.path import path as cairosvg_path
from PIL import Image

from conftest import FONTS, NAME_FITS, ROOT, VALID, Registry
from golden_badges import BASE, GOLDEN, faces, render_all
from socialmission.model import openbadges
from socialmission.model.mission import Mission
from socialmission.render import design, raster, svg
from socialmission.render.cache import MANIFEST, build_badges
from socialmission.render.contrast import contrast
from socialmission.render.design import load_design
from socialmission.render.face import describe
from socialmission.render.layout import CARD_HEIGHT, CARD_WIDTH, check_name_fits
from socialmission.render.raster import to_png
from socialmission.render.shaping import number as num
from socialmission.render.svg import card_svg, compact_svg, social_svg

SVG = "{http://www.w3.org/2000/svg}"
OB = "{http://openbadges.org}"
FILES = sorted([*(f"{style}-{variant}{suffix}" for style in ("compact", "card")
                  for variant in ("light", "dark") for suffix in (".svg", ".png", "@2x.png")),
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
            text = data.decode()
            numbers = re.findall(r"\d+\.\d+", re.sub(r"<!\[CDATA\[.*?\]\]>", "", text))
            assert all(len(n.split(".")[1]) <= 2 for n in numbers), (case, name)
            # no ids at all, so two badges inlined in one page can never clash
            assert " id=" not in text.replace("<![CDATA[", "").split("]]>")[-1]


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
    assert set(palette) == {"light", "dark"}
    for variant, colours in palette.items():
        for text, background in pairs:
            ratio = contrast(colours[text], colours[background])
            assert ratio >= 4.5, f"{variant}: {text} on {background} is {ratio:.2f}:1"


def test_contrast_matches_wcag_examples() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48


# --- escaping ---------------------------------------------------------------------------
ALLOWED = {f"{SVG}{tag}" for tag in ("svg", "title", "path", "rect", "circle", "g", "text")}
ALLOWED.add(f"{OB}assertion")


def test_markup_in_a_name_stays_text(rendered: dict[str, dict[str, bytes]]) -> None:
    name = json.loads((GOLDEN.parent / "badge-cases.json").read_text())["markup"]["name"]
    for file, data in rendered["markup"].items():
        if not file.endswith(".svg"):
            continue
        root = ET.fromstring(data)  # well-formed: the CDATA and the title did not break
        for element in root.iter():
            assert element.tag in ALLOWED, element.tag
            assert not any(a.lower().startswith("on") or "href" in a for a in element.attrib)
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
def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """A plain PNG chunk walk, written here so the test does not trust png.py."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, found = 8, []
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        found.append((data[offset + 4:offset + 8], data[offset + 8:offset + 8 + length]))
        offset += 12 + length
    return found


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
    withdrawn = json.loads(Image.open(io.BytesIO(rendered["withdrawn"]["card-dark.png"]))
                           .text["openbadges"])  # type: ignore[attr-defined]
    assert withdrawn["revocationReason"] == "Withdrawn on 2025-02-28: The agency closed."


def test_the_generic_badge_claims_nobody(rendered: dict[str, dict[str, bytes]]) -> None:
    for name, data in rendered["mission"].items():
        assert b"openbadges" not in data, name


def test_withdrawn_badges_say_so_and_never_signatory(
        rendered: dict[str, dict[str, bytes]]) -> None:
    compact = ET.fromstring(rendered["withdrawn"]["compact-light.svg"])
    assert compact.get("aria-label") == ("Loud Growth Agency: Social Mission withdrawn. "
                                         "Withdrawn in 2025 · no longer a signatory.")
    texts = [t.text for t in compact.iter(f"{SVG}text")]
    assert texts == ["Social Mission", "withdrawn"]
    card = ET.fromstring(rendered["withdrawn"]["card-light.svg"])
    assert "no longer a signatory" in (card.get("aria-label") or "")


# --- PNG ---------------------------------------------------------------------------------
def test_pngs_have_the_right_sizes(rendered: dict[str, dict[str, bytes]]) -> None:
    for files in rendered.values():
        assert Image.open(io.BytesIO(files["social.png"])).size == (1200, 630)
        card = Image.open(io.BytesIO(files["card-light.png"]))
        card2 = Image.open(io.BytesIO(files["card-light@2x.png"]))
        assert card.size == (CARD_WIDTH, CARD_HEIGHT)
        assert card2.size == (CARD_WIDTH * 2, CARD_HEIGHT * 2)
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


# --- fast paths: the same bytes as the slow ones ------------------------------------------------
def test_pngs_are_what_cairosvg_alone_draws() -> None:
    """to_png reads glyph outlines itself (raster._draw_path); the pixels stay cairosvg's."""
    design = load_design(ROOT)
    for key, face in faces().items():
        drawings = [(card_svg(design, face, "light"), 1), (card_svg(design, face, "dark"), 2)]
        if key in {"latin", "arabic"}:
            drawings.append((social_svg(design, face), 1))
        for drawn, scale in drawings:
            assert to_png(drawn, scale) == cairosvg.svg2png(
                bytestring=drawn.encode(), scale=scale, unsafe=False), (key, scale)


class RecordingContext:
    """Stands in for a cairo context and records the calls a path reader makes."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[float, ...]]] = []

    def has_current_point(self) -> bool:
        return True

    def get_current_point(self) -> tuple[float, float]:
        return (0.0, 0.0)

    def __getattr__(self, name: str) -> object:
        return lambda *arguments: self.calls.append((name, arguments))


class RecordingSurface:
    def __init__(self) -> None:
        self.context = RecordingContext()


class Node(dict[str, str]):
    """cairosvg's parsed element: a dict that readers may set attributes on."""


def path_calls(reader: Callable[[Any, Any], None], d: str) -> list[tuple[str, tuple[float, ...]]]:
    surface = RecordingSurface()
    with contextlib.suppress(PointError):  # as cairosvg's Surface.draw does
        reader(surface, Node(d=d))
    return surface.context.calls


@pytest.mark.parametrize("d", [
    "M1 2l3 4z", "M1 2z", "M1 2l1 2zz", "M1 2m1 2 3 4z", "M1 2m3 4zl1 1z",
    "M-1-2q1 2 3 4 5 6 7 8c1 2 3 4 5 6 1-2-3 4 5 6l1-2 3 4zm0.5 0.25l-1 0z",
    "M12.34 5.6q-0.05 1.5 3 4M7 8l1 1",
    # not in the glyph outlines' form: cairosvg's own reader draws them
    "M1 2l1", "M1 2 3 4", "M1.5.5 2", "M3 0h86v20H3a3 3 0 0 1-3-3V3z", "",
])
def test_glyph_paths_make_the_calls_cairosvg_makes(d: str) -> None:
    assert path_calls(partial(raster._draw_path, cairosvg_path), d) == \
        path_calls(cairosvg_path, d)


def test_every_glyph_of_the_golden_cards_takes_the_fast_path() -> None:
    design = load_design(ROOT)
    for face in faces().values():
        for d in re.findall(r' d="([^"]*)"', card_svg(design, face, "light"))[-3:]:
            assert raster._glyph_calls(d) is not None, d[:40]
            assert path_calls(partial(raster._draw_path, cairosvg_path), d) == \
                path_calls(cairosvg_path, d)


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
                design, face.value, face.withdrawn, variant, outlines,
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
        registry.write(f"signer-{index}", VALID.replace("Example Media Ltd", f"Signer {index}")
                       .replace("www.example.org", f"s{index}.example.org"))
    out = registry.root / "badges-out"
    pledges = validate([registry.pledges], mission, name_fits=NAME_FITS).pledges
    first = build_badges(ROOT, out, mission, pledges, BASE, workers=2)
    assert first.rendered == ["mission", *(f"signer-{i}" for i in range(5))]
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.png")}
    registry.write("signer-3", VALID.replace("Example Media Ltd", "Signer Three")
                   .replace("www.example.org", "s3.example.org"))
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
    registry.write("emoji", VALID.replace("Example Media Ltd", "Happy 😀 Co"))
    assert registry.problems() == [
        ("emoji.yaml", 1, 7, "'name' has characters no badge font can draw: '😀' (U+1F600): "
                             "replace them"),
    ]


def test_the_cli_builds_badges(registry: Registry, tmp_path: Path) -> None:
    registry.write("example-media", VALID)
    (registry.root / "mkdocs.yml").write_text("site_url: https://r.example.org\n")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "socialmission", "--root",
                             str(registry.root), "badges", "--out", str(out)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{out}: 2 badge folders rendered, 0 unchanged, 0 removed\n"
    assert sorted(p.name for p in (out / "example-media").iterdir()) == FILES
    assert faces()  # the golden cases load
