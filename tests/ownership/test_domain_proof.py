"""Proofs in the verdict: a new pledge waits for its website (`domain_proof: true`), and an
orphaned pledge (every maintainer's account gone) is taken over by the account its domain
names. The judge is handed its checks, as cli.py hands it site/proofs.py's and the API's;
then those checks themselves, against an HTTPS server and a fake API on 127.0.0.1."""

from __future__ import annotations

import http.server
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import trustme

from conftest import REGISTRY_SETTINGS
from fake_github import FakeApi
from git_support import (
    ACME,
    ALICE,
    KEEPER,
    MALLORY,
    SETTINGS,
    Repo,
    mission_v2,
    new_pledge,
)
from socialmission.github.api import GitHub
from socialmission.model.urls import Url
from socialmission.ownership.judge import Verdict, judge
from socialmission.ownership.rules import Author, DomainProof, ProofCheck
from socialmission.site.fetch import Fetcher
from socialmission.site.proofs import domain_checker, named_maintainers

NAME_FITS = lambda name: None  # noqa: E731 - the badge check is not what is tested here
DELTA = new_pledge("Delta Trust", "delta.example.org", "- login: mallory", "  id: 666")
HEIR = Author("heir", 777)


@dataclass
class Proofs:
    """A ProofCheck whose domains say what a test sets; records what it was asked."""

    said: dict[str, DomainProof] = field(default_factory=dict)
    asked: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, slug: str, website: Url) -> DomainProof:
        self.asked.append((slug, website.host))
        return self.said.get(website.host, DomainProof(False, (), ("nothing answered",)))


def refusals(verdict: Verdict) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in sorted(verdict.refusals)]


def require_proofs(repo: Repo) -> None:
    repo.git("checkout", "-q", "main")
    repo.write("registry.yaml", SETTINGS + "domain_proof: true\n")
    repo.commit("require proofs")
    repo.git("checkout", "-q", "pr")
    repo.git("merge", "-q", "main")


def run(repo: Repo, author: Author, proofs: ProofCheck | None = None,
        gone: frozenset[int] = frozenset()) -> Verdict:
    return judge(repo.root, "main", "pr", author, NAME_FITS, proofs=proofs,
                 accounts=lambda number: number not in gone)


# --- domain_proof: a new pledge waits for its website ------------------------------------------
WHERE = ("publish the file https://delta.example.org/.well-known/social-mission.txt "
         "(text/plain) with the line 'delta', or the DNS TXT record "
         "_social-mission.example.org with the value 'delta', then run the verdict again "
         "(push a commit, or re-run its job)")


def test_with_the_setting_off_nothing_is_fetched(repo: Repo) -> None:
    repo.write("pledges/delta.yaml", DELTA)
    repo.commit()
    proofs = Proofs()
    assert run(repo, MALLORY, proofs).allowed
    assert proofs.asked == []


def test_a_new_pledge_waits_for_its_website_and_says_what_to_publish(repo: Repo) -> None:
    require_proofs(repo)
    repo.write("pledges/delta.yaml", DELTA)
    repo.commit()
    proofs = Proofs()
    assert refusals(run(repo, MALLORY, proofs)) == [(
        "pledges/delta.yaml", "this registry adds a pledge only once its website confirms "
        f"it, and delta.example.org does not name delta yet: {WHERE} (found: nothing "
        "answered)")]
    assert proofs.asked == [("delta", "delta.example.org")]


def test_a_confirmed_new_pledge_passes_with_a_notice(repo: Repo) -> None:
    require_proofs(repo)
    repo.write("pledges/delta.yaml", DELTA)
    repo.commit()
    verdict = run(repo, MALLORY, Proofs({"delta.example.org": DomainProof(True)}))
    assert verdict.allowed, refusals(verdict)
    assert "delta.example.org confirms delta" in verdict.notices


