"""Another organisation's pledge by configuration alone.

A registry made from this one by editing only its configuration (mission.yaml,
registry.yaml, mkdocs.yml) and its pledges says nothing of this registry's mission: not
in the built site, the badges (their text, <title>, aria-label and baked assertions), the
Open Badges documents, the feed, the schemas, the issue forms, the pledge template, the
App's comments, commits and pull requests, nor the check run's name.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from badge_support import drawn_lines, line_glyphs
from conftest import ROOT, SITE_WORDS, TESTS, copy_registry
from fake_github import REPO, FakeApi, branch_flow
from forms_support import body
from socialmission.changes.issueform import submit
from socialmission.check.validate import validate
from socialmission.cli import main
from socialmission.github.event import read_pull_request
from socialmission.github.signing import publish, read_issue
from socialmission.github.verdict import check_name, post
from socialmission.model import paths
from socialmission.model.mission import load_mission
from socialmission.model.settings import load_settings
from socialmission.ownership.judge import Verdict
from socialmission.render.layout import name_check
from socialmission.render.svg import HEADING_SIZE
from socialmission.site import pages

pytestmark = pytest.mark.slow
EVENTS = TESTS / "data" / "events"

# This registry's mission words, and its principles: none may appear in the other's files.
OLD_WORDS = ("social mission", "socially-m", "social-mission", "social_mission")
OLD_PRINCIPLES = tuple(" ".join(p.split()) for p in load_mission(ROOT).current.principles)

MISSION = """\
sectors: [fishing, shipping, boatbuilding, other]
versions:
  - version: 1
    date: 2025-03-01
    title: The Harbour Charter
    changes: First version.
    principles:
      - We keep the harbour clean.
      - We share the quay fairly.
      - We help any boat in trouble.
      - We report what we catch honestly.
      - We teach the young how the tides run.
"""

SETTINGS = """\
mission_name: Harbour Charter
badge_label: Harbour Charter
mission_aim: for working the harbour well
badge_aim: for the harbour
commitment: keeps the principles of
issuer_description: Keeper of the Harbour Charter and of everyone who keeps it.
keywords: [harbours, fishing]
issuer_name: Port Authority of Eastholm
issuer_email: charter@eastholm.example.net
issuer_url: https://eastholm.example.net/
repository: https://github.com/eastholm/harbour-charter
maintainers:
  - login: eastholm-port
    id: 4242
proof_name: harbour-charter
check_name: Charter verdict
"""

PLEDGES = {
    "north-quay-fisheries": """\
name: North Quay Fisheries
kind: organisation
website: https://northquay.example.net/
signed: 2025-04-02
mission_version: 1
maintainers:
  - login: northquay
    id: 5151
country: NO
sector: fishing
""",
    "lena-berg": """\
name: Lena Berg
kind: individual
website: https://lenaberg.example.net/
signed: 2025-05-10
mission_version: 1
maintainers:
  - login: lenaberg
    id: 6161
