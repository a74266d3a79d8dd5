"""GitHub's side of signing without git, against a fake API on 127.0.0.1: the App's pull
request and comment, the lock, and who the App's pull requests are judged for."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import NAME_FITS, REGISTRY_SETTINGS, TESTS, Registry
from fake_github import REPO, FakeApi, branch_flow
from forms_support import body
from socialmission.changes import changeform, issueform, reportform
from socialmission.changes.issueform import submit
from socialmission.cli import main
from socialmission.errors import UsageError
from socialmission.github.event import PullRequest
from socialmission.github.signing import (
    ONLY_THE_AUTHOR,
    delete_closed_branch,
    issue_author,
    issue_number,
    lock_merged,
    publish,
    read_issue,
)
from socialmission.github.signing import (
    for_the_issue_author as _for_the_issue_author,
)

APP = "socially-m-registry[bot]"
EPOCH = str(int(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC).timestamp()))
EVENTS = TESTS / "data" / "events"


@pytest.fixture
def api() -> Iterator[FakeApi]:
    r = f"/repos/{REPO}"
    fake = FakeApi({
        **branch_flow("sign/issue-12", 13),
        ("GET", f"{r}/issues/13"): {"number": 13, "pull_request": {},
                                    "user": {"login": "mallory", "id": 666}},
        ("PUT", f"{r}/issues/12/lock"): {},
    })
    yield fake
    fake.close()


def issue_event(tmp_path: Path, text: str, labels: tuple[str, ...] = ("signature",),
                **extra: Any) -> Path:
    event = {"action": "opened", "repository": {"default_branch": "main"},
             "issue": {"number": 12, "body": text, "user": {"login": "octo-cat", "id": 42},
                       "labels": [{"name": label} for label in labels], **extra},
             "sender": {"login": "octo-cat", "id": 42}}
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def test_a_good_form_becomes_the_apps_pull_request(api: FakeApi, registry: Registry,
                                                   tmp_path: Path) -> None:
    issue = read_issue(issue_event(tmp_path, body()))
    outcome = submit(registry.root, issue.body, registry.mission,
                     author=(issue.author_login, issue.author_id), name_fits=NAME_FITS,
                     write=False)
    text = publish(api.github, issue, outcome, REGISTRY_SETTINGS)
    r = f"/repos/{REPO}"
    assert api.paths() == [
        ("GET", f"{r}/git/ref/heads/main"), ("GET", f"{r}/git/commits/{'b' * 40}"),
        ("POST", f"{r}/git/trees"), ("POST", f"{r}/git/commits"),
        ("GET", f"{r}/git/matching-refs/heads/sign/issue-12"), ("POST", f"{r}/git/refs"),
        ("GET", f"{r}/pulls?state=open&head=socially-m:sign/issue-12"),
        ("POST", f"{r}/pulls"), ("POST", f"{r}/issues/12/comments")]
    (entry,) = api.requests[2][2]["tree"]
    assert entry["path"] == "pledges/acme-media.yaml"
    assert yaml.safe_load(entry["content"])["maintainers"] == [{"login": "octo-cat", "id": 42}]
    assert api.requests[3][2]["parents"] == ["b" * 40]  # made again from the base's tip
    assert api.requests[5][2] == {"ref": "refs/heads/sign/issue-12", "sha": "c" * 40}
    assert api.requests[7][2]["head"] == "sign/issue-12"
    assert "The pull request: https://github.com/x/y/pull/13" in text
    assert list(registry.pledges.glob("*.yaml")) == []  # nothing written in the checkout


def test_an_edited_form_moves_the_branch(api: FakeApi, registry: Registry,
                                         tmp_path: Path) -> None:
    r = f"/repos/{REPO}"
    api.answers[("GET", f"{r}/git/matching-refs/heads/sign/issue-12")] = [
        {"ref": "refs/heads/sign/issue-12"}]
    api.answers[("PATCH", f"{r}/git/refs/heads/sign/issue-12")] = {}
    api.answers[("GET", f"{r}/pulls")] = [{"html_url": "https://github.com/x/y/pull/13"}]
    issue = read_issue(issue_event(tmp_path, body()))
    outcome = submit(registry.root, issue.body, registry.mission, author=(
        issue.author_login, issue.author_id), name_fits=NAME_FITS, write=False)
    publish(api.github, issue, outcome, REGISTRY_SETTINGS)
    assert ("PATCH", f"{r}/git/refs/heads/sign/issue-12") in api.paths()
    assert ("POST", f"{r}/pulls") not in api.paths()


def test_a_form_with_problems_gets_only_a_comment(api: FakeApi, registry: Registry,
                                                  tmp_path: Path) -> None:
    issue = read_issue(issue_event(tmp_path, body(Kind="robot")))
    outcome = submit(registry.root, issue.body, registry.mission, author=(
        issue.author_login, issue.author_id), name_fits=NAME_FITS, write=False)
    publish(api.github, issue, outcome, REGISTRY_SETTINGS)
    assert api.paths() == [("POST", f"/repos/{REPO}/issues/12/comments")]
    assert "- **Kind**: " in api.requests[0][2]["body"]


def test_a_lone_surrogate_in_the_events_body_gets_only_a_comment(
        api: FakeApi, registry: Registry, tmp_path: Path) -> None:
    event = issue_event(tmp_path, body(Name="Acme \udcffMedia"))
    assert "Acme \\udcffMedia" in event.read_text(encoding="utf-8")  # JSON's own escape
    issue = read_issue(event)
    outcome = submit(registry.root, issue.body, registry.mission, author=(
        issue.author_login, issue.author_id), name_fits=NAME_FITS, write=False)
    publish(api.github, issue, outcome, REGISTRY_SETTINGS)
    assert api.paths() == [("POST", f"/repos/{REPO}/issues/12/comments")]
    assert "- **Name**: the answer is not UTF\\-8 text: character 6" in \
        api.requests[0][2]["body"]


@pytest.mark.parametrize("extra", [{"pull_request": {}}, {"number": "12"},
                                   {"user": {"login": "x"}}])
def test_an_event_that_is_not_a_signing_issue(tmp_path: Path, extra: dict[str, Any]) -> None:
    with pytest.raises(UsageError):
        read_issue(issue_event(tmp_path, body(), **extra))


def test_an_event_without_a_sender_is_refused(tmp_path: Path) -> None:
    path = issue_event(tmp_path, body())
    event = json.loads(path.read_text(encoding="utf-8"))
    del event["sender"]
    path.write_text(json.dumps(event), encoding="utf-8")
    with pytest.raises(UsageError, match="the event's sender has no GitHub account"):
        read_issue(path)


# --- only the author's own edits; one open signature issue per author ---------------------------
def recorded_edit(tmp_path: Path, text: str, label: str = "signature",
                  sender: tuple[str, int] = ("keeper", 9001)) -> Path:
    """The recorded `issues: edited` event (sent by a registry maintainer), with this body,
    label and sender."""
    event = json.loads((EVENTS / "issues_edited.json").read_text(encoding="utf-8"))
    event["issue"]["body"] = text
    event["issue"]["labels"][0]["name"] = label
    event["sender"] = {"login": sender[0], "id": sender[1], "type": "User"}
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    return path


def run(api: FakeApi, registry: Registry, monkeypatch: pytest.MonkeyPatch,
        *args: str) -> int:
    monkeypatch.setenv("GITHUB_API_URL", api.github.api_url)
    monkeypatch.setenv("GH_TOKEN", "token")
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    return main(["--root", str(registry.root), *args])


@pytest.mark.parametrize("command", ["sign-issue", "change-issue"])
def test_an_edit_by_anyone_but_the_author_changes_nothing(
        api: FakeApi, registry: Registry, tmp_path: Path, *, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], command: str) -> None:
    # a registry maintainer edits a signatory's issue: answered, and nothing else
    label = {"sign-issue": "signature", "change-issue": "signature-change"}[command]
    event = recorded_edit(tmp_path, body(), label)
    assert run(api, registry, monkeypatch, command, "--event", str(event)) == 0
    assert api.paths() == [("POST", f"/repos/{REPO}/issues/12/comments")]
    said = api.requests[0][2]["body"]
    assert ONLY_THE_AUTHOR in said
    assert "edited by keeper, not by its author octo\\-cat" in said  # escaped Markdown
    assert said == capsys.readouterr().out
    # and --dry-run says the same, calling nothing
    api.requests.clear()
    assert run(api, registry, monkeypatch, command, "--dry-run", "--event", str(event)) == 0
    assert ONLY_THE_AUTHOR in capsys.readouterr().out
    assert api.requests == []


def test_the_authors_own_edit_is_acted_on(api: FakeApi, registry: Registry, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    api.answers[("GET", f"/repos/{REPO}/issues")] = [
        {"number": 12, "user": {"login": "octo-cat", "id": 42}}]  # the issue itself
    event = recorded_edit(tmp_path, body(), sender=("octo-cat", 42))
    assert run(api, registry, monkeypatch, "sign-issue", "--event", str(event)) == 0
    assert api.paths()[0] == (
        "GET", f"/repos/{REPO}/issues?state=open&labels=signature&creator=octo-cat"
               "&sort=created&direction=asc&per_page=100")
    assert ("POST", f"/repos/{REPO}/pulls") in api.paths()


def test_a_second_open_signature_issue_changes_nothing(
        api: FakeApi, registry: Registry, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    api.answers[("GET", f"/repos/{REPO}/issues")] = [
        {"number": 7, "user": {"login": "octo-cat", "id": 42}},
        {"number": 12, "user": {"login": "octo-cat", "id": 42}}]
    event = recorded_edit(tmp_path, body(), sender=("octo-cat", 42))
    assert run(api, registry, monkeypatch, "sign-issue", "--event", str(event)) == 0
    assert [path for _, path in api.paths()][1:] == [f"/repos/{REPO}/issues/12/comments"]
    assert "You already have a signature issue open, #7" in api.requests[1][2]["body"]


@pytest.mark.parametrize("other", [
    {"number": 15, "user": {"login": "octo-cat", "id": 42}},  # a later one: this one counts
    {"number": 7, "user": {"login": "octo-cat", "id": 43}},  # someone else's, same login
    {"number": 7, "pull_request": {}, "user": {"login": "octo-cat", "id": 42}},
])
def test_other_issues_do_not_block_the_earliest(
        api: FakeApi, registry: Registry, tmp_path: Path, *, monkeypatch: pytest.MonkeyPatch,
        other: dict[str, Any]) -> None:
    api.answers[("GET", f"/repos/{REPO}/issues")] = [other]
    event = recorded_edit(tmp_path, body(), sender=("octo-cat", 42))
    assert run(api, registry, monkeypatch, "sign-issue", "--event", str(event)) == 0
    assert ("POST", f"/repos/{REPO}/pulls") in api.paths()


# --- whom the App's pull requests are judged for ---------------------------------------------
def test_the_issue_author_from_the_branch_and_the_api(api: FakeApi) -> None:
    author = issue_author(api.github, "sign/issue-12", REPO)
    assert (author.login, author.id) == ("octo-cat", 42)
    assert api.paths() == [("GET", f"/repos/{REPO}/issues/12")]


@pytest.mark.parametrize(("branch", "repository", "message"), [
    ("sign/issue-12", "mallory/fork", "not on a signing branch"),
    ("main", REPO, "not on a signing branch"),
    ("sign/issue-012", REPO, "not on a signing branch"),
    ("sign/issue-13", REPO, "#13 is not an issue"),
])
def test_nobody_else_is_judged_for(api: FakeApi, branch: str, repository: str,
                                   message: str) -> None:
    with pytest.raises(UsageError, match=message):
        issue_author(api.github, branch, repository)


def test_the_verdict_speaks_for_the_issue_author(api: FakeApi, registry: Registry) -> None:
    settings = registry.root / "registry.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + f"app_login: {APP}\n",
                        encoding="utf-8")
    # the title, body and links are never read: only the branch and the issue
    pull = PullRequest(13, "a" * 40, "main", APP, 99, "sign/issue-12", REPO)
    judged = _for_the_issue_author(registry.root, pull, api.github)
    assert (judged.author_login, judged.author_id) == ("octo-cat", 42)
    other = PullRequest(13, "a" * 40, "main", "someone", 7, "sign/issue-12", REPO)
    assert _for_the_issue_author(registry.root, other, api.github) == other
    with pytest.raises(UsageError, match="without --dry-run"):
        _for_the_issue_author(registry.root, pull, None)


# --- the lock ----------------------------------------------------------------------------------
def merged_event(tmp_path: Path, login: str = APP, merged: bool = True,
                 repository: str = REPO, ref: str = "sign/issue-12") -> Path:
    path = tmp_path / "closed.json"
    path.write_text(json.dumps({"pull_request": {
        "merged": merged, "user": {"login": login, "id": 5},
        "head": {"ref": ref, "repo": {"full_name": repository}}}}), encoding="utf-8")
    return path


def test_a_merged_signature_locks_its_issue(api: FakeApi, tmp_path: Path) -> None:
    assert lock_merged(api.github, merged_event(tmp_path), APP) == 12
    assert api.requests == [("PUT", f"/repos/{REPO}/issues/12/lock",
                             {"lock_reason": "resolved"})]


@pytest.mark.parametrize("options", [{"login": "mallory"}, {"merged": False},
                                     {"repository": "mallory/fork"}, {"ref": "main"}])
def test_nothing_else_is_locked(api: FakeApi, tmp_path: Path, options: dict[str, Any]) -> None:
    assert lock_merged(api.github, merged_event(tmp_path, **options), APP) is None
    assert api.requests == []


# --- a closed pull request's branch ------------------------------------------------------------
def recorded_close(tmp_path: Path, **changes: Any) -> Path:
    """The recorded `pull_request_target: closed` event of the App's pull request, with
    some of its fields changed."""
    event = json.loads((EVENTS / "pull_request_target.closed.json").read_text(encoding="utf-8"))
    pull = event["pull_request"]
    pull["user"]["login"] = APP
    for key, value in changes.items():
        if key == "ref":
            pull["head"]["ref"] = value
        elif key == "repository":
            pull["head"]["repo"]["full_name"] = value
        elif key == "login":
            pull["user"]["login"] = value
        else:
            pull[key] = value
    path = tmp_path / "closed.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    return path


@pytest.mark.parametrize(("merged", "ref"), [(True, "sign/issue-12"), (False, "sign/issue-12"),
                                             (True, "update/issue-12")])
def test_a_closed_pull_request_of_the_app_loses_its_branch(
        api: FakeApi, tmp_path: Path, merged: bool, ref: str) -> None:
    api.answers[("DELETE", f"/repos/{REPO}/git/refs/heads/{ref}")] = None
    event = recorded_close(tmp_path, merged=merged, ref=ref)
    assert delete_closed_branch(api.github, event, APP) == ref
    assert api.paths() == [("DELETE", f"/repos/{REPO}/git/refs/heads/{ref}")]


def test_a_branch_already_gone_is_no_failure(api: FakeApi, tmp_path: Path) -> None:
    key = ("DELETE", f"/repos/{REPO}/git/refs/heads/sign/issue-12")
    api.answers[key] = {"message": "Reference does not exist"}
    api.statuses[key] = 422
    assert delete_closed_branch(api.github, recorded_close(tmp_path), APP) == "sign/issue-12"
    api.statuses[key] = 403  # any other refusal is said, not hidden
    with pytest.raises(UsageError, match="with 403"):
        delete_closed_branch(api.github, recorded_close(tmp_path), APP)


@pytest.mark.parametrize("options", [{"login": "mallory"}, {"repository": "mallory/fork"},
                                     {"ref": "main"}, {"ref": "sign/issue-12x"},
                                     {"state": "open"}])
def test_no_other_branch_is_deleted(api: FakeApi, tmp_path: Path,
                                    options: dict[str, Any]) -> None:
    assert delete_closed_branch(api.github, recorded_close(tmp_path, **options), APP) is None
    assert api.requests == []


def test_the_command_deletes_the_branch(api: FakeApi, registry: Registry, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    settings = registry.root / "registry.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + f"app_login: {APP}\n",
                        encoding="utf-8")
    api.answers[("DELETE", f"/repos/{REPO}/git/refs/heads/sign/issue-12")] = None
    event = recorded_close(tmp_path, merged=False)
    assert run(api, registry, monkeypatch, "delete-signed-branch", "--event", str(event)) == 0
    assert capsys.readouterr().out == "deleted the branch sign/issue-12\n"


def test_branch_names() -> None:
    assert issue_number("sign/issue-7") == 7
    assert issue_number("sign/issue-7/x") is None
    assert issue_number("sign/issue-") is None


# --- a report is never signing ------------------------------------------------------------------
REPORT_EVENT = EVENTS / "issues_opened.report.json"
SIGN_WORKFLOW = TESTS.parent / ".github" / "workflows" / "sign.yml"


def test_the_sign_workflow_skips_a_report() -> None:
    """Each job that runs on an issue runs only on its own form's label, and a report (the
    recorded event) carries neither: GitHub skips both jobs."""
    jobs = yaml.safe_load(SIGN_WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    on_issues = {name: job["if"] for name, job in jobs.items()
                 if "github.event_name == 'issues'" in job["if"]}
    assert on_issues == {name: (
        "github.event_name == 'issues' && github.event.issue.state == 'open' && "
        f"contains(github.event.issue.labels.*.name, '{label}')")
        for name, label in (("sign", issueform.LABEL), ("change", changeform.LABEL))}
    # the other jobs run on pull requests alone
    assert all(job["if"].startswith("github.event_name == 'pull_request_target' && ")
               for name, job in jobs.items() if name not in on_issues)
    event = json.loads(REPORT_EVENT.read_text(encoding="utf-8"))
    labels = [label["name"] for label in event["issue"]["labels"]]
    assert labels == [reportform.LABEL]
    assert issueform.LABEL not in labels and changeform.LABEL not in labels


@pytest.mark.parametrize("command", ["sign-issue", "change-issue"])
def test_a_report_is_never_turned_into_a_pull_request(
        api: FakeApi, registry: Registry, *, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], command: str) -> None:
    """Were a sign job ever to run on a report (its body even holds a sign form's
    headings), it does nothing: no call to GitHub, no comment, nothing written."""
    assert read_issue(REPORT_EVENT).labels == ("report",)
    assert run(api, registry, monkeypatch, command, "--event", str(REPORT_EVENT)) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert api.requests == []
    assert list(registry.pledges.glob("*.yaml")) == []
