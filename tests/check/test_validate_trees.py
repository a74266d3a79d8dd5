"""The validator over a tree: a registry read from a git commit, or from the disk with
changes held in memory, gets the very report the disk gives, under the repository's own
paths (never a temporary one), and nothing is written to read it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import NAME_FITS, ROOT, TODAY, VALID
from git_support import Repo
from socialmission.check.validate import Report, validate
from socialmission.model import constants as c
from socialmission.model import paths
from socialmission.model.filetree import CommitTree, DiskTree, FileTree, OverlayTree
from socialmission.model.gitrepo import Repository
from socialmission.model.mission import load_mission
from socialmission.model.settings import settings_names

PLEDGES = Path(paths.PLEDGES_DIR)
LOGO = next(iter(sorted((ROOT / "pledges" / "logos").glob("*.png")))).read_bytes()
# A registry with a problem of each kind the validator reads for: fields, YAML, bytes,
# size, a link, a stray file, a clash across files, a broken and a sound logo.
FILES: dict[str, bytes] = {
    "pledges/good.yaml": (VALID + "logo: logos/good.png\n").encode(),
    "pledges/logos/good.png": LOGO,
    "pledges/same-site.yaml": VALID.replace("Harbour Media Ltd", "Other Name").encode(),
    "pledges/broken.yaml": b"name: 123\nkind: organization\nwebsite: http://localhost\n",
    "pledges/not-yaml.yaml": b"name: [\n",
    "pledges/latin1.yaml": "name: Caf\u00e9\n".encode("latin-1"),
    "pledges/huge.yaml": b"#" * (c.PLEDGE_MAX_BYTES + 1),
    "pledges/empty.yaml": b"",
    "pledges/bad-logo.yaml": VALID.replace("www.example.net", "logo.example.net").replace(
        "Harbour Media Ltd", "Bad Logo").encode() + b"logo: logos/bad-logo.png\n",
    "pledges/logos/bad-logo.png": b"<svg onload=alert(1)>",
    "pledges/stray.txt": b"notes\n",
    "pledges/Bad_Slug.yaml": VALID.replace("www.example.net", "slug.example.com").replace(
        "Harbour Media Ltd", "Bad Slug").encode(),
}


@pytest.fixture
def committed(tmp_path: Path) -> tuple[Path, CommitTree]:
    """The registry on disk, and the same files from a commit of it."""
    root = tmp_path / "registry"
    (root / "pledges" / "logos").mkdir(parents=True)
    for name in ("mission.yaml", paths.SETTINGS_FILE, paths.MKDOCS_FILE):
        shutil.copy(ROOT / name, root / name)
    for name, data in FILES.items():
        (root / name).write_bytes(data)
    (root / "pledges" / "link.yaml").symlink_to("good.yaml")
    repo = Repo(root)
    repo.git("init", "-q", "-b", "main")
    commit = repo.commit()
    # what the judge does: blobs over their caps are listed with their size, never read
    return root, CommitTree.of(Repository(root), commit, lambda path, entry:
                               entry.size <= max(c.PLEDGE_MAX_BYTES, c.LOGO_MAX_BYTES))


def report_of(tree: FileTree, root: Path, *asked: Path) -> Report:
    return validate(list(asked) or [PLEDGES], load_mission(Path(), tree), on=TODAY,
                    name_fits=NAME_FITS, settings_names=settings_names(Path(), tree),
                    tree=tree)


def shown(report: Report) -> tuple[object, ...]:
    return (report.problems, report.notes, report.cautions, report.checked,
            report.pledges)


def test_a_commit_gets_the_report_the_disk_gives(committed: tuple[Path, CommitTree]) -> None:
    root, commit = committed
    on_disk = report_of(DiskTree(root), root)
    assert shown(report_of(commit, root)) == shown(on_disk)
    assert {p.path for p in on_disk.problems} == {
        f"pledges/{name}" for name in ("Bad_Slug.yaml", "bad-logo.yaml", "broken.yaml",
                                       "empty.yaml", "good.yaml", "huge.yaml", "latin1.yaml",
                                       "link.yaml", "not-yaml.yaml", "same-site.yaml",
                                       "stray.txt")}


def test_messages_name_the_repository_paths(committed: tuple[Path, CommitTree]) -> None:
    root, commit = committed
    messages = [p.as_text() for p in report_of(commit, root).problems]
    assert "pledges/huge.yaml: the file is 16385 bytes; a pledge may be at most 16384 " \
           "bytes: shorten the statement" in messages
    assert any(m.startswith("pledges/good.yaml:3:10: has the same website as "
                            "pledges/same-site.yaml") for m in messages)
    assert not any(str(root) in m or "/tmp" in m for m in messages)


def test_the_disk_with_changes_over_it_gets_the_report_of_those_changes_written(
        committed: tuple[Path, CommitTree]) -> None:
    root, _ = committed
    changes: dict[Path, bytes | None] = {
        PLEDGES / "broken.yaml": FILES["pledges/good.yaml"].replace(b"www.", b"fixed."),
        PLEDGES / "huge.yaml": None,
        PLEDGES / "new.yaml": FILES["pledges/same-site.yaml"],
        PLEDGES / "logos" / "bad-logo.png": LOGO}
    overlay = report_of(OverlayTree(DiskTree(root), changes), root, PLEDGES / "new.yaml")
    before = {path: (root / path).read_bytes() for path in changes if (root / path).exists()}
    for path, data in changes.items():
        if data is None:
            (root / path).unlink()
        else:
            (root / path).write_bytes(data)
    assert shown(overlay) == shown(report_of(DiskTree(root), root, PLEDGES / "new.yaml"))
    assert overlay.problems[0].path == "pledges/new.yaml"
    assert before  # the overlay was read over the files as they were


def test_a_mission_read_from_a_tree_names_the_repository_path(
        committed: tuple[Path, CommitTree]) -> None:
    root, commit = committed
    assert load_mission(Path(), commit) == load_mission(root)
    assert settings_names(Path(), commit) == settings_names(root)
    nothing = CommitTree({}, {})
    with pytest.raises(Exception, match=r"^mission\.yaml: cannot read the mission: \[Errno 2\] "
                                        r"No such file or directory: 'mission\.yaml'$"):
        load_mission(Path(), nothing)
    assert settings_names(Path(), nothing) == []


def test_a_file_not_asked_about_is_read_from_the_tree_too(
        committed: tuple[Path, CommitTree]) -> None:
    """The neighbours a new pledge is compared with come from the tree, not the disk."""
    root, commit = committed
    (root / "pledges" / "same-site.yaml").unlink()  # gone from disk, still in the commit
    asked = PLEDGES / "good.yaml"
    from_commit = report_of(commit, root, asked)
    assert any("has the same website as pledges/same-site.yaml" in p.message
               for p in from_commit.problems)
    assert not any("same website" in p.message
                   for p in report_of(DiskTree(root), root, asked).problems)
