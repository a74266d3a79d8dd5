"""`socialmission delete-signed-branch`: for the sign workflow, delete the branch of a
closed pull request of the App's."""

from __future__ import annotations

import argparse

from socialmission.commands.context import on_the_apps_closed_pull_request
from socialmission.commands.options import event_option
from socialmission.github.signing import delete_closed_branch


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Read a closed pull request's event and, when it is the registry App's pull "
        "request (merged or not) on sign/issue-<number> or update/issue-<number> of this "
        "repository, delete that branch with GH_TOKEN.")
    event_option(parser)


def run(args: argparse.Namespace) -> int:
    return on_the_apps_closed_pull_request(
        args, delete_closed_branch, "deleted the branch {}",
        "not a closed pull request of the registry App: nothing deleted")
