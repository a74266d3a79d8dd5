"""The rendered badges of the whole registry, brought up to date incrementally on all cores.

`.cache/badges/<slug>/` holds one signatory's files (folder.py). `.manifest.json` keys each
folder by what it shows and by the design's fingerprint (its content key: what painting
makes), records the SHA-256 of the signed Open Badges 3.0 credential baked into its card
badges after painting (none for a folder without one), and every file's size,
modification time and SHA-256: only the folders whose content key changed, or whose files
are not exactly what was written, are painted again; a folder whose content key is
current but whose credential changed (re-signed, after a key rotation, say) is re-baked,
not painted: only its card badges are read, given the new credential in place of the old
one, and written again. A build with nothing changed paints and bakes nothing.

The cache survives being killed at any moment (SIGKILL allows no cleanup):
- each folder painted or re-baked is appended to `.manifest.journal` as one JSON line as
  soon as its files are written, so an interrupted build keeps what it did (a folder
  stopped half-way through its re-baking holds files the manifest does not record, so
  it is painted again); the journal is folded into
  the manifest (written atomically) at the end of a build, and a torn last line is ignored;
- the render workers die with the build (PR_SET_PDEATHSIG on Linux, a watch on the parent
  elsewhere) instead of rendering on for nobody.

What is trusted, and why. A folder is reused only when its key is the one wanted and its
files are the recorded ones; a file whose size and modification time (in nanoseconds) are
as recorded is taken as unchanged without being read, and any other is hashed again and
compared with its SHA-256. So the cache trusts whoever wrote it not to have changed a
file's bytes while keeping its size and mtime (`os.utime` can set any mtime), because
hashing every file on every build would read the whole cache each time. That trust is
kept to the writers a build already trusts with its output:
- on a machine, the builds run there (whoever can write `.cache/badges` can write
  `public/` as well);
- in CI, only the default branch's runs save a cache that other runs restore: a pull
  request's run restores the default branch's caches, and what it saves is scoped to that
  pull request (GitHub's cache isolation by branch), so a pull request cannot plant files
  that the publishing run on the default branch reuses.
The manifest itself is read as untrusted data: a file or folder name is never a path or
hidden (`_NAME`), a manifest of another FORMAT is an empty cache (so is one of FORMAT 2,
from before the credentials were baked: every folder is painted again once), and an entry
that is not what this module writes is left out, so its folder is rendered again.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from socialmission.model.atomic import write_whole
from socialmission.model.mission import Mission
from socialmission.model.pledge import Pledge
from socialmission.model.problems import counted
from socialmission.model.progress import SILENT, Progress
from socialmission.model.workers import forking, start_worker
from socialmission.render.cairolib import cairo
from socialmission.render.design import Design, load_design
from socialmission.render.face import (
    Face,
    Masthead,
    badge_words,
    face_of,
    generic_face,
    masthead_of,
)
from socialmission.render.folder import CARD_FILES, bake_cards, render_face

MANIFEST = ".manifest.json"
JOURNAL = ".manifest.journal"  # one JSON line per folder rendered since the manifest
FORMAT = 3  # the manifest's layout; any other is read as an empty cache
# A folder or file name the cache writes: never a path, never hidden (hostile manifests
# must not make a build delete or read anything outside its folders).
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]*\Z")
_HASH_BLOCK = 1 << 20  # bytes read at a time when a file is hashed again
_DIGEST = re.compile(r"[0-9a-f]{64}\Z")

FileRecord = tuple[int, int, str]  # size in bytes, st_mtime_ns, SHA-256 (hex)


@dataclass(frozen=True)
class Entry:
    """What the cache knows of one folder: its content key, the files it wrote, and the
    SHA-256 of the credential baked into its card badges (None: none is)."""

    content: str
    files: dict[str, FileRecord]
    baked: str | None = None

    @property
    def published(self) -> str:
        """The key of the folder as it is published (published_key)."""
        return published_key(self.content, self.baked)


@dataclass(frozen=True)
class BuildResult:
    rendered: list[str]  # folders painted (and baked) this time
    reused: list[str]  # folders whose keys had not changed and whose files checked
    removed: list[str]
    entries: dict[str, Entry]  # every folder wanted, as the manifest now records it
    rebaked: list[str]  # folders only given a new credential: painted before, reused


def credential_digest(credential: str | None) -> str | None:
    """What the manifest records of the credential baked into a folder: its text's SHA-256
    (None for none)."""
    return None if credential is None else hashlib.sha256(credential.encode()).hexdigest()


def published_key(content: str, baked: str | None) -> str:
    """The key of what a folder holds once baked, the one the deployment's badge state
    records (site/deploy.py, site/published.py): the content key alone for a folder with
    no credential baked in, else the SHA-256 of the content key and the credential's
    digest, so a folder re-baked with another credential is not the one published."""
    if baked is None:
        return content
    return hashlib.sha256(f"{content} {baked}".encode()).hexdigest()


def content_key(design: Design, face: Face, masthead: Masthead) -> str:
    """Changes whenever anything a folder shows changes: the design, the face, and the
    registry's masthead (its social card)."""
    digest = hashlib.sha256(design.fingerprint.encode())
    digest.update(json.dumps([face.__dict__, masthead.__dict__], sort_keys=True,
                             ensure_ascii=False).encode())
    return digest.hexdigest()


