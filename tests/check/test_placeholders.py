"""The template's examples are refused: a pledge copied from the template keeps none of its
free-form samples (the field table marks them, model/fields.py), each found at its line and
compared as its field's rule reads it; a closed list's sample is never one."""

from __future__ import annotations

import pytest

from conftest import MISSION, MISSION_NAME, VALID, Registry
from sample_registry import write_png
from socialmission.check.template import entry, template_text
from socialmission.model import fields

KEPT = "is still the template's example"
REFUSED = [field for field in fields.FIELDS if field.placeholder == "error"]
SAMPLE = {field.name: fields.filled(field, MISSION) for field in fields.FIELDS}


def line_of(text: str, start: str) -> int:
    """The number of the first line that starts with `start`."""
    return next(number for number, line in enumerate(text.splitlines(), 1)
                if line.startswith(start))


def test_a_template_with_only_the_first_fields_changed_is_refused_at_each_leftover(
        registry: Registry) -> None:
    text = template_text(MISSION, MISSION_NAME)
    text = (text.replace("name: Example Media Ltd", "name: Acme Cooperative")
            .replace("website: https://www.example.org/", "website: https://www.acme.coop/")
            .replace("signed: 2024-05-17", "signed: 2025-02-03")
            .replace("login: octocat", "login: acme-coop").replace("id: 583231", "id: 4242"))
    write_png(registry.pledges / "logos" / "example-media.png", 128)
    registry.write("example-media", text)  # the name the logo's example is named after
    found = [(line, message) for _, line, _, message in registry.problems()]
    assert found == [
        leftover(text, "statement:", "statement",
                 "We signed because our community deserves care, not campaign…"),
        leftover(text, "statement_url:", "statement_url",
                 "https://www.example.org/news/we-signed"),
        leftover(text, "logo:", "logo", "logos/example-media.png"),
        leftover(text, "  mastodon:", "social.mastodon", "https://mastodon.social/@example"),
        leftover(text, "  linkedin:", "social.linkedin",
                 "https://www.linkedin.com/company/example")]


def leftover(text: str, key: str, field: str, example: str) -> tuple[int, str]:
    """The problem of a template example kept in `field`, at the line starting `key`."""
    return (line_of(text, key),
            f"'{field}' is still the template's example '{example}': write your own or "
            "delete the line")


def _with(field: fields.Field, value_entry: str) -> str:
    """The shared valid pledge with `value_entry` (a 'key: value' block) for `field`."""
    kept = VALID.splitlines(keepends=True)
    if field.name == "maintainers":
        kept = [line for line in kept if not line.startswith("  - ")]
    text = "".join(line for line in kept if not line.startswith(f"{field.name}:"))
    if field.name == "withdrawn_reason":
        text += "status: withdrawn\nwithdrawn: 2025-01-31\n"
    return text + value_entry + "\n"


# Each placeholder as a signatory might leave it: exactly, and written another way that its
# field's rule reads the same (an address's case, 'www.' and last '/'; text's case and spacing).
ALTERED = {
    "name": "name: example  media LTD",
    "website": "website: https://EXAMPLE.org",
    "statement": "statement: |\n  We signed because our community\n  deserves care, not "
                 "campaigns.",
    "statement_url": "statement_url: https://example.org/news/we-signed/",
    "logo": "logo: logos/example-media.png",
    "social": "social:\n  linkedin: https://linkedin.com/company/example/",
    "maintainers": "maintainers:\n  - OctoCat",
    "withdrawn_reason": "withdrawn_reason: why, in a  sentence.",
}


@pytest.mark.parametrize("written", ["as the template has it", "written another way"])
@pytest.mark.parametrize("field", REFUSED, ids=lambda field: field.name)
def test_every_placeholder_is_refused_at_its_line(field: fields.Field, written: str,
                                                  registry: Registry) -> None:
    value_entry = entry(SAMPLE[field.name]) if written == "as the template has it" else \
        ALTERED[field.name]
    text = _with(field, value_entry)
    if field.name == "statement_url":  # on the website's site, so only the example is wrong
        text = text.replace("https://www.example.net/", "https://www.example.org/about")
    write_png(registry.pledges / "logos" / "example-media.png", 128)
    registry.write("example-media", text)
    found = [(line, message) for _, line, _, message in registry.problems()
             if KEPT in message]
    start = len(text.splitlines()) - len(value_entry.splitlines()) + 1
    below = [start + number for number, line in enumerate(value_entry.splitlines())
             if number and not line.startswith("    id:")]
    lines = below if field.name in ("social", "maintainers") else [start]
    assert [line for line, _ in found] == lines, found
    assert all(message.endswith("write your own" if field.required else
                                "write your own or delete the line") for _, message in found)


def test_the_shared_valid_pledge_keeps_no_example(registry: Registry) -> None:
    registry.write("harbour-media", VALID)
    assert registry.problems() == []


@pytest.mark.parametrize("field", [f for f in fields.FIELDS if f.sample and (
    "enum" in f.schema or f.name == "country")], ids=lambda field: field.name)
def test_a_closed_lists_sample_is_never_a_placeholder(field: fields.Field,
                                                      registry: Registry) -> None:
    assert field.placeholder is None
    sample = SAMPLE[field.name]
    text = _with(field, entry(sample))
    if field.name == "status":
        text += "withdrawn: 2025-01-31\n"
    registry.write("harbour-media", text)
    assert registry.problems() == []


def test_the_templates_date_is_a_warning(registry: Registry) -> None:
    registry.write("harbour-media", VALID.replace("signed: 2024-05-16", "signed: 2024-05-17"))
    report = registry.validate()
    assert report.problems == []
    assert [(p.line, p.column, p.message) for p in report.warnings] == [
        (4, 9, "'signed' is still the template's example '2024-05-17': write the day you "
               "signed")]
    assert [p.slug for p in report.pledges] == ["harbour-media"]
