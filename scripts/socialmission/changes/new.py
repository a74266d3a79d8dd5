"""`socialmission new`: write a valid pledge from prompts or flags, never overwriting.

The questions are the field table's (model/fields.py: each field with a `prompt`, in file
order; the social profiles one question a network, from the field's schema), with the
file name asked right after the name it is made from. Each answer is checked as soon as
it can be: by its field's own rule, then, against the registry's other pledges, by the
validator's own across-file rules (check/across.py: the same file name, name or website,
or a look-alike), and by the rules between fields (check/rules.py), the moment the
second field of such a rule is answered. A refused answer is asked again; a rule between
two answers goes back to the first of them, offering each earlier answer as the default.
The finished pledge is validated once more beside its future neighbours before it is
written (with O_EXCL: never over another file).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import os
import signal
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialmission.changes.terminal import TerminalInput
from socialmission.check.across import across_files, own_names, sites_within, taken_names
from socialmission.check.files import discover, read_capped_logo
from socialmission.check.pledgefile import Known, check_slug, read_pledge
from socialmission.check.rendering import NameCheck, logo_problem
from socialmission.check.rules import FIELDS, Context, between_fields, quote, run
from socialmission.check.schema import EDITOR_LINE
from socialmission.check.validate import validate
from socialmission.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, UsageError
from socialmission.model import constants as c
from socialmission.model import fields, paths
from socialmission.model.accounts import typed_account
from socialmission.model.clock import today
from socialmission.model.filetree import DISK, OverlayTree
from socialmission.model.mission import Mission
from socialmission.model.problems import FileProblems, Problem, render
from socialmission.model.settings import settings_names
from socialmission.model.slugs import suggest_slug
from socialmission.model.yamlread import Mapping as YamlMapping
from socialmission.model.yamlread import Node, Scalar, Sequence

SLUG = "slug"  # the question that is not a field: the file's name
# What `new` accepts for a kind, case-insensitively, beside the kinds themselves.
KIND_WORDS: Mapping[str, str] = {"organisation": "organisation", "organization": "organisation",
                                 "org": "organisation", "individual": "individual",
                                 "person": "individual"}
YES, NO = frozenset({"yes", "y"}), frozenset({"no", "n"})


def questions() -> list[tuple[str, str, bool]]:
    """(field, prompt, required) for each field `new` asks about, in file order."""
    return [(field.name, field.prompt if field.required else f"{field.prompt} (optional)",
             field.required) for field in fields.FIELDS if field.prompt is not None]


def _schema(key: str) -> Mapping[str, Any]:
    """The field's schema: its type says how an answer is read and written."""
    return next(field for field in fields.FIELDS if field.name == key).schema


def networks() -> list[str]:
    """The social networks the field table's `social` schema lists, in its order."""
    return list(_schema("social")["properties"])


def flag(key: str) -> str:
    return f"--{key.replace('_', '-')}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    for key, prompt, _ in questions():
        if _schema(key)["type"] == "object":
            parser.add_argument(flag(key), dest=key, metavar="NETWORK=URL", action="append",
                                help=f"a {prompt} on one of {', '.join(networks())}; "
                                     "repeatable")
        elif key == "logo":
            parser.add_argument(flag(key), dest=key, metavar="PNG",
                                help="the logo: a path to a square PNG file (it is copied "
                                     "to pledges/logos/<slug>.png)")
        else:
            parser.add_argument(flag(key), dest=key, metavar="VALUE", help=prompt)
    parser.add_argument("--slug", help="file name without .yaml (default: from the name)")
    parser.add_argument("--no-input", action="store_true",
                        help="never prompt: take flags and defaults only (for scripts)")


# --- reading answers --------------------------------------------------------------------------
def _items(answer: str) -> list[str]:
    """A list answer: comma-separated, blanks dropped."""
    return [item.strip() for item in answer.split(",") if item.strip()]


def _account(item: str) -> tuple[str, int | None]:
    """A maintainers answer, 'login:id' (or a login alone), as the pledge writes it."""
    typed = typed_account(item)
    return (typed[0], int(typed[1])) if typed else (item, None)


