"""What a check reports, and how it is shown.

A `Problem` is one thing wrong: in a file (at a line and column; 0 for the whole file),
under a form's question (`label`), or about a whole run (no path), at one of the `LEVELS`.
Every command shows its problems through `show`, in one of the `FORMATS`: text
(`path:line:column: message` and a summary line), GitHub's workflow commands
(`::error file=...,line=...,col=...::message`, which annotate a pull request's lines), JSON,
and Markdown (a check run's summary, a comment on an issue), in which nothing a message
quotes becomes a link or markup, nor in a comment a mention. `check_run_annotations`
gives a check run's annotations; `FileProblems` collects one file's problems as a reader
finds them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import total_ordering
from typing import Final, Literal

from socialmission.model.markdown import comment_text, markdown_text

LevelName = Literal["error", "warning", "note", "notice"]
FORMATS: Final = ("text", "github", "json", "markdown")


@dataclass(frozen=True)
class Level:
    """How a level is said outside text (where it is its own name)."""

    command: str  # GitHub's workflow command
    annotation: str  # a check run's annotation_level
    # an aside to the outcome: shown in the order found, each time, and in JSON as its
    # message alone (the others are sorted, shown once each, and given whole)
    aside: bool = False


LEVELS: Final[Mapping[LevelName, Level]] = {  # in the order shown
    "error": Level("error", "failure"),
    "warning": Level("warning", "warning"),
    "note": Level("notice", "notice"),  # what a problem kept from being checked
    "notice": Level("notice", "notice", aside=True),  # said beside a verdict
}


@total_ordering
@dataclass(frozen=True)
class Problem:
    """One thing wrong. Lines and columns count from 1; 0 means the whole file. Problems
    sort by path, question, line, column and message."""

    path: str  # "": not in a file (a form's answer, or the whole run)
    line: int
    column: int
    message: str
    level: LevelName = "error"
    label: str = ""  # the form's question the problem is under ("": none)

    def _key(self) -> tuple[str, str, int, int, str, str]:
        return self.path, self.label, self.line, self.column, self.message, self.level

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self._key() < other._key()

    def as_text(self) -> str:
        """`path:line:column: message`, the level before the message unless it is an
        error; `path: message` for a problem of the whole file (line 0); `level: message`
        for a problem in no file."""
        if not self.path:
            return f"{self.level}: {self.message}"
        prefix = "" if self.level == "error" else f"{self.level}: "
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        return f"{where}: {prefix}{self.message}"

    def as_github(self) -> str:
        """A GitHub workflow command (`::error`, `::warning`, `::notice`) that annotates
        the line, or the run for a problem in no file."""
        command = LEVELS[self.level].command
        if not self.path:
            return f"::{command}::{_command_data(self.message)}"
        # The properties must not carry ',' or ':' unescaped either.
        def prop(value: str) -> str:
            return _command_data(value).replace(":", "%3A").replace(",", "%2C")

        return (f"::{command} file={prop(self.path)},line={max(self.line, 1)},"
                f"col={max(self.column, 1)}::{_command_data(self.message)}")

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "column": self.column,
                "message": self.message}

    def as_markdown(self, escape: Callable[[str], str] = comment_text) -> str:
        """A Markdown list item: the question in bold, or the path and line, before the
        message; every part escaped with `escape` (by default, no mention either)."""
        if self.label:
            where = f"**{escape(self.label)}**: "
        elif self.path:
            where = f"{escape(self.path)}{f' line {self.line}' if self.line else ''}: "
        else:
            where = ""
        return f"- {where}{escape(self.message)}"


class FileProblems:
    """Where one file's problems go as they are found: called with a line, a column and
    a message, it appends the record of that problem in the file to `into`."""

    __slots__ = ("into", "path")

    def __init__(self, path: str, into: list[Problem]) -> None:
        self.path = path
        self.into = into

    def __call__(self, line: int, column: int, message: str) -> None:
        self.into.append(Problem(self.path, line, column, message))


def _command_data(value: str) -> str:
    """A workflow command's data: no raw newline, carriage return or '%'."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def at_level(problems: Iterable[Problem], level: LevelName) -> list[Problem]:
    """The problems, each at `level` (a list of warnings says what its problems are)."""
    return [p if p.level == level else replace(p, level=level) for p in problems]


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """The problems as they are shown: by level (LEVELS' order); within one, sorted and
    each once, asides as found."""
    given = list(problems)
    ordered: list[Problem] = []
    for level, ways in LEVELS.items():
        found = [p for p in given if p.level == level]
        ordered += found if ways.aside else sorted(set(found))
    return ordered


