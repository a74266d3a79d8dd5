"""Attacks on the verify fetcher that its own tests (test_fetch.py) do not make: a server
that trickles its answer's head, and IPv6 addresses that carry a private IPv4 address
inside them. The servers run on 127.0.0.1, reached only through the test allowance."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import trustme

from socialmission.site.fetch import Fetcher, FetchError, refused_address

TRICKLE_SECONDS = 6.0  # how long the hostile server keeps trickling, at most
TOTAL = 1.0  # seconds: the fetch's total time cap in these tests


@dataclass
class Trickler:
    port: int
    client: ssl.SSLContext

    def fetcher(self) -> Fetcher:
        return Fetcher(lambda host: ["127.0.0.1"], context=self.client,
                       allow=[("slow.test", self.port)], total_timeout=TOTAL)

    def url(self, path: str) -> str:
        return f"https://slow.test:{self.port}{path}"


def _serve(listener: ssl.SSLSocket, stop: threading.Event) -> None:
    """One byte at a time, each well inside any per-read timeout: the status line, then
    an endless header (/head) or an endless chunk-size line (/chunk)."""
    while not stop.is_set():
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        threading.Thread(target=_trickle, args=(connection, stop), daemon=True).start()


def _trickle(connection: ssl.SSLSocket, stop: threading.Event) -> None:
    with connection:
        try:
            request = connection.recv(4096)
            if b" /chunk " in request:
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                                   b"Transfer-Encoding: chunked\r\n\r\n")
                drip = b"0"
            else:
                connection.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                drip = b"x"
            until = time.monotonic() + TRICKLE_SECONDS
            while time.monotonic() < until and not stop.is_set():
                connection.sendall(drip)
                time.sleep(0.05)
        except OSError:
            return


@pytest.fixture(scope="module")
def trickler() -> Iterator[Trickler]:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("slow.test").configure_cert(context)
    raw = socket.create_server(("127.0.0.1", 0))
    listener = context.wrap_socket(raw, server_side=True)
    stop = threading.Event()
    thread = threading.Thread(target=_serve, args=(listener, stop), daemon=True)
    thread.start()
    client = ssl.create_default_context()
    ca.configure_trust(client)
    try:
        yield Trickler(listener.getsockname()[1], client)
    finally:
        stop.set()
        listener.close()


# --- slowloris: the total time cap holds while the head and chunk lines are read ----------
@pytest.mark.parametrize("path", ["/head", "/chunk"])
def test_a_trickled_answer_stops_at_the_total_time(trickler: Trickler, path: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="too long"):
        trickler.fetcher().get(trickler.url(path))
    assert time.monotonic() - started < TOTAL + 1.5


# --- IPv6 addresses that carry an IPv4 address ---------------------------------------------
@pytest.mark.parametrize(("address", "inside"), [
    ("2002:7f00:1::1", "127.0.0.1"),  # 6to4 of loopback
    ("2002:a00:7::", "10.0.0.7"),  # 6to4 of a private address
    ("2002:c0a8:101::", "192.168.1.1"),
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "127.0.0.1"),  # Teredo, client 127.0.0.1
])
def test_an_ipv6_address_carrying_a_refused_ipv4_address(address: str, inside: str) -> None:
    why = refused_address(address)
    assert why is not None and inside in why


def test_a_site_local_ipv6_address_is_refused() -> None:
    assert refused_address("fec0::1") == "fec0::1 is a site-local address"


def test_6to4_of_a_public_address_passes() -> None:
    assert refused_address("2002:808:808::1") is None  # 8.8.8.8
