"""The Atom feed: a template that keeps every signatory's text as XML text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import MISSION_NAME
from socialmission.model.pledge import Pledge
from socialmission.model.urls import parse_https_url
from socialmission.site.feed import FEED_ENTRIES, atom_feed

BASE = "https://registry.example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"
UPDATED = dt.datetime(2025, 1, 20, tzinfo=dt.UTC)
HOSTILE_NAME = "</title><script>alert(1)</script> & \"Co\" 'x' ]]> <!-- <![CDATA["
HOSTILE_STATEMENT = "</summary></entry><entry><title>Forged</title>&amp;&#0; ]]>\n<?pi?>"


def pledge(slug: str, signed: dt.date, **changes: object) -> Pledge:
    base = Pledge(slug=slug, path=Path(f"pledges/{slug}.yaml"), name=slug.title(),
                  kind="organisation", website=parse_https_url("https://www.example.net/"),
                  signed=signed, mission_version=1, maintainers=("harbour",))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_hostile_text_stays_text_and_the_feed_parses() -> None:
    pledges = [pledge("hostile", dt.date(2025, 1, 20), name=HOSTILE_NAME,
                      statement=HOSTILE_STATEMENT)]
    feed = ET.fromstring(atom_feed(pledges, BASE, UPDATED, "Issuer <&> \"Q\"",
                                   "Pledge <&> \"Q\""))
    entries = list(feed.iter(f"{ATOM}entry"))
    assert len(entries) == 1  # no entry was forged
    assert entries[0].findtext(f"{ATOM}title") == HOSTILE_NAME
    assert entries[0].findtext(f"{ATOM}summary") == HOSTILE_STATEMENT
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Issuer <&> \"Q\""
    assert feed.findtext(f"{ATOM}title") == "New signatories of the Pledge <&> \"Q\""
    assert [child.tag.removeprefix(ATOM) for child in entries[0]] == [
        "title", "id", "link", "published", "updated", "summary"]


def test_the_feed_lists_the_newest_active_signatures_first() -> None:
    pledges = [pledge(f"s-{n:03d}", dt.date(2024, 1, 1) + dt.timedelta(days=n))
               for n in range(FEED_ENTRIES + 5)]
    pledges.append(pledge("gone", dt.date(2026, 1, 1), status="withdrawn",
                          withdrawn=dt.date(2026, 2, 1)))
    data = atom_feed(pledges, BASE, UPDATED, "Socially-M", MISSION_NAME)
    feed = ET.fromstring(data)
    ids = [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")]
    assert len(ids) == FEED_ENTRIES
    assert ids[0] == f"{BASE}signatories/s-{FEED_ENTRIES + 4:03d}/"
    assert f"{BASE}signatories/gone/" not in ids
    assert feed.findtext(f"{ATOM}updated") == "2025-01-20T00:00:00Z"
    assert feed.findtext(f"{ATOM}id") == f"{BASE}feed.xml"
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == f"{BASE}feed.xml"
    entry = next(feed.iter(f"{ATOM}entry"))
    assert entry.findtext(f"{ATOM}summary") == \
        f"S-{FEED_ENTRIES + 4:03d} signed the Social Mission."
    assert data == atom_feed(list(reversed(pledges)), BASE, UPDATED, "Socially-M",
                             MISSION_NAME)


def test_the_feed_is_laid_out_as_before() -> None:
    """The same bytes as the feed once joined from strings, for plain text."""
    data = atom_feed([pledge("acme", dt.date(2024, 5, 17), name="Acme",
                             statement="We care.")], BASE, UPDATED, "Socially-M",
                     MISSION_NAME)
    assert data.decode() == (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        "<title>New signatories of the Social Mission</title>\n"
        f"<id>{BASE}feed.xml</id>\n"
        f'<link rel="self" href="{BASE}feed.xml"/>\n'
        f'<link rel="alternate" type="text/html" href="{BASE}signatories/"/>\n'
        "<updated>2025-01-20T00:00:00Z</updated>\n"
        "<author><name>Socially-M</name></author>\n"
        "<entry>\n<title>Acme</title>\n"
        f"<id>{BASE}signatories/acme/</id>\n"
        f'<link rel="alternate" type="text/html" href="{BASE}signatories/acme/"/>\n'
        "<published>2024-05-17T00:00:00Z</published>\n"
        "<updated>2024-05-17T00:00:00Z</updated>\n"
        "<summary>We care.</summary>\n</entry>\n</feed>\n")
