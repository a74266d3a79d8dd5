"""`socialmission verdict`: judge a pull request event and post the verdict as the App's
check run (github/verdict.py); with automerge on, say whether the next step may merge."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from socialmission.commands.context import event_path, github, proof_check, registry_root
from socialmission.commands.options import event_option
from socialmission.errors import EXIT_OK, EXIT_PROBLEMS
from socialmission.github.event import read_pull_request
from socialmission.github.signing import for_the_issue_author
from socialmission.github.verdict import (
    APP_SLUG_VARIABLE,
    only_the_default_branch,
    why_not_merged,
)
from socialmission.github.verdict import run as judge_event
from socialmission.model.settings import settings_if_present


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "For the trusted pull_request_target job: read the pull request from the event "
        "(GITHUB_EVENT_PATH), judge its head commit (fetched, never checked out) against "
        "--base, and post the check run with the token in GH_TOKEN (the registry App's) to "
        "GITHUB_API_URL for GITHUB_REPOSITORY. The head is judged for its author and for "
        "the account that pushed it; on an edit or a reopening, for the accounts the App's "
        "earlier verdicts on it recorded (only the check runs of the App whose token the "
        "workflow made are read). Only a pull request into the default branch is judged. "
        "With automerge on, the step's outputs ($GITHUB_OUTPUT) say whether 'socialmission "
        "automerge' may run: automerge=true|false, pull, sha. Exit 0 allowed, 1 refused, 2 "
        "usage error.")
    event_option(parser)
    parser.add_argument("--base", default="HEAD", metavar="REV",
                        help="the base branch's tip (default: HEAD, the trusted checkout)")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the verdict without posting it")


def run(args: argparse.Namespace) -> int:
    from socialmission.render.layout import name_check  # noqa: PLC0415 - the site extra

    root = registry_root(args)
    pull = read_pull_request(event_path(args))
    only_the_default_branch(pull)
    client = None if args.dry_run else github()
    pull = for_the_issue_author(root, pull, client)
    judgement = judge_event(root, pull, args.base, client, name_check(root),
                            proofs=proof_check(root),
                            app_slug=os.environ.get(APP_SLUG_VARIABLE, ""))
    verdict = judgement.verdict
    sys.stdout.write(verdict.render("github" if os.environ.get("GITHUB_ACTIONS") else "text"))
    merge = False
    settings = settings_if_present(root)
    if client is not None and settings is not None and settings.automerge:
        why = why_not_merged(pull, judgement, client.repository)
        merge = why is None
        print(f"automerge: the next step merges #{pull.number} at {pull.head_sha[:12]} "
              "once it has read again that it may" if merge else
              f"not merged automatically (#{pull.number}): {why}")
    _step_outputs({"automerge": "true" if merge else "false", "pull": str(pull.number),
                   "sha": pull.head_sha})
    return EXIT_OK if verdict.allowed else EXIT_PROBLEMS


def _step_outputs(values: dict[str, str]) -> None:
    """The step's outputs for the workflow's later steps ($GITHUB_OUTPUT), when it runs in
    GitHub Actions; each value is one line of our own (never a pull request's text)."""
    target = os.environ.get("GITHUB_OUTPUT")
    if not target:
        return
    with Path(target).open("a", encoding="utf-8") as handle:
        handle.writelines(f"{name}={value}\n" for name, value in values.items()
                          if "\n" not in value and "\r" not in value)
