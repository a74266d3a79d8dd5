"""Phase 1: one pledge file alone: its name (the slug), its bytes, its YAML, its fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialmission.check.files import read_capped
from socialmission.check.rules import Context, check_fields, run
from socialmission.model import constants as c
from socialmission.model.mission import Mission
from socialmission.model.pledge import Pledge
from socialmission.model.problems import FileProblems, Problem
from socialmission.model.slugs import slug_problem, suggest_slug
from socialmission.model.yamlread import Mapping, Node, YamlError, parse, parse_entries


@dataclass(frozen=True)
class Known:
    """What is known of a pledge file that parsed as a mapping, whatever else is wrong
    with it: the fields that passed their own checks, for the later phases (compared with
    the other pledges, checked against the badge), so that one run reports all it can."""

    slug: str
    path: Path
    values: dict[str, Any]
    positions: dict[str, tuple[int, int]]
    pledge: Pledge | None  # the whole pledge, when nothing in the file is wrong


# The fields the later phases read, and what they are checked for there.
LATER_CHECKS = {"name": "compared with the other pledges' names and fitted to the badge",
                "website": "compared with the other pledges' websites",
                "logo": "opened and decoded"}


def read_pledge(path: Path, mission: Mission, day: dt.date, problems: list[Problem],
                notes: list[Problem] | None = None, *, data: bytes | None = None
                ) -> Known | None:
    """Read, parse and check one pledge file; append its problems, and to `notes` what
    its problems keep from being checked. None when the file could not be read as a
    mapping of fields at all. `data`: the file's bytes, already read by `read_capped`."""
    where = str(path)
    problem = FileProblems(where, problems)
    slug = path.name.removesuffix(c.PLEDGE_SUFFIX)
    slug_ok = check_slug(slug, problem)
    if data is None:
        data = read_capped(path, problem)
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        problem(line, column, "the file is not UTF-8 text: save it as UTF-8 "
                              f"(byte 0x{data[error.start]:02X} here is not valid)")
        return None
    text = text.removeprefix("\ufeff")
    read = read_yaml(text)
    if isinstance(read, YamlError):
        problem(read.line, read.column, read.message)
        return None
    root, errors, failed = read
    for yaml_error in errors:
        problem(yaml_error.line, yaml_error.column, yaml_error.message)
    context = Context(slug=slug, pledges_dir=path.parent, mission=mission, today=day)
    findings, (values, clean) = run(check_fields(root, context, failed))
    for finding in findings:
        problem(finding.line, finding.column, finding.message)
    if not isinstance(root, Mapping):
        return None
    positions = {key: (node.line, node.column) for key, (_, node) in root.items.items()}
    waiting = [key for key in LATER_CHECKS if key in root.items and key not in values]
    if waiting and notes is not None:
        line, column = positions[waiting[0]]
        notes.append(Problem(where, line, column, "until its problem is fixed, " + "; ".join(
            f"'{key}' cannot be {LATER_CHECKS[key]}" for key in waiting)))
    whole = clean and slug_ok and not errors
    pledge = Pledge.from_values(slug, path, values, positions) if whole else None
    return Known(slug, path, values, positions, pledge)


def read_yaml(text: str) -> tuple[Node, list[YamlError], set[str] | None] | YamlError:
    """The file's YAML: its root, the errors read past (keys given twice; entries that do
    not read) and, when the file did not parse as a whole, the fields whose entries did
    not read (None when it did). Its first error alone when it is not a block mapping."""
    repeats: list[YamlError] = []  # keys given twice: reported, and the rest read on
    try:
        return parse(text, repeats), repeats, None
    except YamlError as error:
        entries = parse_entries(text)  # only a file that does not parse pays for this
        if entries is None or not entries.errors:  # its error is not in one entry alone
            return error
        return entries.root, entries.errors, entries.failed


def check_slug(slug: str, problem: FileProblems) -> bool:
    """The file name is the slug, by the one slug rule (model/slugs.py)."""
    wrong = slug_problem(slug)
    if wrong is None:
        return True
    if not (c.SLUG_MIN <= len(slug) <= c.SLUG_MAX) or not c.SLUG_RE.match(slug):
        suggestion = suggest_slug(slug)
        fix = f": rename it to {suggestion}{c.PLEDGE_SUFFIX}" if \
            slug_problem(suggestion) is None else ""
        problem(0, 0, f"the file name is the signatory's address in the registry, so it "
                      f"{wrong}{fix}")
        return False
    problem(0, 0, f"'{slug}' {wrong}: choose another file name, such as your "
                  "organisation's full name")
    return False
