"""`socialmission`: the registry's command line. Thin: each command calls one module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from socialmission import package_version
from socialmission.errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from socialmission.model.mission import load_mission
from socialmission.model.paths import BADGES_CACHE, MISSION_FILE, PLEDGES_DIR, SITE_OUT


def find_root(start: Path) -> Path:
    """The registry's root: the nearest folder, upwards, that holds the mission file."""
    for folder in (start, *start.parents):
        if (folder / MISSION_FILE).is_file():
            return folder
    raise UsageError(f"no {MISSION_FILE} in {start} or above: run this inside the registry "
                     "or pass --root")


def _root(args: argparse.Namespace) -> Path:
    return Path(args.root) if args.root else find_root(Path.cwd())


def _shortest(path: Path) -> Path:
    """The path as messages should show it: relative to here when it is below here."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return number


class _VersionAction(argparse.Action):
    """--version, with the version looked up only when asked for (see package_version)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        sys.stdout.write(f"{parser.prog} {package_version()}\n")
        parser.exit()


def cmd_validate(args: argparse.Namespace) -> int:
    from socialmission.check.problems import render  # noqa: PLC0415 - keep `--help` fast
    from socialmission.check.validate import validate  # noqa: PLC0415
    from socialmission.render.layout import name_check  # noqa: PLC0415

    root = _root(args)
    mission = load_mission(root)
    paths = [Path(p) for p in args.paths] or [_shortest(root / PLEDGES_DIR)]
    report = validate(paths, mission, name_fits=name_check(root), workers=None)
    sys.stdout.write(render(report.problems, args.format, report.checked))
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def cmd_new(args: argparse.Namespace) -> int:
    from socialmission.check.new import run_new  # noqa: PLC0415
    from socialmission.render.layout import name_check  # noqa: PLC0415

    root = _root(args)
    return run_new(args, root / PLEDGES_DIR, load_mission(root), name_check(root))


def cmd_schema(args: argparse.Namespace) -> int:
    from socialmission.check.schema import schema_text  # noqa: PLC0415
    from socialmission.model.paths import SCHEMA_FILE, SETTINGS_SCHEMA_FILE  # noqa: PLC0415
    from socialmission.model.settings import schema_text as settings_schema  # noqa: PLC0415

    root = _root(args)
    wanted = {root / SCHEMA_FILE: schema_text(load_mission(root)),
              root / SETTINGS_SCHEMA_FILE: settings_schema()}
    code = EXIT_OK
    for target, text in wanted.items():
        if args.check:
            current = target.read_text(encoding="utf-8") if target.is_file() else ""
            if current != text:
                print(f"{target} is out of date: run 'socialmission schema' and commit it",
                      file=sys.stderr)
                code = EXIT_PROBLEMS
            else:
                print(f"{target} is up to date")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}")
    return code


def cmd_build(args: argparse.Namespace) -> int:
    from socialmission.mkdocs.publish import build_site  # noqa: PLC0415
    from socialmission.model.settings import load_settings  # noqa: PLC0415

    root = _root(args)
    load_settings(root)  # before MkDocs starts: its problems listed plainly, exit 1
    out = Path(args.out) if args.out else root / SITE_OUT
    build_site(root, out)
    print(f"built {out}")
    return EXIT_OK


def cmd_badges(args: argparse.Namespace) -> int:
    from socialmission.check.problems import render  # noqa: PLC0415
    from socialmission.check.validate import validate  # noqa: PLC0415
    from socialmission.model.settings import base_url, site_url  # noqa: PLC0415
    from socialmission.render.cache import build_badges  # noqa: PLC0415
    from socialmission.render.layout import name_check  # noqa: PLC0415

    root = _root(args)
    mission = load_mission(root)
    base = base_url(args.base_url, "--base-url") if args.base_url else site_url(root)
    report = validate([_shortest(root / PLEDGES_DIR)], mission, name_fits=name_check(root),
                      workers=args.jobs)
    if not report.ok:
        sys.stdout.write(render(report.problems, "text", report.checked))
        print("socialmission: no badges were written: fix the pledges first",
              file=sys.stderr)
        return EXIT_PROBLEMS
    out = Path(args.out) if args.out else root / BADGES_CACHE
    result = build_badges(root, out, mission, report.pledges, base, workers=args.jobs)
    print(f"{out}: {len(result.rendered)} badge folders rendered, {len(result.reused)} "
          f"unchanged, {len(result.removed)} removed")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="socialmission",
        description="Validate Social Mission pledges, render badges, publish the registry.",
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0,
                        help="show the version and exit")
    parser.add_argument("--root", help="the registry's folder (default: found from here)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "validate", help="check pledges: every problem, with file, line and fix",
        description="Check pledge files or folders (default: pledges/). Files given alone "
                    "are still compared with every pledge in their folder.")
    check.add_argument("paths", nargs="*", metavar="PATH", help="pledge files or folders")
    check.add_argument("--format", choices=("text", "github", "json"), default="text",
                       help="text (default), GitHub annotations, or JSON for tools")
    check.set_defaults(run=cmd_validate)

    new = commands.add_parser(
        "new", help="write a new pledge from answers to prompts (or from flags)",
        description="Write pledges/<slug>.yaml, checking every answer; never overwrites.")
    from socialmission.check.new import add_arguments  # noqa: PLC0415

    add_arguments(new)
    new.set_defaults(run=cmd_new)

    build = commands.add_parser(
        "build", help="build the whole site strictly, replacing the output only on success",
        description="Validate the pledges, render the badges and build the site with MkDocs "
                    "(strict) into a fresh folder, then swap it into place: a failed or "
                    "interrupted build leaves the previous output untouched.")
    build.add_argument("--out", help=f"output folder (default: {SITE_OUT})")
    build.set_defaults(run=cmd_build)

    badges = commands.add_parser(
        "badges", help="render every signatory's SVG and PNG badges (incrementally)",
        description="Validate the pledges, then bring the badge folder up to date: only "
                    "signatories whose badges would change are rendered again.")
    badges.add_argument("--out", help=f"output folder (default: {BADGES_CACHE})")
    badges.add_argument("--base-url", help="the registry's public URL (default: site_url "
                                           "in mkdocs.yml)")
    badges.add_argument("--jobs", type=_positive, default=None,
                        help="worker processes (default: one per core)")
    badges.set_defaults(run=cmd_badges)

    schema = commands.add_parser(
        "schema", help="write the JSON Schemas of a pledge and of registry.yaml for the site")
    schema.add_argument("--check", action="store_true",
                        help="only check that the committed schemas are up to date")
    schema.set_defaults(run=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except UsageError as error:
        print(f"socialmission: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("socialmission: interrupted", file=sys.stderr)
        return 130
    return code
