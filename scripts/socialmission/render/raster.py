"""PNG from the badges' own SVG: the SVG is the one drawing, and this draws it with cairo.

A badge is drawn once, as SVG, by the design's templates; its PNG is that SVG painted
with cairo (through cairocffi's Context and its documented CFFI API: see _Painter) and
stored with a palette. Only the part of SVG the badge templates use is read, and anything
else is refused by name, so that a template can never draw something its PNG silently
leaves out:

- elements: svg (its viewBox must be "0 0 width height"), g, defs, path, rect, circle,
  use (href to an element of this document), and title, desc and the baked Open Badges
  assertion and credential, which are not painted;
- attributes: fill and stroke (#rgb, #rrggbb or none), stroke-width, stroke-linecap,
  stroke-linejoin, transform (translate and scale), and the geometry of each element;
- path data: the whole SVG path grammar (M L H V C S Q T A Z, absolute and relative).

Painting follows SVG: each element is filled (non-zero rule) then stroked, in document
order, with SVG's default miter limit; presentation attributes are inherited.

The image is then reduced to a palette of at most 256 colours, without dithering (see
encode: Pillow's fast octree of OCTREE_COLOURS, or for an opaque picture the colours it
was painted with and blends of them): a badge has a few flat colours and the
anti-aliased edges between them, so the palette keeps every pixel within
PALETTE_TOLERANCE of the full-colour drawing (tests/render/test_badges.py measures it)
at a third to a quarter of the bytes.
The opaque social card, whose shapes all sit on its background, takes 16 colours and 4
bits a pixel when its colours leave room for BACKGROUND_BLENDS blends of each with the
background (within SMALL_PALETTE_TOLERANCE, a fifth fewer bytes). The cards, whose
corners are transparent, take 16 entries and 4 bits a pixel likewise: their colours,
blends with the background for those farthest from it, and the translucent edge of the
corners at TRANSLUCENT_ALPHAS (_translucent_palette; a quarter to a third fewer bytes).
The PNG file is written here (palette_png): rows unfiltered, and a short tRNS.
"""

from __future__ import annotations

import math
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from PIL import Image, ImageStat

from socialmission.errors import EXIT_PROBLEMS, UsageError
from socialmission.model.png import SIGNATURE, encode_chunk
from socialmission.render.bake import OB2_ELEMENT, OB2_NAMESPACE, OB3_ELEMENT, OB3_NAMESPACE
from socialmission.render.cairolib import cairo

SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Not painted: text alternatives, and the baked Open Badges assertion and credential.
_SILENT = {f"{SVG_NS}title", f"{SVG_NS}desc", f"{{{OB2_NAMESPACE}}}{OB2_ELEMENT}",
           f"{{{OB3_NAMESPACE}}}{OB3_ELEMENT}"}
_PRESENTATION = {"fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin"}
_ROOT_ATTRIBUTES = {"width", "height", "viewBox", "role", "aria-label"}
_GEOMETRY = {
    "g": {"role", "aria-label", "aria-hidden"},
    "defs": set(),
    "path": {"d"},
    "rect": {"x", "y", "width", "height", "rx", "ry"},
    "circle": {"cx", "cy", "r"},
    "use": {"href", XLINK_HREF, "x", "y"},
}
MITER_LIMIT = 4  # SVG's default (cairo's own is 10)
PALETTE_COLOURS = 256
# The octree's palette for pictures with transparency (the cards): 64 colours keep every
# pixel of the golden cards within PALETTE_TOLERANCE (24 levels at worst, as 256 do) in 9 %
# fewer bytes; 48 would not (47 levels).
OCTREE_COLOURS = 64
# The most any colour channel of a pixel moves when the drawing is given its palette, in
# levels of 255 (measured on the golden badges: 24 at the worst anti-aliased edge pixel).
PALETTE_TOLERANCE = 32
PNG_COMPRESSION = 6  # zlib level: 9 saves 7 % of the bytes for four times the time
# The opaque social card (1200x630 px, 4 bits a pixel, unfiltered): level 6 writes 3 to 4 %
# fewer bytes than 4 (about 600) for 1.3 ms more; 8, 7 % fewer for 8 ms more.
OPAQUE_COMPRESSION = 6
# A picture drawn once a process and copied into every signatory's folder (the compact
# PNGs: folder.py): level 9, 4 to 5 % fewer bytes for about a millisecond once.
SHARED_COMPRESSION = 9
# zlib's memLevel (its default): 9 made the 4-bit social card 1.2 % larger, the cards as large.
DEFLATE_MEMORY = 8


class DrawingError(UsageError, ValueError):
    """An SVG the PNG writer cannot draw: says what, so the template can be fixed. The
    templates are the registry's own, so it ends the command with a message, not a
    traceback (render/folder.py names the template)."""

    exit_code = EXIT_PROBLEMS


