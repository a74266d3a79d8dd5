"""A refused `update` says each problem where the file on disk has it: a problem in what
an option sets is that option's, never at a line only the edited text has."""

from __future__ import annotations

import pytest

from conftest import NAME_FITS, OWNED, TODAY, Registry
from socialmission.changes import lifecycle
from socialmission.changes.lifecycle import run_update
from socialmission.errors import EXIT_PROBLEMS

PLEDGE = OWNED + "sector: food\n"


def refused(registry: Registry, sets: list[str], unsets: list[str],
            capsys: pytest.CaptureFixture[str]) -> list[str]:
    path = registry.write("example-media", PLEDGE)
    life = lifecycle.Registry(registry.root, registry.mission, NAME_FITS, TODAY)
    assert run_update(life, "example-media", sets, unsets) == EXIT_PROBLEMS
    assert path.read_text(encoding="utf-8") == PLEDGE
    return capsys.readouterr().err.replace(f"{path}", "PATH").splitlines()


def test_a_field_the_edit_adds_is_the_options_problem(
        registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    sectors = ", ".join(registry.mission.sectors)
    assert refused(registry, ["statement_url=https://elsewhere.example.com/"], [],
                   capsys) == [
        "PATH: --set statement_url: 'statement_url' must be on the website's own domain "
        "(example.net): got 'elsewhere.example.com'",
        "PATH:9:9: 'sector' must be one of " + sectors + ": got 'food'",
        "2 problems in 1 of 1 file.",
        "socialmission: PATH was not changed: fix the problems above first"]


def test_a_kept_field_is_at_its_line_on_disk_when_the_edit_moves_it(
        registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    sectors = ", ".join(registry.mission.sectors)
    assert refused(registry, ["country=gb"], [], capsys) == [
        "PATH: --set country: 'country' must be written in capitals: GB",
        "PATH:9:9: 'sector' must be one of " + sectors + ": got 'food'",
        "2 problems in 1 of 1 file.",
        "socialmission: PATH was not changed: fix the problems above first"]
