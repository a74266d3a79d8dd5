"""`socialmission deploy`: the built site into an S3 bucket, changed files only
(site/deploy.py plans and uploads)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from socialmission.commands.context import registry_root
from socialmission.commands.options import endpoint_option, positive
from socialmission.errors import EXIT_OK
from socialmission.model.constants import UPLOAD_JOBS
from socialmission.model.paths import BADGES_CACHE, SITE_OUT
from socialmission.render.cache import load_entries
from socialmission.site.deploy import (
    S3Store,
    parse_endpoint,
    parse_target,
    publish,
    read_plan,
    scan_site,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Upload the built site to s3://BUCKET[/PREFIX] (AWS, or any S3 API at --endpoint, "
        "such as Cloudflare R2): only files whose content or headers changed, with their "
        "Content-Type and Cache-Control; nothing is ever deleted. The manifest kept in the "
        "bucket is written last, so a deploy stopped half-way is finished by running it "
        "again. Credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or a "
        "profile).")
    parser.add_argument("--to", required=True, metavar="s3://BUCKET[/PREFIX]",
                        help="the bucket, and the folder in it (default: its root)")
    endpoint_option(parser)
    parser.add_argument("--site", help=f"the built site (default: {SITE_OUT})")
    parser.add_argument("--jobs", type=positive, default=UPLOAD_JOBS,
                        help=f"uploads in flight at once (default: {UPLOAD_JOBS})")
    parser.add_argument("--dry-run", action="store_true",
                        help="say what would be uploaded, and upload nothing")
    parser.add_argument("--badges", metavar="FOLDER",
                        help=f"the badge cache the site was built from, whose content keys "
                             f"the bucket's badge state records (default: {BADGES_CACHE})")


def run(args: argparse.Namespace) -> int:
    target, endpoint = parse_target(args.to), parse_endpoint(args.endpoint)
    local = scan_site(Path(args.site) if args.site else registry_root(args) / SITE_OUT)
    # what the badge cache rendered, so the bucket's badge state names what it stores
    cache, _ = load_entries(Path(args.badges) if args.badges
                            else registry_root(args) / BADGES_CACHE)
    planned = read_plan(S3Store(target, endpoint), local, cache)
    for note in planned.notes:
        print(f"socialmission: {note}", file=sys.stderr)
    if args.dry_run:
        for file in [*planned.upload, *planned.verify]:
            print(f"would upload {file.path}")
        print(f"{target}: {len(planned.upload)} to upload, {len(planned.verify)} to check "
              f"first, {len(planned.unchanged)} unchanged, {len(planned.stale)} kept from "
              "earlier builds (nothing is deleted)")
        return EXIT_OK
    result = publish(S3Store(target, endpoint), planned, jobs=args.jobs)
    print(f"{target}: {len(result.uploaded)} uploaded, {len(result.verified)} already there "
          f"(from a stopped deploy), {result.unchanged} unchanged, {len(result.stale)} kept "
          f"from earlier builds ({len(planned.stale_promises)} of them badge or Open Badges "
          "URLs: never deleted)")
    return EXIT_OK
