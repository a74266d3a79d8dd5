"""Golden badge files: the cases in golden/badge-cases.json, rendered.

Regenerate after a deliberate design change, then review the diff and look at the PNGs
(tests/render/test_badges.py compares the SVGs by structure and the PNGs by their pixels, within
a tolerance, so that another version of the cairo library still passes):

    .venv/bin/python tests/golden_badges.py
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from conftest import WORDS
from socialmission.model.mission import load_mission
from socialmission.model.pledge import Pledge
from socialmission.model.urls import parse_https_url
from socialmission.render.design import load_design
from socialmission.render.face import Face, Masthead, face_of, generic_face, masthead_of
from socialmission.render.folder import render_face

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "badges"
CASES = Path(__file__).resolve().parent / "golden" / "badge-cases.json"
BASE = "https://registry.example.org/"


def pledge_for(slug: str, case: dict[str, str]) -> Pledge:
    return Pledge(
        slug=slug, path=Path(f"pledges/{slug}.yaml"), name=case["name"],
        kind=case.get("kind", "organisation"), website=parse_https_url(case["website"]),
        signed=dt.date.fromisoformat(case["signed"]), mission_version=1,
        maintainers=("harbour",), status=case.get("status", "active"),
        withdrawn=dt.date.fromisoformat(case["withdrawn"]) if "withdrawn" in case else None,
        withdrawn_reason=case.get("withdrawn_reason"))


def faces() -> dict[str, Face]:
    cases: dict[str, dict[str, str]] = json.loads(CASES.read_text(encoding="utf-8"))
    found = {slug: face_of(pledge_for(slug, case), BASE, words=WORDS)
             for slug, case in cases.items()}
    return {"mission": generic_face(load_mission(ROOT), WORDS), **found}


def masthead() -> Masthead:
    """The registry's masthead on every golden social card: this repository's."""
    return masthead_of(ROOT, load_mission(ROOT), BASE)


def render_all() -> dict[str, dict[str, bytes]]:
    design = load_design(ROOT)
    return {key: render_face(design, face, masthead()) for key, face in faces().items()}


def main() -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for key, files in render_all().items():
        folder = GOLDEN / key
        folder.mkdir(parents=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
    print(f"wrote {GOLDEN}")


if __name__ == "__main__":
    main()
