"""A pledge's life after signing: `update`, `withdraw`, `reaffirm`, `sign-again` and
`redact`.

Each command edits `pledges/<slug>.yaml` in place through model/yamlwrite.py, so only the
lines it must change do (comments, order and quoting stay byte for byte), checks the
result with the whole validator beside its neighbours, and only then replaces the file
atomically; when the check fails, it prints the problems and writes nothing. The
commands do not decide who may run them: the pull request's verdict (ownership/judge.py)
judges their edits like any other, and refuses a redaction by anyone but a registry
maintainer.

A pledge holds one or more signatures: the first at the file's top level, each later one
an entry of `signed_again` (model/pledge.py). `withdraw` and `reaffirm` write into the
current one, the last; `sign-again` appends one; nothing edits an earlier one.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from socialmission.changes.new import _account, _items
from socialmission.check.across import CAUTION_FIELDS
from socialmission.check.rendering import NameCheck
from socialmission.check.validate import validate
from socialmission.errors import EXIT_OK, EXIT_PROBLEMS, Refused, UsageError
from socialmission.model import constants as c
from socialmission.model import fields, paths, statuslist
from socialmission.model.filetree import DISK, DiskTree, OverlayTree
from socialmission.model.mission import Mission
from socialmission.model.problems import Problem, render
from socialmission.model.settings import settings_names
from socialmission.model.slugs import slug_problem
from socialmission.model.yamlread import Mapping as YamlMapping
from socialmission.model.yamlread import YamlError, parse
from socialmission.model.yamlwrite import (
    BOM,
    EditError,
    Value,
    append_item,
    plain_value,
    remove_value,
    set_value,
    strip_comments,
)

ORDER = tuple(field.name for field in fields.FIELDS)
SIGNATURE_ORDER = c.SIGNATURE_FIELDS  # the keys of a later signature, in the file's order
# What undoes a withdrawal by hand, which `update` never does: `status` set back to
# active, or the withdrawal's own lines removed. Signing again is what does.
WITHDRAWAL_FIELDS = ("status", "withdrawn", "withdrawn_reason", "withdrawn_by")
# The fields with their own command, and what to run instead of `update --set`.
OWN_COMMAND = {field.name: field.own_command for field in fields.FIELDS if field.own_command}


@dataclass(frozen=True)
class Registry:
    """What every command needs: where the pledges are, and what they are checked with."""

    root: Path
    mission: Mission
    name_fits: NameCheck
    today: dt.date


Edit = Callable[[str], str]


class RefusedEdit(EditError):
    """The pledge as it stands refuses the command, such as a withdrawn one reaffirmed
    (errors.Refused: exit 1, as a result the rules refuse; 2 is for the command line)."""


# --- reading the pledge as it stands ---------------------------------------------------------
def pledge_path(registry: Registry, slug: str) -> Path:
    if (wrong := slug_problem(slug)) is not None:
        raise UsageError(f"{slug!r} is not a pledge's slug: a slug {wrong}; give the file "
                         f"name without {c.PLEDGE_SUFFIX}, such as example-media")
    path = paths.pledges_dir(registry.root) / f"{slug}{c.PLEDGE_SUFFIX}"
    if path.is_symlink() or not path.is_file():
        raise UsageError(f"{path} is not a pledge file: check the slug (the commands edit "
                         "existing pledges; 'socialmission new' writes a new one)")
    return path


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text: run socialmission validate on it and "
                         "fix it first") from None


def _fields(path: Path, text: str) -> dict[str, Any]:
    """The pledge's values as written (not yet checked: the validator checks the result)."""
    try:
        root = parse(text.removeprefix(BOM))
    except YamlError as error:
        raise UsageError(f"{path}:{error.line}:{error.column}: {error.message}") from None
    if not isinstance(root, YamlMapping):
        raise UsageError(f"{path} does not hold a mapping of fields: run socialmission "
                         "validate on it and fix it first")
    values = plain_value(root)
    assert isinstance(values, dict)
    return values


def _day(text: str | None, registry: Registry, option: str) -> str:
    """A date option, YYYY-MM-DD (default today); the rules check the rest."""
    if text is None:
        return registry.today.isoformat()
    try:
        if not c.DATE_RE.match(text):
            raise ValueError(text)
        dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} must be a date written YYYY-MM-DD: got {text!r}") from None
    return text


