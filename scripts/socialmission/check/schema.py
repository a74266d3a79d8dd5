"""The published JSON Schema of a pledge, generated from the table of fields.

Each field's type, limits, title, description (its rule) and examples come from
model/fields.py, which builds them from constants.py; the mission versions come from the
mission file. So the schema that editors and other tools use cannot say something the
validator does not. A test compares the committed file with this output, and checks both
accept and refuse the same pledges.
"""

from __future__ import annotations

import json
from typing import Any

from socialmission.model import constants as c
from socialmission.model import fields, paths
from socialmission.model.mission import Mission

# The line at the top of every pledge that gives editors completion and checks.
EDITOR_LINE = "# yaml-language-server: $schema=../site/schema/pledge.schema.json"


def field_schema(field: fields.Field, mission: Mission) -> dict[str, Any]:
    spec = fields.fill(dict(field.schema), mission)
    return {"type": spec.pop("type"), "title": field.title, **spec,
            "examples": fields.fill(field.examples, mission), "description": field.rule}


def build_schema(mission: Mission, mission_name: str) -> dict[str, Any]:
    """The pledge's JSON Schema; `mission_name` is the settings'."""
    table = fields.FIELDS  # read at each call, so a test may extend it
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": paths.SCHEMA_PATH,
        "title": f"{mission_name} pledge",
        "description": (
            f"One signatory's pledge to the {mission_name}: pledges/<slug>.yaml in the "
            "registry. The registry's validator checks more than this schema can "
            "(dates against the mission, domains, duplicates, logos): run "
            "'socialmission validate'."),
        "type": "object",
        "required": [field.name for field in table
                     if field.required and field.name in c.TOMBSTONE_FIELDS],
        "additionalProperties": False,
        "properties": {field.name: field_schema(field, mission) for field in table},
        "allOf": [
            # A redacted pledge (a tombstone) is withdrawn and keeps only its dates.
            {"if": {"required": ["redacted"]},
             "then": {"required": ["status", "withdrawn"],
                      "properties": {"status": {"const": "withdrawn"},
                                     **{field.name: False for field in table
                                        if field.name not in c.TOMBSTONE_FIELDS}}},
             "else": {"required": [field.name for field in table if field.required and
                                   field.name not in c.TOMBSTONE_FIELDS]}},
            {"if": {"required": ["status"],
                    "properties": {"status": {"const": "withdrawn"}}},
             "then": {"required": ["withdrawn"]},
             "else": {"not": {"anyOf": [{"required": ["withdrawn"]},
                                        {"required": ["withdrawn_reason"]}]}}},
        ],
    }


def schema_text(mission: Mission, mission_name: str) -> str:
    return json.dumps(build_schema(mission, mission_name), indent=2, ensure_ascii=False,
                      sort_keys=False) + "\n"
