"""`socialmission redact`: keep only a tombstone of a withdrawn pledge (registry
maintainers, for legal or abuse requests)."""

from __future__ import annotations

import argparse

from socialmission.changes.lifecycle import run_redact
from socialmission.commands.context import lifecycle
from socialmission.commands.options import EDITS, date_option, slug_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "For legal or abuse requests: remove a withdrawn pledge's personal data, reason "
        "and comments, and its logo file, keeping its dates and versions and a note that "
        f"it was redacted. {EDITS} The pull request's verdict refuses a redaction by "
        "anyone but a registry maintainer.")
    slug_argument(parser)
    parser.add_argument("--reason", required=True, metavar="TEXT",
                        help="the request's grounds, for the commit message (not kept in "
                             "the pledge)")
    date_option(parser)


def run(args: argparse.Namespace) -> int:
    return run_redact(lifecycle(args), args.slug, args.reason, args.date)
