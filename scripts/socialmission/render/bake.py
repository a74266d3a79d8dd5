"""Baking: an Open Badges assertion carried inside the badge image itself, so that anyone
holding the image can verify it (Open Badges 2.0 baking specification,
https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/baking/index.html)."""

from __future__ import annotations

from html import escape

from socialmission.model.png import SIGNATURE, chunks, encode_chunk

NAMESPACE = "http://openbadges.org"
KEYWORD = b"openbadges"


def bake_png(png: bytes, assertion_json: str) -> bytes:
    """Add one uncompressed iTXt chunk 'openbadges' after IHDR (replacing any earlier one)."""
    body = KEYWORD + b"\0" + b"\0" + b"\0" + b"\0" + b"\0" + assertion_json.encode("utf-8")
    # keyword NUL, compression flag 0, method 0, empty language tag NUL, empty
    # translated keyword NUL, then the text
    out = [SIGNATURE]
    for chunk in chunks(png):
        if chunk.kind == b"iTXt" and chunk.data.startswith(KEYWORD + b"\0"):
            continue
        out.append(encode_chunk(chunk.kind, chunk.data))
        if chunk.kind == b"IHDR":
            out.append(encode_chunk(b"iTXt", body))
    return b"".join(out)


def bake_svg(svg: str, assertion_json: str, verify: str) -> str:
    """Put <openbadges:assertion verify="..."> with the JSON in CDATA first in the root."""
    head, sep, rest = svg.partition(">")
    if not sep or not head.startswith("<svg"):
        raise ValueError("not an SVG document starting with <svg")
    if "]]>" in assertion_json:  # dumps() never produces it; refuse rather than corrupt
        raise ValueError("the assertion would end its CDATA section")
    return (f'{head} xmlns:openbadges="{NAMESPACE}">'
            f'<openbadges:assertion verify="{escape(verify)}"><![CDATA[{assertion_json}]]>'
            f"</openbadges:assertion>{rest}")
