"""The issue form "Update or withdraw my signature": the committed form, and a submitted
body read with the sign form's rigour, turned into update, withdraw or reaffirm; then the
App's pull request on update/issue-N against a fake API on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MISSION, NAME_FITS, REGISTRY_SETTINGS, ROOT, Registry
from fake_github import REPO, FakeApi, branch_flow
from socialmission.changes.changeform import (
    ACTION_LABEL,
    CONFIRM_LABEL,
    CONFIRMATION,
    MAINTAINERS_LABEL,
    REASON_LABEL,
    REMOVABLE,
    REMOVE_LABEL,
    SIGN_AGAIN,
    WITHDRAW,
    Change,
    comment,
    form,
    form_text,
    labels,
    read_change,
)
from socialmission.changes.issueform import SLUG_LABEL
from socialmission.changes.lifecycle import Registry as Lifecycle
from socialmission.cli import main
from socialmission.github.signing import issue_author, publish_change, read_issue
from socialmission.model import paths

DAY = dt.date(2026, 6, 1)
OWN = ("octo-cat", 42)
PLEDGE = """\
name: Acme Media
kind: organisation
website: https://www.acme-media.example.org/
country: GB
sector: media  # a comment that stays
signed: 2024-05-17
mission_version: 1
maintainers:
  - login: octo-cat
    id: 42
  - carol