def to_png(svg: str, scale: int, level: int | None = None) -> bytes:
    """The SVG document `svg` painted at `scale` px per px, as a palette PNG (deflated at
    zlib `level`, if given, instead of encode's choice)."""
    return encode(*_paint(svg, scale), level=level)


def draw(svg: str, scale: int) -> Image.Image:
    """The SVG document painted at `scale` px per px, in full colour: RGB when its first
    shape covers it (see _covered), else RGBA."""
    return _paint(svg, scale)[0]


_RGB = tuple[int, int, int]


def _paint(svg: str, scale: int) -> tuple[Image.Image, tuple[_RGB, ...], bool]:
    """The picture, the colours it was painted with, in the order first used, and whether
    its first shape is a rectangle under all of it (see _backed)."""
    try:
        # The badge's own SVG, from the design's autoescaping templates: no DTD, no
        # entities (an entity bomb would have to be in a template), nothing fetched.
        root = ET.fromstring(svg)  # noqa: S314
    except ET.ParseError as error:
        raise DrawingError(f"the badge SVG is not well-formed XML: {error}") from None
    if root.tag != f"{SVG_NS}svg":
        raise DrawingError(f"the badge's root element is {_name(root.tag)}, not svg")
    width, height = _size(root)
    library = cairo()
    opaque = _covered(root, width, height)
    surface = library.ImageSurface(library.FORMAT_RGB24 if opaque else library.FORMAT_ARGB32,
                                   width * scale, height * scale)
    context = library.Context(surface)
    context.scale(scale, scale)
    context.set_miter_limit(MITER_LIMIT)
    ids = {element.get("id"): element for element in root.iter() if element.get("id")}
    unknown = sorted(set(root.attrib) - _ROOT_ATTRIBUTES)
    if unknown:
        raise DrawingError(f"the badge's <svg> has {', '.join(map(repr, unknown))}, which its "
                           "PNG cannot show: move presentation attributes to a <g>")
    painter = _Painter(context, ids)
    try:
        painter.children(root, _Style())
    except library.CairoError:  # a wrapper's call found the context in error: said below
        if not library.cairo.cairo_status(painter.pointer):
            raise
    # cairo keeps its first error (a transform that scales by 0, say) and draws nothing
    # after it: a template's mistake, said as such rather than as a traceback.
    status = library.cairo.cairo_status(painter.pointer)
    if status:
        message = library.ffi.string(library.cairo.cairo_status_to_string(status)).decode()
        raise DrawingError(f"cairo cannot draw the badge: {message}")
    surface.flush()
    colours = tuple((round(r * 255), round(g * 255), round(b * 255)) for r, g, b in painter.colours)
    return (_image(bytes(surface.get_data()), width * scale, height * scale, opaque), colours,
            _backed(root, width, height))


def _covered(root: ET.Element, width: int, height: int) -> bool:
    """Whether the first thing the badge paints is an opaque rectangle over all of it (the
    social preview's background): then it is drawn without an alpha channel."""
    first = next((child for child in root
                  if child.tag not in _SILENT and child.tag != f"{SVG_NS}defs"), None)
    if first is None or first.tag != f"{SVG_NS}rect":
        return False
    plain = set(first.attrib) <= {"x", "y", "width", "height", "fill"}
    return (plain and first.get("x", "0") == "0" and first.get("y", "0") == "0"
            and first.get("width") == str(width) and first.get("height") == str(height)
            and _HEX.fullmatch(first.get("fill", "#000")) is not None)


def _backed(root: ET.Element, width: int, height: int) -> bool:
    """Whether the first thing the badge paints is a rectangle of one opaque colour under
    all of it, within a pixel (the card's, with its rounded corners and its border)."""
    first = next((child for child in root
                  if child.tag not in _SILENT and child.tag != f"{SVG_NS}defs"), None)
    if first is None or first.tag != f"{SVG_NS}rect" or \
            _HEX.fullmatch(first.get("fill", "#000")) is None:
        return False
    try:
        x, y = float(first.get("x", "0")), float(first.get("y", "0"))
        right, bottom = x + float(first.get("width", "0")), y + float(first.get("height", "0"))
    except ValueError:
        return False
    return x <= 1 and y <= 1 and right >= width - 1 and bottom >= height - 1


def encode(image: Image.Image, colours: Sequence[_RGB] = (), backed: bool = False,
           level: int | None = None) -> bytes:
    """A palette PNG of `image` (see the module's docstring), the same bytes every run.

    An opaque picture painted with few `colours` (the social preview: 1200x630 px, five
    times a card's pixels) is mapped onto those colours and evenly spaced blends of each
    pair of them, which is what anti-aliasing makes of flat shapes, in a fifth of the
    octree's time. A picture with transparency whose shapes sit on one background (a
    card, `backed`: its transparent corners aside) takes _translucent_palette; others
    (the compact badge, two backgrounds side by side) the octree.
    """
    blends = None
    if image.mode == "RGB":
        blends = _background_palette(tuple(colours)) or _blend_palette(tuple(colours))
    elif backed and (small := _translucent_palette(image, tuple(colours))) is not None:
        return palette_png(small, PNG_COMPRESSION if level is None else level)
    if blends is not None:
        palette = image.quantize(palette=blends, dither=Image.Dither.NONE)
    else:
        palette = image.quantize(OCTREE_COLOURS, method=Image.Quantize.FASTOCTREE,
                                 dither=Image.Dither.NONE)
    if level is None:
        level = OPAQUE_COMPRESSION if image.mode == "RGB" else PNG_COMPRESSION
    return palette_png(palette, level)


