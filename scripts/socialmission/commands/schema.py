"""`socialmission schema`: the JSON Schemas of a pledge, of registry.yaml and of a
translation of the mission, for the site."""

from __future__ import annotations

import argparse

from socialmission.commands import derived
from socialmission.commands.options import check_option
from socialmission.model.paths import SCHEMA_FILE, SETTINGS_SCHEMA_FILE, TRANSLATION_SCHEMA_FILE


def add_arguments(parser: argparse.ArgumentParser) -> None:
    check_option(parser, "the committed schemas are")


def run(args: argparse.Namespace) -> int:
    return derived.write(args, "schema", SCHEMA_FILE, SETTINGS_SCHEMA_FILE,
                         TRANSLATION_SCHEMA_FILE)
