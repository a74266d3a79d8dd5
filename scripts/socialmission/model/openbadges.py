"""Open Badges 2.0 documents: the issuer, a BadgeClass per mission version, an Assertion
per signatory (hosted verification). Baking them into images is render/bake.py's job.

Spec: https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from jinja2.utils import htmlsafe_json_dumps

from socialmission.model import paths
from socialmission.model.mission import Mission, MissionVersion, principles_phrase
from socialmission.model.pledge import Pledge
from socialmission.model.settings import Settings
from socialmission.model.urls import Url

CONTEXT = "https://w3id.org/openbadges/v2"


def issuer(base: str, settings: Settings) -> dict[str, Any]:
    """The issuer profile; its name, e-mail and website come from registry.yaml."""
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": paths.issuer_url(base),
        "name": settings.issuer_name,
        "url": settings.issuer_url,
        "email": settings.issuer_email,
        "description": settings.issuer_description,
    }


def badge_class_name(mission_name: str, version: int) -> str:
    """What a signatory of a mission version holds: its BadgeClass's name, and the
    certification's name on an individual's LinkedIn profile (site/linkedin.py)."""
    return f"{mission_name} signatory (version {version})"


def badge_class(base: str, version: MissionVersion, settings: Settings) -> dict[str, Any]:
    """A mission version's BadgeClass; every word about the mission is the settings'."""
    principles = "\n".join(f"{n}. {' '.join(p.split())}"
                           for n, p in enumerate(version.principles, start=1))
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": paths.badge_class_url(base, version.version),
        "name": badge_class_name(settings.mission_name, version.version),
        "description": f"Signed {version.title}, version {version.version}: "
                       f"{principles_phrase(len(version.principles))} "
                       f"{settings.mission_aim}.",
        "image": f"{paths.badge_folder_url(base, paths.GENERIC_BADGE)}{paths.LIGHT_CARD_PNG}",
        "criteria": {
            "id": paths.mission_version_url(base, version.version),
            "narrative": f"The signatory {settings.commitment} {version.title}, "
                         f"version {version.version}:\n\n{principles}",
        },
        "issuer": paths.issuer_url(base),
        "tags": [*settings.keywords, settings.mission_name],
    }


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00+00:00"


def recipient_identity(website: Url) -> str:
    """The recipient's identity: the website's origin, https and its lower-case ASCII
    (IDNA) host with no path or trailing slash, so that how a signatory wrote its address
    ('https://Example.org/about' or 'https://example.org') never changes it. 'www.' is
    part of the host, so it stays."""
    return f"https://{website.host}"


def assertion_key(pledge: Pledge, version: int) -> int | None:
    """What paths.assertion_path takes for one of a pledge's versions: None for the one
    first signed (its address is `<slug>.json`), else the version."""
    return None if version == pledge.mission_version else version


def assertion(base: str, pledge: Pledge, version: int | None = None, *,
              mission_name: str) -> dict[str, Any]:
    """The hosted assertion of one signatory for one mission version it signed or
    reaffirmed (by default the one first signed); every one is revoked once the pledge is
    withdrawn. A redacted pledge's are revoked tombstones: no recipient, name or evidence.
    `mission_name`: the settings' (the narrative names the mission)."""
    number = pledge.mission_version if version is None else version
    day = pledge.signed_on(number)
    if day is None:
        raise ValueError(f"{pledge.slug} did not sign or reaffirm version {number}")
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": paths.assertion_url(base, pledge.slug, assertion_key(pledge, number)),
        "badge": paths.badge_class_url(base, number),
        "verification": {"type": "hosted"},
        "issuedOn": _timestamp(day),
        "image": f"{paths.badge_folder_url(base, pledge.slug)}{paths.LIGHT_CARD_PNG}",
    }
    if pledge.tombstone:
        assert pledge.redacted is not None and pledge.withdrawn is not None
        document["revoked"] = True
        document["revocationReason"] = (f"Withdrawn on {pledge.withdrawn.isoformat()}; the "
                                        "signatory's details were redacted on "
                                        f"{pledge.redacted.isoformat()}.")
        return document
    assert pledge.website is not None  # every pledge but a tombstone has one
    document["recipient"] = {"type": "url", "hashed": False,
                             "identity": recipient_identity(pledge.website)}
    what = "signed" if number == pledge.mission_version else "reaffirmed"
    document["narrative"] = (f"{pledge.name} {what} version {number} of the {mission_name} "
                             f"on {day.isoformat()}.")
    if pledge.statement_url is not None:
        document["evidence"] = {"id": pledge.statement_url.text,
                                "narrative": "The signatory's public announcement."}
    if not pledge.active:
        document["revoked"] = True
        reason = f"Withdrawn on {pledge.withdrawn.isoformat()}" if pledge.withdrawn else \
            "Withdrawn"
        if pledge.withdrawn_reason:
            reason += f": {pledge.withdrawn_reason}"
        document["revocationReason"] = reason
    return document


def assertions(base: str, pledge: Pledge) -> dict[int, str]:
    """The address of the pledge's assertion for each version it signed or reaffirmed."""
    return {number: paths.assertion_url(base, pledge.slug, assertion_key(pledge, number))
            for number in pledge.versions}


def dumps(document: dict[str, Any]) -> str:
    """Deterministic JSON (sorted keys) that can sit in HTML, XML CDATA or a PNG chunk.

    '<', '>', '&' and "'" are written as \\u escapes (Jinja's htmlsafe_json_dumps): the
    same JSON value, but no ']]>' can close a CDATA section, no '</script>' can close a
    script element and no quote can end an attribute.
    """
    return str(htmlsafe_json_dumps(document, dumps=json.dumps, sort_keys=True,
                                   ensure_ascii=False, separators=(",", ":")))


def all_documents(base: str, settings: Settings, mission: Mission,
                  pledges: list[Pledge]) -> dict[str, dict[str, Any]]:
    """Every Open Badges document the site publishes, by path below the site root."""
    documents = {paths.issuer_path(): issuer(base, settings)}
    for version in mission.versions:
        documents[paths.badge_class_path(version.version)] = badge_class(base, version, settings)
    for pledge in pledges:
        for number in pledge.versions:  # one per version signed: a baked badge stays true
            documents[paths.assertion_path(pledge.slug, assertion_key(pledge, number))] = \
                assertion(base, pledge, number, mission_name=settings.mission_name)
    return documents
