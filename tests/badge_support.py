"""Reading the lines of text a badge SVG draws, whichever way each glyph is written: a
<use> of a shared glyph in <defs>, or a glyph drawn once, written in place as a <path>
(render/shaping.py, line_markup). Each glyph reads as where its outline starts, in the
line's units, and the rest of its path data: the same outline at the same place reads
the same either way."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from socialmission.render.shaping import glyph_line

SVG = "{http://www.w3.org/2000/svg}"
_MOVE = re.compile(r"M(-?\d+) ?(-?\d+)(.*)")

Glyph = tuple[int, int, str]  # where the outline's first move goes, and the rest of it


def _glyph(d: str, x: int, y: int) -> Glyph:
    move = _MOVE.fullmatch(d)
    assert move is not None, d[:20]
    return int(move[1]) + x, int(move[2]) + y, move[3]


def _read(children: list[ET.Element], defs: dict[str, str]) -> list[Glyph]:
    glyphs = []
    for child in children:
        if child.tag == f"{SVG}use":
            glyphs.append(_glyph(defs[child.get("href", "")[1:]], int(child.get("x", "0")),
                                 int(child.get("y", "0"))))
        else:
            assert child.tag == f"{SVG}path", child.tag
            glyphs.append(_glyph(child.get("d", ""), 0, 0))
    return glyphs


def drawn_lines(svg_text: str, fill: str | None = None) -> list[tuple[str, list[Glyph]]]:
    """(transform, glyphs) of each line of text the SVG draws (in `fill`, if given)."""
    root = ET.fromstring(svg_text)
    defs = {path.get("id", ""): path.get("d", "") for path in root.iter(f"{SVG}path")
            if path.get("id")}
    return [(group.get("transform", ""), _read(list(group), defs))
            for group in root.iter(f"{SVG}g")
            if (fill is None or group.get("fill") == fill) and group.get("transform")]


def line_glyphs(text: str, size: float, fonts: Path, *, ltr: bool = False) -> list[Glyph]:
    """The glyphs glyph_line draws for `text` at `size` px, read as drawn_lines reads them."""
    line = glyph_line(text, size, 0, 0, fonts, ltr=ltr)
    defs = dict(line.glyphs)
    return [_glyph(defs[ref], x, y) for ref, x, y in line.placed]
