"""Signing from the issue form: the form follows the field table, and its body is read as
untrusted input (`socialmission from-issue`)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CHECK_JSONSCHEMA, MISSION_NAME, NAME_FITS, ROOT, TODAY, VALID, Registry
from forms_support import body
from socialmission.changes import issueform
from socialmission.changes.issueform import (
    ASKED,
    BODY_MAX,
    CONFIRMATIONS,
    FormProblem,
    comment,
    form_text,
    submit,
)
from socialmission.check.validate import validate
from socialmission.cli import main
from socialmission.model import fields, paths, statuslist
from socialmission.model.constants import STATUS_LIST_SIZE
from socialmission.model.mission import Mission

AUTHOR = ("octo-cat", 42)
EPOCH = str(int(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC).timestamp()))  # TODAY, noon


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def problems_of(registry: Registry, text: str) -> list[tuple[str, str]]:
    outcome = submit(registry.root, text, registry.mission, author=AUTHOR, name_fits=NAME_FITS)
    assert outcome.written is None or not outcome.problems
    return [(p.label, p.message) for p in sorted(outcome.problems)]


# --- the form ------------------------------------------------------------------------------
def test_the_committed_form_is_current(mission: Mission) -> None:
    assert (ROOT / paths.SIGN_FORM_FILE).read_text(encoding="utf-8") == \
        form_text(mission, MISSION_NAME)


@pytest.mark.parametrize("form_file", [paths.SIGN_FORM_FILE, paths.CHANGE_FORM_FILE,
                                       paths.REPORT_FORM_FILE, paths.PROPOSAL_FORM_FILE])
def test_each_issue_form_matches_githubs_issue_form_schema(form_file: str) -> None:
    """The sign, change, report and proposal forms, as committed, against GitHub's schema."""
    result = subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema",
                             "vendor.github-issue-forms", str(ROOT / form_file)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_form_asks_the_field_tables_questions(mission: Mission) -> None:
    document = yaml.safe_load(form_text(mission, MISSION_NAME))
    asked = {item["id"]: item for item in document["body"] if "id" in item}
    # every field `new` asks about, less those the form fills in itself, and the logo (a
    # file) and the social profiles (one question a network), which it does not ask
    expected = [f.name for f in fields.FIELDS if f.prompt is not None
                and f.name not in {"signed", "mission_version", "maintainers", "logo",
                                   "social"}]
    assert list(asked) == [*expected, "slug", "confirmations"]
    assert list(ASKED) == expected
    for field in fields.FIELDS:
        if field.name in asked:
            item = asked[field.name]
            assert item["attributes"]["label"] == field.title
            assert item["validations"]["required"] is field.required
            if "enum" in field.schema:  # the mission's sectors, for one
                assert item["attributes"]["options"] == \
                    fields.filled(field, mission).schema["enum"]
    assert document["labels"] == [issueform.LABEL]
    principles = document["body"][0]["attributes"]["value"]
    for principle in mission.current.principles:
        assert principle in principles
    assert [o["label"] for o in asked["confirmations"]["attributes"]["options"]] == \
        list(CONFIRMATIONS)


# --- a good body ----------------------------------------------------------------------------
def test_a_filled_form_writes_a_pledge_with_the_submitter_alone(registry: Registry) -> None:
    outcome = submit(registry.root, body(), registry.mission, author=AUTHOR, name_fits=NAME_FITS)
    assert outcome.ok and outcome.written == registry.pledges / "acme-media.yaml"
    report = validate([registry.pledges], registry.mission, on=TODAY, name_fits=NAME_FITS)
    assert report.ok, report.problems
    (pledge,) = report.pledges
    assert (pledge.name, pledge.country, pledge.signed, pledge.mission_version) == \
        ("Acme Media", "GB", TODAY, registry.mission.current.version)
    written = yaml.safe_load(outcome.written.read_text(encoding="utf-8"))
    assert written["maintainers"] == [{"login": "octo-cat", "id": 42}]
    assert "status" not in written
    assert comment(outcome, "octo-cat").startswith(
        "Thank you, octo\\-cat: your signature is ready as `pledges/acme-media.yaml`")


