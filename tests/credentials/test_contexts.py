"""The vendored contexts are the ones the manifest pins, and the loader serves them and
nothing else: a context not vendored is an error, and no request leaves the process."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest
from pyld import jsonld

from socialmission.credentials import contexts


def test_each_vendored_file_is_the_one_its_manifest_entry_pins() -> None:
    manifest = json.loads(contexts.MANIFEST.read_text(encoding="utf-8"))
    files = {path.name for path in contexts.FOLDER.iterdir()} - {contexts.MANIFEST.name}
    assert files == {entry["file"] for entry in manifest.values()}
    for url, entry in manifest.items():
        data = (contexts.FOLDER / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], url
        assert entry["source"].startswith("https://") and entry["licence"], url
    assert set(contexts.vendored()) == {contexts.CREDENTIALS_V2, contexts.OPEN_BADGES_V3}


def test_the_loader_serves_a_copy_of_a_vendored_context() -> None:
    first = contexts.load(contexts.OPEN_BADGES_V3, {})
    first["document"]["@context"].clear()
    again = contexts.load(contexts.OPEN_BADGES_V3, {})
    assert again["document"]["@context"] and again["documentUrl"] == contexts.OPEN_BADGES_V3


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = json.dumps({"@context": {"colour": "https://example.org/colour"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the requests it counts."""


@pytest.fixture
def context_server() -> Iterator[str]:
    """A server on 127.0.0.1 that would answer with a context, counting its requests."""
    _Counting.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/context.json"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_context_not_vendored_fails_and_is_never_fetched(context_server: str) -> None:
    document = {"@context": [contexts.CREDENTIALS_V2, context_server], "colour": "red"}
    with pytest.raises(jsonld.JsonLdError) as raised:
        jsonld.expand(document, {"documentLoader": contexts.load})
    assert isinstance(raised.value.__cause__, contexts.NotVendored)
    assert context_server in str(raised.value.__cause__)
    assert _Counting.requests == []
    with pytest.raises(contexts.NotVendored, match="nothing is fetched"):
        contexts.load(context_server, {})
