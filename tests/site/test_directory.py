"""The directory's pages and search data, without a browser (test_e2e_directory.py has the
browser's view): the country order, the one row both draw from, and the row template."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from conftest import FONTS, ROOT, SITE_WORDS, VALID, Registry
from socialmission.model import paths
from socialmission.model.mission import parse_mission
from socialmission.model.pledge import Pledge
from socialmission.model.urls import Url, parse_https_url
from socialmission.site import opendata, pages


@pytest.fixture
def pledge(registry: Registry) -> Pledge:
    registry.write("acme", VALID)
    (found,) = registry.validate().pledges
    return found


def test_countries_go_by_their_english_name_accents_and_case_apart() -> None:
    names = ["United Kingdom", "Åland Islands", "austria", "Albania", "Côte d'Ivoire",
             "Czechia", "Curaçao"]
    assert sorted(names, key=pages.country_sort_key) == [
        "Åland Islands", "Albania", "austria", "Côte d'Ivoire", "Curaçao", "Czechia",
        "United Kingdom"]


def test_the_filter_lists_countries_by_name_not_by_code(pledge: Pledge) -> None:
    # By code: CZ, ES, GB, NO. By name: Czechia, Norway, Spain, United Kingdom.
    many = [dataclasses.replace(pledge, slug=f"acme-{code.lower()}", country=code)
            for code in ("GB", "ES", "NO", "CZ")]
    _, bodies = pages.directory_pages(many, words=SITE_WORDS)
    html = bodies["signatories/index.md"].html
    select = re.search(r'<select name="country">(.*?)</select>', html)
    assert select is not None
    assert re.findall(r'<option value="(\w*)">', select.group(1)) == ["", "CZ", "NO", "ES",
                                                                       "GB"]


def test_the_search_data_and_the_page_share_one_row(pledge: Pledge) -> None:
    with_logo = dataclasses.replace(pledge, slug="acme-logo", name="«Acme» Logo",
                                    logo="logos/acme-logo.png")
    data = json.loads(opendata.directory_data([pledge, with_logo]))
    assert data["fields"] == list(opendata.DIRECTORY_FIELDS)
    rows = [dict(zip(data["fields"], row, strict=True)) for row in data["rows"]]
    assert [(r["slug"], r["logo"], r["initial"]) for r in rows] == [
        ("acme", "", "H"), ("acme-logo", paths.logo_path("acme-logo"), "A")]
    _, bodies = pages.directory_pages([pledge, with_logo], words=SITE_WORDS)
    html = bodies["signatories/index.md"].html
    # The server's rows: the logo or the letter, never both.
    assert '<img class="sm-logo" src="../logos/acme-logo.png"' in html
    assert '<span class="sm-monogram" aria-hidden="true">H</span><a href="acme/"' in html
    # The script's template: every optional part, every value empty, one cell a column.
    template = re.search(r'<template id="sm-row">(.*?)</template>', html)
    assert template is not None
    assert template.group(1) == (
        '<tr><td data-label="Name"><img class="sm-logo" src="" alt="" width="24" height="24"'
        ' loading="lazy"><span class="sm-monogram" aria-hidden="true"></span>'
        '<a href="" dir="auto"></a> <bdi dir="ltr"></bdi>'
        '<span class="sm-proof-mark" title="Website confirms this '
        'signature"> &#10003;<span class="sm-visually-hidden"> website confirms this '
        'signature</span></span></td><td data-label="Kind"></td><td data-label="Country">'
        '</td><td data-label="Sector"></td><td data-label="Signed"><time datetime="">'
        '</time><span class="sm-older">Signed version <span class="sm-older-version">'
        '</span>; <a href="../history/#mission-v1">version 1 is current</a></span>'
        "</td></tr>")
    headers = re.findall(r'<th scope="col" data-field="(\w+)">', html)
    assert headers == [field for field, _ in pages.DIRECTORY_COLUMNS]


def test_the_domain_is_beside_the_name_once_for_page_and_script(pledge: Pledge) -> None:
    """The one row carries the domain as model.urls.shown_domain gives it; the page draws
    it beside the name, left to right, escaped; the search data carries the same text."""
    look_alike = dataclasses.replace(pledge, slug="look-alike", name="Google",
                                     website=parse_https_url("https://www.g\u043e\u043egle.com/"))
    hostile = dataclasses.replace(pledge, slug="hostile", name="Hostile", website=Url(
        text="https://x.example/", host="x.example", registrable="<b>x</b>&.example"))
    data = json.loads(opendata.directory_data([look_alike, hostile]))
    rows = {row[0]: dict(zip(data["fields"], row, strict=True)) for row in data["rows"]}
    assert rows["look-alike"]["host"] == "g\u043e\u043egle.com (xn--ggle-55da.com)"
    assert rows["hostile"]["host"] == "<b>x</b>&.example"
    raw = opendata.directory_data([hostile]).decode()
    assert "<b>" not in raw and "&." not in raw  # the JSON is safe inside HTML too
    _, bodies = pages.directory_pages([look_alike, hostile], words=SITE_WORDS)
    html = bodies["signatories/index.md"].html
    # Escaped, and breakable only after '/', '.', '@' or a space (pages.address).
    assert ('<a href="look-alike/" dir="auto">Google</a> <bdi dir="ltr">'
            "g\u043e\u043egle.<wbr>com <wbr><span>(xn--ggle-55da</span>.<wbr>com)</bdi>") in html
    assert '<bdi dir="ltr">&lt;b&gt;x&lt;/<wbr>b&gt;&amp;.<wbr>example</bdi>' in html


@pytest.mark.parametrize(("name", "initial"), [
    ("Example Media", "E"), ("«Acme»", "A"), ("3 Rivers", "3"), ("株式会社", "株"),
    ("...", "?"),
])
def test_a_monogram_is_the_first_letter_or_digit(name: str, initial: str) -> None:
    assert opendata.monogram_initial(name) == initial


def test_every_html_page_names_its_heading_for_the_skip_link(pledge: Pledge) -> None:
    _, bodies = pages.directory_pages([pledge], words=SITE_WORDS)
    assert bodies["signatories/index.md"].heading == (pages.DIRECTORY_HEADING, "Signatories")
    assert f'<h1 id="{pages.DIRECTORY_HEADING}"' in bodies["signatories/index.md"].html


# --- a sector shows as its words, wherever a page names it ----------------------------------
BASE = "https://socialmission.example.org/"
SECTORS = """\
sectors:
  retail: Shops & markets
  media: Media and press
  professional-services: Professional services
