"""Who a verdict speaks for, and when it may merge: the workflow's verdict step and merge
step as GitHub runs them, on recorded `pull_request_target` payloads, a real repository
and the fake GitHub API on 127.0.0.1, which lists back the check runs the App posted.

Each test is a pull request that was once judged for its author alone (and merged by
automerge as the author's change), or judged against the default branch while asking to
merge elsewhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import NAME_FITS, ROOT, TESTS
from fake_github import REPO, FakeApi
from git_support import (
    ACME,
    ALICE,
    BOB,
    CHECK_NAME,
    KEEPER,
    SETTINGS,
    Repo,
    new_pledge,
    pledge,
)
from socialmission.errors import UsageError
from socialmission.github.event import read_pull_request
from socialmission.github.verdict import (
    APP_SLUG_VARIABLE,
    GONE,
    MAX_ACCOUNTS,
    Record,
    app_runs,
    automerge,
    read_record,
)
from socialmission.ownership.judge import judge

EVENTS = TESTS / "data" / "events"
SLUG = "socially-m-registry"  # the App whose token the job made
APP = f"{SLUG}[bot]"
R = f"/repos/{REPO}"
RUNS = f"{R}/commits/{{sha}}/check-runs"
OCTO = pledge("Octo Works", "octo.example.org", "- login: octo-cat", "  id: 42")
MALLORY_PUSHED = "for mallory (id 666), who brought this head too: only the maintainers of "


@pytest.fixture
def api() -> Iterator[FakeApi]:
    fake = FakeApi({
        ("POST", f"{R}/check-runs"): {"id": 7},
        ("GET", R): {"full_name": REPO, "default_branch": "main"},
        ("GET", f"{R}/issues/12"): {"number": 12, "user": {"login": "octo-cat", "id": 42}},
        # every listed maintainer still has an account (an orphaned pledge is another
        # story: ownership/judge.py)
        **{("GET", f"/user/{account}"): {"login": login, "id": account}
           for login, account in (("alice", 100), ("octo-cat", 42), ("mallory", 666))},
        ("PUT", f"{R}/pulls/42/merge"): {"merged": True},
    })
    yield fake
    fake.close()


@pytest.fixture
def trusted(repo: Repo) -> Repo:
    # The trusted checkout's fonts for the name check; never part of a commit.
    (repo.root / "badges").symlink_to(ROOT / "badges")
    (repo.root / ".git" / "info" / "exclude").write_text("/badges\n")
    return repo


def on_main(repo: Repo, settings: str = "", **files: str) -> None:
    """Commit settings (added to SETTINGS) and files on main, then go on with pr."""
    repo.git("checkout", "-q", "main")
    repo.write("registry.yaml", SETTINGS + settings)
    for path, text in files.items():
        repo.write(path, text)
    repo.commit("on main")
    repo.git("checkout", "-q", "pr")
    repo.git("merge", "-q", "main")


AUTOMERGE = "domain_proof: true\nautomerge: true\n"


def event(repo: Repo, tmp_path: Path, name: str, sha: str, **changes: Any) -> Path:
    """A recorded payload for the head `sha`; `changes` replace parts of its pull_request
    (or its sender)."""
    data = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    data["pull_request"]["head"]["sha"] = sha
    data["pull_request"]["base"]["sha"] = repo.git("rev-parse", "main").strip()
    for key, value in changes.items():
        if key == "sender":
            data["sender"] = value
        else:
            data["pull_request"][key] = value
    path = tmp_path / f"event-{len(list(tmp_path.glob('event-*')))}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _run(repo: Repo, api: FakeApi, args: list[str], event_path: Path,
         outputs: Path) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": os.environ["PATH"], "GITHUB_EVENT_PATH": str(event_path),
                   "GITHUB_API_URL": api.github.api_url, "GH_TOKEN": "app-token",
                   "GITHUB_REPOSITORY": REPO, "GITHUB_ACTIONS": "true",
                   APP_SLUG_VARIABLE: SLUG, "GITHUB_OUTPUT": str(outputs)}
    return subprocess.run([sys.executable, "-m", "socialmission", *args], cwd=repo.root,
                          capture_output=True, text=True, check=False, env=environment)


class Job:
    """What the verdict workflow's job did: each step's result and the verdict's
    outputs."""

    def __init__(self, verdict: subprocess.CompletedProcess[str], outputs: dict[str, str],
                 merge: subprocess.CompletedProcess[str] | None) -> None:
        self.verdict, self.outputs, self.merge = verdict, outputs, merge


def job(repo: Repo, api: FakeApi, event_path: Path, pull: dict[str, Any] | None = None) -> Job:
    """The job's steps as verdict.yml runs them: the verdict, then (only when its output
    says so) the merge step, which GitHub answers with `pull` as the pull request and the
    check runs the App has posted so far."""
    repo.git("checkout", "-q", "main")
    outputs = event_path.with_suffix(".outputs")
    verdict = _run(repo, api, ["verdict"], event_path, outputs)
    found = dict(line.split("=", 1) for line in outputs.read_text().splitlines()) \
        if outputs.is_file() else {}
    merge = None
    if found.get("automerge") == "true" and verdict.returncode == 0:
        if pull is not None:
            api.answers[("GET", f"{R}/pulls/{found['pull']}")] = pull
        list_runs(api, found["sha"], posted_runs(api))
        merge = _run(repo, api, ["automerge", "--pull", found["pull"], "--sha", found["sha"]],
                     event_path, outputs)
    return Job(verdict, found, merge)


def posted(api: FakeApi) -> list[dict[str, Any]]:
    return [body for method, path, body in api.requests
            if (method, path) == ("POST", f"{R}/check-runs")]


def posted_runs(api: FakeApi, slug: str = SLUG) -> list[dict[str, Any]]:
    """The check runs posted so far, as GitHub lists them (ids in order)."""
    return [{"id": 100 + number, "name": body["name"], "head_sha": body["head_sha"],
             "status": body["status"], "conclusion": body["conclusion"],
             "external_id": body.get("external_id"), "app": {"slug": slug}}
            for number, body in enumerate(posted(api))]


def list_runs(api: FakeApi, sha: str, runs: list[dict[str, Any]]) -> None:
    api.answers[("GET", RUNS.format(sha=sha))] = {"total_count": len(runs),
                                                  "check_runs": runs}


def a_run(sha: str, record: str | None, *, slug: str = SLUG, name: str = CHECK_NAME,
          conclusion: str = "success", number: int = 1) -> dict[str, Any]:
    return {"id": number, "name": name, "head_sha": sha, "status": "completed",
            "conclusion": conclusion, "external_id": record, "app": {"slug": slug}}


def merged(api: FakeApi) -> bool:
    return ("PUT", f"{R}/pulls/42/merge") in api.paths()


def the_pull(head: str, *, login: str = "alice", account: int = 100,
             owner: int = 100, ref: str = "sign-acme", repository: str = "alice/fork",
             state: str = "open", base: str = "main") -> dict[str, Any]:
    """The pull request as GitHub's API gives it to the merge step."""
    return {"number": 42, "state": state, "user": {"login": login, "id": account},
            "base": {"ref": base},
            "head": {"sha": head, "ref": ref,
                     "repo": {"full_name": repository, "owner": {"id": owner}}}}


