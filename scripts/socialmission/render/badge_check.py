"""Checking a badge as a stranger would (`socialmission verify-badge`): unbake it
(unbake.py), check the Open Badges 3.0 credential's proof against its issuer's DID document
(did:web, https://w3c-ccg.github.io/did-method-web/), its revocation bit in its Bitstring
Status List (https://www.w3.org/TR/vc-bitstring-status-list/), and, when asked, that it
was issued to a given site. Where the documents come from (a built site's folder, or the
web through the safe fetcher) is the caller's `Documents`; this module reads nothing itself.

Every answer is one of: valid, tampered (or not signed by its issuer), revoked, wrong site,
unknown issuer, an Open Badges 2.0 badge only, or not a badge at all.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from socialmission.credentials import proof
from socialmission.model.constants import STATUS_LIST_SIZE
from socialmission.render.unbake import NotABadge, Tampered, Unbaked, unbake

OB3_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
MAX_LIST = 1 << 20  # bytes of a status list, once inflated


class Unavailable(Exception):
    """A document that could not be had (not on the site, or the fetch failed), and why."""


# url -> the document's bytes, or Unavailable
Documents = Callable[[str], bytes]


@dataclass(frozen=True)
class Answer:
    """The verdict on one badge: valid or not, and what to say, first line first."""

    valid: bool
    lines: tuple[str, ...]


def invalid(*lines: str) -> Answer:
    return Answer(False, lines)


def check_badge(data: bytes, documents: Documents, expect_site: str | None) -> Answer:
    """The whole verdict on a badge file's bytes."""
    try:
        unbaked = unbake(data)
    except Tampered as error:
        return invalid(f"tampered: {error}")
    except NotABadge as error:
        return invalid(f"not a badge: {error}")
    if unbaked.credential is None:
        return _only_ob2(unbaked, documents)
    try:
        return _check_credential(unbaked.kind, unbaked.credential, documents, expect_site)
    except Rejected as rejected:
        return rejected.answer


class Rejected(Exception):
    """Ends a check with its answer."""

    def __init__(self, *lines: str) -> None:
        super().__init__(lines[0])
        self.answer = invalid(*lines)


def _only_ob2(unbaked: Unbaked, documents: Documents) -> Answer:
    if unbaked.assertion is None:
        return invalid(f"not a badge: this {unbaked.kind} carries no Open Badges credential "
                       "nor assertion")
    hosted = unbaked.assertion.get("id")
    lines = [f"an Open Badges 2.0 badge only: this {unbaked.kind} carries a hosted "
             "assertion and no signed Open Badges 3.0 credential, so nothing in it proves "
             "who issued it"]
    if isinstance(hosted, str):
        try:
            current = json.loads(documents(hosted))
        except (Unavailable, ValueError, RecursionError) as error:
            lines.append(f"its hosted assertion {hosted} could not be read: {error}")
        else:
            revoked = isinstance(current, dict) and current.get("revoked") is True
            lines.append(f"its hosted assertion {hosted} says: "
                         f"{'revoked' if revoked else 'not revoked'}")
    return invalid(*lines)


def _check_credential(kind: str, credential: dict[str, Any], documents: Documents,
                      expect_site: str | None) -> Answer:
    kinds = credential.get("type")
    if not isinstance(kinds, list) or not any(kind in OB3_TYPES for kind in kinds
                                              if isinstance(kind, str)):
        raise Rejected("not a badge: its credential is not an OpenBadgeCredential")
    issuer = credential.get("issuer")
    did = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(did, str) or not did.startswith("did:web:"):
        raise Rejected(f"unknown issuer: {did!r} is not a did:web DID")
    keys = issuer_keys(did, documents)
    try:
        proof.verify(credential, keys)
    except proof.ProofInvalid as error:
        raise Rejected(f"tampered: {error}") from None
    index = _revocation_bit(credential, did, keys, documents)
    recipient = _recipient(credential)
    site_line = _site_line(recipient, expect_site)
    name = issuer.get("name") if isinstance(issuer, dict) else None
    return Answer(True, (f"valid: an Open Badges 3.0 credential ({kind}) issued by "
                         f"{name or did} ({did}) to {recipient}, not revoked "
                         f"(status list index {index})", *site_line))


def did_web_url(did: str) -> str:
    """Where a did:web DID's document is (did:web's read rule)."""
    host, *path = did.removeprefix("did:web:").split(":")
    if not host or "/" in host or any(not part for part in path):
        raise Rejected(f"unknown issuer: {did!r} is not a did:web DID this checks")
    tail = "/".join(unquote(part) for part in path) if path else ".well-known"
    return f"https://{unquote(host)}/{tail}/did.json"


