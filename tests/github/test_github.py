"""The verdict job as GitHub runs it, here: a recorded `pull_request_target` payload, a
real repository, and a fake GitHub API on 127.0.0.1 that records the check run posted.

What only GitHub can do (issue the App's token, enforce branch protection) is not run
here: OPERATORS.md walks through it on a real fork."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, TESTS
from git_support import ACME, BRIO, CHECK_NAME, Repo
from socialmission.github.api import GitHub
from socialmission.github.event import read_pull_request
from socialmission.github.verdict import annotations_of, markdown_text
from socialmission.model.problems import Problem
from socialmission.ownership.judge import Verdict

EVENT = TESTS / "data" / "events" / "pull_request_target.json"


class FakeGitHub:
    """Records each request; answers check-run calls as GitHub does (201 with an id)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str], Any]] = []
        self.status = 201
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length)) if length else None
                fake.requests.append((self.command, self.path, dict(self.headers), body))
                reply = json.dumps({"id": 7} if fake.status < 300 else
                                   {"message": "Resource not accessible by integration"})
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply.encode())

            do_POST = do_PATCH = do_PUT = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeGitHub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        yield fake


def event_for(repo: Repo, tmp_path: Path, head: str, **user: Any) -> Path:
    event = json.loads(EVENT.read_text(encoding="utf-8"))
    event["pull_request"]["head"]["sha"] = head
    event["pull_request"]["base"]["sha"] = repo.git("rev-parse", "main").strip()
    event["pull_request"]["user"].update(user)
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    return path


def verdict_job(repo: Repo, event: Path, github: FakeGitHub,
                **env: str) -> subprocess.CompletedProcess[str]:
    """The trusted job's step: base checked out, the head fetched, the command run."""
    repo.git("checkout", "-q", "main")
    environment = {"PATH": os.environ["PATH"], "GITHUB_EVENT_PATH": str(event),
                   "GITHUB_API_URL": github.url, "GH_TOKEN": "app-installation-token",
                   "GITHUB_REPOSITORY": "socially-m/social-mission-registry",
                   "GITHUB_ACTIONS": "true", **env}
    return subprocess.run([sys.executable, "-m", "socialmission", "verdict"], cwd=repo.root,
                          capture_output=True, text=True, check=False, env=environment)


@pytest.fixture
def trusted(repo: Repo) -> Repo:
    # The trusted checkout's fonts for the name check; never part of a commit.
    (repo.root / "badges").symlink_to(ROOT / "badges")
    (repo.root / ".git" / "info" / "exclude").write_text("/badges\n")
    return repo


def test_the_verdict_is_posted_on_the_head_commit_as_the_app(trusted: Repo, tmp_path: Path,
                                                             github: FakeGitHub) -> None:
    trusted.write("pledges/acme.yaml", ACME + "country: GB\n")
    head = trusted.commit()
    result = verdict_job(trusted, event_for(trusted, tmp_path, head), github)
    assert result.returncode == 0, result.stdout + result.stderr
    [(method, path, headers, body)] = github.requests
    assert (method, path) == ("POST", "/repos/socially-m/social-mission-registry/check-runs")
    assert headers["Authorization"] == "Bearer app-installation-token"
    assert body["name"] == CHECK_NAME
    assert body["head_sha"] == head
    assert (body["status"], body["conclusion"]) == ("completed", "success")
    assert body["output"]["title"] == "Allowed"


def test_a_refusal_is_annotated_on_the_lines(trusted: Repo, tmp_path: Path,
                                             github: FakeGitHub) -> None:
    trusted.write("pledges/brio.yaml", BRIO.replace("kind: organisation", "kind: club"))
    head = trusted.commit()
    result = verdict_job(trusted, event_for(trusted, tmp_path, head), github)
    assert result.returncode == 1
    assert "::error file=pledges/brio.yaml" in result.stdout
    [(_, _, _, body)] = github.requests
    assert body["conclusion"] == "failure"
    assert body["output"]["title"] == "Refused: 2 problem(s)"
    lines = {(a["path"], a["start_line"], a["annotation_level"])
             for a in body["output"]["annotations"]}
    assert lines == {("pledges/brio.yaml", 1, "failure"), ("pledges/brio.yaml", 2, "failure")}


def test_only_the_event_decides_who_the_author_is(trusted: Repo, tmp_path: Path,
                                                  github: FakeGitHub) -> None:
    """The recorded payload's title and body claim keeper (a registry maintainer) and its
    head ref carries shell: the author is pull_request.user, and nothing is run."""
    trusted.write(".github/workflows/ci.yml", "on: pull_request_target\n")
    head = trusted.commit()
    result = verdict_job(trusted, event_for(trusted, tmp_path, head), github)
    assert result.returncode == 1
    [(_, _, _, body)] = github.requests
    assert "Judged for @alice (account 100) against the base branch main" in \
        body["output"]["summary"]
    assert [a["path"] for a in body["output"]["annotations"]] == [".github/workflows/ci.yml"]


def test_a_freed_login_in_the_event_is_not_the_maintainer(trusted: Repo, tmp_path: Path,
                                                          github: FakeGitHub) -> None:
    trusted.write("pledges/acme.yaml", ACME + "country: GB\n")
    head = trusted.commit()
    result = verdict_job(trusted, event_for(trusted, tmp_path, head, id=99999), github)
    assert result.returncode == 1