def an_edit_of_acme(repo: Repo) -> str:
    repo.write("pledges/acme.yaml", ACME + "country: GB\n")
    return repo.commit()


# --- the author's own push: merged, and recorded ------------------------------------------------
def test_the_authors_own_push_is_merged_by_the_merge_step(trusted: Repo, tmp_path: Path,
                                                          api: FakeApi) -> None:
    on_main(trusted, AUTOMERGE)
    head = an_edit_of_acme(trusted)
    done = job(trusted, api, event(trusted, tmp_path, "pull_request_target.json", head),
               the_pull(head))
    assert done.verdict.returncode == 0, done.verdict.stdout + done.verdict.stderr
    assert done.outputs == {"automerge": "true", "pull": "42", "sha": head}
    [run] = posted(api)
    assert run["external_id"] == "pull=42 event=synchronize accounts=100"
    assert done.merge is not None
    assert done.merge.returncode == 0, done.merge.stderr
    assert f"merged #42 at {head[:12]} (automerge)" in done.merge.stdout
    assert api.requests[-1] == ("PUT", f"{R}/pulls/42/merge",
                                {"sha": head, "merge_method": "merge"})
    # the verdict step itself wrote nothing but the check run
    assert api.paths()[0] == ("POST", f"{R}/check-runs")


