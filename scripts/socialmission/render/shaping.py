"""Measure and draw a signatory's name with the fonts the registry ships, in any script.

Badges must look the same on every machine, and cairo's own text drawing does no
shaping (it draws one font's glyphs one character at a time, so Arabic would not join and
Devanagari would lose its conjuncts). So a name is laid out here, with HarfBuzz and the
fonts in ``badges/fonts/`` only, and drawn as glyph outlines: an SVG ``<path d="...">``,
or shared glyphs placed with ``<use>`` (glyph_line).

The steps, for a name given in NFC (the validator normalises names first):

1. Clusters. Each base character takes the combining marks, joiners and variation
   selectors that follow it; a cluster is never split between fonts.
2. Fonts. Each cluster is drawn by the first font of the stack (``FONT_FILES``) that has
   every character of it, or failing that its base character. Punctuation and spaces
   (characters HarfBuzz gives no script, other than digits) stay in the font of the text
   before them when it has them, else of the text after them, so that an Arabic or
   Japanese name keeps its own spaces and is not cut into pieces.
3. Bidi levels, from the Unicode Bidirectional Algorithm (UAX #9), simplified for one
   line of a name, which holds no explicit bidi controls (the validator refuses them):
   rules P2-P3, W1-W7, N1-N2, I1-I2 and L1-L2 are applied; explicit embeddings, isolates
   and overrides (X1-X10) are not (such characters are treated as boundary neutrals,
   like joiners); bracket pairs (N0) are not paired, so a bracket takes the direction of
   the text around it by N1-N2, as it did before Unicode 6.3.
4. Runs: a new run starts wherever the font, the script (Common and Inherited characters
   take the script of the text next to them in the same font, the text before them
   first) or the bidi level changes. Each run is shaped
   by HarfBuzz on its own, with the whole name as context (so Arabic joins across a run
   boundary), in the direction of its level (odd levels right-to-left), with HarfBuzz's
   ``guess_segment_properties`` filling in anything left unset. The language is fixed to
   "und" so that no machine's locale changes a glyph.
5. The runs are put in display order (rule L2) and placed left to right.

HarfBuzz positions glyphs in font units; each glyph's position is converted to px and
rounded to 0.01 px. Outlines are drawn by HarfBuzz too (no other font library is needed
at run time), kept per glyph in font units and, per size, as path data counted in whole
hundredths of a px, so every number written is exact to 2 decimals, with no trailing
zeros and no float artefacts, and the same on every machine.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Final

import uharfbuzz as hb  # type: ignore[import-untyped, unused-ignore]

from socialmission.model.ignorables import DEFAULT_IGNORABLE

# The font stack, first choice first; badges/fonts/README.md says where each came from.
FONT_FILES: Final = (
    "NotoSans-Bold.ttf",  # Latin, Greek, Cyrillic
    "NotoSansArabicUI-Bold.ttf",
    "NotoSansHebrew-Bold.ttf",
    "NotoSansDevanagariUI-Bold.ttf",
    "NotoSansBengaliUI-Bold.ttf",
    "NotoSansGurmukhiUI-Bold.ttf",
    "NotoSansGujaratiUI-Bold.ttf",
    "NotoSansOriyaUI-Bold.ttf",
    "NotoSansTamilUI-Bold.ttf",
    "NotoSansTeluguUI-Bold.ttf",
    "NotoSansKannadaUI-Bold.ttf",
    "NotoSansMalayalamUI-Bold.ttf",
    "NotoSansSinhalaUI-Bold.ttf",
    "NotoSansThaiUI-Bold.ttf",
    "NotoSansLaoUI-Bold.ttf",
    "NotoSansKhmerUI-Bold.ttf",
    "NotoSansMyanmarUI-Bold.ttf",
    "NotoSansArmenian-Bold.ttf",
    "NotoSansGeorgian-Bold.ttf",
    "NotoSansEthiopic-Bold.ttf",
    "NotoSansThaana-Bold.ttf",
    "NotoSansCJKjp-Bold-subset.otf",  # Han (Japanese forms), kana, Hangul; last, as it
    # also has Latin, Greek and Cyrillic letters that should come from Noto Sans
)

_LANGUAGE: Final = "und"  # no language: the fonts' default forms, whatever the locale

_STRONG_CLASSES: Final = frozenset({"L", "R", "AL"})
_NEUTRAL_CLASSES: Final = frozenset({"B", "S", "WS", "ON"})
# Explicit embedding, override and isolate controls: treated as boundary neutrals.
_EXPLICIT_CLASSES: Final = frozenset(
    {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})


# --- the fonts ---------------------------------------------------------------------------

_Segment = tuple[str, tuple[float, ...]]  # an SVG command letter and its points, in units
# A glyph's outline at one size: its first point and the path data after it, in
# hundredths of a px from the glyph's origin, y downwards; None for a glyph with no ink.
_SizedOutline = tuple[int, int, str] | None


@dataclass(frozen=True, eq=False)
class Font:
    """One font of the stack, loaded into HarfBuzz at its own units per em."""

    name: str  # its file name in the fonts directory
    hb_font: Any = field(repr=False)
    upem: int
    codepoints: frozenset[int] = field(repr=False)
    # Outlines by glyph id, in font units, filled in as glyphs are first drawn.
    outlines: dict[int, tuple[_Segment, ...]] = field(default_factory=dict, repr=False)
    # The same as path data at a size, by (glyph id, px per em); see _sized_outline.
    sized: dict[tuple[int, float], _SizedOutline] = field(default_factory=dict, repr=False)
    # The same as a shared glyph (id, path data) by glyph id; see _shared_outline.
    shared: dict[int, tuple[str, str] | None] = field(default_factory=dict, repr=False)

    def has(self, char: str) -> bool:
        return ord(char) in self.codepoints

    def outline(self, glyph_id: int) -> tuple[_Segment, ...]:
        cached = self.outlines.get(glyph_id)
        if cached is None:
            pen = _RecordingPen()
            self.hb_font.draw_glyph_with_pen(glyph_id, pen)
            cached = self.outlines[glyph_id] = tuple(pen.segments)
        return cached

    def sized_outline(self, glyph_id: int, size_px: float) -> _SizedOutline:
        key = (glyph_id, size_px)
        if key not in self.sized:
            self.sized[key] = _sized_outline(self.outline(glyph_id), size_px / self.upem)
        return self.sized[key]


@dataclass(frozen=True, eq=False)
class FontStack:
    fonts: tuple[Font, ...]
    by_name: dict[str, Font] = field(init=False, repr=False)
    # first_with's answers, by the characters asked about (a cluster: one to a few).
    first: dict[str, int | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {font.name: font for font in self.fonts})

    def font(self, name: str) -> Font:
        return self.by_name[name]

    def first_with(self, chars: str) -> int | None:
        """Index of the first font that has every visible character of ``chars``."""
        if chars not in self.first:
            needed = [c for c in chars if not is_default_ignorable(c)]
            self.first[chars] = next((index for index, font in enumerate(self.fonts)
                                      if all(font.has(c) for c in needed)), None)
        return self.first[chars]


def font_stack(fonts_dir: Path) -> FontStack:
    """The fonts in ``fonts_dir`` (a registry's ``paths.fonts_dir(root)``), loaded once per
    directory."""
    return _stack_at(fonts_dir)


@cache
def _stack_at(fonts_dir: Path) -> FontStack:
    return _load_stack(fonts_dir.resolve())


@cache
def _load_stack(fonts_dir: Path) -> FontStack:
    fonts = []
    for name in FONT_FILES:
        face = hb.Face((fonts_dir / name).read_bytes())
        hb_font = hb.Font(face)  # scale defaults to the units per em: positions in units
        fonts.append(Font(name=name, hb_font=hb_font, upem=int(face.upem),
                          codepoints=frozenset(int(c) for c in face.unicodes)))
    return FontStack(tuple(fonts))


# --- characters --------------------------------------------------------------------------

@cache
def is_default_ignorable(char: str) -> bool:
    """Invisible whether or not a font maps it: never "missing", never a reason to change
    font."""
    return DEFAULT_IGNORABLE.match(char) is not None


@cache
def _script(char: str) -> str | None:
    """HarfBuzz's ISO 15924 script of a character; None for Common, Inherited, Unknown."""
    buffer = hb.Buffer()
    buffer.add_str(char)
    buffer.guess_segment_properties()
    script = buffer.script
    return str(script) if script else None


def _extends_cluster(char: str) -> bool:
    return (unicodedata.category(char) in {"Mn", "Mc", "Me"}
            or char in "\u200c\u200d" or is_default_ignorable(char))


def _clusters(text: str) -> list[tuple[int, int]]:
    """(start, end) of each base character with the marks and joiners that follow it."""
    clusters: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        if clusters and _extends_cluster(char):
            clusters[-1] = (clusters[-1][0], index + 1)
        else:
            clusters.append((index, index + 1))
    return clusters


def missing_characters(text: str, fonts_dir: Path) -> list[str]:
    """The characters of ``text`` that no shipped font can draw, each once, in order."""
    stack = font_stack(fonts_dir)
    missing: list[str] = []
    for char in text:
        if char in missing or is_default_ignorable(char):
            continue
        if stack.first_with(char) is None:  # cached per character
            missing.append(char)
    return missing


# --- bidi --------------------------------------------------------------------------------

def bidi_levels(text: str, ltr: bool = False) -> list[int]:
    """The embedding level of each character (even: left-to-right), simplified UAX #9.
    The base direction is the first strong character's (rule P2-P3), or left-to-right
    whatever the text holds when `ltr` (a domain name, as a browser's address bar
    shows it)."""
    original = [unicodedata.bidirectional(c) or "L" for c in text]
    types = ["BN" if t in _EXPLICIT_CLASSES else t for t in original]
    base = 0 if ltr else next((0 if t == "L" else 1 for t in types
                               if t in _STRONG_CLASSES), 0)
    sos = "L" if base == 0 else "R"
    types = _neutrals_resolved(_weak_resolved(types, sos), sos)
    # I1-I2.
    levels = []
    for kind in types:
        if base == 0:
            levels.append({"L": 0, "R": 1}.get(kind, 2))
        else:
            levels.append(1 if kind == "R" else 2)
    # L1: trailing whitespace goes back to the base level.
    for i in range(len(text) - 1, -1, -1):
        if original[i] not in {"WS", "S", "B", "BN"} | _EXPLICIT_CLASSES:
            break
        levels[i] = base
    return levels


def _weak_resolved(types: list[str], sos: str) -> list[str]:
    """`types` with UAX #9's weak types resolved (rules W1-W7); `sos` is the type before
    the text."""
    # W1 (and BN, as in UAX #9 section 5.2): marks and joiners take the preceding type.
    for i, kind in enumerate(types):
        if kind in {"NSM", "BN"}:
            types[i] = types[i - 1] if i else sos
    # W2: European numbers after Arabic letters are Arabic numbers. W3: AL is R.
    last_strong = sos
    for i, kind in enumerate(types):
        if kind in _STRONG_CLASSES:
            last_strong = kind
        elif kind == "EN" and last_strong == "AL":
            types[i] = "AN"
    types = ["R" if t == "AL" else t for t in types]
    # W4: one separator between two numbers of a kind joins them.
    for i in range(1, len(types) - 1):
        before, kind, after = types[i - 1], types[i], types[i + 1]
        if before == after and (
                (kind == "ES" and before == "EN") or (kind == "CS" and before in {"EN", "AN"})):
            types[i] = before
    # W5: terminators next to European numbers are European numbers.
    for i, end in _runs(types, {"ET"}):
        if (i > 0 and types[i - 1] == "EN") or (end < len(types) and types[end] == "EN"):
            types[i:end] = ["EN"] * (end - i)
    # W6: other separators and terminators are neutral. W7: EN after L is L.
    types = ["ON" if t in {"ES", "ET", "CS"} else t for t in types]
    last_strong = sos
    for i, kind in enumerate(types):
        if kind in {"L", "R"}:
            last_strong = kind
        elif kind == "EN" and last_strong == "L":
            types[i] = "L"
    return types


def _neutrals_resolved(types: list[str], sos: str) -> list[str]:
    """`types` with each run of neutrals resolved (rules N1-N2): between two of one
    direction they take it, others the base direction (`sos`'s)."""
    def direction(kind: str) -> str:
        return "L" if kind == "L" else "R"
    for i, end in _runs(types, _NEUTRAL_CLASSES):
        before = direction(types[i - 1]) if i > 0 else sos
        after = direction(types[end]) if end < len(types) else sos
        fill = before if before == after else sos
        types[i:end] = [fill] * (end - i)
    return types


def _runs(types: list[str], members: Collection[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of each longest run of `types` in `members`, found as `types` changes
    (a run is read whole before it is yielded)."""
    i = 0
    while i < len(types):
        if types[i] not in members:
            i += 1
            continue
        end = i
        while end < len(types) and types[end] in members:
            end += 1
        yield i, end
        i = end


# --- runs --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    """A stretch of the text in one font, script and bidi level."""

    start: int  # index of its first character in the text
    end: int  # index after its last character
    text: str
    font: str  # a file name from FONT_FILES
    script: str | None  # ISO 15924, as HarfBuzz names it (None: only Common characters)
    level: int  # bidi embedding level

    @property
    def direction(self) -> str:
        return "rtl" if self.level % 2 else "ltr"


def split_runs(text: str, fonts_dir: Path, ltr: bool = False) -> list[Run]:
    """The runs of ``text``, in logical (reading) order; see the module's docstring
    (`ltr`: see bidi_levels)."""
    if not text:
        return []
    stack = font_stack(fonts_dir)
    clusters = _clusters(text)
    # Fonts: clusters with a script first, then the neutral ones from their neighbours.
    choice: list[int | None] = [None] * len(clusters)
    neutral = [_script(text[s]) is None and not text[s].isdigit() for s, _ in clusters]
    for n, (start, end) in enumerate(clusters):
        if not neutral[n]:
            choice[n] = _font_for(stack, text[start:end])
    for n, (start, end) in enumerate(clusters):
        if neutral[n]:
            chars = text[start:end]
            before = next((choice[k] for k in range(n - 1, -1, -1)
                           if choice[k] is not None), None)
            after = next((choice[k] for k in range(n + 1, len(clusters))
                          if not neutral[k] and choice[k] is not None), None)
            choice[n] = next((k for k in (before, after)
                              if k is not None and _covers(stack.fonts[k], chars)), None)
            if choice[n] is None:
                choice[n] = _font_for(stack, chars)
    font_of = [0] * len(text)
    for n, (start, end) in enumerate(clusters):
        font_of[start:end] = [choice[n] or 0] * (end - start)
    # Scripts: Common and Inherited characters take the script of the text before them in
    # the same font, else of the text after them in the same font, else before them.
    own = [_script(c) for c in text]
    scripts = list(own)
    for i in range(len(text)):
        if own[i] is not None:
            continue
        previous = scripts[i - 1] if i else None
        if previous is None or font_of[i - 1] != font_of[i]:
            following = next((own[k] for k in range(i + 1, len(text))
                              if font_of[k] == font_of[i] and own[k] is not None), None)
            previous = following or previous
        scripts[i] = previous
    levels = bidi_levels(text, ltr)
    runs: list[Run] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or (font_of[i], scripts[i], levels[i]) != (
                font_of[start], scripts[start], levels[start]):
            runs.append(Run(start, i, text[start:i], stack.fonts[font_of[start]].name,
                            scripts[start], levels[start]))
            start = i
    return runs


def _covers(font: Font, chars: str) -> bool:
    return all(font.has(c) for c in chars if not is_default_ignorable(c))


def _font_for(stack: FontStack, chars: str) -> int | None:
    found = stack.first_with(chars)
    return found if found is not None else stack.first_with(chars[0])


def visual_order(runs: Sequence[Run]) -> list[Run]:
    """The runs as they are displayed, left to right (UAX #9 rule L2)."""
    ordered = list(runs)
    if not ordered:
        return ordered
    highest = max(run.level for run in ordered)
    lowest_odd = min((run.level for run in ordered if run.level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(ordered):
            if ordered[i].level < level:
                i += 1
                continue
            end = i
            while end < len(ordered) and ordered[end].level >= level:
                end += 1
            ordered[i:end] = ordered[i:end][::-1]
            i = end
    return ordered


# --- shaping -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Glyph:
    font: str  # a file name from FONT_FILES
    glyph_id: int
    x: float  # px from the left end of the text to the glyph's origin
    y: float  # px from the baseline up to the glyph's origin (mark offsets)
    cluster: int  # index in the text of the first character it draws


@dataclass(frozen=True)
class ShapedText:
    text: str
    size_px: float
    width: float  # the total advance in px, rounded to 2 decimals
    glyphs: tuple[Glyph, ...]  # in display order, left to right
    runs: tuple[Run, ...]  # in display order, left to right


# A badge folder shapes its name several times (the card's fitting, light and dark, the
# social preview) and the fixed texts for every signatory; the result is immutable.
@lru_cache(maxsize=4096)
def shape(text: str, size_px: float, fonts_dir: Path, ltr: bool = False) -> ShapedText:
    """Lay ``text`` out on one line at ``size_px`` px per em (`ltr`: see bidi_levels)."""
    stack = font_stack(fonts_dir)
    codepoints = [ord(c) for c in text]
    runs = visual_order(split_runs(text, fonts_dir, ltr))
    glyphs: list[Glyph] = []
    pen = 0.0
    for run in runs:
        font = stack.font(run.font)
        scale = size_px / font.upem
        buffer = hb.Buffer()
        buffer.add_codepoints(codepoints, run.start, run.end - run.start)
        buffer.direction = run.direction
        if run.script:
            buffer.script = run.script
        buffer.language = _LANGUAGE
        buffer.guess_segment_properties()
        hb.shape(font.hb_font, buffer, {})
        for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
            glyphs.append(Glyph(
                font=run.font,
                glyph_id=int(info.codepoint),
                x=round(pen + int(position.x_offset) * scale, 2),
                y=round(int(position.y_offset) * scale, 2),
                cluster=int(info.cluster),
            ))
            pen += int(position.x_advance) * scale
    return ShapedText(text=text, size_px=size_px, width=round(pen, 2), glyphs=tuple(glyphs),
                      runs=tuple(runs))


def measure(text: str, size_px: float, fonts_dir: Path, ltr: bool = False) -> float:
    """The advance width of ``text`` in px, rounded to 2 decimals."""
    return shape(text, size_px, fonts_dir, ltr).width


def estimate(text: str, size_px: float, fonts_dir: Path) -> float:
    """A quick width in px: each character's nominal advance, with no shaping.

    About 20 times faster than ``measure``; shaping (kerning, joining, conjuncts) moves
    a name's width by a few percent, so callers use this to skip ``measure`` when a name
    is far from a limit.
    """
    stack = font_stack(fonts_dir)
    return sum(_nominal_advance(stack, char) for char in text) * size_px


@cache
def _nominal_advance(stack: FontStack, char: str) -> float:
    """The advance of ``char``'s glyph in its first font, in em (0 when none has it)."""
    index = stack.first_with(char)
    if index is None:
        return 0.0
    font = stack.fonts[index]
    glyph = font.hb_font.get_nominal_glyph(ord(char))
    if glyph is None:
        return 0.0
    return float(font.hb_font.get_glyph_h_advance(glyph)) / font.upem


# --- outlines ----------------------------------------------------------------------------

class _RecordingPen:
    """The pen protocol HarfBuzz draws with, keeping each segment in font units."""

    def __init__(self) -> None:
        self.segments: list[_Segment] = []

    def moveTo(self, point: tuple[float, float]) -> None:
        self.segments.append(("M", point))

    def lineTo(self, point: tuple[float, float]) -> None:
        self.segments.append(("L", point))

    def qCurveTo(self, *points: tuple[float, float]) -> None:
        # HarfBuzz gives one off-curve point per quadratic segment.
        if len(points) != 2:
            raise ValueError("expected one control point per quadratic segment")
        self.segments.append(("Q", (*points[0], *points[1])))

    def curveTo(self, *points: tuple[float, float]) -> None:
        if len(points) != 3:
            raise ValueError("expected two control points per cubic segment")
        self.segments.append(("C", (*points[0], *points[1], *points[2])))

    def closePath(self) -> None:
        self.segments.append(("Z", ()))

    def endPath(self) -> None:
        pass


def number(value: float) -> str:
    """``value`` to 2 decimals without trailing zeros: 12.5, 3, -0.25, never -0."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def outline_path(text: str, size_px: float, x: float, y: float,
                 fonts_dir: Path) -> str:
    """An SVG path ``d`` drawing ``text`` with its baseline starting at (x, y), in px."""
    return shaped_path(shape(text, size_px, fonts_dir), x, y, fonts_dir)


def shaped_path(shaped: ShapedText, x: float, y: float, fonts_dir: Path) -> str:
    """The outline path of text already shaped (see outline_path).

    Each glyph starts with an absolute ``M``; the rest of it is relative (``l``, ``q``,
    ``c``, ``m``), computed once per glyph and size from coordinates rounded to 0.01 px
    in the glyph's own frame, so a glyph is drawn alike wherever it stands.
    """
    stack = font_stack(fonts_dir)
    out: list[str] = []
    for glyph in shaped.glyphs:
        sized = stack.font(glyph.font).sized_outline(glyph.glyph_id, shaped.size_px)
        if sized is None:
            continue
        first_x, first_y, rest = sized
        left = _hundredths(round((x + glyph.x) * 100) + first_x)
        top = _hundredths(round((y - glyph.y) * 100) + first_y)
        out.append(f"M{left}{_joined(top)}{rest}")
    return "".join(out)


def _sized_outline(segments: tuple[_Segment, ...], scale: float) -> _SizedOutline:
    if not segments:
        return None
    if segments[0][0] != "M":
        raise ValueError("an outline must start with a move")
    per_hundredth = scale * 100
    out: list[str] = []
    first_x, first_y = (round(segments[0][1][0] * per_hundredth),
                        -round(segments[0][1][1] * per_hundredth))
    current = start = (first_x, first_y)
    last = "M"
    for command, points in segments[1:]:
        if command == "Z":
            out.append("z")
            current, last = start, "z"
            continue
        absolute = [(round(points[k] * per_hundredth), -round(points[k + 1] * per_hundredth))
                    for k in range(0, len(points), 2)]
        numbers = []
        for point_x, point_y in absolute:
            numbers += [_hundredths(point_x - current[0]), _hundredths(point_y - current[1])]
        letter = command.lower()
        # A repeated l, q or c needs no letter, only a separator (a minus sign will do).
        if letter == last and letter in "lqc":
            out.append(_joined(numbers[0]))
        else:
            out.append(letter + numbers[0])
        out.extend(_joined(n) for n in numbers[1:])
        current, last = absolute[-1], letter
        if letter == "m":
            start = current
    return first_x, first_y, "".join(out)


def _hundredths(value: int) -> str:
    """An integer count of hundredths as a decimal number: 1250 is 12.5, -5 is -0.05."""
    sign = "-" if value < 0 else ""
    whole, fraction = divmod(abs(value), 100)
    if not fraction:
        return f"{sign}{whole}" if whole else "0"
    if fraction % 10:
        return f"{sign}{whole}.{fraction:02d}"
    return f"{sign}{whole}.{fraction // 10}"


def _joined(number: str) -> str:
    """A number written after another: a space between them unless it starts with '-'."""
    return number if number[0] == "-" else " " + number


# --- shared glyph outlines ------------------------------------------------------------------
# A badge card draws some 50 glyphs, many of them twice or more (the heading, the
# detail line), at three sizes. So each distinct glyph is written once, in <defs>, in
# thousandths of an em (whole numbers, y downwards), with an id derived from its outline,
# and each line of text is a group, moved to its baseline and scaled to its size, of
# <use> elements placed in the same thousandths of an em. Ids that depend only on the
# outline mean two badges inlined in one page can share an id only for the same glyph.
# A glyph a document draws once is written where it is drawn instead (line_markup).
_MOVE: Final = re.compile(r"(-?\d+) ?(-?\d+)")
EM = 1000  # units per em of the shared outlines and of the glyphs' positions


@dataclass(frozen=True)
class GlyphLine:
    """One line of text as shared glyphs: the group's transform, and its <use> elements."""

    transform: str  # translate(x y) scale(size / EM)
    uses: str  # <use href="#id" x=".." y=".."/>..., in EM units from the line's origin
    glyphs: tuple[tuple[str, str], ...]  # (id, path data) of each glyph it uses
    placed: tuple[tuple[str, int, int], ...] = ()  # (id, x, y) of each <use>, in order


def line_markup(line: GlyphLine, inline: Mapping[str, str]) -> str:
    """The line's <use>s, but each glyph in `inline` (id: path data) written in place as a
    <path>, its first (absolute) move shifted to where the <use> would put it: the same
    outline at the same place, without an id, a <defs> entry or a <use> (some 45 bytes
    each; a card draws some 15 of its 35 glyphs once)."""
    if not inline.keys() & {ref for ref, _, _ in line.placed}:
        return line.uses
    out = []
    for ref, left, down in line.placed:
        if ref in inline:
            first_x, first_y, rest = _split_move(inline[ref])
            out.append(f'<path d="M{first_x + left}{_joined(str(first_y + down))}{rest}"/>')
        else:
            out.append(_use(ref, left, down))
    return "".join(out)


def _use(ref: str, left: int, down: int) -> str:
    return (f'<use href="#{ref}"{f" x={chr(34)}{left}{chr(34)}" if left else ""}'
            f'{f" y={chr(34)}{down}{chr(34)}" if down else ""}/>')


@lru_cache(maxsize=8192)
def _split_move(d: str) -> tuple[int, int, str]:
    """Shared path data (_em_path: "M<x> <y>", then relative commands, each starting with
    a letter) as its first point and the rest."""
    end = next((index for index in range(1, len(d)) if d[index].isalpha()), len(d))
    move = _MOVE.fullmatch(d, 1, end)
    if not d.startswith("M") or move is None:
        raise ValueError(f"shared path data must start with an absolute move: {d[:20]!r}")
    return int(move[1]), int(move[2]), d[end:]


def glyph_line(text: str, size_px: float, x: float, y: float, fonts_dir: Path, *,
               ltr: bool = False) -> GlyphLine:
    """``text`` with its baseline starting at (x, y) px, as shared glyphs (see above;
    `ltr`: see bidi_levels)."""
    shaped = shape(text, size_px, fonts_dir, ltr)
    stack = font_stack(fonts_dir)
    placed: list[tuple[str, int, int]] = []
    glyphs: dict[str, str] = {}
    per_px = EM / size_px
    for glyph in shaped.glyphs:
        shared = _shared_outline(stack.font(glyph.font), glyph.glyph_id)
        if shared is None:
            continue
        ref, d = shared
        glyphs[ref] = d
        placed.append((ref, round(glyph.x * per_px), -round(glyph.y * per_px)))
    scale = f"{size_px / EM:.6f}".rstrip("0").removeprefix("0")
    return GlyphLine(transform=f"translate({number(x)} {number(y)}) scale({scale})",
                     uses="".join(_use(*use) for use in placed), glyphs=tuple(glyphs.items()),
                     placed=tuple(placed))


def _shared_outline(font: Font, glyph_id: int) -> tuple[str, str] | None:
    """A glyph's id and path data in EM units (see above); None for a glyph with no ink."""
    if glyph_id not in font.shared:
        d = _em_path(font.outline(glyph_id), EM / font.upem)
        font.shared[glyph_id] = (glyph_id_of(d), d) if d else None
    return font.shared[glyph_id]


def glyph_id_of(d: str) -> str:
    """The id of a shared glyph: "g" and 36 bits of a hash of its path data (six base64
    letters; a card writes some 70 ids, and 48 bits cost 200 bytes more a card). That
    any two of the 59,540 glyphs of the shipped fonts share an id has odds of about 1 in
    40; it would take both drawn twice in one badge, or in two badges inlined in one page,
    to matter."""
    digest = hashlib.blake2b(d.encode(), digest_size=6).digest()
    return f"g{base64.urlsafe_b64encode(digest).decode()[:6]}"


# A quadratic segment whose control point is within this many units (each coordinate) of
# the previous one's mirrored through the pen is written as "t", without its control point,
# which the mirror then replaces. TrueType puts an implied on-curve point halfway between
# two control points, so in most of a glyph's curves the mirror is exact before rounding
# and within a unit (a thousandth of an em: 0.02 px at the card's largest name, 0.06 px
# on the social card) after it; it drops a quarter of a curvy glyph's numbers. Two units
# (0.04 and 0.11 px) drop 2 % more of a card's bytes and move 0.02 % of its PNG's pixels,
# by 24 levels at most (BENCHMARKS.md, "Output ledger").
SMOOTH_TOLERANCE = 2


def _em_path(segments: tuple[_Segment, ...], scale: float) -> str:
    """Path data of an outline in whole units, y downwards: one absolute M, then relative
    commands, h and v for straight lines, t for mirrored quadratics (SMOOTH_TOLERANCE), a
    letter only where the command changes."""
    out: list[str] = []
    current = start = (0, 0)
    last = ""
    control: tuple[int, int] | None = None  # the last quadratic's control point, as drawn
    for command, points in segments:
        if command == "Z":
            out.append("z")
            current, last, control = start, "z", None
            continue
        absolute = [(round(points[k] * scale), -round(points[k + 1] * scale))
                    for k in range(0, len(points), 2)]
        letter = command.lower()
        mirror = (None if control is None
                  else (2 * current[0] - control[0], 2 * current[1] - control[1]))
        if command == "Q":
            if mirror is not None and all(abs(a - b) <= SMOOTH_TOLERANCE
                                          for a, b in zip(mirror, absolute[0], strict=True)):
                letter, absolute = "t", absolute[1:]
                control = mirror
            else:
                control = absolute[0]
        else:
            control = None
        numbers = [value for point_x, point_y in absolute
                   for value in (point_x - current[0], point_y - current[1])]
        if command == "M":
            if not out:  # the first move is absolute
                letter, numbers = "M", [absolute[0][0], absolute[0][1]]
            start = absolute[0]
        elif command == "L":
            if numbers == [0, 0]:
                continue  # a line to where the pen is draws nothing
            if numbers[1] == 0:
                letter, numbers = "h", numbers[:1]
            elif numbers[0] == 0:
                letter, numbers = "v", numbers[1:]
        texts = [str(n) for n in numbers]
        # A repeated command needs no letter (after m, pairs are lines), only a
        # separator, and a minus sign will do.
        repeat = letter == last or (letter == "l" and last == "m")
        out.append((_joined(texts[0]) if repeat else letter + texts[0])
                   + "".join(_joined(t) for t in texts[1:]))
        current = absolute[-1]
        last = "l" if letter == "m" and repeat else letter
    return "".join(out)
