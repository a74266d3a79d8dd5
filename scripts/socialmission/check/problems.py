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

    def as_text(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"

    def as_github(self) -> str:
        # GitHub's workflow-command syntax: the message must not carry raw newlines or
        # '%', and the properties must not carry ',' or ':' unescaped.
        def data(value: str) -> str:
            return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        def prop(value: str) -> str:
            return data(value).replace(":", "%3A").replace(",", "%2C")

        return (
            f"::error file={prop(self.path)},line={max(self.line, 1)},"
            f"col={max(self.column, 1)}::{data(self.message)}"
        )

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "column": self.column,
                "message": self.message}


def render(problems: Iterable[Problem], fmt: str, checked: int) -> str:
    """Print problems sorted, in one of the formats `text`, `github` or `json`."""
    ordered = sorted(set(problems))
    if fmt == "json":
        return json.dumps(
            {"checked": checked, "problems": [p.as_dict() for p in ordered]},
            ensure_ascii=False, indent=2, sort_keys=True,
        ) + "\n"
    lines = [p.as_github() if fmt == "github" else p.as_text() for p in ordered]
    files = "file" if checked == 1 else "files"
    if ordered:
        count = "1 problem" if len(ordered) == 1 else f"{len(ordered)} problems"
        summary = f"{count} in {len({p.path for p in ordered})} of {checked} {files}."
    else:
        summary = f"{checked} {files} checked: all good."
    # GitHub shows annotations from stdout; the summary stays readable in the log.
    return "\n".join([*lines, summary]) + "\n"
