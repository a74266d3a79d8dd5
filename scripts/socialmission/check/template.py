"""The template pledge, pledges/TEMPLATE.yaml.txt, generated from the table of fields.

`socialmission template` writes it and `--check` fails when the committed file differs, as
`schema` does for the JSON Schema. Each field gives the comment above its line and its
sample value (model/fields.py); a test checks every sample passes the field's rule.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from socialmission.check.schema import EDITOR_LINE
from socialmission.model import fields
from socialmission.model.mission import Mission

WIDTH = 81  # characters a comment line may take, with its "# "

_INTRODUCTION = """\
#
# A {mission_name} pledge. Copy this file to pledges/<slug>.yaml, where <slug> is
# your name in lower-case letters, digits and hyphens (it becomes your page's address:
# /signatories/<slug>/). Fill it in, delete the optional lines you do not use, and open
# a pull request. Or run `socialmission new`, which asks the questions and writes it.
#
# The first line above gives editors with the YAML language server (VS Code's YAML
# extension, for one) completion and checks as you type.
"""
HEADING_WIDTH = 88  # a section heading's dashes end here
_WITHDRAWAL = "# To withdraw later (pledges are withdrawn, never deleted), add:"


def entry(field: fields.Field, value: str | None = None) -> str:
    """The field's line (or block) as the template writes it: with its sample, or with
    `value`, written as YAML (a leading newline starts a block)."""
    written = field.sample if value is None else value
    gap = "" if written.startswith("\n") else " "
    return f"{field.name}:{gap}{written}"


def _comment(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent="# ", subsequent_indent="# ",
                         break_on_hyphens=False, break_long_words=False)


def template_text(mission: Mission, mission_name: str) -> str:
    """The template; `mission_name` is the settings'."""
    table = [fields.filled(f, mission) for f in fields.FIELDS]  # read at each call, so a
    # test may extend it
    lines = [EDITOR_LINE, *_INTRODUCTION.format(mission_name=mission_name).splitlines()]
    lines += sections(mission, {field.name: field.sample for field in table
                                if not field.on_withdrawal and field.command is None})
    withdrawal = [field for field in table if field.on_withdrawal]
    if withdrawal:
        lines += ["", _WITHDRAWAL]
        lines += [f"# {line}" for field in withdrawal for line in entry(field).splitlines()]
    return "\n".join(lines) + "\n"


def sections(mission: Mission, values: Mapping[str, str]) -> list[str]:
    """The template's Required and Optional sections, with each field of `values` (its
    value as YAML, as `entry` takes it) in the table's order under its note: the
    template's own lines with its samples, and a pledge's that `new` and the sign form
    write, in the same layout. A section with no field is left out."""
    lines: list[str] = []
    table = [fields.filled(f, mission) for f in fields.FIELDS if f.name in values]
    for heading, required in (("Required", True), ("Optional", False)):
        chosen = [field for field in table if field.required == required]
        if chosen:
            lines += ["", f"# {heading} ".ljust(HEADING_WIDTH, "-")]
        for field in chosen:
            lines += ["", *_comment(field.note), entry(field, values[field.name])]
    return lines
