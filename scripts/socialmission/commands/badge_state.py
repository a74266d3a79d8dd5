"""`socialmission badge-state`: which signatories' badges an S3 deployment holds, for
`build --published-badges`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from socialmission.commands.context import registry_root
from socialmission.commands.options import endpoint_option
from socialmission.errors import EXIT_OK
from socialmission.model.paths import PUBLISHED_BADGES
from socialmission.site.deploy import S3Store, parse_endpoint, parse_target, read_badge_state
from socialmission.site.published import write_state


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Read which signatories' badges s3://BUCKET[/PREFIX] holds, and as what (the "
        "keys its deploy manifest records: what each folder shows and the signed "
        "credential baked into it), into a file for 'socialmission build "
        "--published-badges': a build with no badge cache then renders only the badges "
        "that changed, or whose credential did.")
    parser.add_argument("--from", dest="source", required=True,
                        metavar="s3://BUCKET[/PREFIX]", help="the deployment")
    endpoint_option(parser)
    parser.add_argument("--out", metavar="FILE",
                        help=f"where to write it (default: {PUBLISHED_BADGES})")


def run(args: argparse.Namespace) -> int:
    target = parse_target(args.source, "--from")
    state = read_badge_state(S3Store(target, parse_endpoint(args.endpoint)))
    if state.note:
        print(f"socialmission: {state.note}", file=sys.stderr)
    out = Path(args.out) if args.out else registry_root(args) / PUBLISHED_BADGES
    write_state(out, state.badges)
    print(f"{out}: {len(state.badges)} signatories' badges published in {target}")
    return EXIT_OK
