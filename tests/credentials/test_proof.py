"""The eddsa-rdfc-2022 proof: 1EdTech's published test vector reproduced byte for byte,
then sign, verify, tamper and fail; every document signed expands with no dropped term."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyld import jsonld

from conftest import TESTS
from socialmission.credentials import contexts, proof

# 1EdTech's Open Badges 3.0 Linked Data Proof test vector; its source is in vector.json.
VECTOR_DIR = TESTS / "data" / "ob3-vector"
VECTOR: dict[str, Any] = json.loads((VECTOR_DIR / "1edtech-obv3p0-vector.json").read_text())
SEED = bytes.fromhex(VECTOR["secret_key_hex"])[:proof.SEED_BYTES]
METHOD = VECTOR["verification_method"]
KEYS = {METHOD: proof.public_key(SEED)}


def signed() -> dict[str, Any]:
    return proof.sign(VECTOR["credential"], SEED, METHOD, VECTOR["created"])


def test_the_key_is_the_vectors_multikey() -> None:
    assert proof.public_key(SEED) == bytes.fromhex(VECTOR["secret_key_hex"])[32:]
    assert proof.multikey(proof.public_key(SEED)) == VECTOR["public_key_multibase"]
    assert proof.from_multikey(VECTOR["public_key_multibase"]) == proof.public_key(SEED)


def test_the_canonical_forms_are_the_vectors_byte_for_byte() -> None:
    document = proof.canonical(VECTOR["credential"])
    assert document == (VECTOR_DIR / "1edtech-obv3p0-document-canon.txt").read_text()
    options = {key: value for key, value in signed()["proof"].items() if key != "proofValue"}
    configuration = proof.canonical({**options, "@context": VECTOR["credential"]["@context"]})
    assert configuration == (VECTOR_DIR / "1edtech-obv3p0-proof-canon.txt").read_text()


def test_the_proof_value_is_the_vectors() -> None:
    assert signed()["proof"]["proofValue"] == VECTOR["proof_value"]
    assert signed() == signed()  # deterministic


def test_a_signed_credential_verifies() -> None:
    proof.verify(signed(), KEYS)


@pytest.mark.parametrize(("path", "value"), [
    (("name",), "Teamwork Badge (edited)"),
    (("credentialSubject", "id"), "did:example:someone-else"),
    (("credentialSubject", "achievement", "criteria", "narrative"), "Anyone."),
    (("validFrom",), "2011-01-01T00:00:00Z"),
    (("proof", "created"), "2010-01-02T19:23:24Z"),
    (("proof", "verificationMethod"), METHOD.replace("565049", "565050")),
])
def test_a_changed_field_fails(path: tuple[str, ...], value: str) -> None:
    credential = signed()
    held = credential
    for key in path[:-1]:
        held = held[key]
    held[path[-1]] = value
    with pytest.raises(proof.ProofInvalid):
        proof.verify(credential, KEYS | {METHOD.replace("565049", "565050"): KEYS[METHOD]})


def test_another_key_fails() -> None:
    other = proof.public_key(bytes(range(32)))
    with pytest.raises(proof.ProofInvalid, match="signature does not match"):
        proof.verify(signed(), {METHOD: other})
    with pytest.raises(proof.ProofInvalid, match="not a key of the issuer"):
        proof.verify(signed(), {})


@pytest.mark.parametrize(("change", "says"), [
    (lambda c: c.pop("proof"), "no proof"),
    (lambda c: c.update(proof="z"), "no proof"),
    (lambda c: c["proof"].update(cryptosuite="eddsa-2022"), "cryptosuite"),
    (lambda c: c["proof"].update(created="2010-01-01"), "created"),
    (lambda c: c["proof"].update(proofValue="uAAAA"), "base58"),
    (lambda c: c["proof"].update(proofValue="z0OIl"), "not JSON-LD"),
    (lambda c: c["proof"].update(proofValue="z1"), "signature does not match"),
    (lambda c: c.update(pledgeSlug="acme"), "not defined"),
    (lambda c: c["@context"].append("https://example.org/ctx"), "not vendored"),
    (lambda c: c.update({"@context": 7}), "not JSON-LD"),
])
def test_a_broken_proof_says_what_is_wrong(change: Any, says: str) -> None:
    credential = signed()
    change(credential)
    with pytest.raises(proof.ProofInvalid, match=says):
        proof.verify(credential, KEYS)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12))
def test_any_json_is_a_proof_invalid_never_a_crash(junk: Any) -> None:
    for credential in (junk, {**signed(), "credentialSubject": junk}, {"proof": junk}):
        with pytest.raises(proof.ProofInvalid):
            proof.verify(credential, KEYS)


def test_the_signer_refuses_an_undefined_term_rather_than_sign_without_it() -> None:
    credential = copy.deepcopy(VECTOR["credential"])
    credential["credentialSubject"]["achievement"]["criteria"]["foo"] = "bar"
    assert proof.dropped_terms(credential) == ["foo"]
    with pytest.raises(ValueError, match="foo"):
        proof.sign(credential, SEED, METHOD, VECTOR["created"])
    with pytest.raises(ValueError, match="YYYY"):
        proof.sign(VECTOR["credential"], SEED, METHOD, "2010-01-01")


def keys(document: Any) -> set[str]:
    """Every key in a JSON document, at any depth, but @context's."""
    if isinstance(document, list):
        return set().union(*map(keys, document)) if document else set()
    if not isinstance(document, dict):
        return set()
    return set(document) - {"@context"} | set().union(
        *(keys(value) for key, value in document.items() if key != "@context"))


def assert_no_term_dropped(document: dict[str, Any]) -> None:
    """Expanding and compacting again with the same contexts gives back every key: a term
    the contexts do not define would be lost on the way (what a safe-mode verifier refuses)."""
    loader: Any = {"documentLoader": contexts.load}
    expanded = jsonld.expand(document, loader)
    compacted = jsonld.compact(expanded, {"@context": document["@context"]}, loader)
    assert keys(compacted) == keys(document)
    assert proof.dropped_terms(document) == []


def test_the_signed_vector_expands_with_no_dropped_term() -> None:
    assert_no_term_dropped(signed())
    with pytest.raises(AssertionError):
        assert_no_term_dropped({**signed(), "pledgeSlug": "acme"})


def test_base58_round_trips_leading_zeros() -> None:
    for data in (b"", b"\0", b"\0\0\x01", bytes(range(40))):
        assert proof.b58decode(proof.b58encode(data)) == data
    with pytest.raises(ValueError, match="Multikey"):
        proof.from_multikey("zabc")
