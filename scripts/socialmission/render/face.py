"""What one badge says: for a signatory, or for the generic mission badge."""

from __future__ import annotations

from dataclasses import dataclass

from socialmission.model import openbadges, paths
from socialmission.model.mission import Mission, principles_phrase
from socialmission.model.pledge import Pledge

LABEL = "Social Mission"  # the compact badge's left half


@dataclass(frozen=True)
class Face:
    key: str  # folder name
    name: str | None  # None: the generic badge
    value: str  # the compact badge's right half: "signatory" or "withdrawn"
    detail: str
    withdrawn: bool
    assertion_json: str | None
    verify: str | None


def face_of(pledge: Pledge, base: str, latest: int | None = None) -> Face:
    """A signatory's badge. It names the newest mission version the signatory signed or
    reaffirmed, and says when a newer one (`latest`, the mission's current version) is out;
    it bakes in that version's assertion. A redacted pledge's badge names nobody."""
    newest = pledge.current_version
    if pledge.active:
        detail = f"Signatory since {pledge.signed.year} · Mission v{newest}"
        if latest is not None and latest > newest:
            detail += f" · v{latest} is out"
    else:
        year = pledge.withdrawn.year if pledge.withdrawn else pledge.signed.year
        detail = f"Withdrawn in {year} · no longer a signatory"
    key = openbadges.assertion_key(pledge, newest)
    return Face(key=pledge.slug, name=pledge.name,
                value="signatory" if pledge.active else "withdrawn", detail=detail,
                withdrawn=not pledge.active,
                assertion_json=openbadges.dumps(openbadges.assertion(base, pledge, newest)),
                verify=paths.assertion_url(base, pledge.slug, key))


def generic_face(mission: Mission) -> Face:
    version = mission.current
    count = len(version.principles)
    return Face(key=paths.GENERIC_BADGE, name=None,
                value=f"{count} principle{'' if count == 1 else 's'}",
                detail=f"{principles_phrase(count).capitalize()} for social media · "
                       f"v{version.version}",
                withdrawn=False, assertion_json=None, verify=None)


def describe(face: Face) -> str:
    """What a badge says, as text for <title> and aria-label."""
    if face.name is None:
        return f"The Social Mission. {face.detail}."
    return f"{face.name}: Social Mission {face.value}. {face.detail}."
