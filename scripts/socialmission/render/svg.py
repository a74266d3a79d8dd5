"""The badges as SVG: the compact badge, the card, and the social card.

Every value reaches the SVG through the design's autoescaping templates; names are drawn
as shaped glyph outlines (shaping.py) on the card, and kept as text on the compact badge.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

from socialmission.errors import UsageError
from socialmission.render import shaping
from socialmission.render.design import Design
from socialmission.render.face import Face, Masthead, describe
from socialmission.render.layout import (
    CARD_HEIGHT,
    CARD_TEXT_RIGHT,
    CARD_TEXT_X,
    CARD_WIDTH,
    DOMAIN_SIZES,
    FOOTER_SIZES,
    FOOTER_WIDTH,
    MASTHEAD_SIZES,
    NAME_SIZES,
    SOCIAL_MARGIN,
    SOCIAL_NAME_WIDTH,
    SOCIAL_SCALE,
    SOCIAL_WIDTH,
    STANDING_SIZES,
    fit_domain,
    fit_footer,
    fit_line,
    fit_name,
    footer_title,
    principle_ring,
)
from socialmission.render.shaping import number

# --- geometry (px at 1x) -------------------------------------------------------------------
COMPACT_HEIGHT = 20
COMPACT_FONT = 11  # px; shields.io uses 11 px Verdana
COMPACT_PADDING = 6  # px each side of a text
COMPACT_BASELINE = 14  # px from the top
HEADING_SIZE = 11  # px
DETAIL_SIZE = 11  # px
HEADING_GAP = 8  # px between the heading and the name's first line box
DETAIL_GAP = 6  # px between the name (or the domain) and the detail line
DOMAIN_GAP = 4  # px between the name and the website's domain
DOMAIN_LINE = DOMAIN_SIZES[0]  # px: the domain's line box, whatever size fits it



def compact_halves(fonts: Path, label_text: str, value: str) -> tuple[int, int]:
    """The compact badge's two halves in px: the label's and the value's."""
    label = round(shaping.measure(label_text, COMPACT_FONT, fonts) + 2 * COMPACT_PADDING)
    right = round(shaping.measure(value, COMPACT_FONT, fonts) + 2 * COMPACT_PADDING)
    return label, right


# --- the compact badge ------------------------------------------------------------------
def compact_svg(design: Design, face: Face, variant: str, outlines: bool) -> str:
    description = describe(face)
    if _LINE_BREAK.search(description) or description != description.strip():
        # _tidy strips lines; such a description could lose characters (the validator
        # refuses line breaks in names), so it goes through the template in full.
        return _render_compact(design, face.value, face.withdrawn, variant, outlines,
                               label=face.label, description=description)
    return str(escape(description)).join(
        _compact_parts(design, face.value, face.withdrawn, variant, outlines,
                       label=face.label))


def compact_drawing(design: Design, face: Face, variant: str) -> str:
    """The compact badge as drawn for its PNG: in outlines, without its description.

    <title> and aria-label are never painted, so every signatory's PNG of one kind
    (value, variant) is the same picture, rendered once per process.
    """
    return "".join(_compact_parts(design, face.value, face.withdrawn, variant, True,
                                  label=face.label))


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
                   outlines: bool, *, label: str) -> tuple[str, ...]:
    return tuple(_render_compact(design, value, withdrawn, variant, outlines, label=label,
                                 description=_PLACEHOLDER).split(_PLACEHOLDER))


