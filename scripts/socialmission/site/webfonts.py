"""The site's web fonts: the registry's own Noto fonts, the Bold of badges/fonts (the
badges' fonts) and the Regular of site/fonts (the site's alone), cut down to exactly the
characters the site's text uses, as WOFF2, with the @font-face rules that serve each one
only to the characters it draws.

Without them a name in Devanagari, Japanese or another script shows as empty boxes on a
machine that has no font for it. With them, the site's text font (`--md-text-font`, and
the code font, for the names in the embed snippets) is "<mission_name> Scripts" first (its
family; mission_name is registry.yaml's): a family of two faces per script, Regular (400)
and Bold (700), each limited by `unicode-range` to its characters, so a browser fetches a
face only for a page that shows one of them in that weight (`font-display: swap`: the text
shows at once, in a fallback, and is redrawn when the face arrives). Text of another
weight takes the nearest face, by CSS's font matching: a heading of weight 300 the
Regular, one of 600 the Bold. Both weights of a script hold the same characters: the
browser picks the weight first and the characters within it, so a character missing from
one weight would fall to the machine's fonts in that weight, not to the other. Latin,
Greek and Cyrillic are left to the machine's fonts, which have them: NotoSans-Bold, the
first of the badges' fonts, is never served, and no character it has is given to another
face.

Subsetting a font takes a second for the CJK one, so each subset is cached under
.cache/webfonts/ by the font's hash, the characters' hash and the subsetter's version and
options; the same inputs give the same bytes (no time stamp is written), so a build is
byte-identical to the last.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Final

import uharfbuzz as hb

from socialmission.model import paths
from socialmission.model.atomic import write_whole
from socialmission.model.settings import load_settings
from socialmission.render.shaping import FONT_FILES

FAMILY_SUFFIX: Final = " Scripts"  # the family is the mission's name and this
BOLD: Final = 700  # badges/fonts' weight, the badges' own
REGULAR: Final = 400  # site/fonts' weight, for the site alone
BOLD_INFIX, REGULAR_INFIX = "-Bold", "-Regular"  # in the fonts' file names
# The badges' first font: Latin, Greek and Cyrillic, which every machine has fonts for.
SYSTEM_SCRIPTS_FONT: Final = FONT_FILES[0]
# A face holds at most this many characters: a larger set (ideographs) is cut into faces
# of consecutive code points, so a page fetches only the pieces its text needs. (Never a
# script that needs shaping across characters: those have a few hundred at most.)
CHUNK: Final = 400
# The subsetter's options: in the cache key, so changing one cuts every font again.
OPTIONS: Final = {
    "flavor": "woff2",
    "layout_features": ["*"],  # every shaping feature the font has (conjuncts, joining)
    "name_IDs": ["*"],  # the copyright and licence notices (OFL.txt) travel with the font
    "hinting": False,
    "desubroutinize": True,  # compresses better in WOFF2
    "notdef_outline": True,
}


_ASCII_RUNS: Final = re.compile("[\x00-\x7f]+")


def served_fonts() -> list[str]:
    """The badge fonts whose scripts the site serves: all but SYSTEM_SCRIPTS_FONT."""
    return [name for name in FONT_FILES if name != SYSTEM_SCRIPTS_FONT]


def regular_font(bold_name: str) -> str:
    """The file in site/fonts with the Regular weight of the badge font `bold_name`:
    NotoSansHebrew-Bold.ttf -> NotoSansHebrew-Regular.woff2."""
    return Path(bold_name).stem.replace(BOLD_INFIX, REGULAR_INFIX) + ".woff2"


class WebFontError(Exception):
    """A font of badges/fonts cannot be read or cut: the message names it and the fix."""


@dataclass
class WebFonts:
    css: str = ""  # the @font-face rules, their URLs relative to paths.THEME_CSS_PATH
    files: dict[str, bytes] = field(default_factory=dict)  # site path -> WOFF2 bytes
    faces: dict[str, frozenset[int]] = field(default_factory=dict)  # site path -> its points
    weights: dict[str, int] = field(default_factory=dict)  # site path -> its weight

    def faces_for(self, text: str, weight: int) -> list[str]:
        """The site paths of the faces of `weight` that draw some character of `text`, in
        the order of the rules (what a page showing `text` prominently may preload)."""
        points = {ord(ch) for ch in text}
        return [path for path, drawn in self.faces.items()
                if drawn & points and self.weights[path] == weight]


@cache
def _cmap(path: Path, size: int, mtime: int) -> frozenset[int]:
    """The code points a font has (keyed on its size and time too, so an edit is seen)."""
    return frozenset(hb.Face(hb.Blob.from_file_path(str(path))).unicodes)


@cache
def _digest(path: Path, size: int, mtime: int, inode: int) -> str:
    """The font's SHA-256, once a build rather than once a face cut from it (keyed on its
    size, time and inode too, so an edit is seen)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def coverage(fonts: Path) -> list[tuple[str, frozenset[int]]]:
    """Each of the badges' fonts, in their order, with the code points it has."""
    found = []
    for name in FONT_FILES:
        path = fonts / name
        try:
            stat = path.stat()
        except OSError as error:
            raise WebFontError(f"{path}: the font cannot be read ({error.strerror}): put "
                               f"back the font badges/fonts/README.md lists") from None
        found.append((name, _cmap(path, stat.st_size, stat.st_mtime_ns)))
    return found


