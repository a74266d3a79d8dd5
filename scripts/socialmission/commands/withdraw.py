"""`socialmission withdraw`: withdraw a signature; the file stays, the badges say so."""

from __future__ import annotations

import argparse

from socialmission.changes.lifecycle import run_withdraw
from socialmission.commands.context import lifecycle
from socialmission.commands.options import EDITS, by_registry_option, date_option, slug_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Set status: withdrawn, and the current signature's date and "
                          f"reason. {EDITS}")
    slug_argument(parser)
    parser.add_argument("--reason", required=True, metavar="TEXT",
                        help="why, in a sentence (published)")
    date_option(parser)
    by_registry_option(parser, "record the withdrawal as the registry's (withdrawn_by: "
                               "registry: an abuse report, a legal request), which only they "
                               "sign again")


def run(args: argparse.Namespace) -> int:
    return run_withdraw(lifecycle(args), args.slug, args.reason, args.date,
                        args.by_registry)
