"""A pledge's life: update, withdraw, reaffirm and redact, and a mission with a version 2.

The second version is invented here (11 principles: one reworded, one removed, two
added); the shipped mission file is never changed.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import FONTS, MISSION_NAME, NAME_FITS, ROOT, SITE_WORDS, TODAY, WORDS, Registry
from git_support import ALICE, KEEPER, Repo
from mission_support import ADDED, mission_v2_text
from sample_registry import write_png
from socialmission.changes import lifecycle
from socialmission.changes.lifecycle import run_reaffirm, run_redact, run_update, run_withdraw
from socialmission.cli import main
from socialmission.errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from socialmission.model import constants as c
from socialmission.model import openbadges
from socialmission.model.mission import Mission, load_mission
from socialmission.model.paths import assertion_path
from socialmission.model.pledge import Pledge
from socialmission.render.face import describe, face_of
from socialmission.site import feed, opendata, pages

BASE = "https://socialmission.test/"  # no secret below can be part of it


@pytest.fixture
def v2(registry: Registry) -> Registry:
    (registry.root / "mission.yaml").write_text(mission_v2_text(), encoding="utf-8")
    registry.mission = load_mission(registry.root)
    return registry


def life(registry: Registry) -> lifecycle.Registry:
    return lifecycle.Registry(registry.root, registry.mission, NAME_FITS, TODAY)


# A pledge as a person writes it: comments, quotes of each kind, a block scalar, flow style.
HANDWRITTEN = """\
# yaml-language-server: $schema=../site/schema/pledge.schema.json
# Signed by the board on 17 May.
name: 'Harbour Media Ltd'   # our trading name
kind: organisation
website: "https://www.example.net/"
signed: 2024-05-17
mission_version: 1
maintainers:
  - login: harbour
    id: 583231
statement: >-
  We signed because
  we care.
