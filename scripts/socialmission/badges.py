"""Badges: SVG from the design in badges/ (Jinja2 templates and a palette), PNG through
cairosvg, an Open Badges assertion baked into each, rendered incrementally on all cores.

Layout: `<out>/<slug>/{compact,card}-{light,dark}.svg` and `.png` (1x) and `@2x.png`;
`<out>/mission/...` holds the generic, unnamed badges for the press kit. File names never
change, so an embed never breaks; a withdrawn signatory's files keep their names and say
"withdrawn".
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from importlib.metadata import version as package_version
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import escape

from . import layout, openbadges, png, shaping
from .layout import CARD_HEIGHT, CARD_TEXT_RIGHT, CARD_TEXT_X, CARD_WIDTH, NAME_SIZES, fit_name
from .mission import Mission
from .pledge import Pledge

DESIGN_DIR = "badges"
PALETTE_FILE = "palette.yaml"
VARIANTS = ("light", "dark")
STYLES = ("compact", "card")
SCALES = (1, 2)
GENERIC = "mission"  # the unnamed badge's folder (a reserved slug)
SOCIAL = "social"  # the social preview's file name, without .png
MANIFEST = ".manifest.json"

# --- geometry (px at 1x) -------------------------------------------------------------------
COMPACT_HEIGHT = 20
COMPACT_FONT = 11  # px; shields.io uses 11 px Verdana
COMPACT_PADDING = 6  # px each side of a text
HEADING_SIZE = 11
DETAIL_SIZE = 11
LABEL = "Social Mission"


def num(value: float) -> str:
    """A coordinate: at most 2 decimals, no trailing zeros, no float artefacts."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


# Compared by identity (load_design makes one per root), so that caches can key on it.
@dataclass(frozen=True, eq=False)
class Design:
    root: Path
    palette: dict[str, dict[str, str]]
    env: Environment
    fingerprint: str  # changes when anything that shapes a badge's bytes changes

    def template(self, name: str) -> Any:
        return self.env.get_template(f"{name}.svg.j2")


# Every module that decides what a badge file holds: the design fingerprint covers them, so
# a change to any of them renders the cache again.
RENDERING_MODULES = tuple(str(m.__file__) for m in (sys.modules[__name__], layout, openbadges,
                                                    png, shaping))


