"""A pledge signed again, in a real build: every earlier Open Badges assertion keeps its
address and reads revoked, so a badge baked before the signing again verifies as revoked
(read with openbadges-bakery, an independent verifier's unbaker); the new signature has
assertions of its own; the page, the API, the directory and the feed show the current
signature, and the page and the API every signature.

The registry is the real mission and design with two pledges: Harbour Media, built first
while its first signature is in force (its badges kept), then withdrawn and signed again;
and Ridge Works, withdrawn by the registry, signed again, and withdrawn again."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import openbadges_bakery
import pytest
from test_site import mkdocs_build, text_of

from conftest import OWNED, copy_registry

pytestmark = pytest.mark.slow
SITE_URL = "https://socialmission.example.org/"  # mkdocs.yml's site_url
EPOCH = "1780000000"
ASSERTIONS = "openbadges/assertions/"
FIRST = OWNED + "statement: We signed for our readers.\n"
AGAIN = FIRST + ("withdrawn: 2025-01-31\nwithdrawn_reason: We paused.\n"
                 "signed_again:\n  - signed: 2025-06-01\n    mission_version: 1\n")
RIDGE = (OWNED.replace("Harbour Media Ltd", "Ridge Works")
         .replace("www.example.net", "ridge.example.org") +
         "status: withdrawn\nwithdrawn: 2025-01-31\nwithdrawn_reason: An abuse report.\n"
         "withdrawn_by: registry\nsigned_again:\n  - signed: 2025-06-01\n"
         "    mission_version: 1\n    withdrawn: 2025-09-01\n    withdrawn_reason: We closed.\n")


def build(root: Path, out: Path) -> Path:
    result = mkdocs_build(root, out, SOURCE_DATE_EPOCH=EPOCH)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The site built while Harbour Media's first signature was in force, the site built
    after it signed again, and the registry."""
    root = copy_registry(tmp_path_factory.mktemp("registry"))
    pledges = root / "pledges"
    (pledges / "harbour-media.yaml").write_text(FIRST, encoding="utf-8")
    before = build(root, tmp_path_factory.mktemp("before"))
    (pledges / "harbour-media.yaml").write_text(AGAIN, encoding="utf-8")
    (pledges / "ridge-works.yaml").write_text(RIDGE, encoding="utf-8")
    return before, build(root, tmp_path_factory.mktemp("after")), root


def document(site: Path, url: str) -> dict[str, Any]:
    """The hosted document at `url`, as the site at `site` serves it."""
    assert url.startswith(SITE_URL), url
    found: dict[str, Any] = json.loads((site / url.removeprefix(SITE_URL)).read_text())
    return found


def unbaked_url(badge: Path) -> str:
    """The assertion's address a verifier reads from a baked badge: openbadges-bakery
    gives a PNG's assertion (its `id`) and an SVG's `verify` attribute."""
    with badge.open("rb") as file:
        found = openbadges_bakery.unbake(file)
    assert isinstance(found, str), badge
    if badge.suffix == ".png":
        url = json.loads(found)["id"]
        assert isinstance(url, str)
        return url
    return found


def badges(site: Path, slug: str) -> list[Path]:
    """The signatory's baked badges (the social card is a picture, not a badge)."""
    return sorted(path for path in (site / "badges" / slug).iterdir()
                  if path.name != "social.png")


# --- Open Badges ------------------------------------------------------------------------------
def test_a_badge_baked_before_the_signing_again_now_verifies_as_revoked(
        sites: tuple[Path, Path, Path]) -> None:
    before, after, _ = sites
    kept = badges(before, "harbour-media")
    assert len(kept) == 8  # two styles, two variants, SVG and PNG
    first = f"{SITE_URL}{ASSERTIONS}harbour-media.json"
    for badge in kept:
        url = unbaked_url(badge)
        assert url == first, badge.name
        assert "revoked" not in document(before, url)  # in force when it was baked
        now = document(after, url)
        assert now["id"] == first
        assert (now["revoked"], now["revocationReason"]) == (
            True, "Withdrawn on 2025-01-31: We paused."), badge.name
        assert now["issuedOn"] == "2024-05-16T00:00:00+00:00"


