"""What one badge says: for a signatory, or for the generic mission badge; and what every
social card says of the registry (its masthead)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from socialmission.errors import BuildError, UsageError
from socialmission.model import openbadges, paths, settings
from socialmission.model.mission import Mission, load_mission, principles_phrase
from socialmission.model.pledge import Pledge
from socialmission.model.urls import shown_registrable
from socialmission.render import shaping
from socialmission.render.layout import (
    CARD_TEXT_RIGHT,
    CARD_TEXT_X,
    CARD_WIDTH,
    NAME_SIZES,
    check_masthead,
    undrawable,
)


@dataclass(frozen=True)
class Words:
    """What every badge says of the mission: registry.yaml's words, mkdocs.yml's name."""

    mission_name: str  # the baked assertion's narrative
    label: str  # the compact badge's left half; in capitals, the card's heading
    title: str  # site_name: what the generic badge shows in the name's place
    aim: str  # badge_aim: the generic badge's detail, after "Ten principles"


def badge_words(root: Path) -> Words:
    """The registry's badge words, checked: a BuildError names the file and line of each
    one the badges cannot show (a UsageError when the settings cannot be read)."""
    found = settings.load_settings(root)
    words = Words(mission_name=found.mission_name, label=found.badge_label,
                  title=settings.site_name(root), aim=found.badge_aim)
    problems = check_words(root, words, load_mission(root))
    if problems:
        raise BuildError("the badges cannot show the registry's words:\n" + "\n".join(problems))
    return words


def check_words(root: Path, words: Words, mission: Mission) -> list[str]:
    """Why the badges cannot draw the registry's own words, each as `file:line: message`
    naming the setting to change; [] when they can. The card draws its heading (the label
    in capitals), and the generic badge its name (site_name) and its detail line (the
    principles' count and badge_aim), each on one line of the card's text column."""
    from socialmission.render import svg  # noqa: PLC0415 - svg draws with this module

    fonts = paths.fonts_dir(root)
    width = CARD_WIDTH - CARD_TEXT_X - CARD_TEXT_RIGHT
    label = (settings.setting_line(root, "badge_label"), "badge_label", words.label)
    title = (settings.mkdocs_line(root, "site_name"), "site_name", words.title)
    aim = (settings.setting_line(root, "badge_aim"), "badge_aim", words.aim)
    problems: list[str] = []
    for where, key, text in (label, title, aim):
        if problem := undrawable(text, f"{where}: '{key}'", fonts):
            problems.append(problem)
    if problems:
        return problems
    for (where, key, text), drawn, size, what in (
            (label, words.label.upper(), svg.HEADING_SIZE, "the card's heading, in capitals"),
            (title, words.title, NAME_SIZES[0], "the generic badge's name"),
            (aim, generic_detail(mission, words), svg.DETAIL_SIZE,
             "the generic badge's line under its name")):
        drawn_width = shaping.measure(drawn, size, fonts)
        if drawn_width > width:
            problems.append(f"{where}: '{key}' is too long for {what} ({drawn!r} is "
                            f"{round(drawn_width)} px wide at {size} px; the card has "
                            f"{width} px): shorten it (got {text!r})")
    return problems


# What a signatory's compact badge says in its right half: the one declaration of these
# words, which its shields.io document says too (site/shields.py).
SIGNATORY_VALUE: Final = "signatory"
WITHDRAWN_VALUE: Final = "withdrawn"


def standing_value(pledge: Pledge) -> str:
    """What a signatory's badge says of it: SIGNATORY_VALUE while it is active, else
    WITHDRAWN_VALUE (a redacted pledge was withdrawn first)."""
    return SIGNATORY_VALUE if pledge.active else WITHDRAWN_VALUE


@dataclass(frozen=True)
class Face:
    key: str  # folder name
    name: str | None  # None: the generic badge
    value: str  # the compact badge's right half: "signatory" or "withdrawn"
    detail: str
    withdrawn: bool
    assertion_json: str | None
    verify: str | None
    # The social card's line under the name: kind and year signed (and withdrawn),
    # "Organisation · signed in 2024"; the generic badge's detail.
    standing: str
    version: int  # the mission version the badge names
    label: str  # Words.label
    title: str  # Words.title
    # The website's registrable domain, ASCII (model.urls.Url.registrable), drawn under the
    # name (layout.fit_domain); None for the generic badge and a pledge without a website.
    domain: str | None = None
    # The generic badge's count of principles, which its mark draws (layout.principle_ring)
    # in place of a signatory's check; 0 for a signatory.
    principles: int = 0


def face_of(pledge: Pledge, base: str, latest: int | None = None, *, words: Words) -> Face:
    """A signatory's badge, of its current signature (the one in force, or withdrawn last):
    the year it was signed, the newest mission version it signed or reaffirmed, and when a
    newer one (`latest`, the mission's current version) is out; it bakes in that version's
    assertion. A redacted pledge's badge names nobody."""
    current = pledge.current
    newest = current.current_version
    # the social card's line: kind (a redacted pledge has none) and when
    standing = [pledge.kind.capitalize()] if pledge.kind else []
    standing.append(f"{'signed' if standing else 'Signed'} in {current.signed.year}")
    if pledge.active:
        detail = f"Signatory since {current.signed.year} · Mission v{newest}"
        if latest is not None and latest > newest:
            detail += f" · v{latest} is out"
    else:
        year = current.withdrawn.year if current.withdrawn else current.signed.year
        detail = f"Withdrawn in {year} · no longer a signatory"
        standing.append(f"withdrawn in {year}")
    return Face(key=pledge.slug, name=pledge.name,
                value=standing_value(pledge), detail=detail,
                withdrawn=not pledge.active,
                assertion_json=openbadges.dumps(openbadges.assertion(
                    base, pledge, newest, mission_name=words.mission_name)),
                verify=base + openbadges.assertion_path(pledge, newest),
                standing=" · ".join(standing), version=newest, label=words.label,
                title=words.title,
                domain=pledge.website.registrable if pledge.website else None)


def generic_detail(mission: Mission, words: Words) -> str:
    """The generic badge's line under its name: "Ten principles <badge_aim> · v1"."""
    version = mission.current
    return (f"{principles_phrase(len(version.principles)).capitalize()} {words.aim} "
            f"· v{version.version}")


def generic_face(mission: Mission, words: Words) -> Face:
    version = mission.current
    count = len(version.principles)
    detail = generic_detail(mission, words)
    return Face(key=paths.GENERIC_BADGE, name=None,
                value=f"{count} principle{'' if count == 1 else 's'}", detail=detail,
                withdrawn=False, assertion_json=None, verify=None, standing=detail,
                version=version.version, label=words.label, title=words.title,
                principles=count)


def describe(face: Face) -> str:
    """What a badge says, as text for <title> and aria-label: the name, and its website's
    domain as the signatory's page shows it (both forms of a look-alike), in full even
    where the card has to shorten it."""
    if face.name is None:
        return f"{face.title}. {face.detail}."
    name = face.name if face.domain is None else \
        f"{face.name}, {shown_registrable(face.domain)}"
    return f"{name}: {face.label} {face.value}. {face.detail}."


@dataclass(frozen=True)
class Masthead:
    """What every social card says of the registry: its name (mkdocs.yml site_name), its
    address (site_url without "https://" and the last "/") and each mission version's
    title, by version number."""

    name: str
    address: str
    titles: tuple[tuple[int, str], ...]

    def title(self, version: int) -> str:
        return dict(self.titles)[version]


def masthead_of(root: Path, mission: Mission, base: str) -> Masthead:
    """The registry's masthead, checked: a UsageError names each setting whose text the
    social card cannot draw."""
    masthead = Masthead(name=settings.site_name(root),
                        address=base.removeprefix("https://").removesuffix("/"),
                        titles=tuple((v.version, v.title) for v in mission.versions))
    problems = check_masthead(masthead.name, masthead.address, masthead.titles,
                              paths.fonts_dir(root))
    if problems:
        raise UsageError("the social cards cannot be drawn:\n" + "\n".join(problems))
    return masthead
