"""`socialmission template`: pledges/TEMPLATE.yaml.txt, from the table of fields."""

from __future__ import annotations

import argparse

from socialmission.commands import derived
from socialmission.commands.options import check_option
from socialmission.model.paths import PLEDGES_DIR, TEMPLATE_NAME


def add_arguments(parser: argparse.ArgumentParser) -> None:
    check_option(parser, "the committed template is")


def run(args: argparse.Namespace) -> int:
    return derived.write(args, "template", f"{PLEDGES_DIR}/{TEMPLATE_NAME}")
