"""`socialmission build`: the whole site, written atomically, by MkDocs, ProperDocs or
Zensical: generate (site/tree.py) -> engine -> fill (site/fill.py) -> publish.

The engine cleans and rewrites its output folder in place, so a failed or interrupted build
can leave a half-written site. This builds into a fresh folder beside the target, and only
a complete, strict build replaces the previous output, in one exchange of names (renameat2
RENAME_EXCHANGE where the kernel has it, else two renames a moment apart).

A build killed outright (SIGKILL, a power cut) leaves its fresh folder, or the previous
output it was removing, beside the target: `.public.new-<pid>-*` or `.public.old-<pid>-*`.
Each build holds an exclusive lock (flock) on the folders it is working in, which the
system drops when the build ends in any way; the next build removes every such folder
whose lock it can take, that is, whose build is gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from socialmission.errors import BuildError
from socialmission.mkdocs import uptodate
from socialmission.mkdocs.engine import choose, command
from socialmission.model.settings import site_url
from socialmission.site import fill
from socialmission.site.generator import (
    GenerationError,
    SiteContent,
    generate,
    link_or_copy,
    place_folders,
)
from socialmission.site.sitemap import sitemap
from socialmission.site.tree import SITE, Tree, shell_values, write_tree

NEW = "new"  # the fresh folder a build writes
OLD = "old"  # the previous output, being removed

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def _prefix(target: Path, kind: str) -> str:
    return f".{target.name}.{kind}-"


@contextlib.contextmanager
def _held(folder: Path) -> Iterator[bool]:
    """An exclusive lock on `folder` while the block runs: True if it was taken, False if
    a live process holds it (or the folder cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def remove_abandoned(target: Path) -> list[Path]:
    """Remove the fresh and old folders that killed builds of `target` left beside it
    (those whose lock is free); returns them. Folders of builds still running stay."""
    prefixes = (_prefix(target, NEW), _prefix(target, OLD))
    try:
        with os.scandir(target.parent) as listing:
            found = sorted(Path(e.path) for e in listing if e.name.startswith(prefixes)
                           and e.is_dir(follow_symlinks=False))
    except FileNotFoundError:
        return []
    removed = []
    for folder in found:
        with _held(folder) as free:
            if free:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def _lock(folder: Path) -> int:
    """Hold an exclusive lock on `folder` until the returned descriptor is closed."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def replace_folder(new: Path, target: Path) -> None:
    """Put `new` in `target`'s place; the old output is removed only afterwards (and if
    that is interrupted, by the next build: see remove_abandoned)."""
    if not target.exists():
        new.rename(target)
        return
    if _exchange(new, target):
        old = new  # `new` now names the old output
    else:
        old = Path(tempfile.mkdtemp(prefix=f"{_prefix(target, OLD)}{os.getpid()}-",
                                    dir=target.parent))
        target.rename(old)  # onto the empty folder just made, so the name stays ours
        new.rename(target)
    try:
        fd = _lock(old)
    except OSError:  # another build found it first and removed it
        return
    try:
        shutil.rmtree(old, ignore_errors=True)  # another build may be removing it too
    finally:
        os.close(fd)


def build_site(root: Path, out: Path, *, engine: str | None = None,
               published_badges: dict[str, str] | None = None,
               skip_if_current: bool = False,
               inputs: uptodate.Stamp | None = None) -> BuildReport:
    """Generate the engine's input, run the strict engine, fill the pages it left to the
    fill, write the generator's files, and swap the complete site into `out`. The engine
    is `engine` (--engine), else $SOCIALMISSION_ENGINE, else MkDocs (see engine.py).
    `published_badges`: the badge state kept beside the deployment (site/published.py).
    `skip_if_current`: do nothing when the last build of `out` had the same inputs and
    `out` is as it left it (uptodate.py; never with `published_badges`). `inputs`: the
    inputs' stamp, where the caller has it already."""
    name = choose(engine)
    base = site_url(root)
    out = out.resolve()
    now = inputs or uptodate.stamp(root, name, base)
    if skip_if_current:
        last = uptodate.current(root, out, now, for_deployment=published_badges is not None)
        if last is not None:
            return BuildReport(name, last.signatories, last.pages, 0, [], skipped=True,
                               inputs=now.files)
    uptodate.forget(root, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned(out)
    staging = Path(tempfile.mkdtemp(prefix=f"{_prefix(out, NEW)}{os.getpid()}-",
                                    dir=out.parent))
    lock = _lock(staging)
    try:
        try:
            try:
                content = generate(root, base, published=published_badges)
            except GenerationError as error:
                raise BuildError(f"the site was not built, and {out} is unchanged: "
                                 f"{error}") from None
            tree = write_tree(root, content, base)
            _build_into(name, content, tree, base, staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        staging.chmod(0o755)  # mkdtemp makes it private; a web server must read it
        replace_folder(staging, out)
    finally:
        os.close(lock)
    report = BuildReport(name, len(content.pledges), len(_published_pages(tree)),
                         tree.written, sorted(content.published), inputs=now.files)
    if published_badges is None:
        with contextlib.suppress(OSError):  # no stamp: the next build builds, that is all
            uptodate.record(root, out, now, report.signatories, report.pages)
    return report


def _published_pages(tree: Tree) -> list[str]:
    """Every page of the site, by source path: the engine's but its shells, and the filled."""
    return sorted({*(p for p in tree.pages if p not in tree.shells), *tree.filled})


class BuildReport(NamedTuple):
    engine: str
    signatories: int
    pages: int
    written: int  # files of the engine's input that changed
    published: list[str]  # signatories whose badges the deployment holds already
    skipped: bool = False  # nothing changed since the last build: nothing was done
    inputs: int = 0  # the input files the up-to-date check hashed


def run_engine(name: str, tree: Tree) -> Path:
    """Run the engine's strict build of the tree; returns its output folder."""
    output = tree.root / SITE
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # the config's path absolute: relative to here (--root relative), it is not from cwd
    result = subprocess.run(command(name, tree.config(name).resolve()), check=False,
                            env=environment, cwd=tree.root)
    if result.returncode != 0:
        raise BuildError(f"the site engine {name} failed (exit {result.returncode}): the site "
                         f"was not built, and the output is unchanged (its messages are above)")
    return output


def _build_into(name: str, content: SiteContent, tree: Tree, base: str,
                staging: Path) -> None:
    output = run_engine(name, tree)
    missing = [source for source in tree.pages
               if not (output / _html_path(source)).is_file()]
    if missing:
        raise BuildError(f"the site engine {name} did not write {len(missing)} of the "
                         f"{len(tree.pages)} pages it was given, and the site was not "
                         f"built: " + ", ".join(missing))
    for entry in sorted(os.scandir(output), key=lambda e: e.name):
        _move(Path(entry.path), staging / entry.name)
    shells = {}
    for source in sorted(set(tree.filled.values())):
        page = staging / _html_path(source)
        holes = (fill.BODY,) if source not in tree.shells else \
            (*fill.SIGNATORY_HOLES, fill.slug_hole(tree.shells[source]))
        try:
            shells[source] = fill.prepare(page.read_text(encoding="utf-8"), holes, source)
        except fill.ShellError as error:
            raise BuildError(str(error)) from None
    for source in tree.shells:
        shutil.rmtree((staging / _html_path(source)).parent)
    folders = _Folders()  # one mkdir a folder, not one a file (a tenth of the fill)
    for source, shell in sorted(tree.filled.items()):
        values: dict[str, str | list[str]] = shell_values(content, source, base) \
            if shell in tree.shells else {"body": content.bodies[source].html}
        try:
            html = shells[shell].fill(values)
        except fill.ShellError as error:
            raise BuildError(f"{source}: {error}") from None
        target = staging / _html_path(source)
        folders.make(target.parent)
        target.write_text(html, encoding="utf-8")
    for site_path, data in sorted(tree.after.items()):
        target = staging / site_path
        folders.make(target.parent)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            link_or_copy(data, target)
    place_folders(content, staging)
    for site_path, data in sitemap(base, _published_pages(tree)).items():
        (staging / site_path).write_bytes(data)
    # the engine's own search index, 404 page and assets stay; its sitemap is replaced


class _Folders:
    """Folders made so far in this build."""

    def __init__(self) -> None:
        self.made: set[Path] = set()

    def make(self, folder: Path) -> None:
        if folder not in self.made:
            folder.mkdir(parents=True, exist_ok=True)
            self.made.add(folder)


def _html_path(source: str) -> str:
    """Where the engine writes a page (directory URLs): `a/b.md`, `a/b/index.md` ->
    `a/b/index.html`; `index.md` -> `index.html`."""
    stem = source.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return f"{stem}.html"
    return f"{stem}/index.html"


def _move(source: Path, target: Path) -> None:
    try:
        source.rename(target)
    except OSError:  # another file system
        shutil.move(source, target)
