"""The verify fetcher is safe by construction: HTTPS servers these tests start on
127.0.0.1, with certificates from a test CA, reached only through the test allowance."""

from __future__ import annotations

import http.server
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import trustme

from socialmission.site.fetch import Fetcher, FetchError, Response, refused_address

SLOW_SECONDS = 3.0


class Handler(http.server.BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read what the fetcher says."""

    def _send(self, status: int, body: bytes, kind: str = "text/html",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        port = self.server.server_address[1]
        path = self.path
        if path == "/page":
            self._send(200, b'<a href="https://registry.example/signatories/acme/">us</a>')
        elif path == "/text":
            self._send(200, b"acme\n", "text/plain")
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no length: the fetcher must stop at its cap itself
            for _ in range(64):
                self.wfile.write(b"x" * 65536)
        elif path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(int(SLOW_SECONDS * 10)):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
        elif path == "/loop":
            self._send(302, b"", headers={"Location": "/loop"})
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            target = "/page" if left == 0 else f"/hop/{left - 1}"
            self._send(301, b"", headers={"Location": target})
        elif path == "/to-private":
            self._send(302, b"", headers={"Location": f"https://internal.test:{port}/page"})
        elif path == "/to-http":
            self._send(302, b"", headers={"Location": f"http://proof.test:{port}/page"})
        else:
            self._send(404, b"no")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


@dataclass
class Site:
    port: int
    client: ssl.SSLContext
    resolved: list[str] = field(default_factory=list)

    def resolver(self, host: str) -> list[str]:
        self.resolved.append(host)
        return {"proof.test": ["127.0.0.1"], "wrong.test": ["127.0.0.1"],
                "internal.test": ["127.0.0.1"], "evil.test": ["127.0.0.1"],
                "ten.test": ["10.0.0.7"], "mixed.test": ["8.8.8.8", "192.168.1.1"]}[host]

    def fetcher(self, **options: object) -> Fetcher:
        allowed = [("proof.test", self.port), ("wrong.test", self.port)]
        return Fetcher(self.resolver, context=self.client, allow=allowed,
                       **options)  # type: ignore[arg-type]

    def url(self, path: str, host: str = "proof.test") -> str:
        return f"https://{host}:{self.port}{path}"


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    ca = trustme.CA()
    server = Server(("127.0.0.1", 0), Handler)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("proof.test", "internal.test", "evil.test").configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    client = ssl.create_default_context()
    ca.configure_trust(client)
    try:
        yield Site(server.server_address[1], client)
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_through_the_allowance(site: Site) -> None:
    response = site.fetcher().get(site.url("/page"))
    assert (response.status, response.content_type, response.peer) == \
        (200, "text/html", "127.0.0.1")
    assert b"signatories/acme/" in response.body


def test_non_html_says_its_type(site: Site) -> None:
    response = site.fetcher().get(site.url("/text"))
    assert (response.content_type, response.body) == ("text/plain", b"acme\n")


def test_three_redirects_are_followed_and_a_fourth_is_not(site: Site) -> None:
    assert site.fetcher().get(site.url("/hop/2")).url == site.url("/page")
    with pytest.raises(FetchError, match="more than 3 redirects"):
        site.fetcher().get(site.url("/hop/3"))


def test_a_redirect_loop(site: Site) -> None:
    with pytest.raises(FetchError, match=r"redirect loop at https://proof\.test:\d+/loop"):
        site.fetcher().get(site.url("/loop"))


def test_a_redirect_to_a_private_address_is_checked_again(site: Site) -> None:
    with pytest.raises(FetchError, match=re.escape(
            "internal.test resolves to 127.0.0.1 is a loopback address: not fetched")):
        site.fetcher().get(site.url("/to-private"))


def test_a_redirect_to_http_is_refused(site: Site) -> None:
    with pytest.raises(FetchError, match="only https addresses are fetched"):
        site.fetcher().get(site.url("/to-http"))


@pytest.mark.parametrize(("host", "message"), [
    ("evil.test", "evil.test resolves to 127.0.0.1 is a loopback address"),
    ("ten.test", "ten.test resolves to 10.0.0.7 is a private address"),
    # every address is checked, not only the first
    ("mixed.test", "mixed.test resolves to 192.168.1.1 is a private address"),
    ("127.0.0.1", "127.0.0.1 resolves to 127.0.0.1 is a loopback address"),
    ("[::1]", "::1 resolves to ::1 is a loopback address"),
    ("[::ffff:127.0.0.1]", "resolves to ::ffff:127.0.0.1 is a loopback address"),
])
def test_a_name_that_resolves_to_a_refused_address(site: Site, host: str, message: str) -> None:
    with pytest.raises(FetchError, match=re.escape(message)):
        site.fetcher().get(site.url("/page", host))


def test_the_allowance_is_the_host_and_the_port_together(site: Site) -> None:
    fetcher = Fetcher(site.resolver, context=site.client, allow=[("proof.test", 1)])
    with pytest.raises(FetchError, match="loopback"):
        fetcher.get(site.url("/page"))
    assert Fetcher(site.resolver).allow == frozenset()  # nothing is allowed by default


def test_a_wrong_certificate(site: Site) -> None:
    with pytest.raises(FetchError, match=re.escape("wrong.test's certificate is not valid for it")):
        site.fetcher().get(site.url("/page", "wrong.test"))


def test_an_untrusted_certificate(site: Site) -> None:
    fetcher = Fetcher(site.resolver, allow=[("proof.test", site.port)])  # the system's CAs
    with pytest.raises(FetchError, match="certificate is not valid"):
        fetcher.get(site.url("/page"))


def test_a_huge_body_stops_at_the_cap(site: Site) -> None:
    with pytest.raises(FetchError, match="the answer is over 100000 bytes"):
        site.fetcher(max_body=100_000).get(site.url("/huge"))


def test_a_slow_body_stops_at_the_total_time(site: Site) -> None:
    start = time.monotonic()
    with pytest.raises(FetchError, match="took too long"):
        site.fetcher(total_timeout=1.0).get(site.url("/slow"))
    assert time.monotonic() - start < SLOW_SECONDS


class Recording(Fetcher):
    """Watches the connections made, and makes none (no test reaches the internet)."""

    def __init__(self, *args: object, **options: object) -> None:
        super().__init__(*args, **options)  # type: ignore[arg-type]
        self.connected: list[tuple[str, int]] = []

    def open_socket(self, address: str, port: int, timeout: float) -> socket.socket:
        self.connected.append((address, port))
        raise ConnectionRefusedError("recorded, not connected")


def test_dns_rebinding_connects_to_the_checked_address() -> None:
    answers = iter([["93.184.215.14"], ["127.0.0.1"]])
    asked: list[str] = []

    def rebinding(host: str) -> list[str]:
        asked.append(host)
        return next(answers)

    fetcher = Recording(rebinding)
    with pytest.raises(FetchError, match="could not be fetched"):
        fetcher.get("https://rebind.example.org/")
    assert fetcher.connected == [("93.184.215.14", 443)]  # the peer is the checked address
    assert asked == ["rebind.example.org"]  # looked up once: no second answer is used


def test_a_resolver_failure_is_a_fetch_error() -> None:
    def broken(host: str) -> list[str]:
        raise RuntimeError("no network")

    with pytest.raises(FetchError, match="could not be resolved: no network"):
        Recording(broken).get("https://www.example.net/")
    with pytest.raises(FetchError, match="has no address"):
        Recording(lambda host: []).get("https://www.example.net/")


@pytest.mark.parametrize(("url", "message"), [
    ("http://www.example.net/", "only https addresses are fetched"),
    ("ftp://www.example.net/", "only https addresses are fetched"),
    ("https://user:pw@www.example.net/", "has no plain host name"),
    ("https:///path", "has no plain host name"),
    ("https://www.example.net:99999/", "has no valid port"),
])
def test_only_plain_https_addresses(url: str, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        Recording(lambda host: ["93.184.215.14"]).get(url)


@pytest.mark.parametrize(("address", "why"), [
    ("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("172.16.0.1", "private"),
    ("192.168.0.1", "private"), ("169.254.169.254", "link-local"), ("224.0.0.1", "multicast"),
    ("240.0.0.1", "reserved"), ("0.0.0.0", "unspecified"), ("::1", "loopback"),
    ("fe80::1", "link-local"), ("fc00::1", "private"), ("ff02::1", "multicast"),
    ("100.64.0.1", "not a public"), ("::ffff:10.0.0.1", "private"),
])
def test_refused_addresses(address: str, why: str) -> None:
    assert why in (refused_address(address) or "")


def test_public_addresses_pass() -> None:
    assert refused_address("93.184.215.14") is None
    assert refused_address("2606:2800:21f:cb07:6820:80da:af6b:8b2c") is None


def test_a_response_is_plain_data() -> None:
    assert Response("https://a.example/", 200, "text/html", b"", "1.1.1.1").peer == "1.1.1.1"
