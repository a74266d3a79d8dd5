"""The site's colours, from the registry's one palette (badges/palette.yaml, its `site`
part): the theme's CSS custom properties for its two colour schemes, and the contrast
that every text the site draws keeps against what it is drawn on.

mkdocs.yml names the theme's palette `custom`, so the theme brings no colour of its own
for the primary and accent colours; this stylesheet gives them, and the page, text, code
and link colours, for Material's light scheme (`default`) and dark one (`slate`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from socialmission.model import paths
from socialmission.render import design
from socialmission.render.contrast import contrast
from socialmission.render.design import PaletteError, load_design

palette_file = design.palette_file  # the site's colours are the palette's too
SITE_KEY: Final = "site"  # the palette's part that holds the site's colours
# The palette's variant -> the theme's colour scheme it colours.
SCHEMES: Final = {paths.LIGHT_VARIANT: "default", paths.DARK_VARIANT: "slate"}
# Every colour the site takes from the palette, and the theme's custom properties it sets.
ROLES: Final[Mapping[str, tuple[str, ...]]] = {
    "page": ("--md-default-bg-color",),
    "code": ("--md-code-bg-color",),
    "text": ("--md-default-fg-color",),
    "muted": ("--md-default-fg-color--light",),
    "primary": ("--md-primary-fg-color", "--md-primary-fg-color--light",
                "--md-primary-fg-color--dark"),
    "primary_text": ("--md-primary-bg-color",),
    "primary_muted": ("--md-primary-bg-color--light",),
    "link": ("--md-typeset-a-color",),
    "accent": ("--md-accent-fg-color",),
    "accent_text": ("--md-accent-bg-color", "--md-accent-bg-color--light"),
    "signatory": ("--sm-signatory-bg",),
    "signatory_text": ("--sm-signatory-fg",),
    "withdrawn": ("--sm-withdrawn-bg",),
    "withdrawn_text": ("--sm-withdrawn-fg",),
}
TEXT_CONTRAST: Final = 4.5  # WCAG 2.2 AA, 1.4.3: text (the site has no text of its own
# large enough for 3:1, so every pair below holds text to 4.5:1)
# (text, background, where the site draws that text on that background), in each scheme.
CONTRAST: Final = (
    ("text", "page", "running text"),
    ("muted", "page", "captions, the sidebars' headings, table headings"),
    ("link", "page", "links"),
    ("link", "code", "links on the code background (inline code in a link)"),
    ("accent", "page", "a link under the pointer or focused, and focus outlines"),
    ("primary_text", "primary", "the header bar, primary buttons and the monograms"),
    ("primary_muted", "primary", "the search field's placeholder in the header"),
    ("accent_text", "accent", "a button under the pointer or focused"),
    ("signatory_text", "signatory", "the Signatory pill"),
    ("withdrawn_text", "withdrawn", "the Withdrawn pill"),
)
_HEX = re.compile(r"#[0-9a-fA-F]{6}")  # all a value may be: it is written into CSS as it is
# The property for a hovered link's faint background (Material's "transparent" accent).
TRANSPARENT_ALPHA: Final = "1a"


class ThemeError(Exception):
    """The palette cannot colour the site: the message says where and what to change."""


@dataclass(frozen=True)
class SiteColours:
    schemes: Mapping[str, Mapping[str, str]]  # variant ("light", "dark") -> role -> '#rrggbb'


def load_colours(root: Path) -> SiteColours:
    """The palette's site colours, every role of both schemes a '#rrggbb' colour (the
    palette as the badge design read it)."""
    try:
        data = load_design(root).document
    except PaletteError as error:
        raise ThemeError(str(error)) from None
    return parse_colours(data, palette_file(root))


def parse_colours(data: Any, path: Path) -> SiteColours:
    """The site colours of a parsed palette; every problem is listed, then raised."""
    where = f"{path}: {SITE_KEY}"
    site = data.get(SITE_KEY) if isinstance(data, dict) else None
    if not isinstance(site, dict):
        raise ThemeError(f"{where} must map each colour scheme ({', '.join(SCHEMES)}) to "
                         f"the site's colours: add it (see the registry's own palette)")
    problems = [f"{where}.{name} is not a colour scheme: use {' or '.join(SCHEMES)}"
                for name in site if name not in SCHEMES]
    schemes: dict[str, dict[str, str]] = {}
    for variant in SCHEMES:
        colours = site.get(variant)
        if not isinstance(colours, dict):
            problems.append(f"{where}.{variant} must map each of the site's colours to "
                            f"'#rrggbb': add it, with {', '.join(ROLES)}")
            continue
        if missing := [role for role in ROLES if role not in colours]:
            problems.append(f"{where}.{variant} must give every colour of the site: "
                            f"add {', '.join(missing)}")
        for role, value in colours.items():
            if role not in ROLES:
                problems.append(f"{where}.{variant}.{role} is not a colour the site uses: "
                                f"remove it, or use one of {', '.join(ROLES)}")
            elif not isinstance(value, str) or not _HEX.fullmatch(value):
                problems.append(f"{where}.{variant}.{role} must be a colour written "
                                f"'#rrggbb' (quoted): {value!r}")
        schemes[variant] = {role: value.lower() for role, value in colours.items()
                            if role in ROLES and isinstance(value, str)
                            and _HEX.fullmatch(value)}
    if not problems:
        problems += contrast_problems(schemes, where)
    if problems:
        raise ThemeError("the site's colours cannot be used:\n" + "\n".join(problems))
    return SiteColours(schemes)


def contrast_problems(schemes: Mapping[str, Mapping[str, str]], where: str) -> list[str]:
    """Every pair of CONTRAST below TEXT_CONTRAST, in either scheme."""
    problems = []
    for variant, colours in schemes.items():
        for text, background, use in CONTRAST:
            ratio = contrast(colours[text], colours[background])
            if ratio < TEXT_CONTRAST:
                problems.append(
                    f"{where}.{variant}: {text} on {background} ({use}) must have a "
                    f"contrast of at least {TEXT_CONTRAST}:1 (WCAG AA): make one darker or "
                    f"lighter: {colours[text]} on {colours[background]} is {ratio:.2f}:1")
    return problems


def stylesheet(colours: SiteColours) -> str:
    """The theme's custom properties for both schemes, as CSS. The selectors name the
    scheme below the root, so they outrank the theme's own (which name it alone)
    wherever the stylesheets load."""
    blocks = ["/* The site's colours, written by the build from badges/palette.yaml (site):\n"
              "   change the palette, not this file. */\n"]
    for variant, scheme in SCHEMES.items():
        values = colours.schemes[variant]
        lines = [f"  {prop}: {values[role]};" for role, props in ROLES.items()
                 for prop in props]
        lines.append(f"  --md-accent-fg-color--transparent: {values['accent']}"
                     f"{TRANSPARENT_ALPHA};")
        blocks.append(f':root [data-md-color-scheme="{scheme}"] {{\n' + "\n".join(lines)
                      + "\n}\n")
    return "".join(blocks)