def _item_node(key: str, item: str, line: int) -> Node:
    if key == "maintainers":
        login, number = _account(item)
        if number is not None:
            return YamlMapping(line, 1, {
                "login": (Scalar(line, 1, "login", True, "login"),
                          Scalar(line, 1, login, False, login)),
                "id": (Scalar(line, 1, "id", True, "id"),
                       Scalar(line, 1, str(number), True, number)),
            })
    return Scalar(line, 1, item, False, item)


def _node_for(key: str, answer: str | dict[str, str], line: int = 1) -> Node:
    """The answer as the YAML reader would have read it from the written pledge."""
    if isinstance(answer, dict):  # social: network -> profile
        return YamlMapping(line, 1, {network: (Scalar(line, 1, network, True, network),
                                               Scalar(line, 1, url, False, url))
                                     for network, url in answer.items()})
    kind = _schema(key)["type"]
    if kind == "array":
        return Sequence(line, 1, [_item_node(key, item, line) for item in _items(answer)])
    if kind == "integer" and answer.isdigit() and answer.isascii():
        return Scalar(line, 1, answer, True, int(answer))
    return Scalar(line, 1, answer, False, answer)


def check_answer(key: str, answer: str, context: Context) -> list[str]:
    """What the field's own rule says of an answer (nothing when it passes)."""
    findings, _ = run(FIELDS[key](key, _node_for(key, answer), context))
    return [finding.message for finding in findings]


def kind_word(answer: str) -> tuple[str | None, str | None]:
    """The kind an answer means (organisation, organization, org, individual, person, in
    any case), or None and the nearest word when it is unclear."""
    word = answer.strip().casefold()
    if word in KIND_WORDS:
        return KIND_WORDS[word], None
    close = difflib.get_close_matches(word, list(KIND_WORDS), n=1, cutoff=0.5)
    return None, (KIND_WORDS[close[0]] if close else None)


def yes_or_no(answer: str, default: bool) -> bool | None:
    """yes/y or no/n in any case (empty: the default); None for anything else."""
    word = answer.strip().casefold()
    if not word:
        return default
    return True if word in YES else False if word in NO else None


def logo_source_problem(path: Path) -> str | None:
    """What is wrong with the logo file a signatory points `new` at, by the validator's
    logo rules (check/files.py's caps, check/rendering.py's PNG checks), else None."""
    try:
        path.lstat()
    except OSError:
        return f"there is no file at {path}: give the path to your logo, a PNG file"
    if path.is_dir():
        return f"{path} is a folder: give the path to the logo's PNG file in it"
    messages: list[str] = []
    data = read_capped_logo(path, messages)
    if data is None:
        return messages[0] if messages else f"{path} cannot be read"
    problem = logo_problem(data)
    return f"the logo {path} {problem}" if problem else None


