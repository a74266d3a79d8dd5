"""Baking the signed Open Badges 3.0 credential into the card badges after painting
(render/bake.py, folder.bake_cards), as https://www.imsglobal.org/spec/ob/v3p0/#baking
says: a PNG's uncompressed `openbadgecredential` iTXt chunk, an SVG's
`<openbadges:credential>` first in a root that declares the 3.0 namespace, with the 2.0
assertion beside it declaring its own. Each is read back by unbake.py and by readers
that do not share its code (Pillow, xml.etree's namespace events, a plain text match)."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from PIL import Image

from bake_support import credential_text, png_chunks, public_signer
from conftest import ROOT, WORDS
from golden_badges import BASE, CASES, masthead, pledge_for
from socialmission.model.mission import Mission
from socialmission.model.settings import Settings
from socialmission.render import bake
from socialmission.render.design import load_design
from socialmission.render.face import face_of
from socialmission.render.folder import CARD_FILES, bake_cards, render_face
from socialmission.render.unbake import unbake

OB2 = "http://openbadges.org"
OB3 = "https://purl.imsglobal.org/ob/v3p0"
CARD_SVG, CARD_PNG = "card-light.svg", "card-light@2x.png"


@pytest.fixture(scope="module")
def painted() -> dict[str, bytes]:
    """A real signatory's folder as painting leaves it: the 2.0 assertion baked, no 3.0."""
    case = json.loads(CASES.read_text(encoding="utf-8"))["latin"]
    return render_face(load_design(ROOT), face_of(pledge_for("latin", case), BASE,
                                                  words=WORDS), masthead())


@pytest.fixture(scope="module")
def texts(mission: Mission, settings: Settings) -> tuple[str, str]:
    """Two signed credentials of that signatory (two status indexes): as the build bakes."""
    case = json.loads(CASES.read_text(encoding="utf-8"))["latin"]
    pledge = pledge_for("latin", case)
    signing = public_signer(BASE, settings)
    first, second = (credential_text(BASE, pledge, settings=settings, mission=mission,
                                     signing=signing, index=index) for index in (7, 8))
    return first, second


def declarations(svg: bytes) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each element's tag, with the namespaces declared on it: xml.etree's own reading of
    the prefixes, no xmllint."""
    found: list[tuple[str, list[tuple[str, str]]]] = []
    pending: list[tuple[str, str]] = []
    for event, item in ET.iterparse(io.BytesIO(svg), events=("start-ns", "start")):
        if event == "start-ns":
            pending.append(item)
        else:
            found.append((item.tag, pending))
            pending = []
    return found


# --- both credentials found, by every reader ---------------------------------------------------
def test_a_baked_card_png_carries_the_credential_and_the_assertion(
        painted: dict[str, bytes], texts: tuple[str, str]) -> None:
    png = bake_cards(painted, texts[0])[CARD_PNG]
    chunks = png_chunks(png)
    assert chunks[0][0] == b"IHDR" and chunks[1][0] == b"iTXt"  # right after IHDR
    itxt = [body for kind, body in chunks if kind == b"iTXt"]
    assert [body.partition(b"\0")[0] for body in itxt] == [b"openbadgecredential",
                                                           b"openbadges"]
    assert itxt[0] == b"openbadgecredential\0\0\0\0\0" + texts[0].encode()  # uncompressed
    pillow: Any = Image.open(io.BytesIO(png))
    assert pillow.text["openbadgecredential"] == texts[0]
    unbaked = unbake(png)
    assert unbaked.credential == json.loads(texts[0])
    assert unbaked.assertion is not None
    assert unbaked.assertion["id"] == f"{BASE}openbadges/assertions/latin.json"
    # the picture is the painted one
    assert [c for c in chunks if c[0] != b"iTXt"] == \
        [c for c in png_chunks(painted[CARD_PNG]) if c[0] != b"iTXt"]


def test_a_baked_card_svg_parses_and_both_namespaces_resolve(
        painted: dict[str, bytes], texts: tuple[str, str]) -> None:
    svg = bake_cards(painted, texts[0])[CARD_SVG]
    root = ET.fromstring(svg)  # still XML
    tags = declarations(svg)
    assert tags[0] == ("{http://www.w3.org/2000/svg}svg",
                       [("", "http://www.w3.org/2000/svg"), ("openbadges", OB3)])
    # the credential first in the root, then the assertion, which declares its own
    assert tags[1] == (f"{{{OB3}}}credential", [])
    assert tags[2] == (f"{{{OB2}}}assertion", [("openbadges", OB2)])
    credential, assertion = list(root)[:2]
    assert json.loads(credential.text or "") == json.loads(texts[0])
    assert assertion.get("verify") == f"{BASE}openbadges/assertions/latin.json"
    unbaked = unbake(svg)
    assert unbaked.credential == json.loads(texts[0])
    assert unbaked.assertion == json.loads(assertion.text or "")
    # directly after the <svg> tag, as the spec writes it; a reader that matches text
    # finds the credential, and the assertion with its namespace on it
    text = svg.decode()
    assert re.match(r'<svg [^>]* xmlns:openbadges="https://purl\.imsglobal\.org/ob/v3p0">'
                    r"<openbadges:credential><!\[CDATA\[\{", text)
    assert '<openbadges:assertion xmlns:openbadges="http://openbadges.org" verify=' in text


def test_painting_declares_the_2_0_namespace_on_its_element(
        painted: dict[str, bytes]) -> None:
    """Whether or not a credential is baked beside it, and in the compact badges too."""
    for name, data in painted.items():
        if name.endswith(".svg"):
            tags = declarations(data)
            assert ("openbadges", OB2) not in tags[0][1], name
            assert tags[1] == (f"{{{OB2}}}assertion", [("openbadges", OB2)]), name
            assert unbake(data).assertion is not None and unbake(data).credential is None


def test_only_the_card_badges_carry_the_credential(painted: dict[str, bytes],
                                                   texts: tuple[str, str]) -> None:
    baked = bake_cards(painted, texts[0])
    assert sorted(baked) == sorted(CARD_FILES) == [
        "card-dark.svg", "card-dark@2x.png", "card-light.svg", "card-light@2x.png"]
    for name in baked:
        assert unbake(baked[name]).credential == json.loads(texts[0]), name
    for name, data in painted.items():
        if name not in CARD_FILES and name != "social.png":
            assert unbake(data).credential is None, name


# --- baking again: the old credential out, the new one in ----------------------------------------
def test_baking_again_replaces_the_credential(painted: dict[str, bytes],
                                              texts: tuple[str, str]) -> None:
    first = bake_cards(painted, texts[0])
    again = bake_cards(first, texts[1])
    assert again == bake_cards(painted, texts[1])  # as if baked once, byte for byte
    assert again[CARD_SVG].count(b"<openbadges:credential>") == 1
    assert [kind for kind, body in png_chunks(again[CARD_PNG])
            if body.startswith(b"openbadgecredential\0")] == [b"iTXt"]
    for name in CARD_FILES:
        assert unbake(again[name]).credential == json.loads(texts[1])
    # with none, what painting made, exactly
    assert bake_cards(again, None) == {name: painted[name] for name in CARD_FILES}


def test_a_credential_that_would_end_its_cdata_is_refused(painted: dict[str, bytes]) -> None:
    with pytest.raises(ValueError, match="would end its CDATA section"):
        bake.bake_credential_svg(painted[CARD_SVG].decode(), '{"a":"]]>"}')
    with pytest.raises(ValueError, match="not an SVG document"):
        bake.bake_credential_svg('<?xml version="1.0"?><svg/>', "{}")
