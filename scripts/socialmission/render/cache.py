"""The rendered badges of the whole registry, brought up to date incrementally on all cores.

`.cache/badges/<slug>/` holds one signatory's files (folder.py), and `.manifest.json` keys
each folder by what it shows and by the design's fingerprint: only the folders whose key
changed are rendered again.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from socialmission.model.mission import Mission
from socialmission.model.pledge import Pledge
from socialmission.render.design import Design, load_design
from socialmission.render.face import Face, face_of, generic_face
from socialmission.render.folder import render_face
from socialmission.render.raster import cairosvg_module

MANIFEST = ".manifest.json"


@dataclass(frozen=True)
class BuildResult:
    rendered: list[str]  # folders rendered this time
    reused: list[str]  # folders whose content key had not changed
    removed: list[str]


def content_key(design: Design, face: Face) -> str:
    digest = hashlib.sha256(design.fingerprint.encode())
    digest.update(json.dumps(face.__dict__, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def build_badges(root: Path, out: Path, mission: Mission, pledges: Iterable[Pledge],
                 base: str, *, workers: int | None = None,
                 progress: Callable[[str], None] | None = None) -> BuildResult:
    """Bring `out` up to date: re-render only the folders whose content changed."""
    design = load_design(root)
    latest = mission.current.version
    faces = [generic_face(mission), *(face_of(p, base, latest) for p in pledges)]
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST
    try:
        manifest: dict[str, str] = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    wanted = {face.key: content_key(design, face) for face in faces}
    stale = [f for f in faces if manifest.get(f.key) != wanted[f.key]
             or not (out / f.key).is_dir()]
    removed = sorted(set(manifest) - set(wanted))
    for key in removed:
        shutil.rmtree(out / key, ignore_errors=True)
    # Forget the stale entries first: an interrupted run then re-renders them next time.
    manifest = {k: v for k, v in manifest.items() if k in wanted and
                k not in {f.key for f in stale}}
    _write_atomic(manifest_path, _manifest_bytes(manifest))
    for key in _render_all(root, out, stale, workers):
        manifest[key] = wanted[key]
        if progress:
            progress(key)
    _write_atomic(manifest_path, _manifest_bytes(manifest))
    stale_keys = {f.key for f in stale}
    return BuildResult(rendered=sorted(stale_keys),
                       reused=sorted(set(wanted) - stale_keys), removed=removed)


def _manifest_bytes(manifest: dict[str, str]) -> bytes:
    return (json.dumps(manifest, sort_keys=True, indent=0) + "\n").encode()


def _render_all(root: Path, out: Path, faces: list[Face], workers: int | None) -> Iterator[str]:
    count = workers or os.cpu_count() or 1
    if count == 1 or len(faces) < 4:
        for face in faces:
            yield _render_into(root, out, face)
        return
    # fork: the workers inherit the loaded fonts, templates and cairosvg instead of loading
    # them again
    cairosvg_module()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        yield from pool.map(_render_into, [root] * len(faces), [out] * len(faces), faces,
                            chunksize=max(1, min(64, len(faces) // (count * 8) or 1)))


def _render_into(root: Path, out: Path, face: Face) -> str:
    files = render_face(load_design(root), face)
    folder = out / face.key
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        _write_atomic(folder / name, data)
    return face.key


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    temporary.write_bytes(data)
    temporary.replace(path)
