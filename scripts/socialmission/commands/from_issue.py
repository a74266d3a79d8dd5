"""`socialmission from-issue`: a pledge from the sign form's issue (signing without git)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from socialmission.changes.issueform import comment, read_body, submit
from socialmission.commands.context import name_check, registry_root
from socialmission.commands.options import author_options
from socialmission.errors import EXIT_OK, EXIT_PROBLEMS
from socialmission.model.mission import load_mission


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Read the body GitHub wrote for a submitted sign form "
        "(.github/ISSUE_TEMPLATE/sign.yml; stdin by default), write pledges/<slug>.yaml "
        "with the submitter as its only maintainer, validate it with every other pledge, "
        "and print a Markdown comment for the issue: the pledge's path, or what to change "
        "in the form. Exit 0 written, 1 problems (nothing written), 2 usage error.")
    author_options(parser, "issue")
    parser.add_argument("--body-file", metavar="FILE",
                        help="the issue's body (default: standard input)")


def run(args: argparse.Namespace) -> int:
    root = registry_root(args)
    mission = load_mission(root)
    body = read_body(Path(args.body_file) if args.body_file else None)
    outcome = submit(root, body, mission, author=(args.author, args.author_id),
                     name_fits=name_check(root))
    sys.stdout.write(comment(outcome, args.author))
    return EXIT_OK if outcome.ok else EXIT_PROBLEMS