def counted(count: int, noun: str) -> str:
    """'1 problem', '2 problems'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def with_warnings(summary: str, problems: Iterable[Problem]) -> str:
    """A summary, and how many warnings there are when there are any."""
    warned = len({p for p in problems if p.level == "warning"})
    return f"{summary} ({counted(warned, 'warning')})" if warned else summary


@dataclass(frozen=True)
class Frame:
    """How one command frames its problems beyond each line: JSON's name for each level's
    list (`optional`: the levels whose list stands only when it holds any), Markdown's
    section title for each level (none: one list), and whether Markdown lets an '@' stay
    (a check run's summary mentions nobody; a comment would notify)."""

    lists: Mapping[LevelName, str] = field(default_factory=dict)
    optional: frozenset[LevelName] = frozenset()
    sections: Mapping[LevelName, str] = field(default_factory=dict)
    mentions: bool = False


def show(problems: Iterable[Problem], fmt: str, frame: Frame, summary: str = "",
         facts: Mapping[str, object] | None = None) -> str:
    """The problems in one of the FORMATS: text and github end with `summary` and a full
    stop; JSON holds `facts` and the frame's lists; Markdown is a list of items (under
    the frame's section titles), each line ending in a newline."""
    ordered = in_order(problems)
    if fmt == "json":
        document = dict(facts or {})
        for level, key in frame.lists.items():
            items = [p.message if LEVELS[level].aside else p.as_dict()
                     for p in ordered if p.level == level]
            if items or level not in frame.optional:
                document[key] = items
        return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if fmt == "markdown":
        return "".join(line + "\n" for line in _markdown(ordered, frame))
    if fmt not in FORMATS:
        raise ValueError(f"no format {fmt!r}: the formats are {', '.join(FORMATS)}")
    lines = [p.as_github() if fmt == "github" else p.as_text() for p in ordered]
    # GitHub shows annotations from stdout; the summary stays readable in the log.
    return "\n".join([*lines, summary + "."]) + "\n"


def _markdown(ordered: Sequence[Problem], frame: Frame) -> list[str]:
    escape = markdown_text if frame.mentions else comment_text
    if not frame.sections:
        return [p.as_markdown(escape) for p in ordered]
    lines: list[str] = []
    for level, title in frame.sections.items():
        items = [p.as_markdown(escape) for p in ordered if p.level == level]
        if items:
            lines += [f"### {title}", "", *items, ""]
    return lines


def check_run_annotations(problems: Iterable[Problem], limit: int) -> list[dict[str, object]]:
    """A check run's annotations of the first `limit` problems, those in a file: each on
    its line, at its level, its message cut at GitHub's 4,000 characters."""
    return [{"path": p.path, "start_line": max(p.line, 1), "end_line": max(p.line, 1),
             "annotation_level": LEVELS[p.level].annotation, "message": p.message[:4000]}
            for p in in_order(problems)[:limit] if p.path]


# --- the validator's report ------------------------------------------------------------
CHECKED: Final = Frame(lists={"error": "problems", "warning": "warnings", "note": "notes"},
                       optional=frozenset({"warning", "note"}))


def render(problems: Iterable[Problem], fmt: str, checked: int,
           notes: Iterable[Problem] = (), warnings: Iterable[Problem] = ()) -> str:
    """The validator's report in `fmt`: the problems, then any warnings (what stands in a
    published pledge but is refused in a new one) and notes (what could not be checked
    until a problem is fixed), neither counted as a problem, then how many files were
    checked and how many have problems."""
    errors = at_level(problems, "error")
    found = [*errors, *at_level(warnings, "warning"), *at_level(notes, "note")]
    paths = {p.path for p in errors}
    files = counted(checked, "file")
    summary = (f"{counted(len(set(errors)), 'problem')} in {len(paths)} of {files}"
               if errors else f"{files} checked: all good")
    return show(found, fmt, CHECKED, with_warnings(summary, found), {"checked": checked})
