"""The Open Badges 2.0 documents: every field the spec requires, from the settings, and a
recipient that does not depend on how a signatory wrote its address."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import MISSION_NAME
from socialmission.model import openbadges, paths
from socialmission.model.mission import Mission, MissionVersion
from socialmission.model.pledge import Pledge, Signature
from socialmission.model.settings import Settings
from socialmission.model.urls import parse_https_url

BASE = "https://registry.example.org/"
NAME = MISSION_NAME  # the mission's name, as this registry's settings give it

# Open Badges 2.0 (https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/),
# the properties each class requires.
ISSUER_REQUIRED = {"id", "type", "name", "url", "email"}
BADGE_CLASS_REQUIRED = {"id", "type", "name", "description", "image", "criteria", "issuer"}
ASSERTION_REQUIRED = {"id", "type", "recipient", "badge", "verification", "issuedOn"}
RECIPIENT_REQUIRED = {"type", "identity", "hashed"}


def pledge(website: str, **changes: object) -> Pledge:
    base = Pledge(slug="example-media", path=Path("pledges/example-media.yaml"),
                  name="Example Media", kind="organisation",
                  website=parse_https_url(website), signed=dt.date(2024, 5, 17),
                  mission_version=1, maintainers=("octocat",))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_the_issuer_has_every_required_field_from_the_settings(settings: Settings) -> None:
    issuer = openbadges.issuer(BASE, settings)
    assert issuer.keys() >= ISSUER_REQUIRED
    assert issuer["type"] == "Issuer" and issuer["id"] == f"{BASE}openbadges/issuer.json"
    assert (issuer["name"], issuer["email"], issuer["url"]) == (
        "Socially-M", "registry@socialmission.example.org", "https://socialmission.example.org/")


def test_the_issuer_follows_other_settings(settings: Settings) -> None:
    other = dataclasses.replace(settings, issuer_name="Another Issuer",
                                issuer_email="badges@another.example.com",
                                issuer_url="https://another.example.com/")
    issuer = openbadges.issuer(BASE, other)
    assert (issuer["name"], issuer["email"], issuer["url"]) == (
        "Another Issuer", "badges@another.example.com", "https://another.example.com/")


def test_the_badge_class_speaks_the_settings_words(mission: Mission,
                                                  settings: Settings) -> None:
    """Its name, description, criteria and tags, and the issuer's description, are the
    settings' words: another registry's say nothing of this one's mission."""
    other = dataclasses.replace(settings, mission_name="Harbour Charter",
                                mission_aim="for working the harbour well",
                                commitment="keeps the principles of",
                                issuer_description="Keeper of the Harbour Charter.",
                                keywords=("harbours",))
    badge = openbadges.badge_class(BASE, mission.current, other)
    assert badge["name"] == "Harbour Charter signatory (version 1)"
    assert badge["description"].endswith(": ten principles for working the harbour well.")
    assert badge["criteria"]["narrative"].startswith(
        f"The signatory keeps the principles of {mission.current.title}, version 1:")
    assert badge["tags"] == ["harbours", "Harbour Charter"]
    assert openbadges.issuer(BASE, other)["description"] == "Keeper of the Harbour Charter."
    narrative = openbadges.assertion(BASE, pledge("https://www.example.org/"),
                                     mission_name="Harbour Charter")["narrative"]
    assert narrative == "Example Media signed version 1 of the Harbour Charter on 2024-05-17."


def test_the_badge_class_has_every_required_field(mission: Mission, settings: Settings) -> None:
    badge = openbadges.badge_class(BASE, mission.current, settings)
    assert badge.keys() >= BADGE_CLASS_REQUIRED
    assert badge["type"] == "BadgeClass"
    assert badge["issuer"] == openbadges.issuer(BASE, settings)["id"]
    assert badge["criteria"]["id"].startswith(BASE)
    for principle in mission.current.principles:
        assert " ".join(principle.split()) in badge["criteria"]["narrative"]


@pytest.mark.parametrize(("count", "words"), [(10, ": ten principles for behaving well"),
                                              (1, ": one principle for behaving well"),
                                              (3, ": three principles for behaving well")])
def test_the_badge_class_counts_the_principles(mission: Mission, settings: Settings,
                                               count: int, words: str) -> None:
    version: MissionVersion = dataclasses.replace(mission.current,
                                                  principles=("p",) * count)
    assert words in openbadges.badge_class(BASE, version, settings)["description"]


def test_an_assertion_has_every_required_field() -> None:
    assertion = openbadges.assertion(BASE, pledge("https://www.example.org/"), mission_name=NAME)
    assert assertion.keys() >= ASSERTION_REQUIRED
    assert assertion["recipient"].keys() >= RECIPIENT_REQUIRED
    assert assertion["type"] == "Assertion"
    assert assertion["recipient"] == {"type": "url", "hashed": False,
                                      "identity": "https://www.example.org"}
    assert assertion["verification"] == {"type": "hosted"}
    assert assertion["issuedOn"] == "2024-05-17T00:00:00+00:00"


@pytest.mark.parametrize(("website", "identity"), [
    ("https://www.example.org/", "https://www.example.org"),
    ("https://www.example.org", "https://www.example.org"),
    ("https://WWW.Example.ORG/About/Us?x=1#top", "https://www.example.org"),
    ("https://example.org.", "https://example.org"),
    ("https://shop.example.co.uk/en/", "https://shop.example.co.uk"),
    ("https://bücher.example/", None),  # not a public suffix: refused before it gets here
    ("https://bücher.de/katalog", "https://xn--bcher-kva.de"),
    ("https://ÉCOLE.fr/", "https://xn--cole-9oa.fr"),
])
def test_the_recipient_is_the_websites_origin(website: str, identity: str | None) -> None:
    if identity is None:
        with pytest.raises(ValueError, match="not a public domain name"):
            parse_https_url(website)
        return
    found = openbadges.assertion(BASE, pledge(website), mission_name=NAME)
    assert found["recipient"]["identity"] == identity


