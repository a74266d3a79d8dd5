"""Unbaking: what a badge file carries, read as any verifier reads it. An Open Badges 3.0
credential is a PNG's `openbadgecredential` iTXt chunk or an SVG's `credential` element in
the 3.0 namespace (https://www.imsglobal.org/spec/ob/v3p0/#baking); an Open Badges 2.0
assertion is a PNG's `openbadges` iTXt chunk or an SVG's `assertion` element in the 2.0
namespace (bake.py writes both, and declares those names). A JSON file is a credential or
an assertion itself.

Badge files are untrusted: every way a file can be broken is an `NotABadge` saying what is
wrong with it, never another exception, and nothing is read past the caps below.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass
from typing import Any

from socialmission.model.png import SIGNATURE, DamagedChunk, PngError, chunks
from socialmission.render.bake import (
    OB2_ELEMENT,
    OB2_KEYWORD,
    OB2_NAMESPACE,
    OB3_ELEMENT,
    OB3_KEYWORD,
    OB3_NAMESPACE,
)

MAX_FILE = 4 << 20  # bytes: a card badge is far smaller; anything bigger is not one of ours
MAX_TEXT = 1 << 20  # bytes of a compressed iTXt chunk's text, once inflated


class NotABadge(ValueError):
    """What is wrong with a file that holds no badge we can read."""


class Tampered(NotABadge):
    """A badge whose baked credential or assertion was changed after it was baked, as the
    file itself shows (a PNG chunk whose CRC is not its bytes')."""


@dataclass(frozen=True)
class Unbaked:
    """What a badge file carries: its kind, and the 3.0 credential and the 2.0 assertion
    (each None when absent)."""

    kind: str  # "PNG", "SVG" or "JSON"
    credential: dict[str, Any] | None
    assertion: dict[str, Any] | None


def unbake(data: bytes) -> Unbaked:
    """Read a PNG, SVG or JSON badge (or raise NotABadge saying why it is none)."""
    if len(data) > MAX_FILE:
        raise NotABadge(f"it is {len(data):,} bytes: no badge is over {MAX_FILE:,}")
    credential: bytes | str | None
    assertion: bytes | str | None
    if data.startswith(SIGNATURE):
        credential, assertion = _png_texts(data)
        kind = "PNG"
    elif data.lstrip()[:1] in (b"{", b"["):
        document = _json(data, "the file")
        if _has_type(document, "VerifiableCredential"):
            return Unbaked("JSON", document, None)
        if _has_type(document, "Assertion"):
            return Unbaked("JSON", None, document)
        raise NotABadge("it is JSON, but neither a credential nor an Open Badges assertion")
    else:
        credential, assertion = _svg_texts(data)
        kind = "SVG"
    return Unbaked(kind, None if credential is None else _json(credential, "its credential"),
                   None if assertion is None else _json(assertion, "its 2.0 assertion"))


def _has_type(document: dict[str, Any], kind: str) -> bool:
    kinds = document.get("type")
    return kind in (kinds if isinstance(kinds, list) else [kinds])


def _json(text: bytes | str, what: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise NotABadge(f"{what} is not JSON ({error})") from None
    if not isinstance(document, dict):
        raise NotABadge(f"{what} is JSON, but not an object")
    return document


def _itxt_text(body: bytes) -> bytes:
    """The text of an iTXt chunk: keyword NUL, compression flag and method, language tag
    NUL, translated keyword NUL, then the text (inflated when the flag says so)."""
    keyword, _, rest = body.partition(b"\0")
    if len(rest) < 2:
        raise NotABadge(f"its iTXt chunk {keyword!r} is cut short")
    flag, tags = rest[0], rest[2:]
    parts = tags.split(b"\0", 2)
    if len(parts) != 3:
        raise NotABadge(f"its iTXt chunk {keyword!r} is cut short")
    if flag == 0:
        return parts[2]
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(parts[2], MAX_TEXT)
    except zlib.error:
        raise NotABadge(f"its iTXt chunk {keyword!r} does not inflate") from None
    if inflater.unconsumed_tail:
        raise NotABadge(f"its iTXt chunk {keyword!r} inflates past {MAX_TEXT:,} bytes")
    return text


def _png_texts(data: bytes) -> tuple[bytes | None, bytes | None]:
    """The first openbadgecredential and the first openbadges iTXt chunk's texts."""
    found: dict[bytes, bytes] = {}
    try:
        for chunk in chunks(data):
            keyword = chunk.data.partition(b"\0")[0]
            if chunk.kind == b"iTXt" and keyword in (OB3_KEYWORD, OB2_KEYWORD):
                found.setdefault(keyword, _itxt_text(chunk.data))
    except DamagedChunk as error:
        keyword = error.chunk.data.partition(b"\0")[0]
        if error.chunk.kind == b"iTXt" and keyword in (OB3_KEYWORD, OB2_KEYWORD):
            raise Tampered(f"its {keyword.decode()} chunk was changed after it was baked "
                           "(its CRC does not match its bytes)") from None
        raise NotABadge(f"it {error}") from None
    except PngError as error:
        raise NotABadge(f"it {error}") from None
    return found.get(OB3_KEYWORD), found.get(OB2_KEYWORD)


def _svg_texts(data: bytes) -> tuple[str | None, str | None]:
    """The text of the root's 3.0 credential and 2.0 assertion elements."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise NotABadge("it is XML with a DOCTYPE or entities, which no badge has")
    try:
        root = ET.fromstring(data)  # noqa: S314 - no DOCTYPE, so no entities to expand
    except (ET.ParseError, ValueError) as error:
        raise NotABadge(f"it is neither a PNG, an SVG nor JSON ({error})") from None
    if root.tag != "{http://www.w3.org/2000/svg}svg":
        raise NotABadge(f"it is XML, but its root is {root.tag!r}, not an SVG")
    credential = root.find(f"{{{OB3_NAMESPACE}}}{OB3_ELEMENT}")
    assertion = root.find(f"{{{OB2_NAMESPACE}}}{OB2_ELEMENT}")
    if credential is not None and credential.get("verify") is not None:
        raise NotABadge("its credential is a VC-JWT (verify=...), which the registry never "
                        "bakes: only a credential with its proof embedded is checked")
    return (None if credential is None else "".join(credential.itertext()),
            None if assertion is None else "".join(assertion.itertext()))
