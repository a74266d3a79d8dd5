"""`socialmission derived`: every file derived from the field tables, mission.yaml and
registry.yaml (the schemas of a pledge, of registry.yaml and of a translation, the pledge
template, the issue forms), written or checked.
`schema`, `template` and `issue-form` write some of them, through `write`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from socialmission.changes.changeform import form_text as change_form
from socialmission.changes.issueform import form_text as sign_form
from socialmission.changes.proposalform import form_text as proposal_form
from socialmission.changes.reportform import form_text as report_form
from socialmission.check.schema import schema_text
from socialmission.check.template import template_text
from socialmission.check.translations import schema_text as translation_schema
from socialmission.commands.context import registry_root
from socialmission.commands.options import check_option
from socialmission.errors import EXIT_OK, EXIT_PROBLEMS
from socialmission.model import paths
from socialmission.model.mission import load_mission
from socialmission.model.settings import load_settings
from socialmission.model.settings import schema_text as settings_schema


def derived_files(root: Path) -> dict[str, str]:
    """Every committed file written from the field table, mission.yaml and registry.yaml,
    by path: the schemas, the pledge template and the issue forms."""
    mission, settings = load_mission(root), load_settings(root)
    name = settings.mission_name
    return {paths.SCHEMA_FILE: schema_text(mission, name),
            paths.SETTINGS_SCHEMA_FILE: settings_schema(),
            paths.TRANSLATION_SCHEMA_FILE: translation_schema(),
            f"{paths.PLEDGES_DIR}/{paths.TEMPLATE_NAME}": template_text(mission, name),
            paths.SIGN_FORM_FILE: sign_form(mission, name),
            paths.CHANGE_FORM_FILE: change_form(mission),
            paths.REPORT_FORM_FILE: report_form(settings),
            paths.PROPOSAL_FORM_FILE: proposal_form(mission, name)}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Write the schemas (site/schema/), the pledge template and the issue forms "
        "(.github/ISSUE_TEMPLATE/) from the field table, mission.yaml and registry.yaml, "
        "and print each file that changed (commit it). With --check, write nothing and "
        "exit 1 naming each stale file.")
    check_option(parser, "every committed derived file is")


def run(args: argparse.Namespace) -> int:
    """Write every derived file (or with --check say which are stale), saying which
    changed and must be committed."""
    root = registry_root(args)
    wanted = derived_files(root)
    stale = [name for name, text in wanted.items()
             if not (root / name).is_file()
             or (root / name).read_text(encoding="utf-8") != text]
    if args.check:
        for name in stale:
            print(f"{root / name} is out of date: run 'socialmission derived' (or make site) "
                  "and commit it", file=sys.stderr)
        return EXIT_PROBLEMS if stale else EXIT_OK
    for name in stale:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(wanted[name], encoding="utf-8")
        print(f"changed {name}: commit it")
    return EXIT_OK


def write(args: argparse.Namespace, command: str, *names: str) -> int:
    """Write the derived files `names` for `command`, or with --check only say whether
    each committed one is current."""
    root = registry_root(args)
    wanted = derived_files(root)
    return max(_write_or_check(root / name, wanted[name], args.check, command)
               for name in names)


def _write_or_check(target: Path, wanted: str, check: bool, command: str) -> int:
    if check:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != wanted:
            print(f"{target} is out of date: run 'socialmission {command}' and commit it",
                  file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"{target} is up to date")
        return EXIT_OK
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(wanted, encoding="utf-8")
    print(f"wrote {target}")
    return EXIT_OK
