"""The "Add to LinkedIn" link of an individual signatory's page (site/linkedin.py), read
back from the built page as a browser and LinkedIn read it: the href out of the parsed
HTML, its query parsed, each parameter compared, with the registry's words made hostile."""

from __future__ import annotations

import dataclasses
import datetime as dt
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import FONTS, SITE_WORDS
from e2e_support import HOSTILE_NAMES
from socialmission.model.mission import Mission
from socialmission.model.pledge import Pledge
from socialmission.model.settings import Settings
from socialmission.model.urls import parse_https_url
from socialmission.site.pages import SiteWords, signatory

BASE = "https://socialmission.example.org/"
# Words a registry may choose that are markup, or that would end a query value or the
# attribute if they were not encoded: '&', '=', '#', '+', '%', quotes, '<'.
HOSTILE_WORDS = ['Pledge & Co="x" <b>', "A+B #1 %20 100% ?q=1&name=evil", "誓約 ✓ «Ünï»",
                 *HOSTILE_NAMES.values()]


def pledge(name: str = "Priya Sharma", *, kind: str | None = "individual",
           status: str = "active", redacted: bool = False,
           reaffirmed: tuple[tuple[int, dt.date], ...] = ()) -> Pledge:
    extra: dict[str, Any] = {}
    if status != "active":
        extra = {"status": status, "withdrawn": dt.date(2025, 2, 28)}
    if redacted:
        extra["redacted"] = dt.date(2025, 3, 31)
    else:
        extra["website"] = parse_https_url("https://priya.example.org/")
    return Pledge(slug="priya-sharma", path=Path("pledges/priya-sharma.yaml"), name=name,
                  kind=kind, signed=dt.date(2024, 7, 9), mission_version=1,
                  reaffirmed=reaffirmed, **extra)


class Links(HTMLParser):
    """The href of every <a> whose text is `text`, as a browser reads the attribute."""

    def __init__(self, html: str, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.found: list[str | None] = []
        self._href: str | None = None
        self._words = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._words = dict(attrs).get("href"), ""

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._words += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            if self._words == self.text:
                self.found.append(self._href)
            self._href = None


def linkedin_links(p: Pledge, mission: Mission,
                   settings: Settings | None = None) -> list[str | None]:
    words = SITE_WORDS if settings is None else SiteWords(settings, SITE_WORDS.site_name,
                                                           SITE_WORDS.badges, mission)
    html = signatory(p, BASE, FONTS, mission, words=words)[1].html
    return Links(html, "Add to LinkedIn").found


def parameters(href: str | None) -> dict[str, list[str]]:
    assert href is not None
    parts = urlsplit(href)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == \
        "https://www.linkedin.com/profile/add"
    assert parts.fragment == ""
    return parse_qs(parts.query, strict_parsing=True, keep_blank_values=True)


@pytest.mark.parametrize("word", HOSTILE_WORDS)
def test_the_link_reads_back_with_the_registrys_words_whatever_they_hold(
        word: str, mission: Mission) -> None:
    settings = dataclasses.replace(SITE_WORDS.settings, mission_name=word, issuer_name=word)
    [href] = linkedin_links(pledge(), mission, settings)
    assert parameters(href) == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": [f"{word} signatory (version 1)"],  # the Open Badges BadgeClass's name
        "organizationName": [word],
        "issueYear": ["2024"], "issueMonth": ["7"],
        "certUrl": [f"{BASE}signatories/priya-sharma/"],
        "certId": ["priya-sharma"]}


def test_the_demo_registrys_link(mission: Mission) -> None:
    [href] = linkedin_links(pledge(), mission)
    assert href == ("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME"
                    "&name=Social%20Mission%20signatory%20%28version%201%29"
                    "&organizationName=Socially-M&issueYear=2024&issueMonth=7"
                    "&certUrl=https%3A%2F%2Fsocialmission.example.org%2Fsignatories%2F"
                    "priya-sharma%2F&certId=priya-sharma")


def test_with_an_organization_id_the_issuer_is_named_by_it(mission: Mission) -> None:
    """LinkedIn shows the issuer's logo and links its page only for an organisation id."""
    settings = dataclasses.replace(SITE_WORDS.settings, linkedin_organization_id=12345678)
    [href] = linkedin_links(pledge(), mission, settings)
    found = parameters(href)
    assert found["organizationId"] == ["12345678"]
    assert "organizationName" not in found


def test_a_reaffirmed_signatory_adds_the_newest_version_it_signed(mission: Mission) -> None:
    [href] = linkedin_links(pledge(reaffirmed=((2, dt.date(2026, 1, 20)),)), mission)
    found = parameters(href)
    assert found["name"] == ["Social Mission signatory (version 2)"]
    assert (found["issueYear"], found["issueMonth"]) == (["2026"], ["1"])


@pytest.mark.parametrize("p", [
    pledge("Northwind Media", kind="organisation"),  # its people did not sign
    pledge(status="withdrawn"),
    pledge(status="withdrawn", redacted=True, kind=None),
], ids=["organisation", "withdrawn", "redacted"])
def test_only_an_active_individual_is_offered_the_link(p: Pledge, mission: Mission) -> None:
    html = signatory(p, BASE, FONTS, mission, words=SITE_WORDS)[1].html
    assert Links(html, "Add to LinkedIn").found == []
    assert "linkedin.com/profile/add" not in html and "sm-linkedin" not in html
