"""`socialmission update`: change fields of a pledge in place, validated first."""

from __future__ import annotations

import argparse

from socialmission.changes.lifecycle import run_update
from socialmission.commands.context import lifecycle
from socialmission.commands.options import EDITS, slug_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = f"Set or remove fields of a pledge. {EDITS}"
    slug_argument(parser)
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                        help="set a field (social.NETWORK=URL for a profile; "
                             "maintainers=login:id,login:id); repeatable")
    parser.add_argument("--unset", action="append", default=[], metavar="FIELD",
                        help="remove an optional field (or social.NETWORK); repeatable")


def run(args: argparse.Namespace) -> int:
    return run_update(lifecycle(args), args.slug, args.set, args.unset)
