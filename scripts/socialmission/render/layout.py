"""Where a signatory's name goes on the badge card, and whether it fits at all.

Kept apart from the SVG and PNG modules (raster.py loads cairo) so that a caller
that asks only "can this name be drawn?" (the validator, handed check_name_fits) starts
without loading the renderer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from socialmission.errors import UsageError
from socialmission.model import paths
from socialmission.model.urls import shown_registrable
from socialmission.render import shaping

CARD_WIDTH = 360  # px
CARD_HEIGHT = 100  # px
CARD_TEXT_X = 92  # px: left edge of the card's text column
CARD_TEXT_RIGHT = 14  # px: right margin
NAME_SIZES = (19, 17, 15, 13)  # px; one line, the largest that fits
NAME_SIZES_TWO_LINES = (13, 12, 11)  # px; else two lines, the largest that fits


# The mission's own mark (the generic badge's, and the registry's logo and icons): one dot a
# principle, round the card's 30 px disc, the first at the top, where a signatory's badge
# draws a check. Sizes in px on the card (the mark's scale 1).
RING_RADIUS = 17  # px from the disc's centre to each dot's
RING_DOT = 3.5  # px: a dot's largest radius
RING_DOT_SHARE = 0.3  # of the distance between two dots' centres, at most


@dataclass(frozen=True)
class Ring:
    """Where the mission's mark puts its dots: offsets from the disc's centre, and the
    dots' radius, at scale 1."""

    points: tuple[tuple[float, float], ...]
    dot: float


def principle_ring(count: int) -> Ring:
    """`count` dots evenly round a circle of RING_RADIUS, clockwise from the top, each as
    large as RING_DOT allows while a gap of at least 40 % of their spacing stays between
    two (a mission of many principles draws a ring of small dots)."""
    count = max(count, 1)
    spacing = 2 * math.pi * RING_RADIUS / count
    points = tuple((round(RING_RADIUS * math.sin(2 * math.pi * index / count), 2),
                    round(-RING_RADIUS * math.cos(2 * math.pi * index / count), 2))
                   for index in range(count))
    return Ring(points, round(min(RING_DOT, RING_DOT_SHARE * spacing), 2))


class BadgeError(ValueError):
    """A name that cannot be drawn on the card (checked by the validator's phase 3)."""


def fit_name(name: str, width: float, fonts: Path) -> tuple[int, list[str]]:
    """The font size and lines for a name in `width` px: one line if it fits, else two."""
    for size in NAME_SIZES:
        if shaping.measure(name, size, fonts) <= width:
            return size, [name]
    for size in NAME_SIZES_TWO_LINES:
        lines = _two_lines(name, size, width, fonts)
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


def _two_lines(name: str, size: int, width: float, fonts: Path) -> list[str] | None:
    best: list[str] | None = None
    best_longest = float("inf")
    for point in _break_points(name):
        first, second = name[:point].strip(), name[point:].strip()
        if not first or not second:
            continue
        longest = max(shaping.measure(first, size, fonts), shaping.measure(second, size, fonts))
        if longest <= width and longest < best_longest:
            best, best_longest = [first, second], longest
    return best


# --- the website's domain, under the name ------------------------------------------------
DOMAIN_SIZES = (12, 11, 10)  # px; one line, the largest that fits, else cut (fit_domain)
ELLIPSIS = "\u2026"


def fit_domain(domain: str, width: float, fonts: Path) -> tuple[int, str]:
    """The size and text of a website's domain (`domain`: its registrable domain, ASCII)
    on one line of `width` px, always left to right. The first that fits, at the largest
    of DOMAIN_SIZES:

    1. the form the signatory's page shows (model.urls.shown_registrable): the Unicode
       form, and the ASCII form after it when the two differ, so that a look-alike
       ('gооgle.com', Cyrillic o's) shows what it is, as a badge is seen away from the page;
    2. the ASCII form alone (what the address is; also when a font lacks a character);
    3. at the smallest size, the ASCII form with the middle of its first label replaced
       by an ellipsis, keeping the label's ends and the whole public suffix
       ('averyverylo…gname.co.uk'): a label holds up to 63 characters, more than a line.

    A domain never overflows the card and never makes a name fail the validator."""
    shown = shown_registrable(domain)
    forms = [shown] if not shaping.missing_characters(shown, fonts) else []
    if domain not in forms:
        forms.append(domain)
    for text in forms:
        size = fit_line(text, DOMAIN_SIZES, width, fonts, ltr=True)
        if size is not None:
            return size, text
    label, dot, rest = domain.partition(".")
    size = DOMAIN_SIZES[-1]
    for keep in range(len(label) - 1, 1, -1):
        text = f"{label[:(keep + 1) // 2]}{ELLIPSIS}{label[len(label) - keep // 2:]}{dot}{rest}"
        if shaping.measure(text, size, fonts, ltr=True) <= width:
            return size, text
    for keep in range(len(domain) - 1, 0, -1):  # a public suffix longer than the line
        text = f"{domain[:(keep + 1) // 2]}{ELLIPSIS}{domain[len(domain) - keep // 2:]}"
        if shaping.measure(text, size, fonts, ltr=True) <= width:
            return size, text
    return size, ELLIPSIS


