"""The pull request an event is about, read from the payload GitHub recorded.

Everything in the payload that a pull request's author chose (title, body, branch names)
is ignored; what is read is checked for its type. What GitHub itself sets is read: the
action, the author and the sender (who pushed, edited or reopened), the head
repository's owner, and the repository's default branch."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from socialmission.errors import UsageError
from socialmission.model.constants import GITHUB_LOGIN_RE

MAX_EVENT = 25 * 1024 * 1024  # bytes; GitHub caps webhook payloads at 25 MB
COMMIT_ID: Final = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")  # SHA-1 or SHA-256
# The actions the verdict judges (the `types` of verdict.yml): on the first two the
# event's sender brought the head (opened it, or pushed it); on the last two nobody did.
PUSH_ACTIONS: Final = ("opened", "synchronize")
REJUDGE_ACTIONS: Final = ("edited", "reopened")
ACTIONS: Final = PUSH_ACTIONS + REJUDGE_ACTIONS


@dataclass(frozen=True)
class PullRequest:
    number: int
    head_sha: str
    base_ref: str
    author_login: str
    author_id: int
    head_ref: str = ""  # the head's branch name: read only for the App's own pull requests
    head_repository: str = ""  # owner/name of the repository the head branch is in
    action: str = PUSH_ACTIONS[1]
    sender_login: str = ""  # who made the event happen: pushed, opened, edited, reopened
    sender_id: int = 0
    default_branch: str = ""  # the repository's, as the event gives it
    head_owner_id: int = 0  # the account owning the head repository (0: unknown, gone)
    # The registry App's login when this is one of its pull requests, judged for the
    # author of its issue (author_login and author_id are then that author's).
    app_login: str = ""


def _field(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            raise UsageError(f"the event has no {'.'.join(keys)}: is this a pull request "
                             "event?")
        data = data[key]
    return data


def _is_branch(name: object) -> bool:
    return isinstance(name, str) and bool(name) and not name.startswith("-") and \
        not any(ch.isspace() or ch in "~^:?*[\\" for ch in name)


def _is_login(login: object) -> bool:
    return isinstance(login, str) and bool(GITHUB_LOGIN_RE.match(login.removesuffix("[bot]")))


def _is_account(number: object) -> bool:
    return isinstance(number, int) and not isinstance(number, bool) and number >= 1


def read_pull_request(path: Path) -> PullRequest:
    try:
        if path.stat().st_size > MAX_EVENT:
            raise UsageError(f"{path}: the event file is over {MAX_EVENT} bytes")
        event = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise UsageError(f"{path}: cannot read the event: {error}") from None
    number = _field(event, "pull_request", "number")
    head = _field(event, "pull_request", "head", "sha")
    base = _field(event, "pull_request", "base", "ref")
    login = _field(event, "pull_request", "user", "login")
    account = _field(event, "pull_request", "user", "id")
    action = _field(event, "action")
    sender_login = _field(event, "sender", "login")
    sender_id = _field(event, "sender", "id")
    default_branch = _field(event, "repository", "default_branch")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise UsageError("the event's pull_request.number is not a number")
    if not isinstance(head, str) or not COMMIT_ID.match(head):
        raise UsageError("the event's pull_request.head.sha is not a commit id")
    if not _is_branch(base):
        raise UsageError("the event's pull_request.base.ref is not a branch name")
    if not _is_login(login):
        raise UsageError("the event's pull_request.user.login is not a GitHub login")
    if not _is_account(account):
        raise UsageError("the event's pull_request.user.id is not an account number")
    if action not in ACTIONS:
        raise UsageError(f"the event's action is not one the verdict judges "
                         f"({', '.join(ACTIONS)}): got {str(action)[:40]!r}")
    if not _is_login(sender_login) or not _is_account(sender_id):
        raise UsageError("the event's sender has no GitHub login and account number")
    if not _is_branch(default_branch):
        raise UsageError("the event's repository.default_branch is not a branch name")
    head_ref = _optional_text(event, "pull_request", "head", "ref")
    head_repository = _optional_text(event, "pull_request", "head", "repo", "full_name")
    owner = _optional(event, "pull_request", "head", "repo", "owner", "id")
    return PullRequest(number, head, base, login, account, head_ref, head_repository,
                       action, sender_login, sender_id, default_branch,
                       owner if _is_account(owner) else 0)


def _optional(data: Any, *keys: str) -> Any:
    """A value of the payload, or None where it (or a mapping on its way) is missing."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _optional_text(data: Any, *keys: str) -> str:
    """A text value of the payload, or '' where it is missing or not text."""
    found = _optional(data, *keys)
    return found if isinstance(found, str) else ""
