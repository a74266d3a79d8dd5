"""Benchmark the badges: SVG against pybadges, PNG against cairosvg, the full set, sizes.

Run from the repository root (pybadges, from requirements/dev.in, for the comparison;
without it our side still runs and the output says what was skipped):

    .venv/bin/python benchmarks/bench_badges.py [--count N] [--sample S] [--repeat R]

Everything runs in one process, on the same generated signatories (fixed seed; Latin,
accented, Arabic, Hebrew, Cyrillic, Greek, Japanese and Devanagari names, every one
accepted by `check_name_fits`):

1. Compact SVG badges per millisecond, on S signatories (default 2,000), R rounds:
   ours without baking (`compact_svg(..., outlines=False)`: what a page inlines), ours
   with the Open Badges assertion baked in (what a signatory's `compact-*.svg` file
   holds), and `pybadges.badge()` with the same label, value, colours and title.
2. PNG, on S // 40 signatories: `cairosvg.svg2png` alone (a full-colour PNG) on each
   of our drawings (card and compact, light and dark, at 2x; the social preview) against
   our whole PNG path (`folder.render_pngs`: cairo, the palette, caches and baking);
   then `build_badges` on 300 signatories with workers=1 and workers=2.
   Then one badge folder's CPU, whole (`folder.render_face`) and by stage (SVG,
   painting, palette and PNG, baking), as a render worker spends it: after a warm-up on
   other signatories, each round on signatories the process has not drawn yet.
   `--folder-only` runs only this (quick, for comparing two versions of the code).
3. The complete set for N signatories (default 10,000), on all cores: cold into an
   empty folder (after an estimate from 200 signatories; skipped, with the estimate,
   when that exceeds --max-minutes), then again after one pledge changed, then again
   with nothing changed.
4. The size in bytes of each kind of file, from the set just built.

Figures are medians over the rounds; see BENCHMARKS.md ("Badges").
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib.util
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import types
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import cairosvg

from socialmission.model import paths
from socialmission.model.mission import Mission, load_mission
from socialmission.model.pledge import Pledge
from socialmission.model.urls import parse_https_url
from socialmission.render import bake, folder, raster, svg
from socialmission.render.cache import BuildResult, build_badges
from socialmission.render.design import VARIANTS, Design, load_design
from socialmission.render.face import (
    Face,
    Masthead,
    badge_words,
    describe,
    face_of,
    masthead_of,
)
from socialmission.render.layout import check_name_fits

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://registry.example.org/"
SEED = 20231001
FIRST_DAY = dt.date(2023, 10, 1)  # mission version 1
LAST_DAY = dt.date(2026, 6, 30)  # fixed, so the data never changes
T = TypeVar("T")
OURS_PASSES = 20

# --- names ---------------------------------------------------------------------------
ADJECTIVES = (
    "Northern", "Southern", "Bright", "Green", "Silver", "Blue", "Red", "Golden", "Quiet",
    "Open", "Kind", "Clear", "Little", "Old", "New", "High", "Deep", "Wild", "Gentle",
    "Honest", "Steady", "Sunny", "Misty", "Rocky", "Hidden", "Lucky", "Brave", "Calm",
    "Swift", "Humble", "Civic", "Coastal", "Urban", "Rural", "Grand", "Amber", "Copper",
)
NOUNS = (
    "Harbour", "Valley", "River", "Meadow", "Lantern", "Compass", "Anchor", "Beacon",
    "Orchard", "Bridge", "Garden", "Forge", "Willow", "Oak", "Cedar", "Maple", "Heron",
    "Otter", "Falcon", "Fox", "Badger", "Kestrel", "Lighthouse", "Mill", "Harvest",
    "Summit", "Spring", "Brook", "Field", "Moor", "Fjord", "Island", "Tide", "Ember",
)
KINDS_OF_ORG = (
    "Media", "Trust", "Books", "Café", "Council", "Agency", "Studio", "Collective",
    "Foundation", "Partners", "Labs", "Press", "FC", "Academy", "Clinic", "Bakery",
    "Consulting", "Design", "Records", "Theatre", "Gallery", "Credit Union", "Society",
    "Ltd", "GmbH", "AS", "Co-op", "Radio", "Cycling Club", "Choir", "Library", "Museum",
)
FIRST_NAMES = (
    "Ana", "Tomáš", "Zoë", "Søren", "Björn", "Łukasz", "Chloé", "Siobhán", "Kari", "Ola",
    "Priya", "Amal", "Yusuf", "Mei", "Hiroshi", "Ingrid", "Mateo", "Lucía", "João", "Inês",
    "Olu", "Chidi", "Aroha", "Freya", "Elif", "Emre", "Nadia", "Pavel", "Oksana", "Giulia",
    "Aoife", "Ciarán", "Léa", "Hugo", "Maja", "Ștefan", "Dóra", "Ásta", "Đorđe", "Nguyễn",
)
SURNAMES = (
    "Pérez", "Novák", "Nordmann", "O'Brien", "Müller", "Sharma", "Haddad", "Tanaka",
    "Kowalski", "Andersen", "García", "Silva", "Okafor", "Ngata", "Yılmaz", "Petrov",
    "Rossi", "Murphy", "Dubois", "Johansson", "Costa", "Khan", "Nakamura", "Mensah",
    "MacLeod", "de Vries", "Kovačić", "Popescu", "Szabó", "Jónsdóttir", "Virtanen",
)
# Long organisation names: the card sets them smaller or on two lines.
LONG_NAMES = (
    "Société Coopérative d'Intérêt Collectif des Médias Sociaux Responsables",
    "Fundación para la Comunicación Responsable en las Redes Sociales",
    "Arbeitsgemeinschaft für verantwortungsvolle Kommunikation im Netz",
    "Associação Portuguesa de Jornalismo Digital e Cidadania",
    "The Royal Society for the Encouragement of Kindness Online",
)
# Names in other scripts, built from one choice of each part ("" leaves a part out).
OTHER_SCRIPTS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("دار", "مكتبة", "مقهى", "مؤسسة"),  # Arabic
     ("الكلمة", "النور", "الأمل", "الياسمين", "القمر", "الواحة", "النخيل"),
     ("للنشر", "للإعلام", ""), ("", "عمّان", "القاهرة", "بيروت", "تونس", "الرباط")),
    (("ספרי", "קפה", "סטודיו", "תיאטרון"),  # Hebrew
     ("שלום", "אור", "גשר", "תמר", "ים", "כרמל", "נגב"), ("", "תל אביב", "חיפה", "ירושלים")),
    (("प्रिया", "अनुराधा", "राहुल", "सुनीता", "विक्रम", "मीरा", "अर्जुन"),  # Devanagari
     ("", "कुमार", "देवी"), ("शर्मा", "वर्मा", "गुप्ता", "सिंह", "पटेल", "जोशी")),
    (("", "東京", "大阪", "京都"), ("株式会社", "合同会社", ""),  # Japanese
     ("さくら", "ひかり", "みどり", "そら", "うみ", "かぜ", "ほし", "もり"),
     ("デザイン", "メディア", "書店", "工房", "スタジオ")),
    (("Издательство", "Кафе", "Студия", "Театр", "Школа"),  # Cyrillic
     ("Берёза", "Волна", "Заря", "Сокол", "Ласточка", "Рассвет", "Маяк"),
     ("", "Москва", "Казань", "Новосибирск")),
    (("Καφέ", "Εκδόσεις", "Θέατρο", "Σχολή", "Φούρνος"),  # Greek
     ("Καλλιστώ", "Αθηνά", "Ήλιος", "Θάλασσα", "Ελιά", "Αστέρι"), ("", "Αθήνα", "Πάτρα")),
)
REASONS = ("The agency closed.", "We merged with another organisation.", "")


def random_name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.40:
        return f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(KINDS_OF_ORG)}"
    if roll < 0.65:
        middle = f" {chr(ord('A') + rng.randrange(26))}." if rng.random() < 0.3 else ""
        return f"{rng.choice(FIRST_NAMES)}{middle} {rng.choice(SURNAMES)}"
    if roll < 0.72:
        return f"{rng.choice(SURNAMES)} & {rng.choice(SURNAMES)} {rng.choice(KINDS_OF_ORG)}"
    if roll < 0.76:
        return f"{rng.choice(LONG_NAMES)} {rng.randrange(1, 100)}"
    parts = (rng.choice(options) for options in rng.choice(OTHER_SCRIPTS))
    return " ".join(p for p in parts if p)


def make_pledges(count: int, seed: int = SEED) -> list[Pledge]:
    """`count` signatories with distinct names that the card can draw, ~5% withdrawn."""
    rng = random.Random(seed)
    pledges: list[Pledge] = []
    seen: set[str] = set()
    while len(pledges) < count:
        index = len(pledges)
        name = unicodedata.normalize("NFC", random_name(rng))  # as the validator gives it
        if name in seen:
            continue
        seen.add(name)
        if check_name_fits(name, paths.fonts_dir(ROOT)) is not None:
            continue
        slug = f"signatory-{index:05d}"
        website = parse_https_url(f"https://{slug}.example.org/")
        signed = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
        statement_url = parse_https_url(f"https://{slug}.example.org/news/we-signed") \
            if rng.random() < 0.15 else None
        withdrawn = None
        if rng.random() < 0.05:
            withdrawn = signed + dt.timedelta(days=rng.randrange((LAST_DAY - signed).days + 1))
        pledges.append(Pledge(
            slug=slug, path=Path(f"pledges/{slug}.yaml"), name=name,
            kind="organisation", website=website, signed=signed, mission_version=1,
            maintainers=("octocat",), statement_url=statement_url,
            status="withdrawn" if withdrawn else "active", withdrawn=withdrawn,
            withdrawn_reason=(rng.choice(REASONS) or None) if withdrawn else None))
    return pledges


# --- pybadges ------------------------------------------------------------------------
@cache
def import_pybadges() -> Any:
    """pybadges, or None when it is not installed.

    pybadges 3.0.1 reads its width table through pkg_resources, which setuptools no
    longer ships (since 81); when it is missing, give pybadges the two functions it uses.
    Only the loading of that table goes through them, once: never a timed call."""
    if importlib.util.find_spec("pkg_resources") is None:
        def resource(module: str, name: str) -> Path:
            return Path(str(sys.modules[module].__file__)).parent / name

        shim = types.ModuleType("pkg_resources")
        shim.resource_exists = lambda module, name: resource(module, name).is_file()  # type: ignore[attr-defined]
        shim.resource_stream = lambda module, name: resource(module, name).open("rb")  # type: ignore[attr-defined]
        sys.modules["pkg_resources"] = shim
    try:
        import pybadges  # noqa: PLC0415
    except ImportError:
        return None
    return pybadges


# --- measuring -----------------------------------------------------------------------
def clear_caches() -> None:
    """Forget what this process has rendered, as a fresh `socialmission badges` would."""
    folder._shared_png.cache_clear()
    svg._compact_parts.cache_clear()
    svg._card_text.cache_clear()
    svg._social_text.cache_clear()
    raster.path_calls.cache_clear()


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (pool workers)."""
    children = os.times()
    return time.process_time() + children.children_user + children.children_system


