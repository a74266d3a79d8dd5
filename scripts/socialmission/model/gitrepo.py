"""Reading a registry's files out of git objects, never through a checkout.

The ownership check judges a pull request's commits as data: their files are read with
`git ls-tree` and `git cat-file`, so nothing of theirs is ever checked out, run or
filtered (a head's `.gitattributes` could make a checkout or an archive hide or rewrite
files; objects are what was committed). The working tree can stand in for a head, for a
contributor checking their own change before they push.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from socialmission.errors import UsageError

# A file of a tree: its git mode ("100644", "100755", "120000" a link, "160000" a
# submodule) and its blob's content id, which two trees compare by.
REGULAR_MODES = frozenset({"100644", "100755"})
LINK_MODE = "120000"
# A tree the verdict lists has at most this many files: the registry's own has a few
# thousand, and a crafted head (or one tree reused inside itself, which `ls-tree -r`
# expands) is cut off here, before it costs memory or time.
MAX_TREE_FILES = 100_000


@dataclass(frozen=True)
class Entry:
    mode: str
    oid: str
    size: int = 0  # bytes of its blob (0 for a submodule, whose oid is a commit)


class TreeError(UsageError):
    """A tree the verdict will not judge, with the path it stopped at ('' for none)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path


class Repository:
    """A git repository, asked through the `git` command with a fixed argument list."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._object_format: str | None = None
        result = self._git("rev-parse", "--git-dir", check=False)
        if result.returncode != 0:
            raise UsageError(f"{root} is not a git repository: run this in the registry's "
                             "clone, or pass --root")

    def _command(self) -> list[str]:
        # No replace refs or grafts: the objects as committed, whatever the clone says.
        return ["git", "--no-replace-objects", "-C", str(self.root)]

    @staticmethod
    def _environment() -> dict[str, str]:
        return {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
                "LC_ALL": "C"}

    def _git(self, *args: str, check: bool = True,
             stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        result = subprocess.run([*self._command(), *args], input=stdin, capture_output=True,
                                check=False, env=self._environment())
        if check and result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise UsageError(f"git {args[0]} failed: {message[-1] if message else 'no output'}")
        return result

    def commit(self, revision: str) -> str:
        """The commit a revision names, or a usage error that says which one is unknown."""
        if not revision or revision.startswith("-") or any(ch.isspace() for ch in revision):
            raise UsageError(f"{revision!r} is not a revision")
        result = self._git("rev-parse", "--verify", "--quiet", "--end-of-options",
                           f"{revision}^{{commit}}", check=False)
        if result.returncode != 0:
            raise UsageError(f"{revision!r} is not a commit in {self.root}: fetch it first "
                             "(deep enough for the merge base)")
        return result.stdout.decode().strip()

    def merge_bases(self, first: str, second: str) -> list[str]:
        """Every best common ancestor (`git merge-base --all`): more than one when the two
        histories cross, and then a merge compares with none of them alone."""
        result = self._git("merge-base", "--all", first, second, check=False)
        if result.returncode != 0 or not result.stdout.strip():
            raise UsageError(f"{first[:12]} and {second[:12]} have no common ancestor: "
                             "fetch the pull request's history deep enough for the merge "
                             "base")
        return sorted(result.stdout.decode().split())

    def tree(self, commit: str, limit: int = MAX_TREE_FILES) -> dict[str, Entry]:
        """Every file of a commit, by path, with its size: `git ls-tree -r -z -l`, read as
        it comes and stopped past `limit` files. A path listed twice (a crafted tree: git
        itself would never write one) is a TreeError, since a checkout could take the
        other of the two."""
        process = subprocess.Popen(  # a fixed argument list
            [*self._command(), "ls-tree", "-r", "-z", "-l", "--full-tree", commit],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=self._environment())
        assert process.stdout is not None  # stdout=PIPE above
        files: dict[str, Entry] = {}
        pending = b""
        try:
            while chunk := process.stdout.read(1 << 16):
                *records, pending = (pending + chunk).split(b"\0")
                for record in records:
                    name, entry = _tree_record(record)
                    if name in files:
                        raise TreeError(name, f"{name} is listed twice in the tree of "
                                              f"{commit[:12]}: git never writes such a tree")
                    if len(files) == limit:
                        raise TreeError(name, f"the tree of {commit[:12]} has more than "
                                              f"{limit} files, more than the verdict reads")
                    files[name] = entry
        finally:
            process.kill()
            process.wait()
            process.stdout.close()
        if process.returncode not in (0, -9) or pending:
            raise UsageError(f"git ls-tree failed for {commit[:12]}")
        return files

    def blobs(self, oids: Iterable[str]) -> dict[str, bytes]:
        """The contents of blobs, in one `git cat-file --batch`."""
        wanted = sorted(set(oids))
        if not wanted:
            return {}
        output = self._git("cat-file", "--batch",
                           stdin="".join(f"{oid}\n" for oid in wanted).encode()).stdout
        contents: dict[str, bytes] = {}
        offset = 0
        for oid in wanted:
            header_end = output.index(b"\n", offset)
            header = output[offset:header_end].decode().split(" ")
            if len(header) != 3 or header[1] != "blob":
                raise UsageError(f"git object {oid} is not a file")
            size = int(header[2])
            start = header_end + 1
            contents[oid] = output[start:start + size]
            offset = start + size + 1  # the newline after each object
        return contents

    def _blob_id(self, data: bytes) -> str:
        """The id git gives a blob of these bytes (`git hash-object --no-filters`)."""
        if self._object_format is None:
            self._object_format = self._git("rev-parse", "--show-object-format").stdout \
                .decode().strip()
        digest = hashlib.new(self._object_format)
        digest.update(b"blob %d\0" % len(data))
        digest.update(data)
        return digest.hexdigest()

    def working_tree(self) -> tuple[dict[str, Entry], dict[str, bytes]]:
        """The working tree's files (tracked, and untracked ones git does not ignore) as a
        tree, with their contents: what a contributor is about to commit."""
        output = self._git("ls-files", "-z", "--cached", "--others", "--exclude-standard").stdout
        files: dict[str, Entry] = {}
        contents: dict[str, bytes] = {}
        for raw in sorted(set(output.split(b"\0"))):
            if not raw:
                continue
            name = raw.decode("utf-8", "surrogateescape")
            path = self.root / name
            try:
                info = path.lstat()
            except FileNotFoundError:
                continue  # deleted but not yet staged: absent from the head
            if stat.S_ISLNK(info.st_mode):
                data = os.fsencode(path.readlink())
                mode = "120000"
            elif stat.S_ISREG(info.st_mode):
                data = path.read_bytes()
                mode = "100755" if info.st_mode & 0o111 else "100644"
            else:
                continue
            oid = self._blob_id(data)
            files[name] = Entry(mode, oid, len(data))
            contents[oid] = data
        return files, contents


def _tree_record(record: bytes) -> tuple[str, Entry]:
    """One record of `ls-tree -l -z`: '<mode> <type> <oid> <size>\\t<path>'."""
    meta, _, name = record.partition(b"\t")
    mode, _kind, oid, size = meta.decode().split()
    return name.decode("utf-8", "surrogateescape"), Entry(mode, oid,
                                                           int(size) if size.isdigit() else 0)


def changed_paths(before: Mapping[str, Entry], after: Mapping[str, Entry]) -> dict[str, str]:
    """What happened to each path between two trees: 'added', 'modified' or 'deleted'."""
    changes: dict[str, str] = {}
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        changes[path] = "added" if old is None else "deleted" if new is None else "modified"
    return changes
