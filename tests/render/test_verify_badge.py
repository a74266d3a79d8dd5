"""`socialmission verify-badge`: on a small built site signed by the registry's signer, a
valid badge (PNG, SVG, JSON) verifies; a tampered, revoked, wrongly addressed or foreign
one, an Open Badges 2.0-only badge and a file that is no badge each get their own clear
answer and exit 1; truncated, mutated and hostile files never raise (Hypothesis)."""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from socialmission.cli import main
from socialmission.commands.verify_badge import site_documents
from socialmission.credentials import proof
from socialmission.model.png import SIGNATURE, encode_chunk
from socialmission.render.badge_check import Answer, Unavailable, check_badge
from socialmission.render.bake import bake_png

SEED = bytes(range(32))  # a public test seed
BASE = "https://socialmission.example.org/"  # this checkout's site_url
DID = "did:web:socialmission.example.org:openbadges"
METHOD = f"{DID}#key-1"
LIST = f"{BASE}openbadges/v3/status/revocation-1.json"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
SIGNED = "2026-05-02T00:00:00Z"
REVOKED_INDEX = 9


def credential(slug: str, website: str, index: int, issuer: str = DID) -> dict[str, Any]:
    name = "Social Mission signatory (version 1)"
    return proof.sign({
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"{BASE}openbadges/v3/{slug}.json",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "The Social Mission",
                   "url": BASE},
        "validFrom": SIGNED, "name": name,
        "credentialSubject": {"id": website, "type": ["AchievementSubject"], "achievement": {
            "id": f"{BASE}openbadges/v3/achievements/mission-v1.json",
            "type": ["Achievement"], "name": name, "description": "Signed version 1.",
            "criteria": {"narrative": "The signatory commits to the principles."}}},
        "credentialStatus": {"id": f"{LIST}#{index}", "type": "BitstringStatusListEntry",
                             "statusPurpose": "revocation", "statusListIndex": str(index),
                             "statusListCredential": LIST},
    }, SEED, f"{issuer}#key-1", SIGNED)


def status_list(*revoked: int) -> dict[str, Any]:
    bits = bytearray(131072 // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    encoded = base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode()
    return proof.sign({
        "@context": [VC_CONTEXT], "id": LIST,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": DID, "validFrom": SIGNED,
        "credentialSubject": {"id": f"{LIST}#list", "type": "BitstringStatusList",
                              "statusPurpose": "revocation",
                              "encodedList": "u" + encoded.rstrip("=")},
    }, SEED, METHOD, SIGNED)


def plain_png() -> bytes:
    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return (SIGNATURE + encode_chunk(b"IHDR", header)
            + encode_chunk(b"IDAT", zlib.compress(b"\0\xff\xff\xff"))
            + encode_chunk(b"IEND", b""))


def baked_png(document: dict[str, Any]) -> bytes:
    """An Open Badges 3.0 PNG: the credential in an uncompressed iTXt chunk after IHDR."""
    png = plain_png()
    body = b"openbadgecredential\0\0\0\0\0" + json.dumps(document).encode()
    at = len(SIGNATURE) + 25  # past the signature and the IHDR chunk
    return png[:at] + encode_chunk(b"iTXt", body) + png[at:]


def baked_svg(document: dict[str, Any]) -> bytes:
    return ('<svg xmlns="http://www.w3.org/2000/svg" '
            'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" width="1" height="1">'
            f"<openbadges:credential><![CDATA[{json.dumps(document)}]]>"
            "</openbadges:credential></svg>").encode()


def did_document() -> dict[str, Any]:
    return {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": DID, "assertionMethod": [METHOD],
            "verificationMethod": [{"id": METHOD, "type": "Multikey", "controller": DID,
                                    "publicKeyMultibase": proof.multikey(
                                        proof.public_key(SEED))}]}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built site's Open Badges files: acme valid (index 7), globex revoked (index 9)."""
    root = tmp_path_factory.mktemp("badges") / "site"
    files: dict[str, bytes] = {
        "openbadges/did.json": json.dumps(did_document()).encode(),
        "openbadges/v3/status/revocation-1.json": json.dumps(status_list(9)).encode()}
    for slug, website, index in [("acme", "https://acme.example", 7),
                                 ("globex", "https://globex.example", REVOKED_INDEX)]:
        signed = credential(slug, website, index)
        files[f"openbadges/v3/{slug}.json"] = json.dumps(signed).encode()
        files[f"badges/{slug}.png"] = baked_png(signed)
        files[f"badges/{slug}.svg"] = baked_svg(signed)
    assertion = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
                 "id": f"{BASE}openbadges/initech.json", "verification": {"type": "hosted"}}
    files["badges/initech.png"] = bake_png(plain_png(), json.dumps(assertion))
    files["openbadges/initech.json"] = json.dumps({**assertion, "revoked": True}).encode()
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def verify_badge(capsys: pytest.CaptureFixture[str], site: Path, badge: Path | str,
                 *more: str) -> tuple[int, str]:
    code = main(["--root", str(ROOT), "verify-badge", str(badge), "--site", str(site), *more])
    out = capsys.readouterr().out
    return code, out.split(": ", 1)[1] if ": " in out else out