def test_without_a_checker_the_proof_is_refused_not_skipped(repo: Repo) -> None:
    require_proofs(repo)
    repo.write("pledges/delta.yaml", DELTA)
    repo.commit()
    assert refusals(run(repo, MALLORY, None)) == [(
        "pledges/delta.yaml", "this registry adds a pledge only once its website confirms "
        f"it, and no proof could be checked here: {WHERE}")]


def test_the_setting_counts_on_the_base_branch_only(repo: Repo) -> None:
    # The pull request itself turning the setting off is no way around it (and is refused).
    require_proofs(repo)
    repo.write("registry.yaml", SETTINGS + "domain_proof: false\n")
    repo.write("pledges/delta.yaml", DELTA)
    repo.commit()
    assert "pledges/delta.yaml" in {p for p, _ in refusals(run(repo, MALLORY, Proofs()))}


def test_a_changed_pledge_needs_no_new_proof(repo: Repo) -> None:
    require_proofs(repo)
    repo.write("pledges/acme.yaml", ACME + "country: GB\n")
    repo.commit()
    proofs = Proofs()
    assert run(repo, ALICE, proofs).allowed
    assert proofs.asked == []


# --- domain_proof: a new signature waits for the website too --------------------------------
WITHDRAWN = ACME + "status: withdrawn\nwithdrawn: 2025-01-31\n"
SIGNED_AGAIN = ACME + ("withdrawn: 2025-01-31\nsigned_again:\n  - signed: 2025-06-01\n"
                       "    mission_version: 1\n    status_index: 129401\n")
ACME_WHERE = WHERE.replace("delta.example.org", "acme.example.org").replace("'delta'", "'acme'")


def signing_again(repo: Repo, base: str = WITHDRAWN, head: str = SIGNED_AGAIN) -> None:
    """acme, withdrawn on main where proofs are required; the pull request signs again."""
    require_proofs(repo)
    repo.git("checkout", "-q", "main")
    repo.write("pledges/acme.yaml", base)
    repo.commit("acme withdrew")
    repo.git("checkout", "-q", "pr")
    repo.git("reset", "-q", "--hard", "main")
    repo.write("pledges/acme.yaml", head)
    repo.commit()


@pytest.mark.parametrize("author", [ALICE, KEEPER])
def test_a_new_signature_waits_for_its_website_as_a_new_pledge_does(
        repo: Repo, author: Author) -> None:
    signing_again(repo)
    proofs = Proofs()
    assert refusals(run(repo, author, proofs)) == [(
        "pledges/acme.yaml", "this registry adds a new signature to a pledge only once its "
        f"website confirms it, and acme.example.org does not name acme yet: {ACME_WHERE} "
        "(found: nothing answered)")]
    assert proofs.asked == [("acme", "acme.example.org")]
    assert refusals(run(repo, author, None)) == [(
        "pledges/acme.yaml", "this registry adds a new signature to a pledge only once its "
        f"website confirms it, and no proof could be checked here: {ACME_WHERE}")]
    confirmed = run(repo, author, Proofs({"acme.example.org": DomainProof(True)}))
    assert confirmed.allowed, refusals(confirmed)
    assert "acme.example.org confirms acme" in confirmed.notices


def test_a_new_signature_is_proven_on_the_website_it_is_signed_for(repo: Repo) -> None:
    # a domain can change hands: the head's website is the one asked
    signing_again(repo, head=SIGNED_AGAIN.replace("acme.example.org", "acme.example.net"))
    proofs = Proofs({"acme.example.org": DomainProof(True)})
    assert not run(repo, ALICE, proofs).allowed
    assert proofs.asked == [("acme", "acme.example.net")]