# --- the edit, checked, then written ---------------------------------------------------------
def apply(registry: Registry, slug: str, edit: Edit, done: str,
          after: Callable[[], None] | None = None, *,
          options: Mapping[str, str] | None = None) -> int:
    """Edit one pledge: check the result beside its neighbours, then replace the file
    atomically (nothing is written when the check fails). `after` runs once it is written;
    `options`: by field, the options that set it, to say its problems as theirs."""
    path = pledge_path(registry, slug)
    before = _read_text(path)
    try:
        text = edit(before)
    except RefusedEdit as error:
        raise Refused(f"{path}: {error}") from None
    except EditError as error:
        raise UsageError(f"{path}: {error}") from None
    if not _passes(registry, path, text, before, options or {}):
        print(f"socialmission: {path} was not changed: fix the problems above first",
              file=sys.stderr)
        return EXIT_PROBLEMS
    if text != before:
        replace_atomically(path, text.encode("utf-8"))
    if after is not None:
        after()
    print(f"{done} in {path}: commit it and open a pull request")
    return EXIT_OK


def trial(registry: Registry, slug: str, edit: Edit) -> tuple[str, str, list[str]]:
    """An edit made in memory, for the issue forms: the text before, the text after, and
    the validator's messages on the result (paths as `pledges/<file>`); nothing is
    written. A refused edit is a UsageError, as for the commands."""
    path = pledge_path(registry, slug)
    before = _read_text(path)
    try:
        text = edit(before)
    except EditError as error:
        raise UsageError(str(error)) from None
    return before, text, [p.message for p in _report(registry, path, text, relative=True)]


def _passes(registry: Registry, target: Path, text: str, before: str,
            options: Mapping[str, str]) -> bool:
    """Validate `text` as `target`; print the problems, under the real path and where
    the file as it stands (`before`) has them, when it fails."""
    problems = _report(registry, target, text)
    if problems:
        sys.stderr.write(render(_as_on_disk(problems, str(target), before, text, options),
                                "text", 1))
    return not problems


def _as_on_disk(problems: list[Problem], where: str, before: str, after: str,
                options: Mapping[str, str]) -> list[Problem]:
    """The problems of a refused edit, said where the file on disk has them: one in a
    field an option sets is that option's; one in a field the edit kept is at its line
    on disk (an edit above it moves it); any other is the whole file's."""
    old, new = _key_lines(before), _key_lines(after)
    said: list[Problem] = []
    for problem in problems:
        key = _key_at(new, problem.line) if problem.path == where and problem.line else None
        if key is None:
            said.append(problem)
        elif key in options:
            said.append(replace(problem, line=0, column=0,
                                message=f"{options[key]}: {problem.message}"))
        elif key in old:
            said.append(replace(problem, line=old[key] + problem.line - new[key]))
        else:
            said.append(replace(problem, line=0, column=0))
    return said


def _key_lines(text: str) -> dict[str, int]:
    """The line of each top-level key of a pledge's text, in file order."""
    try:
        root = parse(text.removeprefix(BOM))
    except YamlError:
        return {}
    if not isinstance(root, YamlMapping):
        return {}
    return {key: node.line for key, (node, _) in root.items.items()}


def _key_at(lines: dict[str, int], line: int) -> str | None:
    """The top-level field whose entry holds `line` (None: before the first)."""
    holder = None
    for key, first in lines.items():
        if first > line:
            break
        holder = key
    return holder


def _report(registry: Registry, target: Path, text: str, *,
            relative: bool = False) -> list[Problem]:
    """The validator's problems with `text` as `target`, held in memory over the disk
    among its neighbours (the cross-file rules apply) and with its logo, under the real
    paths (from the registry's root with `relative`)."""
    disk, path = (DiskTree(registry.root), target.relative_to(registry.root)) if relative \
        else (DISK, target)
    report = validate([path], registry.mission, on=registry.today,
                      name_fits=registry.name_fits,
                      settings_names=settings_names(registry.root),
                      tree=OverlayTree(disk, {path: text.encode("utf-8")}))
    # a caution on a field the edit changes is refused by check-pr, so refused here
    brought_in = [caution.problem for caution in report.cautions
                  if _changes(target, text, CAUTION_FIELDS[caution.rule])]
    return [*report.problems, *brought_in]


