"""The required verdict on a pull request: `check-pr` on the commits of the event's pull
request, posted as a check run on its head commit by the registry's GitHub App.

The check run is the verdict branch protection requires, pinned to the App as its source:
a pull request's own workflow can define a job of any name, and a check run made with the
default token has the same source as every job, so only the App's can be trusted. This
runs in the base branch's code (a `pull_request_target` job) and reads the pull request's
commits as data (check/ownership.py).

With `automerge: true` (and `domain_proof: true`, which the settings require with it), an
allowed pull request that changes only `pledges/` is then merged with the App's token, at
the head commit that was judged (`sha`): GitHub refuses the merge if anything was pushed
since, and that push is judged on its own. Branch protection still requires the verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from socialmission.check.markdown import markdown_text as markdown_text  # noqa: PLC0414
from socialmission.check.ownership import PLEDGES, Author, ProofCheck, Verdict, judge
from socialmission.check.problems import Problem
from socialmission.check.rendering import NameCheck
from socialmission.errors import UsageError
from socialmission.github.api import GitHub
from socialmission.github.event import PullRequest

CHECK_NAME = "Social Mission verdict"  # what branch protection requires, from the App
ANNOTATIONS_PER_CALL = 50  # GitHub's limit on one check-run request
MAX_ANNOTATIONS = 500  # beyond that the summary says how many were left out
SUMMARY_MAX = 60_000  # characters; GitHub refuses a summary over 65,535


def _where(problem: Problem) -> str:
    """'path line N: ' before a problem's message; nothing for the whole pull request."""
    if not problem.path:
        return ""
    return f"{markdown_text(problem.path)}{f' line {problem.line}' if problem.line else ''}: "


def summary(pull: PullRequest, verdict: Verdict) -> str:
    lines = [f"Judged for @{markdown_text(pull.author_login)} (account {pull.author_id}) "
             f"against the base branch {markdown_text(pull.base_ref)}: "
             f"{len(verdict.changed)} changed file(s).", ""]

    def section(title: str, problems: Iterable[Problem]) -> None:
        items = sorted(set(problems))
        if items:
            lines.extend([f"### {title}", ""])
            lines.extend(f"- {_where(p)}{markdown_text(p.message)}" for p in items)
            lines.append("")

    section("Refused", verdict.refusals)
    section("Warnings", verdict.warnings)
    if verdict.notices:
        lines.extend(["### Notices", ""])
        lines.extend(f"- {markdown_text(notice)}" for notice in verdict.notices)
    text = "\n".join(lines).rstrip() + "\n"
    return text if len(text) <= SUMMARY_MAX else text[:SUMMARY_MAX] + "\n\n(cut short)\n"


def annotations_of(verdict: Verdict) -> list[dict[str, Any]]:
    found = [(p, "failure") for p in sorted(set(verdict.refusals))] + \
        [(p, "warning") for p in sorted(set(verdict.warnings))]
    return [{"path": p.path, "start_line": max(p.line, 1), "end_line": max(p.line, 1),
             "annotation_level": level, "message": p.message[:4000]}
            for p, level in found[:MAX_ANNOTATIONS] if p.path]


def post(github: GitHub, pull: PullRequest, verdict: Verdict) -> int:
    """Create the completed check run (annotations in batches of 50); its id."""
    title = "Allowed" if verdict.allowed else \
        f"Refused: {len(set(verdict.refusals))} problem(s)"
    notes = annotations_of(verdict)
    output = {"title": title, "summary": summary(pull, verdict),
              "annotations": notes[:ANNOTATIONS_PER_CALL]}
    created = github.call("POST", f"/repos/{github.repository}/check-runs", {
        "name": CHECK_NAME, "head_sha": pull.head_sha, "status": "completed",
        "conclusion": "success" if verdict.allowed else "failure", "output": output})
    if not isinstance(created, dict) or not isinstance(created.get("id"), int):
        raise ValueError("GitHub's answer has no check run id")
    run_id: int = created["id"]
    for start in range(ANNOTATIONS_PER_CALL, len(notes), ANNOTATIONS_PER_CALL):
        github.call("PATCH", f"/repos/{github.repository}/check-runs/{run_id}", {
            "output": {**output, "annotations": notes[start:start + ANNOTATIONS_PER_CALL]}})
    return run_id


def run(root: Path, pull: PullRequest, base: str, github: GitHub | None,
        name_fits: NameCheck, *, proofs: ProofCheck | None = None) -> Verdict:
    """Judge the pull request (with GitHub, whether its pledges' maintainers still have
    accounts) and post the verdict."""
    verdict = judge(root, base, pull.head_sha, Author(pull.author_login, pull.author_id),
                    name_fits, proofs=proofs,
                    accounts=github.account_exists if github is not None else None)
    if github is not None:
        post(github, pull, verdict)
    return verdict


def mergeable(verdict: Verdict) -> bool:
    """Whether automerge may merge: allowed, and every changed file is under pledges/."""
    return verdict.allowed and bool(verdict.changed) and \
        all(path.startswith(PLEDGES) for path in verdict.changed)


def automerge(github: GitHub, pull: PullRequest, verdict: Verdict) -> str:
    """Merge an allowed pledge-only pull request at the judged head commit; what was done,
    in a line. A merge GitHub refuses (a newer push, a conflict, protection not yet
    satisfied) is said, and fails nothing: the verdict stands."""
    if not mergeable(verdict):
        return (f"not merged automatically: #{pull.number} "
                f"{'changes more than ' + PLEDGES if verdict.allowed else 'is refused'}")
    try:
        github.call("PUT", f"/repos/{github.repository}/pulls/{pull.number}/merge",
                    {"sha": pull.head_sha, "merge_method": "merge"})
    except UsageError as error:
        return f"not merged automatically: {error}"
    return f"merged #{pull.number} at {pull.head_sha[:12]} (automerge)"
