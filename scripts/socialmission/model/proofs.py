"""What `socialmission verify` last found for each signatory: the proof store's reader.

The store (`.cache/proofs.json`, paths.PROOFS_STORE) is written by site/proofs.py and read
by the build for the proof marks on the signatory pages, the directory and the API. It
never enters the badges or their cache key, so a weekly check re-renders nothing, and the
same store gives the same site. A missing, unreadable or malformed store, or a record
made for another website than the pledge's current one, gives no mark: losing the store
only loses the marks, and never fails a build.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from socialmission.model import paths
from socialmission.model.pledge import Pledge

STORE_VERSION: Final = 1
STORE_MAX: Final = 64 * 1024 * 1024  # bytes; some 300 bytes a signatory


@dataclass(frozen=True)
class Proof:
    """One signatory's last check: when, for which website host, and what answered."""

    checked: dt.date
    website: str  # the host the check was made for
    statement_url: str | None  # the page fetched for the link (the announcement or site)
    statement_links: bool  # it answered, as HTML, with a link to the page or a badge
    well_known: bool  # /.well-known/<proof_name>.txt names the slug
    dns: bool  # a TXT record _<proof_name>.<domain> names the slug
    notes: tuple[str, ...] = ()  # what failed, for the run's summary

    @property
    def website_confirms(self) -> bool:
        """The domain itself says so (a file it serves or a record its DNS holds)."""
        return self.well_known or self.dns

    def as_dict(self) -> dict[str, Any]:
        return {"checked": self.checked.isoformat(), "website": self.website,
                "statement_url": self.statement_url,
                "statement_links": self.statement_links, "well_known": self.well_known,
                "dns": self.dns, "notes": list(self.notes)}


def _proof(value: Any) -> Proof | None:
    if not isinstance(value, dict):
        return None
    try:
        checked = dt.date.fromisoformat(value["checked"])
        proof = Proof(checked, value["website"], value.get("statement_url"),
                      value["statement_links"], value["well_known"], value["dns"],
                      tuple(value.get("notes", ())))
    except (KeyError, TypeError, ValueError):
        return None
    kinds_ok = isinstance(proof.website, str) and all(
        isinstance(flag, bool) for flag in (proof.statement_links, proof.well_known,
                                            proof.dns)) and \
        (proof.statement_url is None or isinstance(proof.statement_url, str)) and \
        all(isinstance(note, str) for note in proof.notes)
    return proof if kinds_ok else None


def parse_proofs(data: bytes) -> dict[str, Proof]:
    """The store's records by slug; whatever cannot be read is left out, never raised."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return {}
    if not isinstance(document, dict) or document.get("version") != STORE_VERSION or \
            not isinstance(document.get("proofs"), dict):
        return {}
    found = {slug: _proof(value) for slug, value in document["proofs"].items()}
    return {slug: proof for slug, proof in found.items()
            if proof is not None and isinstance(slug, str)}


def load_proofs(root: Path) -> dict[str, Proof]:
    """The store under `root`, or no records when it is missing or cannot be read."""
    path = root / paths.PROOFS_STORE
    try:
        if path.is_symlink() or path.stat().st_size > STORE_MAX:
            return {}
        return parse_proofs(path.read_bytes())
    except OSError:
        return {}


def dumps(proofs: Mapping[str, Proof]) -> bytes:
    """The store's bytes: sorted, so the same records give the same file."""
    document = {"version": STORE_VERSION,
                "proofs": {slug: proofs[slug].as_dict() for slug in sorted(proofs)}}
    return (json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n") \
        .encode("utf-8")


def proof_of(pledge: Pledge, proofs: Mapping[str, Proof]) -> Proof | None:
    """The pledge's record, when it was made for the website the pledge names now."""
    proof = proofs.get(pledge.slug)
    if proof is None or pledge.website is None:  # a redacted tombstone has no website
        return None
    return proof if proof.website == pledge.website.host else None


def proof_kind(proof: Proof | None) -> str:
    """The directory's word for a proof: 'website' (the domain confirms), 'statement'
    (the announcement links here), or '' (none found yet)."""
    if proof is None:
        return ""
    if proof.website_confirms:
        return "website"
    return "statement" if proof.statement_links else ""
