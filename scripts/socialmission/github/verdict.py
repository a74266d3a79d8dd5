"""The required verdict on a pull request: `check-pr` on the commits of the event's pull
request, for every account that brought its head, posted as a check run on the head
commit by the registry's GitHub App.

The check run is the verdict branch protection requires, pinned to the App as its source:
a pull request's own workflow can define a job of any name, and a check run made with the
default token has the same source as every job, so only the App's can be trusted. This
runs in the default branch's code (a `pull_request_target` job) and reads the pull
request's commits as data (ownership/judge.py). Only pull requests into the default
branch are judged (`only_the_default_branch`).

Who a verdict speaks for: the author, and the account that pushed the head when it is
another (`pusher`); on an edit or a reopening, the accounts the App's earlier check runs
on that head recorded (`earlier_accounts`, `unrecorded`). Each check run records the
accounts it judged in its `external_id` (`Record`), which only the App's own token can
write: a run is read back only when the App whose token this job holds posted it, under
the verdict's name, on that very commit (`app_runs`).

With `automerge: true` (and `domain_proof: true`, which the settings require with it), an
allowed pull request that changes only `pledges/`, judged on a push for its author alone
(`left_to_a_human`), is merged by `automerge` in a later step with a token that may write
contents: it reads again, from GitHub and the trusted checkout, whether the merge is
allowed, and merges at the head commit that was judged, so GitHub refuses the merge if
anything was pushed since. Branch protection still requires the verdict.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from socialmission.check.rendering import NameCheck
from socialmission.errors import UsageError
from socialmission.github.api import ApiError, GitHub
from socialmission.github.event import ACTIONS, PUSH_ACTIONS, PullRequest
from socialmission.github.signing import issue_author
from socialmission.model.constants import GITHUB_LOGIN_RE
from socialmission.model.gitrepo import Repository, changed_paths
from socialmission.model.markdown import markdown_text as markdown_text  # noqa: PLC0414
from socialmission.model.problems import Problem, check_run_annotations
from socialmission.model.settings import default as setting_default
from socialmission.model.settings import settings_if_present
from socialmission.model.urls import Url
from socialmission.ownership.judge import Verdict, judge
from socialmission.ownership.rules import PLEDGES, Author, DomainProof, ProofCheck

ANNOTATIONS_PER_CALL = 50  # GitHub's limit on one check-run request
MAX_ANNOTATIONS = 500  # beyond that the summary says how many were left out
SUMMARY_MAX = 60_000  # characters; GitHub refuses a summary over 65,535
MAX_ACCOUNTS: Final = 10  # accounts one head is judged for (a push brings one or two)
RUNS_PER_PAGE: Final = 100  # GitHub's most check runs in one answer
MAX_RUN_PAGES: Final = 10  # pages of earlier check runs read for one head
MERGE_METHOD: Final = "merge"
# Where the workflow gives the slug of the App whose token it made: only its runs are read.
APP_SLUG_VARIABLE: Final = "REGISTRY_APP_SLUG"


def _account(author: Author) -> str:
    return f"@{markdown_text(author.login)} (account {author.id})"


def summary(pull: PullRequest, verdict: Verdict,
            judged: Sequence[Author] = ()) -> str:
    """The check run's text; `judged`: the accounts the head was judged for, the author
    first (default: the author alone)."""
    author, *others = judged or [Author(pull.author_login, pull.author_id)]
    who = _account(author)
    if others:
        who += f", and for {', '.join(map(_account, others))}, who brought this head too,"
    head = (f"Judged for {who} against the base branch {markdown_text(pull.base_ref)}: "
            f"{len(verdict.changed)} changed file(s).")
    text = f"{head}\n\n{verdict.render('markdown')}".rstrip() + "\n"
    return text if len(text) <= SUMMARY_MAX else text[:SUMMARY_MAX] + "\n\n(cut short)\n"


def annotations_of(verdict: Verdict) -> list[dict[str, Any]]:
    return check_run_annotations(verdict.problems(), MAX_ANNOTATIONS)


# --- what a check run records ----------------------------------------------------------------
@dataclass(frozen=True)
class Record:
    """What a verdict's check run records in its `external_id`: the pull request, the
    event's action, and the ids of the accounts it judged the head for."""

    pull: int
    action: str
    accounts: frozenset[int]

    def text(self) -> str:
        return (f"pull={self.pull} event={self.action} "
                f"accounts={','.join(map(str, sorted(self.accounts)))}")