"""


def _words_with_sectors() -> pages.SiteWords:
    """The site's words with a mission whose sectors have words of their own, in an order
    that is neither their names' nor their words' alphabetical one."""
    text = (ROOT / paths.MISSION_FILE).read_text(encoding="utf-8")
    text = re.sub(r"^sectors:\n(?:  .*\n)+", SECTORS, text, flags=re.MULTILINE)
    return dataclasses.replace(SITE_WORDS, mission=parse_mission(text, "mission.yaml"))


def test_a_sector_shows_as_its_words_in_the_directory_page_and_stats(
        pledge: Pledge) -> None:
    words = _words_with_sectors()
    many = [dataclasses.replace(pledge, slug=f"acme-{sector}", name=f"Acme {index}",
                                sector=sector)
            for index, sector in enumerate(["professional-services", "media", "retail",
                                            "media"])]
    _, bodies = pages.directory_pages(many, words=words)
    html = bodies["signatories/index.md"].html
    select = re.search(r'<select name="sector">(.*?)</select>', html)
    assert select is not None
    # mission.yaml's order, its words shown, its names the values the address carries
    assert re.findall(r'<option value="([\w-]*)">([^<]*)</option>', select.group(1)) == [
        ("", "All"), ("retail", "Shops &amp; markets"), ("media", "Media and press"),
        ("professional-services", "Professional services")]
    cells = re.findall(r'<td data-label="Sector">([^<]*)</td>', html)
    assert cells == ["Professional services", "Media and press", "Shops &amp; markets",
                     "Media and press", ""]  # the last: the script's empty template row
    _, body = pages.signatory(many[0], BASE, FONTS, words=words)
    assert "<dt>Sector</dt><dd>Professional services</dd>" in body.html
    stats = pages.stats(many, words)
    labels = re.findall(r'<span class="sm-bars__label" dir="auto">([^<]*)</span>', stats)
    assert labels[-3:] == ["Media and press", "Professional services", "Shops &amp; markets"]
    assert "professional-services" not in stats