def issuer_keys(did: str, documents: Documents) -> dict[str, bytes]:
    """The issuer's assertion keys, by verification method id, from its DID document."""
    url = did_web_url(did)
    try:
        document = json.loads(documents(url))
    except (Unavailable, ValueError, RecursionError) as error:
        raise Rejected(f"unknown issuer: {did}'s DID document ({url}) could not be read: "
                       f"{error}") from None
    if not isinstance(document, dict) or document.get("id") != did:
        raise Rejected(f"unknown issuer: the DID document at {url} is not {did}'s")
    methods = document.get("verificationMethod")
    asserting = document.get("assertionMethod")
    if not isinstance(methods, list) or not isinstance(asserting, list):
        raise Rejected(f"unknown issuer: {did}'s DID document lists no assertion keys")
    keys: dict[str, bytes] = {}
    for method in methods:
        if isinstance(method, dict) and method.get("id") in asserting:
            try:
                keys[method["id"]] = proof.from_multikey(method["publicKeyMultibase"])
            except (KeyError, ValueError, TypeError):
                continue
    return keys


def _status_list(entry: dict[str, Any], did: str, keys: dict[str, bytes],
                 documents: Documents) -> bytes:
    """The bits of the entry's status list, its proof and issuer checked."""
    url = entry.get("statusListCredential")
    if not isinstance(url, str):
        raise Rejected("tampered: its credentialStatus names no status list")
    try:
        status_list = json.loads(documents(url))
    except (Unavailable, ValueError, RecursionError) as error:
        raise Rejected(f"not checked: its status list {url} could not be read: {error}") \
            from None
    try:
        proof.verify(status_list, keys)
    except proof.ProofInvalid as error:
        raise Rejected(f"not checked: its status list {url} does not verify: {error}") \
            from None
    issuer = status_list.get("issuer")
    subject = status_list.get("credentialSubject")
    if (issuer.get("id") if isinstance(issuer, dict) else issuer) != did or \
            not isinstance(subject, dict) or subject.get("statusPurpose") != "revocation":
        raise Rejected(f"not checked: {url} is not {did}'s revocation list")
    return _decode_list(subject.get("encodedList"), url)


def _decode_list(encoded: object, url: str) -> bytes:
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise Rejected(f"not checked: the status list {url} has no encodedList")
    try:
        packed = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
        inflater = zlib.decompressobj(wbits=31)  # gzip
        bits = inflater.decompress(packed, MAX_LIST)
    except (ValueError, zlib.error) as error:
        raise Rejected(f"not checked: the status list {url} does not decode: {error}") \
            from None
    if len(bits) * 8 < STATUS_LIST_SIZE:
        raise Rejected(f"not checked: the status list {url} is shorter than "
                       f"{STATUS_LIST_SIZE:,} entries")
    return bits


def _revocation_bit(credential: dict[str, Any], did: str, keys: dict[str, bytes],
                    documents: Documents) -> int:
    """The credential's status list index, after checking its bit is not set."""
    entry = credential.get("credentialStatus")
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry" or \
            entry.get("statusPurpose") != "revocation":
        raise Rejected("not checked: it has no revocation entry (credentialStatus), so "
                       "whether it was withdrawn cannot be known")
    raw = entry.get("statusListIndex")
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit():
        raise Rejected("tampered: its statusListIndex is not a number")
    bits = _status_list(entry, did, keys, documents)
    index = int(raw)
    if index >= len(bits) * 8:
        raise Rejected(f"tampered: its statusListIndex {index} is past the list's end")
    if bits[index // 8] & (0x80 >> (index % 8)):
        raise Rejected(f"revoked: its issuer has revoked it (status list index {index}): "
                       "the signature was withdrawn, or the signatory redacted")
    return index


def _recipient(credential: dict[str, Any]) -> str:
    subject = credential.get("credentialSubject")
    recipient = subject.get("id") if isinstance(subject, dict) else None
    if not isinstance(recipient, str):
        raise Rejected("not a badge: its credential names no recipient")
    return recipient


def _origin(url: str) -> tuple[str, str]:
    """(scheme, host without a leading www.) of an address."""
    try:
        parts = urlsplit(url)
        return parts.scheme.lower(), (parts.hostname or "").removeprefix("www.")
    except ValueError:
        raise Rejected(f"wrong site: {url!r} is not a web address") from None


def _site_line(recipient: str, expect_site: str | None) -> tuple[str, ...]:
    if expect_site is None:
        return ()
    if _origin(recipient) != _origin(expect_site):
        raise Rejected(f"wrong site: it was issued to {recipient}, not {expect_site}")
    if urlsplit(recipient).hostname != urlsplit(expect_site).hostname:  # both parsed above
        return (f"issued to {recipient}: the site {expect_site}, a leading www. aside",)
    return (f"issued to {expect_site}, as expected",)
