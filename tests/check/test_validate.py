"""The validator: every problem at once, with file, line, column and the fix."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MISSION, NAME_FITS, ROOT, TODAY, VALID, Registry
from process_support import session, sigint_as_in_a_terminal
from sample_registry import FIXTURE_PLEDGES, write_png
from socialmission.check.validate import validate
from socialmission.model import constants as c
from socialmission.model import paths
from socialmission.model.constants import MAX_MARKS
from socialmission.model.problems import render
from socialmission.model.settings import settings_names

BROKEN = """\
name: 123
kind: organization
website: http://localhost
signed: 2030-01-01
mission_version: "1"
maintainers: ["@harbour", bad--login, harbour, HarBour]
country: uk
sektor: media
status: withdrawn
social:
  mastodon: https://mastodon.example.org/@x
  x: https://evil.example.com/x
  myspace: https://myspace.com/x
"""


def test_a_broken_pledge_gets_every_problem_at_once(registry: Registry) -> None:
    registry.write("broken", BROKEN)
    assert registry.problems() == [
        ("broken.yaml", 1, 7, "'name' must be text, but YAML reads the number '123' here: "
                              "put it in quotes"),
        ("broken.yaml", 2, 7, "'kind' must be one of organisation, individual: did you mean "
                              "'organisation'? got 'organization'"),
        ("broken.yaml", 3, 10, "'website' uses the scheme 'http': use 'https://': got "
                               "'http://localhost'"),
        ("broken.yaml", 4, 9, "'signed' is in the future (2030-01-01): use today's date or "
                              "earlier"),
        ("broken.yaml", 5, 18, "'mission_version' must be a version number (1) (write it "
                               "without quotes): got text"),
        ("broken.yaml", 6, 15, "'maintainers' lists '@harbour': write the login without '@'"),
        ("broken.yaml", 6, 27, "'maintainers' lists 'bad--login', which is not a GitHub login "
                               "(1-39 letters, digits or single hyphens, no hyphen at either "
                               "end)"),
        ("broken.yaml", 6, 48, "'maintainers' lists 'HarBour' twice (first on line 6): keep "
                               "one"),
        ("broken.yaml", 7, 10, "'country' must be an ISO 3166-1 alpha-2 country code such as "
                               "'GB' or 'NO' (the United Kingdom is GB): got 'uk'"),
        ("broken.yaml", 8, 1, "unknown field 'sektor' (did you mean 'sector'?): the fields "
                              "are name, kind, website, signed, mission_version, reaffirmed, "
                              "maintainers, country, sector, statement, statement_url, logo, "
                              "social, status, withdrawn, withdrawn_reason, "
                              "withdrawn_by, status_index, signed_again, redacted"),
        ("broken.yaml", 9, 9, "a withdrawn pledge needs the date it was withdrawn: add "
                              "'withdrawn: YYYY-MM-DD'"),
        ("broken.yaml", 12, 6, "'social.x' must be on x.com or twitter.com or www.x.com or "
                               "www.twitter.com: got 'evil.example.com'"),
        ("broken.yaml", 13, 3, "'social' has the unknown network 'myspace': the networks are "
                               "bluesky, facebook, instagram, linkedin, mastodon, threads, "
                               "tiktok, x, youtube"),
    ]


def test_a_valid_pledge_becomes_a_frozen_pledge(registry: Registry) -> None:
    registry.write("example-media", VALID + "country: NO\nsocial:\n"
                   "  x: https://x.com/a\n  bluesky: https://bsky.app/profile/a\n")
    report = registry.validate()
    assert report.ok, report.problems
    (pledge,) = report.pledges
    assert (pledge.slug, pledge.name, pledge.country) == ("example-media", "Harbour Media Ltd",
                                                          "NO")
    assert [network for network, _ in pledge.social] == ["bluesky", "x"]
    with pytest.raises(AttributeError):
        pledge.name = "changed"  # type: ignore[misc]


# The logo rule's message, up to the value it got (the pledge is tt.yaml).
LOGO_NAMED = ("'logo' must be 'logos/tt.png', named after this pledge's file: name the logo "
              "pledges/logos/tt.png and write that here: got ")


def field(text: str, key: str, value: str) -> str:
    """VALID with one field replaced or added."""
    lines = [line for line in text.splitlines() if not line.startswith(f"{key}:")]
    if key == "maintainers":
        lines = [line for line in lines if not line.startswith("  - ")]
    return "\n".join([*lines, f"{key}: {value}"]) + "\n"


@pytest.mark.parametrize(("key", "value", "message"), [
    # --- name -----------------------------------------------------------------------
    ("name", '""', "'name' has no visible characters: write it out"),
    ("name", "", "'name' is empty: give a value or delete the line"),
    ("name", '"' + "x" * 101 + '"', "'name' is 101 characters long; the limit is 100: "
                                    "shorten it"),
    ("name", '"Acme\\u202eLtd"', "'name' contains an invisible formatting character "
                                 "(bidirectional or zero-width) (U+202E) at character 5: "
                                 "delete it"),
    ("name", '"Ac\\u200bme"', "'name' contains an invisible formatting character "
                              "(bidirectional or zero-width) (U+200B) at character 3: "
                              "delete it"),
    ("name", '"\\u200dAcme"', "'name' contains a zero-width joiner (U+200D) that does not "
                              "join two letters at character 1: delete it"),
    ("name", '"Acme\\uE000"', "'name' contains a private-use character (U+E000) at "
                              "character 5: delete it"),
    ("name", '" Acme"', "'name' must be one line without leading or trailing spaces: "
                        "' Acme'"),
    ("name", '"Acme\\nLtd"', "'name' must be one line without leading or trailing spaces: "
                             "'Acme\\nLtd'"),
    ("name", "[a, b]", "'name' must be text, but YAML reads a list here: write it on one "
                       "line"),
    ("name", "true", "'name' must be text, but YAML reads the boolean 'true' here: put it "
                     "in quotes"),
    # --- kind -----------------------------------------------------------------------
    ("kind", "person", "'kind' must be one of organisation, individual: got 'person'"),
    # --- website --------------------------------------------------------------------
    ("website", "https://127.0.0.1/", "'website' uses the IP address '127.0.0.1': use the "
                                      "site's host name: got 'https://127.0.0.1/'"),
    ("website", "https://[::1]/", "'website' uses the IP address '::1': use the site's "
                                  "host name: got 'https://[::1]/'"),
    ("website", "https://intranet/", "'website' has the host name 'intranet', which is not "
                                     "public: use a full domain name such as "
                                     "'example.org': got 'https://intranet/'"),
    ("website", "https://user:pw@example.org/", "'website' contains a user name or password "
                                                "('user@'): remove that part: got "
                                                "'https://user:pw@example.org/'"),
    ("website", "https://example.org:8443/", "'website' names a port: remove ':' and the "
                                             "port number: got 'https://example.org:8443/'"),
    ("website", "javascript:alert(1)", "'website' must be a full address starting with "
                                       "'https://': got 'javascript:alert(1)'"),
    ("website", "'https://example.org/\"><script>'", "'website' contains '\"', which a URL "
                                                     "cannot hold: remove it or "
                                                     "percent-encode it: got "
                                                     "'https://example.org/\"><script>'"),
    ("website", "https://co.uk/", "'website' has the host name 'co.uk', which is not a "
                                  "public domain name: got 'https://co.uk/'"),
    ("website", "https://shop.invalidtld/", "'website' has the host name 'shop.invalidtld', "
                                            "whose ending '.invalidtld' is not a top-level "
                                            "domain: got 'https://shop.invalidtld/'"),
    # --- dates ----------------------------------------------------------------------
    ("signed", "2024-02-30", "'signed' is not a real date: '2024-02-30'"),
    ("signed", "17/05/2024", "'signed' must be a date written YYYY-MM-DD: got '17/05/2024'"),
    ("signed", "2023-09-30", "'signed' (2023-09-30) is before mission version 1 was "
                             "published (2023-10-01): check the date or the version"),
    # --- mission_version ------------------------------------------------------------
    ("mission_version", "7", "'mission_version' 7 does not exist: the published versions "
                             "are 1"),
    ("mission_version", "1.0", "'mission_version' must be a version number (1): got the "
                               "number '1.0'"),
    # --- maintainers ----------------------------------------------------------------
    ("maintainers", "harbour", "'maintainers' must be a list of GitHub accounts, each as "
                               "'  - login: your-login' with '    id: 1234567' under it: "
                               "got text"),
    ("maintainers", "[{login: harbour}]", "this 'maintainers' entry has no 'id': add '  id: ' "
                                          "and the account's number "
                                          "(https://api.github.com/users/LOGIN shows it)"),
    ("maintainers", "[{login: harbour, id: '583231'}]",
     "'maintainers' ids are GitHub account numbers such as 583231: got text"),
    ("maintainers", "[{login: harbour, id: 5, role: admin}]",
     "'maintainers' entries have only 'login' and 'id': delete 'role'"),
    ("maintainers", "[{id: 5}]", "this 'maintainers' entry has no 'login': add '  login: ' "
                                 "and the account's GitHub login"),
    ("maintainers", "[{login: a, id: 5}, {login: b, id: 5}]",
     "'maintainers' lists the account 5 twice (first on line 6): keep one"),
    ("maintainers", "[{login: '@harbour', id: 5}]",
     "'maintainers' lists '@harbour': write the login without '@'"),
    ("maintainers", "[]", "'maintainers' must list 1 to 10 GitHub logins: it lists 0"),
    ("maintainers", "[" + ", ".join(f"m{i}" for i in range(11)) + "]",
     "'maintainers' must list 1 to 10 GitHub logins: it lists 11"),
    ("maintainers", "[" + "a" * 40 + "]", f"'maintainers' lists '{'a' * 40}', which is not "
                                          "a GitHub login (1-39 letters, digits or single "
                                          "hyphens, no hyphen at either end)"),
    # --- country (YAML 1.1's Norway problem) ------------------------------------------
    ("country", "no", "'country' must be written in capitals: NO"),
    ("country", "false", "'country' reads as the boolean 'false' in some YAML readers: put "
                         "the code in quotes ('country: \"FALSE\"')"),
    ("country", "XX", "'country' must be an ISO 3166-1 alpha-2 country code such as 'GB' "
                      "or 'NO': got 'XX'"),
    # --- sector, statement --------------------------------------------------------------
    ("sector", "medai", "'sector' must be one of " + ", ".join(MISSION.sectors) + ": did you mean "
                        "'media'? got 'medai'"),
    ("statement", '"' + "s" * 501 + '"', "'statement' is 501 characters long; the limit is "
                                         "500: shorten it"),
    # --- statement_url ------------------------------------------------------------------
    ("statement_url", "https://elsewhere.example.com/x", "'statement_url' must be on the "
                                                         "website's own domain "
                                                         "(example.net): got "
                                                         "'elsewhere.example.com'"),
    # --- logo: path tricks, and another pledge's logo ------------------------------------
    ("logo", "../../etc/passwd", LOGO_NAMED + "'../../etc/passwd'"),
    ("logo", "/etc/passwd", LOGO_NAMED + "'/etc/passwd'"),
    ("logo", "logos/../../x.png", LOGO_NAMED + "'logos/../../x.png'"),
    ("logo", "logos/tt.png/../x.png", LOGO_NAMED + "'logos/tt.png/../x.png'"),
    ("logo", "logos/northwind-media.png", LOGO_NAMED + "'logos/northwind-media.png'"),
    ("logo", "logos/TT.png", LOGO_NAMED + "'logos/TT.png'"),
    ("logo", "logos/tt.PNG", LOGO_NAMED + "'logos/tt.PNG'"),
    ("logo", "logos/tt.png", "the logo tt.png is not in {logos}: add it in the "
                             "same pull request"),
    # --- social -----------------------------------------------------------------------
    ("social", "https://x.com/a", "'social' must be a mapping of network to profile URL, "
                                  "such as '  mastodon: https://mastodon.social/@you': got "
                                  "text"),
    # --- status -----------------------------------------------------------------------
    ("withdrawn", "2025-01-01", "'withdrawn' is only for withdrawn pledges: add 'status: "
                                "withdrawn' or delete this line"),
    ("status", "retired", "'status' must be one of active, withdrawn: got 'retired'"),
])
def test_each_rule_says_what_to_fix(registry: Registry, key: str, value: str,
                                    message: str) -> None:
    registry.write("tt", field(VALID, key, value))
    problems = registry.problems()
    messages = [m for _, _, _, m in problems]
    assert messages == [message.format(logos=registry.pledges / "logos")], problems


def test_withdrawn_needs_a_consistent_date(registry: Registry) -> None:
    registry.write("tt", VALID + "status: withdrawn\nwithdrawn: 2024-01-01\n")
    assert registry.problems() == [
        ("tt.yaml", 9, 12, "'withdrawn' (2024-01-01) is before 'signed' (2024-05-16): check "
                          "the dates"),
    ]
    registry.write("tt", VALID + "status: withdrawn\nwithdrawn: 2025-01-01\n"
                                "withdrawn_reason: We closed.\n")
    assert registry.problems() == []


def test_names_in_any_script_are_welcome(registry: Registry) -> None:
    for index, name in enumerate(["株式会社さくら", "دار الكلمة", "ספרי שלום", "प्रिया शर्मा",
                                  "می\u200cخواهم", "Zoë Ångström"]):
        registry.write(f"p{index}", field(VALID, "name", f'"{name}"').replace(
            "www.example.net", f"p{index}.example.org"))
    assert registry.problems() == []


def test_nfc_normalises_names_before_counting(registry: Registry) -> None:
    decomposed = "e\u0301" * 60  # 120 code points (over the limit), 60 characters after NFC
    registry.write("tt", field(VALID, "name", f'"{decomposed}"'))
    report = registry.validate()
    assert report.ok, report.problems
    assert report.pledges[0].name == "\u00e9" * 60


@pytest.mark.parametrize(("slug", "message"), [
    ("Acme", "the file name is the signatory's address in the registry, so it must be 2-64 "
             "lower-case letters, digits and single hyphens: rename it to acme.yaml"),
    ("acme--corp", "the file name is the signatory's address in the registry, so it must "
                   "be 2-64 lower-case letters, digits and single hyphens: rename it to "
                   "acme-corp.yaml"),
    ("a", "the file name is the signatory's address in the registry, so it must be 2-64 "
          "lower-case letters, digits and single hyphens"),
    ("api", "'api' is reserved for the registry's own pages: choose another file name, "
            "such as your organisation's full name"),
    ("x" * 65, "the file name is the signatory's address in the registry, so it must be 2-64 "
               "lower-case letters, digits and single hyphens: rename it to "
               + "x" * 64 + ".yaml"),
    # Windows cannot check out pledges/con.yaml or pledges/logos/con.png
    *((device, f"'{device}' is a device name on Windows, where no checkout can hold a file "
               "of that name: choose another file name, such as your organisation's full "
               "name") for device in ("con", "prn", "aux", "nul", "com0", "com9", "lpt0",
                                      "lpt9")),
])
def test_slug_rules(registry: Registry, slug: str, message: str) -> None:
    registry.write(slug, VALID)
    assert registry.problems() == [(f"{slug}.yaml", 0, 0, message)]


def test_other_files_in_pledges_are_reported_with_the_fix(registry: Registry) -> None:
    registry.write("acme.yml", VALID)
    registry.write("notes.txt", "hello")
    (registry.pledges / paths.TEMPLATE_NAME).write_text("ignored: [")
    (registry.pledges / "README.md").write_text("# about")
    assert registry.problems() == [
        ("acme.yml", 0, 0, "pledge files end in '.yaml': rename it to acme.yaml"),
        ("notes.txt", 0, 0, "only pledges ('<slug>.yaml') belong in this folder (logos go "
                            "in logos/): move or delete it"),
    ]


# --- hostile files -----------------------------------------------------------------------
@pytest.mark.parametrize(("content", "expected"), [
    (b"", (0, 0, "the file is empty: start from pledges/TEMPLATE.yaml.txt")),
    (b"name: caf\xe9\n", (1, 10, "the file is not UTF-8 text: save it as UTF-8 (byte 0xE9 "
                                 "here is not valid)")),
    (b"- a\n- b\n", (1, 1, "a pledge must be a mapping of fields ('name: ...'), but this "
                           "file holds a list: start from pledges/TEMPLATE.yaml.txt")),
    (b"just text\n", (1, 1, "a pledge must be a mapping of fields ('name: ...'), but this "
                            "file holds text: start from pledges/TEMPLATE.yaml.txt")),
    (b"\xef\xbb\xbf" + VALID.encode(), None),  # a UTF-8 byte-order mark is fine
    (VALID.encode().replace(b"\n", b"\r\n"), None),  # so are Windows line ends
    (VALID.encode() + b"name: again\n", (8, 1, "'name' is given twice (first on line 1): "
                                               "keep one")),
    (b"x" * (c.PLEDGE_MAX_BYTES + 1), (0, 0, f"the file is {c.PLEDGE_MAX_BYTES + 1} bytes; "
                                             f"a pledge may be at most {c.PLEDGE_MAX_BYTES} "
                                             "bytes: shorten the statement")),
])
def test_hostile_files_get_one_clear_message(registry: Registry, content: bytes,
                                             expected: tuple[int, int, str] | None) -> None:
    registry.write("hostile", content)
    problems = registry.problems()
    assert problems == ([] if expected is None else [("hostile.yaml", *expected)])


def test_symlinks_are_never_followed(registry: Registry, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text(VALID)
    (registry.pledges / "link.yaml").symlink_to(secret)
    assert registry.problems() == [
        ("link.yaml", 0, 0, "the file is a symbolic link: commit the pledge itself"),
    ]


def test_a_folder_named_like_a_pledge_is_refused(registry: Registry) -> None:
    (registry.pledges / "odd.yaml").mkdir()
    assert registry.problems() == [
        ("odd.yaml", 0, 0, "this is not a regular file: a pledge is a YAML file"),
    ]


def test_logos_are_checked_as_real_pngs(registry: Registry, tmp_path: Path) -> None:
    logos = registry.pledges / "logos"
    write_png(logos / "good.png", 128)
    write_png(logos / "tiny.png", 16)
    (logos / "fake.png").write_bytes(b"GIF89a not a png")
    data = (logos / "good.png").read_bytes()
    (logos / "cut.png").write_bytes(data[: len(data) // 2])
    (logos / "huge.png").write_bytes(data + b"\0" * c.LOGO_MAX_BYTES)
    (tmp_path / "outside.png").write_bytes(data)
    (logos / "linked.png").symlink_to(tmp_path / "outside.png")
    for index, logo in enumerate(["good", "tiny", "fake", "cut", "huge", "linked"]):
        registry.write(logo, VALID.replace("www.example.net", f"w{index}.example.org")
                       .replace("Harbour Media Ltd", f"Logo test {logo}")
                       + f"logo: logos/{logo}.png\n")
    assert registry.problems() == [
        ("cut.yaml", 8, 7, "the logo logos/cut.png is cut short (a chunk runs past the end "
                           "of the file): export it again as PNG"),
        ("fake.yaml", 8, 7, "the logo logos/fake.png is not a PNG file (its first bytes are "
                            "not the PNG signature): export it again as PNG"),
        ("huge.yaml", 8, 7, f"the logo is {len(data) + c.LOGO_MAX_BYTES} bytes; the limit is "
                            f"{c.LOGO_MAX_BYTES}: compress it (for example with oxipng)"),
        ("linked.yaml", 8, 7, "the logo must be a regular file, not a link or folder"),
        ("tiny.yaml", 8, 7, "the logo logos/tiny.png is 16x16 pixels; each side must be 64 "
                            "to 1024: resize it"),
    ]


# --- across files ------------------------------------------------------------------------
def test_the_same_signatory_twice_is_caught(registry: Registry) -> None:
    registry.write("acme", VALID.replace("Harbour Media Ltd", "Acme"))
    registry.write("acme-again", VALID.replace("Harbour Media Ltd", "ACME")
                   .replace("https://www.example.net/", "https://example.net/about"))
    registry.write("acme-cyrillic", VALID.replace("Harbour Media Ltd", "АСМЕ")  # Cyrillic
                   .replace("www.example.net", "acme.example.com"))
    same = "each signatory signs once; if this is the same signatory, update that pledge " \
           "instead"
    folder = registry.pledges
    looks = "has a name that looks like the one in"
    assert registry.problems() == [
        ("acme-again.yaml", 1, 7, f"{looks} {folder}/acme-cyrillic.yaml: {same}"),
        ("acme-again.yaml", 1, 7, f"has the same name as {folder}/acme.yaml: {same}"),
        ("acme-again.yaml", 3, 10, f"has the same website as {folder}/acme.yaml: {same}"),
        ("acme-cyrillic.yaml", 1, 7, f"{looks} {folder}/acme-again.yaml, {folder}/acme.yaml: "
                                     f"{same}"),
        ("acme.yaml", 1, 7, f"{looks} {folder}/acme-cyrillic.yaml: {same}"),
        ("acme.yaml", 1, 7, f"has the same name as {folder}/acme-again.yaml: {same}"),
        ("acme.yaml", 3, 10, f"has the same website as {folder}/acme-again.yaml: {same}"),
    ]


def test_a_file_given_alone_is_compared_with_its_folder(registry: Registry) -> None:
    registry.write("old", VALID)
    broken_neighbour = registry.write("neighbour", "name: [")
    new = registry.write("newcomer", VALID.replace("Harbour Media Ltd", "Another"))
    report = registry.validate(new)
    assert report.checked == 1
    assert [(Path(p.path).name, p.message.split(":")[0]) for p in report.problems] == [
        ("newcomer.yaml", "has the same website as " + str(registry.pledges / "old.yaml")),
    ]
    assert broken_neighbour.exists()


def test_problems_are_sorted_and_validation_never_writes(registry: Registry) -> None:
    registry.write("b", "name: 1\n")
    registry.write("a", "kind: x\n")
    before = {p: p.stat().st_mtime_ns for p in registry.root.rglob("*")}
    problems = registry.problems()
    assert problems == sorted(problems)
    assert {p: p.stat().st_mtime_ns for p in registry.root.rglob("*")} == before


def test_the_fixture_pledges_and_the_template_are_valid(mission: object,
                                                      tmp_path: Path) -> None:
    from socialmission.check.validate import validate

    report = validate([FIXTURE_PLEDGES], mission, on=TODAY, name_fits=NAME_FITS)  # type: ignore[arg-type]
    assert report.ok, report.problems
    assert len(report.pledges) == 12
    assert {p.status for p in report.pledges} == {"active", "withdrawn"}
    assert {p.kind for p in report.pledges} == set(c.KINDS)
    template = tmp_path / "pledges"
    template.mkdir()
    (template / "example-media.yaml").write_bytes((ROOT / "pledges" / paths.TEMPLATE_NAME)
                                                  .read_bytes())
    (template / "logos").mkdir()
    write_png(template / "logos" / "example-media.png", 256)
    report = validate([template], mission, on=TODAY, name_fits=NAME_FITS)  # type: ignore[arg-type]
    # the template's own values are its examples, refused (tests/check/test_placeholders.py)
    assert report.problems and all("still the template's example" in p.message
                                   for p in report.problems), report.problems


def test_the_template_lists_every_sector_and_network() -> None:
    text = (ROOT / "pledges" / paths.TEMPLATE_NAME).read_text()
    comment = " ".join(line.lstrip("# ") for line in text.splitlines() if line.startswith("#"))
    assert ", ".join(MISSION.sectors) in comment
    assert ", ".join(c.SOCIAL_HOSTS) in comment.replace(",  ", ", ")


def test_today_honours_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    from socialmission.errors import UsageError
    from socialmission.model.clock import today

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert today().isoformat() == "2023-11-14"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(UsageError):
        today()
    assert TODAY.year >= 2026
    assert os.environ["SOURCE_DATE_EPOCH"] == "soon"


def test_several_workers_report_exactly_what_one_does(registry: Registry,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from socialmission.check import validate as validate_module

    for number in range(40):
        registry.write(f"org-{number:02}", VALID.replace("Harbour Media Ltd", f"Org {number}")
                       .replace("www.example.net", f"org{number}.example.org"))
    registry.write("twin", VALID)  # the same name and website...
    registry.write("twin-two", VALID)  # ...as this one: a cross-file problem
    registry.write("look-alike", VALID.replace("Harbour Media Ltd", "Нarbour Media Ltd")
                   .replace("www.example.net", "lookalike.example.org"))
    registry.write("broken", "name: [\n")
    registry.write("missing-fields", "name: Nobody\n")
    registry.write("too-wide", VALID.replace("Harbour Media Ltd", "W" * 200)
                   .replace("www.example.net", "wide.example.org"))
    registry.write("notes.txt", "not a pledge")
    one = validate_module.validate([registry.pledges], registry.mission, on=TODAY,
                                   name_fits=NAME_FITS, workers=1)
    monkeypatch.setattr(validate_module, "PARALLEL_MIN_FILES", 5)
    several = validate_module.validate([registry.pledges], registry.mission, on=TODAY,
                                         name_fits=NAME_FITS, workers=3)
    assert len(one.problems) >= 6
    assert several.problems == one.problems
    assert several.pledges == one.pledges
    assert [p.positions for p in several.pledges] == [p.positions for p in one.pledges]
    assert several.checked == one.checked == 46  # notes.txt is a problem, not a pledge


# In a command of its own: a worker of its pool, checking the first name, presses Ctrl-C
# for the whole process group, as a terminal sends it, and sees whether it was stopped.
CTRL_C_WHILE_THE_WORKERS_RUN = """\
import os, signal, sys, time
from pathlib import Path
from socialmission.check import validate as validate_module
from socialmission.model.mission import load_mission

