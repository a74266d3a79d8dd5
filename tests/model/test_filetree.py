"""The three trees the validator reads: each answers as the disk does, and a commit's and an
overlay's answers match the disk holding the same files."""

from __future__ import annotations

import errno
import stat
from pathlib import Path

import pytest

from git_support import Repo
from socialmission.model.filetree import (
    DISK,
    CommitTree,
    DiskTree,
    FileInfo,
    FileTree,
    OverlayTree,
)
from socialmission.model.gitrepo import Repository

FILES = {"mission.yaml": b"version: 1\n", "pledges/acme.yaml": b"name: Acme\n",
         "pledges/brio.yaml": b"name: Brio\r\nkind: x\n", "pledges/logos/acme.png": b"\x89PNG",
         "pledges/README.md": b"# Pledges\n"}
# Every path asked about, files, folders, a link and paths that are not there.
ASKED = ["", "mission.yaml", "pledges", "pledges/acme.yaml", "pledges/brio.yaml",
         "pledges/logos", "pledges/logos/acme.png", "pledges/link.yaml", "pledges/none.yaml",
         "nowhere/acme.yaml", "pledges/acme.yaml/inside"]


@pytest.fixture
def committed(tmp_path: Path) -> tuple[Path, Repository, str]:
    root = tmp_path / "registry"
    root.mkdir()
    repo = Repo(root)
    repo.git("init", "-q", "-b", "main")
    for name, data in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    (root / "pledges" / "link.yaml").symlink_to("acme.yaml")
    return root, Repository(root), repo.commit()


def answers(tree: FileTree, path: str) -> tuple[object, ...]:
    """Everything a tree says of one path (a folder's size is the disk's own business, and
    git's folder is no file of the registry), errors as (type, errno, reason)."""
    def kind(info: FileInfo) -> tuple[int, int]:
        return stat.S_IFMT(info.st_mode), 0 if stat.S_ISDIR(info.st_mode) else info.st_size

    said: list[object] = []
    for ask in (lambda p: kind(tree.lstat(p)),
                lambda p: sorted(i for i in tree.entries(p).items() if i[0] != ".git"),
                tree.read, lambda p: tree.read(p, 4)):
        try:
            said.append(ask(Path(path)))
        except OSError as error:
            said.append((type(error).__name__, error.errno, error.strerror))
    return tuple(said)


def test_a_commit_answers_as_the_disk_holding_its_files(
        committed: tuple[Path, Repository, str]) -> None:
    root, repository, commit = committed
    disk, tree = DiskTree(root), CommitTree.of(repository, commit, lambda path, entry: True)
    for path in ASKED:
        assert answers(tree, path) == answers(disk, path), path
    for tried in (disk, tree):  # a message quoting the error names the path as the disk does
        with pytest.raises(FileNotFoundError) as raised:
            tried.read(Path("pledges/none.yaml"))
        assert str(raised.value) == "[Errno 2] No such file or directory: 'pledges/none.yaml'"


def test_a_commit_is_read_from_its_objects_not_the_working_tree(
        committed: tuple[Path, Repository, str]) -> None:
    root, repository, commit = committed
    (root / "pledges" / "acme.yaml").write_bytes(b"name: Changed\n")
    (root / "pledges" / "new.yaml").write_bytes(b"name: New\n")
    (root / "mission.yaml").unlink()
    tree = CommitTree.of(repository, commit, lambda path, entry: True)
    assert tree.read(Path("pledges/acme.yaml")) == b"name: Acme\n"
    assert tree.read(Path("mission.yaml")) == b"version: 1\n"
    assert "new.yaml" not in tree.entries(Path("pledges"))


def test_a_blob_not_picked_is_listed_with_its_size_and_never_read(
        committed: tuple[Path, Repository, str]) -> None:
    _, repository, commit = committed
    tree = CommitTree.of(repository, commit, lambda path, entry: path != "pledges/acme.yaml")
    assert tree.lstat(Path("pledges/acme.yaml")).st_size == len(FILES["pledges/acme.yaml"])
    assert oid_of(tree, "pledges/acme.yaml") not in tree.contents
    with pytest.raises(OSError) as raised:
        tree.read(Path("pledges/acme.yaml"))
    assert raised.value.errno == errno.EFBIG
    assert tree.read(Path("pledges/brio.yaml")) == FILES["pledges/brio.yaml"]


def oid_of(tree: CommitTree, path: str) -> str:
    return tree.files[path].oid


def test_an_overlay_answers_as_the_disk_with_its_changes_written(
        committed: tuple[Path, Repository, str], tmp_path: Path) -> None:
    root, _, _ = committed
    changes = {Path("pledges/acme.yaml"): b"name: Acme, changed\n",  # changed
               Path("pledges/brio.yaml"): None,  # deleted
               Path("pledges/new.yaml"): b"name: New\n",  # added beside others
               Path("nowhere/acme.yaml"): b"name: Far\n"}  # added in a new folder
    overlay = OverlayTree(DiskTree(root), changes)
    before = {path: answers(DiskTree(root), path) for path in ASKED}
    for changed, data in changes.items():  # the same changes, written
        if data is None:
            (root / changed).unlink()
        else:
            (root / changed).parent.mkdir(exist_ok=True)
            (root / changed).write_bytes(data)
    for path in [*ASKED, "pledges/new.yaml"]:
        assert answers(overlay, path) == answers(DiskTree(root), path), path
    assert before != {path: answers(DiskTree(root), path) for path in ASKED}


def test_an_overlay_leaves_the_disk_as_it_was(committed: tuple[Path, Repository, str]) -> None:
    root, _, _ = committed
    overlay = OverlayTree(DiskTree(root), {Path("pledges/acme.yaml"): None,
                                           Path("pledges/new.yaml"): b"name: New\n"})
    assert "acme.yaml" not in overlay.entries(Path("pledges"))
    assert overlay.read(Path("pledges/new.yaml")) == b"name: New\n"
    assert (root / "pledges" / "acme.yaml").read_bytes() == FILES["pledges/acme.yaml"]
    assert not (root / "pledges" / "new.yaml").exists()


def test_the_disk_reads_paths_as_given_or_under_its_root(
        committed: tuple[Path, Repository, str]) -> None:
    root, _, _ = committed
    absolute, relative = root / "pledges" / "acme.yaml", Path("pledges/acme.yaml")
    assert DISK.read(absolute) == DiskTree(root).read(relative) == FILES[str(relative)]
    assert DISK.disk_path(absolute) == DiskTree(root).disk_path(relative) == absolute
    with pytest.raises(FileNotFoundError, match=r"'pledges/none\.yaml'"):
        DiskTree(root).lstat(Path("pledges/none.yaml"))  # the path shown, not the root


def test_only_the_disk_has_files_on_disk(committed: tuple[Path, Repository, str]) -> None:
    """The caches beside a registry (.cache/) are kept for the disk alone."""
    root, repository, commit = committed
    path = Path("pledges/logos/acme.png")
    assert CommitTree.of(repository, commit, lambda p, e: True).disk_path(path) is None
    assert OverlayTree(DiskTree(root), {}).disk_path(path) is None
