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

A build costs what changed, not what the registry holds: the previous output is not
removed after the exchange but kept beside the target (`.public.base`), and the next build
takes it as its fresh folder and brings it up to date, writing only the files whose key
differs and removing those no longer produced. A record in .cache/builds/ (beside the
up-to-date stamp, uptodate.py) holds, for each kept tree (by its folder's device and
inode), every file's key (what its bytes are made of: a hash of the bytes or of what fills
the page; a badge file's SHA-256 from the badge cache) with its size, modification time
(nanoseconds) and inode as they were written. A file of the base that is not exactly as
recorded (edited, replaced, added by hand) is removed and written again; one the record
does not know is removed; so a base edited by hand, half removed, or given back by a failed
build is repaired, never published as it is (a file
rewritten in place with the same size and its time set back by hand would go unnoticed, as
in uptodate.py). The record is trusted as the badge cache's manifest is (render/cache.py
says why): whoever can write it can write the target. The engine's own output (a handful
of pages, its assets and search index) is moved in on every build. Nothing is ever written
through a file of the base: it may be a hard link into the badge cache, so a file is
removed before it is written. A build takes the base under its lock and renames it to its
own `.public.new-<pid>-*`, so a build killed while bringing it up to date leaves a folder
the next build removes (and that build writes every file).

A Ctrl-C is held back over the exchange (two renames where renameat2 is missing), so it
never leaves the target missing, and the build says truly which the target holds: the
previous output, as it was, or the new site, complete (Interrupted).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from socialmission.errors import BuildError, Interrupted
from socialmission.mkdocs import uptodate
from socialmission.mkdocs.engine import choose, command
from socialmission.model.problems import counted
from socialmission.model.progress import SILENT, Progress
from socialmission.model.settings import site_url
from socialmission.site import fill
from socialmission.site.generator import (
    GenerationError,
    SiteContent,
    generate,
    link_or_copy,
)
from socialmission.site.sitemap import sitemap
from socialmission.site.tree import SITE, Tree, shell_values, write_tree

NEW = "new"  # the fresh folder a build writes
OLD = "old"  # the previous output, being removed
BASE = "base"  # the previous output, kept for the next build to bring up to date
RECORDS_FORMAT = 1  # of the record of the kept trees; any other is no record

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


