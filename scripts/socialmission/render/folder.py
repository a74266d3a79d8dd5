"""Every file of one signatory's badge folder: SVG, and PNG at 2x, per style and variant,
with the Open Badges 2.0 assertion baked into each, and the social card (DEVELOPERS.md,
"Badges", says what each file is for and which snippet uses it). The signed Open Badges
3.0 credential is baked into the card badges (CARD_FILES) alone, after painting
(bake_cards), so that a new credential needs no painting (render/cache.py).

File names never change, so an embed never breaks; a withdrawn signatory's files keep
their names and say "withdrawn".
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from socialmission.model import paths
from socialmission.render import bake
from socialmission.render.design import STYLES, TEMPLATES_DIR, VARIANTS, Design
from socialmission.render.face import Face, Masthead
from socialmission.render.raster import SHARED_COMPRESSION, DrawingError, to_png
from socialmission.render.svg import card_svg, compact_drawing, compact_svg, social_svg

# PNGs come at 2x only, as "<stem>@2x.png": shown at half their size (the width and
# height an <img> gives them), they are sharp on every screen; a 1x copy would be a
# second file of each for no embed that needs it (DEVELOPERS.md, "Badges").
SCALE = paths.BADGE_PNG_SCALE
SOCIAL = "social"  # the social preview's file name, without .png
# The files the credential is baked into: the card badges, the ones shown as a
# certificate; a compact badge is a one-line label, kept small (DEVELOPERS.md, "Badges")
CARD_FILES = tuple(name for variant in VARIANTS for name in (
    paths.badge_svg(paths.CARD_STYLE, variant),
    paths.badge_png(paths.badge_stem(paths.CARD_STYLE, variant))))


def render_face(design: Design, face: Face, masthead: Masthead) -> dict[str, bytes]:
    """Every file of one badge folder: SVG and PNG at 2x, per style and variant, and the
    social card (which shows the registry's `masthead`)."""
    files: dict[str, bytes] = {}
    drawings: dict[str, str] = {}
    for variant in VARIANTS:
        for style in STYLES:
            stem = paths.badge_stem(style, variant)
            if style == paths.COMPACT_STYLE:
                web = compact_svg(design, face, variant, outlines=False)
                drawings[stem] = compact_drawing(design, face, variant)
            else:
                web = drawings[stem] = card_svg(design, face, variant)
            if face.assertion_json is not None and face.verify is not None:
                web = bake.bake_svg(web, face.assertion_json, face.verify)
            files[paths.badge_svg(style, variant)] = web.encode("utf-8")
    drawings[SOCIAL] = social_svg(design, face, masthead)
    return files | render_pngs(face, drawings)


def render_pngs(face: Face, drawings: dict[str, str]) -> dict[str, bytes]:
    """The PNG files of one badge folder, from the drawings render_face makes: by stem,
    the SVG drawn (compact drawings in outlines), and SOCIAL for the preview."""
    files: dict[str, bytes] = {}
    for stem, drawn in drawings.items():
        if stem == SOCIAL:
            # The social preview carries no assertion: it is a picture of the page, not a
            # badge.
            files[f"{SOCIAL}.png"] = _png(SOCIAL, drawn, 1)
            continue
        # A compact drawing is the same for every signatory of a kind (see
        # compact_drawing), so it is rendered once per process.
        png = (_shared_png(stem, drawn, SCALE) if stem.startswith(f"{paths.COMPACT_STYLE}-")
               else _png(stem, drawn, SCALE))
        if face.assertion_json is not None:
            png = bake.bake_png(png, face.assertion_json)
        files[paths.badge_png(stem)] = png
    return files


@lru_cache(maxsize=32)
def _shared_png(stem: str, svg: str, scale: int) -> bytes:
    return _png(stem, svg, scale, SHARED_COMPRESSION)


def _png(stem: str, svg: str, scale: int, level: int | None = None) -> bytes:
    try:
        return to_png(svg, scale, level)
    except DrawingError as error:  # say which of the registry's templates to fix
        template = f"{paths.DESIGN_DIR}/{TEMPLATES_DIR}/{stem.partition('-')[0]}.svg.j2"
        raise DrawingError(f"{template}: {error}") from None


def bake_cards(files: Mapping[str, bytes], credential: str | None) -> dict[str, bytes]:
    """The card badges among `files` (by name) with `credential` (the signed credential's
    JSON text) baked in, in place of any baked before; with None, with none baked in."""
    baked: dict[str, bytes] = {}
    for name in CARD_FILES:
        if name.endswith(".svg"):
            baked[name] = bake.bake_credential_svg(files[name].decode("utf-8"),
                                                   credential).encode("utf-8")
        else:
            baked[name] = bake.bake_credential_png(files[name], credential)
    return baked