@pytest.mark.parametrize("badge", ["badges/acme.png", "badges/acme.svg",
                                   "openbadges/v3/acme.json"])
def test_a_valid_badge_verifies(capsys: pytest.CaptureFixture[str], site: Path,
                                badge: str) -> None:
    code, said = verify_badge(capsys, site, site / badge, "--expect-site",
                              "https://acme.example")
    assert code == 0, said
    assert said.startswith("valid: an Open Badges 3.0 credential"), said
    assert "to https://acme.example, not revoked (status list index 7)" in said
    assert "issued to https://acme.example, as expected" in said


def test_www_aside_and_said_so(capsys: pytest.CaptureFixture[str], site: Path) -> None:
    code, said = verify_badge(capsys, site, site / "badges/acme.png", "--expect-site",
                              "https://www.acme.example")
    assert code == 0
    assert "the site https://www.acme.example, a leading www. aside" in said


def test_a_withdrawn_badge_is_revoked(capsys: pytest.CaptureFixture[str], site: Path) -> None:
    code, said = verify_badge(capsys, site, site / "badges/globex.svg")
    assert code == 1
    assert said.startswith(f"revoked: its issuer has revoked it (status list index "
                           f"{REVOKED_INDEX})"), said


def test_a_tampered_badge_fails(capsys: pytest.CaptureFixture[str], site: Path,
                                tmp_path: Path) -> None:
    document = json.loads((site / "openbadges/v3/acme.json").read_text())
    document["credentialSubject"]["id"] = "https://evil.example"
    badge = tmp_path / "evil.png"
    badge.write_bytes(baked_png(document))
    code, said = verify_badge(capsys, site, badge)
    assert code == 1
    assert said.startswith("tampered: its signature does not match"), said


def test_the_wrong_site(capsys: pytest.CaptureFixture[str], site: Path) -> None:
    code, said = verify_badge(capsys, site, site / "badges/acme.png", "--expect-site",
                              "https://globex.example")
    assert code == 1
    assert said.startswith("wrong site: it was issued to https://acme.example, not "
                           "https://globex.example"), said


def test_an_unknown_issuer(capsys: pytest.CaptureFixture[str], site: Path,
                           tmp_path: Path) -> None:
    badge = tmp_path / "foreign.json"
    badge.write_text(json.dumps(credential("acme", "https://acme.example", 7,
                                           issuer="did:web:elsewhere.example")))
    code, said = verify_badge(capsys, site, badge)
    assert code == 1
    assert said.startswith("unknown issuer: did:web:elsewhere.example's DID document "
                           "(https://elsewhere.example/.well-known/did.json) could not be "
                           "read: it is not on the site"), said


def test_an_open_badges_2_badge_only(capsys: pytest.CaptureFixture[str], site: Path) -> None:
    code, said = verify_badge(capsys, site, site / "badges/initech.png")
    assert code == 1
    assert said.startswith("an Open Badges 2.0 badge only: this PNG carries a hosted "
                           "assertion and no signed Open Badges 3.0 credential"), said
    assert f"its hosted assertion {BASE}openbadges/initech.json says: revoked" in said


