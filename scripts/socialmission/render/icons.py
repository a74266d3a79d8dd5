"""The registry's own logo and icons, drawn from the mission's mark (badges/templates/
mark.svg.j2, the one drawing of it: the generic badge's, one dot a principle) by
icon.svg.j2: the header's logo, the favicon as SVG and as PNG, and the home-screen icon
(PNG), painted by the badges' own PNG writer. They stand for the registry, which signs
nothing: a signatory's check here would read as "signed" or "verified" on every page.

A PNG is kept in a cache keyed by the design's fingerprint and the SVG it paints, so a
build that changes nothing of them never loads cairo (render/raster.py says what that
costs).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from socialmission.model.atomic import write_whole
from socialmission.render.design import Design
from socialmission.render.layout import principle_ring
from socialmission.render.raster import SHARED_COMPRESSION, to_png

TEMPLATE: Final = "icon"
# Each icon's square, in px, and the mark's scale in it (1: its size on the card, a disc
# of 30 px radius), chosen so that every coordinate is a whole or half pixel.
LOGO_SIZE: Final = 64  # the header shows it 24 px high (sharp up to 2.67x)
LOGO_SCALE: Final = 1
FAVICON_SIZE: Final = 32  # the PNG favicon's pixels; the SVG one is the same drawing
FAVICON_SCALE: Final = 0.5
TOUCH_ICON_SIZE: Final = 180  # Apple's home-screen icon (apple-touch-icon)
TOUCH_ICON_SCALE: Final = 2.5  # a 15 px margin: the phone rounds the square's corners


@dataclass(frozen=True)
class Icons:
    logo: str  # SVG: the header's logo
    favicon: str  # SVG
    favicon_png: bytes  # FAVICON_SIZE px square
    touch_icon_png: bytes  # TOUCH_ICON_SIZE px square, opaque


def logo_svg(design: Design, fill: str, principles: int) -> str:
    """The header's logo: a disc in `fill` (the header's text colour) with the mission's
    `principles` dots cut out, so that it reads on the header whatever its colour."""
    return _icon(design, LOGO_SIZE, LOGO_SCALE, principles, knockout=True, fill=fill)


def favicon_svg(design: Design, principles: int) -> str:
    """The favicon: the mission's mark in the badge's light colours (a tab is light or
    dark: the mark's own disc carries its contrast)."""
    colours = design.palette["light"]
    return _icon(design, FAVICON_SIZE, FAVICON_SCALE, principles, fill=colours["emblem_bg"],
                 stroke=colours["emblem_mark"])


def touch_icon_svg(design: Design, principles: int) -> str:
    """The home-screen icon: the favicon's mark on the light card's background."""
    colours = design.palette["light"]
    return _icon(design, TOUCH_ICON_SIZE, TOUCH_ICON_SCALE, principles,
                 fill=colours["emblem_bg"], stroke=colours["emblem_mark"],
                 background=colours["card_bg"])


def registry_icons(design: Design, logo_fill: str, principles: int, cache: Path) -> Icons:
    """Every icon of the registry, for a mission of `principles` principles (its current
    version's); PNGs from `cache` when painted before."""
    favicon = favicon_svg(design, principles)
    return Icons(logo=logo_svg(design, logo_fill, principles), favicon=favicon,
                 favicon_png=cached_png(design, favicon, cache),
                 touch_icon_png=cached_png(design, touch_icon_svg(design, principles), cache))


def cached_png(design: Design, svg: str, cache: Path) -> bytes:
    """`svg` painted at 1 px per px: from `cache` when the same drawing was painted with
    the same design (whose fingerprint covers the PNG writer and its libraries)."""
    key = hashlib.sha256(f"{design.fingerprint}\0{svg}".encode()).hexdigest()
    cached = cache / f"{key}.png"
    if cached.is_file():
        return cached.read_bytes()
    data = to_png(svg, 1, SHARED_COMPRESSION)
    write_whole(cached, data)
    return data


def _icon(design: Design, size: int, scale: float, principles: int, *, fill: str,
          stroke: str = "", knockout: bool = False, background: str = "") -> str:
    svg = design.template(TEMPLATE).render(size=size, centre=size // 2, scale=scale,
                                           fill=fill, stroke=stroke, knockout=knockout,
                                           background=background,
                                           ring=principle_ring(principles))
    return "".join(line.strip() for line in svg.splitlines()) + "\n"
