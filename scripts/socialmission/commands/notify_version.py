"""`socialmission notify-version`: tell the signatories of an earlier mission version, one
issue per pledge, paced (github/notify.py)."""

from __future__ import annotations

import argparse
import sys

from socialmission.commands.context import github, registry_root
from socialmission.errors import EXIT_OK
from socialmission.github.notify import (
    Notifier,
    Pace,
    SystemClock,
    plan,
    read_registry,
    summary,
)
from socialmission.model.mission import load_mission
from socialmission.model.paths import SETTINGS_FILE
from socialmission.model.settings import load_settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Open an issue on the registry's repository (GITHUB_REPOSITORY, or "
        "notify_repository in registry.yaml; with the App's token in GH_TOKEN) for each"
        " active pledge that has not signed or reaffirmed mission version N, mentioning"
        " its maintainers by the logins their account ids have now (pledges with the "
        "same maintainers share one); close those whose pledges reaffirmed or withdrew,"
        " or that are older than notify_close_days. At most notify_per_hour issues and "
        "comments an hour, a run ending within 50 minutes: run it again (hourly) until "
        "it says nothing is left. Off unless registry.yaml says notify_new_versions: "
        "true.")
    parser.add_argument("version", nargs="?", type=int, metavar="N",
                        help="the published mission version to tell of (default: the "
                             "current one)")
    parser.add_argument("--dry-run", action="store_true",
                        help="print who would be told, how many issues and how long at "
                             "the set pace, and call no API (on or off)")


def run(args: argparse.Namespace) -> int:
    root = registry_root(args)
    settings = load_settings(root)
    registry = read_registry(root, load_mission(root), settings, args.version)
    pace = Pace(settings.notify_per_hour)
    off = (f"telling signatories is off ({SETTINGS_FILE} does not say "
           "notify_new_versions: true)")
    if args.dry_run:
        sys.stdout.write(("" if settings.notify_new_versions else f"{off}; were it on:\n")
                         + plan(registry.notices, registry.nobody, pace, registry.words))
        return EXIT_OK
    if not settings.notify_new_versions:
        print(f"{off}: nothing sent")
        return EXIT_OK
    notifier = Notifier(github(settings.notify_repository), SystemClock(), pace, registry.words,
                        app_login=settings.app_login,
                        say=lambda line: print(line, file=sys.stderr))
    sys.stdout.write(summary(notifier.run(registry.notices, registry.owing)))
    return EXIT_OK
