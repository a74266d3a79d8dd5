"""`socialmission badges`: every signatory's SVG and PNG badges, rendered incrementally."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from socialmission.check.validate import validate
from socialmission.commands.context import registry_root, shortest
from socialmission.commands.options import positive
from socialmission.errors import EXIT_OK, EXIT_PROBLEMS
from socialmission.model.mission import load_mission
from socialmission.model.paths import BADGES_CACHE, PLEDGES_DIR
from socialmission.model.problems import render
from socialmission.model.progress import Progress
from socialmission.model.settings import base_url, site_url


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Validate the pledges, then bring the badge folder up to date: "
                          "only signatories whose badges would change are rendered again.")
    parser.add_argument("--out", help=f"output folder (default: {BADGES_CACHE})")
    parser.add_argument("--base-url", help="the registry's public URL (default: site_url "
                                           "in mkdocs.yml)")
    parser.add_argument("--quiet", action="store_true",
                        help="print errors only: no stages, no summary")
    parser.add_argument("--jobs", type=positive, default=None,
                        help="worker processes (default: one per core)")


def run(args: argparse.Namespace) -> int:
    from socialmission.render.cache import build_badges  # noqa: PLC0415 - the site extra
    from socialmission.render.layout import name_check  # noqa: PLC0415

    root = registry_root(args)
    mission = load_mission(root)
    base = base_url(args.base_url, "--base-url") if args.base_url else site_url(root)
    report = validate([shortest(root / PLEDGES_DIR)], mission, name_fits=name_check(root),
                      workers=args.jobs)
    if not report.ok:
        sys.stdout.write(render(report.problems, "text", report.checked))
        print("socialmission: no badges were written: fix the pledges first",
              file=sys.stderr)
        return EXIT_PROBLEMS
    out = Path(args.out) if args.out else root / BADGES_CACHE
    with Progress(quiet=args.quiet) as said:
        result = build_badges(root, out, mission, report.pledges, base, workers=args.jobs,
                              said=said)
    if args.quiet:
        return EXIT_OK
    print(f"{out}: {len(result.rendered)} badge folders rendered, {len(result.reused)} "
          f"unchanged, {len(result.removed)} removed")
    return EXIT_OK
