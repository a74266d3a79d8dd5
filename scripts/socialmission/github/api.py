"""A small client for GitHub's REST API: JSON in and out, a token, time limits.

The API's address comes from the runner (`GITHUB_API_URL`); it must be https, except on a
loopback address, where the tests run a fake API.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from socialmission.errors import UsageError

TIMEOUT = 30  # seconds for one request
MAX_RESPONSE = 1 << 20  # bytes: GitHub's answers to our calls are a few kilobytes


class ApiError(UsageError):
    """GitHub answered with an error status (`status`), quoted in the message; with the
    seconds its `retry-after` header asks to wait, when it sent one."""

    def __init__(self, message: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after

    @property
    def secondary_limit(self) -> bool:
        """A secondary rate limit: 403 or 429 saying so (GitHub's own words)."""
        return self.status in (403, 429) and "secondary rate limit" in str(self).casefold()


class Unreachable(UsageError):
    """GitHub could not be reached, or the connection was lost before its answer: a
    request that changes something may or may not have been done."""


def _retry_after(value: str | None) -> float | None:
    """The seconds a `retry-after` header asks for (GitHub sends whole seconds)."""
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    return seconds if seconds is not None and 0 <= seconds <= 3600 else None


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class GitHub:
    def __init__(self, api_url: str, token: str, repository: str) -> None:
        parts = urlsplit(api_url)
        if parts.scheme != "https" and not (parts.scheme == "http" and
                                            _loopback(parts.hostname or "")):
            raise UsageError(f"the GitHub API address must be https: got {api_url!r}")
        if not token:
            raise UsageError("no GitHub token: the workflow passes the registry App's token "
                             "in GH_TOKEN")
        owner, _, name = repository.partition("/")
        if not owner or not name or "/" in name:
            raise UsageError(f"GITHUB_REPOSITORY must be 'owner/name': got {repository!r}")
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.repository = repository

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """One API call; an error answer is a UsageError that quotes GitHub's message."""
        data = None if body is None else json.dumps(body, sort_keys=True).encode()
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            f"{self.api_url}{path}", data=data, method=method,
            headers={"Accept": "application/vnd.github+json",
                     "Authorization": f"Bearer {self.token}",
                     "X-GitHub-Api-Version": "2022-11-28",
                     "User-Agent": "socialmission-registry",
                     **({"Content-Type": "application/json"} if data is not None else {})})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                raw = response.read(MAX_RESPONSE + 1)
        except urllib.error.HTTPError as error:
            detail = error.read(4096).decode("utf-8", "replace")
            with contextlib.suppress(ValueError, AttributeError):
                detail = str(json.loads(detail).get("message", detail))
            raise ApiError(f"GitHub answered {method} {path} with {error.code}: "
                           f"{detail[:300]}", error.code,
                           _retry_after(error.headers.get("retry-after"))) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise Unreachable(f"GitHub could not be reached for {method} {path}: "
                             f"{error}") from None
        if len(raw) > MAX_RESPONSE:
            raise UsageError(f"GitHub's answer to {method} {path} is too large")
        return json.loads(raw) if raw.strip() else None

    def account_exists(self, account_id: int) -> bool:
        """Whether GitHub still has the account with this id: False only when it answers
        404 (deleted, or never was); any other answer or failure is True, so a doubt never
        makes a pledge an orphan."""
        try:
            self.call("GET", f"/user/{int(account_id)}")
        except ApiError as error:
            return error.status != 404
        except UsageError:
            return True
        return True