# Bits a pixel of a palette of at most so many entries (PNG allows 1, 2, 4 and 8).
_BIT_DEPTHS = ((2, 1), (4, 2), (16, 4), (256, 8))


def palette_png(image: Image.Image, level: int = PNG_COMPRESSION) -> bytes:
    """A palette image (mode P) as a PNG file: as few bits a pixel as its palette allows,
    each row unfiltered (PNG's advice for palette images: on the badges, Pillow's adaptive
    filters made the 4-bit social card 13 % larger, and cost time), deflated at zlib
    `level`. In a palette with translucent entries (the cards' corners), those come
    first, so that tRNS (the entries' alpha, in order, leaving out the opaque ones at the
    end) is a few bytes instead of one an entry, and the entries no pixel uses are left
    out; an opaque palette (the social card's) is written as it is."""
    entries = image.getpalette("RGBA") or [0, 0, 0, 255]
    order = list(range(len(entries) // 4))
    if min(entries[3::4]) < 255:  # an opaque palette (the social card's) is kept whole
        histogram = image.histogram()
        order = sorted((index for index in order if histogram[index]),
                       key=lambda index: entries[4 * index + 3] == 255)  # stable
    data = image.tobytes()
    if order != list(range(len(entries) // 4)):
        table = bytearray(256)
        for new, old in enumerate(order):
            table[old] = new
        data = data.translate(table)
        entries = [value for index in order for value in entries[4 * index:4 * index + 4]]
    bits = next(depth for most, depth in _BIT_DEPTHS if len(entries) // 4 <= most)
    width, height = image.size
    if bits < 8:
        data = Image.frombytes("P", (width, height), data).tobytes("raw", f"P;{bits}")
    stride = (width * bits + 7) // 8
    rows = b"".join(b"\0" + data[start:start + stride]
                    for start in range(0, len(data), stride))
    deflate = zlib.compressobj(level, zlib.DEFLATED, 15, DEFLATE_MEMORY)
    alphas = bytes(entries[3::4]).rstrip(b"\xff")
    return b"".join([
        SIGNATURE,
        encode_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bits, 3, 0, 0, 0)),
        encode_chunk(b"PLTE", bytes(value for index, value in enumerate(entries)
                                    if index % 4 != 3)),
        encode_chunk(b"tRNS", alphas) if alphas else b"",
        encode_chunk(b"IDAT", deflate.compress(rows) + deflate.flush()),
        encode_chunk(b"IEND", b""),
    ])


# Blends between two colours, in equal steps: anti-aliased edges keep within 32 levels
# (255 / 8 / 2, rounded up), as the octree's do, in as many bytes and less time.
BLEND_STEPS = 8


@lru_cache(maxsize=64)
def _blend_palette(colours: tuple[_RGB, ...]) -> Image.Image | None:
    """A palette of `colours` and, for each pair, the BLEND_STEPS - 1 blends between
    them; None when that would not fit in 256 entries (or there is nothing to blend)."""
    unique = list(dict.fromkeys(colours))
    pairs = [(a, b) for index, a in enumerate(unique) for b in unique[index + 1:]]
    if not pairs or len(unique) + len(pairs) * (BLEND_STEPS - 1) > PALETTE_COLOURS:
        return None
    entries: list[tuple[int, ...]] = list(unique)
    for a, b in pairs:
        entries.extend(tuple(round(a[c] + (b[c] - a[c]) * k / BLEND_STEPS) for c in range(3))
                       for k in range(1, BLEND_STEPS))
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for entry in entries for value in entry])
    return palette


# A palette of SMALL_PALETTE colours is written 4 bits a pixel (Pillow picks the depth from
# the palette's length). Blends with the background only, BACKGROUND_BLENDS (or more) of
# each colour: an edge between two other colours (none on the social card: its text, pill,
# mark and rules all sit on the background, and the pill's and mark's white is the
# background's) takes the nearest entry.
SMALL_PALETTE = 16
BACKGROUND_BLENDS = 2
# The most a channel moves with BACKGROUND_BLENDS blends: a third of the darkest text's
# distance from white, halved (measured on the golden social cards: 43 levels).
SMALL_PALETTE_TOLERANCE = 48


@lru_cache(maxsize=64)
def _background_palette(colours: tuple[_RGB, ...]) -> Image.Image | None:
    """`colours` (the first is the background, painted over the whole picture) and, for
    each other, as many evenly spaced blends with the background as SMALL_PALETTE holds;
    None when that is fewer than BACKGROUND_BLENDS (or there is nothing to blend)."""
    unique = list(dict.fromkeys(colours))
    if len(unique) < 2:
        return None
    steps = (SMALL_PALETTE - len(unique)) // (len(unique) - 1)
    if steps < BACKGROUND_BLENDS:
        return None
    background = unique[0]
    entries: list[tuple[int, ...]] = list(unique)
    for colour in unique[1:]:
        entries.extend(tuple(round(background[c] + (colour[c] - background[c]) * k
                                   / (steps + 1)) for c in range(3))
                       for k in range(1, steps + 1))
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for entry in entries for value in entry])
    return palette


