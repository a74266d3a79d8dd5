"""Signing without git, GitHub's side: the issue form's pull request, the comment that
answers the issue, the lock once it is merged, and who the App's pull requests speak for.

`sign-issue` runs in the base branch's code on an `issues` event: it reads the issue from
the event GitHub recorded (its body as data, never in a script), writes the pledge with
changes/issueform.py, commits it with the registry App's token on the branch
`sign/issue-<number>` of the registry's own repository (made again from the base branch
on every edit, so an edited form replaces the old pledge), opens the pull request once,
and comments the outcome. A pull request the App opens triggers the pull-request checks,
which one opened with the default token would not.

`change-issue` does the same for the form "Update or withdraw my signature"
(changes/changeform.py) on the branch `update/issue-<number>`: the edited pledge, committed
on the base's tip, one pull request per issue.

Only the issue's author moves it: an `edited` event whose sender is anyone else (a
registry maintainer too) is answered on the issue and changes nothing (`others_edit`), so
no one can put words in a signatory's pledge by editing their issue. And one `signature`
issue per author is open at a time: a later one is answered and does nothing
(`earlier_signature`).

The verdict on such a pull request is judged for the issue's author: the issue number
comes from the branch name, and the author's login and id from that issue through the
API, never from the pull request's title, body or links (`issue_author`).

When one of the App's pull requests closes, merged or not, its branch is deleted
(`delete_closed_branch`); a merged one also locks its issue (`lock_merged`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from socialmission.changes.changeform import LABEL as CHANGE_LABEL
from socialmission.changes.changeform import Change
from socialmission.changes.changeform import comment as change_comment
from socialmission.changes.issueform import LABEL, Outcome, comment
from socialmission.errors import UsageError
from socialmission.github.api import ApiError, GitHub
from socialmission.github.event import MAX_EVENT, PullRequest
from socialmission.model.constants import GITHUB_LOGIN_RE
from socialmission.model.markdown import comment_text
from socialmission.model.settings import Settings, settings_if_present
from socialmission.ownership.rules import Author

BRANCH_PREFIX: Final = "sign/issue-"
CHANGE_PREFIX: Final = "update/issue-"  # the change form's pull requests
_BRANCH: Final = re.compile(r"^(?:sign|update)/issue-([1-9][0-9]{0,9})$")


@dataclass(frozen=True)
class Issue:
    number: int
    body: str
    author_login: str
    author_id: int
    labels: tuple[str, ...]
    base: str  # the repository's default branch, where the pull request goes
    sender_login: str  # who opened or edited the issue: the event's sender
    sender_id: int


def branch_for(number: int, prefix: str = BRANCH_PREFIX) -> str:
    return f"{prefix}{number}"


def issue_number(branch: str) -> int | None:
    """The issue a signing branch was made for, or None for any other branch."""
    found = _BRANCH.match(branch)
    return int(found[1]) if found else None


def _load(path: Path) -> Any:
    try:
        if path.stat().st_size > MAX_EVENT:
            raise UsageError(f"{path}: the event file is over {MAX_EVENT} bytes")
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise UsageError(f"{path}: cannot read the event: {error}") from None


def _account(user: Any, what: str) -> tuple[str, int]:
    login = user.get("login") if isinstance(user, dict) else None
    number = user.get("id") if isinstance(user, dict) else None
    if not isinstance(login, str) or not GITHUB_LOGIN_RE.match(login) or \
            not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise UsageError(f"{what} has no GitHub account with a login and an id")
    return login, number


def read_issue(path: Path) -> Issue:
    """The issue of an `issues` event; an issue that is a pull request is refused."""
    event = _load(path)
    issue = event.get("issue") if isinstance(event, dict) else None
    if not isinstance(issue, dict) or "pull_request" in issue:
        raise UsageError("the event is not about an issue")
    number = issue.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise UsageError("the event's issue.number is not a number")
    # kept as sent, lone surrogates (JSON's \udcxx) too: the form's reader refuses them
    body = issue.get("body")
    login, account = _account(issue.get("user"), "the issue")
    labels = tuple(label.get("name", "") for label in issue.get("labels") or []
                   if isinstance(label, dict) and isinstance(label.get("name"), str))
    repository = event.get("repository") if isinstance(event, dict) else None
    base = repository.get("default_branch") if isinstance(repository, dict) else None
    if not isinstance(base, str) or not base or base.startswith("-"):
        raise UsageError("the event's repository has no default branch")
    sender_login, sender_id = _account(event.get("sender"), "the event's sender")
    return Issue(number, body if isinstance(body, str) else "", login, account, labels, base,
                 sender_login, sender_id)


ONLY_THE_AUTHOR: Final = "only the author's own edits are acted on"


def others_edit(issue: Issue) -> str | None:
    """The answer to an event whose sender is not the issue's author (matched by account
    id), or None when the author sent it: only the author's own edits are acted on."""
    if issue.sender_id == issue.author_id:
        return None
    return (f"This issue was edited by {comment_text(issue.sender_login)}, not by its author "
            f"{comment_text(issue.author_login)}: {ONLY_THE_AUTHOR}, so nothing was "
            "changed. The pull request, if there is one, is still the one made from the "
            "author's own last edit.\n")


