"""Where a signatory's name goes on the badge card, and whether it fits at all.

Kept apart from badges.py (which imports cairosvg) so that the validator, which asks
only "can this name be drawn?", starts without loading the renderer.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import shaping

CARD_WIDTH = 360  # px
CARD_HEIGHT = 100  # px
CARD_TEXT_X = 92  # px: left edge of the card's text column
CARD_TEXT_RIGHT = 14  # px: right margin
NAME_SIZES = (19, 17, 15, 13)  # px; one line, the largest that fits
NAME_SIZES_TWO_LINES = (13, 12, 11)  # px; else two lines, the largest that fits


class BadgeError(ValueError):
    """A name that cannot be drawn on the card (checked by the validator's phase 3)."""


def fit_name(name: str, width: float) -> tuple[int, list[str]]:
    """The font size and lines for a name in `width` px: one line if it fits, else two."""
    for size in NAME_SIZES:
        if shaping.measure(name, size) <= width:
            return size, [name]
    for size in NAME_SIZES_TWO_LINES:
        lines = _two_lines(name, size, width)
        if lines is not None:
            return size, lines
    raise BadgeError(f"is too long to fit on the badge even on two lines at "
                     f"{NAME_SIZES_TWO_LINES[-1]} px: shorten it")


def _break_points(name: str) -> Iterator[int]:
    spaces = [i for i, ch in enumerate(name) if ch == " "]
    if spaces:
        yield from spaces
    else:  # scripts written without spaces (CJK) break between any two characters
        yield from range(1, len(name))


def _two_lines(name: str, size: int, width: float) -> list[str] | None:
    best: list[str] | None = None
    best_longest = float("inf")
    for point in _break_points(name):
        first, second = name[:point].strip(), name[point:].strip()
        if not first or not second:
            continue
        longest = max(shaping.measure(first, size), shaping.measure(second, size))
        if longest <= width and longest < best_longest:
            best, best_longest = [first, second], longest
    return best


# Shaping changes a name's width by a few percent at most; a name whose unshaped width
# at the smallest one-line size is under this share of the line fits without shaping.
_SURELY_FITS = 0.8


def check_name_fits(name: str) -> str | None:
    """Why a name cannot be drawn on the card, or None when it can."""
    missing = shaping.missing_characters(name)
    if missing:
        shown = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:5])
        return f"has characters no badge font can draw: {shown}: replace them"
    width = CARD_WIDTH - CARD_TEXT_X - CARD_TEXT_RIGHT
    if shaping.estimate(name, NAME_SIZES[-1]) <= width * _SURELY_FITS:
        return None
    try:
        fit_name(name, width)
    except BadgeError as error:
        return str(error)
    return None
