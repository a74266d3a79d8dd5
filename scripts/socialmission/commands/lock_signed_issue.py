"""`socialmission lock-signed-issue`: for the sign workflow, lock the issue of a signature
the App's pull request merged."""

from __future__ import annotations

import argparse

from socialmission.commands.context import event_path, github, registry_root
from socialmission.commands.options import event_option
from socialmission.errors import EXIT_OK
from socialmission.github.signing import lock_merged
from socialmission.model.settings import load_settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Read a closed pull request's event and, when it is the registry App's merged pull "
        "request on sign/issue-<number> or update/issue-<number>, lock that issue.")
    event_option(parser)


def run(args: argparse.Namespace) -> int:
    root = registry_root(args)
    number = lock_merged(github(), event_path(args), load_settings(root).app_login)
    print(f"locked issue #{number}" if number else "not a merged signature: nothing locked")
    return EXIT_OK
