"""The home page's Markdown (site/pages.py: home, wall): the count on the build's day, the
wall of the most recent active signatories (registry.yaml's home_wall and
home_wall_min_age), each with its logo or monogram, name and domain, and the principles.

The page is also rendered by Python-Markdown with the site's extensions, as the engines
render it, to see what a browser gets: a signatory's name stays text however it is made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest

from conftest import ROOT, SITE_WORDS
from e2e_support import HOSTILE_NAMES
from socialmission.model import paths
from socialmission.model.mission import load_mission
from socialmission.model.pledge import Pledge, Signature
from socialmission.model.urls import parse_https_url
from socialmission.site import pages
from socialmission.site.pages import SiteWords

MISSION = load_mission(ROOT)
BUILT = dt.date(2026, 3, 10)  # the build's day in these tests


def pledge(slug: str, signed: dt.date, *, name: str | None = None, active: bool = True,
           logo: bool = False, website: str | None = "https://www.example.net/") -> Pledge:
    extra: dict[str, object] = {} if active else {"status": "withdrawn",
                                                  "withdrawn": dt.date(2026, 3, 1)}
    return Pledge(slug=slug, path=Path(f"pledges/{slug}.yaml"),
                  name=name if name is not None else slug.replace("-", " ").title(),
                  kind="organisation",
                  website=parse_https_url(website) if website else None,
                  signed=signed, mission_version=1,
                  logo=paths.logo_path(slug) if logo else None, **extra)  # type: ignore[arg-type]


def words(**settings: Any) -> SiteWords:
    return dataclasses.replace(SITE_WORDS,
                               settings=dataclasses.replace(SITE_WORDS.settings, **settings))


def home(pledges: list[Pledge], built_on: dt.date = BUILT, *,
         sizes: dict[str, tuple[int, int]] | None = None, **settings: int) -> str:
    return pages.home(MISSION, pledges, words(**settings), built_on=built_on, logo_sizes=sizes)


def html(page: str) -> str:
    """The page's body as the engines render it (mkdocs.yml's Markdown extensions that
    touch it)."""
    body = page.split("---\n", 2)[2]
    return str(markdown.markdown(body, extensions=["md_in_html", "attr_list", "toc"]))


class Wall(HTMLParser):
    """The wall's entries as a browser reads them: each (href, name, host, thumbnail),
    the thumbnail ('img', its attributes) or ('monogram', its letter); and every tag of
    the page, to see that nothing a name holds became one."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.entries: list[dict[str, object]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._field: str | None = None
        self._in_wall = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        classes = (found.get("class") or "").split()
        if tag == "ul" and "sm-wall" in classes:
            self._in_wall = True
        elif not self._in_wall:
            return
        elif tag == "li":
            self.entries.append({"name": "", "host": "", "thumb": None, "href": None})
        elif tag == "img":
            self.entries[-1]["thumb"] = ("img", found)
        elif "sm-wall-monogram" in classes:
            assert found.get("aria-hidden") == "true"
            self._field = "monogram"
        elif tag == "a":
            self.entries[-1]["href"] = found.get("href")
        elif tag == "bdi":
            self._field = "name"
        elif tag == "span" and found.get("dir") == "ltr":
            self._field = "host"

    def handle_endtag(self, tag: str) -> None:
        self._field = None
        if tag == "ul":
            self._in_wall = False

    def handle_data(self, data: str) -> None:
        if self._field == "monogram":
            self.entries[-1]["thumb"] = ("monogram", data)
        elif self._field in ("name", "host"):
            entry = self.entries[-1]
            entry[self._field] = str(entry[self._field]) + data


def wall_of(page: str) -> list[dict[str, object]]:
    return Wall(html(page)).entries


# --- which signatories, in which order ---------------------------------------------------------
def test_the_newest_active_signatures_first_then_by_slug() -> None:
    """Withdrawn signatories are never on it; on one day, slugs in order; then cut to the
    wall's size."""
    everyone = [pledge("old", dt.date(2024, 1, 1)),
                pledge("zeta", dt.date(2026, 2, 1)), pledge("alpha", dt.date(2026, 2, 1)),
                pledge("gone", dt.date(2026, 3, 9), active=False),
                pledge("newest", dt.date(2026, 3, 9)), pledge("middle", dt.date(2025, 6, 1))]
    order = ["newest", "alpha", "zeta", "middle", "old"]
    assert [p.slug for p in pages.wall(everyone, BUILT, 12, 0)] == order
    assert [p.slug for p in pages.wall(everyone, BUILT, 3, 0)] == order[:3]
    assert [p.slug for p in pages.wall(list(reversed(everyone)), BUILT, 12, 0)] == order
    assert pages.wall(everyone, BUILT, 0, 0) == []


