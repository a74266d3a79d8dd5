"""Files of the site written by shortcuts, faster than the general way: the JSON files by
opendata's own writer (json.dumps with an indent is pure Python), a signatory page's stub
around one render of its template. Their text must be the general way's, character for
character, for every value a pledge can hold and every document the registry publishes."""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from pathlib import Path
from typing import Any

import pytest
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from conftest import NAME_FITS, ROOT
from sample_registry import FIXTURE_PLEDGES
from socialmission.check.validate import validate
from socialmission.model import openbadges, paths
from socialmission.model.mission import Mission
from socialmission.model.settings import load_settings
from socialmission.site import opendata, pages

BASE = "https://example.org/registry/"


def reference(document: Any) -> bytes:
    """What a published JSON file was before opendata had its own writer."""
    return (str(htmlsafe_json_dumps(document, dumps=json.dumps, sort_keys=True,
                                    ensure_ascii=False, indent=1)) + "\n").encode("utf-8")


HOSTILE = ["", "<script>alert('x')</script>", "a & b > c < d", '"quoted" \\ back\\slash',
           "line\nbreak\r\ttab\x00nul\x1f\x7f", "\u2028\u2029 separators", "é ü ß 漢字 😀",
           "]]>", "\\u003c", "{\"not\": \"json\"}", " \n  ", "\ufeff bom"]


# --- values a pledge can hold, hostile ones first ----------------------------------------
@pytest.mark.parametrize("document", [
    {"name": text, text or "empty": [text]} for text in HOSTILE
] + [
    {}, [], [[]], [{}], {"a": {}}, {"a": []}, (), ("a", ("b",)),
    {"b": 1, "a": 2, "A": 3, "é": 4, "_": 5, "10": 6, "9": 7},  # sorted as json sorts
    {"deep": [[[[{"x": [None, True, False, 0, -1, 10**30]}]]]]},
    [0.1, -0.0, 1e300, 1e-300, 2.5, float("inf"), float("-inf"), float("nan")],
    "top", 1, None, True,
    {"record": {"assertions": {"1": "https://a/1.json", "2": "https://a/2.json"},
                "proof": None, "versions": [1, 2]}},
])
def test_the_writer_writes_json_s_bytes(document: Any) -> None:
    assert opendata.dumps(document) == reference(document)


@pytest.mark.parametrize("document", [
    {2: "int keys", 1: "json writes them as str"}, {2.5: "float", 0.5: "keys"},
    {"when": "x", "markup": Markup("<b>kept as text</b>")},  # a str subclass
    [dt.date(2026, 1, 2)],  # json refuses it: so does dumps
    {"a": 1, 2: "mixed keys"},  # json cannot sort them: nor can dumps
])
def test_values_it_does_not_write_itself_are_json_s_to_write(document: Any) -> None:
    try:
        expected: bytes | type[Exception] = reference(document)
    except (TypeError, ValueError) as error:
        expected = type(error)
    if isinstance(expected, bytes):
        assert opendata.dumps(document) == expected
    else:
        with pytest.raises(expected):
            opendata.dumps(document)


def test_a_cycle_is_refused_as_json_refuses_it() -> None:
    document: dict[str, Any] = {}
    document["self"] = [document]
    with pytest.raises(ValueError, match="Circular reference"):
        opendata.dumps(document)


# --- every document the registry publishes -----------------------------------------------
@pytest.mark.parametrize("pledges_dir", [ROOT / paths.PLEDGES_DIR, FIXTURE_PLEDGES],
                         ids=["demo", "fixtures"])
def test_every_published_json_file_is_json_s_bytes(pledges_dir: Path,
                                                   mission: Mission) -> None:
    report = validate([pledges_dir], mission, name_fits=NAME_FITS)
    assert report.ok, report.problems
    pledges = report.pledges
    documents = openbadges.all_documents(BASE, load_settings(ROOT), mission, pledges)
    for document in documents.values():
        assert opendata.dumps(document) == reference(document)
    records = [opendata.record(p, BASE, mission) for p in pledges]
    files = opendata.api_files(pledges, mission, BASE)
    assert len(files) == len(pledges) + 1
    for pledge, item in zip(pledges, records, strict=True):
        assert files[f"{opendata.API}/signatories/{pledge.slug}.json"] == reference(item)
    whole = json.loads(files[f"{opendata.API}/signatories.json"])
    assert whole["signatories"] == records
    assert files[f"{opendata.API}/signatories.json"] == reference(whole)


def test_the_directory_data_draws_each_row_once(mission: Mission,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    report = validate([FIXTURE_PLEDGES], mission, name_fits=NAME_FITS)
    active = [p for p in report.pledges if p.active]
    drawn: list[str] = []
    row = opendata.directory_row

    def counted(pledge: Any, proofs: Any = None, mission: Any = None) -> dict[str, str]:
        drawn.append(pledge.slug)
        return row(pledge, proofs, mission)

    monkeypatch.setattr(opendata, "directory_row", counted)
    data = json.loads(opendata.directory_data(report.pledges))
    assert sorted(drawn) == sorted(p.slug for p in active)  # not once per column
    assert [r[0] for r in data["rows"]] == [p.slug for p in active]


# --- a signatory page's front matter stub --------------------------------------------------
@pytest.mark.parametrize("title", HOSTILE)
def test_a_stub_is_the_template_s_render(title: str) -> None:
    stub = pages.signatory_stub(BASE, "acme", title, f"{title}: a description",
                                preloads=[f"{title}.woff2"])
    meta = pages.front_matter({
        "title": escape(title, quote=True),
        "description": escape(f"{title}: a description", quote=True),
        "search": {"exclude": True},
        "og_image": f"{paths.badge_folder_url(BASE, 'acme')}social.png",
        "og_url": paths.page_url(BASE, "acme"),
        pages.PRELOADS: [escape(f"{title}.woff2", quote=True)]})
    assert stub == pages.environment().get_template("signatory.md.j2").render(
        front_matter=meta)


def test_the_stub_template_is_rendered_once_not_once_a_signatory(
        mission: Mission, monkeypatch: pytest.MonkeyPatch) -> None:
    report = validate([FIXTURE_PLEDGES], mission, name_fits=NAME_FITS)
    rendered: list[str] = []
    render = pages._render

    def counted(template: str, **context: Any) -> str:
        rendered.append(template)
        return render(template, **context)

    monkeypatch.setattr(pages, "_render", counted)
    for pledge in report.pledges:
        pages.signatory_stub(BASE, pledge.slug, pledge.name, "a description")
    assert rendered.count("signatory.md.j2") <= 1