@pytest.mark.parametrize(("change", "why"), [
    ("refused", "it is refused"),
    ("not only pledges", "it changes more than pledges/"),
    ("setting off", None),
])
def test_nothing_else_is_merged(trusted: Repo, tmp_path: Path, api: FakeApi, change: str,
                                why: str | None) -> None:
    on_main(trusted, AUTOMERGE if change != "setting off" else "")
    if change == "refused":
        trusted.write("pledges/brio.yaml", pledge("Brio Works", "brio.example.org",
                                                  "- login: bob", "  id: 200", "- x"))
    changes: dict[str, Any] = {}
    if change == "not only pledges":  # a registry maintainer's own, allowed
        trusted.write("README.md", "hello\n")
        keeper = {"login": "keeper", "id": 1}
        changes = {"user": keeper, "sender": keeper,
                   "head": {"ref": "fix", "repo": {"full_name": "keeper/fork",
                                                   "owner": keeper}}}
    head = an_edit_of_acme(trusted)
    changes.get("head", {})["sha"] = head
    done = job(trusted, api, event(trusted, tmp_path, "pull_request_target.json", head,
                                   **changes), the_pull(head))
    assert done.verdict.returncode == (1 if change == "refused" else 0)
    assert done.outputs["automerge"] == "false" and done.merge is None
    assert not merged(api)
    if why is None:
        assert "merge" not in done.verdict.stdout
    else:
        assert f"not merged automatically (#42): {why}" in done.verdict.stdout


def test_opened_by_its_author_is_merged_too(trusted: Repo, tmp_path: Path,
                                            api: FakeApi) -> None:
    on_main(trusted, AUTOMERGE)
    head = an_edit_of_acme(trusted)
    done = job(trusted, api, event(trusted, tmp_path, "pull_request_target.opened.json",
                                   head), the_pull(head))
    assert posted(api)[0]["external_id"] == "pull=42 event=opened accounts=100"
    assert merged(api), (done.merge or done.verdict).stdout


# --- a push by another account -------------------------------------------------------------
def test_a_push_by_another_account_is_judged_for_that_account(trusted: Repo, tmp_path: Path,
                                                             api: FakeApi) -> None:
    """mallory, given write access to alice's fork, pushes an edit of alice's pledge: once
    judged (and merged) as alice's change."""
    on_main(trusted, AUTOMERGE)
    head = an_edit_of_acme(trusted)
    done = job(trusted, api, event(trusted, tmp_path,
                                   "pull_request_target.synchronize-by-another.json", head),
               the_pull(head))
    assert done.verdict.returncode == 1
    assert done.outputs["automerge"] == "false" and done.merge is None
    assert not merged(api)
    [run] = posted(api)
    assert run["conclusion"] == "failure"
    assert run["external_id"] == "pull=42 event=synchronize accounts=100,666"
    assert run["output"]["summary"].startswith(
        "Judged for @alice (account 100), and for @mallory (account 666), who brought this "
        "head too, against the base branch main")
    [note] = run["output"]["annotations"]
    assert note["path"] == "pledges/acme.yaml"
    assert note["message"].startswith(MALLORY_PUSHED + "acme listed on the base branch")


