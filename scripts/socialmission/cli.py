"""`socialmission`: the registry's command line, a table of its commands by what they are
for. Each command is a module of `socialmission.commands` holding its options beside its
body; only the chosen command's module is imported, so `socialmission --help` and
`socialmission validate` start without the site's engines."""

from __future__ import annotations

import argparse
import importlib
import sys
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any, Final, NamedTuple, TypeVar, overload

from socialmission import package_version
from socialmission.errors import EXIT_INTERRUPTED, EXIT_USAGE, UsageError

_N = TypeVar("_N")


class Command(NamedTuple):  # a dataclass would import inspect and ast: most of --help's imports
    name: str  # as typed after `socialmission`
    help: str  # its line in `socialmission --help`

    @property
    def module(self) -> str:
        """Where its options and body are: its name, with '_' for '-'."""
        return f"socialmission.commands.{self.name.replace('-', '_')}"


# Every command, in the group `socialmission --help` lists it under.
GROUPS: Final[tuple[tuple[str, tuple[Command, ...]], ...]] = (
    ("signing", (
        Command("new", "write a new pledge from answers to prompts (or from flags)"),
        Command("from-issue", "write a pledge from the sign form's issue (signing without "
                              "git)"),
    )),
    ("a pledge's life", (
        Command("update", "change fields of a pledge in place (validated first)"),
        Command("withdraw", "withdraw a signature: the file stays, the badges say so"),
        Command("reaffirm", "move a pledge to the current (or a given) mission version"),
        Command("sign-again", "sign a withdrawn pledge again (the current mission "
                              "version), keeping its history"),
        Command("status-index", "give a pledge from before the revocation list its "
                                "index (once)"),
        Command("redact", "registry maintainers: keep only a tombstone of a withdrawn "
                          "pledge"),
    )),
    ("building and publishing", (
        Command("validate", "check pledges: every problem, with file, line and fix"),
        Command("build", "build the whole site strictly, replacing the output only on "
                         "success"),
        Command("serve", "a live-reloading preview: build again whenever an input changes"),
        Command("badges", "render every signatory's SVG and PNG badges (incrementally)"),
        Command("site-address", "print site_url; --check-publishable: is it a real "
                                "address?"),
        Command("issuer-key", "print registry.yaml's entry for the issuer's signing key; "
                              "--check-publishable: is the built site signed with it?"),
        Command("deploy", "upload the built site to an S3 bucket: changed files only"),
        Command("badge-state", "fetch the badge state kept beside an S3 deployment"),
        Command("verify", "check whether signatories' websites confirm them (never "
                          "blocks)"),
        Command("verify-badge", "check a badge's signed Open Badges 3.0 credential: "
                                "proof, revocation, recipient"),
        Command("derived", "write every file derived from the field table, mission.yaml "
                           "and registry.yaml (schemas, template, issue forms), saying "
                           "which changed"),
        Command("schema", "write the JSON Schemas of a pledge and of registry.yaml for the "
                          "site"),
        Command("template", "write pledges/TEMPLATE.yaml.txt from the table of fields"),
    )),
    ("GitHub workflows", (
        Command("check-pr", "judge who may make a pull request's changes (the required "
                            "verdict)"),
        Command("verdict", "judge a pull request event and post the verdict as a check "
                           "run"),
        Command("automerge", "merge a pull request the verdict allowed (automerge: true)"),
        Command("sign-issue", "for the sign workflow: the issue form's pledge as a pull "
                              "request"),
        Command("change-issue", "for the sign workflow: a change form's edit as a pull "
                                "request"),
        Command("lock-signed-issue", "for the sign workflow: lock a merged signature's "
                                     "issue"),
        Command("delete-signed-branch", "for the sign workflow: delete a closed signature "
                                        "pull request's branch"),
        Command("notify-version", "tell the signatories of an earlier mission version, "
                                  "one issue per pledge, paced"),
        Command("issue-form", "write the issue forms (.github/ISSUE_TEMPLATE/sign.yml, "
                              "change.yml, report.yml and proposal.yml) from the field table, "
                              "the mission and registry.yaml"),
    )),
)
HELP_WIDTH: Final = 79  # columns of the command list in `socialmission --help`


class _CommandParser(argparse.ArgumentParser):
    """A command's parser. Its module is imported, and its options added, only when the
    command is chosen (argparse hands the rest of the line to the chosen command's
    parse_known_args) or its help or usage is written."""

    def __init__(self, *args: Any, module: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._module: str | None = module

    def _load(self) -> None:
        if self._module is not None:
            command = importlib.import_module(self._module)
            self._module = None
            command.add_arguments(self)
            self.set_defaults(run=command.run)

    @overload
    def parse_known_args(self, args: Iterable[str] | None = None,
                         namespace: None = None) -> tuple[argparse.Namespace, list[str]]: ...

    @overload
    def parse_known_args(self, args: Iterable[str] | None,
                         namespace: _N) -> tuple[_N, list[str]]: ...

    @overload
    def parse_known_args(self, *, namespace: _N) -> tuple[_N, list[str]]: ...

    def parse_known_args(self, args: Iterable[str] | None = None,
                         namespace: Any = None) -> tuple[Any, list[str]]:
        self._load()
        return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        self._load()
        return super().format_usage()

    def format_help(self) -> str:
        self._load()
        return super().format_help()


class _VersionAction(argparse.Action):
    """--version, with the version looked up only when asked for (see package_version)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        sys.stdout.write(f"{parser.prog} {package_version()}\n")
        parser.exit()


def command_list() -> str:
    """The commands by group, each with its help, as `socialmission --help` ends."""
    width = 2 + max(len(command.name) for _, commands in GROUPS for command in commands) + 2
    lines: list[str] = []
    for title, commands in GROUPS:
        lines += ["", f"{title}:"]
        for command in commands:
            lines += textwrap.wrap(command.help, HELP_WIDTH,
                                   initial_indent=f"  {command.name}".ljust(width),
                                   subsequent_indent=" " * width)
    lines += ["", "'socialmission COMMAND --help' says what a command does and takes."]
    return "\n".join(lines[1:])


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; a command's own options are added when it is chosen."""
    parser = argparse.ArgumentParser(
        prog="socialmission",
        description="Validate a registry's pledges, render badges, publish the registry.",
        epilog=command_list(), formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action=_VersionAction, nargs=0,
                        help="show the version and exit")
    parser.add_argument("--root", help="the registry's folder (default: found from here)")
    chosen = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                   parser_class=_CommandParser,
                                   help="one of the commands below")
    for _, commands in GROUPS:
        for command in commands:
            chosen.add_parser(command.name, module=command.module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command `argv` names. With no arguments at all, the help, on stderr, and
    exit 2: no command was given, as argparse's own usage error says of an incomplete
    line, so a script that calls it wrongly fails rather than passing."""
    parser = build_parser()
    arguments = sys.argv[1:] if argv is None else list(argv)
    if not arguments:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    args = parser.parse_args(arguments)
    try:
        code: int = args.run(args)
    except UsageError as error:
        print(f"socialmission: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("socialmission: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return code
