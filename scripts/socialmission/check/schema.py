"""The published JSON Schema of a pledge, generated from the validator's own rules.

Limits and lists come from constants.py, each field's description is the docstring of its
check in rules.py, and the mission versions come from the mission file; so the schema that
editors and other tools use cannot say something the validator does not. A test compares
the committed file with this output, and checks both accept and refuse the same pledges.
"""

from __future__ import annotations

import json
from typing import Any

from socialmission.check.rules import FIELDS, REQUIRED
from socialmission.model import constants as c
from socialmission.model import paths
from socialmission.model.mission import Mission

# The line at the top of every pledge that gives editors completion and checks.
EDITOR_LINE = "# yaml-language-server: $schema=../site/schema/pledge.schema.json"

# Characters refused in one-line text (controls, bidirectional and zero-width formatting,
# line separators). JSON Schema patterns are ECMA-262 regular expressions.
_NO_INVISIBLES = r"^[^\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]*$"  # noqa: E501
_NO_INVISIBLES_MULTILINE = _NO_INVISIBLES.replace(r"\u0000-\u001f", r"\u0000-\u0009\u000b-\u001f")
_HTTPS = r"^https://[^\s\"'<>\\`{}|^@/:]+\.[^\s\"'<>\\`{}|^@/:]+(/[^\s\"'<>\\`{}|^]*)?$"


def _https(title: str, example: str) -> dict[str, Any]:
    return {"type": "string", "title": title, "maxLength": c.URL_MAX,
            "pattern": _HTTPS, "format": "uri", "examples": [example]}


def _date(title: str, example: str) -> dict[str, Any]:
    return {"type": "string", "title": title, "pattern": c.DATE_PATTERN, "format": "date",
            "examples": [example]}


def _properties(mission: Mission) -> dict[str, dict[str, Any]]:
    return {
        "name": {"type": "string", "title": "Name", "minLength": 1,
                 "maxLength": c.NAME_MAX, "pattern": _NO_INVISIBLES,
                 "examples": ["Example Media Ltd", "Ana Pérez", "株式会社エグザンプル"]},
        "kind": {"type": "string", "title": "Kind", "enum": list(c.KINDS),
                 "examples": ["organisation"]},
        "website": _https("Website", "https://www.example.org/"),
        "signed": _date("Date signed", "2024-05-17"),
        "mission_version": {"type": "integer", "title": "Mission version",
                            "enum": list(mission.numbers), "examples": [mission.current.version]},
        "maintainers": {"type": "array", "title": "Maintainers",
                        "minItems": c.MAINTAINERS_MIN, "maxItems": c.MAINTAINERS_MAX,
                        "uniqueItems": True,
                        "items": {"anyOf": [
                            {"type": "object", "required": ["login", "id"],
                             "additionalProperties": False,
                             "properties": {
                                 "login": {"type": "string",
                                           "pattern": c.GITHUB_LOGIN_PATTERN},
                                 "id": {"type": "integer", "minimum": 1}}},
                            {"type": "string", "pattern": c.GITHUB_LOGIN_PATTERN,
                             "description": "A login alone: read, with a warning, until "
                                            "its id is added."}]},
                        "examples": [[{"login": "octocat", "id": 583231}]]},
        "country": {"type": "string", "title": "Country", "pattern": "^[A-Z]{2}$",
                    "examples": ["GB", "NO"]},
        "sector": {"type": "string", "title": "Sector", "enum": list(c.SECTORS),
                   "examples": ["media"]},
        "statement": {"type": "string", "title": "Statement", "minLength": 1,
                      "maxLength": c.STATEMENT_MAX, "pattern": _NO_INVISIBLES_MULTILINE,
                      "examples": ["We signed because our community deserves our care."]},
        "statement_url": _https("Public announcement",
                                "https://www.example.org/blog/we-signed"),
        "logo": {"type": "string", "title": "Logo", "pattern": c.LOGO_PATTERN,
                 "examples": ["logos/example-media.png"]},
        "social": {"type": "object", "title": "Social profiles",
                   "additionalProperties": False,
                   "properties": {network: _https(f"{network} profile",
                                                  _social_example(network))
                                  for network in c.SOCIAL_HOSTS},
                   "examples": [{"mastodon": "https://mastodon.social/@example"}]},
        "status": {"type": "string", "title": "Status", "enum": list(c.STATUSES),
                   "default": "active", "examples": ["active"]},
        "withdrawn": _date("Date withdrawn", "2025-01-31"),
        "withdrawn_reason": {"type": "string", "title": "Why it was withdrawn",
                             "minLength": 1, "maxLength": c.WITHDRAWN_REASON_MAX,
                             "pattern": _NO_INVISIBLES_MULTILINE,
                             "examples": ["We closed the business."]},
    }


def _social_example(network: str) -> str:
    hosts = c.SOCIAL_HOSTS[network]
    return f"https://{hosts[0] if hosts else 'mastodon.social'}/@example"


def _description(key: str) -> str:
    doc = (FIELDS[key].__doc__ or "").strip().splitlines()[0]
    rule = doc.removeprefix(f"'{key}': ")
    return rule[:1].upper() + rule[1:]


def build_schema(mission: Mission) -> dict[str, Any]:
    properties = _properties(mission)
    assert list(properties) == list(FIELDS), "schema and rules list different fields"
    for key, spec in properties.items():
        spec["description"] = _description(key)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": paths.SCHEMA_PATH,
        "title": "Social Mission pledge",
        "description": (
            "One signatory's pledge to the Social Mission: pledges/<slug>.yaml in the "
            "registry. The registry's validator checks more than this schema can "
            "(dates against the mission, domains, duplicates, logos): run "
            "'socialmission validate'."),
        "type": "object",
        "required": list(REQUIRED),
        "additionalProperties": False,
        "properties": properties,
        "allOf": [
            {"if": {"required": ["status"],
                    "properties": {"status": {"const": "withdrawn"}}},
             "then": {"required": ["withdrawn"]},
             "else": {"not": {"anyOf": [{"required": ["withdrawn"]},
                                        {"required": ["withdrawn_reason"]}]}}},
        ],
    }


def schema_text(mission: Mission) -> str:
    return json.dumps(build_schema(mission), indent=2, ensure_ascii=False,
                      sort_keys=False) + "\n"
