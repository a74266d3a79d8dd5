"""The tests' own registry: the real mission, design and pages with a fixed set of twelve
pledges kept in tests/fixtures/pledges/ (every kind, both statuses, eight scripts, a logo).

The demo pledges in pledges/ are demo data that a registry replaces with its own; the
tests that need known signatories use these, so they pass with any pledges/ at all.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import cairosvg

from conftest import copy_registry

FIXTURE_PLEDGES = Path(__file__).resolve().parent / "fixtures" / "pledges"


def sample_registry(target: Path) -> Path:
    """A registry at `target` (see copy_registry) holding the fixture pledges and logos."""
    root = copy_registry(target)
    for path in sorted(FIXTURE_PLEDGES.glob("*.yaml")):
        shutil.copy(path, root / "pledges" / path.name)
    shutil.copytree(FIXTURE_PLEDGES / "logos", root / "pledges" / "logos", dirs_exist_ok=True)
    return root


def write_png(path: Path, size: int) -> None:
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}">'
           f'<rect width="{size}" height="{size}" fill="#123"/></svg>')
    path.write_bytes(cairosvg.svg2png(bytestring=svg.encode()))