@pytest.mark.parametrize(("base", "head"), [
    (ACME, WITHDRAWN + "withdrawn_reason: We paused.\n"),  # withdrawing
    (SIGNED_AGAIN, SIGNED_AGAIN + "    reaffirmed:\n      - version: 2\n"
                                  "        date: 2025-07-01\n"),  # reaffirming
    (WITHDRAWN, WITHDRAWN + "country: GB\n"),  # editing a withdrawn pledge
])
def test_a_proof_blocks_nothing_but_a_new_pledge_or_signature(repo: Repo, base: str,
                                                              head: str) -> None:
    repo.git("checkout", "-q", "main")
    repo.write("mission.yaml", mission_v2())
    repo.commit("mission version 2")
    signing_again(repo, base, head)
    proofs = Proofs()
    verdict = run(repo, ALICE, proofs)
    assert verdict.allowed, refusals(verdict)
    assert proofs.asked == []


def test_a_new_signature_is_confirmed_by_a_real_website(
        repo: Repo, server: tuple[int, ssl.SSLContext]) -> None:
    """The checker cli.py builds, fetching from the test server: a pledge's website names
    no port (the validator refuses one), so the server's port is given to the checker."""
    port = server[0]

    def on_the_server(slug: str, website: Url) -> DomainProof:
        there = Url(f"https://{website.host}:{port}/", website.host, website.registrable)
        return checker(server)(slug, there)

    signing_again(repo)  # acme.example.org's file names acme
    verdict = run(repo, ALICE, on_the_server)
    assert verdict.allowed, refusals(verdict)
    assert "acme.example.org confirms acme" in verdict.notices
    repo.write("pledges/acme.yaml", SIGNED_AGAIN.replace("acme.example.org",
                                                         "gone.example.org"))
    repo.commit()  # a site that publishes nothing
    [(path, message)] = refusals(run(repo, ALICE, on_the_server))
    assert (path, message.split(":")[0]) == (
        "pledges/acme.yaml", "this registry adds a new signature to a pledge only once its "
                             "website confirms it, and gone.example.org does not name acme "
                             "yet")


# --- an orphaned pledge -----------------------------------------------------------------------
HEIRS_ACME = ACME + "  - login: heir\n    id: 777\n"
ACME_SAYS_HEIR = {"acme.example.org": DomainProof(True, (("heir", 777),))}


def test_accounts_present_the_takeover_is_refused(repo: Repo) -> None:
    repo.write("pledges/acme.yaml", HEIRS_ACME)
    repo.commit()
    proofs = Proofs(ACME_SAYS_HEIR)
    assert refusals(run(repo, HEIR, proofs)) == [(
        "pledges/acme.yaml", "only the maintainers of acme listed on the base branch may "
        "change it, and heir (id 777) is not one of them: ask one of them, or the "
        "registry's maintainers")]
    assert proofs.asked == []  # a live maintainer: the domain is not even asked


def test_all_gone_and_the_proof_names_the_author_is_allowed(repo: Repo) -> None:
    repo.write("pledges/acme.yaml", HEIRS_ACME)
    repo.commit()
    verdict = run(repo, HEIR, Proofs(ACME_SAYS_HEIR), gone=frozenset({100}))
    assert verdict.allowed, refusals(verdict)
    assert verdict.notices == [
        "heir (id 777) takes over acme: every listed maintainer is gone from GitHub (alice "
        "(id 100)) and acme.example.org names them ('maintainer: heir 777')"]


@pytest.mark.parametrize("said", [
    DomainProof(True, (("someone", 778),)),  # someone else
    DomainProof(True, (("heir", 778),)),  # the login, with another's id
    DomainProof(True, (("other", 777),)),  # the id, with another login
    DomainProof(False, (("heir", 777),)),  # the line, in a proof that names no slug
    DomainProof(True),
])
def test_a_proof_naming_anyone_else_is_refused(repo: Repo, said: DomainProof) -> None:
    repo.write("pledges/acme.yaml", HEIRS_ACME)
    repo.commit()
    assert refusals(run(repo, HEIR, Proofs({"acme.example.org": said}),
                        gone=frozenset({100}))) == [(
        "pledges/acme.yaml", "every maintainer of acme is gone from GitHub (alice (id 100)); "
        "to take it over, its domain must name you: publish the file "
        "https://acme.example.org/.well-known/social-mission.txt (text/plain) with the "
        "lines 'acme' and 'maintainer: heir 777', or the DNS TXT record "
        "_social-mission.example.org with the strings 'acme' and 'maintainer: heir 777', "
        "then run the verdict again")]