# --- the interview --------------------------------------------------------------------------
class Stop(Exception):
    """The signatory stopped at a prompt (Ctrl-D or Ctrl-C): nothing is written."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class _Interview:
    args: argparse.Namespace
    pledges_dir: Path
    mission: Mission
    name_fits: NameCheck
    ask: Callable[[str], str]
    interactive: bool
    context: Context = field(init=False)
    answers: dict[str, Any] = field(default_factory=dict)  # key -> answer as given
    values: dict[str, Any] = field(default_factory=dict)  # key -> clean value
    logo_source: Path | None = None
    slug: str = ""
    _neighbours: list[Known] | None = None

    def __post_init__(self) -> None:
        self.context = Context(slug="new", pledges_dir=self.pledges_dir,
                               mission=self.mission, today=today())

    # the steps, in order: each field `new` asks, and the file name after the name
    def steps(self) -> list[str]:
        keys = [key for key, _, _ in questions()]
        keys.insert(keys.index("name") + 1, SLUG)
        return keys

    def prompt(self, text: str) -> str:
        try:
            return self.ask(text)
        except EOFError:
            raise Stop("stopped at the end of the input (Ctrl-D): nothing was written",
                       EXIT_PROBLEMS) from None
        except KeyboardInterrupt:
            raise Stop("interrupted (Ctrl-C): nothing was written", EXIT_INTERRUPTED) \
                from None

    def say(self, message: str) -> None:
        print(f"  {message}", file=sys.stderr)

    def run(self) -> int:
        steps = self.steps()
        index = 0
        while index < len(steps):
            key = steps[index]
            if not self.answer(key):
                continue  # asked again
            back = self.between(steps[: index + 1])
            if back is None:
                index += 1
                continue
            index = steps.index(back)
        target = self.pledges_dir / f"{self.slug}{c.PLEDGE_SUFFIX}"
        if self.interactive:
            while (confirmed := yes_or_no(self.prompt(f"Write {target}? (yes/no) [yes]: "),
                                          True)) is None:
                self.say("answer yes or no (y or n)")
            if not confirmed:
                print("Nothing was written.", file=sys.stderr)
                return EXIT_PROBLEMS
        return _write_checked(target, pledge_text(self.answers), self.mission,
                              self.name_fits, self.logo_source)

    # one step: True once its answer passed every check that can be made now
    def answer(self, key: str) -> bool:
        if key == SLUG:
            return self.answer_slug()
        if key == "social":
            return self.answer_social()
        given = getattr(self.args, key)
        setattr(self.args, key, None)  # a refused flag is asked, never reused
        prompt = {k: p for k, p, _ in questions()}[key].replace(
            fields.SECTORS_TEXT, ", ".join(self.context.mission.sectors))
        required = key in {k for k, _, r in questions() if r}
        default = self.default(key)
        if given is None and self.interactive:
            suffix = f" [{default}]" if default else ""
            given = self.prompt(f"{prompt}{suffix}: ").strip() or default or ""
        value = given if given is not None else default or ""
        if not value:
            if required:
                if not self.interactive:  # found missing before any question: see run_new
                    raise UsageError(f"{flag(key)} is required")
                self.say(f"'{key}' is required.")
                return False
            self.forget(key)
            return True
        messages = self.own_rules(key, value)
        if not messages:
            messages = self.across(key)
        if messages:
            self.refuse(key, messages)
            return False
        return True

    def default(self, key: str) -> str:
        """The earlier answer when a question is asked again, else today and the current
        mission version for the dates and versions."""
        if key in self.answers and isinstance(self.answers[key], str):
            return str(self.answers[key]) if key != "logo" else str(self.logo_source or "")
        return {"signed": self.context.today.isoformat(),
                "mission_version": str(self.mission.current.version)}.get(key, "")

    def forget(self, key: str) -> None:
        self.answers.pop(key, None)
        self.values.pop(key, None)
        if key == "logo":
            self.logo_source = None

    def refuse(self, key: str, messages: list[str]) -> None:
        self.forget(key)
        for message in messages:
            self.say(message)
        if not self.interactive:
            raise UsageError(f"{flag(key)}: {messages[0]}")

    def own_rules(self, key: str, value: str) -> list[str]:
        """The field's own rule (a kind in other words is read first; a logo is a file)."""
        if key == "kind":
            kind, nearest = kind_word(value)
            if kind is None:
                hint = f" did you mean '{nearest}'?" if nearest else ""
                return [f"'kind' must be {' or '.join(c.KINDS)} (or organization, org, "
                        f"person):{hint} got {quote(value)}"]
            value = kind
        if key == "logo":
            source = Path(value).expanduser()
            if problem := logo_source_problem(source):
                return [problem]
            self.logo_source = source
            value = paths.logo_path(self.slug)
        findings, clean = run(FIELDS[key](key, _node_for(key, value, self.line(key)),
                                          self.context_for_slug()))
        if findings:
            return [finding.message for finding in findings]
        if key == "maintainers" and (without := maintainers_without_ids(value)):
            return without
        if key == "name" and (reason := self.name_fits(clean)):
            return [f"'name' {reason}"]
        self.answers[key], self.values[key] = value, clean
        return []

    def context_for_slug(self) -> Context:
        return Context(slug=self.slug or "new", pledges_dir=self.pledges_dir,
                       mission=self.mission, today=self.context.today)

    def line(self, key: str) -> int:
        """A field's place in the steps: the line its node claims, so that a finding of a
        rule between fields says which answer it is about."""
        return self.steps().index(key) + 1

    def answer_slug(self) -> bool:
        given, self.args.slug = self.args.slug, None
        suggestion = suggest_slug(str(self.values.get("name", "")))
        if given is None and self.interactive:
            default = self.slug or suggestion
            suffix = f" [{default}]" if default else ""
            given = self.prompt(f"File name (slug), which becomes your page's address"
                                f"{suffix}: ").strip() or default
        slug = given if given is not None else suggestion
        if not slug:
            message = ("no file name can be made from this name in plain letters: choose "
                       "one, such as my-organisation")
            if not self.interactive:
                raise UsageError(f"{message[:-len(', such as my-organisation')]}: pass "
                                 "--slug, such as --slug my-organisation")
            self.say(message)
            return False
        found: list[Problem] = []
        check_slug(slug, FileProblems(slug, found))
        problems = [problem.message for problem in found]
        target = self.pledges_dir / f"{slug}{c.PLEDGE_SUFFIX}"
        if not problems and (target.exists() or target.is_symlink()):
            problems.append(f"{target} already exists: choose another file name, or edit "
                            "that pledge if it is yours (pledges are never overwritten)")
        logo = self.pledges_dir / paths.logo_path(slug)
        if not problems and (logo.exists() or logo.is_symlink()):
            problems.append(f"{logo} already exists, a logo for a pledge of that name: "
                            "choose another file name")
        if problems:
            for message in problems:
                self.say(message.replace("the file name is", "the file name (slug) is"))
            if not self.interactive:
                raise UsageError(f"--slug {slug}: {problems[0]}")
            return False
        self.slug = slug
        return True

    def answer_social(self) -> bool:
        given: list[str] | None = self.args.social
        self.args.social = None
        profiles: dict[str, str] = {}
        if given is not None:
            for item in given:
                network, sep, url = item.partition("=")
                if not sep:
                    self.refuse("social", [f"'social' is given as NETWORK=URL, such as "
                                           f"mastodon=https://mastodon.social/@you: got "
                                           f"{quote(item)}"])
                    return False
                profiles[network.strip()] = url.strip()
        elif self.interactive:
            while (wanted := yes_or_no(self.prompt(
                    "Add profiles on social networks? (yes/no) [no]: "), False)) is None:
                self.say("answer yes or no (y or n)")
            if not wanted:
                self.forget("social")
                return True
            prompt = {k: p for k, p, _ in questions()}["social"]
            for network in networks():
                while True:
                    url = self.prompt(f"  {network} {prompt} (optional): ").strip()
                    if not url:
                        break
                    messages = self.own_profile(network, url)
                    if not messages:
                        profiles[network] = url
                        break
                    for message in messages:
                        self.say(message)
        if not profiles:
            self.forget("social")
            return True
        findings, clean = run(FIELDS["social"]("social", _node_for("social", profiles),
                                               self.context))
        if findings:
            self.refuse("social", [finding.message for finding in findings])
            return False
        self.answers["social"], self.values["social"] = profiles, clean
        return True

    def own_profile(self, network: str, url: str) -> list[str]:
        findings, _ = run(FIELDS["social"]("social", _node_for("social", {network: url}),
                                           self.context))
        return [finding.message for finding in findings]

    # what can be known only against the other pledges, or between two answers
    def neighbours(self) -> list[Known]:
        if self._neighbours is None:
            found: list[Known] = []
            if self.pledges_dir.is_dir():
                for target in discover([self.pledges_dir], []):
                    known = read_pledge(target.path, self.mission, self.context.today, [])
                    if known is not None:
                        found.append(known)
            self._neighbours = found
        return self._neighbours

    def across(self, key: str) -> list[str]:
        """The validator's across-file rules, for the answers so far, once `key` is
        answered: only the problems that are about `key`."""
        if key not in {"name", "website"} or not self.interactive:
            return []  # without prompts, the whole pledge is validated before writing
        positions = {k: (self.line(k), 1) for k in self.values}
        candidate = Known(self.slug, self.pledges_dir / f"{self.slug}{c.PLEDGE_SUFFIX}",
                          dict(self.values), positions, None)
        pledges = [*((known, False) for known in self.neighbours()), (candidate, True)]
        names = own_names(self.mission, settings_names(self.pledges_dir.parent))
        clashes = [*across_files(pledges),
                   *(caution.problem for caution in taken_names(pledges, names)),
                   *(caution.problem for caution in sites_within(pledges))]
        return [problem.message if problem.message.startswith(f"'{key}'")
                else f"'{key}' {problem.message}" for problem in clashes
                if problem.line == self.line(key)]

    def between(self, asked: list[str]) -> str | None:
        """The rules between fields, on the answers so far: None when they pass, else the
        earliest question they are about (each finding is said)."""
        answered = [key for key in asked if key in self.values]
        root = YamlMapping(1, 1, {key: (Scalar(self.line(key), 1, key, True, key),
                                        _node_for(key, self.answers[key], self.line(key)))
                                  for key in answered})
        values = {key: self.values[key] for key in answered}
        findings = list(between_fields(root, values, self.context))
        if not findings:
            return None
        for finding in findings:
            self.say(finding.message)
        if not self.interactive:
            raise UsageError(findings[0].message)
        steps = self.steps()
        first = steps[min(finding.line for finding in findings) - 1]
        if first == asked[-1]:  # about this answer alone: ask it again, afresh
            self.forget(first)
        else:
            self.say("asking again from there (press Enter to keep an answer)")
        return first


