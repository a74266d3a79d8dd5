"""A translator's pull request as GitHub runs the verdict on it: a recorded
`pull_request_target` payload whose author is the translator, a real repository, and the
fake GitHub API on 127.0.0.1, which receives the App's check run. Allowed on a
translation, never merged automatically; refused on the mission and on another's pledge;
a non-translator refused on a translation; the account's id decides, not its login."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, TESTS
from fake_github import REPO, FakeApi
from git_support import ACME, SETTINGS, Repo
from socialmission.github.verdict import APP_SLUG_VARIABLE
from socialmission.model import paths

EVENTS = TESTS / "data" / "events"
SLUG = "socially-m-registry"
R = f"/repos/{REPO}"
FR = paths.translation_file(1, "fr")
FRENCH = (TESTS / "fixtures" / FR).read_text(encoding="utf-8")
ANA = {"login": "ana", "id": 500, "type": "User"}  # the base branch's translator
ALICE = {"login": "alice", "id": 100, "type": "User"}  # maintains acme, translates nothing
ON_MAIN = ("translators:\n  - login: ana\n    id: 500\n"
           "domain_proof: true\nautomerge: true\n")


@pytest.fixture
def api() -> Iterator[FakeApi]:
    fake = FakeApi({("POST", f"{R}/check-runs"): {"id": 7},
                    ("GET", R): {"full_name": REPO, "default_branch": "main"},
                    # acme's maintainer's account still exists (it is not an orphan)
                    ("GET", "/user/100"): ALICE})
    yield fake
    fake.close()


@pytest.fixture
def trusted(repo: Repo) -> Repo:
    """The registry, its base branch listing ana as a translator; the trusted checkout's
    fonts for the name check, never part of a commit."""
    (repo.root / "badges").symlink_to(ROOT / "badges")
    (repo.root / ".git" / "info" / "exclude").write_text("/badges\n")
    repo.git("checkout", "-q", "main")
    repo.write("registry.yaml", SETTINGS + ON_MAIN)
    repo.commit("translators")
    repo.git("checkout", "-q", "pr")
    repo.git("merge", "-q", "main")
    return repo


def verdict(repo: Repo, api: FakeApi, tmp_path: Path, author: dict[str, Any],
            head: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any], str]:
    """The verdict step on the recorded payload, `author` its pull request's author and
    sender: what it printed, the check run it posted, and its automerge output."""
    data = json.loads((EVENTS / "pull_request_target.json").read_text(encoding="utf-8"))
    data["pull_request"]["head"]["sha"] = head
    data["pull_request"]["base"]["sha"] = repo.git("rev-parse", "main").strip()
    data["pull_request"]["user"] = data["sender"] = author
    event = tmp_path / "event.json"
    event.write_text(json.dumps(data), encoding="utf-8")
    outputs = tmp_path / "outputs"
    repo.git("checkout", "-q", "main")
    done = subprocess.run(
        [sys.executable, "-m", "socialmission", "verdict"], cwd=repo.root, capture_output=True,
        text=True, check=False,
        env={"PATH": os.environ["PATH"], "GITHUB_EVENT_PATH": str(event),
             "GITHUB_API_URL": api.github.api_url, "GH_TOKEN": "app-token",
             "GITHUB_REPOSITORY": REPO, "GITHUB_ACTIONS": "true", APP_SLUG_VARIABLE: SLUG,
             "GITHUB_OUTPUT": str(outputs)})
    [run] = [body for method, path, body in api.requests
             if (method, path) == ("POST", f"{R}/check-runs")]
    found = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    return done, run, found.get("automerge", "")


def change(repo: Repo, path: str, text: str) -> str:
    repo.write(path, text)
    return repo.commit()


def test_a_translators_translation_is_allowed_and_left_to_a_human(
        trusted: Repo, tmp_path: Path, api: FakeApi) -> None:
    done, run, automerge = verdict(trusted, api, tmp_path, ANA, change(trusted, FR, FRENCH))
    assert done.returncode == 0, done.stdout + done.stderr
    assert run["conclusion"] == "success"
    assert run["external_id"] == "pull=42 event=synchronize accounts=500"
    assert "- ana \\(id 500\\) changed translations/v1/fr\\.yaml as one of the registry's " \
           "translators\n" in run["output"]["summary"]  # Markdown, escaped
    assert automerge == "false"
    assert "not merged automatically (#42): it changes more than pledges/" in done.stdout


ELSEWHERE = {
    paths.MISSION_FILE: ((ROOT / paths.MISSION_FILE).read_text(encoding="utf-8") + "# ana\n",
                         "only the registry's maintainers may change mission.yaml"),
    "pledges/acme.yaml": (ACME + "country: GB\n",
                          "only the maintainers of acme listed on the base branch may change "
                          "it, and ana (id 500) is not one of them"),
}


@pytest.mark.parametrize("path", ELSEWHERE)
def test_a_translator_is_refused_on_the_mission_and_on_anothers_pledge(
        trusted: Repo, tmp_path: Path, api: FakeApi, path: str) -> None:
    text, refused = ELSEWHERE[path]
    trusted.write(FR, FRENCH)
    done, run, _ = verdict(trusted, api, tmp_path, ANA, change(trusted, path, text))
    assert done.returncode == 1
    assert run["conclusion"] == "failure"
    [note] = run["output"]["annotations"]
    assert (note["path"], note["message"].split(":")[0]) == (path, refused)


def test_a_non_translator_is_refused_on_a_translation(trusted: Repo, tmp_path: Path,
                                                      api: FakeApi) -> None:
    done, run, _ = verdict(trusted, api, tmp_path, ALICE, change(trusted, FR, FRENCH))
    assert done.returncode == 1
    [note] = run["output"]["annotations"]
    assert note["path"] == FR
    assert note["message"].startswith(
        "only the registry's translators and maintainers may change the mission's "
        "translations, and alice (id 100) is neither")


@pytest.mark.parametrize(("author", "allowed"), [
    ({"login": "ana-renamed", "id": 500, "type": "User"}, True),  # renamed: the same account
    ({"login": "ana", "id": 9000, "type": "User"}, False),  # the freed login, taken over
])
def test_the_id_decides_not_the_login(trusted: Repo, tmp_path: Path, api: FakeApi,
                                      author: dict[str, Any], allowed: bool) -> None:
    done, run, _ = verdict(trusted, api, tmp_path, author, change(trusted, FR, FRENCH))
    assert (done.returncode == 0) is allowed, done.stdout
    assert run["conclusion"] == ("success" if allowed else "failure")
    assert run["external_id"] == f"pull=42 event=synchronize accounts={author['id']}"
