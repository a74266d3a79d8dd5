"""A fake GitHub REST API on 127.0.0.1, answering by method and path, for the tests of
what the workflows' commands ask of GitHub."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from socialmission.github.api import GitHub

REPO = "socially-m/social-mission-registry"


class FakeApi:
    """Answers by method and path from `answers`; records every request."""

    def __init__(self, answers: dict[tuple[str, str], Any]) -> None:
        self.answers = answers
        self.statuses: dict[tuple[str, str], int] = {}  # an error status GitHub answers
        self.requests: list[tuple[str, str, Any]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                sent = json.loads(self.rfile.read(length)) if length else None
                fake.requests.append((self.command, self.path, sent))
                key = (self.command, self.path.split("?")[0])
                found = key in fake.answers
                reply = json.dumps(fake.answers.get(key, {"message": "Not Found"})).encode()
                self.send_response(fake.statuses.get(key, 200 if found else 404))
                self.send_header("Content-Type", "application/json")
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