sector: boatbuilding
status: withdrawn
withdrawn: 2025-09-01
""",
}


def another_registry(target: Path) -> Path:
    """This registry with another mission (and sectors), issuer and proof names:
    configuration and pledges only (mkdocs.yml's name, description and address)."""
    root = copy_registry(target)
    (root / paths.MISSION_FILE).write_text(MISSION, encoding="utf-8")
    (root / paths.SETTINGS_FILE).write_text(SETTINGS, encoding="utf-8")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^site_name: .*$", "site_name: The Harbour Charter", config)
    config = re.sub(r"(?m)^site_description: >-\n(?:  .*\n)+",
                    "site_description: Five principles for working the harbour well.\n",
                    config)
    config = re.sub(r"(?m)^site_url: .*$", "site_url: https://charter.eastholm.example.net/",
                    config)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for slug, text in PLEDGES.items():
        (root / paths.PLEDGES_DIR / f"{slug}.yaml").write_text(text, encoding="utf-8")
    return root


def old_words_in(text: str) -> list[str]:
    folded = " ".join(text.casefold().split())
    return [w for w in (*OLD_WORDS, *(p.casefold() for p in OLD_PRINCIPLES)) if w in folded]


def scan(files: dict[str, bytes]) -> dict[str, list[str]]:
    """Each file (and each member of a zip) that still says an old word, with the words."""
    found: dict[str, list[str]] = {}
    for name, data in files.items():
        if name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as kit:
                found |= scan({f"{name}!{member}": kit.read(member)
                               for member in kit.namelist()} | {
                    f"{name}!names": "\n".join(kit.namelist()).encode()})
            continue
        # PNGs carry their baked assertion uncompressed (render/bake.py), so latin-1
        # reads every text a binary file holds.
        words = old_words_in(data.decode("latin-1")) + old_words_in(name)
        if words:
            found[name] = words
    return found


def test_another_mission_by_configuration_alone(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from socialmission.mkdocs.publish import build_site

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    root = another_registry(tmp_path / "registry")
    # the derived files, as `make site` writes them
    assert main(["--root", str(root), "derived"]) == 0
    assert main(["--root", str(root), "validate"]) == 0
    out = tmp_path / "public"
    build_site(root, out)

    files = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for name in ("badges/north-quay-fisheries/card-light@2x.png",
                 "badges/north-quay-fisheries/compact-dark.svg", "badges/lena-berg/social.png",
                 "badges/mission/card-light.svg", "openbadges/mission-v1.json",
                 "openbadges/issuer.json", "openbadges/assertions/lena-berg.json",
                 "feed.xml", "badges/harbour-charter-badges.zip"):
        assert name in files, name
    derived = [paths.SCHEMA_FILE, paths.SETTINGS_SCHEMA_FILE, paths.SIGN_FORM_FILE,
               paths.CHANGE_FORM_FILE, paths.REPORT_FORM_FILE, paths.PROPOSAL_FORM_FILE,
               f"{paths.PLEDGES_DIR}/{paths.TEMPLATE_NAME}"]
    for name in derived:
        files[name] = (root / name).read_bytes()
    assert scan(files) == {}
    # The card draws its heading as glyph outlines, which no text search finds: it is the
    # new label's glyphs, in capitals, and not the old one's.
    fonts = paths.fonts_dir(root)
    card = files["badges/north-quay-fisheries/card-light.svg"].decode()
    lines = [glyphs for _, glyphs in drawn_lines(card)]
    assert line_glyphs("HARBOUR CHARTER", HEADING_SIZE, fonts) in lines
    assert line_glyphs("SOCIAL MISSION", HEADING_SIZE, fonts) not in lines
    home = files["index.html"].decode()
    assert "Harbour Charter" in home and "We keep the harbour clean." in home
    assert "fishing" in files[paths.SCHEMA_FILE].decode()
    # its sectors, a list of names, show as their words wherever a page names them
    page = files["signatories/north-quay-fisheries/index.html"].decode()
    assert "<dt>Sector</dt><dd>Fishing</dd>" in page
    assert '<option value="fishing">Fishing</option>' in files["signatories/index.html"].decode()
    assert '<span class="sm-bars__label" dir="auto">Fishing</span>' in \
        files["stats/index.html"].decode()

    # The App, driven by recorded events: its commit, pull request and comment on a signing
    # issue (issues_edited.json, its body a form naming a new sector), and its check run on
    # a pull request (pull_request_target.opened.json).
    mission = load_mission(root)
    settings = load_settings(root)
    event = json.loads((EVENTS / "issues_edited.json").read_text(encoding="utf-8"))
    event["issue"]["body"] = body(Sector="shipping")
    event["sender"] = event["issue"]["user"]  # the author's own edit
    (tmp_path / "issue.json").write_text(json.dumps(event), encoding="utf-8")
    issue = read_issue(tmp_path / "issue.json")
    opened = (EVENTS / "pull_request_target.opened.json").read_text(encoding="utf-8")
    (tmp_path / "pull.json").write_text(opened.replace("HEAD_SHA", "c" * 40), encoding="utf-8")
    pull = read_pull_request(tmp_path / "pull.json")
    api = FakeApi({**branch_flow("sign/issue-12", 13),
                   ("POST", f"/repos/{REPO}/check-runs"): {"id": 7}})
    try:
        outcome = submit(root, issue.body, mission, author=(issue.author_login,
                                                            issue.author_id),
                         name_fits=name_check(root), write=False)
        assert outcome.ok, outcome.problems
        publish(api.github, issue, outcome, settings)
        post(api.github, pull, Verdict(changed=["pledges/x.yaml"]), name=check_name(root))
        sent = json.dumps([request for _, _, request in api.requests], ensure_ascii=False)
    finally:
        api.close()
    assert old_words_in(sent) == []
    assert '"name": "Charter verdict"' in sent
    assert "Harbour Charter" in sent


def test_words_the_badges_cannot_show_stop_the_build_at_their_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A label too wide for the card's heading, a site name too wide for the generic
    badge, an aim too long for its line: the build names the file and line of each, and
    exits 1 (measured with the badge fonts, as names are)."""
    root = another_registry(tmp_path / "registry")
    settings = root / paths.SETTINGS_FILE
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "badge_label: Harbour Charter",
        "badge_label: The Eastholm Harbour and Fisheries Charter")
        .replace("badge_aim: for the harbour",
                 "badge_aim: for everyone who works the harbour, by night or day"),
        encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "site_name: The Harbour Charter",
        "site_name: The Harbour Charter of the Port of Eastholm"), encoding="utf-8")
    assert main(["--root", str(root), "build", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "the badges cannot show the registry's words:\n" in err
    assert "registry.yaml:2: 'badge_label' is too long for the card's heading, in " \
           "capitals ('THE EASTHOLM HARBOUR AND FISHERIES CHARTER' is 280 px wide at " \
           "11 px; the card has 254 px): shorten it (got 'The Eastholm Harbour and " \
           "Fisheries Charter')" in err
    assert "mkdocs.yml:1: 'site_name' is too long for the generic badge's name (" in err
    assert "registry.yaml:4: 'badge_aim' is too long for the generic badge's line under " \
           "its name ('Five principles for everyone who works the harbour, by night or " \
           "day · v1' is " in err
    assert not (tmp_path / "out").exists()


def test_a_sector_a_pledge_names_cannot_be_removed(tmp_path: Path) -> None:
    """Sectors may be added; removing one that a pledge names refuses each such pledge
    at its 'sector' line."""
    root = another_registry(tmp_path / "registry")
    mission = root / paths.MISSION_FILE
    mission.write_text(mission.read_text(encoding="utf-8").replace(
        "sectors: [fishing, shipping, boatbuilding, other]",
        "sectors: [shipping, boatbuilding, other, ferries]"), encoding="utf-8")
    report = validate([root / paths.PLEDGES_DIR], load_mission(root),
                      name_fits=name_check(root))
    assert [(Path(p.path).name, p.line, p.message) for p in report.problems] == [
        ("north-quay-fisheries.yaml", 10,
         "'sector' must be one of shipping, boatbuilding, other, ferries: did you mean "
         "'shipping'? got 'fishing'")]


def test_hostile_words_stay_text_in_the_pages_front_matter() -> None:
    """A mission's name with YAML's and HTML's own characters: every generated page's front
    matter still reads as YAML, with the name as text the theme prints escaped."""
    hostile = 'Fair & <Square>: "Pledge" # one'
    words = dataclasses.replace(SITE_WORDS, site_name=hostile, settings=dataclasses.replace(
        SITE_WORDS.settings, mission_name=hostile, badge_label=hostile))
    mission = load_mission(ROOT)
    markdown = {"index.md": pages.home(mission, [], words, built_on=dt.date(2026, 3, 2)),
                "history.md": pages.history(mission, words),
                "press-kit.md": pages.press_kit(words),
                "stats.md": pages.stats([], words),
                **pages.directory_pages([], words=words)[0]}
    escaped = "Fair &amp; &lt;Square&gt;: &quot;Pledge&quot; # one"
    for name, text in markdown.items():
        front = yaml.safe_load(text.split("---\n")[1])
        assert escaped in front["description"] or escaped in front["title"], name