def test_a_non_latin_name_takes_the_page_address(registry: Registry) -> None:
    outcome = submit(registry.root, body(Name="株式会社エグザンプル", Page_address="example-kk"),
                     registry.mission, author=AUTHOR, name_fits=NAME_FITS)
    assert outcome.ok and outcome.written == registry.pledges / "example-kk.yaml"


def test_crlf_bodies_read_like_lf_ones(registry: Registry) -> None:
    assert submit(registry.root, body().replace("\n", "\r\n"), registry.mission,
                  author=AUTHOR, name_fits=NAME_FITS).ok


def test_the_cli_prints_the_comment_and_exits_0(registry: Registry,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    source = registry.root / "body.md"
    source.write_text(body(), encoding="utf-8")
    assert main(["--root", str(registry.root), "from-issue", "--author", "octo-cat",
                 "--author-id", "42", "--body-file", str(source)]) == 0
    assert "`pledges/acme-media.yaml`" in capsys.readouterr().out
    assert (registry.pledges / "acme-media.yaml").is_file()


def test_the_cli_reads_stdin_and_exits_1_on_problems(registry: Registry) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    result = subprocess.run([sys.executable, "-m", "socialmission", "--root",
                             str(registry.root), "from-issue", "--author", "octo-cat",
                             "--author-id", "42"], input=body(Kind="robot"), text=True,
                            capture_output=True, timeout=120, env=env, check=False)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("Thank you, octo\\-cat. Your signature cannot be written")
    assert "- **Kind**: " in result.stdout
    assert list(registry.pledges.glob("*.yaml")) == []


@pytest.mark.parametrize("arguments", [
    ["--author", "-bad-", "--author-id", "42"],
    ["--author", "octo-cat", "--author-id", "0"],
    ["--author", "octo-cat"],
])
def test_usage_errors_exit_2(registry: Registry, arguments: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--root", str(registry.root), "from-issue", *arguments])
    assert caught.value.code == 2


def test_an_unreadable_body_file_exits_2(registry: Registry) -> None:
    assert main(["--root", str(registry.root), "from-issue", "--author", "octo-cat",
                 "--author-id", "42", "--body-file", str(registry.root / "none.md")]) == 2


# --- hostile bodies -----------------------------------------------------------------------------
def not_utf8(label: str, character: int, code: int) -> tuple[str, str]:
    return (label, f"the answer is not UTF-8 text: character {character} is a byte that is "
                   f"not UTF-8, or a lone surrogate (U+{code:04X}): retype the answer")


def test_a_byte_that_is_not_utf8_is_refused_naming_its_answer(
        registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    """A Latin-1 'é' in the name is refused under Name: never published as U+FFFD."""
    source = registry.root / "body.md"
    source.write_bytes(body(Name="Acme Média").encode("latin-1"))
    assert main(["--root", str(registry.root), "from-issue", "--author", "octo-cat",
                 "--author-id", "42", "--body-file", str(source)]) == 1
    printed = capsys.readouterr().out
    assert "- **Name**: the answer is not UTF\\-8 text: character 7" in printed
    assert list(registry.pledges.glob("*.yaml")) == []
    assert problems_of(registry, issueform.body_text(source.read_bytes())) == [
        not_utf8("Name", 7, 0xDCE9)]


@pytest.mark.parametrize(("answers", "problem"), [
    ({"Statement": "We sign.\n\nAll of \udcffus."}, not_utf8("Statement", 18, 0xDCFF)),
    ({"Website": "https://www.acme\ud800.example.org/"}, not_utf8("Website", 17, 0xD800)),
    ({"Page_address": "acme-\udc80"}, not_utf8("Page address", 6, 0xDC80)),
])
def test_a_lone_surrogate_is_refused_naming_its_answer(
        registry: Registry, answers: dict[str, str], problem: tuple[str, str]) -> None:
    """As an event's JSON carries one ('\\udcff'), or a stray byte becomes one."""
    assert problems_of(registry, body(**answers)) == [problem]


def test_an_oversized_body_is_refused_unread(registry: Registry) -> None:
    huge = body(Statement="x" * BODY_MAX)
    assert problems_of(registry, huge) == [("", (
        f"the issue is {len(huge)} characters long; a signature's is far shorter (the limit "
        f"is {BODY_MAX}): open a new issue with the form"))]


def test_unknown_and_repeated_headings(registry: Registry) -> None:
    text = body() + "### Maintainers\n\n- login: mallory\n  id: 666\n\n### Website\n\nx\n"
    assert problems_of(registry, text) == [
        ("", "the issue has a heading the form does not write: 'Maintainers'; the form's "
             "headings are Name, Kind, Website, Country, Sector, Statement, Public "
             "announcement, Page address, Confirmations: edit the issue and keep only the "
             "form's questions"),
        ("Website", "this question appears twice: keep one answer"),
    ]


def test_text_outside_the_questions_and_missing_questions(registry: Registry) -> None:
    text = "status: withdrawn\n\n" + body(Website="<absent>")
    assert problems_of(registry, text) == [
        ("", "the issue holds text outside the form's questions: 'status: withdrawn': "
             "remove it"),
        ("Website", "this question is missing from the issue: open a new issue with the form"),
    ]


@pytest.mark.parametrize(("answers", "expected"), [
    ({"Name": "Acme\u202eaideM"}, ("Name", "the answer holds an invisible formatting "
                                           "character (bidirectional or zero-width) "
                                           "(U+202E) at character 5: retype it without that "
                                           "character")),
    ({"Name": "Acme\x00Media"}, ("Name", "the answer holds a control character (U+0000) at "
                                         "character 5: retype it without that character")),
    ({"Name": "Acme\nMedia"}, ("Name", "the answer must be one line: join its lines")),
    ({"Name": "[Acme](https://evil.example/)"},
     ("Name", "write plain text, without Markdown or HTML: remove '](' (at character 6)")),
    ({"Name": "<img src=x onerror=alert(1)>"},
     ("Name", "write plain text, without Markdown or HTML: remove '<' (at character 1)")),
    ({"Statement": "We sign.\n# Big news"},
     ("Statement", "write plain text, without Markdown or HTML: remove '#' (at character 10)")),
    ({"Statement": "**bold** claims"},
     ("Statement", "write plain text, without Markdown or HTML: remove '**' (at character 1)")),
    ({"Name": "Acme &amp; Co"},
     ("Name", "write plain text, without Markdown or HTML: remove '&amp;' (at character 6)")),
    ({"Name": None}, ("Name", "this question needs an answer")),
    ({"Page_address": "../../etc/passwd"},
     ("Page address", "the page address '../../etc/passwd' must be 2-64 lower-case letters, "
                      "digits and single hyphens: choose another, such as example-media")),
    ({"Page_address": "Acme"},
     ("Page address", "the page address 'Acme' must be 2-64 lower-case letters, digits and "
                      "single hyphens: choose another, such as example-media")),
    # the one slug rule: the site's own pages and Windows' device names are no one's
    ({"Page_address": "api"},
     ("Page address", "the page address 'api' is reserved for the registry's own pages: "
                      "choose another, such as example-media")),
    ({"Page_address": "lpt1"},
     ("Page address", "the page address 'lpt1' is a device name on Windows, where no "
                      "checkout can hold a file of that name: choose another, such as "
                      "example-media")),
    ({"Name": "株式会社エグザンプル"},
     ("Page address", "the name gives no page address in plain letters: fill in this "
                      "question, such as my-organisation")),
    ({"Confirmations": f"- [X] {CONFIRMATIONS[0]}\n- [ ] {CONFIRMATIONS[1]}\n"
                       f"- [X] {CONFIRMATIONS[2]}"},
     ("Confirmations", f"tick {CONFIRMATIONS[1]!r}: every confirmation is needed to sign")),
])
def test_each_hostile_value_gets_one_clear_message(registry: Registry,
                                                   answers: dict[str, str | None],
                                                   expected: tuple[str, str]) -> None:
    assert problems_of(registry, body(**answers)) == [expected]
    assert list(registry.pledges.glob("*.yaml")) == []


def test_a_field_rule_speaks_under_its_question(registry: Registry) -> None:
    found = problems_of(registry, body(Website="http://acme.example.org/"))
    assert [label for label, _ in found] == ["Website"]
    assert "https" in found[0][1]


def test_a_taken_page_address_and_a_duplicate_website(registry: Registry) -> None:
    registry.write("acme-media", VALID)
    assert problems_of(registry, body()) == [
        ("Page address", "the page address 'acme-media' is another signatory's: choose another")]
    found = problems_of(registry, body(Website="https://www.example.net/",
                                       Page_address="acme-two"))
    assert found == [("", "has the same website as pledges/acme-media.yaml: each signatory "
                          "signs once; if this is the same signatory, update that pledge "
                          "instead")]


def test_a_signature_may_not_take_a_registry_name_or_another_pledges_site(
        registry: Registry) -> None:
    found = problems_of(registry, body(Name="SOCIALLY-M", Page_address="socially"))
    assert found == [("", "'name' is, or looks like, the issuer's name, 'Socially-M': a "
                          "signatory may not sign under a name the registry shows as its "
                          "own; give the signatory's own name")]
    registry.write("acme-media", VALID)  # www.example.net
    found = problems_of(registry, body(Website="https://shop.example.net/",
                                       Page_address="acme-shop"))
    assert found == [("", "has a website on the same site as pledges/acme-media.yaml (one "
                          "host is a subdomain of the other, within example.net): each "
                          "signatory signs once; if this is the same signatory, update that "
                          "pledge instead (a registry maintainer may add a separate one)")]
    assert list(registry.pledges.glob("*.yaml")) == [registry.pledges / "acme-media.yaml"]


def test_a_statement_cannot_add_keys(registry: Registry) -> None:
    statement = 'We sign."\nstatus: withdrawn\nmaintainers: [mallory]\n"'
    outcome = submit(registry.root, body(Statement=statement.replace("\n", " ")),
                     registry.mission, author=AUTHOR, name_fits=NAME_FITS)
    assert outcome.ok and outcome.written is not None
    written = yaml.safe_load(outcome.written.read_text(encoding="utf-8"))
    assert set(written) == {"name", "kind", "website", "signed", "mission_version",
                            "maintainers", "country", "statement", "status_index"}
    assert written["maintainers"] == [{"login": "octo-cat", "id": 42}]


def test_the_comment_escapes_what_the_issue_said(registry: Registry) -> None:
    outcome = submit(registry.root, body(Page_address="@everyone x(y)"), registry.mission,
                     author=AUTHOR, name_fits=NAME_FITS)
    text = comment(outcome, "octo-cat")
    assert "@everyone" not in text and "x(y)" not in text
    assert "the page address '&#64;everyone x\\(y\\)'" in text


def test_problems_are_sorted_and_unique() -> None:
    outcome = issueform.Outcome(problems=[FormProblem("B", "two"), FormProblem("A", "one"),
                                          FormProblem("A", "one")])
    assert comment(outcome, "octo-cat").splitlines()[2:] == ["- **A**: one", "- **B**: two"]


# --- fuzz: never raises, never writes outside pledges/ -------------------------------------
_LABELS = [*issueform.labels(), "Maintainers", "Status", "", "#", "../x"]
_PIECES = st.one_of(
    st.sampled_from([f"### {label}" for label in _LABELS]),
    st.sampled_from(["_No response_", "- [X] " + CONFIRMATIONS[0], "- [ ] x", "organisation",
                     "https://www.example.net/", "../../../tmp/x", "a" * 70, "\r", "\x85",
                     "\u2028", "\ufeff", "status: withdrawn", '"', "{a: b}", "&", "*"]),
    st.text(max_size=40),
)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=30), st.booleans())
def test_fuzz_never_raises_and_writes_only_pledges(mission: Mission, pieces: list[str],
                                                   start_good: bool) -> None:
    text = (body() if start_good else "") + "\n".join(pieces)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "pledges" / "logos").mkdir(parents=True)
        (root / "mission.yaml").write_bytes((ROOT / "mission.yaml").read_bytes())
        outcome = submit(root, text, mission, author=AUTHOR, name_fits=NAME_FITS)
        comment(outcome, "octo-cat")
        made = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
        expected = ["mission.yaml", "pledges", "pledges/logos"]
        if outcome.written is not None:
            assert outcome.ok
            expected.append(outcome.written.relative_to(root).as_posix())
            assert outcome.written.parent == root / "pledges"
        assert made == sorted(expected)


