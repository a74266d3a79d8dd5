"""`socialmission schema`: the JSON Schemas of a pledge and of registry.yaml, for the site."""

from __future__ import annotations

import argparse

from socialmission.commands import derived
from socialmission.commands.options import check_option
from socialmission.model.paths import SCHEMA_FILE, SETTINGS_SCHEMA_FILE


def add_arguments(parser: argparse.ArgumentParser) -> None:
    check_option(parser, "the committed schemas are")


def run(args: argparse.Namespace) -> int:
    return derived.write(args, "schema", SCHEMA_FILE, SETTINGS_SCHEMA_FILE)