def test_a_registry_maintainers_push_is_named_and_left_to_a_human(
        trusted: Repo, tmp_path: Path, api: FakeApi) -> None:
    on_main(trusted, AUTOMERGE)
    head = an_edit_of_acme(trusted)
    keeper = {"login": "keeper", "id": 1, "type": "User"}
    done = job(trusted, api, event(trusted, tmp_path, "pull_request_target.json", head,
                                   sender=keeper), the_pull(head))
    assert done.verdict.returncode == 0, done.verdict.stdout
    assert "keeper (id 1), a registry maintainer, pushed to this pull request: judged with " \
           "a registry maintainer's rights" in done.verdict.stdout
    assert "not merged automatically (#42): its head was brought by another account than " \
           "its author" in done.verdict.stdout
    assert done.outputs["automerge"] == "false" and not merged(api)
    assert posted(api)[0]["external_id"] == "pull=42 event=synchronize accounts=1,100"


def test_a_registry_maintainer_who_pushes_need_not_be_listed_on_a_new_pledge(
        repo: Repo) -> None:
    repo.write("pledges/zeta.yaml", new_pledge("Zeta Club", "zeta.example.org",
                                           "- login: alice", "  id: 100"))
    repo.commit()
    pushed = judge(repo.root, "main", "pr", KEEPER, NAME_FITS, pushed_to_another=True)
    assert pushed.allowed, pushed.refusals
    assert pushed.notices == ["keeper (id 1), a registry maintainer, pushed to this pull "
                              "request: judged with a registry maintainer's rights"]
    # as the author, and as anyone else who pushes, the listing is required
    for author, pushed_to_another in ((KEEPER, False), (BOB, True)):
        verdict = judge(repo.root, "main", "pr", author, NAME_FITS,
                        pushed_to_another=pushed_to_another)
        assert [p.message.split(":")[0] for p in verdict.refusals] == \
            ["a new pledge must list you among its maintainers"]
    assert judge(repo.root, "main", "pr", ALICE, NAME_FITS).allowed


# --- the App's own pull requests -----------------------------------------------------------
def app_registry(repo: Repo) -> str:
    on_main(repo, AUTOMERGE + f"app_login: {APP}\n", **{"pledges/octo.yaml": OCTO})
    repo.write("pledges/octo.yaml", OCTO + "country: GB\n")
    return repo.commit()


APP_PULL: dict[str, Any] = {"login": APP, "account": 9999, "owner": 9000, "ref": "sign/issue-12",
            "repository": REPO}


def test_the_apps_push_is_its_issue_authors(trusted: Repo, tmp_path: Path,
                                            api: FakeApi) -> None:
    head = app_registry(trusted)
    done = job(trusted, api, event(trusted, tmp_path, "pull_request_target.app.json", head),
               the_pull(head, **APP_PULL))
    assert done.verdict.returncode == 0, done.verdict.stdout + done.verdict.stderr
    [run] = posted(api)
    assert run["external_id"] == "pull=42 event=synchronize accounts=42"
    assert run["output"]["summary"].startswith("Judged for @octo\\-cat (account 42) against")
    assert done.merge is not None and "merged #42" in done.merge.stdout, done.merge
    assert merged(api)


def test_anyone_elses_push_to_the_apps_pull_request_is_judged_as_itself(
        trusted: Repo, tmp_path: Path, api: FakeApi) -> None:
    head = app_registry(trusted)
    mallory = {"login": "mallory", "id": 666, "type": "User"}
    done = job(trusted, api, event(trusted, tmp_path, "pull_request_target.app.json", head,
                                   sender=mallory), the_pull(head, **APP_PULL))
    assert done.verdict.returncode == 1
    [run] = posted(api)
    assert run["external_id"] == "pull=42 event=synchronize accounts=42,666"
    assert [n["message"].split("octo")[0] for n in run["output"]["annotations"]] == \
        [MALLORY_PUSHED]
    assert not merged(api)