def test_the_new_signature_has_an_assertion_of_its_own_in_force(
        sites: tuple[Path, Path, Path]) -> None:
    _, after, _ = sites
    again = f"{SITE_URL}{ASSERTIONS}harbour-media.s2.json"
    for badge in badges(after, "harbour-media"):
        assert unbaked_url(badge) == again, badge.name
    found = document(after, again)
    assert "revoked" not in found and "revocationReason" not in found
    assert found["issuedOn"] == "2025-06-01T00:00:00+00:00"
    assert found["narrative"] == ("Harbour Media Ltd signed version 1 of the Social Mission "
                                  "again on 2025-06-01.")
    assert found["badge"] == f"{SITE_URL}openbadges/mission-v1.json"


def test_every_earlier_assertion_reads_revoked_with_its_own_withdrawal(
        sites: tuple[Path, Path, Path]) -> None:
    _, after, _ = sites
    found = {path.name: json.loads(path.read_text())
             for path in sorted((after / ASSERTIONS).iterdir())}
    assert sorted(found) == ["harbour-media.json", "harbour-media.s2.json",
                             "ridge-works.json", "ridge-works.s2.json"]
    reasons = {name: (item.get("revoked", False), item.get("revocationReason"))
               for name, item in found.items()}
    assert reasons == {
        "harbour-media.json": (True, "Withdrawn on 2025-01-31: We paused."),
        "harbour-media.s2.json": (False, None),
        "ridge-works.json": (True, "Withdrawn by the registry on 2025-01-31: An abuse "
                                   "report."),
        "ridge-works.s2.json": (True, "Withdrawn on 2025-09-01: We closed."),
    }
    for name, item in found.items():
        assert item["id"] == f"{SITE_URL}{ASSERTIONS}{name}"


# --- what everyone reads ---------------------------------------------------------------------
def test_the_page_shows_the_current_signature_and_every_signature(
        sites: tuple[Path, Path, Path]) -> None:
    _, after, _ = sites
    page = after / "signatories" / "harbour-media" / "index.html"
    text = text_of(page)
    assert ("Signatory since 2025-06-01, mission version 1; 2 signatures We signed for our "
            "readers.") in text
    assert ("Signatures¶ Signed 2024-05-16, mission version 1; withdrawn on 2025-01-31. "
            "Reason given: We paused. Signed 2025-06-01, mission version 1; in force. "
            "Badge¶") in text
    assert (f"Signature 1, version 1 (revoked): {SITE_URL}{ASSERTIONS}harbour-media.json "
            f"Signature 2, version 1: {SITE_URL}{ASSERTIONS}harbour-media.s2.json") in text
    html = page.read_text(encoding="utf-8")
    # the badges' text alternative: "since" is the current signature's year
    assert html.count('Social Mission signatory. Signatory since 2025 · Mission v1."') == 7
    assert '<li id="signature-2">' in html and 'href="#signatures"' in html
    assert f'hosted at\n<a href="{SITE_URL}{ASSERTIONS}harbour-media.s2.json">' in html
    ridge = text_of(after / "signatories" / "ridge-works" / "index.html")
    assert ("Withdrawn on 2025-09-01; signed 2025-06-01, mission version 1; 2 signatures "
            "This signatory withdrew from the Social Mission on 2025-09-01 and no longer "
            "subscribes to it. Reason given: We closed.") in ridge
    assert ("Signed 2024-05-16, mission version 1; withdrawn by the registry on 2025-01-31. "
            "Reason given: An abuse report. Signed 2025-06-01, mission version 1; withdrawn "
            "on 2025-09-01. Reason given: We closed.") in ridge
    assert "Signature 2, version 1 (revoked)" in ridge


def test_a_page_signed_once_lists_no_signatures(sites: tuple[Path, Path, Path]) -> None:
    before, _, _ = sites
    html = (before / "signatories" / "harbour-media" / "index.html").read_text()
    assert "sm-signatures" not in html and 'id="signatures"' not in html
    assert "Signature 1" not in html


