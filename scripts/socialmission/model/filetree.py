"""The files a registry is read from: the disk, a git commit, or the disk with changes held
in memory over it.

The validator reads pledges and logos only through a `FileTree`, so what it checks need
not be written anywhere first: check-pr validates a pull request's head from its git
objects, and `new`, the life-cycle commands and the sign form validate a pledge not yet
written among the files already there. A path is what messages show: the disk reads it as
given (under its `root`, when it has one), a commit as the path in the repository.

Every tree answers as the disk does, an OSError for what is not there:
- `lstat`: a file's kind (stat's mode bits) and size, never through a link, so that a cap
  is checked before a byte is read;
- `entries`: a folder's names, each with whether it is a folder itself (not a link);
- `read`: a file's bytes, at most `limit`, never through a link.
"""

from __future__ import annotations

import errno
import os
import stat
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol, TypeVar

if TYPE_CHECKING:  # the disk's readers (every validate) need no git
    from socialmission.model.gitrepo import Entry, Repository

READ_CHUNK = 1 << 16  # bytes a read without a limit asks for at a time
_T = TypeVar("_T")


class FileInfo(Protocol):
    """What `lstat` tells of a file: os.stat_result on the disk."""

    @property
    def st_mode(self) -> int: ...

    @property
    def st_size(self) -> int: ...


class _Info(NamedTuple):
    st_mode: int
    st_size: int


_FOLDER = _Info(stat.S_IFDIR | 0o755, 0)


def _missing(path: Path) -> FileNotFoundError:
    """The error the disk gives for a path that is not there, word for word."""
    return FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path))


class FileTree(ABC):
    @abstractmethod
    def lstat(self, path: Path) -> FileInfo:
        """The file's kind and size, without following a link."""

    @abstractmethod
    def entries(self, folder: Path) -> dict[str, bool]:
        """Each name in the folder, with whether it is a folder (a link is not one)."""

    @abstractmethod
    def read(self, path: Path, limit: int | None = None) -> bytes:
        """The file's bytes, at most `limit` of them, never through a link."""

    def disk_path(self, path: Path) -> Path | None:
        """Where the file is on disk, for the caches kept beside a registry (.cache/); None
        for a tree whose files are not all on disk, of which nothing is kept."""
        return None

    def is_folder(self, path: Path) -> bool:
        try:
            return stat.S_ISDIR(self.lstat(path).st_mode)
        except OSError:
            return False


class DiskTree(FileTree):
    """The files on disk: paths as given, or under `root` (and then shown without it, in
    its errors too)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root

    def _at(self, path: Path) -> Path:
        return path if self.root is None else self.root / path

    def _on(self, path: Path, ask: Callable[[Path], _T]) -> _T:
        if self.root is None:
            return ask(path)
        try:
            return ask(self.root / path)
        except OSError as error:
            raise type(error)(error.errno, error.strerror, str(path)) from None

    def lstat(self, path: Path) -> FileInfo:
        return self._on(path, os.lstat)

    def entries(self, folder: Path) -> dict[str, bool]:
        return self._on(folder, _entries)

    def read(self, path: Path, limit: int | None = None) -> bytes:
        return self._on(path, lambda at: _read_file(at, limit))

    def disk_path(self, path: Path) -> Path | None:
        return self._at(path)


DISK = DiskTree()  # the files as the command line names them


def _entries(folder: Path) -> dict[str, bool]:
    with os.scandir(folder) as found:
        return {entry.name: entry.is_dir(follow_symlinks=False) for entry in found}


def _read_file(path: Path, limit: int | None) -> bytes:
    """Up to `limit` bytes (None: all), to the end of the file: what a buffered
    read(limit) returns; never through a link."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        chunks: list[bytes] = []
        size = 0
        while (limit is None or size < limit) and (
                chunk := os.read(fd, READ_CHUNK if limit is None else limit - size)):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


