"""A draft version of the mission is nobody's to sign yet: the commands that write a
signature (`new`, `reaffirm`, `sign-again`) and the validator know the published versions
only, and say which they are."""

from __future__ import annotations

import pytest

from conftest import OWNED, Registry
from draft_support import with_draft
from socialmission.cli import main
from socialmission.model.mission import load_mission


@pytest.fixture
def drafted(registry: Registry) -> Registry:
    mission = registry.root / "mission.yaml"
    mission.write_text(with_draft(mission.read_text(encoding="utf-8")), encoding="utf-8")
    registry.mission = load_mission(registry.root)
    assert registry.mission.draft is not None
    return registry


def test_a_draft_version_is_not_reaffirmed(drafted: Registry,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = drafted.write("harbour-media", OWNED)
    root = ["--root", str(drafted.root)]
    assert main([*root, "reaffirm", "harbour-media", "--version", "2"]) == 2
    assert "--version 2 does not exist: the published versions are 1" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == OWNED


def test_a_pledge_cannot_sign_a_draft_version(drafted: Registry) -> None:
    drafted.write("harbour-media", OWNED.replace("mission_version: 1", "mission_version: 2"))
    assert [message for *_, message in drafted.problems()] == [
        "'mission_version' 2 does not exist: the published versions are 1"]


def test_new_signs_the_current_published_version(drafted: Registry) -> None:
    flags = ["--name", "Café Olé Ltd", "--kind", "organisation", "--website",
             "https://cafe-ole.example.org/", "--signed", "2024-06-01", "--maintainers",
             "cafe-ole:101", "--no-input"]
    assert main(["--root", str(drafted.root), "new", *flags]) == 0
    written = (drafted.pledges / "cafe-ole-ltd.yaml").read_text(encoding="utf-8")
    assert "\nmission_version: 1\n" in written