@cache
def load_design(root: Path) -> Design:
    folder = root / DESIGN_DIR
    palette = yaml.safe_load((folder / PALETTE_FILE).read_text(encoding="utf-8"))
    env = Environment(loader=FileSystemLoader(folder / "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = num
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    for module in RENDERING_MODULES:
        digest.update(Path(module).read_bytes())
    digest.update(package_version("cairosvg").encode())
    return Design(root, palette, env, digest.hexdigest())


# --- SVG ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Face:
    """What one badge says: for a signatory, or for the generic mission badge."""

    key: str  # folder name
    name: str | None  # None: the generic badge
    value: str  # the compact badge's right half: "signatory" or "withdrawn"
    detail: str
    withdrawn: bool
    assertion_json: str | None
    verify: str | None


def face_of(pledge: Pledge, base: str) -> Face:
    if pledge.active:
        detail = f"Signatory since {pledge.signed.year} · Mission v{pledge.mission_version}"
    else:
        year = pledge.withdrawn.year if pledge.withdrawn else pledge.signed.year
        detail = f"Withdrawn in {year} · no longer a signatory"
    return Face(key=pledge.slug, name=pledge.name,
                value="signatory" if pledge.active else "withdrawn", detail=detail,
                withdrawn=not pledge.active,
                assertion_json=openbadges.dumps(openbadges.assertion(base, pledge)),
                verify=openbadges.assertion_url(base, pledge.slug))


def generic_face(mission: Mission) -> Face:
    version = mission.current
    return Face(key=GENERIC, name=None, value=f"{len(version.principles)} principles",
                detail=f"Ten principles for social media · v{version.version}",
                withdrawn=False, assertion_json=None, verify=None)


def describe(face: Face) -> str:
    """What a badge says, as text for <title> and aria-label."""
    if face.name is None:
        return f"The Social Mission. {face.detail}."
    return f"{face.name}: Social Mission {face.value}. {face.detail}."


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
    label_text_width = shaping.measure(LABEL, COMPACT_FONT)
    value_text_width = shaping.measure(value, COMPACT_FONT)
    label_width = round(label_text_width + 2 * COMPACT_PADDING)
    value_width = round(value_text_width + 2 * COMPACT_PADDING)
    value_bg = colours["withdrawn_bg" if withdrawn else "value_bg"]
    value_text = colours["withdrawn_text" if withdrawn else "value_text"]
    baseline = 14
    context = {
        "width": label_width + value_width, "label_width": label_width,
        "value_width": value_width, "colours": colours, "value_bg": value_bg,
        "value_text": value_text, "label": LABEL, "value": value,
        "font_size": COMPACT_FONT, "outlines": outlines, "description": description,
        "label_x": num(label_width / 2), "value_x": num(label_width + value_width / 2),
        "label_text_width": num(label_text_width), "value_text_width": num(value_text_width),
    }
    if outlines:
        context["label_path"] = shaping.outline_path(
            LABEL, COMPACT_FONT, (label_width - label_text_width) / 2, baseline)
        context["value_path"] = shaping.outline_path(
            value, COMPACT_FONT, label_width + (value_width - value_text_width) / 2,
            baseline)
    return _tidy(design.template("compact").render(context))


def card_svg(design: Design, face: Face, variant: str) -> str:
    colours = design.palette[variant]
    text_width = CARD_WIDTH - CARD_TEXT_X - CARD_TEXT_RIGHT
    heading = "SOCIAL MISSION"
    if face.name is None:
        name_size, lines = NAME_SIZES[0], ["The Social Mission"]
    else:
        name_size, lines = fit_name(face.name, text_width)
    line_height = round(name_size * 1.25)
    block = HEADING_SIZE + 8 + line_height * len(lines) + 6 + DETAIL_SIZE
    top = (CARD_HEIGHT - block) / 2
    heading_y = top + HEADING_SIZE
    name_paths = [shaping.outline_path(line, name_size, CARD_TEXT_X,
                                       heading_y + 8 + line_height * (index + 1) - 3)
                  for index, line in enumerate(lines)]
    detail_y = heading_y + 8 + line_height * len(lines) + 6 + DETAIL_SIZE - 2
    context = {
        "width": CARD_WIDTH, "height": CARD_HEIGHT, "colours": colours,
        "withdrawn": face.withdrawn, "description": describe(face),
        "emblem_bg": colours["emblem_withdrawn_bg" if face.withdrawn else "emblem_bg"],
        "heading_path": shaping.outline_path(heading, HEADING_SIZE, CARD_TEXT_X, heading_y),
        "name_path": "".join(name_paths),
        "detail_path": shaping.outline_path(face.detail, DETAIL_SIZE, CARD_TEXT_X, detail_y),
    }
    return _tidy(design.template("card").render(context))


# The social preview card (1200x630, OpenGraph's recommended size)
SOCIAL_WIDTH = 1200
SOCIAL_HEIGHT = 630
SOCIAL_TEXT_X = 340
SOCIAL_SCALE = 3  # the card's text sizes, times three


def social_svg(design: Design, face: Face) -> str:
    """The card's content at social-preview size, for the signatory's page's og:image."""
    colours = design.palette["light"]
    text_width = (SOCIAL_WIDTH - SOCIAL_TEXT_X - 60) / SOCIAL_SCALE
    if face.name is None:
        size, lines = NAME_SIZES[0], ["The Social Mission"]
    else:
        size, lines = fit_name(face.name, text_width)
    scale = SOCIAL_SCALE
    line_height = round(size * 1.25) * scale
    block = (HEADING_SIZE + 8) * scale + line_height * len(lines) + (6 + DETAIL_SIZE) * scale
    heading_y = (SOCIAL_HEIGHT - block) / 2 + HEADING_SIZE * scale
    name_paths = [shaping.outline_path(line, size * scale, SOCIAL_TEXT_X,
                                       heading_y + 8 * scale + line_height * (i + 1) - 3 * scale)
                  for i, line in enumerate(lines)]
    detail_y = heading_y + 8 * scale + line_height * len(lines) + (6 + DETAIL_SIZE - 2) * scale
    context = {
        "colours": colours, "withdrawn": face.withdrawn, "description": describe(face),
        "emblem_bg": colours["emblem_withdrawn_bg" if face.withdrawn else "emblem_bg"],
        "heading_path": shaping.outline_path("SOCIAL MISSION", HEADING_SIZE * scale,
                                             SOCIAL_TEXT_X, heading_y),
        "name_path": "".join(name_paths),
        "detail_path": shaping.outline_path(face.detail, DETAIL_SIZE * scale, SOCIAL_TEXT_X,
                                            detail_y),
    }
    return _tidy(design.template("social").render(context))


def _tidy(svg: str) -> str:
    return "".join(line.strip() for line in svg.splitlines()) + "\n"


# --- one signatory's files -------------------------------------------------------------------
def render_face(design: Design, face: Face) -> dict[str, bytes]:
    """Every file of one badge folder: SVG and PNG at 1x and 2x, per style and variant."""
    files: dict[str, bytes] = {}
    drawings: dict[str, str] = {}
    for variant in VARIANTS:
        for style in STYLES:
            stem = f"{style}-{variant}"
            if style == "compact":
                web = compact_svg(design, face, variant, outlines=False)
                drawings[stem] = compact_drawing(design, face, variant)
            else:
                web = drawings[stem] = card_svg(design, face, variant)
            if face.assertion_json is not None and face.verify is not None:
                web = openbadges.bake_svg(web, face.assertion_json, face.verify)
            files[f"{stem}.svg"] = web.encode("utf-8")
    drawings[SOCIAL] = social_svg(design, face)
    return files | render_pngs(face, drawings)


def render_pngs(face: Face, drawings: dict[str, str]) -> dict[str, bytes]:
    """The PNG files of one badge folder, from the drawings render_face makes: by stem,
    what cairosvg draws (compact drawings in outlines), and SOCIAL for the preview."""
    files: dict[str, bytes] = {}
    for stem, drawn in drawings.items():
        if stem == SOCIAL:
            # The social preview carries no assertion: it is a picture of the page, not a
            # badge.
            files[f"{SOCIAL}.png"] = to_png(drawn, 1)
            continue
        for scale in SCALES:
            # A compact drawing is the same for every signatory of a kind (see
            # compact_drawing), so it is rendered once per process.
            png = (_shared_png(drawn, scale) if stem.startswith("compact-")
                   else to_png(drawn, scale))
            if face.assertion_json is not None:
                png = openbadges.bake_png(png, face.assertion_json)
            files[f"{stem}{'' if scale == 1 else f'@{scale}x'}.png"] = png
    return files


@lru_cache(maxsize=32)
def _shared_png(svg: str, scale: int) -> bytes:
    return to_png(svg, scale)


@cache
def _cairosvg() -> ModuleType:
    """cairosvg, imported when a PNG is first drawn: it costs 0.3 s of start-up, which a
    build that renders nothing (the usual one, from the cache) need not pay."""
    import cairosvg.surface  # noqa: PLC0415

    module: ModuleType = cairosvg
    return module


def to_png(svg: str, scale: int) -> bytes:
    with _glyph_paths():
        png: bytes = _cairosvg().svg2png(bytestring=svg.encode("utf-8"), scale=scale,
                                      unsafe=False)
    return png


# --- drawing glyph outlines through cairosvg, faster ----------------------------------------
# cairosvg reads a path's "d" in pure Python, with a regular expression per point, and
# that was most of a card's PNG time (a name is some 1,500 points). The badges' glyph
# outlines come in one narrow form (shaping.shaped_path): each glyph an absolute "M x y"
# and then only relative m, l, q, c and z with plain decimal numbers, and a glyph's
# relative part is the same text wherever the glyph stands. So while our badges are drawn,
# cairosvg's handler for <path> is swapped for one that reads only that form, keeps the
# cairo calls of each glyph's relative part once per process, and makes exactly the calls
# cairosvg's own reader (of the pinned version) makes, with the same numbers, so the PNG
# is the same to the byte; tests/test_badges.py compares the two on the golden cards and
# on the reader's edge cases, so a cairosvg upgrade that reads paths differently fails
# there. Any other path (a frame, an arc) and any path with markers goes to cairosvg.
_NUMBER = r"-?\d+(?:\.\d+)?"
# A glyph: its absolute move (the y after a space or its own minus sign), then the rest.
_GLYPH = re.compile(rf"M({_NUMBER})(?: |(?=-))({_NUMBER})([^M]*)")
_TOKEN = re.compile(rf" ?([mlqcz]|{_NUMBER})")
_ARGUMENTS = {"m": 2, "l": 2, "q": 4, "c": 6}
_MARKERS = ("marker", "marker-start", "marker-mid", "marker-end")

_Calls = tuple[tuple[str, tuple[float, ...]], ...]  # cairo Context method names and args


@contextmanager
def _glyph_paths() -> Iterator[None]:
    """Draw <path> elements with _draw_path while inside (cairosvg is not threaded here)."""
    tags = _cairosvg().surface.TAGS
    original = tags["path"]
    tags["path"] = partial(_draw_path, original)
    try:
        yield
    finally:
        tags["path"] = original


def _draw_path(cairosvg_path: Callable[[Any, Any], None], surface: Any, node: Any) -> None:
    glyphs = _glyph_calls(node.get("d", ""))
    if glyphs is None or any(key in node for key in _MARKERS):
        cairosvg_path(surface, node)
        return
    context = surface.context
    if not context.has_current_point():  # as cairosvg's reader does
        context.move_to(0, 0)
    for x, y, calls in glyphs:
        context.move_to(x, y)
        for method, arguments in calls:
            getattr(context, method)(*arguments)
    # Without node.vertices cairosvg draws no markers, and there are none (see above).


def _glyph_calls(d: str) -> list[tuple[float, float, _Calls]] | None:
    """The glyphs of an outline path: each start point and relative calls; None if the
    path is not in the glyph outlines' form."""
    glyphs = []
    end = 0
    for match in _GLYPH.finditer(d):
        calls = _relative_calls(match[3])
        if match.start() != end or calls is None:
            return None
        glyphs.append((float(match[1]), float(match[2]), calls))
        end = match.end()
    return glyphs if end == len(d) and glyphs else None


@lru_cache(maxsize=16384)
def _relative_calls(text: str) -> _Calls | None:
    """The cairo calls cairosvg makes for a glyph's relative part, right after its M."""
    tokens = []
    end = 0
    for match in _TOKEN.finditer(text):
        if match.start() != end:
            return None
        tokens.append(match[1])
        end = match.end()
    if end != len(text):
        return None
    calls: list[tuple[str, tuple[float, ...]]] = []
    previous = "M"
    index = 0
    while index < len(tokens):
        letter = tokens[index]
        index += 1
        if letter == "z":
            # cairosvg closes a subpath only when something was drawn since the last
            # move or close.
            if previous in "lqc":
                calls.append(("close_path", ()))
            previous = letter
            continue
        if letter not in _ARGUMENTS:  # a number where cairosvg would repeat a command
            return None
        while True:  # the command, then its implicit repeats (after m: l)
            count = _ARGUMENTS[letter]
            numbers = tokens[index:index + count]
            if len(numbers) < count or any(n in _ARGUMENTS or n == "z" for n in numbers):
                return None
            index += count
            values = tuple(float(n) for n in numbers)
            if letter == "m":
                calls.append(("rel_move_to", values))
            elif letter == "l":
                calls.append(("rel_line_to", values))
            elif letter == "q":  # cairo has no quadratic curve: cairosvg's own conversion
                helpers = _cairosvg().helpers
                calls.append(("rel_curve_to", tuple(helpers.quadratic_points(0, 0, *values))))
            else:
                calls.append(("rel_curve_to", values))
            previous = letter
            if index == len(tokens) or tokens[index] in _ARGUMENTS or tokens[index] == "z":
                break
            letter = "l" if letter == "m" else letter
    return tuple(calls)


# --- the whole set, incrementally, on all cores ---------------------------------------------
@dataclass(frozen=True)
class BuildResult:
    rendered: list[str]  # folders rendered this time
    reused: list[str]  # folders whose content key had not changed
    removed: list[str]


def content_key(design: Design, face: Face) -> str:
    digest = hashlib.sha256(design.fingerprint.encode())
    digest.update(json.dumps(face.__dict__, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def build_badges(root: Path, out: Path, mission: Mission, pledges: Iterable[Pledge],
                 base: str, *, workers: int | None = None,
                 progress: Callable[[str], None] | None = None) -> BuildResult:
    """Bring `out` up to date: re-render only the folders whose content changed."""
    design = load_design(root)
    faces = [generic_face(mission), *(face_of(p, base) for p in pledges)]
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST
    try:
        manifest: dict[str, str] = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    wanted = {face.key: content_key(design, face) for face in faces}
    stale = [f for f in faces if manifest.get(f.key) != wanted[f.key]
             or not (out / f.key).is_dir()]
    removed = sorted(set(manifest) - set(wanted))
    for key in removed:
        shutil.rmtree(out / key, ignore_errors=True)
    # Forget the stale entries first: an interrupted run then re-renders them next time.
    manifest = {k: v for k, v in manifest.items() if k in wanted and
                k not in {f.key for f in stale}}
    _write_atomic(manifest_path, _manifest_bytes(manifest))
    for key in _render_all(root, out, stale, workers):
        manifest[key] = wanted[key]
        if progress:
            progress(key)
    _write_atomic(manifest_path, _manifest_bytes(manifest))
    stale_keys = {f.key for f in stale}
    return BuildResult(rendered=sorted(stale_keys),
                       reused=sorted(set(wanted) - stale_keys), removed=removed)


def _manifest_bytes(manifest: dict[str, str]) -> bytes:
    return (json.dumps(manifest, sort_keys=True, indent=0) + "\n").encode()


def _render_all(root: Path, out: Path, faces: list[Face], workers: int | None) -> Iterator[str]:
    count = workers or os.cpu_count() or 1
    if count == 1 or len(faces) < 4:
        for face in faces:
            yield _render_into(root, out, face)
        return
    # fork: the workers inherit the loaded fonts, templates and cairosvg instead of loading
    # them again
    _cairosvg()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        yield from pool.map(_render_into, [root] * len(faces), [out] * len(faces), faces,
                            chunksize=max(1, min(64, len(faces) // (count * 8) or 1)))


def _render_into(root: Path, out: Path, face: Face) -> str:
    files = render_face(load_design(root), face)
    folder = out / face.key
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        _write_atomic(folder / name, data)
    return face.key


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    temporary.write_bytes(data)
    temporary.replace(path)