# --- edited and reopened: the accounts recorded on the head ------------------------------------
@pytest.mark.parametrize("name", ["pull_request_target.edited.json",
                                  "pull_request_target.reopened.json"])
def test_an_edit_judges_the_accounts_recorded_on_the_head(trusted: Repo, tmp_path: Path,
                                                          api: FakeApi, name: str) -> None:
    on_main(trusted, AUTOMERGE)
    head = an_edit_of_acme(trusted)
    list_runs(api, head, [a_run(head, "pull=42 event=synchronize accounts=100,666",
                                conclusion="failure")])
    done = job(trusted, api, event(trusted, tmp_path, name, head), the_pull(head))
    assert done.verdict.returncode == 1
    [run] = posted(api)
    action = name.split(".")[1]
    assert run["external_id"] == f"pull=42 event={action} accounts=100,666"
    assert any(n["message"].startswith(MALLORY_PUSHED) for n in run["output"]["annotations"])
    assert ("GET", "/user/666") in api.paths()  # mallory's login as it is now
    assert not merged(api)


def test_an_edit_does_not_pass_a_head_nobody_recorded(trusted: Repo, tmp_path: Path,
                                                      api: FakeApi) -> None:
    """mallory's push was cancelled by alice's edit (cancel-in-progress) before its
    verdict was posted: the edit may not pass it as alice's."""
    on_main(trusted, AUTOMERGE)
    head = an_edit_of_acme(trusted)
    list_runs(api, head, [])
    path = event(trusted, tmp_path, "pull_request_target.edited.json", head)
    done = job(trusted, api, path, the_pull(head))
    assert done.verdict.returncode == 1
    [run] = posted(api)
    assert "external_id" not in run  # it knew nobody: a later edit finds nobody either
    assert "records who pushed it" in run["output"]["summary"]
    list_runs(api, head, posted_runs(api))
    again = job(trusted, api, path, the_pull(head))
    assert again.verdict.returncode == 1
    assert "records who pushed it" in posted(api)[1]["output"]["summary"]


@pytest.mark.parametrize("run", [
    a_run("HEAD", "pull=42 event=synchronize accounts=100", slug="github-actions"),
    a_run("HEAD", "pull=42 event=synchronize accounts=100", slug="another-app"),
    a_run("HEAD", "pull=42 event=synchronize accounts=100", name=f"{CHECK_NAME} "),
    a_run("0" * 40, "pull=42 event=synchronize accounts=100"),
], ids=["a-workflow-job", "another-app", "another-name", "another-commit"])
def test_only_the_apps_own_runs_on_the_head_are_read(trusted: Repo, tmp_path: Path,
                                                     api: FakeApi, run: dict[str, Any]) -> None:
    """A pull request's own workflow (or any other App) can post a check run of any name
    and any record: it never vouches for who pushed."""
    on_main(trusted, AUTOMERGE)
    head = an_edit_of_acme(trusted)
    list_runs(api, head, [{**run, "head_sha": head if run["head_sha"] == "HEAD" else
                           run["head_sha"]}])
    done = job(trusted, api, event(trusted, tmp_path, "pull_request_target.edited.json",
                                   head), the_pull(head))
    assert done.verdict.returncode == 1
    assert "records who pushed it" in posted(api)[0]["output"]["summary"]


def test_an_edit_of_an_allowed_head_is_never_merged(trusted: Repo, tmp_path: Path,
                                                    api: FakeApi) -> None:
    on_main(trusted, AUTOMERGE)
    head = an_edit_of_acme(trusted)
    list_runs(api, head, [a_run(head, "pull=42 event=synchronize accounts=100")])
    done = job(trusted, api, event(trusted, tmp_path, "pull_request_target.edited.json",
                                   head), the_pull(head))
    assert done.verdict.returncode == 0, done.verdict.stdout + done.verdict.stderr
    assert "not merged automatically (#42): it was judged on 'edited', not on a push" in \
        done.verdict.stdout
    assert done.outputs["automerge"] == "false" and not merged(api)
    assert api.paths()[0][1].startswith(RUNS.format(sha=head))


