"""The Open Badges 3.0 documents: an OpenBadgeCredential for each published mission version
each signature signed or reaffirmed (never for a draft), beside the 2.0 assertion it
mirrors, and signed; each mission version's Achievement; the issuer's DID document.

Every word, date, recipient and piece of evidence is the 2.0 documents' (model/
openbadges.py), so the two cannot say different things: the issuer Profile is the
settings' under the DID, with the site as its `url`; `validFrom` and `awardedDate` are the
day the version was signed or reaffirmed; the recipient is the website's origin; the
evidence is the signatory's announcement. A redacted pledge (a tombstone) has no
credential: its addresses hold an unsigned tombstone, as its 2.0 assertions do.

Spec: https://www.imsglobal.org/spec/ob/v3p0/ (the data model: OpenBadgeCredential,
Profile, AchievementSubject, Achievement, Evidence, Image).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from socialmission.credentials import contexts, proof
from socialmission.credentials.issuer import Signer, did_document
from socialmission.model import openbadges, paths
from socialmission.model.mission import Mission
from socialmission.model.pledge import Pledge
from socialmission.model.settings import Settings

TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
TEST_NOTE = ("TEST: signed with the public test key, not by the registry; a credential "
             "under this issuer proves nothing.")


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def profile(base: str, settings: Settings, signing: Signer) -> dict[str, Any]:
    """The issuer Profile: the DID, the settings' name, e-mail and description, the site as
    its url. Under the test key its name and description say TEST."""
    name, description = settings.issuer_name, settings.issuer_description
    if signing.test:
        name, description = f"TEST {name}", TEST_NOTE
    return {"id": signing.did, "type": ["Profile"], "name": name, "url": base,
            "email": settings.issuer_email, "description": description}


def achievement(base: str, mission: Mission, version: int,
                settings: Settings) -> dict[str, Any]:
    """A published mission version's Achievement, in its 2.0 BadgeClass's words; a
    version that is not published (a draft) has none: ValueError. Its criteria are the
    commitment and the version's section of the history page, which lists the principles
    (not the principles themselves: the credential is baked into each card badge, whose
    share of the output budget is small)."""
    published = mission.get(version)
    if published is None:
        raise ValueError(f"version {version} of the mission is not published: no credential "
                         f"for it (published: {', '.join(map(str, mission.numbers))})")
    badge = openbadges.badge_class(base, published, settings)
    criteria = {"id": badge["criteria"]["id"],
                "narrative": f"{openbadges.commitment(published, settings)}."}
    return {"id": base + paths.achievement_path(version), "type": ["Achievement"],
            "name": badge["name"], "description": badge["description"],
            "criteria": criteria, "image": {"id": badge["image"], "type": "Image"},
            "tag": badge["tags"]}


def credential(base: str, pledge: Pledge, version: int, signature: int, *,
               settings: Settings, mission: Mission, signing: Signer,
               status: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The unsigned credential for `version` of the pledge's `signature`th signature (1
    the first), its words, dates and recipient its 2.0 assertion's; `status` its
    credentialStatus entry, if any. ValueError for a tombstone or a version not signed."""
    if pledge.tombstone:
        raise ValueError(f"{pledge.slug} is redacted: its credentials are tombstones")
    assertion = openbadges.assertion(base, pledge, version, mission_name=settings.mission_name,
                                     signature=signature)
    signed = pledge.signatures[signature - 1]
    day = signed.signed_on(version)
    assert day is not None  # the assertion refuses a version not signed
    document: dict[str, Any] = {
        "@context": [contexts.CREDENTIALS_V2, contexts.OPEN_BADGES_V3],
        "id": base + paths.credential_path(pledge.slug, openbadges.assertion_key(
            signed, version), signature),
        "type": TYPES,
        "issuer": profile(base, settings, signing),
        "name": openbadges.badge_class_name(settings.mission_name, version),
        "description": assertion["narrative"],
        "image": {"id": assertion["image"], "type": "Image"},
        "validFrom": _timestamp(day),
        "awardedDate": _timestamp(day),
        "credentialSubject": {"id": assertion["recipient"]["identity"],
                              "type": ["AchievementSubject"],
                              "achievement": achievement(base, mission, version, settings)},
    }
    if "evidence" in assertion:
        document["evidence"] = [{**assertion["evidence"], "type": ["Evidence"]}]
    if status is not None:
        document["credentialStatus"] = dict(status)
    return document


def tombstone(base: str, pledge: Pledge, version: int, signature: int, *,
              settings: Settings, signing: Signer) -> dict[str, Any]:
    """What a redacted pledge's credential address holds instead, as its 2.0 assertion
    does: unsigned, with no recipient, name or evidence, saying it was redacted (the
    deployment never deletes, so the address must be overwritten)."""
    assertion = openbadges.assertion(base, pledge, version, mission_name=settings.mission_name,
                                     signature=signature)
    signed = pledge.signatures[signature - 1]
    return {"@context": [contexts.CREDENTIALS_V2, contexts.OPEN_BADGES_V3],
            "id": base + paths.credential_path(pledge.slug, openbadges.assertion_key(
                signed, version), signature),
            "type": TYPES, "issuer": profile(base, settings, signing),
            "name": openbadges.badge_class_name(settings.mission_name, version),
            "description": f"Revoked. {assertion['revocationReason']}"}


def signed_credential(base: str, pledge: Pledge, version: int, signature: int, *,
                      settings: Settings, mission: Mission, signing: Signer,
                      status: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The credential, signed by `signing`; its proof's `created` is the day signed or
    reaffirmed, or the key's `since` if that is later."""
    document = credential(base, pledge, version, signature, settings=settings,
                          mission=mission, signing=signing, status=status)
    day = pledge.signatures[signature - 1].signed_on(version)
    assert day is not None
    return proof.sign(document, signing.seed, signing.verification_method, signing.created(day))


def all_documents(base: str, settings: Settings, mission: Mission, pledges: Sequence[Pledge],
                  signing: Signer) -> dict[str, dict[str, Any]]:
    """Every Open Badges 3.0 document of the site, by path below its root: the DID
    document, each published version's Achievement, and a signed credential for each
    published version of each signature of each pledge (a tombstone's: unsigned). Written
    with model/openbadges.py's dumps (sorted keys), they are the same bytes every build."""
    documents = {paths.DID_DOCUMENT_PATH: did_document(signing, settings.issuer_keys)}
    for number in mission.numbers:
        documents[paths.achievement_path(number)] = {
            "@context": [contexts.CREDENTIALS_V2, contexts.OPEN_BADGES_V3],
            **achievement(base, mission, number, settings)}
    for pledge in pledges:
        for number, signed in enumerate(pledge.signatures, start=1):
            for version in signed.versions:
                if mission.get(version) is None:
                    continue
                document = tombstone(base, pledge, version, number, settings=settings,
                                     signing=signing) if pledge.tombstone else \
                    signed_credential(base, pledge, version, number, settings=settings,
                                      mission=mission, signing=signing)
                documents[document["id"].removeprefix(base)] = document
    return documents
