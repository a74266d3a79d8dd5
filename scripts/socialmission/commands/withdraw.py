"""`socialmission withdraw`: withdraw a signature; the file stays, the badges say so."""

from __future__ import annotations

import argparse

from socialmission.changes.lifecycle import run_withdraw
from socialmission.commands.context import lifecycle
from socialmission.commands.options import EDITS, date_option, slug_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = f"Set status: withdrawn, the date and the reason. {EDITS}"
    slug_argument(parser)
    parser.add_argument("--reason", required=True, metavar="TEXT",
                        help="why, in a sentence (published)")
    date_option(parser)


def run(args: argparse.Namespace) -> int:
    return run_withdraw(lifecycle(args), args.slug, args.reason, args.date)
