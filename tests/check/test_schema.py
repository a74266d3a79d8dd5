"""The published JSON Schema and the validator must not drift apart."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conftest import MISSION, MISSION_NAME, ROOT, VALID, Registry
from sample_registry import write_png
from socialmission.check.rules import FIELDS, REQUIRED
from socialmission.check.schema import build_schema, schema_text
from socialmission.model import constants as c
from socialmission.model.fields import FIELDS as TABLE
from socialmission.model.mission import Mission
from socialmission.model.paths import SCHEMA_FILE as SCHEMA_PATH
from socialmission.model.paths import TEMPLATE_NAME
from socialmission.model.yamlread import Mapping, Node, Scalar, Sequence, parse


def to_json(node: Node) -> Any:
    if isinstance(node, Mapping):
        return {key: to_json(value) for key, (_, value) in node.items.items()}
    if isinstance(node, Sequence):
        return [to_json(item) for item in node.items]
    assert isinstance(node, Scalar)
    return node.value


@pytest.fixture(scope="module")
def schema(mission: Mission) -> Draft202012Validator:
    return Draft202012Validator(build_schema(mission, MISSION_NAME),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_the_committed_schema_is_current(mission: Mission) -> None:
    assert (ROOT / SCHEMA_PATH).read_text(encoding="utf-8") == schema_text(mission, MISSION_NAME), \
        "run 'socialmission schema' and commit site/schema/pledge.schema.json"


def test_the_committed_schema_passes_check_jsonschema_metaschema() -> None:
    """check-jsonschema checks `pattern`s as ECMA-262 (unicode mode), as editors do."""
    tool = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run([str(tool), "--check-metaschema", str(ROOT / SCHEMA_PATH)],
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _patterns(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "pattern" and isinstance(item, str):
                yield item
            else:
                yield from _patterns(item)
    elif isinstance(value, list):
        for item in value:
            yield from _patterns(item)


# Prints each pattern JavaScript refuses in unicode mode, with the reason.
_COMPILE_ALL = """
const bad = [];
for (const p of JSON.parse(process.argv[1])) {
  try { new RegExp(p, "u"); } catch (error) { bad.push([p, String(error)]); }
}
process.stdout.write(JSON.stringify(bad));
"""


def _refused_by_javascript(patterns: list[str]) -> list[list[str]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    result = subprocess.run([node, "-e", _COMPILE_ALL, json.dumps(patterns)],
                            capture_output=True, text=True, check=True, timeout=60)
    refused: list[list[str]] = json.loads(result.stdout)
    return refused


def test_every_pattern_compiles_as_a_javascript_unicode_regexp(mission: Mission) -> None:
    patterns = sorted(set(_patterns(build_schema(mission, MISSION_NAME))))
    assert len(patterns) >= 6  # the checker below does find them
    assert _refused_by_javascript(patterns) == []


def test_the_javascript_check_refuses_an_escaped_quote_in_a_class() -> None:
    (refused,) = _refused_by_javascript([r'[^\"]', r'[^"]'])
    assert refused[0] == r'[^\"]'


def test_the_schema_is_valid_draft_2020_12_with_docs_for_every_field(mission: Mission) -> None:
    document = build_schema(mission, MISSION_NAME)
    Draft202012Validator.check_schema(document)
    assert list(document["properties"]) == list(FIELDS)
    # the fields a tombstone keeps are always required; the others unless it is redacted
    assert document["required"] + document["allOf"][0]["else"]["required"] == [
        key for key in REQUIRED if key in c.TOMBSTONE_FIELDS] + [
        key for key in REQUIRED if key not in c.TOMBSTONE_FIELDS]
    for key, spec in document["properties"].items():
        assert spec["title"] and spec["description"] and spec["examples"], key
    assert document["properties"]["sector"]["enum"] == list(MISSION.sectors)
    assert list(document["properties"]["social"]["properties"]) == list(c.SOCIAL_HOSTS)


def test_every_schema_example_passes_the_validator(registry: Registry,
                                                   mission: Mission) -> None:
    write_png(registry.pledges / "logos" / "example-media.png", 128)
    written_by_commands = {f.name for f in TABLE if f.command is not None}
    for key, spec in build_schema(mission, MISSION_NAME)["properties"].items():
        if key in written_by_commands:  # tests/changes/test_lifecycle.py, with a second version
            continue
        for example in spec["examples"]:
            pledge = json.loads(json.dumps(to_json(parse(VALID))))
            pledge[key] = example
            if key in ("withdrawn", "withdrawn_reason"):
                pledge |= {"status": "withdrawn", "withdrawn": "2025-01-31"}
            if key == "statement_url":
                pledge["website"] = "https://www.example.org/"
            registry.write("example-media", json.dumps(pledge, ensure_ascii=False))
            # an example the template shows too is valid, and refused only as its example
            assert [p for p in registry.problems()
                    if "still the template's example" not in p[3]] == [], (key, example)


# Pledges that break one rule the schema can express: both must refuse them.
BOTH_REFUSE = [
    {"name": 5}, {"name": ""}, {"name": "x" * 101}, {"name": "Acme\u202eLtd"},
    {"kind": "club"}, {"website": "http://example.org/"}, {"website": "example.org"},
    {"signed": "17/05/2024"}, {"signed": 20240517}, {"mission_version": "1"},
    {"mission_version": 99}, {"maintainers": "harbour"}, {"maintainers": []},
    {"maintainers": ["a", "a"]}, {"maintainers": ["-bad"]},
    {"maintainers": [f"m{i}" for i in range(11)]}, {"country": "no"}, {"country": False},
    {"sector": "crypto"}, {"statement": "s" * 501}, {"logo": "../x.png"},
    {"social": {"myspace": "https://myspace.com/a"}}, {"social": {"x": "http://x.com/a"}},
    {"status": "retired"}, {"status": "withdrawn"}, {"withdrawn": "2025-01-01"},
    {"withdrawn_reason": "why"}, {"colour": "blue"}, {"name": None},
    {"signed": "2024-02-30"}, {"website": "https://example.org:8443/"},
]
# Rules only the validator can check (they need today's date, the Public Suffix List,
# ISO 3166, other files or the file system). Listed so the difference stays deliberate.
VALIDATOR_ONLY = [
    {"signed": "2099-01-01"}, {"signed": "2023-01-01"},
    {"website": "https://127.0.0.1/"}, {"website": "https://co.uk/"}, {"country": "XX"},
    {"statement_url": "https://elsewhere.example.com/a"},
    {"social": {"x": "https://evil.example.com/a"}}, {"logo": "logos/missing.png"},
    {"name": "\u200dAcme"},
]


def _verdicts(registry: Registry, schema: Draft202012Validator,
              change: dict[str, Any]) -> tuple[bool, bool]:
    pledge = to_json(parse(VALID)) | change
    registry.write("example-media", json.dumps(pledge, ensure_ascii=False))
    return schema.is_valid(pledge), registry.validate().ok


@pytest.mark.parametrize("change", BOTH_REFUSE, ids=str)
def test_schema_and_validator_refuse_alike(registry: Registry, schema: Draft202012Validator,
                                           change: dict[str, Any]) -> None:
    assert _verdicts(registry, schema, change) == (False, False)


@pytest.mark.parametrize("change", VALIDATOR_ONLY, ids=str)
def test_what_only_the_validator_refuses(registry: Registry, schema: Draft202012Validator,
                                         change: dict[str, Any]) -> None:
    assert _verdicts(registry, schema, change) == (True, False)


def test_both_accept_the_demo_pledges(registry: Registry, schema: Draft202012Validator) -> None:
    for path in sorted((ROOT / "pledges").glob("*.yaml")):
        instance = to_json(parse(path.read_text(encoding="utf-8")))
        assert schema.is_valid(instance), path.name


def test_demo_pledges_point_editors_at_the_schema() -> None:
    for path in [*sorted((ROOT / "pledges").glob("*.yaml")),
                 ROOT / "pledges" / TEMPLATE_NAME]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../site/schema/pledge.schema.json"
        assert (path.parent / "../site/schema/pledge.schema.json").resolve().is_file()
    assert Path(ROOT / SCHEMA_PATH).is_file()
