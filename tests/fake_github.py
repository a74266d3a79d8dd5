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
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            do_GET = do_POST = do_PATCH = do_PUT = _answer

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
