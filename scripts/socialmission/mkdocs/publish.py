"""`socialmission build`: the whole site, written atomically, by MkDocs or ProperDocs.

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
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from socialmission.errors import UsageError
from socialmission.mkdocs.engine import MKDOCS, choose, use

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


class _Forward(logging.Handler):
    """Hands every record to another logger: under ProperDocs, what plugins and themes
    log as `mkdocs.*` (Material does) reaches the `properdocs` logger, whose handlers show
    it and count its warnings for the strict build, as ProperDocs' own command arranges."""

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target = target

    def emit(self, record: logging.LogRecord) -> None:
        logging.getLogger(self.target).handle(record)


def _show_messages(name: str) -> None:
    """The engine reports through logging: show its warnings and errors as its own
    `build` command does."""
    logger = logging.getLogger(name)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
    if name != MKDOCS:
        legacy = logging.getLogger(MKDOCS)
        if not any(isinstance(h, _Forward) for h in legacy.handlers):
            legacy.addHandler(_Forward(name))
            legacy.propagate = False  # shown once, by `name`'s handlers


def build_site(root: Path, out: Path, *, engine: str | None = None,
               published_badges: dict[str, str] | None = None) -> None:
    """Run the strict build into a fresh folder, then swap it into `out`. The engine is
    `engine` ("mkdocs" or "properdocs"), else $SOCIALMISSION_ENGINE, else the one loaded or
    installed (see engine.py). `published_badges`: the badge state kept beside the
    deployment (site/published.py)."""
    name = use(choose(engine))
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _show_messages(name)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned(out)
    staging = Path(tempfile.mkdtemp(prefix=f"{_prefix(out, NEW)}{os.getpid()}-",
                                    dir=out.parent))
    lock = _lock(staging)
    try:
        _build_into(root, out, staging, published_badges)
    finally:
        os.close(lock)


def _build_into(root: Path, out: Path, staging: Path,
                published_badges: dict[str, str] | None) -> None:
    # Whichever engine build_site chose, these are its modules now (engine.use).
    from mkdocs.commands.build import build  # noqa: PLC0415 - slow to import
    from mkdocs.config import load_config  # noqa: PLC0415
    from mkdocs.exceptions import MkDocsException  # noqa: PLC0415 - ProperDocs keeps the name

    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(staging), strict=True)
        if published_badges is not None:
            plugin = config.plugins.get("socialmission")
            if plugin is None:
                raise UsageError("--published-badges needs the socialmission plugin in "
                                 f"{root / 'mkdocs.yml'}'s plugins")
            plugin.published_badges = published_badges
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, SystemExit) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise UsageError(f"the site was not built, and {out} is unchanged: {error}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must read it
    replace_folder(staging, out)
