"""A shields.io endpoint document for every signatory (shields.io/badges/endpoint-badge):
shields.io draws a badge from it, in any of its styles, for a README or a website whose
other badges come from shields.io.

Every signatory has one, whatever its standing, at paths.shields_path(slug), an address
that never moves: a badge embedded while the signatory was active keeps answering, and
says "withdrawn" once it has withdrawn (a redacted one too). Its words are the compact
badge's (registry.yaml's badge_label, render/face.py's value for the standing), its colours
the compact badge's light ones (badges/palette.yaml; shields.io draws one scheme). It names
nobody: two documents' bytes are the same when their signatories' standing is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from socialmission.model import paths
from socialmission.model.pledge import Pledge
from socialmission.render.face import SIGNATORY_VALUE, WITHDRAWN_VALUE, standing_value
from socialmission.site.opendata import dumps

SCHEMA_VERSION: Final = 1  # the only version of shields.io's endpoint schema
# How long shields.io keeps a badge it drew before asking again (its floor is 300): a
# withdrawal shows on every embedded badge within the hour.
CACHE_SECONDS: Final = 3600
VARIANT: Final = "light"  # the palette's variant the documents take their colours from
LABEL_COLOUR: Final = "label_bg"  # the palette's key for the badge's left half
# The palette's key for the right half, by what the badge says there
VALUE_COLOURS: Final = {SIGNATORY_VALUE: "value_bg", WITHDRAWN_VALUE: "withdrawn_bg"}
_HEX: Final = re.compile(r"#[0-9a-fA-F]{6}")


class ShieldsError(Exception):
    """The palette cannot colour the shields documents: the message says what to change."""


def document(pledge: Pledge, label: str, palette: Mapping[str, Any]) -> dict[str, Any]:
    """The signatory's endpoint document: `label` (registry.yaml's badge_label) on the
    left, its standing on the right, in `palette`'s colours (the palette's VARIANT)."""
    value = standing_value(pledge)
    return {"schemaVersion": SCHEMA_VERSION, "label": label, "message": value,
            "color": palette[VALUE_COLOURS[value]], "labelColor": palette[LABEL_COLOUR],
            "cacheSeconds": CACHE_SECONDS}


def check_palette(palette: Mapping[str, Any], where: str) -> None:
    """Raise ShieldsError unless each colour the documents take is a '#rrggbb' colour;
    `where` names the palette's file."""
    wrong = [key for key in (LABEL_COLOUR, *VALUE_COLOURS.values())
             if not isinstance(palette.get(key), str) or not _HEX.fullmatch(palette[key])]
    if wrong:
        raise ShieldsError("\n".join(
            f"{where}: '{VARIANT}.{key}' must be a colour written #rrggbb, such as "
            f"#1f7a3f (the shields documents take it; got {palette.get(key)!r})"
            for key in wrong))


def shields_files(pledges: list[Pledge], label: str,
                  palette: Mapping[str, Any]) -> dict[str, bytes]:
    """Every signatory's document, by site path: written with the API's JSON writer
    (sorted keys), once for each standing."""
    written: dict[str, bytes] = {}
    files: dict[str, bytes] = {}
    for pledge in pledges:
        value = standing_value(pledge)
        if value not in written:
            written[value] = dumps(document(pledge, label, palette))
        files[paths.shields_path(pledge.slug)] = written[value]
    return files


def badge_url(base: str, slug: str) -> str:
    """The address of the badge shields.io draws from a signatory's document."""
    return paths.shields_badge_url(paths.shields_url(base, slug))
