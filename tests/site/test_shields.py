"""The shields.io endpoint documents (site/shields.py): one for every signatory whatever its
standing, valid against shields.io's documented schema (tests/data/shields/, checked with
jsonschema), in the registry's words and the compact badge's colours, naming nobody."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from jsonschema import Draft202012Validator

from conftest import REGISTRY_SETTINGS, ROOT, TESTS
from e2e_support import HOSTILE_NAMES
from socialmission.model import paths
from socialmission.model.constants import REDACTED_NAME
from socialmission.model.pledge import Pledge
from socialmission.render.design import load_design
from socialmission.render.face import SIGNATORY_VALUE, WITHDRAWN_VALUE
from socialmission.site import shields

BASE = "https://socialmission.example.org/"
SCHEMA = json.loads((TESTS / "data" / "shields" / "endpoint.schema.json").read_text("utf-8"))
PALETTE = load_design(ROOT).palette[shields.VARIANT]
MIN_CACHE_SECONDS = 300  # shields.io ignores less (its endpoint badge's documentation)


def pledge(slug: str, name: str, standing: str = "active") -> Pledge:
    extra: dict[str, Any] = {}
    if standing != "active":
        extra = {"status": "withdrawn", "withdrawn": dt.date(2025, 2, 28)}
    if standing == "redacted":
        extra["redacted"] = dt.date(2025, 3, 31)
        name = REDACTED_NAME
    return Pledge(slug=slug, path=Path(f"pledges/{slug}.yaml"), name=name,
                  signed=dt.date(2024, 5, 17), mission_version=1, **extra)


PLEDGES = [pledge(f"s{number}", name, ("active", "withdrawn", "redacted")[number % 3])
           for number, name in enumerate(HOSTILE_NAMES.values())]


def test_the_schema_is_a_valid_json_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    checker = Draft202012Validator(SCHEMA)
    # what shields.io refuses, the schema refuses
    for wrong in ({"schemaVersion": 2, "label": "a", "message": "b"},
                  {"schemaVersion": 1, "label": "a", "message": ""},
                  {"schemaVersion": 1, "message": "b"},
                  {"schemaVersion": 1, "label": "a", "message": "b", "link": "x"},
                  {"schemaVersion": 1, "label": "a", "message": "b", "namedLogo": "x",
                   "logoSvg": "<svg/>"},
                  {"schemaVersion": 1, "label": "a", "message": "b", "cacheSeconds": 1.5}):
        assert not checker.is_valid(wrong), wrong


def test_every_signatory_has_a_valid_document_whatever_its_standing() -> None:
    files = shields.shields_files(PLEDGES, REGISTRY_SETTINGS.badge_label, PALETTE)
    assert sorted(files) == sorted(f"api/v1/shields/{p.slug}.json" for p in PLEDGES)
    checker = Draft202012Validator(SCHEMA)
    for p in PLEDGES:
        data = files[paths.shields_path(p.slug)]
        document = json.loads(data)
        assert list(checker.iter_errors(document)) == [], p.slug
        value = SIGNATORY_VALUE if p.active else WITHDRAWN_VALUE
        assert document == {
            "schemaVersion": 1, "label": "Social Mission", "message": value,
            "color": PALETTE["value_bg" if p.active else "withdrawn_bg"],
            "labelColor": PALETTE["label_bg"], "cacheSeconds": shields.CACHE_SECONDS}
        assert document["cacheSeconds"] >= MIN_CACHE_SECONDS
        # the compact badge's own words and light colours
        assert (document["color"], document["labelColor"]) == \
            ((PALETTE["value_bg"], PALETTE["label_bg"]) if p.active else
             (PALETTE["withdrawn_bg"], PALETTE["label_bg"]))
        # deterministic: the API's writer, sorted keys, the same bytes every time
        assert data == (json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False)
                        + "\n").encode("utf-8")
        # it names nobody: no name, slug or date of the signatory is in it
        text = data.decode("utf-8")
        assert p.name not in text and p.slug not in text and "2025" not in text


def test_the_palette_the_documents_take_is_checked() -> None:
    shields.check_palette(PALETTE, "badges/palette.yaml")
    wrong = {**PALETTE, "value_bg": "green", "label_bg": 12}
    with pytest.raises(shields.ShieldsError) as caught:
        shields.check_palette(wrong, "badges/palette.yaml")
    assert str(caught.value).splitlines() == [
        "badges/palette.yaml: 'light.label_bg' must be a colour written #rrggbb, such as "
        "#1f7a3f (the shields documents take it; got 12)",
        "badges/palette.yaml: 'light.value_bg' must be a colour written #rrggbb, such as "
        "#1f7a3f (the shields documents take it; got 'green')"]


@pytest.mark.parametrize("label", ['<b>"Pledge" & Co</b>', "Ünïcode ✓ 誓約", "a'b"])
def test_a_label_from_the_settings_reads_back_whatever_it_holds(label: str) -> None:
    settings = dataclasses.replace(REGISTRY_SETTINGS, badge_label=label)
    data = shields.shields_files(PLEDGES[:1], settings.badge_label, PALETTE)
    document = json.loads(next(iter(data.values())))
    assert document["label"] == label
    assert Draft202012Validator(SCHEMA).is_valid(document)
    assert b"<" not in next(iter(data.values()))  # the API's HTML-safe escapes


def test_the_badge_address_gives_shields_io_the_document_address_whole() -> None:
    base = "https://pledges.example.org/a registry/?x=1&y=2#top/"  # escapes of every kind
    url = shields.badge_url(base, "acme")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://img.shields.io/endpoint"
    assert parse_qs(parts.query, strict_parsing=True) == \
        {"url": [f"{base}api/v1/shields/acme.json"]}
    assert parts.fragment == ""


def test_a_redacted_document_is_the_withdrawn_ones_bytes() -> None:
    files = shields.shields_files([pledge("a", "Gone Ltd", "withdrawn"),
                                   pledge("b", "x", "redacted")], "Social Mission", PALETTE)
    assert files["api/v1/shields/a.json"] == files["api/v1/shields/b.json"]