_RECORD: Final = re.compile(r"pull=([1-9][0-9]{0,9}) event=([a-z]{1,20}) "
                            r"accounts=([1-9][0-9]{0,11}(?:,[1-9][0-9]{0,11})*)")


def read_record(text: object) -> Record | None:
    """The record of one of the App's check runs; None when it records nothing (a run
    that did not know who brought its head, or made before runs recorded it). A record
    that does not read is a UsageError: only this code writes them."""
    if text is None or text == "":
        return None
    found = _RECORD.fullmatch(text) if isinstance(text, str) else None
    accounts = frozenset(int(n) for n in found[3].split(",")) if found else frozenset()
    if found is None or found[2] not in ACTIONS or not 0 < len(accounts) <= MAX_ACCOUNTS:
        raise UsageError(f"one of the App's check runs records {str(text)[:80]!r}, which "
                         "is not a verdict's record: nothing is judged on it")
    return Record(int(found[1]), found[2], accounts)


def check_name(root: Path) -> str:
    """The verdict's name (registry.yaml's check_name), which branch protection requires:
    the trusted checkout's (its default where it has no settings file)."""
    settings = settings_if_present(root)
    return str(setting_default("check_name")) if settings is None else settings.check_name


def _is_the_apps(run: Any, sha: str, app_slug: str, name: str) -> bool:
    app = run.get("app") if isinstance(run, dict) else None
    return isinstance(app, dict) and app.get("slug") == app_slug and \
        run.get("name") == name and run.get("head_sha") == sha and \
        isinstance(run.get("id"), int)


def app_runs(github: GitHub, sha: str, app_slug: str, name: str) -> list[dict[str, Any]]:
    """The verdict's check runs (named `name`) on the commit `sha` that the App whose
    token this job holds (its slug, from the step that made the token) posted. Nothing
    else is read: any workflow job or other App may post a check run of any name, with
    any record."""
    if not app_slug:
        raise UsageError(f"no {APP_SLUG_VARIABLE}: the workflow passes the slug of the App "
                         "whose token it made, so that only that App's check runs are read")
    found: list[dict[str, Any]] = []
    for page in range(1, MAX_RUN_PAGES + 1):
        answer = github.call("GET", f"/repos/{github.repository}/commits/{sha}/check-runs"
                                    f"?check_name={quote(name)}&filter=all"
                                    f"&per_page={RUNS_PER_PAGE}&page={page}")
        runs = answer.get("check_runs") if isinstance(answer, dict) else None
        if not isinstance(runs, list):
            raise UsageError(f"GitHub's list of the check runs on {sha[:12]} has no "
                             "check_runs")
        found.extend(run for run in runs if _is_the_apps(run, sha, app_slug, name))
        if len(runs) < RUNS_PER_PAGE:
            return found
    raise UsageError(f"{sha[:12]} has more than {MAX_RUN_PAGES * RUNS_PER_PAGE} check runs "
                     f"named {name!r}: push the pull request again")


def earlier_accounts(github: GitHub, sha: str, app_slug: str,
                     name: str) -> frozenset[int] | None:
    """The accounts the App's earlier check runs (named `name`) on `sha` recorded, all
    together; None when none recorded any."""
    records = [read_record(run.get("external_id"))
               for run in app_runs(github, sha, app_slug, name)]
    known = [record for record in records if record is not None]
    return frozenset().union(*(r.accounts for r in known)) if known else None


GONE: Final = "(account {id}, gone from GitHub)"  # no login: never matches an entry


def current_login(github: GitHub, account_id: int) -> str:
    """The login GitHub gives an account now (GONE for one it no longer has)."""
    try:
        user = github.call("GET", f"/user/{int(account_id)}")
    except ApiError as error:
        if error.status == 404:
            return GONE.format(id=account_id)
        raise
    login = user.get("login") if isinstance(user, dict) else None
    if not isinstance(login, str) or not GITHUB_LOGIN_RE.match(login.removesuffix("[bot]")):
        raise UsageError(f"GitHub gives account {account_id} no login")
    return login


