"""`socialmission new`: write a valid pledge from prompts or flags, never overwriting.

The questions are the field table's (model/fields.py: each field with a `prompt`, in file
order; for the social profiles, which networks of the field's schema, then one question
for each named), with the file name asked right after the name it is made from, after a
line saying what is asked. Each answer is read by its field's normaliser
(check/answers.py, shared with the issue forms), then checked as soon as it can be: by its
field's own rule, then, against the registry's other pledges, by the
validator's own across-file rules (check/across.py: the same file name, name or website,
or a look-alike), and by the rules between fields (check/rules.py), the moment the
second field of such a rule is answered. A refused answer is asked again; a rule between
two answers goes back to the first of them, offering each earlier answer as the default.
The answers are summed up before "Write ...?", and the finished pledge is validated once
more beside its future neighbours before it is written (with O_EXCL: never over another
file), in the template's layout. Without prompts, every refused flag is said once.

A website that is a withdrawn pledge's is that signatory's: each signs once, so `new`
offers to sign that pledge again (`sign-again`'s own edit, changes/lifecycle.py), and
without prompts says to run it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import difflib
import os
import signal
import sys
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialmission.changes.terminal import TerminalInput
from socialmission.check.across import across_files, own_names, sites_within, taken_names
from socialmission.check.answers import KIND_WORDS as OTHER_KIND_WORDS
from socialmission.check.answers import normalise
from socialmission.check.files import discover, read_capped, read_capped_logo
from socialmission.check.pledgefile import Known, check_slug, read_pledge
from socialmission.check.rendering import NameCheck, logo_problem
from socialmission.check.rules import FIELDS, Context, between_fields, quote, run
from socialmission.check.schema import EDITOR_LINE
from socialmission.check.template import WIDTH, sections
from socialmission.check.validate import validate
from socialmission.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, UsageError
from socialmission.model import constants as c
from socialmission.model import fields, paths, statuslist
from socialmission.model.accounts import typed_account
from socialmission.model.clock import today
from socialmission.model.filetree import DISK, OverlayTree
from socialmission.model.mission import Mission
from socialmission.model.problems import FileProblems, Problem, render
from socialmission.model.settings import settings_names
from socialmission.model.slugs import suggest_slug
from socialmission.model.urls import Url, site_key
from socialmission.model.yamlread import Mapping as YamlMapping
from socialmission.model.yamlread import Node, Scalar, Sequence, YamlError, parse
from socialmission.model.yamlwrite import INDENT, block_lines, scalar

SLUG = "slug"  # the question that is not a field: the file's name
# What `new` understands as a kind, in any case: the kinds and the normaliser's words.
KIND_WORDS: Mapping[str, str] = {**{kind: kind for kind in c.KINDS}, **OTHER_KIND_WORDS}
YES, NO = frozenset({"yes", "y"}), frozenset({"no", "n"})
FOLD_WIDTH = WIDTH - INDENT  # characters of a folded statement's line, after its indent
WITHDRAWN_BYTES = c.STATUSES[1].encode("ascii")  # in every withdrawn pledge's file


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
    for key, asked, _ in questions():
        # the sectors are the registry's: its mission.yaml lists them, for --help too
        prompt = asked.replace(fields.SECTORS_TEXT, "the sectors in mission.yaml")
        if _schema(key)["type"] == "object":
            profile = next(f.prompt for f in fields.FIELDS if f.name == key)
            parser.add_argument(flag(key), dest=key, metavar="NETWORK=URL", action="append",
                                help=f"a {profile} on one of {', '.join(networks())}; "
                                     "repeatable (optional)")
        elif key == "logo":
            parser.add_argument(flag(key), dest=key, metavar="PNG",
                                help="the logo: a path to a PNG file (it is copied "
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


class _SignAgain(Exception):
    """The signatory chose to sign their withdrawn pledge again instead of a new one."""

    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.slug = slug


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
    refused: list[str] = field(default_factory=list)  # without prompts: "--flag: why"
    preface: str = ""  # said before the next question: what is asked, or the summary
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
        """The answer to `text`, shown after the preface, if any (written with the
        prompt, so that a Ctrl-C while it is written stops as one at the prompt does)."""
        if self.preface:
            text, self.preface = f"{self.preface}\n{text}", ""
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
        if self.interactive:
            self.preface = self.introduction()
        index = 0
        while index < len(steps):
            key = steps[index]
            try:
                if not self.answer(key):
                    continue  # asked again
            except _SignAgain as chosen:
                return self.sign_again(chosen.slug)
            back = self.between(steps[: index + 1])
            if back is None:
                index += 1
                continue
            index = steps.index(back)
        if self.refused:  # without prompts: every refused flag, said once
            raise UsageError("\n".join(self.refused))
        target = self.pledges_dir / f"{self.slug}{c.PLEDGE_SUFFIX}"
        if self.interactive:
            self.preface = self.summary(target)
            while (confirmed := yes_or_no(self.prompt(f"Write {target}? (yes/no) [yes]: "),
                                          True)) is None:
                self.say("answer yes or no (y or n)")
            if not confirmed:
                print("Nothing was written.", file=sys.stderr)
                return EXIT_PROBLEMS
        text = pledge_text(self.answers, self.mission,
                           first_status_index(self.pledges_dir, self.slug))
        return _write_checked(target, text, self.mission, self.name_fits, self.logo_source)

    def introduction(self) -> str:
        """What is about to be asked, before the first question."""
        asked = questions()
        required = sum(1 for _, _, needed in asked if needed) + 1  # and the file name
        return (f"This asks {required} questions to write your pledge in {self.pledges_dir}/, "
                f"then {len(asked) + 1 - required} optional ones (press Enter to skip one); "
                "each answer is checked as you give it, and nothing is written until you "
                "say yes at the end. Ctrl-C stops at any time.")

    def summary(self, target: Path) -> str:
        """The answers as they will be written, before asking whether to write them."""
        lines = [f"Your pledge, {target}:"]
        for key in self.steps():
            if key == SLUG:
                continue
            value = self.answers.get(key)
            if isinstance(value, dict):
                lines += [f"  {key}.{network}: {url}" for network, url in value.items()]
            elif key == "logo" and value is not None:
                lines.append(f"  {key}: {value} (copied from {self.logo_source})")
            elif value is not None:
                lines.append(f"  {key}: {value}")
        return "\n".join(lines)

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
        reading = normalise(key, value, self.mission)
        if reading.candidates:
            self.refuse(key, [reading.ambiguous_message(key, value.strip())])
            return not self.interactive
        if reading.value != value:
            if self.interactive and reading.value.casefold() != value.strip().casefold():
                self.say(f"'{key}' taken as {reading.said}")
            value = reading.value
        if not value:
            if required:
                if not self.interactive:  # found missing before any question: see run_new
                    raise UsageError(f"{flag(key)} is required")
                self.say(f"'{key}' is required.")
                return False
            self.forget(key)
            return True
        messages = self.own_rules(key, value)
        if not messages and key == "website" and (gone := self.withdrawn_here()):
            return self.offer_to_sign_again(gone)
        if not messages:
            messages = self.across(key)
        if messages:
            self.refuse(key, messages)
            return not self.interactive  # without prompts: on to the next flag
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
        """Say why an answer is refused, to ask it again; without prompts, keep it for
        the one message that lists every refused flag."""
        self.forget(key)
        for message in messages:
            if self.interactive:
                self.say(message)
            else:
                self.refused.append(f"{flag(key)}: {message}")

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
            value = paths.logo_path(self.slug or "new")
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
        if not slug and not self.interactive and "name" not in self.values:
            return True  # the name was refused, and that is said: no file name from it
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
                            "that pledge if it is yours (pledges are never overwritten)"
                            f"{self.withdrawn_slug(slug)}")
        logo = self.pledges_dir / paths.logo_path(slug)
        if not problems and (logo.exists() or logo.is_symlink()):
            problems.append(f"{logo} already exists, a logo for a pledge of that name: "
                            "choose another file name")
        if problems:
            for message in problems:
                if self.interactive:
                    self.say(message.replace("the file name is", "the file name (slug) is"))
                else:
                    self.refused.append(f"--slug {slug}: {message}")
            return not self.interactive
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
                    return not self.interactive
                profiles[network.strip()] = url.strip()
        elif self.interactive:
            profiles = self.ask_profiles()
        if not profiles:
            self.forget("social")
            return True
        findings, clean = run(FIELDS["social"]("social", _node_for("social", profiles),
                                               self.context))
        if findings:
            self.refuse("social", [finding.message for finding in findings])
            return not self.interactive
        self.answers["social"], self.values["social"] = profiles, clean
        return True

    def which_networks(self) -> list[str]:
        """The networks the signatory names, in the order named, each once (none: [])."""
        known = networks()
        while True:
            names = [name.casefold() for name in _items(self.prompt(
                f"Profiles on social networks: which networks? ({', '.join(known)}; "
                "comma-separated, Enter for none): "))]
            unknown = [name for name in names if name not in known]
            if not unknown:
                return list(dict.fromkeys(names))
            for name in unknown:
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
                hint = f" did you mean '{close[0]}'?" if close else ""
                self.say(f"there is no network {quote(name)} here:{hint} name some of "
                         f"{', '.join(known)}")

    def ask_profiles(self) -> dict[str, str]:
        """The profile on each network the signatory names, checked as it is typed."""
        prompt = next(f.prompt for f in fields.FIELDS if f.name == "social")
        profiles: dict[str, str] = {}
        for network in self.which_networks():
            while url := self.prompt(f"  {network} {prompt} (Enter: none): ").strip():
                messages = self.own_profile(network, url)
                if not messages:
                    profiles[network] = url
                    break
                for message in messages:
                    self.say(message)
        return profiles

    def own_profile(self, network: str, url: str) -> list[str]:
        findings, _ = run(FIELDS["social"]("social", _node_for("social", {network: url}),
                                           self.context))
        return [finding.message for finding in findings]

    # what can be known only against the other pledges, or between two answers
    def neighbours(self) -> list[Known]:
        if self._neighbours is None:
            self._neighbours = read_neighbours(self.pledges_dir, self.mission,
                                               self.context.today)
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

    # a website that is a withdrawn pledge's: that pledge is signed again, not a new one
    def withdrawn_here(self) -> Known | None:
        """The withdrawn pledge on the same site as the website answered, if any (with
        prompts, among the neighbours read for the rules across files; without, among the
        withdrawn pledges alone: the whole pledge is validated before it is written)."""
        found = self.neighbours() if self.interactive else read_withdrawn(
            self.pledges_dir, self.mission, self.context.today)
        return withdrawn_at(found, self.values["website"])

    def withdrawn_slug(self, slug: str) -> str:
        """What to add when the file name taken is a withdrawn pledge's."""
        known = next((k for k in self.neighbours() if k.slug == slug), None)
        if known is None or known.values.get("status") != "withdrawn":
            return ""
        return (f"; it is withdrawn: to sign it again, give its website, or run socialmission "
                f"sign-again {slug}")

    def offer_to_sign_again(self, known: Known) -> bool:
        """Say whose website this is; on a terminal, offer to sign that pledge again
        (_SignAgain), else refuse the website with the command to run."""
        said, by_registry = withdrawal_said(known, str(known.path))
        if by_registry:
            self.refuse("website", [f"{said}, and only the registry's maintainers sign it "
                                    "again: ask them, or give another website"])
            return not self.interactive
        if not self.interactive:
            self.refuse("website", [f"{said}; to sign that pledge again, run socialmission "
                                    f"sign-again {known.slug}"])
            return True
        self.say(f"{said}. Signing it again keeps its own answers (to change them "
                 f"afterwards: socialmission update {known.slug}).")
        while (again := yes_or_no(self.prompt(
                f"Sign {known.path} again, today ({self.context.today}), for mission version "
                f"{self.mission.current.version}? (yes/no) [yes]: "), True)) is None:
            self.say("answer yes or no (y or n)")
        if again:
            raise _SignAgain(known.slug)
        self.refuse("website", ["then give another website: a new pledge never takes a "
                                "signatory's website (Ctrl-C stops)"])
        return False

    def sign_again(self, slug: str) -> int:
        """`sign-again`'s own edit on the pledge chosen, today."""
        from socialmission.changes.lifecycle import (  # noqa: PLC0415 - it imports this module
            Registry,
            run_sign_again,
        )

        registry = Registry(self.pledges_dir.parent, self.mission, self.name_fits,
                            self.context.today)
        return run_sign_again(registry, slug, None)

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
        if not self.interactive:  # found again at each later step: said once
            self.refused += [finding.message for finding in findings
                             if finding.message not in self.refused]
            return None
        for finding in findings:
            self.say(finding.message)
        steps = self.steps()
        first = steps[min(finding.line for finding in findings) - 1]
        if first == asked[-1]:  # about this answer alone: ask it again, afresh
            self.forget(first)
        else:
            self.say("asking again from there (press Enter to keep an answer)")
        return first


