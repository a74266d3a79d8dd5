"""The site's web fonts: the badges' own fonts and the site's Regular ones, cut down to the
characters the site shows, two faces per script (Regular and Bold), served only to those
characters, the same bytes every build."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import sys
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
    assert [Path(p).stem.rsplit("-", 1)[0] for p in fonts.files] == [
        "NotoSansDevanagariUI-Regular", "NotoSansDevanagariUI-Bold",
        "NotoSansCJKjp-Regular-subset", "NotoSansCJKjp-Bold-subset"]
    for site_path, woff2 in fonts.files.items():
        assert woff2[:4] == b"wOF2"
        assert hashlib.sha256(woff2).hexdigest()[:12] in site_path  # a new name per content
        drawn = cmap_of(woff2, tmp_path)
        script = DEVANAGARI if "Devanagari" in site_path else JAPANESE
        assert {ord(c) for c in script if c != " "} <= drawn
        assert len(woff2) < 10_000  # a few glyphs, not the 9 MB font
        # each face is the weight its rule says, cut from its own font
        path = tmp_path / "face.woff2"
        path.write_bytes(woff2)
        weight = TTFont(path)["OS/2"].usWeightClass
        assert weight == fonts.weights[site_path]
        assert weight == (webfonts.BOLD if "-Bold-" in site_path else webfonts.REGULAR)
    rules = re.findall(r"@font-face \{[^}]*\}", fonts.css)
    assert len(rules) == 4
    assert [re.findall(r"font-weight: (\d+);", rule) for rule in rules] == \
        [[str(webfonts.REGULAR)], [str(webfonts.BOLD)]] * 2
    assert all("font-display: swap;" in rule for rule in rules)
    assert f'--md-text-font: "{webfonts.family_name(ROOT)}";' in fonts.css
    # both weights of a script draw the same characters
    assert fonts.css.count("unicode-range: U+92A, U+92E-930, U+936, U+93E-93F, U+94D;") == 2


def test_no_character_to_serve_means_no_rule_and_no_file(registry: Path) -> None:
    fonts = webfonts.web_fonts(registry, ["Ana Pérez", "Ελένη", "Юлия"])
    assert fonts.files == {} and fonts.css == ""


def test_many_ideographs_are_cut_into_faces_a_page_fetches_apart(registry: Path) -> None:
    ideographs = "".join(chr(0x4E00 + i) for i in range(webfonts.CHUNK + 10))
    fonts = webfonts.web_fonts(registry, [ideographs])
    assert len(fonts.files) == 4  # two pieces, in two weights
    ranges = re.findall(r"unicode-range: ([^;]+);", fonts.css)
    first = f"U+4E00-{0x4E00 + webfonts.CHUNK - 1:X}"
    second = f"U+{0x4E00 + webfonts.CHUNK:X}-{0x4E00 + webfonts.CHUNK + 9:X}"
    assert ranges == [first, first, second, second]


# --- the cache and determinism ------------------------------------------------------------
def test_the_same_characters_give_the_same_bytes_in_a_fresh_registry(tmp_path: Path) -> None:
    first = webfonts.web_fonts(copy_registry(tmp_path / "a"), [DEVANAGARI, JAPANESE])
    second = webfonts.web_fonts(copy_registry(tmp_path / "b"), [JAPANESE, DEVANAGARI])
    assert first.files == second.files and first.css == second.css


def test_a_cached_subset_is_used_and_not_cut_again(registry: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    first = webfonts.web_fonts(registry, [DEVANAGARI])
    cached = sorted((registry / paths.WEBFONTS_CACHE).iterdir())
    assert [p.suffix for p in cached] == [".woff2", ".woff2"]  # the Bold and the Regular

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
    # the Bold cut again, the Regular's subset kept
    assert len(list((registry / paths.WEBFONTS_CACHE).iterdir())) == 3
    assert before.files  # the first build served one


def test_the_served_fonts_keep_their_licence(registry: Path, tmp_path: Path) -> None:
    fonts = webfonts.web_fonts(registry, [DEVANAGARI])
    assert len(fonts.files) == 2
    for woff2 in fonts.files.values():
        path = tmp_path / "face.woff2"
        path.write_bytes(woff2)
        names = TTFont(path)["name"]
        assert "SIL Open Font License" in str(names.getName(13, 3, 1, 0x409))
        assert "Google" in str(names.getName(0, 3, 1, 0x409))  # the copyright notice
    assert (ROOT / paths.FONTS_DIR / "OFL.txt").is_file()
    assert (ROOT / paths.SITE_FONTS_DIR / "OFL.txt").is_file()


def test_a_text_needs_the_faces_that_draw_its_characters(registry: Path) -> None:
    fonts = webfonts.web_fonts(registry, [DEVANAGARI, JAPANESE, "שלום"])
    for weight in (webfonts.REGULAR, webfonts.BOLD):
        (devanagari,) = [p for p in fonts.files
                         if "Devanagari" in p and fonts.weights[p] == weight]
        (japanese,) = [p for p in fonts.files if "CJK" in p and fonts.weights[p] == weight]
        assert fonts.faces_for(DEVANAGARI, weight) == [devanagari]
        assert fonts.faces_for(f"{JAPANESE} {DEVANAGARI}", weight) == [devanagari, japanese]
        assert fonts.faces_for("Northwind Media", weight) == []


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


def test_a_missing_regular_font_is_named_with_its_readme(registry: Path) -> None:
    (registry / paths.SITE_FONTS_DIR / "NotoSansDevanagariUI-Regular.woff2").unlink()
    with pytest.raises(webfonts.WebFontError, match=r"NotoSansDevanagariUI-Regular.woff2: the "
                       r"font cannot be read \(No such file or directory\): put back the "
                       r"font site/fonts/README.md lists"):
        webfonts.web_fonts(registry, [DEVANAGARI])


# --- the site's Regular fonts (site/fonts) -------------------------------------------------
SITE_FONTS = ROOT / paths.SITE_FONTS_DIR
# What site/fonts may weigh (bytes; site/fonts/README.md gives what it does): the CJK face
# with its 44,810 characters, and the others together.
CJK_FACE_AT_MOST = 6_000_000
OTHERS_AT_MOST = 600_000


def faces_of(name: str) -> tuple[TTFont, TTFont]:
    """A badge font and its Regular, read from memory (no file left open)."""
    return (TTFont(io.BytesIO((FONTS / name).read_bytes()), lazy=True),
            TTFont(io.BytesIO((SITE_FONTS / webfonts.regular_font(name)).read_bytes())))


def features(font: TTFont, table: str) -> set[str]:
    """The layout features of `font`'s GSUB or GPOS table (none when it has no such table)."""
    if table not in font:
        return set()
    return {record.FeatureTag for record in font[table].table.FeatureList.FeatureRecord}