social: {mastodon: https://mastodon.social/@harbour}
"""


def write(registry: Registry, text: str, newline: str = "\n", bom: bool = False,
          slug: str = "example-media") -> Path:
    data = ("\ufeff" if bom else "") + text.replace("\n", newline)
    return registry.write(slug, data.encode("utf-8"))


def only(registry: Registry) -> Pledge:
    report = registry.validate()
    assert report.problems == []
    (pledge,) = report.pledges
    return pledge


def no_scratch_left(registry: Registry) -> None:
    leftovers = [p.name for p in registry.pledges.iterdir() if p.name.startswith(".")]
    assert leftovers == []
    assert [p.name for p in registry.root.iterdir() if p.name.startswith("tmp")] == []


STYLES = pytest.mark.parametrize(("newline", "bom"), [("\n", False), ("\r\n", True)],
                                 ids=["lf", "crlf-bom"])


# --- update ------------------------------------------------------------------------------------
@STYLES
def test_update_edits_only_the_lines_it_must(registry: Registry, newline: str,
                                             bom: bool) -> None:
    path = write(registry, HANDWRITTEN, newline, bom)
    code = run_update(life(registry), "example-media",
                      ["name=Example Media", "country=NO", "social.x=https://x.com/example"],
                      ["statement"])
    assert code == EXIT_OK
    wanted = (HANDWRITTEN
              .replace("'Harbour Media Ltd'   #", "Example Media   #")
              .replace("    id: 583231\n", '    id: 583231\ncountry: "NO"\n')
              .replace(">-\n  We signed because\n  we care.\n", "")
              .replace("statement: ", "")
              .replace("social: {mastodon: https://mastodon.social/@harbour}\n",
                       "social:\n  mastodon: https://mastodon.social/@harbour\n"
                       "  x: https://x.com/example\n"))
    assert path.read_bytes() == (("\ufeff" if bom else "") +
                                 wanted.replace("\n", newline)).encode("utf-8")
    pledge = only(registry)
    assert (pledge.name, pledge.country, pledge.statement) == ("Example Media", "NO", None)
    no_scratch_left(registry)


def test_setting_a_value_it_already_has_changes_nothing(registry: Registry) -> None:
    text = HANDWRITTEN.replace("kind: organisation\n", "kind: organisation\ncountry: NO\n")
    path = write(registry, text)
    assert run_update(life(registry), "example-media",
                      ["country=NO", "name=Harbour Media Ltd",
                       "social.mastodon=https://mastodon.social/@harbour"], []) == 0
    assert path.read_text() == text


def test_update_in_a_block_mapping_touches_one_line(registry: Registry) -> None:
    text = HANDWRITTEN.replace("social: {mastodon: https://mastodon.social/@harbour}",
                               "social:\n  mastodon: 'https://mastodon.social/@harbour'  # us")
    path = write(registry, text)
    assert run_update(life(registry), "example-media",
                      ["social.linkedin=https://www.linkedin.com/company/harbour"], []) == 0
    assert path.read_text() == text.replace(  # in the table's order of networks
        "social:\n", "social:\n  linkedin: https://www.linkedin.com/company/harbour\n")
    assert run_update(life(registry), "example-media", [], ["social.linkedin"]) == 0
    assert path.read_text() == text
    assert run_update(life(registry), "example-media", [], ["social.mastodon"]) == 0
    assert path.read_text() == text.replace(
        "social:\n  mastodon: 'https://mastodon.social/@harbour'  # us\n", "")


def test_a_hostile_value_stays_one_value(registry: Registry) -> None:
    path = write(registry, HANDWRITTEN)
    hostile = "ok\nmaintainers:\n  - login: mallory\n    id: 666\n# x: 'y'"
    assert run_update(life(registry), "example-media", [f"statement={hostile}"], []) == 0
    pledge = only(registry)
    assert pledge.statement == hostile.strip()
    assert pledge.maintainers == ("harbour",)
    assert path.read_text().count("\n") == HANDWRITTEN.count("\n") - 2  # one line for three


@pytest.mark.parametrize(("change", "says"), [
    ("website=http://www.example.net/", "'website' uses the scheme"),
    ("name=Evil\u202eCorp", "'name' contains"),
    ("country=uk", "'country' must be"),
    ("statement_url=https://elsewhere.example.com/", "own domain"),
])
def test_an_update_that_fails_the_rules_writes_nothing(
        registry: Registry, change: str, says: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = write(registry, HANDWRITTEN, "\r\n", True)
    before = path.read_bytes()
    assert run_update(life(registry), "example-media", [change], []) == EXIT_PROBLEMS
    assert path.read_bytes() == before
    err = capsys.readouterr().err
    assert says in err and f"{path}:" in err and "was not changed" in err
    no_scratch_left(registry)


@pytest.mark.parametrize(("sets", "unsets", "says"), [
    (["status=withdrawn"], [], "socialmission withdraw"),
    (["mission_version=2"], [], "socialmission reaffirm"),
    (["reaffirmed=x"], [], "socialmission reaffirm"),
    (["redacted=2026-01-01"], [], "socialmission redact"),
    (["colour=red"], [], "there is no field 'colour'"),
    (["social=https://x.com/a"], [], "social.NETWORK"),
    (["country"], [], "FIELD=VALUE"),
    ([], ["name"], "'name' is required"),
    (["country=GB"], ["country"], "given twice"),
    ([], [], "nothing to update"),
])
def test_update_refuses_what_it_cannot_do(registry: Registry, sets: list[str],
                                          unsets: list[str], says: str) -> None:
    path = write(registry, HANDWRITTEN)
    with pytest.raises(UsageError, match=says):
        run_update(life(registry), "example-media", sets, unsets)
    assert path.read_text() == HANDWRITTEN


@pytest.mark.parametrize(("slug", "says"), [
    ("../mission", "'../mission' is not a pledge's slug"),
    ("pledges/../../x", "is not a pledge's slug"),
    ("A", "'A' is not a pledge's slug"),
    ("acme\x1b[2J", r"'acme\\x1b\[2J' is not a pledge's slug"),  # shown escaped
    ("missing-one", "missing-one.yaml is not a pledge file"),
    ("aux", "'aux' is not a pledge's slug: a slug is a device name on Windows"),  # one rule
])
def test_only_an_existing_pledge_is_edited(registry: Registry, slug: str, says: str) -> None:
    registry.write("example-media", HANDWRITTEN)
    with pytest.raises(UsageError, match=says):
        run_update(life(registry), slug, ["country=GB"], [])
    root = ["--root", str(registry.root)]
    for command in (["update", slug, "--set", "country=GB"], ["withdraw", slug, "--reason", "x"],
                    ["reaffirm", slug], ["redact", slug, "--reason", "x"]):
        assert main([*root, *command]) == 2, command
    assert sorted(p.name for p in registry.pledges.iterdir()) == ["example-media.yaml", "logos"]
    assert (registry.pledges / "example-media.yaml").read_text() == HANDWRITTEN


def test_the_commands_run_from_the_command_line(registry: Registry,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    write(registry, HANDWRITTEN)
    root = ["--root", str(registry.root)]
    assert main([*root, "update", "example-media", "--set", "status=x"]) == 2
    assert main([*root, "withdraw", "example-media", "--reason", "Closed.",
                 "--date", "2025-01-31"]) == 0
    assert main([*root, "reaffirm", "example-media"]) == 1  # withdrawn: refused
    assert main([*root, "redact", "example-media", "--reason", "Legal request",
                 "--date", "2025-02-01"]) == 0
    out = capsys.readouterr().out
    assert "Redact example-media: Legal request" in out and "git history" in out
    assert only(registry).tombstone


# --- withdraw ----------------------------------------------------------------------------------
@STYLES
def test_withdraw_adds_three_lines_and_keeps_the_rest(registry: Registry, newline: str,
                                                      bom: bool) -> None:
    path = write(registry, HANDWRITTEN, newline, bom)
    reason = "We closed: #sad, 'really'"
    assert run_withdraw(life(registry), "example-media", reason, "2025-01-31") == EXIT_OK
    wanted = HANDWRITTEN + ('status: withdrawn\nwithdrawn: 2025-01-31\n'
                            f'withdrawn_reason: {json.dumps(reason)}\n')
    assert path.read_bytes() == (("\ufeff" if bom else "") +
                                 wanted.replace("\n", newline)).encode("utf-8")
    pledge = only(registry)
    assert (pledge.status, pledge.withdrawn, pledge.withdrawn_reason) == (
        "withdrawn", dt.date(2025, 1, 31), reason)


def test_withdraw_refuses_a_date_before_signing_and_writes_nothing(registry: Registry) -> None:
    path = write(registry, HANDWRITTEN)
    assert run_withdraw(life(registry), "example-media", "Closed.", "2024-01-01") == \
        EXIT_PROBLEMS
    assert path.read_text() == HANDWRITTEN
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        run_withdraw(life(registry), "example-media", "Closed.", "31/01/2025")
    run_withdraw(life(registry), "example-media", "Closed.", None)
    assert only(registry).withdrawn == TODAY
    with pytest.raises(UsageError, match="already withdrawn"):
        run_withdraw(life(registry), "example-media", "Again.", None)


def test_withdrawn_badges_page_and_lists(registry: Registry) -> None:
    write(registry, HANDWRITTEN)
    run_withdraw(life(registry), "example-media", "Closed.", "2025-01-31")
    pledge = only(registry)
    face = face_of(pledge, BASE, 1, words=WORDS)
    assert (face.value, face.withdrawn) == ("withdrawn", True)
    assert json.loads(face.assertion_json or "")["revoked"] is True
    _, body = pages.signatory(pledge, BASE, paths_fonts(), registry.mission, words=SITE_WORDS)
    assert "tabbed-set" not in body.html and "no embed code is offered" in body.html
    _, bodies = pages.directory_pages([pledge], words=SITE_WORDS)
    assert "Harbour Media Ltd" in bodies["signatories/former.md"].html
    assert json.loads(opendata.directory_data([pledge]))["rows"] == []


def paths_fonts() -> Path:
    return FONTS


# --- a new mission version ---------------------------------------------------------------------
def test_version_2_leaves_every_pledge_valid(v2: Registry) -> None:
    for path in (ROOT / "pledges").glob("*.yaml"):
        v2.write(path.name, path.read_bytes())
    for logo in (ROOT / "pledges" / "logos").glob("*.png"):
        (v2.pledges / "logos" / logo.name).write_bytes(logo.read_bytes())
    report = v2.validate()
    assert report.problems == []
    assert len(report.pledges) == len(list((ROOT / "pledges").glob("*.yaml")))


def test_an_old_version_signatory_is_not_counted_for_the_new_one(v2: Registry) -> None:
    write(v2, HANDWRITTEN)
    pledge = only(v2)
    home = pages.home(v2.mission, [pledge], SITE_WORDS, built_on=dt.date(2026, 3, 2))
    assert "Eleven principles for behaving well" in home
    assert "<strong>0</strong> organisations and people have signed version 2 or reaffirmed " \
           "it. 1 more signed an earlier version and has not reaffirmed this one." in home
    face = face_of(pledge, BASE, 2, words=WORDS)
    assert face.detail == "Signatory since 2024 · Mission v1 · v2 is out"
    assert face.verify == f"{BASE}openbadges/assertions/example-media.json"
    item = opendata.record(pledge, BASE, v2.mission)
    assert (item["current_version"], item["newer_version"]) == (1, 2)
    api = json.loads(opendata.api_files([pledge], v2.mission, BASE)["api/v1/signatories.json"])
    assert (api["mission_version"], api["count_current_version"]) == (2, 0)
    _, body = pages.signatory(pledge, BASE, paths_fonts(), v2.mission, words=SITE_WORDS)
    assert "This signatory signed version 1 of the mission; version 2 is current" in body.html


@STYLES
def test_reaffirm_adds_its_lines_and_keeps_the_first_signature(v2: Registry, newline: str,
                                                               bom: bool) -> None:
    path = write(v2, HANDWRITTEN, newline, bom)
    assert run_reaffirm(life(v2), "example-media", None, "2026-03-01") == EXIT_OK
    wanted = HANDWRITTEN.replace(
        "mission_version: 1\n",
        "mission_version: 1\nreaffirmed:\n  - version: 2\n    date: 2026-03-01\n")
    assert path.read_bytes() == (("\ufeff" if bom else "") +
                                 wanted.replace("\n", newline)).encode("utf-8")
    pledge = only(v2)
    assert (pledge.signed, pledge.mission_version) == (dt.date(2024, 5, 17), 1)
    assert pledge.reaffirmed == ((2, dt.date(2026, 3, 1)),)
    assert pledge.versions == (1, 2)
    with pytest.raises(UsageError, match="already has version 2"):
        run_reaffirm(life(v2), "example-media", 2, None)


def test_one_assertion_per_version_and_badges_bake_the_newest(v2: Registry,
                                                              settings: object) -> None:
    write(v2, HANDWRITTEN)
    run_reaffirm(life(v2), "example-media", 2, "2026-03-01")
    pledge = only(v2)
    first = openbadges.assertion(BASE, pledge, mission_name=MISSION_NAME)
    second = openbadges.assertion(BASE, pledge, 2, mission_name=MISSION_NAME)
    assert first["id"] == f"{BASE}openbadges/assertions/example-media.json"
    assert first["badge"] == f"{BASE}openbadges/mission-v1.json"
    assert first["issuedOn"].startswith("2024-05-17")
    assert second["id"] == f"{BASE}openbadges/assertions/example-media.v2.json"
    assert second["badge"] == f"{BASE}openbadges/mission-v2.json"
    assert second["issuedOn"].startswith("2026-03-01")
    assert "reaffirmed version 2" in second["narrative"]
    documents = openbadges.all_documents(BASE, settings, v2.mission, [pledge])  # type: ignore[arg-type]
    assert {"openbadges/assertions/example-media.json",
            "openbadges/assertions/example-media.v2.json"} <= set(documents)
    face = face_of(pledge, BASE, 2, words=WORDS)
    assert face.verify == second["id"]
    assert face.detail == "Signatory since 2024 · Mission v2"
    home = pages.home(v2.mission, [pledge], SITE_WORDS, built_on=dt.date(2026, 3, 2))
    assert "<strong>1</strong> organisation or person has signed version 2 or reaffirmed " \
           "it." in home


def test_a_slug_ending_in_v2_never_meets_a_reaffirmed_assertion() -> None:
    assert assertion_path("acme", 2) != assertion_path("acme-v2")


@pytest.mark.parametrize(("reaffirmed", "message"), [
    ("  - version: 2\n    date: 2025-12-01\n",
     "'reaffirmed': version 2 is reaffirmed on 2025-12-01, before it was published "
     "(2026-01-01): check the date"),
    ("  - version: 1\n    date: 2026-02-01\n",
     "'reaffirmed' version 1 is not after the version first signed (1): list only newer "
     "versions"),
    ("  - version: 3\n    date: 2026-02-01\n",
     "'reaffirmed' entry 'version' 3 does not exist: the published versions are 1, 2"),
    ("  - version: 2\n    date: 2026-07-01\n",
     "'reaffirmed' entry 'date' is in the future (2026-07-01): use today's date or earlier"),
    ("  - version: 2\n", "this 'reaffirmed' entry has no 'date': add it"),
    ("  - version: 2\n    date: 2026-02-01\n    why: x\n",
     "'reaffirmed' entries have only 'version' and 'date': delete 'why'"),
    ("  - version: 2\n    date: 2026-02-01\n  - version: 2\n    date: 2026-02-02\n",
     "'reaffirmed' must list versions oldest first, each once: version 2 comes after "
     "version 2"),
])
def test_the_reaffirmation_rules(v2: Registry, reaffirmed: str, message: str) -> None:
    write(v2, HANDWRITTEN.replace("mission_version: 1\n",
                                  f"mission_version: 1\nreaffirmed:\n{reaffirmed}"))
    assert [p[3] for p in v2.problems()] == [message]


def test_signed_is_checked_against_the_version_first_signed(v2: Registry) -> None:
    write(v2, HANDWRITTEN.replace("mission_version: 1", "mission_version: 2"))
    assert [p[3] for p in v2.problems()] == [
        "'signed' (2024-05-17) is before mission version 2 was published (2026-01-01): "
        "check the date or the version"]


def test_a_reaffirmation_after_withdrawal_is_refused(v2: Registry) -> None:
    write(v2, HANDWRITTEN.replace("mission_version: 1\n", "mission_version: 1\nreaffirmed:\n"
                                  "  - version: 2\n    date: 2026-03-01\n")
          + "status: withdrawn\nwithdrawn: 2026-02-01\n")
    assert [p[3] for p in v2.problems()] == [
        "'reaffirmed': version 2 is reaffirmed on 2026-03-01, after the signature was withdrawn "
        "(2026-02-01): check the dates"]
    with pytest.raises(UsageError, match="withdrawn pledge is not reaffirmed"):
        run_reaffirm(life(v2), "example-media", None, None)


def test_reaffirm_refusals_write_nothing(v2: Registry) -> None:
    path = write(v2, HANDWRITTEN)
    assert run_reaffirm(life(v2), "example-media", 2, "2025-12-31") == EXIT_PROBLEMS
    assert path.read_text() == HANDWRITTEN
    with pytest.raises(UsageError, match="--version 9 does not exist"):
        run_reaffirm(life(v2), "example-media", 9, None)
    with pytest.raises(UsageError, match="already has version 1"):
        run_reaffirm(life(v2), "example-media", 1, None)


def test_the_history_page_says_what_changed(v2: Registry) -> None:
    text = pages.history(v2.mission, SITE_WORDS)
    assert "**What changed from version 1:**" in text
    assert "- Reworded, principle 3: was \"I will listen keenly" in text
    assert "- Removed, principle 6: I will embrace negative content" in text
    for number, principle in zip((10, 11), ADDED, strict=True):
        assert f"- Added, as principle {number}: {principle}" in text
    assert text.count("- Added") == 2 and text.count("- Removed") == 1
    assert text.count("- Reworded") == 1


def test_principle_changes_pair_only_what_is_alike() -> None:
    changes = pages.principle_changes(("a b c d", "x y z"), ("a b c d e", "q r s", "x y z"))
    assert changes.reworded == ((1, 1, "a b c d", "a b c d e"),)
    assert changes.added == ((2, "q r s"),) and changes.removed == ()
    assert pages.principle_changes(("a",), ("a",)).none


# --- redact ------------------------------------------------------------------------------------
WITHDRAWN = HANDWRITTEN.replace("kind: organisation\n",
                                "kind: organisation  # Jane Doe's firm\n") + (
    "logo: logos/example-media.png\n"
    "status: withdrawn\nwithdrawn: 2025-01-31\nwithdrawn_reason: Jane Doe left.\n")
TOMBSTONE = ("# yaml-language-server: $schema=../site/schema/pledge.schema.json\n"
             "signed: 2024-05-17\nmission_version: 1\n"
             "status: withdrawn\nwithdrawn: 2025-01-31\nredacted: 2025-06-30\n")


@STYLES
def test_redact_keeps_a_tombstone_and_deletes_the_logo(registry: Registry, newline: str,
                                                       bom: bool) -> None:
    logo = registry.pledges / "logos" / "example-media.png"
    write_png(logo, 128)
    path = write(registry, WITHDRAWN, newline, bom)
    assert run_redact(life(registry), "example-media", "Legal request", "2025-06-30") == 0
    assert path.read_bytes() == (("\ufeff" if bom else "") +
                                 TOMBSTONE.replace("\n", newline)).encode("utf-8")
    assert not logo.exists()
    pledge = only(registry)
    assert pledge.tombstone and pledge.name == c.REDACTED_NAME
    assert (pledge.website, pledge.maintainers, pledge.withdrawn_reason) == (None, (), None)


def test_a_tombstone_shows_no_personal_data_anywhere(registry: Registry,
                                                     settings: object) -> None:
    write_png(registry.pledges / "logos" / "example-media.png", 128)
    write(registry, WITHDRAWN)
    run_redact(life(registry), "example-media", "Legal request", "2025-06-30")
    pledge = only(registry)
    secrets = ("Example Media", "example.org", "Jane", "harbour", "mastodon", "We signed")
    face = face_of(pledge, BASE, 1, words=WORDS)
    documents = openbadges.all_documents(BASE, settings, registry.mission, [pledge])  # type: ignore[arg-type]
    stub, body = pages.signatory(pledge, BASE, paths_fonts(), registry.mission, words=SITE_WORDS)
    directory, _ = pages.directory_pages([pledge], words=SITE_WORDS)
    outputs = {
        "face": json.dumps(face.__dict__), "badge text": describe(face),
        "assertion": json.dumps(documents["openbadges/assertions/example-media.json"]),
        "page": stub + body.html, "directory": json.dumps(directory),
        "api": opendata.api_files([pledge], registry.mission, BASE)[
            "api/v1/signatories/example-media.json"].decode(),
        "search": opendata.directory_data([pledge]).decode(),
        "feed": feed.atom_feed([pledge], BASE, dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                               "Socially-M", MISSION_NAME).decode(),
    }
    for where, text in outputs.items():
        for secret in secrets:
            assert secret not in text, (where, secret)
    assertion = documents["openbadges/assertions/example-media.json"]
    assert assertion["revoked"] is True and "recipient" not in assertion
    assert "redacted on 2025-06-30" in assertion["revocationReason"]
    assert "were removed from the registry on" in body.html
    record = json.loads(outputs["api"])
    assert record["redacted"] == "2025-06-30" and "name" not in record
    assert face.name == c.REDACTED_NAME and face.value == "withdrawn"


@pytest.mark.parametrize(("extra", "message"), [
    ("name: Jane Doe\n", "a redacted pledge keeps only signed, mission_version, reaffirmed, "
                         "status, withdrawn, withdrawn_by, status_index, signed_again, "
                         "redacted: delete 'name'"),
    ("redacted_by: me\n", None),
])
def test_a_tombstone_keeps_only_its_dates(registry: Registry, extra: str,
                                          message: str | None) -> None:
    write(registry, TOMBSTONE + extra)
    found = [p[3] for p in registry.problems()]
    if message is None:
        assert len(found) == 1 and found[0].startswith("unknown field 'redacted_by'")
    else:
        assert found == [message]


def test_only_a_withdrawn_pledge_is_redacted(registry: Registry) -> None:
    write(registry, TOMBSTONE.replace("status: withdrawn\nwithdrawn: 2025-01-31\n", ""))
    assert [p[3] for p in registry.problems()] == [
        "only a withdrawn pledge is redacted: add 'status: withdrawn' and "
        "'withdrawn: YYYY-MM-DD'"]
    path = write(registry, HANDWRITTEN)
    with pytest.raises(UsageError, match="withdraw it first"):
        run_redact(life(registry), "example-media", "Legal request", None)
    assert path.read_text() == HANDWRITTEN


def test_a_redaction_before_the_withdrawal_is_refused_and_writes_nothing(
        registry: Registry) -> None:
    path = write(registry, WITHDRAWN.replace("logo: logos/example-media.png\n", ""))
    assert run_redact(life(registry), "example-media", "Legal", "2025-01-01") == EXIT_PROBLEMS
    assert path.read_text() == WITHDRAWN.replace("logo: logos/example-media.png\n", "")
    run_redact(life(registry), "example-media", "Legal", "2025-06-30")
    with pytest.raises(UsageError, match="redacted already"):
        run_redact(life(registry), "example-media", "Legal", None)
    with pytest.raises(UsageError, match="nothing of it is left to update"):
        run_update(life(registry), "example-media", ["country=GB"], [])


def test_tombstones_are_left_out_of_the_cross_file_comparisons(registry: Registry) -> None:
    write(registry, TOMBSTONE, slug="one-gone")
    write(registry, TOMBSTONE, slug="two-gone")
    assert registry.problems() == []


# --- the verdict on each command's edit ------------------------------------------------------
def _life(repo: Repo, mission: Mission) -> lifecycle.Registry:
    return lifecycle.Registry(repo.root, mission, NAME_FITS, TODAY)


def test_a_maintainer_updates_and_withdraws_by_command(repo: Repo, mission: Mission) -> None:
    assert run_update(_life(repo, mission), "acme", ["country=GB"], []) == 0
    assert run_withdraw(_life(repo, mission), "acme", "Closed.", "2025-01-31") == 0
    repo.commit()
    verdict = repo.verdict(ALICE)
    assert verdict.allowed and not verdict.notices, verdict.render("text")


def test_a_redaction_is_the_registry_maintainers_alone(repo: Repo, mission: Mission) -> None:
    repo.git("checkout", "-q", "main")
    run_withdraw(_life(repo, mission), "acme", "Closed.", "2025-01-31")
    repo.commit("withdrawn")
    repo.git("branch", "-q", "-D", "pr")
    repo.branch()
    assert run_redact(_life(repo, mission), "acme", "Legal request", "2025-06-30") == 0
    repo.commit()
    refused = repo.verdict(ALICE)
    assert [p.message for p in refused.refusals] == [
        "only the registry's maintainers redact a pledge, for legal or abuse requests, and "
        "alice is not one of them: a pledge's own maintainers withdraw it; to have it "
        "redacted, ask the registry's maintainers (CONTRIBUTING.md, 'Redaction')"]
    allowed = repo.verdict(KEEPER)
    assert allowed.allowed, allowed.render("text")
    assert allowed.notices == ["keeper changed pledges/acme.yaml as a registry maintainer "
                               "(editing a pledge it does not maintain), not as one of its "
                               "maintainers"]


# --- what an edit may not bring in: a registry name, another pledge's site -----------------------
def test_an_update_may_not_take_a_registry_name_or_another_pledges_site(
        registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(registry, HANDWRITTEN)
    registry.write("shop", HANDWRITTEN.replace("Harbour Media Ltd", "Example Shop").replace(
        "www.example.net", "brio.example.com"))
    for change, says in [
            ("name=Socially-M", "'name' is, or looks like, the issuer's name, 'Socially-M'"),
            ("website=https://shop.brio.example.com/", "has a website on the same site as "
                                                       f"{registry.pledges}/shop.yaml")]:
        assert run_update(life(registry), "example-media", [change], []) == EXIT_PROBLEMS
        assert says in capsys.readouterr().err
        assert path.read_text(encoding="utf-8") == HANDWRITTEN


def test_a_name_that_stood_before_does_not_stop_another_edit(registry: Registry) -> None:
    path = write(registry, HANDWRITTEN.replace("Harbour Media Ltd", "Socially-M"))
    assert run_update(life(registry), "example-media", ["country=GB"], []) == EXIT_OK
    assert "country: GB" in path.read_text(encoding="utf-8")
