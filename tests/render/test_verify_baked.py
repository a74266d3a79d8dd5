"""`socialmission verify-badge --site` on the card badges the build writes: painted for
real (render/folder.py), the signed credential baked in after painting (bake_cards), the
DID document and the signed status list beside them. Both the PNG and the SVG verify,
with verify-badge and with the independent verifier (tests/vc/); a byte of the baked JSON
changed is tampering, whether the PNG's CRC was mended or not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bake_support import KEY, SEED, credential_text, keyed_signer, list_url
from conftest import ROOT, WORDS
from golden_badges import CASES, pledge_for
from socialmission.cli import main
from socialmission.credentials import issuer, proof
from socialmission.model import openbadges, statuslist
from socialmission.model.mission import Mission
from socialmission.model.png import SIGNATURE, chunks, encode_chunk
from socialmission.model.settings import Settings, site_url
from socialmission.render.design import load_design
from socialmission.render.face import face_of, masthead_of
from socialmission.render.folder import bake_cards, render_face
from vc_support import require_node, verify

BASE = site_url(ROOT)  # verify-badge --site maps this registry's address onto the folder
SLUG = "latin"
INDEX = 7
RECIPIENT = "https://northwind.example.org"  # the golden case's website
CARDS = ("card-light.svg", "card-dark.svg", "card-light@2x.png", "card-dark@2x.png")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, mission: Mission,
         settings: Settings) -> Path:
    """A built site's badge folder for one signatory, and the documents a verifier reads."""
    root = tmp_path_factory.mktemp("verify-baked")
    case = json.loads(CASES.read_text(encoding="utf-8"))[SLUG]
    pledge = pledge_for(SLUG, case)
    signing = keyed_signer(BASE)
    painted = render_face(load_design(ROOT), face_of(pledge, BASE, words=WORDS),
                          masthead_of(ROOT, mission, BASE))
    text = credential_text(BASE, pledge, settings=settings, mission=mission, signing=signing,
                           index=INDEX)
    files = {f"badges/{SLUG}/{name}": data
             for name, data in {**painted, **bake_cards(painted, text)}.items()}
    status = statuslist.status_list_document(list_url(BASE), signing.did, [pledge])
    signed_list = proof.sign(status, SEED, signing.verification_method,
                             signing.created(pledge.signed))
    files["openbadges/did.json"] = openbadges.dumps(
        issuer.did_document(signing, (KEY,))).encode()
    files[list_url(BASE).removeprefix(BASE)] = openbadges.dumps(signed_list).encode()
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def verify_badge(capsys: pytest.CaptureFixture[str], site: Path, badge: Path,
                 *more: str) -> tuple[int, str]:
    code = main(["--root", str(ROOT), "verify-badge", str(badge), "--site", str(site), *more])
    out = capsys.readouterr().out
    return code, out.split(": ", 1)[1] if ": " in out else out


@pytest.mark.parametrize("name", CARDS)
def test_a_painted_and_baked_card_verifies(capsys: pytest.CaptureFixture[str], site: Path,
                                           name: str) -> None:
    code, said = verify_badge(capsys, site, site / "badges" / SLUG / name,
                              "--expect-site", RECIPIENT)
    assert code == 0, said
    kind = "PNG" if name.endswith(".png") else "SVG"
    assert said.startswith(f"valid: an Open Badges 3.0 credential ({kind}) issued by "), said
    assert f"to {RECIPIENT}, not revoked (status list index {INDEX})" in said
    assert f"issued to {RECIPIENT}, as expected" in said


def tamper(text: bytes) -> bytes:
    """One byte of the baked JSON changed: the recipient's host, where it first appears."""
    at = text.index(b"northwind.example.org")
    changed = text[:at] + b"m" + text[at + 1:]
    assert len(changed) == len(text)
    return changed


def test_a_byte_changed_in_the_svg_is_tampering(capsys: pytest.CaptureFixture[str],
                                                site: Path, tmp_path: Path) -> None:
    badge = tmp_path / "card.svg"
    badge.write_bytes(tamper((site / "badges" / SLUG / "card-light.svg").read_bytes()))
    code, said = verify_badge(capsys, site, badge)
    assert code == 1
    assert said.startswith("tampered: its signature does not match"), said


@pytest.mark.parametrize("mend_crc", [True, False], ids=["crc-mended", "crc-left"])
def test_a_byte_changed_in_the_png_is_tampering(capsys: pytest.CaptureFixture[str],
                                                site: Path, tmp_path: Path,
                                                mend_crc: bool) -> None:
    png = (site / "badges" / SLUG / "card-dark@2x.png").read_bytes()
    if mend_crc:  # as a forger would: the chunk written again, with its CRC
        data = SIGNATURE + b"".join(
            encode_chunk(c.kind, tamper(c.data) if c.data.startswith(b"openbadgecredential\0")
                         else c.data) for c in chunks(png))
    else:  # the byte alone: the chunk's CRC no longer matches
        at = png.index(b"openbadgecredential\0")
        data = png[:at] + tamper(png[at:])
    badge = tmp_path / "card.png"
    badge.write_bytes(data)
    code, said = verify_badge(capsys, site, badge)
    assert code == 1
    expected = ("tampered: its signature does not match" if mend_crc else
                "tampered: its openbadgecredential chunk was changed after it was baked")
    assert said.startswith(expected), said


# --- and by the independent verifier (tests/vc/verify.mjs, Digital Bazaar's) --------------
def test_the_independent_verifier_reads_the_baked_cards(site: Path, tmp_path: Path) -> None:
    node = require_node()
    cards = [site / "badges" / SLUG / name for name in CARDS]
    verdict = verify(node, "--site", site, *cards)
    assert verdict.code == 0, verdict.report
    assert sorted(entry["kind"] for entry in verdict.report["credentials"]) == \
        ["png", "png", "svg", "svg"]
    assert all(entry["verified"] and not entry["revoked"]
               for entry in verdict.report["credentials"]), verdict.report
    tampered = tmp_path / "card.svg"
    tampered.write_bytes(tamper(cards[0].read_bytes()))
    assert verify(node, "--site", site, tampered).code == 1
