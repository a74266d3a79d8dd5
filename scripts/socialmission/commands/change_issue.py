"""`socialmission change-issue`: for the sign workflow, a change form's edit as the App's
pull request, and the outcome commented on the issue (github/signing.py)."""

from __future__ import annotations

import argparse
import sys

from socialmission.changes.changeform import comment, read_change
from socialmission.commands.context import event_path, github, lifecycle, registry_root
from socialmission.commands.options import event_option
from socialmission.errors import EXIT_OK
from socialmission.github.signing import (
    answer,
    is_change,
    others_edit,
    publish_change,
    read_issue,
)
from socialmission.model.settings import load_settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Read the 'issues' event (GITHUB_EVENT_PATH) of an 'Update or withdraw my "
        "signature' issue (label 'signature-change'), whose author must be a maintainer of "
        "the pledge by account id; make the update, withdrawal, reaffirmation or new "
        "signature (signing again) in memory, "
        "validate it, commit it with the registry App's token (GH_TOKEN) on "
        "update/issue-<number>, open or update its pull request, and comment the outcome "
        "on the issue. An event sent by anyone but the issue's author is only answered on "
        "the issue.")
    event_option(parser)
    parser.add_argument("--dry-run", action="store_true",
                        help="print the comment, and call no API")


def run(args: argparse.Namespace) -> int:
    issue = read_issue(event_path(args))
    if not is_change(issue):
        print(f"issue #{issue.number} is not a change to a signature (no "
              "'signature-change' label): nothing to do")
        return EXIT_OK
    refusal = others_edit(issue)
    if refusal is not None:
        sys.stdout.write(refusal if args.dry_run else answer(github(), issue, refusal))
        return EXIT_OK
    change = read_change(lifecycle(args), issue.body,
                         author=(issue.author_login, issue.author_id))
    if args.dry_run:
        sys.stdout.write(comment(change, issue.author_login))
    else:
        sys.stdout.write(publish_change(github(), issue, change,
                                        load_settings(registry_root(args))))
    return EXIT_OK  # the answer is the comment: a form with problems is no failed run