"""


def body(**answers: str | None) -> str:
    """A body as GitHub writes the submitted change form; `<absent>` leaves a heading out."""
    values: dict[str, str | None] = {SLUG_LABEL: "acme", ACTION_LABEL: "Update my pledge"}
    values |= dict.fromkeys(("Name", "Kind", "Website", "Country", "Sector", "Statement",
                             "Public announcement"))
    values |= {REMOVE_LABEL: "".join(f"- [ ] {title}\n" for title in ("Country", "Sector",
                                                                       "Statement",
                                                                       "Public announcement")),
               MAINTAINERS_LABEL: None, REASON_LABEL: None, "Date of withdrawal": None,
               CONFIRM_LABEL: f"- [X] {CONFIRMATION}"}
    values.update({k.replace("_", " "): v for k, v in answers.items()})
    return "\n\n".join(f"### {label}\n\n{value if value is not None else '_No response_'}"
                       for label, value in values.items() if value != "<absent>") + "\n"


@pytest.fixture
def registry(registry: Registry) -> Registry:
    registry.write("acme", PLEDGE)
    return registry


def read(registry: Registry, text: str, author: tuple[str, int] = OWN) -> Change:
    lifecycle = Lifecycle(registry.root, registry.mission, NAME_FITS, DAY)
    return read_change(lifecycle, text, author=author)


def problems_of(registry: Registry, text: str, author: tuple[str, int] = OWN
                ) -> list[tuple[str, str]]:
    change = read(registry, text, author)
    assert change.text is None
    return [(p.label, p.message) for p in sorted(change.problems)]


# --- the form --------------------------------------------------------------------------------
def test_the_committed_form_is_current() -> None:
    assert (ROOT / paths.CHANGE_FORM_FILE).read_text(encoding="utf-8") == form_text(MISSION)


def test_the_form_asks_no_status_date_or_version_and_removes_only_optional_fields() -> None:
    ids = [item["id"] for item in form(MISSION)["body"] if "id" in item]
    assert ids == ["slug", "action", "name", "kind", "website", "country", "sector",
                   "statement", "statement_url", "remove", "maintainers", "reason", "date",
                   "confirmation"]
    assert REMOVABLE == ("country", "sector", "statement", "statement_url")
    assert yaml.safe_load(form_text(MISSION))["labels"] == ["signature-change"]


# --- what a body becomes ---------------------------------------------------------------------
def test_an_update_edits_only_the_lines_it_must(registry: Registry) -> None:
    change = read(registry, body(Country="FR", Remove_these_answers="- [X] Sector"))
    assert change.ok, change.problems
    assert change.done == "updated country, sector"
    assert change.text == PLEDGE.replace("country: GB", "country: FR").replace(
        "sector: media  # a comment that stays\n", "")
    assert (registry.pledges / "acme.yaml").read_text() == PLEDGE  # nothing written


def test_a_withdrawal_with_its_reason_and_date(registry: Registry) -> None:
    change = read(registry, body(What_to_do=WITHDRAW, Why_you_withdraw="We closed\n down.",
                                 Date_of_withdrawal="2026-05-30"))
    assert change.ok, change.problems
    assert change.text is not None
    assert "status: withdrawn\n" in change.text and "withdrawn: 2026-05-30\n" in change.text
    assert "withdrawn_reason: We closed down.\n" in change.text


def test_a_reaffirmation(registry: Registry) -> None:
    change = read(registry, body(What_to_do="Reaffirm the current mission version"))
    # the registry has one version, which acme signed: there is nothing newer
    assert [p.message for p in change.problems] == [
        "this pledge already has version 1: give a newer --version, or none for the "
        "current one"]


def test_the_maintainers_change_only_with_ids_and_keeping_the_submitter(
        registry: Registry) -> None:
    change = read(registry, body(Maintainers="octo-cat:42, hubot:5"))
    assert change.ok, change.problems
    assert change.text is not None
    assert yaml.safe_load(change.text)["maintainers"] == [
        {"login": "octo-cat", "id": 42}, {"login": "hubot", "id": 5}]
    assert problems_of(registry, body(Maintainers="hubot:5")) == [(
        MAINTAINERS_LABEL, "the new list must keep you (account 42): a pledge is never left "
        "without its maintainers, and to leave one yourself, ask another maintainer or the "
        "registry's maintainers")]
    assert problems_of(registry, body(Maintainers="octo-cat:42, carol")) == [(
        MAINTAINERS_LABEL, "write each maintainer as login:id, such as octo-cat:42: got "
        "'carol'")]


@pytest.mark.parametrize(("author", "why"), [
    (("mallory", 666), "not listed"),  # not a maintainer
    (("octo-cat", 43), "a freed login: the id is another's"),
    (("carol", 7), "a login-only entry is not an id"),
])
def test_only_a_maintainer_by_id_may_change_it(registry: Registry, author: tuple[str, int],
                                               why: str) -> None:
    assert problems_of(registry, body(Country="FR"), author) == [(
        SLUG_LABEL, f"only the maintainers of acme, by GitHub account id, change it with "
        f"this form, and {author[0]} (account {author[1]}) is not listed with that id in "
        "pledges/acme.yaml: ask one of its maintainers to add you, or the registry's "
        "maintainers")], why


@pytest.mark.parametrize(("answers", "expected"), [
    ({"Page_address": "../registry"}, (SLUG_LABEL, "the page address '../registry' must be "
                                       "2-64 lower-case letters, digits and single hyphens: "
                                       "choose another, such as example-media")),
    ({"Page_address": "nobody"}, (SLUG_LABEL, "there is no pledge at the address 'nobody': "
                                  "give your page's address, signatories/<address>/")),
    ({"Name": "Acme <b>Media</b>"}, ("Name", "write plain text, without Markdown or HTML: "
                                     "remove '<' (at character 6)")),
    ({"Name": "Acme\u202eMedia"}, ("Name", "the answer holds an invisible formatting "
                                   "character (bidirectional or zero-width) (U+202E) at "
                                   "character 5: retype it without that character")),
    ({"Country": "FR\nGB"}, ("Country", "the answer must be one line: join its lines")),
    ({"What_to_do": "Delete everything"}, (ACTION_LABEL, "choose one of the form's options "
                                           "(Update my pledge, Withdraw my signature, "
                                           "Reaffirm the current mission version, Sign again): got "
                                           "'Delete everything'")),
    ({"Country": "FR", "Remove_these_answers": "- [X] Country"},
     ("Country", "this answer is given and ticked for removal: do one")),
    ({"Remove_these_answers": "- [X] Name"}, (REMOVE_LABEL, "only the form's options belong "
                                              "here, not '- [X] Name'")),
    ({"Why_you_withdraw": "Because."}, (REASON_LABEL, "an update leaves this empty: it is "
                                        "for a withdrawal")),
    ({}, ("", "nothing to update: answer the questions whose answers change, or tick "
          "answers to remove")),
    ({"Country": "GB"}, ("", "the pledge already says this: nothing would change")),
    ({"Confirmation": f"- [ ] {CONFIRMATION}", "Country": "FR"},
     (CONFIRM_LABEL, f"tick {CONFIRMATION!r}: only a pledge's maintainers change it")),
    ({"What_to_do": WITHDRAW}, (REASON_LABEL, "a withdrawal says why, in a sentence: it is "
                                "published")),
    ({"What_to_do": WITHDRAW, "Why_you_withdraw": "x" * 501}, (
        REASON_LABEL, "the reason is 501 characters; at most 500: shorten it")),
    ({"What_to_do": WITHDRAW, "Why_you_withdraw": "Closed.", "Country": "FR"}, (
        "Country", "withdraw my signature changes nothing else: leave this empty, and send "
        "an update on its own")),
    ({"What_to_do": WITHDRAW, "Why_you_withdraw": "Closed.", "Date_of_withdrawal": "soon"}, (
        "", "--date must be a date written YYYY-MM-DD: got 'soon'")),
    # a name the registry shows as its own: the verdict would refuse the pull request
    ({"Name": "Socially-M"}, ("", "'name' is, or looks like, the issuer's name, 'Socially-M': "
                                  "a signatory may not sign under a name the registry shows "
                                  "as its own; give the signatory's own name")),
])
def test_what_to_change_in_the_form(registry: Registry, answers: dict[str, str],
                                    expected: tuple[str, str]) -> None:
    assert expected in problems_of(registry, body(**answers))


def test_only_the_forms_headings_each_once(registry: Registry) -> None:
    extra = body(Country="FR") + "\n### maintainers\n\nmallory:666\n"
    assert problems_of(registry, extra)[0][1].startswith(
        "the issue has a heading the form does not write: 'maintainers'")
    twice = body(Country="FR") + "\n### Country\n\nDE\n"
    assert ("Country", "this question appears twice: keep one answer") in \
        problems_of(registry, twice)
    assert (SLUG_LABEL, "this question is missing from the issue: open a new issue with the "
                        "form") in problems_of(registry, body(Page_address="<absent>"))
    assert problems_of(registry, "x" * 20_001)[0][1].startswith("the issue is 20001 "
                                                                "characters long")


def test_a_change_that_fails_the_validator_says_so(registry: Registry) -> None:
    found = problems_of(registry, body(Website="http://acme.example.org/"))
    assert found and all(label in {"Website", ""} for label, _ in found)


def test_the_comment_escapes_what_the_issue_said(registry: Registry) -> None:
    text = comment(read(registry, body(Page_address="**x**")), "octo-cat")
    assert "**x**" not in text
    ok = comment(read(registry, body(Country="FR")), "octo-cat")
    assert "your change to `pledges/acme.yaml` is ready (updated country)" in ok


# --- the App's pull request ---------------------------------------------------------------------
def test_the_change_becomes_the_apps_pull_request_on_update_issue_n(
        registry: Registry, tmp_path: Path) -> None:
    api = FakeApi(branch_flow("update/issue-12", 14))
    try:
        event = tmp_path / "event.json"
        event.write_text(json.dumps({
            "repository": {"default_branch": "main"}, "issue": {
                "number": 12, "body": body(Country="FR"),
                "user": {"login": "octo-cat", "id": 42},
                "labels": [{"name": "signature-change"}]},
            "sender": {"login": "octo-cat", "id": 42}}), encoding="utf-8")
        issue = read_issue(event)
        text = publish_change(api.github, issue, read(registry, issue.body), REGISTRY_SETTINGS)
        (entry,) = api.requests[2][2]["tree"]
        assert entry["path"] == "pledges/acme.yaml"
        assert "country: FR" in entry["content"]
        assert api.requests[5][2] == {"ref": "refs/heads/update/issue-12", "sha": "c" * 40}
        assert api.requests[7][2]["head"] == "update/issue-12"
        assert "The pull request: https://github.com/x/y/pull/14" in text
        # and the verdict is judged for the issue's author, read through the API
        author = issue_author(api.github, "update/issue-12", REPO)
        assert (author.login, author.id) == ("octo-cat", 42)
    finally:
        api.close()


# --- signing again ------------------------------------------------------------------------------
EVENTS = Path(__file__).parent.parent / "data" / "events"
WITHDRAWN = PLEDGE + "status: withdrawn\nwithdrawn: 2025-01-31\nwithdrawn_reason: We paused.\n"
SIGNED_AGAIN = WITHDRAWN.replace("status: withdrawn\n", "") + (
    "signed_again:\n  - signed: 2026-06-01\n    mission_version: 1\n"
    "    status_index: 129401\n")  # the revocation index: model/statuslist.py's first choice


def test_sign_again_signs_a_withdrawn_pledge_today(registry: Registry) -> None:
    registry.write("acme", WITHDRAWN)
    change = read(registry, body(What_to_do=SIGN_AGAIN))
    assert change.ok, change.problems
    assert (change.text, change.done) == (SIGNED_AGAIN, "signed the pledge again on "
                                                        "2026-06-01 (mission version 1)")
    assert (registry.pledges / "acme.yaml").read_text() == WITHDRAWN  # nothing written
    assert "your change to `pledges/acme.yaml` is ready (signed the pledge again on " \
           "2026\\-06\\-01 \\(mission version 1\\))" in comment(change, "octo-cat")


@pytest.mark.parametrize(("pledge", "answers", "expected"), [
    (PLEDGE, {}, ("", "this pledge is not withdrawn: its signature is in force, so there is "
                      "nothing to sign again; to sign a newer mission version, reaffirm it "
                      "(socialmission reaffirm acme)")),
    (WITHDRAWN + "withdrawn_by: registry\n", {}, (
        "", "the registry's maintainers withdrew this signature (on 2025-01-31, withdrawn_by: "
            "registry), and only they sign it again: ask them; a registry maintainer runs "
            "this with --by-registry")),
    (WITHDRAWN, {"Why_you_withdraw": "Back."}, (REASON_LABEL, "signing again leaves this "
                                                              "empty: it is for a withdrawal")),
    (WITHDRAWN, {"Country": "FR"}, ("Country", "sign again changes nothing else: leave this "
                                               "empty, and send an update on its own")),
])
def test_sign_again_in_the_form_is_refused_with_what_to_do(
        registry: Registry, pledge: str, answers: dict[str, str],
        expected: tuple[str, str]) -> None:
    registry.write("acme", pledge)
    assert problems_of(registry, body(What_to_do=SIGN_AGAIN, **answers)) == [expected]
    assert (registry.pledges / "acme.yaml").read_text() == pledge


def test_a_recorded_sign_again_issue_becomes_the_apps_pull_request(
        registry: Registry, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    registry.write("acme", WITHDRAWN)
    api = FakeApi(branch_flow("update/issue-31", 33, issue=31))
    try:
        monkeypatch.setenv("GITHUB_API_URL", api.github.api_url)
        monkeypatch.setenv("GH_TOKEN", "token")
        monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")  # 2026-06-01
        assert main(["--root", str(registry.root), "change-issue", "--event",
                     str(EVENTS / "issues_opened.change_sign_again.json")]) == 0
        (entry,) = next(sent for method, path, sent in api.requests
                        if (method, path) == ("POST", f"/repos/{REPO}/git/trees"))["tree"]
        assert (entry["path"], entry["content"]) == ("pledges/acme.yaml", SIGNED_AGAIN)
        pull = next(sent for method, path, sent in api.requests
                    if (method, path) == ("POST", f"/repos/{REPO}/pulls"))
        assert pull["head"] == "update/issue-31"
        said = next(sent for method, path, sent in api.requests
                    if (method, path) == ("POST", f"/repos/{REPO}/issues/31/comments"))
        assert "(signed the pledge again on 2026\\-06\\-01 \\(mission version 1\\))" in \
            said["body"]
        assert "The pull request: https://github.com/x/y/pull/33" in capsys.readouterr().out
    finally:
        api.close()
    assert (registry.pledges / "acme.yaml").read_text() == WITHDRAWN  # the App's commit only


# --- fuzz: never raises, never writes ---------------------------------------------------------
_LABELS = [*labels(), "Status", "Signed", "", "#", "../x"]
_PIECES = st.one_of(
    st.sampled_from([f"### {label}" for label in _LABELS]),
    st.sampled_from(["_No response_", f"- [X] {CONFIRMATION}", "- [X] Sector", "- [ ] x",
                     WITHDRAW, "Update my pledge", "acme", "../acme", "octo-cat:42",
                     "mallory:666", "2026-05-30", "\r", "\x85", "\u2028", "\ufeff",
                     "status: withdrawn", '"', "{a: b}", "&", "*", "a" * 600]),
    st.text(max_size=40),
)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=30), st.booleans())
def test_fuzz_never_raises_and_writes_nothing(registry: Registry, pieces: list[str],
                                              start_good: bool) -> None:
    text = (body(Country="FR") if start_good else "") + "\n".join(pieces)
    change = read(registry, text)
    assert change.ok or change.problems
    assert (registry.pledges / "acme.yaml").read_text() == PLEDGE
    assert sorted(p.name for p in registry.pledges.iterdir()) == ["acme.yaml", "logos"]
    comment(change, "octo-cat")