def replace_folder(new: Path, target: Path, *, keep: Path | None = None,
                   swapped: Callable[[], None] = lambda: None) -> Path | None:
    """Put `new` in `target`'s place, calling `swapped` as it is done (a Ctrl-C is held
    back until both are: see _uninterrupted). The old output is then moved to `keep` (the
    next build's base) where that is given and free, and returned; else it is removed (and
    if that is interrupted, by the next build: see remove_abandoned) and None returned."""
    with _uninterrupted():
        if not target.exists():
            new.rename(target)
            swapped()
            return None
        if _exchange(new, target):
            old = new  # `new` now names the old output
        else:
            old = Path(tempfile.mkdtemp(prefix=f"{_prefix(target, OLD)}{os.getpid()}-",
                                        dir=target.parent))
            target.rename(old)  # onto the empty folder just made, so the name stays ours
            new.rename(target)
        swapped()
    with _held(old) as free:
        if not free:  # another build found it first and is removing it
            return None
        if keep is not None and not keep.exists():
            try:
                old.rename(keep)
            except OSError:
                pass
            else:
                return keep
        shutil.rmtree(old, ignore_errors=True)  # another build may be removing it too
    return None


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """SIGINT held back while the block runs, and delivered after it: without renameat2
    the swap is two renames, and a Ctrl-C between them would leave no output at all; and
    what the build says when interrupted (Interrupted) must be what it did."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _base(target: Path) -> Path:
    """The previous output, kept for the next build to bring up to date."""
    return target.parent / f".{target.name}.{BASE}"


def _records_path(root: Path, target: Path, tree: str) -> Path:
    """What the kept tree `tree` of `target` holds (see the module's docstring): beside
    the up-to-date stamp, out of the published folder and of what is beside it; one file a
    tree, so a build writes only the record of the tree it wrote."""
    stamp = uptodate.stamp_file(root, target)
    return stamp.with_name(f"{stamp.stem}.tree-{tree}.json")


Record = tuple[str, int, int, int]  # key, size, st_mtime_ns, inode
Records = dict[str, Record]  # site path -> its record


def _tree_id(info: os.stat_result) -> str:
    return f"{info.st_dev}-{info.st_ino}"


def _read_records(root: Path, target: Path, tree: str) -> Records:
    """The record of a kept tree; anything malformed is left out (those files are then
    written again)."""
    try:
        document = json.loads(_records_path(root, target, tree).read_bytes())
    except (OSError, ValueError):
        return {}
    files = document.get("files") if isinstance(document, dict) and \
        document.get("format") == RECORDS_FORMAT else None
    records: Records = {}
    if not isinstance(files, dict):
        return records
    # A path here is only ever looked up for a file found in the base, never opened.
    for path, record in files.items():
        if type(record) is list and len(record) == 4:
            key, size, mtime, inode = record
            if type(key) is str and type(size) is int and type(mtime) is int and \
                    type(inode) is int:
                records[path] = (key, size, mtime, inode)
    return records


def _write_records(root: Path, target: Path, tree: str, records: Records,
                   keep: set[str]) -> None:
    """Write the record of `tree`; remove those of `target`'s trees not in `keep`."""
    document = {"format": RECORDS_FORMAT, "files": records}  # a record is a JSON array
    path = _records_path(root, target, tree)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    temporary.write_bytes((json.dumps(document, separators=(",", ":")) + "\n").encode())
    temporary.replace(path)
    wanted = {_records_path(root, target, kept).name for kept in {tree, *keep}}
    for other in path.parent.glob(_records_path(root, target, "*").name):
        if other.name not in wanted:
            other.unlink(missing_ok=True)


def _take_staging(root: Path, target: Path) -> tuple[Path, int, Records]:
    """This build's fresh folder, locked (the descriptor holds the lock), and what the
    record says it holds: the base where no other build holds it, else an empty folder."""
    staging = Path(tempfile.mkdtemp(prefix=f"{_prefix(target, NEW)}{os.getpid()}-",
                                    dir=target.parent))
    try:
        fd = os.open(_base(target), os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return staging, _lock(staging), {}
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        _base(target).rename(staging)  # onto the empty folder: the name is this build's
    except OSError:  # another build holds or took the base
        os.close(fd)
        return staging, _lock(staging), {}
    held = _tree_id(os.fstat(fd))
    if _tree_id(staging.stat()) != held:  # another base took its name meanwhile: not ours
        os.close(fd)
        return staging, _lock(staging), {}  # (emptied: nothing in it is trusted)
    return staging, fd, _read_records(root, target, held)


def _give_back(staging: Path, target: Path, records: Records) -> None:
    """A failed build's folder: the base again if it was the base and that is free (what
    it holds is checked against the record as ever), else removed."""
    base = _base(target)
    if records and not base.exists():
        try:
            staging.rename(base)
        except OSError:
            pass
        else:
            return
    shutil.rmtree(staging, ignore_errors=True)


def build_site(root: Path, out: Path, *, engine: str | None = None,
               published_badges: dict[str, str] | None = None,
               skip_if_current: bool = False,
               inputs: uptodate.Stamp | None = None, said: Progress = SILENT) -> BuildReport:
    """Generate the engine's input, run the strict engine, fill the pages it left to the
    fill, write the generator's files, and swap the complete site into `out`. The engine
    is `engine` (--engine), else $SOCIALMISSION_ENGINE, else MkDocs (see engine.py).
    `published_badges`: the badge state kept beside the deployment (site/published.py).
    `skip_if_current`: do nothing when the last build of `out` had the same inputs and
    `out` is as it left it (uptodate.py; never with `published_badges`). `inputs`: the
    inputs' stamp, where the caller has it already. `said` tells each stage. A Ctrl-C
    raises Interrupted, saying whether `out` is as it was or holds the new site."""
    name = choose(engine)
    base = site_url(root)
    out = out.resolve()
    now = inputs or uptodate.stamp(root, name, base)
    if skip_if_current:
        last = uptodate.current(root, out, now, for_deployment=published_badges is not None)
        if last is not None:
            return BuildReport(name, last.signatories, last.pages, 0, [], skipped=True,
                               inputs=now.files)
    existed = out.exists()
    published: list[bool] = []
    try:
        return _build(root, out, name, base, now=now, published_badges=published_badges,
                      said=said, swapped=lambda: published.append(True))
    except KeyboardInterrupt:
        if published:
            raise Interrupted(f"{out} holds the new site, complete (it was published "
                              "before the Ctrl-C)") from None
        raise Interrupted(f"{out} is as it was: the new site was not published" if existed
                          else f"no site was published ({out} was not made)") from None


def _build(root: Path, out: Path, name: str, base: str, *, now: uptodate.Stamp,
           published_badges: dict[str, str] | None, said: Progress,
           swapped: Callable[[], None]) -> BuildReport:
    uptodate.forget(root, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned(out)
    staging, lock, records = _take_staging(root, out)
    try:
        try:
            try:
                content = generate(root, base, published=published_badges, said=said)
            except GenerationError as error:
                raise BuildError(f"the site was not built, and {out} is unchanged: "
                                 f"{error}") from None
            tree = write_tree(root, content, base)
            folder = _Staging(staging, records)
            written = _build_into(name, content, tree, base, folder, said=said)
        except BaseException:
            _give_back(staging, out, records)
            raise
        staging.chmod(0o755)  # mkdtemp makes it private; a web server must read it
        built = _tree_id(os.fstat(lock))
        # the old output is kept as the next base only when its record is there
        recorded = out.exists() and _records_path(root, out, _tree_id(out.stat())).is_file()
        kept = replace_folder(staging, out, keep=_base(out) if recorded else None,
                              swapped=swapped)
    finally:
        os.close(lock)
    with contextlib.suppress(OSError):  # no record: the next build writes every file
        _write_records(root, out, built, written,
                       {_tree_id(kept.stat())} if kept is not None else set())
    report = BuildReport(name, len(content.pledges), len(_published_pages(tree)),
                         tree.written, sorted(content.published), inputs=now.files)
    if published_badges is None:
        with contextlib.suppress(OSError):  # no stamp: the next build builds, that is all
            uptodate.record(root, out, now, report.signatories, report.pages,
                            known=folder.fingerprint(out))
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


def run_engine(name: str, tree: Tree, said: Progress = SILENT) -> Path:
    """Run the engine's strict build of the tree; returns its output folder. Quiet, its
    messages are kept back, and written only if it fails."""
    output = tree.root / SITE
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    said.stage(f"{name}: building {counted(len(tree.pages), 'page')}")
    said.keep()  # the engine's own lines follow
    # the config's path absolute: relative to here (--root relative), it is not from cwd
    result = subprocess.run(command(name, tree.config(name).resolve()), check=False,
                            env=environment, cwd=tree.root, stdout=subprocess.PIPE if
                            said.quiet else None, stderr=subprocess.STDOUT if said.quiet
                            else None)
    if result.returncode != 0:
        if said.quiet:
            sys.stderr.buffer.write(result.stdout)
            sys.stderr.flush()
        raise BuildError(f"the site engine {name} failed (exit {result.returncode}): the site "
                         f"was not built, and the output is unchanged (its messages are above)")
    return output


def _build_into(name: str, content: SiteContent, tree: Tree, base: str,
                staging: _Staging, *, said: Progress) -> Records:
    """Bring `staging` up to date with the site; returns its record."""
    output = run_engine(name, tree, said)
    missing = [source for source in tree.pages
               if not (output / _html_path(source)).is_file()]
    if missing:
        raise BuildError(f"the site engine {name} did not write {len(missing)} of the "
                         f"{len(tree.pages)} pages it was given, and the site was not "
                         f"built: " + ", ".join(missing))
    shells = {}
    shell_keys = {}
    for source in sorted(set(tree.filled.values())):
        page = output / _html_path(source)
        holes = (fill.BODY,) if source not in tree.shells else \
            (*fill.SIGNATORY_HOLES, fill.slug_hole(tree.shells[source]))
        text = page.read_text(encoding="utf-8")
        try:
            shells[source] = fill.prepare(text, holes, source)
        except fill.ShellError as error:
            raise BuildError(str(error)) from None
        shell_keys[source] = _digest(text.encode("utf-8"))
    said.stage(f"filling {counted(len(tree.filled), 'page')}", len(tree.filled))
    for source, shell in sorted(tree.filled.items()):
        said.step()
        values: dict[str, str | list[str]] = shell_values(content, source, base) \
            if shell in tree.shells else {"body": content.bodies[source].html}
        key = _digest(json.dumps([shell_keys[shell], values], ensure_ascii=False,
                                 sort_keys=True).encode("utf-8"))
        target = _html_path(source)
        if staging.unchanged(target, key):
            continue
        try:
            html = shells[shell].fill(values)
        except fill.ShellError as error:
            raise BuildError(f"{source}: {error}") from None
        staging.write(target, html.encode("utf-8"), key)
    said.stage(f"publishing the site ({counted(len(content.folders), 'badge folder')})")
    for site_path, data in sorted(tree.after.items()):
        if isinstance(data, bytes):
            staging.write(site_path, data, _digest(data))
        else:
            staging.link(site_path, data, _file_key(data))
    for site_folder, cached in sorted(content.folders.items()):
        for file_name, digest in sorted(content.folder_files[site_folder].items()):
            path, key = f"{site_folder}/{file_name}", f"sha256:{digest}"
            if not staging.unchanged(path, key):  # (no Path made for the files kept)
                staging.link(path, cached / file_name, key)
    for site_path, data in sitemap(base, _published_pages(tree), content.alternates).items():
        staging.write(site_path, data, _digest(data))
    _move_engine_files(output, tree, staging)
    return staging.finish()


def _move_engine_files(output: Path, tree: Tree, staging: _Staging) -> None:
    """The engine's own search index, 404 page and assets, as it wrote them; not the pages
    filled, nor the shells, nor its sitemap (replaced)."""
    shell_folders = tuple(str(Path(_html_path(source)).parent) + "/" for source in tree.shells)
    for path in _files(output):
        if path not in staging.wanted and not path.startswith(shell_folders):
            staging.move(path, output / path)
    for entry in os.scandir(output):  # what is left: the shells, the pages filled
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            Path(entry.path).unlink()


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _file_key(path: Path) -> str:
    """A file published as a link to it: the same inode, size and time, the same file."""
    info = path.stat()
    return f"file:{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}"


def _files(top: Path) -> list[str]:
    """Every file under `top`, by its path relative to it, sorted."""
    found = []
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(top / folder if folder else top) as listing:
            for entry in listing:
                relative = f"{folder}{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    pending.append(relative + "/")
                else:
                    found.append(relative)
    return sorted(found)


class _Staging:
    """A build's folder, the base it was (if any) checked against its record: every file
    not exactly as recorded is removed at once, so nothing is ever kept or written
    through unchecked. The build then says what each site path holds (write, link, move):
    a file whose key is the recorded one stays; the rest is written. `finish` removes
    what the build did not say, and returns the new record."""

    def __init__(self, folder: Path, records: Records) -> None:
        self.folder = folder
        self.kept: Records = {}
        self.folders: set[str] = {""}
        self.wanted: Records = {}
        self.modes: dict[str, int] = {}  # each file's st_mode, as kept or written
        self.emptied: set[str] = set()  # folders a file was removed from
        if records:
            self._check(records)
        else:  # nothing recorded: nothing in it can be trusted
            for entry in os.scandir(folder):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    Path(entry.path).unlink()

    def _check(self, records: Records) -> None:
        # the loop runs once for every file of the site: names bound locally
        kept, modes, folders, emptied = self.kept, self.modes, self.folders, self.emptied
        is_file, top = stat.S_ISREG, os.fspath(self.folder)
        pending = [""]
        while pending:
            folder = pending.pop()
            with os.scandir(f"{top}/{folder}" if folder else top) as listing:
                for entry in listing:
                    relative = folder + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        folders.add(relative)
                        pending.append(relative + "/")
                        continue
                    record = records.get(relative)
                    info = entry.stat(follow_symlinks=False)
                    if record is not None and is_file(info.st_mode) and \
                            record[1] == info.st_size and record[2] == info.st_mtime_ns \
                            and record[3] == info.st_ino:
                        kept[relative] = record
                        modes[relative] = info.st_mode
                    else:
                        Path(entry.path).unlink()
                        emptied.add(folder.removesuffix("/"))

    def unchanged(self, path: str, key: str) -> bool:
        """Whether the folder holds `path` with `key` already (then it is kept)."""
        record = self.kept.get(path)
        if record is None or record[0] != key:
            return False
        self.wanted[path] = record
        return True

    def _clear(self, path: str) -> Path:
        """Where `path` goes, with nothing there and its folder made."""
        if path in self.kept:
            (self.folder / path).unlink()
            del self.kept[path]
        parent = path.rpartition("/")[0]
        if parent not in self.folders:
            self._folder(parent)
        target = self.folder / path
        if path in self.folders:  # a folder where a file goes now
            shutil.rmtree(target)
            inside = path + "/"
            self.folders = {f for f in self.folders if f != path and not f.startswith(inside)}
            self.kept = {p: r for p, r in self.kept.items() if not p.startswith(inside)}
        return target

    def _folder(self, folder: str) -> None:
        parts = folder.split("/")
        for end in range(1, len(parts) + 1):
            prefix = "/".join(parts[:end])
            if prefix in self.folders:
                continue
            if prefix in self.kept:  # a file where a folder goes now
                (self.folder / prefix).unlink()
                del self.kept[prefix]
            (self.folder / prefix).mkdir()
            self.folders.add(prefix)

    def _done(self, path: str, key: str, info: os.stat_result) -> None:
        self.wanted[path] = (key, info.st_size, info.st_mtime_ns, info.st_ino)
        self.modes[path] = info.st_mode

    def write(self, path: str, data: bytes, key: str) -> None:
        if self.unchanged(path, key):
            return
        target = self._clear(path)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            info = os.fstat(fd)
        finally:
            os.close(fd)
        self._done(path, key, info)

    def link(self, path: str, source: Path, key: str) -> None:
        if self.unchanged(path, key):
            return
        target = self._clear(path)
        link_or_copy(source, target)
        self._done(path, key, target.lstat())

    def move(self, path: str, source: Path) -> None:
        """The engine's file: moved in on every build (its key is never matched)."""
        target = self._clear(path)
        _move(source, target)
        self._done(path, "", target.lstat())

    def finish(self) -> Records:
        """Remove what the build did not write or keep; the folder's record."""
        for path in sorted(set(self.kept) - set(self.wanted)):
            (self.folder / path).unlink()
            self.emptied.add(path.rpartition("/")[0])
        # folders left empty, deepest first, then their parents in turn
        pending = sorted(self.emptied - {""}, key=lambda f: (f.count("/"), f))
        while pending:
            folder = pending.pop()
            try:
                (self.folder / folder).rmdir()
            except OSError:  # not empty (or gone): kept
                continue
            self.folders.discard(folder)
            parent = folder.rpartition("/")[0]
            if parent and parent not in pending:
                pending.insert(0, parent)  # shallower than anything left
                pending.sort(key=lambda f: (f.count("/"), f))
        return self.wanted

    def fingerprint(self, out: Path) -> str:
        """uptodate's fingerprint of the finished folder, now `out`, without a walk: its
        files are the ones written or kept, each with the status taken then (nothing
        touches them after); its folders, whose times the writes changed, are looked at
        now. A walk is the answer when one cannot be (a folder gone)."""
        seen: list[uptodate.Seen] = [
            (path, self.modes[path], size, inode, mtime)
            for path, (_, size, mtime, inode) in self.wanted.items()]
        try:
            top = out.lstat()
            for folder in self.folders - {""}:
                info = (out / folder).lstat()
                seen.append((folder, info.st_mode, info.st_size, info.st_ino,
                             info.st_mtime_ns))
        except OSError:
            return uptodate.fingerprint(out)
        return uptodate.fingerprint_of(top, seen)


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
