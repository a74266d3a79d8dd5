"""`socialmission serve`: a live-reloading preview, built again whenever an input changes."""

from __future__ import annotations

import argparse

from socialmission.commands.context import registry_root
from socialmission.commands.options import engine_option
from socialmission.errors import EXIT_OK
from socialmission.model.settings import load_settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Build the site into .build/preview/ as `build` does (shells filled), serve it on "
        "127.0.0.1, and build again whenever a pledge, the mission, registry.yaml, "
        "mkdocs.yml, site/ or badges/ changes; open pages reload once the new build is in "
        "place. Stop with Ctrl-C.")
    engine_option(parser)
    parser.add_argument("--port", type=int, default=8000, help="default: 8000")


def run(args: argparse.Namespace) -> int:
    from socialmission.mkdocs.serve import serve  # noqa: PLC0415 - the engine's imports

    root = registry_root(args)
    load_settings(root)
    serve(root, engine=args.engine, port=args.port)
    return EXIT_OK
