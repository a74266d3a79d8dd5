"""`socialmission verify`: the three proofs, the store, and the marks the build shows
(never in the badges). HTTPS servers on 127.0.0.1 with a test CA, a TXT resolver the
tests control."""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.server
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from conftest import FONTS, REGISTRY_SETTINGS, SITE_WORDS, VALID, Registry
from socialmission.model import paths, proofs
from socialmission.model.pledge import Pledge
from socialmission.model.proofs import Proof, load_proofs, parse_proofs, proof_of
from socialmission.model.urls import Url
from socialmission.render.design import rendering_modules
from socialmission.site import opendata, pages
from socialmission.site.fetch import Fetcher, Response
from socialmission.site.proofs import (
    check,
    domain_checker,
    links_to,
    names_slug,
    summary,
    verify,
)

BASE = "https://registry.example/"
NAMES = REGISTRY_SETTINGS  # the proofs' names (registry.yaml's proof_name)
DAY = dt.date(2026, 6, 1)
PAGES = {
    "/news": ("text/html", b'<p><a href="https://registry.example/signatories/acme/">We '
                           b"signed</a></p>"),
    "/badge-only": ("text/html", b"<img src='https://registry.example/badges/acme/card-light"
                                 b".svg'>"),
    "/silent": ("text/html", b"<a href='https://registry.example/signatories/other/'>x</a>"),
    "/plain": ("text/plain", b"https://registry.example/signatories/acme/"),
    "/.well-known/social-mission.txt": ("text/plain", b"# our signatures\nacme\n"),
}


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        kind, body = PAGES.get(self.path, ("text/plain", b"missing"))
        self.send_response(200 if self.path in PAGES else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[int, ssl.SSLContext]]:
    ca = trustme.CA()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("acme.test").configure_cert(context)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    client = ssl.create_default_context()
    ca.configure_trust(client)
    try:
        yield httpd.server_address[1], client
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def pledge(registry: Registry) -> Pledge:
    registry.write("acme", VALID)
    (found,) = registry.validate().pledges
    return found


def at_server(pledge: Pledge, port: int, statement: str | None) -> Pledge:
    site = f"https://acme.test:{port}/"
    return dataclasses.replace(
        pledge, website=Url(site, "acme.test", "acme.test"),
        statement_url=Url(site + statement.lstrip("/"), "acme.test", "acme.test")
        if statement else None)


def fetcher(port: int, context: ssl.SSLContext) -> Fetcher:
    return Fetcher(lambda host: ["127.0.0.1"], context=context, allow=[("acme.test", port)])


# --- the three checks ----------------------------------------------------------------------
@pytest.mark.parametrize(("statement", "links"), [
    ("/news", True), ("/badge-only", True), ("/silent", False), ("/plain", False),
    ("/gone", False), (None, False),
])
def test_the_announcement_links_to_the_page_or_a_badge(
        server: tuple[int, ssl.SSLContext], pledge: Pledge, statement: str | None,
        links: bool) -> None:
    port, context = server
    proof = check(at_server(pledge, port, statement), BASE, fetcher(port, context),
                  lambda name: [], DAY, settings=NAMES)
    assert proof.statement_links is links
    assert proof.well_known  # the server's file names 'acme'
    assert (proof.checked, proof.website) == (DAY, "acme.test")


def test_the_dns_record_names_the_slug(server: tuple[int, ssl.SSLContext],
                                       pledge: Pledge) -> None:
    port, context = server
    asked: list[str] = []

    def records(name: str) -> list[str]:
        asked.append(name)
        return ["v=spf1 -all", "social-mission=acme"]

    proof = check(at_server(pledge, port, "/news"), BASE, fetcher(port, context), records, DAY,
                  settings=NAMES)
    assert proof.dns and proof.website_confirms
    assert asked == ["_social-mission.acme.test"]


def test_failures_are_notes_never_errors(pledge: Pledge) -> None:
    def broken(name: str) -> list[str]:
        raise LookupError("DNS is down")

    # a public address that is never connected to: no test reaches the internet
    class Nowhere(Fetcher):
        def open_socket(self, address: str, port: int, timeout: float) -> socket.socket:
            raise ConnectionRefusedError("refused")

    proof = check(pledge, BASE, Nowhere(lambda host: ["93.184.215.14"]), broken, DAY,
                  settings=NAMES)
    assert not (proof.statement_links or proof.well_known or proof.dns)
    assert len(proof.notes) == 3
    assert proof.notes[2] == "_social-mission.example.net: DNS is down"


