"""What the baking tests share: a pledge's signed Open Badges 3.0 credential as the build
bakes it (the JSON text of credentials/credential.py's signed credential for the version
its badge shows, with its revocation entry), signed by the public test key unless a
signer is given."""

from __future__ import annotations

import base64
import datetime as dt
import struct

from socialmission.credentials import credential, issuer, proof
from socialmission.model import openbadges, statuslist
from socialmission.model.mission import Mission
from socialmission.model.pledge import Pledge
from socialmission.model.settings import IssuerKey, Settings

SEED = bytes(range(32))  # a test seed with a key of its own (not the public test key)
KEY = IssuerKey("key-1", proof.multikey(proof.public_key(SEED)), dt.date(2024, 1, 1),
                "current")


def list_url(base: str) -> str:
    """Where the test sites keep their revocation list."""
    return f"{base}openbadges/v3/status/revocation-1.json"


def public_signer(base: str, settings: Settings) -> issuer.Signer:
    """The build's signer when no seed is set: the public test key, on test.invalid."""
    return issuer.signer(base, settings.issuer_keys, None, publishing=False)


def keyed_signer(base: str) -> issuer.Signer:
    """A signer whose DID is the site's own (KEY), so a built site can verify it."""
    return issuer.signer(base, (KEY,), base64.b64encode(SEED).decode(), publishing=False)


def credential_text(base: str, pledge: Pledge, *, settings: Settings, mission: Mission,
                    signing: issuer.Signer, index: int = 7) -> str:
    """The JSON text baked into the pledge's card badges: the current signature's
    credential for the newest version it signed or reaffirmed."""
    signature = len(pledge.signatures)
    version = pledge.current.current_version
    return openbadges.dumps(credential.signed_credential(
        base, pledge, version, signature, settings=settings, mission=mission, signing=signing,
        status=statuslist.status_entry(list_url(base), index)))


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """A plain PNG chunk walk (kind, data), written here so the tests do not trust png.py."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, found = 8, []
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        found.append((data[offset + 4:offset + 8], data[offset + 8:offset + 8 + length]))
        offset += 12 + length
    return found
