"""Whatever entry of a pledge is broken, every field problem outside it is still reported,
and the broken entry gives exactly one problem, inside it, never past the file's end."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import MISSION, NAME_FITS, TODAY
from socialmission.check.validate import validate

# Each field's entry, written well and with a problem the field rules find.
GOOD = {
    "name": ["name: Example Media Ltd"],
    "kind": ["kind: organisation"],
    "website": ["website: https://www.example.org/"],
    "signed": ["signed: 2024-05-17"],
    "mission_version": ["mission_version: 1"],
    "maintainers": ["maintainers:", "  - login: harbour", "    id: 583231"],
    "country": ["country: GB"],
    "sector": ["sector: media"],
    "social": ["social:", "  mastodon: https://mastodon.social/@media"],
}
SEEDED = {
    "name": ["name: 12"],
    "kind": ["kind: organsation"],
    "website": ["website: http://www.example.org/"],
    "signed": ["signed: 17/05/2024"],
    "mission_version": ["mission_version: 9"],
    "maintainers": ["maintainers:", "  - login: -harbour", "    id: 583231"],
    "country": ["country: gb"],
    "sector": ["sector: food"],
    "social": ["social:", "  twitter: https://twitter.com/media"],
}


def no_colon(lines: list[str]) -> list[str]:
    return [lines[0].replace(":", "", 1), *lines[1:]]


def unclosed_quote(lines: list[str]) -> list[str]:
    *before, last = lines
    key, value = last.split(": ", 1)
    return [*before, f'{key}: "{value}']


def tab_indent(lines: list[str]) -> list[str]:
    return [lines[0], "\t" + lines[1].lstrip(" "), *lines[2:]] if len(lines) > 1 \
        else [*lines, "\t# a note"]


def mis_indent(lines: list[str]) -> list[str]:
    """One of a list item's lines a space off (an entry of one line under its key would
    still read: it loses its colon instead)."""
    return [lines[0], " " + lines[1], *lines[2:]] if len(lines) > 2 else no_colon(lines)


BREAKS = [no_colon, unclosed_quote, tab_indent, mis_indent]
AFTER = st.sampled_from(["", "# a note", "  # an indented note", " "])


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_broken_entry_hides_nothing_else(data: st.DataObject) -> None:
    order = data.draw(st.permutations(list(GOOD)))
    broken = data.draw(st.sampled_from(order))
    seeded = data.draw(st.sets(st.sampled_from([f for f in order if f != broken]),
                               min_size=2))
    breaking = data.draw(st.sampled_from(BREAKS))
    lines: list[str] = ["# A pledge"]
    spans: dict[str, range] = {}
    for field in order:
        entry = SEEDED[field] if field in seeded else GOOD[field]
        if field == broken:
            entry = breaking(entry)
        entry = [*entry, *filter(None, [data.draw(AFTER)])]
        spans[field] = range(len(lines) + 1, len(lines) + len(entry) + 1)
        lines += entry
    problems = _problems("\n".join(lines) + "\n")
    for field in seeded:
        assert any(line in spans[field] for line, _ in problems), (field, problems)
    inside = [message for line, message in problems if line in spans[broken]]
    assert len(inside) == 1, (broken, breaking.__name__, problems)
    assert all(1 <= line <= len(lines) for line, _ in problems), problems
    assert not any("is missing" in message for _, message in problems), problems


def _problems(text: str) -> list[tuple[int, str]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "example-media.yaml"
        path.write_text(text, encoding="utf-8")
        report = validate([path], MISSION, on=TODAY, name_fits=NAME_FITS)
        return [(problem.line, problem.message) for problem in report.problems]
