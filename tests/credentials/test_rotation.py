"""Rotating the issuer's key, built end to end at the library's level: key A current signs
every credential; with A retired and B current every credential is signed again by B, the
DID document lists both, and what A signed still verifies; with A compromised the DID
document drops it and everything A signed stops verifying (the point: whoever holds A could
sign anything). Each published DID document passes or fails the publish check with them."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from typing import Any

import pytest

from conftest import NAME_FITS, ROOT, TODAY
from socialmission.check.validate import validate
from socialmission.commands.issuer_key import refusals
from socialmission.credentials import credential, issuer, proof
from socialmission.model import paths
from socialmission.model.mission import Mission
from socialmission.model.pledge import Pledge
from socialmission.model.settings import IssuerKey, Settings

BASE = "https://registry.socially-m.org/"
DID = "did:web:registry.socially-m.org:openbadges"
SEED_A, SEED_B = b"\xa1" * 32, b"\xb2" * 32
TEXT_A, TEXT_B = (base64.b64encode(seed).decode() for seed in (SEED_A, SEED_B))
SINCE_A, SINCE_B = dt.date(2020, 1, 1), dt.date(2026, 5, 1)


def key(name: str, seed: bytes, since: dt.date, state: str) -> IssuerKey:
    return IssuerKey(name, proof.multikey(proof.public_key(seed)), since, state)


A_CURRENT = (key("key-1", SEED_A, SINCE_A, "current"),)
A_RETIRED = (key("key-1", SEED_A, SINCE_A, "retired"), key("key-2", SEED_B, SINCE_B, "current"))
A_COMPROMISED = (key("key-1", SEED_A, SINCE_A, "compromised"),
                 key("key-2", SEED_B, SINCE_B, "current"))


def demo_pledges(mission: Mission) -> list[Pledge]:
    report = validate([ROOT / "pledges"], mission, on=TODAY, name_fits=NAME_FITS)
    assert report.pledges and not report.problems
    return report.pledges


def build(mission: Mission, settings: Settings, keys: tuple[IssuerKey, ...],
          seed_text: str) -> dict[str, dict[str, Any]]:
    """Every 3.0 document a publishing build with these keys and this seed writes."""
    signing = issuer.signer(BASE, keys, seed_text, publishing=True)
    return credential.all_documents(BASE, dataclasses.replace(settings, issuer_keys=keys),
                                    mission, demo_pledges(mission), signing)


def signed(documents: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {path: document for path, document in documents.items() if "proof" in document}


def verifies(document: dict[str, Any], did_document: dict[str, Any]) -> bool:
    try:
        proof.verify(document, issuer.public_keys(did_document))
    except proof.ProofInvalid:
        return False
    return True


def test_a_rotation_signs_everything_again_and_keeps_what_the_old_key_signed(
        mission: Mission, settings: Settings) -> None:
    before = build(mission, settings, A_CURRENT, TEXT_A)
    after = build(mission, settings, A_RETIRED, TEXT_B)
    old, new = signed(before), signed(after)
    assert old and set(old) == set(new)  # the same credentials, at the same addresses
    assert {d["proof"]["verificationMethod"] for d in old.values()} == {f"{DID}#key-1"}
    assert {d["proof"]["verificationMethod"] for d in new.values()} == {f"{DID}#key-2"}
    did_document = after[paths.DID_DOCUMENT_PATH]
    assert did_document["assertionMethod"] == [f"{DID}#key-1", f"{DID}#key-2"]
    for path, document in new.items():
        assert verifies(document, did_document), path
        assert verifies(old[path], did_document), path  # a badge saved before the rotation
        # B never signs before it existed; the credential's own dates stay the pledge's
        assert document["proof"]["created"] >= f"{SINCE_B.isoformat()}T00:00:00Z"
        assert {k: v for k, v in document.items() if k != "proof"} == \
            {k: v for k, v in old[path].items() if k != "proof"}
    # the publish check: the new build may publish, the old one may not any more
    assert refusals(did_document, BASE, A_RETIRED) == []
    assert refusals(before[paths.DID_DOCUMENT_PATH], BASE, A_CURRENT) == []
    (reason,) = refusals(before[paths.DID_DOCUMENT_PATH], BASE, A_RETIRED)
    assert reason.startswith("the built DID document does not list key-2")


def test_a_compromised_key_is_dropped_and_what_it_signed_stops_verifying(
        mission: Mission, settings: Settings) -> None:
    old = signed(build(mission, settings, A_CURRENT, TEXT_A))
    after = build(mission, settings, A_COMPROMISED, TEXT_B)
    did_document = after[paths.DID_DOCUMENT_PATH]
    assert did_document["assertionMethod"] == [f"{DID}#key-2"]
    assert issuer.public_keys(did_document) == {f"{DID}#key-2": proof.public_key(SEED_B)}
    for path, document in signed(after).items():
        assert verifies(document, did_document), path
        with pytest.raises(proof.ProofInvalid, match=f"signed by '{DID}#key-1', not a key"):
            proof.verify(old[path], issuer.public_keys(did_document))
    assert refusals(did_document, BASE, A_COMPROMISED) == []


@pytest.mark.parametrize(("keys", "state"), [(A_RETIRED, "retired"),
                                             (A_COMPROMISED, "compromised")])
@pytest.mark.parametrize("publishing", [True, False])
def test_the_old_seed_signs_nothing_after_the_rotation(
        keys: tuple[IssuerKey, ...], state: str, publishing: bool) -> None:
    """A build left with the old seed (the environment's secret not replaced) refuses,
    publishing or not: it says which key the seed is and what to do."""
    with pytest.raises(issuer.SigningRefused, match=f"is key-1, which is {state}: list it"):
        issuer.signer(BASE, keys, TEXT_A, publishing=publishing)


@pytest.mark.parametrize(("seed_text", "says"), [
    (None, "SOCIALMISSION_ISSUER_SEED is not set"),
    ("", "SOCIALMISSION_ISSUER_SEED is not set"),
    (TEXT_B[:-4], "must be 32 bytes in base64"),
    (TEXT_B + "AAAA", "must be 32 bytes in base64"),
    (TEXT_B.replace("s", "-"), "must be 32 bytes in base64"),
    (base64.b64encode(b"\xc3" * 32).decode(), "is no key of issuer_keys"),
    (TEXT_A, "is key-1, which is retired"),
])
def test_a_publishing_build_refuses_every_seed_but_the_current_keys(
        seed_text: str | None, says: str) -> None:
    with pytest.raises(issuer.SigningRefused, match=says):
        issuer.signer(BASE, A_RETIRED, seed_text, publishing=True)
    assert issuer.signer(BASE, A_RETIRED, TEXT_B, publishing=True).key_id == "key-2"