def test_a_gone_account_recorded_on_the_head_is_still_judged(trusted: Repo, tmp_path: Path,
                                                            api: FakeApi) -> None:
    on_main(trusted, AUTOMERGE)
    head = an_edit_of_acme(trusted)
    list_runs(api, head, [a_run(head, "pull=42 event=synchronize accounts=100,777")])
    done = job(trusted, api, event(trusted, tmp_path, "pull_request_target.edited.json",
                                   head), the_pull(head))
    assert done.verdict.returncode == 1
    gone = GONE.format(id=777)
    assert f"for {gone} (id 777), who brought this head too" in done.verdict.stdout


def test_without_the_apps_slug_no_run_is_read(api: FakeApi) -> None:
    with pytest.raises(UsageError, match=f"no {APP_SLUG_VARIABLE}: the workflow passes"):
        app_runs(api.github, "a" * 40, "", CHECK_NAME)
    assert api.requests == []


# --- whose head repository ------------------------------------------------------------------
def test_an_organisations_fork_is_judged_for_the_author_and_left_to_a_human(
        trusted: Repo, tmp_path: Path, api: FakeApi) -> None:
    on_main(trusted, AUTOMERGE)
    head = an_edit_of_acme(trusted)
    fork = {"label": "acme-org:sign", "ref": "sign", "sha": head,
            "repo": {"full_name": "acme-org/social-mission-registry", "fork": True,
                     "owner": {"login": "acme-org", "id": 5000, "type": "Organization"}}}
    done = job(trusted, api, event(trusted, tmp_path, "pull_request_target.json", head,
                                   head=fork), the_pull(head, owner=5000))
    assert done.verdict.returncode == 0
    assert posted(api)[0]["external_id"] == "pull=42 event=synchronize accounts=100"
    assert "not merged automatically (#42): its head is not in its author's own " \
           "repository" in done.verdict.stdout
    assert not merged(api)


# --- which pull requests ------------------------------------------------------------------------
def test_a_pull_request_into_another_branch_is_not_judged(trusted: Repo, tmp_path: Path,
                                                          api: FakeApi) -> None:
    """GitHub runs pull_request_target from the default branch whatever the base: a pull
    request into `release` was judged against main's tip and could be merged into it."""
    on_main(trusted, AUTOMERGE)
    head = an_edit_of_acme(trusted)
    base = {"label": "socially-m:release", "ref": "release", "sha": "b" * 40}
    done = job(trusted, api, event(trusted, tmp_path, "pull_request_target.json", head,
                                   base=base), the_pull(head))
    assert done.verdict.returncode == 2
    assert "asks to merge into 'release', not into the default branch 'main'" in \
        done.verdict.stderr
    assert api.requests == []
    assert done.outputs == {}


# --- the merge step reads everything again ------------------------------------------------------
@pytest.fixture
def allowed(trusted: Repo, api: FakeApi) -> str:
    """A head the App judged on alice's push, for alice alone, and allowed."""
    on_main(trusted, AUTOMERGE)
    head = an_edit_of_acme(trusted)
    trusted.git("checkout", "-q", "main")
    api.answers[("GET", f"{R}/pulls/42")] = the_pull(head)
    list_runs(api, head, [a_run(head, "pull=42 event=synchronize accounts=100")])
    return head


def merge_step(repo: Repo, api: FakeApi, head: str, *, enabled: bool = True) -> str:
    return automerge(api.github, repo.root, 42, head, enabled=enabled, app_slug=SLUG,
                     app_login=APP)


