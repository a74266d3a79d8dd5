"""Baking: what a badge says of itself, carried inside the image, so that anyone holding the
image can check it. Two things are baked, each where its specification puts it:

- the hosted Open Badges 2.0 assertion, into every badge file when it is painted: a PNG's
  `openbadges` iTXt chunk, an SVG's `<openbadges:assertion verify="...">` element
  (https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/baking/index.html);
- the signed Open Badges 3.0 credential, into the card badges as a step after painting
  (render/cache.py): a PNG's `openbadgecredential` iTXt chunk, an SVG's
  `<openbadges:credential>` element first in the root, whose start tag declares the 3.0
  namespace (https://www.imsglobal.org/spec/ob/v3p0/#baking).

Both specifications bind the prefix `openbadges`, to different namespaces. The root
declares the 3.0 one (where 3.0 readers look for it); the 2.0 element declares its own on
itself, always, so it reads the same whether or not a credential is baked beside it, to a
namespace-aware reader and to one that matches the text `<openbadges:assertion`.

Each text goes in uncompressed, as both specifications ask; unbake.py reads both back.
"""

from __future__ import annotations

from html import escape

from socialmission.model.png import SIGNATURE, chunks, encode_chunk

OB2_NAMESPACE = "http://openbadges.org"
OB2_KEYWORD = b"openbadges"  # the PNG iTXt chunk of the 2.0 assertion
OB2_ELEMENT = "assertion"  # the SVG element of the 2.0 assertion, in OB2_NAMESPACE
OB3_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
OB3_KEYWORD = b"openbadgecredential"  # the PNG iTXt chunk of the 3.0 credential
OB3_ELEMENT = "credential"  # the SVG element of the 3.0 credential, in OB3_NAMESPACE
PREFIX = "openbadges"  # the prefix both specifications give their namespace in an SVG

_OB3_DECLARATION = f' xmlns:{PREFIX}="{OB3_NAMESPACE}"'
_OB3_START = f"<{PREFIX}:{OB3_ELEMENT}><![CDATA["
_OB3_END = f"]]></{PREFIX}:{OB3_ELEMENT}>"


def _itxt(keyword: bytes, text: str) -> bytes:
    """An uncompressed iTXt chunk's body: keyword NUL, compression flag 0, method 0, an
    empty language tag NUL, an empty translated keyword NUL, then the text."""
    return keyword + b"\0" + b"\0" + b"\0" + b"\0" + b"\0" + text.encode("utf-8")


def _rebake_png(png: bytes, keyword: bytes, text: str | None) -> bytes:
    """`png` without any iTXt chunk `keyword`, and with one holding `text` (unless None)
    right after IHDR."""
    out = [SIGNATURE]
    for chunk in chunks(png):
        if chunk.kind == b"iTXt" and chunk.data.startswith(keyword + b"\0"):
            continue
        out.append(encode_chunk(chunk.kind, chunk.data))
        if chunk.kind == b"IHDR" and text is not None:
            out.append(encode_chunk(b"iTXt", _itxt(keyword, text)))
    return b"".join(out)


def bake_png(png: bytes, assertion_json: str) -> bytes:
    """Add one uncompressed iTXt chunk 'openbadges' after IHDR (replacing any earlier one)."""
    return _rebake_png(png, OB2_KEYWORD, assertion_json)


def bake_credential_png(png: bytes, credential_json: str | None) -> bytes:
    """Put one uncompressed iTXt chunk 'openbadgecredential' after IHDR, replacing any
    earlier one; with None, only take the earlier one out."""
    return _rebake_png(png, OB3_KEYWORD, credential_json)


def _root(svg: str) -> tuple[str, str]:
    """The root's start tag without its '>', and what follows it."""
    head, sep, rest = svg.partition(">")
    if not sep or not head.startswith("<svg"):
        raise ValueError("not an SVG document starting with <svg")
    return head, rest


def _cdata(text: str, what: str) -> str:
    if "]]>" in text:  # dumps() never produces it; refuse rather than corrupt
        raise ValueError(f"the {what} would end its CDATA section")
    return f"<![CDATA[{text}]]>"


def bake_svg(svg: str, assertion_json: str, verify: str) -> str:
    """Put <openbadges:assertion verify="..."> with the JSON in CDATA first in the root,
    declaring the 2.0 namespace on itself."""
    head, rest = _root(svg)
    return (f'{head}><{PREFIX}:{OB2_ELEMENT} xmlns:{PREFIX}="{OB2_NAMESPACE}" '
            f'verify="{escape(verify)}">{_cdata(assertion_json, "assertion")}'
            f"</{PREFIX}:{OB2_ELEMENT}>{rest}")


def unbake_credential_svg(svg: str) -> str:
    """`svg` without the credential bake_credential_svg put in it (the same text when it
    has none)."""
    head, rest = _root(svg)
    if not head.endswith(_OB3_DECLARATION) or not rest.startswith(_OB3_START):
        return svg
    # the CDATA holds no ']]>', so the first one ends it
    end = rest.find(_OB3_END)
    if end < 0:
        raise ValueError("the baked credential's element is not closed")
    return f"{head.removesuffix(_OB3_DECLARATION)}>{rest[end + len(_OB3_END):]}"


def bake_credential_svg(svg: str, credential_json: str | None) -> str:
    """Declare the 3.0 namespace on the root and put <openbadges:credential> with the JSON
    in CDATA first in it, replacing the credential baked before; with None, only take
    that one out."""
    svg = unbake_credential_svg(svg)
    if credential_json is None:
        return svg
    head, rest = _root(svg)
    if f"xmlns:{PREFIX}=" in head:
        raise ValueError(f"the SVG's root already binds the prefix {PREFIX}")
    return (f"{head}{_OB3_DECLARATION}><{PREFIX}:{OB3_ELEMENT}>"
            f"{_cdata(credential_json, 'credential')}</{PREFIX}:{OB3_ELEMENT}>{rest}")