def maintainers_without_ids(answer: str) -> list[str]:
    """Every maintainer `new` writes has its account's id, as 'login:id': check-pr
    refuses a new pledge with a login alone (a login can be renamed and taken over)."""
    return [f"'maintainers' needs each account's id, as login:id, such as octocat:583231 "
            f"(https://api.github.com/users/{item} shows the id): got {quote(item)}"
            for item in _items(answer) if _account(item)[1] is None]


def _missing_flags(args: argparse.Namespace) -> list[str]:
    """The flags a run without prompts lacks: every required field's, and --slug when no
    file name can be made from --name."""
    missing = [flag(key) for key, _, required in questions()
               if required and getattr(args, key) is None
               and key not in {"signed", "mission_version"}]  # they have defaults
    if args.name is not None and not args.slug and not suggest_slug(args.name):
        missing.append("--slug")
    return missing


def run_new(args: argparse.Namespace, pledges_dir: Path, mission: Mission,
            name_fits: NameCheck, ask: Callable[[str], str] | None = None) -> int:
    """`ask` shows a prompt and returns the answer typed; by default the terminal's
    (changes/terminal.py: a Ctrl-C there is never lost)."""
    interactive = not args.no_input and sys.stdin.isatty()
    missing = _missing_flags(args)
    if missing and not interactive:
        how = " ".join(f"{name} VALUE" for name in missing)
        if args.no_input:
            raise UsageError(f"new --no-input asks nothing, so every required answer must "
                             f"be a flag: add {how}")
        raise UsageError(f"new asks its questions on a terminal, and standard input is not "
                         f"one: run it in a terminal, or give the answers as flags: add "
                         f"{how} (and any of the optional ones: socialmission new --help)")
    with contextlib.ExitStack() as terminal:
        if ask is None:  # without prompts nothing is asked: see _Interview.answer
            ask = terminal.enter_context(TerminalInput(sys.stdin.fileno())) \
                if interactive else input
        interview = _Interview(args, _shortest(pledges_dir), mission, name_fits, ask,
                               interactive)
        try:
            return interview.run()
        except Stop as stop:
            print(f"\nsocialmission: new: {stop}", file=sys.stderr)
            return stop.code


