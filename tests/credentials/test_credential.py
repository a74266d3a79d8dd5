"""The Open Badges 3.0 documents: a signed OpenBadgeCredential for each published version
of each signature, in the 2.0 documents' words, dates and recipient; each verifies under
the DID document, none drops a JSON-LD term, and every build writes the same bytes."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import NAME_FITS, ROOT, TODAY
from credential_support import assert_no_term_dropped
from socialmission.check.validate import validate
from socialmission.credentials import credential, issuer, proof
from socialmission.model import openbadges, paths
from socialmission.model.mission import Mission
from socialmission.model.pledge import Pledge, Signature
from socialmission.model.settings import IssuerKey, Settings
from socialmission.model.urls import parse_https_url

BASE = "https://registry.example.org/"
SEED = bytes(range(32))
KEY = IssuerKey("key-1", proof.multikey(proof.public_key(SEED)), dt.date(2024, 6, 1),
                "current")
# OB 3.0's required properties (https://www.imsglobal.org/spec/ob/v3p0/#data-model)
CREDENTIAL_REQUIRED = {"@context", "id", "type", "issuer", "validFrom", "credentialSubject"}
ACHIEVEMENT_REQUIRED = {"id", "type", "name", "description", "criteria"}


def the_real_key() -> issuer.Signer:
    return issuer.signer(BASE, (KEY,), base64.b64encode(SEED).decode(), publishing=True)


def the_test_key() -> issuer.Signer:
    return issuer.signer(BASE, (KEY,), None, publishing=False)


def demo_pledges(mission: Mission) -> list[Pledge]:
    report = validate([ROOT / "pledges"], mission, on=TODAY, name_fits=NAME_FITS)
    assert report.pledges and not report.problems
    return report.pledges


def pledge(**changes: object) -> Pledge:
    base = Pledge(slug="example-media", path=Path("pledges/example-media.yaml"),
                  name="Example Media", kind="organisation",
                  website=parse_https_url("https://www.Example.org/about"),
                  signed=dt.date(2024, 5, 17), mission_version=1, maintainers=("octocat",),
                  statement_url=parse_https_url("https://www.example.org/news/pledge"))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("signing", [the_real_key(), the_test_key()], ids=["real", "test"])
def test_every_document_of_the_demo_verifies_and_drops_no_term(
        mission: Mission, settings: Settings, signing: issuer.Signer) -> None:
    settings = dataclasses.replace(settings, issuer_keys=(KEY,))
    documents = credential.all_documents(BASE, settings, mission, demo_pledges(mission),
                                         signing)
    keys = issuer.public_keys(documents["openbadges/did.json"])
    signed = [document for document in documents.values() if "proof" in document]
    # every demo signature has its index: one credential a version, and the list
    assert len(signed) == 1 + sum(len(s.versions) for p in demo_pledges(mission)
                                  for s in p.signatures if not p.tombstone)
    assert all("credentialStatus" in document for document in signed
               if document["id"] != BASE + paths.STATUS_LIST_PATH)
    for path, document in documents.items():
        assert_no_term_dropped(document)
        if "proof" in document:
            assert document["id"] == BASE + path
            proof.verify(document, keys)
            assert set(document) >= CREDENTIAL_REQUIRED
            if path != paths.STATUS_LIST_PATH:
                assert set(document["credentialSubject"]["achievement"]) >= \
                    ACHIEVEMENT_REQUIRED


def test_every_build_writes_the_same_bytes(mission: Mission, settings: Settings) -> None:
    def written() -> dict[str, str]:
        return {path: openbadges.dumps(document) for path, document in
                credential.all_documents(BASE, settings, mission, demo_pledges(mission),
                                         the_test_key()).items()}
    assert written() == written()


def test_the_credential_says_what_the_assertion_says(mission: Mission,
                                                     settings: Settings) -> None:
    signed = credential.signed_credential(BASE, pledge(), 1, 1, settings=settings,
                                          mission=mission, signing=the_real_key())
    assertion = openbadges.assertion(BASE, pledge(), 1, mission_name=settings.mission_name)
    assert signed["credentialSubject"]["id"] == "https://www.example.org" == \
        assertion["recipient"]["identity"]
    assert signed["validFrom"] == signed["awardedDate"] == "2024-05-17T00:00:00Z"
    assert signed["proof"]["created"] == "2024-06-01T00:00:00Z"  # the key's since: later
    assert signed["description"] == assertion["narrative"]
    assert signed["evidence"] == [{"id": "https://www.example.org/news/pledge",
                                   "type": ["Evidence"],
                                   "narrative": "The signatory's public announcement."}]
    assert signed["id"] == f"{BASE}openbadges/v3/example-media.json"
    assert signed["issuer"] == {
        "id": "did:web:registry.example.org:openbadges", "type": ["Profile"],
        "name": settings.issuer_name, "url": BASE, "email": settings.issuer_email,
        "description": settings.issuer_description}
    assert signed["proof"]["verificationMethod"] == \
        "did:web:registry.example.org:openbadges#key-1"


def test_the_test_key_signs_as_a_test_issuer(mission: Mission, settings: Settings) -> None:
    signed = credential.signed_credential(BASE, pledge(), 1, 1, settings=settings,
                                          mission=mission, signing=the_test_key())
    assert signed["issuer"]["id"] == "did:web:test.invalid:registry.example.org:openbadges"
    assert signed["issuer"]["name"] == f"TEST {settings.issuer_name}"
    assert signed["issuer"]["description"].startswith("TEST: ")
    assert signed["proof"]["created"] == "2024-05-17T00:00:00Z"
    assert "evidence" not in credential.credential(
        BASE, pledge(statement_url=None), 1, 1, settings=settings, mission=mission,
        signing=the_test_key())


def test_each_version_of_each_signature_has_the_assertions_address(
        mission: Mission, settings: Settings) -> None:
    again = pledge(withdrawn=dt.date(2025, 2, 1),
                   signed_again=(Signature(signed=dt.date(2025, 6, 1), mission_version=1),))
    ids = {credential.credential(BASE, again, 1, number, settings=settings, mission=mission,
                                 signing=the_test_key())["id"] for number in (1, 2)}
    assert ids == {f"{BASE}openbadges/v3/example-media.json",
                   f"{BASE}openbadges/v3/example-media.s2.json"}


def test_no_credential_for_a_version_not_published(mission: Mission,
                                                   settings: Settings) -> None:
    draft = max(mission.numbers) + 1
    with pytest.raises(ValueError, match=f"version {draft} of the mission is not published"):
        credential.achievement(BASE, mission, draft, settings)
    with pytest.raises(ValueError, match="did not sign or reaffirm"):
        credential.credential(BASE, pledge(), draft, 1, settings=settings, mission=mission,
                              signing=the_test_key())


def test_a_tombstone_has_no_credential_but_an_unsigned_notice(
        mission: Mission, settings: Settings) -> None:
    tombstone = pledge(name="Redacted signatory", kind=None, website=None, maintainers=(),
                       status="withdrawn", withdrawn=dt.date(2025, 2, 1),
                       redacted=dt.date(2025, 3, 1), statement_url=None)
    with pytest.raises(ValueError, match="redacted"):
        credential.credential(BASE, tombstone, 1, 1, settings=settings, mission=mission,
                              signing=the_test_key())
    documents: dict[str, Any] = credential.all_documents(BASE, settings, mission,
                                                         [tombstone], the_test_key())
    left = documents["openbadges/v3/example-media.json"]
    assert left["description"] == ("Revoked. Withdrawn on 2025-02-01; the signatory's "
                                   "details were redacted on 2025-03-01.")
    assert not {"proof", "credentialSubject", "evidence"} & set(left)
    assert "Example Media" not in json.dumps(left)
    assert_no_term_dropped(left)


def test_a_status_entry_is_carried_and_signed(mission: Mission, settings: Settings) -> None:
    status = {"id": f"{BASE}openbadges/v3/status/revocation-1.json#7",
              "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
              "statusListIndex": "7",
              "statusListCredential": f"{BASE}openbadges/v3/status/revocation-1.json"}
    signed = credential.signed_credential(BASE, pledge(), 1, 1, settings=settings,
                                          mission=mission, signing=the_test_key(),
                                          status=status)
    assert signed["credentialStatus"] == status
    assert_no_term_dropped(signed)
    signed["credentialStatus"]["statusListIndex"] = "8"
    with pytest.raises(proof.ProofInvalid):
        proof.verify(signed, {the_test_key().verification_method:
                              proof.public_key(issuer.TEST_SEED)})
