"""A rebuild costs what changed: the previous output is kept as the next build's base and
brought up to date (mkdocs/publish.py), never published as it was found."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import VALID, copy_registry
from socialmission.mkdocs import publish, uptodate
from socialmission.mkdocs.publish import build_site

pytestmark = pytest.mark.slow
SIGNERS = ("alpha", "beta", "gamma")


@pytest.fixture(autouse=True)
def epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine's sitemap.xml.gz carries a time: the epoch makes builds byte-identical."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")


def registry(at: Path) -> Path:
    root = copy_registry(at)
    for slug in SIGNERS:
        (root / "pledges" / f"{slug}.yaml").write_text(
            VALID.replace("Harbour Media Ltd", f"Signer {slug.title()}")
            .replace("www.example.net", f"{slug}.example.org"), encoding="utf-8")
    return root


def files(folder: Path) -> dict[str, tuple[bytes, tuple[int, int]]]:
    """Every file of `folder` with its bytes, and its inode and time: a file written again
    differs in one (an inode freed may be reused at once), a file kept in neither. A
    symlink fails the test."""
    found = {}
    for path in sorted(folder.rglob("*")):
        assert not path.is_symlink(), path
        if path.is_file():
            info = path.stat()
            found[path.relative_to(folder).as_posix()] = \
                (path.read_bytes(), (info.st_ino, info.st_mtime_ns))
    return found


def contents(folder: Path) -> dict[str, bytes]:
    return {path: data for path, (data, _) in files(folder).items()}


def rename_signer(root: Path, slug: str, name: str) -> None:
    pledge = root / "pledges" / f"{slug}.yaml"
    text = pledge.read_text(encoding="utf-8")
    pledge.write_text(text.replace(f"Signer {slug.title()}", name), encoding="utf-8")


def fresh_build(root: Path, out: Path) -> dict[str, bytes]:
    """What a build into an empty folder, with no base, writes."""
    build_site(root, out)
    return contents(out)


def test_a_rebuild_writes_only_the_changed_signatory_and_the_shared_files(
        tmp_path: Path) -> None:
    root = registry(tmp_path / "registry")
    out = tmp_path / "public"
    build_site(root, out)
    first = files(out)  # this tree is kept as the base of the build after next
    build_site(root, out)
    assert (tmp_path / ".public.base").is_dir()
    rename_signer(root, "beta", "Signer Beta Renamed")
    build_site(root, out)
    now = files(out)
    assert {path: data for path, (data, _) in now.items()} == \
        fresh_build(root, tmp_path / "fresh")
    # every file of the other signatories is the very file the first build wrote
    for slug in ("alpha", "gamma"):
        theirs = [path for path in now if f"/{slug}/" in path or f"/{slug}." in path]
        assert len(theirs) > 10, theirs  # the page, the API, the assertion, the badges
        assert [path for path in theirs if now[path][1] != first[path][1]] == []
    # the changed signatory's page and badges were written again
    assert now["signatories/beta/index.html"][1] != first["signatories/beta/index.html"][1]
    assert b"Signer Beta Renamed" in now["signatories/beta/index.html"][0]
    changed_badges = [path for path in now if path.startswith("badges/beta/")
                      and now[path][1] != first[path][1]]
    assert changed_badges
    # a signatory no longer in the registry leaves nothing, not even an empty folder
    (root / "pledges" / "gamma.yaml").unlink()
    build_site(root, out)
    build_site(root, out)  # each of the two trees has been brought up to date once
    assert not (out / "signatories" / "gamma").exists()
    assert not (out / "badges" / "gamma").exists()
    assert contents(out) == fresh_build(root, tmp_path / "fresh-2")


def test_a_base_edited_by_hand_is_repaired_not_published(tmp_path: Path) -> None:
    root = registry(tmp_path / "registry")
    out = tmp_path / "public"
    build_site(root, out)
    build_site(root, out)
    base = tmp_path / ".public.base"
    page = base / "signatories" / "alpha" / "index.html"
    data = page.read_bytes()
    with page.open("r+b") as edit:  # in place, the same size
        edit.write(data[:100].replace(b"<", b"[", 1))
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 1))
    (base / "api" / "v1" / "directory.json").unlink()
    (base / "signatories" / "stray.html").write_text("<script>alert(1)</script>")
    badge = base / "badges" / "gamma" / "card-light.svg"
    badge.unlink()
    badge.symlink_to("/etc/hostname")
    (base / "signatories" / "beta" / "index.html").unlink()
    (base / "signatories" / "beta" / "index.html").mkdir()  # a folder where a file goes
    # a badge file of the cache edited in place: the base links the same inode
    cached = root / ".cache" / "badges" / "alpha" / "card-dark.svg"
    cached.write_bytes(cached.read_bytes().replace(b"<svg", b"<svg data-x='1'", 1))
    (base / "api" / "v1" / "stray-folder" / "inside").mkdir(parents=True)  # no file
    build_site(root, out)
    assert contents(out) == fresh_build(root, tmp_path / "fresh")
    assert_recorded_as_walked(root, out)


def assert_recorded_as_walked(root: Path, out: Path) -> None:
    """The output's fingerprint in the up-to-date stamp, which the build took from what it
    wrote, is the one a walk over the output finds."""
    found = uptodate.recorded(root, out)
    assert found is not None
    assert found.output == uptodate.fingerprint(out) != ""


def test_the_stamp_knows_the_output_without_walking_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = registry(tmp_path / "registry")
    out = tmp_path / "public"
    walk = uptodate.fingerprint

    def no_walk(folder: Path) -> str:
        raise AssertionError(f"{folder} walked")

    # into an empty folder, into one with no record, onto the base after a change
    for change in (None, None, "Signer Beta Renamed"):
        if change:
            rename_signer(root, "beta", change)
        monkeypatch.setattr(uptodate, "fingerprint", no_walk)
        build_site(root, out)
        monkeypatch.setattr(uptodate, "fingerprint", walk)
        assert_recorded_as_walked(root, out)
        assert build_site(root, out, skip_if_current=True).skipped


def test_a_build_interrupted_while_updating_the_base_leaves_the_output_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = registry(tmp_path / "registry")
    out = tmp_path / "public"
    build_site(root, out)
    build_site(root, out)
    published = contents(out)
    rename_signer(root, "alpha", "Signer Alpha Renamed")
    real_write = publish._Staging.write
    writes = 0

    def interrupted(self: publish._Staging, path: str, data: bytes, key: str) -> None:
        nonlocal writes
        writes += 1
        if writes == 3:
            raise KeyboardInterrupt  # as a Ctrl-C lands: half the base brought up to date
        real_write(self, path, data, key)

    monkeypatch.setattr(publish._Staging, "write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_site(root, out)
    monkeypatch.setattr(publish._Staging, "write", real_write)
    assert contents(out) == published
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".public.new-")] == []
    build_site(root, out)  # from the half-updated base, given back
    assert contents(out) == fresh_build(root, tmp_path / "fresh")
