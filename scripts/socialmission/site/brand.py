"""The registry's own face on every page: its logo and icons (render/icons.py, from the
badge's mark) as site files, and what the theme's templates read for them and for the
social card of every page that is not a signatory's (site/overrides/main.html,
partials/logo.html): the generic badge's social card, the registry's card.

The logo is drawn in the header's text colour with its check cut out, so it keeps the
contrast of the header's own text against the header in both colour schemes; the build
refuses a palette in which one colour cannot serve both (a logo is one file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from socialmission.model import paths
from socialmission.model.mission import Mission, load_mission
from socialmission.render.contrast import contrast
from socialmission.render.design import load_design
from socialmission.render.face import Words, describe, generic_face
from socialmission.render.folder import SOCIAL
from socialmission.render.icons import registry_icons
from socialmission.render.layout import SOCIAL_HEIGHT, SOCIAL_WIDTH
from socialmission.site.theme import SiteColours, ThemeError, palette_file

# WCAG 2.2 AA, 1.4.11: a graphic needed to understand the page against what is beside it
GRAPHIC_CONTRAST: Final = 3.0
LOGO_ROLE: Final = "primary_text"  # the site colour the logo is drawn in (on `primary`)


def logo_fill(colours: SiteColours, palette: Path) -> str:
    """The logo's colour: the light scheme's header text, which must also stand out from
    the dark scheme's header (GRAPHIC_CONTRAST), or ThemeError says what to change."""
    fill = colours.schemes["light"][LOGO_ROLE]
    problems = []
    for variant, scheme in colours.schemes.items():
        ratio = contrast(fill, scheme["primary"])
        if ratio < GRAPHIC_CONTRAST:
            problems.append(
                f"site.{variant}: the header's logo, drawn in site.light.{LOGO_ROLE} "
                f"({fill}), must have a contrast of at least {GRAPHIC_CONTRAST:g}:1 "
                f"against site.{variant}.primary ({scheme['primary']}; it is "
                f"{ratio:.2f}:1): give both schemes the same {LOGO_ROLE}, or a primary "
                f"it stands out on")
    if problems:
        raise ThemeError(f"{palette}: the header's logo cannot be drawn:\n"
                         + "\n".join(problems))
    return fill


def icon_files(root: Path, colours: SiteColours) -> dict[str, bytes]:
    """The logo and the icons, by site path."""
    icons = registry_icons(load_design(root), logo_fill(colours, palette_file(root)),
                           len(load_mission(root).current.principles),
                           root / paths.ICONS_CACHE)
    return {paths.REGISTRY_LOGO_PATH: icons.logo.encode("utf-8"),
            paths.FAVICON_PATH: icons.favicon.encode("utf-8"),
            paths.FAVICON_PNG_PATH: icons.favicon_png,
            paths.TOUCH_ICON_PATH: icons.touch_icon_png}


def card_url(base: str) -> str:
    """The registry's social card: the generic badge's."""
    return f"{paths.badge_folder_url(base, paths.GENERIC_BADGE)}{SOCIAL}.png"


def theme_values(mission: Mission, words: Words, base: str) -> dict[str, str]:
    """What every page's <head> reads beside the theme's own: the PNG and home-screen
    icons (the SVG favicon and the logo are the theme's `favicon` and `logo`,
    site/tree.py) and the registry's social card, with what it shows as text."""
    return {
        "sm_favicon_png": paths.FAVICON_PNG_PATH,
        "sm_touch_icon": paths.TOUCH_ICON_PATH,
        "sm_card_url": card_url(base),
        "sm_card_alt": describe(generic_face(mission, words)),
        "sm_card_width": str(SOCIAL_WIDTH),
        "sm_card_height": str(SOCIAL_HEIGHT),
    }