def test_the_merge_step_merges_what_it_reads_as_allowed(trusted: Repo, api: FakeApi,
                                                        allowed: str) -> None:
    assert merge_step(trusted, api, allowed) == f"merged #42 at {allowed[:12]} (automerge)"
    assert [(method, path.split("?")[0]) for method, path in api.paths()] == [
        ("GET", R), ("GET", f"{R}/pulls/42"), ("GET", RUNS.format(sha=allowed)),
        ("PUT", f"{R}/pulls/42/merge")]


NOT_ALLOWED: dict[str, tuple[dict[str, Any], list[dict[str, Any]] | None, str]] = {
    "closed": ({"state": "closed"}, None, "it is no longer open at"),
    "pushed since": ({"head": "f" * 40}, None, "it is no longer open at"),
    "retargeted": ({"base": "release"}, None, "no longer asks to merge into the default"),
    "an organisation's fork": ({"owner": 5000}, None, "not in its author's own repository"),
    "no verdict": ({}, [], "the App has no verdict on"),
    "refused": ({}, [a_run("HEAD", "pull=42 event=synchronize accounts=100",
                           conclusion="failure")], "does not allow it"),
    "another source": ({}, [a_run("HEAD", "pull=42 event=synchronize accounts=100",
                                  slug="github-actions")], "the App has no verdict on"),
    "a newer refusal": ({}, [a_run("HEAD", "pull=42 event=synchronize accounts=100"),
                             a_run("HEAD", "pull=42 event=edited accounts=100", number=2,
                                   conclusion="failure")], "does not allow it"),
    "an edit": ({}, [a_run("HEAD", "pull=42 event=edited accounts=100")],
                "judged on 'edited'"),
    "another pusher": ({}, [a_run("HEAD", "pull=42 event=synchronize accounts=100,666")],
                       "brought by another account"),
    "another pull request": ({}, [a_run("HEAD", "pull=41 event=synchronize accounts=100")],
                             "is not this pull request's"),
    "no record": ({}, [a_run("HEAD", None)], "is not this pull request's"),
}


@pytest.mark.parametrize("case", NOT_ALLOWED, ids=list(NOT_ALLOWED))
def test_the_merge_step_merges_nothing_it_cannot_read_as_allowed(
        trusted: Repo, api: FakeApi, allowed: str, case: str) -> None:
    pull, runs, why = NOT_ALLOWED[case]
    changes: dict[str, Any] = dict(pull)
    api.answers[("GET", f"{R}/pulls/42")] = the_pull(changes.pop("head", allowed), **changes)
    if runs is not None:
        list_runs(api, allowed, [{**run, "head_sha": allowed} for run in runs])
    said = merge_step(trusted, api, allowed)
    assert said.startswith("not merged automatically (#42): ") and why in said, said
    assert not merged(api)


def test_the_merge_step_reads_the_changed_files_from_git(trusted: Repo, api: FakeApi,
                                                        allowed: str) -> None:
    trusted.git("checkout", "-q", "pr")
    trusted.write("README.md", "hello\n")
    head = trusted.commit()
    trusted.git("checkout", "-q", "main")
    api.answers[("GET", f"{R}/pulls/42")] = the_pull(head)
    list_runs(api, head, [a_run(head, "pull=42 event=synchronize accounts=100")])
    assert merge_step(trusted, api, head) == \
        "not merged automatically (#42): it changes more than pledges/"
    assert not merged(api)


def test_the_merge_step_does_nothing_when_automerge_is_off(trusted: Repo, api: FakeApi,
                                                          allowed: str) -> None:
    assert merge_step(trusted, api, allowed, enabled=False) == \
        "not merged automatically (#42): automerge is off in the base branch's settings"
    assert api.requests == []


def test_a_merge_github_refuses_fails_nothing(trusted: Repo, api: FakeApi,
                                              allowed: str) -> None:
    del api.answers[("PUT", f"{R}/pulls/42/merge")]
    said = merge_step(trusted, api, allowed)
    assert said.startswith("not merged automatically (#42): GitHub answered PUT")


