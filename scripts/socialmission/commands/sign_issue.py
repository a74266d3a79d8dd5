"""`socialmission sign-issue`: for the sign workflow, a signature issue's pledge as the
App's pull request, and the outcome commented on the issue (github/signing.py)."""

from __future__ import annotations

import argparse
import sys

from socialmission.changes.issueform import comment, submit
from socialmission.commands.context import event_path, github, name_check, registry_root
from socialmission.commands.options import event_option
from socialmission.errors import EXIT_OK
from socialmission.github.signing import (
    answer,
    earlier_signature,
    is_signing,
    others_edit,
    publish,
    read_issue,
)
from socialmission.model.mission import load_mission
from socialmission.model.settings import load_settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Read the 'issues' event (GITHUB_EVENT_PATH), write the pledge of a 'signature' "
        "issue as from-issue does, commit it with the registry App's token (GH_TOKEN) on "
        "the branch sign/issue-<number>, open or update its pull request, and comment the "
        "outcome on the issue. An event sent by anyone but the issue's author, or an issue "
        "whose author has an earlier signature issue open, is only answered on the issue.")
    event_option(parser)
    parser.add_argument("--dry-run", action="store_true",
                        help="print the comment, and call no API (so whether the author "
                             "has an earlier signature issue open is not checked)")


def run(args: argparse.Namespace) -> int:
    root = registry_root(args)
    issue = read_issue(event_path(args))
    if not is_signing(issue):
        print(f"issue #{issue.number} is not a signature (no 'signature' label): nothing "
              "to do")
        return EXIT_OK
    client = None if args.dry_run else github()
    refusal = others_edit(issue) or (earlier_signature(client, issue) if client else None)
    if refusal is not None:
        sys.stdout.write(answer(client, issue, refusal) if client else refusal)
        return EXIT_OK
    outcome = submit(root, issue.body, load_mission(root),
                     author=(issue.author_login, issue.author_id),
                     name_fits=name_check(root), write=False)
    if client is None:
        sys.stdout.write(comment(outcome, issue.author_login))
    else:
        sys.stdout.write(publish(client, issue, outcome, load_settings(root)))
    return EXIT_OK  # the answer is the comment: a form with problems is no failed run
