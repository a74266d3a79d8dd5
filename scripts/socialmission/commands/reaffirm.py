"""`socialmission reaffirm`: move a pledge to the current (or a given) mission version."""

from __future__ import annotations

import argparse

from socialmission.changes.lifecycle import run_reaffirm
from socialmission.commands.context import lifecycle
from socialmission.commands.options import EDITS, date_option, positive, slug_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (f"Add a reaffirmation, keeping the original signing date and "
                          f"version. {EDITS}")
    slug_argument(parser)
    parser.add_argument("--version", type=positive, metavar="N",
                        help="the mission version (default: the current one)")
    date_option(parser)


def run(args: argparse.Namespace) -> int:
    return run_reaffirm(lifecycle(args), args.slug, args.version, args.date)