def test_the_merge_command_takes_only_a_number_and_a_commit(trusted: Repo, tmp_path: Path,
                                                            api: FakeApi) -> None:
    path = event(trusted, tmp_path, "pull_request_target.json", "a" * 40)
    for args, message in (
            (["--pull", "42", "--sha", "HEAD"], "argument --sha: must be a full commit id"),
            (["--pull", "x", "--sha", "a" * 40], "argument --pull: must be a whole number"),
            (["--pull", "42", "--sha", "a" * 40 + "; rm -rf /"], "argument --sha: must be")):
        result = _run(trusted, api, ["automerge", *args], path, tmp_path / "out")
        assert result.returncode == 2, args
        assert message in result.stderr and "Traceback" not in result.stderr
    assert api.requests == []


# --- the record and the event ------------------------------------------------------------------
def test_a_record_reads_back_as_written() -> None:
    record = Record(42, "synchronize", frozenset({666, 100}))
    assert record.text() == "pull=42 event=synchronize accounts=100,666"
    assert read_record(record.text()) == record
    assert read_record(None) is None and read_record("") is None


@pytest.mark.parametrize("text", [
    "pull=42 event=synchronize accounts=",
    "pull=42 event=labeled accounts=100",
    "pull=42 event=synchronize accounts=100 ",
    "pull=042 event=synchronize accounts=100",
    "pull=42 event=synchronize accounts=100,-1",
    "pull=42 event=synchronize accounts=" + ",".join(map(str, range(1, MAX_ACCOUNTS + 2))),
    "pull=42\nevent=synchronize accounts=100",
    7,
])
def test_a_record_that_does_not_read_judges_nothing(text: object) -> None:
    with pytest.raises(UsageError, match="is not a verdict's record"):
        read_record(text)


@pytest.mark.parametrize(("change", "message"), [
    ({"action": "labeled"}, "action is not one the verdict judges"),
    ({"sender": {"login": "mallory"}}, "the event has no sender.id"),
    ({"sender": {"login": "a b", "id": 5}}, "sender has no GitHub login and account number"),
    ({"sender": {"login": "mallory", "id": True}}, "sender has no GitHub login and account"),
    ({"sender": None}, "the event has no sender.login"),
    ({"repository": {"default_branch": "--upload-pack=x"}}, "default_branch is not a branch"),
])
def test_what_github_sets_in_the_event_is_checked(tmp_path: Path, change: dict[str, Any],
                                                  message: str) -> None:
    data = json.loads((EVENTS / "pull_request_target.json").read_text(encoding="utf-8"))
    data["pull_request"]["head"]["sha"] = "a" * 40
    data.update(change)
    path = tmp_path / "event.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        read_pull_request(path)


def test_the_recorded_events_read(tmp_path: Path) -> None:
    read = {}
    for path in sorted(EVENTS.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        event = json.loads(text)
        if "pull_request" in event:
            copy = tmp_path / path.name
            copy.write_text(text.replace("HEAD_SHA", "a" * 40), encoding="utf-8")
            if event.get("action") == "closed":  # the sign workflow's, never judged
                with pytest.raises(UsageError, match="not one the verdict judges"):
                    read_pull_request(copy)
                continue
            read[path.name] = read_pull_request(copy)
    assert {name: (pull.action, pull.sender_login, pull.author_login, pull.head_owner_id)
            for name, pull in read.items()} == {
        "pull_request_target.json": ("synchronize", "alice", "alice", 100),
        "pull_request_target.opened.json": ("opened", "alice", "alice", 100),
        "pull_request_target.synchronize-by-another.json": ("synchronize", "mallory",
                                                            "alice", 100),
        "pull_request_target.edited.json": ("edited", "alice", "alice", 100),
        "pull_request_target.reopened.json": ("reopened", "alice", "alice", 100),
        "pull_request_target.app.json": ("synchronize", APP, APP, 9000),
    }