def test_a_pledge_signed_again_is_on_the_wall_by_its_new_signature() -> None:
    """Its new signature is news: placed by the day it signed again, and held back by the
    minimum age from that day, not from its first signature's."""
    again = dataclasses.replace(
        pledge("again", dt.date(2024, 1, 1)), withdrawn=dt.date(2025, 1, 1),
        signed_again=(Signature(signed=dt.date(2026, 3, 5), mission_version=1),))
    everyone = [again, pledge("recent", dt.date(2026, 3, 1)), pledge("old", dt.date(2025, 1, 1))]
    assert [p.slug for p in pages.wall(everyone, BUILT, 12, 0)] == ["again", "recent", "old"]
    assert [p.slug for p in pages.wall(everyone, BUILT, 12, 7)] == ["recent", "old"]


def test_a_minimum_age_is_counted_from_the_build_day() -> None:
    """With home_wall_min_age 7, a signature of 3 March is on the wall of a build on 10
    March (7 days old), one of 4 March is not yet; a build a day later shows it."""
    everyone = [pledge("seven-days", dt.date(2026, 3, 3)),
                pledge("six-days", dt.date(2026, 3, 4)),
                pledge("today", BUILT)]
    assert [p.slug for p in pages.wall(everyone, BUILT, 12, 7)] == ["seven-days"]
    assert [p.slug for p in pages.wall(everyone, BUILT + dt.timedelta(days=1), 12, 7)] == \
        ["six-days", "seven-days"]
    assert [p.slug for p in pages.wall(everyone, BUILT, 12, 0)] == \
        ["today", "six-days", "seven-days"]
    # the page: the held-back signatures are counted, not shown
    page = home(everyone, home_wall_min_age=7)
    assert [e["href"] for e in wall_of(page)] == ["signatories/seven-days/"]
    assert "<strong class=\"sm-count-number\">3</strong>" in page


def test_the_wall_setting_sizes_the_wall_and_zero_hides_it() -> None:
    everyone = [pledge(f"signatory-{n:02d}", dt.date(2025, 1, n)) for n in range(1, 21)]
    assert len(wall_of(home(everyone))) == 12  # the default
    assert [e["href"] for e in wall_of(home(everyone, home_wall=3))] == [
        "signatories/signatory-20/", "signatories/signatory-19/", "signatories/signatory-18/"]
    assert len(wall_of(home(everyone, home_wall=20))) == 20
    hidden = home(everyone, home_wall=0)
    assert wall_of(hidden) == []
    assert "Recent signatories" not in hidden and "sm-wall" not in hidden
    assert ">20</strong> <span class=\"sm-count-label\">active signatories as of" in hidden


# --- what each entry shows ---------------------------------------------------------------------
def test_a_logo_where_there_is_one_and_a_monogram_otherwise() -> None:
    """The published logo (logos/<slug>.png) at its size in the wall's box, lazy, with an
    empty alt (the name is beside it); a monogram otherwise, the name's first letter in
    whatever script, and for a logo that is not published (no size) too."""
    everyone = [pledge("wide-logo", dt.date(2026, 1, 5), logo=True),
                pledge("small-logo", dt.date(2026, 1, 4), logo=True),
                pledge("unpublished-logo", dt.date(2026, 1, 3), logo=True),
                pledge("arabic", dt.date(2026, 1, 2), name="دار الكلمة للنشر"),
                pledge("japanese", dt.date(2026, 1, 1), name="株式会社さくらデザイン",
                       website=None),
                pledge("devanagari", dt.date(2025, 12, 31), name="प्रिया शर्मा",
                       website="https://priya.example.com/")]
    sizes = {"wide-logo": (512, 256), "small-logo": (32, 40)}
    entries = wall_of(home(everyone, sizes=sizes))
    assert entries == [
        {"href": "signatories/wide-logo/", "name": "Wide Logo", "host": "example.net",
         "thumb": ("img", {"src": "logos/wide-logo.png", "width": "48", "height": "24",
                           "alt": "", "loading": "lazy", "decoding": "async"})},
        {"href": "signatories/small-logo/", "name": "Small Logo", "host": "example.net",
         "thumb": ("img", {"src": "logos/small-logo.png", "width": "32", "height": "40",
                           "alt": "", "loading": "lazy", "decoding": "async"})},
        {"href": "signatories/unpublished-logo/", "name": "Unpublished Logo",
         "host": "example.net", "thumb": ("monogram", "U")},
        {"href": "signatories/arabic/", "name": "دار الكلمة للنشر", "host": "example.net",
         "thumb": ("monogram", "د")},
        {"href": "signatories/japanese/", "name": "株式会社さくらデザイン", "host": "",
         "thumb": ("monogram", "株")},
        {"href": "signatories/devanagari/", "name": "प्रिया शर्मा", "host": "example.com",
         "thumb": ("monogram", "प")},
    ]


def test_the_domain_is_the_registrable_one_as_the_directory_shows_it() -> None:
    lookalike = pledge("lookalike", dt.date(2026, 1, 1), name="Google",
                       website="https://google.com.evil.example.net/login")
    assert wall_of(home([lookalike]))[0]["host"] == "example.net"