@pytest.mark.parametrize("text", [
    HEIRS_ACME.replace("Acme Media", "Acme Media Group"),  # and another field
    ACME.replace("- login: alice\n    id: 100", "- login: heir\n    id: 777"),  # replaces
    ACME + "  - heir\n",  # a login without its id
    ACME + "  - login: heir\n    id: 777\n  - login: mallory\n    id: 666\n",  # and another
])
def test_a_takeover_that_changes_more_is_refused(repo: Repo, text: str) -> None:
    repo.write("pledges/acme.yaml", text)
    repo.commit()
    proofs = Proofs(ACME_SAYS_HEIR)
    assert refusals(run(repo, HEIR, proofs, gone=frozenset({100}))) == [(
        "pledges/acme.yaml", "every maintainer of acme is gone from GitHub (alice (id 100)); "
        "the pledge can be taken over, but only by a pull request whose only change to it "
        "adds you to its maintainers, keeping the others: '- login: heir' with '  id: 777' "
        "under it (your GitHub account's id is 777)")]
    assert proofs.asked == []


def test_a_takeover_with_a_logo_is_refused_on_the_logo(repo: Repo) -> None:
    repo.write("pledges/acme.yaml", HEIRS_ACME)
    repo.write("pledges/logos/acme.png", "not yet")
    repo.commit()
    verdict = run(repo, HEIR, Proofs(ACME_SAYS_HEIR), gone=frozenset({100}))
    assert "pledges/logos/acme.png" in {path for path, _ in refusals(verdict)}


def test_one_live_maintainer_or_a_login_only_entry_is_no_orphan(repo: Repo) -> None:
    two = ACME + "  - login: bob\n    id: 200\n"
    repo.git("checkout", "-q", "main")
    repo.write("pledges/acme.yaml", two)
    repo.commit("two maintainers")
    repo.git("checkout", "-q", "pr")
    repo.git("merge", "-q", "main")
    repo.write("pledges/acme.yaml", two + "  - login: heir\n    id: 777\n")
    repo.commit()
    proofs = Proofs(ACME_SAYS_HEIR)
    assert not run(repo, HEIR, proofs, gone=frozenset({100})).allowed
    # legacy.yaml lists "Carol" without an id: whether her account is gone is not known
    repo.write("pledges/legacy.yaml", (repo.root / "pledges/legacy.yaml").read_text()
               + "  - login: heir\n    id: 777\n")
    repo.commit()
    assert proofs.asked == []


def test_a_registry_maintainer_still_needs_no_proof(repo: Repo) -> None:
    repo.write("pledges/acme.yaml", HEIRS_ACME)
    repo.commit()
    proofs = Proofs()
    verdict = run(repo, KEEPER, proofs, gone=frozenset({100}))
    assert verdict.allowed and proofs.asked == []


# --- the checks cli.py hands in ---------------------------------------------------------------
def test_a_missing_account_is_gone_and_any_doubt_is_not() -> None:
    fake = FakeApi({("GET", "/user/100"): {"id": 100, "login": "alice"}})
    try:
        assert fake.github.account_exists(100)
        assert not fake.github.account_exists(101)  # the fake answers 404
        assert fake.paths() == [("GET", "/user/100"), ("GET", "/user/101")]
    finally:
        fake.close()
    # no answer at all (the API is down) is no proof that the account is gone
    assert GitHub("http://127.0.0.1:9", "token", "a/b").account_exists(100)