# A picture with transparency (a card: its rounded corners) in SMALL_PALETTE entries too:
# fully transparent, its corners' translucent edge at these alphas (the colour the
# translucent pixels are painted in, at about a third and two thirds), and opaque colours.
TRANSLUCENT_ALPHAS = (170, 85)


def _translucent_palette(image: Image.Image, colours: tuple[_RGB, ...]) -> Image.Image | None:
    """`image` (RGBA) mapped onto SMALL_PALETTE entries, as the opaque social card is:
    its `colours` (the first, the background, painted first) and blends of each with the
    background, given one at a time to the colour whose edges would be furthest from a
    palette entry, the translucent edge at TRANSLUCENT_ALPHAS, and transparency. None
    (the octree then) when that would leave an edge on the background further than
    SMALL_PALETTE_TOLERANCE from the nearest entry. An edge between two other colours
    (the card's tick on its emblem) takes the nearest entry, as on the social card."""
    unique = list(dict.fromkeys(colours))
    if len(unique) < 2:
        return None
    background, others = unique[0], unique[1:]
    blends = dict.fromkeys(others, 0)
    for _ in range(SMALL_PALETTE - len(unique) - len(TRANSLUCENT_ALPHAS) - 1):
        farthest = max(others, key=lambda c: _distance(c, background) / (blends[c] + 1))
        blends[farthest] += 1
    if any(_distance(colour, background) / (2 * (count + 1)) > SMALL_PALETTE_TOLERANCE
           for colour, count in blends.items()):
        return None
    entries: list[tuple[int, ...]] = list(unique)
    for colour, count in blends.items():
        entries.extend(tuple(round(background[c] + (colour[c] - background[c]) * k
                                   / (count + 1)) for c in range(3))
                       for k in range(1, count + 1))
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for entry in entries for value in entry])
    rgb = image.convert("RGB")
    mapped = rgb.quantize(palette=palette, dither=Image.Dither.NONE)
    alpha = image.getchannel("A")
    translucent = alpha.point(_TRANSLUCENT)
    mean = ImageStat.Stat(rgb, translucent).mean if translucent.getbbox() else background
    edge = min(unique, key=lambda colour: _distance(colour, mean))
    rgba = [(*entry, 255) for entry in entries]
    for band, level in zip(_ALPHA_BANDS, (*TRANSLUCENT_ALPHAS, 0), strict=True):
        mapped.paste(len(rgba), mask=alpha.point(band))
        rgba.append((*edge, level) if level else (0, 0, 0, 0))
    mapped.putpalette([value for entry in rgba for value in entry], "RGBA")
    return mapped


def _distance(a: Sequence[float], b: Sequence[float]) -> float:
    """The largest difference of two colours' channels, in levels."""
    return max(abs(x - y) for x, y in zip(a, b, strict=True))


def _band(low: int, high: int) -> list[int]:
    """A point() table: 255 for the alphas in [low, high), else 0."""
    return [255 if low <= value < high else 0 for value in range(256)]


