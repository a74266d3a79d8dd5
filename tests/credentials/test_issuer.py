"""The issuer: its DID from the site's address, its DID document from registry.yaml's
keys, and who signs a build: the current key's seed, the public test key, or a refusal."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from socialmission.credentials import issuer, proof
from socialmission.model.settings import IssuerKey

SEED = bytes(range(32))
SEED_TEXT = base64.b64encode(SEED).decode()
MULTIKEY = proof.multikey(proof.public_key(SEED))
OTHER = proof.multikey(proof.public_key(bytes(32)))
THIRD = proof.multikey(proof.public_key(b"\1" * 32))
SITE = "https://socialmission.example.org/"


def keys(state: str = "current") -> tuple[IssuerKey, ...]:
    return (IssuerKey("key-1", OTHER, dt.date(2026, 1, 1), "retired"),
            IssuerKey("key-2", MULTIKEY, dt.date(2026, 3, 14), state),
            IssuerKey("key-3", THIRD, dt.date(2026, 2, 1), "compromised"))


@pytest.mark.parametrize(("site", "did"), [
    (SITE, "did:web:socialmission.example.org:openbadges"),
    ("https://Owner.github.io/repo/", "did:web:owner.github.io:repo:openbadges"),
    # did:web reads the path back as written: '/a/b%20c/' on a server at port 8443
    ("https://example.org:8443/a/b%20c/", "did:web:example.org%3A8443:a:b%20c:openbadges"),
])
def test_the_did_is_the_sites_host_and_path_then_openbadges(site: str, did: str) -> None:
    assert issuer.did(site) == did
    assert issuer.did(site, test=True) == did.replace("did:web:", "did:web:test.invalid:")


def test_the_current_keys_seed_signs() -> None:
    signer = issuer.signer(SITE, keys(), SEED_TEXT, publishing=True)
    assert (signer.did, signer.key_id, signer.seed, signer.test) == (
        "did:web:socialmission.example.org:openbadges", "key-2", SEED, False)
    assert signer.verification_method == "did:web:socialmission.example.org:openbadges#key-2"
    assert issuer.signer(SITE, keys(), f" {SEED_TEXT}\n", publishing=False) == signer


def test_a_proof_is_never_created_before_its_key() -> None:
    signer = issuer.signer(SITE, keys(), SEED_TEXT, publishing=True)
    assert signer.created(dt.date(2026, 1, 2)) == "2026-03-14T00:00:00Z"
    assert signer.created(dt.date(2026, 5, 1)) == "2026-05-01T00:00:00Z"


def test_without_the_seed_a_build_that_does_not_publish_signs_with_the_test_key() -> None:
    for seed_text in (None, ""):
        signer = issuer.signer(SITE, keys(), seed_text, publishing=False)
        assert signer.test and signer.seed == issuer.TEST_SEED
        assert signer.did == "did:web:test.invalid:socialmission.example.org:openbadges"
        assert signer.created(dt.date(2020, 1, 1)) == "2020-01-01T00:00:00Z"


@pytest.mark.parametrize(("registry_keys", "seed_text", "says"), [
    (keys(), None, "SOCIALMISSION_ISSUER_SEED is not set"),
    (keys(), "", "SOCIALMISSION_ISSUER_SEED is not set"),
    (keys(), "not base64!", "must be 32 bytes in base64"),
    (keys(), base64.b64encode(bytes(31)).decode(), "must be 32 bytes in base64"),
    (keys("retired"), SEED_TEXT, f"public key {MULTIKEY} is key-2, which is retired"),
    (keys("compromised"), SEED_TEXT, "key-2, which is compromised"),
    ((), SEED_TEXT, f"public key {MULTIKEY} is no key of issuer_keys"),
])
def test_a_publishing_build_refuses_any_other_seed(registry_keys: tuple[IssuerKey, ...],
                                                   seed_text: str | None, says: str) -> None:
    with pytest.raises(issuer.SigningRefused, match=says):
        issuer.signer(SITE, registry_keys, seed_text, publishing=True)


def test_a_wrong_seed_is_refused_even_when_not_publishing() -> None:
    with pytest.raises(issuer.SigningRefused, match="retired"):
        issuer.signer(SITE, keys("retired"), SEED_TEXT, publishing=False)


def test_the_did_document_lists_every_key_not_compromised() -> None:
    signer = issuer.signer(SITE, keys(), SEED_TEXT, publishing=True)
    document = issuer.did_document(signer, keys())
    did = "did:web:socialmission.example.org:openbadges"
    assert document == {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {"id": f"{did}#key-1", "type": "Multikey", "controller": did,
             "publicKeyMultibase": OTHER},
            {"id": f"{did}#key-2", "type": "Multikey", "controller": did,
             "publicKeyMultibase": MULTIKEY}],
        "assertionMethod": [f"{did}#key-1", f"{did}#key-2"]}
    assert issuer.public_keys(document) == {f"{did}#key-1": proof.public_key(bytes(32)),
                                            f"{did}#key-2": proof.public_key(SEED)}


def test_the_test_did_document_lists_the_test_key_alone() -> None:
    signer = issuer.signer(SITE, keys(), None, publishing=False)
    document = issuer.did_document(signer, keys())
    assert issuer.public_keys(document) == {
        signer.verification_method: proof.public_key(issuer.TEST_SEED)}