# --- who a verdict speaks for: the rules ------------------------------------------------------
def only_the_default_branch(pull: PullRequest) -> None:
    """The verdict judges only pull requests into the repository's default branch, against
    whose tip it judges (GitHub runs `pull_request_target` from the default branch,
    whatever the base): any other base gets no check run and no merge."""
    if pull.base_ref != pull.default_branch:
        raise UsageError(f"#{pull.number} asks to merge into {pull.base_ref!r}, not into the "
                         f"default branch {pull.default_branch!r}: the verdict judges only "
                         "pull requests into the default branch (verdict.yml's branches); "
                         "no check run is posted and nothing is merged")


def pusher(pull: PullRequest) -> Author | None:
    """On `opened` and `synchronize` the head is judged for the event's sender too (who
    opened or pushed it) when that is another account than the author. For the App's own
    pull requests a push by the App is the issue author's; any other sender is judged as
    itself."""
    if pull.action not in PUSH_ACTIONS or pull.sender_id == pull.author_id:
        return None
    if pull.app_login and pull.sender_login.casefold() == pull.app_login.casefold():
        return None
    return Author(pull.sender_login, pull.sender_id)


def unrecorded(pull: PullRequest) -> Problem:
    """An `edited` or `reopened` event judges the head for the author and the accounts the
    App's earlier check runs on it recorded, and does not pass a head that none recorded:
    the run of the push that brought it may have been cancelled (a newer event of the
    same pull request cancels a running verdict)."""
    return Problem("", 0, 0, (
        f"no earlier verdict of the App on {pull.head_sha[:12]} records who pushed it (its "
        "run may have been cancelled by a newer event), so it is not judged for the "
        "author alone: push again, or re-run the verdict of the push that brought it"))


def too_many(count: int) -> Problem:
    """A head is judged for at most MAX_ACCOUNTS accounts; one that more brought is
    refused."""
    return Problem("", 0, 0, (
        f"{count} accounts brought this head, and the verdict judges one for at most "
        f"{MAX_ACCOUNTS}: open a new pull request from one account"))


@dataclass(frozen=True)
class MergeFacts:
    """What automerge decides on, besides the verdict itself."""

    action: str  # the event the verdict judged
    author_id: int
    judged: frozenset[int]  # the accounts the head was judged for
    head_is_authors: bool  # the head repository is the author's (App: the registry's)


def left_to_a_human(facts: MergeFacts) -> str | None:
    """Automerge merges only on `opened` or `synchronize`, when the head was judged for the
    author alone and is in the author's own repository (for the App's pull requests:
    every push was the App's, in the registry's repository); anything else is left to a
    human, and why is returned."""
    if facts.action not in PUSH_ACTIONS:
        return f"it was judged on '{facts.action}', not on a push"
    if facts.judged != {facts.author_id}:
        return "its head was brought by another account than its author"
    if not facts.head_is_authors:
        return "its head is not in its author's own repository"
    return None


def changes_only_pledges(changed: Sequence[str]) -> bool:
    """Automerge merges only a pull request that changes files under pledges/, and only
    those."""
    return bool(changed) and all(path.startswith(PLEDGES) for path in changed)


# --- judging -----------------------------------------------------------------------------------
def _once(proofs: ProofCheck | None) -> ProofCheck | None:
    """The domain proof looked up once per slug and website, however many accounts are
    judged."""
    if proofs is None:
        return None
    seen: dict[tuple[str, str], DomainProof] = {}

    def check(slug: str, website: Url) -> DomainProof:
        key = (slug, website.text)
        if key not in seen:
            seen[key] = proofs(slug, website)
        return seen[key]

    return check