_TRANSLUCENT = _band(1, 255)
# Each alpha goes to the nearest of 255, TRANSLUCENT_ALPHAS and 0.
_ALPHA_LEVELS = (255, *TRANSLUCENT_ALPHAS, 0)
_ALPHA_BANDS = tuple(_band(0 if below is None else (level + below + 1) // 2,
                           (above + level + 1) // 2)
                     for above, level, below in zip(_ALPHA_LEVELS[:-1], _ALPHA_LEVELS[1:],
                                                    (*_ALPHA_LEVELS[2:], None), strict=True))


def _image(data: bytes, width: int, height: int, opaque: bool) -> Image.Image:
    """cairo's ARGB32 pixels (premultiplied, native-endian words) as a Pillow image; or
    its RGB24 pixels (the same words, the top byte unused)."""
    if opaque:
        rawmode = "BGRX" if sys.byteorder == "little" else "XRGB"
        return Image.frombuffer("RGB", (width, height), data, "raw", rawmode, 0, 1)
    if sys.byteorder == "little":  # the bytes of each pixel are B, G, R, A
        return Image.frombuffer("RGBA", (width, height), data, "raw", "BGRa", 0, 1)
    # big-endian: A, R, G, B; reversed, the buffer is B, G, R, A from the last pixel on
    flipped = Image.frombuffer("RGBA", (width, height), data[::-1], "raw", "BGRa", 0, 1)
    return flipped.transpose(Image.Transpose.ROTATE_180)


def _name(tag: str) -> str:
    return tag.removeprefix(SVG_NS)


def _size(root: ET.Element) -> tuple[int, int]:
    try:
        width, height = int(root.get("width", "")), int(root.get("height", ""))
    except ValueError:
        raise DrawingError("the badge's <svg> needs whole-pixel width and height: got "
                           f"{root.get('width')!r} and {root.get('height')!r}") from None
    if root.get("viewBox") != f"0 0 {width} {height}":
        raise DrawingError(f"the badge's viewBox must be '0 0 {width} {height}', its size: "
                           f"got {root.get('viewBox')!r}")
    if not (0 < width <= 4096 and 0 < height <= 4096):
        raise DrawingError(f"the badge must be 1 to 4096 px each way: got {width}x{height}")
    return width, height


# --- painting ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Style:
    """The inherited presentation attributes, with SVG's initial values."""

    fill: tuple[float, float, float] | None = (0.0, 0.0, 0.0)
    stroke: tuple[float, float, float] | None = None
    stroke_width: float = 1.0
    linecap: str = "butt"
    linejoin: str = "miter"


_CAPS = {"butt": "LINE_CAP_BUTT", "round": "LINE_CAP_ROUND", "square": "LINE_CAP_SQUARE"}
_JOINS = {"miter": "LINE_JOIN_MITER", "round": "LINE_JOIN_ROUND", "bevel": "LINE_JOIN_BEVEL"}


class _Painter:
    """Paints the elements of a badge on a cairo context.

    A badge paints some fifty to a hundred glyphs, each a <use> of a path in <defs>, and
    each of those is a dozen cairo calls. So the calls made for every shape go to cairo
    itself, through cairocffi's documented CFFI API (`cairocffi.cairo`, the library, and
    `Context._pointer`, the cairo_t), not through a wrapper method that checks the status
    after each call; and a path is handed to cairo whole (cairo_append_path, which draws
    it in the current user space exactly as the calls one by one would), built once per
    path data (_native_path). cairo keeps the first error in the context and ignores the
    calls after it: _paint checks the status once, at the end.
    """

    def __init__(self, context: Any, ids: dict[str | None, ET.Element]) -> None:
        self.context = context
        self.library = cairo().cairo
        self.pointer = context._pointer  # the cairo_t (cairocffi documents _pointer)
        self.ids = ids
        self.depth = 0  # of <use>, which may not refer to itself
        # The shared glyphs <use> draws, by element: see _glyph.
        self.glyphs: dict[ET.Element, _NativePath | None] = {}
        self.colours: dict[tuple[float, float, float], None] = {}  # in the order used

    def children(self, parent: ET.Element, style: _Style) -> None:
        for child in parent:
            self.element(child, style)

    def element(self, element: ET.Element, style: _Style) -> None:
        if element.tag in _SILENT:
            return
        attributes = element.attrib
        kind = _checked(element.tag, tuple(attributes))
        if kind == "defs":
            return
        if not _PRESENTATION.isdisjoint(attributes):
            style = _styled(style, element)
        transform = attributes.get("transform")
        moved = kind == "use" or bool(transform)
        library, pointer = self.library, self.pointer
        if moved:
            library.cairo_save(pointer)
            for name, numbers in _transforms(transform or ""):
                if name == "translate":
                    library.cairo_translate(pointer, *numbers)
                else:
                    library.cairo_scale(pointer, *numbers)
        if kind == "g":
            self.children(element, style)
        elif kind == "use":
            self.use(element, style)
        else:
            library.cairo_new_path(pointer)
            _outline(self.context, kind, element)
            self.paint(style)
        if moved:
            library.cairo_restore(pointer)

    def use(self, element: ET.Element, style: _Style) -> None:
        href = element.get("href") or element.get(XLINK_HREF) or ""
        target = self.ids.get(href[1:]) if href.startswith("#") else None
        if target is None:
            raise DrawingError(f"<use> refers to {href!r}, which is no element of the badge")
        if self.depth > 8:
            raise DrawingError(f"<use href={href!r}> refers to itself")
        library, pointer = self.library, self.pointer
        library.cairo_translate(pointer, _number(element, "x"), _number(element, "y"))
        if target not in self.glyphs:
            self.glyphs[target] = _glyph(target)
        glyph = self.glyphs[target]
        if glyph is not None:  # what element() would do with it, in fewer steps
            library.cairo_new_path(pointer)
            library.cairo_append_path(pointer, glyph.path)
            self.paint(style)
            return
        self.depth += 1
        self.element(target, style)
        self.depth -= 1

    def paint(self, style: _Style) -> None:
        library, pointer = self.library, self.pointer
        if style.fill is not None:
            self.colours[style.fill] = None
            library.cairo_set_source_rgb(pointer, *style.fill)
            if style.stroke is not None:
                library.cairo_fill_preserve(pointer)
            else:
                library.cairo_fill(pointer)
        if style.stroke is not None and style.stroke_width > 0:
            self.colours[style.stroke] = None
            library.cairo_set_source_rgb(pointer, *style.stroke)
            library.cairo_set_line_width(pointer, style.stroke_width)
            library.cairo_set_line_cap(pointer, getattr(cairo(), _CAPS[style.linecap]))
            library.cairo_set_line_join(pointer, getattr(cairo(), _JOINS[style.linejoin]))
            library.cairo_stroke(pointer)
        library.cairo_new_path(pointer)


def _glyph(element: ET.Element) -> _NativePath | None:
    """A <path> with only an id and path data of moves, lines, curves and closes (a shared
    glyph: shaping.py), as cairo path data; None for anything else."""
    if element.tag != f"{SVG_NS}path" or not set(element.attrib) <= {"id", "d"}:
        return None
    return _native_path(element.get("d", ""))


@lru_cache(maxsize=256)
def _checked(tag: str, attributes: tuple[str, ...]) -> str:
    """The kind of element (its tag without the namespace), once its tag and attributes
    are known to be ones the PNG can show (else a DrawingError that says what to do)."""
    kind = _name(tag)
    allowed = _GEOMETRY.get(kind)
    if allowed is None or not tag.startswith(SVG_NS):
        raise DrawingError(f"the badge draws <{kind}>, which its PNG cannot show: use "
                           "path, rect, circle, use or g (text as outlines)")
    unknown = sorted(set(attributes) - allowed - _PRESENTATION - {"id", "transform"})
    if unknown:
        raise DrawingError(f"<{kind}> has {', '.join(map(repr, unknown))}, which the "
                           "badge's PNG cannot show: draw it with "
                           f"{', '.join(sorted(_PRESENTATION))} and transform "
                           "(translate, scale)")
    return kind


def _styled(style: _Style, element: ET.Element) -> _Style:
    changes: dict[str, Any] = {}
    for attribute, field in (("fill", "fill"), ("stroke", "stroke")):
        if attribute in element.attrib:
            changes[field] = _colour(element.attrib[attribute])
    if "stroke-width" in element.attrib:
        changes["stroke_width"] = _number(element, "stroke-width")
    for attribute, field, choices in (("stroke-linecap", "linecap", _CAPS),
                                      ("stroke-linejoin", "linejoin", _JOINS)):
        value = element.get(attribute)
        if value is not None:
            if value not in choices:
                raise DrawingError(f"{attribute} must be one of {', '.join(choices)}: "
                                   f"got {value!r}")
            changes[field] = value
    return replace(style, **changes) if changes else style


_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


@lru_cache(maxsize=256)
def _colour(value: str) -> tuple[float, float, float] | None:
    if value == "none":
        return None
    match = _HEX.fullmatch(value)
    if match is None:
        raise DrawingError(f"a badge colour must be #rgb, #rrggbb or none: got {value!r}")
    digits = match[1] if len(match[1]) == 6 else "".join(c * 2 for c in match[1])
    red, green, blue = (int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_NUMBER_ONLY = re.compile(_NUMBER)


def _number(element: ET.Element, attribute: str, default: float = 0.0) -> float:
    value = element.get(attribute)
    if value is None:
        return default
    number = _px(value)
    if number is None:
        raise DrawingError(f"<{_name(element.tag)}> {attribute} must be a number in px: "
                           f"got {value!r}")
    return number


@lru_cache(maxsize=4096)
def _px(value: str) -> float | None:
    return float(value) if _NUMBER_ONLY.fullmatch(value.strip()) else None


_TRANSFORM = re.compile(r"\s*(translate|scale)\s*\(([^()]*)\)\s*,?")


@lru_cache(maxsize=1024)
def _transforms(value: str) -> tuple[tuple[str, tuple[float, ...]], ...]:
    """A transform attribute as cairo calls: only translate and scale."""
    calls: list[tuple[str, tuple[float, ...]]] = []
    end = 0
    for match in _TRANSFORM.finditer(value):
        numbers = [float(n) for n in re.findall(_NUMBER, match[2])]
        if match.start() != end or not 1 <= len(numbers) <= 2:
            break
        if match[1] == "translate":
            calls.append(("translate", (numbers[0], numbers[1] if len(numbers) > 1 else 0)))
        else:
            calls.append(("scale", (numbers[0], numbers[-1])))
        end = match.end()
    if end != len(value) or (value.strip() and not calls):
        raise DrawingError("a badge transform may only translate and scale: got "
                           f"{value!r}")
    return tuple(calls)


def _outline(context: Any, kind: str, element: ET.Element) -> None:
    if kind == "path":
        d = element.get("d", "")
        native = _native_path(d)
        if native is not None:
            cairo().cairo.cairo_append_path(context._pointer, native.path)
        else:
            for name, numbers in path_calls(d):
                getattr(context, name)(*numbers)
    elif kind == "rect":
        _rect(context, element)
    else:  # circle
        radius = _number(element, "r")
        if radius > 0:
            context.arc(_number(element, "cx"), _number(element, "cy"), radius, 0,
                        2 * math.pi)
            context.close_path()


# cairo's path data: each call as (cairo_path_data_type_t, how many points follow).
_PATH_DATA = {"move_to": (0, 1), "line_to": (1, 1), "curve_to": (2, 3), "close_path": (3, 0)}


@dataclass(frozen=True)
class _NativePath:
    """A cairo_path_t built from path data, and the array it points into (kept alive with
    it: cffi frees memory with the last Python reference to it)."""

    path: Any
    data: Any


@lru_cache(maxsize=16384)
def _native_path(d: str) -> _NativePath | None:
    """Path data `d` as a cairo_path_t for cairo_append_path: the points path_calls gives,
    as the same doubles; None when drawing it takes more than moves, lines, curves and
    closes (an arc is drawn in a transformed user space)."""
    calls = path_calls(d)
    if any(name not in _PATH_DATA for name, _ in calls):
        return None
    ffi = cairo().ffi
    data = ffi.new("cairo_path_data_t[]", sum(1 + _PATH_DATA[name][1] for name, _ in calls))
    index = 0
    for name, numbers in calls:
        kind, points = _PATH_DATA[name]
        data[index].header.type = kind
        data[index].header.length = 1 + points
        for point in range(points):
            data[index + 1 + point].point.x = numbers[2 * point]
            data[index + 1 + point].point.y = numbers[2 * point + 1]
        index += 1 + points
    path = ffi.new("cairo_path_t *", {"status": 0, "data": data, "num_data": index})
    return _NativePath(path, data)


def _rect(context: Any, element: ET.Element) -> None:
    x, y = _number(element, "x"), _number(element, "y")
    width, height = _number(element, "width"), _number(element, "height")
    if width <= 0 or height <= 0:
        return
    rx = _number(element, "rx", -1)
    ry = _number(element, "ry", -1)
    rx, ry = (rx if rx >= 0 else max(ry, 0)), (ry if ry >= 0 else max(rx, 0))
    rx, ry = min(rx, width / 2), min(ry, height / 2)
    if not rx or not ry:
        context.rectangle(x, y, width, height)
        return
    for cx, cy, start in ((x + width - rx, y + ry, -math.pi / 2), (x + width - rx,
                          y + height - ry, 0.0), (x + rx, y + height - ry, math.pi / 2),
                          (x + rx, y + ry, math.pi)):
        context.save()
        context.translate(cx, cy)
        context.scale(rx, ry)
        context.arc(0, 0, 1, start, start + math.pi / 2)
        context.restore()
    context.close_path()


# --- path data --------------------------------------------------------------------------
_TOKEN = re.compile(rf"\s*,?\s*([MmLlHhVvCcSsQqTtAaZz]|{_NUMBER})")
_ARGUMENTS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}
_Calls = tuple[tuple[str, tuple[float, ...]], ...]  # cairo Context method names and args


@lru_cache(maxsize=16384)
def path_calls(d: str) -> _Calls:
    """The cairo calls that draw SVG path data `d`, in absolute coordinates.

    Errors end the drawing at the last whole command, as SVG renderers do; a badge's
    paths come from its templates and shaping.py, so a broken one is refused instead."""
    calls: list[tuple[str, tuple[float, ...]]] = []
    x = y = start_x = start_y = 0.0
    control: tuple[float, float] | None = None  # the last curve's second control point
    previous = ""
    for letter, numbers in _commands(d):
        lower = letter.lower()
        relative = letter == lower and lower != "z"
        dx, dy = (x, y) if relative else (0.0, 0.0)
        quadratic = previous in "qt" and lower in "qt"
        cubic = previous in "cs" and lower in "cs"
        reflected = ((2 * x - control[0], 2 * y - control[1])
                     if control is not None and (quadratic or cubic) else (x, y))
        next_control: tuple[float, float] | None = None
        if lower == "m":
            x, y = numbers[0] + dx, numbers[1] + dy
            start_x, start_y = x, y
            calls.append(("move_to", (x, y)))
        elif lower == "z":
            calls.append(("close_path", ()))
            x, y = start_x, start_y
        elif lower in "lhv":
            if lower == "h":
                x = numbers[0] + dx
            elif lower == "v":
                y = numbers[0] + dy
            else:
                x, y = numbers[0] + dx, numbers[1] + dy
            calls.append(("line_to", (x, y)))
        elif lower in "cs":
            if lower == "c":
                x1, y1 = numbers[0] + dx, numbers[1] + dy
                rest = numbers[2:]
            else:
                (x1, y1), rest = reflected, numbers
            x2, y2 = rest[0] + dx, rest[1] + dy
            x, y = rest[2] + dx, rest[3] + dy
            calls.append(("curve_to", (x1, y1, x2, y2, x, y)))
            next_control = (x2, y2)
        elif lower in "qt":
            if lower == "q":
                qx, qy = numbers[0] + dx, numbers[1] + dy
                end_x, end_y = numbers[2] + dx, numbers[3] + dy
            else:
                (qx, qy), (end_x, end_y) = reflected, (numbers[0] + dx, numbers[1] + dy)
            calls.append(("curve_to", _raised((x, y), (qx, qy), (end_x, end_y))))
            x, y = end_x, end_y
            next_control = (qx, qy)
        else:  # arc
            end_x, end_y = numbers[5] + dx, numbers[6] + dy
            calls.extend(_arc((x, y), (end_x, end_y), tuple(numbers[:5])))
            x, y = end_x, end_y
        control, previous = next_control, lower
    return tuple(calls)


def _raised(start: tuple[float, float], control: tuple[float, float],
            end: tuple[float, float]) -> tuple[float, ...]:
    """A quadratic curve's points as the cubic curve cairo draws (its control point raised
    by a degree)."""
    (x, y), (qx, qy), (end_x, end_y) = start, control, end
    return (x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y), end_x + 2 / 3 * (qx - end_x),
            end_y + 2 / 3 * (qy - end_y), end_x, end_y)


