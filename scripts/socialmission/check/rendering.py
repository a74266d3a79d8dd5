"""Phase 3: what the badges and pages need of a valid pledge: a name the badge fonts can
draw and fit, and a logo that is a PNG within its caps.

Whether a name fits is the renderer's knowledge: the caller hands it in as a `NameCheck`
(the renderer's `check_name_fits` with the registry's fonts), as pybadges takes a
swappable text measurer, so checking never imports rendering.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from socialmission.check.files import read_capped_logo
from socialmission.check.problems import Problem
from socialmission.model import constants as c
from socialmission.model.pledge import Pledge
from socialmission.model.png import PngError, dimensions

# Why a name cannot be drawn on the badge ("is too long ...: shorten it"), or None.
NameCheck = Callable[[str], str | None]


def for_rendering(pledge: Pledge, name_fits: NameCheck) -> Iterator[Problem]:
    if reason := name_fits(pledge.name):
        line, column = pledge.positions.get("name", (0, 0))
        yield Problem(str(pledge.path), line, column, f"'name' {reason}")
    if pledge.logo is not None:
        yield from check_logo(pledge)


def check_logo(pledge: Pledge) -> Iterator[Problem]:
    """The logo is a regular PNG file in pledges/logos/, within the size caps."""
    line, column = pledge.positions.get("logo", (0, 0))
    where = str(pledge.path)
    path = pledge.path.parent / str(pledge.logo)
    messages: list[str] = []
    data = read_capped_logo(path, messages)
    if data is not None:
        try:
            width, height = dimensions(data)
        except PngError as error:
            messages.append(f"the logo {pledge.logo} {error}: export it again as PNG")
        else:
            if not (c.LOGO_MIN_PX <= width <= c.LOGO_MAX_PX
                    and c.LOGO_MIN_PX <= height <= c.LOGO_MAX_PX):
                messages.append(f"the logo is {width}x{height} pixels; each side must be "
                                f"{c.LOGO_MIN_PX} to {c.LOGO_MAX_PX}: resize it")
    for message in messages:
        yield Problem(where, line, column, message)