def test_a_private_website_is_never_fetched(pledge: Pledge) -> None:
    proof = check(pledge, BASE, Fetcher(lambda host: ["10.0.0.1"]), lambda name: [], DAY,
                  settings=NAMES)
    assert "10.0.0.1 is a private address" in proof.notes[0]


@pytest.mark.parametrize(("text", "named"), [
    ("acme\n", True), ("# acme\n", False), ("acme-media\n", False),
    ("social-mission=acme", True), ("other, acme", True), ("", False),
])
def test_names_slug(text: str, named: bool) -> None:
    assert names_slug(text, "acme", REGISTRY_SETTINGS.proof_token) is named


def test_links_to_resolves_relative_links_and_entities() -> None:
    page = b'<a href="/signatories/acme/#top">x</a>'
    assert links_to(page, "https://registry.example/about", ["https://registry.example/"
                                                              "signatories/acme/"])
    assert links_to(b'<a href="https://registry.example/signatories/acme&#47;">x</a>',
                    "https://a.example/", ["https://registry.example/signatories/acme/"])
    assert not links_to(b'<a href="https://registry.example/signatories/acme-two/">x</a>',
                        "https://a.example/", ["https://registry.example/signatories/acme/"])


# --- the store -------------------------------------------------------------------------------
def test_verify_stores_beside_the_others_and_reads_back(
        server: tuple[int, ssl.SSLContext], pledge: Pledge, tmp_path: Path) -> None:
    port, context = server
    old = Proof(DAY, "other.example", None, False, True, False)
    (tmp_path / ".cache").mkdir()
    (tmp_path / paths.PROOFS_STORE).write_bytes(proofs.dumps({"other": old}))
    checked = verify(tmp_path, [at_server(pledge, port, "/news")], BASE,
                     fetcher=fetcher(port, context), txt=lambda name: [], on=DAY)
    stored = load_proofs(tmp_path)
    assert stored == {"other": old, **checked}
    assert summary(checked).startswith("Checked 1 signatories: 1 confirmed by their website")


@pytest.mark.parametrize("data", [
    b"", b"not json", b"[]", b'{"version": 2, "proofs": {}}', b"\xff",
    b'{"version": 1, "proofs": {"a": {"checked": "soon"}}}',
    b'{"version": 1, "proofs": {"a": {"checked": "2026-01-01", "website": 3, '
    b'"statement_links": true, "well_known": true, "dns": true}}}',
    b"[" * 100_000,
])
def test_a_broken_store_gives_no_marks(data: bytes) -> None:
    assert parse_proofs(data) == {}


def test_a_missing_store_gives_no_marks(tmp_path: Path) -> None:
    assert load_proofs(tmp_path) == {}


def test_a_record_for_another_website_is_no_mark(pledge: Pledge) -> None:
    assert proof_of(pledge, {"acme": Proof(DAY, "www.example.net", None, True, False,
                                           False)}) is not None
    assert proof_of(pledge, {"acme": Proof(DAY, "moved.example", None, True, False,
                                           False)}) is None


# --- the marks -----------------------------------------------------------------------------
CONFIRMED = {"acme": Proof(DAY, "www.example.net", None, False, True, False)}
STATEMENT = {"acme": Proof(DAY, "www.example.net", "https://www.example.net/n", True, False,
                           False)}


def test_the_signatory_page_says_what_was_proved(pledge: Pledge) -> None:
    _, confirmed = pages.signatory(pledge, BASE, FONTS, proof=CONFIRMED["acme"], words=SITE_WORDS)
    assert "Website confirms this signature: its /.well-known/social-mission.txt names this " \
           'page (checked <time datetime="2026-06-01">2026-06-01</time>)' in confirmed.html
    _, statement = pages.signatory(pledge, BASE, FONTS, proof=STATEMENT["acme"], words=SITE_WORDS)
    assert 'Statement checked on <time datetime="2026-06-01">2026-06-01</time>' in \
        statement.html
    _, none = pages.signatory(pledge, BASE, FONTS, words=SITE_WORDS)
    assert "sm-proof" not in none.html


