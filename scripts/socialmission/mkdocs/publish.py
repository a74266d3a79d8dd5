"""`socialmission build`: the whole site, written atomically.

MkDocs cleans and rewrites its output folder in place, so a failed or interrupted
`mkdocs build` can leave a half-written site. This builds into a fresh folder beside the
target, and only a complete, strict build replaces the previous output, in one exchange
of names (renameat2 RENAME_EXCHANGE where the kernel has it, else two renames a moment
apart).
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


def _show_mkdocs_messages() -> None:
    """MkDocs reports through logging: show its warnings and errors as `mkdocs build` does."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)


def build_site(root: Path, out: Path) -> None:
    """Run the strict MkDocs build into a fresh folder, then swap it into `out`."""
    from mkdocs.commands.build import build  # noqa: PLC0415 - MkDocs is slow to import
    from mkdocs.config import load_config  # noqa: PLC0415
    from mkdocs.exceptions import MkDocsException  # noqa: PLC0415

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _show_mkdocs_messages()
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