root, evidence = Path(sys.argv[1]), Path(sys.argv[2])
command = os.getpid()
validate_module.PARALLEL_MIN_FILES = 5

def name_fits(name):
    if os.getpid() != command and name == "Org 0":
        try:
            os.killpg(0, signal.SIGINT)
            time.sleep(1)
        except KeyboardInterrupt:
            evidence.write_text("the Ctrl-C stopped a worker")
            raise
    return None

try:
    validate_module.validate([root / "pledges"], load_mission(root), name_fits=name_fits,
                             workers=2)
except KeyboardInterrupt:
    print("interrupted")
    sys.exit(130)
print("not interrupted")
"""


def test_a_ctrl_c_stops_the_command_and_its_workers_cleanly(registry: Registry) -> None:
    """A Ctrl-C goes to the workers too; they leave it to the command, which stops them
    and ends: a worker stopped by it could leave half a result in the pool's pipe, and
    the pool, the command and the terminal hung, waiting for the rest."""
    for number in range(40):
        registry.write(f"org-{number:02}", VALID.replace("Harbour Media Ltd", f"Org {number}")
                       .replace("www.example.net", f"org{number}.example.org"))
    evidence = registry.root / "evidence"
    command = subprocess.Popen(
        [sys.executable, "-c", CTRL_C_WHILE_THE_WORKERS_RUN, str(registry.root),
         str(evidence)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, preexec_fn=sigint_as_in_a_terminal)  # noqa: PLW1509
    try:
        out, err = command.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        left = session(command.pid)
        os.killpg(command.pid, signal.SIGKILL)  # not yet reaped: the group is its own
        command.communicate()
        raise AssertionError(f"not done 60 s after the Ctrl-C; it left {left}") from None
    assert (command.returncode, out, err) == (130, "interrupted\n", "")
    assert not evidence.exists()
    assert session(command.pid) == []


# --- Unicode: names and websites that pass for another signatory -------------------------
def test_websites_are_told_apart_by_idna_2008(registry: Registry) -> None:
    registry.write("strasse", VALID.replace("Harbour Media Ltd", "Strasse Verlag")
                   .replace("www.example.net", "strasse.example.de"))
    registry.write("strasze", VALID.replace("Harbour Media Ltd", "Straße Buchladen")
                   .replace("www.example.net", "straße.example.de"))
    report = registry.validate()
    assert report.problems == []
    assert sorted(p.website.host for p in report.pledges if p.website) == [
        "strasse.example.de", "xn--strae-oqa.example.de"]


def test_one_website_in_two_spellings_is_still_one(registry: Registry) -> None:
    registry.write("unicode", VALID.replace("www.example.net", "straße.example.de"))
    registry.write("punycode", VALID.replace("Harbour Media Ltd", "Other")
                   .replace("www.example.net", "WWW.xn--strae-oqa.example.de"))
    folder = registry.pledges
    assert [(f, m.split(":")[0]) for f, _, _, m in registry.problems()] == [
        ("punycode.yaml", f"has the same website as {folder}/unicode.yaml"),
        ("unicode.yaml", f"has the same website as {folder}/punycode.yaml"),
    ]


def test_a_look_alike_website_is_caught(registry: Registry) -> None:
    registry.write("real", VALID.replace("www.example.net", "northwind.example.com"))
    registry.write("fake", VALID.replace("Harbour Media Ltd", "Someone Else")
                   .replace("www.example.net", "n\u043erthwind.example.com"))  # Cyrillic о
    folder = registry.pledges
    same = "each signatory signs once; if this is the same signatory, update that pledge " \
           "instead"
    assert registry.problems() == [
        ("fake.yaml", 3, 10, f"has a website that looks like the one in {folder}/real.yaml: "
                             f"{same}"),
        ("real.yaml", 3, 10, f"has a website that looks like the one in {folder}/fake.yaml: "
                             f"{same}"),
    ]


@pytest.mark.parametrize(("impostor", "rule"), [
    ("Rnicrosoft Social", "has a name that looks like the one in"),  # 'rn' for 'm'
    ("Microsoft Socia\u0406", "has a name that looks like the one in"),  # Ukrainian І
    ("Micro\u200csoft Social", "has the same name as"),  # a ZWNJ between two letters
    ("Microsoft Social", "has the same name as"),
])
def test_a_name_that_passes_for_another_is_caught(registry: Registry, impostor: str,
                                                  rule: str) -> None:
    registry.write("real", VALID.replace("Harbour Media Ltd", "Microsoft Social"))
    registry.write("impostor", VALID.replace("Harbour Media Ltd", impostor)
                   .replace("www.example.net", "other.example.net"))
    assert [(f, m.split(" /")[0].split(f" {registry.pledges}")[0])
            for f, _, _, m in registry.problems()] == [("impostor.yaml", rule),
                                                        ("real.yaml", rule)]


@pytest.mark.parametrize(("name", "message"), [
    ("Northwind Media\\u3164", "'name' contains an invisible character (U+3164 HANGUL "
                               "FILLER) at character 16: delete it"),
    ("Nor\\u034Fthwind Media", "'name' contains an invisible character (U+034F COMBINING "
                               "GRAPHEME JOINER) at character 4: delete it"),
    ("Green Valley FC\\u115F", "'name' contains an invisible character (U+115F HANGUL "
                               "CHOSEONG FILLER) at character 16: delete it"),
    ("Green\\uFE00 Valley FC", "'name' contains a variation selector (U+FE00) that does not "
                               "follow a Han character at character 6: delete it"),
    ("\\u3164", "'name' contains an invisible character (U+3164 HANGUL FILLER) at character "
                "1: delete it"),
])
def test_invisible_characters_in_a_name_are_refused(registry: Registry, name: str,
                                                    message: str) -> None:
    registry.write("tt", field(VALID, "name", f'"{name}"'))
    assert [m for _, _, _, m in registry.problems()] == [message]


@pytest.mark.parametrize(("key", "value", "message"), [
    ("website", '"https://www.example.net/\\u202Egro"',
     "'website' contains an invisible formatting character (bidirectional or zero-width) "
     "(U+202E) at character 25: delete it: got 'https://www.example.net/\\u202egro'"),
    ("statement_url", '"https://www.example.net/\\u2066news"',
     "'statement_url' contains an invisible formatting character (bidirectional or "
     "zero-width) (U+2066) at character 25: delete it: got "
     "'https://www.example.net/\\u2066news'"),
    ("social", '{mastodon: "https://mastodon.social/@\\u202Eyou"}',
     "'social.mastodon' contains an invisible formatting character (bidirectional or "
     "zero-width) (U+202E) at character 26: delete it: got "
     "'https://mastodon.social/@\\u202eyou'"),
    ("website", '"https://exa\\u3164mple.org/"',
     "'website' contains an invisible character (U+3164 HANGUL FILLER) at character 12: "
     "delete it: got 'https://exa\\u3164mple.org/'"),
    ("statement", '"We sign.\\u202E"',
     "'statement' contains an invisible formatting character (bidirectional or zero-width) "
     "(U+202E) at character 9: delete it"),
    ("website", "https://ex_ample.org/",
     "'website' has the host name 'ex_ample.org', which is not a valid domain name (a "
     "domain name cannot hold the character '_' (U+005F)): got 'https://ex_ample.org/'"),
])
def test_bidi_controls_are_refused_in_every_text_and_url_field(registry: Registry, key: str,
                                                               value: str,
                                                               message: str) -> None:
    registry.write("tt", field(VALID, key, value))
    assert [m for _, _, _, m in registry.problems()] == [message]


def test_combining_marks_are_capped_per_character(registry: Registry) -> None:
    registry.write("tt", field(VALID, "name", '"Zalgo' + "\\u0301" * 98 + '"'))
    assert [m for _, _, _, m in registry.problems()] == [
        f"'name' stacks 98 combining marks on character 5; the limit is {MAX_MARKS} a "
        "character: remove the extra accents"]
    registry.write("tt", field(VALID, "name", '"Zalgo' + "\\u0301" * MAX_MARKS + '"'))
    assert registry.problems() == []


def test_a_website_shared_by_many_names_a_few_of_the_others(registry: Registry) -> None:
    for number in range(6):
        registry.write(f"copy-{number}", VALID.replace("Harbour Media Ltd", f"Copy {number}"))
    problems = registry.problems()
    assert len(problems) == 6
    folder = registry.pledges
    assert problems[0] == (
        "copy-0.yaml", 3, 10, f"has the same website as {folder}/copy-1.yaml, "
                              f"{folder}/copy-2.yaml, {folder}/copy-3.yaml and 2 more: each "
                              "signatory signs once; if this is the same signatory, update "
                              "that pledge instead")


# --- one run reports everything that can be known -----------------------------------------
OTHER = VALID.replace("Harbour Media Ltd", "Other Media").replace("www.example.net",
                                                                  "other.example.org")


def test_a_repeated_key_hides_none_of_the_files_other_problems(registry: Registry) -> None:
    registry.write("tt", VALID.replace("kind: organisation", "kind: club\nkind: individual"))
    assert [(line, message) for _, line, _, message in registry.problems()] == [
        (2, "'kind' must be one of organisation, individual: got 'club'"),
        (3, "'kind' is given twice (first on line 2): keep one"),
    ]
    assert registry.validate().pledges == []


def test_a_pledge_with_a_problem_is_still_compared_with_the_others(registry: Registry) -> None:
    registry.write("first", VALID)
    registry.write("second", OTHER.replace("other.example.org", "www.example.net")
                   .replace("kind: organisation", "kind: club"))
    found = {(name, message.split(":")[0]) for name, _, _, message in registry.problems()}
    assert ("second.yaml", "'kind' must be one of organisation, individual") in found
    assert ("second.yaml", "has the same website as " + str(registry.pledges / "first.yaml")) \
        in found
    assert ("first.yaml", "has the same website as " + str(registry.pledges / "second.yaml")) \
        in found


def test_rendering_checks_run_beside_field_problems(registry: Registry) -> None:
    registry.write("tt", field(VALID, "name", '"' + "W" * 99 + '"')
                   .replace("kind: organisation", "kind: club"))
    messages = [message for _, _, _, message in registry.problems()]
    assert messages[0].startswith("'kind' must be one of")
    assert messages[1].startswith("'name' is too long to fit on the badge")


def test_what_a_problem_keeps_from_being_checked_is_said_and_not_counted(
        registry: Registry) -> None:
    registry.write("tt", field(VALID, "name", "[a, b]"))
    report = registry.validate()
    assert [p.message for p in report.notes] == [
        "until its problem is fixed, 'name' cannot be compared with the other pledges' "
        "names and fitted to the badge"]
    text = render(report.problems, "text", report.checked, report.notes)
    assert text.splitlines()[-2].endswith(": note: until its problem is fixed, 'name' cannot "
                                          "be compared with the other pledges' names and "
                                          "fitted to the badge")
    assert text.splitlines()[-1] == "1 problem in 1 of 1 file."
    assert json.loads(render(report.problems, "json", 1, report.notes))["notes"][0]["line"] == \
        report.problems[0].line


# --- names and sites that stand as warnings (refused in a new pledge) ---------------------
def test_a_name_the_registry_shows_as_its_own_is_a_warning(registry: Registry) -> None:
    registry.write("issuer", field(VALID, "name", "Socially-M"))
    registry.write("title", field(VALID, "name", '"The Socially-M Social Mission"').replace(
        "www.example.net", "title.example.com"))
    registry.write("tomb", field(VALID, "name", '"Redacted  SIGNATORY"').replace(
        "www.example.net", "tomb.example.com"))
    registry.write("alike", field(VALID, "name", '"Rnicrosoft"').replace(
        "www.example.net", "alike.example.com"))  # a look-alike of no name of the registry
    report = validate([registry.pledges], registry.mission, on=TODAY, name_fits=NAME_FITS,
                      settings_names=settings_names(registry.root))
    assert report.problems == []  # a published pledge keeps its name, with a warning
    own = ": a signatory may not sign under a name the registry shows as its own; give " \
          "the signatory's own name"
    assert [(Path(p.path).name, p.line, p.column, p.message) for p in report.warnings] == [
        ("issuer.yaml", 7, 7, f"'name' is, or looks like, the issuer's name, 'Socially-M'{own}"),
        ("title.yaml", 7, 7, "'name' is, or looks like, the title of mission version 1, "
                             f"'The Socially-M Social Mission'{own}"),
        ("tomb.yaml", 7, 7, "'name' is, or looks like, the name every redacted signatory is "
                            f"shown by, 'Redacted signatory'{own}"),
    ]


def test_the_site_name_is_taken_by_look_alike_too(registry: Registry) -> None:
    (registry.root / paths.MKDOCS_FILE).write_text("site_name: The Social Mission\n")
    registry.write("site", field(VALID, "name", '"The S\u043ecial Mission"'))  # Cyrillic о
    report = validate([registry.pledges], registry.mission, on=TODAY, name_fits=NAME_FITS,
                      settings_names=settings_names(registry.root))
    assert [p.message.split(":")[0] for p in report.warnings] == [
        "'name' is, or looks like, the site's name, 'The Social Mission'"]


def test_a_website_on_a_subdomain_of_another_is_a_warning(registry: Registry) -> None:
    registry.write("parent", VALID)  # www.example.net: www. is folded
    registry.write("child", field(VALID, "name", "Example Shop").replace(
        "www.example.net", "shop.example.net/en/"))
    registry.write("grandchild", field(VALID, "name", "Example EU Shop").replace(
        "www.example.net", "eu.shop.example.net"))
    # one registrable domain each: the Public Suffix List keeps github.io's sites apart
    registry.write("alice", field(VALID, "name", "Alice").replace(
        "www.example.net", "alice.github.io"))
    registry.write("bob", field(VALID, "name", "Bob").replace(
        "www.example.net", "bob.github.io"))
    registry.write("shopping", field(VALID, "name", "Shopping").replace(
        "www.example.net", "shopping.example.net"))  # below example.net, not shop.example.net
    report = registry.validate()
    assert report.problems == []
    folder = registry.pledges
    tail = " (one host is a subdomain of the other, within example.net): each signatory " \
           "signs once; if this is the same signatory, update that pledge instead (a " \
           "registry maintainer may add a separate one)"
    assert [(Path(p.path).name, p.line, p.message) for p in report.warnings] == [
        ("child.yaml", 2, f"has a website on the same site as {folder}/grandchild.yaml, "
                          f"{folder}/parent.yaml{tail}"),
        ("grandchild.yaml", 2, f"has a website on the same site as {folder}/child.yaml, "
                               f"{folder}/parent.yaml{tail}"),
        ("parent.yaml", 3, f"has a website on the same site as {folder}/child.yaml, "
                           f"{folder}/grandchild.yaml, {folder}/shopping.yaml{tail}"),
        ("shopping.yaml", 2, f"has a website on the same site as {folder}/parent.yaml{tail}"),
    ]
    text = render(report.problems, "text", report.checked, warnings=report.warnings)
    assert text.splitlines()[0].startswith(f"{folder}/child.yaml:2:10: warning: has a website")
    assert text.endswith("6 files checked: all good (4 warnings).\n")
