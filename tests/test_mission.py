"""The mission file is the one source of the text, and version 1 is the 2023 draft verbatim."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import ROOT
from socialmission.errors import UsageError
from socialmission.model.mission import Mission, parse_mission

SOURCE = ROOT.parent / "shared" / "seeds" / "social-mission-source.txt"


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.skipif(not SOURCE.is_file(), reason=f"the seed text is not at {SOURCE}")
def test_version_1_is_the_first_draft_verbatim(mission: Mission) -> None:
    source = squash(SOURCE.read_text(encoding="utf-8"))
    numbered = re.findall(r"(\d+)\. (.+?)(?= \d+\. | This is still very much)", source)
    assert [int(n) for n, _ in numbered] == list(range(1, 11))
    first = mission.get(1)
    assert first is not None
    assert [squash(p) for p in first.principles] == [text for _, text in numbered]
    assert first.title == "The Socially-M Social Mission"
    assert (first.date.year, first.date.month) == (2023, 10)


def test_no_principle_is_repeated_outside_the_mission_file(mission: Mission) -> None:
    first_words = squash(mission.current.principles[0])[:60]
    tracked = [p for p in ROOT.rglob("*") if p.is_file() and ".venv" not in p.parts
               and ".git" not in p.parts and "public" not in p.parts
               and p.suffix in {".md", ".py", ".j2", ".html", ".yaml", ".yml", ".txt"}
               and p.name != "mission.yaml"]
    assert tracked
    for path in tracked:
        assert first_words not in squash(path.read_text(encoding="utf-8", errors="replace")), \
            path


@pytest.mark.parametrize(("data", "message"), [
    ({}, "expected a mapping with a 'versions' list"),
    ({"versions": []}, "there is no version"),
    ({"versions": [{"version": 2, "date": dt.date(2024, 1, 1), "title": "t", "changes": "c",
                    "principles": ["p"] * 10}]}, "versions must be numbered 1, 2, 3..."),
    ({"versions": [{"version": 1, "date": dt.date(2024, 1, 1), "title": "t", "changes": "c",
                    "principles": ["p"] * 9}]}, "version 1 must have 10 principles"),
    ({"versions": [{"version": 1, "date": "soon", "title": "t", "changes": "c",
                    "principles": ["p"] * 10}]}, "'date' must be a YYYY-MM-DD date"),
    ({"versions": [{"version": 1}]}, "version entry 1 lacks"),
])
def test_a_broken_mission_file_is_refused(data: object, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        parse_mission(data, "mission.yaml")


def test_mission_file_lives_at_the_root() -> None:
    assert Path(ROOT / "mission.yaml").is_file()