@dataclass
class Timing:
    """Wall and CPU seconds of each round. The wall time is the figure; the CPU time shows
    what other load on the machine took from it (for one process, wall >= CPU)."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def run(self, work: Callable[[], T]) -> T:
        wall, cpu = time.perf_counter(), cpu_seconds()
        result = work()
        self.wall.append(time.perf_counter() - wall)
        self.cpu.append(cpu_seconds() - cpu)
        return result

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    def spread(self) -> str:
        return (f"[wall min {min(self.wall):.3g} max {max(self.wall):.3g} s, CPU median "
                f"{self.median_cpu:.3g} s, {len(self.wall)} rounds]")


def rounds(work: Callable[[], object], repeat: int,
           before: Callable[[], None] | None = None) -> Timing:
    timing = Timing()
    for _ in range(repeat):
        if before:
            before()
        gc.collect()
        timing.run(work)
    return timing


def sizes(values: Sequence[int]) -> str:
    return (f"min {min(values):,} / median {int(statistics.median(values)):,} / "
            f"max {max(values):,} bytes")


def section(title: str) -> None:
    print(f"\n## {title}", flush=True)


# --- 1. compact SVG --------------------------------------------------------------------
def bench_svg(faces: list[Face], repeat: int, pybadges: Any) -> list[int]:
    """Compact SVG badges per ms; returns pybadges' SVG sizes (none without it)."""
    design = load_design(ROOT)
    jobs = [(face, variant) for face in faces for variant in VARIANTS]

    # Ours run over the jobs OURS_PASSES times a round, so that a round lasts long
    # enough (a few tenths of a second) for the clock and the machine's noise.
    def ours() -> None:
        for _ in range(OURS_PASSES):
            for face, variant in jobs:
                svg.compact_svg(design, face, variant, outlines=False)

    def ours_baked() -> None:
        for _ in range(OURS_PASSES):
            for face, variant in jobs:
                assert face.assertion_json is not None and face.verify is not None
                bake.bake_svg(
                    svg.compact_svg(design, face, variant, outlines=False),
                    face.assertion_json, face.verify)

    def theirs_badge(face: Face, variant: str) -> str:
        colours = design.palette[variant]
        badge: str = pybadges.badge(
            left_text=face.label, right_text=face.value, left_color=colours["label_bg"],
            right_color=colours["withdrawn_bg" if face.withdrawn else "value_bg"],
            whole_title=describe(face))
        return badge

    def theirs() -> None:
        for face, variant in jobs:
            theirs_badge(face, variant)

    contenders = [("ours, unbaked", ours, OURS_PASSES),
                  ("ours, baked (the file)", ours_baked, OURS_PASSES)]
    if pybadges is not None:
        contenders.append(("pybadges", theirs, 1))
    for _, work, _ in contenders:  # warm-up: templates, caches, pybadges' table
        work()
    rates = {}
    for label, work, passes in contenders:
        timing = rounds(work, repeat)
        count = len(jobs) * passes
        rates[label] = count / timing.median / 1000
        print(f"{label:23} {rates[label]:8.1f} badges/ms ({timing.median / count * 1e6:7.1f}"
              f" µs each; CPU {count / timing.median_cpu / 1000:.1f}/ms) {timing.spread()}")
    if pybadges is None:
        print("pybadges is not installed: its side of the comparison was skipped")
        return []
    for label in ("ours, unbaked", "ours, baked (the file)"):
        print(f"{label} / pybadges: {rates[label] / rates['pybadges']:.0f} times as many")
    sample = faces[0]
    widths = re.findall(r'textLength="([\d.]+)"',
                        svg.compact_svg(design, sample, "light", outlines=False))
    their_widths = re.findall(r'textLength="([\d.]+)"', theirs_badge(sample, "light"))
    print(f"text widths of '{sample.label}' | '{sample.value}': ours {' | '.join(widths)} px "
          f"(HarfBuzz on the shipped Noto Sans Bold, the font the badge names first); "
          f"pybadges {' | '.join(their_widths[::2])} tenths of a px (its precomputed "
          "DejaVu Sans table, kerning pairs, no shaping)")
    return [len(theirs_badge(face, variant).encode()) for face, variant in jobs]