@pytest.mark.parametrize(("data", "why"), [
    (b"", "it is neither a PNG, an SVG nor JSON"),
    (plain_png(), "this PNG carries no Open Badges credential nor assertion"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "this SVG carries no Open Badges"),
    (b"<html/>", "it is XML, but its root is 'html', not an SVG"),
    (b'{"type": "DIDDocument"}', "it is JSON, but neither a credential nor an Open Badges"),
    (b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg/>', "it is XML with a DOCTYPE or entities"),
    (plain_png()[:40], "it is cut short"),
])
def test_not_a_badge(capsys: pytest.CaptureFixture[str], site: Path, tmp_path: Path,
                     data: bytes, why: str) -> None:
    badge = tmp_path / "file"
    badge.write_bytes(data)
    code, said = verify_badge(capsys, site, badge)
    assert code == 1
    assert said.startswith("not a badge: "), said
    assert why in said


def test_an_address_goes_through_the_safe_fetcher(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--root", str(ROOT), "verify-badge", "https://127.0.0.1/badge.png"])
    err = capsys.readouterr().err
    assert code == 2  # a usage error: the badge itself could not be had
    assert "https://127.0.0.1/badge.png: could not be read" in err


# --- hostile and broken files: always an answer, never an exception ----------------------
ANSWERS = ("valid: ", "tampered: ", "revoked: ", "wrong site: ", "unknown issuer: ",
           "not a badge: ", "not checked: ", "an Open Badges 2.0 badge only: ")


def site_reader(site: Path) -> Any:
    def read(url: str) -> bytes:
        path = site / url.removeprefix(BASE)
        if not url.startswith(BASE) or not path.is_file():
            raise Unavailable("not on the site")
        return path.read_bytes()
    return read


def answered(answer: Answer) -> None:
    assert answer.lines and answer.lines[0].startswith(ANSWERS), answer


@settings(max_examples=150, deadline=None)
@given(which=st.sampled_from(["badges/acme.png", "badges/acme.svg", "openbadges/v3/acme.json",
                              "badges/initech.png"]),
       cut=st.integers(min_value=0, max_value=20000), flips=st.lists(
           st.tuples(st.integers(min_value=0, max_value=20000), st.integers(0, 255)),
           max_size=4))
def test_truncated_and_mutated_badges_get_an_answer(site: Path, which: str, cut: int,
                                                    flips: list[tuple[int, int]]) -> None:
    data = bytearray((site / which).read_bytes()[:cut])
    for at, value in flips:
        if data:
            data[at % len(data)] = value
    answered(check_badge(bytes(data), site_reader(site), "https://acme.example"))


@settings(max_examples=100, deadline=None)
@given(document=st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["@context", "type", "issuer", "id", "proof", "credentialStatus",
                         "credentialSubject", "statusListIndex", "statusListCredential",
                         "verificationMethod", "proofValue", "cryptosuite"]), inner,
        max_size=6), max_leaves=20))
def test_hostile_credentials_get_an_answer(site: Path, document: Any) -> None:
    acme = json.loads((site / "openbadges/v3/acme.json").read_text())
    hostile = {**acme, **document} if isinstance(document, dict) else document
    for data in (json.dumps(hostile).encode(), baked_png({"x": hostile}),
                 baked_svg(acme if not isinstance(document, dict) else hostile)):
        answered(check_badge(data, site_reader(site), None))


def test_with_site_nothing_outside_the_folder_is_read(site: Path) -> None:
    read = site_documents(site / "openbadges", BASE)
    assert json.loads(read(f"{BASE}did.json"))["id"] == DID
    for url in (f"{BASE}../badges/acme.json", f"{BASE}%2e%2e/x", f"{BASE}/etc/passwd",
                "https://elsewhere.example/did.json", f"{BASE}v3"):
        with pytest.raises(Unavailable):
            read(url)
