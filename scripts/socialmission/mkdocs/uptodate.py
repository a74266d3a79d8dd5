"""Whether `socialmission build` can skip everything: the up-to-date check.

A build's output is a function of its inputs (builds are byte-identical), so when every
input is as it was at the last complete build of the same output folder, and that folder
still is what the build left, building again would only write the same bytes. The inputs:
- the contents of pledges/ (logos included), mission.yaml, its translations/,
  registry.yaml, mkdocs.yml, site/, badges/ (design and fonts) and the proofs store
  (.cache/proofs.json), every file's path and bytes: hashed in full, never trusted by
  size or time;
- the package's own installed files (an edited checkout counts), the name and version of
  every installed distribution (the engines, Material, Zensical, Markdown, the font
  subsetter...: their metadata folders' names), and the Python version;
- the engine chosen, the site address, SOURCE_DATE_EPOCH, the day the build is dated
  (the clock's: validation and the sitemap depend on it), and the issuer's seed
  (SOCIALMISSION_ISSUER_SEED, which decides who signs the credentials: only its SHA-256
  enters the digest).
Not inputs: the caches under .cache/ other than the proofs (content-keyed: they change how
fast the same bytes come, not which), and environment variables besides the three above.
A build for a deployment's badge state (--published-badges) also depends on the badge
cache's contents, so it is never skipped.

The output folder is trusted to be as the build left it when a walk over it finds every
entry with the same path, type, size, inode and modification time (nanoseconds) as was
recorded right after the swap: an edit by hand, a deletion, or a swap by another build
changes one of them. The build records them without a walk: each file's status as it wrote
or kept it, each folder's as it is then (`fingerprint_of`); were that ever not what a walk
finds, the next build would only build. A file rewritten in place with the same size within the same
nanosecond, and its time set back by hand, would go unnoticed: `--force` rebuilds.

The stamp is kept in .cache/builds/, one file per output folder (named by the hash of its
absolute path), written atomically after the swap, and removed when a build starts: a
build killed at any point leaves no stamp, so the next one builds. An unreadable or
unexpected stamp means "build".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

import socialmission
from socialmission.model import paths
from socialmission.model.clock import today
from socialmission.model.constants import ISSUER_SEED_VARIABLE

PACKAGE = Path(socialmission.__file__).parent  # the package's own files, as installed
_FORMAT = 1  # of the stamp file; another value is a stamp of some other version: build
# The registry's inputs, files and folders, relative to its root (one list, here).
INPUTS = (paths.MISSION_FILE, paths.TRANSLATIONS_DIR, paths.SETTINGS_FILE, paths.MKDOCS_FILE,
          paths.PROOFS_STORE, paths.PLEDGES_DIR, paths.HAND_WRITTEN_DIR, paths.DESIGN_DIR)


class Stamp(NamedTuple):
    inputs: str  # the digest of every input
    files: int  # the files hashed


class Recorded(NamedTuple):
    """What the last complete build of an output folder left."""
    stamp: Stamp
    output: str  # the output folder's fingerprint (`fingerprint`)
    signatories: int
    pages: int


def _files(top: Path, skip: tuple[str, ...] = ()) -> list[tuple[str, Path]]:
    """Every file below `top` (or `top` itself), by path relative to it, sorted; not in
    a folder named in `skip`."""
    if top.is_file():
        return [("", top)]
    found: list[tuple[str, Path]] = []
    for folder, names, files in os.walk(top):
        names[:] = sorted(n for n in names if n not in skip)
        base = os.path.relpath(folder, top)
        for name in files:
            relative = name if base == "." else f"{base}/{name}"
            found.append((relative, Path(folder) / name))
    return sorted(found)


def _add(digest: hashlib._Hash, *parts: str | bytes) -> None:
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)


def _seed_digest() -> str | None:
    """The SHA-256 of the issuer's seed in the environment (never the seed), or None."""
    seed = os.environ.get(ISSUER_SEED_VARIABLE)
    return None if seed is None else hashlib.sha256(seed.encode()).hexdigest()


