"""What a check reports: a problem at a place in a file, and how problems are printed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file. Lines and columns count from 1; 0 means the whole file."""

    path: str
    line: int
    column: int
    message: str

    def as_text(self, level: str = "error") -> str:
        """`path:line:column: message`; a warning says so before its message."""
        prefix = "" if level == "error" else f"{level}: "
        return f"{self.path}:{self.line}:{self.column}: {prefix}{self.message}"

    def github_data(self) -> str:
        """The message as a workflow command's data: no raw newlines or '%'."""
        return _command_data(self.message)

    def as_github(self, level: str = "error") -> str:
        """A GitHub workflow command (`::error` or `::warning`) that annotates the line."""
        # The properties must not carry ',' or ':' unescaped either.
        def prop(value: str) -> str:
            return _command_data(value).replace(":", "%3A").replace(",", "%2C")

        return (
            f"::{level} file={prop(self.path)},line={max(self.line, 1)},"
            f"col={max(self.column, 1)}::{self.github_data()}"
        )

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "column": self.column,
                "message": self.message}


def _command_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def render(problems: Iterable[Problem], fmt: str, checked: int,
           notes: Iterable[Problem] = (), warnings: Iterable[Problem] = ()) -> str:
    """Print problems sorted, in one of the formats `text`, `github` or `json`, then any
    warnings (what stands in a published pledge but is refused in a new one) and notes
    (what could not be checked until a problem is fixed); neither is counted as a problem."""
    ordered = sorted(set(problems))
    warned = sorted(set(warnings))
    noted = sorted(set(notes))
    if fmt == "json":
        document: dict[str, object] = {"checked": checked,
                                       "problems": [p.as_dict() for p in ordered]}
        if warned:
            document["warnings"] = [p.as_dict() for p in warned]
        if noted:
            document["notes"] = [p.as_dict() for p in noted]
        return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if fmt == "github":
        lines = [p.as_github() for p in ordered] + [p.as_github("warning") for p in warned] \
            + [p.as_github("notice") for p in noted]
    else:
        lines = [p.as_text() for p in ordered] + [p.as_text("warning") for p in warned] \
            + [p.as_text("note") for p in noted]
    files = "file" if checked == 1 else "files"
    if ordered:
        count = "1 problem" if len(ordered) == 1 else f"{len(ordered)} problems"
        summary = f"{count} in {len({p.path for p in ordered})} of {checked} {files}"
    else:
        summary = f"{checked} {files} checked: all good"
    if warned:
        summary += f" ({len(warned)} warning{'s' if len(warned) != 1 else ''})"
    # GitHub shows annotations from stdout; the summary stays readable in the log.
    return "\n".join([*lines, summary + "."]) + "\n"
