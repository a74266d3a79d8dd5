"""The eddsa-rdfc-2022 Data Integrity proof: the credential and the proof's options each
canonicalised to N-Quads (RDFC-1.0, which pyld calls URDNA2015) with the vendored
contexts only, hashed with SHA-256, the proof options' hash first, and signed with
Ed25519. Ed25519 is deterministic, so the same credential, key and date give the same
proof, byte for byte.

Spec: https://www.w3.org/TR/vc-di-eddsa/#eddsa-rdfc-2022
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyld import jsonld

from socialmission.credentials import contexts

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
PURPOSE = "assertionMethod"
SEED_BYTES = 32
# An XSD dateTimeStamp in UTC to the second: what `created` and `validFrom` are written as.
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# Multikey's multicodec prefix for an Ed25519 public key (0xed, as an unsigned varint).
ED25519_PUBLIC = b"\xed\x01"
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


# What pyld and the decoders raise on JSON that is not the JSON-LD they read (a verifier
# is handed untrusted files; a proof that cannot be read is a proof that does not hold).
UNREADABLE = (jsonld.JsonLdError, ValueError, KeyError, TypeError, AttributeError,
              IndexError, RecursionError)


class ProofInvalid(Exception):
    """The credential's proof does not hold; the message says why."""


def b58encode(data: bytes) -> str:
    """Base58 (Bitcoin's alphabet), a leading zero byte as a leading '1'."""
    number = int.from_bytes(data, "big")
    digits = ""
    while number:
        number, digit = divmod(number, 58)
        digits = BASE58[digit] + digits
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + digits


def b58decode(text: str) -> bytes:
    """The bytes b58encode wrote; ValueError for a character outside the alphabet."""
    number = 0
    for character in text:
        if character not in BASE58:
            raise ValueError(f"{character!r} is not a base58 digit")
        number = number * 58 + BASE58.index(character)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def public_key(seed: bytes) -> bytes:
    """The 32-byte Ed25519 public key of a 32-byte seed."""
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(
        Encoding.Raw, PublicFormat.Raw)


def multikey(public: bytes) -> str:
    """The public key as Multikey's `publicKeyMultibase`: 'z', then base58 of the Ed25519
    multicodec prefix and the key."""
    return "z" + b58encode(ED25519_PUBLIC + public)


def from_multikey(text: str) -> bytes:
    """The 32-byte public key a `publicKeyMultibase` holds; ValueError if it holds none."""
    data = b58decode(text[1:]) if text.startswith("z") else b""
    if not data.startswith(ED25519_PUBLIC) or len(data) != len(ED25519_PUBLIC) + 32:
        raise ValueError(f"{text!r} is not an Ed25519 Multikey ('z6Mk...')")
    return data[len(ED25519_PUBLIC):]


def canonical(document: Mapping[str, Any]) -> str:
    """The document's RDF dataset as canonical N-Quads (RDFC-1.0)."""
    options: Any = {"algorithm": "URDNA2015", "format": "application/n-quads",
                    "documentLoader": contexts.load}
    text: str = jsonld.normalize(dict(document), options)
    return text


def dropped_terms(document: Mapping[str, Any]) -> list[str]:
    """The keys JSON-LD expansion drops from the document (terms its contexts do not
    define): a safe-mode verifier refuses a credential that has any, and a signer that
    let them through would sign a dataset without them."""
    dropped: list[str] = []
    options: Any = {"documentLoader": contexts.load}
    jsonld.expand(dict(document), options,
                  on_property_dropped=lambda term: dropped.append(str(term)))
    return sorted(set(dropped))


def _signed_bytes(document: Mapping[str, Any], proof_options: Mapping[str, Any]) -> bytes:
    """What Ed25519 signs: the proof options' hash, then the document's."""
    configuration = {**proof_options, "@context": document["@context"]}
    return (hashlib.sha256(canonical(configuration).encode()).digest()
            + hashlib.sha256(canonical(document).encode()).digest())


def sign(credential: Mapping[str, Any], seed: bytes, verification_method: str,
         created: str) -> dict[str, Any]:
    """The credential with its proof (see the package's docstring)."""
    if not DATE_TIME.fullmatch(created):
        raise ValueError(f"created {created!r} is not YYYY-MM-DDTHH:MM:SSZ")
    document = copy.deepcopy({key: value for key, value in credential.items() if key != "proof"})
    try:
        dropped = dropped_terms(document)
    except jsonld.JsonLdError as error:
        raise ValueError(f"the credential cannot be read: {_cause(error)}") from error
    if dropped:
        raise ValueError(f"the credential's terms {dropped} are not defined by its contexts")
    options = {"type": PROOF_TYPE, "cryptosuite": CRYPTOSUITE, "created": created,
               "verificationMethod": verification_method, "proofPurpose": PURPOSE}
    signature = Ed25519PrivateKey.from_private_bytes(seed).sign(
        _signed_bytes(document, options))
    return {**document, "proof": {**options, "proofValue": "z" + b58encode(signature)}}


def _proof(credential: Any) -> dict[str, Any]:
    """The credential's one proof, its fields of the expected kinds, or why not."""
    proof = credential.get("proof") if isinstance(credential, dict) else None
    if not isinstance(proof, dict):
        raise ProofInvalid("it has no proof (one `proof` object)")
    wanted = {"type": PROOF_TYPE, "cryptosuite": CRYPTOSUITE, "proofPurpose": PURPOSE}
    for field, value in wanted.items():
        if proof.get(field) != value:
            raise ProofInvalid(f"its proof's {field} is {proof.get(field)!r}, not {value!r}")
    for field in ("created", "verificationMethod", "proofValue"):
        if not isinstance(proof.get(field), str):
            raise ProofInvalid(f"its proof has no {field}")
    if not DATE_TIME.fullmatch(proof["created"]):
        raise ProofInvalid(f"its proof's created {proof['created']!r} is not a UTC date and time")
    if not proof["proofValue"].startswith("z"):
        raise ProofInvalid("its proofValue is not base58 ('z...')")
    return proof


def verify(credential: Any, public_keys: Mapping[str, bytes]) -> None:
    """Raise ProofInvalid unless the credential's proof holds under one of the keys."""
    proof = _proof(credential)
    key = public_keys.get(proof["verificationMethod"])
    if key is None:
        raise ProofInvalid(f"it was signed by {proof['verificationMethod']!r}, not a key "
                           f"of the issuer's ({', '.join(sorted(public_keys)) or 'none'})")
    document = {name: value for name, value in credential.items() if name != "proof"}
    options = {name: value for name, value in proof.items() if name != "proofValue"}
    try:
        dropped = dropped_terms(document)
        signed = _signed_bytes(document, options)
        signature = b58decode(proof["proofValue"][1:])
    except UNREADABLE as error:
        raise ProofInvalid(f"it is not JSON-LD its vendored contexts read: {_cause(error)}") \
            from error
    if dropped:
        raise ProofInvalid(f"its terms {dropped} are not defined by its contexts")
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(signature, signed)
    except InvalidSignature:
        raise ProofInvalid("its signature does not match: it was changed after signing, "
                           "or signed by another key") from None


def _cause(error: BaseException) -> str:
    """The innermost cause's message (pyld wraps the loader's NotVendored)."""
    while error.__cause__ is not None:
        error = error.__cause__
    return str(error)
