"""The sign form refuses the template's examples by the same field rules as the validator:
a value submitted as the template shows it is said under its question."""

from __future__ import annotations

from conftest import MISSION, MISSION_NAME, NAME_FITS, Registry
from forms_support import body
from socialmission.changes.issueform import form, submit
from socialmission.model import fields

REFUSED = {field.name for field in fields.FIELDS if field.placeholder == "error"}


def problems_of(registry: Registry, text: str) -> list[tuple[str, str]]:
    """The form's problems with a submitted body, each under its question."""
    outcome = submit(registry.root, text, registry.mission, author=("harbour", 7),
                     name_fits=NAME_FITS)
    assert outcome.written is None
    return [(p.label, p.message) for p in sorted(outcome.problems)]


def test_a_submitted_example_is_refused(registry: Registry) -> None:
    found = problems_of(registry, body(
        Name="Example Media Ltd", Website="https://www.example.org/",
        Statement="We signed because our community deserves care, not campaigns.",
        Public_announcement="https://www.example.org/news/we-signed"))
    assert found == [(label, f"'{key}' is still the template's example {shown}: {fix}")
                     for label, key, shown, fix in (
        ("Name", "name", "'Example Media Ltd'", "write your own"),
        ("Public announcement", "statement_url", "'https://www.example.org/news/we-signed'",
         "write your own or delete the line"),
        ("Statement", "statement",
         "'We signed because our community deserves care, not campaign…'",
         "write your own or delete the line"),
        ("Website", "website", "'https://www.example.org/'", "write your own"))]
    assert list(registry.pledges.glob("*.yaml")) == []


def test_each_example_the_form_shows_is_refused_when_submitted(registry: Registry) -> None:
    shown = {entry["attributes"]["label"]: entry["attributes"]["placeholder"]
             for entry in form(MISSION, MISSION_NAME)["body"]
             if "placeholder" in entry.get("attributes", {})
             and entry.get("id") in REFUSED}
    assert shown  # the form shows its examples as placeholders (a country's is a code)
    for label, example in shown.items():
        answers = {"Website": "https://www.example.org/about",  # the announcement's site
                   label.replace(" ", "_"): example}
        found = problems_of(registry, body(**answers))
        assert [question for question, message in found
                if "still the template's example" in message] == [label], (label, found)