@pytest.mark.parametrize("name", list(HOSTILE_NAMES.values()))
def test_a_hostile_name_stays_text_on_the_home_page(name: str) -> None:
    page = home([pledge("hostile", dt.date(2026, 1, 1), name=name)])
    parsed = Wall(html(page))
    assert [e["name"] for e in parsed.entries] == [name]
    assert parsed.entries[0]["thumb"] == ("monogram", next(ch for ch in name if ch.isalnum()))
    # no tag, attribute or link came from the name: the page has the tags it always has
    assert {tag for tag, _ in parsed.tags} <= {"div", "h1", "h2", "p", "strong", "span",
                                              "time", "a", "img", "ul", "li", "bdi", "ol",
                                              "wbr"}
    assert not [attrs for _, attrs in parsed.tags
                if any(key.startswith("on") or key in ("srcdoc", "style") for key in attrs)]
    assert not [attrs for tag, attrs in parsed.tags
                if tag == "a" and not re.fullmatch(r"(sign|signatories)/[a-z-]*/?|",
                                                   attrs.get("href") or "")]


# --- the count and its day ---------------------------------------------------------------------
def test_the_count_is_the_active_signatories_on_the_build_day() -> None:
    everyone = [pledge("one", dt.date(2025, 1, 1)), pledge("two", dt.date(2025, 2, 1)),
                pledge("gone", dt.date(2025, 3, 1), active=False)]
    page = home(everyone, dt.date(2026, 12, 5))
    assert ('<strong class="sm-count-number">2</strong> <span class="sm-count-label">active '
            'signatories as of <time datetime="2026-12-05">5 December 2026</time></span>'
            ) in page
    assert ">See all 2 signatories</a>" in page


def test_one_signatory_and_none_are_said_right() -> None:
    one = home([pledge("only", dt.date(2025, 1, 1))], dt.date(2026, 1, 1))
    assert ('<strong class="sm-count-number">1</strong> <span class="sm-count-label">active '
            'signatory as of <time datetime="2026-01-01">1 January 2026</time>') in one
    assert ">See the 1 signatory</a>" in one
    none = home([pledge("gone", dt.date(2025, 1, 1), active=False)], dt.date(2026, 1, 1))
    assert ('<strong class="sm-count-number">0</strong> <span class="sm-count-label">active '
            'signatories as of') in none
    assert "sm-wall" not in none and "See all" not in none
    # the buttons are there whatever the count
    assert '<a class="md-button md-button--primary" href="sign/">Sign</a>' in none
    assert '<a class="md-button" href="signatories/">See who signed</a>' in none


# --- the page around them ----------------------------------------------------------------------
def test_the_page_hides_the_navigation_and_the_table_of_contents() -> None:
    front = home([]).split("---\n")[1]
    assert "hide:\n  - navigation\n  - toc\n" in front


def test_the_hero_takes_its_words_from_the_mission_and_the_settings() -> None:
    page = home([])
    settings = SITE_WORDS.settings
    assert f"# {MISSION.current.title}\n" in page
    assert (f"<p class=\"sm-hero-line\">Ten principles {settings.mission_aim}, published by "
            f"{settings.issuer_name}.</p>") in page
    badge = f"{paths.badge_folder_path(paths.GENERIC_BADGE)}card-"
    for variant in ("light", "dark"):
        assert (f'<img class="sm-hero-badge--{variant}" src="{badge}{variant}.svg" '
                f'width="360" height="100" alt="The {settings.mission_name} badge">') in page


def test_the_principles_are_an_ordered_list_in_their_order() -> None:
    parsed = html(home([]))
    listed = re.search(r'<ol class="sm-principles" role="list">(.*?)</ol>', parsed, re.S)
    assert listed is not None
    items = re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)
    assert items == [" ".join(p.split()).replace("'", "&#39;")
                     for p in MISSION.current.principles]


def test_a_version_without_a_status_says_none() -> None:
    """mission.yaml's `status` is optional: no empty parentheses where it is not given."""
    plain = load_mission(ROOT)
    version = dataclasses.replace(plain.current, status="")
    mission = dataclasses.replace(plain, versions=(*plain.versions[:-1], version))
    page = pages.home(mission, [], SITE_WORDS, built_on=BUILT)
    assert '<p class="sm-principles-version">Version 1, October 2023.</p>' in page
    assert '<p class="sm-principles-version">Version 1 (first draft), October 2023.</p>' in \
        home([])


def test_an_erratum_shows_beside_the_current_text_as_signed() -> None:
    """mission.yaml's 'errata' on the current version: a note under the principles, which
    stay the words signed (the history page shows the same note: test_history.py)."""
    note = "Principle 9: 'it's audience' is to be read 'its audience' <b>."
    noted = dataclasses.replace(MISSION, versions=(dataclasses.replace(
        MISSION.current, errata=(note,)),))
    page = pages.home(noted, [], words(), built_on=BUILT, logo_sizes=None)
    body = html(page)
    assert ("<p><strong>Errata</strong> (the text above stays as it was signed):</p>\n<ul>\n"
            "<li>Principle 9: &#39;it&#39;s audience&#39; is to be read &#39;its audience&#39; "
            "&lt;b&gt;.</li>") in body
    assert "and it&#39;s audience.</li>" in body  # the principle as signed
    assert "Errata" not in html(home([]))
