"""A fake GitHub REST API on 127.0.0.1, answering by method and path, for the tests of
what the workflows' commands ask of GitHub."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from socialmission.github.api import GitHub

REPO = "socially-m/social-mission-registry"


# What a route answers: a status, headers and a JSON body; or DROP, the connection closed
# without an answer (after the route did what was asked).
Reply = tuple[int, dict[str, str], Any]
DROP = "drop"


class FakeApi:
    """Answers by method and path from `answers` (or, first, from `route`, which sees the
    path with its query and the body sent); records every request."""

    def __init__(self, answers: dict[tuple[str, str], Any],
                 route: Callable[[str, str, Any], Reply | str | None] | None = None) -> None:
        self.answers = answers
        self.statuses: dict[tuple[str, str], int] = {}  # an error status GitHub answers
        self.requests: list[tuple[str, str, Any]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                sent = json.loads(self.rfile.read(length)) if length else None
                fake.requests.append((self.command, self.path, sent))
                routed = route(self.command, self.path, sent) if route else None
                if routed == DROP:
                    self.close_connection = True
                    return
                if routed is not None:
                    self._reply(*routed)
                    return
                key = (self.command, self.path.split("?")[0])
                found = key in fake.answers
                reply = json.dumps(fake.answers.get(key, {"message": "Not Found"})).encode()
                self.send_response(fake.statuses.get(key, 200 if found else 404))
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def _reply(self, status: int, headers: dict[str, str], body: Any) -> None:
                reply = json.dumps(body).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.github = GitHub(f"http://127.0.0.1:{self.server.server_address[1]}", "token",
                             REPO)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def paths(self) -> list[tuple[str, str]]:
        return [(method, path) for method, path, _ in self.requests]


def branch_flow(branch: str, pull: int, issue: int = 12) -> dict[tuple[str, str], Any]:
    """What GitHub answers while the App writes an issue's edit on `branch`, opens its pull
    request `pull` and comments on the issue (opened by octo-cat, id 42)."""
    r = f"/repos/{REPO}"
    return {
        ("GET", f"{r}/git/ref/heads/main"): {"object": {"sha": "b" * 40}},
        ("GET", f"{r}/git/commits/{'b' * 40}"): {"tree": {"sha": "t" * 40}},
        ("POST", f"{r}/git/trees"): {"sha": "n" * 40},
        ("POST", f"{r}/git/commits"): {"sha": "c" * 40},
        ("GET", f"{r}/git/matching-refs/heads/{branch}"): [],
        ("POST", f"{r}/git/refs"): {"ref": f"refs/heads/{branch}"},
        ("GET", f"{r}/pulls"): [],
        ("POST", f"{r}/pulls"): {"html_url": f"https://github.com/x/y/pull/{pull}"},
        ("POST", f"{r}/issues/{issue}/comments"): {"id": 1},
        ("GET", f"{r}/issues/{issue}"): {"number": issue,
                                         "user": {"login": "octo-cat", "id": 42}},
    }


EPOCH = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)  # the fake clock's zero


class FakeClock:
    """Time that passes only when a run sleeps: the pacing is checked, not waited for.
    `on_sleep` may end a run (a kill) by raising."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.on_sleep: Callable[[float], None] = lambda seconds: None

    def monotonic(self) -> float:
        return self.seconds

    def sleep(self, seconds: float) -> None:
        self.on_sleep(seconds)
        self.seconds += seconds

    def now(self) -> dt.datetime:
        return EPOCH + dt.timedelta(seconds=self.seconds)


SECONDARY = {"message": "You have exceeded a secondary rate limit. Please wait a few "
                        "minutes before you try again."}


@dataclass
class IssueTracker:
    """GitHub's issues, labels and users as far as the notifier asks: issues listed by
    label (oldest or newest first, paged), created, commented on and closed; a label read
    and made; a user by id. `faults` are answered, in turn, to the requests whose method
    and path start as their key says: a status (with `retry-after` when given), or DROP
    after doing what was asked (a creation whose answer is lost)."""

    clock: FakeClock
    users: dict[int, str] = field(default_factory=dict)
    issues: list[dict[str, Any]] = field(default_factory=list)
    comments: list[tuple[int, str]] = field(default_factory=list)
    labels: set[str] = field(default_factory=set)
    faults: list[tuple[str, str, int | str, str | None]] = field(default_factory=list)
    times: list[tuple[float, str, str]] = field(default_factory=list)  # every request
    app: str = "registry-app[bot]"
    repo: str = REPO  # the repository whose issues these are

    def route(self, method: str, path: str, sent: Any) -> Reply | str | None:
        self.times.append((self.clock.seconds, method, path))
        for index, (verb, start, fault, retry_after) in enumerate(self.faults):
            if method == verb and path.startswith(start):
                del self.faults[index]
                if fault == DROP:
                    self._answer(method, path, sent)
                    return DROP
                assert isinstance(fault, int)
                headers = {"retry-after": retry_after} if retry_after else {}
                return fault, headers, SECONDARY if fault in (403, 429) else \
                    {"message": "Server Error"}
        return self._answer(method, path, sent)

    def _answer(self, method: str, path: str, sent: Any) -> Reply | None:
        parts = urlsplit(path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        repo = f"/repos/{self.repo}"
        if method == "GET" and parts.path.startswith("/user/"):
            login = self.users.get(int(parts.path.removeprefix("/user/")))
            return (200, {}, {"login": login, "id": 1}) if login else \
                (404, {}, {"message": "Not Found"})
        if parts.path == f"{repo}/issues":
            return (200, {}, self._list(query)) if method == "GET" else self._create(sent)
        if parts.path.startswith(f"{repo}/labels"):
            name = parts.path.removeprefix(f"{repo}/labels").strip("/")
            if method == "POST":
                self.labels.add(sent["name"])
                return 201, {}, sent
            return (200, {}, {"name": name}) if name in self.labels else \
                (404, {}, {"message": "Not Found"})
        if not re.fullmatch(rf"{re.escape(repo)}/issues/[0-9]+(/comments)?", parts.path):
            return 404, {}, {"message": "Not Found"}
        number = int(parts.path.removeprefix(f"{repo}/issues/").split("/")[0])
        if method == "PATCH":
            self.issues[number - 1]["state"] = sent["state"]
            return 200, {}, self.issues[number - 1]
        self.comments.append((number, sent["body"]))
        return 201, {}, {"id": len(self.comments)}

    def _list(self, query: dict[str, str]) -> list[dict[str, Any]]:
        found = [i for i in self.issues if query["labels"] in i["labels_names"]]
        if query.get("direction") == "desc":
            found.reverse()
        size, page = int(query["per_page"]), int(query["page"])
        return found[(page - 1) * size:page * size]

    def _create(self, sent: dict[str, Any]) -> Reply:
        issue = {"number": len(self.issues) + 1, "state": "open", "body": sent["body"],
                 "title": sent["title"], "labels_names": sent["labels"],
                 "user": {"login": self.app}, "created_at": self.clock.now().isoformat()}
        self.issues.append(issue)
        self.labels.update(sent["labels"])
        return 201, {}, issue

    def opened(self) -> list[dict[str, Any]]:
        return [i for i in self.issues if i["user"]["login"] == self.app]