def assign(texts: Iterable[str], fonts: Path) -> dict[str, list[int]]:
    """The characters of `texts` that each served font draws: a character goes to the
    first of the badges' fonts that has it (as on the badges), and is not served when that
    is SYSTEM_SCRIPTS_FONT or when no font has it."""
    # The text is mostly ASCII: dropping it with one regular expression, in C, leaves a
    # short string to make a set of (a comprehension over every character of every page
    # was a tenth of a warm build).
    wanted = {ord(ch) for ch in set(_ASCII_RUNS.sub("", "".join(texts)))}
    served: dict[str, list[int]] = {}
    for name, points in coverage(fonts):
        mine = wanted & points
        wanted -= mine
        if mine and name != SYSTEM_SCRIPTS_FONT:
            served[name] = sorted(mine)
    return served


def unicode_range(points: list[int]) -> str:
    """CSS unicode-range of sorted code points, runs written as ranges: U+900-903, U+905."""
    parts = []
    start = previous = points[0]
    for point in [*points[1:], -1]:
        if point != previous + 1:
            parts.append(f"U+{start:X}" if start == previous else f"U+{start:X}-{previous:X}")
            start = point
        previous = point
    return ", ".join(parts)


def readme(font: Path) -> str:
    """The README that lists `font`, by its registry path: badges/fonts/README.md."""
    return f"{font.parent.parent.name}/{font.parent.name}/README.md"


def subset(font: Path, text: str, cache_dir: Path) -> bytes:
    """`font` cut down to the glyphs `text` needs, as WOFF2: from the cache when the same
    font and characters were cut before with the same subsetter and options."""
    from fontTools import subset as subsetter  # noqa: PLC0415 - only when a face is new
    from fontTools import version as fonttools_version  # noqa: PLC0415

    try:
        info = font.stat()
        font_digest = _digest(font, info.st_size, info.st_mtime_ns, info.st_ino)
    except OSError as error:
        raise WebFontError(f"{font}: the font cannot be read ({error.strerror}): put back "
                           f"the font {readme(font)} lists") from None
    key = hashlib.sha256()
    for part in (font_digest, text, fonttools_version, repr(OPTIONS)):
        key.update(part.encode("utf-8") + b"\0")
    cached = cache_dir / f"{font.stem}-{key.hexdigest()[:32]}.woff2"
    if cached.is_file():
        return cached.read_bytes()
    try:
        data = font.read_bytes()
    except OSError as error:
        raise WebFontError(f"{font}: the font cannot be read ({error.strerror}): put back "
                           f"the font {readme(font)} lists") from None
    from fontTools.ttLib import TTFont  # noqa: PLC0415

    options = subsetter.Options(**OPTIONS)
    out = io.BytesIO()
    try:
        # recalcTimestamp=False: the head table keeps the font's own date, not today's
        face = TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
        cutter = subsetter.Subsetter(options)
        cutter.populate(text=text)
        cutter.subset(face)
        face.flavor = "woff2"
        face.save(out)
    except Exception as error:  # fontTools raises many kinds on a damaged font
        raise WebFontError(f"{font}: the site's web font cannot be cut from this font "
                           f"({type(error).__name__}: {error}): put back the font "
                           f"{readme(font)} lists, with its checksum") from None
    woff2 = out.getvalue()
    write_whole(cached, woff2)
    return woff2


def family_name(root: Path) -> str:
    """The web fonts' family: the mission's name (registry.yaml) and FAMILY_SUFFIX."""
    return load_settings(root).mission_name + FAMILY_SUFFIX


def css_string(text: str) -> str:
    """`text` as a double-quoted CSS string: a quote or backslash escaped."""
    return '"' + re.sub(r'(["\\])', r"\\\1", text) + '"'


def web_fonts(root: Path, texts: Iterable[str]) -> WebFonts:
    """The faces and files the site needs to draw `texts` (every name and text the site
    shows) in the scripts the machine may not have, in both weights."""
    bold_fonts = paths.fonts_dir(root)
    regular_fonts = paths.site_fonts_dir(root)
    family = css_string(family_name(root))
    cache_dir = root / paths.WEBFONTS_CACHE
    result = WebFonts()
    rules = []
    for name, points in assign(texts, bold_fonts).items():
        for start in range(0, len(points), CHUNK):
            chunk = points[start:start + CHUNK]
            text = "".join(map(chr, chunk))
            for weight, font in ((REGULAR, regular_fonts / regular_font(name)),
                                 (BOLD, bold_fonts / name)):
                woff2 = subset(font, text, cache_dir)
                file_name = f"{font.stem}-{hashlib.sha256(woff2).hexdigest()[:12]}.woff2"
                site_path = f"{paths.WEBFONTS_PATH}/{file_name}"
                result.files[site_path] = woff2
                result.faces[site_path] = frozenset(chunk)
                result.weights[site_path] = weight
                # the file's URL from the stylesheet (assets/theme.css -> assets/fonts/...)
                url = f"{Path(paths.WEBFONTS_PATH).name}/{file_name}"
                rules.append(
                    f'@font-face {{\n  font-family: {family};\n  src: url("{url}") '
                    f'format("woff2");\n  font-weight: {weight};\n  font-style: normal;\n'
                    f"  font-display: swap;\n  unicode-range: {unicode_range(chunk)};\n}}\n")
    header = ("/* The names' scripts, served from badges/fonts (bold) and site/fonts (regular)\n"
              "   (site/webfonts.py): the text and code fonts try these faces first, each for\n"
              "   its own characters. */\n")
    families = (f':root {{\n  --md-text-font: {family};\n  --md-code-font: {family};\n}}\n'
                if rules else "")
    result.css = header + families + "".join(rules) if rules else ""
    return result