def earlier_signature(github: GitHub, issue: Issue) -> str | None:
    """The answer to a `signature` issue whose author already has an earlier one open, or
    None: one open signature issue per author at a time (the earliest is the one acted
    on, so editing it still works while a later one is open)."""
    # Sorted oldest first: any earlier issue is on the first page.
    found = github.call(
        "GET", f"/repos/{github.repository}/issues?state=open&labels={quote(LABEL)}"
               f"&creator={quote(issue.author_login)}&sort=created&direction=asc"
               "&per_page=100")
    earlier = sorted(
        item["number"] for item in (found if isinstance(found, list) else [])
        if isinstance(item, dict) and "pull_request" not in item
        and isinstance(item.get("number"), int) and item["number"] < issue.number
        and isinstance(item.get("user"), dict) and item["user"].get("id") == issue.author_id)
    if not earlier:
        return None
    return (f"Thank you, {comment_text(issue.author_login)}. You already have a signature "
            f"issue open, #{earlier[0]}: one is open at a time, so this one changes "
            f"nothing. Edit #{earlier[0]} instead (or close it, then edit this one).\n")


def answer(github: GitHub, issue: Issue, text: str) -> str:
    """Post `text` on the issue; the text."""
    github.call("POST", f"/repos/{github.repository}/issues/{issue.number}/comments",
                {"body": text})
    return text


def issue_author(github: GitHub, head_ref: str, head_repository: str) -> Author:
    """Who a pull request of the registry's App speaks for: the author of the issue its
    branch is named after, as the API records it."""
    number = issue_number(head_ref)
    if number is None or head_repository.casefold() != github.repository.casefold():
        raise UsageError(f"the registry App's pull request is not on a signing branch of "
                         f"{github.repository} ({BRANCH_PREFIX}<issue number> or "
                         f"{CHANGE_PREFIX}<issue number>): it is judged for nobody")
    issue = github.call("GET", f"/repos/{github.repository}/issues/{number}")
    if not isinstance(issue, dict) or "pull_request" in issue:
        raise UsageError(f"#{number} is not an issue: the App's pull request is judged "
                         "for nobody")
    login, account = _account(issue.get("user"), f"issue #{number}")
    return Author(login, account)


def for_the_issue_author(root: Path, pull: PullRequest,
                         github: GitHub | None) -> PullRequest:
    """A pull request the registry's App opened for a signature is judged for the author
    of its issue (named by the branch, read through the API), not for the App; the App's
    login is kept, so that its pushes count as that author's."""
    settings = settings_if_present(root)
    app_login = settings.app_login if settings is not None else None
    if not app_login or pull.author_login.casefold() != app_login.casefold():
        return pull
    if github is None:
        raise UsageError("the registry App's pull request is judged for its issue's author, "
                         "read through the API: run without --dry-run")
    author = issue_author(github, pull.head_ref, pull.head_repository)
    return replace(pull, author_login=author.login, author_id=author.id,
                   app_login=pull.author_login)


def _commit(github: GitHub, issue: Issue, path: str, text: str,
            prefix: str = BRANCH_PREFIX, *, mission_name: str) -> None:
    """The pledge as one commit on the base branch's tip, at the issue's branch."""
    repo = f"/repos/{github.repository}"
    base = github.call("GET", f"{repo}/git/ref/heads/{quote(issue.base)}")
    base_sha = base["object"]["sha"]
    base_tree = github.call("GET", f"{repo}/git/commits/{base_sha}")["tree"]["sha"]
    tree = github.call("POST", f"{repo}/git/trees", {"base_tree": base_tree, "tree": [
        {"path": path, "mode": "100644", "type": "blob", "content": text}]})
    title = f"Sign the {mission_name}" if prefix == BRANCH_PREFIX else "Change a signature"
    commit = github.call("POST", f"{repo}/git/commits", {
        "message": f"{title}: {path}\n\nFrom the issue form, #{issue.number}.",
        "tree": tree["sha"], "parents": [base_sha]})
    branch = branch_for(issue.number, prefix)
    existing = github.call("GET", f"{repo}/git/matching-refs/heads/{branch}")
    if any(ref.get("ref") == f"refs/heads/{branch}" for ref in existing or []):
        github.call("PATCH", f"{repo}/git/refs/heads/{branch}",
                    {"sha": commit["sha"], "force": True})
    else:
        github.call("POST", f"{repo}/git/refs", {"ref": f"refs/heads/{branch}",
                                                 "sha": commit["sha"]})


