"""The rendered badges of the whole registry, brought up to date incrementally on all cores.

`.cache/badges/<slug>/` holds one signatory's files (folder.py). `.manifest.json` keys each
folder by what it shows and by the design's fingerprint, and records every file's size,
modification time and SHA-256: only the folders whose key changed, or whose files are not
exactly what was rendered, are rendered again.

The cache survives being killed at any moment (SIGKILL allows no cleanup):
- each folder rendered is appended to `.manifest.journal` as one JSON line as soon as it
  is written, so an interrupted build keeps what it rendered; the journal is folded into
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
hidden (`_NAME`), a manifest of another FORMAT is an empty cache, and an entry that is not
what this module writes is left out, so its folder is rendered again.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
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
from socialmission.render.folder import render_face

MANIFEST = ".manifest.json"
JOURNAL = ".manifest.journal"  # one JSON line per folder rendered since the manifest
FORMAT = 2  # the manifest's layout; any other is read as an empty cache
# A folder or file name the cache writes: never a path, never hidden (hostile manifests
# must not make a build delete or read anything outside its folders).
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]*\Z")
_HASH_BLOCK = 1 << 20  # bytes read at a time when a file is hashed again

FileRecord = tuple[int, int, str]  # size in bytes, st_mtime_ns, SHA-256 (hex)


@dataclass(frozen=True)
class Entry:
    """What the cache knows of one folder: its content key and the files it wrote."""

    content: str
    files: dict[str, FileRecord]


@dataclass(frozen=True)
class BuildResult:
    rendered: list[str]  # folders rendered this time
    reused: list[str]  # folders whose content key had not changed and whose files checked
    removed: list[str]
    entries: dict[str, Entry]  # every folder wanted, as the manifest now records it


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
                 said: Progress = SILENT) -> BuildResult:
    """Bring `out` up to date: re-render only the folders whose content changed or whose
    files are not the ones rendered. `progress` is called with each folder rendered;
    `said` tells the stage and its count."""
    design = load_design(root)
    latest = mission.current.version
    words = badge_words(root)
    faces = [generic_face(mission, words),
             *(face_of(p, base, latest, words=words) for p in pledges)]
    masthead = masthead_of(root, mission, base)
    out.mkdir(parents=True, exist_ok=True)
    known, clean = load_entries(out)
    wanted = {face.key: content_key(design, face, masthead) for face in faces}
    entries: dict[str, Entry] = {}
    stale: list[Face] = []
    for face in faces:
        entry = known.get(face.key)
        checked = None
        if entry is not None and entry.content == wanted[face.key]:
            checked = verified(out / face.key, entry)
        if checked is None:
            stale.append(face)
            continue
        entries[face.key] = checked
        clean = clean and checked == entry  # a file was touched but not changed: record it
    removed = sorted(set(known) - set(wanted))
    for key in removed:
        shutil.rmtree(out / key, ignore_errors=True)
    unchanged = len(faces) - len(stale)
    if stale:
        cairo()  # before the stage is said: without the library, its message alone
        said.stage(f"rendering {counted(len(stale), 'badge folder')} ({unchanged} unchanged)",
                   len(stale))
        with _Journal(out / JOURNAL) as journal:
            for key, files in _render_all(root, out, stale, masthead, workers):
                entries[key] = Entry(wanted[key], files)
                journal.append(key, entries[key])
                said.step()
                if progress:
                    progress(key)
    else:
        said.stage(f"badges: {counted(unchanged, 'folder')}, all unchanged")
    if stale or removed or not clean:
        write_manifest(out, entries)
    stale_keys = {f.key for f in stale}
    return BuildResult(rendered=sorted(stale_keys),
                       reused=sorted(set(wanted) - stale_keys), removed=removed,
                       entries=entries)


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
    content, files = value.get("content"), value.get("files")
    if not isinstance(content, str) or not isinstance(files, dict):
        return None
    records: dict[str, FileRecord] = {}
    for name, record in files.items():
        if not (isinstance(name, str) and _NAME.match(name) and isinstance(record, list)
                and len(record) == 3 and all(type(n) is int and n >= 0 for n in record[:2])
                and isinstance(record[2], str)):
            return None
        records[name] = (record[0], record[1], record[2])
    return Entry(content, records)


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {"content": entry.content,
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
    return Entry(entry.content, entry.files | touched) if touched else entry


def _file_digest(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as file:
            while block := file.read(_HASH_BLOCK):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


# --- rendering, on all cores --------------------------------------------------------------
def _render_all(root: Path, out: Path, faces: list[Face], masthead: Masthead,
                workers: int | None) -> Iterator[tuple[str, dict[str, FileRecord]]]:
    count = workers or os.cpu_count() or 1
    if count == 1 or len(faces) < 4:
        for face in faces:
            yield _render_into(root, out, face, masthead)
        return
    # fork: the workers inherit the loaded fonts, templates and cairo instead of loading
    # them again
    cairo()
    # The workers leave a Ctrl-C to the command (model/workers.py); on one, the chunks not
    # yet handed out are dropped, and the journalled manifest keeps what was rendered.
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=count, mp_context=context,
                               initializer=start_worker, initargs=(os.getpid(),))
    try:
        with forking():  # map submits every chunk at once, forking the workers
            results = pool.map(_render_into, [root] * len(faces), [out] * len(faces), faces,
                               [masthead] * len(faces),
                               chunksize=max(1, min(64, len(faces) // (count * 8) or 1)))
        yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _render_into(root: Path, out: Path, face: Face,
                 masthead: Masthead) -> tuple[str, dict[str, FileRecord]]:
    """Render one folder; its files, and nothing else in it, with what the manifest
    records of each."""
    files = render_face(load_design(root), face, masthead)
    folder = out / face.key
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
        write_whole(path, data)
        info = path.stat()
        records[name] = (info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest())
    return face.key, records
