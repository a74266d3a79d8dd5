"""The sign form refuses the template's examples by the same field rules as the validator:
a value submitted as the template shows it is said under its question."""

from __future__ import annotations

from changes.test_issueform import problems_of
from conftest import Registry
from forms_support import body


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
