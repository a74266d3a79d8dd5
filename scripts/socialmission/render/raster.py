"""PNG from the badges' SVG, through cairosvg."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, lru_cache, partial
from types import ModuleType
from typing import Any


@cache
def cairosvg_module() -> ModuleType:
    """cairosvg, imported when a PNG is first drawn: it costs 0.3 s of start-up, which a
    build that renders nothing (the usual one, from the cache) need not pay."""
    import cairosvg.surface  # noqa: PLC0415

    module: ModuleType = cairosvg
    return module


def to_png(svg: str, scale: int) -> bytes:
    with _glyph_paths():
        png: bytes = cairosvg_module().svg2png(bytestring=svg.encode("utf-8"), scale=scale,
                                      unsafe=False)
    return png


# --- drawing glyph outlines through cairosvg, faster ----------------------------------------
# cairosvg reads a path's "d" in pure Python, with a regular expression per point, and
# that was most of a card's PNG time (a name is some 1,500 points). The badges' glyph
# outlines come in one narrow form (shaping.shaped_path): each glyph an absolute "M x y"
# and then only relative m, l, q, c and z with plain decimal numbers, and a glyph's
# relative part is the same text wherever the glyph stands. So while our badges are drawn,
# cairosvg's handler for <path> is swapped for one that reads only that form, keeps the
# cairo calls of each glyph's relative part once per process, and makes exactly the calls
# cairosvg's own reader (of the pinned version) makes, with the same numbers, so the PNG
# is the same to the byte; tests/test_badges.py compares the two on the golden cards and
# on the reader's edge cases, so a cairosvg upgrade that reads paths differently fails
# there. Any other path (a frame, an arc) and any path with markers goes to cairosvg.
_NUMBER = r"-?\d+(?:\.\d+)?"
# A glyph: its absolute move (the y after a space or its own minus sign), then the rest.
_GLYPH = re.compile(rf"M({_NUMBER})(?: |(?=-))({_NUMBER})([^M]*)")
_TOKEN = re.compile(rf" ?([mlqcz]|{_NUMBER})")
_ARGUMENTS = {"m": 2, "l": 2, "q": 4, "c": 6}
_MARKERS = ("marker", "marker-start", "marker-mid", "marker-end")

_Calls = tuple[tuple[str, tuple[float, ...]], ...]  # cairo Context method names and args


@contextmanager
def _glyph_paths() -> Iterator[None]:
    """Draw <path> elements with _draw_path while inside (cairosvg is not threaded here)."""
    tags = cairosvg_module().surface.TAGS
    original = tags["path"]
    tags["path"] = partial(_draw_path, original)
    try:
        yield
    finally:
        tags["path"] = original


def _draw_path(cairosvg_path: Callable[[Any, Any], None], surface: Any, node: Any) -> None:
    glyphs = _glyph_calls(node.get("d", ""))
    if glyphs is None or any(key in node for key in _MARKERS):
        cairosvg_path(surface, node)
        return
    context = surface.context
    if not context.has_current_point():  # as cairosvg's reader does
        context.move_to(0, 0)
    for x, y, calls in glyphs:
        context.move_to(x, y)
        for method, arguments in calls:
            getattr(context, method)(*arguments)
    # Without node.vertices cairosvg draws no markers, and there are none (see above).


def _glyph_calls(d: str) -> list[tuple[float, float, _Calls]] | None:
    """The glyphs of an outline path: each start point and relative calls; None if the
    path is not in the glyph outlines' form."""
    glyphs = []
    end = 0
    for match in _GLYPH.finditer(d):
        calls = _relative_calls(match[3])
        if match.start() != end or calls is None:
            return None
        glyphs.append((float(match[1]), float(match[2]), calls))
        end = match.end()
    return glyphs if end == len(d) and glyphs else None


@lru_cache(maxsize=16384)
def _relative_calls(text: str) -> _Calls | None:
    """The cairo calls cairosvg makes for a glyph's relative part, right after its M."""
    tokens = []
    end = 0
    for match in _TOKEN.finditer(text):
        if match.start() != end:
            return None
        tokens.append(match[1])
        end = match.end()
    if end != len(text):
        return None
    calls: list[tuple[str, tuple[float, ...]]] = []
    previous = "M"
    index = 0
    while index < len(tokens):
        letter = tokens[index]
        index += 1
        if letter == "z":
            # cairosvg closes a subpath only when something was drawn since the last
            # move or close.
            if previous in "lqc":
                calls.append(("close_path", ()))
            previous = letter
            continue
        if letter not in _ARGUMENTS:  # a number where cairosvg would repeat a command
            return None
        while True:  # the command, then its implicit repeats (after m: l)
            count = _ARGUMENTS[letter]
            numbers = tokens[index:index + count]
            if len(numbers) < count or any(n in _ARGUMENTS or n == "z" for n in numbers):
                return None
            index += count
            values = tuple(float(n) for n in numbers)
            if letter == "m":
                calls.append(("rel_move_to", values))
            elif letter == "l":
                calls.append(("rel_line_to", values))
            elif letter == "q":  # cairo has no quadratic curve: cairosvg's own conversion
                helpers = cairosvg_module().helpers
                calls.append(("rel_curve_to", tuple(helpers.quadratic_points(0, 0, *values))))
            else:
                calls.append(("rel_curve_to", values))
            previous = letter
            if index == len(tokens) or tokens[index] in _ARGUMENTS or tokens[index] == "z":
                break
            letter = "l" if letter == "m" else letter
    return tuple(calls)
