"""A draft version of the mission reaches the history page only: a built registry given a
draft builds again to the same files but that page, writes the same schema and issue forms,
and renders no badge again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import copy_registry
from draft_support import DISCUSSION, with_draft
from sample_registry import sample_registry
from socialmission.cli import main

EPOCH = "1780272000"  # 2026-06-01
def files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def derived(root: Path) -> dict[str, bytes]:
    """The committed schema and issue forms, as `schema` and `issue-form` write them."""
    assert main(["--root", str(root), "schema"]) == 0
    assert main(["--root", str(root), "issue-form"]) == 0
    return {name: data for name, data in files(root).items()
            if name.startswith((".github/", "site/schema/"))}


@pytest.mark.slow
def test_a_draft_changes_the_history_page_only(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.delenv("SOCIALMISSION_ENGINE", raising=False)
    root = sample_registry(tmp_path / "registry")
    out = tmp_path / "public"
    assert main(["--root", str(root), "build", "--out", str(out)]) == 0
    before, forms = files(out), derived(root)
    assert forms  # the schema and the forms were written
    capsys.readouterr()

    mission = root / "mission.yaml"
    mission.write_text(with_draft(mission.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["--root", str(root), "build", "--out", str(out)]) == 0
    said = capsys.readouterr()
    after = files(out)

    assert re.search(r"badges: \d+ folders, all unchanged", said.err + said.out), said
    assert "rendering" not in said.err + said.out
    assert derived(root) == forms
    assert sorted(after) == sorted(before)
    changed = [name for name in after if after[name] != before[name]]
    assert changed == ["history/index.html", "search/search_index.json"]
    history = after["history/index.html"].decode()
    assert "Proposed: version 2" in history
    assert DISCUSSION in history
    assert "accessible to everyone who reads it" in history


def test_a_discussion_elsewhere_than_the_registrys_repository_builds_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = copy_registry(tmp_path / "registry")
    mission = root / "mission.yaml"
    mission.write_text(with_draft(mission.read_text(encoding="utf-8")).replace(
        DISCUSSION, "https://github.com/someone/else/issues/1"), encoding="utf-8")
    out = tmp_path / "public"
    assert main(["--root", str(root), "build", "--out", str(out)]) == 1
    assert ("mission.yaml: version 2's 'discussion' must be an address on the registry's "
            "repository (https://github.com/socially-m/social-mission-registry/...): got "
            "https://github.com/someone/else/issues/1") in capsys.readouterr().err
    assert not out.exists()
