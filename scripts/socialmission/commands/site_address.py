"""`socialmission site-address`: the registry's address, and whether it may be published."""

from __future__ import annotations

import argparse

from socialmission.commands.context import registry_root
from socialmission.errors import EXIT_OK, EXIT_PROBLEMS
from socialmission.model.hosts import placeholder_reason
from socialmission.model.settings import site_url


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Print the registry's address (site_url in mkdocs.yml). With --check-publishable, "
        "say whether the site may be published there: exit 0 when it may, 1 (with the "
        "reason) when it is a placeholder under a name reserved for examples and tests "
        "(example.org, .com, .net; *.example, *.test, *.invalid, localhost), 2 usage "
        "error. The publish workflows skip their deploy step on 1.")
    parser.add_argument("--check-publishable", action="store_true",
                        help="exit 1, saying why, when site_url is a placeholder")


def run(args: argparse.Namespace) -> int:
    url = site_url(registry_root(args))
    if not args.check_publishable:
        print(url)
        return EXIT_OK
    reason = placeholder_reason(url)
    if reason is not None:
        print(f"Not published: {reason}.")
        return EXIT_PROBLEMS
    print(f"site_url {url} can be published.")
    return EXIT_OK
