"""`socialmission status-index`: give a pledge from before the revocation list the index of
its signature in force."""

from __future__ import annotations

import argparse

from socialmission.changes.lifecycle import run_status_index
from socialmission.commands.context import lifecycle
from socialmission.commands.options import EDITS, slug_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Give the signature in force of a pledge published before the "
                          "revocation list its status_index, past every index any pledge "
                          "has; once: an index never changes, and a withdrawn signature "
                          f"gets none. {EDITS}")
    slug_argument(parser)


def run(args: argparse.Namespace) -> int:
    return run_status_index(lifecycle(args), args.slug)