def _shortest(path: Path) -> Path:
    """The folder as messages show it: relative to here when it is below here."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def pledge_text(answers: Mapping[str, Any]) -> str:
    """YAML for the answers, which have passed their checks. Strings are JSON-quoted,
    which YAML reads back exactly; numbers and YYYY-MM-DD dates are written bare."""
    # No mission's name here: the file is the signatory's, whatever the registry is called.
    lines = [EDITOR_LINE, "# A signatory's pledge. Guide: site/sign.md", ""]
    for key, _, _ in questions():
        if key not in answers:
            continue
        value = answers[key]
        spec = _schema(key)
        if spec["type"] == "object":
            lines.append(f"{key}:")
            lines += [f"  {json.dumps(network)}: {json.dumps(url, ensure_ascii=False)}"
                      for network, url in value.items()]
        elif spec["type"] == "array":
            lines.append(f"{key}:")
            for item in _items(value):
                login, number = _account(item) if key == "maintainers" else (item, None)
                if number is None:
                    lines.append(f"  - {json.dumps(item, ensure_ascii=False)}")
                else:
                    lines += [f"  - login: {json.dumps(login)}", f"    id: {number}"]
        elif spec["type"] == "integer" or spec.get("format") == "date":
            lines.append(f"{key}: {value}")
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def _write_checked(target: Path, text: str, mission: Mission, name_fits: NameCheck,
                   logo: Path | None = None) -> int:
    """Validate the new pledge beside its future neighbours, then create it (and copy its
    logo) without ever replacing a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    logo_target = target.parent / paths.logo_path(target.name.removesuffix(c.PLEDGE_SUFFIX))
    data = text.encode("utf-8")
    changes = {target: data}
    logo_data = b""
    if logo is not None:  # the very bytes checked are the bytes written
        messages: list[str] = []
        if (read := read_capped_logo(logo, messages)) is None:  # changed since it was asked
            raise UsageError(f"{logo}: {messages[0]}: nothing was written")
        changes[logo_target] = logo_data = read
    # The pledge under its final name among its neighbours, held in memory over the
    # disk, so the cross-file rules (same website, look-alike names) apply before
    # anything is written.
    report = validate([target], mission, name_fits=name_fits,
                      settings_names=settings_names(target.parent.parent),
                      tree=OverlayTree(DISK, changes))
    # what the validator only warns of in a published pledge refuses a new one
    problems = [*report.problems, *report.warnings]
    if problems:
        sys.stderr.write(render(problems, "text", report.checked))
        print(f"Nothing was written: {target} would have these problems.", file=sys.stderr)
        return EXIT_PROBLEMS
    written: list[Path] = []
    # A Ctrl-C waits until both files are written, and then undoes both: none half-written.
    held_back = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        if logo is not None:
            logo_target.parent.mkdir(exist_ok=True)
            _create(logo_target, logo_data, written)
        _create(target, data, written)
        if _interrupted(held_back):
            raise KeyboardInterrupt
    except BaseException as error:
        _remove(written)
        if isinstance(error, FileExistsError):
            raise UsageError(f"{error.filename} appeared while the pledge was being "
                             "checked: nothing was written; run new again") from None
        raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held_back)
    print(f"wrote {target} and {logo_target}: commit them and open a pull request"
          if logo is not None else f"wrote {target}: commit it and open a pull request")
    return EXIT_OK


def _create(path: Path, data: bytes, written: list[Path]) -> None:
    """Write a new file, failing if anything is at `path` already; add it to `written`
    as soon as it exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    written.append(path)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _interrupted(held_back: set[int | signal.Signals]) -> bool:
    """Whether a Ctrl-C came while SIGINT was held back (taking it), and means to stop:
    not when SIGINT is ignored, or was held back already when `held_back` was saved."""
    return signal.SIGINT not in held_back \
        and signal.sigtimedwait({signal.SIGINT}, 0) is not None \
        and signal.getsignal(signal.SIGINT) is not signal.SIG_IGN


def _remove(written: list[Path]) -> None:
    for path in written:
        path.unlink(missing_ok=True)