def build_badges(root: Path, out: Path, mission: Mission, pledges: Iterable[Pledge],
                 base: str, *, workers: int | None = None,
                 progress: Callable[[str], None] | None = None,
                 said: Progress = SILENT,
                 credentials: Mapping[str, str] | None = None) -> BuildResult:
    """Bring `out` up to date: paint only the folders whose content changed or whose files
    are not the ones written, and bake into each signatory's card badges the credential
    `credentials` gives it (slug -> the signed credential's JSON text; none: nothing is
    baked), re-baking without painting a folder whose credential alone changed.
    `progress` is called with each folder painted or re-baked; `said` tells the stage and
    its count."""
    design = load_design(root)
    latest = mission.current.version
    words = badge_words(root)
    signatories = [face_of(p, base, latest, words=words) for p in pledges]
    faces = [generic_face(mission, words), *signatories]
    given = credentials or {}
    baked = {face.key: given.get(face.key) for face in signatories}  # generic: none
    masthead = masthead_of(root, mission, base)
    out.mkdir(parents=True, exist_ok=True)
    known, clean = load_entries(out)
    wanted = {face.key: Entry(content_key(design, face, masthead), {},
                              credential_digest(baked.get(face.key))) for face in faces}
    sorted_out = _sort(out, faces, known, wanted)
    entries, stale, rebake = sorted_out.entries, sorted_out.stale, sorted_out.rebake
    removed = sorted(set(known) - set(wanted))
    for key in removed:
        shutil.rmtree(out / key, ignore_errors=True)
    unchanged = len(faces) - len(stale) - len(rebake)
    jobs = [_Job(face, masthead, baked.get(face.key), None) for face in stale] + \
        [_Job(face, masthead, baked.get(face.key), entries.pop(face.key)) for face in rebake]
    if jobs:
        if stale:
            cairo()  # before the stage is said: without the library, its message alone
        said.stage(_stage(len(stale), len(rebake), unchanged), len(jobs))
        with _Journal(out / JOURNAL) as journal:
            for key, files in _write_all(root, out, jobs, workers):
                entries[key] = replace(wanted[key], files=files)
                journal.append(key, entries[key])
                said.step()
                if progress:
                    progress(key)
    else:
        said.stage(f"badges: {counted(unchanged, 'folder')}, all unchanged")
    if jobs or removed or not clean or not sorted_out.clean:
        write_manifest(out, entries)
    stale_keys, rebaked = {f.key for f in stale}, {f.key for f in rebake}
    return BuildResult(rendered=sorted(stale_keys),
                       reused=sorted(set(wanted) - stale_keys - rebaked), removed=removed,
                       entries=entries, rebaked=sorted(rebaked))


def _stage(painted: int, rebaked: int, unchanged: int) -> str:
    """What the build says it is doing to the badges."""
    parts = [f"rendering {counted(painted, 'badge folder')}"] if painted else []
    if rebaked:
        parts.append(f"baking a new credential into {counted(rebaked, 'badge folder')}")
    return f"{', '.join(parts)} ({unchanged} unchanged)"


