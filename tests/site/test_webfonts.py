"""The site's web fonts: the badges' own fonts, cut down to the characters the site shows,
one face per script, served only to those characters, the same bytes every build."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from conftest import FONTS, ROOT, copy_registry
from socialmission.model import paths
from socialmission.site import webfonts

DEVANAGARI = "प्रिया शर्मा"
JAPANESE = "株式会社さくらデザイン"


def cmap_of(woff2: bytes, tmp_path: Path) -> set[int]:
    path = tmp_path / "face.woff2"
    path.write_bytes(woff2)
    return set(TTFont(path)["cmap"].getBestCmap())


# --- which characters each face draws --------------------------------------------------------
def test_each_script_goes_to_its_own_font_and_latin_to_none() -> None:
    served = webfonts.assign([f"Ana Pérez Ελένη Юлия {DEVANAGARI} {JAPANESE} 123 — “x”"],
                             FONTS)
    assert set(served) == {"NotoSansDevanagariUI-Bold.ttf", "NotoSansCJKjp-Bold-subset.otf"}
    assert served["NotoSansDevanagariUI-Bold.ttf"] == sorted(
        {ord(c) for c in DEVANAGARI} - {ord(" ")})
    assert served["NotoSansCJKjp-Bold-subset.otf"] == sorted({ord(c) for c in JAPANESE})
    # a space, a dash or a quote is never a web font's: every page would fetch it
    every = {p for points in served.values() for p in points}
    assert not every & {ord(c) for c in " —“”éΕЮ123"}


def test_a_character_no_font_has_is_not_served() -> None:
    assert webfonts.assign(["\U0001fae8 \U000e0001"], FONTS) == {}


def test_unicode_range_writes_runs_as_ranges() -> None:
    assert webfonts.unicode_range([0x900]) == "U+900"
    assert webfonts.unicode_range([0x900, 0x901, 0x902, 0x905, 0x907, 0x908]) == \
        "U+900-902, U+905, U+907-908"


# --- the files and the rules ------------------------------------------------------------------
@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return copy_registry(tmp_path / "registry")


def test_each_face_holds_its_characters_and_the_rules_name_them(registry: Path,
                                                                tmp_path: Path) -> None:
    fonts = webfonts.web_fonts(registry, [f"<h1>{DEVANAGARI}</h1>", JAPANESE, "Ana"])
    assert sorted(fonts.files) == sorted(
        f"{paths.WEBFONTS_PATH}/{name}" for name in re.findall(r'url\("fonts/([^"]+)"\)',
                                                               fonts.css))
    assert len(fonts.files) == 2
    for site_path, woff2 in fonts.files.items():
        assert woff2[:4] == b"wOF2"
        assert hashlib.sha256(woff2).hexdigest()[:12] in site_path  # a new name per content
        drawn = cmap_of(woff2, tmp_path)
        script = DEVANAGARI if "Devanagari" in site_path else JAPANESE
        assert {ord(c) for c in script if c != " "} <= drawn
        assert len(woff2) < 10_000  # a few glyphs, not the 9 MB font
    assert fonts.css.count("@font-face") == 2
    assert fonts.css.count("font-display: swap;") == 2
    assert fonts.css.count(f"font-weight: {webfonts.WEIGHT};") == 2
    assert f'--md-text-font: "{webfonts.family_name(ROOT)}";' in fonts.css
    assert "unicode-range: U+92A, U+92E-930, U+936, U+93E-93F, U+94D;" in fonts.css


def test_no_character_to_serve_means_no_rule_and_no_file(registry: Path) -> None:
    fonts = webfonts.web_fonts(registry, ["Ana Pérez", "Ελένη", "Юлия"])
    assert fonts.files == {} and fonts.css == ""


def test_many_ideographs_are_cut_into_faces_a_page_fetches_apart(registry: Path) -> None:
    ideographs = "".join(chr(0x4E00 + i) for i in range(webfonts.CHUNK + 10))
    fonts = webfonts.web_fonts(registry, [ideographs])
    assert len(fonts.files) == 2
    ranges = re.findall(r"unicode-range: ([^;]+);", fonts.css)
    assert ranges == [f"U+4E00-{0x4E00 + webfonts.CHUNK - 1:X}",
                      f"U+{0x4E00 + webfonts.CHUNK:X}-{0x4E00 + webfonts.CHUNK + 9:X}"]


# --- the cache and determinism ------------------------------------------------------------
def test_the_same_characters_give_the_same_bytes_in_a_fresh_registry(tmp_path: Path) -> None:
    first = webfonts.web_fonts(copy_registry(tmp_path / "a"), [DEVANAGARI, JAPANESE])
    second = webfonts.web_fonts(copy_registry(tmp_path / "b"), [JAPANESE, DEVANAGARI])
    assert first.files == second.files and first.css == second.css


def test_a_cached_subset_is_used_and_not_cut_again(registry: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    first = webfonts.web_fonts(registry, [DEVANAGARI])
    cached = sorted((registry / paths.WEBFONTS_CACHE).iterdir())
    assert [p.suffix for p in cached] == [".woff2"]

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the subset was cut again")

    import fontTools.subset

    monkeypatch.setattr(fontTools.subset.Subsetter, "subset", refuse)
    assert webfonts.web_fonts(registry, [DEVANAGARI]).files == first.files
    # other characters are a new subset (and so a new key)
    with pytest.raises(webfonts.WebFontError, match="the subset was cut again"):
        webfonts.web_fonts(registry, [DEVANAGARI + "क"])


def test_a_changed_font_is_cut_again(registry: Path) -> None:
    """The key is the font's hash: a font replaced by another is never served from the
    old one's subset."""
    before = webfonts.web_fonts(registry, ["שלום"])
    fonts = registry / paths.FONTS_DIR
    # another Hebrew-drawing font in its place: the Arabic UI font lacks Hebrew, so take
    # the badges' own Hebrew font with a byte changed in its name table's padding
    data = bytearray((fonts / "NotoSansHebrew-Bold.ttf").read_bytes())
    data[-1] ^= 0x01
    (fonts / "NotoSansHebrew-Bold.ttf").write_bytes(bytes(data))
    webfonts.web_fonts(registry, ["שלום"])
    assert len(list((registry / paths.WEBFONTS_CACHE).iterdir())) == 2
    assert before.files  # the first build served one