def _changes(target: Path, text: str, key: str) -> bool:
    """Whether `text` gives `key` another value than the pledge at `target` does."""
    def value(source: str) -> object:
        try:
            root = parse(source.removeprefix(BOM))
        except YamlError:
            return None
        node = root.items.get(key) if isinstance(root, YamlMapping) else None
        return plain_value(node[1]) if node is not None else None

    return value(_read_text(target)) != value(text)


def replace_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`: a
    reader sees the old file or the new one, never half of one."""
    mode = path.stat().st_mode & 0o777
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- update ----------------------------------------------------------------------------------
def _schema_type(key: str) -> str:
    return str(next(field for field in fields.FIELDS if field.name == key).schema["type"])


def _value(key: str, text: str) -> Value:
    """A --set value as the pledge writes it: by the field's type in the table."""
    kind = _schema_type(key)
    if kind == "integer":
        return int(text) if text.isascii() and text.isdigit() else text
    if kind == "array" and key == "maintainers":
        accounts: list[Value] = []
        for item in _items(text):
            login, number = _account(item)
            accounts.append({"login": login, "id": number} if number is not None else item)
        return accounts
    return text


def _field_of(target: str, option: str, value: str | None = None) -> tuple[str, ...]:
    """A --set or --unset target, FIELD or social.NETWORK, as a path in the pledge
    (`value`: what --set gives it)."""
    names = [field.name for field in fields.FIELDS]
    key, dot, network = target.partition(".")
    if key not in names:
        raise UsageError(f"{option} {target!r}: there is no field '{key}': the fields are "
                         f"{', '.join(names)}")
    if key in WITHDRAWAL_FIELDS and (option == "--unset" or value == c.STATUSES[0]):
        raise UsageError(f"{option} {target!r}: a withdrawal is never undone, its record "
                         "stays: to be in force again, sign again: socialmission sign-again "
                         "SLUG")
    if key in OWN_COMMAND:
        raise UsageError(f"{option} {target!r}: '{key}' has its own command: "
                         f"{OWN_COMMAND[key]}")
    if key == "social":
        if not dot or network not in c.SOCIAL_HOSTS:
            raise UsageError(f"{option} {target!r}: give one network, as social.NETWORK "
                             f"(the networks are {', '.join(c.SOCIAL_HOSTS)})")
        return (key, network)
    if dot:
        raise UsageError(f"{option} {target!r}: '{key}' has no parts: write {key}=VALUE")
    return (key,)


def run_update(registry: Registry, slug: str, sets: list[str], unsets: list[str]) -> int:
    """`update SLUG --set FIELD=VALUE ... --unset FIELD ...`."""
    edit, done = update_edit(registry, slug, sets, unsets)
    return apply(registry, slug, edit, done, options=update_options(sets, unsets))


def update_options(sets: list[str], unsets: list[str]) -> dict[str, str]:
    """By field, the options of an update that change it, as the command line gave them
    ('--set website', '--unset social.x')."""
    said: dict[str, list[str]] = {}
    for option, items in (("--set", sets), ("--unset", unsets)):
        for item in items:
            target = item.partition("=")[0]
            said.setdefault(target.partition(".")[0], []).append(f"{option} {target}")
    return {key: ", ".join(options) for key, options in said.items()}


def update_edit(registry: Registry, slug: str, sets: list[str],
                unsets: list[str]) -> tuple[Edit, str]:
    """The edit `update` makes, and what it says it did."""
    if not sets and not unsets:
        raise UsageError("nothing to update: give --set FIELD=VALUE or --unset FIELD")
    changes: list[tuple[tuple[str, ...], Value | None]] = []
    for item in sets:
        target, equals, text = item.partition("=")
        if not equals:
            raise UsageError(f"--set {item!r}: write FIELD=VALUE, such as --set "
                             "country=GB")
        path = _field_of(target, "--set", text)
        changes.append((path, _value(path[0], text)))
    required = {field.name for field in fields.FIELDS if field.required}
    for target in unsets:
        path = _field_of(target, "--unset")
        if path == (path[0],) and path[0] in required:
            raise UsageError(f"--unset {target!r}: '{path[0]}' is required: --set it instead")
        changes.append((path, None))
    targets = [path for path, _ in changes]
    if len(set(targets)) != len(targets):
        twice = next(p for p in targets if targets.count(p) > 1)
        raise UsageError(f"'{'.'.join(twice)}' is given twice: set or unset it once")

    def edit(text: str) -> str:
        current = _fields(pledge_path(registry, slug), text)
        if "redacted" in current:
            raise RefusedEdit("this pledge is redacted: nothing of it is left to update")
        for path, value in changes:
            text = _edit_one(text, current, path, value)
            current = _fields(pledge_path(registry, slug), text)
        return text

    return edit, "updated " + ", ".join(".".join(p) for p in targets)


def _edit_one(text: str, current: dict[str, Any], path: tuple[str, ...],
              value: Value | None) -> str:
    held: Any = current
    for key in path:
        held = held.get(key) if isinstance(held, dict) else None
    if value is not None and held == value:
        return text  # already so: its line stays as it is written, quotes and all
    if len(path) == 2:  # social.NETWORK
        social = current.get("social")
        networks = list(c.SOCIAL_HOSTS)
        if value is None:
            if not isinstance(social, dict) or path[1] not in social:
                return text
            if len(social) == 1:  # its last network: the whole field goes
                return remove_value(text, ["social"])
            try:
                return remove_value(text, list(path))
            except EditError:  # written {a: b}: the whole field is written again, in lines
                return set_value(text, ["social"],
                                 {k: v for k, v in social.items() if k != path[1]}, ORDER)
        if isinstance(social, dict) and social:
            try:
                return set_value(text, list(path), value, networks)
            except EditError:  # written {a: b}: the whole field is written again, in lines
                merged = {**social, path[1]: value}
                return set_value(text, ["social"],
                                 {k: merged[k] for k in networks if k in merged}, ORDER)
        return set_value(text, ["social"], {path[1]: value}, ORDER)
    if value is None:
        return remove_value(text, list(path))
    return set_value(text, list(path), value, ORDER)


# --- the current signature ------------------------------------------------------------------
def _current_at(current: dict[str, Any]) -> tuple[tuple[str | int, ...], dict[str, Any]]:
    """Where the current signature's fields are (the top level, or the last entry of
    `signed_again`), and its fields as written."""
    later = current.get("signed_again")
    if isinstance(later, list) and later and isinstance(later[-1], dict):
        return ("signed_again", len(later) - 1), later[-1]
    return (), current


def _set_in_current(text: str, current: dict[str, Any], key: str, value: Value) -> str:
    where, _ = _current_at(current)
    return set_value(text, [*where, key], value, SIGNATURE_ORDER if where else ORDER)


# --- withdraw --------------------------------------------------------------------------------
def run_withdraw(registry: Registry, slug: str, reason: str, day: str | None,
                 by_registry: bool = False) -> int:
    """`withdraw SLUG --reason TEXT [--date DATE] [--by-registry]`: the status, and the
    current signature's date and reason (and who withdrew it)."""
    edit, done = withdraw_edit(registry, slug, reason, day, by_registry)
    return apply(registry, slug, edit, done, _registry_only if by_registry else None)


def withdraw_edit(registry: Registry, slug: str, reason: str,
                  day: str | None, by_registry: bool = False) -> tuple[Edit, str]:
    """The edit `withdraw` makes, and what it says it did."""
    when = _day(day, registry, "--date")

    def edit(text: str) -> str:
        current = _fields(pledge_path(registry, slug), text)
        if current.get("status") == "withdrawn":
            raise RefusedEdit(f"this pledge is already withdrawn (on "
                            f"{_current_at(current)[1].get('withdrawn')}): to change the "
                            "reason, edit 'withdrawn_reason' by hand")
        text = set_value(text, ["status"], "withdrawn", ORDER)
        text = _set_in_current(text, current, "withdrawn", when)
        text = _set_in_current(text, current, "withdrawn_reason", reason)
        if by_registry:
            text = _set_in_current(text, current, "withdrawn_by", c.WITHDRAWN_BY_REGISTRY)
        return text

    return edit, f"withdrew the pledge on {when}" + (
        f" for the registry's maintainers (withdrawn_by: {c.WITHDRAWN_BY_REGISTRY})"
        if by_registry else "")


def _registry_only() -> None:
    """Said once a change only a registry maintainer may make is written."""
    print("only a registry maintainer makes this change: the pull request's check refuses "
          "it from anyone else")


# --- reaffirm --------------------------------------------------------------------------------
def run_reaffirm(registry: Registry, slug: str, version: int | None, day: str | None) -> int:
    """`reaffirm SLUG [--version N] [--date DATE]`: append a reaffirmation to the current
    signature, keeping its `signed` and `mission_version`."""
    edit, done = reaffirm_edit(registry, slug, version, day)
    return apply(registry, slug, edit, done)


def reaffirm_edit(registry: Registry, slug: str, version: int | None,
                  day: str | None) -> tuple[Edit, str]:
    """The edit `reaffirm` makes, and what it says it did."""
    number = registry.mission.current.version if version is None else version
    if registry.mission.get(number) is None:
        raise UsageError(f"--version {number} does not exist: the published versions are "
                         f"{', '.join(str(n) for n in registry.mission.numbers)}")
    when = _day(day, registry, "--date")

    def edit(text: str) -> str:
        current = _fields(pledge_path(registry, slug), text)
        if current.get("status") == "withdrawn":
            raise RefusedEdit(f"a withdrawn pledge is not reaffirmed: sign it again, which "
                            f"signs the current mission version (socialmission sign-again "
                            f"{slug}, or the change form's '{c.SIGN_AGAIN_CHOICE}')")
        _, signature = _current_at(current)
        earlier = signature.get("reaffirmed")
        entries: list[Value] = list(earlier) if isinstance(earlier, list) else []
        versions = [signature.get("mission_version")] + [
            e.get("version") for e in entries if isinstance(e, dict)]
        newest = max((v for v in versions if isinstance(v, int)), default=0)
        if number <= newest:
            raise RefusedEdit(f"this pledge already has version {newest}: give a newer "
                            "--version, or none for the current one")
        entries.append({"version": number, "date": when})
        return _set_in_current(text, current, "reaffirmed", entries)

    return edit, f"reaffirmed mission version {number} on {when}"


# --- sign again ------------------------------------------------------------------------------
def run_sign_again(registry: Registry, slug: str, day: str | None,
                   by_registry: bool = False) -> int:
    """`sign-again SLUG [--date DATE] [--by-registry]`: a new signature of the current
    mission version, after the last was withdrawn; the earlier ones stay as they are."""
    edit, done = sign_again_edit(registry, slug, day, by_registry)
    return apply(registry, slug, edit, done, _registry_only if by_registry else None,
                 options={"signed_again": "--date"})


def sign_again_edit(registry: Registry, slug: str, day: str | None,
                    by_registry: bool = False) -> tuple[Edit, str]:
    """The edit `sign-again` makes, and what it says it did. Its date is checked by the
    validator's rules on the result (not before the withdrawal, not in the future)."""
    when = _day(day, registry, "--date")
    number = registry.mission.current.version

    def edit(text: str) -> str:
        current = _fields(pledge_path(registry, slug), text)
        _may_sign_again(current, slug, by_registry)
        text = remove_value(text, ["status"])
        entry: Value = {"signed": when, "mission_version": number,
                        "status_index": new_status_index(registry, slug, current)}
        if "signed_again" in current:
            return append_item(text, ["signed_again"], entry)
        return set_value(text, ["signed_again"], [entry], ORDER)

    return edit, f"signed the pledge again on {when} (mission version {number})"


def new_status_index(registry: Registry, slug: str, current: Mapping[str, Any], *,
                     in_force: bool = False) -> int:
    """The revocation list index of the pledge's next signature (or, `in_force`, of its
    signature in force): past every index any pledge file in the registry writes,
    tombstones included (model/statuslist.py)."""
    later = current.get("signed_again")
    # the first signature is number 1
    number = (1 if in_force else 2) + (len(later) if isinstance(later, list) else 0)
    used = statuslist.indexes_in(DISK, paths.pledges_dir(registry.root))
    return statuslist.pick_index(slug, number, used)


# --- the revocation index of a pledge from before the list -----------------------------------
def run_status_index(registry: Registry, slug: str) -> int:
    """`status-index SLUG`: give a published pledge's signature in force, written before
    the revocation list, its index (once; an index never changes)."""
    def edit(text: str) -> str:
        current = _fields(pledge_path(registry, slug), text)
        _, signature = _current_at(current)
        if "redacted" in current or current.get("status") == "withdrawn":
            raise RefusedEdit("only a signature in force is given an index: a withdrawn one "
                              "issued no credential to revoke")
        if "status_index" in signature:
            raise RefusedEdit(f"its signature has its index already (status_index: "
                              f"{signature['status_index']}), and an index never changes")
        return _set_in_current(text, current, "status_index",
                               new_status_index(registry, slug, current, in_force=True))

    return apply(registry, slug, edit, "gave the signature in force its revocation index")


def _may_sign_again(current: dict[str, Any], slug: str, by_registry: bool) -> None:
    """A pledge signs again only once withdrawn, never once redacted, and after a
    withdrawal by the registry's maintainers only by them (RefusedEdit says why not)."""
    if "redacted" in current:
        raise RefusedEdit("this pledge is redacted, and a redacted pledge never signs "
                          "again: to sign, write a new pledge (socialmission new)")
    if current.get("status") != "withdrawn":
        raise RefusedEdit(f"this pledge is not withdrawn: its signature is in force, so "
                          f"there is nothing to sign again; to sign a newer mission "
                          f"version, reaffirm it (socialmission reaffirm {slug})")
    _, signature = _current_at(current)
    by_them = signature.get("withdrawn_by") == c.WITHDRAWN_BY_REGISTRY
    if by_them and not by_registry:
        raise RefusedEdit(f"the registry's maintainers withdrew this signature (on "
                          f"{signature.get('withdrawn')}, withdrawn_by: "
                          f"{c.WITHDRAWN_BY_REGISTRY}), and only they sign it again: ask "
                          "them; a registry maintainer runs this with --by-registry")
    if by_registry and not by_them:
        raise RefusedEdit("--by-registry is for a signature the registry's maintainers "
                          "withdrew, and the pledge's own maintainers withdrew this one: "
                          "leave --by-registry out")


# --- redact ----------------------------------------------------------------------------------
def run_redact(registry: Registry, slug: str, reason: str, day: str | None) -> int:
    """`redact SLUG --reason TEXT`: keep a tombstone of a withdrawn pledge (the dates and
    versions of each of its signatures), removing every other field, each withdrawal's
    reason, every comment (free text may name people) and
    the logo file. The reason is said in the suggested commit message, not kept in the
    pledge, where it could repeat what is being removed."""
    when = _day(day, registry, "--date")
    pledge = pledge_path(registry, slug)
    logo = pledge.parent / paths.logo_path(slug)

    def edit(text: str) -> str:
        current = _fields(pledge, text)
        if "redacted" in current:
            raise RefusedEdit(f"this pledge was redacted already (on {current['redacted']})")
        if current.get("status") != "withdrawn":
            raise RefusedEdit("only a withdrawn pledge is redacted: withdraw it first "
                            "(socialmission withdraw SLUG --reason TEXT)")
        for key in current:
            if key not in c.TOMBSTONE_FIELDS:
                text = remove_value(text, [key])
        later = current.get("signed_again")
        for index in range(len(later) if isinstance(later, list) else 0):
            text = remove_value(text, ["signed_again", index, "withdrawn_reason"])
        text = set_value(text, ["redacted"], when, ORDER)
        return strip_comments(text)

    def remove_logo() -> None:
        if logo.is_file() or logo.is_symlink():
            logo.unlink()
            print(f"deleted {logo}")

    code = apply(registry, slug, edit, f"redacted the pledge on {when}", remove_logo)
    if code == EXIT_OK:
        print(f"suggested commit message: Redact {slug}: {' '.join(reason.split())}\n"
              "git history still holds the old text: see "
              f"{paths.OPERATORS_GUIDE}, 'Redacting a pledge', for what a registry "
              "maintainer can do about it")
    return code
