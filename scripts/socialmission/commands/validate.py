"""`socialmission validate`: check pledges, every problem with its file, line and fix."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from socialmission.check.validate import validate
from socialmission.commands.context import name_check, registry_root, shortest
from socialmission.commands.options import format_option
from socialmission.errors import EXIT_OK, EXIT_PROBLEMS
from socialmission.model.mission import load_mission
from socialmission.model.paths import PLEDGES_DIR
from socialmission.model.problems import render
from socialmission.model.settings import settings_names


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Check pledge files or folders (default: pledges/). Files given "
                          "alone are still compared with every pledge in their folder.")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="pledge files or folders")
    format_option(parser)


def run(args: argparse.Namespace) -> int:
    root = registry_root(args)
    mission = load_mission(root)
    paths = [Path(p) for p in args.paths] or [shortest(root / PLEDGES_DIR)]
    report = validate(paths, mission, name_fits=name_check(root), workers=None,
                      settings_names=settings_names(root))
    sys.stdout.write(render(report.problems, args.format, report.checked, report.notes,
                            report.warnings))
    return EXIT_OK if report.ok else EXIT_PROBLEMS