def test_errors_end_cleanly(trusted: Repo, tmp_path: Path, github: FakeGitHub) -> None:
    head = trusted.commit()
    event = event_for(trusted, tmp_path, head)
    github.status = 403
    result = verdict_job(trusted, event, github)
    assert result.returncode == 2
    assert "GitHub answered POST /repos/socially-m/social-mission-registry/check-runs with " \
           "403: Resource not accessible by integration" in result.stderr
    for env in ({"GH_TOKEN": ""}, {"GITHUB_API_URL": "http://api.example.org"},
                {"GITHUB_REPOSITORY": "nonsense"}):
        result = verdict_job(trusted, event, github, **env)
        assert result.returncode == 2, env
        assert "Traceback" not in result.stderr
    unknown = event_for(trusted, tmp_path, "0" * 40)
    result = verdict_job(trusted, unknown, github)
    assert result.returncode == 2
    assert "is not a commit" in result.stderr


@pytest.mark.parametrize(("change", "message"), [
    ({"head": {"sha": "HEAD; rm -rf /"}}, "head.sha is not a commit id"),
    ({"user": {"login": "a b", "id": 5}}, "user.login is not a GitHub login"),
    ({"user": {"login": "alice", "id": "100"}}, "user.id is not an account number"),
    ({"user": {"login": "alice", "id": True}}, "user.id is not an account number"),
    ({"base": {"ref": "--upload-pack=x"}}, "base.ref is not a branch name"),
    ({"number": "42"}, "pull_request.number is not a number"),
])
def test_a_malformed_event_is_a_usage_error(tmp_path: Path, change: dict[str, Any],
                                            message: str) -> None:
    from socialmission.errors import UsageError

    event = json.loads(EVENT.read_text(encoding="utf-8"))
    event["pull_request"]["head"]["sha"] = "a" * 40
    event["pull_request"].update(change)
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))
    with pytest.raises(UsageError, match=message.replace(".", r"\.")):
        read_pull_request(path)


def test_nothing_a_pledge_says_becomes_markup_in_the_summary() -> None:
    hostile = "[click](https://evil.example) ![x](https://t.example/p.gif) <img src=x> `c`"
    shown = markdown_text(hostile)
    for piece in ("](", "<img", "![", "`c`"):
        assert piece not in shown
    assert html.unescape(shown.replace("\\", "")) == hostile


def test_many_problems_are_posted_in_batches(trusted: Repo, tmp_path: Path,
                                             github: FakeGitHub) -> None:
    from socialmission.github.verdict import post

    verdict = Verdict(refusals=[Problem(f"pledges/p{i}.yaml", 1, 0, "x") for i in range(120)])
    assert len(annotations_of(verdict)) == 120
    pull = read_pull_request(event_for(trusted, tmp_path, "a" * 40))
    post(GitHub(github.url, "t", "o/r"), pull, verdict, name=CHECK_NAME)
    methods = [(m, p) for m, p, _, _ in github.requests]
    assert methods == [("POST", "/repos/o/r/check-runs"), ("PATCH", "/repos/o/r/check-runs/7"),
                       ("PATCH", "/repos/o/r/check-runs/7")]
    counts = [len(body["output"]["annotations"]) for _, _, _, body in github.requests]
    assert counts == [50, 50, 20]


# --- a pledge's signatures ------------------------------------------------------------------
BY_REGISTRY = ACME + ("status: withdrawn\nwithdrawn: 2025-01-31\nwithdrawn_reason: A court "
                      "order.\nwithdrawn_by: registry\n")
SIGNED_AGAIN = BY_REGISTRY.replace("status: withdrawn\n", "") + (
    "signed_again:\n  - signed: 2025-06-01\n    mission_version: 1\n"
    "    status_index: 129401\n")  # the index the tools pick


def test_the_verdict_leaves_a_registry_withdrawal_to_the_registry(
        trusted: Repo, tmp_path: Path, github: FakeGitHub) -> None:
    """alice's pull requests undo the registry's withdrawal of acme, by hand and by signing
    again: each check run fails, saying who signs it again; keeper's signing again passes."""
    trusted.git("checkout", "-q", "main")
    trusted.write("pledges/acme.yaml", BY_REGISTRY)
    trusted.commit("the registry withdrew acme")
    for text, said in ((ACME, "so only they sign it again: ask them"),
                       (SIGNED_AGAIN, "so only they sign it again, and alice is not one of "
                                      "them: ask the registry's maintainers")):
        trusted.git("checkout", "-q", "-B", "pr", "main")
        trusted.write("pledges/acme.yaml", text)
        head = trusted.commit()
        result = verdict_job(trusted, event_for(trusted, tmp_path, head), github)
        assert result.returncode == 1, result.stdout
        body = github.requests[-1][3]
        assert (body["conclusion"], body["output"]["title"]) == ("failure",
                                                                 "Refused: 1 problem(s)")
        [note] = body["output"]["annotations"]
        assert (note["path"], note["message"].endswith(said)) == ("pledges/acme.yaml", True)
    keeper = event_for(trusted, tmp_path, head, login="keeper", id=1)
    event = json.loads(keeper.read_text(encoding="utf-8"))
    event["sender"] = {"login": "keeper", "id": 1, "type": "User"}  # who pushed it too
    keeper.write_text(json.dumps(event), encoding="utf-8")
    result = verdict_job(trusted, keeper, github)
    assert result.returncode == 0, result.stdout
    assert github.requests[-1][3]["conclusion"] == "success"
    assert "keeper signs acme again as a registry maintainer, after the registry's " \
           "withdrawal" in github.requests[-1][3]["output"]["summary"]
