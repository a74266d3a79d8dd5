"""The table of fields is the one declaration: everything that lists the fields follows it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import MISSION, MISSION_NAME, ROOT, TODAY, VALID, Registry
from sample_registry import write_png
from socialmission.changes.new import check_answer, pledge_text, questions
from socialmission.check import rules
from socialmission.check.schema import build_schema
from socialmission.check.template import entry, template_text
from socialmission.cli import build_parser, main
from socialmission.model import fields, paths
from socialmission.model.mission import Mission
from socialmission.model.pledge import Pledge
from socialmission.model.urls import parse_https_url
from socialmission.model.yamlread import Mapping, Node, Scalar, parse
from socialmission.site.opendata import record

NAMES = [field.name for field in fields.FIELDS]


# --- the table and the code that reads it ------------------------------------------------
def test_the_pledge_dataclass_has_exactly_the_tables_fields() -> None:
    own = ["slug", "path", "positions"]
    declared = [f.name for f in dataclasses.fields(Pledge)]
    assert sorted(declared) == sorted([*NAMES, *own])
    assert [name for name in declared if name not in own] == NAMES


def test_the_rules_follow_the_table() -> None:
    assert list(rules.FIELDS) == NAMES
    assert rules.REQUIRED == ("name", "kind", "website", "signed", "mission_version",
                              "maintainers")


@pytest.mark.parametrize(("checks", "table", "says"), [
    ({**rules.CHECKS, "colour": rules.name}, fields.FIELDS, "only rules ['colour']"),
    ({k: v for k, v in rules.CHECKS.items() if k != "logo"}, fields.FIELDS,
     "only fields ['logo']"),
    (rules.CHECKS, (*fields.FIELDS, fields.FIELDS[0]), "repeated ['name']"),
])
def test_rules_and_table_must_name_the_same_fields(
        checks: dict[str, rules.Check], table: tuple[fields.Field, ...], says: str) -> None:
    with pytest.raises(RuntimeError, match=r"list different fields") as raised:
        rules.in_field_order(checks, table)
    assert says in str(raised.value)


def test_signed_and_withdrawn_share_one_rule(registry: Registry) -> None:
    assert rules.CHECKS["signed"] is rules.CHECKS["withdrawn"]
    registry.write("later", VALID.replace("2024-05-17", "2026-05-01")
                   + "status: withdrawn\nwithdrawn: 2026-06-02\n")
    assert registry.problems() == [
        ("later.yaml", 9, 12, "'withdrawn' is in the future (2026-06-02): use today's date "
                              "or earlier"),
    ]


def test_every_field_has_a_title_a_one_sentence_rule_and_an_example() -> None:
    for field in fields.FIELDS:
        assert field.title and field.examples, field.name
        assert field.rule.endswith(".") and ". " not in field.rule[:-1], field.name
        assert "|" not in field.rule and "\n" not in field.rule, field.name  # a table cell
        assert field.rule.count("`") % 2 == 0, field.name


def test_the_guides_field_table_is_the_tables() -> None:
    lines = (ROOT / paths.SIGNATORIES_GUIDE).read_text(encoding="utf-8").splitlines()
    start = lines.index("| field | required | rule |")
    end = lines.index("", start)
    wanted = [f"| `{f.name}` | {'yes' if f.required else 'no'} | {f.rule} |"
              for f in fields.FIELDS]
    assert lines[start + 2:end] == wanted, \
        f"{paths.SIGNATORIES_GUIDE}'s field table should read:\n" + "\n".join(wanted)


# --- the template --------------------------------------------------------------------
def test_the_committed_template_is_generated() -> None:
    committed = (ROOT / paths.PLEDGES_DIR / paths.TEMPLATE_NAME).read_text(encoding="utf-8")
    assert committed == template_text(MISSION, MISSION_NAME), \
        "run 'socialmission template' and commit it"
    assert committed.splitlines()[0] == \
        "# yaml-language-server: $schema=../site/schema/pledge.schema.json"


def _context(registry: Registry, mission: Mission) -> rules.Context:
    return rules.Context(slug="example-media", pledges_dir=registry.pledges,
                         mission=mission, today=TODAY)


@pytest.mark.parametrize("field", [f for f in fields.FIELDS if f.command is None],
                         ids=lambda field: field.name)
def test_every_template_sample_passes_its_rule(field: fields.Field, registry: Registry,
                                               mission: Mission) -> None:
    root = parse(entry(fields.filled(field, mission)) + "\n")
    assert isinstance(root, Mapping)
    (key, (_, node)), = root.items.items()
    findings, value = rules.run(rules.CHECKS[key](key, node, _context(registry, mission)))
    assert findings == [] and value is not None
    # and the validator refuses it where it is only the template's example
    findings, _ = rules.run(rules.FIELDS[key](key, node, _context(registry, mission)))
    assert all("still the template's example" in f.message for f in findings)
    assert bool(findings) == (field.placeholder == "error")


def test_the_templates_withdrawal_lines_make_a_valid_withdrawn_pledge(
        registry: Registry) -> None:
    text = template_text(MISSION, MISSION_NAME)
    for field in fields.FIELDS:
        if field.on_withdrawal:
            assert f"\n# {entry(field)}\n" in text + "\n"
            text = text.replace(f"\n# {entry(field)}", f"\n{entry(field)}")
    write_png(registry.pledges / "logos" / "example-media.png", 128)
    registry.write("example-media", text)
    # refused only where the template's examples are left (tests/check/test_placeholders.py)
    assert {p[3].split("'")[1] for p in registry.problems()} == {
        f"{f.name}.{n}" if f.name == "social" else f.name for f in fields.FIELDS
        if f.placeholder == "error" for n in ("mastodon", "linkedin")}
    for example, own in (("Example Media Ltd", "Harbour Media Ltd"),
                         ("www.example.org", "www.example.net"), ("octocat", "harbour"),
                         ("/@example", "/@harbour"), ("company/example", "company/harbour"),
                         ("community deserves care", "readers deserve care"),
                         ("news/we-signed", "news/we-joined"),
                         ("Why, in a sentence.", "We closed the business.")):
        text = text.replace(example, own)
    registry.pledges.joinpath("example-media.yaml").unlink()
    write_png(registry.pledges / "logos" / "harbour-media.png", 128)
    registry.write("harbour-media", text.replace("example-media", "harbour-media"))
    assert registry.problems() == []
    (pledge,) = registry.validate().pledges
    assert (pledge.status, pledge.withdrawn) == ("withdrawn", dt.date(2025, 1, 31))


def test_template_check_fails_on_a_stale_template(registry: Registry,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    target = registry.pledges / paths.TEMPLATE_NAME
    assert main(["--root", str(registry.root), "template", "--check"]) == 1
    assert "is out of date: run 'socialmission template'" in capsys.readouterr().err
    assert main(["--root", str(registry.root), "template"]) == 0
    assert target.read_text(encoding="utf-8") == template_text(MISSION, MISSION_NAME)
    assert main(["--root", str(registry.root), "template", "--check"]) == 0
    target.write_text(template_text(MISSION, MISSION_NAME).replace("octocat", "someone-else"),
                      encoding="utf-8")
    assert main(["--root", str(registry.root), "template", "--check"]) == 1


# --- a field added to the table reaches every output --------------------------------------
HOSTILE = 'they/them"\nkind: individual\n# </script><b>&amp;'
PRONOUNS = fields.Field(
    "pronouns", "Pronouns", "How to refer to the signatory: at most 60 characters.",
    {"type": "string", "maxLength": 60}, ("they/them",), prompt="Pronouns to use",
    shown=fields.as_is, note="How to refer to you, if you like.", sample="they/them")


def _pronouns(key: str, node: Node, ctx: rules.Context) -> rules.Result:
    return (yield from rules.clean_text(key, node, 60, multiline=True))


@pytest.fixture
def with_pronouns(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    at = NAMES.index("status")  # among the optional fields, before the withdrawal ones
    monkeypatch.setattr(fields, "FIELDS", (*fields.FIELDS[:at], PRONOUNS,
                                           *fields.FIELDS[at:]))
    monkeypatch.setitem(rules.FIELDS, "pronouns", _pronouns)
    yield


@dataclasses.dataclass(frozen=True)
class PledgeWithPronouns(Pledge):
    pronouns: str | None = None


@pytest.mark.usefixtures("with_pronouns")
def test_an_added_field_reaches_the_schema(mission: Mission) -> None:
    document = build_schema(mission, MISSION_NAME)
    assert list(document["properties"])[NAMES.index("status")] == "pronouns"
    assert document["properties"]["pronouns"] == {
        "type": "string", "title": "Pronouns", "maxLength": 60, "examples": ["they/them"],
        "description": "How to refer to the signatory: at most 60 characters."}
    assert "pronouns" not in document["required"]


@pytest.mark.usefixtures("with_pronouns")
def test_an_added_field_reaches_new(registry: Registry, mission: Mission) -> None:
    assert ("pronouns", "Pronouns to use (optional)", False) in questions()
    args = build_parser().parse_args(["new", "--pronouns", HOSTILE])
    assert args.pronouns == HOSTILE
    assert check_answer("pronouns", "p" * 61, _context(registry, mission)) == [
        "'pronouns' is 61 characters long; the limit is 60: shorten it"]
    answers = {"name": "Zoë", "kind": "organisation", "pronouns": HOSTILE}
    text = pledge_text(answers, mission, 5)
    root = parse(text)
    assert isinstance(root, Mapping)
    assert list(root.items) == ["name", "kind", "pronouns", "status_index"]  # the table's
    node = root.items["pronouns"][1]
    assert isinstance(node, Scalar) and node.value == HOSTILE  # no line of it escapes


@pytest.mark.usefixtures("with_pronouns")
def test_an_added_field_reaches_the_open_data() -> None:
    pledge = PledgeWithPronouns(
        slug="zoe", path=Path("pledges/zoe.yaml"), name="Zoë", kind="individual",
        website=parse_https_url("https://zoe.example.org/"), signed=dt.date(2024, 5, 17),
        mission_version=1, maintainers=("zoe",), pronouns=HOSTILE)
    document = record(pledge, "https://registry.example.org/")
    assert document["pronouns"] == HOSTILE
    assert "maintainers" not in document and "logo" not in document  # not published
    assert document["signed"] == "2024-05-17"
    assert document["website"] == "https://zoe.example.org/"


@pytest.mark.usefixtures("with_pronouns")
def test_an_added_field_reaches_the_template() -> None:
    text = template_text(MISSION, MISSION_NAME)
    assert "\n# How to refer to you, if you like.\npronouns: they/them\n" in text
    assert text.index("pronouns:") > text.index("social:")
    assert text.index("pronouns:") < text.index("# To withdraw later")