def judge_for(root: Path, base: str, head: str, judged: Sequence[Author],
              name_fits: NameCheck, *, proofs: ProofCheck | None = None,
              github: GitHub | None = None) -> Verdict:
    """The head judged for each account, the author first: refused when any judgement
    refuses; what only another account's judgement found names that account."""
    proofs = _once(proofs)
    accounts = github.account_exists if github is not None else None
    author, *others = judged
    verdict = judge(root, base, head, author, name_fits, proofs=proofs, accounts=accounts)
    for other in others:
        theirs = judge(root, base, head, other, name_fits, proofs=proofs, accounts=accounts,
                       pushed_to_another=True)
        said = f"for {other.login} (id {other.id}), who brought this head too: "
        verdict.refusals.extend(replace(p, message=said + p.message)
                                for p in theirs.refusals if p not in verdict.refusals)
        verdict.warnings.extend(replace(p, message=said + p.message)
                                for p in theirs.warnings if p not in verdict.warnings)
        verdict.notices.extend(n for n in theirs.notices if n not in verdict.notices)
    return verdict


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    judged: tuple[Author, ...]  # the author first
    record: Record | None  # what the check run records (None: who brought it is unknown)


def accounts_to_judge(pull: PullRequest, github: GitHub | None, app_slug: str,
                      name: str) -> tuple[list[Author], list[Problem], bool]:
    """The accounts the head is judged for (the author first), the problems that already
    refuse it, and whether they are known (False: nothing to record); `name` is the
    verdict's."""
    judged = [Author(pull.author_login, pull.author_id)]
    if pull.action in PUSH_ACTIONS:
        found = pusher(pull)
        judged.extend([found] if found is not None else [])
        return judged, [], True
    if github is None:  # a dry run: the App's earlier check runs are not read
        return judged, [], False
    earlier = earlier_accounts(github, pull.head_sha, app_slug, name)
    if earlier is None:
        return judged, [unrecorded(pull)], False
    others = sorted(earlier - {pull.author_id})
    if len(others) >= MAX_ACCOUNTS:
        return judged, [too_many(len(others) + 1)], False
    judged.extend(Author(current_login(github, number), number) for number in others)
    return judged, [], True


def run(root: Path, pull: PullRequest, base: str, github: GitHub | None,
        name_fits: NameCheck, *, proofs: ProofCheck | None = None,
        app_slug: str = "") -> Judgement:
    """Judge the pull request's head for every account that brought it (with GitHub,
    also whether its pledges' maintainers still have accounts) and post the verdict,
    recording whom it judged."""
    name = check_name(root)
    judged, problems, known = accounts_to_judge(pull, github, app_slug, name)
    verdict = judge_for(root, base, pull.head_sha, judged, name_fits, proofs=proofs,
                        github=github)
    verdict.refusals[:0] = problems
    if github is None and pull.action not in PUSH_ACTIONS:
        verdict.notices.append("a dry run reads no earlier verdict: judged for the author "
                               "alone")
    record = Record(pull.number, pull.action, frozenset(a.id for a in judged)) \
        if known else None
    if github is not None:
        post(github, pull, verdict, judged, record, name=name)
    return Judgement(verdict, tuple(judged), record)


def post(github: GitHub, pull: PullRequest, verdict: Verdict,
         judged: Sequence[Author] = (), record: Record | None = None, *, name: str) -> int:
    """Create the completed check run named `name` (annotations in batches of 50),
    recording whom it judged; its id."""
    title = "Allowed" if verdict.allowed else \
        f"Refused: {len(set(verdict.refusals))} problem(s)"
    notes = annotations_of(verdict)
    output = {"title": title, "summary": summary(pull, verdict, judged),
              "annotations": notes[:ANNOTATIONS_PER_CALL]}
    created = github.call("POST", f"/repos/{github.repository}/check-runs", {
        "name": name, "head_sha": pull.head_sha, "status": "completed",
        "conclusion": "success" if verdict.allowed else "failure", "output": output,
        **({"external_id": record.text()} if record is not None else {})})
    if not isinstance(created, dict) or not isinstance(created.get("id"), int):
        raise ValueError("GitHub's answer has no check run id")
    run_id: int = created["id"]
    for start in range(ANNOTATIONS_PER_CALL, len(notes), ANNOTATIONS_PER_CALL):
        github.call("PATCH", f"/repos/{github.repository}/check-runs/{run_id}", {
            "output": {**output, "annotations": notes[start:start + ANNOTATIONS_PER_CALL]}})
    return run_id


def head_is_authors(pull: PullRequest, repository: str) -> bool:
    """Whether the head is in the author's own repository (an organisation's fork, or a
    branch of the registry itself, is not); for the App's pull requests, the registry's
    own repository."""
    if pull.app_login:
        return pull.head_repository.casefold() == repository.casefold()
    return pull.head_owner_id == pull.author_id


