"""The registry's revocation list: one W3C Bitstring Status List
(https://www.w3.org/TR/vc-bitstring-status-list/) of constants.STATUS_LIST_SIZE entries.

Each signature of a pledge has one permanent index in it (`status_index`, model/fields.py),
shared by the credentials of every mission version signed or reaffirmed within that
signature. Its bit is set when the signature is withdrawn; a redacted pledge has the bit of
every index it has set; an index is never given twice, tombstones included.

The list is written here unsigned (`status_list_document`); the signer signs it as it signs
the credentials. Its `encodedList` is the multibase (`u`, base64url without padding) of the
GZIP (RFC 1952) of the bitstring, index 0 the most significant bit of the first byte. The
GZIP member is written by hand, its deflate data one stored block (RFC 1951, 3.2.4: no
compression choices at all): the same pledges give the same bytes on every machine and
every zlib, at the price of about 22 KB of list instead of about 70 characters.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import struct
import zlib
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any, Final

from socialmission.model.constants import PLEDGE_MAX_BYTES, PLEDGE_SUFFIX, STATUS_LIST_SIZE
from socialmission.model.filetree import FileTree
from socialmission.model.pledge import Pledge
from socialmission.model.yamlread import Mapping, Node, Scalar, Sequence, YamlError, parse

STATUS_PURPOSE: Final = "revocation"
# Mixed into each new index's hash, so that the registry's indexes are its own sequence.
INDEX_SALT: Final = b"socialmission revocation list 1"
LIST_BYTES: Final = STATUS_LIST_SIZE // 8
# GZIP's fixed header: magic, deflate, no flags, no time (0), no extra flags, OS unknown.
_GZIP_HEADER: Final = bytes((0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF))
_MULTIBASE_BASE64URL: Final = "u"
# The most a stored deflate block holds (RFC 1951, 3.2.4).
_STORED_MAX: Final = 0xFFFF


class StatusListError(ValueError):
    """A list that cannot be written or read, said in words."""


def used_indexes(pledges: Iterable[Pledge]) -> frozenset[int]:
    """Every index any signature of these pledges has, tombstones included."""
    return frozenset(index for pledge in pledges for index in pledge.status_indexes)


def _index_of(node: Node | None) -> int | None:
    if isinstance(node, Scalar) and isinstance(node.value, int) \
            and not isinstance(node.value, bool):
        return node.value
    return None


def indexes_written(text: str) -> list[int]:
    """Every `status_index` a pledge file writes, valid or not (the first signature's, then
    each of `signed_again`): what a new index must not be, whatever else is wrong with the
    file. None of a file that does not parse."""
    try:
        root = parse(text)
    except YamlError:
        return []
    if not isinstance(root, Mapping):
        return []
    found = [_index_of(root.items.get("status_index", (None, None))[1])]
    later = root.items.get("signed_again", (None, None))[1]
    for entry in later.items if isinstance(later, Sequence) else ():
        if isinstance(entry, Mapping):
            found.append(_index_of(entry.items.get("status_index", (None, None))[1]))
    return [index for index in found if index is not None]


def indexes_in(tree: FileTree, pledges_dir: Path) -> frozenset[int]:
    """Every index the pledge files in `pledges_dir` write, tombstones included (a file
    that cannot be read gives none)."""
    used: set[int] = set()
    try:
        names = tree.entries(pledges_dir)
    except OSError:
        return frozenset()
    for name, folder in sorted(names.items()):
        if folder or not name.endswith(PLEDGE_SUFFIX):
            continue
        try:
            data = tree.read(pledges_dir / name, PLEDGE_MAX_BYTES)
        except OSError:
            continue
        used.update(indexes_written(data.decode("utf-8", errors="replace")))
    return frozenset(used)


def first_choice(slug: str, number: int) -> int:
    """Where the search for the index of a pledge's `number`-th signature (1 for the
    first) starts: a hash of the slug and the number, so spread evenly over the list and
    the same on every run (tests and re-runs give the same index)."""
    digest = hashlib.sha256(INDEX_SALT + b"\0" + slug.encode() + b"\0"
                            + str(number).encode()).digest()
    return int.from_bytes(digest[:8], "big") % STATUS_LIST_SIZE


def pick_index(slug: str, number: int, used: Collection[int]) -> int:
    """The index a pledge's `number`-th signature takes: its first choice, or the next one
    after it (wrapping round) that no signature has (`used`, tombstones included)."""
    if len(used) >= STATUS_LIST_SIZE:
        raise StatusListError(f"the revocation list is full: all {STATUS_LIST_SIZE} indexes "
                              "are taken")
    index = first_choice(slug, number)
    while index in used:
        index = (index + 1) % STATUS_LIST_SIZE
    return index


def revoked_indexes(pledges: Iterable[Pledge]) -> frozenset[int]:
    """The indexes whose bit is set: each withdrawn signature's, and every index of a
    redacted pledge."""
    revoked: set[int] = set()
    for pledge in pledges:
        for signature in pledge.signatures:
            if signature.status_index is not None and (
                    pledge.tombstone or signature.withdrawn is not None):
                revoked.add(signature.status_index)
    return frozenset(revoked)


def bitstring(indexes: Iterable[int]) -> bytes:
    """The list's bits, uncompressed: the bit of each index set, index 0 the most
    significant bit of the first byte."""
    bits = bytearray(LIST_BYTES)
    for index in indexes:
        if not 0 <= index < STATUS_LIST_SIZE:
            raise StatusListError(f"index {index} is outside the revocation list (0 to "
                                  f"{STATUS_LIST_SIZE - 1})")
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def gzip_stored(data: bytes) -> bytes:
    """A GZIP member of `data` in stored deflate blocks, with a fixed header: the same
    bytes for the same data, whatever the machine."""
    blocks = bytearray()
    chunks = [data[at:at + _STORED_MAX] for at in range(0, len(data), _STORED_MAX)] or [b""]
    for number, chunk in enumerate(chunks):
        final = 1 if number == len(chunks) - 1 else 0
        blocks += struct.pack("<BHH", final, len(chunk), len(chunk) ^ 0xFFFF) + chunk
    trailer = struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)
    return _GZIP_HEADER + bytes(blocks) + trailer


def encoded_list(indexes: Iterable[int]) -> str:
    """The list's `encodedList`: multibase base64url, no padding, of the GZIP bitstring."""
    packed = gzip_stored(bitstring(indexes))
    return _MULTIBASE_BASE64URL + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decoded_list(encoded: str) -> bytes:
    """The bitstring an `encodedList` holds (any valid GZIP, not only ours), checked to be
    at least the spec's minimum length."""
    if not encoded.startswith(_MULTIBASE_BASE64URL):
        raise StatusListError("the encodedList is not multibase base64url: it must start "
                              f"with {_MULTIBASE_BASE64URL!r}")
    body = encoded[1:]
    try:
        packed = base64.b64decode(body + "=" * (-len(body) % 4), altchars=b"-_",
                                  validate=True)
        # A list is small: refuse to inflate past eight times the spec's minimum.
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        bits = inflater.decompress(packed, 8 * LIST_BYTES)
    except (binascii.Error, ValueError, zlib.error) as error:
        raise StatusListError(f"the encodedList does not decode: {error}") from None
    if inflater.unconsumed_tail or not inflater.eof:
        raise StatusListError("the encodedList is not one complete GZIP member of at most "
                              f"{8 * LIST_BYTES} bytes")
    if len(bits) < LIST_BYTES:
        raise StatusListError(f"the list has {len(bits) * 8} entries: the spec's minimum is "
                              f"{STATUS_LIST_SIZE}")
    return bits


