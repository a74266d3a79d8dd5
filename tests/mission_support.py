"""A second mission version for the tests: the real mission file with an invented version 2
appended (a principle reworded, one removed, two added), as a registry publishes one."""

from __future__ import annotations

import datetime as dt
import json

from conftest import ROOT
from socialmission.model.mission import load_mission

V2_DATE = dt.date(2026, 1, 1)
ADDED = ("I will say plainly when a post is paid for.",
         "I will keep the accounts entrusted to me secure.")


def mission_v2_text() -> str:
    """The real mission file with an invented version 2 appended."""
    first = load_mission(ROOT).versions[0]
    principles = list(first.principles)
    principles[2] = " ".join(principles[2].split()) + " I will thank people for their time."
    del principles[5]
    principles += ADDED
    assert len(principles) == 11
    entry = ["  - version: 2", f"    date: {V2_DATE.isoformat()}",
             "    title: The Socially-M Social Mission", "    status: invented for the tests",
             "    changes: Invented for the tests.", "    principles:",
             *(f"      - {json.dumps(p)}" for p in principles)]
    text = (ROOT / "mission.yaml").read_text(encoding="utf-8")
    return text.rstrip("\n") + "\n" + "\n".join(entry) + "\n"
