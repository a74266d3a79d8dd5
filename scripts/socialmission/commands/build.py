"""`socialmission build`: the whole site, strictly, replacing the output only on success."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from socialmission.commands.context import registry_root
from socialmission.commands.options import engine_option
from socialmission.errors import EXIT_INTERRUPTED, EXIT_OK, Interrupted, UsageError
from socialmission.mkdocs import uptodate
from socialmission.mkdocs.engine import choose
from socialmission.model.hosts import address_notices
from socialmission.model.paths import SITE_OUT
from socialmission.model.progress import Progress
from socialmission.model.settings import load_settings, site_url

if TYPE_CHECKING:
    from socialmission.mkdocs.publish import BuildReport


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Validate the pledges, render the badges, generate the pages into .build/docs/ "
        "and build the site with a site engine (strict: MkDocs with Material by default, "
        "ProperDocs or Zensical) into a fresh folder, then swap it into place: a failed or "
        "interrupted build leaves the previous output untouched. When no input changed "
        "since the last build of the output and the output is as it left it, it stops at "
        "once: up to date.")
    parser.add_argument("--out", help=f"output folder (default: {SITE_OUT})")
    engine_option(parser)
    parser.add_argument("--published-badges", metavar="FILE",
                        help="the badge state of the deployment this site is for (from "
                             "'socialmission badge-state'): badges it holds as they are "
                             "now are neither rendered nor put in the site. Only for a "
                             "deploy to that bucket: never for GitHub Pages")
    parser.add_argument("--quiet", action="store_true",
                        help="print errors only: no stages, no summary, no notices, and "
                             "the engine's messages only if it fails")
    parser.add_argument("--force", action="store_true",
                        help="build even when nothing changed since the last build of the "
                             "output (by default such a build stops at once: up to date)")


def run(args: argparse.Namespace) -> int:
    root = registry_root(args)
    load_settings(root)  # before MkDocs starts: its problems listed plainly, exit 1
    out = Path(args.out) if args.out else root / SITE_OUT
    published = None
    if args.published_badges is not None:
        from socialmission.site.published import read_state  # noqa: PLC0415

        published = read_state(Path(args.published_badges))
    engine = choose(args.engine)
    try:
        with Progress(quiet=args.quiet) as said:
            report, inputs = _build(root, out, engine, published, force=args.force,
                                    said=said)
    except KeyboardInterrupt as stop:
        # before build_site, nothing has touched the output; it says what it did
        said_of_out = str(stop) if isinstance(stop, Interrupted) else f"{out} is as it was"
        print(f"socialmission: build interrupted (Ctrl-C): {said_of_out}", file=sys.stderr)
        return EXIT_INTERRUPTED
    if args.quiet:
        return EXIT_OK
    if report is None:
        print(f"up to date: nothing changed since the last build ({inputs} inputs); "
              f"{out} is as it was (--force builds anyway)")
    else:
        if published is not None:
            print(f"{len(report.published)} signatories' badges are published already, as "
                  "they are now: not rendered, not in this site (it is for that deployment "
                  "only)")
        print(f"built {out} with {report.engine}: {report.signatories} signatories, "
              f"{report.pages} pages")
    _notice_address(root)  # a skipped build's site says the same as when it was built
    return EXIT_OK


def _build(root: Path, out: Path, engine: str, published: dict[str, str] | None, *,
           force: bool, said: Progress) -> tuple[BuildReport | None, int]:
    """The build's report, or None when it stopped at once (up to date); the number of
    input files checked."""
    # checked before the build's own modules are imported, a third of a skipped build
    inputs = uptodate.stamp(root, engine, site_url(root))
    last = None if force else uptodate.current(
        root, out.resolve(), inputs, for_deployment=published is not None)
    if last is not None:
        return None, inputs.files
    from socialmission.mkdocs.publish import build_site  # noqa: PLC0415

    return build_site(root, out, engine=engine, published_badges=published, inputs=inputs,
                      said=said), inputs.files


def _notice_address(root: Path) -> None:
    """Notices on stderr, never MkDocs warnings (which a strict build turns into a
    failure), when the registry's address is a placeholder or a host's default domain."""
    try:
        url = site_url(root)
    except UsageError:  # not an https address: the build's own checks say so
        return
    for notice in address_notices(url):
        print(f"socialmission: {notice}", file=sys.stderr)