def _commands(d: str) -> Iterator[tuple[str, Sequence[float]]]:
    tokens: list[str] = []
    end = 0
    for match in _TOKEN.finditer(d):
        if match.start() != end:
            break
        tokens.append(match[1])
        end = match.end()
    if d[end:].strip():
        where = len(d) - len(d[end:].lstrip())
        raise DrawingError(f"path data has {d[where:where + 12]!r} where a command or a "
                           f"number belongs, at character {where}")
    index = 0
    letter = ""
    while index < len(tokens):
        token = tokens[index]
        if token.isalpha():
            letter = token
            index += 1
        elif not letter or letter in "zZ":
            raise DrawingError(f"path data needs a command before {token!r}: "
                               f"{d[:40]!r}")
        count = _ARGUMENTS[letter.lower()]
        numbers = tokens[index:index + count]
        if len(numbers) < count or any(n.isalpha() for n in numbers):
            raise DrawingError(f"path command {letter!r} needs {count} numbers: {d[:40]!r}")
        if letter in "aA" and not all(flag in {"0", "1"} for flag in numbers[3:5]):
            raise DrawingError(f"an arc's flags must be 0 or 1, each on its own: "
                               f"{' '.join(numbers)!r}")
        index += count
        yield letter, [float(n) for n in numbers]
        if letter in "mM":  # numbers after a move are lines
            letter = "l" if letter == "m" else "L"


