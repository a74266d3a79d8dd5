"""Cut the site's Regular fonts (site/fonts/) from Debian's Noto packages.

    python scripts/site_fonts.py SOURCE [--out site/fonts]

SOURCE is a folder where the packages the badge fonts came from were unpacked
(badges/fonts/README.md: `apt-get download fonts-noto-core fonts-noto-ui-core
fonts-noto-cjk`, then `dpkg-deb -x` each into SOURCE). For every badge font the site
serves (site/webfonts.py: every one but the Latin, Greek and Cyrillic font), its Regular
counterpart is written as WOFF2 under the name site/webfonts.py reads it by, keeping every
glyph, code point and layout feature the font has and dropping the hinting, which the
site's subsets drop anyway. Noto Sans CJK JP Regular is cut with the same options as the badges'
Bold subset (badges/fonts/README.md, "The CJK subset"): every code point of the face,
without the regional (`locl`) and vertical forms. Each file keeps its font's own dates, so
a second run writes the same bytes. Prints each file's SHA-256 and size, the lines of
site/fonts/README.md's table of checksums. Run by a registry maintainer; nothing else
runs it. Exit 0 written, 1 a source font missing or unreadable (nothing written).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont, TTLibError

from socialmission.site.webfonts import regular_font, served_fonts

OUT: Final = Path(__file__).resolve().parent.parent / "site" / "fonts"
TRUETYPE: Final = "usr/share/fonts/truetype/noto"  # in SOURCE, as dpkg-deb -x unpacks it
CJK_COLLECTION: Final = "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
CJK_FACE: Final = 0  # the collection's first face: Noto Sans CJK JP
# What the badges' CJK subset leaves out (badges/fonts/README.md): vertical writing, the
# regional forms, and the tables only those use.
CJK_FEATURES_DROPPED: Final = ("vert", "vrt2", "vkna", "vhal", "vpal", "vkrn", "valt",
                               "vjmo", "locl")
CJK_TABLES_DROPPED: Final = ("VORG", "vhea", "vmtx", "BASE")


def options(cjk: bool) -> subset.Options:
    """The subsetter's options: every code point; the CJK face's as the badges' subset."""
    chosen = subset.Options(hinting=False, name_IDs=["*"], name_languages=["*"],
                            notdef_outline=True, glyph_names=False, flavor="woff2")
    if cjk:
        chosen.layout_features = [feature for feature in chosen.layout_features
                                  if feature not in CJK_FEATURES_DROPPED]
        chosen.drop_tables = [*chosen.drop_tables, *CJK_TABLES_DROPPED]
    else:
        chosen.layout_features = ["*"]
    return chosen


def source_face(source: Path, bold_name: str) -> TTFont:
    """The Regular face that `bold_name` (a badge font) has in the unpacked packages."""
    if "CJK" in bold_name:
        collection = TTCollection(source / CJK_COLLECTION, recalcTimestamp=False)
        face: TTFont = collection[CJK_FACE]
        return face
    stem = Path(regular_font(bold_name)).stem
    return TTFont(source / TRUETYPE / f"{stem}.ttf", recalcTimestamp=False)


def cut(face: TTFont, cjk: bool) -> bytes:
    """`face` with every code point it has, as WOFF2 (its own dates kept): with every
    glyph too, but for the CJK face, whose regional forms go."""
    cutter = subset.Subsetter(options(cjk))
    cutter.populate(unicodes=face["cmap"].getBestCmap().keys(),
                    glyphs=[] if cjk else face.getGlyphOrder())
    cutter.subset(face)
    face.flavor = "woff2"
    out = io.BytesIO()
    face.save(out)
    return out.getvalue()


def site_fonts(source: Path) -> dict[str, bytes]:
    """Every Regular font the site serves, by file name, cut from `source`."""
    return {regular_font(name): cut(source_face(source, name), "CJK" in name)
            for name in served_fonts()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, help="the folder the packages are unpacked in")
    parser.add_argument("--out", type=Path, default=OUT, help="the folder to write")
    args = parser.parse_args(argv)
    try:
        fonts = site_fonts(args.source)
    except (OSError, TTLibError) as error:  # missing, or not a font
        print(f"site_fonts: {error}; nothing written", file=sys.stderr)
        return 1
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for name, data in fonts.items():
        temporary = out / f".{name}.new"
        temporary.write_bytes(data)
        temporary.replace(out / name)
        print(f"{hashlib.sha256(data).hexdigest()}  {name}  {len(data)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
