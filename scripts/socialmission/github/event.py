"""The pull request an event is about, read from the payload GitHub recorded.

Everything in the payload that a pull request's author chose (title, body, branch names)
is ignored; what is read is checked for its type."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialmission.errors import UsageError
from socialmission.model.constants import GITHUB_LOGIN_RE

MAX_EVENT = 25 * 1024 * 1024  # bytes; GitHub caps webhook payloads at 25 MB
_SHA = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")


@dataclass(frozen=True)
class PullRequest:
    number: int
    head_sha: str
    base_ref: str
    author_login: str
    author_id: int
    head_ref: str = ""  # the head's branch name: read only for the App's own pull requests
    head_repository: str = ""  # owner/name of the repository the head branch is in


def _field(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            raise UsageError(f"the event has no {'.'.join(keys)}: is this a pull request "
                             "event?")
        data = data[key]
    return data


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
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise UsageError("the event's pull_request.number is not a number")
    if not isinstance(head, str) or not _SHA.match(head):
        raise UsageError("the event's pull_request.head.sha is not a commit id")
    if not isinstance(base, str) or not base or base.startswith("-") or \
            any(ch.isspace() or ch in "~^:?*[\\" for ch in base):
        raise UsageError("the event's pull_request.base.ref is not a branch name")
    if not isinstance(login, str) or not GITHUB_LOGIN_RE.match(login.removesuffix("[bot]")):
        raise UsageError("the event's pull_request.user.login is not a GitHub login")
    if not isinstance(account, int) or isinstance(account, bool) or account < 1:
        raise UsageError("the event's pull_request.user.id is not an account number")
    head_ref = _optional_text(event, "pull_request", "head", "ref")
    head_repository = _optional_text(event, "pull_request", "head", "repo", "full_name")
    return PullRequest(number, head, base, login, account, head_ref, head_repository)


def _optional_text(data: Any, *keys: str) -> str:
    """A text value of the payload, or '' where it is missing or not text."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, str) else ""
