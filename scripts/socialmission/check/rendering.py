"""Phase 3: what the badges and pages need of a valid pledge: a name the badge fonts can
draw and fit, and a logo that is a PNG within its caps, decodes in full and carries
nothing but one still image.

Whether a name fits is the renderer's knowledge: the caller hands it in as a `NameCheck`
(the renderer's `check_name_fits` with the registry's fonts), as pybadges takes a
swappable text measurer, so checking never imports rendering.

Decoding a logo costs 16 ms or more, so the verdict on a logo's bytes is kept by their
SHA-256 in the registry's `.cache/logos/` (verdicts.py): a logo is decoded once, and again
only when its bytes or this checker change. A logo read from a tree that is not all on
disk (a git commit, changes held in memory) is decoded each time: nothing is written for
it. The site never publishes the contributed bytes either way: render/logo.py re-encodes
every logo at build time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from socialmission.check.files import read_capped_logo
from socialmission.check.pledgefile import Known
from socialmission.check.verdicts import verdict_key, verdict_log
from socialmission.model import constants as c
from socialmission.model import paths, png
from socialmission.model.filetree import DISK, FileTree
from socialmission.model.problems import Problem

# Why a name cannot be drawn on the badge ("is too long ...: shorten it"), or None.
NameCheck = Callable[[str], str | None]

# The version of logo_problem's rules: change it whenever they change, and every cached
# verdict is made again.
LOGO_CHECKER_VERSION = 1
AGAIN = "export it again as PNG"
BADGE_KEYWORD = "openbadges"  # the keyword of the text chunk a baked badge carries


def for_rendering(pledge: Known, name_fits: NameCheck,
                  tree: FileTree = DISK) -> Iterator[Problem]:
    """The name and the logo, wherever their own checks passed (whatever else is wrong)."""
    name, logo = pledge.values.get("name"), pledge.values.get("logo")
    if isinstance(name, str) and (reason := name_fits(name)):
        line, column = pledge.positions.get("name", (0, 0))
        yield Problem(str(pledge.path), line, column, f"'name' {reason}")
    if isinstance(logo, str):
        yield from check_logo(pledge.path, logo, pledge.positions.get("logo", (0, 0)), tree)


def check_logo(pledge_path: Path, logo: str, position: tuple[int, int],
               tree: FileTree = DISK) -> Iterator[Problem]:
    """The logo is a regular PNG file in pledges/logos/, within the size caps, that decodes
    in full into one still image, with no badge assertion in it and nothing after its end."""
    line, column = position
    path = pledge_path.parent / logo
    messages: list[str] = []
    data = read_capped_logo(path, messages, tree)
    if data is not None and (problem := cached_logo_problem(data, tree.disk_path(path))):
        messages.append(f"the logo {logo} {problem}")
    for message in messages:
        yield Problem(str(pledge_path), line, column, message)


def cached_logo_problem(data: bytes, path: Path | None) -> str | None:
    """logo_problem(data), from the registry's verdict cache when it has been seen before
    (the registry's root: the folder that holds pledges/, which holds logos/); decoded
    each time when the logo is not on disk (`path` None)."""
    if path is None:
        return logo_problem(data)
    log = verdict_log(paths.logos_cache(path.absolute().parent.parent.parent))
    key = verdict_key(data, LOGO_CHECKER_VERSION)
    known, problem = log.get(key)
    if not known:
        problem = logo_problem(data)
        log.put(key, problem)
    return problem


def logo_problem(data: bytes) -> str | None:
    """What is wrong with a logo's bytes and how to fix it, after "the logo <path>"; None
    for a logo the site can publish. Nothing is decoded before the size in IHDR is
    known to be within the caps, so no logo can make the decoder allocate more than
    1024 x 1024 pixels."""
    try:
        width, height = png.dimensions(data)
        after_end = png.trailing_bytes(data)
    except png.PngError as error:
        return f"{error}: {AGAIN}"
    if not (c.LOGO_MIN_PX <= width <= c.LOGO_MAX_PX
            and c.LOGO_MIN_PX <= height <= c.LOGO_MAX_PX):
        return (f"is {width}x{height} pixels; each side must be {c.LOGO_MIN_PX} to "
                f"{c.LOGO_MAX_PX}: resize it")
    if after_end:
        return (f"has {after_end} bytes after its end (the IEND chunk), which are no part "
                f"of the image: {AGAIN}")
    kinds = set()
    for chunk in png.chunks(data):
        kinds.add(chunk.kind)
        if chunk.kind in png.TEXT_CHUNKS and \
                png.text_keyword(chunk).casefold() == BADGE_KEYWORD:
            return (f"holds an Open Badges assertion (its {chunk.kind.decode()} chunk "
                    f"'{BADGE_KEYWORD}'): only the registry's own badges carry one; "
                    f"{AGAIN} without metadata")
    if kinds & png.ANIMATION_CHUNKS:
        return "is an animated PNG: export it again as a single-frame PNG"
    if b"IDAT" not in kinds:
        return f"has no image data (no IDAT chunk): {AGAIN}"
    try:
        png.decode(data)
    except png.PngError as error:
        return f"{error}: {AGAIN}"
    return None
