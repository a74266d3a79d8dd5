"""What an active signatory of an older mission version is told (a pull, no message sent):
its page and its directory row say which version it signed and that a newer one is current,
linking the history page's section on what changed; its page links the change form with
its page address filled in, whose parameter is the generated form's own question id; the
feed has each new version as an entry; its API record gives its version and the current
one. (The built site and its badges: test_older_version_site.py; the browser:
test_e2e_older_version.py.)"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import FONTS, MISSION_NAME, SITE_WORDS, VALID, Registry
from mission_support import mission_v2_text
from socialmission.changes import changeform, issueform
from socialmission.model import paths
from socialmission.model.mission import Mission, load_mission
from socialmission.model.pledge import Pledge
from socialmission.site import feed, opendata, pages
from socialmission.site.signlinks import change_form_url

BASE = "https://socialmission.example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"
OWNER_NAME = ("socially-m", "social-mission-registry")  # registry.yaml's repository


@pytest.fixture
def v2(registry: Registry) -> tuple[Pledge, Mission]:
    """A signatory of version 1 (Harbour Media, 2024-05-16), in a registry whose current
    version is 2."""
    registry.write("example-media", VALID)
    (pledge,) = registry.validate().pledges
    (registry.root / paths.MISSION_FILE).write_text(mission_v2_text(), encoding="utf-8")
    return pledge, load_mission(registry.root)


def reaffirmed(pledge: Pledge) -> Pledge:
    return dataclasses.replace(pledge, reaffirmed=((2, dt.date(2026, 3, 1)),))


def newer_note(html: str) -> str | None:
    found = re.search(r'<p class="sm-newer">(.*?)</p>', html, re.DOTALL)
    return None if found is None else found[1]


# --- the signatory's page ---------------------------------------------------------------------
def test_the_page_says_which_version_was_signed_and_links_what_changed_and_the_form(
        v2: tuple[Pledge, Mission]) -> None:
    pledge, mission = v2
    _, body = pages.signatory(pledge, BASE, FONTS, mission, words=SITE_WORDS)
    note = newer_note(body.html)
    assert note is not None
    form = change_form_url(OWNER_NAME, pledge.slug)
    assert note == (
        'This signatory signed version 1 of the mission; version 2 is current: '
        '<a href="../../history/#mission-v2">what changed</a>. Its maintainers may reaffirm '
        f'version 2, or withdraw, with the <a href="{form.replace("&", "&amp;")}">change '
        "form</a>, where this page's address is filled in: choose &ldquo;Reaffirm the "
        "current mission version&rdquo; or &ldquo;Withdraw my signature&rdquo;.")
    assert form == ("https://github.com/socially-m/social-mission-registry/issues/new"
                    "?template=change.yml&slug=example-media")


def test_no_note_for_a_reaffirmed_a_withdrawn_or_a_current_signatory(
        v2: tuple[Pledge, Mission], mission: Mission) -> None:
    pledge, mission_v2 = v2
    withdrawn = dataclasses.replace(pledge, status="withdrawn", withdrawn=dt.date(2025, 1, 31),
                                    withdrawn_reason="Closed.")
    assert not withdrawn.active
    for shown, current in ((reaffirmed(pledge), mission_v2), (withdrawn, mission_v2),
                           (pledge, mission)):
        _, body = pages.signatory(shown, BASE, FONTS, current, words=SITE_WORDS)
        assert newer_note(body.html) is None
        assert "change.yml" not in body.html


def test_the_change_forms_link_names_only_the_forms_own_text_questions(
        mission: Mission) -> None:
    """GitHub fills an issue form's text question (input, textarea) from the query
    parameter named by its id, and documents no such thing for a dropdown: every parameter
    of the link, but `template` (the form's file), is the id of a text question of the
    change form as generated, and the page address's; the choices the page names are the
    form's own dropdown options."""
    url = urlsplit(change_form_url(OWNER_NAME, "harbour-media"))
    query = parse_qs(url.query, strict_parsing=True)
    assert query.pop("template") == [Path(paths.CHANGE_FORM_FILE).name]
    form = yaml.safe_load(changeform.form_text(mission))
    text_questions = {item["id"]: item for item in form["body"]
                      if item["type"] in ("input", "textarea")}
    assert set(query) <= set(text_questions)
    assert query == {changeform.SLUG_ID: ["harbour-media"]}
    assert text_questions[changeform.SLUG_ID]["attributes"]["label"] == issueform.SLUG_LABEL
    (action,) = [item for item in form["body"] if item.get("id") == "action"]
    assert action["type"] == "dropdown"  # hence named on the page, never put in the link
    assert {changeform.REAFFIRM, changeform.WITHDRAW} <= set(action["attributes"]["options"])


def test_the_link_encodes_the_address_whole() -> None:
    """A slug is lower-case letters, digits and hyphens; were it anything else, it would
    still be one query value."""
    url = change_form_url(OWNER_NAME, "a&b=c d#e")
    assert parse_qs(urlsplit(url).query)["slug"] == ["a&b=c d#e"]


# --- the directory ------------------------------------------------------------------------------
def test_the_directory_row_says_the_version_and_links_what_changed(
        registry: Registry, v2: tuple[Pledge, Mission]) -> None:
    pledge, mission = v2
    current = dataclasses.replace(reaffirmed(pledge), slug="current-media", name="Current Media")
    words = dataclasses.replace(SITE_WORDS, mission=mission)
    _, bodies = pages.directory_pages([pledge, current], words=words)
    html = bodies["signatories/index.md"].html
    (body,) = re.findall(r"<tbody>(.*?)</tbody>", html, re.DOTALL)
    by_slug = {slug: row for row, slug in re.findall(
        r'(<tr>.*?<a href="([^"]+)/" dir.*?</tr>)', body, re.DOTALL)}
    assert sorted(by_slug) == ["current-media", "example-media"]
    assert ('<time datetime="2024-05-16">2024-05-16</time><span class="sm-older">Signed '
            'version <span class="sm-older-version">1</span>; <a href="../history/'
            '#mission-v2">version 2 is current</a></span></td>') in by_slug["example-media"]
    assert "sm-older" not in by_slug["current-media"]
    data = json.loads(opendata.directory_data([pledge, current], mission=mission))
    older = data["fields"].index("older_version")
    assert sorted((row[0], row[older]) for row in data["rows"]) == [
        ("current-media", ""), ("example-media", "1")]
    # a later page of the directory links the same section from its own folder
    many = [dataclasses.replace(pledge, slug=f"harbour-{n:03}") for n in range(101)]
    _, bodies = pages.directory_pages(many, words=words)
    assert 'href="../../../history/#mission-v2"' in bodies["signatories/page/2.md"].html


# --- the feed and the API ------------------------------------------------------------------
def test_the_feed_has_each_new_version_as_an_entry(v2: tuple[Pledge, Mission]) -> None:
    pledge, mission = v2
    document = ET.fromstring(feed.atom_feed(
        [pledge], BASE, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "Socially-M", MISSION_NAME,
        versions=mission.versions))
    entries = [(e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}id"),
                e.findtext(f"{ATOM}published"), e.findtext(f"{ATOM}summary"))
               for e in document.iter(f"{ATOM}entry")]
    assert entries == [  # newest first; version 1 is the mission itself, not news
        ("Version 2 of the Social Mission is published", f"{BASE}history/#mission-v2",
         "2026-01-01T00:00:00Z", "Invented for the tests."),
        ("Harbour Media Ltd", f"{BASE}signatories/example-media/", "2024-05-16T00:00:00Z",
         "Harbour Media Ltd signed the Social Mission.")]
    (link,) = next(document.iter(f"{ATOM}entry")).iter(f"{ATOM}link")
    assert link.get("href") == paths.mission_version_url(BASE, 2)


def test_the_record_gives_its_version_and_the_current_one(
        v2: tuple[Pledge, Mission], mission: Mission) -> None:
    """`current_version` is the record's; `newer_version` the current one while it is
    newer, else None (the record's is then the current one), as signatories.json's
    `mission_version` says once for every record."""
    pledge, mission_v2 = v2
    fields = ("current_version", "newer_version")
    assert [opendata.record(pledge, BASE, mission_v2)[name] for name in fields] == [1, 2]
    assert [opendata.record(reaffirmed(pledge), BASE, mission_v2)[name]
            for name in fields] == [2, None]
    assert [opendata.record(pledge, BASE, mission)[name] for name in fields] == [1, None]
    files = opendata.api_files([pledge], mission_v2, BASE)
    api = json.loads(files[paths.api_signatory_path(pledge.slug)])
    assert [api[name] for name in fields] == [1, 2]
    assert json.loads(files[paths.API_SIGNATORIES_PATH])["mission_version"] == 2
