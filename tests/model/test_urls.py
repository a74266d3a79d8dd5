"""The website's domain as shown beside a signatory's name (model.urls.shown_domain)."""

from __future__ import annotations

import pytest

from socialmission.check.text import host_skeleton
from socialmission.model.urls import parse_https_url, shown_domain


@pytest.mark.parametrize(("website", "shown"), [
    # Lower-case; "www.", other subdomains, the path, query and fragment go.
    ("https://WWW.Example.ORG./about?x=1#top", "example.org"),
    ("https://shop.example.co.uk/", "example.co.uk"),
    # A well-known name in front of someone else's domain shows whose it is.
    ("https://google.com.attacker.example.net/", "example.net"),
    # A host's free subdomain is its own site (the Public Suffix List's private part).
    ("https://alice.github.io/pledge", "alice.github.io"),
    # An IDN shows as browsers show it, with its ASCII form, however it was written.
    ("https://www.xn--strae-oqa.de/", "straße.de (xn--strae-oqa.de)"),
    ("https://Straße.de/", "straße.de (xn--strae-oqa.de)"),
    ("https://مثال.مصر/", "مثال.مصر (xn--mgbh0fb.xn--wgbh1c)"),
])
def test_the_domain_is_the_registrable_one_as_a_visitor_reads_it(website: str,
                                                                 shown: str) -> None:
    assert shown_domain(parse_https_url(website)) == shown


def test_a_look_alike_shows_its_punycode() -> None:
    # Cyrillic "о"s: it looks like google.com, and says it is not.
    look_alike = "https://g\u043e\u043egle.com/"
    assert host_skeleton("g\u043e\u043egle.com") == host_skeleton("google.com")
    assert shown_domain(parse_https_url(look_alike)) == "g\u043e\u043egle.com (xn--ggle-55da.com)"
    assert shown_domain(parse_https_url("https://google.com/")) == "google.com"
