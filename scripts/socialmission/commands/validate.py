"""`socialmission validate`: check pledges, and the mission's translations, every problem
with its file, line and fix."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from socialmission.check.translations import check_translations
from socialmission.check.validate import validate
from socialmission.commands.context import name_check, registry_root, shortest
from socialmission.commands.options import format_option
from socialmission.errors import EXIT_OK, EXIT_PROBLEMS
from socialmission.model.mission import load_mission
from socialmission.model.paths import PLEDGES_DIR, TRANSLATIONS_DIR
from socialmission.model.problems import render
from socialmission.model.settings import settings_names


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        f"Check pledge files or folders (default: {PLEDGES_DIR}/), and every translation "
        f"of the mission ({TRANSLATIONS_DIR}/) whatever the paths. Files given alone are "
        "still compared with every pledge in their folder.")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="pledge files or folders (a path in the translations' folder "
                             "adds nothing: they are all checked)")
    format_option(parser)


def run(args: argparse.Namespace) -> int:
    root = registry_root(args)
    mission = load_mission(root)
    translations = shortest(root / TRANSLATIONS_DIR)
    given = [Path(p) for p in args.paths]
    pledges = [p for p in given if not _within(p, translations)]
    report = validate(pledges if given else [shortest(root / PLEDGES_DIR)], mission,
                      name_fits=name_check(root), workers=None,
                      settings_names=settings_names(root))
    translated = check_translations(mission, translations)
    problems = [*report.problems, *translated.problems]
    sys.stdout.write(render(problems, args.format, report.checked + translated.checked,
                            report.notes, report.warnings))
    return EXIT_OK if not problems else EXIT_PROBLEMS


def _within(path: Path, folder: Path) -> bool:
    """Whether `path` is `folder` or below it (both as the disk resolves them)."""
    return path.resolve().is_relative_to(folder.resolve())
