"""Facts declared once stay declared once: where a second place could state one again (a
template, a command's help, a rule's code, the published pages), it is checked against
the declaration."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tokenize

import pytest

from conftest import ROOT, TODAY
from socialmission.changes import issueform
from socialmission.changes.lifecycle import OWN_COMMAND
from socialmission.check import rules
from socialmission.model import constants as c
from socialmission.model import fields, paths
from socialmission.model.mission import load_mission
from socialmission.model.yamlread import Mapping, parse
from socialmission.render.design import load_design

PACKAGE = ROOT / "scripts" / "socialmission"


def test_deploys_help_gives_the_upload_concurrency_it_uses() -> None:
    shown = subprocess.run([sys.executable, "-m", "socialmission", "deploy", "--help"],
                           capture_output=True, text=True, check=True).stdout
    assert f"(default: {c.UPLOAD_JOBS})" in " ".join(shown.split())


# --- the field table ---------------------------------------------------------------------
_TEXT_PATTERNS = (fields.NO_INVISIBLES, fields.NO_INVISIBLES_MULTILINE)


@pytest.mark.parametrize("field", [f for f in fields.FIELDS
                                   if f.schema.get("pattern") in _TEXT_PATTERNS],
                         ids=lambda field: field.name)
def test_a_line_break_is_taken_exactly_where_the_table_says(field: fields.Field) -> None:
    root = parse(f'{field.name}: "We closed.\\nWe moved on."\n')
    assert isinstance(root, Mapping)
    (key, (_, node)), = root.items.items()
    context = rules.Context(slug="example-media", pledges_dir=ROOT / "pledges",
                            mission=load_mission(ROOT), today=TODAY)
    findings, _ = rules.run(rules.FIELDS[key](key, node, context))
    assert (findings == []) == field.multiline, findings


def test_the_sign_forms_multi_line_questions_are_the_tables() -> None:
    assert "statement" in fields.MULTILINE_FIELDS
    assert issueform.MULTILINE is fields.MULTILINE_FIELDS


def test_every_field_a_command_writes_names_that_command() -> None:
    for field in fields.FIELDS:
        if field.command is not None or field.on_withdrawal:
            command = field.command or "withdraw"
            assert OWN_COMMAND[field.name].startswith(f"socialmission {command} SLUG"), field
    assert set(OWN_COMMAND) == {f.name for f in fields.FIELDS if f.own_command}


# --- the badge design ----------------------------------------------------------------------
def test_each_badge_style_has_its_template_and_each_variant_its_colours() -> None:
    templates = {path.stem.removesuffix(".svg") for path in
                 (ROOT / paths.DESIGN_DIR / "templates").glob("*.svg.j2")}
    assert set(paths.BADGE_STYLES) <= templates
    design = load_design(ROOT)
    assert set(design.palette) == set(paths.BADGE_VARIANTS)
    assert set(paths.BADGE_VARIANTS) <= set(design.document)


# --- page addresses ------------------------------------------------------------------------
# The site's top folders (model/paths.py): a string in the layers that build the site
# (model, render, site) that starts with one of them builds an address by hand.
_ADDRESS = re.compile(r"""^[rRbBuUfF]{0,2}["'](?:\.\./)*(?:signatories|badges|api|assets|"""
                      r"""openbadges|schema|history|press-kit|stats)/""")


def test_every_page_address_is_built_by_paths() -> None:
    found = []
    modules = [path for layer in ("model", "render", "site")
               for path in sorted((PACKAGE / layer).rglob("*.py"))]
    assert len(modules) > 50
    for path in modules:
        if path == PACKAGE / "model" / "paths.py":
            continue
        text = path.read_text(encoding="utf-8")
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING and _ADDRESS.match(token.string):
                found.append(f"{path.relative_to(PACKAGE)}:{token.start[0]}: {token.string}")
    assert found == []
