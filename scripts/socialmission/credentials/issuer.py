"""The issuer of the signed credentials: its DID, its DID document and the key that signs.

The DID is `did:web:<host>[:<site path segments>]:openbadges`, read by did:web resolvers
at `<site_url>openbadges/did.json` (paths.DID_DOCUMENT_PATH). Its document lists every key
of `issuer_keys` (registry.yaml) that is not compromised, so what a retired key signed
still verifies and what a compromised key signed stops verifying.

The seed that signs comes from the environment variable SEED_VARIABLE (base64 of the
32-byte Ed25519 seed; `openssl rand -base64 32` makes one), never from a file. `signer`
decides who signs: the seed, when its public key is the current key of `issuer_keys`; a
build that publishes refuses anything else, with what to fix; any other build without the
seed (forks, laptops, previews, tests) signs with TEST_SEED, which is public, under a DID
on `test.invalid` (a name that never resolves: RFC 6761) and a profile whose name says
TEST, so nothing it signs can pass for the registry's.

Spec: https://w3c-ccg.github.io/did-method-web/
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from socialmission.credentials import contexts, proof
from socialmission.errors import BuildError
from socialmission.model import paths
from socialmission.model.constants import ISSUER_SEED_VARIABLE
from socialmission.model.settings import IssuerKey

SEED_VARIABLE: Final = ISSUER_SEED_VARIABLE  # declared in model/constants.py
# The test key's seed: public on purpose (anyone can sign with it), so its DID must never
# resolve and its profile says TEST.
TEST_SEED: Final = hashlib.sha256(b"socialmission public test key: it proves nothing").digest()
TEST_HOST: Final = "test.invalid"
TEST_KEY_ID: Final = "test-key"
DID_CONTEXTS: Final = (contexts.DID_V1, contexts.MULTIKEY_V1)


def did(site_url: str, *, test: bool = False) -> str:
    """The issuer's DID for a site at `site_url` (https, ending in '/'): its host (a port's
    ':' as %3A), each path segment as the address writes it, then `openbadges`. The test
    DID puts the whole of that under the host test.invalid."""
    parts = urlsplit(site_url)
    host = (parts.hostname or "") + (f"%3A{parts.port}" if parts.port else "")
    # as the address writes them: a resolver turns ':' back into '/' and decodes nothing
    # but the port's colon (a ':' inside a segment would read as '/', so it is encoded)
    segments = [segment.replace(":", "%3A") for segment in parts.path.split("/") if segment]
    names = [host, *segments, paths.OPENBADGES_PATH]
    return "did:web:" + ":".join([TEST_HOST, *names] if test else names)


@dataclass(frozen=True)
class Signer:
    """Who signs: the DID, the key's id (its DID URL's fragment), its seed and the day it
    signs from; `test` for the public test key."""

    did: str
    key_id: str
    seed: bytes
    since: dt.date
    test: bool

    @property
    def verification_method(self) -> str:
        return f"{self.did}#{self.key_id}"

    def created(self, day: dt.date) -> str:
        """A proof's `created` for a signature of `day`: the later of it and the key's
        `since` (a key never signs before it existed), as an XSD dateTimeStamp."""
        return f"{max(day, self.since).isoformat()}T00:00:00Z"


class SigningRefused(BuildError):
    """The build may not publish with this seed: the message says why and what to do."""


def read_seed(text: str) -> bytes | None:
    """The 32 bytes a base64 seed holds, or None: the one reading of a seed's text (the
    build's signer and `socialmission issuer-key` both read it here)."""
    try:
        seed = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return seed if len(seed) == proof.SEED_BYTES else None


def signer(site_url: str, keys: Sequence[IssuerKey], seed_text: str | None, *,
           publishing: bool) -> Signer:
    """Who signs this build (see the module's docstring), or SigningRefused."""
    if not seed_text:
        if publishing:
            raise SigningRefused(f"{SEED_VARIABLE} is not set: a published site's credentials "
                                 "are signed with the issuer's key (OPERATORS.md says where "
                                 "the seed lives); not published")
        return Signer(did(site_url, test=True), TEST_KEY_ID, TEST_SEED, dt.date.min, test=True)
    seed = read_seed(seed_text)
    if seed is None:
        raise SigningRefused(f"{SEED_VARIABLE} is not a key's seed: it must be 32 bytes in "
                             "base64 (44 characters, as `openssl rand -base64 32` writes)")
    multikey = proof.multikey(proof.public_key(seed))
    found = next((key for key in keys if key.public_key == multikey), None)
    if found is None or found.state != "current":
        what = "no key of issuer_keys" if found is None else f"{found.id}, which is {found.state}"
        raise SigningRefused(f"{SEED_VARIABLE}'s public key {multikey} is {what}: list it in "
                             "registry.yaml's issuer_keys as the current key, or set the "
                             "current key's seed")
    return Signer(did(site_url), found.id, seed, found.since, test=False)


def did_document(signing: Signer, keys: Sequence[IssuerKey]) -> dict[str, Any]:
    """The DID document: every key not compromised (the test key alone for a test DID),
    each a Multikey the DID controls, each an assertion method."""
    listed = [(signing.key_id, proof.multikey(proof.public_key(signing.seed)))] \
        if signing.test else [(key.id, key.public_key) for key in keys
                              if key.state != "compromised"]
    methods = [{"id": f"{signing.did}#{key_id}", "type": "Multikey",
                "controller": signing.did, "publicKeyMultibase": multikey}
               for key_id, multikey in listed]
    return {"@context": list(DID_CONTEXTS), "id": signing.did,
            "verificationMethod": methods,
            "assertionMethod": [method["id"] for method in methods]}


def public_keys(document: dict[str, Any]) -> dict[str, bytes]:
    """What proof.verify takes, from a DID document this module wrote: each verification
    method's id -> its public key."""
    return {method["id"]: proof.from_multikey(method["publicKeyMultibase"])
            for method in document["verificationMethod"]}
