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

from conftest import NAME_FITS, Registry
from fake_github import REPO, FakeApi, branch_flow
from forms_support import body
from socialmission.check.issueform import submit
from socialmission.cli import _for_the_issue_author
from socialmission.errors import UsageError
from socialmission.github.event import PullRequest
from socialmission.github.signing import (
    issue_author,
    issue_number,
    lock_merged,
    publish,
    read_issue,
)

APP = "socially-m-registry[bot]"
EPOCH = str(int(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC).timestamp()))


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
                       "labels": [{"name": label} for label in labels], **extra}}
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
    text = publish(api.github, issue, outcome)
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
    publish(api.github, issue, outcome)
    assert ("PATCH", f"{r}/git/refs/heads/sign/issue-12") in api.paths()
    assert ("POST", f"{r}/pulls") not in api.paths()


def test_a_form_with_problems_gets_only_a_comment(api: FakeApi, registry: Registry,
                                                  tmp_path: Path) -> None:
    issue = read_issue(issue_event(tmp_path, body(Kind="robot")))
    outcome = submit(registry.root, issue.body, registry.mission, author=(
        issue.author_login, issue.author_id), name_fits=NAME_FITS, write=False)
    publish(api.github, issue, outcome)
    assert api.paths() == [("POST", f"/repos/{REPO}/issues/12/comments")]
    assert "- **Kind**: " in api.requests[0][2]["body"]


def test_a_lone_surrogate_in_the_events_body_gets_only_a_comment(
        api: FakeApi, registry: Registry, tmp_path: Path) -> None:
    event = issue_event(tmp_path, body(Name="Acme \udcffMedia"))
    assert "Acme \\udcffMedia" in event.read_text(encoding="utf-8")  # JSON's own escape
    issue = read_issue(event)
    outcome = submit(registry.root, issue.body, registry.mission, author=(
        issue.author_login, issue.author_id), name_fits=NAME_FITS, write=False)
    publish(api.github, issue, outcome)
    assert api.paths() == [("POST", f"/repos/{REPO}/issues/12/comments")]
    assert "- **Name**: the answer is not UTF\\-8 text: character 6" in \
        api.requests[0][2]["body"]


@pytest.mark.parametrize("extra", [{"pull_request": {}}, {"number": "12"},
                                   {"user": {"login": "x"}}])
def test_an_event_that_is_not_a_signing_issue(tmp_path: Path, extra: dict[str, Any]) -> None:
    with pytest.raises(UsageError):
        read_issue(issue_event(tmp_path, body(), **extra))


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


def test_branch_names() -> None:
    assert issue_number("sign/issue-7") == 7
    assert issue_number("sign/issue-7/x") is None
    assert issue_number("sign/issue-") is None