# --- 2. PNG ------------------------------------------------------------------------------
def drawings_of(face: Face) -> dict[str, str]:
    """What render_face hands render_pngs."""
    design = load_design(ROOT)
    found: dict[str, str] = {}
    for variant in VARIANTS:
        found[f"compact-{variant}"] = svg.compact_drawing(design, face, variant)
        found[f"card-{variant}"] = svg.card_svg(design, face, variant)
    found[folder.SOCIAL] = svg.social_svg(design, face, masthead())
    return found


@cache
def masthead() -> Masthead:
    """What the social cards say of the registry, as build_badges makes it."""
    return masthead_of(ROOT, load_mission(ROOT), BASE)


def cairosvg_inputs(face: Face) -> dict[str, list[tuple[bytes, int]]]:
    """By kind, each SVG of the face that cairosvg alone is given, with its scale."""
    design = load_design(ROOT)
    found: dict[str, list[tuple[bytes, int]]] = {"card": [], "compact": [], "social": []}
    for variant in VARIANTS:
        card = svg.card_svg(design, face, variant).encode()
        compact = svg.compact_svg(design, face, variant, outlines=True).encode()
        found["card"].append((card, folder.SCALE))
        found["compact"].append((compact, folder.SCALE))
    found["social"].append((svg.social_svg(design, face, masthead()).encode(), 1))
    return found


