"""Open Badges 2.0: the issuer, a BadgeClass per mission version, an Assertion per signatory,
and baking an assertion into badge images so anyone can verify one.

Spec: https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html
(hosted verification; baking: https://www.imsglobal.org/sites/default/files/Badges/
OBv2p0Final/baking/index.html).
"""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from typing import Any

from .mission import Mission, MissionVersion
from .pledge import Pledge
from .png import SIGNATURE, chunks, encode_chunk

CONTEXT = "https://w3id.org/openbadges/v2"
ISSUER_NAME = "Socially-M"
NAMESPACE = "http://openbadges.org"
KEYWORD = b"openbadges"


def issuer_url(base: str) -> str:
    return f"{base}openbadges/issuer.json"


def badge_class_url(base: str, version: int) -> str:
    return f"{base}openbadges/mission-v{version}.json"


def assertion_url(base: str, slug: str) -> str:
    return f"{base}openbadges/assertions/{slug}.json"


def page_url(base: str, slug: str) -> str:
    return f"{base}signatories/{slug}/"


def issuer(base: str) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": issuer_url(base),
        "name": ISSUER_NAME,
        "url": base,
        "description": "Publisher of the Social Mission and keeper of its registry of "
                       "signatories.",
    }


def badge_class(base: str, version: MissionVersion) -> dict[str, Any]:
    principles = "\n".join(f"{n}. {' '.join(p.split())}"
                           for n, p in enumerate(version.principles, start=1))
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": badge_class_url(base, version.version),
        "name": f"Social Mission signatory (version {version.version})",
        "description": f"Signed {version.title}, version {version.version}: ten principles "
                       "for behaving well on social media.",
        "image": f"{base}badges/mission/card-light.png",
        "criteria": {
            "id": f"{base}history/#mission-v{version.version}",
            "narrative": f"The signatory commits to the principles of {version.title}, "
                         f"version {version.version}:\n\n{principles}",
        },
        "issuer": issuer_url(base),
        "tags": ["social media", "ethics", "Social Mission"],
    }


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00+00:00"


def assertion(base: str, pledge: Pledge) -> dict[str, Any]:
    """The hosted assertion of one signatory; revoked once the pledge is withdrawn."""
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_url(base, pledge.slug),
        "recipient": {"type": "url", "hashed": False, "identity": pledge.website.text},
        "badge": badge_class_url(base, pledge.mission_version),
        "verification": {"type": "hosted"},
        "issuedOn": _timestamp(pledge.signed),
        "image": f"{base}badges/{pledge.slug}/card-light.png",
        "narrative": f"{pledge.name} signed version {pledge.mission_version} of the Social "
                     f"Mission on {pledge.signed.isoformat()}.",
    }
    if pledge.statement_url is not None:
        document["evidence"] = {"id": pledge.statement_url.text,
                                "narrative": "The signatory's public announcement."}
    if not pledge.active:
        document["revoked"] = True
        reason = f"Withdrawn on {pledge.withdrawn.isoformat()}" if pledge.withdrawn else \
            "Withdrawn"
        if pledge.withdrawn_reason:
            reason += f": {pledge.withdrawn_reason}"
        document["revocationReason"] = reason
    return document


def dumps(document: dict[str, Any]) -> str:
    """Deterministic JSON (sorted keys) that can sit in HTML, XML CDATA or a PNG chunk.

    '<', '>' and '&' are written as \\u escapes: the same JSON value, but no ']]>' can
    close a CDATA section and no '</script>' can close a script element.
    """
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def all_documents(base: str, mission: Mission,
                  pledges: list[Pledge]) -> dict[str, dict[str, Any]]:
    """Every Open Badges document the site publishes, by path below the site root."""
    documents = {"openbadges/issuer.json": issuer(base)}
    for version in mission.versions:
        documents[f"openbadges/mission-v{version.version}.json"] = badge_class(base, version)
    for pledge in pledges:
        documents[f"openbadges/assertions/{pledge.slug}.json"] = assertion(base, pledge)
    return documents


# --- baking ----------------------------------------------------------------------------
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