def test_the_api_keeps_the_current_signature_and_lists_every_one(
        sites: tuple[Path, Path, Path]) -> None:
    _, after, _ = sites
    url = f"{SITE_URL}{ASSERTIONS}harbour-media"
    record = json.loads((after / "api/v1/signatories/harbour-media.json").read_text())
    assert {key: record[key] for key in (
        "signed", "mission_version", "status", "withdrawn", "withdrawn_reason",
        "withdrawn_by", "reaffirmed", "assertion", "assertions", "current_version")} == {
        "signed": "2025-06-01", "mission_version": 1, "status": "active", "withdrawn": None,
        "withdrawn_reason": None, "withdrawn_by": None, "reaffirmed": [],
        "assertion": f"{url}.s2.json", "assertions": {"1": f"{url}.s2.json"},
        "current_version": 1}
    assert record["signatures"] == [
        {"signed": "2024-05-16", "mission_version": 1, "withdrawn": "2025-01-31",
         "withdrawn_reason": "We paused.", "assertions": {"1": f"{url}.json"}},
        {"signed": "2025-06-01", "mission_version": 1, "assertions": {"1": f"{url}.s2.json"}}]
    assert "signed_again" not in record  # `signatures` says it, every signature alike
    ridge = json.loads((after / "api/v1/signatories/ridge-works.json").read_text())
    assert (ridge["status"], ridge["signed"], ridge["withdrawn"], ridge["withdrawn_reason"],
            ridge["withdrawn_by"]) == ("withdrawn", "2025-06-01", "2025-09-01", "We closed.",
                                       None)
    assert [s.get("withdrawn_by") for s in ridge["signatures"]] == ["registry", None]
    listed = json.loads((after / "api/v1/signatories.json").read_text())
    assert [item["slug"] for item in listed["signatories"]] == ["harbour-media",
                                                                "ridge-works"]
    assert listed["signatories"][0] == record
    assert listed["count"] == {"active": 1, "withdrawn": 1}


def test_the_directory_shows_the_current_signature(sites: tuple[Path, Path, Path]) -> None:
    _, after, _ = sites
    data = json.loads((after / "api/v1/directory.json").read_text())
    row = dict(zip(data["fields"], data["rows"][0], strict=True))
    assert (row["slug"], row["signed"]) == ("harbour-media", "2025-06-01")
    former = (after / "signatories" / "former" / "index.html").read_text(encoding="utf-8")
    assert ('Ridge Works</a></td><td><time datetime="2025-06-01">2025-06-01</time></td><td>'
            '<time datetime="2025-09-01">2025-09-01</time></td>') in former


def test_the_feed_says_signed_again_with_an_id_of_its_own(
        sites: tuple[Path, Path, Path]) -> None:
    before, after, _ = sites
    atom = "{http://www.w3.org/2005/Atom}"

    def entries(site: Path) -> list[dict[str, str | None]]:
        feed = ET.parse(site / "feed.xml").getroot()
        return [{name: entry.findtext(f"{atom}{name}")
                 for name in ("title", "id", "published", "summary")}
                for entry in feed.iter(f"{atom}entry")]

    page = f"{SITE_URL}signatories/harbour-media/"
    assert entries(before) == [{"title": "Harbour Media Ltd", "id": page,
                                "published": "2024-05-16T00:00:00Z",
                                "summary": "We signed for our readers."}]
    assert entries(after) == [{"title": "Harbour Media Ltd signed again",
                               "id": f"{page}#signature-2",
                               "published": "2025-06-01T00:00:00Z",
                               "summary": "We signed for our readers."}]
    updated = ET.parse(after / "feed.xml").getroot().findtext(f"{atom}updated")
    assert updated == "2025-06-01T00:00:00Z"


def test_two_builds_of_a_registry_signed_again_are_byte_identical(
        sites: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, after, root = sites
    again = build(root, tmp_path / "again")
    files = sorted(p.relative_to(after) for p in after.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    differ = [path for path in files if (after / path).read_bytes() != (again / path).read_bytes()]
    assert differ == []


def test_the_verifier_reads_the_badge_as_it_is_written(sites: tuple[Path, Path, Path]) -> None:
    """openbadges-bakery's PNG reader and ours agree: the whole assertion, not a prefix."""
    _, after, _ = sites
    png = after / "badges" / "harbour-media" / "card-light@2x.png"
    with png.open("rb") as file:
        text = openbadges_bakery.unbake(io.BytesIO(file.read()))
    assert json.loads(text) == document(after, f"{SITE_URL}{ASSERTIONS}harbour-media.s2.json")