def bench_png(faces: list[Face], repeat: int) -> None:
    inputs = [cairosvg_inputs(face) for face in faces]
    drawings = [drawings_of(face) for face in faces]
    print(f"{len(faces)} signatories, 5 PNGs each (card and compact, light and dark, at "
          "2x; the social preview); cairosvg's are full colour, ours have a palette")
    kinds = {"card": ("card-",), "compact": ("compact-",), "social": (folder.SOCIAL,)}
    total_theirs = total_ours = 0.0
    for kind, prefixes in kinds.items():
        def theirs(kind: str = kind) -> None:
            for face_inputs in inputs:
                for drawn, scale in face_inputs[kind]:
                    cairosvg.svg2png(bytestring=drawn, scale=scale, unsafe=False)

        chosen = [{stem: svg for stem, svg in face_drawings.items()
                   if stem.startswith(prefixes)} for face_drawings in drawings]

        def ours(chosen: list[dict[str, str]] = chosen) -> None:
            for face, face_drawings in zip(faces, chosen, strict=True):
                folder.render_pngs(face, face_drawings)

        their_timing = rounds(theirs, repeat)
        # Each round starts with empty caches, as a worker process does.
        our_timing = rounds(ours, repeat, before=clear_caches)
        per_theirs = their_timing.median / len(faces) * 1000
        per_ours = our_timing.median / len(faces) * 1000
        total_theirs += per_theirs
        total_ours += per_ours
        print(f"{kind:7} cairosvg alone {per_theirs:6.1f} ms/signatory "
              f"{their_timing.spread()}\n{'':7} ours           {per_ours:6.1f} ms/signatory "
              f"{our_timing.spread()}: overhead {(per_ours - per_theirs) / per_theirs:+.0%}")
    print(f"{'all':7} cairosvg alone {total_theirs:6.1f} ms/signatory, ours {total_ours:.1f} "
          f"ms: overhead {(total_ours - total_theirs) / total_theirs:+.0%} "
          f"({total_theirs / total_ours:.2f} times as fast)")


