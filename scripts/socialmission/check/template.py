"""The template pledge, pledges/TEMPLATE.yaml.txt, generated from the table of fields.

`socialmission template` writes it and `--check` fails when the committed file differs, as
`schema` does for the JSON Schema. Each field gives the comment above its line and its
sample value (model/fields.py); a test checks every sample passes the field's rule.
"""

from __future__ import annotations

import textwrap

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


def entry(field: fields.Field) -> str:
    """The field's line (or block) as the template writes it."""
    gap = "" if field.sample.startswith("\n") else " "
    return f"{field.name}:{gap}{field.sample}"


def _comment(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent="# ", subsequent_indent="# ",
                         break_on_hyphens=False, break_long_words=False)


def template_text(mission: Mission, mission_name: str) -> str:
    """The template; `mission_name` is the settings'."""
    table = [fields.filled(f, mission) for f in fields.FIELDS]  # read at each call, so a
    # test may extend it
    lines = [EDITOR_LINE, *_INTRODUCTION.format(mission_name=mission_name).splitlines()]
    for heading, required in (("Required", True), ("Optional", False)):
        lines += ["", f"# {heading} ".ljust(HEADING_WIDTH, "-")]
        for field in table:
            if field.required == required and not field.on_withdrawal and \
                    field.command is None:
                lines += ["", *_comment(field.note), entry(field)]
    withdrawal = [field for field in table if field.on_withdrawal]
    if withdrawal:
        lines += ["", _WITHDRAWAL]
        lines += [f"# {line}" for field in withdrawal for line in entry(field).splitlines()]
    return "\n".join(lines) + "\n"
