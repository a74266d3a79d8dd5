"""Shared helpers: a throw-away registry with the real mission file and pledges in it."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest

from socialmission.check.validate import Report, validate
from socialmission.model import paths
from socialmission.model.mission import Mission, load_mission
from socialmission.model.problems import Problem
from socialmission.model.settings import Settings, load_settings
from socialmission.render.face import badge_words
from socialmission.render.layout import name_check
from socialmission.site.pages import site_words

# Fixtures defined beside their helpers: `repo` (a registry in a temporary git repository),
# `browser` (the one headless Chromium of the browser tests).
pytest_plugins = ("git_support", "e2e_support")

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
# Tools the dev environment installs beside this interpreter (make test: requirements/dev.lock).
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
TODAY = dt.date(2026, 6, 1)  # tests fix "today" so dates never go stale
# Whether a name fits its badge, drawn with this checkout's fonts (what the CLI hands the
# validator for a registry whose fonts these are).
NAME_FITS = name_check(ROOT)
FONTS = paths.fonts_dir(ROOT)
# This registry's words about its mission (registry.yaml, mkdocs.yml): what pages, badges
# and documents built from this checkout say.
REGISTRY_SETTINGS = load_settings(ROOT)
MISSION_NAME = REGISTRY_SETTINGS.mission_name
MISSION = load_mission(ROOT)
WORDS = badge_words(ROOT)
SITE_WORDS = site_words(ROOT)

VALID = """\
name: Harbour Media Ltd
kind: organisation
website: https://www.example.net/
signed: 2024-05-16
mission_version: 1
maintainers:
  - harbour
"""
# The shared pledge with its maintainer's numeric id, as check-pr and the commands that
# change a pledge want it.
OWNED = VALID.replace("  - harbour\n", "  - login: harbour\n    id: 583231\n")


def copy_registry(target: Path) -> Path:
    """A registry at `target` with the real mission, design and pages, and no pledges."""
    target.mkdir(exist_ok=True)
    for name in ("mission.yaml", "mkdocs.yml", "registry.yaml"):
        shutil.copy(ROOT / name, target / name)
    for name in ("site", "badges"):
        shutil.copytree(ROOT / name, target / name)
    (target / "pledges" / "logos").mkdir(parents=True)
    shutil.copy(ROOT / "pledges" / "TEMPLATE.yaml.txt", target / "pledges")
    return target


@pytest.fixture(scope="session")
def mission() -> Mission:
    return load_mission(ROOT)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings(ROOT)


class Registry:
    """A registry folder under tmp_path: mission.yaml, registry.yaml and an empty pledges/."""

    def __init__(self, root: Path, mission: Mission) -> None:
        self.root = root
        self.pledges = root / "pledges"
        self.pledges.mkdir()
        (self.pledges / "logos").mkdir()
        shutil.copy(ROOT / "mission.yaml", root / "mission.yaml")
        shutil.copy(ROOT / paths.SETTINGS_FILE, root / paths.SETTINGS_FILE)
        # The badge design (fonts included) is this checkout's, linked rather than copied.
        (root / paths.DESIGN_DIR).symlink_to(ROOT / paths.DESIGN_DIR)
        self.mission = mission

    def write(self, slug: str, text: str | bytes) -> Path:
        path = self.pledges / f"{slug}.yaml" if "." not in slug else self.pledges / slug
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def validate(self, *paths: Path) -> Report:
        return validate(list(paths) or [self.pledges], self.mission, on=TODAY,
                        name_fits=NAME_FITS)

    def problems(self, *paths: Path) -> list[tuple[str, int, int, str]]:
        """Problems as (file name, line, column, message), for exact comparisons."""
        return [_short(p) for p in self.validate(*paths).problems]


def _short(problem: Problem) -> tuple[str, int, int, str]:
    return (Path(problem.path).name, problem.line, problem.column, problem.message)


@pytest.fixture
def registry(tmp_path: Path, mission: Mission) -> Registry:
    return Registry(tmp_path, mission)
