"""`socialmission sign-again`: sign a withdrawn pledge again, keeping every earlier
signature as it is."""

from __future__ import annotations

import argparse

from socialmission.changes.lifecycle import run_sign_again
from socialmission.commands.context import lifecycle
from socialmission.commands.options import EDITS, by_registry_option, date_option, slug_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Sign the current mission version again after a withdrawal: a new "
                          "signature at the end of signed_again, and the status active "
                          "again; the earlier signatures and their withdrawals stay. A "
                          "pledge the registry's maintainers withdrew is signed again only "
                          f"by them; a redacted pledge never is. {EDITS}")
    slug_argument(parser)
    date_option(parser)
    by_registry_option(parser, "signing again a signature the registry's maintainers "
                               "withdrew")


def run(args: argparse.Namespace) -> int:
    return run_sign_again(lifecycle(args), args.slug, args.date, args.by_registry)
