"""`socialmission new`: write a valid pledge from prompts or flags, never overwriting."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from socialmission.check.problems import render
from socialmission.check.rendering import NameCheck
from socialmission.check.rules import FIELDS, Context, run
from socialmission.check.schema import EDITOR_LINE
from socialmission.check.validate import validate
from socialmission.errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from socialmission.model import constants as c
from socialmission.model import fields
from socialmission.model.clock import today
from socialmission.model.mission import Mission
from socialmission.model.slugs import suggest_slug
from socialmission.model.yamlread import Mapping as YamlMapping
from socialmission.model.yamlread import Node, Scalar, Sequence


def questions() -> list[tuple[str, str, bool]]:
    """(field, prompt, required) for each field `new` asks about, in file order."""
    return [(field.name, field.prompt if field.required else f"{field.prompt} (optional)",
             field.required) for field in fields.FIELDS if field.prompt is not None]


def _schema(key: str) -> Mapping[str, Any]:
    """The field's schema: its type says how an answer is read and written."""
    return next(field for field in fields.FIELDS if field.name == key).schema


def add_arguments(parser: argparse.ArgumentParser) -> None:
    for key, prompt, _ in questions():
        parser.add_argument(f"--{key.replace('_', '-')}", dest=key, metavar="VALUE",
                            help=prompt)
    parser.add_argument("--slug", help="file name without .yaml (default: from the name)")
    parser.add_argument("--no-input", action="store_true",
                        help="never prompt: take flags and defaults only (for scripts)")


def _items(answer: str) -> list[str]:
    """A list answer: comma-separated, blanks dropped."""
    return [item.strip() for item in answer.split(",") if item.strip()]


def _account(item: str) -> tuple[str, int | None]:
    """A maintainers answer, 'login:id' (or a login alone), as the pledge writes it."""
    login, sep, number = item.partition(":")
    login, number = login.strip(), number.strip()
    return (login, int(number)) if sep and number.isdigit() and number.isascii() else \
        (item, None)


def _item_node(key: str, item: str) -> Node:
    if key == "maintainers":
        login, number = _account(item)
        if number is not None:
            return YamlMapping(1, 1, {
                "login": (Scalar(1, 1, "login", True, "login"), Scalar(1, 1, login, False, login)),
                "id": (Scalar(1, 1, "id", True, "id"), Scalar(1, 1, str(number), True, number)),
            })
    return Scalar(1, 1, item, False, item)


def _node_for(key: str, answer: str) -> Scalar | Sequence:
    kind = _schema(key)["type"]
    if kind == "array":
        return Sequence(1, 1, [_item_node(key, item) for item in _items(answer)])
    if kind == "integer" and answer.isdigit():
        return Scalar(1, 1, answer, True, int(answer))
    return Scalar(1, 1, answer, False, answer)


def check_answer(key: str, answer: str, context: Context) -> list[str]:
    findings, _ = run(FIELDS[key](key, _node_for(key, answer), context))
    return [finding.message for finding in findings]


def run_new(args: argparse.Namespace, pledges_dir: Path, mission: Mission,
            name_fits: NameCheck, ask: Callable[[str], str] = input) -> int:
    interactive = not args.no_input and sys.stdin.isatty()
    context = Context(slug="new", pledges_dir=pledges_dir, mission=mission, today=today())
    defaults = {"signed": context.today.isoformat(),
                "mission_version": str(mission.current.version)}
    answers: dict[str, str] = {}
    for key, prompt, required in questions():
        given = getattr(args, key)
        while True:
            if given is None and interactive:
                default = defaults.get(key)
                suffix = f" [{default}]" if default else ""
                given = ask(f"{prompt}{suffix}: ").strip() or default or ""
            value = given if given is not None else defaults.get(key, "")
            if not value:
                if required:
                    if not interactive:
                        raise UsageError(f"--{key.replace('_', '-')} is required")
                    print(f"  '{key}' is required.", file=sys.stderr)
                    given = None
                    continue
                break
            messages = check_answer(key, value, context)
            if not messages:
                answers[key] = value
                break
            for message in messages:
                print(f"  {message}", file=sys.stderr)
            if not interactive:
                raise UsageError(f"--{key.replace('_', '-')}: {messages[0]}")
            given = None

    slug = args.slug or suggest_slug(answers["name"])
    if interactive and not args.slug:
        slug = ask(f"File name (slug) [{slug}]: ").strip() or slug
    if not slug:
        raise UsageError("no file name can be made from this name in plain letters: pass "
                         "--slug, such as --slug my-organisation")
    target = pledges_dir / f"{slug}{c.PLEDGE_SUFFIX}"
    if target.exists() or target.is_symlink():
        raise UsageError(f"{target} already exists: edit it instead (pledges are never "
                         "overwritten)")
    text = pledge_text(answers)
    return _write_checked(target, text, mission, name_fits)


def pledge_text(answers: dict[str, str]) -> str:
    """YAML for the answers, which have passed their checks. Strings are JSON-quoted,
    which YAML reads back exactly; numbers and YYYY-MM-DD dates are written bare."""
    lines = [EDITOR_LINE, "# A Social Mission pledge. Guide: site/sign.md", ""]
    for key, _, _ in questions():
        if key not in answers:
            continue
        value = answers[key]
        spec = _schema(key)
        if spec["type"] == "array":
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


def _write_checked(target: Path, text: str, mission: Mission, name_fits: NameCheck) -> int:
    """Validate the new pledge beside its future neighbours, then create it atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent.parent) as scratch:
        # Check the pledge under its final name, among copies of its neighbours, so the
        # cross-file rules (same website, look-alike names) apply before anything is written.
        trial_dir = Path(scratch) / "pledges"
        trial_dir.mkdir()
        for neighbour in target.parent.glob(f"*{c.PLEDGE_SUFFIX}"):
            if neighbour.is_file() and not neighbour.is_symlink():
                (trial_dir / neighbour.name).write_bytes(neighbour.read_bytes())
        trial = trial_dir / target.name
        trial.write_text(text, encoding="utf-8")
        report = validate([trial], mission, name_fits=name_fits)
        if not report.ok:
            sys.stderr.write(render(report.problems, "text", report.checked)
                             .replace(str(trial), str(target)))
            return EXIT_PROBLEMS
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {target}: commit it and open a pull request")
    return EXIT_OK
