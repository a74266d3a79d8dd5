"""The up-to-date check: a build with nothing changed does nothing (no engine, no publish);
any input changed, the output touched, or the stamp unreadable, and it builds."""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import ROOT, VALID, copy_registry
from socialmission.cli import main
from socialmission.mkdocs import publish, uptodate
from socialmission.model import paths
from socialmission.model.constants import ISSUER_SEED_VARIABLE
from socialmission.model.settings import site_url

EPOCH = "1780272000"  # 2026-06-01


class Built:
    def __init__(self, root: Path, out: Path) -> None:
        self.root = root
        self.out = out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """A registry with a pledge and a logo, built once (the stamp recorded)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        patch.delenv("SOCIALMISSION_ENGINE", raising=False)
        tmp = tmp_path_factory.mktemp("uptodate")
        root = copy_registry(tmp / "registry")
        pledge = VALID + "logo: logos/harbour-media.png\n"
        (root / "pledges" / "harbour-media.yaml").write_text(pledge)
        shutil.copy(ROOT / "pledges" / "logos" / "northwind-media.png",
                    root / "pledges" / "logos" / "harbour-media.png")
        out = tmp / "public"
        report = publish.build_site(root, out, skip_if_current=True)
        assert not report.skipped
        yield Built(root, out)


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.delenv("SOCIALMISSION_ENGINE", raising=False)


def _no_engine(name: str, tree: object, *said: object) -> Path:
    raise AssertionError(f"the engine {name} ran")


@pytest.mark.usefixtures("epoch")
def test_nothing_changed_runs_no_engine_and_leaves_the_output_alone(
        built: Built, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    before = built.out.stat()
    page = built.out / "signatories" / "harbour-media" / "index.html"
    page_before = page.stat()
    monkeypatch.setattr(publish, "run_engine", _no_engine)
    report = publish.build_site(built.root, built.out, skip_if_current=True)
    assert report.skipped
    assert report.signatories == 1
    assert report.inputs > 100  # the registry's files and the package's
    assert main(["--root", str(built.root), "build", "--out", str(built.out)]) == 0
    said = capsys.readouterr()
    assert "up to date: nothing changed since the last build (" in said.out
    assert "site_url https://socialmission.example.org/ is a placeholder" in said.err
    after = built.out.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert page.stat().st_mtime_ns == page_before.st_mtime_ns
    assert [p.name for p in built.out.parent.iterdir() if p.name.startswith(".public")] == []


@pytest.mark.usefixtures("epoch")
def test_force_and_a_library_build_build_anyway(built: Built,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish, "run_engine", _no_engine)
    with pytest.raises(AssertionError, match="the engine mkdocs ran"):
        main(["--root", str(built.root), "build", "--out", str(built.out), "--force"])
    with pytest.raises(AssertionError, match="the engine mkdocs ran"):
        publish.build_site(built.root, built.out)  # skip_if_current is the caller's choice
    # a build that started (and failed) forgot the stamp: the output is no longer trusted
    assert uptodate.recorded(built.root, built.out) is None
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert not publish.build_site(built.root, built.out, skip_if_current=True).skipped
    assert publish.build_site(built.root, built.out, skip_if_current=True).skipped


def _copy_inputs(built: Built, target: Path) -> Path:
    """The built registry's inputs and its stamps, elsewhere (the stamp hashes relative
    paths, so the copy is current for the same output)."""
    for name in uptodate.INPUTS:
        source = built.root / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.exists():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target / name)
    shutil.copytree(built.root / paths.BUILD_STAMPS, target / paths.BUILD_STAMPS)
    return target


def _current(root: Path, out: Path, engine: str = "mkdocs",
             package: Path = uptodate.PACKAGE) -> bool:
    now = uptodate.stamp(root, engine, site_url(root), package=package)
    return uptodate.current(root, out, now) is not None


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


CHANGES: dict[str, Callable[[Path, pytest.MonkeyPatch], object]] = {
    "pledge": lambda r, _: _append(r / "pledges" / "harbour-media.yaml", "# edited\n"),
    "new pledge": lambda r, _: (r / "pledges" / "other.yaml").write_text(VALID),
    "logo": lambda r, _: _append(r / "pledges" / "logos" / "harbour-media.png", "\0"),
    "mission": lambda r, _: _append(r / paths.MISSION_FILE, "\n"),
    "settings": lambda r, _: _append(r / paths.SETTINGS_FILE, "\n"),
    "mkdocs.yml": lambda r, _: _append(r / paths.MKDOCS_FILE, "\n"),
    "site file": lambda r, _: _append(r / "site" / "sign.md", "\n"),
    "new site file": lambda r, _: (r / "site" / "extra.md").write_text("# Extra\n"),
    "badges file": lambda r, _: _append(r / "badges" / "palette.yaml", "\n"),
    "proofs": lambda r, _: (r / paths.PROOFS_STORE).write_text("{}"),
    "SOURCE_DATE_EPOCH": lambda _, m: m.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 86400)),
    # another key signs: every credential is signed again
    "issuer seed": lambda _, m: m.setenv(ISSUER_SEED_VARIABLE,
                                         base64.b64encode(bytes(range(32))).decode()),
}


@pytest.mark.usefixtures("epoch")
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_any_input_changed_builds(built: Built, tmp_path: Path, change: str,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root = _copy_inputs(built, tmp_path / "copy")
    assert _current(root, built.out)  # the copy is the same inputs
    CHANGES[change](root, monkeypatch)
    assert not _current(root, built.out)


@pytest.mark.usefixtures("epoch")
def test_another_engine_builds(built: Built) -> None:
    assert _current(built.root, built.out)
    assert not _current(built.root, built.out, engine="zensical")


@pytest.mark.usefixtures("epoch")
def test_an_edited_package_builds(built: Built, tmp_path: Path) -> None:
    package = tmp_path / "socialmission"
    shutil.copytree(uptodate.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "site" / "__pycache__").mkdir()  # written by an import: not an input
    (package / "site" / "__pycache__" / "pages.cpython-311.pyc").write_bytes(b"\0")
    assert _current(built.root, built.out, package=package)
    _append(package / "site" / "pages.py", "\n")
    assert not _current(built.root, built.out, package=package)


def _edit_page(out: Path) -> None:
    _append(out / "signatories" / "harbour-media" / "index.html", "<!-- by hand -->")


def _same_size_edit(out: Path) -> None:
    page = out / "index.html"
    data = page.read_bytes()
    page.write_bytes(data.replace(b"<html", b"<HTML", 1))


def _add_file(out: Path) -> None:
    (out / "extra.html").write_text("")


def _remove_file(out: Path) -> None:
    (out / "feed.xml").unlink()


def _remove_output(out: Path) -> None:
    shutil.rmtree(out)


def _output_a_file(out: Path) -> None:
    shutil.rmtree(out)
    out.write_text("")


@pytest.mark.usefixtures("epoch")
@pytest.mark.parametrize("touch", [_edit_page, _same_size_edit, _add_file, _remove_file,
                                   _remove_output, _output_a_file])
def test_an_output_touched_builds(built: Built, tmp_path: Path,
                                  touch: Callable[[Path], None]) -> None:
    out = tmp_path / "public"
    shutil.copytree(built.out, out)
    now = uptodate.stamp(built.root, "mkdocs", site_url(built.root))
    uptodate.record(built.root, out, now, 1, 1)
    assert uptodate.current(built.root, out, now) is not None
    touch(out)
    assert uptodate.current(built.root, out, now) is None


@pytest.mark.usefixtures("epoch")
@pytest.mark.parametrize("content", [b"", b"not json", b"[]", b"{}", b"\xff\xfe",
                                     json.dumps({"format": 1}).encode(),
                                     json.dumps({"format": 2, "inputs": "x"}).encode()])
def test_an_unreadable_stamp_means_build(built: Built, tmp_path: Path, content: bytes) -> None:
    out = tmp_path / "public"
    shutil.copytree(built.out, out)
    now = uptodate.stamp(built.root, "mkdocs", site_url(built.root))
    uptodate.record(built.root, out, now, 1, 1)
    stamp = uptodate.stamp_file(built.root, out)
    stamp.write_bytes(content)
    assert uptodate.recorded(built.root, out) is None
    stamp.unlink()
    stamp.mkdir()  # not even a file
    assert uptodate.recorded(built.root, out) is None
    stamp.rmdir()


@pytest.mark.usefixtures("epoch")
def test_a_corrupted_stamp_rebuilds_without_a_crash(built: Built) -> None:
    uptodate.stamp_file(built.root, built.out).write_bytes(b"\0garbage{")
    assert not publish.build_site(built.root, built.out, skip_if_current=True).skipped
    assert publish.build_site(built.root, built.out, skip_if_current=True).skipped


@pytest.mark.usefixtures("epoch")
def test_a_deployment_build_is_never_skipped(built: Built, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Its output also depends on the badge cache, which is not an input."""
    out = tmp_path / "public"
    shutil.copytree(built.out, out)
    now = uptodate.stamp(built.root, "mkdocs", site_url(built.root))
    uptodate.record(built.root, out, now, 1, 1)
    assert _current(built.root, out)
    assert uptodate.current(built.root, out, now, for_deployment=True) is None  # the CLI's
    monkeypatch.setattr(publish, "run_engine", _no_engine)
    with pytest.raises(AssertionError, match="the engine mkdocs ran"):
        publish.build_site(built.root, out, published_badges={"x": "y"},
                           skip_if_current=True)


@pytest.mark.usefixtures("epoch")
def test_an_installed_distribution_changed_builds(built: Built, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    names = [name for _, name in uptodate._distributions()]
    assert any(name.startswith("mkdocs_material-") for name in names)  # the engines' too
    assert _current(built.root, built.out)
    (tmp_path / "mkdocs_material-99.0.0.dist-info").mkdir()
    monkeypatch.syspath_prepend(tmp_path)
    assert not _current(built.root, built.out)


@pytest.mark.usefixtures("epoch")
def test_a_relative_root_builds(built: Built, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """`--root registry` from the folder above: the engine runs in .build/, so the config
    it is given must not be relative to here."""
    monkeypatch.chdir(built.root.parent)
    out = tmp_path / "public"
    assert main(["--root", built.root.name, "build", "--out", str(out)]) == 0
    assert (out / "signatories" / "harbour-media" / "index.html").is_file()