def is_set(bits: bytes, index: int) -> bool:
    """Whether the bit of `index` is set in an uncompressed bitstring."""
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def list_date(pledges: Iterable[Pledge]) -> dt.date | None:
    """The day the list last changed: the latest withdrawal or redaction (None: never)."""
    days = [day for pledge in pledges for day in
            (pledge.redacted, *(s.withdrawn for s in pledge.signatures)) if day is not None]
    return max(days, default=None)


def status_entry(list_url: str, index: int) -> dict[str, Any]:
    """A credential's `credentialStatus` for the signature of `index`: its own `id` (Open
    Badges 3.0 wants one, and it must not be the list's), the purpose, and the index as
    base-10 text as the spec writes it."""
    return {"id": f"{list_url}#{index}", "type": "BitstringStatusListEntry",
            "statusPurpose": STATUS_PURPOSE, "statusListIndex": str(index),
            "statusListCredential": list_url}


def status_list_document(list_url: str, issuer: str | dict[str, Any],
                         pledges: Iterable[Pledge]) -> dict[str, Any]:
    """The unsigned BitstringStatusListCredential at `list_url`, from every pledge (the
    signer adds the proof): `validFrom` is the day the list last changed, so a rebuild
    with nothing withdrawn or redacted gives the same document."""
    pledges = list(pledges)
    document: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": f"{list_url}#list", "type": "BitstringStatusList",
                              "statusPurpose": STATUS_PURPOSE,
                              "encodedList": encoded_list(revoked_indexes(pledges))},
    }
    day = list_date(pledges)
    if day is not None:
        document["validFrom"] = f"{day.isoformat()}T00:00:00Z"
    return document
