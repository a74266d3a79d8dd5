"""Options and argument types that several commands take, each declared once."""

from __future__ import annotations

import argparse

from socialmission.model.constants import GITHUB_LOGIN_RE

FORMATS = ("text", "github", "json")  # what model/problems.py's `render` writes


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return number


def commit_id(text: str) -> str:
    """An argparse type: a full commit id (40 or 64 lowercase hexadecimal digits)."""
    from socialmission.github.event import COMMIT_ID  # noqa: PLC0415 - only automerge's

    if not COMMIT_ID.fullmatch(text):
        raise argparse.ArgumentTypeError(f"must be a full commit id, not {text[:80]!r}")
    return text


def login(text: str) -> str:
    """An argparse type: a GitHub login (model/constants.py's pattern, the whole text)."""
    if not GITHUB_LOGIN_RE.fullmatch(text):
        raise argparse.ArgumentTypeError(f"must be a GitHub login, not {text!r}")
    return text


def format_option(parser: argparse.ArgumentParser) -> None:
    """--format: how problems are written."""
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), GitHub annotations, or JSON for tools")


def author_options(parser: argparse.ArgumentParser, whose: str) -> None:
    """--author and --author-id: the GitHub account a command acts for."""
    parser.add_argument("--author", required=True, type=login, metavar="LOGIN",
                        help=f"the {whose} author's GitHub login")
    parser.add_argument("--author-id", required=True, type=positive, metavar="ID",
                        help=f"the {whose} author's numeric GitHub account id")


def event_option(parser: argparse.ArgumentParser) -> None:
    """--event, for the commands the workflows run on a GitHub event."""
    parser.add_argument("--event", metavar="FILE",
                        help="the event payload (default: $GITHUB_EVENT_PATH)")


def check_option(parser: argparse.ArgumentParser, what: str) -> None:
    """--check, for the commands that write a derived file: only compare."""
    parser.add_argument("--check", action="store_true",
                        help=f"only check that {what} up to date")


def engine_option(parser: argparse.ArgumentParser) -> None:
    """--engine: which site engine builds."""
    from socialmission.mkdocs.engine import DEFAULT, ENGINE_VARIABLE, ENGINES  # noqa: PLC0415

    parser.add_argument("--engine", choices=ENGINES,
                        help=f"the site engine (default: ${ENGINE_VARIABLE} if set, else "
                             f"{DEFAULT}); --engine wins over ${ENGINE_VARIABLE}")


def endpoint_option(parser: argparse.ArgumentParser) -> None:
    """--endpoint: an S3-compatible service instead of AWS (site/deploy.py's parse_endpoint)."""
    parser.add_argument("--endpoint", metavar="URL",
                        help="an S3-compatible service's address (default, or empty: AWS)")


def slug_argument(parser: argparse.ArgumentParser) -> None:
    """SLUG: the pledge a life-cycle command edits."""
    parser.add_argument("slug", metavar="SLUG", help="the pledge's file name without .yaml")


def date_option(parser: argparse.ArgumentParser) -> None:
    """--date: when a life-cycle change takes effect."""
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")


def by_registry_option(parser: argparse.ArgumentParser, what: str) -> None:
    """--by-registry: a change only a registry maintainer makes (check-pr enforces it)."""
    parser.add_argument("--by-registry", action="store_true",
                        help=f"registry maintainers only: {what} (the pull request's check "
                             "refuses it from anyone else)")


EDITS = ("Edits pledges/SLUG.yaml in place (only the lines it must; comments, order and "
         "quoting stay), validates the result beside the other pledges, and replaces "
         "the file only when it passes. Exit 0 written, 1 refused (nothing written), "
         "2 usage error.")  # what every life-cycle command's description ends with