# Shaping changes a name's width by a few percent at most; a name whose unshaped width
# at the smallest one-line size is under this share of the line fits without shaping.
_SURELY_FITS = 0.8


def check_name_fits(name: str, fonts: Path) -> str | None:
    """Why a name cannot be drawn on the card with the fonts in `fonts`, or None when it
    can. The validator is handed this (see check/rendering.py), as pybadges takes a text
    measurer, so that checking never imports rendering."""
    missing = shaping.missing_characters(name, fonts)
    if missing:
        shown = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:5])
        return f"has characters no badge font can draw: {shown}: replace them"
    width = CARD_WIDTH - CARD_TEXT_X - CARD_TEXT_RIGHT
    if shaping.estimate(name, NAME_SIZES[-1], fonts) <= width * _SURELY_FITS:
        return None
    try:
        fit_name(name, width, fonts)
    except BadgeError as error:
        return str(error)
    return None


def name_check(root: Path) -> Callable[[str], str | None]:
    """check_name_fits with a registry's own fonts: what the validator is handed."""
    fonts = paths.fonts_dir(root)
    missing = [name for name in shaping.FONT_FILES if not (fonts / name).is_file()]
    if missing:
        raise UsageError(f"{fonts}: the badge fonts are missing ({', '.join(missing[:3])}"
                         f"{', ...' if len(missing) > 3 else ''}): a registry keeps the fonts "
                         f"its badges are drawn with in {paths.FONTS_DIR}/")
    return partial(check_name_fits, fonts=fonts)


# --- the social card ---------------------------------------------------------------------
# 1200x630 px, OpenGraph's recommended size. The name is the card's own fit (fit_name in
# the card's text column) drawn three times as large, so every name the validator lets
# onto the card fits the social card too, on the same lines.
SOCIAL_WIDTH = 1200  # px
SOCIAL_HEIGHT = 630  # px
SOCIAL_MARGIN = 80  # px: left and right of the text
SOCIAL_SCALE = 3  # the name's size and column on the social card, in card sizes
SOCIAL_NAME_WIDTH = (CARD_WIDTH - CARD_TEXT_X - CARD_TEXT_RIGHT) * SOCIAL_SCALE  # 762 px
MASTHEAD_SIZES = (32, 28, 24)  # px: the registry's name, above everything
STANDING_SIZES = (30, 27, 24)  # px: kind and year, under the name, in the name's column
FOOTER_SIZES = (24, 22, 20)  # px: the mission's title, and the registry's address
FOOTER_GAP = 48  # px at least between the title and the address
FOOTER_WIDTH = SOCIAL_WIDTH - 2 * SOCIAL_MARGIN  # px


def fit_line(text: str, sizes: tuple[int, ...], width: float, fonts: Path,
             ltr: bool = False) -> int | None:
    """The largest of `sizes` at which `text` fits in `width` px on one line, or None."""
    return next((size for size in sizes
                 if shaping.measure(text, size, fonts, ltr) <= width), None)


def fit_footer(title: str, address: str, fonts: Path) -> int | None:
    """The largest footer size at which the title and the address fit side by side."""
    return next((size for size in FOOTER_SIZES
                 if shaping.measure(title, size, fonts) + FOOTER_GAP
                 + shaping.measure(address, size, fonts) <= FOOTER_WIDTH), None)


def footer_title(title: str, version: int) -> str:
    """The social card's footer: the mission's title and the version the badge names."""
    return f"{title} · v{version}"



def undrawable(text: str, where: str, fonts: Path) -> str | None:
    """The problem with `text` (set at `where`) when no badge font draws some of its
    characters: the first five named, to be replaced; None when every one is drawn."""
    missing = shaping.missing_characters(text, fonts)
    if not missing:
        return None
    shown = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:5])
    return f"{where} has characters no badge font can draw: {shown}: replace them " \
           f"(got {text!r})"

def check_masthead(name: str, address: str, titles: tuple[tuple[int, str], ...],
                   fonts: Path) -> list[str]:
    """Why the registry's own texts (its name, address and mission titles) cannot be drawn
    on the social card, as messages that name the setting to change; [] when they can."""
    problems: list[str] = []
    for text, where in ((name, f"{paths.MKDOCS_FILE}: 'site_name'"),
                        (address, f"{paths.MKDOCS_FILE}: 'site_url'"),
                        *((title, f"{paths.MISSION_FILE}: version {version}'s title")
                          for version, title in titles)):
        if problem := undrawable(text, where, fonts):
            problems.append(problem)
    if problems:
        return problems
    if fit_line(name, MASTHEAD_SIZES, FOOTER_WIDTH, fonts) is None:
        problems.append(f"{paths.MKDOCS_FILE}: 'site_name' is too long for the social "
                        f"card even at {MASTHEAD_SIZES[-1]} px: shorten it (got {name!r})")
    for version, title in titles:
        if fit_footer(footer_title(title, version), address, fonts) is None:
            problems.append(
                f"{paths.MISSION_FILE}: version {version}'s title and the registry's "
                f"address ({paths.MKDOCS_FILE}: 'site_url') are too long to share the "
                f"social card's last line even at {FOOTER_SIZES[-1]} px: shorten the title "
                f"(got {title!r} and {address!r})")
    return problems