def read_neighbours(pledges_dir: Path, mission: Mission, day: dt.date) -> list[Known]:
    """What is known of each pledge in the folder, for the rules across files."""
    found: list[Known] = []
    if pledges_dir.is_dir():
        for target in discover([pledges_dir], []):
            known = read_pledge(target.path, mission, day, [])
            if known is not None:
                found.append(known)
    return found


def read_withdrawn(pledges_dir: Path, mission: Mission, day: dt.date) -> list[Known]:
    """What is known of each withdrawn pledge in the folder, for `withdrawn_at` where the
    other pledges are not needed: a file whose bytes never say "withdrawn" is not parsed
    (most are not, and parsing is nearly all of the cost; one that is missed, as with an
    escape in a quoted status, is still refused by the rules across files)."""
    found: list[Known] = []
    if pledges_dir.is_dir():
        for target in discover([pledges_dir], []):
            data = read_capped(target.path, FileProblems(str(target.path), []))
            if data is not None and WITHDRAWN_BYTES in data:
                known = read_pledge(target.path, mission, day, [], data=data)
                if known is not None:
                    found.append(known)
    return found


def withdrawn_at(neighbours: Iterable[Known], website: Url) -> Known | None:
    """The withdrawn pledge on the same site as `website`, if any: that signatory signs
    it again (sign-again) rather than a second pledge."""
    site = site_key(website)
    for known in neighbours:
        theirs = known.values.get("website")
        if known.values.get("status") == "withdrawn" and isinstance(theirs, Url) \
                and site_key(theirs) == site:
            return known
    return None


