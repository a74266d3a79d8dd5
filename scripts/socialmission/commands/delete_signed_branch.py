"""`socialmission delete-signed-branch`: for the sign workflow, delete the branch of a
closed pull request of the App's."""

from __future__ import annotations

import argparse

from socialmission.commands.context import event_path, github, registry_root
from socialmission.commands.options import event_option
from socialmission.errors import EXIT_OK
from socialmission.github.signing import delete_closed_branch
from socialmission.model.settings import load_settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Read a closed pull request's event and, when it is the registry App's pull "
        "request (merged or not) on sign/issue-<number> or update/issue-<number> of this "
        "repository, delete that branch with GH_TOKEN.")
    event_option(parser)


def run(args: argparse.Namespace) -> int:
    root = registry_root(args)
    branch = delete_closed_branch(github(), event_path(args), load_settings(root).app_login)
    print(f"deleted the branch {branch}" if branch else
          "not a closed pull request of the registry App: nothing deleted")
    return EXIT_OK
