"""Finding the pledge files a run checks, and reading each within its caps, from a tree of
files (model/filetree.py: the disk, a git commit, or the disk with changes over it).

A file is read only when it is a regular file (never through a link) and under its size
cap, checked before a byte is read; whatever is wrong is reported, never raised.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from socialmission.errors import UsageError
from socialmission.model import constants as c
from socialmission.model import paths
from socialmission.model.filetree import DISK, FileTree
from socialmission.model.problems import FileProblems, Problem

# Files that may sit in pledges/ beside the pledges.
_COMPANIONS = frozenset({paths.TEMPLATE_NAME, c.README_NAME, ".gitkeep"})


@dataclass(frozen=True)
class Target:
    path: Path
    reported: bool  # problems in it are reported (it was asked about)


def discover(paths_given: Iterable[Path], problems: list[Problem],
             tree: FileTree = DISK) -> list[Target]:
    """The pledge files to read: those asked about, and their folders' other pledges (to
    compare with). Stray files in an asked-about folder are problems."""
    asked: dict[Path, bool] = {}
    for path in paths_given:
        try:
            info = tree.lstat(path)
        except OSError:
            raise UsageError(f"{path}: no such file or folder") from None
        if stat.S_ISDIR(info.st_mode):
            for entry in _folder_entries(tree, path, problems, reported=True):
                asked[entry] = True
        else:
            asked[path] = True
            for entry in _folder_entries(tree, path.parent, problems, reported=False):
                asked.setdefault(entry, False)
    return [Target(path, reported) for path, reported in sorted(asked.items())]


def _folder_entries(tree: FileTree, folder: Path, problems: list[Problem],
                    reported: bool) -> Iterator[Path]:
    try:
        entries = tree.entries(folder)
    except OSError as error:
        raise UsageError(f"{folder}: cannot list the folder: {error.strerror}") from None
    for name in sorted(entries):
        path = folder / name
        if name.endswith(c.PLEDGE_SUFFIX):
            yield path
        elif not reported or name in _COMPANIONS or (name == paths.LOGO_DIR and entries[name]):
            continue
        elif name.endswith(".yml"):
            problems.append(Problem(
                str(path), 0, 0, f"pledge files end in '{c.PLEDGE_SUFFIX}': rename it to "
                                 f"{name[:-4]}{c.PLEDGE_SUFFIX}"))
        else:
            problems.append(Problem(
                str(path), 0, 0, f"only pledges ('<slug>{c.PLEDGE_SUFFIX}') belong in this "
                                 f"folder (logos go in {paths.LOGO_DIR}/): move or delete it"))


@dataclass(frozen=True)
class Capped:
    """A kind of YAML file read within a cap: its name in messages, its cap in bytes, and
    what to do when it is over the cap or empty."""

    noun: str
    cap: int
    shorten: str
    empty: str


PLEDGE = Capped("pledge", c.PLEDGE_MAX_BYTES, "shorten the statement",
                f"start from pledges/{paths.TEMPLATE_NAME}")
TRANSLATION = Capped("translation", c.TRANSLATION_MAX_BYTES, "shorten its texts",
                     "start from another translation of its version, or from mission.yaml")


def read_capped(path: Path, problem: FileProblems, tree: FileTree = DISK,
                kind: Capped = PLEDGE) -> bytes | None:
    """A pledge's (or another `kind`'s) bytes, refusing links, non-files and files over
    the cap before reading."""
    try:
        info = tree.lstat(path)
    except OSError as error:
        problem(0, 0, f"cannot read the file: {error.strerror}")
        return None
    if stat.S_ISLNK(info.st_mode):
        problem(0, 0, f"the file is a symbolic link: commit the {kind.noun} itself")
        return None
    if not stat.S_ISREG(info.st_mode):
        problem(0, 0, f"this is not a regular file: a {kind.noun} is a YAML file")
        return None
    if info.st_size > kind.cap:
        problem(0, 0, f"the file is {info.st_size} bytes; a {kind.noun} may be at most "
                      f"{kind.cap} bytes: {kind.shorten}")
        return None
    if info.st_size == 0:
        problem(0, 0, f"the file is empty: {kind.empty}")
        return None
    try:
        data = tree.read(path, kind.cap + 1)
    except OSError as error:
        problem(0, 0, f"cannot read the file: {error.strerror}")
        return None
    if len(data) > kind.cap:  # it grew after lstat
        problem(0, 0, f"the file is over {kind.cap} bytes: shorten it")
        return None
    return data


def read_capped_logo(path: Path, messages: list[str], tree: FileTree = DISK) -> bytes | None:
    """A logo's bytes: a regular file (not a link) within the logo size cap."""
    try:
        info = tree.lstat(path)
    except OSError:
        messages.append(f"the logo {path.name} is not in {path.parent}: add it in the same "
                        "pull request")
        return None
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
        messages.append("the logo must be a regular file, not a link or folder")
        return None
    if info.st_size > c.LOGO_MAX_BYTES:
        messages.append(f"the logo is {info.st_size} bytes; the limit is "
                        f"{c.LOGO_MAX_BYTES}: compress it (for example with oxipng)")
        return None
    try:
        data = tree.read(path, c.LOGO_MAX_BYTES + 1)
    except OSError as error:
        messages.append(f"the logo cannot be read: {error.strerror}")
        return None
    if len(data) > c.LOGO_MAX_BYTES:  # it grew after lstat
        messages.append(f"the logo is over {c.LOGO_MAX_BYTES} bytes: compress it (for "
                        "example with oxipng)")
        return None
    return data