def withdrawal_said(known: Known, where: str) -> tuple[str, bool]:
    """Who withdrew the pledge at `where` when, as the routes to sign say it, and whether
    it was the registry's maintainers (who alone sign it again)."""
    current = known.pledge.current if known.pledge is not None else None
    by_registry = current is not None and current.withdrawn_by == c.WITHDRAWN_BY_REGISTRY
    whose = "the registry's" if by_registry else "its"
    day = current.withdrawn if current is not None else known.values.get("withdrawn")
    return (f"{where} has this website, and was withdrawn on {day} by {whose} maintainers: "
            "each signatory signs once"), by_registry


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


def pledge_text(answers: Mapping[str, Any], mission: Mission, status_index: int) -> str:
    """YAML for the answers, which have passed their checks, in the template's layout
    (check/template.py: its key order, sections and notes), with the first signature's
    revocation index (`first_status_index`). Each value is written plain where it reads
    back unchanged, else JSON-quoted (model/yamlwrite.py); a statement is folded (`>-`),
    as the template writes it, when that reads back unchanged too."""
    # No mission's name here: the file is the signatory's, whatever the registry is called.
    values = {key: _yaml_value(key, answers[key]) for key, _, _ in questions()
              if key in answers}
    values["status_index"] = scalar(status_index)
    lines = [EDITOR_LINE, "# A signatory's pledge. Guide: site/sign.md",
             *sections(mission, values)]
    return "\n".join(lines) + "\n"