PROOF_FILES = {
    "/slug": ("text/plain", b"# our signatures\nacme\nmaintainer: heir 777\n"),
    "/html": ("text/html", b"acme\nmaintainer: heir 777\n"),
    "/other": ("text/plain", b"brio\nmaintainer: heir 777\n"),
    "/login-only": ("text/plain", b"maintainer: acme 777\n"),
    "/acme": ("text/plain", b"acme\n"),  # acme.example.org, a pledge's own website
}


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        host = self.headers.get("Host", "").split(":")[0]
        name = "/" + host.split(".")[0]
        if host == "away.test":
            self.send_response(302)
            port = self.headers.get("Host", "").rsplit(":", 1)[-1]
            self.send_header("Location", f"https://slug.test:{port}"
                                         "/.well-known/social-mission.txt")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        kind, body = PROOF_FILES.get(name, ("text/plain", b"missing"))
        found = self.path == "/.well-known/social-mission.txt" and name in PROOF_FILES
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


HOSTS = ("slug.test", "html.test", "other.test", "login-only.test", "away.test",
         "gone.test", "acme.example.org", "gone.example.org")


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[int, ssl.SSLContext]]:
    ca = trustme.CA()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*HOSTS).configure_cert(context)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    client = ssl.create_default_context()
    ca.configure_trust(client)
    try:
        yield httpd.server_address[1], client
    finally:
        httpd.shutdown()
        httpd.server_close()


def checker(server: tuple[int, ssl.SSLContext],
            txt: dict[str, list[str]] | None = None) -> ProofCheck:
    """The verdict's ProofCheck (as cli.py builds it), fetching from the test server."""
    port, context = server
    fetcher = Fetcher(lambda name: ["127.0.0.1"], context=context,
                      allow=[(name, port) for name in HOSTS])
    return domain_checker(fetcher, lambda name: (txt or {}).get(name, []), REGISTRY_SETTINGS)


def ask(server: tuple[int, ssl.SSLContext], host: str,
        txt: dict[str, list[str]] | None = None) -> DomainProof:
    port = server[0]
    return checker(server, txt)("acme", Url(f"https://{host}:{port}/", host, host))


@pytest.mark.parametrize(("host", "named", "maintainers"), [
    ("slug.test", True, (("heir", 777),)),
    ("html.test", False, ()),  # not text/plain
    ("other.test", False, ()),  # names another slug: its maintainer line counts for nothing
    ("login-only.test", False, ()),  # a maintainer line whose login is the slug is no slug
    ("away.test", False, ()),  # redirected to another host, which proves nothing for this one
    ("gone.test", False, ()),
])
def test_the_well_known_file(server: tuple[int, ssl.SSLContext], host: str, named: bool,
                             maintainers: tuple[tuple[str, int], ...]) -> None:
    found = ask(server, host)
    assert (found.names_slug, found.maintainers) == (named, maintainers)
    assert named or found.notes


def test_the_dns_record(server: tuple[int, ssl.SSLContext]) -> None:
    found = ask(server, "gone.test", {"_social-mission.gone.test": [
        "social-mission=acme", "maintainer: heir 777"]})
    assert (found.names_slug, found.maintainers) == (True, (("heir", 777),))


@pytest.mark.parametrize(("text", "named"), [
    ("maintainer: heir 777", (("heir", 777),)),
    ("  maintainer:heir\t777  # taking over", (("heir", 777),)),
    ("maintainer: heir", ()),
    ("maintainer: heir 0777", ()),
    ("maintainer: heir 777 extra", ()),
    ("maintainer: -heir 777", ()),
    ("maintainer: heir 777\u202e", ()),
    ("Maintainer: heir 777", ()),
    ("# maintainer: heir 777", ()),
])
def test_named_maintainers(text: str, named: tuple[tuple[str, int], ...]) -> None:
    assert named_maintainers(text) == named
