"""`socialmission build`: the whole site, written atomically, by MkDocs or ProperDocs.

The engine cleans and rewrites its output folder in place, so a failed or interrupted build
can leave a half-written site. This builds into a fresh folder beside the target, and only
a complete, strict build replaces the previous output, in one exchange of names (renameat2
RENAME_EXCHANGE where the kernel has it, else two renames a moment apart).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import shutil
import tempfile
from pathlib import Path

from socialmission.errors import UsageError
from socialmission.mkdocs.engine import MKDOCS, choose, use

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


def replace_folder(new: Path, target: Path) -> None:
    """Put `new` in `target`'s place; the old output is removed only afterwards."""
    if not target.exists():
        new.rename(target)
        return
    if _exchange(new, target):
        shutil.rmtree(new)  # `new` now names the old output
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    target.rename(old)
    new.rename(target)
    shutil.rmtree(old)


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


def build_site(root: Path, out: Path, *, engine: str | None = None) -> None:
    """Run the strict build into a fresh folder, then swap it into `out`. The engine is
    `engine` ("mkdocs" or "properdocs"), else $SOCIALMISSION_ENGINE, else the one loaded or
    installed (see engine.py)."""
    name = use(choose(engine))
    # Whichever engine `name` is, these are its modules now (engine.use).
    from mkdocs.commands.build import build  # noqa: PLC0415 - slow to import
    from mkdocs.config import load_config  # noqa: PLC0415
    from mkdocs.exceptions import MkDocsException  # noqa: PLC0415 - ProperDocs keeps the name

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _show_messages(name)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(staging), strict=True)
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
