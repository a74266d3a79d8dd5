"""`socialmission new`: a new pledge from answers to prompts, or from flags
(changes/new.py asks, checks and writes)."""

from __future__ import annotations

import argparse

from socialmission.changes.new import add_arguments as add_answers
from socialmission.changes.new import run_new
from socialmission.commands.context import name_check, registry_root
from socialmission.model.mission import load_mission
from socialmission.model.paths import PLEDGES_DIR


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Write pledges/<slug>.yaml, checking every answer; never "
                          "overwrites. Given the website of a withdrawn pledge, offers to "
                          "sign that pledge again instead (socialmission sign-again).")
    add_answers(parser)


def run(args: argparse.Namespace) -> int:
    root = registry_root(args)
    return run_new(args, root / PLEDGES_DIR, load_mission(root), name_check(root))
