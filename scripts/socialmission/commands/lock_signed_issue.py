"""`socialmission lock-signed-issue`: for the sign workflow, lock the issue of a signature
the App's pull request merged."""

from __future__ import annotations

import argparse

from socialmission.commands.context import on_the_apps_closed_pull_request
from socialmission.commands.options import event_option
from socialmission.github.signing import lock_merged


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Read a closed pull request's event and, when it is the registry App's merged pull "
        "request on sign/issue-<number> or update/issue-<number>, lock that issue.")
    event_option(parser)


def run(args: argparse.Namespace) -> int:
    return on_the_apps_closed_pull_request(args, lock_merged, "locked issue #{}",
                                           "not a merged signature: nothing locked")
