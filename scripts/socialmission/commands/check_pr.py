"""`socialmission check-pr`: who may make a pull request's changes (the required verdict;
ownership/judge.py judges)."""

from __future__ import annotations

import argparse
import os
import sys

from socialmission.commands.context import github, proof_check, registry_root
from socialmission.commands.options import author_options, format_option
from socialmission.errors import EXIT_OK, EXIT_PROBLEMS
from socialmission.ownership.judge import judge
from socialmission.ownership.rules import Author


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Judge the change from the merge base of --base and --head to --head against the "
        "maintainers on --base's tip, reading the head from git objects only (never a "
        "checkout). Exit 0 allowed, 1 refused, 2 usage error.")
    parser.add_argument("--base", required=True, metavar="REV",
                        help="the base branch's tip, such as origin/main")
    parser.add_argument("--head", metavar="REV",
                        help="the pull request's head commit (default: the working tree)")
    author_options(parser, "pull request")
    format_option(parser)


def run(args: argparse.Namespace) -> int:
    from socialmission.render.layout import name_check  # noqa: PLC0415 - the site extra

    root = registry_root(args)
    # Whether a maintainer's account is gone is asked of GitHub only with a token.
    client = github() if os.environ.get("GH_TOKEN") else None
    verdict = judge(root, args.base, args.head, Author(args.author, args.author_id),
                    name_check(root), proofs=proof_check(root),
                    accounts=client.account_exists if client is not None else None)
    sys.stdout.write(verdict.render(args.format))
    return EXIT_OK if verdict.allowed else EXIT_PROBLEMS