def why_not_merged(pull: PullRequest, judgement: Judgement, repository: str) -> str | None:
    """Why the verdict step leaves this pull request to a human, or None: the later step
    may merge it (and checks again)."""
    verdict = judgement.verdict
    if not verdict.allowed:
        return "it is refused"
    if not changes_only_pledges(verdict.changed):
        return f"it changes more than {PLEDGES}"
    if judgement.record is None:
        return "who brought its head is not known"
    return left_to_a_human(MergeFacts(pull.action, pull.author_id,
                                      judgement.record.accounts,
                                      head_is_authors(pull, repository)))


# --- automerge: the merge step ------------------------------------------------------------------
def _text(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _changed_files(root: Path, sha: str) -> list[str]:
    """The files merging `sha` into the trusted checkout's HEAD changes, read from git."""
    repo = Repository(root)
    head = repo.commit(sha)
    bases = repo.merge_bases(repo.commit("HEAD"), head)
    if len(bases) != 1:
        return []
    return sorted(changed_paths(repo.tree(bases[0]), repo.tree(head)))


def automerge(github: GitHub, root: Path, number: int, sha: str, *, enabled: bool,
              app_slug: str, app_login: str | None) -> str:
    """Merge #number at `sha` when, read again from trusted sources, automerge may: the
    trusted checkout's settings (`enabled`) and git objects (only pledges/ changes),
    GitHub's pull request (open, at `sha`, into the default branch; its author and head
    repository) and the App's own newest verdict on `sha` (a success, judged on a push of
    this pull request for its author alone). What was done, in a line; a merge GitHub
    refuses is said and fails nothing: the verdict stands."""
    def no(why: str) -> str:
        return f"not merged automatically (#{number}): {why}"

    if not enabled:
        return no("automerge is off in the base branch's settings")
    repository = github.call("GET", f"/repos/{github.repository}")
    pull = github.call("GET", f"/repos/{github.repository}/pulls/{number}")
    default = _text(repository, "default_branch")
    if _text(pull, "state") != "open" or _text(pull, "head", "sha") != sha:
        return no(f"it is no longer open at {sha[:12]}")
    if not isinstance(default, str) or _text(pull, "base", "ref") != default:
        return no("it no longer asks to merge into the default branch")
    login, account = _text(pull, "user", "login"), _text(pull, "user", "id")
    if not isinstance(login, str) or not isinstance(account, int) or account < 1:
        return no("GitHub's answer names no author")
    head_repository, owner = (_text(pull, "head", "repo", "full_name"),
                              _text(pull, "head", "repo", "owner", "id"))
    shown = PullRequest(number, sha, default, login, account,
                        str(_text(pull, "head", "ref") or ""),
                        head_repository if isinstance(head_repository, str) else "",
                        default_branch=default,
                        head_owner_id=owner if isinstance(owner, int) else 0)
    if app_login and login.casefold() == app_login.casefold():
        author = issue_author(github, shown.head_ref, shown.head_repository)
        shown = replace(shown, author_login=author.login, author_id=author.id,
                        app_login=login)
    runs = app_runs(github, sha, app_slug, check_name(root))
    if not runs:
        return no(f"the App has no verdict on {sha[:12]}")
    newest = max(runs, key=lambda found: int(found["id"]))
    if (newest.get("status"), newest.get("conclusion")) != ("completed", "success"):
        return no(f"the App's newest verdict on {sha[:12]} does not allow it")
    record = read_record(newest.get("external_id"))
    if record is None or record.pull != number:
        return no(f"the App's newest verdict on {sha[:12]} is not this pull request's")
    why = left_to_a_human(MergeFacts(record.action, shown.author_id, record.accounts,
                                     head_is_authors(shown, github.repository)))
    if why is not None:
        return no(why)
    if not changes_only_pledges(_changed_files(root, sha)):
        return no(f"it changes more than {PLEDGES}")
    try:
        github.call("PUT", f"/repos/{github.repository}/pulls/{number}/merge",
                    {"sha": sha, "merge_method": MERGE_METHOD})
    except UsageError as error:
        return no(str(error))
    return f"merged #{number} at {sha[:12]} (automerge)"