def test_the_served_fonts_keep_their_licence(registry: Path, tmp_path: Path) -> None:
    fonts = webfonts.web_fonts(registry, [DEVANAGARI])
    (woff2,) = fonts.files.values()
    path = tmp_path / "face.woff2"
    path.write_bytes(woff2)
    names = TTFont(path)["name"]
    assert "SIL Open Font License" in str(names.getName(13, 3, 1, 0x409))
    assert "Google" in str(names.getName(0, 3, 1, 0x409))  # the copyright notice
    assert (ROOT / "badges" / "fonts" / "OFL.txt").is_file()


def test_a_text_needs_the_faces_that_draw_its_characters(registry: Path) -> None:
    fonts = webfonts.web_fonts(registry, [DEVANAGARI, JAPANESE, "שלום"])
    (devanagari,) = [p for p in fonts.files if "Devanagari" in p]
    (japanese,) = [p for p in fonts.files if "CJK" in p]
    assert fonts.faces_for(DEVANAGARI) == [devanagari]
    assert fonts.faces_for(f"{JAPANESE} {DEVANAGARI}") == [devanagari, japanese]
    assert fonts.faces_for("Northwind Media") == []


# --- a damaged or missing font ------------------------------------------------------------
def test_a_damaged_font_stops_the_build_with_its_name(registry: Path) -> None:
    font = registry / paths.FONTS_DIR / "NotoSansDevanagariUI-Bold.ttf"
    data = font.read_bytes()
    font.write_bytes(data[:12] + b"\0" * (len(data) - 12))  # its tables' directory kept
    with pytest.raises(webfonts.WebFontError, match=r"NotoSansDevanagariUI-Bold.ttf: the "
                       r"site's web font cannot be cut from this font \(.*\): put back the "
                       r"font badges/fonts/README.md lists, with its checksum"):
        webfonts.subset(font, DEVANAGARI, registry / paths.WEBFONTS_CACHE)


def test_a_missing_font_is_named(registry: Path) -> None:
    (registry / paths.FONTS_DIR / "NotoSansThaana-Bold.ttf").unlink()
    with pytest.raises(webfonts.WebFontError, match=r"NotoSansThaana-Bold.ttf: the font "
                       r"cannot be read \(No such file or directory\)"):
        webfonts.web_fonts(registry, ["x"])