def test_the_recipient_keeps_www_apart() -> None:
    with_www = openbadges.assertion(BASE, pledge("https://www.example.org/"), mission_name=NAME)
    without = openbadges.assertion(BASE, pledge("https://example.org/"), mission_name=NAME)
    assert with_www["recipient"]["identity"] != without["recipient"]["identity"]


def test_dumps_escapes_what_could_end_html_or_cdata() -> None:
    value = {"narrative": "]]><script>x</script>&'\"", "b": 1, "a": [1]}
    text = openbadges.dumps(value)
    assert not set("<>&'") & set(text)
    assert text.startswith('{"a":[1],"b":1,')  # sorted keys, no spaces
    assert json.loads(text) == value
    assert type(text) is str  # not Markup: it is escaped for HTML only by its \u escapes


# --- a pledge signed again: an address for each version of each signature ------------------
def signed_twice() -> Pledge:
    """Signed version 1 and reaffirmed 2, withdrawn; signed version 1 again, reaffirmed 2."""
    return pledge("https://www.example.org/", reaffirmed=((2, dt.date(2025, 1, 10)),),
                  withdrawn=dt.date(2025, 2, 1), withdrawn_reason="Paused.",
                  signed_again=(Signature(signed=dt.date(2025, 6, 1), mission_version=1,
                                          reaffirmed=((2, dt.date(2025, 7, 1)),)),))


def test_each_signature_has_its_own_addresses_and_only_the_current_is_in_force(
        mission: Mission, settings: Settings) -> None:
    documents = openbadges.all_documents(BASE, settings, mission, [signed_twice()])
    found = {path: (item["issuedOn"][:10], item.get("revocationReason"))
             for path, item in documents.items() if "/assertions/" in path}
    folder = "openbadges/assertions/example-media"
    assert found == {
        f"{folder}.json": ("2024-05-17", "Withdrawn on 2025-02-01: Paused."),
        f"{folder}.v2.json": ("2025-01-10", "Withdrawn on 2025-02-01: Paused."),
        f"{folder}.s2.json": ("2025-06-01", None),
        f"{folder}.s2.v2.json": ("2025-07-01", None),
    }
    for path, item in documents.items():
        assert "/assertions/" not in path or item["id"] == BASE + path


def test_the_default_assertion_is_the_current_signatures() -> None:
    again = signed_twice()
    assert openbadges.assertion(BASE, again, mission_name=NAME)["id"] == \
        f"{BASE}openbadges/assertions/example-media.s2.json"
    assert openbadges.assertions(BASE, again) == {
        1: f"{BASE}openbadges/assertions/example-media.s2.json",
        2: f"{BASE}openbadges/assertions/example-media.s2.v2.json"}
    assert openbadges.assertions(BASE, again, 1)[2] == \
        f"{BASE}openbadges/assertions/example-media.v2.json"
    with pytest.raises(ValueError, match="signature 2 did not sign or reaffirm version 3"):
        openbadges.assertion(BASE, again, 3, mission_name=NAME)


@pytest.mark.parametrize("slugs", [("acme", "acme-s2", "acme-v2", "acme-s2-v2", "s2")])
def test_no_assertion_address_is_another_s(slugs: tuple[str, ...]) -> None:
    """'.' is in no slug: no signature, version and slug give another's address."""
    addresses = [paths.assertion_path(slug, version, signature) for slug in slugs
                 for signature in (1, 2, 3, 12) for version in (None, 1, 2, 12)]
    assert len(set(addresses)) == len(addresses)
    assert paths.assertion_path("acme") == "openbadges/assertions/acme.json"
    assert paths.assertion_path("acme", 2) == "openbadges/assertions/acme.v2.json"
    assert paths.assertion_path("acme", None, 2) == "openbadges/assertions/acme.s2.json"
    assert paths.assertion_path("acme", 3, 2) == "openbadges/assertions/acme.s2.v3.json"


def test_a_redacted_pledge_signed_twice_keeps_every_address_revoked_and_nameless(
        mission: Mission, settings: Settings) -> None:
    again = signed_twice()
    tombstone = dataclasses.replace(
        again, name="Redacted signatory", kind=None, website=None, maintainers=(),
        withdrawn_reason=None, status="withdrawn", redacted=dt.date(2025, 10, 1),
        signed_again=(dataclasses.replace(again.signed_again[0],
                                          withdrawn=dt.date(2025, 9, 1)),))
    documents = openbadges.all_documents(BASE, settings, mission, [tombstone])
    found = {path.rsplit("/", 1)[1]: item["revocationReason"]
             for path, item in documents.items() if "/assertions/" in path}
    redacted = "the signatory's details were redacted on 2025-10-01."
    assert found == {
        "example-media.json": f"Withdrawn on 2025-02-01; {redacted}",
        "example-media.v2.json": f"Withdrawn on 2025-02-01; {redacted}",
        "example-media.s2.json": f"Withdrawn on 2025-09-01; {redacted}",
        "example-media.s2.v2.json": f"Withdrawn on 2025-09-01; {redacted}",
    }
    text = json.dumps([item for path, item in documents.items() if "/assertions/" in path])
    assert "www.example.org" not in text  # the website
    assert "Example Media" not in text and "recipient" not in text
