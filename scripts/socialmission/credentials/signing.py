"""Signing a build's Open Badges 3.0 documents, cached by content and key, on a pool of
forked workers as the badges are rendered.

`.cache/credentials/<key>.json` (paths.CREDENTIALS_CACHE) holds one signed document. Its
key is the SHA-256 of the cache's FORMAT, the unsigned document as canonical JSON (sorted
keys), the verification method, the proof's `created` and the key's public Multikey: a
document is signed again exactly when what it says, the key that signs it or the day it is
signed on changes, so a warm build with nothing changed signs nothing. An entry no build
wants any more is removed at the end of the build.

An entry is two lines: the signed document's body (without `proof`) as canonical JSON,
then its proof. It is read as untrusted data: it is reused only if its body is, as text,
the unsigned document's canonical JSON, and its proof a JSON object that is the one this
build would write (the suite, the purpose, the verification method, `created`) with a
proofValue that is a base58 Ed25519 signature; anything else is signed again. The
signature itself is not checked again (that costs as much as signing): as for the badge
cache (render/cache.py), whoever can write `.cache/` can write the built site too, and CI
restores only the default branch's caches into the run that publishes.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shutil
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from socialmission.credentials import proof
from socialmission.credentials.credential import Unsigned
from socialmission.credentials.issuer import Signer
from socialmission.model.atomic import write_whole
from socialmission.model.problems import counted
from socialmission.model.progress import SILENT, Progress
from socialmission.model.workers import forking, start_worker

# The cache's layout and what its keys hash: a change of either makes every entry stale.
FORMAT: Final = 1
SUFFIX: Final = ".json"
_ENTRY: Final = re.compile(r"[0-9a-f]{64}\.json\Z")
# Fewer documents than this are signed in the build's own process: a pool's forks cost
# more than they save (signing one takes about 12 ms on one core).
POOL_MINIMUM: Final = 8
SIGNATURE_BYTES: Final = 64  # an Ed25519 signature


@dataclass(frozen=True)
class SigningResult:
    documents: dict[str, dict[str, Any]]  # every document, signed, by site path
    signed: list[str]  # site paths signed this time
    reused: list[str]  # site paths whose cached signed document was taken as it was


def canonical_json(document: Any) -> str:
    """The JSON text a document's key hashes: sorted keys, no spaces."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def cache_key(unsigned: Unsigned, verification_method: str, public_key: str) -> str:
    """The key of a document's cache entry (see the module's docstring); `public_key` is
    the signing key's Multikey."""
    return _key(canonical_json(unsigned.document), unsigned.created, verification_method,
                public_key)


def _key(body: str, created: str, verification_method: str, public_key: str) -> str:
    digest = hashlib.sha256(f"socialmission signed {FORMAT}\0".encode())
    for part in (body, verification_method, created, public_key):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def entry_text(document: Mapping[str, Any]) -> str:
    """A cache entry: the signed document's body (without its proof) as canonical JSON on
    one line, then its proof on the next, so a build compares the body as text and reads
    only the proof."""
    body = {name: value for name, value in document.items() if name != "proof"}
    return f"{canonical_json(body)}\n{canonical_json(document['proof'])}\n"


def sign_all(unsigned: Mapping[str, Unsigned], signing: Signer, cache: Path, *,
             workers: int | None = None, said: Progress = SILENT) -> SigningResult:
    """Every document of `unsigned` (by site path), signed by `signing`: taken from
    `cache` when an entry holds it, else signed (on `workers` forked processes, by
    default one a core) and kept there. ValueError if a document cannot be signed (a
    term or a context the vendored contexts do not define)."""
    public = proof.multikey(proof.public_key(signing.seed))
    bodies = {path: canonical_json(unsigned[path].document) for path in sorted(unsigned)}
    keys = {path: _key(body, unsigned[path].created, signing.verification_method, public)
            for path, body in bodies.items()}
    documents: dict[str, dict[str, Any]] = {}
    for path, key in keys.items():
        cached = reusable(cache / f"{key}{SUFFIX}", bodies[path], unsigned[path], signing)
        if cached is not None:
            documents[path] = cached
    stale = [path for path in keys if path not in documents]
    reused = sorted(documents)
    if stale:
        said.stage(f"signing {counted(len(stale), 'credential')} ({len(reused)} unchanged)",
                   len(stale))
        for path, document in zip(stale, _sign_each([unsigned[p] for p in stale], signing,
                                                     workers), strict=True):
            _keep(cache / f"{keys[path]}{SUFFIX}", document)
            documents[path] = document
            said.step()
    else:
        said.stage(f"credentials: {counted(len(reused), 'signed document')}, all unchanged")
    _prune(cache, {f"{key}{SUFFIX}" for key in keys.values()})
    return SigningResult(documents={path: documents[path] for path in keys}, signed=stale,
                         reused=reused)


def reusable(entry: Path, body: str, unsigned: Unsigned,
             signing: Signer) -> dict[str, Any] | None:
    """The signed document the cache entry holds, if it is exactly what signing `unsigned`
    (whose canonical JSON is `body`) would give but for the signature's bytes (see the
    module's docstring); else None."""
    try:
        lines = entry.read_text(encoding="utf-8").split("\n")
    except (OSError, ValueError):
        return None
    if len(lines) != 3 or lines[0] != body or lines[2]:
        return None
    try:
        found = json.loads(lines[1])
    except (ValueError, RecursionError):
        return None
    wanted = {"type": proof.PROOF_TYPE, "cryptosuite": proof.CRYPTOSUITE,
              "created": unsigned.created, "verificationMethod": signing.verification_method,
              "proofPurpose": proof.PURPOSE}
    if not isinstance(found, dict) or \
            {name: value for name, value in found.items() if name != "proofValue"} != wanted \
            or not _signature(found.get("proofValue")):
        return None
    return {**unsigned.document, "proof": found}


def _keep(entry: Path, document: dict[str, Any]) -> None:
    """Write a cache entry whole, over whatever an edited cache holds at its name."""
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry)
    write_whole(entry, entry_text(document).encode())


def _signature(value: object) -> bool:
    """Whether a proofValue is 'z' and the base58 of an Ed25519 signature's bytes."""
    if not isinstance(value, str) or not value.startswith("z"):
        return False
    try:
        return len(proof.b58decode(value[1:])) == SIGNATURE_BYTES
    except ValueError:
        return False


def _prune(cache: Path, wanted: set[str]) -> None:
    """Remove the entries no document of this build has (a changed pledge's old ones)."""
    try:
        with os.scandir(cache) as listing:
            old = [entry.path for entry in listing
                   if _ENTRY.match(entry.name) and entry.name not in wanted]
    except OSError:
        return
    for path in old:
        Path(path).unlink(missing_ok=True)


def _sign_each(documents: Sequence[Unsigned], signing: Signer,
               workers: int | None) -> Iterator[dict[str, Any]]:
    """Each document signed, in order: in this process for a few, else on a pool of
    forked workers that end with the build and leave a Ctrl-C to it (model/workers.py)."""
    count = workers or os.cpu_count() or 1
    if count == 1 or len(documents) < POOL_MINIMUM:
        for document in documents:
            yield document.signed(signing)
        return
    # The first is signed here: the workers inherit the contexts read and processed
    # (pyld keeps them), which each would otherwise do again for its first document.
    yield documents[0].signed(signing)
    rest = documents[1:]
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=count, mp_context=context,
                               initializer=start_worker, initargs=(os.getpid(),))
    try:
        with forking():
            results = pool.map(Unsigned.signed, rest, [signing] * len(rest),
                               chunksize=max(1, len(rest) // (count * 8)))
        yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
