"""The tests' own registry: the real mission, design and pages with a fixed set of twelve
pledges kept in tests/fixtures/pledges/ (every kind, both statuses, eight scripts, a logo).

The demo pledges in pledges/ are demo data that a registry replaces with its own; the
tests that need known signatories use these, so they pass with any pledges/ at all.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import copy_registry

FIXTURE_PLEDGES = Path(__file__).resolve().parent / "fixtures" / "pledges"


def sample_registry(target: Path) -> Path:
    """A registry at `target` (see copy_registry) holding the fixture pledges and logos."""
    root = copy_registry(target)
    for path in sorted(FIXTURE_PLEDGES.glob("*.yaml")):
        shutil.copy(path, root / "pledges" / path.name)
    shutil.copytree(FIXTURE_PLEDGES / "logos", root / "pledges" / "logos", dirs_exist_ok=True)
    return root