@dataclass(frozen=True)
class _Sorted:
    entries: dict[str, Entry]  # the folders reused as they are
    stale: list[Face]  # to paint (and bake)
    rebake: list[Face]  # painted as wanted, but with another credential (or none) baked in
    clean: bool  # False: an entry's record changed (a file touched, not changed)


def _sort(out: Path, faces: list[Face], known: Mapping[str, Entry],
          wanted: Mapping[str, Entry]) -> _Sorted:
    """Which folders are reused, which painted, which only re-baked: a folder is reused
    only when its content key is current and its files are the ones recorded; it is
    re-baked when, so, it holds another credential than the one wanted."""
    entries: dict[str, Entry] = {}
    stale: list[Face] = []
    rebake: list[Face] = []
    clean = True
    for face in faces:
        entry = known.get(face.key)
        checked = None
        if entry is not None and entry.content == wanted[face.key].content:
            checked = verified(out / face.key, entry)
        if checked is None:
            stale.append(face)
            continue
        entries[face.key] = checked
        clean = clean and checked == entry  # a file was touched but not changed: record it
        if checked.baked != wanted[face.key].baked:
            rebake.append(face)
    return _Sorted(entries, stale, rebake, clean)


# --- the manifest and its journal ---------------------------------------------------------
def load_entries(out: Path) -> tuple[dict[str, Entry], bool]:
    """The entries of the manifest with the journal replayed over them, and whether the
    manifest alone held them all (False: it must be written again). Anything unreadable
    or malformed is left out, so its folder is rendered again."""
    clean = True
    try:
        document = json.loads((out / MANIFEST).read_bytes())
    except FileNotFoundError:
        document, clean = {}, not (out / JOURNAL).exists()
    except (OSError, ValueError):
        document, clean = {}, False
    folders = document.get("folders") if isinstance(document, dict) and \
        document.get("format") == FORMAT else None
    entries: dict[str, Entry] = {}
    if isinstance(folders, dict):
        for key, value in folders.items():
            entry = _entry(key, value)
            if entry is None:
                clean = False
            else:
                entries[key] = entry
    elif document:
        clean = False
    try:
        journal = (out / JOURNAL).read_bytes()
    except FileNotFoundError:
        journal = b""
    except OSError:
        journal, clean = b"", False
    for line in journal.split(b"\n")[:-1]:  # the text after the last newline is torn
        clean = False
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and isinstance(record.get("key"), str):
            entry = _entry(record["key"], record)
            if entry is not None:
                entries[record["key"]] = entry
    if journal:
        clean = False
    return entries, clean


def _entry(key: object, value: object) -> Entry | None:
    """An entry from its JSON form, or None when any part of it is not what the cache
    writes."""
    if not isinstance(key, str) or not _NAME.match(key) or not isinstance(value, dict):
        return None
    content, files, baked = value.get("content"), value.get("files"), value.get("baked")
    if not isinstance(content, str) or not isinstance(files, dict) or not (
            baked is None or (isinstance(baked, str) and _DIGEST.match(baked))):
        return None
    records: dict[str, FileRecord] = {}
    for name, record in files.items():
        if not (isinstance(name, str) and _NAME.match(name) and isinstance(record, list)
                and len(record) == 3 and all(type(n) is int and n >= 0 for n in record[:2])
                and isinstance(record[2], str)):
            return None
        records[name] = (record[0], record[1], record[2])
    return Entry(content, records, baked)


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {"content": entry.content, "baked": entry.baked,
            "files": {name: list(record) for name, record in sorted(entry.files.items())}}


def write_manifest(out: Path, entries: dict[str, Entry]) -> None:
    """The manifest with every entry, written atomically; then the journal it folds in
    is dropped (a kill between the two only replays entries the manifest already has)."""
    document = {"format": FORMAT,
                "folders": {key: _entry_json(entries[key]) for key in sorted(entries)}}
    write_whole(out / MANIFEST,
                  (json.dumps(document, separators=(",", ":")) + "\n").encode())
    (out / JOURNAL).unlink(missing_ok=True)


