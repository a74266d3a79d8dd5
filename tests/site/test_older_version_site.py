"""A new mission version, in a real build: nothing is revoked by it. A signatory that has not
reaffirmed keeps its badge for the version it signed (it says "Mission v1", and that v2 is
out), and a badge baked before version 2 was published still verifies, in force, at the
same address (read with openbadges-bakery, an independent verifier's unbaker). Its page and
its directory row say which version it signed and link the history page's section on what
changed, which the build does write; the feed has the new version as an entry; the API
gives the record's version and the current one.

The registry is the real mission and design with Harbour Media (version 1, 2024-05-16),
built once with the mission as it is, then again with an invented version 2 appended and
Keel Works, which reaffirmed version 2."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_signed_again_site import ASSERTIONS, SITE_URL, badges, build, document, unbaked_url
from test_site import text_of

from conftest import OWNED, copy_registry
from mission_support import mission_v2_text
from socialmission.model import paths

pytestmark = pytest.mark.slow
KEEL = (OWNED.replace("Harbour Media Ltd", "Keel Works").replace("www.example.net",
                                                                  "keel.example.org")
        + "reaffirmed:\n  - version: 2\n    date: 2026-02-01\n")
FIRST = f"{SITE_URL}{ASSERTIONS}harbour-media.json"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The site built while version 1 was current, and the site built after version 2."""
    root = copy_registry(tmp_path_factory.mktemp("registry"))
    (root / "pledges" / "harbour-media.yaml").write_text(OWNED, encoding="utf-8")
    before = build(root, tmp_path_factory.mktemp("before"))
    (root / paths.MISSION_FILE).write_text(mission_v2_text(), encoding="utf-8")
    (root / "pledges" / "keel-works.yaml").write_text(KEEL, encoding="utf-8")
    return before, build(root, tmp_path_factory.mktemp("after"))


def test_a_badge_baked_before_version_2_still_verifies_in_force(
        sites: tuple[Path, Path]) -> None:
    before, after = sites
    kept = badges(before, "harbour-media")
    assert len(kept) == 8  # two styles, two variants, SVG and PNG
    for badge in kept:
        assert unbaked_url(badge) == FIRST, badge.name
    now = document(after, FIRST)
    assert now == document(before, FIRST)  # the same document, unrevoked
    assert "revoked" not in now and "revocationReason" not in now
    assert now["badge"] == f"{SITE_URL}openbadges/mission-v1.json"


def test_the_new_badges_still_bake_version_1_and_say_so(sites: tuple[Path, Path]) -> None:
    _, after = sites
    for badge in badges(after, "harbour-media"):
        assert unbaked_url(badge) == FIRST, badge.name  # not revoked, not moved
    page = (after / "signatories" / "harbour-media" / "index.html").read_text(encoding="utf-8")
    # the badges' text alternative: the version signed, and the newer one
    assert page.count("Social Mission signatory. Signatory since 2024 · Mission v1 · v2 is "
                      'out."') == 7
    found = {path.name: json.loads(path.read_text(encoding="utf-8"))
             for path in sorted((after / ASSERTIONS).iterdir())}
    assert sorted(found) == ["harbour-media.json", "keel-works.json", "keel-works.v2.json"]
    assert [name for name, item in found.items() if item.get("revoked")] == []
    for badge in badges(after, "keel-works"):
        assert unbaked_url(badge) == f"{SITE_URL}{ASSERTIONS}keel-works.v2.json"


def test_the_page_and_the_directory_link_what_changed_and_the_target_exists(
        sites: tuple[Path, Path]) -> None:
    before, after = sites
    harbour = after / "signatories" / "harbour-media" / "index.html"
    assert ("This signatory signed version 1 of the mission; version 2 is current: what "
            "changed. Its maintainers may reaffirm version 2, or withdraw, with the change "
            "form, where this page's address is filled in: choose “Reaffirm the current "
            "mission version” or “Withdraw my signature”.") in text_of(harbour)
    html = harbour.read_text(encoding="utf-8")
    assert '<a href="../../history/#mission-v2">what changed</a>' in html
    assert ('href="https://github.com/socially-m/social-mission-registry/issues/new?'
            'template=change.yml&amp;slug=harbour-media">change form</a>') in html
    assert "sm-newer" not in (after / "signatories/keel-works/index.html").read_text()
    assert "sm-newer" not in (before / "signatories/harbour-media/index.html").read_text()
    directory = (after / "signatories" / "index.html").read_text(encoding="utf-8")
    (body,) = re.findall(r"<tbody>(.*?)</tbody>", directory, re.DOTALL)
    rows = {slug: row for row, slug in re.findall(r'(<tr>.*?<a href="([\w-]+)/" dir.*?</tr>)',
                                                  body, re.DOTALL)}
    assert sorted(rows) == ["harbour-media", "keel-works"]
    assert ('<span class="sm-older">Signed version <span class="sm-older-version">1</span>; '
            '<a href="../history/#mission-v2">version 2 is current</a></span>') \
        in rows["harbour-media"]
    assert "sm-older" not in rows["keel-works"]
    history = (after / "history" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<h2 id="mission-v2">', history)


def test_the_feed_and_the_api_tell_the_new_version(sites: tuple[Path, Path]) -> None:
    _, after = sites
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(after / "feed.xml").getroot()
    assert [(e.findtext(f"{atom}title"), e.findtext(f"{atom}id"))
            for e in feed.iter(f"{atom}entry")] == [
        ("Version 2 of the Social Mission is published", f"{SITE_URL}history/#mission-v2"),
        ("Keel Works", f"{SITE_URL}signatories/keel-works/"),  # the same day: by id
        ("Harbour Media Ltd", f"{SITE_URL}signatories/harbour-media/")]
    assert feed.findtext(f"{atom}updated") == "2026-01-01T00:00:00Z"
    fields = ("current_version", "newer_version")
    harbour = json.loads((after / "api/v1/signatories/harbour-media.json").read_text())
    keel = json.loads((after / "api/v1/signatories/keel-works.json").read_text())
    assert [harbour[name] for name in fields] == [1, 2]
    assert [keel[name] for name in fields] == [2, None]
    assert json.loads((after / "api/v1/signatories.json").read_text())["mission_version"] == 2