def first_status_index(pledges_dir: Path, slug: str) -> int:
    """The revocation list index of a new pledge's first signature: past every index any
    pledge file in `pledges_dir` writes, tombstones included (model/statuslist.py)."""
    return statuslist.pick_index(slug, 1, statuslist.indexes_in(DISK, pledges_dir))


def _yaml_value(key: str, value: Any) -> str:
    """An answer as YAML after its key's colon (a leading newline starts a block)."""
    spec = _schema(key)
    if spec["type"] == "object":
        return "\n" + "\n".join(block_lines(dict(value), INDENT))
    if spec["type"] == "array":
        items: list[Any] = []
        for item in _items(value):
            login, number = _account(item) if key == "maintainers" else (item, None)
            items.append(item if number is None else {"login": login, "id": number})
        return "\n" + "\n".join(block_lines(items, INDENT))
    if spec["type"] == "integer":
        return scalar(int(value))
    if key in fields.MULTILINE_FIELDS and (folded := _folded(key, value)) is not None:
        return folded
    return scalar(value)


def _folded(key: str, text: str) -> str | None:
    """`text` as a folded block (`>-`), wrapped at the template's width, or None when
    that would not read back as exactly `text` (line breaks, runs of spaces, tabs)."""
    lines = textwrap.wrap(text, FOLD_WIDTH, break_long_words=False, break_on_hyphens=False)
    if not lines:
        return None
    block = ">-\n" + "\n".join(" " * INDENT + line for line in lines)
    try:
        root = parse(f"{key}: {block}\n")
    except YamlError:
        return None
    if not isinstance(root, YamlMapping) or list(root.items) != [key]:
        return None  # nothing a statement says may add a key
    node = root.items[key][1]
    return block if isinstance(node, Scalar) and node.value == text else None


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
