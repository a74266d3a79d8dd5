"""A small HTTPS client for `socialmission verify`, safe to point at addresses strangers
chose (a pledge's website, and wherever it redirects).

- https only, on port 443 or any other, with TLS verified for the host name;
- at most MAX_REDIRECTS redirects, each re-checked like the first address;
- a connect time cap, a total time cap for the whole fetch, and a body size cap; the
  total cap is a clock of its own that shuts the connection down when it runs out, so a
  server that trickles its answer (a byte of its head or a chunk line at a time, each
  inside any per-read timeout) is cut off at the cap all the same;
- no request to an address that is not globally reachable by IANA's special-purpose
  address registries, which the package carries (site/reachable.py: loopback, private,
  link-local, documentation, IETF protocol blocks...), nor to multicast, IPv6 outside
  2000::/3, or an IPv6 address that carries a refused IPv4 one (NAT64, 6to4, Teredo); the
  running Python's `ipaddress` flags are not trusted, as they were wrong before the fix for
  CVE-2024-4032. Each hop's host is resolved once, every address it gives is checked, and
  the connection is made to the checked address (never a second lookup, so a name that
  answers a public address to the check and 127.0.0.1 to the connection — DNS rebinding —
  reaches the public one).

The tests run HTTPS servers on 127.0.0.1; they reach them through `allow`, named
(host, port) pairs that only a caller constructing a Fetcher can give: no pledge, setting
or command-line flag reaches it (no command passes it).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import os
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final
from urllib.parse import urljoin, urlsplit

from socialmission.site.reachable import refused

CONNECT_TIMEOUT: Final = 5.0  # seconds to open one connection (TCP and TLS)
TOTAL_TIMEOUT: Final = 15.0  # seconds for a whole fetch, redirects included
MAX_BODY: Final = 1 << 20  # bytes of a body read; a longer one is refused
MAX_REDIRECTS: Final = 3
USER_AGENT: Final = "socialmission-verify (+https://github.com/socially-m)"
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})

# A host name's addresses (IPv4 or IPv6, as text). Production uses dnspython's resolver
# (system_resolver); the tests hand in one they control.
Resolver = Callable[[str], list[str]]


class FetchError(Exception):
    """Why an address could not be fetched, in words a summary can show."""


@dataclass(frozen=True)
class Response:
    url: str  # the last hop's address
    status: int
    content_type: str  # the media type alone, lower-case ("text/html")
    body: bytes
    peer: str  # the address the connection was made to


def system_resolver(host: str) -> list[str]:
    """A and AAAA records, through dnspython (the system's resolver configuration)."""
    import dns.exception  # noqa: PLC0415 - only `verify` needs DNS
    import dns.resolver  # noqa: PLC0415

    found: list[str] = []
    for kind in ("A", "AAAA"):
        try:
            answer = dns.resolver.resolve(host, kind, lifetime=CONNECT_TIMEOUT)
        except (dns.resolver.NoAnswer, dns.resolver.NXDOMAIN):
            continue
        except dns.exception.DNSException as error:
            raise FetchError(f"{host} could not be resolved: {error}") from None
        found.extend(record.to_text() for record in answer)
    return found


def refused_address(address: str) -> str | None:
    """Why a connection to this address is refused, or None for a public address (by
    IANA's special-purpose registries: site/reachable.py)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"{address!r} is not an IP address"
    return refused(ip, address)


class _PinnedConnection(http.client.HTTPSConnection):
    """An HTTPS connection to one checked address, with TLS verified for the host name,
    shut down when `deadline` (time.monotonic()) passes, whatever it is waiting for:
    a socket timeout is per read, and a trickling server never lets one expire."""

    def __init__(self, host: str, port: int, address: str, *, context: ssl.SSLContext,
                 timeout: float, opener: Callable[[str, int, float], socket.socket],
                 deadline: float) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address
        self._context = context
        self._opener = opener
        self._lock = threading.Lock()
        self._fd: int | None = None  # the connected socket's descriptor, while open
        self.expired = False
        self._timer = threading.Timer(max(deadline - time.monotonic(), 0.0), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._fd is not None:
                # shutdown(2) on a duplicate reaches the connection itself, in the TLS
                # handshake or after it, and leaves the reading thread's objects alone.
                with contextlib.suppress(OSError), socket.socket(fileno=os.dup(self._fd)) \
                        as duplicate:
                    duplicate.shutdown(socket.SHUT_RDWR)

    def connect(self) -> None:
        raw = self._opener(self._address, self.port, self.timeout or CONNECT_TIMEOUT)
        with self._lock:
            if self.expired:
                raw.close()
                raise TimeoutError
            self._fd = raw.fileno()
        try:
            self.sock = self._context.wrap_socket(raw, server_hostname=self.host)
        except BaseException:
            raw.close()
            raise

    def close(self) -> None:
        with self._lock:
            self._timer.cancel()
            self._fd = None
            super().close()


class Fetcher:
    """GET https addresses under the rules above. `allow` is for tests only (see above)."""

    def __init__(self, resolver: Resolver = system_resolver, *,
                 context: ssl.SSLContext | None = None,
                 allow: Iterable[tuple[str, int]] = (),
                 total_timeout: float = TOTAL_TIMEOUT, max_body: int = MAX_BODY) -> None:
        self.resolver = resolver
        self.context = context or ssl.create_default_context()
        self.context.check_hostname = True
        self.context.verify_mode = ssl.CERT_REQUIRED
        self.allow = frozenset(allow)
        self.total_timeout = total_timeout
        self.max_body = max_body

    def open_socket(self, address: str, port: int, timeout: float) -> socket.socket:
        """The TCP connection to a checked address (a seam the rebinding test watches)."""
        return socket.create_connection((address, port), timeout=min(timeout,
                                                                     CONNECT_TIMEOUT))

    def _address(self, host: str, port: int) -> str:
        """The one address this hop connects to: resolved once, every answer checked."""
        try:
            ipaddress.ip_address(host)
            addresses = [host]
        except ValueError:
            try:
                addresses = self.resolver(host)
            except FetchError:
                raise
            except Exception as error:  # a resolver's own failure: the check only fails
                raise FetchError(f"{host} could not be resolved: {error}") from None
        if not addresses:
            raise FetchError(f"{host} has no address")
        if (host, port) not in self.allow:
            for address in addresses:
                if (why := refused_address(address)) is not None:
                    raise FetchError(f"{host} resolves to {why}: not fetched")
        return addresses[0]

    def get(self, url: str) -> Response:
        """The response to GET `url` after at most MAX_REDIRECTS redirects, or FetchError."""
        deadline = time.monotonic() + self.total_timeout
        seen: set[str] = set()
        for _ in range(MAX_REDIRECTS + 1):
            if url in seen:
                raise FetchError(f"redirect loop at {url}")
            seen.add(url)
            response, location = self._hop(url, deadline)
            if location is None:
                return response
            url = urljoin(url, location)
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    def _hop(self, url: str, deadline: float) -> tuple[Response, str | None]:
        parts = urlsplit(url)
        if parts.scheme != "https":
            raise FetchError(f"only https addresses are fetched: got {url[:100]!r}")
        host = (parts.hostname or "").rstrip(".")
        try:
            port = parts.port or 443
        except ValueError:
            raise FetchError(f"{url[:100]!r} has no valid port") from None
        if not host or parts.username is not None or parts.password is not None:
            raise FetchError(f"{url[:100]!r} has no plain host name")
        try:
            host = host.encode("idna").decode("ascii") if not host.isascii() else host
        except UnicodeError:
            raise FetchError(f"{host!r} is not a valid host name") from None
        address = self._address(host, port)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("took too long")
        connection = _PinnedConnection(host, port, address, context=self.context,
                                       timeout=remaining, opener=self.open_socket,
                                       deadline=deadline)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("GET", target, headers={
                "User-Agent": USER_AGENT, "Accept": "text/html, text/plain;q=0.9",
                "Accept-Encoding": "identity", "Connection": "close"})
            answer = connection.getresponse()
            if answer.status in _REDIRECTS:
                location = answer.getheader("Location")
                if not location:
                    raise FetchError(f"{url[:100]} redirects nowhere")
                return Response(url, answer.status, "", b"", address), location
            body = self._body(connection, answer, deadline)
            if connection.expired:  # the end of the body was the shutdown's, not the server's
                raise TimeoutError
        except ssl.SSLCertVerificationError as error:
            raise FetchError(f"{host}'s certificate is not valid for it: "
                             f"{error.verify_message}") from None
        except TimeoutError:
            raise FetchError(f"{host} took too long to answer") from None
        except (OSError, http.client.HTTPException) as error:
            if connection.expired:
                raise FetchError(f"{host} took too long to answer") from None
            raise FetchError(f"{host} could not be fetched: {error}") from None
        finally:
            connection.close()
        media = (answer.getheader("Content-Type") or "").split(";")[0].strip().lower()
        return Response(url, answer.status, media, body, address), None

    def _body(self, connection: http.client.HTTPSConnection,
              answer: http.client.HTTPResponse, deadline: float) -> bytes:
        declared = answer.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_body:
            raise FetchError(f"the answer is {declared} bytes; at most {self.max_body} "
                             "are read")
        chunks: list[bytes] = []
        size = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError("took too long to send its answer")
            if connection.sock is not None:
                connection.sock.settimeout(remaining)
            chunk = answer.read1(65536)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_body:
                raise FetchError(f"the answer is over {self.max_body} bytes")
            chunks.append(chunk)