class CommitTree(FileTree):
    """A commit's files as `git ls-tree` lists them, each with its mode and size, read from
    the blobs in `contents` (by object id): a file whose blob was not read (over a cap) is
    listed with its size, and reading it is an OSError."""

    def __init__(self, files: Mapping[str, Entry], contents: Mapping[str, bytes]) -> None:
        self.files = files
        self.contents = contents
        self._folders: dict[str, dict[str, bool]] = {"": {}}
        for name in files:
            parts = name.split("/")
            for depth in range(len(parts)):
                folder = "/".join(parts[:depth])
                child = "/".join(parts[:depth + 1])
                self._folders.setdefault(folder, {})[parts[depth]] = child not in files

    @classmethod
    def of(cls, repository: Repository, commit: str,
           wanted: Callable[[str, Entry], bool]) -> CommitTree:
        """A commit's files, with the blobs of the regular files `wanted` picks (by path
        and entry, whose size is known before a byte is read), in one `git cat-file`."""
        files = repository.tree(commit)
        return cls(files, repository.blobs(
            entry.oid for name, entry in files.items()
            if stat.S_ISREG(int(entry.mode, 8)) and wanted(name, entry)))

    @staticmethod
    def _key(path: Path) -> str:
        key = path.as_posix()
        return "" if key == "." else key

    def lstat(self, path: Path) -> FileInfo:
        key = self._key(path)
        entry = self.files.get(key)
        if entry is not None:
            return _Info(int(entry.mode, 8), entry.size)
        if key in self._folders:
            return _FOLDER
        raise self._absent(path)

    def _absent(self, path: Path) -> OSError:
        """The error the disk gives for a path that is not there, or below a file."""
        if any(parent.as_posix() in self.files for parent in path.parents):
            return NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
        return _missing(path)

    def entries(self, folder: Path) -> dict[str, bool]:
        key = self._key(folder)
        if key in self.files:
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
        if key not in self._folders:
            raise self._absent(folder)
        return dict(self._folders[key])

    def read(self, path: Path, limit: int | None = None) -> bytes:
        info = self.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        data = self.contents.get(self.files[self._key(path)].oid)
        if data is None:  # never read: over a cap
            raise OSError(errno.EFBIG, os.strerror(errno.EFBIG), str(path))
        return data if limit is None else data[:limit]


class OverlayTree(FileTree):
    """`base` with `changes` over it: each path's new bytes, or None where it is deleted.
    A folder holding an added file is there, whether or not `base` has it."""

    def __init__(self, base: FileTree, changes: Mapping[Path, bytes | None]) -> None:
        self.base = base
        self.changes = dict(changes)
        self._added: dict[Path, dict[str, bool]] = {}  # names added in each folder
        self._deleted: dict[Path, set[str]] = {}
        for path, data in self.changes.items():
            if data is None:
                self._deleted.setdefault(path.parent, set()).add(path.name)
                continue
            child = path
            for folder in path.parents:
                self._added.setdefault(folder, {})[child.name] = child != path
                child = folder

    def lstat(self, path: Path) -> FileInfo:
        if path in self.changes:
            data = self.changes[path]
            if data is None:
                raise _missing(path)
            return _Info(stat.S_IFREG | 0o644, len(data))
        if path in self._added:
            return _FOLDER
        return self.base.lstat(path)

    def entries(self, folder: Path) -> dict[str, bool]:
        try:
            found = self.base.entries(folder)
        except (FileNotFoundError, NotADirectoryError):
            if folder not in self._added:
                raise
            found = {}
        for name in self._deleted.get(folder, ()):
            found.pop(name, None)
        found.update(self._added.get(folder, {}))
        return found

    def read(self, path: Path, limit: int | None = None) -> bytes:
        if path not in self.changes:
            return self.base.read(path, limit)
        data = self.changes[path]
        if data is None:
            raise _missing(path)
        return data if limit is None else data[:limit]