class _Journal:
    """The append-only record of the folders rendered by a build that has not finished."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = -1

    def __enter__(self) -> _Journal:
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        # A line torn by a kill ends at the next newline, so the first entry still reads.
        if os.fstat(self.fd).st_size:
            os.write(self.fd, b"\n")
        return self

    def append(self, key: str, entry: Entry) -> None:
        line = json.dumps({"key": key, **_entry_json(entry)}, separators=(",", ":"))
        data = memoryview((line + "\n").encode())
        while data:  # one write() on a regular file; the loop only guards against short ones
            data = data[os.write(self.fd, data):]

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)


def verified(folder: Path, entry: Entry) -> Entry | None:
    """`entry` (with fresh mtimes where a file was touched but not changed) when `folder`
    holds exactly its files, as regular files with the recorded bytes; else None. A file
    whose size and mtime are as recorded is taken as unchanged; any other is hashed."""
    try:
        with os.scandir(folder) as listing:
            found = {e.name: e for e in listing if not e.name.startswith(".")}
    except OSError:
        return None
    if found.keys() != entry.files.keys():
        return None
    touched: dict[str, FileRecord] = {}
    for name, (size, mtime, digest) in entry.files.items():
        try:
            info = found[name].stat(follow_symlinks=False)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or info.st_size != size:
            return None
        if info.st_mtime_ns != mtime:
            if _file_digest(Path(found[name].path)) != digest:
                return None
            touched[name] = (size, info.st_mtime_ns, digest)
    return replace(entry, files=entry.files | touched) if touched else entry


def _file_digest(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as file:
            while block := file.read(_HASH_BLOCK):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


# --- painting and baking, on all cores ----------------------------------------------------
@dataclass(frozen=True)
class _Job:
    """One folder to write: painted afresh when `painted` is None, else (its files being
    those recorded in `painted`) only re-baked with `credential`."""

    face: Face
    masthead: Masthead
    credential: str | None
    painted: Entry | None


def _write_all(root: Path, out: Path, jobs: list[_Job],
               workers: int | None) -> Iterator[tuple[str, dict[str, FileRecord]]]:
    count = workers or os.cpu_count() or 1
    if count == 1 or len(jobs) < 4:
        for job in jobs:
            yield _write_folder(root, out, job)
        return
    # fork: the workers inherit the loaded fonts, templates and cairo instead of loading
    # them again
    cairo()
    # The workers leave a Ctrl-C to the command (model/workers.py); on one, the chunks not
    # yet handed out are dropped, and the journalled manifest keeps what was written.
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=count, mp_context=context,
                               initializer=start_worker, initargs=(os.getpid(),))
    try:
        with forking():  # map submits every chunk at once, forking the workers
            results = pool.map(_write_folder, [root] * len(jobs), [out] * len(jobs), jobs,
                               chunksize=max(1, min(64, len(jobs) // (count * 8) or 1)))
        yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _write_folder(root: Path, out: Path, job: _Job) -> tuple[str, dict[str, FileRecord]]:
    """Paint and bake one folder, or only re-bake it; its files, with what the manifest
    records of each."""
    if job.painted is not None:
        try:
            return job.face.key, _rebake_into(out / job.face.key, job.painted, job.credential)
        except (OSError, ValueError):  # not the files painted after all: paint them again
            pass
    files = render_face(load_design(root), job.face, job.masthead)
    if job.credential is not None:  # painted afresh: nothing to take out when None
        files.update(bake_cards(files, job.credential))
    return job.face.key, _write_into(out / job.face.key, files)


def _rebake_into(folder: Path, painted: Entry, credential: str | None) -> dict[str, FileRecord]:
    """Read the folder's card badges, bake `credential` into them in place of the one
    baked before, and write them again; the folder's files as the manifest records them."""
    cards = {name: (folder / name).read_bytes() for name in CARD_FILES}
    records = dict(painted.files)
    for name, data in bake_cards(cards, credential).items():
        records[name] = _write_file(folder / name, data)
    return records


def _write_into(folder: Path, files: dict[str, bytes]) -> dict[str, FileRecord]:
    """Write one folder's files, and nothing else in it; what the manifest records of each."""
    folder.mkdir(parents=True, exist_ok=True)
    with os.scandir(folder) as listing:  # an edited cache may hold anything
        extra = [entry for entry in listing if entry.name not in files]
    for entry in extra:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            Path(entry.path).unlink()
    records: dict[str, FileRecord] = {}
    for name, data in files.items():
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        records[name] = _write_file(path, data)
    return records


def _write_file(path: Path, data: bytes) -> FileRecord:
    write_whole(path, data)
    info = path.stat()
    return info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest()