def _arc(start: tuple[float, float], end: tuple[float, float],
         arguments: tuple[float, ...]) -> list[tuple[str, tuple[float, ...]]]:
    """An SVG elliptical arc (rx ry rotation large-arc sweep) from `start` to `end`, as
    cairo calls (SVG 1.1, appendix F.6.5-F.6.6)."""
    (x1, y1), (x2, y2) = start, end
    rx, ry, rotation, large, sweep = arguments
    if (x1, y1) == (x2, y2):
        return []
    rx, ry = abs(rx), abs(ry)
    if not rx or not ry:
        return [("line_to", (x2, y2))]
    phi = math.radians(rotation % 360)
    cos, sin = math.cos(phi), math.sin(phi)
    hx, hy = (x1 - x2) / 2, (y1 - y2) / 2
    px, py = cos * hx + sin * hy, -sin * hx + cos * hy
    grow = (px / rx) ** 2 + (py / ry) ** 2
    if grow > 1:
        rx, ry = rx * math.sqrt(grow), ry * math.sqrt(grow)
    numerator = max(0.0, (rx * ry) ** 2 - (rx * py) ** 2 - (ry * px) ** 2)
    factor = math.sqrt(numerator / ((rx * py) ** 2 + (ry * px) ** 2))
    if large == sweep:
        factor = -factor
    cxp, cyp = factor * rx * py / ry, -factor * ry * px / rx
    cx = cos * cxp - sin * cyp + (x1 + x2) / 2
    cy = sin * cxp + cos * cyp + (y1 + y2) / 2
    first = math.atan2((py - cyp) / ry, (px - cxp) / rx)
    last = math.atan2((-py - cyp) / ry, (-px - cxp) / rx)
    method = "arc" if sweep else "arc_negative"
    return [("save", ()), ("translate", (cx, cy)), ("rotate", (phi,)), ("scale", (rx, ry)),
            (method, (0.0, 0.0, 1.0, first, last)), ("restore", ())]

