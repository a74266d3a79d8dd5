"""`socialmission verify`: whether signatories' websites confirm them (never blocks)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from socialmission.check.validate import validate
from socialmission.commands.context import registry_root
from socialmission.errors import EXIT_OK, UsageError
from socialmission.model.clock import today
from socialmission.model.mission import load_mission
from socialmission.model.paths import PLEDGES_DIR
from socialmission.model.settings import site_url


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "For each signatory (or those named): fetch its announcement (or website) for a "
        "link to its registry page or badges, its proof file "
        "/.well-known/<proof_name>.txt, and its DNS TXT record _<proof_name>.<domain> "
        "(registry.yaml's proof_name), and store what answered in .cache/proofs.json for "
        "the next build's marks. Always exits 0 once the pledges are read: a failed check "
        "only loses a mark.")
    parser.add_argument("slugs", nargs="*", metavar="SLUG",
                        help="signatories to check (default: all)")


def run(args: argparse.Namespace) -> int:
    from socialmission.site.fetch import Fetcher  # noqa: PLC0415 - the site extra
    from socialmission.site.proofs import summary, system_txt, verify  # noqa: PLC0415

    root = registry_root(args)
    report = validate([root / PLEDGES_DIR], load_mission(root), name_fits=lambda name: None)
    by_slug = {p.slug: p for p in report.pledges}
    unknown = [slug for slug in args.slugs if slug not in by_slug]
    if unknown:
        raise UsageError(f"no valid pledge has the slug {', '.join(map(repr, unknown))}: "
                         f"give slugs from {PLEDGES_DIR}/")
    chosen = [by_slug[slug] for slug in args.slugs] if args.slugs else report.pledges
    try:
        proofs = verify(root, chosen, site_url(root), fetcher=Fetcher(), txt=system_txt,
                        on=today())
    except OSError as error:  # the marks are lost, nothing else: never a failed run
        print(f"socialmission: {error}", file=sys.stderr)
        return EXIT_OK
    text = summary(proofs)
    sys.stdout.write(text)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with Path(step_summary).open("a", encoding="utf-8") as handle:
            handle.write(text)
    return EXIT_OK
