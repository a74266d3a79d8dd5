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
from dataclasses import dataclass
from typing import Any

from socialmission.credentials import contexts, proof
from socialmission.credentials.issuer import Signer, did_document
from socialmission.model import openbadges, paths, statuslist
from socialmission.model.mission import Mission
from socialmission.model.pledge import Pledge
from socialmission.model.settings import Settings

TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
TEST_NOTE = ("TEST: signed with the public test key, not by the registry; a credential "
             "under this issuer proves nothing.")


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def address(pledge: Pledge, version: int, signature: int) -> str:
    """The site path of the credential for `version` of the pledge's `signature`th
    signature (1 the first): its 2.0 assertion's name, under paths.CREDENTIALS_PATH."""
    signed = pledge.signatures[signature - 1]
    return paths.credential_path(pledge.slug, openbadges.assertion_key(signed, version),
                                 signature)


def badge_address(pledge: Pledge) -> str:
    """The site path of the credential a pledge's card badges bake: its current
    signature's, for the version its 2.0 badge shows (the newest it signed or
    reaffirmed)."""
    return address(pledge, pledge.current.current_version, len(pledge.signatures))


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
        "id": base + address(pledge, version, signature),
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
    return {"@context": [contexts.CREDENTIALS_V2, contexts.OPEN_BADGES_V3],
            "id": base + address(pledge, version, signature),
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


@dataclass(frozen=True)
class Unsigned:
    """A document to sign, and its proof's `created`."""

    document: dict[str, Any]
    created: str

    def signed(self, signing: Signer) -> dict[str, Any]:
        return proof.sign(self.document, signing.seed, signing.verification_method,
                          self.created)


@dataclass(frozen=True)
class Documents:
    """Every Open Badges 3.0 document of a build, by site path: those published as they
    are (`plain`: the DID document, the Achievements, the tombstones), those to sign
    (`unsigned`: the credentials and the revocation list), and the signatures that get
    no credential for want of a status_index (`without_index`: (slug, signature number,
    whether it is in force), pledges published before the revocation list)."""

    plain: dict[str, dict[str, Any]]
    unsigned: dict[str, Unsigned]
    without_index: tuple[tuple[str, int, bool], ...]


def status_list(base: str, mission: Mission, pledges: Sequence[Pledge],
                signing: Signer) -> Unsigned:
    """The revocation list (model/statuslist.py), issued by the DID, to sign. Its proof's
    `created` is the day the list last changed, or the day the mission was first published
    when it never did (or the key's `since`, if later): the same every build until a
    signature is withdrawn or a pledge redacted."""
    document = statuslist.status_list_document(base + paths.STATUS_LIST_PATH, signing.did,
                                               pledges)
    day = statuslist.list_date(pledges) or mission.versions[0].date
    return Unsigned(document, signing.created(day))


def documents(base: str, settings: Settings, mission: Mission, pledges: Sequence[Pledge],
              signing: Signer) -> Documents:
    """Every Open Badges 3.0 document of the site (see Documents). A credential exists for
    each published version of each signature that has a status_index, and carries its
    entry in the revocation list: a credential that could never be revoked is never
    issued. A redacted pledge's addresses hold unsigned tombstones."""
    plain = {paths.DID_DOCUMENT_PATH: did_document(signing, settings.issuer_keys)}
    for number in mission.numbers:
        plain[paths.achievement_path(number)] = {
            "@context": [contexts.CREDENTIALS_V2, contexts.OPEN_BADGES_V3],
            **achievement(base, mission, number, settings)}
    unsigned = {paths.STATUS_LIST_PATH: status_list(base, mission, pledges, signing)}
    without_index: list[tuple[str, int, bool]] = []
    list_url = base + paths.STATUS_LIST_PATH
    for pledge in pledges:
        for number, signed in enumerate(pledge.signatures, start=1):
            published = [version for version in signed.versions if mission.get(version)]
            if pledge.tombstone:
                plain.update((address(pledge, version, number), tombstone(
                    base, pledge, version, number, settings=settings, signing=signing))
                    for version in published)
            elif signed.status_index is None:
                if published:
                    without_index.append((pledge.slug, number, signed.withdrawn is None))
            else:
                status = statuslist.status_entry(list_url, signed.status_index)
                unsigned.update((address(pledge, version, number), Unsigned(
                    credential(base, pledge, version, number, settings=settings,
                               mission=mission, signing=signing, status=status),
                    signing.created(signed.signed_on(version) or signed.signed)))
                    for version in published)
    return Documents(plain, unsigned, tuple(without_index))


def all_documents(base: str, settings: Settings, mission: Mission, pledges: Sequence[Pledge],
                  signing: Signer) -> dict[str, dict[str, Any]]:
    """Every Open Badges 3.0 document of the site, by path below its root, signed here,
    one by one (the build signs through credentials/signing.py's cache instead). Written
    with model/openbadges.py's dumps (sorted keys), they are the same bytes every build."""
    found = documents(base, settings, mission, pledges, signing)
    return {**found.plain, **{path: unsigned.signed(signing)
                              for path, unsigned in found.unsigned.items()}}
