"""What several commands read besides their options: the registry's root, the check
whether a name fits its badge, the GitHub client and event, the domain-proof check."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from socialmission.errors import EXIT_OK, UsageError
from socialmission.model.paths import MISSION_FILE

if TYPE_CHECKING:
    from socialmission.changes.lifecycle import Registry
    from socialmission.check.rendering import NameCheck
    from socialmission.github.api import GitHub
    from socialmission.model.urls import Url
    from socialmission.ownership.rules import DomainProof, ProofCheck


def find_root(start: Path) -> Path:
    """The registry's root: the nearest folder, upwards, that holds the mission file."""
    for folder in (start, *start.parents):
        if (folder / MISSION_FILE).is_file():
            return folder
    raise UsageError(f"no {MISSION_FILE} in {start} or above: run this inside the registry "
                     "or pass --root")


def registry_root(args: argparse.Namespace) -> Path:
    """The registry the command works on: --root, or found from here."""
    return Path(args.root) if args.root else find_root(Path.cwd())


def shortest(path: Path) -> Path:
    """The path as messages should show it: relative to here when it is below here."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def name_check(root: Path) -> NameCheck:
    """Whether a name fits its badge, from the renderer; where only the validator is
    installed (the pre-commit hook: no HarfBuzz), that one check is skipped and said."""
    try:
        from socialmission.render.layout import name_check as fits  # noqa: PLC0415
    except ImportError as error:
        print(f"socialmission: whether each name fits its badge is not checked here: that "
              f"needs the site tools ({error.name} is not installed: pip install "
              "'socialmission[site]'); the pull request's checks do it", file=sys.stderr)
        return lambda name: None
    return fits(root)


def lifecycle(args: argparse.Namespace) -> Registry:
    """The registry the life-cycle commands edit."""
    from socialmission.changes.lifecycle import Registry  # noqa: PLC0415
    from socialmission.model.clock import today  # noqa: PLC0415
    from socialmission.model.mission import load_mission  # noqa: PLC0415

    root = registry_root(args)
    return Registry(root, load_mission(root), name_check(root), today())


def github(repository: str | None = None) -> GitHub:
    """The GitHub API as the workflow gives it: GITHUB_API_URL, GH_TOKEN and
    GITHUB_REPOSITORY (or another repository, by its https://github.com/OWNER/NAME
    address)."""
    from socialmission.github.api import GitHub  # noqa: PLC0415
    from socialmission.model.paths import github_repository  # noqa: PLC0415

    owner_name = github_repository(repository) if repository else None
    return GitHub(os.environ.get("GITHUB_API_URL", "https://api.github.com"),
                  os.environ.get("GH_TOKEN", ""),
                  "/".join(owner_name) if owner_name else
                  os.environ.get("GITHUB_REPOSITORY", ""))


def event_path(args: argparse.Namespace) -> Path:
    """The event's payload: --event, or the one GitHub Actions names."""
    event = args.event or os.environ.get("GITHUB_EVENT_PATH")
    if not event:
        raise UsageError("no event: pass --event FILE or run in GitHub Actions "
                         "(GITHUB_EVENT_PATH)")
    return Path(event)


def on_the_apps_closed_pull_request(args: argparse.Namespace,
                                    act: Callable[[GitHub, Path, str | None], object],
                                    done: str, nothing: str) -> int:
    """`act` on the closed pull request the event names, for the registry's App (its
    login from the settings); `done` (formatted with what `act` returns) or `nothing`
    said, as `act` did something or not."""
    from socialmission.model.settings import load_settings  # noqa: PLC0415

    found = act(github(), event_path(args), load_settings(registry_root(args)).app_login)
    print(done.format(found) if found else nothing)
    return EXIT_OK


def proof_check(root: Path) -> ProofCheck:
    """The verdict's look at a pledge's domain (site/proofs.py): called by the judge only
    when the base's settings require a proof, or for an orphaned pledge. The proofs'
    names are the trusted checkout's settings'."""
    from socialmission.model.settings import load_settings  # noqa: PLC0415
    from socialmission.site.fetch import Fetcher  # noqa: PLC0415
    from socialmission.site.proofs import domain_checker, system_txt  # noqa: PLC0415

    def check(slug: str, website: Url) -> DomainProof:  # the settings read only when asked
        return domain_checker(Fetcher(), system_txt, load_settings(root))(slug, website)

    return check
