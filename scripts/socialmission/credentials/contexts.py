"""The JSON-LD contexts the credentials name, vendored in `contexts/` (each with its
source, sha256 and licence in `contexts/manifest.json`), and the document loader that
serves them from disk and nothing else: a context not vendored is an error, never a fetch.

The W3C credentials v2 context also defines the Data Integrity proof's terms
(`DataIntegrityProof`, `cryptosuite`, `proofValue`), so the proof needs no context of its own.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from pyld.documentloader.base import RemoteDocument

FOLDER = Path(__file__).parent / "contexts"
MANIFEST = FOLDER / "manifest.json"
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


class NotVendored(Exception):
    """A JSON-LD document was asked for that is not vendored: nothing is fetched."""

    def __init__(self, url: str) -> None:
        super().__init__(f"the JSON-LD context {url!r} is not vendored (only "
                         f"{', '.join(sorted(vendored()))} are); nothing is fetched")
        self.url = url


@functools.cache
def vendored() -> dict[str, Any]:
    """Each vendored context's URL -> its document, read once, each file checked against
    the sha256 the manifest pins (a changed file is an error, not a silent new context)."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    documents: dict[str, Any] = {}
    for url, entry in sorted(manifest.items()):
        data = (FOLDER / entry["file"]).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != entry["sha256"]:
            raise RuntimeError(f"{FOLDER / entry['file']}: its sha256 is {digest}, the manifest "
                               f"pins {entry['sha256']}: restore it from {entry['source']}")
        documents[url] = json.loads(data)
    return documents


def load(url: str, options: dict[str, Any]) -> RemoteDocument:
    """pyld's document loader: the vendored context at `url`, a copy (pyld may change
    what it is given); any other URL raises NotVendored."""
    document = vendored().get(url)
    if document is None:
        raise NotVendored(url)
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": copy.deepcopy(document)}