def stamp(root: Path, engine: str, base: str, *, package: Path = PACKAGE) -> Stamp:
    """The digest of every input of a build of `root` with `engine` at `base` (and the
    package's source in `package`)."""
    digest = hashlib.sha256()
    count = 0
    _add(digest, f"format {_FORMAT}", f"engine {engine}", f"site {base}",
         f"python {sys.version}", f"epoch {os.environ.get('SOURCE_DATE_EPOCH')}",
         f"day {today().isoformat()}", f"signer {_seed_digest()}")
    for label, top in [(name, root / name) for name in INPUTS] + [("package", package)]:
        # the package's compiled files come and go with imports, and follow its source
        files = _files(top, ("__pycache__",) if label == "package" else ()) \
            if top.exists() else []
        _add(digest, "input", label, str(len(files)))
        for relative, path in files:
            try:
                data = path.read_bytes()
            except OSError as error:  # unreadable: the build will say so; never skipped
                data = f"unreadable {error.errno} {os.urandom(16).hex()}".encode()
            _add(digest, relative, data)
            count += 1
    for folder, name in _distributions():
        _add(digest, "distribution", folder, name)
    return Stamp(digest.hexdigest(), count)


def _distributions() -> list[tuple[str, str]]:
    """Every installed distribution's metadata folder, by the import path it is on: its
    name is the distribution's name and version (`mkdocs-1.6.1.dist-info`), so an upgrade
    or a removal of any of them changes the list. (Reading the metadata files themselves,
    as importlib.metadata does, costs ten times as long.)"""
    found: list[tuple[str, str]] = []
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as listing:
                found.extend((entry, e.name) for e in listing
                             if e.name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return sorted(found)


Seen = tuple[str, int, int, int, int]  # path, st_mode, st_size, st_ino, st_mtime_ns


def fingerprint(out: Path) -> str:
    """Every entry of the output folder by path, type, size, inode and modification time
    (`fingerprint_of`, from a walk over it); "" when it is not a folder."""
    try:
        top = out.lstat()
    except OSError:
        return ""
    if not stat.S_ISDIR(top.st_mode):
        return ""
    seen: list[Seen] = []
    pending = [""]
    while pending:
        relative = pending.pop()
        try:
            with os.scandir(out / relative if relative else out) as listing:
                for entry in listing:
                    path = f"{relative}/{entry.name}" if relative else entry.name
                    info = entry.stat(follow_symlinks=False)
                    seen.append((path, info.st_mode, info.st_size, info.st_ino,
                                 info.st_mtime_ns))
                    if stat.S_ISDIR(info.st_mode):
                        pending.append(path)
        except OSError:
            return ""
    return fingerprint_of(top, seen)


def fingerprint_of(top: os.stat_result, seen: list[Seen]) -> str:
    """The fingerprint of a folder (`top`, its own status) holding exactly the entries
    `seen`, below it, in any order: the build that wrote them knows them without a walk.
    No name holds a NUL, so the NUL-separated text says every entry unambiguously."""
    text = "\0".join([f"{top.st_ino} {top.st_mtime_ns}",
                      *(f"{path}\0{mode} {size} {inode} {mtime}"
                        for path, mode, size, inode, mtime in sorted(seen))])
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def stamp_file(root: Path, out: Path) -> Path:
    key = hashlib.sha256(os.fsencode(out.resolve())).hexdigest()[:32]
    return root / paths.BUILD_STAMPS / f"{key}.json"


def recorded(root: Path, out: Path) -> Recorded | None:
    """What the last complete build of `out` recorded, or None (no stamp, or one that
    cannot be read: the next build builds)."""
    try:
        data = json.loads(stamp_file(root, out).read_bytes())
        if data.get("format") != _FORMAT or data.get("output_path") != str(out.resolve()):
            return None
        found = Recorded(Stamp(str(data["inputs"]), int(data["files"])),
                         str(data["output"]), int(data["signatories"]), int(data["pages"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return found


def current(root: Path, out: Path, now: Stamp, *, for_deployment: bool = False
            ) -> Recorded | None:
    """The recorded build when it is current: the same inputs, and the output folder as
    that build left it; else None. Never for a deployment's build (`for_deployment`,
    --published-badges): it depends on the badge cache too, which is not an input."""
    if for_deployment:
        return None
    found = recorded(root, out)
    if found is None or found.stamp != now or found.output != fingerprint(out):
        return None
    return found


def forget(root: Path, out: Path) -> None:
    """Remove `out`'s stamp: from now until a build completes, nothing is current."""
    with contextlib.suppress(OSError):
        stamp_file(root, out).unlink()


def record(root: Path, out: Path, now: Stamp, signatories: int, pages: int,
           *, known: str | None = None) -> None:
    """Record, atomically, that `out` is the complete build of the inputs `now`; `known`
    is its fingerprint where the build knows it (else `out` is walked)."""
    target = stamp_file(root, out)
    data = json.dumps({"format": _FORMAT, "output_path": str(out.resolve()),
                       "inputs": now.inputs, "files": now.files,
                       "output": fingerprint(out) if known is None else known,
                       "signatories": signatories,
                       "pages": pages}, sort_keys=True).encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".stamp-")
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