@pytest.mark.parametrize("name", webfonts.served_fonts())
def test_every_served_bold_font_has_its_regular_with_the_same_characters(name: str) -> None:
    bold, regular = faces_of(name)
    assert regular["OS/2"].usWeightClass == webfonts.REGULAR
    assert bold["OS/2"].usWeightClass == webfonts.BOLD
    # the same family, from the same release
    assert regular["name"].getDebugName(1) == bold["name"].getDebugName(1).removesuffix(
        " Bold").removesuffix(" Bold")
    assert regular["name"].getDebugName(5).split(";")[0] == \
        bold["name"].getDebugName(5).split(";")[0]
    # every character the site may serve in Bold, it can serve in Regular (the browser
    # picks the weight first: a character missing from the Regular would be drawn by the
    # machine's fonts, or as a box, in regular text)
    assert set(regular["cmap"].getBestCmap()) == set(bold["cmap"].getBestCmap())
    # and with the same shaping: every feature the Bold has (conjuncts, joining forms)
    for table in ("GSUB", "GPOS"):
        assert features(regular, table) >= features(bold, table)
    assert "SIL Open Font License" in str(regular["name"].getDebugName(13))


def test_site_fonts_holds_the_regulars_its_licence_and_readme_and_no_more() -> None:
    expected = {webfonts.regular_font(name) for name in webfonts.served_fonts()}
    assert {p.name for p in SITE_FONTS.iterdir()} == expected | {"OFL.txt", "README.md"}
    licence = (SITE_FONTS / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert licence == (FONTS / "OFL.txt").read_text(encoding="utf-8")  # the same notices


def test_the_readme_gives_each_fonts_checksum_and_the_bytes_they_add() -> None:
    readme = (SITE_FONTS / "README.md").read_text(encoding="utf-8")
    listed = {name: digest for digest, name in
              re.findall(r"^([0-9a-f]{64})  (\S+)$", readme, re.MULTILINE)}
    fonts = sorted(SITE_FONTS.glob("*.woff2"))
    assert listed == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in fonts}
    sizes = {p.name: p.stat().st_size for p in fonts}
    cjk = sizes.pop(webfonts.regular_font("NotoSansCJKjp-Bold-subset.otf"))
    assert cjk <= CJK_FACE_AT_MOST and sum(sizes.values()) <= OTHERS_AT_MOST
    assert f"{cjk + sum(sizes.values()):,} bytes in {len(fonts)} font files" in readme
    assert f"{cjk:,} are the CJK face and {sum(sizes.values()):,} the twenty others" \
        in readme.replace("\n", " ")


def test_the_cutting_tool_names_a_missing_source_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "site_fonts.py"),
                             str(tmp_path / "unpacked"), "--out", str(out)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr == (f"site_fonts: [Errno 2] No such file or directory: "
                             f"'{tmp_path}/unpacked/usr/share/fonts/truetype/noto/"
                             f"NotoSansArabicUI-Regular.ttf'; nothing written\n")
    assert not out.exists()
