"""`socialmission issue-form`: the issue forms (sign, change, report, proposal) from the
field table, the mission and registry.yaml."""

from __future__ import annotations

import argparse

from socialmission.commands import derived
from socialmission.commands.options import check_option
from socialmission.model.paths import (
    CHANGE_FORM_FILE,
    PROPOSAL_FORM_FILE,
    REPORT_FORM_FILE,
    SIGN_FORM_FILE,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    check_option(parser, "the committed form is")


def run(args: argparse.Namespace) -> int:
    return derived.write(args, "issue-form", SIGN_FORM_FILE, CHANGE_FORM_FILE,
                         REPORT_FORM_FILE, PROPOSAL_FORM_FILE)
