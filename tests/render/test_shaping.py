"""Text shaping for badges: the shipped fonts, HarfBuzz layout and the SVG outlines."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import cairosvg
import pytest
from PIL import Image

from conftest import ROOT
from names_by_script import NAMES
from socialmission.model import paths
from socialmission.render.shaping import (
    FONT_FILES,
    bidi_levels,
    font_stack,
    measure,
    missing_characters,
    number,
    outline_path,
    shape,
    split_runs,
    visual_order,
)

FONTS = paths.fonts_dir(ROOT)
SIZE = 11

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def font_of(text: str) -> set[str]:
    return {run.font for run in split_runs(text, FONTS)}


# --- the fonts -------------------------------------------------------------------------

def test_every_font_is_shipped_with_its_licence_and_provenance() -> None:
    readme = (FONTS / "README.md").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS / "OFL.txt").read_text(encoding="utf-8")
    for name in FONT_FILES:
        assert (FONTS / name).is_file(), name
        assert name in readme, f"badges/fonts/README.md does not say where {name} came from"
    shipped = {p.name for p in FONTS.iterdir() if p.suffix in {".ttf", ".otf"}}
    assert shipped == set(FONT_FILES)


def test_the_stack_is_loaded_once_per_directory() -> None:
    assert font_stack(FONTS) is font_stack(FONTS)
    assert font_stack(paths.fonts_dir(ROOT)) is font_stack(FONTS)
    assert font_stack(ROOT / "badges" / ".." / "badges" / "fonts") is font_stack(FONTS)
    assert [font.name for font in font_stack(FONTS).fonts] == list(FONT_FILES)


@pytest.mark.parametrize("script", sorted(NAMES))
def test_every_sample_name_can_be_drawn(script: str) -> None:
    name = NAMES[script]
    assert missing_characters(name, FONTS) == []
    glyphs = shape(name, SIZE, FONTS).glyphs
    assert all(glyph.glyph_id != 0 for glyph in glyphs), "a .notdef box was drawn"


def test_each_script_gets_its_font() -> None:
    assert font_of("Société") == {"NotoSans-Bold.ttf"}
    assert font_of("Ἀθῆναι Москва") == {"NotoSans-Bold.ttf"}
    assert font_of(NAMES["arabic"]) == {"NotoSansArabicUI-Bold.ttf"}
    assert font_of(NAMES["hebrew"]) == {"NotoSansHebrew-Bold.ttf"}
    assert font_of(NAMES["devanagari"]) == {"NotoSansDevanagariUI-Bold.ttf"}
    for cjk in ("japanese", "chinese", "korean"):
        assert font_of(NAMES[cjk]) == {"NotoSansCJKjp-Bold-subset.otf"}


def test_spaces_stay_in_the_font_of_their_words() -> None:
    runs = split_runs("山田 太郎", FONTS)
    assert [run.text for run in runs] == ["山田 太郎"]
    assert len(split_runs("محمد بن سلمان", FONTS)) == 1


def test_a_combining_mark_stays_with_its_base() -> None:
    runs = split_runs("Ae\u0301\u0323z", FONTS)
    assert [run.text for run in runs] == ["Ae\u0301\u0323z"]


# --- shaping -----------------------------------------------------------------------------

def test_latin_is_kerned() -> None:
    assert measure("AV", SIZE, FONTS) < measure("A", SIZE, FONTS) + measure("V", SIZE, FONTS)
    assert measure("AVATAR", SIZE, FONTS) < sum(measure(c, SIZE, FONTS) for c in "AVATAR")


def test_arabic_joins_and_runs_right_to_left() -> None:
    name = "محمد"
    shaped = shape(name, SIZE, FONTS)
    assert [run.direction for run in shaped.runs] == ["rtl"]
    assert [run.script for run in shaped.runs] == ["Arab"]
    isolated = [shape(char, SIZE, FONTS).glyphs[0].glyph_id for char in name]
    joined = [glyph.glyph_id for glyph in shaped.glyphs]
    # Glyphs come left to right on the page, so the first letter read is the last drawn.
    assert [glyph.cluster for glyph in shaped.glyphs] == [3, 2, 1, 0]
    assert list(reversed(joined)) != isolated
    # Initial, medial and final forms replace all four isolated forms.
    assert all(j != i for j, i in zip(reversed(joined), isolated, strict=True))


def test_persian_zero_width_non_joiner_breaks_the_join() -> None:
    with_zwnj = shape("می\u200cخ", SIZE, FONTS).glyphs
    without = shape("میخ", SIZE, FONTS).glyphs
    assert [g.glyph_id for g in with_zwnj if g.cluster == 1] != \
        [g.glyph_id for g in without if g.cluster == 1]
    assert missing_characters("می\u200cخ", FONTS) == []


def test_hebrew_runs_right_to_left() -> None:
    shaped = shape("שלום", SIZE, FONTS)
    assert [run.direction for run in shaped.runs] == ["rtl"]
    assert [glyph.cluster for glyph in shaped.glyphs] == [3, 2, 1, 0]


def test_devanagari_forms_conjuncts() -> None:
    # क + ् + ष is the conjunct क्ष: one glyph for three characters.
    assert len(shape("क्ष", SIZE, FONTS).glyphs) == 1
    # द्व and श्री are conjuncts too: fewer glyphs than characters.
    for word in ("द्विवेदी", "श्री"):
        assert len(shape(word, SIZE, FONTS).glyphs) < len(word)
    assert [run.direction for run in shape("क्षत्रिय", SIZE, FONTS).runs] == ["ltr"]


def test_japanese_ideographs_are_one_em_wide() -> None:
    shaped = shape("山田太郎", SIZE, FONTS)
    assert shaped.width == 4 * SIZE
    assert [glyph.x for glyph in shaped.glyphs] == [0, 11, 22, 33]
    assert shape("やまだ", SIZE, FONTS).runs[0].script == "Hira"
    assert shape("김민준", SIZE, FONTS).runs[0].script == "Hang"


def test_precomposed_and_decomposed_accents_measure_alike() -> None:
    composed = "Société Générale"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    nfc = unicodedata.normalize("NFC", decomposed)
    assert measure(nfc, SIZE, FONTS) == measure(composed, SIZE, FONTS)
    assert outline_path(nfc, SIZE, 0, 20, FONTS) == outline_path(composed, SIZE, 0, 20, FONTS)
    # HarfBuzz composes what the font has, so even unnormalised text measures alike.
    assert measure(decomposed, SIZE, FONTS) == measure(composed, SIZE, FONTS)


def test_widths_are_rounded_and_deterministic() -> None:
    for name in NAMES.values():
        first, second = shape(name, SIZE, FONTS), shape(name, SIZE, FONTS)
        assert first == second
        assert first.width == round(first.width, 2) > 0
        assert all(g.x == round(g.x, 2) and g.y == round(g.y, 2) for g in first.glyphs)
    assert measure("", SIZE, FONTS) == 0
    assert measure("Hamburg", 22, FONTS) == pytest.approx(2 * measure("Hamburg", 11, FONTS),
                                                          abs=0.02)


def test_layout_is_the_same_in_another_process() -> None:
    name = " ".join(NAMES.values())
    code = ("import sys; from pathlib import Path; "
            "from socialmission.render.shaping import outline_path; "
            "sys.stdout.write(outline_path(sys.argv[1], 11, 2.5, 14, Path(sys.argv[2])))")
    result = subprocess.run([sys.executable, "-c", code, name, str(FONTS)], capture_output=True,
                            text=True, check=True,
                            env={**os.environ, "LANG": "tr_TR.UTF-8", "LC_ALL": "tr_TR.UTF-8"})
    assert result.stdout == outline_path(name, 11, 2.5, 14, FONTS)


# --- bidi ----------------------------------------------------------------------------------

def test_an_arabic_name_with_latin_digits_reads_right_to_left() -> None:
    text = "شركة 2024"
    assert bidi_levels(text) == [1, 1, 1, 1, 1, 2, 2, 2, 2]
    runs = visual_order(split_runs(text, FONTS))
    # The digits stay left to right, and stand left of the name that comes first.
    assert [(run.text, run.direction) for run in runs] == [("2024", "ltr"), ("شركة ", "rtl")]
    shaped = shape(text, SIZE, FONTS)
    assert [g.cluster for g in shaped.glyphs[:4]] == [5, 6, 7, 8]


def test_embedded_right_to_left_text_in_a_latin_name() -> None:
    text = "ABC أحمد DEF"
    assert bidi_levels(text) == [0] * 4 + [1] * 4 + [0] * 4
    order = [run.text for run in visual_order(split_runs(text, FONTS))]
    assert "".join(order) == "ABC أحمد DEF"
    clusters = [g.cluster for g in shape(text, SIZE, FONTS).glyphs]
    assert clusters[4:8] == [7, 6, 5, 4]
    assert clusters[:4] == [0, 1, 2, 3] and clusters[8:] == [8, 9, 10, 11]


def test_a_latin_word_inside_a_hebrew_name_keeps_its_order() -> None:
    text = "שלום Tel Aviv עולם"
    runs = visual_order(split_runs(text, FONTS))
    assert [run.text.strip() for run in runs if run.text.strip()] == ["עולם", "Tel Aviv", "שלום"]


def test_mirrored_brackets_in_right_to_left_text() -> None:
    assert set(bidi_levels("(שלום)")) == {1}
    glyphs = shape("(שלום)", SIZE, FONTS).glyphs
    # Drawn right to left, the opening bracket is the rightmost glyph, and mirrored.
    assert glyphs[-1].cluster == 0
    assert glyphs[-1].glyph_id == shape(")", SIZE, FONTS).glyphs[0].glyph_id


# --- outlines ------------------------------------------------------------------------------

def test_number_formatting() -> None:
    assert number(12.5) == "12.5"
    assert number(12.50) == "12.5"
    assert number(189.10000000000002) == "189.1"
    assert number(3.0) == "3"
    assert number(-0.001) == "0"
    assert number(-0.254) == "-0.25"
    assert number(100) == "100"


@pytest.mark.parametrize("script", sorted(NAMES))
def test_paths_are_compact_and_free_of_float_artefacts(script: str) -> None:
    path = outline_path(NAMES[script], SIZE, 6.5, 14, FONTS)
    assert path.startswith("M")
    assert re.fullmatch(r"[MmlqcZz0-9. \-]+", path), "only commands, digits, '.', '-', spaces"
    assert "  " not in path and " -" not in path
    numbers = NUMBER.findall(path)
    assert numbers
    for text in numbers:
        whole, _, decimals = text.partition(".")
        assert len(decimals) <= 2, text
        assert not decimals.endswith("0"), text
        assert text != "-0"
        assert whole.lstrip("-") == "0" or not whole.lstrip("-").startswith("0"), text


def test_empty_and_blank_text_draws_nothing() -> None:
    assert outline_path("", SIZE, 0, 0, FONTS) == ""
    assert outline_path("   ", SIZE, 0, 0, FONTS) == ""


def test_outlines_are_cached() -> None:
    font = font_stack(FONTS).fonts[0]
    glyph = shape("Q", SIZE, FONTS).glyphs[0].glyph_id
    assert font.outline(glyph) is font.outline(glyph)


def test_missing_characters() -> None:
    assert missing_characters("Acme", FONTS) == []
    assert missing_characters("a\ue000b", FONTS) == ["\ue000"]  # private use
    assert missing_characters("x\u0378y\u0378", FONTS) == ["\u0378"]  # unassigned, once
    assert missing_characters("Ok \U0001f600", FONTS) == ["\U0001f600"]  # no emoji font
    # Joiners and variation selectors are invisible, so never missing.
    assert missing_characters("क्\u200dष 葛\U000e0100", FONTS) == []


@pytest.mark.parametrize("script", ["latin", "arabic", "hebrew", "devanagari", "japanese",
                                    "korean", "thai"])
def test_cairosvg_draws_the_outline_inside_its_box(script: str, tmp_path: Path) -> None:
    name, size, x, y = NAMES[script], 20, 10, 30
    shaped = shape(name, size, FONTS)
    width, height = int(shaped.width) + 2 * x, 45
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
           f'<title>{name}</title>'
           f'<path d="{outline_path(name, size, x, y, FONTS)}" fill="#000"/></svg>')
    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"))
    (tmp_path / f"shaping-{script}.png").write_bytes(png)
    image = Image.open(io.BytesIO(png))
    assert image.size == (width, height)
    alpha = image.convert("RGBA").getchannel("A")
    box = alpha.getbbox()
    assert box is not None, "nothing was drawn"
    left, top, right, bottom = box
    # Ink from the pen's start to its end (a pixel of anti-aliasing either side), and
    # between the line's ascent and descent.
    assert x - 2 <= left <= x + size * 0.3
    assert x + shaped.width - size * 0.3 <= right <= x + shaped.width + 2
    assert y - size * 1.2 <= top < y
    assert y - size * 0.3 < bottom <= y + size * 0.45
    inked = sum(alpha.histogram()[129:])  # pixels more than half covered
    assert inked > shaped.width * size * 0.05
