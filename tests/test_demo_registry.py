"""Whatever pledges/ holds (the demo pledges, or a registry's own) validates and builds.

Only generic properties are asserted, so the test holds for any set of pledges: the tests
that need known signatories use their own registry (sample_registry.py).
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import NAME_FITS, ROOT, copy_registry
from socialmission.check.validate import validate
from socialmission.model import paths
from socialmission.model.mission import Mission

pytestmark = pytest.mark.slow


def test_the_registrys_own_pledges_validate_and_build(tmp_path: Path, mission: Mission,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from socialmission.mkdocs.publish import build_site

    root = copy_registry(tmp_path / "registry")
    shutil.copytree(ROOT / paths.PLEDGES_DIR, root / paths.PLEDGES_DIR, dirs_exist_ok=True)
    report = validate([root / paths.PLEDGES_DIR], mission, name_fits=NAME_FITS)
    assert report.ok, report.problems
    assert report.checked == len(list((ROOT / paths.PLEDGES_DIR).glob("*.yaml")))

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    out = tmp_path / "public"
    build_site(root, out)
    active = sorted(p.slug for p in report.pledges if p.active)
    withdrawn = sorted(p.slug for p in report.pledges if not p.active)
    api = json.loads((out / "api/v1/signatories.json").read_text(encoding="utf-8"))
    assert api["count"] == {"active": len(active), "withdrawn": len(withdrawn)}
    assert sorted(item["slug"] for item in api["signatories"]) == sorted(active + withdrawn)
    for slug in active + withdrawn:
        for page in (f"signatories/{slug}/index.html", f"api/v1/signatories/{slug}.json",
                     f"badges/{slug}/card-light.svg", f"badges/{slug}/social.png",
                     f"openbadges/assertions/{slug}.json"):
            assert (out / page).is_file(), page
    for page in ("index.html", "signatories/index.html", "signatories/former/index.html",
                 "sign/index.html", "press-kit/index.html", "stats/index.html"):
        assert (out / page).is_file(), page
    ET.parse(out / "feed.xml")
    ET.parse(out / "sitemap.xml")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".public")] == []
