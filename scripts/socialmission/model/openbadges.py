"""Open Badges 2.0 documents: the issuer, a BadgeClass per mission version, an Assertion
per version of each signature of each signatory (hosted verification). Baking them into
images is render/bake.py's job.

Spec: https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from jinja2.utils import htmlsafe_json_dumps

from socialmission.model import paths
from socialmission.model.constants import WITHDRAWN_BY_REGISTRY
from socialmission.model.mission import Mission, MissionVersion, principles_phrase
from socialmission.model.pledge import Pledge, Signature
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


def commitment(version: MissionVersion, settings: Settings) -> str:
    """What signing a version means, as a sentence without its full stop: "The signatory
    commits to the principles of <title>, version <N>" (the criteria's narrative, which
    the BadgeClass follows with the principles)."""
    return f"The signatory {settings.commitment} {version.title}, version {version.version}"


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
            "narrative": f"{commitment(version, settings)}:\n\n{principles}",
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


def assertion_key(signature: Signature, version: int) -> int | None:
    """What paths.assertion_path takes for one of a signature's versions: None for the one
    it first signed (its address has no `.v<N>`), else the version."""
    return None if version == signature.mission_version else version


def _chosen(pledge: Pledge, signature: int | None,
            version: int | None) -> tuple[int, Signature, int]:
    """(number, signature, version) of one of a pledge's assertions: by default its current
    signature, and the version that signature first signed."""
    number = len(pledge.signatures) if signature is None else signature
    signed = pledge.signatures[number - 1]
    return number, signed, signed.mission_version if version is None else version


def assertion_path(pledge: Pledge, version: int | None = None,
                   signature: int | None = None) -> str:
    """The site path of a pledge's assertion for `version` of its `signature`th signature
    (1 the first; by default the current one, and the version it first signed)."""
    number, signed, version = _chosen(pledge, signature, version)
    return paths.assertion_path(pledge.slug, assertion_key(signed, version), number)


def withdrawal(signature: Signature) -> str:
    """A withdrawn signature's revocation, without its reason: "Withdrawn on 2025-01-31",
    "Withdrawn by the registry on 2025-01-31"."""
    by = " by the registry" if signature.withdrawn_by == WITHDRAWN_BY_REGISTRY else ""
    on = f" on {signature.withdrawn.isoformat()}" if signature.withdrawn else ""
    return f"Withdrawn{by}{on}"


def assertion(base: str, pledge: Pledge, version: int | None = None, *,
              mission_name: str, signature: int | None = None) -> dict[str, Any]:
    """The hosted assertion of one signatory for one mission version that one of its
    signatures (by default the current one) signed or reaffirmed (by default the one it
    first signed). Each is revoked unless its signature is in force: an earlier signature's
    stay revoked, with that signature's own withdrawal. A redacted pledge's are revoked
    tombstones: no recipient, name or evidence. `mission_name`: the settings' (the
    narrative names the mission)."""
    number, signed, version = _chosen(pledge, signature, version)
    day = signed.signed_on(version)
    if day is None:
        raise ValueError(f"{pledge.slug}'s signature {number} did not sign or reaffirm "
                         f"version {version}")
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": base + assertion_path(pledge, version, number),
        "badge": paths.badge_class_url(base, version),
        "verification": {"type": "hosted"},
        "issuedOn": _timestamp(day),
        "image": f"{paths.badge_folder_url(base, pledge.slug)}{paths.LIGHT_CARD_PNG}",
    }
    if pledge.tombstone:
        assert pledge.redacted is not None
        document["revoked"] = True
        document["revocationReason"] = (f"{withdrawal(signed)}; the signatory's details "
                                        f"were redacted on {pledge.redacted.isoformat()}.")
        return document
    assert pledge.website is not None  # every pledge but a tombstone has one
    document["recipient"] = {"type": "url", "hashed": False,
                             "identity": recipient_identity(pledge.website)}
    what = "signed" if version == signed.mission_version else "reaffirmed"
    again = " again" if number > 1 and what == "signed" else ""
    document["narrative"] = (f"{pledge.name} {what} version {version} of the {mission_name}"
                             f"{again} on {day.isoformat()}.")
    if pledge.statement_url is not None:
        document["evidence"] = {"id": pledge.statement_url.text,
                                "narrative": "The signatory's public announcement."}
    if number < len(pledge.signatures) or not pledge.active:
        document["revoked"] = True
        reason = withdrawal(signed)
        if signed.withdrawn_reason:
            reason += f": {signed.withdrawn_reason}"
        document["revocationReason"] = reason
    return document


def assertions(base: str, pledge: Pledge, signature: int | None = None) -> dict[int, str]:
    """The address of the assertion for each version one of the pledge's signatures (by
    default the current one) signed or reaffirmed."""
    number, signed, _ = _chosen(pledge, signature, None)
    return {version: base + assertion_path(pledge, version, number)
            for version in signed.versions}


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
    for pledge in pledges:  # one per version of each signature: a baked badge stays true
        for number, signed in enumerate(pledge.signatures, start=1):
            for signed_version in signed.versions:
                documents[assertion_path(pledge, signed_version, number)] = assertion(
                    base, pledge, signed_version, mission_name=settings.mission_name,
                    signature=number)
    return documents