# --- a withdrawn pledge's website ---------------------------------------------------------------
WITHDRAWN_ZOE = VALID.replace("https://www.example.net/", "https://zoe.example.com/").replace(
    "Harbour Media Ltd", "Zoë Example") + "status: withdrawn\nwithdrawn: 2025-01-31\n"


@pytest.mark.parametrize(("extra", "says"), [
    ("", "pledges/zoe-example.yaml has this website, and was withdrawn on 2025-01-31 by its "
         "maintainers: each signatory signs once; to sign it again, one of its maintainers "
         "opens the change form with the page address 'zoe-example' and chooses 'Sign "
         "again'"),
    ("withdrawn_by: registry\n",
     "pledges/zoe-example.yaml has this website, and was withdrawn on 2025-01-31 by the "
     "registry's maintainers: each signatory signs once, and only the registry's "
     "maintainers sign it again: ask them"),
])
def test_the_sign_form_sends_a_withdrawn_signatory_to_sign_again(
        registry: Registry, extra: str, says: str) -> None:
    """From the recorded issue: its website (zoe.example.com) is a withdrawn pledge's, and
    its name gives that pledge's page address: the one problem said is where to sign again."""
    registry.write("zoe-example", WITHDRAWN_ZOE + extra)
    event = json.loads((ROOT / "tests" / "data" / "events" / "issues_opened.sign.json")
                       .read_text(encoding="utf-8"))
    outcome = submit(registry.root, event["issue"]["body"], registry.mission, author=AUTHOR,
                     name_fits=NAME_FITS)
    assert [(p.label, p.message) for p in outcome.problems] == [("Website", says)]
    assert outcome.text is None and outcome.written is None
    assert sorted(p.name for p in registry.pledges.glob("*.yaml")) == ["zoe-example.yaml"]


def test_the_sign_form_writes_an_index_no_pledge_file_has(registry: Registry) -> None:
    first = statuslist.first_choice("acme-media", 1)
    registry.write("gone", "signed: 2024-01-10\nmission_version: 1\nstatus: withdrawn\n"
                           f"withdrawn: 2024-05-01\nstatus_index: {first}\n"
                           "redacted: 2024-06-01\n")
    outcome = submit(registry.root, body(), registry.mission, author=AUTHOR,
                     name_fits=NAME_FITS)
    assert outcome.ok and outcome.written is not None
    written = yaml.safe_load(outcome.written.read_text(encoding="utf-8"))
    assert written["status_index"] == (first + 1) % STATUS_LIST_SIZE
