"""`socialmission automerge`: merge a pull request the verdict allowed, after reading
again that it may (github/verdict.py's `automerge`)."""

from __future__ import annotations

import argparse
import os

from socialmission.commands.context import github, registry_root
from socialmission.commands.options import commit_id, positive
from socialmission.errors import EXIT_OK
from socialmission.github.verdict import APP_SLUG_VARIABLE, automerge
from socialmission.model.settings import settings_if_present


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "For the verdict workflow's merge step, with a token that may write contents: "
        "merge pull request --pull at the head commit --sha, after reading again that "
        "automerge may: 'automerge: true' in the trusted checkout's registry.yaml, the pull "
        "request open at that commit into the default branch, only pledges/ changed (read "
        "from git), and the App's own newest verdict on the commit a success judged on a "
        "push of this pull request for its author alone, in the author's own repository. "
        "Says what was done; a merge that is not allowed or that GitHub refuses fails "
        "nothing. Exit 0, or 2 usage error.")
    parser.add_argument("--pull", required=True, type=positive, metavar="N",
                        help="the pull request's number")
    parser.add_argument("--sha", required=True, type=commit_id, metavar="SHA",
                        help="the head commit the verdict judged")


def run(args: argparse.Namespace) -> int:
    root = registry_root(args)
    settings = settings_if_present(root)
    print(automerge(github(), root, args.pull, args.sha,
                    enabled=settings is not None and settings.automerge,
                    app_slug=os.environ.get(APP_SLUG_VARIABLE, ""),
                    app_login=settings.app_login if settings is not None else None))
    return EXIT_OK