def test_the_directory_marks_and_filters(pledge: Pledge) -> None:
    _, bodies = pages.directory_pages([pledge], CONFIRMED, words=SITE_WORDS)
    html = bodies["signatories/index.md"].html
    assert "website confirms this signature</span>" in html
    assert '<select name="proof">' in html
    data = json.loads(opendata.directory_data([pledge], CONFIRMED))
    assert data["fields"][-1] == "proof" and data["rows"][0][-1] == "website"
    assert json.loads(opendata.directory_data([pledge]))["rows"][0][-1] == ""


def test_the_api_says_it(pledge: Pledge) -> None:
    record = opendata.record(pledge, BASE, proof=STATEMENT["acme"])
    assert record["proof"] == {"checked": "2026-06-01", "website_confirms": False,
                               "well_known": False, "dns": False, "statement_links": True}
    assert opendata.record(pledge, BASE)["proof"] is None


def test_the_same_store_gives_the_same_bytes(pledge: Pledge) -> None:
    first = pages.signatory(pledge, BASE, FONTS, proof=CONFIRMED["acme"], words=SITE_WORDS)
    again = pages.signatory(pledge, BASE, FONTS, proof=proofs.parse_proofs(
        proofs.dumps(CONFIRMED))["acme"], words=SITE_WORDS)
    assert first == again


def test_the_badges_never_read_the_proofs() -> None:
    """The badge cache's key covers the rendering modules: none of them reads the store,
    so a weekly check never renders a badge again."""
    for module in rendering_modules():
        text = Path(module).read_text(encoding="utf-8")
        assert "proofs" not in text and "PROOFS_STORE" not in text, module


class Redirected(Fetcher):
    """Every address answers from another host, as a redirect to a paste site would."""

    def get(self, url: str) -> Response:
        return Response("https://paste.example/acme.txt", 200, "text/plain",
                        b"acme\nmaintainer: mallory 666\n", "203.0.113.9")


def test_a_proof_file_served_by_another_host_is_no_mark(pledge: Pledge) -> None:
    proof = check(pledge, BASE, Redirected(lambda host: []), lambda name: [], DAY, settings=NAMES)
    assert not proof.well_known and not proof.website_confirms
    assert any("redirects to another host" in note for note in proof.notes)


def test_the_verdict_and_the_mark_agree_on_a_redirect(pledge: Pledge) -> None:
    assert pledge.website is not None
    domain = domain_checker(Redirected(lambda host: []), lambda name: [], REGISTRY_SETTINGS)(
        pledge.slug, pledge.website)
    mark = check(pledge, BASE, Redirected(lambda host: []), lambda name: [], DAY, settings=NAMES)
    assert not domain.names_slug and not mark.well_known


class Serving(Fetcher):
    """Every address answers itself, as text/plain, with a maintainer line alone whose
    login is the slug."""

    def get(self, url: str) -> Response:
        return Response(url, 200, "text/plain", b"maintainer: acme 5\n", "203.0.113.9")


def test_a_maintainer_line_names_no_slug_for_the_mark_or_the_verdict(pledge: Pledge) -> None:
    """The marks read a proof as the verdict does: a login that happens to be the slug,
    in the well-known file or in the TXT record, confirms nothing."""
    assert pledge.website is not None
    record = {"_social-mission.example.org": ["maintainer: acme 5"]}
    mark = check(pledge, BASE, Serving(lambda host: []), lambda name: record.get(name, []),
                 DAY, settings=NAMES)
    domain = domain_checker(Serving(lambda host: []), lambda name: record.get(name, []), NAMES)(
        pledge.slug, pledge.website)
    assert (mark.well_known, mark.dns, domain.names_slug) == (False, False, False)
    assert names_slug("maintainer: acme 5", "acme", REGISTRY_SETTINGS.proof_token) is False
    assert names_slug("acme\nmaintainer: acme 5", "acme", REGISTRY_SETTINGS.proof_token) is True