def _render_compact(design: Design, value: str, withdrawn: bool, variant: str,
                    outlines: bool, *, label: str, description: str) -> str:
    colours = design.palette[variant]
    fonts = design.fonts
    label_text_width = shaping.measure(label, COMPACT_FONT, fonts)
    value_text_width = shaping.measure(value, COMPACT_FONT, fonts)
    label_width, value_width = compact_halves(fonts, label, value)
    value_bg = colours["withdrawn_bg" if withdrawn else "value_bg"]
    value_text = colours["withdrawn_text" if withdrawn else "value_text"]
    context = {
        "width": label_width + value_width, "label_width": label_width,
        "value_width": value_width, "colours": colours, "value_bg": value_bg,
        "value_text": value_text, "label": label, "value": value,
        "font_size": COMPACT_FONT, "outlines": outlines, "description": description,
        "label_x": number(label_width / 2), "value_x": number(label_width + value_width / 2),
        "label_text_width": number(label_text_width),
        "value_text_width": number(value_text_width),
    }
    if outlines:
        context["label_path"] = shaping.outline_path(
            label, COMPACT_FONT, (label_width - label_text_width) / 2, COMPACT_BASELINE,
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


def social_svg(design: Design, face: Face, masthead: Masthead) -> str:
    """The social card, for the signatory's page's og:image (see social.svg.j2). The name
    is broken as the card breaks it (fit_name in the card's column) and drawn
    SOCIAL_SCALE times as large, so whatever fits the card fits here."""
    context = _social_text(design, face, masthead)
    return _tidy(design.template("social").render(_card_colours(design, face, "light",
                                                                context)))


# --- the social card's geometry (px; see social.svg.j2 for the mark and the rules) ---------
SOCIAL_MASTHEAD_Y = 100  # the registry's name's baseline
PILL_Y = 136  # top of the standing pill
PILL_HEIGHT = 48
PILL_SIZE = 22  # px
PILL_PADDING = 22  # px each side of its text
CAP_HEIGHT = 0.714  # of the em: Noto Sans' capitals, to centre the pill's text
NAME_AREA = (214, 490)  # px: the name and the standing line are centred between these
STANDING_GAP = 22  # px between the name's last line box and the standing line
SOCIAL_RULE_Y = 518  # the rule above the footer
SOCIAL_FOOTER_Y = 580  # the footer's baseline


def _name_lines(face: Face, fonts: Path) -> tuple[int, list[str]]:
    """The name's size and lines as the card sets them (the title, when there is no name),
    which the social card draws larger."""
    if face.name is None:
        return NAME_SIZES[0], [face.title]
    return fit_name(face.name, CARD_WIDTH - CARD_TEXT_X - CARD_TEXT_RIGHT, fonts)


@lru_cache(maxsize=8)
def _social_text(design: Design, face: Face, masthead: Masthead) -> dict[str, object]:
    fonts = design.fonts
    x = SOCIAL_MARGIN
    size, lines = _name_lines(face, fonts)
    name_size = size * SOCIAL_SCALE
    line_height = round(size * 1.25) * SOCIAL_SCALE
    standing_size = fit_line(face.standing, STANDING_SIZES, SOCIAL_NAME_WIDTH, fonts)
    if standing_size is None:  # kind and years: short, fixed texts
        raise UsageError(f"the social card's line {face.standing!r} does not fit its "
                           f"{SOCIAL_NAME_WIDTH} px even at {STANDING_SIZES[-1]} px")
    domain_box = 0 if face.domain is None else (DOMAIN_GAP + DOMAIN_LINE) * SOCIAL_SCALE
    block = line_height * len(lines) + domain_box + STANDING_GAP + standing_size
    top = round(NAME_AREA[0] + (NAME_AREA[1] - NAME_AREA[0] - block) / 2)
    names = [shaping.glyph_line(line, name_size, x,
                                top + line_height * (index + 1) - 3 * SOCIAL_SCALE, fonts)
             for index, line in enumerate(lines)]
    names_bottom = top + line_height * len(lines)
    domains = []
    if face.domain is not None:  # the card's fit, SOCIAL_SCALE times as large
        domain_size, domain_text = fit_domain(face.domain, CARD_WIDTH - CARD_TEXT_X
                                              - CARD_TEXT_RIGHT, fonts)
        domains.append(shaping.glyph_line(
            domain_text, domain_size * SOCIAL_SCALE, x,
            names_bottom + (DOMAIN_GAP + DOMAIN_LINE) * SOCIAL_SCALE - 2 * SOCIAL_SCALE,
            fonts, ltr=True))
    standing = shaping.glyph_line(face.standing, standing_size, x,
                                  names_bottom + domain_box + STANDING_GAP
                                  + standing_size - 2, fonts)
    # checked when the masthead was made (layout.check_masthead): these fit
    heading_size = fit_line(masthead.name, MASTHEAD_SIZES, FOOTER_WIDTH, fonts) \
        or MASTHEAD_SIZES[-1]
    heading = shaping.glyph_line(masthead.name, heading_size, x, SOCIAL_MASTHEAD_Y, fonts)
    pill_text = face.value.upper()
    pill_width = round(shaping.measure(pill_text, PILL_SIZE, fonts) + 2 * PILL_PADDING)
    pill = shaping.glyph_line(pill_text, PILL_SIZE, x + PILL_PADDING,
                              round(PILL_Y + (PILL_HEIGHT + PILL_SIZE * CAP_HEIGHT) / 2),
                              fonts)
    title_text = footer_title(masthead.title(face.version), face.version)
    footer_size = fit_footer(title_text, masthead.address, fonts) or FOOTER_SIZES[-1]
    title = shaping.glyph_line(title_text, footer_size, x, SOCIAL_FOOTER_Y, fonts)
    address_x = SOCIAL_WIDTH - SOCIAL_MARGIN - shaping.measure(masthead.address,
                                                               footer_size, fonts)
    address = shaping.glyph_line(masthead.address, footer_size, address_x, SOCIAL_FOOTER_Y,
                                 fonts)
    drawn = (heading, pill, *names, *domains, standing, title, address)
    glyphs = dict(glyph for line in drawn for glyph in line.glyphs)
    colours = design.palette["light"]
    return {
        "glyph_defs": _glyph_defs(glyphs),
        "masthead": _line(heading), "pill": _line(pill), "name_lines": [_line(n) for n in names],
        "domain_lines": [_line(line) for line in domains],
        "standing": _line(standing), "title": _line(title), "address": _line(address),
        "margin": x, "pill_y": PILL_Y, "pill_width": pill_width, "pill_height": PILL_HEIGHT,
        "pill_bg": colours["withdrawn_bg" if face.withdrawn else "value_bg"],
        "pill_fg": colours["withdrawn_text" if face.withdrawn else "value_text"],
        "mark_y": round(sum(NAME_AREA) / 2), "rule_y": SOCIAL_RULE_Y,
    }


# A folder draws the card's text column three times (light, dark, the social preview).
@lru_cache(maxsize=8)
def _card_text(design: Design, face: Face) -> dict[str, object]:
    """The heading, the name (one or two lines, fitted to the text column) and the detail
    line, centred vertically on the card, as lines of shared glyphs (shaping.glyph_line)
    and the glyphs' definitions."""
    fonts = design.fonts
    x = CARD_TEXT_X
    size, lines = _name_lines(face, fonts)
    line_height = round(size * 1.25)
    domain_box = 0 if face.domain is None else DOMAIN_GAP + DOMAIN_LINE
    block = (HEADING_SIZE + HEADING_GAP + line_height * len(lines) + domain_box
             + DETAIL_GAP + DETAIL_SIZE)
    heading_y = (CARD_HEIGHT - block) / 2 + HEADING_SIZE
    name_top = heading_y + HEADING_GAP
    names_bottom = name_top + line_height * len(lines)
    detail_y = names_bottom + domain_box + DETAIL_GAP + DETAIL_SIZE - 2
    heading = shaping.glyph_line(face.label.upper(), HEADING_SIZE, x, heading_y, fonts)
    names = [shaping.glyph_line(line, size, x, name_top + line_height * (index + 1) - 3,
                                fonts)
             for index, line in enumerate(lines)]
    domains = []
    if face.domain is not None:
        domain_size, domain_text = fit_domain(face.domain, CARD_WIDTH - CARD_TEXT_X
                                              - CARD_TEXT_RIGHT, fonts)
        domains.append(shaping.glyph_line(domain_text, domain_size, x,
                                          names_bottom + DOMAIN_GAP + DOMAIN_LINE - 2,
                                          fonts, ltr=True))
    detail = shaping.glyph_line(face.detail, DETAIL_SIZE, x, detail_y, fonts)
    drawn = (heading, *names, *domains, detail)
    glyphs = dict(glyph for line in drawn for glyph in line.glyphs)
    # A glyph drawn once is written in place (shaping.line_markup): the card is a file of
    # its own, and its bytes count for every signatory.
    times = Counter(ref for line in drawn for ref, _, _ in line.placed)
    once = {ref: d for ref, d in glyphs.items() if times[ref] == 1}
    return {
        "glyph_defs": _glyph_defs({ref: d for ref, d in glyphs.items() if ref not in once}),
        "heading": _line(heading, once), "name_lines": [_line(line, once) for line in names],
        "domain_lines": [_line(line, once) for line in domains],
        "detail": _line(detail, once),
    }


def _glyph_defs(glyphs: dict[str, str]) -> Markup:
    """The <path> of each shared glyph (id, path data), for the <defs>."""
    return Markup("").join(_glyph_def(ref, d) for ref, d in glyphs.items())


# A glyph is defined in every badge that draws it: escaped once a process.
@lru_cache(maxsize=8192)
def _glyph_def(ref: str, d: str) -> Markup:
    return Markup('<path id="{}" d="{}"/>').format(ref, d)


def _line(line: shaping.GlyphLine, once: Mapping[str, str] | None = None) -> dict[str, object]:
    # uses holds only ids (letters, digits, - and _), whole numbers and path data of
    # letters and numbers: see glyph_line and line_markup
    uses = shaping.line_markup(line, once) if once else line.uses
    return {"transform": line.transform, "uses": Markup(uses)}  # noqa: S704


def _card_colours(design: Design, face: Face, variant: str,
                  context: dict[str, object]) -> dict[str, object]:
    colours = design.palette[variant]
    return context | {
        "colours": colours, "withdrawn": face.withdrawn, "description": describe(face),
        "emblem_bg": colours["emblem_withdrawn_bg" if face.withdrawn else "emblem_bg"],
        # the generic badge's mark: the mission's, never a signatory's check
        "ring": principle_ring(face.principles) if face.principles else None,
    }


def _tidy(svg: str) -> str:
    return "".join(line.strip() for line in svg.splitlines()) + "\n"
