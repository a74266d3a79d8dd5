"""The badges as SVG: the compact badge, the card, and the card's social-preview layout.

Every value reaches the SVG through the design's autoescaping templates; names are drawn
as shaped glyph outlines (shaping.py) on the card, and kept as text on the compact badge.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

from socialmission.render import shaping
from socialmission.render.design import Design
from socialmission.render.face import LABEL, Face, describe
from socialmission.render.layout import (
    CARD_HEIGHT,
    CARD_TEXT_RIGHT,
    CARD_TEXT_X,
    CARD_WIDTH,
    NAME_SIZES,
    fit_name,
)
from socialmission.render.shaping import number

# --- geometry (px at 1x) -------------------------------------------------------------------
COMPACT_HEIGHT = 20
COMPACT_FONT = 11  # px; shields.io uses 11 px Verdana
COMPACT_PADDING = 6  # px each side of a text
COMPACT_BASELINE = 14  # px from the top
HEADING = "SOCIAL MISSION"
HEADING_SIZE = 11  # px
DETAIL_SIZE = 11  # px
HEADING_GAP = 8  # px between the heading and the name's first line box
DETAIL_GAP = 6  # px between the name and the detail line
GENERIC_NAME = "The Social Mission"  # what the unnamed badge shows in the name's place

# The social preview card (1200x630, OpenGraph's recommended size) shows the card's own
# text column, drawn once for the card, at three times its size.
SOCIAL_WIDTH = 1200  # px
SOCIAL_HEIGHT = 630  # px
SOCIAL_TEXT_X = 340  # px: where the card's text column starts on the preview
SOCIAL_SCALE = 3


def compact_halves(fonts: Path, value: str) -> tuple[int, int]:
    """The compact badge's two halves in px: the label's and the value's."""
    label = round(shaping.measure(LABEL, COMPACT_FONT, fonts) + 2 * COMPACT_PADDING)
    right = round(shaping.measure(value, COMPACT_FONT, fonts) + 2 * COMPACT_PADDING)
    return label, right


# --- the compact badge ------------------------------------------------------------------
def compact_svg(design: Design, face: Face, variant: str, outlines: bool) -> str:
    description = describe(face)
    if _LINE_BREAK.search(description) or description != description.strip():
        # _tidy strips lines; such a description could lose characters (the validator
        # refuses line breaks in names), so it goes through the template in full.
        return _render_compact(design, face.value, face.withdrawn, variant, outlines,
                               description=description)
    return str(escape(description)).join(
        _compact_parts(design, face.value, face.withdrawn, variant, outlines))


def compact_drawing(design: Design, face: Face, variant: str) -> str:
    """The compact badge as drawn for its PNG: in outlines, without its description.

    <title> and aria-label are never painted, so every signatory's PNG of one kind
    (value, variant) is the same picture, rendered once per process.
    """
    return "".join(_compact_parts(design, face.value, face.withdrawn, variant, True))


# Compact badges of one kind differ only in their description (<title>, aria-label): the
# template is rendered once per kind with this placeholder where the description goes,
# and each badge is those pieces joined by its escaped description, as Jinja would
# escape it (markupsafe, Jinja's own escaping). The placeholder is a private-use
# character, which nothing else in the template prints.
_PLACEHOLDER = "\ue000"
# What str.splitlines (so _tidy) breaks a line at.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


@lru_cache(maxsize=64)
def _compact_parts(design: Design, value: str, withdrawn: bool, variant: str,
                   outlines: bool) -> tuple[str, ...]:
    return tuple(_render_compact(design, value, withdrawn, variant, outlines,
                                 description=_PLACEHOLDER).split(_PLACEHOLDER))