FOLDER_WARM_UP = 40  # signatories drawn before the folder rounds: fonts, fixed texts


def bench_folder(faces: list[Face], repeat: int) -> None:
    """CPU a signatory of one badge folder, whole and by stage (see the module's
    docstring). Names are shaped and drawn once per process (caches), as in a build, so
    every round takes signatories of its own."""
    design = load_design(ROOT)
    warm, rest = faces[:FOLDER_WARM_UP], faces[FOLDER_WARM_UP:] or faces
    per = max(1, min(100, len(rest) // (2 * repeat)))
    for face in warm:
        folder.render_face(design, face, masthead())
    totals: list[float] = []
    stages: dict[str, list[float]] = {stage: [] for stage in FOLDER_STAGES}
    for index in range(repeat):
        whole, staged = (rest[(2 * index + k) * per % len(rest):][:per] for k in (0, 1))
        gc.collect()
        start = cpu_seconds()
        for face in whole:
            folder.render_face(design, face, masthead())
        totals.append((cpu_seconds() - start) / len(whole))
        spent = dict.fromkeys(FOLDER_STAGES, 0.0)
        for face in staged:
            for stage, seconds in folder_stages(design, face).items():
                spent[stage] += seconds
        for stage, seconds in spent.items():
            stages[stage].append(seconds / len(staged))
    print(f"One badge folder: CPU a signatory, median of {repeat} rounds of {per} "
          f"signatories each (after {len(warm)} to warm up)")
    print(f"  {'the whole folder (render_face)':32} {statistics.median(totals) * 1000:6.2f} ms "
          f"[min {min(totals) * 1000:.2f} max {max(totals) * 1000:.2f}]")
    for stage, values in stages.items():
        print(f"  {stage:32} {statistics.median(values) * 1000:6.2f} ms")


FOLDER_STAGES = ("SVG", "painting", "palette and PNG", "baking the PNGs")


def folder_stages(design: Design, face: Face) -> dict[str, float]:
    """CPU seconds of each stage of render_face for one signatory: its SVGs (each file,
    baked, and the drawings for the PNGs), painting the cards and the social card (the
    compact drawings are the same for every signatory of a kind: drawn once a process),
    their palettes and PNG files, and baking the four badge PNGs."""
    spent: dict[str, float] = {}
    start = cpu_seconds()
    drawings = drawings_of(face)
    for variant in VARIANTS:
        for drawn in (svg.compact_svg(design, face, variant, outlines=False),
                      drawings[f"card-{variant}"]):
            if face.assertion_json is not None and face.verify is not None:
                bake.bake_svg(drawn, face.assertion_json, face.verify)
    spent["SVG"], start = cpu_seconds() - start, cpu_seconds()
    pictures = [raster._paint(drawings[stem], 1 if stem == folder.SOCIAL else folder.SCALE)
                for stem in drawings if not stem.startswith("compact-")]
    spent["painting"], start = cpu_seconds() - start, cpu_seconds()
    pngs = [raster.encode(*picture) for picture in pictures]
    spent["palette and PNG"], start = cpu_seconds() - start, cpu_seconds()
    if face.assertion_json is not None:
        for png in (*pngs[:2], *pngs[:2]):  # the cards, and as many compact PNGs
            bake.bake_png(png, face.assertion_json)
    spent["baking the PNGs"] = cpu_seconds() - start
    return spent


def build(out: Path, mission: Mission, pledges: Sequence[Pledge], workers: int | None,
          timing: Timing) -> BuildResult:
    return timing.run(lambda: build_badges(ROOT, out, mission, pledges, BASE, workers=workers))


def bench_workers(mission: Mission, pledges: Sequence[Pledge], repeat: int,
                  scratch: Path) -> None:
    timings = {1: Timing(), 2: Timing()}
    for index in range(repeat):
        for workers, timing in timings.items():
            out = scratch / f"workers-{workers}-{index}"
            clear_caches()
            result = build(out, mission, pledges, workers, timing)
            assert len(result.rendered) == len(pledges) + 1
            shutil.rmtree(out)
    one, two = timings[1].median, timings[2].median
    print(f"build_badges, {len(pledges)} signatories cold:\n"
          f"  workers=1 {one:.2f} s {timings[1].spread()}\n"
          f"  workers=2 {two:.2f} s {timings[2].spread()}\n"
          f"  speed-up {one / two:.2f}x ({len(pledges) / one:.1f} -> {len(pledges) / two:.1f} "
          "signatories/s)")


# --- 3. the full set ---------------------------------------------------------------------
def bench_full(mission: Mission, pledges: list[Pledge], repeat: int, scratch: Path,
               max_minutes: float) -> Path:
    """Cold, one changed, nothing changed; returns the folder built (for the sizes)."""
    trial = pledges[:200]
    out = scratch / "estimate"
    clear_caches()
    timing = Timing()
    build(out, mission, trial, None, timing)
    estimate = timing.median / (len(trial) + 1) * (len(pledges) + 1)
    print(f"estimate: {len(trial)} signatories cold in {timing.median:.1f} s, so "
          f"{len(pledges):,} in about {estimate / 60:.1f} min")
    if estimate > max_minutes * 60:
        print(f"the estimate exceeds --max-minutes {max_minutes:g}: the full set is skipped")
        return out
    out = scratch / "full"
    clear_caches()
    cold_timing = Timing()
    result = build(out, mission, pledges, None, cold_timing)
    assert len(result.rendered) == len(pledges) + 1
    cold = cold_timing.median
    print(f"cold: {len(pledges):,} signatories (+ the generic badge), "
          f"{os.cpu_count()} workers: {cold:.1f} s = {cold / 60:.1f} min "
          f"({len(pledges) / cold:.1f} signatories/s) {cold_timing.spread()}")
    changed = list(pledges)
    warm_timing = Timing()
    for index in range(repeat):
        position = index * 997 % len(changed)  # a different signatory each round
        changed[position] = replace(changed[position], name=f"Renamed Signatory {index}")
        result = build(out, mission, changed, None, warm_timing)
        assert result.rendered == [changed[position].slug], result.rendered
    print(f"warm, one pledge renamed: {warm_timing.median:.2f} s {warm_timing.spread()}: "
          f"{warm_timing.median / cold:.2%} of the cold build")
    idle_timing = Timing()
    for _ in range(repeat):
        result = build(out, mission, changed, None, idle_timing)
        assert not result.rendered
    print(f"warm, nothing changed: {idle_timing.median:.2f} s {idle_timing.spread()}: "
          f"{idle_timing.median / cold:.2%} of the cold build")
    return out


# --- 4. sizes ------------------------------------------------------------------------------
def bench_sizes(out: Path, faces: list[Face], pybadges_sizes: list[int]) -> None:
    design = load_design(ROOT)
    unbaked = [len(svg.compact_svg(design, face, variant, outlines=False).encode())
               for face in faces for variant in VARIANTS]

    def under_1k(values: list[int]) -> str:
        return f"({sum(size < 1024 for size in values) / len(values):.0%} under 1 KB)"

    print(f"{'compact SVG, unbaked':26} {sizes(unbaked)} {under_1k(unbaked)}")
    if pybadges_sizes:
        print(f"{'pybadges SVG, same texts':26} {sizes(pybadges_sizes)} "
              f"{under_1k(pybadges_sizes)}")
    else:
        print(f"{'pybadges SVG, same texts':26} skipped (pybadges is not installed)")
    kinds: dict[str, list[int]] = {}
    for badge_dir in sorted(p for p in out.iterdir() if p.is_dir()):
        if badge_dir.name == paths.GENERIC_BADGE:
            continue
        for path in badge_dir.iterdir():
            kinds.setdefault(re.sub(r"-(light|dark)", "", path.name), []).append(
                path.stat().st_size)
    for kind in sorted(kinds, key=lambda k: (not k.endswith(".svg"), k)):
        label = "compact.svg (baked)" if kind == "compact.svg" else kind
        extra = f" {under_1k(kinds[kind])}" if kind == "compact.svg" else ""
        print(f"{label:26} {sizes(kinds[kind])}{extra}")
    generic = out / paths.GENERIC_BADGE / "compact-light.svg"
    print(f"{'mission/compact-light.svg':26} {generic.stat().st_size:,} bytes (nothing baked)")


# --- main ------------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--count", type=int, default=10_000, help="signatories in the full set")
    parser.add_argument("--sample", type=int, default=2_000,
                        help="signatories for the SVG micro-benchmark (PNG: sample // 40)")
    parser.add_argument("--workers-sample", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5, help="rounds of each measurement")
    parser.add_argument("--build-repeat", type=int, default=3,
                        help="rounds of each workers=1/workers=2 build")
    parser.add_argument("--max-minutes", type=float, default=40.0,
                        help="skip the full set if the cold build looks longer than this")
    parser.add_argument("--folder-only", action="store_true",
                        help="only one badge folder's CPU, whole and by stage")
    args = parser.parse_args(argv)
    pybadges = import_pybadges()
    from importlib.metadata import version  # noqa: PLC0415

    print(f"# Badge benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"{platform.python_implementation()} {platform.python_version()}, "
          f"{platform.platform()}; cairosvg {cairosvg.__version__}, "
          + (f"pybadges {version('pybadges')} ({Path(pybadges.__file__).parent.name})"
             if pybadges is not None else "no pybadges (its comparisons are skipped)"))
    start = time.perf_counter()
    mission = load_mission(ROOT)
    pledges = make_pledges(args.sample if args.folder_only
                           else max(args.count, args.sample, args.workers_sample, 200))
    print(f"{len(pledges):,} signatories generated in {time.perf_counter() - start:.1f} s "
          f"(seed {SEED}); {sum(not p.active for p in pledges):,} withdrawn")
    words = badge_words(ROOT)
    faces = [face_of(p, BASE, words=words) for p in pledges[:args.sample]]
    if args.folder_only:
        section("PNG")
        print(f"load average {os.getloadavg()[0]:.2f} at the start")
        bench_folder(faces, args.repeat)
        print(f"load average {os.getloadavg()[0]:.2f} at the end")
        return

    section(f"Compact SVG badges per millisecond ({len(faces):,} signatories x light and "
            f"dark, {args.repeat} rounds)")
    pybadges_sizes = bench_svg(faces, args.repeat, pybadges)

    with tempfile.TemporaryDirectory(prefix="bench-badges-") as folder:
        scratch = Path(folder)
        section("PNG")
        bench_png(faces[:max(1, args.sample // 40)], args.repeat)
        bench_folder(faces, args.repeat)
        bench_workers(mission, pledges[:args.workers_sample], args.build_repeat, scratch)

        section(f"The complete set, {args.count:,} signatories")
        out = bench_full(mission, pledges[:args.count], args.repeat, scratch,
                         args.max_minutes)

        section("Sizes")
        bench_sizes(out, faces, pybadges_sizes)
    print(f"\ntotal {(time.perf_counter() - start) / 60:.1f} min")


if __name__ == "__main__":
    main()