def _pull_request(github: GitHub, issue: Issue, slug: str,
                  prefix: str = BRANCH_PREFIX) -> str:
    """The open pull request for the issue's branch (opened now if there is none): its
    address."""
    repo = f"/repos/{github.repository}"
    owner = github.repository.split("/")[0]
    branch = branch_for(issue.number, prefix)
    found = github.call("GET", f"{repo}/pulls?state=open&head={quote(owner)}:{quote(branch)}")
    if isinstance(found, list) and found:
        return str(found[0].get("html_url", ""))
    what = "signature" if prefix == BRANCH_PREFIX else "change to a signature"
    made = github.call("POST", f"{repo}/pulls", {
        "title": f"{'Signature' if prefix == BRANCH_PREFIX else 'Change'}: {slug}",
        "head": branch, "base": issue.base,
        "body": f"The {what} sent with the issue form in #{issue.number}, judged for "
                "that issue's author.", "maintainer_can_modify": True})
    return str(made.get("html_url", "")) if isinstance(made, dict) else ""


def publish(github: GitHub, issue: Issue, outcome: Outcome, settings: Settings) -> str:
    """Commit and propose the pledge when it was written; answer on the issue either way.
    The comment posted."""
    text = comment(outcome, issue.author_login)
    if outcome.ok and outcome.slug is not None and outcome.text is not None:
        path = f"pledges/{outcome.slug}.yaml"
        _commit(github, issue, path, outcome.text, mission_name=settings.mission_name)
        address = _pull_request(github, issue, outcome.slug)
        if address:
            text += f"\nThe pull request: {address}\n"
    return answer(github, issue, text)


def publish_change(github: GitHub, issue: Issue, change: Change, settings: Settings) -> str:
    """Commit and propose a change form's edited pledge when it passed; answer on the
    issue either way. The comment posted."""
    text = change_comment(change, issue.author_login)
    if change.ok and change.slug is not None and change.text is not None:
        _commit(github, issue, f"pledges/{change.slug}.yaml", change.text, CHANGE_PREFIX,
                mission_name=settings.mission_name)
        address = _pull_request(github, issue, change.slug, CHANGE_PREFIX)
        if address:
            text += f"\nThe pull request: {address}\n"
    return answer(github, issue, text)


def is_change(issue: Issue) -> bool:
    return CHANGE_LABEL in issue.labels


def is_signing(issue: Issue) -> bool:
    return LABEL in issue.labels


def _apps_closed_pull_request(event_path: Path, github: GitHub, app_login: str | None
                              ) -> tuple[dict[str, Any], str, int] | None:
    """A closed pull request's event, when it is the registry App's own pull request from a
    signing branch of this repository: the pull request, its branch and its issue number."""
    event = _load(event_path)
    pull = event.get("pull_request") if isinstance(event, dict) else None
    if not isinstance(pull, dict) or not app_login:
        return None
    user = pull.get("user")
    head: dict[str, Any] = pull["head"] if isinstance(pull.get("head"), dict) else {}
    repo: dict[str, Any] = head["repo"] if isinstance(head.get("repo"), dict) else {}
    if not isinstance(user, dict) or user.get("login") != app_login or \
            str(repo.get("full_name", "")).casefold() != github.repository.casefold():
        return None
    branch = str(head.get("ref", ""))
    number = issue_number(branch)
    return None if number is None else (pull, branch, number)


def lock_merged(github: GitHub, event_path: Path, app_login: str | None) -> int | None:
    """Lock the issue a merged pull request of the App was made from; its number, or None
    when the event is no such pull request."""
    found = _apps_closed_pull_request(event_path, github, app_login)
    if found is None or found[0].get("merged") is not True:
        return None
    github.call("PUT", f"/repos/{github.repository}/issues/{found[2]}/lock",
                {"lock_reason": "resolved"})
    return found[2]


def delete_closed_branch(github: GitHub, event_path: Path, app_login: str | None
                         ) -> str | None:
    """Delete the branch of a closed (merged or not) pull request of the App, so no old
    `sign/` or `update/` branch outlives its pull request; the branch, or None when the
    event is no such pull request. A branch already gone counts as deleted."""
    found = _apps_closed_pull_request(event_path, github, app_login)
    if found is None or found[0].get("state") != "closed":
        return None
    branch = found[1]
    try:
        github.call("DELETE", f"/repos/{github.repository}/git/refs/heads/{branch}")
    except ApiError as error:
        if error.status != 422:  # GitHub's answer for a reference that does not exist
            raise
    return branch