def _render_compact(design: Design, value: str, withdrawn: bool, variant: str,
                    outlines: bool, *, description: str) -> str:
    colours = design.palette[variant]
    fonts = design.fonts
    label_text_width = shaping.measure(LABEL, COMPACT_FONT, fonts)
    value_text_width = shaping.measure(value, COMPACT_FONT, fonts)
    label_width, value_width = compact_halves(fonts, value)
    value_bg = colours["withdrawn_bg" if withdrawn else "value_bg"]
    value_text = colours["withdrawn_text" if withdrawn else "value_text"]
    context = {
        "width": label_width + value_width, "label_width": label_width,
        "value_width": value_width, "colours": colours, "value_bg": value_bg,
        "value_text": value_text, "label": LABEL, "value": value,
        "font_size": COMPACT_FONT, "outlines": outlines, "description": description,
        "label_x": number(label_width / 2), "value_x": number(label_width + value_width / 2),
        "label_text_width": number(label_text_width),
        "value_text_width": number(value_text_width),
    }
    if outlines:
        context["label_path"] = shaping.outline_path(
            LABEL, COMPACT_FONT, (label_width - label_text_width) / 2, COMPACT_BASELINE,
            fonts)
        context["value_path"] = shaping.outline_path(
            value, COMPACT_FONT, label_width + (value_width - value_text_width) / 2,
            COMPACT_BASELINE, fonts)
    return _tidy(design.template("compact").render(context))


# --- the card, and its social-preview layout --------------------------------------------------
def card_svg(design: Design, face: Face, variant: str) -> str:
    context = _card_text(design, face) | {"width": CARD_WIDTH, "height": CARD_HEIGHT}
    return _tidy(design.template("card").render(_card_colours(design, face, variant,
                                                              context)))


def social_svg(design: Design, face: Face) -> str:
    """The card's text column at social-preview size, for the signatory's page's
    og:image: the same outlines as the card's, scaled, so the two always agree."""
    scale = SOCIAL_SCALE
    context = _card_text(design, face) | {
        "width": SOCIAL_WIDTH, "height": SOCIAL_HEIGHT, "text_scale": scale,
        "text_x": number(SOCIAL_TEXT_X - CARD_TEXT_X * scale),
        "text_y": number((SOCIAL_HEIGHT - CARD_HEIGHT * scale) / 2),
    }
    return _tidy(design.template("social").render(_card_colours(design, face, "light",
                                                                context)))


# A folder draws the card's text column three times (light, dark, the social preview).
@lru_cache(maxsize=8)
def _card_text(design: Design, face: Face) -> dict[str, object]:
    """The heading, the name (one or two lines, fitted to the text column) and the detail
    line, centred vertically on the card, as lines of shared glyphs (shaping.glyph_line)
    and the glyphs' definitions."""
    fonts = design.fonts
    x = CARD_TEXT_X
    if face.name is None:
        size, lines = NAME_SIZES[0], [GENERIC_NAME]
    else:
        size, lines = fit_name(face.name, CARD_WIDTH - CARD_TEXT_X - CARD_TEXT_RIGHT, fonts)
    line_height = round(size * 1.25)
    block = HEADING_SIZE + HEADING_GAP + line_height * len(lines) + DETAIL_GAP + DETAIL_SIZE
    heading_y = (CARD_HEIGHT - block) / 2 + HEADING_SIZE
    name_top = heading_y + HEADING_GAP
    detail_y = name_top + line_height * len(lines) + DETAIL_GAP + DETAIL_SIZE - 2
    heading = shaping.glyph_line(HEADING, HEADING_SIZE, x, heading_y, fonts)
    names = [shaping.glyph_line(line, size, x, name_top + line_height * (index + 1) - 3,
                                fonts)
             for index, line in enumerate(lines)]
    detail = shaping.glyph_line(face.detail, DETAIL_SIZE, x, detail_y, fonts)
    glyphs = dict(glyph for line in (heading, *names, detail) for glyph in line.glyphs)
    return {
        "glyph_defs": Markup("").join(Markup('<path id="{}" d="{}"/>').format(ref, d)
                                      for ref, d in glyphs.items()),
        "heading": _line(heading), "name_lines": [_line(line) for line in names],
        "detail": _line(detail),
    }


def _line(line: shaping.GlyphLine) -> dict[str, object]:
    # uses holds only ids (letters, digits, - and _) and whole numbers: see glyph_line
    return {"transform": line.transform, "uses": Markup(line.uses)}  # noqa: S704


def _card_colours(design: Design, face: Face, variant: str,
                  context: dict[str, object]) -> dict[str, object]:
    colours = design.palette[variant]
    return context | {
        "colours": colours, "withdrawn": face.withdrawn, "description": describe(face),
        "emblem_bg": colours["emblem_withdrawn_bg" if face.withdrawn else "emblem_bg"],
    }


def _tidy(svg: str) -> str:
    return "".join(line.strip() for line in svg.splitlines()) + "\n"
