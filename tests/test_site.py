"""The real MkDocs build: strict, and the mission page comes from the mission file."""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from socialmission.mission import Mission

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("public")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    subprocess.run([str(mkdocs), "build", "--strict", "--site-dir", str(out)], cwd=ROOT,
                   check=True, capture_output=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return out


def test_the_home_page_shows_the_current_mission(built: Path, mission: Mission) -> None:
    page = html.unescape((built / "index.html").read_text(encoding="utf-8"))
    version = mission.current
    assert version.title in page
    for principle in version.principles:
        assert " ".join(principle.split()) in " ".join(page.split())


def test_the_schema_is_published(built: Path) -> None:
    assert (built / "schema" / "pledge.schema.json").read_bytes() == (
        ROOT / "site" / "schema" / "pledge.schema.json").read_bytes()


def test_no_google_fonts(built: Path) -> None:
    for page in built.rglob("*.html"):
        assert "fonts.googleapis.com" not in page.read_text(encoding="utf-8"), page
